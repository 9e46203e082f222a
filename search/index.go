package search

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/signpost-uk/signpost/directory"
)

// Index states, as /healthz reports them.
const (
	StateReady      = "ready"
	StateRebuilding = "rebuilding"
)

// Keys kept inside the bleve index.
var (
	keyLastSeq        = []byte("signpost:last_seq")
	keyMappingVersion = []byte("signpost:mapping_version")
)

// Options configures Open.
type Options struct {
	Logger *slog.Logger
	// PollInterval is how often the change log is checked; default 200 ms, so
	// an edit is searchable well within a second.
	PollInterval time.Duration
	// BatchSize is how many services go into one index batch; default 500.
	BatchSize int
}

// Index is the search index of one directory store.
type Index struct {
	store *directory.Store
	dir   string
	vocab *Vocab
	opts  Options
	log   *slog.Logger

	mu      sync.RWMutex
	idx     bleve.Index // nil until the first build has finished
	state   atomic.Value
	lastSeq atomic.Uint64
	wake    chan struct{}
	done    chan struct{}
	stop    context.CancelFunc
}

// Open opens the index in dir, or starts rebuilding it from the store when it
// is missing, unreadable or built with another mapping version. It returns at
// once; Searcher answers from the store until the index is ready. Run follows
// the change log until ctx ends; Close stops it.
func Open(ctx context.Context, dir string, store *directory.Store, opts Options) (*Index, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = 200 * time.Millisecond
	}
	if opts.BatchSize == 0 {
		opts.BatchSize = 500
	}
	v, err := DefaultVocab()
	if err != nil {
		return nil, err
	}
	x := &Index{store: store, dir: dir, vocab: v, opts: opts, log: opts.Logger, wake: make(chan struct{}, 1), done: make(chan struct{})}
	x.state.Store(StateRebuilding)
	idx, seq, why := openExisting(dir)
	if idx != nil {
		x.idx = idx
		x.lastSeq.Store(seq)
		x.state.Store(StateReady)
	} else {
		x.log.Info("search index will be rebuilt from the store", "reason", why, "dir", dir)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	x.stop = cancel
	go x.run(runCtx)
	return x, nil
}

// openExisting opens an index that is usable as it is, or says why not.
func openExisting(dir string) (bleve.Index, uint64, string) {
	if _, err := os.Stat(dir); err != nil {
		return nil, 0, "no index yet"
	}
	idx, err := bleve.OpenUsing(dir, map[string]interface{}{"bolt_timeout": "1s"})
	if err != nil {
		return nil, 0, "unreadable: " + err.Error()
	}
	version, err := idx.GetInternal(keyMappingVersion)
	if err != nil || string(version) != MappingVersion {
		idx.Close()
		return nil, 0, fmt.Sprintf("mapping version %q, this binary needs %q", version, MappingVersion)
	}
	raw, err := idx.GetInternal(keyLastSeq)
	if err != nil || len(raw) != 8 {
		idx.Close()
		return nil, 0, "no record of the last applied change"
	}
	if _, err := idx.DocCount(); err != nil {
		idx.Close()
		return nil, 0, "unreadable: " + err.Error()
	}
	return idx, binary.BigEndian.Uint64(raw), ""
}

// State is "ready" or "rebuilding".
func (x *Index) State() string { return x.state.Load().(string) }

// LastApplied is the change-log sequence the index has applied up to.
func (x *Index) LastApplied() uint64 { return x.lastSeq.Load() }

// Notify asks the follower to look at the change log now.
func (x *Index) Notify() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// Close stops following and closes the index.
func (x *Index) Close() error {
	x.stop()
	<-x.done
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.idx != nil {
		err := x.idx.Close()
		x.idx = nil
		return err
	}
	return nil
}

func (x *Index) run(ctx context.Context) {
	defer close(x.done)
	if x.State() == StateRebuilding {
		start := time.Now()
		if err := x.rebuild(ctx); err != nil {
			if ctx.Err() == nil {
				x.log.Error("search index rebuild failed; searches keep using the store", "err", err)
			}
			return
		}
		x.log.Info("search index rebuilt", "seconds", time.Since(start).Seconds())
	}
	tick := time.NewTicker(x.opts.PollInterval)
	defer tick.Stop()
	for {
		if err := x.CatchUp(ctx); err != nil && ctx.Err() == nil {
			x.log.Error("search index update failed; will retry", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-x.wake:
		}
	}
}

// rebuild builds a new index from the store beside the old one, then swaps it in.
func (x *Index) rebuild(ctx context.Context) error {
	x.state.Store(StateRebuilding)
	// Changes made while building are replayed afterwards, from here.
	from, err := x.store.LastChange(ctx)
	if err != nil {
		return err
	}
	tmp := x.dir + ".building"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(x.dir), 0o750); err != nil {
		return err
	}
	idx, err := bleve.NewUsing(tmp, buildMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, map[string]interface{}{"bolt_timeout": "1s"})
	if err != nil {
		return fmt.Errorf("create index: %w", err)
	}
	after := ""
	for {
		if err := ctx.Err(); err != nil {
			idx.Close()
			return err
		}
		services, err := x.store.ServicesAfter(ctx, after, x.opts.BatchSize)
		if err != nil {
			idx.Close()
			return err
		}
		if len(services) == 0 {
			break
		}
		b := idx.NewBatch()
		for _, s := range services {
			if err := b.Index(s.ID, x.document(s)); err != nil {
				idx.Close()
				return err
			}
		}
		if err := idx.Batch(b); err != nil {
			idx.Close()
			return err
		}
		after = services[len(services)-1].ID
	}
	b := idx.NewBatch()
	b.SetInternal(keyMappingVersion, []byte(MappingVersion))
	b.SetInternal(keyLastSeq, seqBytes(from))
	if err := idx.Batch(b); err != nil {
		idx.Close()
		return err
	}
	if err := idx.Close(); err != nil {
		return err
	}

	x.mu.Lock()
	defer x.mu.Unlock()
	if x.idx != nil {
		x.idx.Close()
		x.idx = nil
	}
	old := x.dir + ".old"
	os.RemoveAll(old)
	if err := os.Rename(x.dir, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, x.dir); err != nil {
		return err
	}
	os.RemoveAll(old)
	opened, err := bleve.OpenUsing(x.dir, map[string]interface{}{"bolt_timeout": "1s"})
	if err != nil {
		return err
	}
	x.idx = opened
	x.lastSeq.Store(from)
	x.state.Store(StateReady)
	return nil
}

func seqBytes(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}

// CatchUp applies every change-log entry after the last applied one, in
// order and in batches; each batch records its last sequence in the index, so
// a crash replays at most the batch it was in.
func (x *Index) CatchUp(ctx context.Context) error {
	if x.State() != StateReady {
		return nil
	}
	for {
		from := x.lastSeq.Load()
		changes, err := x.store.ChangesSince(ctx, from, 1000)
		if err != nil || len(changes) == 0 {
			return err
		}
		services := map[string]bool{}
		for _, ch := range changes {
			switch ch.Kind {
			case directory.KindService:
				services[ch.ID] = true
			case directory.KindOrganization:
				ids, err := x.store.ServiceIDsOfOrganization(ctx, ch.ID)
				if err != nil {
					return err
				}
				for _, id := range ids {
					services[id] = true
				}
			}
		}
		x.mu.RLock()
		idx := x.idx
		b := idx.NewBatch()
		for id := range services {
			s, err := x.store.ServiceDetail(ctx, id)
			switch {
			case directory.ErrorCode(err) == directory.ENOTFOUND:
				b.Delete(id)
			case err != nil:
				x.mu.RUnlock()
				return err
			default:
				if err := b.Index(id, x.document(s)); err != nil {
					x.mu.RUnlock()
					return err
				}
			}
		}
		last := changes[len(changes)-1].Seq
		b.SetInternal(keyLastSeq, seqBytes(last))
		err = idx.Batch(b)
		x.mu.RUnlock()
		if err != nil {
			return err
		}
		x.lastSeq.Store(last)
	}
}

// WaitReady blocks until the index is ready (or ctx ends).
func (x *Index) WaitReady(ctx context.Context) error {
	for x.State() != StateReady {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-x.done:
			if x.State() != StateReady {
				return errors.New("the search index could not be built; see the log")
			}
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}
