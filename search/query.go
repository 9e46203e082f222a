package search

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/signpost-uk/signpost/directory"
)

// Query is one search, as both APIs ask it.
type Query struct {
	Text        string
	Near        *directory.Point
	Radius      float64  // metres; 0 = no limit
	TaxonomyIDs []string // any of (a term matches its children too)
	Vocabulary  []string // services with a term in any of these vocabularies
	Cost        string   // "free" or "paid"
	Delivery    []string // any of in_person, online, phone
	Day         string   // a directory.Weekdays value
	MinAge      *int     // the person's age range overlaps the service's
	MaxAge      *int
	// Statuses to include; empty means the public ones: active and temporarily closed.
	Statuses   []string
	SortByDist bool
	relaxed    bool // set when re-reading a query that found nothing
	Page       directory.PageRequest
	Facets     bool
	Highlight  bool
}

// Hit is one result.
type Hit struct {
	ID             string              `json:"id"`
	Score          float64             `json:"score"`
	DistanceMetres *float64            `json:"distance_metres,omitempty"`
	Highlights     map[string][]string `json:"highlights,omitempty"`
}

// FacetCount is one value of a facet with the number of results that have it.
type FacetCount struct {
	Value string `json:"id"`
	Name  string `json:"name,omitempty"`
	Count int    `json:"count"`
}

// Result is one page of results.
type Result struct {
	Total  int                     `json:"total"`
	Hits   []Hit                   `json:"-"`
	Facets map[string][]FacetCount `json:"facets,omitempty"`
}

// publicStatuses are the statuses people may see: inactive and defunct
// services never appear in public results.
var publicStatuses = []string{directory.StatusActive, directory.StatusTemporarilyClosed}

// Field weights: a word in the name says most, then the categories, then the
// organisation, then the place, then the description.
var fieldBoosts = []struct {
	field string
	boost float64
}{{fieldName, 4}, {fieldTerms, 2.5}, {fieldOrgName, 1.5}, {fieldPlace, 1}, {fieldDescription, 1}}

// queryStopWords are words people type that carry no need of their own.
var queryStopWords = map[string]bool{
	"something": true, "anything": true, "somewhere": true, "help": true, "helps": true, "support": true, "need": true,
	"needs": true, "want": true, "looking": true, "find": true, "near": true, "nearby": true, "local": true, "around": true,
	"me": true, "my": true, "i": true, "im": true, "i'm": true, "am": true, "for": true, "with": true, "the": true, "a": true,
	"an": true, "and": true, "or": true, "of": true, "to": true, "in": true, "on": true, "at": true, "is": true, "are": true,
	"please": true, "can": true, "could": true, "where": true, "what": true, "who": true, "how": true, "get": true,
	"someone": true, "some": true, "any": true, "services": true, "service": true, "group": true, "groups": true,
}

var wordRE = regexp.MustCompile(`[\p{L}\p{N}'’]+`)

// queryWords splits a query into the words worth searching for.
func queryWords(text string) []string {
	var out []string
	for _, w := range wordRE.FindAllString(strings.ToLower(text), -1) {
		w = strings.Trim(strings.ReplaceAll(w, "’", "'"), "'")
		if w == "" || queryStopWords[w] {
			continue
		}
		out = append(out, w)
	}
	return out
}

// fuzziness allows one typo in a word of five letters or more, two from ten.
func fuzziness(word string) int {
	n := len([]rune(word))
	switch {
	case n >= 10:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}

// relationWords name who a need is for ("my mum has dementia"): they say
// nothing about the service unless a synonym phrase uses them ("new mum").
var relationWords = map[string]bool{
	"mum": true, "mother": true, "dad": true, "father": true, "husband": true, "wife": true, "partner": true,
	"son": true, "daughter": true, "child": true, "children": true, "kids": true, "friend": true, "nan": true,
	"grandma": true, "grandad": true, "grandparent": true, "brother": true, "sister": true, "myself": true,
	"has": true, "have": true, "had": true, "got": true, "been": true, "feel": true, "feeling": true, "really": true,
	"very": true, "full": true, "time": true, "day": true, "days": true, "some": true, "bit": true, "lot": true,
}

// textQuery scores services for the words of a query. The query is read as
// concepts: each synonym group its words touch is one concept, satisfied by
// the words, the group's expansions or its need category; every other word is
// a concept of its own, satisfied by the word (with typos, and as a prefix if
// it is the last). Short queries need every concept, long sentences half of
// them; a phrase match and the type-ahead prefix only add to the score.
func (x *Index) textQuery(text string, relaxed bool) query.Query {
	text = x.vocab.Correct(text)
	words := queryWords(text)
	if len(words) == 0 {
		return nil
	}
	exp := x.vocab.ExpandGroups(text)
	covered := map[string]bool{}
	var concepts []query.Query
	for _, g := range exp {
		var alts []query.Query
		for _, w := range g.Matched {
			covered[w] = true
		}
		for _, w := range g.MatchedWords() {
			if !strings.Contains(w, " ") {
				alts = append(alts, x.wordQuery(w, false))
				continue
			}
			// A phrase the group knows ("cant pay rent") matches as a phrase,
			// never as its separate words ("pay" alone says nothing).
			for _, fb := range fieldBoosts {
				p := bleve.NewMatchPhraseQuery(w)
				p.SetField(fb.field)
				p.SetBoost(fb.boost)
				alts = append(alts, p)
			}
		}
		for _, phrase := range g.Expand {
			for _, fb := range []struct {
				f string
				b float64
			}{{fieldName, 2}, {fieldTerms, 1.5}, {fieldDescription, 0.8}} {
				p := bleve.NewMatchPhraseQuery(phrase)
				p.SetField(fb.f)
				p.SetBoost(fb.b)
				alts = append(alts, p)
			}
		}
		for _, need := range g.Needs {
			t := bleve.NewTermQuery(need)
			t.SetField(fieldTaxonomyIDs)
			t.SetBoost(2)
			alts = append(alts, t)
		}
		concepts = append(concepts, bleve.NewDisjunctionQuery(alts...))
	}
	var plain []string
	for _, w := range words {
		stem := x.vocab.stems(w)
		if len(stem) == 0 || covered[stem[0]] || relationWords[w] {
			continue
		}
		plain = append(plain, w)
	}
	groups := len(concepts)
	for i, w := range plain {
		concepts = append(concepts, x.wordQuery(w, i == len(plain)-1 && w == words[len(words)-1]))
	}
	if relaxed {
		if groups == 0 {
			return nil // nothing understood: no looser reading to offer
		}
		concepts = concepts[:groups] // only the needs the words revealed
	}
	if len(concepts) == 0 {
		// Only relation words ("my mum"): search them plainly rather than for nothing.
		for _, w := range words {
			concepts = append(concepts, x.wordQuery(w, false))
		}
	}
	need := len(concepts)
	if need >= 4 {
		need = (need + 1) / 2
	} else if need == 3 {
		need = 2
	}
	required := bleve.NewDisjunctionQuery(concepts...)
	required.SetMin(float64(need))

	var extra []query.Query
	if len(words) > 1 {
		phrase := strings.Join(words, " ")
		for _, f := range []string{fieldName, fieldDescription} {
			p := bleve.NewMatchPhraseQuery(phrase)
			p.SetField(f)
			p.SetBoost(3)
			extra = append(extra, p)
		}
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(required)
	if len(extra) > 0 {
		b.AddShould(extra...)
	}
	return b
}

// wordQuery matches one word in any text field, weighted by field. A word the
// index does not hold is taken as a typo and matched with fuzziness; the last
// word of a query may also be a prefix (type-ahead).
func (x *Index) wordQuery(w string, last bool) query.Query {
	var alts []query.Query
	for _, fb := range fieldBoosts {
		m := bleve.NewMatchQuery(w)
		m.SetField(fb.field)
		m.SetBoost(fb.boost)
		alts = append(alts, m)
	}
	if f := fuzziness(w); f > 0 && !hasDigit(w) && !x.known(w) {
		fz := bleve.NewMatchQuery(w)
		fz.SetField(fieldAll)
		fz.SetFuzziness(f)
		fz.Prefix = 1
		fz.SetBoost(1.5) // below an exact word in the name
		alts = append(alts, fz)
	}
	if last && len([]rune(w)) >= 3 {
		p := bleve.NewPrefixQuery(w)
		p.SetField(fieldAll)
		p.SetBoost(0.5)
		alts = append(alts, p)
	}
	return bleve.NewDisjunctionQuery(alts...)
}

// known reports whether the index holds the word (as its stem) at all.
// The caller holds x.mu.
func (x *Index) known(w string) bool {
	stems := x.vocab.stems(w)
	if len(stems) != 1 || x.idx == nil {
		return len(stems) == 0
	}
	term := []byte(stems[0])
	dict, err := x.idx.FieldDictRange(fieldAll, term, term)
	if err != nil {
		return false
	}
	defer dict.Close()
	entry, err := dict.Next()
	return err == nil && entry != nil && entry.Term == stems[0]
}

func hasDigit(s string) bool {
	for _, r := range s {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

func termsQuery(field string, values []string) query.Query {
	var qs []query.Query
	for _, v := range values {
		t := bleve.NewTermQuery(v)
		t.SetField(field)
		qs = append(qs, t)
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// filters are the conditions every result must meet; they do not score.
func (x *Index) filters(q Query) ([]query.Query, error) {
	var must []query.Query
	statuses := q.Statuses
	if len(statuses) == 0 {
		statuses = publicStatuses
	}
	must = append(must, termsQuery(fieldStatus, statuses))
	if len(q.TaxonomyIDs) > 0 {
		must = append(must, termsQuery(fieldTaxonomyIDs, q.TaxonomyIDs))
	}
	if len(q.Vocabulary) > 0 {
		// A vocabulary matches through its terms' ids, which carry it as a prefix
		// ("target_audience:carers") or belong to the needs taxonomy.
		var qs []query.Query
		for _, v := range q.Vocabulary {
			if v == NeedsVocabulary {
				e := bleve.NewWildcardQuery("*")
				e.SetField(fieldNeeds)
				qs = append(qs, e)
				continue
			}
			p := bleve.NewPrefixQuery(v + ":")
			p.SetField(fieldTaxonomyIDs)
			qs = append(qs, p)
		}
		must = append(must, bleve.NewDisjunctionQuery(qs...))
	}
	if q.Cost != "" {
		must = append(must, termsQuery(fieldCost, []string{q.Cost}))
	}
	if len(q.Delivery) > 0 {
		must = append(must, termsQuery(fieldModes, q.Delivery))
	}
	if q.Day != "" {
		must = append(must, termsQuery(fieldDays, []string{strings.ToLower(q.Day)}))
	}
	if q.MaxAge != nil { // the service's minimum age is at most the person's maximum
		hi := float64(*q.MaxAge)
		incl := true
		r := bleve.NewNumericRangeInclusiveQuery(nil, &hi, nil, &incl)
		r.SetField(fieldMinAge)
		must = append(must, r)
	}
	if q.MinAge != nil {
		lo := float64(*q.MinAge)
		incl := true
		r := bleve.NewNumericRangeInclusiveQuery(&lo, nil, &incl, nil)
		r.SetField(fieldMaxAge)
		must = append(must, r)
	}
	if q.Near != nil && q.Radius > 0 {
		g := bleve.NewGeoDistanceQuery(q.Near.Lon, q.Near.Lat, fmt.Sprintf("%.0fm", q.Radius))
		g.SetField(fieldLocation)
		must = append(must, g)
	}
	return must, nil
}

// Search runs a query against the index. It fails with EUNAVAILABLE while the
// index is being rebuilt; Searcher then answers from the store.
func (x *Index) Search(ctx context.Context, q Query) (*Result, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.idx == nil || x.State() != StateReady {
		return nil, &directory.Error{Code: directory.EUNAVAILABLE, Message: "The search index is being rebuilt; please try again shortly."}
	}
	return x.search(ctx, q)
}

// search runs q; the caller holds x.mu for reading.
func (x *Index) search(ctx context.Context, q Query) (*Result, error) {
	must, err := x.filters(q)
	if err != nil {
		return nil, err
	}
	text := x.textQuery(q.Text, q.relaxed)
	var root query.Query
	if text != nil {
		root = bleve.NewConjunctionQuery(append(must, text)...)
	} else {
		root = bleve.NewConjunctionQuery(must...)
	}
	if q.Page.Size == 0 {
		q.Page = directory.PageRequest{Number: 1, Size: directory.DefaultPerPage}
	}
	req := bleve.NewSearchRequestOptions(root, q.Page.Size, (q.Page.Number-1)*q.Page.Size, false)
	var sortOrder search.SortOrder
	geoAt := -1 // where the distance sits among each hit's sort values
	if q.Near != nil {
		geo, err := search.NewSortGeoDistance(fieldLocation, "m", q.Near.Lon, q.Near.Lat, false)
		if err != nil {
			return nil, err
		}
		if q.SortByDist || text == nil {
			sortOrder, geoAt = search.SortOrder{geo, &search.SortScore{Desc: true}, &search.SortDocID{}}, 0
		} else {
			sortOrder, geoAt = search.SortOrder{&search.SortScore{Desc: true}, geo, &search.SortDocID{}}, 1
		}
	} else if text != nil {
		sortOrder = search.SortOrder{&search.SortScore{Desc: true}, &search.SortDocID{}}
	} else {
		sortOrder = search.SortOrder{&search.SortDocID{}}
	}
	req.SortByCustom(sortOrder)
	if q.Facets {
		req.AddFacet("category", bleve.NewFacetRequest(fieldNeeds, 40))
		req.AddFacet("cost", bleve.NewFacetRequest(fieldCost, 5))
		req.AddFacet("delivery", bleve.NewFacetRequest(fieldModes, 5))
	}
	if q.Highlight && text != nil {
		req.Highlight = bleve.NewHighlightWithStyle("html")
		req.Highlight.AddField(fieldName)
		req.Highlight.AddField(fieldDescription)
	}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	// Words that revealed a need but found nothing together ("stop drinking")
	// are read again, requiring only the need.
	if res.Total == 0 && text != nil && !q.relaxed {
		q.relaxed = true
		if x.textQuery(q.Text, true) != nil {
			return x.search(ctx, q)
		}
	}
	out := &Result{Total: int(res.Total)}
	for _, h := range res.Hits {
		hit := Hit{ID: h.ID, Score: h.Score}
		if geoAt >= 0 && geoAt < len(h.DecodedSort) {
			if d, err := strconv.ParseFloat(h.DecodedSort[geoAt], 64); err == nil && d < 4e7 {
				hit.DistanceMetres = &d
			}
		}
		if len(h.Fragments) > 0 {
			hit.Highlights = map[string][]string{}
			for f, frags := range h.Fragments {
				hit.Highlights[f] = frags
			}
		}
		out.Hits = append(out.Hits, hit)
	}
	if q.Facets {
		out.Facets = map[string][]FacetCount{}
		for name, fr := range res.Facets {
			var counts []FacetCount
			if fr.Terms != nil {
				for _, t := range fr.Terms.Terms() {
					fc := FacetCount{Value: t.Term, Count: t.Count}
					if name == "category" {
						if n := x.vocab.Need(t.Term); n != nil {
							fc.Name = n.Name
						}
					}
					counts = append(counts, fc)
				}
			}
			sort.SliceStable(counts, func(i, j int) bool { return counts[i].Count > counts[j].Count })
			out.Facets[name] = counts
		}
	}
	return out, nil
}
