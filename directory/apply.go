package directory

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Report is the outcome of one import. Created, Updated and Unchanged count
// services; ByKind counts every kind of record.
type Report struct {
	Source    string                 `json:"source"`
	Created   int                    `json:"created"`
	Updated   int                    `json:"updated"`
	Unchanged int                    `json:"unchanged"`
	Rejected  []Problem              `json:"rejected"`
	Warnings  []Problem              `json:"warnings"`
	ByKind    map[string]*KindCounts `json:"by_kind"`
}

// KindCounts counts the outcome for one kind of record.
type KindCounts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Rejected  int `json:"rejected"`
}

func (r *Report) count(kind, result string) {
	if r.ByKind[kind] == nil {
		r.ByKind[kind] = &KindCounts{}
	}
	k := r.ByKind[kind]
	switch result {
	case "created":
		k.Created++
	case "updated":
		k.Updated++
	case "unchanged":
		k.Unchanged++
	case "rejected":
		k.Rejected++
	}
	if kind == KindService {
		r.Created, r.Updated, r.Unchanged = k.Created, k.Updated, k.Unchanged
	}
}

// ImportOptions configures Store.Import.
type ImportOptions struct {
	PrepareOptions
	// Progress, when set, is told what the import is doing ("prepared", "writing", "committed").
	Progress func(stage string)
}

// Import cleans and checks a batch read from a feed and applies every good
// record in one bbolt transaction: a crash at any moment leaves the store as
// it was before the import or as it is after it, never in between.
func (s *Store) Import(ctx context.Context, raw *Batch, opts ImportOptions) (*Report, error) {
	if opts.Source == "" {
		return nil, Errorf(EINVALID, "an import needs a source name")
	}
	if opts.Now.IsZero() {
		opts.Now = s.now()
	}
	if opts.Outcodes == nil {
		oc, err := BundledOutcodes()
		if err != nil {
			return nil, err
		}
		opts.Outcodes = oc
	}
	progress := func(stage string) {
		if opts.Progress != nil {
			opts.Progress(stage)
		}
	}
	var prepared *Batch
	err := s.db.View(func(tx *bolt.Tx) error {
		known := map[string][]byte{KindOrganization: bucketOrganizations, KindLocation: bucketLocations, KindTaxonomy: bucketTaxonomies}
		opts.Known = func(kind, id string) bool {
			b := known[kind]
			return b != nil && tx.Bucket(b).Get([]byte(id)) != nil
		}
		prepared = Prepare(raw, opts.PrepareOptions)
		return nil
	})
	if err != nil {
		return nil, err
	}
	progress("prepared")
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Write in key order: bbolt then fills pages in sequence instead of
	// splitting them at random, which matters at national scale.
	sort.Slice(prepared.Services, func(i, j int) bool { return prepared.Services[i].ID < prepared.Services[j].ID })
	sort.Slice(prepared.Locations, func(i, j int) bool { return prepared.Locations[i].ID < prepared.Locations[j].ID })
	sort.Slice(prepared.Organizations, func(i, j int) bool { return prepared.Organizations[i].ID < prepared.Organizations[j].ID })
	sort.Slice(prepared.Taxonomies, func(i, j int) bool { return prepared.Taxonomies[i].ID < prepared.Taxonomies[j].ID })

	report := &Report{Source: opts.Source, Rejected: prepared.Rejected, Warnings: prepared.Warnings, ByKind: map[string]*KindCounts{}}
	for _, p := range prepared.Rejected {
		report.count(p.Kind, "rejected")
	}
	report.Rejected = dedupeRejections(report.Rejected)
	nonNil(&report.Warnings) // The report lists [] rather than null.
	now := opts.Now.UTC()
	progress("writing")
	err = s.db.Update(func(tx *bolt.Tx) error {
		w := &writer{tx: tx, source: opts.Source, now: now, report: report,
			terms: map[string]TaxonomyTerm{}, locations: map[string]Location{}}
		if err := noteSource(tx, opts.Source, now); err != nil {
			return err
		}
		for i := range prepared.Taxonomies {
			t := &prepared.Taxonomies[i]
			if _, err := w.put(bucketTaxonomies, KindTaxonomy, t.ID, t, &t.Provenance); err != nil {
				return err
			}
			w.terms[t.ID] = *t
		}
		for i := range prepared.Organizations {
			o := &prepared.Organizations[i]
			if _, err := w.put(bucketOrganizations, KindOrganization, o.ID, o, &o.Provenance); err != nil {
				return err
			}
		}
		for i := range prepared.Locations {
			l := &prepared.Locations[i]
			if _, err := w.put(bucketLocations, KindLocation, l.ID, l, &l.Provenance); err != nil {
				return err
			}
			w.locations[l.ID] = *l
		}
		for i := range prepared.Services {
			if err := ctx.Err(); err != nil {
				return err // Rolls the whole import back.
			}
			if err := w.putService(&prepared.Services[i]); err != nil {
				return err
			}
		}
		summary, _ := json.Marshal(map[string]any{"at": now, "created": report.Created, "updated": report.Updated,
			"unchanged": report.Unchanged, "rejected": len(report.Rejected)})
		return tx.Bucket(bucketMeta).Put([]byte("last_import:"+opts.Source), summary)
	})
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", opts.Source, err)
	}
	progress("committed")
	return report, nil
}

// dedupeRejections keeps one entry per record, field and message; a record
// rejected on several fields keeps each field.
func dedupeRejections(in []Problem) []Problem {
	out := make([]Problem, 0, len(in))
	seen := map[Problem]bool{}
	for _, p := range in {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

type writer struct {
	tx        *bolt.Tx
	source    string
	now       time.Time
	report    *Report
	terms     map[string]TaxonomyTerm
	locations map[string]Location
}

// put stores one record unless an identical one is already there, and says
// whether it wrote. A record whose id belongs to another source is rejected,
// never overwritten.
func (w *writer) put(bucket []byte, kind, id string, rec any, prov *Provenance) (bool, error) {
	b := w.tx.Bucket(bucket)
	hash := contentHash(derefRecord(rec))
	existing := b.Get([]byte(id))
	result := "created"
	prov.ImportedAt, prov.UpdatedAt = w.now, w.now
	if existing != nil {
		var old struct {
			Provenance Provenance `json:"provenance"`
		}
		oldHash, err := decodeRecord(existing, &old)
		if err != nil {
			return false, fmt.Errorf("%s %s: %w", kind, id, err)
		}
		if old.Provenance.Source != "" && old.Provenance.Source != w.source {
			w.report.Rejected = append(w.report.Rejected, Problem{ID: id, Kind: kind, Field: "id",
				Message: fmt.Sprintf("already used by a record imported from %q; records from one source never overwrite another's", old.Provenance.Source)})
			w.report.count(kind, "rejected")
			return false, nil
		}
		if oldHash == hash {
			w.report.count(kind, "unchanged")
			return false, nil
		}
		result = "updated"
		prov.ImportedAt = old.Provenance.ImportedAt
	}
	data, err := encodeRecord(derefRecord(rec), hash)
	if err != nil {
		return false, err
	}
	if err := b.Put([]byte(id), data); err != nil {
		return false, err
	}
	if result == "created" {
		if err := addCount(w.tx, bucket, 1); err != nil {
			return false, err
		}
	}
	w.report.count(kind, result)
	return true, appendChange(w.tx, kind, id, "put", w.now)
}

func derefRecord(rec any) any {
	switch r := rec.(type) {
	case *Organization:
		return *r
	case *Service:
		return *r
	case *Location:
		return *r
	case *TaxonomyTerm:
		return *r
	}
	return rec
}

func (w *writer) putService(s *Service) error {
	var oldOrg string
	var oldLinks *serviceLinks
	if existing := w.tx.Bucket(bucketServices).Get([]byte(s.ID)); existing != nil {
		var old struct {
			OrganizationID string `json:"organization_id"`
			serviceLinks
		}
		if _, err := decodeRecord(existing, &old); err == nil {
			oldOrg = old.OrganizationID
			oldLinks = &old.serviceLinks
			// Keep Signpost's suggestions for terms the source does not link itself.
			linked := map[string]bool{}
			for _, st := range s.ServiceTaxonomys {
				linked[st.TaxonomyID] = true
			}
			for _, st := range old.ServiceTaxonomys {
				if st.Suggested && !linked[st.TaxonomyID] {
					s.ServiceTaxonomys = append(s.ServiceTaxonomys, st)
				}
			}
		}
	}
	written, err := w.put(bucketServices, KindService, s.ID, s, &s.Provenance)
	if err != nil || !written {
		return err
	}
	idx := w.tx.Bucket(bucketOrgServices)
	if oldOrg != "" && oldOrg != s.OrganizationID {
		if err := idx.Delete(pairKey(oldOrg, s.ID)); err != nil {
			return err
		}
	}
	if err := idx.Put(pairKey(s.OrganizationID, s.ID), nil); err != nil {
		return err
	}
	if err := relink(w.tx, s.ID, oldLinks, serviceLinks{s.ServiceAtLocations, s.ServiceTaxonomys}); err != nil {
		return err
	}
	facets, err := json.Marshal(w.facetsOf(s))
	if err != nil {
		return err
	}
	return w.tx.Bucket(bucketServiceFacets).Put([]byte(s.ID), facets)
}

func pairKey(parent, child string) []byte {
	return append(append([]byte(parent), 0), child...)
}

func splitPairKey(k []byte) (parent, child string) {
	i := bytes.IndexByte(k, 0)
	if i < 0 {
		return string(k), ""
	}
	return string(k[:i]), string(k[i+1:])
}

func (w *writer) location(id string) (Location, bool) {
	if l, ok := w.locations[id]; ok {
		return l, true
	}
	var l Location
	data := w.tx.Bucket(bucketLocations).Get([]byte(id))
	if data == nil {
		return l, false
	}
	_, err := decodeRecord(data, &l)
	return l, err == nil
}

func (w *writer) term(id string) (TaxonomyTerm, bool) {
	if t, ok := w.terms[id]; ok {
		return t, true
	}
	var t TaxonomyTerm
	data := w.tx.Bucket(bucketTaxonomies).Get([]byte(id))
	if data == nil {
		return t, false
	}
	_, err := decodeRecord(data, &t)
	if err == nil {
		w.terms[id] = t
	}
	return t, err == nil
}

// facetsOf computes the small summary the store filters services by.
func (w *writer) facetsOf(s *Service) serviceFacets {
	f := serviceFacets{Status: s.Status, Org: s.OrganizationID}
	for _, e := range s.Eligibilitys {
		if e.MinimumAge == nil && e.MaximumAge == nil {
			continue
		}
		a := [2]int{-1, -1}
		if e.MinimumAge != nil {
			a[0] = *e.MinimumAge
		}
		if e.MaximumAge != nil {
			a[1] = *e.MaximumAge
		}
		f.Ages = append(f.Ages, a)
	}
	addDays := func(rs []RegularSchedule) {
		for _, r := range rs {
			f.Days |= dayBit(r.Weekday)
		}
	}
	addDays(s.RegularSchedules)
	vocabs := map[string]bool{}
	for _, st := range s.ServiceTaxonomys {
		f.Terms = append(f.Terms, st.TaxonomyID)
		if t, ok := w.term(st.TaxonomyID); ok && !vocabs[t.Vocabulary] {
			vocabs[t.Vocabulary] = true
			f.Vocabs = append(f.Vocabs, t.Vocabulary)
		}
	}
	for _, sal := range s.ServiceAtLocations {
		addDays(sal.RegularSchedules)
		if l, ok := w.location(sal.LocationID); ok && l.Latitude != nil && l.Longitude != nil {
			f.Points = append(f.Points, [2]float64{*l.Latitude, *l.Longitude})
		}
	}
	return f
}

// serviceFacets is what the store's fallback filters need to know of a
// service, kept small so a scan of every service stays quick.
type serviceFacets struct {
	Status string       `json:"s"`
	Org    string       `json:"o"`
	Ages   [][2]int     `json:"a,omitempty"` // [min, max] per eligibility; -1 = no limit
	Days   uint8        `json:"d,omitempty"` // bit 0 = Monday … bit 6 = Sunday
	Terms  []string     `json:"t,omitempty"`
	Vocabs []string     `json:"v,omitempty"`
	Points [][2]float64 `json:"p,omitempty"` // [lat, lon]
}

func dayBit(weekday string) uint8 {
	for i, d := range Weekdays {
		if d == weekday {
			return 1 << i
		}
	}
	return 0
}
