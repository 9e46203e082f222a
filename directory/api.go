package directory

import (
	"context"
	"math"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cors"
	"github.com/gofiber/fiber/v2/middleware/etag"
)

// Paging limits of the read API.
const (
	DefaultPerPage   = 50
	MaxPerPage       = 200
	DefaultProximity = 10000 // metres, when a postcode is given without a proximity
	MaxProximity     = 1000000
)

// ServiceLister answers GET /services. The store is one; the search index,
// when it is ready, is another that answers the same filters faster.
type ServiceLister interface {
	ListServices(ctx context.Context, f ServiceFilter, page PageRequest) ([]ServiceHit, int, error)
}

// API serves the ORUK v1 read API.
type API struct {
	store    *Store
	services ServiceLister
	outcodes *Outcodes
}

// NewAPI returns the read API over the store. Services are listed by the store
// until SetServiceLister names something faster.
func NewAPI(store *Store, outcodes *Outcodes) *API {
	return &API{store: store, services: store, outcodes: outcodes}
}

// SetServiceLister replaces what answers GET /services.
func (a *API) SetServiceLister(l ServiceLister) { a.services = l }

// Register mounts the API's routes on r (normally the /api/v1 group).
func (a *API) Register(r fiber.Router) {
	r.Use(cors.New(cors.Config{AllowOrigins: "*", AllowMethods: "GET,HEAD,OPTIONS"}))
	r.Use(func(c *fiber.Ctx) error {
		// Public open data: any site may read it, with or without an Origin header.
		c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
		if err := c.Next(); err != nil {
			c.Set(fiber.HeaderCacheControl, "no-store") // Never let a cache keep an error.
			return err
		}
		c.Set(fiber.HeaderCacheControl, "public, max-age=60")
		return nil
	})
	r.Use(etag.New(etag.Config{Weak: true}))
	r.Get("/services", a.listServices)
	r.Get("/services/:id", a.getService)
	r.Get("/organizations", a.listOrganizations)
	r.Get("/organizations/:id", a.getOrganization)
	r.Get("/locations", a.listLocations)
	r.Get("/locations/:id", a.getLocation)
	r.Get("/taxonomies", a.listTaxonomies)
	r.Get("/taxonomies/:id", a.getTaxonomy)
	r.Get("/vocabularies", a.vocabularies)
}

// Page is the ORUK v1 page shape.
type Page[T any] struct {
	TotalElements int  `json:"totalElements"`
	TotalPages    int  `json:"totalPages"`
	Number        int  `json:"number"`
	Size          int  `json:"size"`
	First         bool `json:"first"`
	Last          bool `json:"last"`
	Empty         bool `json:"empty"`
	Content       []T  `json:"content"`
}

// NewPage wraps one page of items in the ORUK v1 page shape.
func NewPage[T any](items []T, total int, req PageRequest) Page[T] {
	if items == nil {
		items = []T{}
	}
	pages := int(math.Ceil(float64(total) / float64(req.Size)))
	return Page[T]{TotalElements: total, TotalPages: pages, Number: req.Number, Size: req.Size,
		First: req.Number == 1, Last: req.Number >= pages, Empty: len(items) == 0, Content: items}
}

// ParsePage reads page and per_page: page from 1, per_page from 1 and capped.
func ParsePage(c *fiber.Ctx) (PageRequest, error) {
	req := PageRequest{Number: 1, Size: DefaultPerPage}
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 {
			return req, InvalidParam("page", "must be a whole number from 1 up")
		}
		if n > 1_000_000 {
			return req, InvalidParam("page", "must be at most 1000000")
		}
		req.Number = n
	}
	if v := c.Query("per_page"); v != "" {
		v = strings.TrimSpace(v)
		n, err := strconv.Atoi(v)
		if err != nil && isAllDigits(v) {
			n, err = MaxPerPage, nil // A number too big for an int is simply "a lot".
		}
		if err != nil || n < 1 {
			return req, InvalidParam("per_page", "must be a whole number from 1 up")
		}
		req.Size = min(n, MaxPerPage)
	}
	return req, nil
}

func isAllDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// MultiQuery reads a parameter that may repeat or hold a comma-separated list.
func MultiQuery(c *fiber.Ctx, name string) []string {
	var out []string
	for _, raw := range c.Context().QueryArgs().PeekMulti(name) {
		for _, part := range strings.Split(string(raw), ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

func ageParam(c *fiber.Ctx, name string) (*int, error) {
	v := strings.TrimSpace(c.Query(name))
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 120 {
		return nil, InvalidParam(name, "must be an age in whole years from 0 to 120")
	}
	return &n, nil
}

// ParseServiceFilter reads the ORUK v1 /services query parameters; postcodes
// are resolved offline through outcodes.
func ParseServiceFilter(c *fiber.Ctx, outcodes *Outcodes) (ServiceFilter, error) {
	var f ServiceFilter
	f.Text = strings.TrimSpace(c.Query("text"))
	if utf8.RuneCountInString(f.Text) > 200 {
		return f, InvalidParam("text", "must be at most 200 characters")
	}
	f.TaxonomyIDs = MultiQuery(c, "taxonomy_id")
	f.Vocabularies = MultiQuery(c, "vocabulary")
	var err error
	if f.MinimumAge, err = ageParam(c, "minimum_age"); err != nil {
		return f, err
	}
	if f.MaximumAge, err = ageParam(c, "maximum_age"); err != nil {
		return f, err
	}
	if f.MinimumAge != nil && f.MaximumAge != nil && *f.MinimumAge > *f.MaximumAge {
		return f, InvalidParam("minimum_age", "must not be greater than maximum_age")
	}
	if v := strings.TrimSpace(c.Query("day")); v != "" {
		if f.Day = NormaliseWeekday(v); f.Day == "" {
			return f, InvalidParam("day", "must be a day of the week, like Monday")
		}
	}
	postcode := strings.TrimSpace(c.Query("postcode"))
	proximity := strings.TrimSpace(c.Query("proximity"))
	if postcode != "" {
		pt, _, ok := outcodes.Lookup(postcode)
		if !ok {
			return f, InvalidParam("postcode", "is not a UK postcode or postcode district we know, like DN15 6NL or DN15")
		}
		f.Near = &pt
		f.Proximity = DefaultProximity
	}
	if proximity != "" {
		if postcode == "" {
			return f, InvalidParam("proximity", "needs a postcode to measure from")
		}
		m, err := strconv.ParseFloat(proximity, 64)
		if err != nil || m <= 0 || m > MaxProximity || math.IsNaN(m) {
			return f, InvalidParam("proximity", "must be a distance in metres from 1 to 1000000")
		}
		f.Proximity = m
	}
	return f, nil
}

func (a *API) listServices(c *fiber.Ctx) error {
	page, err := ParsePage(c)
	if err != nil {
		return err
	}
	f, err := ParseServiceFilter(c, a.outcodes)
	if err != nil {
		return err
	}
	hits, total, err := a.services.ListServices(c.UserContext(), f, page)
	if err != nil {
		return err
	}
	return c.JSON(NewPage(hits, total, page))
}

func (a *API) getService(c *fiber.Ctx) error {
	d, err := a.store.ServiceDetail(c.UserContext(), pathID(c))
	if err != nil {
		return err
	}
	return c.JSON(d)
}

func (a *API) listOrganizations(c *fiber.Ctx) error {
	page, err := ParsePage(c)
	if err != nil {
		return err
	}
	orgs, total, err := a.store.ListOrganizations(c.UserContext(), page)
	if err != nil {
		return err
	}
	return c.JSON(NewPage(orgs, total, page))
}

func (a *API) getOrganization(c *fiber.Ctx) error {
	d, err := a.store.OrganizationDetail(c.UserContext(), pathID(c))
	if err != nil {
		return err
	}
	return c.JSON(d)
}

func (a *API) listLocations(c *fiber.Ctx) error {
	page, err := ParsePage(c)
	if err != nil {
		return err
	}
	locs, total, err := a.store.ListLocations(c.UserContext(), page)
	if err != nil {
		return err
	}
	for i := range locs {
		nonNil(&locs[i].PhysicalAddresses)
		nonNil(&locs[i].AccessibilityForDisabilities)
	}
	return c.JSON(NewPage(locs, total, page))
}

func (a *API) getLocation(c *fiber.Ctx) error {
	l, err := a.store.Location(c.UserContext(), pathID(c))
	if err != nil {
		return err
	}
	nonNil(&l.PhysicalAddresses)
	nonNil(&l.AccessibilityForDisabilities)
	return c.JSON(l)
}

func (a *API) listTaxonomies(c *fiber.Ctx) error {
	page, err := ParsePage(c)
	if err != nil {
		return err
	}
	f := TaxonomyFilter{Vocabulary: strings.TrimSpace(c.Query("vocabulary")), ParentID: strings.TrimSpace(c.Query("parent_id")),
		Text: strings.TrimSpace(c.Query("text"))}
	if v := c.Query("root_only"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return InvalidParam("root_only", "must be true or false")
		}
		f.RootOnly = b
	}
	terms, total, err := a.store.ListTaxonomies(c.UserContext(), f, page)
	if err != nil {
		return err
	}
	return c.JSON(NewPage(terms, total, page))
}

func (a *API) getTaxonomy(c *fiber.Ctx) error {
	t, err := a.store.Taxonomy(c.UserContext(), pathID(c))
	if err != nil {
		return err
	}
	return c.JSON(t)
}

func (a *API) vocabularies(c *fiber.Ctx) error {
	v, err := a.store.Vocabularies(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// pathID is the :id path parameter, percent-decoded: feed ids may hold
// characters that travel escaped ("a b", "x/y").
func pathID(c *fiber.Ctx) string {
	raw := c.Params("id")
	if id, err := url.PathUnescape(raw); err == nil {
		return id
	}
	return raw
}
