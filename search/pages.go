package search

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/signpost-uk/signpost/directory"
	"github.com/signpost-uk/signpost/static"
)

// The public search page: one box for what a person is looking for, one
// for their postcode, filters from the facets, results, pagination, and help
// when nothing is found. It is a GET form, so a result list is a URL that
// can be bookmarked or shared, and it needs no JavaScript.

//go:embed templates/*.html
var templatesFS embed.FS

var pages = static.MustRenderer(templatesFS, "templates/*.html", nil)

// Pages serves the search page.
type Pages struct {
	s *Searcher
}

// NewPages makes the search page over a Searcher.
func NewPages(s *Searcher) *Pages { return &Pages{s: s} }

// Register mounts GET /.
func (p *Pages) Register(r fiber.Router) { r.Get("/", p.page) }

type option struct {
	Value, Label string
	Count        int
	Checked      bool
	URL          string
}

type resultView struct {
	ID, Name, Org, OrgID string
	Summary              template.HTML // escaped text, with the matched words in <mark>
	Distance             string
	Approximate          bool
	Cost                 string
	Days                 string
	Delivery             string
	InShortlist          bool
}

type pageLink struct {
	Number  int
	URL     string
	Current bool
}

type searchView struct {
	Q, Postcode, Age, Day, Sort string
	Proximity                   int
	Searched                    bool
	Errors                      []formError
	ByField                     map[string]string
	Total                       int
	Results                     []resultView
	Categories, Delivery        []option
	Free                        bool
	FreeCount                   int
	Days, Sorts, Distances      []option
	Page, TotalPages            int
	PrevURL, NextURL            string
	Pages                       []pageLink
	Corrected                   string
	Suggestion                  *option
	WiderURL                    string
	WiderMiles                  string
	AllAreasURL                 string
	ClearFiltersURL             string
	Related                     []option
	Browse                      []option
	Near                        string
	ReturnTo                    string
	Filtered                    bool
	From, To                    int
}

type formError struct{ Field, Message string }

// pageSize is how many results a page of the search page shows.
const pageSize = 10

// Distances people choose from, in metres, with the default first.
var distanceChoices = []struct {
	metres int
	label  string
}{{1609, "1 mile"}, {4828, "3 miles"}, {directory.DefaultProximity, "6 miles"}, {16093, "10 miles"}, {40234, "25 miles"}, {80467, "50 miles"}}

var deliveryLabels = map[string]string{DeliveryInPerson: "In person", DeliveryOnline: "Online", DeliveryPhone: "By phone"}

// pageMessages are what the page says for a bad parameter, in plain words.
var pageMessages = map[string]string{
	"postcode":  "Enter a real postcode, like DN15 6NL, or the first part of one, like DN15",
	"age":       "Enter an age in whole years, like 45",
	"proximity": "Choose how far you can travel",
	"day":       "Choose a day of the week",
	"sort":      "Nearest first needs a postcode",
	"page":      "There is no such page of results",
	"per_page":  "There is no such page of results",
	"cost":      "Choose free only, or leave it unticked",
	"delivery":  "Choose in person, online or by phone",
	"text":      "Enter fewer words",
}

func (p *Pages) page(c *fiber.Ctx) error {
	v := searchView{Q: strings.TrimSpace(c.Query("q")), Postcode: strings.TrimSpace(c.Query("postcode")),
		Age: strings.TrimSpace(c.Query("age")), Day: c.Query("day"), Sort: c.Query("sort", "relevance"),
		Free: c.Query("cost") == CostFree, ByField: map[string]string{}}
	v.Proximity, _ = strconv.Atoi(c.Query("proximity"))
	if v.Proximity == 0 {
		v.Proximity = directory.DefaultProximity
	}
	cats := directory.MultiQuery(c, "category")
	deliv := directory.MultiQuery(c, "delivery")
	params := p.params(c, cats, deliv)
	v.ReturnTo = "/?" + params.Encode()
	v.Searched = v.Q != "" || v.Postcode != "" || len(cats) > 0
	v.Filtered = v.Free || len(deliv) > 0 || v.Day != "" || v.Age != "" || len(cats) > 0
	ctx := c.UserContext()
	shortlisted := map[string]bool{}
	for _, id := range static.Shortlist(c) {
		shortlisted[id] = true
	}

	var resp *SearchResponse
	status := fiber.StatusOK
	if v.Searched {
		// Ten to a page, as NHS.UK service finders show: less to scroll on a phone.
		if c.Query("per_page") == "" {
			c.Request().URI().QueryArgs().Set("per_page", strconv.Itoa(pageSize))
		}
		var err error
		resp, err = p.s.Search(c)
		var appErr *directory.Error
		if err != nil && errors.As(err, &appErr) && appErr.Code == directory.EINVALID {
			status = fiber.StatusBadRequest
			for field := range appErr.Fields {
				msg := pageMessages[field]
				if msg == "" {
					msg = appErr.Fields[field]
				}
				if field == "q" || field == "text" {
					field = "q"
				}
				v.ByField[field] = msg
				v.Errors = append(v.Errors, formError{Field: fieldID(field), Message: msg})
			}
			sort.Slice(v.Errors, func(i, j int) bool { return v.Errors[i].Field < v.Errors[j].Field })
			resp = nil
		} else if err != nil {
			return err
		}
	}
	if resp != nil {
		if resp.Total == 0 && resp.searched != "" && p.s.unmet != nil {
			_ = p.s.unmet.Record(ctx, resp.searched) // counting must never fail a search
		}
		v.Total, v.Page, v.TotalPages, v.Corrected = resp.Total, resp.Page, resp.TotalPages, resp.Corrected
		if resp.Near != nil {
			v.Near = resp.Near.Postcode
		}
		v.From = (resp.Page-1)*resp.PerPage + 1
		v.To = v.From + len(resp.Results) - 1
		for _, h := range resp.Results {
			v.Results = append(v.Results, resultOf(h, shortlisted[h.ID]))
		}
		v.Categories = facetOptions(resp.Facets["category"], cats, func(fc FacetCount) string {
			if fc.Name != "" {
				return fc.Name
			}
			if n := p.s.index.vocab.Need(fc.Value); n != nil {
				return n.Name
			}
			return fc.Value
		})
		for _, fc := range resp.Facets["cost"] {
			if fc.Value == CostFree {
				v.FreeCount = fc.Count
			}
		}
		v.Delivery = facetOptions(resp.Facets["delivery"], deliv, func(fc FacetCount) string { return deliveryLabels[fc.Value] })
		for _, d := range []string{DeliveryInPerson, DeliveryOnline, DeliveryPhone} { // every way, even with no results
			found := false
			for _, o := range v.Delivery {
				found = found || o.Value == d
			}
			if !found {
				v.Delivery = append(v.Delivery, option{Value: d, Label: deliveryLabels[d], Checked: slices.Contains(deliv, d)})
			}
		}
		p.paginate(&v, params)
		if v.Total == 0 {
			p.help(ctx, &v, params, cats)
		}
	} else {
		v.Delivery = nil
		for _, d := range []string{DeliveryInPerson, DeliveryOnline, DeliveryPhone} {
			v.Delivery = append(v.Delivery, option{Value: d, Label: deliveryLabels[d], Checked: slices.Contains(deliv, d)})
		}
	}
	if !v.Searched || v.Total == 0 {
		v.Browse = p.browse(ctx, v.Postcode)
	}
	v.Days = []option{{Value: "", Label: "Any day", Checked: v.Day == ""}}
	for _, d := range directory.Weekdays {
		v.Days = append(v.Days, option{Value: d, Label: d, Checked: strings.EqualFold(v.Day, d)})
	}
	v.Sorts = []option{{Value: "relevance", Label: "Best match", Checked: v.Sort != "distance"},
		{Value: "distance", Label: "Nearest first", Checked: v.Sort == "distance"}}
	for _, d := range distanceChoices {
		v.Distances = append(v.Distances, option{Value: strconv.Itoa(d.metres), Label: "Within " + d.label, Checked: d.metres == v.Proximity})
	}
	title := "Find local help"
	switch {
	case len(v.Errors) > 0:
		title = "Error: " + title
	case v.Searched && v.Q != "":
		title = "Results for " + v.Q
	case v.Searched:
		title = "Search results"
	}
	page := static.NewPage(c, title, "search", v)
	page.Status = status
	return pages.Render(c, "search", page)
}

func fieldID(param string) string {
	switch param {
	case "per_page", "page", "text":
		return "q"
	case "minimum_age", "maximum_age":
		return "age"
	}
	return param
}

// params is the search as query parameters, for links that change one thing.
func (p *Pages) params(c *fiber.Ctx, cats, deliv []string) url.Values {
	v := url.Values{}
	for _, k := range []string{"q", "postcode", "proximity", "cost", "day", "age", "sort"} {
		if s := strings.TrimSpace(c.Query(k)); s != "" {
			v.Set(k, s)
		}
	}
	for _, x := range cats {
		v.Add("category", x)
	}
	for _, x := range deliv {
		v.Add("delivery", x)
	}
	return v
}

// with is the search page's address with one parameter changed ("" drops it).
func with(params url.Values, key, value string) string {
	return "/?" + with2(params, key, value).Encode()
}

func resultOf(h SearchHit, inShortlist bool) resultView {
	r := resultView{ID: h.ID, Name: h.Name, Org: h.Organization.Name, OrgID: h.Organization.ID,
		Approximate: h.Approximate, InShortlist: inShortlist}
	if frag := h.Highlights["description"]; len(frag) > 0 {
		r.Summary = template.HTML(frag[0]) // made by highlight: escaped, with <mark> only
	} else {
		r.Summary = template.HTML(template.HTMLEscapeString(h.Summary))
	}
	if h.DistanceMetres != nil {
		r.Distance = static.Miles(*h.DistanceMetres) + " away"
	}
	switch h.Cost {
	case CostFree:
		r.Cost = "Free"
	case CostPaid:
		r.Cost = "There is a charge"
	}
	var days []string
	for _, d := range h.Days {
		if len(d) >= 3 {
			days = append(days, strings.ToUpper(d[:1])+d[1:3])
		}
	}
	r.Days = strings.Join(days, ", ")
	var ways []string
	for _, d := range h.Delivery {
		ways = append(ways, strings.ToLower(deliveryLabels[d]))
	}
	r.Delivery = strings.Join(ways, ", ")
	return r
}

func facetOptions(counts []FacetCount, checked []string, label func(FacetCount) string) []option {
	var out []option
	seen := map[string]bool{}
	for _, fc := range counts {
		out = append(out, option{Value: fc.Value, Label: label(fc), Count: fc.Count, Checked: slices.Contains(checked, fc.Value)})
		seen[fc.Value] = true
	}
	for _, id := range checked { // a ticked box stays, even when nothing matches it now
		if !seen[id] {
			out = append(out, option{Value: id, Label: label(FacetCount{Value: id}), Checked: true})
		}
	}
	return out
}

func (p *Pages) paginate(v *searchView, params url.Values) {
	if v.TotalPages <= 1 {
		return
	}
	if v.Page > 1 {
		v.PrevURL = with(params, "page", strconv.Itoa(v.Page-1))
	}
	if v.Page < v.TotalPages {
		v.NextURL = with(params, "page", strconv.Itoa(v.Page+1))
	}
	lo, hi := max(1, v.Page-2), min(v.TotalPages, v.Page+2)
	for n := lo; n <= hi; n++ {
		v.Pages = append(v.Pages, pageLink{Number: n, URL: with(params, "page", strconv.Itoa(n)), Current: n == v.Page})
	}
}

// help is what a search that found nothing offers instead: a spelling, a
// wider distance, fewer filters, and the categories the words point to.
func (p *Pages) help(ctx context.Context, v *searchView, params url.Values, cats []string) {
	params.Del("page")
	if v.Q != "" {
		if s := p.s.index.SpellingSuggestion(ctx, v.Q); s != "" && !strings.EqualFold(s, v.Q) {
			v.Suggestion = &option{Label: s, URL: with(params, "q", s)}
		}
	}
	if v.Postcode != "" {
		for _, d := range distanceChoices {
			if d.metres > v.Proximity {
				v.WiderURL, v.WiderMiles = with(params, "proximity", strconv.Itoa(d.metres)), d.label
				break
			}
		}
		v.AllAreasURL = with(with2(params, "proximity", ""), "postcode", "")
	}
	if v.Filtered {
		clear := url.Values{}
		for _, k := range []string{"q", "postcode", "proximity"} {
			if s := params.Get(k); s != "" {
				clear.Set(k, s)
			}
		}
		v.ClearFiltersURL = "/?" + clear.Encode()
	}
	seen := map[string]bool{}
	for _, g := range p.s.index.vocab.ExpandGroups(v.Q) {
		for _, n := range g.Needs {
			top := p.s.index.vocab.TopLevel(n)
			if top == "" || seen[top] || slices.Contains(cats, top) {
				continue
			}
			seen[top] = true
			link := url.Values{"category": {top}}
			if v.Postcode != "" {
				link.Set("postcode", v.Postcode)
			}
			v.Related = append(v.Related, option{Value: top, Label: p.s.index.vocab.Need(top).Name, URL: "/?" + link.Encode()})
		}
	}
}

// with2 is a copy of params with one parameter changed ("" drops it).
func with2(params url.Values, key, value string) url.Values {
	v := url.Values{}
	for k, vs := range params {
		v[k] = append([]string{}, vs...)
	}
	if value == "" {
		v.Del(key)
	} else {
		v.Set(key, value)
	}
	return v
}

// browse lists the needs categories with how many services each has,
// near the postcode when one was given and is known.
func (p *Pages) browse(ctx context.Context, postcode string) []option {
	q := Query{TaxonomyIDs: p.s.index.topNeeds, Facets: true, Page: directory.PageRequest{Number: 1, Size: 1}}
	if pt, norm, ok := p.s.outcodes.Lookup(postcode); ok {
		q.Near, q.Radius, postcode = &pt, directory.DefaultProximity, norm
	} else {
		postcode = ""
	}
	res, err := p.s.index.Search(ctx, q)
	if err != nil {
		return nil
	}
	var out []option
	for _, fc := range res.Facets["category"] {
		link := url.Values{"category": {fc.Value}}
		if postcode != "" {
			link.Set("postcode", postcode)
		}
		out = append(out, option{Value: fc.Value, Label: fc.Name, Count: fc.Count, URL: "/?" + link.Encode()})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}
