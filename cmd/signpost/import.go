package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/signpost-uk/signpost/directory"
)

func runImport(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	dataDir := fs.String("data", envOr("SIGNPOST_DATA", "signpost-data"), "data directory")
	reportPath := fs.String("report", "", "write the import report as JSON to this file")
	source := fs.String("source", "", "name of the publisher (default: the file name or the URL's host)")
	area := fs.String("area", "", "area the whole feed serves, recorded on services that state none")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() != 1 {
		return usageError{fmt.Errorf("give exactly one PATH or URL to import")}
	}
	target := fs.Arg(0)
	if *source == "" {
		*source = defaultSource(target)
	}

	// Open the store first: if another process holds it, fail before any download.
	store, err := directory.Open(ctx, *dataDir, directory.StoreOptions{Logger: log})
	if err != nil {
		return err
	}
	defer store.Close()

	batch, err := readFeed(ctx, log, target)
	if err != nil {
		return fmt.Errorf("nothing was imported: %w", err)
	}
	fmt.Fprintf(os.Stderr, "read %d services from %s\n", len(batch.Services), target)
	report, err := store.Import(ctx, batch, directory.ImportOptions{
		PrepareOptions: directory.PrepareOptions{Source: *source, Area: *area},
		Progress:       func(stage string) { fmt.Fprintln(os.Stderr, stage) },
	})
	if err != nil {
		return fmt.Errorf("nothing was imported: %w", err)
	}
	if *reportPath != "" {
		data, err := json.MarshalIndent(report, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*reportPath, append(data, '\n'), 0o644); err != nil {
			return fmt.Errorf("the import was saved, but the report could not be written: %w", err)
		}
	}
	printReport(report)
	// New services get suggested categories now; a running server's index picks
	// the changes up from the change log when it next starts.
	return prepareSearch(ctx, log, store)
}

// readFeed picks the reader by what the target is.
func readFeed(ctx context.Context, log *slog.Logger, target string) (*directory.Batch, error) {
	if u, err := url.Parse(target); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		return directory.FetchORUK(ctx, target, directory.FetchOptions{Logger: log})
	}
	info, err := os.Stat(target)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		if _, err := os.Stat(filepath.Join(target, "datapackage.json")); err == nil {
			return directory.ReadDatapackage(target)
		}
	}
	return directory.ReadORUKPath(target)
}

func defaultSource(target string) string {
	if u, err := url.Parse(target); err == nil && u.Host != "" {
		return u.Host
	}
	base := filepath.Base(filepath.Clean(target))
	return strings.TrimSuffix(base, filepath.Ext(base))
}

func printReport(r *directory.Report) {
	fmt.Printf("Imported from %s: %d services created, %d updated, %d unchanged; %d rejections, %d warnings.\n",
		r.Source, r.Created, r.Updated, r.Unchanged, len(r.Rejected), len(r.Warnings))
	for _, kind := range []string{directory.KindOrganization, directory.KindLocation, directory.KindTaxonomy} {
		if k := r.ByKind[kind]; k != nil {
			fmt.Printf("  %s records: %d created, %d updated, %d unchanged, %d rejected\n", kind, k.Created, k.Updated, k.Unchanged, k.Rejected)
		}
	}
	show := func(title string, problems []directory.Problem) {
		if len(problems) == 0 {
			return
		}
		fmt.Println(title + ":")
		for i, p := range problems {
			if i == 20 {
				fmt.Printf("  … and %d more (use -report FILE for all)\n", len(problems)-20)
				break
			}
			field := p.Field
			if field == "" {
				field = "(record)"
			}
			fmt.Printf("  %s %s: %s %s\n", p.Kind, p.ID, field, p.Message)
		}
	}
	show("Rejected", r.Rejected)
	show("Warnings", r.Warnings)
}
