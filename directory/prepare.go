package directory

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// PrepareOptions says what a feed is and what the directory already holds.
type PrepareOptions struct {
	// Source names the publisher; it namespaces derived ids and is kept in provenance.
	Source string
	// Area, when set, is recorded as the service area of every service that states none.
	Area string
	// Now is the import time (the date of "last verified: imported" records).
	Now time.Time
	// Outcodes places services that have a postcode but no coordinates.
	Outcodes *Outcodes
	// Known reports whether the directory already holds a record of a kind
	// ("organization", "location", "taxonomy") with this id, so a feed may
	// refer to records imported before. Nil means the directory is empty.
	Known func(kind, id string) bool
}

// signpostNamespace roots the name-based (v5) UUIDs Signpost derives, so the
// same source record always gets the same id and re-imports stay idempotent.
var signpostNamespace = uuid.MustParse("6f1c1a52-7f0e-4d6b-9a53-3e1f5b9a2c10")

// DeriveID returns a stable UUID for a record that has no usable id of its own.
func DeriveID(parts ...string) string {
	return uuid.NewSHA1(signpostNamespace, []byte(strings.Join(parts, "\x00"))).String()
}

// ukCountries are the spellings of the United Kingdom under which an address's
// postcode is checked as a UK postcode.
var ukCountries = map[string]bool{"": true, "gb": true, "uk": true, "unitedkingdom": true, "greatbritain": true,
	"england": true, "scotland": true, "wales": true, "northernireland": true, "gbr": true}

type preparer struct {
	opts   PrepareOptions
	in     *Batch
	out    *Batch
	orgIDs map[string]string // source organisation id → stored id
	orgBad map[string]Problem
	orgOK  map[string]bool
	locs   map[string]bool
	terms  map[string]bool
}

// Prepare cleans a batch read from a feed and checks every record. It returns
// the records to store, each valid, and lists every record it rejected and
// every value it dropped or changed, by id and field.
func Prepare(in *Batch, opts PrepareOptions) *Batch {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Known == nil {
		opts.Known = func(string, string) bool { return false }
	}
	p := &preparer{opts: opts, in: in, out: &Batch{Rejected: in.Rejected, Warnings: in.Warnings},
		orgIDs: map[string]string{}, orgBad: map[string]Problem{}, orgOK: map[string]bool{}, locs: map[string]bool{}, terms: map[string]bool{}}
	p.taxonomies()
	p.organizations()
	p.locations()
	p.services()
	return p.out
}

func (p *preparer) provenance(sourceID string) Provenance {
	return Provenance{Source: p.opts.Source, SourceID: sourceID}
}

func (p *preparer) taxonomies() {
	seen := map[string]TaxonomyTerm{}
	for _, t := range p.in.Taxonomies {
		t.ID = cleanLine(t.ID)
		t.Name = cleanLine(t.Name)
		t.Vocabulary = cleanLine(t.Vocabulary)
		t.ParentID = cleanLine(t.ParentID)
		t.Description = cleanText(t.Description)
		if t.Vocabulary == "" {
			t.Vocabulary = p.opts.Source
		}
		if prev, dup := seen[t.ID]; dup {
			if prev.Name != t.Name || prev.Vocabulary != t.Vocabulary || prev.ParentID != t.ParentID {
				p.out.warn("taxonomy", t.ID, "id", fmt.Sprintf("appears more than once with different details; the first (%q) was kept", prev.Name))
			}
			continue
		}
		t.Provenance = p.provenance(t.ID)
		if errs := Check(t); errs != nil {
			p.rejectAll("taxonomy", t.ID, errs)
			continue
		}
		seen[t.ID] = t
		p.terms[t.ID] = true
		p.out.Taxonomies = append(p.out.Taxonomies, t)
	}
}

// orgID maps a feed's organisation id onto the id Signpost stores: UUIDs are
// kept (lower-cased), anything else gets a UUID derived from source and id.
func (p *preparer) orgID(sourceID string) string {
	sourceID = strings.TrimSpace(sourceID)
	if sourceID == "" {
		return ""
	}
	if id, ok := p.orgIDs[sourceID]; ok {
		return id
	}
	id := strings.ToLower(sourceID)
	if !uuidLowerRE.MatchString(id) {
		id = DeriveID(p.opts.Source, "organization", sourceID)
	}
	p.orgIDs[sourceID] = id
	return id
}

func (p *preparer) organizations() {
	seen := map[string]Organization{}
	warned := map[string]bool{}
	for i, o := range p.in.Organizations {
		sourceID := strings.TrimSpace(o.ID)
		if sourceID == "" {
			p.out.reject("organization", "#"+strconv.Itoa(i+1), "id", "is required")
			continue
		}
		o.ID = p.orgID(sourceID)
		o.Name = cleanLine(o.Name)
		o.Description = cleanText(o.Description)
		o.Email = p.optionalEmail("organization", sourceID, "email", o.Email)
		o.URL = p.optionalURL("organization", sourceID, "url", o.URL)
		o.Logo = p.optionalURL("organization", sourceID, "logo", o.Logo)
		o.URI = p.optionalURL("organization", sourceID, "uri", o.URI)
		if prev, dup := seen[o.ID]; dup {
			if !warned[o.ID] && (contradicts(prev.Name, o.Name) || contradicts(prev.Description, o.Description) ||
				contradicts(prev.URL, o.URL) || contradicts(prev.Email, o.Email)) {
				warned[o.ID] = true
				p.out.warn("organization", sourceID, "id", "appears more than once with different details; the first was kept")
			}
			continue
		}
		if _, bad := p.orgBad[o.ID]; bad {
			continue
		}
		o.Provenance = p.provenance(sourceID)
		o.Verification = Verification{LastVerified: p.opts.Now.Format("2006-01-02"), LastVerifiedBy: "import"}
		if errs := Check(o); errs != nil {
			field := p.rejectAll("organization", sourceID, errs)
			p.orgBad[o.ID] = Problem{Field: field, Message: errs[field]}
			continue
		}
		seen[o.ID] = o
		p.orgOK[o.ID] = true
		p.out.Organizations = append(p.out.Organizations, o)
	}
}

// contradicts: two copies of a value disagree, as opposed to one leaving it out.
func contradicts(a, b string) bool { return a != "" && b != "" && a != b }

func (p *preparer) locations() {
	seen := map[string]bool{}
	for i, l := range p.in.Locations {
		l.ID = cleanLine(l.ID)
		if l.ID == "" {
			p.out.reject("location", "#"+strconv.Itoa(i+1), "id", "is required")
			continue
		}
		if seen[l.ID] {
			continue // The same location shared by several services arrives once per service.
		}
		l.Name = cleanLine(l.Name)
		l.Description = cleanText(l.Description)
		for j := range l.PhysicalAddresses {
			a := &l.PhysicalAddresses[j]
			if a.ID = cleanLine(a.ID); a.ID == "" {
				a.ID = DeriveID(p.opts.Source, "location", l.ID, "address", strconv.Itoa(j))
			}
			a.Attention, a.Address1, a.Address2 = cleanLine(a.Attention), cleanLine(a.Address1), cleanLine(a.Address2)
			a.City, a.StateProvince, a.Country = cleanLine(a.City), cleanLine(a.StateProvince), cleanLine(a.Country)
			a.PostalCode = cleanLine(a.PostalCode)
			field := fmt.Sprintf("physical_addresses[%d].postal_code", j)
			pc := NormalisePostcode(a.PostalCode)
			switch {
			case a.Country != "" && ukCountries[normaliseEnum(a.Country)]:
				a.Country = "GB" // The ORUK UK profile's spelling.
				if a.PostalCode != "" && pc == "" {
					p.out.warn("location", l.ID, field, fmt.Sprintf("%q is not a UK postcode and was dropped", a.PostalCode))
				}
				a.PostalCode = pc
			case a.Country == "" && pc != "":
				a.Country, a.PostalCode = "GB", pc
			case a.Country == "" && a.PostalCode != "":
				// No country and not a UK postcode: kept as given, but not placed on the map.
				p.out.warn("location", l.ID, field, fmt.Sprintf("%q is not a UK postcode; it was kept as given and not used to place the location", a.PostalCode))
			}
		}
		var accessible []Accessibility
		for j, a := range l.AccessibilityForDisabilities {
			a.Accessibility, a.Details = cleanLine(a.Accessibility), cleanText(a.Details)
			if a.Accessibility == "" {
				continue
			}
			if a.ID = cleanLine(a.ID); a.ID == "" {
				a.ID = DeriveID(p.opts.Source, "location", l.ID, "accessibility", strconv.Itoa(j))
			}
			accessible = append(accessible, a)
		}
		l.AccessibilityForDisabilities = accessible
		p.placeLocation(&l)
		l.Provenance = p.provenance(l.ID)
		l.Verification = Verification{LastVerified: p.opts.Now.Format("2006-01-02"), LastVerifiedBy: "import"}
		if errs := Check(l); errs != nil {
			p.rejectAll("location", l.ID, errs)
			continue
		}
		seen[l.ID] = true
		p.locs[l.ID] = true
		p.out.Locations = append(p.out.Locations, l)
	}
}

// placeLocation checks a location's coordinates and, when it has none, places
// it at the centre of its postcode district, marked approximate.
func (p *preparer) placeLocation(l *Location) {
	if l.Latitude != nil && l.Longitude != nil {
		lat, lon := *l.Latitude, *l.Longitude
		switch {
		case lat == 0 && lon == 0:
			l.Latitude, l.Longitude = nil, nil // 0,0 is a placeholder in real feeds, not a place.
		case lat < -90 || lat > 90 || lon < -180 || lon > 180:
			p.out.warn("location", l.ID, "latitude", fmt.Sprintf("%v, %v is not a place on earth; the coordinates were dropped", lat, lon))
			l.Latitude, l.Longitude = nil, nil
		default:
			l.CoordinatesSource = "feed"
			return
		}
	} else if l.Latitude != nil || l.Longitude != nil {
		p.out.warn("location", l.ID, "latitude", "only one of latitude and longitude was given; it was dropped")
		l.Latitude, l.Longitude = nil, nil
	}
	if p.opts.Outcodes == nil {
		return
	}
	for _, a := range l.PhysicalAddresses {
		if a.PostalCode == "" || !IsPostcode(a.PostalCode) {
			continue
		}
		if pt, _, ok := p.opts.Outcodes.Lookup(a.PostalCode); ok {
			setApproximate(l, pt, fmt.Sprintf("centre of postcode district %s (address postcode %s)", Outcode(a.PostalCode), a.PostalCode))
			return
		}
	}
}

func setApproximate(l *Location, pt Point, source string) {
	lat, lon := pt.Lat, pt.Lon
	l.Latitude, l.Longitude = &lat, &lon
	l.CoordinatesApproximate = true
	l.CoordinatesSource = source
}

func (p *preparer) services() {
	firstAt := map[string]int{}
	for i, s := range p.in.Services {
		s.ID = cleanLine(s.ID)
		if s.ID == "" {
			p.out.reject("service", "#"+strconv.Itoa(i+1), "id", "is required")
			continue
		}
		if at, dup := firstAt[s.ID]; dup {
			p.out.reject("service", s.ID, "id", fmt.Sprintf("duplicate id: record %d of this file has the same id; only that first one was kept", at+1))
			continue
		}
		firstAt[s.ID] = i
		if s, ok := p.service(s); ok {
			p.out.Services = append(p.out.Services, s)
		}
	}
}

func (p *preparer) service(s Service) (Service, bool) {
	id := s.ID
	sourceOrgID := s.OrganizationID
	s.OrganizationID = p.orgID(sourceOrgID)
	switch {
	case sourceOrgID == "":
		p.out.reject("service", id, "organization", "is required: every service must belong to an organisation")
		return s, false
	case p.orgBad[s.OrganizationID].Field != "":
		bad := p.orgBad[s.OrganizationID]
		p.out.reject("service", id, "organization."+bad.Field, "the service's organisation was rejected: "+bad.Field+" "+bad.Message)
		return s, false
	case !p.hasOrg(s.OrganizationID):
		p.out.reject("service", id, "organization", fmt.Sprintf("no organisation with id %q is in this feed or the directory", sourceOrgID))
		return s, false
	}
	s.Name = cleanLine(s.Name)
	s.Description = cleanText(s.Description)
	s.Fees = cleanText(s.Fees)
	s.Accreditations = cleanText(s.Accreditations)
	s.Email = p.optionalEmail("service", id, "email", s.Email)
	s.URL = p.optionalURL("service", id, "url", s.URL)

	rawStatus := cleanLine(s.Status)
	if rawStatus == "" {
		s.Status = StatusActive // A listed service with no stated status is taken to be running.
	} else if s.Status = matchEnum(rawStatus, ServiceStatuses, statusAliases); s.Status == "" {
		p.out.reject("service", id, "status", fmt.Sprintf("%q is not a service status; use one of: %s", rawStatus, strings.Join(ServiceStatuses, ", ")))
		return s, false
	}
	s.DeliverableType = p.enumOrTerm(&s, VocabularyDeliverableType, s.DeliverableType, DeliverableTypes, nil)
	s.AttendingType = p.enumOrTerm(&s, VocabularyAttendingType, s.AttendingType, AttendingTypes, attendingTypeAliases)
	s.AttendingAccess = p.enumOrTerm(&s, VocabularyAttendingAccess, s.AttendingAccess, AttendingAccess, attendingAccessAliases)

	if d, ok := normaliseDate(s.AssuredDate); ok {
		s.AssuredDate = d
	} else {
		p.out.warn("service", id, "assured_date", fmt.Sprintf("%q is not a date and was dropped", cleanLine(s.AssuredDate)))
		s.AssuredDate = ""
	}
	if s.AssuredDate != "" {
		s.Verification = Verification{LastVerified: s.AssuredDate, LastVerifiedBy: "source"}
	} else {
		s.Verification = Verification{LastVerified: p.opts.Now.Format("2006-01-02"), LastVerifiedBy: "import"}
	}

	child := func(kind string, i int, have string) string {
		if have = cleanLine(have); have != "" {
			return have
		}
		return DeriveID(p.opts.Source, "service", id, kind, strconv.Itoa(i))
	}
	var contacts []Contact
	for i, c := range s.Contacts {
		c.ID = child("contact", i, c.ID)
		c.Name, c.Title = cleanLine(c.Name), cleanLine(c.Title)
		c.Email = p.optionalEmail("service", id, fmt.Sprintf("contacts[%d].email", i), c.Email)
		var phones []Phone
		for j, ph := range c.Phones {
			ph.Number = cleanLine(ph.Number)
			if ph.Number == "" {
				continue
			}
			ph.ID = child("contact-"+strconv.Itoa(i)+"-phone", j, ph.ID)
			ph.Language, ph.Description = cleanLine(ph.Language), cleanLine(ph.Description)
			phones = append(phones, ph)
		}
		c.Phones = phones
		if c.Name == "" && c.Title == "" && c.Email == "" && len(c.Phones) == 0 {
			continue
		}
		contacts = append(contacts, c)
	}
	s.Contacts = contacts

	for i := range s.CostOptions {
		c := &s.CostOptions[i]
		c.ID = child("cost", i, c.ID)
		c.Option, c.AmountDescription = cleanLine(c.Option), cleanLine(c.AmountDescription)
		c.ValidFrom = p.optionalDate("service", id, fmt.Sprintf("cost_options[%d].valid_from", i), c.ValidFrom)
		c.ValidTo = p.optionalDate("service", id, fmt.Sprintf("cost_options[%d].valid_to", i), c.ValidTo)
	}
	for i := range s.Eligibilitys {
		e := &s.Eligibilitys[i]
		e.ID = child("eligibility", i, e.ID)
		e.Eligibility = cleanText(e.Eligibility)
	}
	var langs []Language
	for i, l := range s.Languages {
		if l.Language = cleanLine(l.Language); l.Language == "" {
			continue
		}
		if len(l.Language) > 100 {
			p.out.warn("service", id, fmt.Sprintf("languages[%d].language", i), fmt.Sprintf("%q is too long to be a language name and was dropped", truncate(l.Language, 40)))
			continue
		}
		l.ID = child("language", i, l.ID)
		langs = append(langs, l)
	}
	s.Languages = langs
	s.RegularSchedules = p.schedules(id, "regular_schedules", s.RegularSchedules)

	var areas []ServiceArea
	for i, a := range s.ServiceAreas {
		if a.ServiceArea = cleanLine(a.ServiceArea); a.ServiceArea == "" {
			continue
		}
		a.ID = child("area", i, a.ID)
		a.Extent = cleanLine(a.Extent)
		a.URI = p.optionalURL("service", id, fmt.Sprintf("service_areas[%d].uri", i), a.URI)
		areas = append(areas, a)
	}
	if len(areas) == 0 && p.opts.Area != "" {
		areas = []ServiceArea{{ID: child("area", 0, ""), ServiceArea: p.opts.Area}}
	}
	s.ServiceAreas = areas

	var links []ServiceAtLocation
	for i, sal := range s.ServiceAtLocations {
		sal.LocationID = cleanLine(sal.LocationID)
		if !p.locs[sal.LocationID] && !p.opts.Known("location", sal.LocationID) {
			p.out.warn("service", id, fmt.Sprintf("service_at_locations[%d].location_id", i), fmt.Sprintf("no usable location with id %q; the link was dropped", sal.LocationID))
			continue
		}
		sal.ID = child("at-location", i, sal.ID)
		sal.RegularSchedules = p.schedules(id, fmt.Sprintf("service_at_locations[%d].regular_schedules", i), sal.RegularSchedules)
		links = append(links, sal)
	}
	s.ServiceAtLocations = links
	if len(s.ServiceAtLocations) == 0 {
		p.locationFromDescription(&s)
	}

	var terms []ServiceTaxonomy
	seenTerm := map[string]bool{}
	for i, st := range s.ServiceTaxonomys {
		st.TaxonomyID = cleanLine(st.TaxonomyID)
		if seenTerm[st.TaxonomyID] {
			continue
		}
		if !p.terms[st.TaxonomyID] && !p.opts.Known("taxonomy", st.TaxonomyID) {
			p.out.warn("service", id, fmt.Sprintf("service_taxonomys[%d].taxonomy_id", i), fmt.Sprintf("no taxonomy term with id %q; the link was dropped", st.TaxonomyID))
			continue
		}
		seenTerm[st.TaxonomyID] = true
		st.ID = child("taxonomy-"+st.TaxonomyID, 0, st.ID)
		terms = append(terms, st)
	}
	s.ServiceTaxonomys = terms
	s.Provenance = p.provenance(id)

	if errs := Check(s); errs != nil {
		p.rejectAll("service", id, errs)
		return s, false
	}
	return s, true
}

func (p *preparer) hasOrg(id string) bool {
	return p.orgOK[id] || p.opts.Known("organization", id)
}

// enumOrTerm maps a value onto an ORUK enum. A value outside the enum is not
// dropped: it becomes a term of its own vocabulary, linked to the service.
func (p *preparer) enumOrTerm(s *Service, vocabulary, value string, allowed []string, aliases map[string]string) string {
	value = cleanLine(value)
	if value == "" {
		return ""
	}
	if v := matchEnum(value, allowed, aliases); v != "" {
		return v
	}
	termID := vocabulary + ":" + slug(value)
	if !p.terms[termID] {
		p.terms[termID] = true
		p.out.Taxonomies = append(p.out.Taxonomies, TaxonomyTerm{ID: termID, Name: value, Vocabulary: vocabulary, Provenance: p.provenance("")})
	}
	s.ServiceTaxonomys = append(s.ServiceTaxonomys, ServiceTaxonomy{TaxonomyID: termID})
	return ""
}

func (p *preparer) schedules(serviceID, field string, in []RegularSchedule) []RegularSchedule {
	var out []RegularSchedule
	for i, rs := range in {
		path := fmt.Sprintf("%s[%d]", field, i)
		day := NormaliseWeekday(rs.Weekday)
		if day == "" && rs.Byday != "" && !strings.Contains(rs.Byday, ",") {
			day = NormaliseWeekday(strings.TrimLeft(rs.Byday, "+-0123456789"))
		}
		if day == "" {
			p.out.warn("service", serviceID, path+".weekday", fmt.Sprintf("%q is not a day of the week; this opening time was dropped", cleanLine(rs.Weekday)))
			continue
		}
		rs.Weekday = day
		ok := true
		for _, t := range []*string{&rs.OpensAt, &rs.ClosesAt} {
			if cleanLine(*t) == "" {
				*t = ""
				continue
			}
			if hhmm, good := normaliseClock(*t); good {
				*t = hhmm
			} else {
				p.out.warn("service", serviceID, path+".opens_at", fmt.Sprintf("%q is not a time of day; this opening time was dropped", cleanLine(*t)))
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		rs.ID = cleanLine(rs.ID)
		if rs.ID == "" {
			rs.ID = DeriveID(p.opts.Source, "service", serviceID, path)
		}
		rs.ValidFrom = p.optionalDate("service", serviceID, path+".valid_from", rs.ValidFrom)
		rs.ValidTo = p.optionalDate("service", serviceID, path+".valid_to", rs.ValidTo)
		rs.Freq = strings.ToUpper(cleanLine(rs.Freq))
		if rs.Freq != "" && rs.Freq != "WEEKLY" && rs.Freq != "MONTHLY" {
			rs.Freq = ""
		}
		rs.Byday, rs.Bymonthday, rs.Description = cleanLine(rs.Byday), cleanLine(rs.Bymonthday), cleanText(rs.Description)
		out = append(out, rs)
	}
	return out
}

// locationFromDescription gives a service with no address, whose description
// states a full postcode, an approximate location at that postcode's district.
func (p *preparer) locationFromDescription(s *Service) {
	if p.opts.Outcodes == nil {
		return
	}
	pc := PostcodeInText(s.Description)
	if pc == "" {
		return
	}
	pt, _, ok := p.opts.Outcodes.Lookup(pc)
	if !ok {
		return
	}
	loc := Location{
		ID:                DeriveID(p.opts.Source, "service", s.ID, "postcode-in-description"),
		Name:              s.Name,
		PhysicalAddresses: []PhysicalAddress{{ID: DeriveID(p.opts.Source, "service", s.ID, "postcode-in-description", "address"), PostalCode: pc, Country: "GB"}},
		Provenance:        p.provenance(""),
		Verification:      Verification{LastVerified: p.opts.Now.Format("2006-01-02"), LastVerifiedBy: "import"},
	}
	setApproximate(&loc, pt, fmt.Sprintf("centre of postcode district %s (postcode %s stated in the service description)", Outcode(pc), pc))
	if !p.locs[loc.ID] {
		p.locs[loc.ID] = true
		p.out.Locations = append(p.out.Locations, loc)
	}
	s.ServiceAtLocations = append(s.ServiceAtLocations, ServiceAtLocation{ID: DeriveID(p.opts.Source, "service", s.ID, "postcode-in-description", "link"), LocationID: loc.ID})
}

func (p *preparer) optionalEmail(kind, id, field, v string) string {
	v = cleanEmail(v)
	if v == "" {
		return ""
	}
	if err := Validator().Var(v, "email,max=254"); err != nil {
		p.out.warn(kind, id, field, fmt.Sprintf("%q is not an e-mail address and was dropped", v))
		return ""
	}
	return v
}

func (p *preparer) optionalURL(kind, id, field, v string) string {
	v = cleanURL(v)
	if v == "" {
		return ""
	}
	if !isWebURL(v) {
		p.out.warn(kind, id, field, fmt.Sprintf("%q is not a web address and was dropped", truncate(v, 80)))
		return ""
	}
	return v
}

func (p *preparer) optionalDate(kind, id, field, v string) string {
	d, ok := normaliseDate(v)
	if !ok {
		p.out.warn(kind, id, field, fmt.Sprintf("%q is not a date and was dropped", cleanLine(v)))
	}
	return d
}

// rejectAll records one problem per failing field and returns the first field.
func (p *preparer) rejectAll(kind, id string, errs FieldErrors) string {
	first := ""
	for _, field := range sortedKeys(errs) {
		if first == "" {
			first = field
		}
		p.out.reject(kind, id, field, errs[field])
	}
	return first
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
