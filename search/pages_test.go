package search

import (
	"context"
	"io"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/signpost-uk/signpost/directory"
)

func pagesApp(t testing.TB) *fiber.App {
	t.Helper()
	d := demoIndex(t)
	app := fiber.New(fiber.Config{ErrorHandler: directory.ErrorHandler(quietLog)})
	NewPages(NewSearcher(d.index, d.store, d.outcodes, nil)).Register(app)
	return app
}

func getPage(t testing.TB, app *fiber.App, path string) (int, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Accept", "text/html")
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(b)
}

func TestSearchPage(t *testing.T) {
	app := pagesApp(t)
	cases := []struct {
		name, path string
		status     int
		want, not  []string
	}{
		{"start", "/", 200, []string{"Find local help and support", "Browse by type of help", "Befriending and social groups"}, []string{"Filter the results"}},
		{"words and place", "/?q=" + url.QueryEscape("feeling lonely") + "&postcode=DN15", 200,
			[]string{"for ‘feeling lonely’ near DN15", "miles away", "Filter the results", `name="category"`, "<mark>", "Add to shortlist"}, nil},
		{"unknown postcode", "/?q=food&postcode=" + url.QueryEscape("ZZ99 9ZZ"), 400,
			[]string{"There is a problem", `href="#postcode"`, "Enter a real postcode", `value="food"`, `value="ZZ99 9ZZ"`}, []string{"results-heading"}},
		{"bad age", "/?q=food&age=ten", 400, []string{"Enter an age in whole years", `value="ten"`}, nil},
		{"typo corrected", "/?q=dimentia", 200, []string{"Showing results for ‘<strong>dementia</strong>’"}, nil},
		{"nothing found", "/?q=zzqqxxvv", 200, []string{"No services found", "What you can try", "by type of help"}, nil},
		{"too far away", "/?q=" + url.QueryEscape("food bank") + "&postcode=TR18&proximity=1609", 200,
			[]string{"No services found", "Search up to 3 miles away", "Search everywhere, not only near TR18"}, nil},
		{"nothing with filters", "/?q=" + url.QueryEscape("food bank") + "&delivery=phone&day=Sunday", 200, []string{"Remove the filters"}, nil},
		{"category", "/?category=food", 200, []string{"services", "Food"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := getPage(t, app, c.path)
			if status != c.status {
				t.Errorf("status %d, want %d", status, c.status)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("the page lacks %q", w)
				}
			}
			for _, n := range c.not {
				if strings.Contains(body, n) {
					t.Errorf("the page has %q", n)
				}
			}
		})
	}
}

// A search on the page that finds nothing is counted as an unmet need, by
// its words only.
func TestSearchPageCountsUnmetNeeds(t *testing.T) {
	d := demoIndex(t)
	unmet, err := NewUnmet(d.store, nil)
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{ErrorHandler: directory.ErrorHandler(quietLog)})
	NewPages(NewSearcher(d.index, d.store, d.outcodes, unmet)).Register(app)
	for i := 0; i < 2; i++ {
		if status, _ := getPage(t, app, "/?q="+url.QueryEscape("underwater basket weaving")+"&postcode=DN15"); status != 200 {
			t.Fatal(status)
		}
	}
	list, err := unmet.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, u := range list {
		if u.Query == "underwater basket weaving" {
			found = u.Count == 2
		}
		if strings.Contains(u.Query, "dn15") {
			t.Errorf("the postcode was kept with the words: %q", u.Query)
		}
	}
	if !found {
		t.Errorf("unmet needs %+v lack the search, counted twice", list)
	}
}

func TestSearchPagePagination(t *testing.T) {
	app := pagesApp(t)
	_, first := getPage(t, app, "/?q=support")
	i := strings.Index(first, `rel="next"`)
	if i < 0 {
		t.Fatal("no next page for 'support'")
	}
	href := first[strings.LastIndex(first[:i], `href="`)+6:]
	href = strings.ReplaceAll(href[:strings.Index(href, `"`)], "&amp;", "&")
	if !strings.Contains(href, "page=2") || !strings.Contains(href, "q=support") {
		t.Fatalf("next link %q", href)
	}
	status, second := getPage(t, app, href)
	if status != 200 || !strings.Contains(second, "Page 2 of") || !strings.Contains(second, `rel="prev"`) {
		t.Errorf("page 2: %d", status)
	}
}

func TestSpellingSuggestion(t *testing.T) {
	d := demoIndex(t)
	for in, want := range map[string]string{"scunthrope walks": "scunthorpe walks", "walking": "", "zzqqxxvv": ""} {
		if got := d.index.SpellingSuggestion(context.Background(), in); got != want {
			t.Errorf("SpellingSuggestion(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkSearchPage renders the results page for a mix of searches on the
// demo directory, in-process, with the result cache off.
//
//	go test ./search -run '^$' -bench SearchPage -benchtime 500x
func BenchmarkSearchPage(b *testing.B) {
	app := pagesApp(b)
	paths := []string{"/?q=lonely", "/?q=" + url.QueryEscape("money worries") + "&postcode=DN15", "/?category=food",
		"/?q=walking+group&cost=free", "/?q=dimentia&postcode=DN16", "/"}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if status, _ := getPage(b, app, paths[i%len(paths)]); status != 200 {
			b.Fatalf("%s: %d", paths[i%len(paths)], status)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
