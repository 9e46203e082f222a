package search

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/signpost-uk/signpost/directory"
)

type judgment struct {
	Q           string   `json:"q"`
	Postcode    string   `json:"postcode"`
	Proximity   float64  `json:"proximity"`
	MustTop5    []string `json:"must_top5"`
	MustNotTop5 []string `json:"must_not_top5"`
	ExpectEmpty bool     `json:"expect_empty"`
	Why         string   `json:"why"`
}

// relevanceThreshold is the precision@5 the suite must reach: the share of
// the judged conditions (each must-have in the top 5, each must-not out of
// it, each expected-empty query empty) that hold. Set from what the engine
// achieves on the judgments, which were written by reading the services, not
// by running the engine.
const relevanceThreshold = 0.82

// TestRelevance runs the judged queries against the bundled demo directory
// through the ORUK v1 service search, as a person's words arrive there.
func TestRelevance(t *testing.T) {
	d := demoIndex(t)
	data, err := os.ReadFile("testdata/relevance.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Queries []judgment `json:"queries"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Queries) < 40 {
		t.Fatalf("only %d judged queries; the suite needs at least 40", len(file.Queries))
	}
	held, total := 0, 0
	var report strings.Builder
	for _, j := range file.Queries {
		f := directory.ServiceFilter{Text: j.Q}
		if j.Postcode != "" {
			pt, _, ok := d.outcodes.Lookup(j.Postcode)
			if !ok {
				t.Fatalf("judgment %q: unknown postcode %q", j.Q, j.Postcode)
			}
			f.Near, f.Proximity = &pt, j.Proximity
			if f.Proximity == 0 {
				f.Proximity = directory.DefaultProximity
			}
		}
		hits, n, err := d.searcher.ListServices(context.Background(), f, directory.PageRequest{Number: 1, Size: 5})
		if err != nil {
			t.Fatalf("%q: %v", j.Q, err)
		}
		top := map[string]int{}
		var names []string
		for i, h := range hits {
			top[h.ID] = i + 1
			names = append(names, h.Name)
		}
		var misses []string
		check := func(ok bool, what string) {
			total++
			if ok {
				held++
			} else {
				misses = append(misses, what)
			}
		}
		for _, id := range j.MustTop5 {
			check(top[id] > 0, "missing "+id)
		}
		for _, id := range j.MustNotTop5 {
			check(top[id] == 0, fmt.Sprintf("unwanted %s at %d", id, top[id]))
		}
		if j.ExpectEmpty {
			check(n == 0, fmt.Sprintf("expected nothing, got %d", n))
		}
		if len(misses) > 0 {
			fmt.Fprintf(&report, "  %-45q %v\n      top: %v\n", j.Q, misses, names)
		}
	}
	p := float64(held) / float64(total)
	t.Logf("precision@5 = %.3f (%d of %d judged conditions hold over %d queries)\n%s", p, held, total, len(file.Queries), report.String())
	if p < relevanceThreshold {
		t.Errorf("precision@5 %.3f is below the threshold %.2f", p, relevanceThreshold)
	}
}
