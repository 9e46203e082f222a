package search

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"

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
}

// Hit is one result.
type Hit struct {
	ID             string   `json:"id"`
	Score          float64  `json:"score"`
	DistanceMetres *float64 `json:"distance_metres,omitempty"`
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
	// Corrected is the query as searched when misspellings were corrected.
	Corrected string `json:"corrected,omitempty"`
	marks     *marker
}

// publicStatuses are the statuses people may see: inactive and defunct
// services never appear in public results.
var publicStatuses = []string{directory.StatusActive, directory.StatusTemporarilyClosed}

// Field weights of a plain word: in the name says most, then the categories,
// then anywhere in the text (description, organisation, places).
var fieldBoosts = []fieldBoost{{fieldName, 4}, {fieldTerms, 2.5}, {fieldAll, 1}}

// queryStopWords are words people type that carry no need of their own.
var queryStopWords = map[string]bool{
	"something": true, "anything": true, "somewhere": true, "help": true, "helps": true, "support": true, "need": true,
	"needs": true, "want": true, "looking": true, "find": true, "near": true, "nearby": true, "local": true, "around": true,
	"me": true, "my": true, "i": true, "im": true, "i'm": true, "am": true, "for": true, "with": true, "the": true, "a": true,
	"an": true, "and": true, "or": true, "of": true, "to": true, "in": true, "on": true, "at": true, "is": true, "are": true,
	"please": true, "can": true, "could": true, "where": true, "what": true, "who": true, "how": true, "get": true,
	"someone": true, "some": true, "any": true, "services": true, "service": true, "group": true, "groups": true,
	// What a person wants to do about a need, not the need: "stop drinking",
	// "cut down on gambling", "give up smoking".
	"stop": true, "quit": true, "give": true, "up": true, "cut": true, "down": true, "reduce": true, "less": true,
	"cutting": true, "stopping": true, "quitting": true, "giving": true,
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

// textPlan is a query's words read as the index understands them.
type textPlan struct {
	query      query.Query // nil when there are no words to search
	corrected  string      // the words with misspellings corrected, when any were
	understood bool        // a synonym group was recognised
	marks      *marker     // what to highlight in the results
}

// wordKnown reports whether the index holds a word as typed (lower case).
type wordKnown func(w string) bool

// planText reads the words of a query as concepts: each synonym group its
// words touch is one concept, satisfied by the group's index-time concept
// terms or its need categories; every other word is a concept of its own,
// satisfied by the word (with typos, and as a prefix if it is the last).
// Short queries need every concept, long sentences half of them; words found
// side by side only add to the score. Misspelt words are first corrected to
// the vocabulary's own words where one is close and the index does not hold
// the word as typed.
func (x *Index) planText(text string, known wordKnown, relaxed bool) textPlan {
	var plan textPlan
	original := strings.Join(strings.Fields(text), " ")
	text = x.vocab.Correct(original)
	text = wordRE.ReplaceAllStringFunc(text, func(w string) string {
		lw := strings.ToLower(w)
		if queryStopWords[lw] || relationWords[lw] || hasDigit(lw) || x.vocab.InDictionary(lw) || known(lw) {
			return w
		}
		if c := x.vocab.NearestWord(lw); c != "" {
			return c
		}
		return w
	})
	if !strings.EqualFold(text, original) {
		plan.corrected = text
	}
	words := queryWords(text)
	if len(words) == 0 {
		return plan
	}
	marks := &marker{stems: map[string]bool{}}
	plan.marks = marks
	exp := x.vocab.ExpandGroups(text)
	covered := map[string]bool{}
	var concepts, boosts []query.Query
	for _, g := range exp {
		key := x.vocab.conceptKey(g.index)
		alts := conceptQueries(conceptToken(key))
		for _, need := range g.Needs {
			alts = append(alts, termQuery(fieldTaxonomyIDs, need, 2))
		}
		for _, w := range g.MatchedWords() {
			if strings.Contains(w, " ") {
				// A phrase the group knows is in its concept terms; typed in
				// a name ("Food Bank") it counts extra.
				for _, p := range stemPairs(strings.Fields(w)) {
					boosts = append(boosts, termQuery(fieldNamePairs, p, 4))
				}
				continue
			}
			// The word as typed counts above the group's other words.
			alts = append(alts, literalQueries(w)...)
		}
		for _, w := range g.Matched {
			covered[w] = true
		}
		for _, w := range append(append([]string{}, g.Words...), g.Expand...) {
			for _, st := range x.vocab.stems(w) {
				marks.stems[st] = true
			}
		}
		concepts = append(concepts, bleve.NewDisjunctionQuery(alts...))
	}
	// The directory's own words for a need mean the groups that expand to them.
	for _, em := range x.vocab.ExpansionMatches(text, covered) {
		var alts []query.Query
		needs := map[string]bool{}
		for _, gi := range em.groups {
			alts = append(alts, conceptQueries(conceptToken(x.vocab.conceptKey(gi)))...)
			for _, n := range x.vocab.Synonyms[gi].Needs {
				if !needs[n] {
					needs[n] = true
					alts = append(alts, termQuery(fieldTaxonomyIDs, n, 2))
				}
			}
		}
		if len(em.tokens) == 1 {
			alts = append(alts, literalQueries(em.words)...)
		}
		for _, t := range em.tokens {
			covered[t] = true
			marks.stems[t] = true
		}
		concepts = append(concepts, bleve.NewDisjunctionQuery(alts...))
	}
	plan.understood = len(concepts) > 0
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
		concepts = append(concepts, x.wordQuery(w, i == len(plain)-1 && w == words[len(words)-1], known, marks))
	}
	if relaxed {
		if groups == 0 {
			plan.query = nil // nothing understood: no looser reading to offer
			return plan
		}
		concepts = concepts[:groups] // only the needs the words revealed
	}
	if len(concepts) == 0 {
		// Only relation words ("my mum"): search them plainly rather than for nothing.
		for _, w := range words {
			concepts = append(concepts, x.wordQuery(w, false, known, marks))
		}
	}
	need := len(concepts)
	if need >= 4 {
		need = (need + 1) / 2
	} else if need == 3 {
		need = 2
	}
	var required query.Query
	if need == len(concepts) && need > 1 {
		// Every concept is needed: a conjunction leapfrogs through the rarest
		// one's postings instead of walking the union of all of them.
		required = bleve.NewConjunctionQuery(concepts...)
	} else {
		d := bleve.NewDisjunctionQuery(concepts...)
		d.SetMin(float64(need))
		required = d
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(required)
	if pairs := stemPairs(x.vocab.stems(strings.Join(words, " "))); len(pairs) > 0 {
		for _, p := range pairs {
			boosts = append(boosts, termQuery(fieldPairs, p, 3))
		}
	}
	if len(boosts) > 0 && !relaxed {
		b.AddShould(boosts...)
	}
	plan.query = b
	return plan
}

// conceptQueries find a concept token in the name or the rest of the text.
func conceptQueries(token string) []query.Query {
	return boostedMatches(token, []fieldBoost{{fieldName, 2}, {fieldAll, 0.8}})
}

// literalQueries find a word of a synonym group as typed, in the name or
// the text; the group's need categories stand for the provider's own.
func literalQueries(w string) []query.Query {
	return boostedMatches(w, []fieldBoost{{fieldName, 4}, {fieldAll, 1}})
}

type fieldBoost struct {
	field string
	boost float64
}

func boostedMatches(text string, fields []fieldBoost) []query.Query {
	out := make([]query.Query, 0, len(fields))
	for _, fb := range fields {
		m := bleve.NewMatchQuery(text)
		m.SetField(fb.field)
		m.SetBoost(fb.boost)
		out = append(out, m)
	}
	return out
}

func termQuery(field, term string, boost float64) query.Query {
	t := bleve.NewTermQuery(term)
	t.SetField(field)
	t.SetBoost(boost)
	return t
}

// wordQuery matches one word in the text fields, weighted by field. A word the
// index does not hold is taken as a typo and matched with fuzziness on the
// unstemmed words; the last word of a query may also be a prefix (type-ahead).
func (x *Index) wordQuery(w string, last bool, known wordKnown, marks *marker) query.Query {
	alts := boostedMatches(w, fieldBoosts)
	for _, st := range x.vocab.stems(w) {
		marks.stems[st] = true
	}
	if f := fuzziness(w); f > 0 && !hasDigit(w) && !known(w) {
		fz := bleve.NewFuzzyQuery(w)
		fz.SetField(fieldExact)
		fz.SetFuzziness(f)
		fz.Prefix = 1
		fz.SetBoost(1.5) // below an exact word in the name
		alts = append(alts, fz)
		marks.fuzzy = append(marks.fuzzy, fuzzyWord{w, f})
	}
	// Type-ahead: the last word may be unfinished, unless it is a whole word
	// the index or the vocabulary knows.
	if last && utf8.RuneCountInString(w) >= 3 && !known(w) && !x.vocab.InDictionary(w) {
		p := bleve.NewPrefixQuery(w)
		p.SetField(fieldExact)
		p.SetBoost(0.5)
		alts = append(alts, p)
		marks.prefix = w
	}
	return bleve.NewDisjunctionQuery(alts...)
}

func hasDigit(s string) bool {
	for _, r := range s {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// filterSpec turns a query's conditions into the filter engine's terms.
func (x *Index) filterSpec(q Query, v *view) (filterSpec, error) {
	var f filterSpec
	statuses := q.Statuses
	if len(statuses) == 0 {
		statuses = publicStatuses
	}
	f.allOf = append(f.allOf, []termSet{{fieldStatus, statuses}})
	if len(q.TaxonomyIDs) > 0 {
		f.allOf = append(f.allOf, []termSet{{fieldTaxonomyIDs, q.TaxonomyIDs}})
	}
	if len(q.Vocabulary) > 0 {
		// A vocabulary matches through its terms' ids, which carry it as a prefix
		// ("target_audience:carers") or belong to the needs taxonomy.
		var group []termSet
		for _, voc := range q.Vocabulary {
			if voc == NeedsVocabulary {
				group = append(group, termSet{fieldNeeds, x.topNeeds})
				continue
			}
			terms, err := termsWithPrefix(v, fieldTaxonomyIDs, voc+":")
			if err != nil {
				return f, err
			}
			group = append(group, termSet{fieldTaxonomyIDs, terms})
		}
		f.allOf = append(f.allOf, group)
	}
	if q.Cost != "" {
		f.allOf = append(f.allOf, []termSet{{fieldCost, []string{q.Cost}}})
	}
	if len(q.Delivery) > 0 {
		f.allOf = append(f.allOf, []termSet{{fieldModes, q.Delivery}})
	}
	if q.Day != "" {
		f.allOf = append(f.allOf, []termSet{{fieldDays, []string{strings.ToLower(q.Day)}}})
	}
	if q.MinAge != nil || q.MaxAge != nil {
		// The person's ages overlap the service's: its youngest is at most
		// their oldest, its oldest at least their youngest.
		lo, hi := 0, 120
		if q.MinAge != nil {
			lo = max(lo, *q.MinAge)
		}
		if q.MaxAge != nil {
			hi = min(hi, *q.MaxAge)
		}
		var young, old []string
		for a := 0; a <= 120; a++ {
			if a <= hi {
				young = append(young, strconv.Itoa(a))
			}
			if a >= lo {
				old = append(old, strconv.Itoa(a))
			}
		}
		f.allOf = append(f.allOf, []termSet{{fieldMinAge, young}}, []termSet{{fieldMaxAge, old}})
	}
	if q.Near != nil && q.Radius > 0 {
		f.near, f.radius = q.Near, q.Radius
	}
	return f, nil
}

func termsWithPrefix(v *view, field, prefix string) ([]string, error) {
	dict, err := v.snap.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	var out []string
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			return out, nil
		}
		out = append(out, e.Term)
	}
}

// Search runs a query against the index. It fails with EUNAVAILABLE while the
// index is being rebuilt; Searcher then answers from the store.
func (x *Index) Search(ctx context.Context, q Query) (*Result, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.idx == nil || x.State() != StateReady {
		return nil, &directory.Error{Code: directory.EUNAVAILABLE, Message: "The search index is being rebuilt; please try again shortly."}
	}
	gen := x.gen.Load()
	key := q.cacheKey()
	if r, ok := x.results.get(key, gen); ok {
		return r, nil
	}
	adv, err := x.idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search: open a snapshot: %w", err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("search: the index is a %T, not a scorch index", r)
	}
	res, err := x.search(ctx, snap, x.engine.view(snap), q)
	if err == nil && ctx.Err() == nil {
		x.results.put(key, gen, res)
	}
	return res, err
}

// cacheKey says everything about a query that decides its result.
func (q Query) cacheKey() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q|%v|%v|%q|%v|%q|", q.Text, q.TaxonomyIDs, q.Vocabulary, q.Cost, q.Delivery, q.Day)
	if q.Near != nil {
		fmt.Fprintf(&b, "%v,%v,%v", q.Near.Lat, q.Near.Lon, q.Radius)
	}
	for _, a := range []*int{q.MinAge, q.MaxAge} {
		if a != nil {
			fmt.Fprintf(&b, "|%d", *a)
		} else {
			b.WriteString("|-")
		}
	}
	fmt.Fprintf(&b, "|%v|%v|%d|%d|%v", q.Statuses, q.SortByDist, q.Page.Number, q.Page.Size, q.Facets)
	return b.String()
}

// search runs q on one snapshot; the caller holds it open and x.mu for reading.
func (x *Index) search(ctx context.Context, snap *scorch.IndexSnapshot, v *view, q Query) (*Result, error) {
	spec, err := x.filterSpec(q, v)
	if err != nil {
		return nil, err
	}
	allowed, err := v.filter(spec)
	if err != nil {
		return nil, fmt.Errorf("search: filters: %w", err)
	}
	var exact index.FieldDictContains
	known := func(w string) bool {
		if exact == nil {
			if exact, err = snap.FieldDictContains(fieldExact); err != nil {
				return true // cannot tell: take the word as it is
			}
		}
		ok, err := exact.Contains([]byte(w))
		return err == nil && ok
	}
	plan := x.planText(q.Text, known, q.relaxed)
	if q.Page.Size == 0 {
		q.Page = directory.PageRequest{Number: 1, Size: directory.DefaultPerPage}
	}
	from := (q.Page.Number - 1) * q.Page.Size
	if q.Near != nil {
		if err := v.readPoints(); err != nil {
			return nil, fmt.Errorf("search: coordinates: %w", err)
		}
	}
	out := &Result{Corrected: plan.corrected, marks: plan.marks}
	var hits *roaring.Bitmap
	if plan.query == nil {
		hits = allowed
		out.Total = int(allowed.GetCardinality())
		docs := x.browse(v, allowed, q, from)
		for _, doc := range docs {
			id, err := v.externalID(doc)
			if err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			out.Hits = append(out.Hits, Hit{ID: id, Score: 0, DistanceMetres: distanceOf(v, doc, q.Near)})
		}
	} else if !allowed.IsEmpty() {
		ts, err := plan.query.Searcher(ctx, snap, x.idx.Mapping(), search.SearcherOptions{})
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		conj, err := searcher.NewConjunctionSearcher(ctx, snap, []search.Searcher{ts, newBitmapSearcher(allowed)}, search.SearcherOptions{})
		if err != nil {
			ts.Close()
			return nil, fmt.Errorf("search: %w", err)
		}
		var root search.Searcher = conj
		var recorder *recordingSearcher
		if q.Facets { // only facets need every hit, not just the page
			recorder = &recordingSearcher{Searcher: conj}
			root = recorder
		}
		order := search.SortOrder{&search.SortScore{Desc: true}}
		if q.Near != nil {
			dist := &distanceSort{v: v, from: *q.Near}
			if q.SortByDist {
				order = search.SortOrder{dist, &search.SortScore{Desc: true}}
			} else {
				order = append(order, dist)
			}
		}
		coll := collector.NewTopNCollector(q.Page.Size, from, order)
		err = coll.Collect(ctx, root, snap)
		root.Close()
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		out.Total = int(coll.Total())
		for _, h := range coll.Results() {
			out.Hits = append(out.Hits, Hit{ID: h.ID, Score: h.Score, DistanceMetres: distanceOf(v, h.IndexInternalID.Value(), q.Near)})
		}
		if recorder != nil {
			hits = recorder.bitmap()
		}
	}
	// Words that revealed a need but found nothing together ("stop drinking")
	// are read again, requiring only the need.
	if out.Total == 0 && plan.query != nil && plan.understood && !q.relaxed {
		q.relaxed = true
		return x.search(ctx, snap, v, q)
	}
	if q.Facets {
		if hits == nil {
			hits = roaring.New()
		}
		out.Facets = map[string][]FacetCount{}
		for _, f := range []struct {
			name, field string
			terms       []string
		}{
			{"category", fieldNeeds, x.topNeeds},
			{"cost", fieldCost, []string{CostFree, CostPaid, CostUnknown}},
			{"delivery", fieldModes, []string{DeliveryInPerson, DeliveryOnline, DeliveryPhone}},
		} {
			counts, err := v.facet(hits, f.field, f.terms)
			if err != nil {
				return nil, fmt.Errorf("search: facets: %w", err)
			}
			if f.name == "category" {
				for i := range counts {
					if n := x.vocab.Need(counts[i].Value); n != nil {
						counts[i].Name = n.Name
					}
				}
			}
			out.Facets[f.name] = counts
		}
	}
	return out, nil
}

func distanceOf(v *view, doc uint64, near *directory.Point) *float64 {
	if near == nil {
		return nil
	}
	d := v.distance(doc, *near)
	if math.IsInf(d, 1) {
		return nil
	}
	d = math.Round(d)
	return &d
}

// browse pages through filtered documents without words: nearest first when
// a place is given, else in index order (the store's order after a rebuild).
func (x *Index) browse(v *view, allowed *roaring.Bitmap, q Query, from int) []uint64 {
	size := q.Page.Size
	if from >= int(allowed.GetCardinality()) {
		return nil
	}
	if q.Near == nil {
		out := make([]uint64, 0, size)
		it := allowed.Iterator()
		if from > 0 {
			n, err := allowed.Select(uint32(from))
			if err != nil {
				return nil
			}
			it.AdvanceIfNeeded(n)
		}
		for it.HasNext() && len(out) < size {
			out = append(out, uint64(it.Next()))
		}
		return out
	}
	type near struct {
		doc  uint64
		dist float64
	}
	all := make([]near, 0, allowed.GetCardinality())
	it := allowed.Iterator()
	for it.HasNext() {
		doc := uint64(it.Next())
		all = append(all, near{doc, v.distance(doc, *q.Near)})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].dist != all[j].dist {
			return all[i].dist < all[j].dist
		}
		return all[i].doc < all[j].doc
	})
	end := min(len(all), from+size)
	out := make([]uint64, 0, end-from)
	for _, n := range all[from:end] {
		out = append(out, n.doc)
	}
	return out
}

// SpellingSuggestion offers the words of a query as they are more likely
// meant, from the words the index holds: each word of five letters or more
// that the index does not know becomes the most common indexed word within
// two edits of it. "" when there is nothing to suggest.
func (x *Index) SpellingSuggestion(ctx context.Context, text string) string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.idx == nil {
		return ""
	}
	adv, err := x.idx.Advanced()
	if err != nil {
		return ""
	}
	r, err := adv.Reader()
	if err != nil {
		return ""
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return ""
	}
	contains, err := snap.FieldDictContains(fieldExact)
	if err != nil {
		return ""
	}
	changed := false
	out := wordRE.ReplaceAllStringFunc(text, func(w string) string {
		lw := strings.ToLower(w)
		if utf8.RuneCountInString(lw) < 5 || hasDigit(lw) || queryStopWords[lw] {
			return w
		}
		if ok, err := contains.Contains([]byte(lw)); err != nil || ok {
			return w
		}
		dict, err := snap.FieldDictFuzzy(fieldExact, lw, 2, string([]rune(lw)[:1]))
		if err != nil {
			return w
		}
		defer dict.Close()
		// The closest word; among equally close ones the most used (when
		// the dictionary counts them), then the first alphabetically.
		best, bestD, count := "", 3, uint64(0)
		for e, err := dict.Next(); err == nil && e != nil; e, err = dict.Next() {
			d := editDistance(lw, e.Term, 2)
			if d < bestD || d == bestD && (e.Count > count || e.Count == count && e.Term < best) {
				best, bestD, count = e.Term, d, e.Count
			}
		}
		if best == "" {
			return w
		}
		changed = true
		return best
	})
	if !changed {
		return ""
	}
	return out
}
