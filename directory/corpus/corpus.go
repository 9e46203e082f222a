// Package corpus generates large, realistic ORUK v1 service feeds for
// benchmarks and load tests of the importer, the store and the search API.
//
// The vocabulary comes from the real North Lincolnshire Council feed and the
// UK postcode district centroids embedded in package refdata: service and
// organisation names, description sentences, target audiences and outcodes are
// recombined with a hard-coded table of English postcode areas and their
// towns, so that a corpus of any size reads like a national directory of
// community services spread across England. Enum fields carry the mix of
// spellings, nulls and out-of-vocabulary values real feeds send, descriptions
// are sometimes HTML, and some locations have only a postcode, so that the
// importer's cleaning paths are exercised at scale.
//
// Output is a deterministic function of (n, seed): every service draws from
// its own random stream seeded from the seed and its index, so services can be
// generated in parallel while the bytes stay the same.
package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"math"
	"math/rand/v2"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/signpost-uk/signpost/directory/refdata"
)

// Generate writes a JSON array of n ORUK v1 services to w. The same n and seed give the same bytes.
func Generate(w io.Writer, n int, seed int64) error {
	if n < 0 {
		return fmt.Errorf("corpus: negative service count %d", n)
	}
	v, err := loadVocab()
	if err != nil {
		return err
	}
	orgs := makeOrgs(v, n, seed)

	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := bw.WriteString("["); err != nil {
		return err
	}
	if err := generateChunks(bw, v, orgs, n, seed); err != nil {
		return err
	}
	if _, err := bw.WriteString("\n]\n"); err != nil {
		return err
	}
	return bw.Flush()
}

// chunkSize is the number of services a worker encodes into one buffer.
const chunkSize = 256

type chunkResult struct {
	buf *bytes.Buffer
	err error
}

// generateChunks encodes services [0, n) in chunks on several goroutines and
// writes the chunks to w in order.
func generateChunks(w io.Writer, v *vocab, orgs []*organization, n int, seed int64) error {
	if n == 0 {
		return nil
	}
	chunks := (n + chunkSize - 1) / chunkSize
	workers := min(runtime.GOMAXPROCS(0), 8, chunks)

	type job struct {
		start, end int
		out        chan chunkResult
	}
	jobs := make(chan job)
	queue := make(chan chan chunkResult, 2*workers)
	done := make(chan struct{})
	bufs := sync.Pool{New: func() any { return new(bytes.Buffer) }}

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := newGenerator(v, orgs, seed)
			for j := range jobs {
				buf := bufs.Get().(*bytes.Buffer)
				buf.Reset()
				err := g.encodeRange(buf, j.start, j.end)
				j.out <- chunkResult{buf, err}
			}
		}()
	}
	go func() {
		defer close(queue)
		defer close(jobs)
		for c := range chunks {
			out := make(chan chunkResult, 1)
			select {
			case jobs <- job{c * chunkSize, min((c+1)*chunkSize, n), out}:
			case <-done:
				return
			}
			select {
			case queue <- out:
			case <-done:
				return
			}
		}
	}()

	var err error
	for out := range queue {
		res := <-out
		if err == nil {
			err = res.err
			if err == nil {
				_, err = w.Write(res.buf.Bytes())
			}
			if err != nil {
				close(done)
			}
		}
		bufs.Put(res.buf)
	}
	wg.Wait()
	return err
}

// --- reference vocabulary -------------------------------------------------

// Markers that stand for the service's town and local authority inside text
// taken from the North Lincolnshire feed.
const (
	markTown = '\x00'
	markArea = '\x01'
)

type outcode struct {
	code             string
	latMicro, lonMic int64 // centroid in millionths of a degree
	cosMilli         int64 // cos(latitude) × 1000, for longitude jitter
	area             *area
	town             string
}

type audience struct {
	path  string     // canonical "Parents>Grandparents"
	terms []taxonomy // root first
}

type vocab struct {
	serviceNames []string   // real names, place names replaced by markers
	orgNames     []string   // real organisation names, with markers
	orgDescs     []string   // real non-empty organisation descriptions, with markers
	docs         [][]string // sentences of each real description, with markers
	sentences    []string   // all sentences
	words        []string   // activity words from real service names
	audiences    []audience
	outcodes     []outcode
	areaOutcodes map[*area][]int
}

var (
	vocabOnce sync.Once
	vocabData *vocab
	vocabErr  error
)

func loadVocab() (*vocab, error) {
	vocabOnce.Do(func() { vocabData, vocabErr = buildVocab() })
	return vocabData, vocabErr
}

type realService struct {
	Name         string `json:"name"`
	Description  string `json:"description"`
	Organization struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"organization"`
	Audience []struct {
		AudienceType string `json:"audienceType"`
	} `json:"pc_targetAudience"`
}

// localPlaceRE matches North Lincolnshire place names in the real feed, so
// that generated text names the service's own town instead.
var localPlaceRE = regexp.MustCompile(`\b(North Lincolnshire|North Lincs|Scunthorpe|Brigg|Barton[- ][Uu]pon[- ]Humber|Barton|Epworth|Crowle|Bottesford|Winterton|Kirton[- ]in[- ]Lindsey|Ashby|Messingham|Broughton|Burringham|Barnetby|Belton|Bonby)\b`)

func markPlaces(s string) string {
	return localPlaceRE.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "North Lin") {
			return string(markArea)
		}
		return string(markTown)
	})
}

var (
	blockEndRE = regexp.MustCompile(`(?i)</(p|li|h[1-6]|div|ul|ol|tr)>|<br\s*/?>`)
	tagRE      = regexp.MustCompile(`<[^>]*>`)
	spaceRE    = regexp.MustCompile(`[ \t\p{Zs}\x{200b}]+`)
	digitRunRE = regexp.MustCompile(`\d[\d ]{4,}\d`)
)

// stripHTML turns a real description into lines of plain text.
func stripHTML(s string) []string {
	s = strings.ReplaceAll(s, `\n`, "\n")
	s = blockEndRE.ReplaceAllString(s, "\n")
	s = tagRE.ReplaceAllString(s, " ")
	s = html.UnescapeString(s)
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(spaceRE.ReplaceAllString(l, " ")); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// splitSentences splits a line after '.', '!' or '?' followed by a space and
// an upper-case letter.
func splitSentences(line string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(line); i++ {
		c := line[i]
		if (c == '.' || c == '!' || c == '?') && line[i+1] == ' ' && line[i+2] >= 'A' && line[i+2] <= 'Z' {
			out = append(out, line[start:i+1])
			start = i + 2
		}
	}
	return append(out, line[start:])
}

// goodSentence keeps prose sentences and drops contact details, links and
// fragments such as list items.
func goodSentence(s string) bool {
	if len(s) < 25 || len(s) > 300 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	if last := s[len(s)-1]; last != '.' && last != '!' && last != '?' {
		return false
	}
	lower := strings.ToLower(s)
	for _, bad := range []string{"@", "http", "www.", ".co.uk", ".org", ".com", "click", "below", "above", "this page"} {
		if strings.Contains(lower, bad) {
			return false
		}
	}
	return !digitRunRE.MatchString(s)
}

var nameStopWords = map[string]bool{
	"with": true, "from": true, "that": true, "this": true, "your": true, "and": true, "the": true, "for": true,
	"group": true, "club": true, "session": true, "sessions": true, "support": true, "service": true, "services": true,
	"north": true, "lincolnshire": true, "lincs": true, "humber": true, "upon": true, "council": true, "library": true,
	"afternoon": true, "evening": true, "morning": true, "monday": true, "tuesday": true, "wednesday": true,
	"thursday": true, "friday": true, "saturday": true, "sunday": true, "april": true, "march": true, "june": true,
	"july": true, "may": true, "christmas": true, "easter": true, "halloween": true, "films": true, "show": true,
}

// vagueWords are words of real service names that make poor activity names.
var vagueWords = map[string]bool{
	"something": true, "different": true, "short": true, "just": true, "over": true, "around": true, "here": true,
	"welcome": true, "line": true, "iron": true, "live": true, "little": true, "local": true, "free": true, "general": true,
	"independent": true, "central": true, "monthly": true, "national": true, "personal": true, "safe": true, "stop": true,
	"stay": true, "face": true, "read": true, "well": true, "living": true, "later": true, "life": true, "matters": true,
	"beyond": true, "noise": true, "home": true, "town": true, "road": true, "street": true, "district": true, "mark": true,
	"hang": true, "changing": true, "minds": true, "connect": true, "action": true, "only": true, "first": true, "night": true,
	"team": true, "centre": true, "groups": true, "venues": true, "market": true, "village": true, "hall": true, "park": true,
	"church": true, "care": true, "child": true, "children": true, "adult": true, "adults": true, "friends": true, "band": true,
	"class": true, "course": true, "lessons": true, "programme": true, "workshops": true, "workshop": true, "classes": true,
	"based": true, "love": true, "kids": true, "parent": true, "flight": true, "development": true, "foundation": true,
	"society": true, "association": true, "studio": true, "lodge": true, "shop": true, "pods": true, "wire": true,
	"table": true, "board": true, "drop": true, "mini": true, "gold": true, "silver": true, "space": true, "meeting": true,
	"friendly": true, "mind": true, "chair": true, "weight": true, "card": true, "medicine": true, "supervision": true,
	"movement": true, "makers": true, "young": true, "information": true, "education": true, "school": true,
	"armed": true, "mental": true, "bell": true,
}

func buildVocab() (*vocab, error) {
	var real []realService
	if err := json.Unmarshal(refdata.NorthLincsServices, &real); err != nil {
		return nil, fmt.Errorf("corpus: reading the North Lincolnshire feed: %w", err)
	}
	if len(real) == 0 {
		return nil, errors.New("corpus: the North Lincolnshire feed is empty")
	}
	v := &vocab{areaOutcodes: map[*area][]int{}}

	seenName, seenOrg, seenOrgDesc, seenSentence := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	wordCount := map[string]int{}
	var wordOrder []string
	audienceByID := map[string]int{}
	termName := map[string]string{}
	for _, r := range real {
		if name := strings.TrimSpace(spaceRE.ReplaceAllString(r.Name, " ")); name != "" && !seenName[name] {
			seenName[name] = true
			v.serviceNames = append(v.serviceNames, markPlaces(name))
			for _, w := range strings.FieldsFunc(name, func(c rune) bool { return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') }) {
				if len(w) < 4 || w[0] < 'A' || w[0] > 'Z' || nameStopWords[strings.ToLower(w)] || localPlaceRE.MatchString(w) || strings.ToLower(w[1:]) != w[1:] {
					continue
				}
				if wordCount[w] == 0 {
					wordOrder = append(wordOrder, w)
				}
				wordCount[w]++
			}
		}
		if org := strings.TrimSpace(spaceRE.ReplaceAllString(r.Organization.Name, " ")); org != "" && !seenOrg[org] {
			seenOrg[org] = true
			v.orgNames = append(v.orgNames, markPlaces(org))
		}
		if d := strings.Join(stripHTML(r.Organization.Description), " "); len(d) >= 40 && !seenOrgDesc[d] && !strings.Contains(d, "@") && !strings.Contains(d, "http") && !digitRunRE.MatchString(d) {
			seenOrgDesc[d] = true
			v.orgDescs = append(v.orgDescs, markPlaces(d))
		}
		var doc []string
		for _, line := range stripHTML(r.Description) {
			for _, s := range splitSentences(line) {
				if s = strings.TrimSpace(s); goodSentence(s) && !seenSentence[s] {
					seenSentence[s] = true
					doc = append(doc, markPlaces(s))
				}
			}
		}
		if len(doc) > 0 {
			v.docs = append(v.docs, doc)
			v.sentences = append(v.sentences, doc...)
		}
		for _, a := range r.Audience {
			var names []string
			for _, part := range strings.Split(a.AudienceType, ">") {
				if p := strings.TrimSpace(spaceRE.ReplaceAllString(part, " ")); p != "" {
					names = append(names, p)
				}
			}
			if len(names) == 0 {
				continue
			}
			var terms []taxonomy
			parent := ""
			for _, name := range names {
				id := "target_audience:" + slug(name)
				if parent != "" {
					id = parent + "/" + slug(name)
				}
				if canon, ok := termName[id]; ok {
					name = canon // one spelling per term id
				} else {
					termName[id] = name
				}
				terms = append(terms, taxonomy{ID: id, Name: name, Vocabulary: "target_audience", Parent: parent})
				parent = id
			}
			leaf := terms[len(terms)-1].ID
			if _, ok := audienceByID[leaf]; ok {
				continue
			}
			audienceByID[leaf] = len(v.audiences)
			path := make([]string, len(terms))
			for i, t := range terms {
				path[i] = t.Name
			}
			v.audiences = append(v.audiences, audience{path: strings.Join(path, ">"), terms: terms})
		}
	}
	// Activity words: those the real descriptions also use in lower case
	// ("walking", "bingo"), which leaves out people's and places' names.
	lowerCount := map[string]int{}
	for _, r := range real {
		for _, line := range stripHTML(r.Description) {
			for _, field := range strings.Fields(line) {
				if strings.ContainsAny(field, "@/") || strings.Contains(field, "www") {
					continue // addresses spell names in lower case
				}
				for _, w := range strings.FieldsFunc(field, func(c rune) bool { return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') }) {
					if w[0] >= 'a' && w[0] <= 'z' {
						lowerCount[w]++
					}
				}
			}
		}
	}
	for _, w := range wordOrder {
		if l := strings.ToLower(w); wordCount[w] >= 2 && lowerCount[l] >= 2 && !vagueWords[l] {
			v.words = append(v.words, w)
		}
	}
	if len(v.serviceNames) == 0 || len(v.orgNames) == 0 || len(v.docs) == 0 || len(v.words) == 0 || len(v.audiences) == 0 {
		return nil, errors.New("corpus: the North Lincolnshire feed gave too little vocabulary")
	}
	if err := v.loadOutcodes(); err != nil {
		return nil, err
	}
	return v, nil
}

// slug matches the importer's target audience term ids: "LGBTQ+ " → "lgbtq".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

var outcodeRE = regexp.MustCompile(`^([A-Z]{1,2})([0-9][0-9A-Z]?)$`)

func (v *vocab) loadOutcodes() error {
	areas := map[string]*area{}
	for i := range englishAreas {
		areas[englishAreas[i].code] = &englishAreas[i]
	}
	lines := strings.Split(strings.ReplaceAll(string(refdata.OutcodesCSV), "\r\n", "\n"), "\n")
	for _, line := range lines[1:] {
		f := strings.Split(line, ",")
		if len(f) != 3 {
			continue
		}
		code := strings.TrimSpace(f[0])
		m := outcodeRE.FindStringSubmatch(code)
		if m == nil {
			continue
		}
		a := areas[m[1]]
		district := m[2]
		if a == nil || district == "99" || !a.hasDistrict(district) {
			continue
		}
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(f[1]), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(f[2]), 64)
		// Inside England with a margin for the jitter.
		if err1 != nil || err2 != nil || lat < 49.85 || lat > 55.85 || lon < -6.45 || lon > 1.75 {
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(code))
		v.areaOutcodes[a] = append(v.areaOutcodes[a], len(v.outcodes))
		v.outcodes = append(v.outcodes, outcode{
			code:     code,
			latMicro: int64(math.Round(lat * 1e6)),
			lonMic:   int64(math.Round(lon * 1e6)),
			cosMilli: int64(math.Round(math.Cos(lat*math.Pi/180) * 1000)),
			area:     a,
			town:     a.towns[h.Sum32()%uint32(len(a.towns))],
		})
	}
	if len(v.outcodes) == 0 {
		return errors.New("corpus: no English outcodes in the postcode table")
	}
	return nil
}

// --- English postcode areas -------------------------------------------------

type area struct {
	code     string
	county   string
	dialCode string
	towns    []string
	// districts, when set, limits the area to these districts (areas that
	// straddle the Welsh border or hold non-geographic districts).
	districts []string
}

func (a *area) hasDistrict(d string) bool {
	if a.districts == nil {
		return true
	}
	for _, x := range a.districts {
		if x == d {
			return true
		}
	}
	return false
}

// authority is the local-authority-ish name for text that said "North Lincolnshire".
func (a *area) authority(town string) string {
	if a.county == "Greater London" {
		return town
	}
	return a.county
}

func t(s string) []string { return strings.Split(s, "|") }

// englishAreas lists the postcode areas in England (Welsh and Scottish areas
// are left out, and CH and SY keep only their English districts), each with
// its county, a dialling code and a few real towns.
var englishAreas = []area{
	{code: "AL", county: "Hertfordshire", dialCode: "01727", towns: t("St Albans|Hatfield|Harpenden|Welwyn Garden City")},
	{code: "B", county: "West Midlands", dialCode: "0121", towns: t("Birmingham|Sutton Coldfield|Solihull|Redditch|Smethwick")},
	{code: "BA", county: "Somerset", dialCode: "01225", towns: t("Bath|Frome|Yeovil|Wells|Shepton Mallet")},
	{code: "BB", county: "Lancashire", dialCode: "01254", towns: t("Blackburn|Burnley|Accrington|Nelson|Clitheroe")},
	{code: "BD", county: "West Yorkshire", dialCode: "01274", towns: t("Bradford|Keighley|Shipley|Skipton|Bingley")},
	{code: "BH", county: "Dorset", dialCode: "01202", towns: t("Bournemouth|Poole|Christchurch|Ringwood|Wimborne")},
	{code: "BL", county: "Greater Manchester", dialCode: "01204", towns: t("Bolton|Bury|Horwich|Ramsbottom")},
	{code: "BN", county: "Sussex", dialCode: "01273", towns: t("Brighton|Hove|Eastbourne|Worthing|Lewes|Littlehampton")},
	{code: "BR", county: "Greater London", dialCode: "020", towns: t("Bromley|Orpington|Beckenham")},
	{code: "BS", county: "Bristol", dialCode: "0117", towns: t("Bristol|Weston-super-Mare|Clevedon|Portishead")},
	{code: "CA", county: "Cumbria", dialCode: "01228", towns: t("Carlisle|Penrith|Workington|Whitehaven|Keswick")},
	{code: "CB", county: "Cambridgeshire", dialCode: "01223", towns: t("Cambridge|Ely|Haverhill|Saffron Walden")},
	{code: "CH", county: "Cheshire", dialCode: "01244", towns: t("Chester|Birkenhead|Ellesmere Port|Wallasey"),
		districts: t("1|2|3|4|41|42|43|44|45|46|47|48|49|60|61|62|63|64|65|66")},
	{code: "CM", county: "Essex", dialCode: "01245", towns: t("Chelmsford|Harlow|Braintree|Brentwood|Maldon")},
	{code: "CO", county: "Essex", dialCode: "01206", towns: t("Colchester|Clacton-on-Sea|Sudbury|Harwich")},
	{code: "CR", county: "Greater London", dialCode: "020", towns: t("Croydon|Purley|Coulsdon")},
	{code: "CT", county: "Kent", dialCode: "01227", towns: t("Canterbury|Margate|Ramsgate|Dover|Folkestone|Whitstable")},
	{code: "CV", county: "Warwickshire", dialCode: "024", towns: t("Coventry|Nuneaton|Rugby|Warwick|Leamington Spa")},
	{code: "CW", county: "Cheshire", dialCode: "01270", towns: t("Crewe|Northwich|Nantwich|Winsford")},
	{code: "DA", county: "Kent", dialCode: "01322", towns: t("Dartford|Bexleyheath|Gravesend|Sidcup")},
	{code: "DE", county: "Derbyshire", dialCode: "01332", towns: t("Derby|Burton upon Trent|Matlock|Ilkeston|Swadlincote")},
	{code: "DH", county: "County Durham", dialCode: "0191", towns: t("Durham|Chester-le-Street|Stanley|Consett")},
	{code: "DL", county: "County Durham", dialCode: "01325", towns: t("Darlington|Bishop Auckland|Northallerton|Richmond|Newton Aycliffe")},
	{code: "DN", county: "Lincolnshire", dialCode: "01302", towns: t("Doncaster|Scunthorpe|Grimsby|Brigg|Gainsborough|Goole")},
	{code: "DT", county: "Dorset", dialCode: "01305", towns: t("Dorchester|Weymouth|Bridport|Sherborne")},
	{code: "DY", county: "West Midlands", dialCode: "01384", towns: t("Dudley|Kidderminster|Stourbridge|Halesowen")},
	{code: "E", county: "Greater London", dialCode: "020", towns: t("Hackney|Stratford|Walthamstow|Leyton|Bethnal Green|Poplar")},
	{code: "EC", county: "Greater London", dialCode: "020", towns: t("City of London|Clerkenwell|Farringdon")},
	{code: "EN", county: "Hertfordshire", dialCode: "01992", towns: t("Enfield|Barnet|Cheshunt|Hertford|Potters Bar")},
	{code: "EX", county: "Devon", dialCode: "01392", towns: t("Exeter|Barnstaple|Exmouth|Tiverton|Bideford|Okehampton")},
	{code: "FY", county: "Lancashire", dialCode: "01253", towns: t("Blackpool|Fleetwood|Lytham St Annes|Thornton-Cleveleys")},
	{code: "GL", county: "Gloucestershire", dialCode: "01452", towns: t("Gloucester|Cheltenham|Stroud|Cirencester|Tewkesbury")},
	{code: "GU", county: "Surrey", dialCode: "01483", towns: t("Guildford|Woking|Farnborough|Aldershot|Farnham|Camberley")},
	{code: "HA", county: "Greater London", dialCode: "020", towns: t("Harrow|Wembley|Ruislip|Pinner")},
	{code: "HD", county: "West Yorkshire", dialCode: "01484", towns: t("Huddersfield|Holmfirth|Marsden")},
	{code: "HG", county: "North Yorkshire", dialCode: "01423", towns: t("Harrogate|Ripon|Knaresborough")},
	{code: "HP", county: "Buckinghamshire", dialCode: "01494", towns: t("High Wycombe|Aylesbury|Hemel Hempstead|Amersham|Chesham|Berkhamsted")},
	{code: "HR", county: "Herefordshire", dialCode: "01432", towns: t("Hereford|Leominster|Ross-on-Wye|Ledbury")},
	{code: "HU", county: "East Riding of Yorkshire", dialCode: "01482", towns: t("Hull|Beverley|Hessle|Cottingham")},
	{code: "HX", county: "West Yorkshire", dialCode: "01422", towns: t("Halifax|Brighouse|Sowerby Bridge")},
	{code: "IG", county: "Greater London", dialCode: "020", towns: t("Ilford|Barking|Woodford Green")},
	{code: "IP", county: "Suffolk", dialCode: "01473", towns: t("Ipswich|Bury St Edmunds|Felixstowe|Stowmarket|Woodbridge")},
	{code: "KT", county: "Surrey", dialCode: "020", towns: t("Kingston upon Thames|Epsom|Walton-on-Thames|Leatherhead|Surbiton")},
	{code: "L", county: "Merseyside", dialCode: "0151", towns: t("Liverpool|Bootle|Huyton|Kirkby|Crosby")},
	{code: "LA", county: "Lancashire", dialCode: "01524", towns: t("Lancaster|Morecambe|Kendal|Barrow-in-Furness|Ulverston")},
	{code: "LE", county: "Leicestershire", dialCode: "0116", towns: t("Leicester|Loughborough|Hinckley|Market Harborough|Melton Mowbray")},
	{code: "LN", county: "Lincolnshire", dialCode: "01522", towns: t("Lincoln|Louth|Horncastle|Market Rasen")},
	{code: "LS", county: "West Yorkshire", dialCode: "0113", towns: t("Leeds|Wetherby|Otley|Pudsey|Morley")},
	{code: "LU", county: "Bedfordshire", dialCode: "01582", towns: t("Luton|Dunstable|Leighton Buzzard")},
	{code: "M", county: "Greater Manchester", dialCode: "0161", towns: t("Manchester|Salford|Stretford|Didsbury|Wythenshawe")},
	{code: "ME", county: "Kent", dialCode: "01622", towns: t("Maidstone|Chatham|Sittingbourne|Gillingham|Rochester")},
	{code: "MK", county: "Buckinghamshire", dialCode: "01908", towns: t("Milton Keynes|Bedford|Newport Pagnell|Olney")},
	{code: "N", county: "Greater London", dialCode: "020", towns: t("Islington|Tottenham|Finchley|Wood Green|Haringey")},
	{code: "NE", county: "Tyne and Wear", dialCode: "0191", towns: t("Newcastle upon Tyne|Gateshead|South Shields|Hexham|Morpeth|Blyth")},
	{code: "NG", county: "Nottinghamshire", dialCode: "0115", towns: t("Nottingham|Mansfield|Newark-on-Trent|Grantham|Beeston")},
	{code: "NN", county: "Northamptonshire", dialCode: "01604", towns: t("Northampton|Kettering|Corby|Wellingborough|Daventry")},
	{code: "NR", county: "Norfolk", dialCode: "01603", towns: t("Norwich|Great Yarmouth|Cromer|Lowestoft|Dereham")},
	{code: "NW", county: "Greater London", dialCode: "020", towns: t("Camden|Kilburn|Hendon|Willesden")},
	{code: "OL", county: "Greater Manchester", dialCode: "0161", towns: t("Oldham|Rochdale|Ashton-under-Lyne|Todmorden")},
	{code: "OX", county: "Oxfordshire", dialCode: "01865", towns: t("Oxford|Banbury|Bicester|Witney|Abingdon")},
	{code: "PE", county: "Cambridgeshire", dialCode: "01733", towns: t("Peterborough|King's Lynn|Boston|Spalding|Huntingdon|Stamford")},
	{code: "PL", county: "Devon", dialCode: "01752", towns: t("Plymouth|Tavistock|Liskeard|Bodmin|St Austell")},
	{code: "PO", county: "Hampshire", dialCode: "023", towns: t("Portsmouth|Chichester|Havant|Newport|Bognor Regis|Fareham")},
	{code: "PR", county: "Lancashire", dialCode: "01772", towns: t("Preston|Chorley|Southport|Leyland")},
	{code: "RG", county: "Berkshire", dialCode: "0118", towns: t("Reading|Basingstoke|Newbury|Wokingham|Bracknell")},
	{code: "RH", county: "Surrey", dialCode: "01737", towns: t("Redhill|Crawley|Horsham|Reigate|Haywards Heath")},
	{code: "RM", county: "Essex", dialCode: "01708", towns: t("Romford|Dagenham|Grays|Hornchurch")},
	{code: "S", county: "South Yorkshire", dialCode: "0114", towns: t("Sheffield|Rotherham|Barnsley|Chesterfield|Worksop")},
	{code: "SE", county: "Greater London", dialCode: "020", towns: t("Lewisham|Greenwich|Peckham|Woolwich|Bermondsey")},
	{code: "SG", county: "Hertfordshire", dialCode: "01438", towns: t("Stevenage|Hitchin|Letchworth Garden City|Biggleswade|Royston")},
	{code: "SK", county: "Cheshire", dialCode: "0161", towns: t("Stockport|Macclesfield|Buxton|Glossop|Hyde")},
	{code: "SL", county: "Berkshire", dialCode: "01753", towns: t("Slough|Maidenhead|Windsor|Marlow")},
	{code: "SM", county: "Greater London", dialCode: "020", towns: t("Sutton|Morden|Carshalton")},
	{code: "SN", county: "Wiltshire", dialCode: "01793", towns: t("Swindon|Chippenham|Trowbridge|Devizes|Marlborough")},
	{code: "SO", county: "Hampshire", dialCode: "023", towns: t("Southampton|Winchester|Eastleigh|Romsey")},
	{code: "SP", county: "Wiltshire", dialCode: "01722", towns: t("Salisbury|Andover|Amesbury")},
	{code: "SR", county: "Tyne and Wear", dialCode: "0191", towns: t("Sunderland|Seaham|Houghton-le-Spring")},
	{code: "SS", county: "Essex", dialCode: "01702", towns: t("Southend-on-Sea|Basildon|Rayleigh|Canvey Island")},
	{code: "ST", county: "Staffordshire", dialCode: "01782", towns: t("Stoke-on-Trent|Stafford|Newcastle-under-Lyme|Leek|Stone")},
	{code: "SW", county: "Greater London", dialCode: "020", towns: t("Wandsworth|Brixton|Putney|Clapham|Wimbledon")},
	{code: "SY", county: "Shropshire", dialCode: "01743", towns: t("Shrewsbury|Oswestry|Ludlow|Whitchurch"),
		districts: t("1|2|3|4|5|6|7|8|9|10|11|12|13|14")},
	{code: "TA", county: "Somerset", dialCode: "01823", towns: t("Taunton|Bridgwater|Minehead|Chard")},
	{code: "TF", county: "Shropshire", dialCode: "01952", towns: t("Telford|Newport|Market Drayton")},
	{code: "TN", county: "Kent", dialCode: "01892", towns: t("Tunbridge Wells|Ashford|Hastings|Sevenoaks|Tonbridge")},
	{code: "TQ", county: "Devon", dialCode: "01803", towns: t("Torquay|Paignton|Newton Abbot|Brixham|Totnes")},
	{code: "TR", county: "Cornwall", dialCode: "01872", towns: t("Truro|Penzance|Falmouth|Newquay|Camborne")},
	{code: "TS", county: "North Yorkshire", dialCode: "01642", towns: t("Middlesbrough|Stockton-on-Tees|Hartlepool|Redcar|Guisborough")},
	{code: "TW", county: "Greater London", dialCode: "020", towns: t("Twickenham|Hounslow|Staines-upon-Thames|Richmond|Feltham")},
	{code: "UB", county: "Greater London", dialCode: "020", towns: t("Uxbridge|Southall|Hayes|Greenford")},
	{code: "W", county: "Greater London", dialCode: "020", towns: t("Ealing|Hammersmith|Paddington|Chiswick|Acton")},
	{code: "WA", county: "Cheshire", dialCode: "01925", towns: t("Warrington|St Helens|Widnes|Runcorn|Knutsford")},
	{code: "WC", county: "Greater London", dialCode: "020", towns: t("Holborn|Covent Garden|Bloomsbury")},
	{code: "WD", county: "Hertfordshire", dialCode: "01923", towns: t("Watford|Borehamwood|Rickmansworth|Bushey")},
	{code: "WF", county: "West Yorkshire", dialCode: "01924", towns: t("Wakefield|Pontefract|Dewsbury|Castleford|Batley")},
	{code: "WN", county: "Greater Manchester", dialCode: "01942", towns: t("Wigan|Leigh|Skelmersdale")},
	{code: "WR", county: "Worcestershire", dialCode: "01905", towns: t("Worcester|Malvern|Evesham|Droitwich Spa")},
	{code: "WS", county: "West Midlands", dialCode: "01922", towns: t("Walsall|Lichfield|Cannock|Burntwood")},
	{code: "WV", county: "West Midlands", dialCode: "01902", towns: t("Wolverhampton|Bridgnorth|Codsall")},
	{code: "YO", county: "North Yorkshire", dialCode: "01904", towns: t("York|Scarborough|Whitby|Selby|Malton|Bridlington")},
}

// --- small hard-coded word lists ------------------------------------------

var (
	firstNames = t("Sarah|James|Emma|David|Claire|Mohammed|Helen|Paul|Aisha|Mark|Joanne|Steven|Priya|Gary|Rachel|Tom|Karen|Daniel|Fatima|Ian|Lucy|Andrew|Nicola|Hassan|Julie|Chris|Sophie|Michael|Amy|Gareth|Zainab|Lisa|Peter|Hannah|Wayne|Agnieszka|Dawn|Samuel|Grace|Tariq")
	lastNames  = t("Smith|Jones|Taylor|Brown|Williams|Wilson|Johnson|Davies|Patel|Robinson|Wright|Thompson|Evans|Walker|White|Roberts|Green|Hall|Wood|Jackson|Clarke|Khan|Hughes|Edwards|Hussain|Lewis|Harris|Turner|Ali|Cooper|Hill|Ward|Morris|Moore|Clark|Lee|King|Baker|Kowalski|Begum")
	titles     = t("Coordinator|Group Leader|Volunteer Coordinator|Service Manager|Project Officer|Community Development Worker|Reception|Support Worker|Chair|Secretary|Activities Coordinator|Family Support Worker")
	streets    = t("High|Station|Church|Mill|Victoria|Queen|King|Park|London|Manor|Chapel|Market|School|North|West|Bridge|New|Albert|York|Grange|Springfield|Oak|Elm|Greenway|Orchard|Castle|Priory|Mount|Cross|Hall|Fore|Nelson|Wellington|Trinity|Abbey")
	streetType = t("Street|Road|Road|Lane|Avenue|Close|Way|Drive|Place|Terrace|Crescent|Gardens")
	venueKinds = t("Community Centre|Library|Village Hall|Methodist Church|Leisure Centre|Family Hub|Health Centre|Civic Centre|Parish Church Hall|Youth Centre|Scout Hut|Baptist Church|Community Hub|Town Hall|Memorial Hall|Sports Centre|Arts Centre|Children's Centre|Friends Meeting House|Park Pavilion")
	saints     = t("Mary|John|Peter|Paul|Andrew|George|Michael|Luke|Margaret|Stephen|Thomas|Barnabas")
	access     = t("Wheelchair accessible|Accessible toilet|Hearing loop|Step-free access|Disabled parking|Lift to all floors|Baby changing facilities|Large print materials|Assistance dogs welcome|Quiet room available")
	suffixes   = t("Group|Club|Group|Café|Drop-in|Support Group|Social|Sessions|Club|Network|Circle|Workshop")
	orgSuffix  = t("Community Association|Community Trust|Development Trust|Voluntary Action|Carers Centre|Wellbeing Hub|Residents Association|Community Interest Company|Friends Group|Partnership")
	langs      = t("Polish|Urdu|Punjabi|Arabic|Romanian|Bengali")
	weekdays   = t("Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")
	bydays     = t("MO|TU|WE|TH|FR|SA|SU")
	hours      = [][2]string{
		{"09:00", "12:00"}, {"09:30", "12:30"}, {"10:00", "12:00"}, {"10:00", "11:30"}, {"10:30", "12:30"},
		{"13:00", "15:00"}, {"13:30", "15:30"}, {"14:00", "16:00"}, {"09:00", "17:00"}, {"08:30", "16:30"},
		{"09:00", "16:00"}, {"18:00", "20:00"}, {"18:30", "20:30"}, {"19:00", "21:00"}, {"10:00", "14:00"},
	}
	inwardLetters = "ABDEFGHJLNPQRSTUWXYZ"

	feeNotes         = t("Donations welcome|Small charge for refreshments|Subsidised places available|Free to members")
	accessNotes      = t("Please call before attending for the first time.|Referral from a GP or social prescriber.|New members always welcome.|Booking essential as places are limited.")
	urlSections      = t("whats-on|services|activities|groups|events")
	mailboxes        = t("info|hello|enquiries|admin|contact|office|bookings")
	costNames        = t("Per session|Per class|Per visit|Annual membership|Monthly membership|Per term")
	eligibilityTexts = t("Open to all|Carers|People living with a long-term health condition|People with a learning disability|Parents and carers|Veterans and their families|Anyone feeling lonely or isolated")
	churchRooms      = t("Church Hall|Church|Centre")
	locationNotes    = t("Ground floor, step-free entrance at the front.|Free parking on site.|On the main bus route, stop outside.|Entrance at the rear of the building.|Upstairs meeting room; a lift is available.|Use the side door on weekday evenings.")
)

// refDate anchors assured_date so output does not depend on the clock.
var refDate = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// --- ORUK v1 wire types -----------------------------------------------------

type organization struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	URL         string `json:"url"`
	Logo        string `json:"logo"`
	URI         string `json:"uri"`

	oc     int    // home outcode index
	domain string // for e-mail addresses; "" if none
	slug   string
}

type service struct {
	ID                 string              `json:"id"`
	Name               string              `json:"name"`
	Description        string              `json:"description"`
	URL                string              `json:"url"`
	Email              string              `json:"email"`
	Status             string              `json:"status"`
	Fees               string              `json:"fees"`
	Accreditations     string              `json:"accreditations"`
	DeliverableType    *string             `json:"deliverable_type"`
	AttendingType      string              `json:"attending_type"`
	AttendingAccess    string              `json:"attending_access"`
	AccessInfo         string              `json:"pc_attendingAccess_additionalInfo"`
	AssuredDate        string              `json:"assured_date"`
	Organization       *organization       `json:"organization"`
	Contacts           []contact           `json:"contacts"`
	CostOptions        []costOption        `json:"cost_options"`
	Eligibilitys       []eligibility       `json:"eligibilitys"`
	Languages          []language          `json:"languages"`
	RegularSchedules   []schedule          `json:"regular_schedules"`
	ServiceAreas       []serviceArea       `json:"service_areas"`
	ServiceAtLocations []serviceAtLocation `json:"service_at_locations"`
	ServiceTaxonomys   []serviceTaxonomy   `json:"service_taxonomys"`
	TargetAudience     []targetAudience    `json:"pc_targetAudience"`
}

type contact struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Title  string  `json:"title"`
	Phones []phone `json:"phones"`
}

type phone struct {
	ID     string `json:"id"`
	Number string `json:"number"`
}

type costOption struct {
	ID                string      `json:"id"`
	Option            string      `json:"option"`
	Amount            json.Number `json:"amount"`
	AmountDescription string      `json:"amount_description"`
}

type eligibility struct {
	ID          string `json:"id"`
	Eligibility string `json:"eligibility"`
	MinimumAge  *int   `json:"minimum_age,omitempty"`
	MaximumAge  *int   `json:"maximum_age,omitempty"`
}

type language struct {
	ID       string `json:"id"`
	Language string `json:"language"`
}

type schedule struct {
	ID       string `json:"id"`
	Weekday  string `json:"weekday"`
	OpensAt  string `json:"opens_at"`
	ClosesAt string `json:"closes_at"`
	Freq     string `json:"freq"`
	Interval int    `json:"interval"`
	Byday    string `json:"byday"`
}

type serviceArea struct {
	ID          string `json:"id"`
	ServiceArea string `json:"service_area"`
}

type serviceAtLocation struct {
	ID               string     `json:"id"`
	Location         location   `json:"location"`
	RegularSchedules []schedule `json:"regular_schedules"`
}

type location struct {
	ID                           string            `json:"id"`
	Name                         string            `json:"name"`
	Description                  string            `json:"description"`
	Latitude                     json.Number       `json:"latitude,omitempty"`
	Longitude                    json.Number       `json:"longitude,omitempty"`
	PhysicalAddresses            []physicalAddress `json:"physical_addresses"`
	AccessibilityForDisabilities []accessibility   `json:"accessibility_for_disabilities"`
}

type physicalAddress struct {
	ID            string `json:"id"`
	Address1      string `json:"address_1"`
	City          string `json:"city"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
}

type accessibility struct {
	ID            string `json:"id"`
	Accessibility string `json:"accessibility"`
}

type serviceTaxonomy struct {
	ID       string   `json:"id"`
	Taxonomy taxonomy `json:"taxonomy"`
}

type taxonomy struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Vocabulary string `json:"vocabulary"`
	Parent     string `json:"parent"`
}

type targetAudience struct {
	ID           string `json:"id"`
	AudienceType string `json:"audienceType"`
}

// --- random streams ---------------------------------------------------------

// splitmix64 spreads (seed, stream, index) over the PCG state space.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

const (
	streamService = 1
	streamOrg     = 2
)

type rng struct {
	src *rand.PCG
	*rand.Rand
}

func newRNG() rng {
	src := rand.NewPCG(0, 0)
	return rng{src, rand.New(src)}
}

func (r rng) reseed(seed int64, stream, index uint64) {
	a := splitmix64(uint64(seed) ^ splitmix64(stream<<56^index))
	r.src.Seed(a, splitmix64(a^index))
}

// chance is true with probability p.
func (r rng) chance(p float64) bool { return r.Float64() < p }

func pick[T any](r rng, xs []T) T { return xs[r.IntN(len(xs))] }

const hexDigits = "0123456789abcdef"

// uuid returns a random lower-case version 4 UUID.
func (r rng) uuid() string {
	var b [16]byte
	hi, lo := r.Uint64(), r.Uint64()
	for i := range 8 {
		b[i] = byte(hi >> (56 - 8*i))
		b[8+i] = byte(lo >> (56 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	j := 0
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s[j] = '-'
			j++
		}
		s[j], s[j+1] = hexDigits[c>>4], hexDigits[c&0x0f]
		j += 2
	}
	return string(s[:])
}

// digits returns k random decimal digits, the first from [first, 9].
func (r rng) digits(k int, first byte) string {
	b := make([]byte, k)
	for i := range b {
		if i == 0 {
			b[i] = first + byte(r.IntN(int('9'-first+1)))
		} else {
			b[i] = '0' + byte(r.IntN(10))
		}
	}
	return string(b)
}

// --- organisations ----------------------------------------------------------

func makeOrgs(v *vocab, n int, seed int64) []*organization {
	m := (n + 2) / 3
	if n > 0 {
		m = max(m, 1)
	}
	orgs := make([]*organization, m)
	r := newRNG()
	for j := range orgs {
		r.reseed(seed, streamOrg, uint64(j))
		orgs[j] = newOrg(v, r)
	}
	return orgs
}

func newOrg(v *vocab, r rng) *organization {
	o := &organization{ID: r.uuid(), oc: r.IntN(len(v.outcodes))}
	oc := &v.outcodes[o.oc]
	town, auth := oc.town, oc.area.authority(oc.town)
	switch x := r.Float64(); {
	case x < 0.75:
		real := pick(r, v.orgNames)
		switch {
		case strings.ContainsAny(real, "\x00\x01"):
			o.Name = expand(real, town, auth)
		case x < 0.30:
			o.Name = real + " " + town
		case x < 0.50:
			o.Name = town + " " + strings.TrimPrefix(real, "The ")
		case x < 0.65:
			o.Name = real + " (" + town + ")"
		default:
			o.Name = real + " - " + town + " Branch"
		}
	case x < 0.83:
		o.Name = town + " " + pick(r, orgSuffix)
	case x < 0.90:
		o.Name = "Friends of " + town + " " + pick(r, venueKinds)
	case x < 0.95:
		o.Name = "St " + pick(r, saints) + "'s Church, " + town
	default:
		o.Name = town + " " + pick(r, v.words) + " Club"
	}
	switch x := r.Float64(); {
	case x < 0.60: // most real organisations have no description
	case x < 0.80:
		o.Description = expand(pick(r, v.orgDescs), town, auth)
	default:
		o.Description = strings.Join(v.sentencesFrom(r, 1+r.IntN(3), town, auth), " ")
	}
	o.slug = domainSlug(o.Name)
	switch x := r.Float64(); {
	case x < 0.45:
		o.domain = o.slug + ".org.uk"
	case x < 0.65:
		o.domain = o.slug + ".co.uk"
	case x < 0.78:
		o.domain = o.slug + ".org"
	case x < 0.88:
		o.domain = o.slug + ".com"
	}
	switch x := r.Float64(); {
	case x < 0.15 || o.domain == "" && x < 0.30:
	case o.domain == "":
		o.URL = "https://www.facebook.com/" + strings.ReplaceAll(o.slug, "-", "")
	case x < 0.70:
		o.URL = "https://www." + o.domain + "/"
	case x < 0.85:
		o.URL = "https://" + o.domain
	default:
		o.URL = "http://www." + o.domain + "/"
	}
	return o
}

// domainSlug makes a plausible domain label from a name: at most 24 letters
// and digits, cut at a word boundary.
func domainSlug(name string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(c rune) bool { return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') }) {
		if w == "the" || w == "of" || w == "and" {
			continue
		}
		if b.Len() > 0 && b.Len()+len(w) > 24 {
			break
		}
		if b.Len() > 0 && len(w) > 0 {
			b.WriteByte('-')
		}
		b.WriteString(w)
	}
	if b.Len() == 0 {
		return "community-group"
	}
	s := b.String()
	if len(s) > 30 {
		s = strings.TrimRight(s[:30], "-")
	}
	return s
}

// expand replaces the town and authority markers in s.
func expand(s, town, auth string) string {
	if !strings.ContainsAny(s, "\x00\x01") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 32)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case markTown:
			b.WriteString(town)
		case markArea:
			b.WriteString(auth)
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// sentencesFrom returns k sentences, consecutive from one real description
// where it has enough, topped up from others.
func (v *vocab) sentencesFrom(r rng, k int, town, auth string) []string {
	doc := pick(r, v.docs)
	start := r.IntN(len(doc))
	if len(doc)-start < k {
		start = max(0, len(doc)-k)
	}
	out := make([]string, 0, k)
	for i := start; i < len(doc) && len(out) < k; i++ {
		out = append(out, expand(doc[i], town, auth))
	}
	for len(out) < k {
		out = append(out, expand(pick(r, v.sentences), town, auth))
	}
	return out
}

// --- services ---------------------------------------------------------------

type generator struct {
	v    *vocab
	orgs []*organization
	seed int64
	r    rng
	s    service
	buf  bytes.Buffer
	enc  *json.Encoder
	sb   strings.Builder

	seenTerms []string
}

func newGenerator(v *vocab, orgs []*organization, seed int64) *generator {
	g := &generator{v: v, orgs: orgs, seed: seed, r: newRNG()}
	// Empty lists must encode as [], not null.
	g.s.Contacts = make([]contact, 0, 2)
	g.s.CostOptions = make([]costOption, 0, 1)
	g.s.Eligibilitys = make([]eligibility, 0, 1)
	g.s.Languages = make([]language, 0, 2)
	g.s.RegularSchedules = make([]schedule, 0, 7)
	g.s.ServiceAreas = make([]serviceArea, 0, 1)
	g.s.ServiceAtLocations = make([]serviceAtLocation, 0, 2)
	g.s.ServiceTaxonomys = make([]serviceTaxonomy, 0, 4)
	g.s.TargetAudience = make([]targetAudience, 0, 4)
	g.enc = json.NewEncoder(&g.buf)
	g.enc.SetEscapeHTML(false)
	return g
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// encodeRange appends services [start, end) to out, each preceded by "\n"
// and all but the first of the corpus by ",".
func (g *generator) encodeRange(out *bytes.Buffer, start, end int) error {
	for i := start; i < end; i++ {
		g.fill(i)
		g.buf.Reset()
		if err := g.enc.Encode(&g.s); err != nil {
			return fmt.Errorf("corpus: encoding service %d: %w", i, err)
		}
		if i > 0 {
			out.WriteByte(',')
		}
		out.WriteByte('\n')
		out.Write(bytes.TrimSuffix(g.buf.Bytes(), []byte("\n")))
	}
	return nil
}

func strp(s string) *string { return &s }

var (
	deliverableNull = (*string)(nil)
	deliverables    = []*string{strp("Advice"), strp("Information"), strp("Social activity"), strp("Counselling"), strp("Training")}
	emptyString     = strp("")
)

// fill overwrites g.s with service i.
func (g *generator) fill(i int) {
	r, v := g.r, g.v
	r.reseed(g.seed, streamService, uint64(i))
	s := &g.s

	var org *organization
	if i < len(g.orgs) {
		org = g.orgs[i]
	} else {
		org = g.orgs[r.IntN(len(g.orgs))]
	}
	// Most of an organisation's services are near its home.
	oci := org.oc
	switch x := r.Float64(); {
	case x < 0.70:
	case x < 0.90:
		near := v.areaOutcodes[v.outcodes[oci].area]
		oci = near[r.IntN(len(near))]
	default:
		oci = r.IntN(len(v.outcodes))
	}
	oc := &v.outcodes[oci]
	town, auth := oc.town, oc.area.authority(oc.town)

	s.ID = r.uuid()
	s.Name = g.serviceName(town, auth)
	s.Description = g.description(town, auth)
	s.Organization = org
	s.Status = pickWeighted(r, statusWeights)
	s.Fees, s.Accreditations, s.AccessInfo = "", "", ""
	if r.chance(0.05) {
		s.Fees = pick(r, feeNotes)
	}
	switch x := r.Float64(); {
	case x < 0.45:
		s.DeliverableType = deliverableNull
	case x < 0.80:
		s.DeliverableType = emptyString
	default:
		s.DeliverableType = pick(r, deliverables)
	}
	s.AttendingType = pickWeighted(r, attendingTypeWeights)
	s.AttendingAccess = pickWeighted(r, attendingAccessWeights)
	if s.AttendingAccess != "" && r.chance(0.15) {
		s.AccessInfo = pick(r, accessNotes)
	}
	s.AssuredDate = ""
	if r.chance(0.92) {
		s.AssuredDate = refDate.AddDate(0, 0, -r.IntN(730)).Format(time.DateOnly)
	}
	s.URL = g.serviceURL(org, s.Name)
	s.Email = g.email(org)

	g.contacts(oc)
	g.costOptions()
	g.eligibility(town)
	g.languages()
	s.RegularSchedules = g.schedules(s.RegularSchedules[:0], 1+r.IntN(5))
	if r.chance(0.12) {
		s.RegularSchedules = s.RegularSchedules[:0] // "ring for times"
	}
	s.ServiceAreas = s.ServiceAreas[:0]
	if r.chance(0.6) {
		sa := serviceArea{ID: r.uuid()}
		switch x := r.Float64(); {
		case x < 0.45:
			sa.ServiceArea = auth
		case x < 0.80:
			sa.ServiceArea = town
		default:
			sa.ServiceArea = town + " and surrounding areas"
		}
		s.ServiceAreas = append(s.ServiceAreas, sa)
	}
	g.locations(oci, town)
	g.audiences(i)
}

type weighted struct {
	value  string
	weight int
}

func pickWeighted(r rng, ws []weighted) string {
	total := 0
	for _, w := range ws {
		total += w.weight
	}
	x := r.IntN(total)
	for _, w := range ws {
		if x < w.weight {
			return w.value
		}
		x -= w.weight
	}
	return ws[len(ws)-1].value
}

var (
	statusWeights          = []weighted{{"active", 96}, {"inactive", 2}, {"defunct", 1}, {"temporarily closed", 1}}
	attendingTypeWeights   = []weighted{{"venue", 38}, {"phone", 12}, {"online", 10}, {"home visit", 5}, {"Venue", 10}, {"Phone", 3}, {"", 20}, {"Information advice and guidance", 2}}
	attendingAccessWeights = []weighted{{"drop-in", 24}, {"appointment", 18}, {"referral", 14}, {"membership", 8},
		{"Self referral", 7}, {"Drop-in", 4}, {"", 25}}
)

func (g *generator) serviceName(town, auth string) string {
	r, v := g.r, g.v
	real := pick(r, v.serviceNames)
	marked := strings.ContainsAny(real, "\x00\x01")
	switch x := r.Float64(); {
	case x < 0.35 || marked && x < 0.60:
		return expand(real, town, auth)
	case x < 0.50:
		return town + " " + strings.TrimPrefix(real, "The ")
	case x < 0.60:
		if r.chance(0.5) {
			return real + " - " + town
		}
		return real + " (" + town + ")"
	case x < 0.80:
		return town + " " + pick(r, v.words) + " " + pick(r, suffixes)
	case x < 0.92:
		return pick(r, v.words) + " " + pick(r, suffixes)
	default:
		return pick(r, v.words) + " and " + pick(r, v.words) + " " + pick(r, suffixes)
	}
}

func (g *generator) description(town, auth string) string {
	r := g.r
	if r.chance(0.02) {
		return ""
	}
	sents := g.v.sentencesFrom(r, 2+r.IntN(4), town, auth)
	b := &g.sb
	b.Reset()
	switch x := r.Float64(); {
	case x < 0.40:
		return strings.Join(sents, " ")
	case x < 0.55:
		for i, s := range sents {
			if i > 0 {
				if r.chance(0.5) {
					b.WriteString("\n\n")
				} else {
					b.WriteByte(' ')
				}
			}
			b.WriteString(s)
		}
	default: // as the real feed sends it: HTML paragraphs and entities
		strong := r.chance(0.1)
		for i := 0; i < len(sents); {
			k := 1 + r.IntN(2)
			b.WriteString("<p>")
			if strong && i == 0 {
				b.WriteString("<strong>")
				htmlEscaper.WriteString(b, sents[0])
				b.WriteString("</strong>")
				k = 1
			} else {
				for j := i; j < i+k && j < len(sents); j++ {
					if j > i {
						b.WriteByte(' ')
					}
					htmlEscaper.WriteString(b, sents[j])
				}
			}
			if r.chance(0.2) {
				b.WriteString("&nbsp;")
			}
			b.WriteString("</p>")
			i += k
		}
	}
	return b.String()
}

func (g *generator) serviceURL(org *organization, name string) string {
	r := g.r
	switch x := r.Float64(); {
	case x < 0.45:
		return org.URL
	case x < 0.65 && org.domain != "":
		return "https://www." + org.domain + "/" + pick(r, urlSections) + "/" + domainSlug(name)
	case x < 0.75 && org.domain != "":
		return "www." + org.domain
	case x < 0.80 && org.domain != "":
		return "http://" + org.domain + "/"
	}
	return ""
}

func (g *generator) email(org *organization) string {
	r := g.r
	if org.domain == "" || r.chance(0.25) {
		return ""
	}
	var local string
	if r.chance(0.2) {
		local = strings.ToLower(pick(r, firstNames) + "." + pick(r, lastNames))
	} else {
		local = pick(r, mailboxes)
	}
	e := local + "@" + org.domain
	switch x := r.Float64(); {
	case x < 0.80:
		return e
	case x < 0.90:
		return strings.ToUpper(e[:1]) + e[1:]
	case x < 0.95:
		return strings.ToUpper(e)
	default:
		return strings.ToUpper(local[:1]) + local[1:] + "@" + strings.ToUpper(org.domain[:1]) + org.domain[1:]
	}
}

func (g *generator) phoneNumber(oc *outcode) string {
	r := g.r
	code := oc.area.dialCode
	switch x := r.Float64(); {
	case x < 0.22:
		return "07700 900" + r.digits(3, '0')
	case x < 0.26:
		return "0300 " + r.digits(3, '1') + " " + r.digits(4, '0')
	case x < 0.29:
		return "0800 " + r.digits(3, '0') + " " + r.digits(4, '0')
	case x < 0.32: // international format, as some feeds send it
		return "+44 " + code[1:] + " " + r.digits(10-len(code[1:]), '2')
	}
	switch len(code) {
	case 3: // 020, 023, 024
		first := byte('7')
		if code == "020" && r.chance(0.5) || code == "023" {
			first = '8'
		}
		return code + " " + string(first) + r.digits(3, '0') + " " + r.digits(4, '0')
	case 4: // 0113, 0121 ...
		return code + " " + r.digits(3, '2') + " " + r.digits(4, '0')
	default:
		return code + " " + r.digits(6, '2')
	}
}

func (g *generator) contacts(oc *outcode) {
	r, s := g.r, &g.s
	s.Contacts = s.Contacts[:0]
	k := 0
	switch x := r.Float64(); {
	case x < 0.25:
	case x < 0.90:
		k = 1
	default:
		k = 2
	}
	for range k {
		c := contact{ID: r.uuid(), Phones: make([]phone, 0, 2)}
		if r.chance(0.6) {
			c.Name = pick(r, firstNames) + " " + pick(r, lastNames)
		}
		if r.chance(0.5) {
			c.Title = pick(r, titles)
		}
		c.Phones = append(c.Phones, phone{ID: r.uuid(), Number: g.phoneNumber(oc)})
		if r.chance(0.15) {
			c.Phones = append(c.Phones, phone{ID: r.uuid(), Number: g.phoneNumber(oc)})
		}
		s.Contacts = append(s.Contacts, c)
	}
}

func (g *generator) costOptions() {
	r, s := g.r, &g.s
	co := costOption{ID: r.uuid()}
	if r.chance(0.6) {
		co.Option, co.Amount, co.AmountDescription = "Free", "0", "Free"
	} else {
		pence := 200 + 50*r.IntN(17) // £2.00 – £10.00
		amount := fmt.Sprintf("%d.%02d", pence/100, pence%100)
		co.Option = pick(r, costNames)
		co.Amount = json.Number(amount)
		co.AmountDescription = "£" + amount + " " + strings.ToLower(co.Option)
		if r.chance(0.3) {
			co.AmountDescription += ", concessions available"
		}
	}
	s.CostOptions = append(s.CostOptions[:0], co)
}

var ageBands = []struct {
	min, max int
	text     string
}{
	{18, 120, "Adults aged 18 and over"},
	{0, 5, "Children under 5 with their parents or carers"},
	{11, 18, "Young people aged 11 to 18"},
	{50, 120, "People aged 50 and over"},
	{65, 120, "Older people aged 65 and over"},
	{16, 25, "Young adults aged 16 to 25"},
}

func (g *generator) eligibility(town string) {
	r, s := g.r, &g.s
	s.Eligibilitys = s.Eligibilitys[:0]
	switch x := r.Float64(); {
	case x < 0.40:
		b := pick(r, ageBands)
		lo, hi := b.min, b.max
		s.Eligibilitys = append(s.Eligibilitys, eligibility{ID: r.uuid(), Eligibility: b.text, MinimumAge: &lo, MaximumAge: &hi})
	case x < 0.70:
		text := pick(r, eligibilityTexts)
		if r.chance(0.3) {
			text = "Residents of " + town
		}
		s.Eligibilitys = append(s.Eligibilitys, eligibility{ID: r.uuid(), Eligibility: text})
	}
}

func (g *generator) languages() {
	r, s := g.r, &g.s
	s.Languages = append(s.Languages[:0], language{ID: r.uuid(), Language: "English"})
	if r.chance(0.1) {
		s.Languages = append(s.Languages, language{ID: r.uuid(), Language: pick(r, langs)})
	}
}

// schedules appends up to k weekly opening times on distinct days.
func (g *generator) schedules(out []schedule, k int) []schedule {
	r := g.r
	days := 5
	if r.chance(0.1) {
		days = 7
	}
	k = min(k, days)
	var chosen [7]bool
	if k == 5 && days == 5 || r.chance(0.1) && k > 1 {
		for d := range k {
			chosen[d] = true // Monday to Friday, or the first k weekdays
		}
	} else {
		for n := 0; n < k; {
			if d := r.IntN(days); !chosen[d] {
				chosen[d] = true
				n++
			}
		}
	}
	h := pick(r, hours)
	varied := r.chance(0.2)
	for d, ok := range chosen {
		if !ok {
			continue
		}
		if varied {
			h = pick(r, hours)
		}
		out = append(out, schedule{ID: r.uuid(), Weekday: weekdays[d], OpensAt: h[0], ClosesAt: h[1], Freq: "WEEKLY", Interval: 1, Byday: bydays[d]})
	}
	return out
}

func (g *generator) locations(oci int, town string) {
	r, s, v := g.r, &g.s, g.v
	k := 1
	if r.chance(0.1) {
		k = 2
	}
	// Reuse the backing arrays of the previous service's locations.
	sals := s.ServiceAtLocations[:0]
	for j := range k {
		if j == 1 {
			near := v.areaOutcodes[v.outcodes[oci].area]
			oci = near[r.IntN(len(near))]
			town = v.outcodes[oci].town
		}
		oc := &v.outcodes[oci]
		var sal serviceAtLocation
		if len(sals) < cap(sals) {
			sal = sals[:len(sals)+1][len(sals)]
		}
		sal.ID = r.uuid()
		sal.RegularSchedules = sal.RegularSchedules[:0]
		if sal.RegularSchedules == nil {
			sal.RegularSchedules = make([]schedule, 0, 2)
		}
		if j == 1 && r.chance(0.7) {
			sal.RegularSchedules = g.schedules(sal.RegularSchedules, 1+r.IntN(2))
		}
		g.location(&sal.Location, oc, town)
		sals = append(sals, sal)
	}
	s.ServiceAtLocations = sals
}

func (g *generator) location(l *location, oc *outcode, town string) {
	r := g.r
	l.ID = r.uuid()
	kind := pick(r, venueKinds)
	street := pick(r, streets) + " " + pick(r, streetType)
	switch x := r.Float64(); {
	case x < 0.55:
		l.Name = town + " " + kind
	case x < 0.75:
		l.Name = pick(r, streets) + " " + kind
	case x < 0.85:
		l.Name = "St " + pick(r, saints) + "'s " + pick(r, churchRooms)
	default:
		l.Name = kind + ", " + street
	}
	l.Description = ""
	if r.chance(0.25) {
		l.Description = pick(r, locationNotes)
	}
	l.Latitude, l.Longitude = "", ""
	if !r.chance(0.15) {
		// Uniform in a disc of radius 1.5 km, in integer metres.
		var dx, dy int64
		for {
			dx, dy = int64(r.IntN(3001))-1500, int64(r.IntN(3001))-1500
			if dx*dx+dy*dy <= 1500*1500 {
				break
			}
		}
		lat := oc.latMicro + dy*1_000_000/111_320
		lon := oc.lonMic + dx*1_000_000_000/(111_320*oc.cosMilli)
		l.Latitude, l.Longitude = json.Number(micro(lat)), json.Number(micro(lon))
	}
	addr := physicalAddress{
		ID:         r.uuid(),
		Address1:   strconv.Itoa(1+r.IntN(180)) + " " + street,
		City:       town,
		PostalCode: oc.code + " " + r.digits(1, '1') + string(inwardLetters[r.IntN(len(inwardLetters))]) + string(inwardLetters[r.IntN(len(inwardLetters))]),
		Country:    "GB",
	}
	if r.chance(0.3) {
		addr.Address1 = l.Name + ", " + addr.Address1
	}
	if r.chance(0.8) {
		addr.StateProvince = oc.area.county
	}
	l.PhysicalAddresses = append(l.PhysicalAddresses[:0], addr)
	l.AccessibilityForDisabilities = l.AccessibilityForDisabilities[:0]
	if l.AccessibilityForDisabilities == nil {
		l.AccessibilityForDisabilities = make([]accessibility, 0, 3)
	}
	if r.chance(0.6) {
		first := r.IntN(len(access))
		for j := range 1 + r.IntN(3) {
			l.AccessibilityForDisabilities = append(l.AccessibilityForDisabilities, accessibility{ID: r.uuid(), Accessibility: access[(first+j*3)%len(access)]})
		}
	}
}

// micro formats millionths of a degree as a decimal with six places.
func micro(v int64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := fmt.Sprintf("%d.%06d", v/1_000_000, v%1_000_000)
	if neg {
		s = "-" + s
	}
	return s
}

func (g *generator) audiences(i int) {
	r, s, v := g.r, &g.s, g.v
	s.TargetAudience = s.TargetAudience[:0]
	s.ServiceTaxonomys = s.ServiceTaxonomys[:0]
	var picked []int
	if r.chance(0.2) {
		k := 1
		switch x := r.Float64(); {
		case x < 0.60:
		case x < 0.90:
			k = 2 + r.IntN(2)
		default:
			k = 4 + r.IntN(3)
		}
		picked = distinct(r, k, len(v.audiences))
		for j, a := range picked {
			raw := v.audiences[a].path
			if r.chance(0.4) {
				raw += " " // as the real feed often sends it
			}
			s.TargetAudience = append(s.TargetAudience, targetAudience{ID: strconv.Itoa(100_000 + i*8 + j), AudienceType: raw})
		}
	}
	if r.chance(0.3) {
		if len(picked) == 0 {
			picked = distinct(r, 1+r.IntN(2), len(v.audiences))
		}
		seen := g.seenTerms[:0]
		for _, a := range picked {
			for _, term := range v.audiences[a].terms {
				if slices.Contains(seen, term.ID) {
					continue // a shared parent such as "Parents"
				}
				seen = append(seen, term.ID)
				s.ServiceTaxonomys = append(s.ServiceTaxonomys, serviceTaxonomy{ID: r.uuid(), Taxonomy: term})
			}
		}
		g.seenTerms = seen
	}
}

// distinct returns k distinct indices below n in ascending order.
func distinct(r rng, k, n int) []int {
	k = min(k, n)
	out := make([]int, 0, k)
	for len(out) < k {
		x := r.IntN(n)
		dup := false
		for _, y := range out {
			dup = dup || y == x
		}
		if !dup {
			out = append(out, x)
		}
	}
	sort.Ints(out)
	return out
}
