package directory

import (
	"context"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

const linkedFeed = `[{"id":"s1","name":"Walk","description":"","status":"active",
 "organization":{"id":"5a0b7e9c-1d2e-4f3a-8b4c-5d6e7f8a9b0c","name":"Walkers","description":""},
 "service_taxonomys":[{"id":"st1","taxonomy":{"id":"t1","name":"Walking","vocabulary":"local"}}],
 "service_at_locations":[{"id":"sal1","location":{"id":"l1","name":"Park"}}]},
 {"id":"s2","name":"Run","description":"","status":"active",
 "organization":{"id":"5a0b7e9c-1d2e-4f3a-8b4c-5d6e7f8a9b0c","name":"Walkers","description":""},
 "service_at_locations":[{"id":"sal2","location":{"id":"l1","name":"Park"}},{"id":"sal3","location":{"id":"l2","name":"Track"}}]}]`

func TestServiceLinksFollowEdits(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	mustImport(t, s, []byte(linkedFeed), "test")
	check := func(what string, got []string, err error, want ...string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
	}
	ids, err := s.ServiceIDsAtLocation(ctx, "l1")
	check("at l1", ids, err, "s1", "s2")
	ids, err = s.ServiceIDsAtLocation(ctx, "l2")
	check("at l2", ids, err, "s2")
	ids, err = s.ServiceIDsWithTerm(ctx, "t1")
	check("with t1", ids, err, "s1")

	// s2 leaves l1 and s1 its term: the links follow.
	mustImport(t, s, []byte(`[{"id":"s1","name":"Walk","description":"","status":"active",
 "organization":{"id":"5a0b7e9c-1d2e-4f3a-8b4c-5d6e7f8a9b0c","name":"Walkers","description":""},
 "service_at_locations":[{"id":"sal1","location":{"id":"l1","name":"Park"}}]},
 {"id":"s2","name":"Run","description":"","status":"active",
 "organization":{"id":"5a0b7e9c-1d2e-4f3a-8b4c-5d6e7f8a9b0c","name":"Walkers","description":""},
 "service_at_locations":[{"id":"sal3","location":{"id":"l2","name":"Track"}}]}]`), "test")
	ids, err = s.ServiceIDsAtLocation(ctx, "l1")
	check("at l1 after", ids, err, "s1")
	ids, err = s.ServiceIDsWithTerm(ctx, "t1")
	check("with t1 after", ids, err)
}

// A store written before the links existed gets them from migration 2.
func TestMigrationLinksExistingServices(t *testing.T) {
	s, dir := openTestStore(t)
	ctx := context.Background()
	mustImport(t, s, []byte(linkedFeed), "test")
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketLocationServices, bucketTermServices} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(schemaVersionKey, u64(1))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(ctx, dir, StoreOptions{Logger: quietLog})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	ids, err := s2.ServiceIDsAtLocation(ctx, "l1")
	if err != nil || !slices.Equal(ids, []string{"s1", "s2"}) {
		t.Errorf("at l1 after the migration: %v %v", ids, err)
	}
	ids, err = s2.ServiceIDsWithTerm(ctx, "t1")
	if err != nil || !slices.Equal(ids, []string{"s1"}) {
		t.Errorf("with t1 after the migration: %v %v", ids, err)
	}
}
