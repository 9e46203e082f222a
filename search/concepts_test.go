package search

import (
	"slices"
	"strings"
	"testing"
)

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"anxiety", "anxiety", 2, 0},
		{"anxeity", "anxiety", 2, 1}, // two letters swapped is one edit
		{"volunteerng", "volunteering", 2, 1},
		{"dimentia", "dementia", 2, 1},
		{"gardenning", "gardening", 2, 1},
		{"lonliness", "loneliness", 2, 1},
		{"cat", "dog", 2, 3},   // beyond the limit: limit+1
		{"a", "abcdef", 2, 3},  // length alone rules it out
		{"café", "cafe", 2, 1}, // letters, not bytes
	}
	for _, c := range cases {
		if got := editDistance(c.a, c.b, c.limit); got != c.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
		}
	}
}

func TestNearestWord(t *testing.T) {
	v := mustVocab(t)
	for typo, want := range map[string]string{
		"dimentia":     "dementia",
		"lonliness":    "loneliness",
		"gardenning":   "gardening",
		"volunterring": "volunteering",
		"dementia":     "dementia", // a word of the vocabulary is itself
		"quantum":      "",         // nothing close
		"xylophone":    "",
		"abc":          "", // too short to guess at
		"bemefits":     "benefits",
	} {
		if got := v.NearestWord(typo); got != want {
			t.Errorf("NearestWord(%q) = %q, want %q", typo, got, want)
		}
	}
}

func TestConceptsIn(t *testing.T) {
	v := mustVocab(t)
	lonely := v.conceptKey(groupOf(t, v, "befriending"))
	got := v.ConceptsIn("A telephone befriending service for anyone feeling lonely or isolated.")
	if n := strings.Count(strings.Join(got, " "), lonely); n < 2 {
		t.Errorf("concepts %v: the loneliness group found %d times, want at least 2", got, n)
	}
	many := v.ConceptsIn(strings.Repeat("befriending ", 20))
	if n := strings.Count(strings.Join(many, " "), lonely); n != 3 {
		t.Errorf("a word said 20 times counts %d times, want the cap of 3", n)
	}
	if got := v.ConceptsIn("Quantum physics lectures"); len(got) != 0 {
		t.Errorf("concepts of unrelated text: %v", got)
	}
	if tok := v.conceptTokens[lonely]; !strings.HasPrefix(tok, "zqc") || strings.ContainsAny(tok, "_' ") {
		t.Errorf("concept token %q is not one plain word", tok)
	}
}

func TestExpansionMatches(t *testing.T) {
	v := mustVocab(t)
	// "befriending" is the directory's word the loneliness group expands to.
	ms := v.ExpansionMatches("befriending", nil)
	if len(ms) != 1 || !slices.Contains(ms[0].groups, groupOf(t, v, "befriending")) {
		t.Errorf("befriending: %+v", ms)
	}
	// Tokens already understood are skipped.
	if ms := v.ExpansionMatches("befriending", map[string]bool{v.stems("befriending")[0]: true}); len(ms) != 0 {
		t.Errorf("a covered token matched again: %+v", ms)
	}
}

func TestHighlight(t *testing.T) {
	v := mustVocab(t)
	m := &marker{stems: map[string]bool{v.stems("lonely")[0]: true}, prefix: "walk"}
	got := v.highlight(m, `<b>Lonely?</b> Join our walkers & talkers`, true)
	want := `&lt;b&gt;<mark>Lonely</mark>?&lt;/b&gt; Join our <mark>walkers</mark> &amp; talkers`
	if got != want {
		t.Errorf("highlight = %q\n want %q", got, want)
	}
	if got := v.highlight(m, "Nothing to see", true); got != "" {
		t.Errorf("no match should give no highlight, got %q", got)
	}
	long := strings.Repeat("filler words here ", 40) + "a lonely place " + strings.Repeat("more text after ", 40)
	frag := v.highlight(m, long, false)
	if !strings.Contains(frag, "<mark>lonely</mark>") || !strings.HasPrefix(frag, "…") || !strings.HasSuffix(frag, "…") {
		t.Errorf("fragment %q", frag)
	}
	if n := len([]rune(frag)); n > fragmentRunes+40 {
		t.Errorf("fragment of %d characters", n)
	}
	// A typo within its edits is marked.
	fz := &marker{stems: map[string]bool{}, fuzzy: []fuzzyWord{{"scunthrope", 2}}}
	if got := v.highlight(fz, "Meets in Scunthorpe", true); got != "Meets in <mark>Scunthorpe</mark>" {
		t.Errorf("fuzzy highlight = %q", got)
	}
}

func TestLRU(t *testing.T) {
	c := newLRU[int](2)
	c.put("a", 1, 1)
	c.put("b", 1, 2)
	if v, ok := c.get("a", 1); !ok || v != 1 {
		t.Fatalf("get a = %v %v", v, ok)
	}
	c.put("c", 1, 3) // evicts b, the least recently used
	if _, ok := c.get("b", 1); ok {
		t.Error("b survived eviction")
	}
	if _, ok := c.get("a", 2); ok {
		t.Error("an entry of another generation was served")
	}
	if _, ok := c.get("a", 1); ok {
		t.Error("a stale entry stayed after it was refused")
	}
	if c.len() != 1 {
		t.Errorf("len %d, want 1", c.len())
	}
	none := newLRU[int](0)
	none.put("a", 1, 1)
	if _, ok := none.get("a", 1); ok {
		t.Error("a zero-size cache kept something")
	}
}
