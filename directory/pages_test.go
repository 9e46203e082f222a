package directory

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

const pagesFeed = `[{"id":"walk","name":"Riverside Walk","description":"A gentle walk.\n- for all ages\n- no booking","status":"active",
 "attending_access":"drop-in","url":"https://walks.example.org/","email":"walks@example.org",
 "organization":{"id":"5a0b7e9c-1d2e-4f3a-8b4c-5d6e7f8a9b0c","name":"Walkers","description":"We walk."},
 "eligibilitys":[{"id":"e1","minimum_age":18}],
 "contacts":[{"id":"c1","name":"Ann","phones":[{"id":"p1","number":"01724 123456"}]}],
 "regular_schedules":[{"id":"r1","weekday":"Tuesday","opens_at":"09:30","closes_at":"12:00"},{"id":"r2","weekday":"Monday","opens_at":"18:00","closes_at":"19:15"}]},
 {"id":"gone","name":"Old Club","description":"Closed down.","status":"defunct",
 "organization":{"id":"5a0b7e9c-1d2e-4f3a-8b4c-5d6e7f8a9b0c","name":"Walkers","description":"We walk."}}]`

func pagesApp(t *testing.T) (*fiber.App, *Store) {
	t.Helper()
	s, _ := openTestStore(t)
	mustImport(t, s, []byte(pagesFeed), "test")
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(quietLog)})
	NewPages(s, quietLog, nil).Register(app)
	return app, s
}

func do(t *testing.T, app *fiber.App, method, path string, form url.Values, cookies ...*http.Cookie) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func TestServicePage(t *testing.T) {
	app, _ := pagesApp(t)
	resp, body := do(t, app, "GET", "/services/walk", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"<h1>Riverside Walk</h1>", "Ages 18 and over", "You can drop in", "Monday: 6pm to 7:15pm",
		"Tuesday: 9:30am to 12pm", `href="tel:01724123456"`, `href="mailto:walks@example.org"`, `href="https://walks.example.org/"`,
		"<li>for all ages</li>", "Last checked on", "Report a problem with this page"} {
		if !strings.Contains(body, want) {
			t.Errorf("the service page lacks %q", want)
		}
	}
	if strings.Index(body, "Monday: 6pm") > strings.Index(body, "Tuesday: 9:30am") {
		t.Error("opening times are not in week order")
	}
	if resp, _ := do(t, app, "GET", "/services/nope", nil); resp.StatusCode != 404 {
		t.Errorf("unknown service: %d", resp.StatusCode)
	}
	resp, body = do(t, app, "GET", "/services/gone", nil)
	if resp.StatusCode != http.StatusGone || !strings.Contains(body, "No longer running") {
		t.Errorf("defunct service: %d", resp.StatusCode)
	}
	resp, body = do(t, app, "GET", "/organisations/5a0b7e9c-1d2e-4f3a-8b4c-5d6e7f8a9b0c", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "Riverside Walk") || strings.Contains(body, "Old Club") {
		t.Errorf("organisation page: %d, lists the defunct service: %v", resp.StatusCode, strings.Contains(body, "Old Club"))
	}
}

func TestShortlistChanges(t *testing.T) {
	app, _ := pagesApp(t)
	post := func(form url.Values, cookies ...*http.Cookie) (*http.Response, *http.Cookie) {
		resp, _ := do(t, app, "POST", "/shortlist", form, cookies...)
		for _, c := range resp.Cookies() {
			if c.Name == "shortlist" {
				return resp, c
			}
		}
		return resp, nil
	}
	resp, ck := post(url.Values{"action": {"add"}, "id": {"walk"}, "return": {"/?q=walk"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/?q=walk" || ck == nil || ck.Value != "walk" {
		t.Fatalf("add: %d %q %+v", resp.StatusCode, resp.Header.Get("Location"), ck)
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
		t.Errorf("shortlist cookie %+v is not HttpOnly, SameSite=Lax", ck)
	}
	_, body := do(t, app, "GET", "/shortlist", nil, ck)
	if !strings.Contains(body, "Riverside Walk") || !strings.Contains(body, "/shortlist?ids=walk") {
		t.Errorf("the shortlist page does not show the service and its link")
	}
	// Only a path on this site is a return address.
	for _, evil := range []string{"//evil.example/", "https://evil.example/", "/\\evil"} {
		resp, _ := post(url.Values{"action": {"add"}, "id": {"walk"}, "return": {evil}}, ck)
		if resp.Header.Get("Location") != "/shortlist" {
			t.Errorf("return %q redirected to %q", evil, resp.Header.Get("Location"))
		}
	}
	if resp, _ := post(url.Values{"action": {"add"}, "id": {"no-such"}}, ck); resp.StatusCode != 404 {
		t.Errorf("adding an unknown service: %d", resp.StatusCode)
	}
	if resp, _ := post(url.Values{"action": {"explode"}}, ck); resp.StatusCode != 400 {
		t.Errorf("an unknown action: %d", resp.StatusCode)
	}
	_, cleared := post(url.Values{"action": {"remove"}, "id": {"walk"}}, ck)
	if cleared == nil || cleared.Value != "" {
		t.Errorf("remove left %+v", cleared)
	}
	// A shared list shows without a cookie, and can be kept.
	_, body = do(t, app, "GET", "/shortlist?ids=walk,nope", nil)
	if !strings.Contains(body, "Someone shared this list") || !strings.Contains(body, "1 service on this list is no longer") {
		t.Errorf("shared list page")
	}
	_, kept := post(url.Values{"action": {"save"}, "ids": {"walk"}})
	if kept == nil || kept.Value != "walk" {
		t.Errorf("save kept %+v", kept)
	}
	_, body = do(t, app, "GET", "/shortlist/print?ids=walk", nil)
	if !strings.Contains(body, "Services to contact") || strings.Contains(body, `class="nhsuk-header"`) {
		t.Error("the print view")
	}
}

func TestProblemReports(t *testing.T) {
	app, store := pagesApp(t)
	ctx := context.Background()
	report := func(form url.Values) (*http.Response, string) {
		return do(t, app, "POST", "/services/walk/report", form)
	}
	// Bad: nothing chosen, too short. The messages, and what was typed, come back.
	resp, body := report(url.Values{"details": {"short"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad report: %d", resp.StatusCode)
	}
	for _, want := range []string{"There is a problem", `href="#problem"`, "Select what the problem is", "at least 10 characters", ">short</textarea>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the bad report's page lacks %q", want)
		}
	}
	// A bot fills the hidden field: thanked, nothing kept.
	resp, _ = report(url.Values{"problem": {"closed"}, "details": {"buy cheap pills at example.com"}, "website": {"http://spam.example"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("honeypot: %d", resp.StatusCode)
	}
	if got, _ := store.ProblemReports(ctx); len(got) != 0 {
		t.Fatalf("the bot's report was kept: %+v", got)
	}
	// Good.
	resp, _ = report(url.Values{"problem": {"contact-wrong"}, "details": {"  The phone number is now 01724 999999.  "}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/services/walk?reported=1" {
		t.Fatalf("good report: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	got, err := store.ProblemReports(ctx)
	if err != nil || len(got) != 1 {
		t.Fatalf("reports: %+v %v", got, err)
	}
	if r := got[0]; r.ServiceID != "walk" || r.Problem != "contact-wrong" || r.Details != "The phone number is now 01724 999999." || r.Status != "new" || r.CreatedAt.IsZero() {
		t.Errorf("stored report %+v", r)
	}
	if resp, _ := do(t, app, "POST", "/services/nope/report", url.Values{"problem": {"closed"}, "details": {"it has gone away now"}}); resp.StatusCode != 404 {
		t.Errorf("report on an unknown service: %d", resp.StatusCode)
	}
	// Rate limited: five a few minutes from one address.
	limited := false
	for i := 0; i < 8 && !limited; i++ {
		resp, body := report(url.Values{"problem": {"other"}, "details": {"another report about it"}})
		limited = resp.StatusCode == http.StatusTooManyRequests && strings.Contains(body, "Please wait")
	}
	if !limited {
		t.Error("reports were never rate-limited")
	}
}

func TestWords(t *testing.T) {
	for in, want := range map[string]string{"09:30": "9:30am", "12:00": "12pm", "00:00": "midnight", "13:05": "1:05pm", "23:59": "11:59pm", "bad": "bad"} {
		if got := ClockWords(in); got != want {
			t.Errorf("ClockWords(%q) = %q, want %q", in, got, want)
		}
	}
	lo, hi := 11, 18
	for _, c := range []struct {
		e    []Eligibility
		want string
	}{
		{nil, ""},
		{[]Eligibility{{ID: "a", MinimumAge: &lo, MaximumAge: &hi}}, "Ages 11 to 18"},
		{[]Eligibility{{ID: "a", MaximumAge: &hi}}, "Up to age 18"},
	} {
		if got := AgesWords(&ServiceDetail{Service: Service{Eligibilitys: c.e}}); got != c.want {
			t.Errorf("AgesWords = %q, want %q", got, c.want)
		}
	}
	two := 2
	d := &ServiceDetail{Service: Service{RegularSchedules: []RegularSchedule{
		{ID: "a", Weekday: "Sunday", OpensAt: "10:00"},
		{ID: "b", Weekday: "Wednesday", OpensAt: "14:00", ClosesAt: "16:30", Interval: &two},
	}}}
	got := OpeningTimes(d)
	if len(got) != 2 || got[0] != "Wednesday: 2pm to 4:30pm (every 2 weeks)" || got[1] != "Sunday: from 10am" {
		t.Errorf("OpeningTimes = %q", got)
	}
	for in, want := range map[string]string{"javascript:alert(1)": "", "https://ok.example/": "https://ok.example/", "ftp://x": "", "/relative": ""} {
		if got := safeURL(in); got != want {
			t.Errorf("safeURL(%q) = %q", in, got)
		}
	}
	if got := telURI(`01724 0"><b>`); got != "tel:017240" {
		t.Errorf("telURI = %q", got)
	}
}
