package directory

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Problem reports are what the public tells the directory manager about a
// listing ("the phone number is wrong", "it has closed"). They name no one:
// the form asks for no name or e-mail, and no IP address is kept.
var bucketReports = []byte("problem_reports")

// Kinds of problem a person can report.
var ProblemKinds = []struct{ Value, Label string }{
	{"details-wrong", "Some details are wrong or out of date"},
	{"closed", "The service has closed or moved"},
	{"contact-wrong", "The phone number, e-mail or website does not work"},
	{"other", "Something else"},
}

// ProblemReport is one report about one service.
type ProblemReport struct {
	ID        string    `json:"id"`
	ServiceID string    `json:"service_id" validate:"required,max=200"`
	Problem   string    `json:"problem" validate:"required,problem_kind"`
	Details   string    `json:"details" validate:"required,min=10,max=1500"`
	CreatedAt time.Time `json:"created_at"`
	Status    string    `json:"status"` // "new" until the manager deals with it
}

func isProblemKind(s string) bool {
	for _, k := range ProblemKinds {
		if k.Value == s {
			return true
		}
	}
	return false
}

// AddProblemReport validates and stores a report about an existing service.
func (s *Store) AddProblemReport(ctx context.Context, r ProblemReport) (*ProblemReport, error) {
	r.Details = strings.TrimSpace(r.Details)
	if errs := Check(r); errs != nil {
		return nil, &Error{Code: EUNPROCESSABLE, Message: "The report is not complete.", Fields: errs}
	}
	r.CreatedAt, r.Status = s.now().UTC(), "new"
	err := s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketServices).Get([]byte(r.ServiceID)) == nil {
			return Errorf(ENOTFOUND, "There is no such service.")
		}
		b := tx.Bucket(bucketReports)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		r.ID = fmt.Sprintf("r%08d", seq)
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		return b.Put([]byte(r.ID), data)
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// ProblemReports lists the reports, newest first.
func (s *Store) ProblemReports(ctx context.Context) ([]ProblemReport, error) {
	var out []ProblemReport
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReports).ForEach(func(k, v []byte) error {
			var r ProblemReport
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("problem report %s: %w", k, err)
			}
			out = append(out, r)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out, err
}

// Sources lists the publishers whose data the directory holds, with when
// each was last imported.
func (s *Store) Sources(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketMeta).Cursor()
		prefix := []byte(sourceMetaPrefix)
		for k, v := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), sourceMetaPrefix); k, v = c.Next() {
			out[strings.TrimPrefix(string(k), sourceMetaPrefix)] = string(v)
		}
		return nil
	})
	return out, err
}

const sourceMetaPrefix = "source:"

func noteSource(tx *bolt.Tx, source string, at time.Time) error {
	return tx.Bucket(bucketMeta).Put([]byte(sourceMetaPrefix+source), []byte(at.UTC().Format("2006-01-02")))
}

// migrateReportsAndSources creates the reports bucket and notes the sources
// of the organisations already stored (migration 3).
func migrateReportsAndSources(tx *bolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketReports); err != nil {
		return err
	}
	seen := map[string]string{}
	err := tx.Bucket(bucketOrganizations).ForEach(func(k, v []byte) error {
		var o struct {
			Provenance Provenance `json:"provenance"`
		}
		if _, err := decodeRecord(v, &o); err != nil {
			return err
		}
		if src := o.Provenance.Source; src != "" {
			at := o.Provenance.ImportedAt.UTC().Format("2006-01-02")
			if at > seen[src] {
				seen[src] = at
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for src, at := range seen {
		if err := tx.Bucket(bucketMeta).Put([]byte(sourceMetaPrefix+src), []byte(at)); err != nil {
			return err
		}
	}
	return nil
}
