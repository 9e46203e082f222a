package directory

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// csvTable is one CSV file of a datapackage, its columns found by header name.
type csvTable struct {
	name string // resource name, for messages
	file string
	cols map[string]int
	rows [][]string
}

func (t *csvTable) get(row []string, col string) string {
	i, ok := t.cols[col]
	if !ok || i >= len(row) {
		return ""
	}
	return row[i]
}

// firstOf returns the first non-empty value among columns.
func (t *csvTable) firstOf(row []string, cols ...string) string {
	for _, c := range cols {
		if v := strings.TrimSpace(t.get(row, c)); v != "" {
			return t.get(row, c)
		}
	}
	return ""
}

// csvResources maps HSDS resource names to the file names used when
// datapackage.json does not list them.
var csvResources = map[string][]string{
	"organization":                   {"organizations.csv", "organization.csv"},
	"service":                        {"services.csv", "service.csv"},
	"location":                       {"locations.csv", "location.csv"},
	"physical_address":               {"physical_addresses.csv", "physical_address.csv"},
	"service_at_location":            {"services_at_location.csv", "service_at_location.csv", "services_at_locations.csv"},
	"regular_schedule":               {"regular_schedules.csv", "regular_schedule.csv"},
	"eligibility":                    {"eligibility.csv", "eligibilities.csv"},
	"service_taxonomy":               {"services_taxonomy.csv", "service_taxonomy.csv"},
	"taxonomy":                       {"taxonomy.csv", "taxonomies.csv", "taxonomy_terms.csv"},
	"phone":                          {"phones.csv", "phone.csv"},
	"contact":                        {"contacts.csv", "contact.csv"},
	"language":                       {"languages.csv", "language.csv"},
	"accessibility_for_disabilities": {"accessibility_for_disabilities.csv"},
	"cost_option":                    {"cost_options.csv", "cost_option.csv"},
	"service_area":                   {"service_areas.csv", "service_area.csv"},
}

// ReadDatapackage reads an HSDS 1.x tabular datapackage (datapackage.json and
// its CSV files) from dir into one Batch. Columns are found by header name,
// never by position. A CSV syntax error fails the whole read.
func ReadDatapackage(dir string) (*Batch, error) {
	manifest := filepath.Join(dir, "datapackage.json")
	data, err := os.ReadFile(manifest)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", manifest, err)
	}
	var pkg struct {
		Resources []struct {
			Name string `json:"name"`
			Path string `json:"path"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return nil, fmt.Errorf("%s: %w", manifest, describeJSONError(data, err))
	}
	paths := map[string]string{}
	for _, r := range pkg.Resources {
		if r.Name != "" && r.Path != "" && !strings.Contains(r.Path, "://") {
			paths[strings.ToLower(r.Name)] = filepath.Join(dir, filepath.Clean("/" + r.Path)[1:])
		}
	}
	tables := map[string]*csvTable{}
	for name, fallbacks := range csvResources {
		path := paths[name]
		if path == "" {
			for _, f := range fallbacks {
				if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
					path = filepath.Join(dir, f)
					break
				}
			}
		}
		if path == "" {
			continue
		}
		t, err := readCSVTable(name, path)
		if errors.Is(err, os.ErrNotExist) && paths[name] != "" {
			continue // listed but not shipped: an optional table
		}
		if err != nil {
			return nil, err
		}
		tables[name] = t
	}
	if tables["service"] == nil {
		return nil, fmt.Errorf("%s: no services table (services.csv)", dir)
	}
	return (&datapackage{tables: tables, b: &Batch{}}).build(), nil
}

func readCSVTable(name, path string) (*csvTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return &csvTable{name: name, file: path, cols: map[string]int{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	t := &csvTable{name: name, file: path, cols: map[string]int{}}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := t.cols[h]; !dup {
			t.cols[h] = i
		}
	}
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err) // csv.ParseError names the line
		}
		t.rows = append(t.rows, row)
	}
	return t, nil
}

type datapackage struct {
	tables   map[string]*csvTable
	b        *Batch
	svc      map[string]*Service // service id → record being built
	loc      map[string]*Location
	rejected map[*Service]bool
}

func (d *datapackage) each(table string, fn func(t *csvTable, row []string, label string)) {
	t := d.tables[table]
	if t == nil {
		return
	}
	for i, row := range t.rows {
		label := strings.TrimSpace(t.get(row, "id"))
		if label == "" {
			label = "row " + strconv.Itoa(i+2) // header is row 1
		}
		fn(t, row, label)
	}
}

// parent finds the service a child row belongs to, or records why not.
func (d *datapackage) parent(t *csvTable, row []string, label string) *Service {
	id := strings.TrimSpace(t.get(row, "service_id"))
	if id == "" {
		d.b.warn(t.name, label, "service_id", "service_id is empty, so this row cannot be attached to a service")
		return nil
	}
	s := d.svc[id]
	if s == nil {
		d.b.warn(t.name, label, "service_id", fmt.Sprintf("no service with id %q in this package", id))
	}
	return s
}

func (d *datapackage) build() *Batch {
	b := d.b
	d.svc = map[string]*Service{}
	d.loc = map[string]*Location{}
	d.rejected = map[*Service]bool{}

	d.each("organization", func(t *csvTable, row []string, label string) {
		b.Organizations = append(b.Organizations, Organization{ID: strings.TrimSpace(t.get(row, "id")), Name: t.get(row, "name"),
			Description: t.get(row, "description"), Email: t.get(row, "email"), URL: t.get(row, "url")})
	})

	var order []*Service
	d.each("service", func(t *csvTable, row []string, label string) {
		id := strings.TrimSpace(t.get(row, "id"))
		if id == "" {
			b.reject(KindService, label, "id", "is required")
			return
		}
		s := &Service{ID: id, OrganizationID: strings.TrimSpace(t.get(row, "organization_id")), Name: t.get(row, "name"),
			Description: t.get(row, "description"), URL: t.get(row, "url"), Email: t.get(row, "email"), Status: t.get(row, "status"),
			Fees: t.get(row, "fees"), Accreditations: t.get(row, "accreditations"), DeliverableType: t.get(row, "deliverable_type"),
			AttendingType: t.get(row, "attending_type"), AttendingAccess: t.get(row, "attending_access"), AssuredDate: t.get(row, "assured_date")}
		order = append(order, s)
		if d.svc[id] == nil {
			d.svc[id] = s // Later duplicates are reported by Prepare.
		}
	})

	d.each("location", func(t *csvTable, row []string, label string) {
		l := &Location{ID: strings.TrimSpace(t.get(row, "id")), Name: t.get(row, "name"), Description: t.get(row, "description")}
		lat, latBad := csvFloat(t.get(row, "latitude"))
		lon, lonBad := csvFloat(t.get(row, "longitude"))
		if latBad || lonBad {
			b.warn(KindLocation, label, "latitude", "coordinates are not numbers and were dropped")
		} else {
			l.Latitude, l.Longitude = lat, lon
		}
		if l.ID == "" {
			b.reject(KindLocation, label, "id", "is required")
			return
		}
		if d.loc[l.ID] == nil {
			d.loc[l.ID] = l
		}
	})
	d.each("physical_address", func(t *csvTable, row []string, label string) {
		l := d.loc[strings.TrimSpace(t.get(row, "location_id"))]
		if l == nil {
			b.warn("physical_address", label, "location_id", "no location with this id in the package; the address was dropped")
			return
		}
		l.PhysicalAddresses = append(l.PhysicalAddresses, PhysicalAddress{ID: t.get(row, "id"), Attention: t.get(row, "attention"),
			Address1: t.get(row, "address_1"), Address2: t.get(row, "address_2"), City: t.get(row, "city"),
			StateProvince: t.firstOf(row, "state_province", "region"), PostalCode: t.get(row, "postal_code"), Country: t.get(row, "country")})
	})
	d.each("accessibility_for_disabilities", func(t *csvTable, row []string, label string) {
		if strings.TrimSpace(t.get(row, "accessibility")) == "" {
			return
		}
		l := d.loc[strings.TrimSpace(t.get(row, "location_id"))]
		if l == nil {
			b.warn(t.name, label, "location_id", "no location with this id in the package; the row was dropped")
			return
		}
		l.AccessibilityForDisabilities = append(l.AccessibilityForDisabilities, Accessibility{ID: t.get(row, "id"),
			Accessibility: t.get(row, "accessibility"), Details: t.get(row, "details")})
	})

	salByID := map[string]*ServiceAtLocation{}
	salsByLoc := map[string][]*ServiceAtLocation{}
	d.each("service_at_location", func(t *csvTable, row []string, label string) {
		s := d.parent(t, row, label)
		if s == nil {
			return
		}
		s.ServiceAtLocations = append(s.ServiceAtLocations, ServiceAtLocation{ID: t.get(row, "id"), LocationID: strings.TrimSpace(t.get(row, "location_id"))})
	})
	// Pointers into the slices are taken only after every link is appended.
	for _, s := range d.svc {
		for i := range s.ServiceAtLocations {
			sal := &s.ServiceAtLocations[i]
			if id := strings.TrimSpace(sal.ID); id != "" {
				salByID[id] = sal
			}
			salsByLoc[sal.LocationID] = append(salsByLoc[sal.LocationID], sal)
		}
	}
	d.each("regular_schedule", func(t *csvTable, row []string, label string) {
		rs := RegularSchedule{ID: t.get(row, "id"), Weekday: t.get(row, "weekday"), OpensAt: t.get(row, "opens_at"), ClosesAt: t.get(row, "closes_at"),
			ValidFrom: t.get(row, "valid_from"), ValidTo: t.get(row, "valid_to"), Description: t.firstOf(row, "description", "original_text")}
		if sal := salByID[strings.TrimSpace(t.get(row, "service_at_location_id"))]; sal != nil {
			sal.RegularSchedules = append(sal.RegularSchedules, rs)
			return
		}
		if s := d.svc[strings.TrimSpace(t.get(row, "service_id"))]; s != nil {
			s.RegularSchedules = append(s.RegularSchedules, rs)
			return
		}
		if sals := salsByLoc[strings.TrimSpace(t.get(row, "location_id"))]; len(sals) > 0 {
			for _, sal := range sals {
				sal.RegularSchedules = append(sal.RegularSchedules, rs)
			}
			return
		}
		b.warn(t.name, label, "service_id", "names no service, service at location or location in this package; the opening time was dropped")
	})
	d.each("eligibility", func(t *csvTable, row []string, label string) {
		s := d.parent(t, row, label)
		if s == nil {
			return
		}
		e := Eligibility{ID: t.get(row, "id"), Eligibility: t.get(row, "eligibility")}
		for _, age := range []struct {
			col string
			dst **int
		}{{"minimum_age", &e.MinimumAge}, {"maximum_age", &e.MaximumAge}} {
			v := strings.TrimSpace(t.get(row, age.col))
			if v == "" {
				continue
			}
			n, ok := leadingNumber(v)
			if !ok || n != float64(int(n)) {
				b.reject(KindService, s.ID, fmt.Sprintf("eligibilitys[%d].%s", len(s.Eligibilitys), age.col), fmt.Sprintf("%q is not an age in whole years", v))
				d.rejected[s] = true
				return
			}
			years := int(n)
			*age.dst = &years
		}
		s.Eligibilitys = append(s.Eligibilitys, e)
	})
	d.each("service_taxonomy", func(t *csvTable, row []string, label string) {
		if s := d.parent(t, row, label); s != nil {
			s.ServiceTaxonomys = append(s.ServiceTaxonomys, ServiceTaxonomy{ID: t.get(row, "id"), TaxonomyID: strings.TrimSpace(t.get(row, "taxonomy_id"))})
		}
	})
	seenTerm := map[string]bool{}
	d.each("taxonomy", func(t *csvTable, row []string, label string) {
		id := strings.TrimSpace(t.get(row, "id"))
		if id == "" {
			b.warn(KindTaxonomy, label, "id", "is empty; the term was dropped")
			return
		}
		if seenTerm[id] {
			b.warn(KindTaxonomy, id, "id", "appears more than once; the first was kept")
			return
		}
		seenTerm[id] = true
		b.Taxonomies = append(b.Taxonomies, TaxonomyTerm{ID: id, Name: t.get(row, "name"), ParentID: t.get(row, "parent_id"), Vocabulary: t.get(row, "vocabulary")})
	})
	contactByID := map[string]*Contact{}
	d.each("contact", func(t *csvTable, row []string, label string) {
		s := d.parent(t, row, label)
		if s == nil {
			return
		}
		c := Contact{ID: t.get(row, "id"), Name: t.get(row, "name"), Title: t.get(row, "title"), Email: t.get(row, "email")}
		var parts []string
		for _, col := range []string{"phone_areacode", "phone_number"} {
			if v := strings.TrimSpace(t.get(row, col)); v != "" {
				parts = append(parts, v)
			}
		}
		if ext := strings.TrimSpace(t.get(row, "phone_extension")); ext != "" && len(parts) > 0 {
			parts = append(parts, "ext. "+ext)
		}
		if len(parts) > 0 {
			c.Phones = []Phone{{Number: strings.Join(parts, " ")}}
		}
		s.Contacts = append(s.Contacts, c)
	})
	for _, s := range d.svc {
		for i := range s.Contacts {
			if id := strings.TrimSpace(s.Contacts[i].ID); id != "" {
				contactByID[id] = &s.Contacts[i]
			}
		}
	}
	// Phones of named contacts first: adding a service-level contact below may
	// move a service's contacts in memory, leaving contactByID's pointers stale.
	type servicePhone struct {
		t     *csvTable
		row   []string
		label string
		p     Phone
	}
	var servicePhones []servicePhone
	d.each("phone", func(t *csvTable, row []string, label string) {
		p := Phone{ID: t.get(row, "id"), Number: t.get(row, "number"), Language: t.get(row, "language"), Description: t.get(row, "description")}
		if ext := strings.TrimSpace(t.get(row, "extension")); ext != "" {
			p.Number += " ext. " + ext
		}
		if c := contactByID[strings.TrimSpace(t.get(row, "contact_id"))]; c != nil {
			c.Phones = append(c.Phones, p)
			return
		}
		servicePhones = append(servicePhones, servicePhone{t, row, label, p})
	})
	for _, sp := range servicePhones {
		t, row, label, p := sp.t, sp.row, sp.label, sp.p
		s := d.svc[strings.TrimSpace(t.get(row, "service_id"))]
		if s == nil {
			b.warn(t.name, label, "service_id", "names no contact or service in this package; the phone number was dropped")
			continue
		}
		main := s.ID + "-phones"
		found := false
		for i := range s.Contacts {
			if s.Contacts[i].ID == main {
				s.Contacts[i].Phones = append(s.Contacts[i].Phones, p)
				found = true
			}
		}
		if found {
			continue
		}
		s.Contacts = append(s.Contacts, Contact{ID: main, Phones: []Phone{p}})
	}
	d.each("language", func(t *csvTable, row []string, label string) {
		if s := d.parent(t, row, label); s != nil {
			s.Languages = append(s.Languages, Language{ID: t.get(row, "id"), Language: t.get(row, "language")})
		}
	})
	d.each("cost_option", func(t *csvTable, row []string, label string) {
		s := d.parent(t, row, label)
		if s == nil {
			return
		}
		c := CostOption{ID: t.get(row, "id"), ValidFrom: t.get(row, "valid_from"), ValidTo: t.get(row, "valid_to"), Option: t.get(row, "option"),
			AmountDescription: t.get(row, "amount_description")}
		if v, bad := csvFloat(t.get(row, "amount")); bad {
			b.warn(KindService, s.ID, "cost_options.amount", fmt.Sprintf("%q is not an amount of money and was dropped", t.get(row, "amount")))
		} else {
			c.Amount = v
		}
		s.CostOptions = append(s.CostOptions, c)
	})
	d.each("service_area", func(t *csvTable, row []string, label string) {
		if s := d.parent(t, row, label); s != nil {
			s.ServiceAreas = append(s.ServiceAreas, ServiceArea{ID: t.get(row, "id"), ServiceArea: t.get(row, "service_area"),
				Extent: t.get(row, "extent"), URI: t.get(row, "uri")})
		}
	})

	for _, s := range order {
		if !d.rejected[s] {
			b.Services = append(b.Services, *s) // duplicates included: Prepare reports them
		}
	}
	if lt := d.tables["location"]; lt != nil {
		seen := map[string]bool{}
		for _, row := range lt.rows {
			id := strings.TrimSpace(lt.get(row, "id"))
			if l := d.loc[id]; l != nil && !seen[id] {
				seen[id] = true
				b.Locations = append(b.Locations, *l)
			}
		}
	}
	return b
}

// csvFloat parses an optional number; bad is true for text that is not one.
func csvFloat(s string) (v *float64, bad bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, true
	}
	return &f, false
}
