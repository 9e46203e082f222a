package directory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// flexString accepts a JSON string, number, boolean or null, as real feeds send
// numbers where strings belong ("id": 123) and null where they mean empty.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case b[0] == '"' && len(b) >= 2 && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b):
		// Fast path: no escapes, so the text between the quotes is the value.
		*f = flexString(b[1 : len(b)-1])
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case b[0] == '{' || b[0] == '[':
		// An UnmarshalTypeError, so that encoding/json adds the field's name.
		got := "object"
		if b[0] == '[' {
			got = "array"
		}
		return &json.UnmarshalTypeError{Value: got, Type: reflect.TypeOf("")}
	default: // number or boolean: keep its literal text
		*f = flexString(b)
	}
	return nil
}

// flexNumber accepts a number, a numeric string ("18", " 18 years", "£2.50"),
// an empty string or null. A non-numeric string is kept in Bad so that the
// record can be rejected with a message naming the field.
type flexNumber struct {
	Value *float64
	Bad   string
}

func (f *flexNumber) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	f.Value, f.Bad = nil, ""
	text := cleanLine(string(s))
	if text == "" {
		return nil
	}
	if v, ok := leadingNumber(text); ok {
		f.Value = &v
		return nil
	}
	f.Bad = text
	return nil
}

// leadingNumber reads the number at the start of s, after an optional currency
// sign: "18", "18+", "18 years", "£2.50", "-1.5". Words such as "eighteen" fail.
func leadingNumber(s string) (float64, bool) {
	s = strings.TrimLeft(s, "£$€")
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || (end == 0 && (s[end] == '-' || s[end] == '+'))) {
		end++
	}
	if end == 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(s[:end], 64)
	return v, err == nil
}

type rawOrganization struct {
	ID          flexString `json:"id"`
	Name        flexString `json:"name"`
	Description flexString `json:"description"`
	Email       flexString `json:"email"`
	URL         flexString `json:"url"`
	Logo        flexString `json:"logo"`
	URI         flexString `json:"uri"`
}

type rawService struct {
	ID              flexString       `json:"id"`
	Name            flexString       `json:"name"`
	Description     flexString       `json:"description"`
	URL             flexString       `json:"url"`
	Email           flexString       `json:"email"`
	Status          flexString       `json:"status"`
	Fees            flexString       `json:"fees"`
	Accreditations  flexString       `json:"accreditations"`
	DeliverableType flexString       `json:"deliverable_type"`
	AttendingType   flexString       `json:"attending_type"`
	AttendingAccess flexString       `json:"attending_access"`
	AssuredDate     flexString       `json:"assured_date"`
	Organization    *rawOrganization `json:"organization"`
	OrganizationID  flexString       `json:"organization_id"`

	Contacts           []rawContact         `json:"contacts"`
	CostOptions        []rawCostOption      `json:"cost_options"`
	Eligibilitys       []rawEligibility     `json:"eligibilitys"`
	Languages          []rawLanguage        `json:"languages"`
	RegularSchedules   []rawSchedule        `json:"regular_schedules"`
	ServiceAreas       []rawServiceArea     `json:"service_areas"`
	ServiceAtLocations []rawServiceAtLoc    `json:"service_at_locations"`
	ServiceTaxonomys   []rawServiceTaxonomy `json:"service_taxonomys"`
	TargetAudience     []rawAudience        `json:"pc_targetAudience"`
}

type rawContact struct {
	ID     flexString `json:"id"`
	Name   flexString `json:"name"`
	Title  flexString `json:"title"`
	Email  flexString `json:"email"`
	Phones []rawPhone `json:"phones"`
}

type rawPhone struct {
	ID          flexString `json:"id"`
	Number      flexString `json:"number"`
	Language    flexString `json:"language"`
	Description flexString `json:"description"`
}

type rawCostOption struct {
	ID                flexString `json:"id"`
	ValidFrom         flexString `json:"valid_from"`
	ValidTo           flexString `json:"valid_to"`
	Option            flexString `json:"option"`
	Amount            flexNumber `json:"amount"`
	AmountDescription flexString `json:"amount_description"`
}

type rawEligibility struct {
	ID          flexString `json:"id"`
	Eligibility flexString `json:"eligibility"`
	MinimumAge  flexNumber `json:"minimum_age"`
	MaximumAge  flexNumber `json:"maximum_age"`
}

type rawLanguage struct {
	ID       flexString `json:"id"`
	Language flexString `json:"language"`
}

type rawSchedule struct {
	ID          flexString `json:"id"`
	Weekday     flexString `json:"weekday"`
	OpensAt     flexString `json:"opens_at"`
	ClosesAt    flexString `json:"closes_at"`
	ValidFrom   flexString `json:"valid_from"`
	ValidTo     flexString `json:"valid_to"`
	Freq        flexString `json:"freq"`
	Interval    flexNumber `json:"interval"`
	Byday       flexString `json:"byday"`
	Bymonthday  flexString `json:"bymonthday"`
	Description flexString `json:"description"`
}

type rawServiceArea struct {
	ID          flexString `json:"id"`
	ServiceArea flexString `json:"service_area"`
	Extent      flexString `json:"extent"`
	URI         flexString `json:"uri"`
}

type rawServiceAtLoc struct {
	ID               flexString    `json:"id"`
	Location         *rawLocation  `json:"location"`
	LocationID       flexString    `json:"location_id"`
	RegularSchedules []rawSchedule `json:"regular_schedules"`
}

type rawLocation struct {
	ID                flexString      `json:"id"`
	Name              flexString      `json:"name"`
	Description       flexString      `json:"description"`
	Latitude          flexNumber      `json:"latitude"`
	Longitude         flexNumber      `json:"longitude"`
	PhysicalAddresses []rawAddress    `json:"physical_addresses"`
	Accessibility     []rawAccessible `json:"accessibility_for_disabilities"`
}

type rawAddress struct {
	ID            flexString `json:"id"`
	Attention     flexString `json:"attention"`
	Address1      flexString `json:"address_1"`
	Address2      flexString `json:"address_2"`
	City          flexString `json:"city"`
	StateProvince flexString `json:"state_province"`
	PostalCode    flexString `json:"postal_code"`
	Country       flexString `json:"country"`
}

type rawAccessible struct {
	ID            flexString `json:"id"`
	Accessibility flexString `json:"accessibility"`
	Details       flexString `json:"details"`
}

type rawServiceTaxonomy struct {
	ID         flexString   `json:"id"`
	Taxonomy   *rawTaxonomy `json:"taxonomy"`
	TaxonomyID flexString   `json:"taxonomy_id"`
}

type rawTaxonomy struct {
	ID         flexString `json:"id"`
	Name       flexString `json:"name"`
	Vocabulary flexString `json:"vocabulary"`
	Parent     flexString `json:"parent"`
	ParentID   flexString `json:"parent_id"`
}

type rawAudience struct {
	ID           flexString `json:"id"`
	AudienceType flexString `json:"audienceType"`
}

// ORUKPage is the part of an ORUK v1 (or v3) page this reader needs.
type orukPage struct {
	Content      []json.RawMessage `json:"content"`
	Contents     []json.RawMessage `json:"contents"` // ORUK v3
	Items        []json.RawMessage `json:"items"`
	TotalPages   *int              `json:"totalPages"`
	TotalPagesV3 *int              `json:"total_pages"`
	Last         *bool             `json:"last"`
	LastV3       *bool             `json:"last_page"`
}

// splitFeed returns the service records of a feed document: a bare array, an
// ORUK page object, or a single service object.
func splitFeed(data []byte) ([]json.RawMessage, *orukPage, error) {
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(data) == 0 {
		return nil, nil, errors.New("the file is empty")
	}
	switch data[0] {
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, nil, describeJSONError(data, err)
		}
		return items, nil, nil
	case '{':
		var page orukPage
		if err := json.Unmarshal(data, &page); err != nil {
			return nil, nil, describeJSONError(data, err)
		}
		switch {
		case page.Content != nil:
			return page.Content, &page, nil
		case page.Contents != nil:
			return page.Contents, &page, nil
		case page.Items != nil:
			return page.Items, &page, nil
		}
		var probe struct {
			ID   flexString `json:"id"`
			Name flexString `json:"name"`
		}
		if json.Unmarshal(data, &probe) == nil && probe.ID != "" {
			return []json.RawMessage{data}, nil, nil
		}
		return nil, nil, errors.New(`expected a list of services: a JSON array, or an ORUK page object with "content"`)
	}
	return nil, nil, errors.New("not JSON: the file must start with [ or {")
}

// describeJSONError says where a JSON document broke, by line and column.
func describeJSONError(data []byte, err error) error {
	var syn *json.SyntaxError
	offset := int64(-1)
	if errors.As(err, &syn) {
		offset = syn.Offset
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		offset = typ.Offset
	}
	if strings.Contains(err.Error(), "unexpected end of JSON input") || (syn != nil && syn.Offset >= int64(len(data))) {
		return fmt.Errorf("the JSON ends early (is the file truncated?): %w", err)
	}
	if offset < 0 || offset > int64(len(data)) {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	line := 1 + bytes.Count(data[:offset], []byte("\n"))
	col := offset - int64(bytes.LastIndexByte(data[:offset], '\n'))
	return fmt.Errorf("invalid JSON at line %d, column %d: %w", line, col, err)
}

// ParseORUK reads one ORUK v1 services document (an array, a page object, or a
// single service) into a Batch. A document that is not valid JSON is an error
// and yields nothing; a record of the wrong shape is rejected on its own.
func ParseORUK(data []byte) (*Batch, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(trimmed) > 0 && trimmed[0] == '[' && json.Valid(trimmed) {
		return parseArray(trimmed)
	}
	items, _, err := splitFeed(data)
	if err != nil {
		return nil, err
	}
	b := &Batch{}
	for i, item := range items {
		b.addRawService(i, item)
	}
	return b, nil
}

// parseArray decodes a bare array of services record by record, straight into
// raw services: large national feeds are arrays, and this avoids holding a
// second copy of every record. data must already be known to be valid JSON.
func parseArray(data []byte) (*Batch, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // the opening [
		return nil, describeJSONError(data, err)
	}
	b := &Batch{}
	for i := 0; dec.More(); i++ {
		start := dec.InputOffset()
		var r rawService
		err := dec.Decode(&r)
		var typ *json.UnmarshalTypeError
		switch {
		case err == nil:
			b.addService(i, &r)
		case errors.As(err, &typ):
			// The decoder skipped the bad value and can go on; re-read this one
			// record on its own to report it by id and field.
			end := dec.InputOffset()
			b.addRawService(i, bytes.TrimLeft(data[start:end], " \t\r\n,"))
		default:
			return nil, describeJSONError(data, err)
		}
	}
	return b, nil
}

// ReadORUKPath reads an ORUK feed from a file or from a directory of page
// files (*.json, read in name order) into one Batch.
func ReadORUKPath(path string) (*Batch, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		b, err := ParseORUK(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return b, nil
	}
	files, err := filepath.Glob(filepath.Join(path, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no .json page files in this directory", path)
	}
	sort.Slice(files, func(i, j int) bool { return naturalLess(filepath.Base(files[i]), filepath.Base(files[j])) })
	all := &Batch{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		b, err := ParseORUK(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		all.Append(b)
	}
	return all, nil
}

// Append adds another batch's records and problems to b.
func (b *Batch) Append(o *Batch) {
	b.Organizations = append(b.Organizations, o.Organizations...)
	b.Services = append(b.Services, o.Services...)
	b.Locations = append(b.Locations, o.Locations...)
	b.Taxonomies = append(b.Taxonomies, o.Taxonomies...)
	b.Rejected = append(b.Rejected, o.Rejected...)
	b.Warnings = append(b.Warnings, o.Warnings...)
}

// naturalLess orders "page2.json" before "page10.json".
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		ad, bd := digitPrefix(a), digitPrefix(b)
		if ad != "" && bd != "" {
			an, _ := strconv.Atoi(ad)
			bn, _ := strconv.Atoi(bd)
			if an != bn {
				return an < bn
			}
			a, b = a[len(ad):], b[len(bd):]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digitPrefix(s string) string {
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

// isDetailed reports whether a raw service carries its children, that is,
// whether it is a full /services/{id} record rather than a list summary.
func (r *rawService) isDetailed() bool {
	return r.ServiceAtLocations != nil || r.RegularSchedules != nil || r.ServiceTaxonomys != nil ||
		r.Contacts != nil || r.Eligibilitys != nil || r.CostOptions != nil
}

func (b *Batch) addRawService(index int, item json.RawMessage) {
	var r rawService
	label := "#" + strconv.Itoa(index+1)
	if err := json.Unmarshal(item, &r); err != nil {
		var idProbe struct {
			ID flexString `json:"id"`
		}
		if json.Unmarshal(item, &idProbe) == nil && idProbe.ID != "" {
			label = string(idProbe.ID)
		}
		field, msg := "", err.Error()
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			field, msg = typ.Field, "has the wrong type: expected "+typ.Type.String()+", got "+typ.Value
		}
		if len(item) > 0 && item[0] != '{' {
			field, msg = "", "is not a JSON object"
		}
		b.reject("service", label, field, msg)
		return
	}
	b.addService(index, &r)
}

func (b *Batch) addService(index int, r *rawService) {
	id := strings.TrimSpace(string(r.ID))
	label := id
	if label == "" {
		label = "#" + strconv.Itoa(index+1)
	}
	s := Service{
		ID:              id,
		Name:            string(r.Name),
		Description:     string(r.Description),
		URL:             string(r.URL),
		Email:           string(r.Email),
		Status:          string(r.Status),
		Fees:            string(r.Fees),
		Accreditations:  string(r.Accreditations),
		DeliverableType: string(r.DeliverableType),
		AttendingType:   string(r.AttendingType),
		AttendingAccess: string(r.AttendingAccess),
		AssuredDate:     string(r.AssuredDate),
		OrganizationID:  strings.TrimSpace(string(r.OrganizationID)),
	}
	if o := r.Organization; o != nil {
		org := Organization{ID: strings.TrimSpace(string(o.ID)), Name: string(o.Name), Description: string(o.Description),
			Email: string(o.Email), URL: string(o.URL), Logo: string(o.Logo), URI: string(o.URI)}
		if s.OrganizationID == "" {
			s.OrganizationID = org.ID
		}
		if org.ID != "" {
			b.Organizations = append(b.Organizations, org)
		}
	}
	for _, c := range r.Contacts {
		contact := Contact{ID: string(c.ID), Name: string(c.Name), Title: string(c.Title), Email: string(c.Email)}
		for _, p := range c.Phones {
			contact.Phones = append(contact.Phones, Phone{ID: string(p.ID), Number: string(p.Number), Language: string(p.Language), Description: string(p.Description)})
		}
		s.Contacts = append(s.Contacts, contact)
	}
	for i, c := range r.CostOptions {
		if c.Amount.Bad != "" {
			b.warn("service", label, fmt.Sprintf("cost_options[%d].amount", i), fmt.Sprintf("%q is not an amount of money; it was kept as the description", c.Amount.Bad))
			if c.AmountDescription == "" {
				c.AmountDescription = flexString(c.Amount.Bad)
			}
		}
		s.CostOptions = append(s.CostOptions, CostOption{ID: string(c.ID), ValidFrom: string(c.ValidFrom), ValidTo: string(c.ValidTo),
			Option: string(c.Option), Amount: c.Amount.Value, AmountDescription: string(c.AmountDescription)})
	}
	for i, e := range r.Eligibilitys {
		el := Eligibility{ID: string(e.ID), Eligibility: string(e.Eligibility)}
		for _, age := range []struct {
			name string
			num  flexNumber
			dst  **int
		}{{"minimum_age", e.MinimumAge, &el.MinimumAge}, {"maximum_age", e.MaximumAge, &el.MaximumAge}} {
			field := fmt.Sprintf("eligibilitys[%d].%s", i, age.name)
			switch {
			case age.num.Bad != "":
				b.reject("service", label, field, fmt.Sprintf("%q is not an age in whole years", age.num.Bad))
				return
			case age.num.Value != nil:
				v := *age.num.Value
				if v != float64(int(v)) {
					b.reject("service", label, field, fmt.Sprintf("%v is not an age in whole years", v))
					return
				}
				n := int(v)
				*age.dst = &n
			}
		}
		s.Eligibilitys = append(s.Eligibilitys, el)
	}
	for _, l := range r.Languages {
		s.Languages = append(s.Languages, Language{ID: string(l.ID), Language: string(l.Language)})
	}
	s.RegularSchedules = rawSchedules(r.RegularSchedules)
	for _, a := range r.ServiceAreas {
		s.ServiceAreas = append(s.ServiceAreas, ServiceArea{ID: string(a.ID), ServiceArea: string(a.ServiceArea), Extent: string(a.Extent), URI: string(a.URI)})
	}
	for i, sal := range r.ServiceAtLocations {
		link := ServiceAtLocation{ID: string(sal.ID), LocationID: strings.TrimSpace(string(sal.LocationID)), RegularSchedules: rawSchedules(sal.RegularSchedules)}
		if l := sal.Location; l != nil {
			loc := Location{ID: strings.TrimSpace(string(l.ID)), Name: string(l.Name), Description: string(l.Description)}
			if loc.ID == "" {
				loc.ID = link.LocationID
			}
			if l.Latitude.Bad != "" || l.Longitude.Bad != "" {
				b.warn("location", loc.ID, "latitude", "coordinates are not numbers and were dropped")
			} else {
				loc.Latitude, loc.Longitude = l.Latitude.Value, l.Longitude.Value
			}
			for _, a := range l.PhysicalAddresses {
				loc.PhysicalAddresses = append(loc.PhysicalAddresses, PhysicalAddress{ID: string(a.ID), Attention: string(a.Attention),
					Address1: string(a.Address1), Address2: string(a.Address2), City: string(a.City), StateProvince: string(a.StateProvince),
					PostalCode: string(a.PostalCode), Country: string(a.Country)})
			}
			for _, a := range l.Accessibility {
				loc.AccessibilityForDisabilities = append(loc.AccessibilityForDisabilities, Accessibility{ID: string(a.ID), Accessibility: string(a.Accessibility), Details: string(a.Details)})
			}
			if link.LocationID == "" {
				link.LocationID = loc.ID
			}
			if loc.ID != "" {
				b.Locations = append(b.Locations, loc)
			}
		}
		if link.LocationID == "" {
			b.warn("service", label, fmt.Sprintf("service_at_locations[%d].location", i), "has no location id and was dropped")
			continue
		}
		s.ServiceAtLocations = append(s.ServiceAtLocations, link)
	}
	for _, st := range r.ServiceTaxonomys {
		link := ServiceTaxonomy{ID: string(st.ID), TaxonomyID: strings.TrimSpace(string(st.TaxonomyID))}
		if t := st.Taxonomy; t != nil {
			term := TaxonomyTerm{ID: strings.TrimSpace(string(t.ID)), Name: string(t.Name), Vocabulary: string(t.Vocabulary), ParentID: string(t.ParentID)}
			if term.ParentID == "" {
				term.ParentID = string(t.Parent)
			}
			if link.TaxonomyID == "" {
				link.TaxonomyID = term.ID
			}
			if term.ID != "" {
				b.Taxonomies = append(b.Taxonomies, term)
			}
		}
		if link.TaxonomyID != "" {
			s.ServiceTaxonomys = append(s.ServiceTaxonomys, link)
		}
	}
	for _, a := range r.TargetAudience {
		b.addAudience(&s, string(a.AudienceType))
	}
	b.Services = append(b.Services, s)
}

// addAudience turns an ORUK UK "pc_targetAudience" value such as
// "Parents>Grandparents" into terms of the target_audience vocabulary.
func (b *Batch) addAudience(s *Service, audience string) {
	parentID := ""
	for _, part := range strings.Split(audience, ">") {
		name := cleanLine(part)
		if name == "" {
			continue
		}
		// "Parents>Grandparents" → target_audience:parents.grandparents: no "/",
		// so every id is one URL path segment.
		id := VocabularyTargetAudience + ":" + slug(name)
		if parentID != "" {
			id = parentID + "." + slug(name)
		}
		b.Taxonomies = append(b.Taxonomies, TaxonomyTerm{ID: id, Name: name, Vocabulary: VocabularyTargetAudience, ParentID: parentID})
		parentID = id
	}
	if parentID != "" {
		s.ServiceTaxonomys = append(s.ServiceTaxonomys, ServiceTaxonomy{TaxonomyID: parentID})
	}
}

func rawSchedules(in []rawSchedule) []RegularSchedule {
	var out []RegularSchedule
	for _, r := range in {
		rs := RegularSchedule{ID: string(r.ID), Weekday: string(r.Weekday), OpensAt: string(r.OpensAt), ClosesAt: string(r.ClosesAt),
			ValidFrom: string(r.ValidFrom), ValidTo: string(r.ValidTo), Freq: string(r.Freq), Byday: string(r.Byday),
			Bymonthday: string(r.Bymonthday), Description: string(r.Description)}
		if r.Interval.Value != nil && *r.Interval.Value >= 1 {
			n := int(*r.Interval.Value)
			rs.Interval = &n
		}
		out = append(out, rs)
	}
	return out
}

// Vocabulary names Signpost gives to values that arrive outside the ORUK enums,
// and to the ORUK UK target audience extension.
const (
	VocabularyTargetAudience  = "target_audience"
	VocabularyDeliverableType = "deliverable_type"
	VocabularyAttendingType   = "attending_type"
	VocabularyAttendingAccess = "attending_access"
)

// slug makes a stable, readable id fragment: "Parents " → "parents", "LGBTQ+" → "lgbtq".
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
