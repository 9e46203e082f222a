package directory

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Bucket names. Record buckets map id → envelope; index buckets map
// "parent\x00child" → nothing.
var (
	bucketMeta          = []byte("meta")
	bucketOrganizations = []byte("organizations")
	bucketServices      = []byte("services")
	bucketLocations     = []byte("locations")
	bucketTaxonomies    = []byte("taxonomy_terms")
	bucketServiceFacets = []byte("service_facets")
	bucketOrgServices   = []byte("idx_organization_services")
	bucketChanges       = []byte("changes")
)

// Record kinds, as named in the change log, problems and reports.
const (
	KindOrganization = "organization"
	KindService      = "service"
	KindLocation     = "location"
	KindTaxonomy     = "taxonomy"
)

// DBFileName is the bbolt file inside the data directory.
const DBFileName = "signpost.db"

// Store is the directory's bbolt store, the single source of truth.
type Store struct {
	db  *bolt.DB
	log *slog.Logger
	now func() time.Time
}

// StoreOptions configures Open.
type StoreOptions struct {
	Logger *slog.Logger
	// Now is the clock; tests pass their own.
	Now func() time.Time
	// LockTimeout is how long to wait for another process to release the data
	// directory before failing. Default one second.
	LockTimeout time.Duration
}

// Open opens (creating if needed) the store in dir and runs pending migrations.
// It fails fast with EUNAVAILABLE when another process holds the directory.
func Open(ctx context.Context, dir string, opts StoreOptions) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.LockTimeout == 0 {
		opts.LockTimeout = time.Second
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, DBFileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout: opts.LockTimeout,
		// Map a generous address range up front: growing the map inside a large
		// import transaction copies every node it has touched.
		InitialMmapSize: 1 << 30,
		FreelistType:    bolt.FreelistMapType,
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, &Error{Code: EUNAVAILABLE, Message: fmt.Sprintf("the data directory %s is in use by another Signpost process; stop it or choose another directory with -data", dir), Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{db: db, log: opts.Logger, now: opts.Now}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the bbolt file. Call it after the HTTP server has stopped.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the bbolt handle for packages that keep their own buckets in the
// same file (their bucket names must not start with the names used here).
func (s *Store) DB() *bolt.DB { return s.db }

// Path is the bbolt file's path.
func (s *Store) Path() string { return s.db.Path() }

// envelope is how every record is stored: a schema version, a hash of the
// record's content (to tell an unchanged re-import from an update) and the record.
type envelope struct {
	Version int             `json:"v"`
	Hash    string          `json:"h"`
	Record  json.RawMessage `json:"r"`
}

// recordVersion is the current schema version of stored records. A migration
// that changes the shape of a record bumps it.
const recordVersion = 1

func encodeRecord(v any, hash string) ([]byte, error) {
	rec, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	// The envelope by hand: json.Marshal would re-validate and copy rec.
	out := make([]byte, 0, len(rec)+64)
	out = append(out, `{"v":`...)
	out = strconv.AppendInt(out, recordVersion, 10)
	out = append(out, `,"h":"`...)
	out = append(out, hash...) // hex: needs no escaping
	out = append(out, `","r":`...)
	out = append(out, rec...)
	return append(out, '}'), nil
}

func decodeRecord(data []byte, v any) (hash string, err error) {
	// Fast path for the envelope encodeRecord writes: {"v":N,"h":"HEX","r":RECORD}.
	// It skips a second full scan of the record by encoding/json.
	if rest, ok := bytes.CutPrefix(data, []byte(`{"v":`)); ok {
		if i := bytes.IndexByte(rest, ','); i > 0 {
			version, verr := strconv.Atoi(string(rest[:i]))
			rest = rest[i:]
			if h, ok := bytes.CutPrefix(rest, []byte(`,"h":"`)); ok && verr == nil {
				if j := bytes.IndexByte(h, '"'); j >= 0 {
					hash = string(h[:j])
					if rec, ok := bytes.CutPrefix(h[j:], []byte(`","r":`)); ok && len(rec) > 0 && rec[len(rec)-1] == '}' {
						if version != recordVersion {
							return "", fmt.Errorf("record schema version %d, expected %d: migrations did not run", version, recordVersion)
						}
						return hash, json.Unmarshal(rec[:len(rec)-1], v)
					}
				}
			}
		}
	}
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return "", fmt.Errorf("decode envelope: %w", err)
	}
	if env.Version != recordVersion {
		return "", fmt.Errorf("record schema version %d, expected %d: migrations did not run", env.Version, recordVersion)
	}
	return env.Hash, json.Unmarshal(env.Record, v)
}

// contentHash hashes what a record says, leaving out when and how Signpost
// took it in, so a re-import of the same data is recognised as unchanged.
func contentHash(v any) string {
	var clean any
	switch r := v.(type) {
	case Organization:
		r.Provenance, r.Verification = Provenance{}, Verification{}
		clean = r
	case Service:
		r.Provenance = Provenance{}
		if r.LastVerifiedBy == "import" {
			r.Verification = Verification{}
		}
		// Suggested links are Signpost's inference, not what the source said.
		var chosen []ServiceTaxonomy
		for _, st := range r.ServiceTaxonomys {
			if !st.Suggested {
				chosen = append(chosen, st)
			}
		}
		r.ServiceTaxonomys = chosen
		clean = r
	case Location:
		r.Provenance, r.Verification = Provenance{}, Verification{}
		clean = r
	case TaxonomyTerm:
		r.Provenance = Provenance{}
		clean = r
	default:
		clean = v
	}
	b, _ := json.Marshal(clean)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// Change is one entry of the change log: record kind and id changed at Seq.
type Change struct {
	Seq  uint64    `json:"seq"`
	Kind string    `json:"kind"`
	ID   string    `json:"id"`
	Op   string    `json:"op"` // "put" or "delete"
	At   time.Time `json:"at"`
}

func appendChange(tx *bolt.Tx, kind, id, op string, at time.Time) error {
	b := tx.Bucket(bucketChanges)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	data, err := json.Marshal(Change{Seq: seq, Kind: kind, ID: id, Op: op, At: at.UTC()})
	if err != nil {
		return err
	}
	return b.Put(u64(seq), data)
}

func u64(n uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], n)
	return k[:]
}

// ChangesSince returns up to limit change-log entries after seq, in order.
func (s *Store) ChangesSince(ctx context.Context, seq uint64, limit int) ([]Change, error) {
	var out []Change
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketChanges).Cursor()
		for k, v := c.Seek(u64(seq + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			var ch Change
			if err := json.Unmarshal(v, &ch); err != nil {
				return fmt.Errorf("decode change %x: %w", k, err)
			}
			out = append(out, ch)
		}
		return nil
	})
	return out, err
}

// LastChange is the sequence number of the newest change-log entry.
func (s *Store) LastChange(ctx context.Context) (uint64, error) {
	var seq uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		seq = tx.Bucket(bucketChanges).Sequence()
		return nil
	})
	return seq, err
}

// Meta reads a value from the meta bucket ("" when absent).
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.View(func(tx *bolt.Tx) error {
		v = string(tx.Bucket(bucketMeta).Get([]byte(key)))
		return nil
	})
	return v, err
}

// SetMeta writes a value to the meta bucket.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put([]byte(key), []byte(value)) })
}

// Counts is how many records of each kind the store holds.
type Counts struct {
	Organizations int `json:"organizations"`
	Services      int `json:"services"`
	Locations     int `json:"locations"`
	Taxonomies    int `json:"taxonomies"`
}

func countKey(bucket []byte) []byte { return append([]byte("count:"), bucket...) }

func readCount(tx *bolt.Tx, bucket []byte) int {
	v := tx.Bucket(bucketMeta).Get(countKey(bucket))
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

func addCount(tx *bolt.Tx, bucket []byte, delta int) error {
	n := readCount(tx, bucket) + delta
	return tx.Bucket(bucketMeta).Put(countKey(bucket), u64(uint64(n)))
}

// Counts returns the number of records of each kind.
func (s *Store) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.db.View(func(tx *bolt.Tx) error {
		c = Counts{
			Organizations: readCount(tx, bucketOrganizations),
			Services:      readCount(tx, bucketServices),
			Locations:     readCount(tx, bucketLocations),
			Taxonomies:    readCount(tx, bucketTaxonomies),
		}
		return nil
	})
	return c, err
}

// Ping checks that the store answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil {
			return errors.New("store not initialised")
		}
		return nil
	})
}
