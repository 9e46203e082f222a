// Command searchbench compares Signpost's search with PostgreSQL full-text
// search on the same corpus and the same fixed mix of queries. A person runs
// it through scripts/bench-search.sh; CI never does. It only ever talks to
// this machine.
//
//	searchbench queries  -o FILE                          write the 200-query mix (JSON lines)
//	searchbench urls     -queries FILE                    the mix as /api/search paths, one a line
//	searchbench inprocess -data DIR -queries FILE         Signpost's index, in this process
//	searchbench pgload   -dsn DSN -corpus FILE            load the corpus into PostgreSQL
//	searchbench pgquery  -dsn DSN -queries FILE           the same mix against PostgreSQL
//	searchbench freeport                                  print a free TCP port on 127.0.0.1
//	searchbench report   -results FILE                    the side-by-side table
//
// Every measuring command appends "key value" lines to -results FILE (when
// given), which report turns into one table.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	cmd, args := os.Args[1], os.Args[2:]
	var err error
	switch cmd {
	case "queries":
		err = runQueries(args)
	case "urls":
		err = runURLs(args)
	case "inprocess":
		err = runInProcess(args)
	case "pgload":
		err = runPGLoad(args)
	case "pgquery":
		err = runPGQuery(args)
	case "freeport":
		err = runFreePort()
	case "report":
		err = runReport(args)
	case "help", "-h", "--help":
		usage()
		return
	default:
		fmt.Fprintf(os.Stderr, "searchbench: unknown command %q\n", cmd)
		usage()
		os.Exit(2)
	}
	if err != nil {
		var u usageErr
		if errors.As(err, &u) {
			fmt.Fprintf(os.Stderr, "searchbench %s: %v\n", cmd, err)
			os.Exit(2)
		}
		fmt.Fprintf(os.Stderr, "searchbench %s: %v\n", cmd, err)
		os.Exit(1)
	}
}

type usageErr struct{ error }

func usage() {
	fmt.Fprint(os.Stderr, `Usage: searchbench COMMAND [flags]   (scripts/bench-search.sh runs them all)
  queries   -o FILE                       write the fixed 200-query mix as JSON lines
  urls      -queries FILE                 print the mix as /api/search paths
  inprocess -data DIR -queries FILE       run the mix against Signpost's index in-process
  pgload    -dsn DSN -corpus FILE         load the corpus into PostgreSQL with a GIN index
  pgquery   -dsn DSN -queries FILE        run the mix against PostgreSQL
  freeport                                print a free TCP port on 127.0.0.1
  report    -results FILE                 print the side-by-side table
`)
}

// parseFlags parses a subcommand's flags and rejects stray arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageErr{err}
	}
	if fs.NArg() > 0 {
		return usageErr{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

func runFreePort() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	return nil
}

// --- results file ------------------------------------------------------------

// results appends "key value" lines to a file; a nil results writes nowhere.
type results struct{ path string }

func (r results) put(key string, v float64) {
	if r.path == "" {
		return
	}
	f, err := os.OpenFile(r.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, "searchbench: results:", err)
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %s\n", key, strconv.FormatFloat(v, 'f', -1, 64))
}

func readResults(path string) (map[string]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 {
			continue
		}
		v, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			continue
		}
		out[fields[0]] = v // a later line wins
	}
	return out, sc.Err()
}

// --- latency statistics ------------------------------------------------------

type sample struct {
	class string
	query int // index in the mix
	d     time.Duration
	hits  int
}

type stats struct {
	n              int
	p50, p99, mean float64 // milliseconds
	max            float64
	meanHits       float64
}

func summarise(ss []sample) stats {
	if len(ss) == 0 {
		return stats{}
	}
	ds := make([]float64, len(ss))
	var sum, hits float64
	for i, s := range ss {
		ds[i] = float64(s.d.Nanoseconds()) / 1e6
		sum += ds[i]
		hits += float64(s.hits)
	}
	sort.Float64s(ds)
	return stats{n: len(ds), p50: percentile(ds, 0.50), p99: percentile(ds, 0.99), mean: sum / float64(len(ds)),
		max: ds[len(ds)-1], meanHits: hits / float64(len(ss))}
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}

var classes = []string{classText, classGeo, classFacet}

// printStats prints per-class and overall latency and records them as
// PREFIX_CLASS_{p50,p99,mean,max,hits}.
func printStats(title, prefix string, ss []sample, res results) {
	fmt.Printf("%s (%d timed queries)\n", title, len(ss))
	fmt.Printf("  %-8s %6s %9s %9s %9s %9s %11s\n", "class", "n", "p50 ms", "p99 ms", "mean ms", "max ms", "mean hits")
	for _, c := range append(append([]string{}, classes...), "all") {
		var sub []sample
		for _, s := range ss {
			if c == "all" || s.class == c {
				sub = append(sub, s)
			}
		}
		st := summarise(sub)
		fmt.Printf("  %-8s %6d %9.2f %9.2f %9.2f %9.2f %11.1f\n", c, st.n, st.p50, st.p99, st.mean, st.max, st.meanHits)
		res.put(prefix+"_"+c+"_p50", st.p50)
		res.put(prefix+"_"+c+"_p99", st.p99)
		res.put(prefix+"_"+c+"_mean", st.mean)
		res.put(prefix+"_"+c+"_max", st.max)
		res.put(prefix+"_"+c+"_hits", st.meanHits)
	}
}

// printSlowest lists the queries with the highest median time over the rounds.
func printSlowest(ss []sample, mix []benchQuery, k int) {
	by := map[int][]float64{}
	for _, s := range ss {
		by[s.query] = append(by[s.query], float64(s.d.Nanoseconds())/1e6)
	}
	type row struct {
		q   int
		med float64
	}
	var rows []row
	for q, ds := range by {
		sort.Float64s(ds)
		rows = append(rows, row{q, percentile(ds, 0.5)})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].med > rows[j].med })
	fmt.Printf("  slowest queries (median of the timed rounds):\n")
	for i := 0; i < k && i < len(rows); i++ {
		q := mix[rows[i].q]
		fmt.Printf("    %8.2f ms  %-6s %s\n", rows[i].med, q.Class, q.describe())
	}
}

// procStatus reads a kB field (VmRSS, VmHWM) of /proc/PID/status; pid 0 is this process.
func procStatus(pid int, field string) float64 {
	path := "/proc/self/status"
	if pid > 0 {
		path = fmt.Sprintf("/proc/%d/status", pid)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return math.NaN()
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				v, err := strconv.ParseFloat(f[0], 64)
				if err == nil {
					return v
				}
			}
		}
	}
	return math.NaN()
}

// writePerQuery writes one line per query of the mix: its class, median
// time over the timed rounds, results found and the query, tab-separated.
func writePerQuery(path string, ss []sample, mix []benchQuery) error {
	if path == "" {
		return nil
	}
	by := map[int][]float64{}
	hits := map[int]int{}
	for _, s := range ss {
		by[s.query] = append(by[s.query], float64(s.d.Nanoseconds())/1e6)
		hits[s.query] = s.hits
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "class\tmedian_ms\thits\tquery\n")
	for i, q := range mix {
		ds := by[i]
		sort.Float64s(ds)
		fmt.Fprintf(w, "%s\t%.2f\t%d\t%s\n", q.Class, percentile(ds, 0.5), hits[i], q.describe())
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
