package directory

import (
	"bytes"
	"context"

	bolt "go.etcd.io/bbolt"
)

// Reverse links from a location or a taxonomy term to the services that use
// it, so that whoever follows the change log (the search index) knows which
// services a changed location or term affects. They are kept in the same
// transaction as the service.
var (
	bucketLocationServices = []byte("idx_location_services")
	bucketTermServices     = []byte("idx_term_services")
)

// serviceLinks are the locations and terms a service record points at.
type serviceLinks struct {
	ServiceAtLocations []ServiceAtLocation `json:"service_at_locations"`
	ServiceTaxonomys   []ServiceTaxonomy   `json:"service_taxonomys"`
}

func (l serviceLinks) locations() map[string]bool {
	out := map[string]bool{}
	for _, sal := range l.ServiceAtLocations {
		out[sal.LocationID] = true
	}
	return out
}

func (l serviceLinks) terms() map[string]bool {
	out := map[string]bool{}
	for _, st := range l.ServiceTaxonomys {
		out[st.TaxonomyID] = true
	}
	return out
}

// relink brings the reverse links of one service from what its old record
// pointed at (nil for a new service) to what the new one does.
func relink(tx *bolt.Tx, serviceID string, old *serviceLinks, now serviceLinks) error {
	var oldLocs, oldTerms map[string]bool
	if old != nil {
		oldLocs, oldTerms = old.locations(), old.terms()
	}
	for _, set := range []struct {
		bucket    []byte
		old, next map[string]bool
	}{{bucketLocationServices, oldLocs, now.locations()}, {bucketTermServices, oldTerms, now.terms()}} {
		b := tx.Bucket(set.bucket)
		for id := range set.old {
			if !set.next[id] {
				if err := b.Delete(pairKey(id, serviceID)); err != nil {
					return err
				}
			}
		}
		for id := range set.next {
			if !set.old[id] {
				if err := b.Put(pairKey(id, serviceID), nil); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// linkAllServices builds the reverse links of every stored service (migration 2).
func linkAllServices(tx *bolt.Tx) error {
	for _, b := range [][]byte{bucketLocationServices, bucketTermServices} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketServices).ForEach(func(k, v []byte) error {
		var links serviceLinks
		if _, err := decodeRecord(v, &links); err != nil {
			return err
		}
		return relink(tx, string(k), nil, links)
	})
}

// ServiceIDsAtLocation lists the services delivered at a location.
func (s *Store) ServiceIDsAtLocation(ctx context.Context, locationID string) ([]string, error) {
	return s.children(bucketLocationServices, locationID)
}

// ServiceIDsWithTerm lists the services linked to a taxonomy term.
func (s *Store) ServiceIDsWithTerm(ctx context.Context, termID string) ([]string, error) {
	return s.children(bucketTermServices, termID)
}

func (s *Store) children(bucket []byte, parent string) ([]string, error) {
	var ids []string
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := append([]byte(parent), 0)
		c := tx.Bucket(bucket).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			_, child := splitPairKey(k)
			ids = append(ids, child)
		}
		return nil
	})
	return ids, err
}
