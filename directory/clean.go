package directory

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	xhtml "golang.org/x/net/html"
)

// cleanLine trims a one-line value and collapses every run of white space
// (including non-breaking spaces and newlines) into a single space.
func cleanLine(s string) string {
	if s == "" {
		return ""
	}
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' }

// cleanText turns a description that may hold HTML, entities, literal "\n"
// escapes and ragged white space into plain text: paragraphs are separated by
// one blank line, lines within a paragraph by a newline, and spaces collapsed.
func cleanText(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(s, `\r\n`, "\n")
	s = strings.ReplaceAll(s, `\n`, "\n")
	if strings.ContainsAny(s, "<&") {
		s = htmlToText(s)
	}
	var paras []string
	for _, block := range splitParagraphs(s) {
		var lines []string
		for _, line := range strings.Split(block, "\n") {
			if l := cleanLine(line); l != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) > 0 {
			paras = append(paras, strings.Join(lines, "\n"))
		}
	}
	return strings.Join(paras, "\n\n")
}

var blankLineRE = regexp.MustCompile(`\n[ \t\p{Zs}]*\n`)

func splitParagraphs(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return blankLineRE.Split(s, -1)
}

// Elements that end a paragraph, and those that only end a line.
var (
	paragraphElements = map[string]bool{"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "ul": true, "ol": true, "table": true, "blockquote": true, "section": true, "article": true}
	lineElements      = map[string]bool{"br": true, "li": true, "tr": true, "dt": true, "dd": true}
	droppedElements   = map[string]bool{"script": true, "style": true, "head": true, "title": true, "iframe": true, "noscript": true, "template": true}
)

// htmlToText keeps the words of an HTML fragment and its paragraph structure
// and drops everything else: tags, attributes, scripts, styles and comments.
func htmlToText(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return b.String()
		case xhtml.TextToken:
			if skip == 0 {
				b.Write(z.Text()) // Text() has already unescaped entities.
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			tt := z.Token().Type
			if droppedElements[tag] {
				if tt == xhtml.StartTagToken {
					skip++
				} else if tt == xhtml.EndTagToken && skip > 0 {
					skip--
				}
				continue
			}
			switch {
			case paragraphElements[tag]:
				b.WriteString("\n\n")
			case lineElements[tag] && tt != xhtml.EndTagToken:
				b.WriteString("\n")
				if tag == "li" {
					b.WriteString("- ")
				}
			default:
				// Inline elements (a, strong, span…) separate words only if the source had space.
			}
		}
	}
}

// cleanEmail trims, drops a "mailto:" prefix and lower-cases an e-mail address.
func cleanEmail(s string) string {
	s = cleanLine(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "mailto:"), "MAILTO:")
	// Addresses copied out of sentences keep the sentence's punctuation.
	s = strings.TrimRight(s, ".,;:")
	return strings.ToLower(s)
}

var bareDomainRE = regexp.MustCompile(`^(?i)(www\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]+)?([/?#]\S*)?$`)

// cleanURL trims a web address, lower-cases its scheme and adds "https://" to a
// bare domain such as "www.example.org.uk/page", which real feeds often send.
func cleanURL(s string) string {
	s = cleanLine(s)
	if s == "" {
		return ""
	}
	if i := strings.Index(s, "://"); i > 0 {
		return strings.ToLower(s[:i]) + s[i:]
	}
	if bareDomainRE.MatchString(s) {
		return "https://" + s
	}
	return s
}

// NormalisePostcode turns a UK postcode as people type it ("dn156nl",
// " DN15  6NL ") into its normal form ("DN15 6NL"). It returns "" when s is
// not a UK postcode.
func NormalisePostcode(s string) string {
	compact := strings.ToUpper(strings.Join(strings.FieldsFunc(s, isSpace), ""))
	if len(compact) < 5 || len(compact) > 7 {
		return ""
	}
	pc := compact[:len(compact)-3] + " " + compact[len(compact)-3:]
	if !IsPostcode(pc) {
		return ""
	}
	return pc
}

// Outcode returns the district part of a normal-form postcode ("DN15 6NL" → "DN15").
func Outcode(postcode string) string {
	out, _, _ := strings.Cut(postcode, " ")
	return out
}

// A postcode inside free text: capitals (so "B12 3rd floor" is not one), word
// boundaries, an optional single space.
var postcodeInTextRE = regexp.MustCompile(`\b([A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]?) ?([0-9][ABD-HJLNP-UW-Z]{2})\b`)

// PostcodeInText returns the first full UK postcode stated in s, normalised, or "".
func PostcodeInText(s string) string {
	for _, m := range postcodeInTextRE.FindAllStringSubmatch(s, -1) {
		if pc := NormalisePostcode(m[1] + m[2]); pc != "" {
			return pc
		}
	}
	return ""
}

// normaliseEnum folds case, spaces, hyphens and underscores so that "Drop-in",
// "drop in" and "DROP_IN" compare equal.
func normaliseEnum(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// matchEnum maps a feed's spelling of an enum value onto the ORUK value, or
// returns "" when it is none of them.
func matchEnum(s string, allowed []string, aliases map[string]string) string {
	n := normaliseEnum(s)
	if n == "" {
		return ""
	}
	for _, a := range allowed {
		if normaliseEnum(a) == n {
			return a
		}
	}
	return aliases[n]
}

var (
	statusAliases = map[string]string{
		"open": StatusActive, "live": StatusActive, "current": StatusActive,
		"closed": StatusInactive, "suspended": StatusTemporarilyClosed, "paused": StatusTemporarilyClosed,
		"temporarilyclosed": StatusTemporarilyClosed, "tempclosed": StatusTemporarilyClosed,
		"closedpermanently": StatusDefunct, "permanentlyclosed": StatusDefunct, "ceased": StatusDefunct,
	}
	attendingTypeAliases   = map[string]string{"inperson": "venue", "telephone": "phone", "homevisits": "home visit", "home": "home visit"}
	attendingAccessAliases = map[string]string{"dropin": "drop-in", "walkin": "drop-in", "appointments": "appointment", "appointmentonly": "appointment", "referralonly": "referral", "members": "membership"}
)

var weekdayAliases = map[string]string{
	"mon": "Monday", "mo": "Monday", "1": "Monday", "tue": "Tuesday", "tues": "Tuesday", "tu": "Tuesday", "2": "Tuesday",
	"wed": "Wednesday", "we": "Wednesday", "3": "Wednesday", "thu": "Thursday", "thur": "Thursday", "thurs": "Thursday", "th": "Thursday", "4": "Thursday",
	"fri": "Friday", "fr": "Friday", "5": "Friday", "sat": "Saturday", "sa": "Saturday", "6": "Saturday",
	"sun": "Sunday", "su": "Sunday", "7": "Sunday", "0": "Sunday",
}

// NormaliseWeekday maps "mon", "MO", "monday" or ISO day 1 to "Monday"; "" if unknown.
func NormaliseWeekday(s string) string {
	return matchEnum(s, Weekdays, weekdayAliases)
}

var clockTextRE = regexp.MustCompile(`^(?i)(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?\s*(am|pm|a\.m\.|p\.m\.)?$`)

// normaliseClock turns "9:00am", "09:00:00", "17.30" or "5pm" into "HH:MM";
// ok is false when s is not a time of day.
func normaliseClock(s string) (string, bool) {
	s = cleanLine(s)
	m := clockTextRE.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	h, _ := strconv.Atoi(m[1])
	min := 0
	if m[2] != "" {
		min, _ = strconv.Atoi(m[2])
	}
	switch strings.ToLower(strings.ReplaceAll(m[3], ".", "")) {
	case "am":
		if h == 12 {
			h = 0
		}
	case "pm":
		if h < 12 {
			h += 12
		}
	}
	if h == 24 && min == 0 {
		h, min = 23, 59 // "24:00" means the end of the day.
	}
	if h > 23 || min > 59 {
		return "", false
	}
	return strconv.Itoa(h/10) + strconv.Itoa(h%10) + ":" + strconv.Itoa(min/10) + strconv.Itoa(min%10), true
}

// normaliseDate accepts the date forms real feeds use and returns YYYY-MM-DD.
func normaliseDate(s string) (string, bool) {
	s = cleanLine(s)
	if s == "" {
		return "", true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}

// dateLayouts are the date forms seen in real feeds, tried in order. UK feeds
// write day before month.
var dateLayouts = []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "02/01/2006", "02/01/2006 15:04:05", "2/1/2006"}
