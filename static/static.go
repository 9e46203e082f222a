// Package static holds what every Signpost page shares, embedded in the
// binary: the compiled NHS.UK frontend styles with Signpost's own (built by
// scripts/build-static.sh from static/scss), the images they use, one small
// script, and the page layout. It serves the assets under /static/ with
// content-hashed names and long cache lifetimes, and renders pages: each
// domain package brings its own page templates and data; the layout,
// header, footer and shortlist count come from here.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"mime"
	"net/url"
	"path"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
)

//go:embed assets templates
var files embed.FS

type asset struct {
	data        []byte
	contentType string
	immutable   bool
}

var (
	loadOnce sync.Once
	byURL    map[string]asset  // URL path → asset
	hashed   map[string]string // asset name → its content-hashed URL path
)

func load() {
	byURL, hashed = map[string]asset{}, map[string]string{}
	err := fs.WalkDir(files, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "assets/")
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		// The plain name stays served (the styles refer to their images by
		// it), for a day; the hashed name forever.
		byURL["/static/"+name] = asset{data: data, contentType: ct}
		sum := sha256.Sum256(data)
		ext := path.Ext(name)
		h := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		byURL[h] = asset{data: data, contentType: ct, immutable: true}
		hashed[name] = h
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("static: reading the embedded assets: %v", err))
	}
}

// Path is the content-hashed URL of an asset ("signpost.css" →
// "/static/signpost.1a2b3c4d5e.css"), so a changed file is a new URL and an
// unchanged one can be cached for a year.
func Path(name string) string {
	loadOnce.Do(load)
	if p, ok := hashed[name]; ok {
		return p
	}
	return "/static/" + name
}

// Register serves the assets.
func Register(r fiber.Router) {
	loadOnce.Do(load)
	r.Get("/static/*", func(c *fiber.Ctx) error {
		a, ok := byURL[c.Path()]
		if !ok {
			return fiber.ErrNotFound
		}
		c.Set(fiber.HeaderContentType, a.contentType)
		if a.immutable {
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		} else {
			c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
		}
		return c.Send(a.data)
	})
}

// Page is what every page template gets: its own data in Data, and what
// the layout needs.
type Page struct {
	Title     string // the page's own title; the layout adds " – Signpost"
	Nav       string // which header link is current: "search", "shortlist", "about"
	CSRF      string // the form token, for pages with forms
	Shortlist []string
	Print     bool // the bare print layout
	Status    int  // the HTTP status, 200 unless set
	Data      any
}

// NewPage starts a page for a request: its shortlist and form token.
func NewPage(c *fiber.Ctx, title, nav string, data any) Page {
	token, _ := c.Locals(CSRFKey).(string)
	return Page{Title: title, Nav: nav, CSRF: token, Shortlist: Shortlist(c), Data: data, Status: fiber.StatusOK}
}

// CSRFKey is the fiber Locals key the CSRF middleware keeps the token under.
const CSRFKey = "csrf"

// Renderer renders one package's pages inside the shared layout.
type Renderer struct {
	pages map[string]*template.Template
}

// NewRenderer parses each page template of pagesFS (a file "x.html" defining
// "content", and optionally "head") with the layout and shared partials.
// funcs are added to the shared functions.
func NewRenderer(pagesFS fs.FS, pattern string, funcs template.FuncMap) (*Renderer, error) {
	base, err := template.New("layout").Funcs(Funcs).Funcs(funcs).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("static: layout: %w", err)
	}
	names, err := fs.Glob(pagesFS, pattern)
	if err != nil {
		return nil, err
	}
	r := &Renderer{pages: map[string]*template.Template{}}
	for _, n := range names {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(pagesFS, n); err != nil {
			return nil, fmt.Errorf("static: page %s: %w", n, err)
		}
		r.pages[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return r, nil
}

// MustRenderer is NewRenderer for templates embedded in the binary, where an
// error is a programming mistake.
func MustRenderer(pagesFS fs.FS, pattern string, funcs template.FuncMap) *Renderer {
	r, err := NewRenderer(pagesFS, pattern, funcs)
	if err != nil {
		panic(err)
	}
	return r
}

// Render writes a page. The whole page is rendered before anything is sent,
// so a template error becomes a proper error page, not half a page.
func (r *Renderer) Render(c *fiber.Ctx, name string, p Page) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("static: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("static: render %s: %w", name, err)
	}
	if p.Status == 0 {
		p.Status = fiber.StatusOK
	}
	c.Status(p.Status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store") // pages carry a form token and the shortlist
	return c.Send(buf.Bytes())
}

// Funcs are the template functions every page may use.
var Funcs = template.FuncMap{
	"asset": Path,
	"add":   func(a, b int) int { return a + b },
	"sub":   func(a, b int) int { return a - b },
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
	"join":  strings.Join,
	"miles": Miles,
	"navItem": func(current, name, href, text string) map[string]any {
		return map[string]any{"Current": current == name, "Href": href, "Text": text}
	},
	"pathEsc": url.PathEscape,
}

// Miles says a distance in metres the way people in England read one.
func Miles(metres float64) string {
	mi := metres / 1609.344
	switch {
	case mi < 0.1:
		return "less than 0.1 miles"
	case mi < 10:
		n := strings.TrimSuffix(fmt.Sprintf("%.1f", mi), ".0")
		if n == "1" {
			return "1 mile"
		}
		return n + " miles"
	}
	return fmt.Sprintf("%.0f miles", math.Round(mi))
}
