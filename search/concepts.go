package search

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Concepts are the synonym groups, recognised once when a service is indexed
// instead of on every search: a service whose text holds any phrase of a
// group (its lay words or its expansions) carries the group's concept token
// in the same field, and a query that touches the group asks for that one
// term. One posting list per concept replaces dozens of phrase queries per
// search, and the token is scored like a word of the field it sits in (its
// length, its weight), as the phrases were.

// conceptKey is the index term of a synonym group: its first word, stemmed,
// made unique. The whole data file's hash is part of the mapping version, so
// editing the groups rebuilds the index.
func (v *Vocab) conceptKey(group int) string { return v.conceptKeys[group] }

// conceptToken is how a concept is written into a text field: letters only,
// so every analyser keeps it one word, and prefixed so it is no real word.
func conceptToken(key string) string { return "zqc" + conceptKeyLetters.Replace(key) }

var conceptKeyLetters = strings.NewReplacer("_", "x", "'", "")

// ConceptText is the concept tokens of the phrases in text, as one string
// to append to the field the text is indexed in.
func (v *Vocab) ConceptText(text string) string { return v.conceptTextStems(v.stems(text)) }

func (v *Vocab) conceptTextStems(tokens []string) string {
	keys := v.conceptsInStems(tokens)
	for i, k := range keys {
		keys[i] = v.conceptTokens[k]
	}
	return strings.Join(keys, " ")
}

// initConcepts builds the concept keys, the index-time phrase table and the
// spelling dictionary. ParseVocab calls it.
func (v *Vocab) initConcepts() {
	v.conceptKeys = make([]string, len(v.Synonyms))
	v.conceptTokens = map[string]string{}
	v.conceptPhrases = map[string][]synPhrase{}
	used := map[string]int{}
	for gi, g := range v.Synonyms {
		key := "c"
		if len(g.Words) > 0 {
			key = strings.Join(v.stems(g.Words[0]), "_")
			if key == "" {
				key = "c"
			}
		}
		used[key]++
		if used[key] > 1 {
			key += "_" + itoa(used[key])
		}
		v.conceptKeys[gi] = key
		v.conceptTokens[key] = conceptToken(key)
		seen := map[string]bool{}
		for _, w := range append(append([]string{}, g.Words...), g.Expand...) {
			toks := v.phraseStems(w)
			k := strings.Join(toks, " ")
			if len(toks) == 0 || seen[k] {
				continue
			}
			seen[k] = true
			v.conceptPhrases[toks[0]] = append(v.conceptPhrases[toks[0]], synPhrase{tokens: toks, group: gi})
		}
	}
	v.expandPhrases = map[string][]expansionPhrase{}
	byPhrase := map[string]*expansionPhrase{}
	for gi, g := range v.Synonyms {
		for _, w := range g.Expand {
			toks := v.phraseStems(w)
			k := strings.Join(toks, " ")
			if len(toks) == 0 {
				continue
			}
			if p := byPhrase[k]; p != nil {
				if p.groups[len(p.groups)-1] != gi {
					p.groups = append(p.groups, gi)
				}
				continue
			}
			byPhrase[k] = &expansionPhrase{tokens: toks, words: w, groups: []int{gi}}
		}
	}
	keys := make([]string, 0, len(byPhrase))
	for k := range byPhrase {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := byPhrase[k]
		v.expandPhrases[p.tokens[0]] = append(v.expandPhrases[p.tokens[0]], *p)
	}
	// Longest phrases first, so "social group" wins over "social".
	for _, ps := range v.expandPhrases {
		sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].tokens) > len(ps[j].tokens) })
	}
	v.dictionary = map[string]bool{}
	addWords := func(s string) {
		for _, w := range wordRE.FindAllString(strings.ToLower(s), -1) {
			if utf8.RuneCountInString(w) >= 4 && isLetters(w) {
				v.dictionary[w] = true
			}
		}
	}
	for _, g := range v.Synonyms {
		for _, w := range g.Words {
			addWords(w)
		}
		for _, w := range g.Expand {
			addWords(w)
		}
	}
	for _, n := range v.Needs {
		addWords(n.Name)
		for _, w := range n.Words {
			addWords(w)
		}
	}
	for _, right := range v.Spellings {
		addWords(right)
	}
	v.dictByLen = map[int][]string{}
	for w := range v.dictionary {
		n := utf8.RuneCountInString(w)
		v.dictByLen[n] = append(v.dictByLen[n], w)
	}
	for _, ws := range v.dictByLen {
		sort.Strings(ws)
	}
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for n >= 10 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	b[i] = byte('0' + n)
	return string(b[i:])
}

func isLetters(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '\'' {
			return false
		}
	}
	return true
}

// ConceptsIn returns the concept keys whose phrases occur in text, each as
// often as it occurs (at most three times, so one long page cannot swamp
// the score), in a stable order.
func (v *Vocab) ConceptsIn(text string) []string { return v.conceptsInStems(v.stems(text)) }

func (v *Vocab) conceptsInStems(tokens []string) []string {
	counts := map[int]int{}
	eachPhrase(tokens, v.conceptPhrases, func(p synPhrase) []string { return p.tokens }, func(p synPhrase) { counts[p.group]++ })
	groups := make([]int, 0, len(counts))
	for g := range counts {
		groups = append(groups, g)
	}
	sort.Ints(groups)
	var out []string
	for _, g := range groups {
		for i := 0; i < min(3, counts[g]); i++ {
			out = append(out, v.conceptKeys[g])
		}
	}
	return out
}

// expansionPhrase is a phrase the synonyms expand to, with the groups that do.
type expansionPhrase struct {
	tokens []string
	words  string // as written
	groups []int
}

// ExpansionMatches finds the phrases of a query that are the directory's own
// words for a need ("befriending", "food bank") rather than a lay word: the
// synonyms run both ways, so such a phrase means the groups that expand to
// it. Tokens in skip are already understood and left alone; each token is
// used once, longest phrase first.
func (v *Vocab) ExpansionMatches(query string, skip map[string]bool) []expansionPhrase {
	tokens := v.stems(query)
	var out []expansionPhrase
	for i := 0; i < len(tokens); i++ {
		if skip[tokens[i]] {
			continue
		}
		for _, p := range v.expandPhrases[tokens[i]] {
			if i+len(p.tokens) > len(tokens) {
				continue
			}
			ok := true
			for j := 1; j < len(p.tokens); j++ {
				if tokens[i+j] != p.tokens[j] || skip[tokens[i+j]] {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, p)
				i += len(p.tokens) - 1
				break
			}
		}
	}
	return out
}

// InDictionary reports whether a lower-case word is one of the vocabulary's own.
func (v *Vocab) InDictionary(w string) bool { return v.dictionary[w] }

// NearestWord finds the vocabulary word a misspelt word most likely meant:
// one edit away for words of five to seven letters, two from eight, where an
// edit is a letter added, dropped, changed or two letters swapped; the first
// letter must match, as people rarely get it wrong. It returns "" when no
// word is close, or when two words are equally close.
func (v *Vocab) NearestWord(w string) string {
	n := utf8.RuneCountInString(w)
	if n < 5 || !isLetters(w) {
		return ""
	}
	maxD := 1
	if n >= 8 {
		maxD = 2
	}
	first, _ := utf8.DecodeRuneInString(w)
	best, bestD, tie := "", maxD+1, false
	for l := n - maxD; l <= n+maxD; l++ {
		for _, cand := range v.dictByLen[l] {
			if c, _ := utf8.DecodeRuneInString(cand); c != first {
				continue
			}
			d := editDistance(w, cand, maxD)
			switch {
			case d < bestD:
				best, bestD, tie = cand, d, false
			case d == bestD && cand != best:
				tie = true
			}
		}
	}
	if bestD > maxD || tie {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and adjacent transpositions), or
// limit+1 once it is certain to exceed limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
