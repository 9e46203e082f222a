package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/signpost-uk/signpost/directory"
	"github.com/signpost-uk/signpost/search"
)

func runServe(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", envOr("SIGNPOST_ADDR", "127.0.0.1:8080"), "address to listen on")
	dataDir := fs.String("data", envOr("SIGNPOST_DATA", "signpost-data"), "data directory")
	cacheSize := fs.Int("search-cache", envInt("SIGNPOST_SEARCH_CACHE", 2000), "search results kept for repeated searches (0: none)")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if *cacheSize == 0 {
		*cacheSize = -1 // search.Options: negative is none, zero the default
	}

	store, err := directory.Open(ctx, *dataDir, directory.StoreOptions{Logger: log})
	if err != nil {
		return err
	}
	defer store.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	baseURL := "http://" + browsableAddr(ln.Addr().String())

	if report, err := store.SeedDemo(ctx); err != nil {
		ln.Close()
		return err
	} else if report != nil {
		counts, _ := store.Counts(ctx)
		log.Info("seeded the demo directory from North Lincolnshire Council's open data: browse "+baseURL+"/api/v1/services",
			"services", counts.Services, "organisations", counts.Organizations, "data", *dataDir)
	}

	if err := search.EnsureVocabulary(ctx, store); err != nil {
		ln.Close()
		return err
	}
	index, err := search.Open(ctx, filepath.Join(*dataDir, "index"), store, search.Options{Logger: log, ResultCache: *cacheSize})
	if err != nil {
		ln.Close()
		return err
	}
	defer index.Close() // after the server stops, before the store closes

	outcodes, err := directory.BundledOutcodes()
	if err != nil {
		ln.Close()
		return err
	}
	unmet, err := search.NewUnmet(store, nil)
	if err != nil {
		ln.Close()
		return err
	}
	app := newApp(log, store, index, search.NewSearcher(index, store, outcodes, unmet), outcodes)

	serveErr := make(chan error, 1)
	go func() { serveErr <- app.Listener(ln) }()
	log.Info("Signpost is serving "+baseURL, "data", *dataDir)
	// Suggested categories for services changed since the last pass, while
	// serving: the index already infers them on the fly meanwhile.
	suggesting := make(chan struct{})
	go func() {
		defer close(suggesting)
		if err := prepareSearch(ctx, log, store); err != nil && ctx.Err() == nil {
			log.Error("suggesting categories", "err", err)
		}
	}()
	defer func() { <-suggesting }() // before the store closes

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	if err := app.ShutdownWithTimeout(15 * time.Second); err != nil {
		log.Error("shutdown", "err", err)
	}
	// The index, then the store, close by defer, after the server has stopped.
	return nil
}

// prepareSearch makes sure the needs vocabulary is in the store and that
// services whose provider chose no category have suggested ones.
func prepareSearch(ctx context.Context, log *slog.Logger, store *directory.Store) error {
	if err := search.EnsureVocabulary(ctx, store); err != nil {
		return err
	}
	n, err := search.SuggestCategories(ctx, store)
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("suggested need categories for services that had none", "services", n)
	}
	return nil
}

// newApp wires the HTTP server: one error handler, recovery, logging, routes.
func newApp(log *slog.Logger, store *directory.Store, index *search.Index, searcher *search.Searcher, outcodes *directory.Outcodes) *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:               "Signpost",
		ErrorHandler:          directory.ErrorHandler(log),
		ReadTimeout:           10 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           60 * time.Second,
		BodyLimit:             1 << 20,
		DisableStartupMessage: true,
	})
	app.Use(recover.New())
	app.Use(requestLog(log))

	app.Get("/healthz", func(c *fiber.Ctx) error {
		if err := store.Ping(c.UserContext()); err != nil {
			log.Error("health check", "err", err)
			return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
		}
		return c.JSON(fiber.Map{"status": "ok", "index": index.State()})
	})
	app.Get("/", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return c.SendString(homePage)
	})
	api := directory.NewAPI(store, outcodes)
	api.SetServiceLister(searcher)
	api.Register(app.Group("/api/v1"))
	searcher.Register(app.Group("/api"))
	return app
}

// requestLog logs each request's method, path, status and time. Never the
// query string: it can hold what a person searched for.
func requestLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			if e, ok := err.(*fiber.Error); ok {
				status = e.Code
			}
		}
		log.Info("request", "method", c.Method(), "path", c.Path(), "status", status,
			"ms", float64(time.Since(start).Microseconds())/1000)
		return err
	}
}

// browsableAddr turns a listen address into one a browser can open.
func browsableAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return host + ":" + port
}

const homePage = `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Signpost – community services directory</title></head>
<body><main>
<h1>Signpost</h1>
<p>Signpost is a directory of local community services – befriending, money and housing advice, food banks,
walking groups, carers' groups and more – for social prescribing link workers and the public.</p>
<p>The public pages are on their way. The directory can already be read through its
<a href="https://openreferraluk.org/">Open Referral UK</a> (v1) API:</p>
<ul>
<li><a href="/api/v1/services">/api/v1/services</a> – services, 50 a page (<code>page</code>, <code>per_page</code>,
<code>text</code>, <code>postcode</code>, <code>proximity</code>, <code>taxonomy_id</code>, <code>vocabulary</code>,
<code>minimum_age</code>, <code>maximum_age</code>, <code>day</code>)</li>
<li><a href="/api/v1/organizations">/api/v1/organizations</a>, <a href="/api/v1/locations">/api/v1/locations</a>,
<a href="/api/v1/taxonomies">/api/v1/taxonomies</a>, <a href="/api/v1/vocabularies">/api/v1/vocabularies</a></li>
</ul>
<p>Demo data: North Lincolnshire Council, under the Open Government Licence v3.0.
Postcode districts: contains OS data © Crown copyright and database right; contains Royal Mail data © Royal Mail
copyright and database right; source: Office for National Statistics, licensed under the Open Government Licence v3.0.</p>
</main></body></html>
`
