// Command corpusgen writes a large, realistic ORUK v1 service feed (a JSON
// array of services) for benchmarks and load tests of the importer.
//
//	corpusgen [-n 100000] [-seed 1] [-o FILE]
//
// The same -n and -seed always give the same bytes.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/signpost-uk/signpost/directory/corpus"
)

func main() {
	n := flag.Int("n", 100000, "number of services to generate")
	seed := flag.Int64("seed", 1, "random seed; the same -n and -seed give the same output")
	out := flag.String("o", "", "output file (default standard output)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "corpusgen: unexpected argument %q\n", flag.Arg(0))
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*n, *seed, *out); err != nil {
		fmt.Fprintln(os.Stderr, "corpusgen:", err)
		os.Exit(1)
	}
}

func run(n int, seed int64, path string) error {
	if n < 0 {
		return fmt.Errorf("-n must not be negative, got %d", n)
	}
	var w io.Writer = os.Stdout
	if path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
		if err := corpus.Generate(w, n, seed); err != nil {
			return err
		}
		return f.Close()
	}
	return corpus.Generate(w, n, seed)
}
