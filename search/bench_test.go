package search

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/signpost-uk/signpost/directory"
)

// BenchmarkEditToSearchable measures how long an edit committed to the store
// takes to be found by a search, with the default 200 ms change-log poll.
//
//	go test ./search -run '^$' -bench EditToSearchable -benchtime 20x
func BenchmarkEditToSearchable(b *testing.B) {
	dir := b.TempDir()
	store := openStore(b, dir)
	defer store.Close()
	importFeed(b, store, feed(500, func(i int) string { return fmt.Sprintf("Tea club %d", i) }))
	idx := openReady(b, filepath.Join(dir, "index"), store, Options{})
	defer idx.Close()
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		word := fmt.Sprintf("zebra%d", i)
		start := time.Now()
		importFeed(b, store, feed(500, func(j int) string {
			if j == i%500 {
				return "Crossing club " + word
			}
			return fmt.Sprintf("Tea club %d", j)
		}))
		waitFound(b, idx, word, fmt.Sprintf("svc-%05d", i%500))
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Milliseconds()), "max-ms")
}

// BenchmarkDemoQueries runs the judged relevance queries against the demo
// directory in-process.
func BenchmarkDemoQueries(b *testing.B) {
	d := demoIndex(b)
	queries := []string{"lonely", "money worries", "cant pay rent", "befrending", "my mum has dementia", "walking group", "food bank", "low mood"}
	ctx := context.Background()
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := d.index.Search(ctx, Query{Text: queries[i%len(queries)], Facets: true, Page: directory.PageRequest{Number: 1, Size: 20}}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
