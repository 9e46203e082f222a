package search

import (
	"html"
	"strings"
	"unicode/utf8"
)

// marker knows which words of a result to mark for a query: the query's own
// words and those of the synonym groups it touched (as stems), the last word
// typed as a prefix, and misspelt words within their allowed typos.
type marker struct {
	stems  map[string]bool
	prefix string
	fuzzy  []fuzzyWord
}

type fuzzyWord struct {
	word  string
	edits int
}

func (m *marker) marks(stem, surface string) bool {
	if m.stems[stem] {
		return true
	}
	lower := strings.ToLower(surface)
	if m.prefix != "" && strings.HasPrefix(lower, m.prefix) {
		return true
	}
	for _, f := range m.fuzzy {
		if editDistance(lower, f.word, f.edits) <= f.edits {
			return true
		}
	}
	return false
}

// fragmentRunes is about how much of a long description a highlight shows.
const fragmentRunes = 220

// highlight returns text with the marked words in <mark>, everything else
// HTML-escaped, cut to a fragment around the first mark when whole is false;
// "" when nothing in it is marked.
func (v *Vocab) highlight(m *marker, text string, whole bool) string {
	if m == nil || text == "" {
		return ""
	}
	type span struct{ start, end int }
	var spans []span
	for _, t := range v.analyzer.Analyze([]byte(text)) {
		if t.Start < 0 || t.End > len(text) || t.Start >= t.End {
			continue
		}
		if m.marks(string(t.Term), text[t.Start:t.End]) {
			spans = append(spans, span{t.Start, t.End})
		}
	}
	if len(spans) == 0 {
		return ""
	}
	from, to := 0, len(text)
	if !whole && utf8.RuneCountInString(text) > fragmentRunes {
		from = wordStart(text, max(0, spans[0].start-60))
		n := 0
		for i := range text[from:] {
			if n == fragmentRunes {
				to = wordEnd(text, from+i)
				break
			}
			n++
		}
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	at := from
	for _, s := range spans {
		if s.start < from || s.end > to {
			continue
		}
		b.WriteString(html.EscapeString(text[at:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		at = s.end
	}
	b.WriteString(html.EscapeString(text[at:to]))
	if to < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// wordStart moves i back to the start of the word it falls in.
func wordStart(text string, i int) int {
	for i > 0 && !utf8.RuneStart(text[i]) {
		i--
	}
	for i > 0 && text[i-1] != ' ' && text[i-1] != '\n' {
		i--
	}
	return i
}

// wordEnd moves i on to the end of the word it falls in.
func wordEnd(text string, i int) int {
	for i < len(text) && text[i] != ' ' && text[i] != '\n' {
		i++
	}
	return i
}
