package search

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/signpost-uk/signpost/directory"
	"github.com/signpost-uk/signpost/directory/refdata"
)

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// demo is a real store and index holding the bundled North Lincolnshire feed,
// prepared once for the read-only tests of this package.
type demo struct {
	store    *directory.Store
	index    *Index
	searcher *Searcher
	outcodes *directory.Outcodes
}

var (
	demoOnce sync.Once
	demoEnv  *demo
	demoErr  error
)

func demoIndex(t testing.TB) *demo {
	t.Helper()
	demoOnce.Do(func() {
		ctx := context.Background()
		dir, err := osMkdirTemp()
		if err != nil {
			demoErr = err
			return
		}
		store, err := directory.Open(ctx, dir, directory.StoreOptions{Logger: quietLog})
		if err != nil {
			demoErr = err
			return
		}
		b, err := directory.ParseORUK(refdata.NorthLincsServices)
		if err != nil {
			demoErr = err
			return
		}
		if _, err := store.Import(ctx, b, directory.ImportOptions{PrepareOptions: directory.PrepareOptions{Source: refdata.NorthLincsSource, Area: refdata.NorthLincsArea}}); err != nil {
			demoErr = err
			return
		}
		if demoErr = EnsureVocabulary(ctx, store); demoErr != nil {
			return
		}
		if _, demoErr = SuggestCategories(ctx, store); demoErr != nil {
			return
		}
		// No result cache: every test and benchmark search is worked out afresh.
		idx, err := Open(ctx, dir+"/index", store, Options{Logger: quietLog, ResultCache: -1})
		if err != nil {
			demoErr = err
			return
		}
		wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if demoErr = idx.WaitReady(wctx); demoErr != nil {
			return
		}
		oc, _ := directory.BundledOutcodes()
		unmet, err := NewUnmet(store, nil)
		if err != nil {
			demoErr = err
			return
		}
		demoEnv = &demo{store: store, index: idx, searcher: NewSearcher(idx, store, oc, unmet), outcodes: oc}
		cleanups = append(cleanups, func() { idx.Close(); store.Close() }, func() { osRemoveAll(dir) })
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoEnv
}
