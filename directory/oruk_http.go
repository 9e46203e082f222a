package directory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FetchOptions configures FetchORUK.
type FetchOptions struct {
	Client      *http.Client  // default: 30 s timeout per request
	Concurrency int           // full-record fetches at once; default 4
	Retries     int           // extra tries after a failure; default 3
	Backoff     time.Duration // first wait between tries, doubled each time; default 500 ms
	PerPage     int           // default 100
	MaxPages    int           // safety stop; default 10,000
	Logger      *slog.Logger
}

// maxBody caps one response body, so a misbehaving server cannot exhaust memory.
const maxBody = 64 << 20

// FetchORUK reads every page of baseURL + "/services?page=N" and, where the
// list gives only summaries, fetches each "/services/{id}" for the full record.
// Any page that cannot be read fails the whole fetch, so nothing half-read is
// imported; a full record that cannot be fetched keeps its summary, with a warning.
func FetchORUK(ctx context.Context, baseURL string, opts FetchOptions) (*Batch, error) {
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.Retries < 0 {
		opts.Retries = 0
	} else if opts.Retries == 0 {
		opts.Retries = 3
	}
	if opts.Backoff == 0 {
		opts.Backoff = 500 * time.Millisecond
	}
	if opts.PerPage == 0 {
		opts.PerPage = 100
	}
	if opts.MaxPages == 0 {
		opts.MaxPages = 10000
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	base, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) base URL", baseURL)
	}
	f := &fetcher{opts: opts, base: base}

	var items []json.RawMessage
	for page := 1; page <= opts.MaxPages; page++ {
		data, err := f.get(ctx, fmt.Sprintf("/services?page=%d&per_page=%d", page, opts.PerPage))
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", page, err)
		}
		pageItems, meta, err := splitFeed(data)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", page, err)
		}
		items = append(items, pageItems...)
		opts.Logger.Info("fetched page", "page", page, "services", len(pageItems))
		if meta == nil || len(pageItems) == 0 || meta.isLast(page) {
			break
		}
	}

	b := &Batch{}
	raws := make([]*rawService, len(items))
	for i, item := range items {
		var r rawService
		if err := json.Unmarshal(item, &r); err != nil {
			b.addRawService(i, item) // Records the rejection with its reason.
			continue
		}
		raws[i] = &r
	}
	f.fillDetails(ctx, raws, b)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, r := range raws {
		if r != nil {
			b.addService(i, r)
		}
	}
	return b, nil
}

func (p *orukPage) isLast(page int) bool {
	switch {
	case p.Last != nil:
		return *p.Last
	case p.LastV3 != nil:
		return *p.LastV3
	case p.TotalPages != nil:
		return page >= *p.TotalPages
	case p.TotalPagesV3 != nil:
		return page >= *p.TotalPagesV3
	}
	return false
}

type fetcher struct {
	opts FetchOptions
	base *url.URL
}

// fillDetails replaces each summary with its full record, a few at a time.
func (f *fetcher) fillDetails(ctx context.Context, raws []*rawService, b *Batch) {
	var mu sync.Mutex
	sem := make(chan struct{}, f.opts.Concurrency)
	var wg sync.WaitGroup
	for i, r := range raws {
		if r == nil || r.isDetailed() || strings.TrimSpace(string(r.ID)) == "" {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, id string) {
			defer wg.Done()
			defer func() { <-sem }()
			data, err := f.get(ctx, "/services/"+url.PathEscape(id))
			var full rawService
			if err == nil {
				err = json.Unmarshal(data, &full)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				b.warn("service", id, "", "could not fetch the full record, so only the list summary was imported: "+err.Error())
				return
			}
			if strings.TrimSpace(string(full.ID)) != id {
				b.warn("service", id, "id", "the full record has a different id; only the list summary was imported")
				return
			}
			raws[i] = &full
		}(i, strings.TrimSpace(string(r.ID)))
	}
	wg.Wait()
}

// errPermanent marks a failure that another try will not fix.
var errPermanent = errors.New("permanent")

func (f *fetcher) get(ctx context.Context, pathAndQuery string) ([]byte, error) {
	target := f.base.String() + pathAndQuery
	wait := f.opts.Backoff
	var lastErr error
	for attempt := 0; attempt <= f.opts.Retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(wait):
			}
			wait *= 2
		}
		data, err := f.getOnce(ctx, target)
		if err == nil {
			return data, nil
		}
		lastErr = err
		if errors.Is(err, errPermanent) || ctx.Err() != nil {
			break
		}
	}
	return nil, lastErr
}

func (f *fetcher) getOnce(ctx context.Context, target string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errPermanent, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Signpost-importer/1 (+ORUK)")
	resp, err := f.opts.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxBody {
		return nil, fmt.Errorf("%w: %s: response larger than %d MiB", errPermanent, target, maxBody>>20)
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		return data, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return nil, fmt.Errorf("%s: HTTP %d", target, resp.StatusCode)
	default:
		return nil, fmt.Errorf("%w: %s: HTTP %s", errPermanent, target, strconv.Itoa(resp.StatusCode))
	}
}
