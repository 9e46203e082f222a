package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/signpost-uk/signpost/directory"
	"github.com/signpost-uk/signpost/search"
)

// runReindex rebuilds the search index from the store, offline.
func runReindex(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	dataDir := fs.String("data", envOr("SIGNPOST_DATA", "signpost-data"), "data directory")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	store, err := directory.Open(ctx, *dataDir, directory.StoreOptions{Logger: log})
	if err != nil {
		return err
	}
	defer store.Close()
	if err := prepareSearch(ctx, log, store); err != nil {
		return err
	}
	dir := filepath.Join(*dataDir, "index")
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	start := time.Now()
	index, err := search.Open(ctx, dir, store, search.Options{Logger: log})
	if err != nil {
		return err
	}
	defer index.Close()
	if err := index.WaitReady(ctx); err != nil {
		return err
	}
	counts, _ := store.Counts(ctx)
	fmt.Printf("Rebuilt the search index of %d services in %.1f s.\n", counts.Services, time.Since(start).Seconds())
	return nil
}
