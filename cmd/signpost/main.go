// Command signpost runs the Signpost directory server and its admin commands.
//
//	signpost [serve] [-addr 127.0.0.1:8080] [-data ./signpost-data]
//	signpost import [-data DIR] [-source NAME] [-area NAME] [-report FILE] PATH|URL
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/signpost-uk/signpost/directory"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	args := os.Args[1:]
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = runServe(ctx, log, args)
	case "import":
		err = runImport(ctx, log, args)
	case "reindex":
		err = runReindex(ctx, log, args)
	case "help", "-h", "--help":
		fmt.Fprint(os.Stdout, usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "signpost: unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		var usageErr usageError
		if errors.As(err, &usageErr) {
			fmt.Fprintf(os.Stderr, "signpost %s: %v\n\n%s", cmd, err, usage)
			os.Exit(2)
		}
		fmt.Fprintf(os.Stderr, "signpost %s: %s\n", cmd, safeMessage(err))
		os.Exit(1)
	}
}

const usage = `Usage:
  signpost [serve] [-addr ADDR] [-data DIR]
      Run the directory server (default 127.0.0.1:8080, data in ./signpost-data).
      A new data directory is seeded with the North Lincolnshire demo directory.
  signpost import [-data DIR] [-source NAME] [-area NAME] [-report FILE] PATH|URL
      Import an ORUK v1 services feed (a JSON file, a directory of page files, or
      a base URL serving /services?page=N) or an HSDS CSV datapackage directory.
  signpost reindex [-data DIR]
      Rebuild the search index from the store (the server must be stopped).

Environment: SIGNPOST_ADDR and SIGNPOST_DATA set the defaults of -addr and -data.
`

type usageError struct{ error }

// safeMessage prefers an application error's message, written for people.
func safeMessage(err error) string {
	var appErr *directory.Error
	if errors.As(err, &appErr) {
		return appErr.Message
	}
	return err.Error()
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// envInt is a whole number from the environment, or fallback when unset or unreadable.
func envInt(name string, fallback int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return fallback
}
