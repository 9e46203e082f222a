package directory

import (
	"regexp"
	"strings"
)

// Facts about a service that its record only implies: whether it costs
// money, how it is given, which days it runs. Search filters on them and
// the pages show them, so both read them from here.

// Cost facet values.
const (
	CostFree    = "free"
	CostPaid    = "paid"
	CostUnknown = "unknown"
)

// Delivery facet values.
const (
	DeliveryInPerson = "in_person"
	DeliveryOnline   = "online"
	DeliveryPhone    = "phone"
)

var (
	moneyRE = regexp.MustCompile(`£\s?\d`)
	freeRE  = regexp.MustCompile(`(?i)\bfree\b|\bno charge\b|\bno cost\b`)
	// notAboutPrice are uses of "free" that say nothing of what a service costs.
	notAboutPrice = regexp.MustCompile(`(?i)^free[\s-]*(parking|wi-?fi|time|from|of judg|range|flowing|standing|school meals?)|feel\s+free\s*$|(gluten|sugar|dairy|smoke|alcohol|drug|debt|barrier|hands)[\s-]*$`)
	onlineRE      = regexp.MustCompile(`(?i)\b(online|zoom|microsoft teams|virtual|video call|webinar)\b`)
	phoneRE       = regexp.MustCompile(`(?i)\b(helpline|telephone support|phone line|by phone|over the phone|telephone service)\b`)
	lowerDaysMap  = map[string]string{}
)

// The words the delivery expressions look for, to skip them on text without any.
var (
	onlineWords = []string{"online", "zoom", "microsoft teams", "virtual", "video call", "webinar"}
	phoneWords  = []string{"helpline", "telephone", "phone"}
)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func init() {
	for _, d := range Weekdays {
		lowerDaysMap[d] = strings.ToLower(d)
	}
}

// CostOf says whether a service is free, from its cost options first, then its
// fees text, then what its description states.
func CostOf(s *ServiceDetail) string {
	free, paid := false, false
	for _, c := range s.CostOptions {
		if c.Amount != nil {
			if *c.Amount == 0 {
				free = true
			} else {
				paid = true
			}
		}
	}
	if !free && !paid && s.Fees != "" {
		lower := strings.ToLower(s.Fees)
		switch {
		case moneyRE.MatchString(s.Fees):
			paid = true
		case strings.Contains(lower, "free") || strings.Contains(lower, "no charge"):
			free = true
		}
	}
	if !free && !paid {
		switch {
		case strings.Contains(s.Description, "£") && moneyRE.MatchString(s.Description):
			paid = true
		case statesFree(s.Description):
			free = true
		}
	}
	switch {
	case paid:
		return CostPaid // a service with any charge is not listed as free
	case free:
		return CostFree
	}
	return CostUnknown
}

// statesFree reports whether a text says the service is free: "free" used of
// the price, not "free parking", "feel free" or "alcohol-free".
func statesFree(text string) bool {
	// The regular expressions are slow on long text; most text never says it.
	lower := strings.ToLower(text)
	if !strings.Contains(lower, "free") && !strings.Contains(lower, "no c") {
		return false
	}
	for _, m := range freeRE.FindAllStringIndex(text, -1) {
		after := text[m[0]:min(len(text), m[1]+16)]
		before := text[max(0, m[0]-12):m[0]]
		if !notAboutPrice.MatchString(after) && !notAboutPrice.MatchString(before) {
			return true
		}
	}
	return false
}

// DeliveryOf says how a service is given: in person, online, by phone.
func DeliveryOf(s *ServiceDetail) []string {
	set := map[string]bool{}
	switch s.AttendingType {
	case "venue", "home visit":
		set[DeliveryInPerson] = true
	case "online":
		set[DeliveryOnline] = true
	case "phone":
		set[DeliveryPhone] = true
	}
	if len(set) == 0 {
		if len(s.ServiceAtLocations) > 0 {
			set[DeliveryInPerson] = true
		}
		text := s.Name + " " + s.Description
		lower := strings.ToLower(text)
		if containsAny(lower, onlineWords) && onlineRE.MatchString(text) {
			set[DeliveryOnline] = true
		}
		if containsAny(lower, phoneWords) && phoneRE.MatchString(text) {
			set[DeliveryPhone] = true
		}
	}
	out := sortedKeys(set)
	if out == nil {
		out = []string{}
	}
	return out
}

// DaysOf lists the days a service is open, in lower case, in week order.
func DaysOf(s *ServiceDetail) []string {
	set := map[string]bool{}
	for _, rs := range s.RegularSchedules {
		set[lowerDaysMap[rs.Weekday]] = true
	}
	for _, sal := range s.ServiceAtLocations {
		for _, rs := range sal.RegularSchedules {
			set[lowerDaysMap[rs.Weekday]] = true
		}
	}
	out := []string{}
	for _, d := range Weekdays {
		if set[lowerDaysMap[d]] {
			out = append(out, lowerDaysMap[d])
		}
	}
	return out
}
