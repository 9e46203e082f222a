package search

import (
	"context"
	"fmt"
	"strconv"

	"github.com/signpost-uk/signpost/directory"
)

// EnsureVocabulary puts the needs taxonomy into the store, so that it is
// served as an ORUK vocabulary and services can link to it. It is idempotent.
func EnsureVocabulary(ctx context.Context, store *directory.Store) error {
	v, err := DefaultVocab()
	if err != nil {
		return err
	}
	_, err = store.Import(ctx, &directory.Batch{Taxonomies: v.Terms()},
		directory.ImportOptions{PrepareOptions: directory.PrepareOptions{Source: needsSource}})
	if err != nil {
		return fmt.Errorf("store the needs taxonomy: %w", err)
	}
	return nil
}

// metaSuggestedThrough records the change-log sequence the suggestion pass
// has looked at, so each pass reads only what changed since.
const metaSuggestedThrough = "search:suggested_through"

// SuggestCategories stores suggested needs categories, inferred from the
// text, for services whose provider chose none. Suggestions are marked as
// such and never replace a provider's choice. The first pass reads every
// service; later passes only those changed since. It returns how many
// services changed.
func SuggestCategories(ctx context.Context, store *directory.Store) (int, error) {
	v, err := DefaultVocab()
	if err != nil {
		return 0, err
	}
	through, err := store.Meta(ctx, metaSuggestedThrough)
	if err != nil {
		return 0, err
	}
	upTo, err := store.LastChange(ctx)
	if err != nil {
		return 0, err
	}
	classify := func(services []*directory.ServiceDetail) (int, error) {
		suggestions := map[string][]string{}
		for _, s := range services {
			chosen := false
			for _, st := range s.ServiceTaxonomys {
				if st.Taxonomy.Vocabulary == NeedsVocabulary && !st.Suggested {
					chosen = true
				}
			}
			if !chosen {
				suggestions[s.ID] = v.Suggest(s.Name, s.Description)
			}
		}
		return store.SetSuggestedTaxonomies(ctx, suggestions)
	}
	changed := 0
	if through == "" {
		for after := ""; ; {
			if err := ctx.Err(); err != nil {
				return changed, err
			}
			services, err := store.ServicesAfter(ctx, after, 1000)
			if err != nil {
				return changed, err
			}
			if len(services) == 0 {
				break
			}
			n, err := classify(services)
			if err != nil {
				return changed, err
			}
			changed += n
			after = services[len(services)-1].ID
		}
	} else {
		from, err := strconv.ParseUint(through, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", metaSuggestedThrough, err)
		}
		for from < upTo {
			if err := ctx.Err(); err != nil {
				return changed, err
			}
			changes, err := store.ChangesSince(ctx, from, 1000)
			if err != nil || len(changes) == 0 {
				if err != nil {
					return changed, err
				}
				break
			}
			var services []*directory.ServiceDetail
			for _, ch := range changes {
				if ch.Kind != directory.KindService || ch.Seq > upTo {
					continue
				}
				s, err := store.ServiceDetail(ctx, ch.ID)
				if directory.ErrorCode(err) == directory.ENOTFOUND {
					continue
				}
				if err != nil {
					return changed, err
				}
				services = append(services, s)
			}
			n, err := classify(services)
			if err != nil {
				return changed, err
			}
			changed += n
			from = changes[len(changes)-1].Seq
		}
	}
	// The pass's own writes come after upTo and are read once more next time,
	// where they find nothing to change.
	return changed, store.SetMeta(ctx, metaSuggestedThrough, strconv.FormatUint(upTo, 10))
}
