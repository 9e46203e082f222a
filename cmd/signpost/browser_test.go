package main

// Browser tests of the public pages: Debian's chromium, headless, driven
// from Go (chromedp) against the real signpost binary on 127.0.0.1 with the
// demo directory and one hostile listing. Each page is checked with
// axe-core for WCAG 2.2 A and AA, the whole journey is done again with
// JavaScript turned off and with the keyboard only, and screenshots at 375
// and 1280 px are written to screenshots/ (git-ignored) for a person to look
// at. scripts/test-deps.sh installs chromium and axe-core when missing.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/signpost-uk/signpost/directory"
)

const (
	repoRoot      = "../.."
	hostileID     = "hostile-1"
	screenshotDir = repoRoot + "/screenshots"
)

var (
	depsOnce sync.Once
	depsErr  error
	axeJS    string
)

// browserDeps installs chromium and axe-core when missing (once per run).
func browserDeps(t *testing.T) {
	t.Helper()
	depsOnce.Do(func() {
		out, err := exec.Command(repoRoot + "/scripts/test-deps.sh").CombinedOutput()
		if err != nil {
			depsErr = fmt.Errorf("scripts/test-deps.sh: %v\n%s", err, out)
			return
		}
		b, err := os.ReadFile(repoRoot + "/node_modules/axe-core/axe.min.js")
		if err != nil {
			depsErr = err
			return
		}
		axeJS = string(b)
	})
	if depsErr != nil {
		t.Fatal(depsErr)
	}
}

// site is a running server over the demo directory plus a hostile listing.
type site struct {
	srv  *server
	data string
}

var (
	siteOnce sync.Once
	theSite  *site
	siteErr  string
)

// demoSite starts the binary once for all browser tests: first start seeds
// the demo, then it is stopped, the hostile listing imported with the CLI,
// and started again.
func demoSite(t *testing.T) *site {
	t.Helper()
	siteOnce.Do(func() {
		data, err := os.MkdirTemp("", "signpost-browser")
		if err != nil {
			siteErr = err.Error()
			return
		}
		first := startServerNoCleanup(t, data)
		waitIndexReady(t, first.url)
		first.cmd.Process.Signal(syscall.SIGTERM)
		first.cmd.Wait()
		out, err := exec.Command(binary, "import", "-data", data, "-source", "Hostile test", "testdata/hostile.json").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "1 services created") {
			siteErr = fmt.Sprintf("import hostile listing: %v\n%s", err, out)
			return
		}
		srv := startServerNoCleanup(t, data)
		waitIndexReady(t, srv.url)
		theSite = &site{srv: srv, data: data}
	})
	if siteErr != "" {
		t.Fatal(siteErr)
	}
	return theSite
}

func startServerNoCleanup(t *testing.T, data string) *server {
	t.Helper()
	return startServerWith(t, data, false)
}

// stopBrowserTests ends the shared server and browser; TestMain calls it.
func stopBrowserTests() {
	if theSite != nil {
		theSite.srv.cmd.Process.Signal(syscall.SIGTERM)
		theSite.srv.cmd.Wait()
		os.RemoveAll(theSite.data)
	}
	if browserClose != nil {
		browserClose()
	}
}

func waitIndexReady(t *testing.T, base string) {
	t.Helper()
	var health map[string]string
	for deadline := time.Now().Add(60 * time.Second); health["index"] != "ready"; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("index not ready: %v", health)
		}
		getJSON(t, base+"/healthz", &health)
	}
	// Let the follower apply what the last start imported.
	time.Sleep(500 * time.Millisecond)
}

var (
	browserOnce  sync.Once
	browserCtx   context.Context
	browserClose context.CancelFunc
)

// newTab opens a tab in a browser context of its own (its own cookies),
// with JavaScript on or off.
func newTab(t *testing.T, js bool) context.Context {
	t.Helper()
	browserDeps(t)
	browserOnce.Do(func() {
		profile, _ := os.MkdirTemp("", "signpost-chromium")
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath("/usr/bin/chromium"),
			chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.UserDataDir(profile),
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(alloc)
		if err := chromedp.Do(ctx); err != nil {
			t.Fatalf("start chromium: %v", err)
		}
		browserCtx, browserClose = ctx, func() { cancel(); cancelAlloc(); os.RemoveAll(profile) }
	})
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// Any alert, confirm or prompt is a script the page should never run.
	dialogs := make(chan string, 8)
	if err := chromedp.Listen(ctx, func(ev any) {
		switch d := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			select {
			case dialogs <- d.Message:
			default:
			}
		case page.EventJavascriptDialogOpening:
			select {
			case dialogs <- d.Message:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	go func() {
		for msg := range dialogs {
			t.Errorf("a dialog opened: %q", msg)
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	t.Cleanup(func() { close(dialogs) })
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !js}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.EmulateViewport(1280, 900))
	return ctx
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// evalT runs an expression in the page (DevTools evaluation works with the
// page's own scripts turned off) and returns its value.
func evalT[T any](t *testing.T, ctx context.Context, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("evaluate %.80s: %v", expr, err)
	}
	return v
}

type axeResult struct {
	Violations []struct {
		ID, Impact, Help string
		Nodes            []struct {
			Target []string
			HTML   string
		}
	}
	Passes int
}

// axeCheck runs axe-core in the page and fails on any WCAG A or AA violation.
func axeCheck(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var res axeResult
	script := axeJS + `;
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']}})
 .then(r => ({Passes: r.passes.length, Violations: r.violations.map(v => ({ID: v.id, Impact: v.impact, Help: v.help,
   Nodes: v.nodes.slice(0, 5).map(n => ({Target: n.target.map(String), HTML: n.html.slice(0, 200)}))}))}))`
	res = evalT[axeResult](t, ctx, script, chromedp.EvalAwaitPromise)
	if res.Passes == 0 {
		t.Fatalf("%s: axe ran no checks", name)
	}
	for _, v := range res.Violations {
		t.Errorf("%s: axe %s (%s): %s", name, v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			t.Errorf("    at %v: %s", n.Target, n.HTML)
		}
	}
}

// noOverflow checks that nothing makes the page wider than the window.
func noOverflow(t *testing.T, ctx context.Context, name string, width int) {
	t.Helper()
	w := evalT[int](t, ctx, `document.documentElement.scrollWidth`)
	if w > width {
		culprit := evalT[string](t, ctx, `(() => { for (const e of document.querySelectorAll('body *')) { const r = e.getBoundingClientRect(); if (r.right > window.innerWidth + 1) return e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 60) } return '' })()`)
		t.Errorf("%s at %d px: the page is %d px wide (%s)", name, width, w, culprit)
	}
}

// bigTargets checks that controls are at least 44 px tall, so a finger or
// a shaky hand can hit them (links inside sentences are exempt).
func bigTargets(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	small := evalT[[]string](t, ctx, `(() => {
	  const out = [];
	  const sel = 'button:not([hidden]), select, input[type=text], input[type=search], textarea, .nhsuk-checkboxes__item, .nhsuk-radios__item, .nhsuk-header__navigation-link, .nhsuk-pagination__link, .nhsuk-back-link__link';
	  for (const e of document.querySelectorAll(sel)) {
	    const r = e.getBoundingClientRect();
	    if (r.width === 0 && r.height === 0 || e.closest('.sp-trap')) continue; // not shown, or only for bots
	    if (r.height < 44) out.push(e.tagName.toLowerCase() + '.' + e.className.split(' ')[0] + ' "' + (e.textContent || e.name || '').trim().slice(0, 30) + '" ' + Math.round(r.height) + 'px');
	  }
	  return out;
	})()`)
	for _, s := range small {
		t.Errorf("%s: a target under 44 px: %s", name, s)
	}
}

func screenshots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{375, 1280} {
		run(t, ctx, chromedp.EmulateViewport(int64(w), 900))
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(screenshotDir, fmt.Sprintf("%s-%d.png", name, w)), buf, 0o644); err != nil {
			t.Fatal(err)
		}
		// And the first screenful, as a person sees it on arriving.
		top, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(screenshotDir, fmt.Sprintf("%s-%d-first-screen.png", name, w)), top, 0o644); err != nil {
			t.Fatal(err)
		}
		noOverflow(t, ctx, name, w)
	}
	run(t, ctx, chromedp.EmulateViewport(320, 800))
	noOverflow(t, ctx, name, 320) // WCAG reflow
	run(t, ctx, chromedp.EmulateViewport(1280, 900))
}

func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s := evalT[string](t, ctx, fmt.Sprintf(`(document.querySelector(%q) || {textContent: ''}).textContent`, sel))
	return strings.Join(strings.Fields(s), " ")
}

func count(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	return evalT[int](t, ctx, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

func currentURL(t *testing.T, ctx context.Context) *url.URL {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// clickAndWait clicks and waits for the next page to load.
func clickAndWait(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	before := evalT[string](t, ctx, `performance.timeOrigin + ''`)
	run(t, ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	waitNewPage(t, ctx, before)
}

func waitNewPage(t *testing.T, ctx context.Context, before string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		now, err1 := chromedp.Run(ctx, chromedp.Evaluate[string](`performance.timeOrigin + ''`))
		state, err2 := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState`))
		if err1 == nil && err2 == nil && now != before && state == "complete" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no new page loaded")
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// TestBrowserJourney: search by words and postcode, open a service, add two
// to the shortlist, open the print view; with JavaScript on and off.
func TestBrowserJourney(t *testing.T) {
	s := demoSite(t)
	for _, js := range []bool{true, false} {
		t.Run(fmt.Sprintf("javascript=%v", js), func(t *testing.T) {
			ctx := newTab(t, js)
			run(t, ctx, chromedp.Navigate(s.srv.url+"/"))
			if js {
				axeCheck(t, ctx, "start page")
				screenshots(t, ctx, "start")
			}
			if count(t, ctx, "script:not([src])") != 0 {
				t.Error("the page has an inline script")
			}
			if n := count(t, ctx, ".nhsuk-card a"); n < 10 {
				t.Errorf("the start page lists %d categories to browse", n)
			}
			run(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), "feeling lonely"), chromedp.SendKeys(chromedp.CSS("#postcode"), "DN15 6NL"))
			clickAndWait(t, ctx, "form[role=search] button[type=submit]")
			u := currentURL(t, ctx)
			if u.Query().Get("q") != "feeling lonely" || u.Query().Get("postcode") != "DN15 6NL" {
				t.Errorf("the address does not hold the search: %s", u)
			}
			heading := textOf(t, ctx, "#results-heading")
			if !strings.Contains(heading, "services for ‘feeling lonely’ near DN15") {
				t.Errorf("results heading %q", heading)
			}
			if n := count(t, ctx, ".sp-result"); n < 5 {
				t.Fatalf("%d results for 'feeling lonely' near DN15", n)
			}
			if !strings.Contains(textOf(t, ctx, ".sp-result"), "miles away") {
				t.Errorf("the first result gives no distance: %q", textOf(t, ctx, ".sp-result"))
			}
			if count(t, ctx, ".sp-result mark") == 0 {
				t.Error("no matched word is highlighted in the results")
			}
			if count(t, ctx, "input[name=category]") == 0 || count(t, ctx, "input[name=delivery]") != 3 {
				t.Error("the filters are missing")
			}
			if js {
				axeCheck(t, ctx, "results")
				screenshots(t, ctx, "results")
				bigTargets(t, ctx, "results")
			}
			// Filters narrow the list: free only.
			run(t, ctx, chromedp.Click(chromedp.CSS("#cost")))
			clickAndWait(t, ctx, ".sp-filters button[type=submit]")
			if currentURL(t, ctx).Query().Get("cost") != "free" {
				t.Errorf("free-only filter not in the address: %s", currentURL(t, ctx))
			}
			for _, c := range []string{".sp-result"} {
				if count(t, ctx, c) == 0 {
					t.Fatal("no free results")
				}
			}

			// Add the first two results to the shortlist, from the list.
			first := evalT[string](t, ctx, `document.querySelectorAll('.sp-result h3 a')[0].textContent`)
			second := evalT[string](t, ctx, `document.querySelectorAll('.sp-result h3 a')[1].textContent`)
			clickAndWait(t, ctx, ".sp-result button[form]")
			if !strings.Contains(textOf(t, ctx, ".nhsuk-header__navigation-list"), "Your shortlist (1)") {
				t.Errorf("after adding one: %q", textOf(t, ctx, ".nhsuk-header__navigation-list"))
			}
			if currentURL(t, ctx).Query().Get("q") != "feeling lonely" {
				t.Errorf("adding to the shortlist did not come back to the results: %s", currentURL(t, ctx))
			}
			// Open the second result, and add it from its page.
			clickAndWait(t, ctx, ".sp-result:nth-child(2) h3 a")
			if got := textOf(t, ctx, "h1"); got != strings.Join(strings.Fields(second), " ") {
				t.Errorf("service page h1 %q, want %q", got, second)
			}
			for _, h := range []string{"What it is", "Who it is for", "How to get in", "When", "Where", "Cost", "Contact"} {
				if !strings.Contains(textOf(t, ctx, "main"), h) {
					t.Errorf("the service page has no %q", h)
				}
			}
			if !strings.Contains(textOf(t, ctx, "main"), "Last checked on") {
				t.Error("the service page does not say when it was last checked")
			}
			if js {
				axeCheck(t, ctx, "service")
				screenshots(t, ctx, "service")
				bigTargets(t, ctx, "service")
			}
			clickAndWait(t, ctx, "form[action='/shortlist'] button[type=submit]")
			if !strings.Contains(textOf(t, ctx, ".nhsuk-header__navigation-list"), "Your shortlist (2)") {
				t.Errorf("after adding two: %q", textOf(t, ctx, ".nhsuk-header__navigation-list"))
			}
			clickAndWait(t, ctx, "a[href='/shortlist']")
			if n := count(t, ctx, ".sp-result"); n != 2 {
				t.Errorf("the shortlist holds %d services", n)
			}
			body := textOf(t, ctx, "main")
			if !strings.Contains(body, strings.TrimSpace(first)) || !strings.Contains(body, strings.TrimSpace(second)) {
				t.Errorf("the shortlist lacks %q or %q: %s", first, second, body)
			}
			share := evalT[string](t, ctx, `document.getElementById('share-link').value`)
			if !strings.Contains(share, "/shortlist?ids=") {
				t.Errorf("share link %q", share)
			}
			if js {
				axeCheck(t, ctx, "shortlist")
				screenshots(t, ctx, "shortlist")
				hidden := evalT[bool](t, ctx, `document.querySelector('[data-copy-target]').hidden`)
				if hidden {
					t.Error("with JavaScript the copy button stays hidden")
				}
			}
			clickAndWait(t, ctx, "a[href^='/shortlist/print']")
			if n := count(t, ctx, ".sp-result"); n != 2 {
				t.Errorf("the print view lists %d services", n)
			}
			if count(t, ctx, "header.nhsuk-header") != 0 {
				t.Error("the print view has the site header")
			}
			if js {
				axeCheck(t, ctx, "print")
				screenshots(t, ctx, "print")
				// One A4 page when printed.
				yes := true
				res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &yes})
				if err != nil {
					t.Fatal(err)
				}
				pdf := res.Data
				if pages := strings.Count(string(pdf), "/Type /Page\n") + strings.Count(string(pdf), "/Type /Page>>") + strings.Count(string(pdf), "/Type /Page "); pages > 1 {
					t.Errorf("the print view of two services prints on %d pages", pages)
				}
				os.WriteFile(filepath.Join(screenshotDir, "print.pdf"), pdf, 0o644)
			}
			// The shared link shows the same list in another browser.
			other := newTab(t, js)
			run(t, other, chromedp.Navigate(share))
			if n := count(t, other, ".sp-result"); n != 2 {
				t.Errorf("the shared link shows %d services", n)
			}
		})
	}
}

// TestBrowserProblemReport: a bad then a good report, JavaScript on and off.
func TestBrowserProblemReport(t *testing.T) {
	s := demoSite(t)
	var page struct {
		Content []struct {
			ID string `json:"id"`
		} `json:"content"`
	}
	getJSON(t, s.srv.url+"/api/v1/services?per_page=2", &page)
	for i, js := range []bool{true, false} {
		t.Run(fmt.Sprintf("javascript=%v", js), func(t *testing.T) {
			ctx := newTab(t, js)
			id := page.Content[i].ID
			run(t, ctx, chromedp.Navigate(s.srv.url+"/services/"+url.PathEscape(id)))
			clickAndWait(t, ctx, "a[href$='/report']")
			if js {
				axeCheck(t, ctx, "report form")
				bigTargets(t, ctx, "report form")
			}
			// Nothing chosen and too little said: the errors, next to the fields, and in a summary.
			run(t, ctx, chromedp.SendKeys(chromedp.CSS("#details"), "bad"))
			clickAndWait(t, ctx, "main form button[type=submit]")
			summary := textOf(t, ctx, ".nhsuk-error-summary")
			if !strings.Contains(summary, "Select what the problem is") || !strings.Contains(summary, "at least 10 characters") {
				t.Errorf("error summary %q", summary)
			}
			if count(t, ctx, ".nhsuk-error-summary a[href='#problem']") != 1 || count(t, ctx, ".nhsuk-error-summary a[href='#details']") != 1 {
				t.Error("the error summary does not link to the fields")
			}
			if !strings.Contains(textOf(t, ctx, "#details-error"), "at least 10 characters") {
				t.Error("no error message beside the details")
			}
			kept := evalT[string](t, ctx, `document.getElementById('details').value`)
			if kept != "bad" {
				t.Errorf("the words typed were not kept: %q", kept)
			}
			if !strings.HasPrefix(textOf(t, ctx, "title"), "Error:") {
				t.Errorf("title %q does not start with Error:", textOf(t, ctx, "title"))
			}
			if js {
				axeCheck(t, ctx, "report form with errors")
				screenshots(t, ctx, "report-errors")
				focused := evalT[string](t, ctx, `document.activeElement.className`)
				if !strings.Contains(focused, "nhsuk-error-summary") {
					t.Errorf("focus is on %q, not the error summary", focused)
				}
			}
			run(t, ctx, chromedp.Click(chromedp.CSS("#problem")), chromedp.SendKeys(chromedp.CSS("#details"), " - the phone number has changed to 01724 111222"))
			clickAndWait(t, ctx, "main form button[type=submit]")
			if !strings.Contains(textOf(t, ctx, "main"), "Your report has been sent") {
				t.Errorf("no thank-you after a good report: %q", textOf(t, ctx, "main"))
			}
			if currentURL(t, ctx).Path != "/services/"+id {
				t.Errorf("after the report: %s", currentURL(t, ctx))
			}
		})
	}
}

// TestBrowserKeyboardOnly walks search → service → shortlist with Tab and Enter.
func TestBrowserKeyboardOnly(t *testing.T) {
	s := demoSite(t)
	ctx := newTab(t, true)
	run(t, ctx, chromedp.Navigate(s.srv.url+"/"))
	active := func() (string, string) {
		r := evalT[struct{ Sel, Outline string }](t, ctx, `(() => { const e = document.activeElement; const st = getComputedStyle(e);
		  return {Sel: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + (e.getAttribute('href') || '') + ' ' + (e.textContent || '').trim().slice(0, 40),
		          Outline: st.outlineStyle + ' ' + st.boxShadow + ' ' + st.backgroundColor} })()`)
		return strings.Join(strings.Fields(r.Sel), " "), r.Outline
	}
	tab := func() { run(t, ctx, chromedp.KeyEvent(kb.Tab)) }
	tabTo := func(want string, max int) {
		t.Helper()
		for i := 0; i < max; i++ {
			tab()
			sel, look := active()
			if strings.Contains(sel, want) {
				if strings.HasPrefix(look, "none none") {
					t.Errorf("%s has no visible focus: %s", sel, look)
				}
				return
			}
		}
		sel, _ := active()
		t.Fatalf("%q not reached in %d tabs; focus is on %q", want, max, sel)
	}
	enter := func() {
		t.Helper()
		before := evalT[string](t, ctx, `performance.timeOrigin + ''`)
		run(t, ctx, chromedp.KeyEvent(kb.Enter))
		waitNewPage(t, ctx, before)
	}
	tab()
	if sel, _ := active(); !strings.Contains(sel, "Skip to main content") {
		t.Errorf("the first Tab lands on %q, not the skip link", sel)
	}
	tabTo("input#q", 10)
	run(t, ctx, chromedp.KeyEvent("money worries"))
	tabTo("input#postcode", 3)
	run(t, ctx, chromedp.KeyEvent("DN16"))
	enter()
	if n := count(t, ctx, ".sp-result"); n == 0 {
		t.Fatal("no results after searching with the keyboard")
	}
	tabTo("/services/", 60)
	enter()
	if currentURL(t, ctx).Path == "/" {
		t.Fatal("Enter on a result did not open it")
	}
	tabTo("button Add to shortlist", 80)
	enter()
	tabTo("/shortlist Your shortlist (1)", 10)
	enter()
	if n := count(t, ctx, ".sp-result"); n != 1 {
		t.Errorf("the shortlist reached by keyboard holds %d services", n)
	}
}

// TestBrowserHostileListing: a listing full of markup and script renders as
// text, runs nothing and links nowhere it should not, in the pages and the API.
func TestBrowserHostileListing(t *testing.T) {
	s := demoSite(t)
	// The premise: the hostile text really is in the store, as the API gives it.
	resp, err := http.Get(s.srv.url + "/api/v1/services/" + hostileID)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var svc directory.ServiceDetail
	if err := json.Unmarshal(raw, &svc); err != nil || !strings.Contains(svc.Name, "<script>") || !strings.Contains(svc.Description, "onerror") {
		t.Fatalf("premise: the hostile listing is not stored as written: %v %q", err, svc.Name)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("API content type %q, nosniff %q", ct, resp.Header.Get("X-Content-Type-Options"))
	}
	if strings.Contains(string(raw), "<script") {
		t.Error("the API response holds raw <script")
	}
	for _, js := range []bool{true, false} {
		t.Run(fmt.Sprintf("javascript=%v", js), func(t *testing.T) {
			ctx := newTab(t, js)
			for _, path := range []string{"/services/" + hostileID, "/?q=" + url.QueryEscape("hostile lonely club"),
				"/organisations/" + svc.OrganizationID, "/api/search?q=hostile"} {
				run(t, ctx, chromedp.Navigate(s.srv.url+path))
				xss := evalT[any](t, ctx, `window.__xss === undefined ? null : window.__xss`)
				if xss != nil {
					t.Errorf("%s: the listing's script ran (%v)", path, xss)
				}
				if strings.HasPrefix(path, "/api/") {
					continue
				}
				if n := count(t, ctx, "a[href^='javascript'], [onerror], [onload], [onmouseover], [onclick], iframe, marquee, main script, main img, main svg:not(.nhsuk-icon)"); n != 0 {
					t.Errorf("%s: %d hostile elements made it into the page", path, n)
				}
				if strings.HasPrefix(path, "/services/") && !strings.Contains(textOf(t, ctx, "h1"), "<script>") {
					t.Errorf("%s: the name's markup is not shown as text: %q", path, textOf(t, ctx, "h1"))
				}
				run(t, ctx, chromedp.EmulateViewport(320, 800))
				noOverflow(t, ctx, path, 320)
				run(t, ctx, chromedp.EmulateViewport(1280, 900))
			}
			if js {
				run(t, ctx, chromedp.Navigate(s.srv.url+"/services/"+hostileID))
				axeCheck(t, ctx, "hostile service")
			}
		})
	}
}

// TestPagesHeadersAndWeight: security headers, long-cached assets, and a
// results page under 100 KB of HTML and CSS compressed.
func TestPagesHeadersAndWeight(t *testing.T) {
	s := demoSite(t)
	get := func(path string) (*http.Response, int) {
		req, _ := http.NewRequest("GET", s.srv.url+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		req.Header.Set("Accept", "text/html")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp, int(n)
	}
	resp, htmlBytes := get("/?q=walking+group&postcode=DN15")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("results page: %d, encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows unsafe script: %q", csp)
	}
	if resp.Header.Get("Referrer-Policy") != "same-origin" {
		t.Errorf("Referrer-Policy %q", resp.Header.Get("Referrer-Policy"))
	}
	for _, c := range resp.Cookies() {
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
			t.Errorf("cookie %s is not HttpOnly and SameSite=Lax", c.Name)
		}
	}
	// The stylesheet the page links to.
	req, _ := http.NewRequest("GET", s.srv.url+"/?q=walking+group", nil)
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r2.Body)
	r2.Body.Close()
	i := strings.Index(string(body), `href="/static/signpost.`)
	if i < 0 {
		t.Fatal("no stylesheet link")
	}
	cssPath := strings.SplitN(string(body[i+6:]), `"`, 2)[0]
	cssResp, cssBytes := get(cssPath)
	if cc := cssResp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("%s Cache-Control %q", cssPath, cc)
	}
	total := htmlBytes + cssBytes
	t.Logf("results page %d bytes + stylesheet %d bytes, gzip", htmlBytes, cssBytes)
	if total > 100*1024 {
		t.Errorf("results page and stylesheet are %d bytes compressed, over 100 KB", total)
	}
}
