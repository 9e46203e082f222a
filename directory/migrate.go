package directory

import (
	"context"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// migration is one ordered, idempotent step that brings the store's layout from
// version-1 to version. Migrations only ever get appended to this list.
type migration struct {
	version int
	name    string
	apply   func(tx *bolt.Tx) error
}

var migrations = []migration{
	{1, "create directory buckets", func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketOrganizations, bucketServices, bucketLocations, bucketTaxonomies,
			bucketServiceFacets, bucketOrgServices, bucketChanges} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	}},
	{2, "link locations and taxonomy terms back to their services", linkAllServices},
	{3, "problem reports; note the sources of the data held", migrateReportsAndSources},
}

var schemaVersionKey = []byte("schema_version")

// SchemaVersion is the layout version the running code expects.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// migrate runs, in order and each in its own transaction, every migration the
// store has not had yet. A store newer than this binary is refused.
func (s *Store) migrate(ctx context.Context) error {
	current := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(bucketMeta); meta != nil {
			if v := meta.Get(schemaVersionKey); len(v) == 8 {
				current = int(binary.BigEndian.Uint64(v))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if current > SchemaVersion() {
		return &Error{Code: EUNAVAILABLE, Message: fmt.Sprintf("the data directory was written by a newer Signpost (schema %d; this binary knows %d)", current, SchemaVersion())}
	}
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		err := s.db.Update(func(tx *bolt.Tx) error {
			if err := m.apply(tx); err != nil {
				return err
			}
			meta, err := tx.CreateBucketIfNotExists(bucketMeta)
			if err != nil {
				return err
			}
			return meta.Put(schemaVersionKey, u64(uint64(m.version)))
		})
		if err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
		s.log.Info("store migrated", "version", m.version, "migration", m.name)
	}
	return nil
}
