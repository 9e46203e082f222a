package search

// Unit tests of the vocabulary (spellings, synonyms, suggestions, the needs
// tree) and of how a service becomes an index document (cost, delivery, days,
// ages), and checks of typo and synonym handling on the bundled demo data.

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/signpost-uk/signpost/directory"
)

func mustVocab(t testing.TB) *Vocab {
	t.Helper()
	v, err := DefaultVocab()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVocabLoads(t *testing.T) {
	v := mustVocab(t)
	if len(v.Needs) < 50 || len(v.Synonyms) < 50 || len(v.Spellings) == 0 {
		t.Fatalf("vocab: %d needs, %d synonym groups, %d spellings", len(v.Needs), len(v.Synonyms), len(v.Spellings))
	}
	// Parents come before their children, and every parent is known.
	seen := map[string]bool{}
	for _, n := range v.Needs {
		if n.Parent != "" && !seen[n.Parent] {
			t.Errorf("%s comes before its parent %s", n.ID, n.Parent)
		}
		seen[n.ID] = true
		if v.Need(n.ID) == nil || v.Need(n.ID).Name != n.Name {
			t.Errorf("Need(%q) = %+v", n.ID, v.Need(n.ID))
		}
	}
	terms := v.Terms()
	if len(terms) != len(v.Needs) {
		t.Fatalf("Terms: %d of %d", len(terms), len(v.Needs))
	}
	for _, term := range terms {
		if term.Vocabulary != NeedsVocabulary || term.Name == "" {
			t.Errorf("term %+v", term)
		}
		if errs := directory.Check(term); errs != nil {
			t.Errorf("term %s does not pass the store's checks: %v", term.ID, errs)
		}
	}
}

func TestParseVocabErrors(t *testing.T) {
	good := []byte(`{"groups":[{"words":["skint"],"expand":["money advice"],"needs":["money"]}],"spellings":{"monney":"money"}}`)
	cases := []struct {
		name, needs string
		synonyms    []byte
		want        string
	}{
		{"not json", `{`, good, "needs taxonomy"},
		{"no name", `{"terms":[{"id":"money"}]}`, good, "without id or name"},
		{"duplicate", `{"terms":[{"id":"money","name":"Money"},{"id":"x","name":"X","children":[{"id":"money","name":"Again"}]}]}`, good, "duplicate id"},
		{"unknown need", `{"terms":[{"id":"food","name":"Food"}]}`, good, "unknown need"},
		{"bad synonyms", `{"terms":[{"id":"money","name":"Money"}]}`, []byte(`[`), "synonyms"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseVocab([]byte(c.needs), c.synonyms)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one mentioning %q", err, c.want)
			}
		})
	}
	v, err := ParseVocab([]byte(`{"terms":[{"id":"money","name":"Money","words":["cash"],"children":[{"id":"money.debt","name":"Debt"}]}]}`), good)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Ancestors("money.debt"); !slices.Equal(got, []string{"money.debt", "money"}) {
		t.Errorf("Ancestors = %v", got)
	}
	if got := v.Correct("Monney worries"); got != "money worries" {
		t.Errorf("Correct = %q", got)
	}
}

func TestVocabCorrect(t *testing.T) {
	v := mustVocab(t)
	cases := []struct{ in, want string }{
		{"befrending", "befriending"},
		{"excercise class near DN15", "exercise class near DN15"},
		{"Lonley and bored", "lonely and bored"},
		{"BEREAVMENT support", "bereavement support"},
		{"help with benifits, please!", "help with benefits, please!"},
		{"counciling for my mum", "counselling for my mum"},
		{"food bank", "food bank"},
		{"", ""},
		// Only whole words are corrected.
		{"excercises", "excercises"},
	}
	for _, c := range cases {
		if got := v.Correct(c.in); got != c.want {
			t.Errorf("Correct(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestVocabAncestorsTopLevel(t *testing.T) {
	v := mustVocab(t)
	cases := []struct {
		id        string
		ancestors []string
		top       string
	}{
		{"food.food-banks", []string{"food.food-banks", "food"}, "food"},
		{"food", []string{"food"}, "food"},
		{"money-debt-benefits.debt-advice", []string{"money-debt-benefits.debt-advice", "money-debt-benefits"}, "money-debt-benefits"},
		{"befriending-social.befriending", []string{"befriending-social.befriending", "befriending-social"}, "befriending-social"},
		{"no-such-need", nil, ""},
		{"", nil, ""},
	}
	for _, c := range cases {
		if got := v.Ancestors(c.id); !slices.Equal(got, c.ancestors) {
			t.Errorf("Ancestors(%q) = %v, want %v", c.id, got, c.ancestors)
		}
		if got := v.TopLevel(c.id); got != c.top {
			t.Errorf("TopLevel(%q) = %q, want %q", c.id, got, c.top)
		}
	}
	for _, n := range v.Needs {
		top := v.TopLevel(n.ID)
		if v.Need(top) == nil || v.Need(top).Parent != "" {
			t.Errorf("TopLevel(%q) = %q, not a top-level need", n.ID, top)
		}
	}
}

func TestVocabExpand(t *testing.T) {
	v := mustVocab(t)
	cases := []struct {
		query     string
		needs     []string // each must be among the expansion's needs
		phrases   []string // each must be among its phrases
		noGroups  bool
		matchedBy string // a word of the query a group must have matched, as stemmed
	}{
		{query: "cant pay rent", needs: []string{"money-debt-benefits.debt-advice", "housing.housing-advice"}, phrases: []string{"debt advice", "housing advice"}, matchedBy: "rent"},
		{query: "I can't pay my rent", needs: []string{"money-debt-benefits.debt-advice", "housing.housing-advice"}, matchedBy: "rent"},
		{query: "money worries", needs: []string{"money-debt-benefits"}, phrases: []string{"debt advice"}},
		{query: "I feel lonely", needs: []string{"befriending-social"}, phrases: []string{"befriending"}, matchedBy: "lone"},
		{query: "Lonely", needs: []string{"befriending-social.befriending"}},
		{query: "my mum has dementia", needs: []string{"long-term-conditions.dementia"}},
		{query: "want to get fit", needs: []string{"physical-activity"}},
		{query: "quantum physics", noGroups: true},
		{query: "", noGroups: true},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			e := v.Expand(c.query)
			groups := v.ExpandGroups(c.query)
			if c.noGroups {
				if len(groups) != 0 || len(e.Needs) != 0 || len(e.Phrases) != 0 {
					t.Errorf("groups %+v, expansion %+v; want none", groups, e)
				}
				return
			}
			if len(groups) == 0 {
				t.Fatal("no synonym group matched")
			}
			for _, n := range c.needs {
				if !slices.Contains(e.Needs, n) {
					t.Errorf("Expand needs %v lack %s", e.Needs, n)
				}
			}
			for _, p := range c.phrases {
				if !slices.Contains(e.Phrases, p) {
					t.Errorf("Expand phrases %v lack %q", e.Phrases, p)
				}
			}
			if !slices.IsSorted(e.Needs) || !slices.IsSorted(e.Phrases) {
				t.Errorf("Expand not sorted: %+v", e)
			}
			// Expand is the union of what ExpandGroups found, each group once.
			union := map[string]bool{}
			seen := map[string]bool{}
			for _, g := range groups {
				key := strings.Join(g.Words, "|")
				if seen[key] {
					t.Errorf("group %v listed twice", g.Words)
				}
				seen[key] = true
				for _, n := range g.Needs {
					union[n] = true
				}
				if len(g.Matched) == 0 || len(g.MatchedWords()) == 0 {
					t.Errorf("group %v matched nothing", g.Words)
				}
			}
			if len(union) != len(e.Needs) {
				t.Errorf("ExpandGroups needs %v, Expand needs %v", union, e.Needs)
			}
			if c.matchedBy != "" {
				found := false
				for _, g := range groups {
					found = found || slices.Contains(g.Matched, c.matchedBy)
				}
				if !found {
					t.Errorf("no group matched %q: %+v", c.matchedBy, groups)
				}
			}
		})
	}
}

func TestVocabSuggest(t *testing.T) {
	v := mustVocab(t)
	cases := []struct {
		name, description string
		want              string // must be suggested
		wantTop           string // or, when want is "", some suggestion under this top-level need
		none              bool
	}{
		{name: "Scunthorpe Food Bank", description: "Emergency food parcels for people in crisis. Referral needed.", want: "food.food-banks"},
		{name: "Tuesday Walking Group", description: "A gentle health walk round the park, followed by a cuppa.", want: "physical-activity.walking"},
		{name: "Knit and Natter", description: "Bring your knitting or crochet and have a chat.", want: "arts-creativity.knitting-sewing"},
		{name: "Grief Cafe", description: "A friendly bereavement group for anyone coping with loss.", wantTop: "bereavement"},
		{name: "Money Advice Drop-in", description: "Debt advice, benefits advice and help with budgeting.", wantTop: "money-debt-benefits"},
		{name: "Stop Smoking Service", description: "Free nicotine replacement and support to quit smoking.", want: "healthy-lifestyles.stop-smoking"},
		{name: "Car park", description: "Pay and display, open all hours.", none: true},
		// From the demo feed ("General hiring of the hall for functions"): one
		// "granted" in the description is no evidence of a money need.
		{name: "Village hall hire", description: "The hall can be hired for parties. Discounts may be granted to residents.", none: true},
		{name: "", description: "", none: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := v.Suggest(c.name, c.description)
			if len(got) > 3 {
				t.Errorf("Suggest = %v: more than three", got)
			}
			if c.none {
				if len(got) != 0 {
					t.Errorf("Suggest = %v, want none", got)
				}
				return
			}
			if c.want != "" && !slices.Contains(got, c.want) {
				t.Errorf("Suggest = %v, want %s among them", got, c.want)
			}
			if c.wantTop != "" && !slices.ContainsFunc(got, func(id string) bool { return v.TopLevel(id) == c.wantTop }) {
				t.Errorf("Suggest = %v, want one under %s", got, c.wantTop)
			}
			for i, id := range got {
				if v.Need(id) == nil {
					t.Errorf("Suggest gave unknown id %q", id)
				}
				// A parent is never suggested beside one of its children.
				for j, other := range got {
					if i != j && slices.Contains(v.Ancestors(other)[1:], id) {
						t.Errorf("Suggest = %v: %s beside its child %s", got, id, other)
					}
				}
			}
		})
	}
	// A word in the name counts more than the same word in the description.
	if got := v.Suggest("Walking group", ""); !slices.Contains(got, "physical-activity.walking") {
		t.Errorf("a need named in the name alone is not suggested: %v", got)
	}
	if got := v.Suggest("", "knitting"); len(got) != 0 {
		t.Errorf("one weak mention in a description is suggested: %v", got)
	}
}

// ---------------------------------------------------------------------------
// Index documents

func amountPtr(f float64) *float64 { return &f }
func agePtr(n int) *int            { return &n }

func svcWith(mod func(s *directory.ServiceDetail)) *directory.ServiceDetail {
	s := &directory.ServiceDetail{Service: directory.Service{ID: "s", Name: "A service", Status: directory.StatusActive}}
	mod(s)
	return s
}

func TestCostOf(t *testing.T) {
	cases := []struct {
		name string
		s    *directory.ServiceDetail
		want string
	}{
		{"amount zero", svcWith(func(s *directory.ServiceDetail) {
			s.CostOptions = []directory.CostOption{{ID: "c", Amount: amountPtr(0)}}
		}), CostFree},
		{"amount charged", svcWith(func(s *directory.ServiceDetail) {
			s.CostOptions = []directory.CostOption{{ID: "c", Amount: amountPtr(2.5)}}
		}), CostPaid},
		{"free and charged", svcWith(func(s *directory.ServiceDetail) {
			s.CostOptions = []directory.CostOption{{ID: "a", Amount: amountPtr(0)}, {ID: "b", Amount: amountPtr(4)}}
		}), CostPaid},
		{"amount beats fees", svcWith(func(s *directory.ServiceDetail) {
			s.CostOptions = []directory.CostOption{{ID: "a", Amount: amountPtr(0)}}
			s.Fees = "£3 for materials"
		}), CostFree},
		{"no amount, fees in pounds", svcWith(func(s *directory.ServiceDetail) {
			s.CostOptions = []directory.CostOption{{ID: "a", AmountDescription: "varies"}}
			s.Fees = "£2 per session"
		}), CostPaid},
		{"fees free", svcWith(func(s *directory.ServiceDetail) { s.Fees = "Free" }), CostFree},
		{"fees no charge", svcWith(func(s *directory.ServiceDetail) { s.Fees = "There is no charge." }), CostFree},
		{"fees beat description", svcWith(func(s *directory.ServiceDetail) { s.Fees = "Free"; s.Description = "Lunch costs £4." }), CostFree},
		{"description price", svcWith(func(s *directory.ServiceDetail) { s.Description = "Sessions cost £3 each." }), CostPaid},
		{"description is free", svcWith(func(s *directory.ServiceDetail) { s.Description = "The group is free to join." }), CostFree},
		{"description free of charge", svcWith(func(s *directory.ServiceDetail) { s.Description = "A free of charge service." }), CostFree},
		{"description free and confidential", svcWith(func(s *directory.ServiceDetail) { s.Description = "Free and confidential advice." }), CostFree},
		{"description free, comma", svcWith(func(s *directory.ServiceDetail) {
			s.Description = "Free, friendly and confidential support for carers."
		}), CostFree},
		{"description free, impartial", svcWith(func(s *directory.ServiceDetail) {
			s.Description = "A charity providing free, impartial, expert debt advice."
		}), CostFree},
		{"free parking is not a free service", svcWith(func(s *directory.ServiceDetail) { s.Description = "Free parking nearby." }), CostUnknown},
		{"nothing said", svcWith(func(s *directory.ServiceDetail) { s.Description = "A friendly group." }), CostUnknown},
	}
	for _, c := range cases {
		if got := costOf(c.s); got != c.want {
			t.Errorf("%s: costOf = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestDeliveryOf(t *testing.T) {
	at := []directory.ServiceAtLocationDetail{{ID: "l", Location: directory.Location{ID: "loc"}}}
	cases := []struct {
		name string
		s    *directory.ServiceDetail
		want []string
	}{
		{"venue", svcWith(func(s *directory.ServiceDetail) { s.AttendingType = "venue" }), []string{DeliveryInPerson}},
		{"home visit", svcWith(func(s *directory.ServiceDetail) { s.AttendingType = "home visit" }), []string{DeliveryInPerson}},
		{"online", svcWith(func(s *directory.ServiceDetail) { s.AttendingType = "online" }), []string{DeliveryOnline}},
		{"phone", svcWith(func(s *directory.ServiceDetail) { s.AttendingType = "phone" }), []string{DeliveryPhone}},
		{"attending type wins over text", svcWith(func(s *directory.ServiceDetail) {
			s.AttendingType = "phone"
			s.ServiceAtLocations = at
			s.Description = "Also on Zoom."
		}), []string{DeliveryPhone}},
		{"location only", svcWith(func(s *directory.ServiceDetail) { s.ServiceAtLocations = at }), []string{DeliveryInPerson}},
		{"location and zoom", svcWith(func(s *directory.ServiceDetail) {
			s.ServiceAtLocations = at
			s.Description = "Meet in the hall or join us on Zoom."
		}), []string{DeliveryInPerson, DeliveryOnline}},
		{"helpline", svcWith(func(s *directory.ServiceDetail) { s.Name = "Carers Helpline" }), []string{DeliveryPhone}},
		{"online and phone text", svcWith(func(s *directory.ServiceDetail) {
			s.Description = "Support online by video call, or over the phone."
		}), []string{DeliveryOnline, DeliveryPhone}},
		{"nothing known", svcWith(func(s *directory.ServiceDetail) { s.Description = "A group." }), []string{}},
	}
	for _, c := range cases {
		if got := deliveryOf(c.s); !slices.Equal(got, c.want) {
			t.Errorf("%s: deliveryOf = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestDaysOf(t *testing.T) {
	rs := func(days ...string) []directory.RegularSchedule {
		var out []directory.RegularSchedule
		for _, d := range days {
			out = append(out, directory.RegularSchedule{ID: d, Weekday: d})
		}
		return out
	}
	cases := []struct {
		name string
		s    *directory.ServiceDetail
		want []string
	}{
		{"none", svcWith(func(s *directory.ServiceDetail) {}), []string{}},
		{"service days", svcWith(func(s *directory.ServiceDetail) { s.RegularSchedules = rs("Thursday", "Monday") }), []string{"monday", "thursday"}},
		{"location days", svcWith(func(s *directory.ServiceDetail) {
			s.ServiceAtLocations = []directory.ServiceAtLocationDetail{{ID: "a", RegularSchedules: rs("Sunday")}}
		}), []string{"sunday"}},
		{"both, each once", svcWith(func(s *directory.ServiceDetail) {
			s.RegularSchedules = rs("Monday", "Monday")
			s.ServiceAtLocations = []directory.ServiceAtLocationDetail{{ID: "a", RegularSchedules: rs("Monday", "Friday")}, {ID: "b", RegularSchedules: rs("Saturday")}}
		}), []string{"monday", "friday", "saturday"}}, // in week order
		{"unknown weekday ignored", svcWith(func(s *directory.ServiceDetail) { s.RegularSchedules = rs("Someday", "Tuesday") }), []string{"tuesday"}},
	}
	for _, c := range cases {
		if got := daysOf(c.s); !slices.Equal(got, c.want) {
			t.Errorf("%s: daysOf = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestAgesOf(t *testing.T) {
	el := func(lo, hi *int) directory.Eligibility {
		return directory.Eligibility{ID: "e", MinimumAge: lo, MaximumAge: hi}
	}
	cases := []struct {
		name   string
		elig   []directory.Eligibility
		lo, hi float64
	}{
		{"none", nil, 0, 120},
		{"no ages stated", []directory.Eligibility{{ID: "e", Eligibility: "carers"}}, 0, 120},
		{"adults", []directory.Eligibility{el(agePtr(18), nil)}, 18, 120},
		{"children", []directory.Eligibility{el(nil, agePtr(11))}, 0, 11},
		{"range", []directory.Eligibility{el(agePtr(11), agePtr(18))}, 11, 18},
		{"widest of two", []directory.Eligibility{el(agePtr(11), agePtr(18)), el(agePtr(60), nil)}, 11, 120},
		{"an open one beside a range", []directory.Eligibility{{ID: "x", Eligibility: "anyone"}, el(agePtr(5), agePtr(10))}, 5, 10},
		{"exact", []directory.Eligibility{el(agePtr(0), agePtr(0))}, 0, 0},
	}
	for _, c := range cases {
		s := svcWith(func(s *directory.ServiceDetail) { s.Eligibilitys = c.elig })
		lo, hi := agesOf(s)
		if lo != c.lo || hi != c.hi {
			t.Errorf("%s: agesOf = %v–%v, want %v–%v", c.name, lo, hi, c.lo, c.hi)
		}
	}
}

func TestDocument(t *testing.T) {
	v := mustVocab(t)
	x := &Index{vocab: v}
	lat, lon := 53.59, -0.65
	need := func(id string) directory.ServiceTaxonomyDetail {
		n := v.Need(id)
		return directory.ServiceTaxonomyDetail{ID: "st-" + id, Taxonomy: directory.TaxonomyTerm{ID: id, Name: n.Name, Vocabulary: NeedsVocabulary, ParentID: n.Parent}}
	}

	chosen := svcWith(func(s *directory.ServiceDetail) {
		s.Name = "Walking group and food bank" // would suggest other needs
		s.OrganizationID = "org"
		s.Organization = directory.Organization{ID: "org", Name: "Food Network"}
		s.ServiceTaxonomys = []directory.ServiceTaxonomyDetail{need("food.food-banks"),
			{ID: "x", Taxonomy: directory.TaxonomyTerm{ID: "target_audience:parents.grandparents", Name: "Grandparents", Vocabulary: "target_audience", ParentID: "target_audience:parents"}}}
		s.ServiceAtLocations = []directory.ServiceAtLocationDetail{{ID: "a", Location: directory.Location{ID: "l", Latitude: &lat, Longitude: &lon,
			PhysicalAddresses: []directory.PhysicalAddress{{ID: "p", City: "Scunthorpe", PostalCode: "DN15 6NL", StateProvince: "North Lincolnshire"}}}}}
		s.ServiceAreas = []directory.ServiceArea{{ID: "ar", ServiceArea: "North Lincolnshire"}}
	})
	doc := x.document(chosen)
	ids := doc[fieldTaxonomyIDs].([]string)
	for _, want := range []string{"food.food-banks", "food", "target_audience:parents.grandparents", "target_audience:parents"} {
		if !slices.Contains(ids, want) {
			t.Errorf("taxonomy ids %v lack %s", ids, want)
		}
	}
	if slices.Contains(ids, "physical-activity.walking") {
		t.Errorf("a provider's need choice was topped up with suggestions: %v", ids)
	}
	if got := doc[fieldNeeds].([]string); !slices.Equal(got, []string{"food"}) {
		t.Errorf("needs = %v", got)
	}
	all := doc[fieldAll].([]string)
	for _, want := range []string{"Food Network", "Scunthorpe", "North Lincolnshire", "DN15", "Grandparents"} {
		if !slices.Contains(all, want) {
			t.Errorf("the all field %v lacks %q", all, want)
		}
	}
	if got := strings.Join(doc[fieldName].([]string), " "); !strings.Contains(got, conceptToken(v.conceptKey(groupOf(t, v, "food bank")))) {
		t.Errorf("the name %q lacks the food bank concept", got)
	}
	if pts, ok := doc[fieldLocation].([]map[string]any); !ok || len(pts) != 1 || pts[0]["lat"] != lat || pts[0]["lon"] != lon {
		t.Errorf("location = %v", doc[fieldLocation])
	}
	if doc[fieldStatus] != directory.StatusActive || doc[fieldOrgID] != "org" {
		t.Errorf("doc = %v", doc)
	}
	if doc[fieldMinAge] != "0" || doc[fieldMaxAge] != "120" {
		t.Errorf("ages %v–%v", doc[fieldMinAge], doc[fieldMaxAge])
	}
	if got := doc[fieldExact].([]string); !slices.Contains(got, "walking") || !slices.Contains(got, "scunthorpe") {
		t.Errorf("exact words %v", got)
	}
	if got := doc[fieldPairs].([]string); !slices.Contains(got, "food bank") {
		t.Errorf("word pairs %v", got)
	}

	// A service with no need of its own gets suggestions, so facets work at once.
	bare := svcWith(func(s *directory.ServiceDetail) {
		s.Name = "Tuesday Walking Group"
		s.Description = "A gentle health walk."
	})
	doc = x.document(bare)
	if ids := doc[fieldTaxonomyIDs].([]string); !slices.Contains(ids, "physical-activity.walking") || !slices.Contains(ids, "physical-activity") {
		t.Errorf("suggested ids = %v", ids)
	}
	if got := doc[fieldNeeds].([]string); !slices.Equal(got, []string{"physical-activity"}) {
		t.Errorf("needs = %v", got)
	}
	if _, ok := doc[fieldLocation]; ok {
		t.Errorf("a service with no coordinates has a location: %v", doc[fieldLocation])
	}
	if got := strings.Join(doc[fieldAll].([]string), " "); !strings.Contains(got, conceptToken(v.conceptKey(groupOf(t, v, "health walk")))) {
		t.Errorf("the all field %q lacks the health walk concept", got)
	}

	// Stated ages become every year they cover.
	aged := svcWith(func(s *directory.ServiceDetail) {
		lo, hi := 11, 18
		s.Eligibilitys = []directory.Eligibility{{ID: "e", MinimumAge: &lo, MaximumAge: &hi}}
	})
	if doc := x.document(aged); doc[fieldMinAge] != "11" || doc[fieldMaxAge] != "18" {
		t.Errorf("ages 11-18 indexed as %v–%v", doc[fieldMinAge], doc[fieldMaxAge])
	}
}

// groupOf finds the synonym group holding a phrase among its words or expansions.
func groupOf(t *testing.T, v *Vocab, phrase string) int {
	t.Helper()
	for i, g := range v.Synonyms {
		if slices.Contains(g.Words, phrase) || slices.Contains(g.Expand, phrase) {
			return i
		}
	}
	t.Fatalf("no synonym group holds %q", phrase)
	return -1
}

// ---------------------------------------------------------------------------
// Unmet-needs normalisation

func TestNormaliseUnmet(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Quantum physics tutoring 07700 900123 jo@example.org", "quantum physics tutoring"},
		{"  Help   with DN15 6NL rent!!  ", "help with rent"},
		{"born 12/03/1950, flat 4b", "born flat"},
		{"mailto:someone@somewhere.co.uk please", "please"},
		{"Café for carers", "café for carers"},
		{"07700900123", ""},
		{"", ""},
	}
	for _, c := range cases {
		if got := normaliseUnmet(c.in); got != c.want {
			t.Errorf("normaliseUnmet(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	long := normaliseUnmet(strings.Repeat("lonely ", 40))
	if len(long) > 100 {
		t.Errorf("kept %d bytes", len(long))
	}
	// Cutting a long query must not split a letter in two.
	for _, in := range []string{"x" + strings.Repeat("é", 80), "a " + strings.Repeat("naïve café ", 20)} {
		got := normaliseUnmet(in)
		if len(got) > 100 || !utf8.ValidString(got) {
			t.Errorf("normaliseUnmet(%q…) = %q (%d bytes, valid UTF-8 %v)", string([]rune(in)[:6]), got, len(got), utf8.ValidString(got))
		}
	}
}

func TestUnmetRecordList(t *testing.T) {
	ctx := context.Background()
	store, err := directory.Open(ctx, t.TempDir(), directory.StoreOptions{Logger: quietLog})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	day := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
	u, err := NewUnmet(store, func() time.Time { return day })
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := u.Record(ctx, "Sky diving lessons for 80 year olds"); err != nil {
			t.Fatal(err)
		}
	}
	if err := u.Record(ctx, "12345 07700900123"); err != nil { // nothing left to keep
		t.Fatal(err)
	}
	// A long query made of two-byte letters is stored under valid text.
	long := "x" + strings.Repeat("é", 80)
	if err := u.Record(ctx, long); err != nil {
		t.Fatal(err)
	}
	list, err := u.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, n := range list {
		switch {
		case n.Query == "sky diving lessons for year olds":
			found = n.Count
		case n.Query == "":
			t.Errorf("an empty query was counted: %+v", n)
		case strings.HasPrefix(n.Query, "xé"):
			if !utf8.ValidString(n.Query) || strings.ContainsRune(n.Query, utf8.RuneError) {
				t.Errorf("a long query was stored as %q", n.Query)
			}
		}
	}
	if found != 3 {
		t.Errorf("counted %d, want 3: %+v", found, list)
	}
	// Only the dates are kept, first and last.
	day = day.AddDate(0, 0, 2)
	if err := u.Record(ctx, "sky diving lessons for year olds"); err != nil {
		t.Fatal(err)
	}
	list, err = u.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 || list[0].Query != "sky diving lessons for year olds" || list[0].Count != 4 ||
		list[0].FirstSeen != "2026-03-01" || list[0].LastSeen != "2026-03-03" {
		t.Errorf("most often first, with dates: %+v", list)
	}
}

// ---------------------------------------------------------------------------
// Typos and synonyms on the bundled demo directory

func TestDemoTyposAndSynonyms(t *testing.T) {
	d := demoIndex(t)
	v := mustVocab(t)
	// The expected services were chosen by reading the bundled feed.
	cases := []struct {
		q        string
		top      int
		mustHave map[string]string // id → name, each among the first top results
		top3Need string            // a need every one of the first three results has, top-level
	}{
		{q: "befrending", top: 5, mustHave: map[string]string{
			"5ecca86b-2ba2-89ed-ae87-9b2500877da3": "Ways to Wellness", // volunteer buddies for people who feel lonely or isolated
		}, top3Need: "befriending-social"},
		{q: "lonely", top: 5, mustHave: map[string]string{
			"f28d0fa8-4bdc-9819-e5bd-a6dbbc2843c9": "Coffee Morning", // "for anyone who may feel lonely, isolated"
		}, top3Need: "befriending-social"},
		{q: "money worries", top: 5, mustHave: map[string]string{
			"5fd835a2-7563-35e9-302f-b3a9bd4396c7": "National Debtline",
			"a7aa1608-29f9-c75e-89bd-e67e04e87d84": "Money and Debt Advice",
		}, top3Need: "money-debt-benefits"},
		{q: "cant pay rent", top: 5, mustHave: map[string]string{
			"a7aa1608-29f9-c75e-89bd-e67e04e87d84": "Money and Debt Advice",
			"d029640a-a704-920d-80d4-6ed36ecf3634": "Housing Advice",
		}},
		{q: "excercise", top: 5, mustHave: map[string]string{
			"46703a18-46de-60c3-d243-33d450843435": "Chair Based Exercise Class",
		}, top3Need: "physical-activity"},
	}
	for _, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			hits, total, err := d.searcher.ListServices(context.Background(), directory.ServiceFilter{Text: c.q}, directory.PageRequest{Number: 1, Size: c.top})
			if err != nil {
				t.Fatal(err)
			}
			if total == 0 {
				t.Fatal("nothing found")
			}
			var names []string
			for _, h := range hits {
				names = append(names, h.Name)
			}
			for id, name := range c.mustHave {
				if !slices.ContainsFunc(hits, func(h directory.ServiceHit) bool { return h.ID == id }) {
					t.Errorf("%s (%s) not in the first %d: %v", name, id, c.top, names)
				}
			}
			if c.top3Need != "" {
				for _, h := range hits[:min(3, len(hits))] {
					if !slices.ContainsFunc(h.ServiceTaxonomys, func(st directory.ServiceTaxonomyDetail) bool {
						return v.TopLevel(st.Taxonomy.ID) == c.top3Need
					}) {
						t.Errorf("%s in the first three has no %s category", h.Name, c.top3Need)
					}
				}
			}
		})
	}
	t.Run("rugby club", func(t *testing.T) {
		hits, total, err := d.searcher.ListServices(context.Background(), directory.ServiceFilter{Text: "rugby club"}, directory.PageRequest{Number: 1, Size: 5})
		if err != nil {
			t.Fatal(err)
		}
		if total != 0 || len(hits) != 0 {
			var names []string
			for _, h := range hits {
				names = append(names, h.Name)
			}
			t.Errorf("rugby club found %d: %v", total, names)
		}
	})
	// A typo finds what the corrected word finds.
	for typo, right := range map[string]string{"befrending": "befriending", "excercise": "exercise", "lonley": "lonely"} {
		a, na, err1 := d.searcher.ListServices(context.Background(), directory.ServiceFilter{Text: typo}, directory.PageRequest{Number: 1, Size: 10})
		b, nb, err2 := d.searcher.ListServices(context.Background(), directory.ServiceFilter{Text: right}, directory.PageRequest{Number: 1, Size: 10})
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if na != nb || len(a) != len(b) {
			t.Errorf("%q found %d, %q found %d", typo, na, right, nb)
			continue
		}
		for i := range a {
			if a[i].ID != b[i].ID {
				t.Errorf("%q and %q differ at %d: %s / %s", typo, right, i, a[i].Name, b[i].Name)
			}
		}
	}
}
