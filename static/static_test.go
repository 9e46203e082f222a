package static

import (
	"io"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func TestAssetsServedHashedAndCached(t *testing.T) {
	p := Path("signpost.css")
	if !regexp.MustCompile(`^/static/signpost\.[0-9a-f]{10}\.css$`).MatchString(p) {
		t.Fatalf("Path(signpost.css) = %q", p)
	}
	app := fiber.New()
	Register(app)
	for _, c := range []struct {
		path, cache, ctype string
		status             int
	}{
		{p, "max-age=31536000, immutable", "text/css", 200},
		{"/static/signpost.css", "max-age=86400", "text/css", 200}, // the styles' own references
		{Path("signpost.js"), "immutable", "javascript", 200},
		{"/static/nhsuk/images/nhsuk-icon-cross.svg", "max-age=86400", "image/svg+xml", 200},
		{"/static/ATTRIBUTION.md", "", "", 404},
		{"/static/../static.go", "", "", 404},
	} {
		resp, err := app.Test(httptest.NewRequest("GET", c.path, nil))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d", c.path, resp.StatusCode)
			continue
		}
		if c.status != 200 {
			continue
		}
		if !strings.Contains(resp.Header.Get("Cache-Control"), c.cache) || !strings.Contains(resp.Header.Get("Content-Type"), c.ctype) {
			t.Errorf("%s: Cache-Control %q, Content-Type %q", c.path, resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Type"))
		}
		if len(body) == 0 {
			t.Errorf("%s: empty", c.path)
		}
	}
	// The styles fetch no font and nothing from another site.
	resp, _ := app.Test(httptest.NewRequest("GET", p, nil))
	css, _ := io.ReadAll(resp.Body)
	if strings.Contains(string(css), "@font-face") || regexp.MustCompile(`url\(["']?(https?:)?//`).Match(css) {
		t.Error("the stylesheet loads a font or something from another site")
	}
}

func TestShortlistIDs(t *testing.T) {
	ids := []string{"a", "b,c", "d e", "a"}
	got := ParseIDs(FormatIDs(ids))
	if !slices.Equal(got, []string{"a", "b,c", "d e"}) {
		t.Errorf("round trip: %q", got)
	}
	var many []string
	for i := 0; i < 50; i++ {
		many = append(many, strings.Repeat("x", 30)+string(rune('A'+i%26))+string(rune('a'+i/26)))
	}
	if got := ParseIDs(FormatIDs(many)); len(got) > MaxShortlist || len(FormatIDs(many)) > maxCookie {
		t.Errorf("%d ids kept in %d bytes", len(got), len(FormatIDs(many)))
	}
	if got := ParseIDs("%zz,ok,,"); !slices.Equal(got, []string{"ok"}) {
		t.Errorf("bad escapes: %q", got)
	}
}

func TestMiles(t *testing.T) {
	for m, want := range map[float64]string{50: "less than 0.1 miles", 1609.344: "1 mile", 3218.7: "2 miles", 4000: "2.5 miles", 40000: "25 miles"} {
		if got := Miles(m); got != want {
			t.Errorf("Miles(%v) = %q, want %q", m, got, want)
		}
	}
}
