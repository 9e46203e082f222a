package directory

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"
)

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// fixedNow is the clock tests run on.
var fixedNow = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// openTestStore opens a real bbolt store in a fresh temp directory.
func openTestStore(t testing.TB) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(context.Background(), dir, StoreOptions{Logger: quietLog, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func mustImport(t testing.TB, s *Store, data []byte, source string) *Report {
	t.Helper()
	b, err := ParseORUK(data)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	r, err := s.Import(context.Background(), b, ImportOptions{PrepareOptions: PrepareOptions{Source: source}})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return r
}
