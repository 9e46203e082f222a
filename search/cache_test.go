package search

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/signpost-uk/signpost/directory"
)

// A cached answer is never served after the index has changed: a search
// that found nothing finds the service once an edit gives it the word, both
// through Index.Search and through GET /api/search.
func TestCachedAnswersFollowEdits(t *testing.T) {
	dir := t.TempDir()
	store := openStore(t, dir)
	defer store.Close()
	importFeed(t, store, feed(30, func(i int) string { return fmt.Sprintf("Tea club %d", i) }))
	idx := openReady(t, filepath.Join(dir, "index"), store, Options{}) // the cache on, as served
	defer idx.Close()
	oc, err := directory.BundledOutcodes()
	if err != nil {
		t.Fatal(err)
	}
	s := NewSearcher(idx, store, oc, nil)
	app := fiber.New(fiber.Config{ErrorHandler: directory.ErrorHandler(quietLog)})
	s.Register(app.Group("/api"))
	apiTotal := func() int {
		resp, err := app.Test(httptest.NewRequest("GET", "/api/search?q=kingfisher", nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r SearchResponse
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
		return r.Total
	}
	indexTotal := func() int {
		r, err := idx.Search(context.Background(), Query{Text: "kingfisher", Page: directory.PageRequest{Number: 1, Size: 10}})
		if err != nil {
			t.Fatal(err)
		}
		return r.Total
	}
	for i := 0; i < 3; i++ { // asked again and again: now cached
		if apiTotal() != 0 || indexTotal() != 0 {
			t.Fatal("premise: kingfisher found before the edit")
		}
	}
	if s.responses.len() == 0 || idx.results.len() == 0 {
		t.Fatal("premise: nothing was cached")
	}
	importFeed(t, store, feed(30, func(i int) string {
		if i == 4 {
			return "Kingfisher birdwatching walks"
		}
		return fmt.Sprintf("Tea club %d", i)
	}))
	for deadline := time.Now().Add(10 * time.Second); apiTotal() != 1 || indexTotal() != 1; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after the edit: /api/search finds %d, the index %d", apiTotal(), indexTotal())
		}
	}
}
