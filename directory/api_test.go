package directory

// Tests of the ORUK v1 read API over a real HTTP server on 127.0.0.1, seeded
// with the bundled North Lincolnshire feed and, where filters need data that
// feed lacks (locations, opening times, ages, taxonomies), a small hand-made
// fixture imported under a second source. Responses are checked against the
// upstream ORUK v1 JSON schemas in testdata/oruk-v1 with formats asserted.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/signpost-uk/signpost/directory/refdata"
)

// ---------------------------------------------------------------------------
// Test server

type apiTestServer struct {
	t      *testing.T
	base   string
	client *http.Client
}

type apiResponse struct {
	status int
	header http.Header
	body   []byte
}

// apiFixtureSource names the publisher of apiFixtureFeed.
const apiFixtureSource = "Signpost API test fixture"

// newAPITestServer opens a fresh store, imports the bundled North Lincolnshire
// feed (and the hand-made fixture when withFixture), and serves the read API
// on a real listener on 127.0.0.1.
func newAPITestServer(t *testing.T, withFixture bool) *apiTestServer {
	t.Helper()
	store, _ := openTestStore(t)
	ctx := context.Background()
	b, err := ParseORUK(refdata.NorthLincsServices)
	if err != nil {
		t.Fatalf("parse bundled feed: %v", err)
	}
	r, err := store.Import(ctx, b, ImportOptions{PrepareOptions: PrepareOptions{Source: refdata.NorthLincsSource, Area: refdata.NorthLincsArea}})
	if err != nil {
		t.Fatalf("import bundled feed: %v", err)
	}
	if r.Created != 738 || len(r.Rejected) != 0 {
		t.Fatalf("bundled import: created %d, rejected %v", r.Created, r.Rejected)
	}
	if withFixture {
		fr := mustImport(t, store, []byte(apiFixtureFeed), apiFixtureSource)
		if fr.Created != len(apiFixtureIDs) || len(fr.Rejected) != 0 || len(fr.Warnings) != 0 {
			t.Fatalf("fixture import: created %d, rejected %+v, warnings %+v", fr.Created, fr.Rejected, fr.Warnings)
		}
	}
	oc, err := BundledOutcodes()
	if err != nil {
		t.Fatalf("outcodes: %v", err)
	}
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(quietLog), DisableStartupMessage: true})
	NewAPI(store, oc).Register(app.Group("/api/v1"))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	go func() { _ = app.Listener(ln) }()
	transport := &http.Transport{MaxIdleConnsPerHost: 16, DisableCompression: true}
	srv := &apiTestServer{t: t, base: "http://" + ln.Addr().String(), client: &http.Client{Timeout: 15 * time.Second, Transport: transport}}
	// Registered after openTestStore's cleanup, so it runs first: the server
	// stops before the store closes.
	t.Cleanup(func() {
		transport.CloseIdleConnections()
		if err := app.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return srv
}

// with returns the server bound to t, for use inside a subtest, so that
// failures are reported by (and stop) the subtest's own goroutine.
func (s *apiTestServer) with(t *testing.T) *apiTestServer {
	c := *s
	c.t = t
	return &c
}

// do sends a request; header is name, value pairs.
func (s *apiTestServer) do(method, path string, header ...string) apiResponse {
	s.t.Helper()
	req, err := http.NewRequest(method, s.base+path, nil)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := s.client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(res.Body); err != nil {
		s.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return apiResponse{status: res.StatusCode, header: res.Header, body: buf.Bytes()}
}

func (s *apiTestServer) get(path string, header ...string) apiResponse {
	s.t.Helper()
	return s.do(http.MethodGet, path, header...)
}

// getOK fetches path and fails the test unless it answers 200 with JSON.
func (s *apiTestServer) getOK(path string) []byte {
	s.t.Helper()
	r := s.get(path)
	if r.status != http.StatusOK {
		s.t.Fatalf("GET %s: status %d, body %s", path, r.status, truncateForLog(r.body))
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		s.t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	return r.body
}

func truncateForLog(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// ---------------------------------------------------------------------------
// Response shapes, decoded independently of the production types.

type apiPage struct {
	TotalElements int             `json:"totalElements"`
	TotalPages    int             `json:"totalPages"`
	Number        int             `json:"number"`
	Size          int             `json:"size"`
	First         bool            `json:"first"`
	Last          bool            `json:"last"`
	Empty         bool            `json:"empty"`
	Content       json.RawMessage `json:"content"`
}

type apiSchedule struct {
	Weekday string `json:"weekday"`
}

type apiService struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	Status       string `json:"status"`
	Organization struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"organization"`
	Eligibilitys []struct {
		MinimumAge *int `json:"minimum_age"`
		MaximumAge *int `json:"maximum_age"`
	} `json:"eligibilitys"`
	RegularSchedules   []apiSchedule `json:"regular_schedules"`
	ServiceAtLocations []struct {
		ID       string `json:"id"`
		Location struct {
			ID        string   `json:"id"`
			Latitude  *float64 `json:"latitude"`
			Longitude *float64 `json:"longitude"`
		} `json:"location"`
		RegularSchedules []apiSchedule `json:"regular_schedules"`
	} `json:"service_at_locations"`
	ServiceTaxonomys []struct {
		Taxonomy struct {
			ID         string `json:"id"`
			Vocabulary string `json:"vocabulary"`
		} `json:"taxonomy"`
	} `json:"service_taxonomys"`
	DistanceMetres *float64 `json:"distance_metres"`
}

type apiTerm struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Vocabulary string `json:"vocabulary"`
	ParentID   string `json:"parent_id"`
}

type apiErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Errors  map[string]string `json:"errors"`
}

func decodePage(t *testing.T, body []byte) apiPage {
	t.Helper()
	var p apiPage
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("decode page: %v: %s", err, truncateForLog(body))
	}
	return p
}

func decodeServices(t *testing.T, raw json.RawMessage) []apiService {
	t.Helper()
	var out []apiService
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("decode services: %v", err)
	}
	return out
}

func serviceIDs(svcs []apiService) []string {
	ids := make([]string, len(svcs))
	for i, s := range svcs {
		ids[i] = s.ID
	}
	return ids
}

// listAllServices walks every page of /services?query at per_page=200 and
// checks the pages agree with each other. It returns the services in order
// and the reported total.
func (s *apiTestServer) listAllServices(query string) ([]apiService, int) {
	s.t.Helper()
	var all []apiService
	total := -1
	for page := 1; ; page++ {
		path := fmt.Sprintf("/api/v1/services?per_page=200&page=%d", page)
		if query != "" {
			path += "&" + query
		}
		p := decodePage(s.t, s.getOK(path))
		if total == -1 {
			total = p.TotalElements
		} else if p.TotalElements != total {
			s.t.Fatalf("%s: totalElements %d, page 1 said %d", path, p.TotalElements, total)
		}
		all = append(all, decodeServices(s.t, p.Content)...)
		if p.Last || page > 100 {
			break
		}
	}
	if len(all) != total {
		s.t.Fatalf("/services?%s: pages hold %d services, totalElements is %d", query, len(all), total)
	}
	return all, total
}

// ---------------------------------------------------------------------------
// ORUK v1 schemas

var (
	apiSchemasOnce sync.Once
	apiSchemas     map[string]*jsonschema.Schema
	apiSchemasErr  error
)

var apiSchemaFiles = []string{"service.json", "service_list.json", "organization.json", "organization_list.json",
	"location.json", "location_list.json", "taxonomy.json", "taxonomy_list.json"}

// orukSchema compiles the upstream ORUK v1 schemas from testdata as draft-07
// with format assertions on (email, uri, date are enforced), no network.
func orukSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	apiSchemasOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft7)
		c.AssertFormat()
		c.UseLoader(apiNoLoader{})
		apiSchemas = map[string]*jsonschema.Schema{}
		for _, f := range apiSchemaFiles {
			data, err := os.ReadFile(filepath.Join("testdata", "oruk-v1", f))
			if err != nil {
				apiSchemasErr = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				apiSchemasErr = fmt.Errorf("%s: %w", f, err)
				return
			}
			if err := c.AddResource("https://oruk.test/v1/"+f, doc); err != nil {
				apiSchemasErr = fmt.Errorf("%s: %w", f, err)
				return
			}
		}
		for _, f := range apiSchemaFiles {
			sch, err := c.Compile("https://oruk.test/v1/" + f)
			if err != nil {
				apiSchemasErr = fmt.Errorf("compile %s: %w", f, err)
				return
			}
			apiSchemas[f] = sch
		}
	})
	if apiSchemasErr != nil {
		t.Fatalf("ORUK schemas: %v", apiSchemasErr)
	}
	sch := apiSchemas[name]
	if sch == nil {
		t.Fatalf("no schema %s", name)
	}
	return sch
}

// apiNoLoader refuses to fetch anything: every schema is added from testdata,
// and the draft-07 meta-schema is built into the library.
type apiNoLoader struct{}

func (apiNoLoader) Load(u string) (any, error) {
	return nil, fmt.Errorf("no network in tests: refusing to load %s", u)
}

// schemaProblem validates a JSON document against an ORUK schema and returns
// the detailed validation error, or "" when it is valid.
func schemaProblem(t *testing.T, schema string, body []byte) string {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return "not JSON: " + err.Error()
	}
	if err := orukSchema(t, schema).Validate(inst); err != nil {
		return fmt.Sprintf("%#v", err)
	}
	return ""
}

// TestAPISchemasEnforceFormats guards the guard: the compiled schemas reject
// a bad e-mail, a relative URL and a missing required field, so a passing
// schema check means something.
func TestAPISchemasEnforceFormats(t *testing.T) {
	good := `{"id":"s1","name":"A service","status":"active","email":"team@example.org","url":"https://example.org/",
		"organization":{"id":"0b48081d-e5b0-93b7-bd7c-2119948c70a3","name":"Org","description":"","url":"https://example.org/"}}`
	if p := schemaProblem(t, "service.json", []byte(good)); p != "" {
		t.Fatalf("a valid service fails service.json: %s", p)
	}
	for name, bad := range map[string]string{
		"bad email":          strings.Replace(good, `"team@example.org"`, `"team at example.org"`, 1),
		"relative url":       strings.Replace(good, `"url":"https://example.org/",`, `"url":"example.org/page",`, 1),
		"org url not a uri":  strings.Replace(good, `"url":"https://example.org/"}`, `"url":"https://exa mple.org/%zz"}`, 1),
		"no organization id": strings.Replace(good, `"id":"0b48081d-e5b0-93b7-bd7c-2119948c70a3",`, ``, 1),
		"unknown status":     strings.Replace(good, `"active"`, `"open"`, 1),
		"empty enum value":   strings.Replace(good, `"status":"active",`, `"status":"active","attending_type":"",`, 1),
	} {
		if bad == good {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		if schemaProblem(t, "service.json", []byte(bad)) == "" {
			t.Errorf("%s: service.json accepted %s", name, bad)
		}
	}
	if schemaProblem(t, "organization.json", []byte(`{"id":"0b48081d-e5b0-93b7-bd7c-2119948c70a3","name":"Org","description":"","email":"x@@y"}`)) == "" {
		t.Error("organization.json accepted a bad e-mail")
	}
	if schemaProblem(t, "taxonomy.json", []byte(`{"id":"","name":"x"}`)) == "" {
		t.Error("taxonomy.json accepted an empty id")
	}
}

// ---------------------------------------------------------------------------
// 1. Schema validation

func TestAPISchemaServices(t *testing.T) {
	srv := newAPITestServer(t, true)

	// Every id of the bundled feed, read from the feed itself.
	var raw []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(refdata.NorthLincsServices, &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw) != 738 {
		t.Fatalf("bundled feed has %d services, want 738", len(raw))
	}

	// List pages: default size, the last default page, an empty page, and every page at 200.
	for _, path := range []string{
		"/api/v1/services", "/api/v1/services?page=2", "/api/v1/services?page=15", "/api/v1/services?page=99",
		"/api/v1/services?per_page=200", "/api/v1/services?per_page=200&page=2",
		"/api/v1/services?per_page=200&page=3", "/api/v1/services?per_page=200&page=4",
		"/api/v1/services?postcode=DN15%206NL&proximity=30000",
		"/api/v1/services?vocabulary=fixture_age,target_audience&per_page=200",
	} {
		if p := schemaProblem(t, "service_list.json", srv.getOK(path)); p != "" {
			t.Errorf("GET %s does not match service_list.json:\n%s", path, p)
		}
	}

	all, total := srv.listAllServices("")
	if total != 738+len(apiFixtureIDs) {
		t.Fatalf("totalElements = %d, want %d", total, 738+len(apiFixtureIDs))
	}
	listed := map[string]bool{}
	for _, s := range all {
		if listed[s.ID] {
			t.Errorf("service %s is listed twice", s.ID)
		}
		listed[s.ID] = true
	}
	for _, r := range raw {
		if !listed[r.ID] {
			t.Errorf("bundled service %s is not listed", r.ID)
		}
	}
	for _, id := range apiFixtureIDs {
		if !listed[id] {
			t.Errorf("fixture service %s is not listed", id)
		}
	}

	// The important one: every service's full record against service.json.
	failures := 0
	for _, s := range all {
		path := "/api/v1/services/" + url.PathEscape(s.ID)
		body := srv.getOK(path)
		var got struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(body, &got); err != nil || got.ID != s.ID {
			t.Errorf("GET %s returned id %q (%v)", path, got.ID, err)
		}
		if p := schemaProblem(t, "service.json", body); p != "" {
			failures++
			t.Errorf("service %s does not match service.json:\n%s", s.ID, p)
		}
	}
	t.Logf("validated %d services against service.json, %d failed", len(all), failures)
}

func TestAPISchemaOrganizations(t *testing.T) {
	srv := newAPITestServer(t, false)

	var orgIDs []string
	for page := 1; ; page++ {
		path := fmt.Sprintf("/api/v1/organizations?page=%d", page)
		body := srv.getOK(path)
		if p := schemaProblem(t, "organization_list.json", body); p != "" {
			t.Errorf("GET %s does not match organization_list.json:\n%s", path, p)
		}
		pg := decodePage(t, body)
		if pg.TotalElements != 239 || pg.TotalPages != 5 || pg.Number != page || pg.Size != DefaultPerPage {
			t.Fatalf("GET %s: page %+v, want 239 organisations on 5 pages", path, pg)
		}
		var orgs []struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(pg.Content, &orgs); err != nil {
			t.Fatal(err)
		}
		for _, o := range orgs {
			orgIDs = append(orgIDs, o.ID)
		}
		if pg.Last {
			break
		}
	}
	if len(orgIDs) != 239 {
		t.Fatalf("listed %d organisations, want 239", len(orgIDs))
	}
	if !sort.StringsAreSorted(orgIDs) {
		t.Error("organisations are not listed in id order")
	}
	if p := schemaProblem(t, "organization_list.json", srv.getOK("/api/v1/organizations?per_page=200&page=2")); p != "" {
		t.Errorf("per_page=200 page 2 does not match organization_list.json:\n%s", p)
	}

	// A sample of organisations in full: every 7th, plus the first and last.
	sample := []string{orgIDs[0], orgIDs[len(orgIDs)-1]}
	for i := 3; i < len(orgIDs); i += 7 {
		sample = append(sample, orgIDs[i])
	}
	for _, id := range sample {
		body := srv.getOK("/api/v1/organizations/" + id)
		if p := schemaProblem(t, "organization.json", body); p != "" {
			t.Errorf("organisation %s does not match organization.json:\n%s", id, p)
		}
	}
}

// TestAPISchemaLocations checks /locations pages against location_list.json
// and every location in full against location.json, which requires each
// physical address to have id, city, state_province, postal_code and country.
func TestAPISchemaLocations(t *testing.T) {
	srv := newAPITestServer(t, true)

	// The bundled feed's 48 locations derived from postcodes, plus the fixture's 5.
	var locIDs []string
	for page := 1; ; page++ {
		path := fmt.Sprintf("/api/v1/locations?per_page=20&page=%d", page)
		body := srv.getOK(path)
		if p := schemaProblem(t, "location_list.json", body); p != "" {
			t.Errorf("GET %s does not match location_list.json:\n%s", path, p)
		}
		pg := decodePage(t, body)
		if pg.TotalElements != 48+5 {
			t.Fatalf("locations totalElements = %d, want 53 (48 bundled + 5 fixture)", pg.TotalElements)
		}
		var locs []struct {
			ID        string   `json:"id"`
			Latitude  *float64 `json:"latitude"`
			Longitude *float64 `json:"longitude"`
		}
		if err := json.Unmarshal(pg.Content, &locs); err != nil {
			t.Fatal(err)
		}
		for _, l := range locs {
			if l.Latitude == nil || l.Longitude == nil {
				t.Errorf("location %s has no coordinates", l.ID)
			}
			locIDs = append(locIDs, l.ID)
		}
		if pg.Last {
			break
		}
	}
	if len(locIDs) != 53 {
		t.Fatalf("listed %d locations, want 53", len(locIDs))
	}
	var failed []string
	firstProblem := ""
	for _, id := range locIDs {
		body := srv.getOK("/api/v1/locations/" + url.PathEscape(id))
		var got struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(body, &got); err != nil || got.ID != id {
			t.Errorf("GET /locations/%s returned id %q (%v)", id, got.ID, err)
		}
		if p := schemaProblem(t, "location.json", body); p != "" {
			if firstProblem == "" {
				firstProblem = fmt.Sprintf("location %s: %s\n%s", id, truncateForLog(body), p)
			}
			failed = append(failed, id)
		}
	}
	if len(failed) > 0 {
		t.Errorf("%d of %d locations do not match location.json; the first:\n%s\nall failing ids: %v", len(failed), len(locIDs), firstProblem, failed)
	}
}

// TestAPISchemaTaxonomies checks /taxonomies pages against taxonomy_list.json
// and fetches every listed term by id against taxonomy.json. Hierarchical
// target_audience ids hold a "/" ("target_audience:parents/grandparents"), so
// they are requested percent-encoded, as any client building the URL would.
func TestAPISchemaTaxonomies(t *testing.T) {
	srv := newAPITestServer(t, true)

	// Every page, and every term by id.
	var terms []apiTerm
	for page := 1; ; page++ {
		path := fmt.Sprintf("/api/v1/taxonomies?per_page=50&page=%d", page)
		body := srv.getOK(path)
		if p := schemaProblem(t, "taxonomy_list.json", body); p != "" {
			t.Errorf("GET %s does not match taxonomy_list.json:\n%s", path, p)
		}
		pg := decodePage(t, body)
		var got []apiTerm
		if err := json.Unmarshal(pg.Content, &got); err != nil {
			t.Fatal(err)
		}
		terms = append(terms, got...)
		if pg.Last {
			if len(terms) != pg.TotalElements {
				t.Fatalf("listed %d taxonomy terms, totalElements %d", len(terms), pg.TotalElements)
			}
			break
		}
	}
	if len(terms) < 40 {
		t.Fatalf("only %d taxonomy terms", len(terms))
	}
	// Every term a service links to is listed.
	listed := map[string]bool{}
	for _, term := range terms {
		listed[term.ID] = true
	}
	all, _ := srv.listAllServices("")
	for _, s := range all {
		for _, st := range s.ServiceTaxonomys {
			if !listed[st.Taxonomy.ID] {
				t.Errorf("service %s links to taxonomy %q, which /taxonomies does not list", s.ID, st.Taxonomy.ID)
			}
		}
	}
	for _, term := range terms {
		path := "/api/v1/taxonomies/" + url.PathEscape(term.ID)
		r := srv.get(path)
		if r.status != http.StatusOK {
			t.Errorf("GET %s (taxonomy %q): status %d, want 200; body %s", path, term.ID, r.status, truncateForLog(r.body))
			continue
		}
		if p := schemaProblem(t, "taxonomy.json", r.body); p != "" {
			t.Errorf("taxonomy %s does not match taxonomy.json:\n%s", term.ID, p)
		}
		var got apiTerm
		if err := json.Unmarshal(r.body, &got); err != nil || got != term {
			t.Errorf("GET %s = %+v, want %+v (%v)", path, got, term, err)
		}
	}
}

// ---------------------------------------------------------------------------
// 2. Page shape

func TestAPIServicePageShape(t *testing.T) {
	srv := newAPITestServer(t, false)
	cases := []struct {
		query                    string
		number, size, totalPages int
		items                    int
		first, last, empty       bool
	}{
		{"", 1, 50, 15, 50, true, false, false},
		{"page=", 1, 50, 15, 50, true, false, false},
		{"page=2", 2, 50, 15, 50, false, false, false},
		{"page=14", 14, 50, 15, 50, false, false, false},
		{"page=15", 15, 50, 15, 38, false, true, false},
		{"page=16", 16, 50, 15, 0, false, true, true},
		{"page=1000000", 1000000, 50, 15, 0, false, true, true},
		{"per_page=200", 1, 200, 4, 200, true, false, false},
		{"per_page=200&page=4", 4, 200, 4, 138, false, true, false},
		{"per_page=738", 1, 200, 4, 200, true, false, false},
		{"per_page=1&page=738", 738, 1, 738, 1, false, true, false},
		{"per_page=7&page=106", 106, 7, 106, 3, false, true, false},
		{"per_page=100000", 1, MaxPerPage, 4, MaxPerPage, true, false, false},
		{"per_page=99999999999999999999", 1, MaxPerPage, 4, MaxPerPage, true, false, false},
		{"per_page=%2010%20", 1, 10, 74, 10, true, false, false},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			srv := srv.with(t)
			path := "/api/v1/services?" + c.query
			r := srv.get(path)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s: status %d, body %s", path, r.status, truncateForLog(r.body))
			}
			p := decodePage(t, r.body)
			if p.TotalElements != 738 || p.TotalPages != c.totalPages || p.Number != c.number || p.Size != c.size ||
				p.First != c.first || p.Last != c.last || p.Empty != c.empty {
				t.Errorf("page = {total %d pages %d number %d size %d first %v last %v empty %v}, want {738 %d %d %d %v %v %v}",
					p.TotalElements, p.TotalPages, p.Number, p.Size, p.First, p.Last, p.Empty,
					c.totalPages, c.number, c.size, c.first, c.last, c.empty)
			}
			if c.items == 0 && string(p.Content) != "[]" {
				t.Errorf("content = %s, want []", p.Content)
			}
			if got := len(decodeServices(t, p.Content)); got != c.items {
				t.Errorf("%d items, want %d", got, c.items)
			}
			for _, field := range []string{"totalElements", "totalPages", "number", "size", "first", "last", "empty", "content"} {
				if !bytes.Contains(r.body, []byte(`"`+field+`":`)) {
					t.Errorf("page has no %q field", field)
				}
			}
		})
	}

	// Pages tile the list: no service twice, none missed, in id order, and
	// page 2 at size 50 is the second fifty of the 200 list.
	all, _ := srv.listAllServices("")
	ids := serviceIDs(all)
	if !sort.StringsAreSorted(ids) {
		t.Error("services are not listed in id order")
	}
	if len(slices.Compact(slices.Clone(ids))) != 738 {
		t.Error("a service appears on more than one page")
	}
	page2 := decodeServices(t, decodePage(t, srv.getOK("/api/v1/services?page=2")).Content)
	if !slices.Equal(serviceIDs(page2), ids[50:100]) {
		t.Error("page 2 at per_page 50 is not services 51–100")
	}
	last := decodeServices(t, decodePage(t, srv.getOK("/api/v1/services?page=15")).Content)
	if !slices.Equal(serviceIDs(last), ids[700:]) {
		t.Error("page 15 is not services 701–738")
	}

	// Other lists share the page shape.
	for _, c := range []struct {
		path              string
		total, pages, len int
	}{
		{"/api/v1/organizations", 239, 5, 50},
		{"/api/v1/organizations?page=5", 239, 5, 39},
		{"/api/v1/locations", 48, 1, 48},
		{"/api/v1/locations?page=2", 48, 1, 0},
	} {
		p := decodePage(t, srv.getOK(c.path))
		var items []json.RawMessage
		if err := json.Unmarshal(p.Content, &items); err != nil || p.Content == nil || string(p.Content) == "null" {
			t.Errorf("GET %s: content %s (%v)", c.path, p.Content, err)
		}
		if p.TotalElements != c.total || p.TotalPages != c.pages || len(items) != c.len || p.Empty != (c.len == 0) {
			t.Errorf("GET %s: total %d pages %d items %d empty %v, want %d %d %d %v", c.path, p.TotalElements, p.TotalPages, len(items), p.Empty, c.total, c.pages, c.len, c.len == 0)
		}
	}
}

// ---------------------------------------------------------------------------
// 3–5. Bad parameters and unknown ids

func TestAPIBadParameters(t *testing.T) {
	srv := newAPITestServer(t, false)
	long := strings.Repeat("a", 201)
	cases := []struct {
		name, path, param string
	}{
		{"page zero", "/api/v1/services?page=0", "page"},
		{"page negative", "/api/v1/services?page=-1", "page"},
		{"page word", "/api/v1/services?page=abc", "page"},
		{"page fraction", "/api/v1/services?page=1.5", "page"},
		{"page too big", "/api/v1/services?page=1000001", "page"},
		{"page overflows", "/api/v1/services?page=99999999999999999999", "page"},
		{"per_page zero", "/api/v1/services?per_page=0", "per_page"},
		{"per_page word", "/api/v1/services?per_page=abc", "per_page"},
		{"per_page negative", "/api/v1/services?per_page=-5", "per_page"},
		{"per_page negative overflow", "/api/v1/services?per_page=-99999999999999999999", "per_page"},
		{"per_page fraction", "/api/v1/services?per_page=2.5", "per_page"},
		{"organizations page zero", "/api/v1/organizations?page=0", "page"},
		{"organizations per_page word", "/api/v1/organizations?per_page=abc", "per_page"},
		{"locations page word", "/api/v1/locations?page=abc", "page"},
		{"taxonomies per_page negative", "/api/v1/taxonomies?per_page=-5", "per_page"},
		{"minimum_age word", "/api/v1/services?minimum_age=abc", "minimum_age"},
		{"minimum_age too old", "/api/v1/services?minimum_age=121", "minimum_age"},
		{"minimum_age negative", "/api/v1/services?minimum_age=-1", "minimum_age"},
		{"maximum_age fraction", "/api/v1/services?maximum_age=7.5", "maximum_age"},
		{"ages reversed", "/api/v1/services?minimum_age=30&maximum_age=20", "minimum_age"},
		{"day unknown", "/api/v1/services?day=Funday", "day"},
		{"postcode unknown district", "/api/v1/services?postcode=ZZ99%209ZZ", "postcode"},
		{"postcode not a postcode", "/api/v1/services?postcode=notapostcode", "postcode"},
		{"proximity without postcode", "/api/v1/services?proximity=5000", "proximity"},
		{"proximity negative", "/api/v1/services?postcode=DN15%206NL&proximity=-1", "proximity"},
		{"proximity zero", "/api/v1/services?postcode=DN15%206NL&proximity=0", "proximity"},
		{"proximity word", "/api/v1/services?postcode=DN15%206NL&proximity=near", "proximity"},
		{"proximity NaN", "/api/v1/services?postcode=DN15%206NL&proximity=NaN", "proximity"},
		{"proximity too far", "/api/v1/services?postcode=DN15%206NL&proximity=1000001", "proximity"},
		{"text too long", "/api/v1/services?text=" + long, "text"},
		{"root_only not a boolean", "/api/v1/taxonomies?root_only=maybe", "root_only"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := srv.with(t)
			r := srv.get(c.path)
			if r.status != http.StatusBadRequest {
				t.Fatalf("GET %s: status %d, want 400; body %s", c.path, r.status, truncateForLog(r.body))
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			var e apiErrorBody
			if err := json.Unmarshal(r.body, &e); err != nil {
				t.Fatalf("body is not JSON: %v: %s", err, r.body)
			}
			if e.Code != EINVALID || e.Message == "" {
				t.Errorf("code %q message %q, want code %q and a message", e.Code, e.Message, EINVALID)
			}
			if len(e.Errors) != 1 || e.Errors[c.param] == "" {
				t.Errorf("errors = %v, want exactly {%q: …}", e.Errors, c.param)
			}
		})
	}

	// Edges that are not errors.
	for _, path := range []string{
		"/api/v1/services?text=" + strings.Repeat("a", 200),
		"/api/v1/services?text=%20%20",
		"/api/v1/services?minimum_age=0&maximum_age=120",
		"/api/v1/services?minimum_age=20&maximum_age=20",
		"/api/v1/services?day=",
		"/api/v1/services?postcode=",
		"/api/v1/services?postcode=DN15%206NL&proximity=1000000",
		"/api/v1/services?postcode=DN15&proximity=0.5",
		"/api/v1/taxonomies?root_only=true",
		"/api/v1/taxonomies?root_only=0",
	} {
		if r := srv.get(path); r.status != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200; body %s", path, r.status, truncateForLog(r.body))
		}
	}
}

// TestAPITextLimitCountsCharacters: the text limit's message promises "at
// most 200 characters", so 200 non-ASCII characters must be accepted and 201
// rejected. (api.go compares len(f.Text), a count of bytes, so this fails
// while that stands: 101 "é" are already refused.)
func TestAPITextLimitCountsCharacters(t *testing.T) {
	srv := newAPITestServer(t, false)
	ok := srv.get("/api/v1/services?text=" + url.QueryEscape(strings.Repeat("é", 200)))
	if ok.status != http.StatusOK {
		t.Errorf("text of 200 characters (400 bytes of UTF-8): status %d, want 200; body %s", ok.status, truncateForLog(ok.body))
	}
	bad := srv.get("/api/v1/services?text=" + url.QueryEscape(strings.Repeat("é", 201)))
	if bad.status != http.StatusBadRequest {
		t.Errorf("text of 201 characters: status %d, want 400", bad.status)
	}
}

func TestAPINotFound(t *testing.T) {
	srv := newAPITestServer(t, false)
	for _, path := range []string{
		"/api/v1/services/no-such-service",
		"/api/v1/services/738f94e0-aa6c-6a5c-2395-7b64421ba2a6",
		"/api/v1/organizations/00000000-0000-4000-8000-000000000000",
		"/api/v1/organizations/not-a-uuid",
		"/api/v1/locations/no-such-location",
		"/api/v1/taxonomies/no-such-term",
		"/api/v1/taxonomies/target_audience:nobody",
		"/api/v1/nothing-here",
		"/api/v1/services/738f94e0-aa6c-6a5c-2395-7b64421ba2a5/extra",
		"/api/v1/",
	} {
		t.Run(path, func(t *testing.T) {
			srv := srv.with(t)
			r := srv.get(path)
			if r.status != http.StatusNotFound {
				t.Fatalf("status %d, want 404; body %s", r.status, truncateForLog(r.body))
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			var e apiErrorBody
			if err := json.Unmarshal(r.body, &e); err != nil {
				t.Fatalf("body is not JSON: %v: %s", err, r.body)
			}
			if e.Code != ENOTFOUND || e.Message == "" || len(e.Errors) != 0 {
				t.Errorf("body = %+v, want code %q with a message", e, ENOTFOUND)
			}
		})
	}
	// The same ids that exist answer 200, so the 404s above are about the ids.
	srv.getOK("/api/v1/services/738f94e0-aa6c-6a5c-2395-7b64421ba2a5")
	srv.getOK("/api/v1/organizations/20da2f9a-59de-622c-3b63-78d899ba0d94")
	srv.getOK("/api/v1/taxonomies/target_audience:women")
}

// ---------------------------------------------------------------------------
// 6. Headers

func TestAPIHeaders(t *testing.T) {
	srv := newAPITestServer(t, false)
	for _, path := range []string{
		"/api/v1/services",
		"/api/v1/services?text=walking",
		"/api/v1/services/738f94e0-aa6c-6a5c-2395-7b64421ba2a5",
		"/api/v1/organizations",
		"/api/v1/organizations/20da2f9a-59de-622c-3b63-78d899ba0d94",
		"/api/v1/locations",
		"/api/v1/taxonomies",
		"/api/v1/taxonomies/target_audience:women",
		"/api/v1/vocabularies",
	} {
		t.Run(path, func(t *testing.T) {
			srv := srv.with(t)
			r := srv.get(path, "Origin", "https://example.org")
			if r.status != http.StatusOK {
				t.Fatalf("status %d", r.status)
			}
			if got := r.header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin = %q, want *", got)
			}
			if got := srv.get(path).header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("without an Origin header, Access-Control-Allow-Origin = %q, want *", got)
			}
			if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
				t.Errorf("Cache-Control = %q, want a max-age", cc)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			etag := r.header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			again := srv.get(path, "Origin", "https://example.org", "If-None-Match", etag)
			if again.status != http.StatusNotModified || len(again.body) != 0 {
				t.Errorf("with If-None-Match %s: status %d, %d bytes; want 304 and no body", etag, again.status, len(again.body))
			}
			other := srv.get(path, "If-None-Match", `W/"1-1"`)
			if other.status != http.StatusOK || !bytes.Equal(other.body, r.body) || other.header.Get("ETag") != etag {
				t.Errorf("with a stale If-None-Match: status %d, ETag %q; want 200, the same body and ETag %q", other.status, other.header.Get("ETag"), etag)
			}
		})
	}
	// Different content, different ETag.
	a := srv.get("/api/v1/services?page=1").header.Get("ETag")
	b := srv.get("/api/v1/services?page=2").header.Get("ETag")
	if a == "" || a == b {
		t.Errorf("pages 1 and 2 share the ETag %q", a)
	}
	// A CORS preflight is allowed for GET from anywhere.
	pre := srv.do(http.MethodOptions, "/api/v1/services", "Origin", "https://example.org", "Access-Control-Request-Method", "GET")
	if pre.status != http.StatusNoContent || pre.header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(pre.header.Get("Access-Control-Allow-Methods"), "GET") {
		t.Errorf("preflight: status %d, headers %v", pre.status, pre.header)
	}
}

// ---------------------------------------------------------------------------
// 7. Filters

// dn15 is the centroid of postcode district DN15 in refdata/outcodes.csv.
var dn15 = [2]float64{53.609500, -0.652506}

// haversineMetres is the test's own great-circle distance.
func haversineMetres(a, b [2]float64) float64 {
	const r = 6371008.8
	toRad := func(d float64) float64 { return d * math.Pi / 180 }
	dLat, dLon := toRad(b[0]-a[0]), toRad(b[1]-a[1])
	h := math.Pow(math.Sin(dLat/2), 2) + math.Cos(toRad(a[0]))*math.Cos(toRad(b[0]))*math.Pow(math.Sin(dLon/2), 2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

// nearest is a service's distance from p: that of its nearest located place.
func nearest(s apiService, p [2]float64) (float64, bool) {
	best, found := 0.0, false
	for _, sal := range s.ServiceAtLocations {
		if sal.Location.Latitude == nil || sal.Location.Longitude == nil {
			continue
		}
		d := haversineMetres(p, [2]float64{*sal.Location.Latitude, *sal.Location.Longitude})
		if !found || d < best {
			best, found = d, true
		}
	}
	return best, found
}

func openOn(s apiService, day string) bool {
	for _, rs := range s.RegularSchedules {
		if rs.Weekday == day {
			return true
		}
	}
	for _, sal := range s.ServiceAtLocations {
		for _, rs := range sal.RegularSchedules {
			if rs.Weekday == day {
				return true
			}
		}
	}
	return false
}

// agesMatch: a service stating no ages takes anyone; otherwise one of its
// stated ranges must overlap [qmin, qmax] (nil = open-ended).
func agesMatch(s apiService, qmin, qmax *int) bool {
	stated := false
	for _, e := range s.Eligibilitys {
		if e.MinimumAge == nil && e.MaximumAge == nil {
			continue
		}
		stated = true
		if qmax != nil && e.MinimumAge != nil && *e.MinimumAge > *qmax {
			continue
		}
		if qmin != nil && e.MaximumAge != nil && *e.MaximumAge < *qmin {
			continue
		}
		return true
	}
	return !stated
}

func hasWords(s apiService, text string) bool {
	hay := strings.ToLower(s.Name + " " + s.Description + " " + s.Organization.Name)
	for _, w := range strings.Fields(strings.ToLower(text)) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

func hasTerm(s apiService, ids ...string) bool {
	for _, st := range s.ServiceTaxonomys {
		if slices.Contains(ids, st.Taxonomy.ID) {
			return true
		}
	}
	return false
}

func inVocabulary(s apiService, vocabs ...string) bool {
	for _, st := range s.ServiceTaxonomys {
		if slices.Contains(vocabs, st.Taxonomy.Vocabulary) {
			return true
		}
	}
	return false
}

func intp(n int) *int { return &n }

// fixtureOnly keeps the ids of fixture services, in order.
func fixtureOnly(ids []string) []string {
	var out []string
	for _, id := range ids {
		if strings.HasPrefix(id, "fx-") {
			out = append(out, id)
		}
	}
	return out
}

func TestAPIServiceFilters(t *testing.T) {
	srv := newAPITestServer(t, true)
	all, total := srv.listAllServices("")
	if total != 738+len(apiFixtureIDs) {
		t.Fatalf("unfiltered total = %d, want %d", total, 738+len(apiFixtureIDs))
	}
	byID := map[string]apiService{}
	for _, s := range all {
		byID[s.ID] = s
	}
	fixtureListed := fixtureOnly(serviceIDs(all))
	if !slices.Equal(fixtureListed, apiFixtureIDs) {
		t.Fatalf("fixture services listed = %v, want %v", fixtureListed, apiFixtureIDs)
	}
	if st := byID["fx-closed-cafe"].Status; st != StatusInactive {
		t.Errorf("fx-closed-cafe status = %q, want inactive", st)
	}

	type filterCase struct {
		name  string
		query string
		// want decides, from a service's full record, whether it matches.
		want func(apiService) bool
		// fixture is the exact list of fixture services expected, in id order.
		fixture []string
		// bundled is how many of the 738 bundled services match; -1 = don't care
		// beyond the oracle.
		bundled int
	}
	cases := []filterCase{
		{"taxonomy single", "taxonomy_id=fx:children", func(s apiService) bool { return hasTerm(s, "fx:children") },
			[]string{"fx-toddlers"}, 0},
		{"taxonomy comma list", "taxonomy_id=fx:children,fx:advice", func(s apiService) bool { return hasTerm(s, "fx:children", "fx:advice") },
			[]string{"fx-closed-cafe", "fx-hull-advice", "fx-toddlers"}, 0},
		{"taxonomy comma list with spaces", "taxonomy_id=fx:children%2C%20fx:advice", func(s apiService) bool { return hasTerm(s, "fx:children", "fx:advice") },
			[]string{"fx-closed-cafe", "fx-hull-advice", "fx-toddlers"}, 0},
		{"taxonomy repeated", "taxonomy_id=fx:children&taxonomy_id=fx:advice", func(s apiService) bool { return hasTerm(s, "fx:children", "fx:advice") },
			[]string{"fx-closed-cafe", "fx-hull-advice", "fx-toddlers"}, 0},
		{"taxonomy child term", "taxonomy_id=fx:toddlers", func(s apiService) bool { return hasTerm(s, "fx:toddlers") },
			[]string{"fx-toddlers"}, 0},
		{"taxonomy bundled audience", "taxonomy_id=target_audience:women", func(s apiService) bool { return hasTerm(s, "target_audience:women") },
			nil, apiCountAudience(t, "Women")},
		{"taxonomy bundled and fixture", "taxonomy_id=target_audience:carers&taxonomy_id=fx:older-people",
			func(s apiService) bool { return hasTerm(s, "target_audience:carers", "fx:older-people") },
			[]string{"fx-lunch"}, apiCountAudience(t, "Carers")},
		{"taxonomy unknown", "taxonomy_id=no-such-term", func(apiService) bool { return false }, nil, 0},
		{"vocabulary fixture", "vocabulary=fixture_age", func(s apiService) bool { return inVocabulary(s, "fixture_age") },
			[]string{"fx-closed-cafe", "fx-lunch", "fx-toddlers", "fx-youth-walks"}, 0},
		{"vocabulary list", "vocabulary=fixture_need,attending_type", func(s apiService) bool { return inVocabulary(s, "fixture_need", "attending_type") },
			[]string{"fx-closed-cafe", "fx-hull-advice", "fx-youth-walks"}, 1},
		{"vocabulary target_audience", "vocabulary=target_audience", func(s apiService) bool { return inVocabulary(s, "target_audience") },
			nil, apiCountAnyAudience(t)},
		{"ages 5 to 10", "minimum_age=5&maximum_age=10", func(s apiService) bool { return agesMatch(s, intp(5), intp(10)) },
			[]string{"fx-closed-cafe", "fx-hull-advice"}, 738},
		{"age 3 and over", "minimum_age=3", func(s apiService) bool { return agesMatch(s, intp(3), nil) },
			apiFixtureIDs, 738},
		{"age up to 3", "maximum_age=3", func(s apiService) bool { return agesMatch(s, nil, intp(3)) },
			[]string{"fx-closed-cafe", "fx-hull-advice", "fx-toddlers"}, 738},
		{"age 70 and over", "minimum_age=70", func(s apiService) bool { return agesMatch(s, intp(70), nil) },
			[]string{"fx-hull-advice", "fx-lunch"}, 738},
		{"age exactly 18 (boundaries count)", "minimum_age=18&maximum_age=18", func(s apiService) bool { return agesMatch(s, intp(18), intp(18)) },
			[]string{"fx-closed-cafe", "fx-hull-advice", "fx-youth-walks"}, 738},
		{"age exactly 4", "minimum_age=4&maximum_age=4", func(s apiService) bool { return agesMatch(s, intp(4), intp(4)) },
			[]string{"fx-closed-cafe", "fx-hull-advice", "fx-toddlers"}, 738},
		{"age exactly 60", "minimum_age=60&maximum_age=60", func(s apiService) bool { return agesMatch(s, intp(60), intp(60)) },
			[]string{"fx-hull-advice", "fx-lunch"}, 738},
		{"day monday", "day=monday", func(s apiService) bool { return openOn(s, "Monday") },
			[]string{"fx-closed-cafe", "fx-toddlers"}, 0},
		{"day MO", "day=MO", func(s apiService) bool { return openOn(s, "Monday") },
			[]string{"fx-closed-cafe", "fx-toddlers"}, 0},
		{"day Mon", "day=Mon", func(s apiService) bool { return openOn(s, "Monday") },
			[]string{"fx-closed-cafe", "fx-toddlers"}, 0},
		{"day TUESDAY", "day=TUESDAY", func(s apiService) bool { return openOn(s, "Tuesday") },
			[]string{"fx-lunch"}, 0},
		{"day thursday (feed wrote thursday in lower case)", "day=Thursday", func(s apiService) bool { return openOn(s, "Thursday") },
			[]string{"fx-lunch"}, 0},
		{"day saturday (service-level schedule)", "day=saturday", func(s apiService) bool { return openOn(s, "Saturday") },
			[]string{"fx-youth-walks"}, 0},
		{"day fr", "day=fr", func(s apiService) bool { return openOn(s, "Friday") },
			[]string{"fx-hull-advice"}, 0},
		{"day sunday", "day=Sunday", func(s apiService) bool { return openOn(s, "Sunday") }, nil, 0},
		{"text walking", "text=walking", func(s apiService) bool { return hasWords(s, "walking") },
			[]string{"fx-youth-walks"}, 28},
		{"text WALKING", "text=WALKING", func(s apiService) bool { return hasWords(s, "walking") },
			[]string{"fx-youth-walks"}, 28},
		{"text two words", "text=walking%20football", func(s apiService) bool { return hasWords(s, "walking football") }, nil, -1},
		{"text organisation name", "text=riverside%20community", func(s apiService) bool { return hasWords(s, "riverside community") },
			[]string{"fx-closed-cafe", "fx-lunch", "fx-toddlers"}, 0},
		{"text bundled organisation name", "text=victor%20house", func(s apiService) bool { return hasWords(s, "victor house") }, nil, -1},
		{"text no match", "text=xylophonist", func(apiService) bool { return false }, nil, 0},
		{"combined vocabulary day age", "vocabulary=fixture_age&day=monday&maximum_age=3",
			func(s apiService) bool {
				return inVocabulary(s, "fixture_age") && openOn(s, "Monday") && agesMatch(s, nil, intp(3))
			}, []string{"fx-closed-cafe", "fx-toddlers"}, 0},
		{"combined with text", "vocabulary=fixture_age&day=monday&maximum_age=3&text=toddlers",
			func(s apiService) bool {
				return inVocabulary(s, "fixture_age") && openOn(s, "Monday") && agesMatch(s, nil, intp(3)) && hasWords(s, "toddlers")
			}, []string{"fx-toddlers"}, 0},
		{"combined taxonomy and age, no stated ages match", "taxonomy_id=fx:advice&minimum_age=30",
			func(s apiService) bool { return hasTerm(s, "fx:advice") && agesMatch(s, intp(30), nil) },
			[]string{"fx-hull-advice"}, 0},
		{"combined audience and text", "vocabulary=target_audience&text=walking",
			func(s apiService) bool { return inVocabulary(s, "target_audience") && hasWords(s, "walking") }, nil, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := srv.with(t)
			got, total := srv.listAllServices(c.query)
			var want []string
			bundled := 0
			for _, s := range all {
				if c.want(s) {
					want = append(want, s.ID)
					if !strings.HasPrefix(s.ID, "fx-") {
						bundled++
					}
				}
			}
			gotIDs := serviceIDs(got)
			if !slices.Equal(gotIDs, want) {
				t.Errorf("?%s returned %d services, want %d;\n extra %v\n missing %v", c.query, len(gotIDs), len(want),
					setMinus(gotIDs, want), setMinus(want, gotIDs))
			}
			if total != len(want) {
				t.Errorf("?%s: totalElements %d, want %d", c.query, total, len(want))
			}
			if fx := fixtureOnly(gotIDs); !slices.Equal(fx, c.fixture) {
				t.Errorf("?%s: fixture services %v, want %v", c.query, fx, c.fixture)
			}
			if c.bundled >= 0 && bundled != c.bundled {
				t.Errorf("?%s: the oracle finds %d bundled services, the case expects %d", c.query, bundled, c.bundled)
			}
			for _, s := range got {
				if s.DistanceMetres != nil {
					t.Errorf("service %s has distance_metres %v without a postcode", s.ID, *s.DistanceMetres)
				}
				if !reflectEqualJSON(t, s, byID[s.ID]) {
					t.Errorf("service %s differs between the filtered and the unfiltered list", s.ID)
				}
			}
			// A page of the filtered list reports the same total.
			p := decodePage(t, srv.getOK("/api/v1/services?per_page=2&"+c.query))
			if p.TotalElements != len(want) || p.TotalPages != (len(want)+1)/2 || p.Empty != (len(want) == 0) {
				t.Errorf("?per_page=2&%s: total %d pages %d empty %v, want %d %d %v", c.query, p.TotalElements, p.TotalPages, p.Empty,
					len(want), (len(want)+1)/2, len(want) == 0)
			}
		})
	}
}

func reflectEqualJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		t.Fatalf("marshal: %v %v", err1, err2)
	}
	return bytes.Equal(ja, jb)
}

func setMinus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// apiCountAudience counts, straight from the bundled feed, the services whose
// pc_targetAudience lists name as a top-level audience (ignoring spacing).
func apiCountAudience(t *testing.T, name string) int {
	t.Helper()
	n := 0
	for _, s := range apiBundledAudiences(t) {
		for _, a := range s {
			if strings.TrimSpace(a) == name {
				n++
				break
			}
		}
	}
	return n
}

// apiCountAnyAudience counts the bundled services that list any audience.
func apiCountAnyAudience(t *testing.T) int {
	t.Helper()
	n := 0
	for _, s := range apiBundledAudiences(t) {
		for _, a := range s {
			if strings.TrimSpace(a) != "" {
				n++
				break
			}
		}
	}
	return n
}

func apiBundledAudiences(t *testing.T) [][]string {
	t.Helper()
	var raw []struct {
		Audience []struct {
			Type string `json:"audienceType"`
		} `json:"pc_targetAudience"`
	}
	if err := json.Unmarshal(refdata.NorthLincsServices, &raw); err != nil {
		t.Fatal(err)
	}
	out := make([][]string, len(raw))
	for i, s := range raw {
		for _, a := range s.Audience {
			out[i] = append(out[i], a.Type)
		}
	}
	return out
}

func TestAPIServiceProximity(t *testing.T) {
	srv := newAPITestServer(t, true)
	all, _ := srv.listAllServices("")

	// The fixture's places, by the test's own arithmetic from DN15's centre.
	for id, want := range map[string][2]float64{
		"fx-closed-cafe": {2000, 2500}, "fx-lunch": {2300, 2600}, "fx-toddlers": {5000, 5600},
		"fx-youth-walks": {12000, 13500}, "fx-hull-advice": {25000, 27000},
	} {
		var s apiService
		for _, x := range all {
			if x.ID == id {
				s = x
			}
		}
		if d, ok := nearest(s, dn15); !ok || d < want[0] || d > want[1] {
			t.Fatalf("fixture %s is %.0f m from DN15 (located %v); the cases below assume %v", id, d, ok, want)
		}
	}

	every := func(apiService) bool { return true }
	cases := []struct {
		name      string
		query     string
		proximity float64
		keep      func(apiService) bool // the query's other filters
		fixture   []string              // in the expected order, nearest first
	}{
		{"full postcode, default proximity", "postcode=DN15%206NL", DefaultProximity, every, []string{"fx-closed-cafe", "fx-lunch", "fx-toddlers"}},
		{"compact lower-case postcode", "postcode=dn156nl", DefaultProximity, every, []string{"fx-closed-cafe", "fx-lunch", "fx-toddlers"}},
		{"outcode", "postcode=DN15", DefaultProximity, every, []string{"fx-closed-cafe", "fx-lunch", "fx-toddlers"}},
		{"lower-case outcode", "postcode=dn15", DefaultProximity, every, []string{"fx-closed-cafe", "fx-lunch", "fx-toddlers"}},
		{"3 km", "postcode=DN15%206NL&proximity=3000", 3000, every, []string{"fx-closed-cafe", "fx-lunch"}},
		{"2.1 km", "postcode=DN15%206NL&proximity=2100", 2100, every, nil},
		{"13.5 km", "postcode=DN15%206NL&proximity=13500", 13500, every, []string{"fx-closed-cafe", "fx-lunch", "fx-toddlers", "fx-youth-walks"}},
		{"30 km, fractional", "postcode=DN15%206NL&proximity=30000.5", 30000.5, every, []string{"fx-closed-cafe", "fx-lunch", "fx-toddlers", "fx-youth-walks", "fx-hull-advice"}},
		{"with a filter", "postcode=DN15%206NL&proximity=30000&taxonomy_id=fx:advice", 30000,
			func(s apiService) bool { return hasTerm(s, "fx:advice") }, []string{"fx-closed-cafe", "fx-hull-advice"}},
		{"with day and age", "postcode=DN15&day=monday&maximum_age=3", DefaultProximity,
			func(s apiService) bool { return openOn(s, "Monday") && agesMatch(s, nil, intp(3)) }, []string{"fx-closed-cafe", "fx-toddlers"}},
	}
	var defaultIDs []string
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := srv.with(t)
			got, total := srv.listAllServices(c.query)
			type want struct {
				id string
				d  float64
			}
			var wants []want
			for _, s := range all {
				if d, ok := nearest(s, dn15); ok && d <= c.proximity && c.keep(s) {
					wants = append(wants, want{s.ID, d})
				}
			}
			if total != len(wants) || len(got) != len(wants) {
				t.Fatalf("?%s: totalElements %d, %d services; want %d", c.query, total, len(got), len(wants))
			}
			wantIDs := map[string]float64{}
			for _, w := range wants {
				wantIDs[w.id] = w.d
			}
			prev := -1.0
			for _, s := range got {
				if s.DistanceMetres == nil {
					t.Errorf("service %s has no distance_metres", s.ID)
					continue
				}
				d := *s.DistanceMetres
				if d > c.proximity {
					t.Errorf("service %s is %.1f m away, beyond %v", s.ID, d, c.proximity)
				}
				if d < prev {
					t.Errorf("service %s (%.1f m) is listed after one %.1f m away", s.ID, d, prev)
				}
				prev = d
				wd, ok := wantIDs[s.ID]
				if !ok {
					t.Errorf("service %s should not be listed", s.ID)
				} else if math.Abs(wd-d) > 1 {
					t.Errorf("service %s: distance_metres %.1f, the test computes %.1f", s.ID, d, wd)
				}
			}
			if fx := fixtureOnly(serviceIDs(got)); !slices.Equal(fx, c.fixture) {
				t.Errorf("fixture services %v, want %v (nearest first)", fx, c.fixture)
			}
			if strings.HasPrefix(c.name, "full postcode") {
				defaultIDs = serviceIDs(got)
				if len(defaultIDs) <= len(c.fixture) {
					t.Errorf("no bundled service within 10 km of DN15: %v", defaultIDs)
				}
			} else if c.proximity == DefaultProximity && !strings.HasPrefix(c.name, "with") && !slices.Equal(serviceIDs(got), defaultIDs) {
				t.Errorf("?%s lists %v, want the same as DN15 6NL: %v", c.query, serviceIDs(got), defaultIDs)
			}
		})
	}
}

// ---------------------------------------------------------------------------
// 8. Vocabularies, taxonomies and organisations

func TestAPIVocabulariesAndTaxonomyFilters(t *testing.T) {
	srv := newAPITestServer(t, true)
	var vocabs []string
	body := srv.getOK("/api/v1/vocabularies")
	if err := json.Unmarshal(body, &vocabs); err != nil {
		t.Fatalf("vocabularies is not a JSON array of strings: %v: %s", err, body)
	}
	want := []string{"attending_access", "attending_type", "deliverable_type", "fixture_age", "fixture_need", "target_audience"}
	if !slices.Equal(vocabs, want) {
		t.Errorf("vocabularies = %v, want %v", vocabs, want)
	}

	terms := func(query string) ([]apiTerm, int) {
		t.Helper()
		p := decodePage(t, srv.getOK("/api/v1/taxonomies?per_page=200&"+query))
		var out []apiTerm
		if err := json.Unmarshal(p.Content, &out); err != nil {
			t.Fatal(err)
		}
		if !p.Last {
			t.Fatalf("?%s needs more than one page", query)
		}
		return out, p.TotalElements
	}
	ages, n := terms("vocabulary=fixture_age")
	var ids []string
	for _, term := range ages {
		ids = append(ids, term.ID)
		if term.Vocabulary != "fixture_age" {
			t.Errorf("vocabulary filter returned %+v", term)
		}
	}
	if wantIDs := []string{"fx:children", "fx:older-people", "fx:toddlers", "fx:young-people"}; !slices.Equal(ids, wantIDs) || n != 4 {
		t.Errorf("fixture_age terms = %v (total %d), want %v", ids, n, wantIDs)
	}
	children, n := terms("parent_id=fx:children")
	if n != 1 || len(children) != 1 || children[0] != (apiTerm{ID: "fx:toddlers", Name: "Toddlers", Vocabulary: "fixture_age", ParentID: "fx:children"}) {
		t.Errorf("children of fx:children = %+v (total %d)", children, n)
	}
	every, total := terms("")
	roots, nRoots := terms("root_only=true")
	wantRoots := 0
	for _, term := range every {
		if term.ParentID == "" {
			wantRoots++
		}
	}
	if nRoots != wantRoots || len(roots) != wantRoots || wantRoots == total {
		t.Errorf("root_only=true: %d terms, want %d of %d", nRoots, wantRoots, total)
	}
	for _, term := range roots {
		if term.ParentID != "" {
			t.Errorf("root_only=true returned %+v", term)
		}
	}
	if _, n := terms("root_only=false"); n != total {
		t.Errorf("root_only=false: %d terms, want all %d", n, total)
	}
	grand, n := terms("parent_id=target_audience:parents")
	if n != 1 || len(grand) != 1 || grand[0].Name != "Grandparents" || grand[0].Vocabulary != "target_audience" {
		t.Errorf("children of target_audience:parents = %+v", grand)
	}
	named, n := terms("text=TODDL")
	if n != 1 || len(named) != 1 || named[0].ID != "fx:toddlers" {
		t.Errorf("text=TODDL = %+v", named)
	}
}

func TestAPIOrganizationDetail(t *testing.T) {
	srv := newAPITestServer(t, true)
	all, _ := srv.listAllServices("")
	servicesOf := map[string][]string{}
	for _, s := range all {
		servicesOf[s.Organization.ID] = append(servicesOf[s.Organization.ID], s.ID)
	}

	type orgDetail struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Services []struct {
			ID             string `json:"id"`
			Name           string `json:"name"`
			OrganizationID string `json:"organization_id"`
		} `json:"services"`
	}
	get := func(id string) orgDetail {
		t.Helper()
		body := srv.getOK("/api/v1/organizations/" + id)
		if p := schemaProblem(t, "organization.json", body); p != "" {
			t.Errorf("organisation %s does not match organization.json:\n%s", id, p)
		}
		var d orgDetail
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(body, []byte(`"services":[`)) {
			t.Errorf("organisation %s: services is not an array: %s", id, truncateForLog(body))
		}
		return d
	}

	// Every organisation's services are exactly the services that name it.
	var orgIDs []string
	for id := range servicesOf {
		orgIDs = append(orgIDs, id)
	}
	sort.Strings(orgIDs)
	if len(orgIDs) != 239+3 {
		t.Fatalf("%d organisations provide services, want 242 (239 bundled + 3 fixture)", len(orgIDs))
	}
	for _, id := range orgIDs {
		d := get(id)
		var got []string
		for _, s := range d.Services {
			got = append(got, s.ID)
			if s.OrganizationID != id {
				t.Errorf("organisation %s lists service %s of organisation %s", id, s.ID, s.OrganizationID)
			}
		}
		sort.Strings(got)
		want := slices.Clone(servicesOf[id])
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("organisation %s services = %v, want %v", id, got, want)
		}
	}

	riverside := get("a1f0c3d2-1111-4a6b-9c1d-0123456789ab")
	if riverside.Name != "Riverside Community Trust" || len(riverside.Services) != 3 {
		t.Errorf("Riverside Community Trust = %+v", riverside)
	}

	// "Papyrus UK" is two organisations in the feed, with two ids: both stay.
	var papyrus []string
	for page := 1; page <= 2; page++ {
		p := decodePage(t, srv.getOK(fmt.Sprintf("/api/v1/organizations?per_page=200&page=%d", page)))
		var orgs []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		if err := json.Unmarshal(p.Content, &orgs); err != nil {
			t.Fatal(err)
		}
		for _, o := range orgs {
			if o.Name == "Papyrus UK" {
				papyrus = append(papyrus, o.ID)
			}
		}
	}
	if want := []string{"523540d0-6cbf-cf90-70fc-ae3258b7aad0", "acd0447b-c8b2-5ce9-746d-364080a98f93"}; !slices.Equal(papyrus, want) {
		t.Fatalf("organisations named Papyrus UK = %v, want %v", papyrus, want)
	}
	for id, svc := range map[string]string{
		"523540d0-6cbf-cf90-70fc-ae3258b7aad0": "0b48081d-e5b0-93b7-bd7c-2119948c70a3",
		"acd0447b-c8b2-5ce9-746d-364080a98f93": "bebc30f1-fcff-2c16-21b9-13644de10da3",
	} {
		d := get(id)
		if d.Name != "Papyrus UK" || len(d.Services) != 1 || d.Services[0].ID != svc {
			t.Errorf("organisation %s = %+v, want Papyrus UK with service %s", id, d, svc)
		}
	}
}

// TestAPIOrganizationServicesListsAreArrays: the services inside
// /organizations/{id} encode their child lists as [] when empty, as
// /services/{id} does (read.go's nonNil: "an absent list encode as [] rather
// than null"), so clients can iterate them without a null check.
func TestAPIOrganizationServicesListsAreArrays(t *testing.T) {
	srv := newAPITestServer(t, false)
	lists := []string{"contacts", "cost_options", "eligibilitys", "languages", "regular_schedules",
		"service_areas", "service_at_locations", "service_taxonomys"}
	for _, id := range []string{"20da2f9a-59de-622c-3b63-78d899ba0d94", "523540d0-6cbf-cf90-70fc-ae3258b7aad0"} {
		var org struct {
			Services []map[string]json.RawMessage `json:"services"`
		}
		if err := json.Unmarshal(srv.getOK("/api/v1/organizations/"+id), &org); err != nil {
			t.Fatal(err)
		}
		if len(org.Services) == 0 {
			t.Fatalf("organisation %s has no services", id)
		}
		// The same service through /services/{id} has every list as an array.
		var detail map[string]json.RawMessage
		if err := json.Unmarshal(srv.getOK("/api/v1/services/"+string(bytes.Trim(org.Services[0]["id"], `"`))), &detail); err != nil {
			t.Fatal(err)
		}
		for _, field := range lists {
			if v := string(detail[field]); v == "" || v == "null" {
				t.Errorf("/services/{id}: %s = %q, want an array", field, v)
			}
		}
		bad := map[string]int{}
		for _, svc := range org.Services {
			for _, field := range lists {
				if v, ok := svc[field]; !ok || string(v) == "null" {
					bad[field]++
				}
			}
		}
		if len(bad) > 0 {
			t.Errorf("organisation %s: of its %d services, these many have the list null or missing, want []: %v", id, len(org.Services), bad)
		}
	}
}

// ---------------------------------------------------------------------------
// Fixture

// apiFixtureIDs are the fixture's services in id order.
var apiFixtureIDs = []string{"fx-closed-cafe", "fx-hull-advice", "fx-lunch", "fx-toddlers", "fx-youth-walks"}

// apiFixtureFeed is a small ORUK v1 feed of full nested services: located
// places with coordinates and postcodes, opening times at places and on the
// service, age limits, taxonomy terms in two vocabularies (one with a parent),
// contacts with phones, prices, and one inactive service.
//
//	fx-toddlers     Riverside  ages 0–4        Mon, Wed at Ashby (≈5.3 km from DN15)   fx:children, fx:toddlers
//	fx-youth-walks  Ancholme   ages 11–18      Sat (service)  at Brigg (≈12.7 km)      fx:young-people, fx:physical-activity
//	fx-lunch        Riverside  60 and over     Tue, thursday at Scunthorpe (≈2.4 km)   fx:older-people
//	fx-hull-advice  Humber     no ages         Fri at Hull (≈26 km)                    fx:advice
//	fx-closed-cafe  Riverside  up to 25        Mon at Scunthorpe (≈2.2 km), inactive   fx:young-people, fx:advice
const apiFixtureFeed = `[
{
  "id": "fx-toddlers",
  "name": "Little Steps Toddler Play",
  "description": "Messy play, songs and stories for toddlers and their grown-ups.",
  "url": "https://riverside.example.org/little-steps",
  "email": "littlesteps@riverside.example.org",
  "status": "active",
  "fees": "£1.50 per family",
  "attending_type": "venue",
  "attending_access": "drop-in",
  "assured_date": "2026-09-14",
  "organization": {"id": "a1f0c3d2-1111-4a6b-9c1d-0123456789ab", "name": "Riverside Community Trust",
    "description": "A community trust in Scunthorpe.", "email": "hello@riverside.example.org", "url": "https://riverside.example.org/"},
  "contacts": [{"id": "fx-toddlers-contact", "name": "Jo Smith", "title": "Play leader", "email": "jo@riverside.example.org",
    "phones": [{"id": "fx-toddlers-phone", "number": "01724 000001"}]}],
  "cost_options": [{"id": "fx-toddlers-cost", "option": "Per family", "amount": 1.5, "amount_description": "£1.50 per family per session"}],
  "eligibilitys": [{"id": "fx-toddlers-ages", "eligibility": "child", "minimum_age": 0, "maximum_age": 4}],
  "languages": [{"id": "fx-toddlers-en", "language": "English"}],
  "service_at_locations": [{"id": "fx-toddlers-at-ashby",
    "location": {"id": "fx-loc-ashby", "name": "Ashby Library", "latitude": 53.562, "longitude": -0.648,
      "physical_addresses": [{"id": "fx-addr-ashby", "address_1": "Ashby High Street", "city": "Scunthorpe",
        "state_province": "North Lincolnshire", "postal_code": "DN16 2RS", "country": "GB"}],
      "accessibility_for_disabilities": [{"id": "fx-acc-ashby", "accessibility": "Step-free access"}]},
    "regular_schedules": [
      {"id": "fx-toddlers-mon", "weekday": "Monday", "opens_at": "09:30", "closes_at": "11:30"},
      {"id": "fx-toddlers-wed", "weekday": "Wednesday", "opens_at": "13:00", "closes_at": "15:00"}]}],
  "service_taxonomys": [
    {"id": "fx-toddlers-t1", "taxonomy": {"id": "fx:children", "name": "Children", "vocabulary": "fixture_age"}},
    {"id": "fx-toddlers-t2", "taxonomy": {"id": "fx:toddlers", "name": "Toddlers", "vocabulary": "fixture_age", "parent_id": "fx:children"}}]
},
{
  "id": "fx-youth-walks",
  "name": "Youth Walking Club",
  "description": "Guided countryside walking for young people aged 11 to 18.",
  "url": "https://ancholme.example.org/walks",
  "status": "active",
  "assured_date": "2026-08-01",
  "organization": {"id": "b2c3d4e5-2222-4b6c-8d2e-123456789abc", "name": "Ancholme Youth Network",
    "description": "Youth work across the Ancholme valley.", "url": "https://ancholme.example.org/"},
  "contacts": [{"id": "fx-walks-contact", "title": "Youth worker", "phones": [{"id": "fx-walks-phone", "number": "01652 000002"}]}],
  "cost_options": [{"id": "fx-walks-cost", "option": "Free", "amount": 0}],
  "eligibilitys": [{"id": "fx-walks-ages", "eligibility": "teen", "minimum_age": 11, "maximum_age": 18}],
  "regular_schedules": [{"id": "fx-walks-sat", "weekday": "Saturday", "opens_at": "10:00", "closes_at": "12:00"}],
  "service_at_locations": [{"id": "fx-walks-at-brigg",
    "location": {"id": "fx-loc-brigg", "name": "Brigg Recreation Ground", "latitude": 53.5527, "longitude": -0.486,
      "physical_addresses": [{"id": "fx-addr-brigg", "address_1": "Bridge Street", "city": "Brigg",
        "state_province": "North Lincolnshire", "postal_code": "DN20 8AB", "country": "GB"}]}}],
  "service_taxonomys": [
    {"id": "fx-walks-t1", "taxonomy": {"id": "fx:young-people", "name": "Young people", "vocabulary": "fixture_age"}},
    {"id": "fx-walks-t2", "taxonomy": {"id": "fx:physical-activity", "name": "Physical activity", "vocabulary": "fixture_need"}}]
},
{
  "id": "fx-lunch",
  "name": "Tuesday Lunch Club",
  "description": "A hot two-course lunch and good company for older people.",
  "email": "lunch@riverside.example.org",
  "status": "active",
  "organization": {"id": "a1f0c3d2-1111-4a6b-9c1d-0123456789ab", "name": "Riverside Community Trust",
    "description": "A community trust in Scunthorpe.", "email": "hello@riverside.example.org", "url": "https://riverside.example.org/"},
  "contacts": [{"id": "fx-lunch-contact", "name": "Pat Jones", "phones": [{"id": "fx-lunch-phone", "number": "01724 000003"}]}],
  "cost_options": [{"id": "fx-lunch-cost", "option": "Meal", "amount": 4.5, "amount_description": "£4.50 a meal"}],
  "eligibilitys": [{"id": "fx-lunch-ages", "eligibility": "adult", "minimum_age": 60}],
  "service_at_locations": [{"id": "fx-lunch-at-town",
    "location": {"id": "fx-loc-town", "name": "Scunthorpe Central", "latitude": 53.588, "longitude": -0.654,
      "physical_addresses": [{"id": "fx-addr-town", "address_1": "Carlton Street", "city": "Scunthorpe",
        "state_province": "North Lincolnshire", "postal_code": "DN15 6NL", "country": "GB"}]},
    "regular_schedules": [
      {"id": "fx-lunch-tue", "weekday": "Tuesday", "opens_at": "12:00", "closes_at": "14:00"},
      {"id": "fx-lunch-thu", "weekday": "thursday", "opens_at": "12:00", "closes_at": "14:00"}]}],
  "service_taxonomys": [{"id": "fx-lunch-t1", "taxonomy": {"id": "fx:older-people", "name": "Older people", "vocabulary": "fixture_age"}}]
},
{
  "id": "fx-hull-advice",
  "name": "Hull Advice Drop-in",
  "description": "Free, confidential advice on benefits, debt and housing.",
  "url": "https://humber-advice.example.org/",
  "status": "active",
  "deliverable_type": "Advice",
  "attending_access": "drop-in",
  "organization": {"id": "c3d4e5f6-3333-4c7d-8e3f-23456789abcd", "name": "Humber Advice Partnership",
    "description": "Independent advice on both banks of the Humber."},
  "contacts": [{"id": "fx-hull-contact", "name": "Advice line", "phones": [{"id": "fx-hull-phone", "number": "01482 000004"}]}],
  "cost_options": [{"id": "fx-hull-cost", "option": "Free", "amount": 0}],
  "service_at_locations": [{"id": "fx-hull-at-centre",
    "location": {"id": "fx-loc-hull", "name": "Hull Advice Centre", "latitude": 53.744, "longitude": -0.332,
      "physical_addresses": [{"id": "fx-addr-hull", "address_1": "Lowgate", "city": "Hull",
        "state_province": "East Riding of Yorkshire", "postal_code": "HU1 1AA", "country": "GB"}]},
    "regular_schedules": [{"id": "fx-hull-fri", "weekday": "Friday", "opens_at": "10:00", "closes_at": "16:00"}]}],
  "service_taxonomys": [{"id": "fx-hull-t1", "taxonomy": {"id": "fx:advice", "name": "Advice", "vocabulary": "fixture_need"}}]
},
{
  "id": "fx-closed-cafe",
  "name": "Young Carers Café",
  "description": "A monthly café for young carers up to 25. Closed while we look for a new venue.",
  "status": "inactive",
  "organization": {"id": "a1f0c3d2-1111-4a6b-9c1d-0123456789ab", "name": "Riverside Community Trust",
    "description": "A community trust in Scunthorpe.", "email": "hello@riverside.example.org", "url": "https://riverside.example.org/"},
  "contacts": [{"id": "fx-cafe-contact", "name": "Sam Lee", "email": "sam@riverside.example.org",
    "phones": [{"id": "fx-cafe-phone", "number": "01724 000005"}]}],
  "cost_options": [{"id": "fx-cafe-cost", "option": "Free", "amount": 0}],
  "eligibilitys": [{"id": "fx-cafe-ages", "eligibility": "Young carers", "maximum_age": 25}],
  "service_at_locations": [{"id": "fx-cafe-at-civic",
    "location": {"id": "fx-loc-civic", "name": "Civic Centre", "latitude": 53.59, "longitude": -0.66,
      "physical_addresses": [{"id": "fx-addr-civic", "address_1": "Ashby Road", "city": "Scunthorpe",
        "state_province": "North Lincolnshire", "postal_code": "DN16 1AB", "country": "GB"}]},
    "regular_schedules": [{"id": "fx-cafe-mon", "weekday": "Monday", "opens_at": "16:00", "closes_at": "18:00", "freq": "MONTHLY", "byday": "1MO"}]}],
  "service_taxonomys": [
    {"id": "fx-cafe-t1", "taxonomy": {"id": "fx:young-people", "name": "Young people", "vocabulary": "fixture_age"}},
    {"id": "fx-cafe-t2", "taxonomy": {"id": "fx:advice", "name": "Advice", "vocabulary": "fixture_need"}}]
}
]`
