package search

import (
	"context"
	"fmt"

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

// SuggestCategories stores suggested needs categories, inferred from the
// text, for every service whose provider chose none. Suggestions are marked
// as such and never replace a provider's choice. It returns how many
// services changed.
func SuggestCategories(ctx context.Context, store *directory.Store) (int, error) {
	v, err := DefaultVocab()
	if err != nil {
		return 0, err
	}
	changed := 0
	after := ""
	for {
		services, err := store.ServicesAfter(ctx, after, 1000)
		if err != nil || len(services) == 0 {
			return changed, err
		}
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
		n, err := store.SetSuggestedTaxonomies(ctx, suggestions)
		if err != nil {
			return changed, err
		}
		changed += n
		after = services[len(services)-1].ID
	}
}
