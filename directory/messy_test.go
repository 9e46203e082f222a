package directory

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestImportMessyFeed imports a two-page feed holding each fault real feeds
// have, and checks every record's fate: kept and cleaned, or rejected by id
// and field.
func TestImportMessyFeed(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	b, err := ReadORUKPath("testdata/messy")
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Import(ctx, b, ImportOptions{PrepareOptions: PrepareOptions{Source: "messy"}})
	if err != nil {
		t.Fatal(err)
	}

	var rejected []string
	for _, p := range r.Rejected {
		rejected = append(rejected, p.Kind+" "+p.ID+" "+p.Field)
		if p.Message == "" {
			t.Errorf("rejection without a message: %+v", p)
		}
	}
	sort.Strings(rejected)
	wantRejected := []string{
		"organization ORG-NONAME name",
		"service svc-age-order eligibilitys[0].minimum_age",
		"service svc-bad-org organization.name",
		"service svc-bad-status status",
		"service svc-good id", // the second record with this id
		"service svc-no-org organization",
		"service svc-noname name",
		"service svc-object-name name",
		"service svc-words-age eligibilitys[0].minimum_age",
	}
	if strings.Join(rejected, "\n") != strings.Join(wantRejected, "\n") {
		t.Errorf("rejected:\n%s\nwant:\n%s", strings.Join(rejected, "\n"), strings.Join(wantRejected, "\n"))
	}
	if r.Created != 6 || r.Updated != 0 || r.Unchanged != 0 {
		t.Errorf("created %d updated %d unchanged %d, want 6 0 0", r.Created, r.Updated, r.Unchanged)
	}
	var warned []string
	for _, w := range r.Warnings {
		warned = append(warned, w.Kind+" "+w.ID+" "+w.Field)
	}
	sort.Strings(warned)
	wantWarned := []string{
		"service svc-bad-day regular_schedules[0].weekday",
		"service svc-bad-email email",
		"service svc-bad-email url",
	}
	if strings.Join(warned, "\n") != strings.Join(wantWarned, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warned, "\n"), strings.Join(wantWarned, "\n"))
	}

	good, err := s.ServiceDetail(ctx, "svc-good")
	if err != nil {
		t.Fatal(err)
	}
	if good.Name != "Lunch Club" || good.Email != "hello@lunchclub.org.uk" || good.URL != "https://www.lunchclub.org.uk" ||
		good.Status != StatusActive || good.AttendingType != "venue" || good.AttendingAccess != "drop-in" ||
		good.Description != "Hot meals & company.\n\nEvery Monday at the Hall, Scunthorpe. Call us!" {
		t.Errorf("svc-good cleaned wrongly: %+v", good.Service)
	}
	if good.Organization.ID != "ab1e0c1f-1111-4222-8333-944445555666" {
		t.Errorf("upper-case UUID organisation id not lower-cased: %q", good.Organization.ID)
	}
	if e := good.Eligibilitys; len(e) != 1 || *e[0].MinimumAge != 18 || *e[0].MaximumAge != 120 || e[0].ID == "" {
		t.Errorf("ages given as strings: %+v", e)
	}
	if rs := good.RegularSchedules; len(rs) != 1 || rs[0].Weekday != "Monday" || rs[0].OpensAt != "11:30" || rs[0].ClosesAt != "14:00" {
		t.Errorf("schedule: %+v", rs)
	}
	if len(good.ServiceAtLocations) != 1 {
		t.Fatalf("locations: %+v", good.ServiceAtLocations)
	}
	hall := good.ServiceAtLocations[0].Location
	if hall.PhysicalAddresses[0].PostalCode != "DN15 6NL" || !hall.CoordinatesApproximate || hall.Latitude == nil ||
		!strings.Contains(hall.CoordinatesSource, "DN15") {
		t.Errorf("hall not placed at its postcode district: %+v", hall)
	}
	if len(good.ServiceTaxonomys) != 1 || good.ServiceTaxonomys[0].Taxonomy.Name != "Food" {
		t.Errorf("taxonomy: %+v", good.ServiceTaxonomys)
	}

	empty, _ := s.Service(ctx, "svc-empty-enums")
	if empty.Status != StatusActive || empty.DeliverableType != "" || empty.AttendingType != "" {
		t.Errorf("\"\" enums: %+v", empty)
	}

	badEmail, _ := s.ServiceDetail(ctx, "svc-bad-email")
	if badEmail.Email != "" || badEmail.URL != "" {
		t.Errorf("bad e-mail and javascript: URL should be dropped: %q %q", badEmail.Email, badEmail.URL)
	}
	org := badEmail.Organization
	if org.ID != DeriveID("messy", "organization", "ORG-42") || org.Provenance.SourceID != "ORG-42" || org.Description != "Sport for all" {
		t.Errorf("non-UUID organisation id: %+v", org)
	}

	social, _ := s.ServiceDetail(ctx, "svc-social")
	var terms []string
	for _, st := range social.ServiceTaxonomys {
		terms = append(terms, st.Taxonomy.Vocabulary+"="+st.Taxonomy.Name)
	}
	sort.Strings(terms)
	if strings.Join(terms, ",") != "attending_access=Self referral,deliverable_type=Social activity" || social.DeliverableType != "" || social.AttendingAccess != "" {
		t.Errorf("out-of-enum values should become vocabulary terms: %v %+v", terms, social.Service)
	}
	if len(social.ServiceAtLocations) != 1 || social.ServiceAtLocations[0].Location.PhysicalAddresses[0].PostalCode != "DN17 1SR" ||
		!strings.Contains(social.ServiceAtLocations[0].Location.CoordinatesSource, "stated in the service description") {
		t.Errorf("postcode in description not used: %+v", social.ServiceAtLocations)
	}

	numbered, err := s.ServiceDetail(ctx, "12345")
	if err != nil {
		t.Fatalf("numeric id: %v", err)
	}
	park := numbered.ServiceAtLocations[0].Location
	if *park.Latitude != 53.5751 || *park.Longitude != -0.6590 || park.CoordinatesApproximate || park.PhysicalAddresses[0].PostalCode != "DN16 1AA" {
		t.Errorf("coordinates given as strings: %+v", park)
	}
	choir, _ := s.Service(ctx, "svc-bad-day")
	if len(choir.RegularSchedules) != 1 || choir.RegularSchedules[0].Weekday != "Tuesday" || choir.RegularSchedules[0].ClosesAt != "21:00" {
		t.Errorf("schedules: %+v", choir.RegularSchedules)
	}

	// Every stored record passes validation.
	hits, total, err := s.ListServices(ctx, ServiceFilter{}, PageRequest{Number: 1, Size: 100})
	if err != nil || total != 6 {
		t.Fatalf("list: %d %v", total, err)
	}
	for _, h := range hits {
		if errs := Check(h.Service); errs != nil {
			t.Errorf("stored service %s is invalid: %v", h.ID, errs)
		}
	}

	// The same feed again: nothing changes.
	b2, _ := ReadORUKPath("testdata/messy")
	r2, err := s.Import(ctx, b2, ImportOptions{PrepareOptions: PrepareOptions{Source: "messy"}})
	if err != nil {
		t.Fatal(err)
	}
	if r2.Created != 0 || r2.Updated != 0 || r2.Unchanged != 6 || len(r2.Rejected) != len(r.Rejected) {
		t.Errorf("re-import: %+v", r2)
	}
}

func TestImportReportJSONShape(t *testing.T) {
	s, _ := openTestStore(t)
	b, _ := ReadORUKPath("testdata/messy")
	r, err := s.Import(context.Background(), b, ImportOptions{PrepareOptions: PrepareOptions{Source: "messy"}})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(r)
	empty, _ := s.Import(context.Background(), &Batch{}, ImportOptions{PrepareOptions: PrepareOptions{Source: "nothing"}})
	if emptyJSON, _ := json.Marshal(empty); !strings.Contains(string(emptyJSON), `"rejected":[]`) || !strings.Contains(string(emptyJSON), `"warnings":[]`) {
		t.Errorf("an import with no problems must list them as [], not null: %s", emptyJSON)
	}
	var got struct {
		Created   *int `json:"created"`
		Updated   *int `json:"updated"`
		Unchanged *int `json:"unchanged"`
		Rejected  []struct {
			ID, Field, Message string
		} `json:"rejected"`
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Created == nil || got.Updated == nil || got.Unchanged == nil || len(got.Rejected) == 0 ||
		got.Rejected[0].ID == "" || got.Rejected[0].Message == "" {
		t.Errorf("report JSON lacks a required key: %s", data)
	}
}

func TestImportTruncatedFileChangesNothing(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	mustImport(t, s, []byte(`[{"id":"a","name":"A","description":"","organization":{"id":"00000000-0000-4000-8000-000000000001","name":"O","description":""}}]`), "feed")
	before, _ := s.Counts(ctx)

	full, err := os.ReadFile("testdata/messy/page2.json")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "truncated.json")
	os.WriteFile(path, full[:len(full)/2], 0o644)
	_, err = ReadORUKPath(path)
	if err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("want an error saying the file is truncated, got %v", err)
	}
	after, _ := s.Counts(ctx)
	if after != before {
		t.Errorf("counts changed: %+v → %+v", before, after)
	}
}

func TestImportUpdateKeepsProvenance(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	feed := `[{"id":"a","name":"%s","description":"d","organization":{"id":"00000000-0000-4000-8000-000000000001","name":"O","description":""}},
	          {"id":"b","name":"B","description":"d","organization":{"id":"00000000-0000-4000-8000-000000000001","name":"O","description":""}}]`
	mustImport(t, s, []byte(strings.Replace(feed, "%s", "First name", 1)), "feed")
	first, _ := s.Service(ctx, "a")
	seq, _ := s.LastChange(ctx)

	later := fixedNow.AddDate(0, 0, 7)
	s.now = func() time.Time { return later }
	r := mustImport(t, s, []byte(strings.Replace(feed, "%s", "Second name", 1)), "feed")
	if r.Created != 0 || r.Updated != 1 || r.Unchanged != 1 {
		t.Fatalf("report %+v", r)
	}
	second, _ := s.Service(ctx, "a")
	if second.Name != "Second name" || !second.Provenance.ImportedAt.Equal(first.Provenance.ImportedAt) || !second.Provenance.UpdatedAt.Equal(later) {
		t.Errorf("provenance after update: %+v", second.Provenance)
	}
	changes, _ := s.ChangesSince(ctx, seq, 10)
	if len(changes) != 1 || changes[0].ID != "a" || changes[0].Kind != KindService || changes[0].Op != "put" {
		t.Errorf("change log after update: %+v", changes)
	}
}

func TestImportNeverOverwritesAnotherSource(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	feed := []byte(`[{"id":"shared-id","name":"%s","description":"","organization":{"id":"00000000-0000-4000-8000-000000000001","name":"O","description":""}}]`)
	mustImport(t, s, feed, "council-a")
	r := mustImport(t, s, feed, "council-b")
	var fields []string
	for _, p := range r.Rejected {
		fields = append(fields, p.Kind+":"+p.Field)
	}
	sort.Strings(fields)
	if strings.Join(fields, ",") != "organization:id,service:id" || !strings.Contains(r.Rejected[0].Message, "council-a") {
		t.Errorf("rejected %+v", r.Rejected)
	}
	svc, _ := s.Service(ctx, "shared-id")
	if svc.Provenance.Source != "council-a" {
		t.Errorf("source overwritten: %+v", svc.Provenance)
	}
}

// Suggestions Signpost stores are not part of what a feed says: re-importing
// the same feed leaves a service with suggestions unchanged, and an update
// from the feed keeps them.
func TestReimportKeepsSuggestions(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	mustImport(t, s, []byte(`[{"id":"t1","name":"Needs","description":"","organization":{"id":"00000000-0000-4000-8000-000000000001","name":"O","description":""}}]`), "terms")
	if _, err := s.Import(ctx, &Batch{Taxonomies: []TaxonomyTerm{{ID: "food", Name: "Food", Vocabulary: "needs"}}}, ImportOptions{PrepareOptions: PrepareOptions{Source: "needs"}}); err != nil {
		t.Fatal(err)
	}
	feed := `[{"id":"a","name":"%s","description":"Hot meals","organization":{"id":"00000000-0000-4000-8000-000000000002","name":"O2","description":""}}]`
	mustImport(t, s, []byte(strings.Replace(feed, "%s", "Lunch Club", 1)), "feed")
	if n, err := s.SetSuggestedTaxonomies(ctx, map[string][]string{"a": {"food"}}); err != nil || n != 1 {
		t.Fatalf("suggest: %d %v", n, err)
	}
	r := mustImport(t, s, []byte(strings.Replace(feed, "%s", "Lunch Club", 1)), "feed")
	if r.Unchanged != 1 || r.Updated != 0 {
		t.Errorf("re-import of the same feed after suggestions: %+v", r)
	}
	r = mustImport(t, s, []byte(strings.Replace(feed, "%s", "Lunch Club (Tuesdays)", 1)), "feed")
	svc, _ := s.Service(ctx, "a")
	if r.Updated != 1 || len(svc.ServiceTaxonomys) != 1 || !svc.ServiceTaxonomys[0].Suggested || svc.ServiceTaxonomys[0].TaxonomyID != "food" {
		t.Errorf("update dropped the suggestion: %+v %+v", r, svc.ServiceTaxonomys)
	}
}
