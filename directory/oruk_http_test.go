package directory

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// councilServer is a real HTTP server on loopback that behaves like a council's
// ORUK v1 endpoint: paged summaries at /services and full records at /services/{id}.
type councilServer struct {
	mu       sync.Mutex
	hits     map[string]int
	failures map[string]int // id → how many times to answer 500 first
	missing  map[string]bool
	n        int
}

func (cs *councilServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cs.mu.Lock()
	cs.hits[r.URL.Path]++
	cs.mu.Unlock()
	org := map[string]any{"id": "5a0d4e5c-0000-4000-8000-000000000001", "name": "Ashby Trust", "description": "A charity."}
	if r.URL.Path == "/services" {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		var content []any
		for i := (page - 1) * per; i < page*per && i < cs.n; i++ {
			content = append(content, map[string]any{"id": fmt.Sprint("svc-", i), "name": fmt.Sprint("Service ", i), "description": "Summary.", "status": "active", "organization": org})
		}
		pages := (cs.n + per - 1) / per
		json.NewEncoder(w).Encode(map[string]any{"totalElements": cs.n, "totalPages": pages, "number": page, "size": per,
			"first": page == 1, "last": page >= pages, "empty": len(content) == 0, "content": content})
		return
	}
	id := strings.TrimPrefix(r.URL.Path, "/services/")
	cs.mu.Lock()
	fail := cs.failures[id] > 0
	if fail {
		cs.failures[id]--
	}
	cs.mu.Unlock()
	switch {
	case fail:
		http.Error(w, "busy", http.StatusServiceUnavailable)
	case cs.missing[id]:
		http.NotFound(w, r)
	default:
		json.NewEncoder(w).Encode(map[string]any{"id": id, "name": "Service " + strings.TrimPrefix(id, "svc-"), "description": "Full record.", "status": "active", "organization": org,
			"regular_schedules":    []any{map[string]any{"id": id + "-rs", "weekday": "Wednesday", "opens_at": "10:00", "closes_at": "12:00"}},
			"service_at_locations": []any{map[string]any{"id": id + "-sal", "location": map[string]any{"id": "loc-" + id, "name": "Hall", "latitude": 53.59, "longitude": -0.65}}}})
	}
}

func TestFetchORUKWalksPagesAndFetchesFullRecords(t *testing.T) {
	cs := &councilServer{n: 7, hits: map[string]int{}, failures: map[string]int{"svc-2": 2}, missing: map[string]bool{"svc-5": true}}
	srv := httptest.NewServer(cs) // listens on 127.0.0.1
	defer srv.Close()

	b, err := FetchORUK(context.Background(), srv.URL+"/", FetchOptions{PerPage: 3, Backoff: 10 * time.Millisecond, Logger: quietLog})
	if err != nil {
		t.Fatal(err)
	}
	if cs.hits["/services"] != 3 {
		t.Errorf("list pages fetched: %d, want 3 (7 services, 3 a page)", cs.hits["/services"])
	}
	if len(b.Services) != 7 {
		t.Fatalf("services: %d", len(b.Services))
	}
	if cs.hits["/services/svc-2"] != 3 {
		t.Errorf("svc-2 fetched %d times, want 3 (two 503s, then success)", cs.hits["/services/svc-2"])
	}
	if cs.hits["/services/svc-5"] != 1 {
		t.Errorf("a 404 was retried: %d fetches", cs.hits["/services/svc-5"])
	}
	for _, s := range b.Services {
		full := len(s.RegularSchedules) == 1 && len(s.ServiceAtLocations) == 1
		if s.ID == "svc-5" && (full || s.Description != "Summary.") {
			t.Errorf("svc-5 should keep its summary: %+v", s)
		}
		if s.ID != "svc-5" && !full {
			t.Errorf("%s was not filled in from its full record", s.ID)
		}
	}
	if len(b.Warnings) != 1 || b.Warnings[0].ID != "svc-5" {
		t.Errorf("warnings: %+v", b.Warnings)
	}

	s, _ := openTestStore(t)
	r, err := s.Import(context.Background(), b, ImportOptions{PrepareOptions: PrepareOptions{Source: "council"}})
	if err != nil || r.Created != 7 {
		t.Fatalf("import: %+v %v", r, err)
	}
}

func TestFetchORUKFailsWholeWhenAPageFails(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "2" {
			http.Error(w, "gone", http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, `{"totalElements":4,"totalPages":2,"number":1,"size":2,"first":true,"last":false,"empty":false,"content":[{"id":"a","name":"A","regular_schedules":[]},{"id":"b","name":"B","regular_schedules":[]}]}`)
	}))
	defer srv.Close()
	_, err := FetchORUK(context.Background(), srv.URL, FetchOptions{Retries: 1, Backoff: time.Millisecond, Logger: quietLog})
	if err == nil || !strings.Contains(err.Error(), "page 2") {
		t.Fatalf("want an error naming page 2, got %v", err)
	}
}
