package search

// The filter engine (bitmaps over index snapshots) against an oracle: the
// same conditions worked out service by service from the store, on a
// generated national corpus, before and after edits that move, re-price,
// close and re-categorise services. Segments, deletions and merges are
// exactly where a bitmap engine goes wrong, so the edits matter most.

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/signpost-uk/signpost/directory"
	"github.com/signpost-uk/signpost/directory/corpus"
)

// facts are what the oracle reads of a stored service.
type facts struct {
	d                   *directory.ServiceDetail
	ids, delivery, days []string
	cost                string
	lo, hi              float64
}

func factsOf(x *Index, d *directory.ServiceDetail) facts {
	f := facts{d: d, ids: x.document(d)[fieldTaxonomyIDs].([]string), delivery: deliveryOf(d), days: daysOf(d), cost: costOf(d)}
	f.lo, f.hi = agesOf(d)
	return f
}

// oracle decides a query's conditions for one service from its stored record.
func oracle(f facts, q Query) (bool, float64) {
	d := f.d
	if !slices.Contains(publicStatuses, d.Status) {
		return false, 0
	}
	if len(q.TaxonomyIDs) > 0 && !slices.ContainsFunc(q.TaxonomyIDs, func(id string) bool { return slices.Contains(f.ids, id) }) {
		return false, 0
	}
	if q.Cost != "" && f.cost != q.Cost {
		return false, 0
	}
	if len(q.Delivery) > 0 && !slices.ContainsFunc(q.Delivery, func(m string) bool { return slices.Contains(f.delivery, m) }) {
		return false, 0
	}
	if q.Day != "" && !slices.Contains(f.days, q.Day) {
		return false, 0
	}
	lo, hi := f.lo, f.hi
	if q.MinAge != nil && hi < float64(*q.MinAge) || q.MaxAge != nil && lo > float64(*q.MaxAge) {
		return false, 0
	}
	dist := math.Inf(1)
	if q.Near != nil {
		for _, sal := range d.ServiceAtLocations {
			if l := sal.Location; l.Latitude != nil && l.Longitude != nil {
				dist = math.Min(dist, directory.DistanceMetres(*q.Near, directory.Point{Lat: *l.Latitude, Lon: *l.Longitude}))
			}
		}
		if q.Radius > 0 && dist > q.Radius {
			return false, 0
		}
	}
	return true, dist
}

func allServices(t *testing.T, store *directory.Store) []*directory.ServiceDetail {
	t.Helper()
	var out []*directory.ServiceDetail
	after := ""
	for {
		batch, err := store.ServicesAfter(context.Background(), after, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 {
			return out
		}
		out = append(out, batch...)
		after = batch[len(batch)-1].ID
	}
}

func randomFilterQuery(r *rand.Rand, x *Index, places []directory.Point) Query {
	q := Query{Page: directory.PageRequest{Number: 1, Size: 10000}, Facets: true}
	if r.IntN(3) == 0 {
		q.TaxonomyIDs = []string{x.topNeeds[r.IntN(len(x.topNeeds))]}
	}
	if r.IntN(3) == 0 {
		q.Cost = []string{CostFree, CostPaid}[r.IntN(2)]
	}
	if r.IntN(4) == 0 {
		q.Delivery = []string{[]string{DeliveryInPerson, DeliveryOnline, DeliveryPhone}[r.IntN(3)]}
	}
	if r.IntN(4) == 0 {
		q.Day = []string{"monday", "wednesday", "saturday"}[r.IntN(3)]
	}
	if r.IntN(3) == 0 {
		a := r.IntN(90)
		q.MinAge, q.MaxAge = &a, &a
	}
	if r.IntN(2) == 0 || len(q.TaxonomyIDs)+len(q.Delivery) == 0 {
		p := places[r.IntN(len(places))]
		q.Near, q.Radius = &p, float64(5000+r.IntN(40000))
	}
	return q
}

// checkAgainstOracle runs queries through the index and compares each with
// the oracle: the same services, the same total, facets that count them.
func checkAgainstOracle(t *testing.T, x *Index, store *directory.Store, r *rand.Rand, places []directory.Point, n int,
	run func(Query) (*Result, error)) {
	t.Helper()
	var services []facts
	for _, d := range allServices(t, store) {
		services = append(services, factsOf(x, d))
	}
	for i := 0; i < n; i++ {
		q := randomFilterQuery(r, x, places)
		var want []string
		wantCost := map[string]int{}
		dists := map[string]float64{}
		for _, f := range services {
			if ok, dist := oracle(f, q); ok {
				want = append(want, f.d.ID)
				wantCost[f.cost]++
				dists[f.d.ID] = dist
			}
		}
		res, err := run(q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		sort.Strings(want)
		gotSorted := slices.Clone(got)
		sort.Strings(gotSorted)
		if res.Total != len(want) || !slices.Equal(gotSorted, want) {
			t.Fatalf("query %+v: index found %d (%d listed), the oracle %d\n only index: %v\n only oracle: %v",
				q, res.Total, len(got), len(want), minus(gotSorted, want), minus(want, gotSorted))
		}
		gotCost := map[string]int{}
		for _, fc := range res.Facets["cost"] {
			gotCost[fc.Value] = fc.Count
		}
		if fmt.Sprint(gotCost) != fmt.Sprint(wantCost) {
			t.Fatalf("query %+v: cost facet %v, the oracle counts %v", q, gotCost, wantCost)
		}
		if q.Near != nil { // nearest first, each with its distance
			for j, h := range res.Hits {
				if h.DistanceMetres == nil || math.Abs(*h.DistanceMetres-dists[h.ID]) > 5 {
					t.Fatalf("query %+v: %s at %v m, the oracle says %.0f m", q, h.ID, h.DistanceMetres, dists[h.ID])
				}
				if j > 0 && *h.DistanceMetres < *res.Hits[j-1].DistanceMetres {
					t.Fatalf("query %+v: %s at %.0f m listed after one at %.0f m", q, h.ID, *h.DistanceMetres, *res.Hits[j-1].DistanceMetres)
				}
			}
		}
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	if len(out) > 5 {
		out = append(out[:5], "…")
	}
	return out
}

func TestFilterEngineAgainstOracle(t *testing.T) {
	dir := t.TempDir()
	store := openStore(t, dir)
	defer store.Close()
	var buf bytes.Buffer
	if err := corpus.Generate(&buf, 1500, 7); err != nil {
		t.Fatal(err)
	}
	importFeed(t, store, buf.Bytes())
	// The follower is driven by hand (CatchUp), so the test can hold the
	// snapshot an edit batch leaves before scorch merges its deletions away.
	x := openReady(t, filepath.Join(dir, "index"), store, Options{ResultCache: -1, PollInterval: time.Hour})
	defer x.Close()
	search := func(q Query) (*Result, error) { return x.Search(context.Background(), q) }

	var places []directory.Point
	for _, d := range allServices(t, store) {
		for _, sal := range d.ServiceAtLocations {
			if l := sal.Location; l.Latitude != nil && len(places) < 200 {
				places = append(places, directory.Point{Lat: *l.Latitude, Lon: *l.Longitude})
			}
		}
	}
	if len(places) < 50 {
		t.Fatalf("premise: the corpus placed only %d services", len(places))
	}
	r := rand.New(rand.NewPCG(3, 4))
	checkAgainstOracle(t, x, store, r, places, 60, search)

	// Edit a tenth of the services: move them, change their price and days,
	// close some; the index gains segments and deletions.
	services := allServices(t, store)
	var edited []*directory.ServiceDetail
	for i, d := range services {
		if i%10 != 0 {
			continue
		}
		d.Fees = "£" + strconv.Itoa(1+i%20) + " a session"
		d.CostOptions = nil
		if i%30 == 0 {
			d.Status = directory.StatusInactive
		}
		for j := range d.ServiceAtLocations {
			if l := &d.ServiceAtLocations[j].Location; l.Latitude != nil {
				lat, lon := *l.Latitude+0.05, *l.Longitude-0.05
				l.Latitude, l.Longitude = &lat, &lon
			}
		}
		edited = append(edited, d)
	}
	b := &directory.Batch{}
	for _, d := range edited {
		b.Services = append(b.Services, d.Service)
		for _, sal := range d.ServiceAtLocations {
			b.Locations = append(b.Locations, sal.Location)
		}
	}
	rep, err := store.Import(context.Background(), b, directory.ImportOptions{PrepareOptions: directory.PrepareOptions{Source: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("edit import: %+v", rep)
	if err := x.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	x.mu.RLock()
	adv, err := x.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	reader, err := adv.Reader()
	x.mu.RUnlock()
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	snap := reader.(*scorch.IndexSnapshot)
	var deleted uint64
	for _, ss := range snap.Segments() {
		if del := ss.Deleted(); del != nil {
			deleted += del.GetCardinality()
		}
	}
	t.Logf("the snapshot after the edits: %d segments, %d deleted documents", len(snap.Segments()), deleted)
	if deleted == 0 {
		t.Fatal("premise: the edits left no deleted documents in the snapshot; nothing tests that deletions are honoured")
	}
	held := func(q Query) (*Result, error) { return x.search(context.Background(), snap, x.engine.view(snap), q) }
	checkAgainstOracle(t, x, store, r, places, 60, held)
	// And through the public path, whatever scorch has merged by now.
	checkAgainstOracle(t, x, store, r, places, 30, search)
}

// A location moved on its own (its services unchanged) moves its services
// in the index too, and a renamed taxonomy term renames them.
func TestLocationAndTermEditsReindexTheirServices(t *testing.T) {
	dir := t.TempDir()
	store := openStore(t, dir)
	defer store.Close()
	feed := []byte(`[{"id":"walk","name":"Riverside walk","description":"A gentle walk.","status":"active",
  "organization":{"id":"` + directory.DeriveID("org", "w") + `","name":"Walkers","description":""},
  "service_taxonomys":[{"id":"st1","taxonomy":{"id":"t-1","name":"Rambling","vocabulary":"local"}}],
  "service_at_locations":[{"id":"sal1","location":{"id":"loc1","name":"Park","latitude":53.589,"longitude":-0.654,
    "physical_addresses":[{"id":"a1","address_1":"Park Road","city":"Scunthorpe","state_province":"North Lincolnshire","postal_code":"DN15 6NL","country":"GB"}]}}]}]`)
	importFeed(t, store, feed)
	x := openReady(t, filepath.Join(dir, "index"), store, Options{})
	defer x.Close()
	scunthorpe := directory.Point{Lat: 53.589, Lon: -0.654}
	leeds := directory.Point{Lat: 53.797, Lon: -1.548}
	near := func(p directory.Point) int {
		res, err := x.Search(context.Background(), Query{Near: &p, Radius: 5000, Page: directory.PageRequest{Number: 1, Size: 10}})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	if near(scunthorpe) != 1 || near(leeds) != 0 {
		t.Fatalf("premise: found %d near Scunthorpe, %d near Leeds", near(scunthorpe), near(leeds))
	}
	lat, lon := leeds.Lat, leeds.Lon
	moved := &directory.Batch{Locations: []directory.Location{{ID: "loc1", Name: "Park", Latitude: &lat, Longitude: &lon}}}
	if _, err := store.Import(context.Background(), moved, directory.ImportOptions{PrepareOptions: directory.PrepareOptions{Source: "test"}}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); near(leeds) != 1 || near(scunthorpe) != 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after the location moved: %d near Scunthorpe, %d near Leeds", near(scunthorpe), near(leeds))
		}
	}

	renamed := &directory.Batch{Taxonomies: []directory.TaxonomyTerm{{ID: "t-1", Name: "Hillwalking", Vocabulary: "local"}}}
	if _, err := store.Import(context.Background(), renamed, directory.ImportOptions{PrepareOptions: directory.PrepareOptions{Source: "test"}}); err != nil {
		t.Fatal(err)
	}
	waitFound(t, x, "hillwalking", "walk")
}
