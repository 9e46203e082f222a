package directory

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// ServicesAfter returns up to limit full services whose ids sort after afterID,
// in id order. Each call is its own short read transaction, so walking a large
// directory never holds one transaction open.
func (s *Store) ServicesAfter(ctx context.Context, afterID string, limit int) ([]*ServiceDetail, error) {
	var out []*ServiceDetail
	err := s.db.View(func(tx *bolt.Tx) error {
		orgs := map[string]*Organization{}
		c := tx.Bucket(bucketServices).Cursor()
		k, v := c.Seek([]byte(afterID))
		if k != nil && string(k) == afterID {
			k, v = c.Next()
		}
		for ; k != nil && len(out) < limit; k, v = c.Next() {
			var svc Service
			if _, err := decodeRecord(v, &svc); err != nil {
				return fmt.Errorf("service %s: %w", k, err)
			}
			d, err := detail(tx, svc, orgs)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// ServiceIDsOfOrganization lists the ids of an organisation's services.
func (s *Store) ServiceIDsOfOrganization(ctx context.Context, orgID string) ([]string, error) {
	return s.children(bucketOrgServices, orgID)
}

// SetSuggestedTaxonomies replaces the suggested (Signpost-inferred) taxonomy
// links of each named service with the given term ids, leaving the links the
// provider chose untouched. Services whose suggestions are unchanged are not
// written. All changes go in one transaction, each with a change-log entry.
func (s *Store) SetSuggestedTaxonomies(ctx context.Context, suggestions map[string][]string) (int, error) {
	ids := sortedKeys(suggestions)
	changed := 0
	now := s.now().UTC()
	err := s.db.Update(func(tx *bolt.Tx) error {
		changed = 0
		services := tx.Bucket(bucketServices)
		for _, id := range ids {
			data := services.Get([]byte(id))
			if data == nil {
				continue // deleted since it was classified
			}
			var svc Service
			if _, err := decodeRecord(data, &svc); err != nil {
				return fmt.Errorf("service %s: %w", id, err)
			}
			var links []ServiceTaxonomy
			var before []string
			chosen := map[string]bool{}
			for _, st := range svc.ServiceTaxonomys {
				if st.Suggested {
					before = append(before, st.TaxonomyID)
					continue
				}
				chosen[st.TaxonomyID] = true
				links = append(links, st)
			}
			var after []string
			for _, term := range suggestions[id] {
				if chosen[term] || tx.Bucket(bucketTaxonomies).Get([]byte(term)) == nil {
					continue
				}
				after = append(after, term)
				links = append(links, ServiceTaxonomy{ID: DeriveID("suggested", id, term), TaxonomyID: term, Suggested: true})
			}
			sort.Strings(before)
			sort.Strings(after)
			if fmt.Sprint(before) == fmt.Sprint(after) {
				continue
			}
			oldLinks := serviceLinks{svc.ServiceAtLocations, svc.ServiceTaxonomys}
			svc.ServiceTaxonomys = links
			if err := relink(tx, id, &oldLinks, serviceLinks{svc.ServiceAtLocations, svc.ServiceTaxonomys}); err != nil {
				return err
			}
			svc.Provenance.UpdatedAt = now
			hash := contentHash(svc)
			enc, err := encodeRecord(svc, hash)
			if err != nil {
				return err
			}
			if err := services.Put([]byte(id), enc); err != nil {
				return err
			}
			w := &writer{tx: tx, terms: map[string]TaxonomyTerm{}, locations: map[string]Location{}}
			facets, err := json.Marshal(w.facetsOf(&svc))
			if err != nil {
				return err
			}
			if err := tx.Bucket(bucketServiceFacets).Put([]byte(id), facets); err != nil {
				return err
			}
			if err := appendChange(tx, KindService, id, "put", now); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, err
}
