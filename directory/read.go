package directory

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
)

func notFound(kind, id string) error {
	return &Error{Code: ENOTFOUND, Message: fmt.Sprintf("No %s has the id %q.", kindWord(kind), id)}
}

func kindWord(kind string) string {
	if kind == KindOrganization {
		return "organisation"
	}
	if kind == KindTaxonomy {
		return "taxonomy term"
	}
	return kind
}

func getRecord(tx *bolt.Tx, bucket []byte, kind, id string, v any) error {
	data := tx.Bucket(bucket).Get([]byte(id))
	if data == nil {
		return notFound(kind, id)
	}
	if _, err := decodeRecord(data, v); err != nil {
		return fmt.Errorf("%s %s: %w", kind, id, err)
	}
	return nil
}

// Service returns one stored service as stored (children by reference).
func (s *Store) Service(ctx context.Context, id string) (*Service, error) {
	var svc Service
	err := s.db.View(func(tx *bolt.Tx) error { return getRecord(tx, bucketServices, KindService, id, &svc) })
	if err != nil {
		return nil, err
	}
	return &svc, nil
}

// Organization returns one organisation.
func (s *Store) Organization(ctx context.Context, id string) (*Organization, error) {
	var o Organization
	err := s.db.View(func(tx *bolt.Tx) error { return getRecord(tx, bucketOrganizations, KindOrganization, id, &o) })
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// Location returns one location.
func (s *Store) Location(ctx context.Context, id string) (*Location, error) {
	var l Location
	err := s.db.View(func(tx *bolt.Tx) error { return getRecord(tx, bucketLocations, KindLocation, id, &l) })
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// Taxonomy returns one taxonomy term.
func (s *Store) Taxonomy(ctx context.Context, id string) (*TaxonomyTerm, error) {
	var t TaxonomyTerm
	err := s.db.View(func(tx *bolt.Tx) error { return getRecord(tx, bucketTaxonomies, KindTaxonomy, id, &t) })
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// ServiceDetail is a service with everything it refers to filled in: the ORUK
// v1 "full nested service" of GET /services/{id}.
type ServiceDetail struct {
	Service
	Organization       Organization              `json:"organization"`
	ServiceAtLocations []ServiceAtLocationDetail `json:"service_at_locations"`
	ServiceTaxonomys   []ServiceTaxonomyDetail   `json:"service_taxonomys"`
	HolidaySchedules   []struct{}                `json:"holiday_schedules"`
	Fundings           []struct{}                `json:"fundings"`
	Reviews            []struct{}                `json:"reviews"`
}

// ServiceAtLocationDetail is a service's link to a location, with the location.
type ServiceAtLocationDetail struct {
	ID               string            `json:"id"`
	Location         Location          `json:"location"`
	RegularSchedules []RegularSchedule `json:"regular_schedules"`
}

// ServiceTaxonomyDetail is a service's link to a taxonomy term, with the term.
type ServiceTaxonomyDetail struct {
	ID        string       `json:"id"`
	Suggested bool         `json:"suggested,omitempty"`
	Taxonomy  TaxonomyTerm `json:"taxonomy"`
}

// ServiceDetail returns the full nested service.
func (s *Store) ServiceDetail(ctx context.Context, id string) (*ServiceDetail, error) {
	var d *ServiceDetail
	err := s.db.View(func(tx *bolt.Tx) error {
		var svc Service
		if err := getRecord(tx, bucketServices, KindService, id, &svc); err != nil {
			return err
		}
		var err error
		d, err = detail(tx, svc, map[string]*Organization{})
		return err
	})
	return d, err
}

func detail(tx *bolt.Tx, svc Service, orgs map[string]*Organization) (*ServiceDetail, error) {
	d := &ServiceDetail{Service: svc, HolidaySchedules: []struct{}{}, Fundings: []struct{}{}, Reviews: []struct{}{}}
	org := orgs[svc.OrganizationID]
	if org == nil {
		org = &Organization{}
		if err := getRecord(tx, bucketOrganizations, KindOrganization, svc.OrganizationID, org); err != nil {
			return nil, fmt.Errorf("service %s: %w", svc.ID, err)
		}
		orgs[svc.OrganizationID] = org
	}
	d.Organization = *org
	d.ServiceAtLocations = make([]ServiceAtLocationDetail, 0, len(svc.ServiceAtLocations))
	for _, sal := range svc.ServiceAtLocations {
		var l Location
		if err := getRecord(tx, bucketLocations, KindLocation, sal.LocationID, &l); err != nil {
			continue // A location removed since; the link is dropped from the view.
		}
		nonNil(&l.PhysicalAddresses)
		nonNil(&l.AccessibilityForDisabilities)
		nonNil(&sal.RegularSchedules)
		d.ServiceAtLocations = append(d.ServiceAtLocations, ServiceAtLocationDetail{ID: sal.ID, Location: l, RegularSchedules: sal.RegularSchedules})
	}
	d.ServiceTaxonomys = make([]ServiceTaxonomyDetail, 0, len(svc.ServiceTaxonomys))
	for _, st := range svc.ServiceTaxonomys {
		var t TaxonomyTerm
		if err := getRecord(tx, bucketTaxonomies, KindTaxonomy, st.TaxonomyID, &t); err != nil {
			continue
		}
		d.ServiceTaxonomys = append(d.ServiceTaxonomys, ServiceTaxonomyDetail{ID: st.ID, Suggested: st.Suggested, Taxonomy: t})
	}
	d.Service.listsNotNil()
	return d, nil
}

// listsNotNil makes the service's absent lists encode as [] rather than null.
func (s *Service) listsNotNil() {
	nonNil(&s.Contacts)
	for i := range s.Contacts {
		nonNil(&s.Contacts[i].Phones)
	}
	nonNil(&s.CostOptions)
	nonNil(&s.Eligibilitys)
	nonNil(&s.Languages)
	nonNil(&s.RegularSchedules)
	nonNil(&s.ServiceAreas)
	nonNil(&s.ServiceAtLocations)
	nonNil(&s.ServiceTaxonomys)
	for i := range s.ServiceAtLocations {
		nonNil(&s.ServiceAtLocations[i].RegularSchedules)
	}
}

// nonNil makes an absent list encode as [] rather than null.
func nonNil[T any](s *[]T) {
	if *s == nil {
		*s = []T{}
	}
}

// PageRequest asks for page Number (from 1) of Size items.
type PageRequest struct {
	Number int
	Size   int
}

func (p PageRequest) offset() int { return (p.Number - 1) * p.Size }

// ServiceFilter narrows a list of services. Zero values filter nothing.
type ServiceFilter struct {
	Text         string
	TaxonomyIDs  []string // any of
	Vocabularies []string // any of
	MinimumAge   *int     // the person's age range overlaps the service's
	MaximumAge   *int
	Day          string // a Weekday; services open that day
	Near         *Point
	Proximity    float64  // metres from Near
	Statuses     []string // any of; empty = every status
}

func (f ServiceFilter) empty() bool {
	return f.Text == "" && len(f.TaxonomyIDs) == 0 && len(f.Vocabularies) == 0 && f.MinimumAge == nil &&
		f.MaximumAge == nil && f.Day == "" && f.Near == nil && len(f.Statuses) == 0
}

// ServiceHit is a listed service with its distance from the filter's point, if any.
type ServiceHit struct {
	*ServiceDetail
	DistanceMetres *float64 `json:"distance_metres,omitempty"`
}

// ListServices returns one page of services in id order (nearest first when
// the filter has a point) and the total that match. This is the store's own
// scan: correct at any size, and the fallback when no search index is ready.
func (s *Store) ListServices(ctx context.Context, f ServiceFilter, page PageRequest) ([]ServiceHit, int, error) {
	var hits []ServiceHit
	total := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		orgs := map[string]*Organization{}
		if f.empty() {
			total = readCount(tx, bucketServices)
			// Skip to the page through the facets bucket: the same keys as the
			// services bucket, but small values, so many keys to a page.
			c := tx.Bucket(bucketServiceFacets).Cursor()
			k, _ := c.First()
			for skip := page.offset(); k != nil && skip > 0; skip-- {
				k, _ = c.Next()
			}
			services := tx.Bucket(bucketServices)
			for ; k != nil && len(hits) < page.Size; k, _ = c.Next() {
				v := services.Get(k)
				if v == nil {
					return fmt.Errorf("service %s has facets but no record", k)
				}
				var svc Service
				if _, err := decodeRecord(v, &svc); err != nil {
					return fmt.Errorf("service %s: %w", k, err)
				}
				d, err := detail(tx, svc, orgs)
				if err != nil {
					return err
				}
				hits = append(hits, ServiceHit{ServiceDetail: d})
			}
			return nil
		}
		matches, err := s.matchServices(ctx, tx, f, orgs)
		if err != nil {
			return err
		}
		total = len(matches)
		start := min(page.offset(), total)
		end := min(start+page.Size, total)
		for _, m := range matches[start:end] {
			var svc Service
			if err := getRecord(tx, bucketServices, KindService, m.id, &svc); err != nil {
				return err
			}
			d, err := detail(tx, svc, orgs)
			if err != nil {
				return err
			}
			hits = append(hits, ServiceHit{ServiceDetail: d, DistanceMetres: m.distance})
		}
		return nil
	})
	return hits, total, err
}

type match struct {
	id       string
	distance *float64
}

func (s *Store) matchServices(ctx context.Context, tx *bolt.Tx, f ServiceFilter, orgs map[string]*Organization) ([]match, error) {
	var out []match
	words := strings.Fields(strings.ToLower(f.Text))
	dayMask := dayBit(f.Day)
	c := tx.Bucket(bucketServiceFacets).Cursor()
	var facets serviceFacets
	for k, v := c.First(); k != nil; k, v = c.Next() {
		facets = serviceFacets{}
		if err := json.Unmarshal(v, &facets); err != nil {
			return nil, fmt.Errorf("facets of %s: %w", k, err)
		}
		if len(f.Statuses) > 0 && !contains(f.Statuses, facets.Status) {
			continue
		}
		if len(f.TaxonomyIDs) > 0 && !anyIn(f.TaxonomyIDs, facets.Terms) {
			continue
		}
		if len(f.Vocabularies) > 0 && !anyIn(f.Vocabularies, facets.Vocabs) {
			continue
		}
		if f.Day != "" && facets.Days&dayMask == 0 {
			continue
		}
		if (f.MinimumAge != nil || f.MaximumAge != nil) && !agesOverlap(facets.Ages, f.MinimumAge, f.MaximumAge) {
			continue
		}
		m := match{id: string(k)}
		if f.Near != nil {
			best := -1.0
			for _, p := range facets.Points {
				d := DistanceMetres(*f.Near, Point{p[0], p[1]})
				if best < 0 || d < best {
					best = d
				}
			}
			if best < 0 || (f.Proximity > 0 && best > f.Proximity) {
				continue
			}
			m.distance = &best
		}
		if len(words) > 0 {
			ok, err := serviceHasWords(tx, string(k), facets.Org, words, orgs)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		out = append(out, m)
		if len(out)%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	if f.Near != nil {
		sort.SliceStable(out, func(i, j int) bool { return *out[i].distance < *out[j].distance })
	}
	return out, nil
}

// serviceHasWords is the store's plain text match: every word appears in the
// service's name, description or organisation name, ignoring case.
func serviceHasWords(tx *bolt.Tx, id, orgID string, words []string, orgs map[string]*Organization) (bool, error) {
	var svc Service
	if err := getRecord(tx, bucketServices, KindService, id, &svc); err != nil {
		return false, err
	}
	org := orgs[orgID]
	if org == nil {
		org = &Organization{}
		if err := getRecord(tx, bucketOrganizations, KindOrganization, orgID, org); err != nil {
			return false, err
		}
		orgs[orgID] = org
	}
	text := strings.ToLower(svc.Name + " " + svc.Description + " " + org.Name)
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false, nil
		}
	}
	return true, nil
}

// agesOverlap: a service with no stated ages takes anyone; otherwise some
// eligibility's range must overlap the asked range.
func agesOverlap(ages [][2]int, qmin, qmax *int) bool {
	if len(ages) == 0 {
		return true
	}
	for _, a := range ages {
		if qmax != nil && a[0] >= 0 && a[0] > *qmax {
			continue
		}
		if qmin != nil && a[1] >= 0 && a[1] < *qmin {
			continue
		}
		return true
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func anyIn(want, have []string) bool {
	for _, w := range want {
		if contains(have, w) {
			return true
		}
	}
	return false
}

// listBucket pages through a record bucket in id order.
func listBucket[T any](tx *bolt.Tx, bucket []byte, page PageRequest, keep func(*T) bool) ([]T, int, error) {
	var out []T
	c := tx.Bucket(bucket).Cursor()
	if keep == nil {
		total := readCount(tx, bucket)
		k, v := c.First()
		for skip := page.offset(); k != nil && skip > 0; skip-- {
			k, v = c.Next()
		}
		for ; k != nil && len(out) < page.Size; k, v = c.Next() {
			var rec T
			if _, err := decodeRecord(v, &rec); err != nil {
				return nil, 0, fmt.Errorf("%s %s: %w", bucket, k, err)
			}
			out = append(out, rec)
		}
		return out, total, nil
	}
	total := 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var rec T
		if _, err := decodeRecord(v, &rec); err != nil {
			return nil, 0, fmt.Errorf("%s %s: %w", bucket, k, err)
		}
		if !keep(&rec) {
			continue
		}
		if total >= page.offset() && len(out) < page.Size {
			out = append(out, rec)
		}
		total++
	}
	return out, total, nil
}

// ListOrganizations returns one page of organisations in id order.
func (s *Store) ListOrganizations(ctx context.Context, page PageRequest) ([]Organization, int, error) {
	var out []Organization
	var total int
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		out, total, err = listBucket[Organization](tx, bucketOrganizations, page, nil)
		return err
	})
	return out, total, err
}

// ListLocations returns one page of locations in id order.
func (s *Store) ListLocations(ctx context.Context, page PageRequest) ([]Location, int, error) {
	var out []Location
	var total int
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		out, total, err = listBucket[Location](tx, bucketLocations, page, nil)
		return err
	})
	return out, total, err
}

// TaxonomyFilter narrows a list of taxonomy terms.
type TaxonomyFilter struct {
	Vocabulary string
	ParentID   string
	RootOnly   bool
	Text       string
}

// ListTaxonomies returns one page of taxonomy terms in id order.
func (s *Store) ListTaxonomies(ctx context.Context, f TaxonomyFilter, page PageRequest) ([]TaxonomyTerm, int, error) {
	var keep func(*TaxonomyTerm) bool
	if f != (TaxonomyFilter{}) {
		text := strings.ToLower(f.Text)
		keep = func(t *TaxonomyTerm) bool {
			return (f.Vocabulary == "" || t.Vocabulary == f.Vocabulary) &&
				(f.ParentID == "" || t.ParentID == f.ParentID) &&
				(!f.RootOnly || t.ParentID == "") &&
				(text == "" || strings.Contains(strings.ToLower(t.Name), text))
		}
	}
	var out []TaxonomyTerm
	var total int
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		out, total, err = listBucket(tx, bucketTaxonomies, page, keep)
		return err
	})
	return out, total, err
}

// Vocabularies lists the distinct vocabularies of the stored taxonomy terms.
func (s *Store) Vocabularies(ctx context.Context) ([]string, error) {
	set := map[string]bool{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTaxonomies).ForEach(func(k, v []byte) error {
			var t struct {
				Vocabulary string `json:"vocabulary"`
			}
			if _, err := decodeRecord(v, &t); err != nil {
				return err
			}
			set[t.Vocabulary] = true
			return nil
		})
	})
	return sortedKeys(set), err
}

// OrganizationDetail is an organisation with its services (ORUK v1
// GET /organizations/{id}).
type OrganizationDetail struct {
	Organization
	Services []Service `json:"services"`
}

// OrganizationDetail returns an organisation and the services it provides.
func (s *Store) OrganizationDetail(ctx context.Context, id string) (*OrganizationDetail, error) {
	var d OrganizationDetail
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := getRecord(tx, bucketOrganizations, KindOrganization, id, &d.Organization); err != nil {
			return err
		}
		d.Services = []Service{}
		prefix := append([]byte(id), 0)
		c := tx.Bucket(bucketOrgServices).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			_, sid := splitPairKey(k)
			var svc Service
			if err := getRecord(tx, bucketServices, KindService, sid, &svc); err != nil {
				return err
			}
			svc.listsNotNil()
			d.Services = append(d.Services, svc)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}
