package directory

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzImportORUK feeds arbitrary bytes through the ORUK importer into a real
// store. It must never panic, and every record it stores must be valid.
func FuzzImportORUK(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/messy/*.json")
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`[{"id":"1","name":"A","organization":{"id":"x","name":"O"},"eligibilitys":[{"minimum_age":"18+","maximum_age":"9"}]}]`))
	f.Add([]byte(`{"content":[{"id":"2","name":"<b>B</b>","status":"Temporarily Closed","organization":{"id":"y","name":"P"},"service_at_locations":[{"location":{"id":"l","latitude":"91","longitude":"0"}}]}]}`))
	f.Add([]byte(`[{"id":"3","name":"C","organization":{"id":"z","name":"Q"},"regular_schedules":[{"weekday":"7","opens_at":"24:00","closes_at":"9am"}],"pc_targetAudience":[{"audienceType":">>"}]}]`))
	f.Add([]byte(`{"id":"4","name":"D","organization":{"id":"z","name":"Q"},"cost_options":[{"amount":"£-3"}],"email":"a@b.c."}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		batch, err := ParseORUK(data)
		if err != nil {
			return // Not a feed: refused whole, nothing stored.
		}
		store, err := Open(ctx, t.TempDir(), StoreOptions{Logger: quietLog, Now: func() time.Time { return fixedNow }})
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		report, err := store.Import(ctx, batch, ImportOptions{PrepareOptions: PrepareOptions{Source: "fuzz"}})
		if err != nil {
			t.Fatalf("import failed on a parsed feed: %v", err)
		}
		for _, p := range report.Rejected {
			if p.ID == "" || p.Message == "" {
				t.Fatalf("rejection without id or message: %+v", p)
			}
		}
		for _, svc := range batch.Services {
			stored, err := store.ServiceDetail(ctx, cleanLine(svc.ID))
			if err != nil {
				continue // rejected (or stored under another source earlier)
			}
			if errs := Check(stored.Service); errs != nil {
				t.Fatalf("stored invalid service %q: %v", stored.ID, errs)
			}
			if errs := Check(stored.Organization); errs != nil {
				t.Fatalf("stored invalid organisation %q: %v", stored.Organization.ID, errs)
			}
			for _, sal := range stored.ServiceAtLocations {
				if errs := Check(sal.Location); errs != nil {
					t.Fatalf("stored invalid location %q: %v", sal.Location.ID, errs)
				}
			}
		}
	})
}
