package directory

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Plain words for what a record says in codes: opening times, ages, how to
// get in, cost. They are for people reading a page, often on a phone,
// sometimes with a screen reader, so they are sentences, not tables.

// OpeningTimes says when a service runs, a line per day in week order:
// "Monday: 9:30am to 12pm". Schedules at a location are said with the
// location's name when the service runs in more than one place.
func OpeningTimes(d *ServiceDetail) []string {
	type slot struct {
		day, text string
	}
	var slots []slot
	add := func(rs RegularSchedule, where string) {
		if rs.Weekday == "" {
			return
		}
		t := timeRange(rs.OpensAt, rs.ClosesAt)
		if rs.Freq == "MONTHLY" || (rs.Interval != nil && *rs.Interval > 1) {
			t = strings.TrimSpace(t + " " + every(rs))
		}
		if rs.Description != "" {
			t = strings.TrimSpace(t + " (" + rs.Description + ")")
		}
		if where != "" {
			t = strings.TrimSpace(t + " at " + where)
		}
		slots = append(slots, slot{rs.Weekday, t})
	}
	for _, rs := range d.RegularSchedules {
		add(rs, "")
	}
	places := len(d.ServiceAtLocations)
	for _, sal := range d.ServiceAtLocations {
		where := ""
		if places > 1 {
			where = sal.Location.Name
		}
		for _, rs := range sal.RegularSchedules {
			add(rs, where)
		}
	}
	order := map[string]int{}
	for i, d := range Weekdays {
		order[d] = i
	}
	sort.SliceStable(slots, func(i, j int) bool { return order[slots[i].day] < order[slots[j].day] })
	var out []string
	seen := map[string]bool{}
	for _, s := range slots {
		line := s.day
		if s.text != "" {
			line += ": " + s.text
		}
		if !seen[line] {
			seen[line] = true
			out = append(out, line)
		}
	}
	return out
}

func every(rs RegularSchedule) string {
	if rs.Freq == "MONTHLY" {
		if rs.Byday != "" {
			return "(monthly: " + rs.Byday + ")"
		}
		return "(monthly)"
	}
	return fmt.Sprintf("(every %d weeks)", *rs.Interval)
}

func timeRange(opens, closes string) string {
	switch {
	case opens != "" && closes != "":
		return ClockWords(opens) + " to " + ClockWords(closes)
	case opens != "":
		return "from " + ClockWords(opens)
	case closes != "":
		return "until " + ClockWords(closes)
	}
	return ""
}

// ClockWords turns "09:30" into "9:30am", "12:00" into "12pm" (midday).
func ClockWords(hhmm string) string {
	h, m, ok := strings.Cut(hhmm, ":")
	hour, err1 := strconv.Atoi(h)
	min, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hour < 0 || hour > 23 || min < 0 || min > 59 {
		return hhmm
	}
	suffix := "am"
	if hour >= 12 {
		suffix = "pm"
	}
	h12 := hour % 12
	if h12 == 0 {
		h12 = 12
	}
	if min == 0 {
		if hour == 0 {
			return "midnight"
		}
		return fmt.Sprintf("%d%s", h12, suffix)
	}
	return fmt.Sprintf("%d:%02d%s", h12, min, suffix)
}

// AgesWords says who a service is for by age: "Ages 11 to 18",
// "Ages 65 and over", "" when it states no ages.
func AgesWords(d *ServiceDetail) string {
	var parts []string
	for _, e := range d.Eligibilitys {
		switch {
		case e.MinimumAge != nil && e.MaximumAge != nil:
			parts = append(parts, fmt.Sprintf("ages %d to %d", *e.MinimumAge, *e.MaximumAge))
		case e.MinimumAge != nil:
			parts = append(parts, fmt.Sprintf("ages %d and over", *e.MinimumAge))
		case e.MaximumAge != nil:
			parts = append(parts, fmt.Sprintf("up to age %d", *e.MaximumAge))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, "; ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// AccessWords says how a person gets in: drop in, book, self-refer or be
// referred, from the ORUK attending access and attending type.
func AccessWords(d *ServiceDetail) string {
	var out []string
	switch strings.ToLower(d.AttendingAccess) {
	case "drop-in", "drop in":
		out = append(out, "You can drop in: no appointment or referral needed.")
	case "appointment":
		out = append(out, "You need to book an appointment.")
	case "referral":
		out = append(out, "You need to be referred, for example by your GP practice or a link worker.")
	case "":
	default:
		out = append(out, "Access: "+d.AttendingAccess+".")
	}
	switch d.AttendingType {
	case "venue":
		out = append(out, "It takes place at a venue.")
	case "phone":
		out = append(out, "It is by phone.")
	case "online":
		out = append(out, "It is online.")
	case "home visit":
		out = append(out, "Someone visits you at home.")
	}
	return strings.Join(out, " ")
}

// CostWords says what a service costs, from its cost options and fees.
func CostWords(d *ServiceDetail) []string {
	var out []string
	for _, c := range d.CostOptions {
		var parts []string
		if c.Option != "" {
			parts = append(parts, c.Option)
		}
		if c.Amount != nil {
			if *c.Amount == 0 {
				parts = append(parts, "free")
			} else {
				parts = append(parts, fmt.Sprintf("£%.2f", *c.Amount))
			}
		}
		if c.AmountDescription != "" {
			parts = append(parts, c.AmountDescription)
		}
		if len(parts) > 0 {
			out = append(out, strings.Join(parts, ": "))
		}
	}
	if d.Fees != "" {
		out = append(out, d.Fees)
	}
	if len(out) == 0 {
		switch CostOf(d) {
		case CostFree:
			out = append(out, "Free.")
		case CostPaid:
			out = append(out, "There is a charge. Contact them to ask how much.")
		default:
			out = append(out, "Not stated. Contact them to ask.")
		}
	}
	return out
}

// AddressLines is a location's address as lines, without empty parts.
func AddressLines(a PhysicalAddress) []string {
	var out []string
	for _, s := range []string{a.Attention, a.Address1, a.Address2, a.City, a.StateProvince, a.PostalCode} {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// OpenStreetMapURL links to a point on openstreetmap.org; nothing is fetched
// from there unless the person follows the link.
func OpenStreetMapURL(lat, lon float64) string {
	return fmt.Sprintf("https://www.openstreetmap.org/?mlat=%.5f&mlon=%.5f#map=17/%.5f/%.5f", lat, lon, lat, lon)
}
