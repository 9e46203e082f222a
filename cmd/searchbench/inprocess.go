package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/signpost-uk/signpost/directory"
	"github.com/signpost-uk/signpost/search"
)

// runInProcess opens the store and its search index and times the mix
// through search.Index.Search, as /api/search does before it loads the hits.
func runInProcess(args []string) error {
	fs := flag.NewFlagSet("inprocess", flag.ContinueOnError)
	data := fs.String("data", "", "Signpost data directory (holds signpost.db and index/)")
	queries := fs.String("queries", "", "queries file (searchbench queries -o FILE)")
	rounds := fs.Int("rounds", 5, "rounds of the whole mix; the first is a warm-up and not counted")
	conc := fs.Int("concurrency", 8, "goroutines of the throughput run (0 skips it)")
	dur := fs.Duration("duration", 20*time.Second, "length of the throughput run")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the timed rounds to this file")
	resPath := fs.String("results", "", "append key value results to this file")
	perQuery := fs.String("perquery", "", "write each query's median time and results found to this file (TSV)")
	only := fs.String("only", "", "run only this class of the mix (text, geo or facet), e.g. to profile it")
	api := fs.Bool("api", false, "time the real GET /api/search handler (facets, highlights, the 20 services loaded, JSON) "+
		"served in-process without a network, instead of search.Index.Search")
	pagesFlag := fs.Bool("pages", false, "time the public search page (GET /?q=…) served in-process, instead of search.Index.Search")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *data == "" {
		return usageErr{fmt.Errorf("-data DIR is required")}
	}
	if *rounds < 2 {
		return usageErr{fmt.Errorf("-rounds must be at least 2 (the first is a warm-up)")}
	}
	mix, err := readMix(*queries)
	if err != nil {
		return err
	}
	if *only != "" {
		var sub []benchQuery
		for _, q := range mix {
			if q.Class == *only {
				sub = append(sub, q)
			}
		}
		if len(sub) == 0 {
			return usageErr{fmt.Errorf("-only %q: no such class in the mix", *only)}
		}
		mix = sub
	}
	res := results{*resPath}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	openStart := time.Now()
	store, err := directory.Open(ctx, *data, directory.StoreOptions{Logger: log})
	if err != nil {
		return err
	}
	defer store.Close()
	dir := filepath.Join(*data, "index")
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("no search index in %s (run signpost reindex -data %s first): %w", dir, *data, err)
	}
	// No result cache: every timed search is worked out afresh.
	idx, err := search.Open(ctx, dir, store, search.Options{Logger: log, ResultCache: -1})
	if err != nil {
		return err
	}
	defer idx.Close()
	wctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	err = idx.WaitReady(wctx)
	cancel()
	if err != nil {
		return err
	}
	counts, err := store.Counts(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("Signpost in-process: %d services, index open in %.2f s, %d queries × %d rounds (first is warm-up), GOMAXPROCS %d\n",
		counts.Services, time.Since(openStart).Seconds(), len(mix), *rounds, runtime.GOMAXPROCS(0))

	qs, err := signpostQueries(mix)
	if err != nil {
		return err
	}
	run := func(i int) (int, error) {
		r, err := idx.Search(ctx, qs[i])
		if err != nil {
			return 0, fmt.Errorf("query %d (%s): %w", i, mix[i].describe(), err)
		}
		return r.Total, nil
	}
	title, prefix := "Signpost in-process latency, one caller", "sp"
	if *pagesFlag {
		run, err = pagesRunner(idx, store, mix)
		if err != nil {
			return err
		}
		title, prefix = "Signpost search page GET /?q=… in-process (no network), one caller", "pages"
	} else if *api {
		run, err = apiRunner(idx, store, mix)
		if err != nil {
			return err
		}
		title, prefix = "Signpost GET /api/search handler in-process (no network), one caller", "api"
	}

	// Warm-up round.
	for i := range mix {
		if _, err := run(i); err != nil {
			return err
		}
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	var ss []sample
	for round := 1; round < *rounds; round++ {
		for i, q := range mix {
			start := time.Now()
			hits, err := run(i)
			d := time.Since(start)
			if err != nil {
				return err
			}
			ss = append(ss, sample{class: q.Class, query: i, d: d, hits: hits})
		}
	}
	if *cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	printStats(title, prefix, ss, res)
	printSlowest(ss, mix, 8)
	if err := writePerQuery(*perQuery, ss, mix); err != nil {
		return err
	}

	if *conc > 0 {
		qps, err := throughput(*conc, *dur, len(mix), func(_, i int) error { _, err := run(i); return err })
		if err != nil {
			return err
		}
		fmt.Printf("%s throughput: %d goroutines for %s: %.0f queries/s\n", prefix, *conc, *dur, qps)
		res.put(prefix+"_qps", qps)
	}
	hwm, rss := procStatus(0, "VmHWM"), procStatus(0, "VmRSS")
	fmt.Printf("Signpost in-process memory: VmHWM %.0f MiB, VmRSS %.0f MiB\n", hwm/1024, rss/1024)
	res.put("sp_inproc_hwm_kb", hwm)
	res.put("sp_inproc_rss_kb", rss)
	res.put("services", float64(counts.Services))
	return nil
}

// signpostQueries turns the mix into search.Query values: 20 a page, facets
// for the facet class, public statuses (the default).
func signpostQueries(mix []benchQuery) ([]search.Query, error) {
	oc, err := directory.BundledOutcodes()
	if err != nil {
		return nil, err
	}
	out := make([]search.Query, len(mix))
	for i, m := range mix {
		q := search.Query{Text: m.Q, Page: directory.PageRequest{Number: 1, Size: 20}, Facets: m.Class == classFacet}
		if m.Category != "" {
			q.TaxonomyIDs = []string{m.Category}
		}
		if m.Postcode != "" {
			pt, _, ok := oc.Lookup(m.Postcode)
			if !ok {
				return nil, fmt.Errorf("query %d: unknown postcode %q", i, m.Postcode)
			}
			q.Near, q.Radius = &pt, float64(m.Proximity)
		}
		out[i] = q
	}
	return out, nil
}

// throughput runs the mix from conc goroutines (workers) for d, each starting
// at its own place in the mix, and returns completed queries a second.
func throughput(conc int, d time.Duration, n int, run func(worker, i int) error) (float64, error) {
	var done atomic.Int64
	var firstErr error
	var once sync.Once
	stop := make(chan struct{})
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w * n / conc; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := run(w, i%n); err != nil {
					once.Do(func() { firstErr = err; close(stop) })
					return
				}
				done.Add(1)
			}
		}(w)
	}
	timer := time.NewTimer(d)
	select {
	case <-timer.C:
		once.Do(func() { close(stop) })
	case <-stop:
		timer.Stop()
	}
	wg.Wait()
	return float64(done.Load()) / time.Since(start).Seconds(), firstErr
}

// apiRunner serves GET /api/search from a fiber app in this process, with the
// same Searcher the server mounts (without the unmet-needs counter, which
// would write to the store), and runs the mix through it with app.Test.
func apiRunner(idx *search.Index, store *directory.Store, mix []benchQuery) (func(i int) (int, error), error) {
	oc, err := directory.BundledOutcodes()
	if err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{ErrorHandler: directory.ErrorHandler(slog.Default()), DisableStartupMessage: true})
	search.NewSearcher(idx, store, oc, nil).Register(app.Group("/api"))
	return func(i int) (int, error) {
		resp, err := app.Test(httptest.NewRequest("GET", mix[i].path(), nil), -1)
		if err != nil {
			return 0, fmt.Errorf("query %d (%s): %w", i, mix[i].describe(), err)
		}
		defer resp.Body.Close()
		var body struct {
			Total int `json:"total"`
		}
		if resp.StatusCode != 200 {
			return 0, fmt.Errorf("query %d (%s): status %d", i, mix[i].describe(), resp.StatusCode)
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			return 0, fmt.Errorf("query %d (%s): %w", i, mix[i].describe(), err)
		}
		return body.Total, nil
	}, nil
}

// pagesRunner serves the public search page from a fiber app in this
// process and runs the mix through it as page addresses.
func pagesRunner(idx *search.Index, store *directory.Store, mix []benchQuery) (func(i int) (int, error), error) {
	oc, err := directory.BundledOutcodes()
	if err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{ErrorHandler: directory.ErrorHandler(slog.Default()), DisableStartupMessage: true})
	search.NewPages(search.NewSearcher(idx, store, oc, nil)).Register(app)
	return func(i int) (int, error) {
		req := httptest.NewRequest("GET", mix[i].pagePath(), nil)
		req.Header.Set("Accept", "text/html")
		resp, err := app.Test(req, -1)
		if err != nil {
			return 0, fmt.Errorf("query %d (%s): %w", i, mix[i].describe(), err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			return 0, fmt.Errorf("query %d (%s): status %d", i, mix[i].describe(), resp.StatusCode)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		return int(n), nil
	}, nil
}
