package search

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/signpost-uk/signpost/directory"
)

// feed builds an ORUK feed of n services; name(i) names service i.
func feed(n int, name func(i int) string) []byte {
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":"svc-%05d","name":%q,"description":"A friendly group for tea and a chat.","status":"active",
"organization":{"id":"%s","name":"Org %d","description":""}}`, i, name(i), directory.DeriveID("org", fmt.Sprint(i%50)), i%50)
	}
	b.WriteString("]")
	return []byte(b.String())
}

func importFeed(t testing.TB, store *directory.Store, data []byte) {
	t.Helper()
	b, err := directory.ParseORUK(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Import(context.Background(), b, directory.ImportOptions{PrepareOptions: directory.PrepareOptions{Source: "test"}}); err != nil {
		t.Fatal(err)
	}
}

func openStore(t testing.TB, dir string) *directory.Store {
	t.Helper()
	s, err := directory.Open(context.Background(), dir, directory.StoreOptions{Logger: quietLog})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func openReady(t testing.TB, dir string, store *directory.Store, opts Options) *Index {
	t.Helper()
	opts.Logger = quietLog
	idx, err := Open(context.Background(), dir, store, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := idx.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	return idx
}

// waitFound polls the index until a text search finds id, or fails after 10 s.
func waitFound(t testing.TB, idx *Index, text, id string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		res, err := idx.Search(context.Background(), Query{Text: text, Page: directory.PageRequest{Number: 1, Size: 10}})
		if err == nil {
			for _, h := range res.Hits {
				if h.ID == id {
					return
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s was not found by %q within 10 s", id, text)
}

func TestIndexFollowsEdits(t *testing.T) {
	dir := t.TempDir()
	store := openStore(t, dir)
	defer store.Close()
	importFeed(t, store, feed(20, func(i int) string { return fmt.Sprintf("Tea club %d", i) }))
	idx := openReady(t, filepath.Join(dir, "index"), store, Options{})
	defer idx.Close()

	importFeed(t, store, feed(20, func(i int) string {
		if i == 7 {
			return "Zebra crossing volunteers"
		}
		return fmt.Sprintf("Tea club %d", i)
	}))
	waitFound(t, idx, "zebra", "svc-00007")
	// The document is visible a moment before the applied sequence is recorded.
	seq, _ := store.LastChange(context.Background())
	for deadline := time.Now().Add(10 * time.Second); idx.LastApplied() != seq; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("applied %d of %d changes", idx.LastApplied(), seq)
		}
	}
}

// killChildEnv makes the test binary act as a server process that commits an
// edit to the store and is then killed before its index applies it.
const killChildEnv = "SIGNPOST_SEARCH_KILL_CHILD_DIR"

func killChild(dir string) int {
	ctx := context.Background()
	store, err := directory.Open(ctx, dir, directory.StoreOptions{Logger: quietLog})
	if err != nil {
		fmt.Println("open store:", err)
		return 1
	}
	// A follower that will not look again for an hour: the edit below stays unapplied.
	idx, err := Open(ctx, filepath.Join(dir, "index"), store, Options{Logger: quietLog, PollInterval: time.Hour})
	if err != nil {
		fmt.Println("open index:", err)
		return 1
	}
	if err := idx.WaitReady(ctx); err != nil {
		fmt.Println("ready:", err)
		return 1
	}
	for {
		seq, _ := store.LastChange(ctx)
		if idx.LastApplied() == seq {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	b, _ := directory.ParseORUK(feed(20, func(i int) string {
		if i == 3 {
			return "Kingfisher birdwatching walks"
		}
		return fmt.Sprintf("Tea club %d", i)
	}))
	if _, err := store.Import(ctx, b, directory.ImportOptions{PrepareOptions: directory.PrepareOptions{Source: "test"}}); err != nil {
		fmt.Println("import:", err)
		return 1
	}
	fmt.Println("committed")
	time.Sleep(time.Minute) // killed here
	return 0
}

func TestEditSurvivesKillBeforeIndexApply(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process; skipped with -short")
	}
	dir := t.TempDir()
	store := openStore(t, dir)
	importFeed(t, store, feed(20, func(i int) string { return fmt.Sprintf("Tea club %d", i) }))
	idx := openReady(t, filepath.Join(dir, "index"), store, Options{})
	idx.Close()
	store.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	committed := false
	for sc.Scan() {
		if sc.Text() == "committed" {
			committed = true
			break
		}
		t.Logf("child: %s", sc.Text())
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if !committed {
		t.Fatal("the child did not commit the edit")
	}

	// Before any replay: the store has the edit, the index does not.
	store = openStore(t, dir)
	defer store.Close()
	seq, _ := store.LastChange(context.Background())
	raw, err := bleve.Open(filepath.Join(dir, "index"))
	if err != nil {
		t.Fatalf("the killed process left an unreadable index: %v", err)
	}
	applied, _ := raw.GetInternal(keyLastSeq)
	res, _ := raw.Search(bleve.NewSearchRequest(bleve.NewMatchQuery("kingfisher")))
	raw.Close()
	if binary.BigEndian.Uint64(applied) >= seq || res.Total != 0 {
		t.Fatalf("the kill did not land between commit and apply: applied %d of %d, found %d", binary.BigEndian.Uint64(applied), seq, res.Total)
	}

	idx = openReady(t, filepath.Join(dir, "index"), store, Options{})
	defer idx.Close()
	waitFound(t, idx, "kingfisher", "svc-00003")
}

func TestIndexRebuiltWhenMissingCorruptOrOutdated(t *testing.T) {
	dir := t.TempDir()
	store := openStore(t, dir)
	defer store.Close()
	const n = 300
	importFeed(t, store, feed(n, func(i int) string { return fmt.Sprintf("Allotment group %d", i) }))
	indexDir := filepath.Join(dir, "index")
	idx := openReady(t, indexDir, store, Options{})
	idx.Close()

	allFound := func(t *testing.T, idx *Index) {
		t.Helper()
		res, err := idx.Search(context.Background(), Query{Text: "allotment", Page: directory.PageRequest{Number: 1, Size: 1}})
		if err != nil || res.Total != n {
			t.Fatalf("after rebuild %d of %d services found (%v)", res.Total, n, err)
		}
	}
	cases := []struct {
		name   string
		break_ func(t *testing.T)
	}{
		{"deleted", func(t *testing.T) { os.RemoveAll(indexDir) }},
		{"corrupt", func(t *testing.T) {
			entries, _ := os.ReadDir(indexDir)
			for _, e := range entries {
				os.WriteFile(filepath.Join(indexDir, e.Name()), []byte("not an index"), 0o644)
			}
		}},
		{"old mapping", func(t *testing.T) {
			raw, err := bleve.Open(indexDir)
			if err != nil {
				t.Fatal(err)
			}
			raw.SetInternal(keyMappingVersion, []byte("0"))
			raw.Close()
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.break_(t)
			idx, err := Open(context.Background(), indexDir, store, Options{Logger: quietLog})
			if err != nil {
				t.Fatal(err)
			}
			defer idx.Close()
			if idx.State() != StateRebuilding {
				t.Fatalf("state %q, want rebuilding", idx.State())
			}
			// While rebuilding, the ORUK list still answers, from the store.
			oc, _ := directory.BundledOutcodes()
			hits, total, err := NewSearcher(idx, store, oc, nil).ListServices(context.Background(),
				directory.ServiceFilter{Text: "allotment"}, directory.PageRequest{Number: 1, Size: 5})
			if err != nil || total != n || len(hits) != 5 {
				t.Fatalf("during rebuild: %d hits of %d (%v)", len(hits), total, err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			if err := idx.WaitReady(ctx); err != nil {
				t.Fatal(err)
			}
			allFound(t, idx)
		})
	}
}

func TestPlaceTypedIntoTheWords(t *testing.T) {
	d := demoIndex(t)
	tests := []struct{ in, rest, place string }{
		{"something for my dad with dementia near DN15", "something for my dad with dementia", "DN15"},
		{"walking group dn17 1sr", "walking group", "DN17 1SR"},
		{"coffee morning in dn18", "coffee morning", "DN18"},
		{"room b12 upstairs", "room b12 upstairs", ""}, // not a full postcode, no "near"
		{"lonely", "lonely", ""},
	}
	for _, tt := range tests {
		rest, pt, norm := d.searcher.placeInText(tt.in)
		if rest != tt.rest || norm != tt.place || (pt == nil) != (tt.place == "") {
			t.Errorf("placeInText(%q) = %q, %v, %q; want %q, %q", tt.in, rest, pt, norm, tt.rest, tt.place)
		}
	}
	hits, _, err := d.searcher.ListServices(context.Background(), directory.ServiceFilter{Text: "walks near DN15"}, directory.PageRequest{Number: 1, Size: 5})
	if err != nil || len(hits) == 0 {
		t.Fatalf("walks near DN15: %d hits, %v", len(hits), err)
	}
	for _, h := range hits {
		if h.DistanceMetres == nil || *h.DistanceMetres > directory.DefaultProximity {
			t.Errorf("%s is not within 10 km of DN15: %v", h.Name, h.DistanceMetres)
		}
	}
}

func TestSuggestCategoriesReadsOnlyWhatChanged(t *testing.T) {
	dir := t.TempDir()
	store := openStore(t, dir)
	defer store.Close()
	ctx := context.Background()
	if err := EnsureVocabulary(ctx, store); err != nil {
		t.Fatal(err)
	}
	importFeed(t, store, feed(30, func(i int) string { return fmt.Sprintf("Food bank %d", i) }))
	n, err := SuggestCategories(ctx, store)
	if err != nil || n != 30 {
		t.Fatalf("first pass changed %d services (%v), want 30", n, err)
	}
	if n, err := SuggestCategories(ctx, store); err != nil || n != 0 {
		t.Fatalf("a pass with nothing new changed %d (%v)", n, err)
	}
	importFeed(t, store, feed(31, func(i int) string {
		if i == 30 {
			return "Walking football"
		}
		return fmt.Sprintf("Food bank %d", i)
	}))
	if n, err := SuggestCategories(ctx, store); err != nil || n != 1 {
		t.Fatalf("after one new service the pass changed %d (%v), want 1", n, err)
	}
	svc, _ := store.ServiceDetail(ctx, "svc-00030")
	var got []string
	for _, st := range svc.ServiceTaxonomys {
		if st.Suggested {
			got = append(got, st.Taxonomy.ID)
		}
	}
	if len(got) == 0 || !strings.HasPrefix(got[0], "physical-activity") {
		t.Errorf("walking football suggested %v", got)
	}
}
