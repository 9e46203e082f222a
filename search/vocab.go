package search

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/signpost-uk/signpost/directory"
)

//go:embed data/needs.json data/synonyms.json
var dataFS embed.FS

// NeedsVocabulary names Signpost's default taxonomy of social prescribing needs.
const NeedsVocabulary = "signpost-needs"

// needsSource is the provenance source of the needs terms in the store.
const needsSource = "Signpost needs taxonomy"

// Need is one category of the needs taxonomy, with the everyday words that signal it.
type Need struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Words       []string `json:"words"`
	Children    []Need   `json:"children,omitempty"`
	Parent      string   `json:"-"`
}

// SynonymGroup maps the words people use onto the directory's vocabulary.
type SynonymGroup struct {
	Words  []string `json:"words"`
	Expand []string `json:"expand"`
	Needs  []string `json:"needs"`
}

// Vocab is the needs taxonomy and the lay-term synonyms, both kept as data
// files in search/data.
type Vocab struct {
	Needs    []Need           // every term, parents before children
	byID     map[string]*Need // id → term
	Synonyms []SynonymGroup
	// Spellings corrects whole words as typed before analysis.
	Spellings map[string]string

	analyzer  analysis.Analyzer
	phrases   map[string][]phrase // first stemmed token → phrases starting with it
	synPhrase map[string][]synPhrase

	// Index-time concepts and the spelling dictionary (concepts.go).
	conceptKeys    []string
	conceptTokens  map[string]string // key → its token
	conceptPhrases map[string][]synPhrase
	expandPhrases  map[string][]expansionPhrase
	dictionary     map[string]bool
	dictByLen      map[int][]string
	// Hash is a digest of the data files, part of the mapping version.
	Hash string
}

type phrase struct {
	tokens []string
	need   string
}

type synPhrase struct {
	tokens []string
	group  int
}

var (
	vocabOnce sync.Once
	vocab     *Vocab
	vocabErr  error
)

// DefaultVocab returns the needs taxonomy and synonyms shipped with Signpost.
func DefaultVocab() (*Vocab, error) {
	vocabOnce.Do(func() {
		needs, err := dataFS.ReadFile("data/needs.json")
		if err != nil {
			vocabErr = err
			return
		}
		syn, err := dataFS.ReadFile("data/synonyms.json")
		if err != nil {
			vocabErr = err
			return
		}
		vocab, vocabErr = ParseVocab(needs, syn)
	})
	return vocab, vocabErr
}

// ParseVocab reads a needs taxonomy and a synonyms file.
func ParseVocab(needsJSON, synonymsJSON []byte) (*Vocab, error) {
	var nf struct {
		Vocabulary string `json:"vocabulary"`
		Terms      []Need `json:"terms"`
	}
	if err := json.Unmarshal(needsJSON, &nf); err != nil {
		return nil, fmt.Errorf("needs taxonomy: %w", err)
	}
	var sf struct {
		Groups    []SynonymGroup    `json:"groups"`
		Spellings map[string]string `json:"spellings"`
	}
	if err := json.Unmarshal(synonymsJSON, &sf); err != nil {
		return nil, fmt.Errorf("synonyms: %w", err)
	}
	cache := registry.NewCache()
	a, err := cache.AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		return nil, err
	}
	v := &Vocab{byID: map[string]*Need{}, Synonyms: sf.Groups, Spellings: sf.Spellings, analyzer: a,
		phrases: map[string][]phrase{}, synPhrase: map[string][]synPhrase{}}
	var add func(n Need, parent string) error
	add = func(n Need, parent string) error {
		if n.ID == "" || n.Name == "" {
			return fmt.Errorf("needs taxonomy: a term without id or name under %q", parent)
		}
		if _, dup := v.byID[n.ID]; dup {
			return fmt.Errorf("needs taxonomy: duplicate id %q", n.ID)
		}
		children := n.Children
		n.Children, n.Parent = nil, parent
		v.Needs = append(v.Needs, n)
		v.byID[n.ID] = &v.Needs[len(v.Needs)-1]
		for _, w := range append([]string{n.Name}, n.Words...) {
			if toks := v.phraseStems(w); len(toks) > 0 {
				v.phrases[toks[0]] = append(v.phrases[toks[0]], phrase{tokens: toks, need: n.ID})
			}
		}
		for _, c := range children {
			if err := add(c, n.ID); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range nf.Terms {
		if err := add(n, ""); err != nil {
			return nil, err
		}
	}
	// Rebuild the id map: appending may have moved the slice.
	for i := range v.Needs {
		v.byID[v.Needs[i].ID] = &v.Needs[i]
	}
	for gi, g := range v.Synonyms {
		for _, need := range g.Needs {
			if v.byID[need] == nil {
				return nil, fmt.Errorf("synonyms: group %d names unknown need %q", gi+1, need)
			}
		}
		for _, w := range g.Words {
			if toks := v.phraseStems(w); len(toks) > 0 {
				v.synPhrase[toks[0]] = append(v.synPhrase[toks[0]], synPhrase{tokens: toks, group: gi})
			}
		}
	}
	v.initConcepts()
	sum := sha256.Sum256(append(append([]byte{}, needsJSON...), synonymsJSON...))
	v.Hash = hex.EncodeToString(sum[:4])
	return v, nil
}

// phraseStems analyses a phrase of the synonyms, or gives nothing when
// dropping its stop words left one word of several ("hard up" would be
// "hard", "cut off" "cut"): such a phrase means nothing without the rest.
func (v *Vocab) phraseStems(phrase string) []string {
	toks := v.stems(phrase)
	if len(toks) == 1 && len(strings.Fields(phrase)) > 1 {
		return nil
	}
	return toks
}

// stems analyses text as the index does (lower case, stop words out, stemmed).
func (v *Vocab) stems(text string) []string {
	var out []string
	for _, t := range v.analyzer.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

// Correct replaces known misspellings, word by word, keeping everything else.
func (v *Vocab) Correct(text string) string {
	if len(v.Spellings) == 0 {
		return text
	}
	return wordRE.ReplaceAllStringFunc(text, func(w string) string {
		if c, ok := v.Spellings[strings.ToLower(w)]; ok {
			return c
		}
		return w
	})
}

// Need returns a term by id.
func (v *Vocab) Need(id string) *Need { return v.byID[id] }

// Ancestors returns the id and its parents' ids, nearest first.
func (v *Vocab) Ancestors(id string) []string {
	var out []string
	for n := v.byID[id]; n != nil; n = v.byID[n.Parent] {
		out = append(out, n.ID)
	}
	return out
}

// TopLevel returns the top-level need an id falls under ("" if unknown).
func (v *Vocab) TopLevel(id string) string {
	a := v.Ancestors(id)
	if len(a) == 0 {
		return ""
	}
	return a[len(a)-1]
}

// Terms returns the needs taxonomy as ORUK taxonomy terms.
func (v *Vocab) Terms() []directory.TaxonomyTerm {
	out := make([]directory.TaxonomyTerm, 0, len(v.Needs))
	for _, n := range v.Needs {
		out = append(out, directory.TaxonomyTerm{ID: n.ID, Name: n.Name, Vocabulary: NeedsVocabulary, ParentID: n.Parent, Description: n.Description})
	}
	return out
}

// matchPhrases counts, per key, the distinct phrases found in the token stream.
func matchPhrases[P any](tokens []string, index map[string][]P, toks func(P) []string, key func(P) string, hit func(key string, p P)) {
	seen := map[string]bool{}
	eachPhrase(tokens, index, toks, func(p P) {
		id := key(p) + "\x00" + strings.Join(toks(p), " ")
		if !seen[id] {
			seen[id] = true
			hit(key(p), p)
		}
	})
}

// eachPhrase calls hit for every occurrence in tokens of a phrase of index
// (keyed by its first token), overlapping ones too.
func eachPhrase[P any](tokens []string, index map[string][]P, toks func(P) []string, hit func(p P)) {
	for i, t := range tokens {
		for _, p := range index[t] {
			pt := toks(p)
			if i+len(pt) > len(tokens) {
				continue
			}
			ok := true
			for j := 1; j < len(pt); j++ {
				if tokens[i+j] != pt[j] {
					ok = false
					break
				}
			}
			if ok {
				hit(p)
			}
		}
	}
}

// Suggest infers the needs a service meets from its name and description:
// each distinct signal phrase scores 3 in the name and 1 in the description;
// terms scoring at least 2 are suggested, at most three, best first.
func (v *Vocab) Suggest(name, description string) []string {
	return v.suggestStems(v.stems(name), v.stems(description))
}

// suggestStems is Suggest on text already analysed.
func (v *Vocab) suggestStems(name, description []string) []string {
	// Evidence per term: each distinct phrase once, at its strongest place. A
	// child's phrases also count for its ancestors (so a broad need surfaces
	// when several of its children are each mentioned), but a phrase listed
	// under both a child and its parent still counts once.
	evidence := map[string]map[string]int{}
	for _, part := range []struct {
		tokens []string
		weight int
	}{{name, 3}, {description, 1}} {
		matchPhrases(part.tokens, v.phrases,
			func(p phrase) []string { return p.tokens }, func(p phrase) string { return p.need },
			func(need string, p phrase) {
				key := strings.Join(p.tokens, " ")
				for _, a := range v.Ancestors(need) {
					if evidence[a] == nil {
						evidence[a] = map[string]int{}
					}
					evidence[a][key] = max(evidence[a][key], part.weight)
				}
			})
	}
	total := map[string]int{}
	for id, phrases := range evidence {
		for _, w := range phrases {
			total[id] += w
		}
	}
	var ids []string
	for id, s := range total {
		if s >= 2 {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		if total[ids[i]] != total[ids[j]] {
			return total[ids[i]] > total[ids[j]]
		}
		return ids[i] < ids[j]
	})
	// Prefer specific terms: a child that qualifies replaces its ancestor, and
	// an ancestor of a kept term is not kept beside it.
	isAncestor := func(a, of string) bool {
		for _, x := range v.Ancestors(of)[1:] {
			if x == a {
				return true
			}
		}
		return false
	}
	var out []string
	for _, id := range ids {
		skip := false
		for i, kept := range out {
			if isAncestor(id, kept) {
				skip = true
				break
			}
			if isAncestor(kept, id) {
				out[i], skip = id, true
				break
			}
		}
		if !skip && len(out) < 3 {
			out = append(out, id)
		}
	}
	return out
}

// GroupMatch is a synonym group some words of a query belong to.
type GroupMatch struct {
	SynonymGroup
	Matched []string // the query's stemmed tokens the group covered
	words   []string // the group's own words that matched, as written
	index   int      // the group's place in the synonyms file
}

// MatchedWords are the group's words found in the query, as the group writes them.
func (g GroupMatch) MatchedWords() []string { return g.words }

// ExpandGroups finds the synonym groups a query's words belong to, each once.
func (v *Vocab) ExpandGroups(query string) []GroupMatch {
	tokens := v.stems(query)
	byGroup := map[int]*GroupMatch{}
	var order []int
	matchPhrases(tokens, v.synPhrase,
		func(p synPhrase) []string { return p.tokens }, func(p synPhrase) string { return fmt.Sprint(p.group) },
		func(_ string, p synPhrase) {
			g := byGroup[p.group]
			if g == nil {
				g = &GroupMatch{SynonymGroup: v.Synonyms[p.group], index: p.group}
				byGroup[p.group] = g
				order = append(order, p.group)
			}
			g.Matched = append(g.Matched, p.tokens...)
			g.words = append(g.words, strings.Join(p.tokens, " "))
		})
	sort.Ints(order)
	out := make([]GroupMatch, 0, len(order))
	for _, gi := range order {
		out = append(out, *byGroup[gi])
	}
	return out
}

// Expansion is what the synonyms add to a query.
type Expansion struct {
	Phrases []string // extra phrases to search for
	Needs   []string // need ids to boost
}

// Expand finds the synonym groups a query's words belong to, as ExpandGroups
// does, and returns what they add: their phrases and needs, each once.
func (v *Vocab) Expand(query string) Expansion {
	var e Expansion
	seenP, seenN := map[string]bool{}, map[string]bool{}
	for _, g := range v.ExpandGroups(query) {
		for _, p := range g.Expand {
			if !seenP[p] {
				seenP[p] = true
				e.Phrases = append(e.Phrases, p)
			}
		}
		for _, n := range g.Needs {
			if !seenN[n] {
				seenN[n] = true
				e.Needs = append(e.Needs, n)
			}
		}
	}
	sort.Strings(e.Phrases)
	sort.Strings(e.Needs)
	return e
}
