package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/signpost-uk/signpost/directory"
	"github.com/signpost-uk/signpost/search"
)

// checkLoopback refuses a DSN that names any host but this machine.
func checkLoopback(dsn string) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return usageErr{fmt.Errorf("-dsn: %w", err)}
	}
	hosts := []string{cfg.Host}
	for _, fb := range cfg.Fallbacks {
		hosts = append(hosts, fb.Host)
	}
	for _, h := range hosts {
		if h != "127.0.0.1" && h != "localhost" && h != "::1" && !strings.HasPrefix(h, "/") {
			return usageErr{fmt.Errorf("-dsn names host %q: this benchmark only talks to 127.0.0.1", h)}
		}
	}
	return nil
}

// pgRow is one service as PostgreSQL holds it.
type pgRow struct {
	id, name, description, orgName, category, status string
	needs                                            []string
	lat, lon                                         *float64
}

// corpusRows reads and cleans the corpus exactly as signpost import does
// (directory.Prepare), and derives each service's needs categories as
// Signpost's index does: the provider's needs terms, or else the ones
// suggested from its name and description.
func corpusRows(path string) ([]pgRow, int, error) {
	raw, err := directory.ReadORUKPath(path)
	if err != nil {
		return nil, 0, err
	}
	oc, err := directory.BundledOutcodes()
	if err != nil {
		return nil, 0, err
	}
	b := directory.Prepare(raw, directory.PrepareOptions{Source: "corpus", Outcodes: oc})
	vocab, err := search.DefaultVocab()
	if err != nil {
		return nil, 0, err
	}
	orgs := map[string]string{}
	for _, o := range b.Organizations {
		orgs[o.ID] = o.Name
	}
	type point struct{ lat, lon float64 }
	locs := map[string]point{}
	for _, l := range b.Locations {
		if l.Latitude != nil && l.Longitude != nil {
			locs[l.ID] = point{*l.Latitude, *l.Longitude}
		}
	}
	terms := map[string]directory.TaxonomyTerm{}
	for _, t := range b.Taxonomies {
		terms[t.ID] = t
	}
	multi := 0
	rows := make([]pgRow, 0, len(b.Services))
	for _, s := range b.Services {
		r := pgRow{id: s.ID, name: s.Name, description: s.Description, orgName: orgs[s.OrganizationID], status: s.Status}
		var names []string
		needs := map[string]bool{}
		hasNeed := false
		for _, st := range s.ServiceTaxonomys {
			t := terms[st.TaxonomyID]
			if t.Name != "" {
				names = append(names, t.Name)
			}
			if t.Vocabulary == search.NeedsVocabulary {
				hasNeed = true
				if top := vocab.TopLevel(t.ID); top != "" {
					needs[top] = true
				}
			}
		}
		if !hasNeed {
			for _, id := range vocab.Suggest(s.Name, s.Description) {
				if n := vocab.Need(id); n != nil {
					names = append(names, n.Name)
					needs[vocab.TopLevel(id)] = true
				}
			}
		}
		r.category = strings.Join(names, "; ")
		r.needs = []string{}
		for n := range needs {
			r.needs = append(r.needs, n)
		}
		sort.Strings(r.needs)
		// One point a service: its first located place (Signpost's index
		// keeps every place; see the located counter below).
		located := 0
		for _, sal := range s.ServiceAtLocations {
			if p, ok := locs[sal.LocationID]; ok {
				if located == 0 {
					lat, lon := p.lat, p.lon
					r.lat, r.lon = &lat, &lon
				}
				located++
			}
		}
		if located > 1 {
			multi++
		}
		rows = append(rows, r)
	}
	return rows, multi, nil
}

const pgSchema = `
DROP TABLE IF EXISTS services;
CREATE TABLE services (
	id          text NOT NULL,
	name        text NOT NULL,
	description text NOT NULL,
	org_name    text NOT NULL,
	category    text NOT NULL,
	needs       text[] NOT NULL,
	status      text NOT NULL,
	lat         double precision,
	lon         double precision,
	tsv tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('english', name), 'A') ||
		setweight(to_tsvector('english', org_name), 'B') ||
		setweight(to_tsvector('english', category), 'B') ||
		setweight(to_tsvector('english', description), 'C')) STORED
);`

var pgIndexes = []string{
	`ALTER TABLE services ADD PRIMARY KEY (id)`,
	`CREATE INDEX services_tsv ON services USING gin (tsv)`,
	`CREATE INDEX services_needs ON services USING gin (needs)`,
	`CREATE INDEX services_latlon ON services (lat, lon)`,
}

func runPGLoad(args []string) error {
	fs := flag.NewFlagSet("pgload", flag.ContinueOnError)
	dsn := fs.String("dsn", "", "PostgreSQL connection string (127.0.0.1 only)")
	corpus := fs.String("corpus", "", "the corpus file (cmd/corpusgen output)")
	resPath := fs.String("results", "", "append key value results to this file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dsn == "" || *corpus == "" {
		return usageErr{fmt.Errorf("-dsn and -corpus are required")}
	}
	if err := checkLoopback(*dsn); err != nil {
		return err
	}
	res := results{*resPath}
	ctx := context.Background()

	start := time.Now()
	rows, multi, err := corpusRows(*corpus)
	if err != nil {
		return err
	}
	readS := time.Since(start).Seconds()
	runtime.GC()
	fmt.Printf("PostgreSQL load: read and cleaned %d services from %s in %.1f s (%d have more than one located place; PostgreSQL keeps the first)\n",
		len(rows), *corpus, readS, multi)

	conn, err := pgx.Connect(ctx, *dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var version string
	if err := conn.QueryRow(ctx, "SHOW server_version").Scan(&version); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, pgSchema); err != nil {
		return fmt.Errorf("create table: %w", err)
	}
	start = time.Now()
	n, err := conn.CopyFrom(ctx, pgx.Identifier{"services"},
		[]string{"id", "name", "description", "org_name", "category", "needs", "status", "lat", "lon"},
		pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
			r := rows[i]
			return []any{r.id, r.name, r.description, r.orgName, r.category, r.needs, r.status, r.lat, r.lon}, nil
		}))
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	copyS := time.Since(start).Seconds()
	start = time.Now()
	for _, stmt := range pgIndexes {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	indexS := time.Since(start).Seconds()
	start = time.Now()
	if _, err := conn.Exec(ctx, "VACUUM ANALYZE services"); err != nil {
		return err
	}
	analyzeS := time.Since(start).Seconds()
	var tableBytes, totalBytes int64
	if err := conn.QueryRow(ctx, "SELECT pg_table_size('services'), pg_total_relation_size('services')").Scan(&tableBytes, &totalBytes); err != nil {
		return err
	}
	fmt.Printf("PostgreSQL %s: COPY of %d rows (tsvector generated on the way in) %.1f s, indexes (primary key, GIN tsv, GIN needs, btree lat/lon) %.1f s, VACUUM ANALYZE %.1f s; load+index %.1f s\n",
		version, n, copyS, indexS, analyzeS, copyS+indexS+analyzeS)
	fmt.Printf("PostgreSQL size: table %.0f MiB, with indexes %.0f MiB\n", float64(tableBytes)/(1<<20), float64(totalBytes)/(1<<20))
	res.put("pg_read_s", readS)
	res.put("pg_copy_s", copyS)
	res.put("pg_index_s", indexS)
	res.put("pg_analyze_s", analyzeS)
	res.put("pg_load_s", copyS+indexS+analyzeS)
	res.put("pg_total_bytes", float64(totalBytes))
	res.put("pg_rows", float64(n))
	return nil
}

// --- queries -------------------------------------------------------------------

var pgWordRE = regexp.MustCompile(`[\p{L}\p{N}]+`)

// pgText is the query's words joined with " or ", which
// websearch_to_tsquery reads as 'w1' | 'w2' | …: lenient, like Signpost
// (PostgreSQL then drops its English stop words itself).
func pgText(q string) string {
	q = strings.NewReplacer("'", "", "’", "").Replace(strings.ToLower(q))
	return strings.Join(pgWordRE.FindAllString(q, -1), " or ")
}

const pgStatus = `status IN ('active', 'temporarily closed')`

// pgDistance is the haversine distance in metres from ($lat, $lon), the
// first two parameters of the statement it is used in.
const pgDistance = `(2 * 6371008.8 * asin(least(1, sqrt(power(sin(radians(lat - $1) / 2), 2) +
	cos(radians($1)) * cos(radians(lat)) * power(sin(radians(lon - $2) / 2), 2)))))`

// pgBox filters on a bounding box first (the btree on lat, lon can serve it),
// then the exact distance; parameters $1 lat, $2 lon, $3 radius, $4..$7 box.
const pgBox = `lat BETWEEN $4 AND $5 AND lon BETWEEN $6 AND $7 AND ` + pgDistance + ` <= $3`

var (
	// Words only: relevance order, the total as Signpost reports it.
	sqlText = `SELECT id, ts_rank(tsv, q) AS rank, count(*) OVER () AS total
FROM services, websearch_to_tsquery('english', $1) AS q
WHERE tsv @@ q AND ` + pgStatus + `
ORDER BY rank DESC, id LIMIT 20`
	// Words and a place: relevance, then distance.
	sqlGeo = `SELECT id, ts_rank(tsv, q) AS rank, count(*) OVER () AS total
FROM services, websearch_to_tsquery('english', $8) AS q
WHERE tsv @@ q AND ` + pgStatus + ` AND ` + pgBox + `
ORDER BY rank DESC, ` + pgDistance + `, id LIMIT 20`
	// A category: in id order (Signpost: doc id order), and its facet counts.
	sqlFacet = `SELECT id, 0::real, count(*) OVER () AS total
FROM services WHERE needs @> ARRAY[$1::text] AND ` + pgStatus + `
ORDER BY id LIMIT 20`
	sqlFacetCounts = `SELECT n, count(*) FROM services, unnest(needs) AS n
WHERE needs @> ARRAY[$1::text] AND ` + pgStatus + `
GROUP BY n ORDER BY count(*) DESC, n LIMIT 40`
	// A category and a place: nearest first, and its facet counts.
	sqlFacetGeo = `SELECT id, 0::real, count(*) OVER () AS total
FROM services WHERE needs @> ARRAY[$8::text] AND ` + pgStatus + ` AND ` + pgBox + `
ORDER BY ` + pgDistance + `, id LIMIT 20`
	sqlFacetGeoCounts = `SELECT n, count(*) FROM services, unnest(needs) AS n
WHERE needs @> ARRAY[$8::text] AND ` + pgStatus + ` AND ` + pgBox + `
GROUP BY n ORDER BY count(*) DESC, n LIMIT 40`
)

// pgQuery is one query of the mix as SQL.
type pgQuery struct {
	sql, facetSQL string
	args          []any
}

func pgQueries(mix []benchQuery) ([]pgQuery, error) {
	oc, err := directory.BundledOutcodes()
	if err != nil {
		return nil, err
	}
	out := make([]pgQuery, len(mix))
	for i, m := range mix {
		var geo []any
		if m.Postcode != "" {
			pt, _, ok := oc.Lookup(m.Postcode)
			if !ok {
				return nil, fmt.Errorf("query %d: unknown postcode %q", i, m.Postcode)
			}
			r := float64(m.Proximity)
			dLat := r / 111195.0 * 1.001
			dLon := dLat / math.Cos(pt.Lat*math.Pi/180)
			geo = []any{pt.Lat, pt.Lon, r, pt.Lat - dLat, pt.Lat + dLat, pt.Lon - dLon, pt.Lon + dLon}
		}
		switch {
		case m.Class != classFacet && geo == nil:
			out[i] = pgQuery{sql: sqlText, args: []any{pgText(m.Q)}}
		case m.Class != classFacet:
			out[i] = pgQuery{sql: sqlGeo, args: append(geo, pgText(m.Q))}
		case geo == nil:
			out[i] = pgQuery{sql: sqlFacet, facetSQL: sqlFacetCounts, args: []any{m.Category}}
		default:
			out[i] = pgQuery{sql: sqlFacetGeo, facetSQL: sqlFacetGeoCounts, args: append(geo, m.Category)}
		}
	}
	return out, nil
}

// run runs one query and returns its total.
func (q pgQuery) run(ctx context.Context, conn *pgx.Conn) (int, error) {
	rows, err := conn.Query(ctx, q.sql, q.args...)
	if err != nil {
		return 0, err
	}
	total := 0
	for rows.Next() {
		var id string
		var rank float32
		var t int64
		if err := rows.Scan(&id, &rank, &t); err != nil {
			rows.Close()
			return 0, err
		}
		total = int(t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if q.facetSQL != "" {
		rows, err := conn.Query(ctx, q.facetSQL, q.args...)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var n string
			var c int64
			if err := rows.Scan(&n, &c); err != nil {
				rows.Close()
				return 0, err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	return total, nil
}

func runPGQuery(args []string) error {
	fs := flag.NewFlagSet("pgquery", flag.ContinueOnError)
	dsn := fs.String("dsn", "", "PostgreSQL connection string (127.0.0.1 only)")
	queries := fs.String("queries", "", "queries file (searchbench queries -o FILE)")
	rounds := fs.Int("rounds", 5, "rounds of the whole mix; the first is a warm-up and not counted")
	conc := fs.Int("concurrency", 8, "connections of the throughput run (0 skips it)")
	dur := fs.Duration("duration", 20*time.Second, "length of the throughput run")
	explain := fs.Bool("explain", false, "print EXPLAIN ANALYZE of the first query of each class")
	pgPID := fs.Int("pgpid", 0, "the postmaster's pid: report the PSS of it and its children at the end of the throughput run")
	resPath := fs.String("results", "", "append key value results to this file")
	perQuery := fs.String("perquery", "", "write each query's median time and results found to this file (TSV)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dsn == "" {
		return usageErr{fmt.Errorf("-dsn is required")}
	}
	if *rounds < 2 {
		return usageErr{fmt.Errorf("-rounds must be at least 2 (the first is a warm-up)")}
	}
	if err := checkLoopback(*dsn); err != nil {
		return err
	}
	mix, err := readMix(*queries)
	if err != nil {
		return err
	}
	qs, err := pgQueries(mix)
	if err != nil {
		return err
	}
	res := results{*resPath}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, *dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var rowsN int64
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM services").Scan(&rowsN); err != nil {
		return err
	}
	fmt.Printf("PostgreSQL: %d services, %d queries × %d rounds (first is warm-up), one connection\n", rowsN, len(mix), *rounds)
	run := func(c *pgx.Conn, i int) (int, error) {
		n, err := qs[i].run(ctx, c)
		if err != nil {
			return 0, fmt.Errorf("query %d (%s): %w", i, mix[i].describe(), err)
		}
		return n, nil
	}
	if *explain {
		seen := map[string]bool{}
		for i, m := range mix {
			key := m.Class + fmt.Sprint(m.Postcode != "")
			if seen[key] {
				continue
			}
			seen[key] = true
			fmt.Printf("EXPLAIN ANALYZE %s %s:\n", m.Class, m.describe())
			rows, err := conn.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+qs[i].sql, qs[i].args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					rows.Close()
					return err
				}
				fmt.Println("   ", line)
			}
			rows.Close()
		}
	}
	for i := range mix {
		if _, err := run(conn, i); err != nil {
			return err
		}
	}
	var ss []sample
	for round := 1; round < *rounds; round++ {
		for i, q := range mix {
			start := time.Now()
			hits, err := run(conn, i)
			d := time.Since(start)
			if err != nil {
				return err
			}
			ss = append(ss, sample{class: q.Class, query: i, d: d, hits: hits})
		}
	}
	printStats("PostgreSQL latency, one connection", "pg", ss, res)
	printSlowest(ss, mix, 8)
	if err := writePerQuery(*perQuery, ss, mix); err != nil {
		return err
	}

	if *conc > 0 {
		conns := make([]*pgx.Conn, *conc)
		for i := range conns {
			c, err := pgx.Connect(ctx, *dsn)
			if err != nil {
				return err
			}
			defer c.Close(ctx)
			conns[i] = c
		}
		qps, err := throughput(*conc, *dur, len(mix), func(w, i int) error { _, err := run(conns[w], i); return err })
		if err != nil {
			return err
		}
		fmt.Printf("PostgreSQL throughput: %d connections for %s: %.0f queries/s\n", *conc, *dur, qps)
		res.put("pg_qps", qps)
		if *pgPID > 0 { // while the connections are still open
			pss, procs := pssTree(*pgPID)
			fmt.Printf("PostgreSQL memory: PSS of %d processes (postmaster, %d backends and helpers) %.0f MiB\n", procs, procs-1, pss/1024)
			res.put("pg_pss_kb", pss)
		}
	}
	return nil
}

// pssTree sums the proportional set size (kB) of a process and its children,
// so that shared buffers count once however many backends map them.
func pssTree(pid int) (float64, int) {
	pids := []int{pid}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if procStatus(child, "PPid") == float64(pid) {
			pids = append(pids, child)
		}
	}
	var total float64
	n := 0
	for _, p := range pids {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", p))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			if rest, ok := strings.CutPrefix(line, "Pss:"); ok {
				if f := strings.Fields(rest); len(f) > 0 {
					if v, err := strconv.ParseFloat(f[0], 64); err == nil {
						total += v
						n++
					}
				}
			}
		}
	}
	return total, n
}
