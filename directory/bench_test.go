package directory

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	bolt "go.etcd.io/bbolt"

	"github.com/signpost-uk/signpost/directory/corpus"
)

// Benchmarks run at national scale: 100,000 services by default, or
// SIGNPOST_BENCH_SERVICES. Run them with
//
//	go test ./directory -run '^$' -bench . -benchtime 1x      (import)
//	go test ./directory -run '^$' -bench ServicesPage -benchtime 2000x
func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("SIGNPOST_BENCH_SERVICES")); err == nil && n > 0 {
		return n
	}
	return 100000
}

var (
	corpusOnce  sync.Once
	corpusBytes []byte
	corpusErr   error
)

func benchCorpus(b *testing.B) []byte {
	corpusOnce.Do(func() {
		var buf bytes.Buffer
		corpusErr = corpus.Generate(&buf, benchSize(), 1)
		corpusBytes = buf.Bytes()
	})
	if corpusErr != nil {
		b.Fatal(corpusErr)
	}
	return corpusBytes
}

// peakRSSMiB is the process's peak resident set (VmHWM), in MiB.
func peakRSSMiB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ := strconv.Atoi(strings.Fields(line)[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkImport measures a whole import of the corpus into a new store:
// parse, prepare, and one bbolt transaction.
func BenchmarkImport(b *testing.B) {
	data := benchCorpus(b)
	n := benchSize()
	b.ResetTimer()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		s, err := Open(context.Background(), dir, StoreOptions{Logger: quietLog})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		batch, err := ParseORUK(data)
		if err != nil {
			b.Fatal(err)
		}
		r, err := s.Import(context.Background(), batch, ImportOptions{PrepareOptions: PrepareOptions{Source: "bench"}})
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		b.StopTimer()
		if r.Created+len(r.Rejected) < n*9/10 {
			b.Fatalf("only %d of %d services created", r.Created, n)
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "services/s")
	b.ReportMetric(peakRSSMiB(), "peak-RSS-MiB")
}

var (
	benchStoreOnce sync.Once
	benchStore     *Store
	benchStoreErr  error
)

// sharedBenchStore imports the corpus once into a store that lives for the run.
func sharedBenchStore(b *testing.B) *Store {
	data := benchCorpus(b)
	benchStoreOnce.Do(func() {
		dir, err := os.MkdirTemp("", "signpost-bench")
		if err != nil {
			benchStoreErr = err
			return
		}
		benchDirs = append(benchDirs, dir)
		benchStore, benchStoreErr = Open(context.Background(), filepath.Join(dir, "data"), StoreOptions{Logger: quietLog})
		if benchStoreErr != nil {
			return
		}
		batch, err := ParseORUK(data)
		if err != nil {
			benchStoreErr = err
			return
		}
		_, benchStoreErr = benchStore.Import(context.Background(), batch, ImportOptions{PrepareOptions: PrepareOptions{Source: "bench"}})
	})
	if benchStoreErr != nil {
		b.Fatal(benchStoreErr)
	}
	return benchStore
}

// benchDirs are removed when the test binary exits (see TestMain).
var benchDirs []string

// serveAPI runs the read API on a real loopback listener.
func serveAPI(b *testing.B, s *Store) string {
	oc, _ := BundledOutcodes()
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(quietLog), DisableStartupMessage: true})
	NewAPI(s, oc).Register(app.Group("/api/v1"))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go app.Listener(ln)
	b.Cleanup(func() { app.Shutdown() })
	return "http://" + ln.Addr().String()
}

// benchGET requests one URL per iteration over a kept-alive connection and
// reports latency percentiles.
func benchGET(b *testing.B, urlFor func(i int) string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		resp, err := client.Get(urlFor(i))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(start))
		if resp.StatusCode != 200 {
			b.Fatalf("%s: %d", urlFor(i), resp.StatusCode)
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(peakRSSMiB(), "peak-RSS-MiB")
}

// BenchmarkServicesPage is GET /api/v1/services at random pages of 50.
func BenchmarkServicesPage(b *testing.B) {
	s := sharedBenchStore(b)
	base := serveAPI(b, s)
	pages := benchSize() / DefaultPerPage
	rng := rand.New(rand.NewSource(1))
	benchGET(b, func(int) string { return fmt.Sprintf("%s/api/v1/services?page=%d", base, 1+rng.Intn(pages)) })
}

// BenchmarkServicesFiltered is the store's own filter scan (the fallback while
// no search index is ready): age and day filters on the first page.
func BenchmarkServicesFiltered(b *testing.B) {
	s := sharedBenchStore(b)
	base := serveAPI(b, s)
	days := []string{"monday", "tuesday", "wednesday", "thursday", "friday"}
	benchGET(b, func(i int) string {
		return fmt.Sprintf("%s/api/v1/services?minimum_age=70&maximum_age=70&day=%s", base, days[i%len(days)])
	})
}

// BenchmarkServiceByID is GET /api/v1/services/{id} for random services.
func BenchmarkServiceByID(b *testing.B) {
	s := sharedBenchStore(b)
	base := serveAPI(b, s)
	var ids []string
	s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketServices).ForEach(func(k, _ []byte) error { ids = append(ids, string(k)); return nil })
	})
	rng := rand.New(rand.NewSource(2))
	benchGET(b, func(int) string { return base + "/api/v1/services/" + ids[rng.Intn(len(ids))] })
}
