package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"testing"
)

const testN = 2000

var (
	uuidLowerRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	postcodeRE  = regexp.MustCompile(`^[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? [0-9][ABD-HJLNP-UW-Z]{2}$`)
	clockRE     = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
)

func generate(t testing.TB, n int, seed int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Generate(&buf, n, seed); err != nil {
		t.Fatalf("Generate(%d, %d): %v", n, seed, err)
	}
	return buf.Bytes()
}

// The subset of an ORUK v1 service the tests look at.
type testService struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Status       string          `json:"status"`
	Organization json.RawMessage `json:"organization"`
	Contacts     []struct {
		ID     string `json:"id"`
		Phones []struct {
			ID     string `json:"id"`
			Number string `json:"number"`
		} `json:"phones"`
	} `json:"contacts"`
	CostOptions []struct {
		ID string `json:"id"`
	} `json:"cost_options"`
	Eligibilitys []struct {
		ID         string `json:"id"`
		MinimumAge *int   `json:"minimum_age"`
		MaximumAge *int   `json:"maximum_age"`
	} `json:"eligibilitys"`
	Languages []struct {
		ID       string `json:"id"`
		Language string `json:"language"`
	} `json:"languages"`
	RegularSchedules []testSchedule `json:"regular_schedules"`
	ServiceAreas     []struct {
		ID string `json:"id"`
	} `json:"service_areas"`
	ServiceAtLocations []struct {
		ID       string `json:"id"`
		Location *struct {
			ID                string   `json:"id"`
			Latitude          *float64 `json:"latitude"`
			Longitude         *float64 `json:"longitude"`
			PhysicalAddresses []struct {
				ID         string `json:"id"`
				PostalCode string `json:"postal_code"`
				Country    string `json:"country"`
			} `json:"physical_addresses"`
			Accessibility []struct {
				ID string `json:"id"`
			} `json:"accessibility_for_disabilities"`
		} `json:"location"`
		RegularSchedules []testSchedule `json:"regular_schedules"`
	} `json:"service_at_locations"`
	ServiceTaxonomys []struct {
		ID       string          `json:"id"`
		Taxonomy json.RawMessage `json:"taxonomy"`
	} `json:"service_taxonomys"`
	TargetAudience []struct {
		ID string `json:"id"`
	} `json:"pc_targetAudience"`
}

type testSchedule struct {
	ID       string `json:"id"`
	Weekday  string `json:"weekday"`
	OpensAt  string `json:"opens_at"`
	ClosesAt string `json:"closes_at"`
}

type testOrg struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func parse(t testing.TB, data []byte) []testService {
	t.Helper()
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("output is not a JSON array: %v", err)
	}
	out := make([]testService, len(raw))
	for i, r := range raw {
		if len(r) == 0 || r[0] != '{' {
			t.Fatalf("element %d is not an object: %.40s", i, r)
		}
		if err := json.Unmarshal(r, &out[i]); err != nil {
			t.Fatalf("element %d: %v", i, err)
		}
	}
	return out
}

func TestDeterministic(t *testing.T) {
	a := generate(t, testN, 1)
	b := generate(t, testN, 1)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same n and seed differ")
	}
	// The bytes must not depend on how many goroutines generate them.
	prev := runtime.GOMAXPROCS(1)
	single := generate(t, testN, 1)
	runtime.GOMAXPROCS(prev)
	if !bytes.Equal(a, single) {
		t.Fatal("output with GOMAXPROCS=1 differs")
	}
	c := generate(t, testN, 2)
	if bytes.Equal(a, c) {
		t.Fatal("seeds 1 and 2 give the same output")
	}
}

func TestShape(t *testing.T) {
	services := parse(t, generate(t, testN, 1))
	if len(services) != testN {
		t.Fatalf("got %d services, want %d", len(services), testN)
	}

	ids := map[string]string{} // id → where it was first seen
	unique := func(id, where string) {
		t.Helper()
		if id == "" {
			t.Errorf("%s: empty id", where)
			return
		}
		if prev, dup := ids[id]; dup {
			t.Errorf("id %q of %s was already used by %s", id, where, prev)
			return
		}
		ids[id] = where
	}
	uuid := func(id, where string) {
		t.Helper()
		if !uuidLowerRE.MatchString(id) {
			t.Errorf("%s: id %q is not a lower-case v4 UUID", where, id)
		}
		unique(id, where)
	}
	schedules := func(ss []testSchedule, where string) {
		t.Helper()
		for k, s := range ss {
			w := fmt.Sprintf("%s.regular_schedules[%d]", where, k)
			uuid(s.ID, w)
			if s.Weekday == "" || !clockRE.MatchString(s.OpensAt) || !clockRE.MatchString(s.ClosesAt) || s.OpensAt >= s.ClosesAt {
				t.Errorf("%s: bad opening time %+v", w, s)
			}
		}
	}

	orgs := map[string]string{} // id → JSON
	terms := map[string]string{}
	statuses := map[string]int{}
	withoutCoords, locations := 0, 0
	for i, s := range services {
		where := fmt.Sprintf("services[%d]", i)
		uuid(s.ID, where)
		if s.Name == "" {
			t.Errorf("%s: empty name", where)
		}
		statuses[s.Status]++

		var org testOrg
		if err := json.Unmarshal(s.Organization, &org); err != nil || org.ID == "" {
			t.Fatalf("%s: no organization (%v): %s", where, err, s.Organization)
		}
		if !uuidLowerRE.MatchString(org.ID) {
			t.Errorf("%s: organization id %q is not a lower-case v4 UUID", where, org.ID)
		}
		if org.Name == "" {
			t.Errorf("%s: organization %s has no name", where, org.ID)
		}
		if prev, ok := orgs[org.ID]; ok {
			if prev != string(s.Organization) {
				t.Errorf("%s: organization %s differs from an earlier copy:\n%s\n%s", where, org.ID, prev, s.Organization)
			}
		} else {
			orgs[org.ID] = string(s.Organization)
			unique(org.ID, where+".organization")
		}

		if len(s.ServiceAtLocations) == 0 {
			t.Errorf("%s: no location", where)
		}
		for j, sal := range s.ServiceAtLocations {
			w := fmt.Sprintf("%s.service_at_locations[%d]", where, j)
			uuid(sal.ID, w)
			schedules(sal.RegularSchedules, w)
			l := sal.Location
			if l == nil {
				t.Errorf("%s: no location object", w)
				continue
			}
			locations++
			uuid(l.ID, w+".location")
			if (l.Latitude == nil) != (l.Longitude == nil) {
				t.Errorf("%s: only one of latitude and longitude", w)
			}
			if l.Latitude == nil {
				withoutCoords++
			} else if lat, lon := *l.Latitude, *l.Longitude; lat < 49.8 || lat > 55.9 || lon < -6.5 || lon > 1.8 {
				t.Errorf("%s: (%v, %v) is outside England", w, lat, lon)
			}
			if len(l.PhysicalAddresses) == 0 {
				t.Errorf("%s: no address", w)
			}
			for k, a := range l.PhysicalAddresses {
				uuid(a.ID, fmt.Sprintf("%s.physical_addresses[%d]", w, k))
				if !postcodeRE.MatchString(a.PostalCode) || a.Country != "GB" {
					t.Errorf("%s: bad postcode or country %q %q", w, a.PostalCode, a.Country)
				}
			}
			for k, a := range l.Accessibility {
				uuid(a.ID, fmt.Sprintf("%s.accessibility_for_disabilities[%d]", w, k))
			}
		}
		for j, c := range s.Contacts {
			w := fmt.Sprintf("%s.contacts[%d]", where, j)
			uuid(c.ID, w)
			for k, p := range c.Phones {
				uuid(p.ID, fmt.Sprintf("%s.phones[%d]", w, k))
				if p.Number == "" {
					t.Errorf("%s.phones[%d]: empty number", w, k)
				}
			}
		}
		for j, c := range s.CostOptions {
			uuid(c.ID, fmt.Sprintf("%s.cost_options[%d]", where, j))
		}
		for j, e := range s.Eligibilitys {
			uuid(e.ID, fmt.Sprintf("%s.eligibilitys[%d]", where, j))
			if e.MinimumAge != nil && e.MaximumAge != nil && *e.MinimumAge > *e.MaximumAge {
				t.Errorf("%s.eligibilitys[%d]: ages %d–%d", where, j, *e.MinimumAge, *e.MaximumAge)
			}
		}
		if len(s.Languages) == 0 || s.Languages[0].Language != "English" {
			t.Errorf("%s: English is not the first language", where)
		}
		for j, l := range s.Languages {
			uuid(l.ID, fmt.Sprintf("%s.languages[%d]", where, j))
		}
		schedules(s.RegularSchedules, where)
		for j, a := range s.ServiceAreas {
			uuid(a.ID, fmt.Sprintf("%s.service_areas[%d]", where, j))
		}
		for j, st := range s.ServiceTaxonomys {
			uuid(st.ID, fmt.Sprintf("%s.service_taxonomys[%d]", where, j))
			var term struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(st.Taxonomy, &term); err != nil || term.ID == "" {
				t.Errorf("%s.service_taxonomys[%d]: no taxonomy id", where, j)
				continue
			}
			// A term shared by many services must be the same term every time.
			if prev, ok := terms[term.ID]; ok && prev != string(st.Taxonomy) {
				t.Errorf("taxonomy %s differs between services:\n%s\n%s", term.ID, prev, st.Taxonomy)
			}
			terms[term.ID] = string(st.Taxonomy)
		}
		for j, a := range s.TargetAudience {
			unique(a.ID, fmt.Sprintf("%s.pc_targetAudience[%d]", where, j))
		}
	}

	for _, st := range []string{"active", "inactive", "defunct", "temporarily closed"} {
		if statuses[st] == 0 {
			t.Errorf("no service has status %q: %v", st, statuses)
		}
	}
	if len(statuses) != 4 {
		t.Errorf("statuses outside ORUK's four: %v", statuses)
	}
	if want := testN / 3; len(orgs) < want*9/10 || len(orgs) > want*11/10 {
		t.Errorf("%d distinct organisations, want about %d", len(orgs), want)
	}
	if len(terms) == 0 {
		t.Error("no service has a taxonomy term")
	}
	if share := float64(withoutCoords) / float64(locations); share < 0.10 || share > 0.20 {
		t.Errorf("%.0f%% of locations have no coordinates, want about 15%%", share*100)
	}
}

func TestSmall(t *testing.T) {
	for n := range 4 {
		services := parse(t, generate(t, n, 7))
		if len(services) != n {
			t.Errorf("n=%d: got %d services", n, len(services))
		}
	}
	if err := Generate(&bytes.Buffer{}, -1, 1); err == nil {
		t.Error("Generate(-1) gave no error")
	}
}

type failingWriter struct{ after int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after -= len(p); w.after < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	err := Generate(&failingWriter{after: 3 << 20}, 20000, 1)
	if err == nil || err.Error() != "disk full" {
		t.Fatalf("got %v, want the writer's error", err)
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

func BenchmarkGenerate(b *testing.B) {
	var size int64
	for b.Loop() {
		var w countingWriter
		if err := Generate(&w, 10000, 1); err != nil {
			b.Fatal(err)
		}
		size = w.n
	}
	b.SetBytes(size)
}
