package search

import (
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/signpost-uk/signpost/directory"
)

// Cost and delivery facet values; the directory works them out.
const (
	CostFree         = directory.CostFree
	CostPaid         = directory.CostPaid
	CostUnknown      = directory.CostUnknown
	DeliveryInPerson = directory.DeliveryInPerson
	DeliveryOnline   = directory.DeliveryOnline
	DeliveryPhone    = directory.DeliveryPhone
)

var (
	costOf     = directory.CostOf
	deliveryOf = directory.DeliveryOf
	daysOf     = directory.DaysOf
)

// agesOf is the widest age range the service takes: 0–120 when it states none.
func agesOf(s *directory.ServiceDetail) (float64, float64) {
	lo, hi := 120, 0
	stated := false
	for _, e := range s.Eligibilitys {
		if e.MinimumAge == nil && e.MaximumAge == nil {
			continue
		}
		stated = true
		lo0, hi0 := 0, 120
		if e.MinimumAge != nil {
			lo0 = *e.MinimumAge
		}
		if e.MaximumAge != nil {
			hi0 = *e.MaximumAge
		}
		lo, hi = min(lo, lo0), max(hi, hi0)
	}
	if !stated {
		return 0, 120
	}
	return float64(lo), float64(hi)
}

// document builds the index document of a service. Terms the provider chose
// and terms Signpost suggested both count; a service with neither gets
// suggestions computed here, so facets work even before they are stored.
func (x *Index) document(s *directory.ServiceDetail) map[string]any {
	var names, ids []string
	needs := map[string]bool{}
	idSet := map[string]bool{}
	addTerm := func(id, name string) {
		if name != "" {
			names = append(names, name)
		}
		for _, a := range append([]string{id}, x.vocab.Ancestors(id)...) {
			if !idSet[a] {
				idSet[a] = true
				ids = append(ids, a)
			}
		}
		if top := x.vocab.TopLevel(id); top != "" {
			needs[top] = true
		}
	}
	hasNeed := false
	for _, st := range s.ServiceTaxonomys {
		addTerm(st.Taxonomy.ID, st.Taxonomy.Name)
		if st.Taxonomy.ParentID != "" && !idSet[st.Taxonomy.ParentID] {
			idSet[st.Taxonomy.ParentID] = true
			ids = append(ids, st.Taxonomy.ParentID)
		}
		if st.Taxonomy.Vocabulary == NeedsVocabulary {
			hasNeed = true
		}
	}
	// The name and description are analysed once here, for suggestions,
	// concepts and word pairs; bleve analyses the text fields itself.
	nameStems, descStems := x.vocab.stems(s.Name), x.vocab.stems(s.Description)
	if !hasNeed {
		for _, id := range x.vocab.suggestStems(nameStems, descStems) {
			if n := x.vocab.Need(id); n != nil {
				addTerm(id, n.Name)
			}
		}
	}
	var place []string
	var points []map[string]any
	for _, sal := range s.ServiceAtLocations {
		l := sal.Location
		for _, a := range l.PhysicalAddresses {
			place = append(place, a.City, a.Address2, a.StateProvince, directory.Outcode(a.PostalCode))
		}
		if l.Latitude != nil && l.Longitude != nil {
			points = append(points, map[string]any{"lat": *l.Latitude, "lon": *l.Longitude})
		}
	}
	for _, a := range s.ServiceAreas {
		place = append(place, a.ServiceArea)
	}
	minAge, maxAge := agesOf(s)
	all := append([]string{s.Name, s.Description, s.Organization.Name}, names...)
	all = append(all, place...)
	// Each text field also carries the concepts found in it (concepts.go).
	rest := append(append(x.vocab.stems(s.Organization.Name), descStems...), x.vocab.stems(strings.Join(names, ". "))...)
	doc := map[string]any{
		fieldName:        []string{s.Name, x.vocab.conceptTextStems(nameStems)},
		fieldTerms:       names,
		fieldAll:         append(all, x.vocab.conceptTextStems(rest)),
		fieldExact:       distinctWords(all),
		fieldPairs:       append(stemPairs(nameStems), stemPairs(descStems)...),
		fieldNamePairs:   stemPairs(nameStems),
		fieldTaxonomyIDs: ids,
		fieldNeeds:       sortedSet(needs),
		fieldCost:        costOf(s),
		fieldModes:       deliveryOf(s),
		fieldDays:        daysOf(s),
		fieldMinAge:      strconv.Itoa(int(minAge)),
		fieldMaxAge:      strconv.Itoa(int(maxAge)),
		fieldStatus:      s.Status,
		fieldOrgID:       s.OrganizationID,
	}
	if len(points) > 0 {
		doc[fieldLocation] = points
	}
	return doc
}

// distinctWords are the lower-case words of texts, each once.
func distinctWords(texts []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(strings.ToLower(t), notWordRune) {
			w = strings.Trim(w, "'’")
			if w != "" && !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
}

// stemPairs are the adjacent pairs of a stem sequence, "a b".
func stemPairs(stems []string) []string {
	if len(stems) < 2 {
		return nil
	}
	out := make([]string, 0, len(stems)-1)
	for i := 1; i < len(stems); i++ {
		out = append(out, stems[i-1]+" "+stems[i])
	}
	return out
}

func sortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func compact(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
