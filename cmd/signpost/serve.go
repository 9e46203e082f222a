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
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/csrf"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/signpost-uk/signpost/directory"
	"github.com/signpost-uk/signpost/search"
	"github.com/signpost-uk/signpost/static"
)

func runServe(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", envOr("SIGNPOST_ADDR", "127.0.0.1:8080"), "address to listen on")
	dataDir := fs.String("data", envOr("SIGNPOST_DATA", "signpost-data"), "data directory")
	cacheSize := fs.Int("search-cache", envInt("SIGNPOST_SEARCH_CACHE", 2000), "search results kept for repeated searches (0: none)")
	proxies := fs.String("trusted-proxies", envOr("SIGNPOST_TRUSTED_PROXIES", ""),
		"comma-separated addresses of reverse proxies whose X-Forwarded-For is believed")
	secureCookies := fs.Bool("secure-cookies", envOr("SIGNPOST_SECURE_COOKIES", "") == "1",
		"mark cookies Secure: set this when the site is served over HTTPS")
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
		log.Info("seeded the demo directory from North Lincolnshire Council's open data: browse "+baseURL+"/",
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
	app := newApp(log, store, index, search.NewSearcher(index, store, outcodes, unmet), outcodes, splitList(*proxies), *secureCookies)

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

// newApp wires the HTTP server: one error handler, recovery, logging,
// security headers, form tokens, then the pages and APIs of each package.
func newApp(log *slog.Logger, store *directory.Store, index *search.Index, searcher *search.Searcher,
	outcodes *directory.Outcodes, trustedProxies []string, secureCookies bool) *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:                 "Signpost",
		ErrorHandler:            directory.ErrorHandler(log),
		ReadTimeout:             10 * time.Second,
		WriteTimeout:            30 * time.Second,
		IdleTimeout:             60 * time.Second,
		BodyLimit:               1 << 20,
		DisableStartupMessage:   true,
		EnableTrustedProxyCheck: len(trustedProxies) > 0,
		TrustedProxies:          trustedProxies,
		ProxyHeader:             proxyHeader(trustedProxies),
	})
	app.Use(recover.New())
	app.Use(requestLog(log))
	app.Use(securityHeaders)
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))

	app.Get("/healthz", func(c *fiber.Ctx) error {
		if err := store.Ping(c.UserContext()); err != nil {
			log.Error("health check", "err", err)
			return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
		}
		return c.JSON(fiber.Map{"status": "ok", "index": index.State()})
	})
	static.Register(app)
	api := directory.NewAPI(store, outcodes)
	api.SetServiceLister(searcher)
	api.Register(app.Group("/api/v1"))
	searcher.Register(app.Group("/api"))

	secure := func(*fiber.Ctx) bool { return secureCookies }
	// Pages: every form carries a token tied to a cookie, so another site
	// cannot post to them in a visitor's name.
	pages := app.Group("", csrf.New(csrf.Config{
		KeyLookup:      "form:_csrf",
		CookieName:     "csrf_",
		CookieSameSite: "Lax",
		CookieHTTPOnly: true,
		CookieSecure:   secureCookies,
		Expiration:     2 * time.Hour,
		ContextKey:     static.CSRFKey,
		Next: func(c *fiber.Ctx) bool {
			return strings.HasPrefix(c.Path(), "/api/") || strings.HasPrefix(c.Path(), "/static/")
		},
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			return &directory.Error{Code: directory.EFORBIDDEN,
				Message: "The form had expired or came from another website, so nothing was changed. Go back, reload the page and try again."}
		},
	}))
	search.NewPages(searcher).Register(pages)
	directory.NewPages(store, log, secure).Register(pages)
	return app
}

// securityHeaders: no script, style or image from anywhere but this site,
// no inline script, no framing, and search addresses never sent to other
// sites in a Referer.
func securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Permissions-Policy", "geolocation=(), camera=(), microphone=(), interest-cohort=()")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	return c.Next()
}

func proxyHeader(trusted []string) string {
	if len(trusted) > 0 {
		return fiber.HeaderXForwardedFor
	}
	return ""
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
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
