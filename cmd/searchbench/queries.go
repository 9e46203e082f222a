package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/signpost-uk/signpost/directory/refdata"
	"github.com/signpost-uk/signpost/search"
)

// Query classes of the mix.
const (
	classText  = "text"  // lay words only
	classGeo   = "geo"   // lay words and a postcode
	classFacet = "facet" // a needs category, sometimes with a postcode
)

// Sizes of the mix: 80 + 80 + 40 = 200 queries.
const (
	nText  = 80
	nGeo   = 80
	nFacet = 40
	// proximity is the radius of every query with a place, in metres.
	proximity = 10000
)

// benchQuery is one query of the mix, as written to the queries file.
type benchQuery struct {
	Class     string `json:"class"`
	Q         string `json:"q,omitempty"`
	Postcode  string `json:"postcode,omitempty"`
	Proximity int    `json:"proximity,omitempty"`
	Category  string `json:"category,omitempty"`
}

func (q benchQuery) describe() string {
	var parts []string
	if q.Q != "" {
		parts = append(parts, strconv.Quote(q.Q))
	}
	if q.Category != "" {
		parts = append(parts, "category="+q.Category)
	}
	if q.Postcode != "" {
		parts = append(parts, fmt.Sprintf("near %s (%d m)", q.Postcode, q.Proximity))
	}
	return strings.Join(parts, " ")
}

// pagePath is the query as the public search page's address.
func (q benchQuery) pagePath() string {
	return "/" + strings.TrimPrefix(q.path(), "/api/search")
}

// path is the query as a GET /api/search path.
func (q benchQuery) path() string {
	v := url.Values{}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	if q.Category != "" {
		v.Set("category", q.Category)
	}
	if q.Postcode != "" {
		v.Set("postcode", q.Postcode)
		v.Set("proximity", strconv.Itoa(q.Proximity))
	}
	return "/api/search?" + v.Encode()
}

// layPhrases are what people type into a social prescribing directory:
// everyday words, a few sentences, and typos (the last block), some of which
// Signpost's spelling list corrects and some only its fuzzy matching finds.
var layPhrases = []string{
	"lonely", "money worries", "walking group", "food bank", "carers support", "dementia cafe",
	"low mood", "debt advice", "new mum", "men's shed", "bereavement", "stop smoking", "yoga", "choir",
	"coffee morning", "lunch club", "cant pay rent", "benefits advice", "universal credit", "housing advice",
	"homeless", "cold home", "mental health", "anxiety", "counselling", "peer support", "mindfulness",
	"lose weight", "chair exercise", "dance class", "swimming", "gardening", "allotment", "art group",
	"knit and natter", "book club", "digital skills", "computer help", "english classes", "volunteering",
	"job club", "parent and toddler", "youth club", "young carers", "autism support", "learning disability",
	"hearing loss", "sight loss", "diabetes", "chronic pain", "cancer support", "stroke club", "alcohol",
	"gambling", "domestic abuse", "veterans", "lgbt group", "refugee", "someone to talk to",
	"something for my dad with dementia",
	// typos
	"befrending", "excercise", "lonliness", "dimentia", "gardenning", "volunteerng", "councelling", "anxeity",
}

// englishAreas are the postcode areas in England the corpus places services in
// (CH and SY, which straddle the Welsh border, are left out).
var englishAreas = strings.Fields(`AL B BA BB BD BH BL BN BR BS CA CB CM CO CR CT CV CW DA DE DH DL DN DT DY E EC
	EN EX FY GL GU HA HD HG HP HR HU HX IG IP KT L LA LE LN LS LU M ME MK N NE NG NN NR NW OL OX PE PL PO PR
	RG RH RM S SE SG SK SL SM SN SO SP SR SS ST SW TA TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO`)

var outcodeRE = regexp.MustCompile(`^([A-Z]{1,2})([0-9][0-9A-Z]?)$`)

// englishOutcodes are the English postcode districts of the bundled centroid
// table, in the table's order.
func englishOutcodes() []string {
	areas := map[string]bool{}
	for _, a := range englishAreas {
		areas[a] = true
	}
	var out []string
	for _, line := range strings.Split(string(refdata.OutcodesCSV), "\n") {
		f := strings.Split(strings.TrimSpace(line), ",")
		if len(f) != 3 {
			continue
		}
		m := outcodeRE.FindStringSubmatch(f[0])
		if m == nil || !areas[m[1]] || m[2] == "99" {
			continue
		}
		lat, err1 := strconv.ParseFloat(f[1], 64)
		lon, err2 := strconv.ParseFloat(f[2], 64)
		if err1 != nil || err2 != nil || lat < 49.85 || lat > 55.85 || lon < -6.45 || lon > 1.75 {
			continue
		}
		out = append(out, f[0])
	}
	return out
}

// needCategories are the top-level terms of Signpost's needs taxonomy.
func needCategories() ([]string, error) {
	v, err := search.DefaultVocab()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range v.Needs {
		if n.Parent == "" {
			out = append(out, n.ID)
		}
	}
	return out, nil
}

// makeMix builds the fixed query mix; it is the same on every run.
func makeMix() ([]benchQuery, error) {
	r := rand.New(rand.NewPCG(1, 2))
	outcodes := englishOutcodes()
	if len(outcodes) == 0 {
		return nil, fmt.Errorf("no English outcodes in the bundled table")
	}
	cats, err := needCategories()
	if err != nil {
		return nil, err
	}
	postcode := func() string {
		// A full postcode in the district; only the district is looked up.
		return outcodes[r.IntN(len(outcodes))] + " 1AA"
	}
	phrases := func(n int) []string {
		var out []string
		for len(out) < n {
			for _, i := range r.Perm(len(layPhrases)) {
				if len(out) < n {
					out = append(out, layPhrases[i])
				}
			}
		}
		return out
	}
	var mix []benchQuery
	for _, p := range phrases(nText) {
		mix = append(mix, benchQuery{Class: classText, Q: p})
	}
	for _, p := range phrases(nGeo) {
		mix = append(mix, benchQuery{Class: classGeo, Q: p, Postcode: postcode(), Proximity: proximity})
	}
	for i := 0; i < nFacet; i++ {
		q := benchQuery{Class: classFacet, Category: cats[(i*7)%len(cats)]}
		if i%2 == 1 {
			q.Postcode, q.Proximity = postcode(), proximity
		}
		mix = append(mix, q)
	}
	// Interleave the classes so that no class runs only warm or only cold.
	r.Shuffle(len(mix), func(i, j int) { mix[i], mix[j] = mix[j], mix[i] })
	return mix, nil
}

func runQueries(args []string) error {
	fs := flag.NewFlagSet("queries", flag.ContinueOnError)
	out := fs.String("o", "", "output file (default standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	mix, err := makeMix()
	if err != nil {
		return err
	}
	w := os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, q := range mix {
		if err := enc.Encode(q); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if *out != "" {
		fmt.Fprintf(os.Stderr, "wrote %d queries to %s\n", len(mix), *out)
		return w.Close()
	}
	return nil
}

func readMix(path string) ([]benchQuery, error) {
	if path == "" {
		return nil, usageErr{fmt.Errorf("-queries FILE is required (write one with: searchbench queries -o FILE)")}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var mix []benchQuery
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var q benchQuery
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		switch q.Class {
		case classText, classGeo, classFacet:
		default:
			return nil, fmt.Errorf("%s line %d: unknown class %q", path, n, q.Class)
		}
		mix = append(mix, q)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(mix) == 0 {
		return nil, fmt.Errorf("%s holds no queries", path)
	}
	return mix, nil
}

func runURLs(args []string) error {
	fs := flag.NewFlagSet("urls", flag.ContinueOnError)
	queries := fs.String("queries", "", "queries file")
	pages := fs.Bool("pages", false, "the public search page's addresses (/?q=…) instead of /api/search")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	mix, err := readMix(*queries)
	if err != nil {
		return err
	}
	for _, q := range mix {
		if *pages {
			fmt.Println(q.pagePath())
		} else {
			fmt.Println(q.path())
		}
	}
	return nil
}
