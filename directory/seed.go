package directory

import (
	"context"
	"fmt"
	"time"

	"github.com/signpost-uk/signpost/directory/refdata"
)

const metaInitialisedAt = "initialised_at"

// SeedDemo fills a new, empty store with the bundled North Lincolnshire
// Council feed. It does nothing (and returns nil) for a store that has been
// started before, so a directory emptied on purpose is never refilled.
func (s *Store) SeedDemo(ctx context.Context) (*Report, error) {
	done, err := s.Meta(ctx, metaInitialisedAt)
	if err != nil || done != "" {
		return nil, err
	}
	counts, err := s.Counts(ctx)
	if err != nil {
		return nil, err
	}
	var report *Report
	if counts.Services == 0 {
		batch, err := ParseORUK(refdata.NorthLincsServices)
		if err != nil {
			return nil, fmt.Errorf("read bundled demo feed: %w", err)
		}
		report, err = s.Import(ctx, batch, ImportOptions{PrepareOptions: PrepareOptions{
			Source: refdata.NorthLincsSource, Area: refdata.NorthLincsArea}})
		if err != nil {
			return nil, fmt.Errorf("seed demo directory: %w", err)
		}
	}
	return report, s.SetMeta(ctx, metaInitialisedAt, s.now().UTC().Format(time.RFC3339))
}
