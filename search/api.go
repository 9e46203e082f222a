package search

import (
	"context"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/signpost-uk/signpost/directory"
)

// Searcher answers service searches from the index, and from the store while
// the index is being rebuilt. It implements directory.ServiceLister, so the
// ORUK v1 GET /api/v1/services and GET /api/search share one query builder.
type Searcher struct {
	index    *Index
	store    *directory.Store
	outcodes *directory.Outcodes
	unmet    *Unmet
	// cards are services as result lists show them, and responses whole
	// GET /api/search answers; both are only used for the index generation
	// they were made at.
	cards     *lru[*card]
	responses *lru[cachedResponse]
}

// card is a service as a result list shows it, with the text highlights mark.
type card struct {
	hit               SearchHit
	name, description string
}

type cachedResponse struct {
	body  []byte
	unmet string // the words to count again as unmet when served
}

// NewSearcher joins the index, the store and the unmet-needs counter.
func NewSearcher(index *Index, store *directory.Store, outcodes *directory.Outcodes, unmet *Unmet) *Searcher {
	size := 1000
	if index.opts.ResultCache < 0 {
		size = 0
	}
	return &Searcher{index: index, store: store, outcodes: outcodes, unmet: unmet,
		cards: newLRU[*card](10 * size), responses: newLRU[cachedResponse](size)}
}

// ListServices answers the ORUK v1 service filters: in relevance order with
// text, nearest first with only a place, and only public statuses unless the
// filter names others.
func (s *Searcher) ListServices(ctx context.Context, f directory.ServiceFilter, page directory.PageRequest) ([]directory.ServiceHit, int, error) {
	if f.Near == nil {
		if rest, pt, _ := s.placeInText(f.Text); pt != nil {
			f.Text, f.Near, f.Proximity = rest, pt, directory.DefaultProximity
		}
	}
	if s.index.State() != StateReady {
		if len(f.Statuses) == 0 {
			f.Statuses = publicStatuses
		}
		return s.store.ListServices(ctx, f, page)
	}
	q := Query{Text: f.Text, TaxonomyIDs: f.TaxonomyIDs, Vocabulary: f.Vocabularies, MinAge: f.MinimumAge, MaxAge: f.MaximumAge,
		Day: f.Day, Statuses: f.Statuses, Page: page, Near: f.Near, Radius: f.Proximity}
	res, err := s.index.Search(ctx, q)
	if directory.ErrorCode(err) == directory.EUNAVAILABLE {
		return s.store.ListServices(ctx, f, page) // rebuild began between the check and the search
	}
	if err != nil {
		return nil, 0, err
	}
	if res.Total == 0 && f.Text != "" && s.unmet != nil {
		_ = s.unmet.Record(ctx, f.Text) // counting must never fail a search
	}
	hits := make([]directory.ServiceHit, 0, len(res.Hits))
	for _, h := range res.Hits {
		d, err := s.store.ServiceDetail(ctx, h.ID)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			continue // removed since it was indexed; the follower will catch up
		}
		if err != nil {
			return nil, 0, err
		}
		hits = append(hits, directory.ServiceHit{ServiceDetail: d, DistanceMetres: nearest(d, f.Near)})
	}
	return hits, res.Total, nil
}

var (
	postcodeInQueryRE = regexp.MustCompile(`(?i)\b([A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]?) ?([0-9][ABD-HJLNP-UW-Z]{2})\b`)
	outcodeInQueryRE  = regexp.MustCompile(`(?i)\b(near|in|around|nr)\s+([A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]?)\b`)
)

// placeInText finds a place typed into the words of a search ("… near DN15",
// "… DN15 6NL"): a full postcode, or a postcode district after near/in/around.
// It returns the words without it and the place's point.
func (s *Searcher) placeInText(text string) (string, *directory.Point, string) {
	for _, re := range []*regexp.Regexp{postcodeInQueryRE, outcodeInQueryRE} {
		loc := re.FindStringSubmatchIndex(text)
		if loc == nil {
			continue
		}
		candidate := text[loc[0]:loc[1]]
		if re == outcodeInQueryRE {
			candidate = text[loc[4]:loc[5]]
		}
		if pt, norm, ok := s.outcodes.Lookup(candidate); ok {
			rest := strings.Join(strings.Fields(text[:loc[0]]+" "+text[loc[1]:]), " ")
			return rest, &pt, norm
		}
	}
	return text, nil, ""
}

// nearest is the distance from p to the service's nearest location.
func nearest(d *directory.ServiceDetail, p *directory.Point) *float64 {
	if p == nil {
		return nil
	}
	best := math.Inf(1)
	for _, sal := range d.ServiceAtLocations {
		if l := sal.Location; l.Latitude != nil && l.Longitude != nil {
			best = math.Min(best, directory.DistanceMetres(*p, directory.Point{Lat: *l.Latitude, Lon: *l.Longitude}))
		}
	}
	if math.IsInf(best, 1) {
		return nil
	}
	best = math.Round(best)
	return &best
}

// Register mounts GET /api/search.
func (s *Searcher) Register(r fiber.Router) {
	r.Get("/search", s.handleSearch)
}

// SearchResponse is the body of GET /api/search.
type SearchResponse struct {
	Total      int                     `json:"total"`
	Page       int                     `json:"page"`
	PerPage    int                     `json:"per_page"`
	TotalPages int                     `json:"total_pages"`
	Sort       string                  `json:"sort"`
	Near       *NearBy                 `json:"near,omitempty"`
	Facets     map[string][]FacetCount `json:"facets"`
	Results    []SearchHit             `json:"results"`
	Index      string                  `json:"index"`
	// Corrected is the words as searched when misspellings were corrected
	// ("volunteerng" → "volunteering"), for a "showing results for" line.
	Corrected string `json:"corrected,omitempty"`
	searched  string // the words searched for, without a place typed into them
}

// NearBy is the place distances are measured from.
type NearBy struct {
	Postcode    string  `json:"postcode"`
	Latitude    float64 `json:"latitude"`
	Longitude   float64 `json:"longitude"`
	Approximate bool    `json:"approximate"` // always: a postcode district's centre
}

// SearchHit is one result of GET /api/search.
type SearchHit struct {
	ID             string              `json:"id"`
	Name           string              `json:"name"`
	Organization   OrgRef              `json:"organization"`
	Summary        string              `json:"summary"`
	Status         string              `json:"status"`
	DistanceMetres *float64            `json:"distance_metres,omitempty"`
	Approximate    bool                `json:"location_approximate,omitempty"`
	Cost           string              `json:"cost"`
	Delivery       []string            `json:"delivery"`
	Days           []string            `json:"days"`
	Categories     []CategoryRef       `json:"categories"`
	Highlights     map[string][]string `json:"highlights,omitempty"`
	Score          float64             `json:"score"`
}

// OrgRef names an organisation.
type OrgRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CategoryRef is a need category of a result; Suggested ones were inferred by
// Signpost, not chosen by the provider.
type CategoryRef struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Suggested bool   `json:"suggested"`
}

func (s *Searcher) handleSearch(c *fiber.Ctx) error {
	gen := s.index.Generation()
	key := string(c.Request().URI().QueryString())
	if cached, ok := s.responses.get(key, gen); ok && s.index.State() == StateReady {
		if cached.unmet != "" && s.unmet != nil {
			_ = s.unmet.Record(c.UserContext(), cached.unmet)
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(cached.body)
	}
	resp, err := s.Search(c)
	if err != nil {
		return err
	}
	body, err := json.Marshal(resp)
	if err != nil {
		return err
	}
	unmet := ""
	if resp.Total == 0 && resp.searched != "" {
		unmet = resp.searched
		if s.unmet != nil {
			_ = s.unmet.Record(c.UserContext(), unmet)
		}
	}
	if resp.Index == StateReady {
		s.responses.put(key, gen, cachedResponse{body: body, unmet: unmet})
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(body)
}

// Search answers the query of a request with the parameters of
// GET /api/search; the public pages call it too.
func (s *Searcher) Search(c *fiber.Ctx) (*SearchResponse, error) {
	page, err := directory.ParsePage(c)
	if err != nil {
		return nil, err
	}
	if c.Query("per_page") == "" {
		page.Size = 20
	}
	// The ORUK parameters (text, postcode, proximity, taxonomy_id, vocabulary,
	// minimum_age, maximum_age, day) mean the same here; q is an alias of text.
	if c.Query("text") == "" && c.Query("q") != "" {
		c.Request().URI().QueryArgs().Set("text", c.Query("q"))
	}
	f, err := directory.ParseServiceFilter(c, s.outcodes)
	if err != nil {
		return nil, err
	}
	q := Query{Page: page, Facets: true, Text: f.Text, Near: f.Near, Radius: f.Proximity,
		TaxonomyIDs: f.TaxonomyIDs, Vocabulary: f.Vocabularies, MinAge: f.MinimumAge, MaxAge: f.MaximumAge, Day: f.Day}
	resp := &SearchResponse{Sort: "relevance"}
	if f.Near != nil {
		_, norm, _ := s.outcodes.Lookup(c.Query("postcode"))
		resp.Near = &NearBy{Postcode: norm, Latitude: f.Near.Lat, Longitude: f.Near.Lon, Approximate: true}
	} else if rest, pt, norm := s.placeInText(q.Text); pt != nil {
		q.Text, q.Near, q.Radius = rest, pt, directory.DefaultProximity
		resp.Near = &NearBy{Postcode: norm, Latitude: pt.Lat, Longitude: pt.Lon, Approximate: true}
	}
	switch v := c.Query("sort", "relevance"); v {
	case "relevance":
	case "distance":
		if q.Near == nil {
			return nil, directory.InvalidParam("sort", "sorting by distance needs a postcode")
		}
		q.SortByDist, resp.Sort = true, "distance"
	default:
		return nil, directory.InvalidParam("sort", "must be relevance or distance")
	}
	q.TaxonomyIDs = append(q.TaxonomyIDs, directory.MultiQuery(c, "category")...)
	switch v := c.Query("cost"); v {
	case "", CostFree, CostPaid:
		q.Cost = v
	default:
		return nil, directory.InvalidParam("cost", "must be free or paid")
	}
	for _, d := range directory.MultiQuery(c, "delivery") {
		if d != DeliveryInPerson && d != DeliveryOnline && d != DeliveryPhone {
			return nil, directory.InvalidParam("delivery", "must be in_person, online or phone")
		}
		q.Delivery = append(q.Delivery, d)
	}
	if v := strings.TrimSpace(c.Query("age")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 120 {
			return nil, directory.InvalidParam("age", "must be an age in whole years from 0 to 120")
		}
		q.MinAge, q.MaxAge = &n, &n
	}
	if q.Text == "" && q.Near == nil && len(q.TaxonomyIDs) == 0 {
		return nil, directory.InvalidParam("q", "give some words to search for, a postcode, or a category")
	}
	ctx := c.UserContext()
	gen := s.index.Generation()
	res, err := s.index.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	resp.searched = q.Text
	resp.Total, resp.Page, resp.PerPage = res.Total, page.Number, page.Size
	resp.TotalPages = (res.Total + page.Size - 1) / page.Size
	resp.Facets = res.Facets
	resp.Corrected = res.Corrected
	resp.Index = s.index.State()
	resp.Results = []SearchHit{}
	for _, h := range res.Hits {
		cd, ok := s.cards.get(h.ID, gen)
		if !ok {
			d, err := s.store.ServiceDetail(ctx, h.ID)
			if directory.ErrorCode(err) == directory.ENOTFOUND {
				continue
			}
			if err != nil {
				return nil, err
			}
			cd = newCard(d)
			s.cards.put(h.ID, gen, cd)
		}
		resp.Results = append(resp.Results, s.hit(cd, h, res.marks))
	}
	return resp, nil
}

func newCard(d *directory.ServiceDetail) *card {
	out := SearchHit{ID: d.ID, Name: d.Name, Organization: OrgRef{ID: d.Organization.ID, Name: d.Organization.Name},
		Summary: summary(d.Description), Status: d.Status, Cost: costOf(d), Delivery: deliveryOf(d), Days: daysOf(d),
		Categories: []CategoryRef{}}
	for _, sal := range d.ServiceAtLocations {
		if sal.Location.CoordinatesApproximate {
			out.Approximate = true
		}
	}
	for _, st := range d.ServiceTaxonomys {
		if st.Taxonomy.Vocabulary == NeedsVocabulary {
			out.Categories = append(out.Categories, CategoryRef{ID: st.Taxonomy.ID, Name: st.Taxonomy.Name, Suggested: st.Suggested})
		}
	}
	return &card{hit: out, name: d.Name, description: d.Description}
}

// hit is a card with what this search adds: distance, score and highlights.
func (s *Searcher) hit(cd *card, h Hit, marks *marker) SearchHit {
	out := cd.hit
	out.DistanceMetres, out.Score = h.DistanceMetres, h.Score
	if marks != nil {
		for _, f := range []struct {
			name, text string
			whole      bool
		}{{"name", cd.name, true}, {"description", cd.description, false}} {
			if hl := s.index.vocab.highlight(marks, f.text, f.whole); hl != "" {
				if out.Highlights == nil {
					out.Highlights = map[string][]string{}
				}
				out.Highlights[f.name] = []string{hl}
			}
		}
	}
	return out
}

// summary is the first sentence or so of a description, for a result list.
func summary(desc string) string {
	line, _, _ := strings.Cut(desc, "\n")
	if utf8.RuneCountInString(line) <= 200 {
		return line
	}
	r := []rune(line)[:200]
	if i := strings.LastIndexAny(string(r), ".!?"); i > 80 {
		return string(r)[:i+1]
	}
	if i := strings.LastIndex(string(r), " "); i > 0 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}
