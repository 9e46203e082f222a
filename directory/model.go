package directory

import "time"

// The ORUK v1 service status values.
const (
	StatusActive            = "active"
	StatusInactive          = "inactive"
	StatusDefunct           = "defunct"
	StatusTemporarilyClosed = "temporarily closed"
)

// Provenance records where a record came from and when Signpost last changed it.
type Provenance struct {
	Source     string    `json:"source"`
	SourceID   string    `json:"source_id,omitempty"`
	ImportedAt time.Time `json:"imported_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Verification says when a record was last checked and how we know.
type Verification struct {
	// LastVerified is a calendar date, YYYY-MM-DD.
	LastVerified string `json:"last_verified,omitempty" validate:"omitempty,datetime=2006-01-02"`
	// LastVerifiedBy is "source" when the publisher stated the date it assured the
	// record, or "import" when the date is only when Signpost took it from the feed.
	LastVerifiedBy string `json:"last_verified_by,omitempty" validate:"omitempty,oneof=source import admin provider"`
}

// Organization is an ORUK organisation: the body that provides services.
// ORUK v1 requires organisation ids to be UUIDs.
type Organization struct {
	ID          string     `json:"id" validate:"required,uuid_lower"`
	Name        string     `json:"name" validate:"required,max=500"`
	Description string     `json:"description"`
	Email       string     `json:"email,omitempty" validate:"omitempty,email,max=254"`
	URL         string     `json:"url,omitempty" validate:"omitempty,web_url"`
	Logo        string     `json:"logo,omitempty" validate:"omitempty,web_url"`
	URI         string     `json:"uri,omitempty" validate:"omitempty,web_url"`
	Provenance  Provenance `json:"provenance"`
	Verification
}

// Service is an ORUK service with the children it owns. Locations are shared
// between services and stored on their own; a service refers to them by id.
type Service struct {
	ID              string `json:"id" validate:"required,max=200"`
	OrganizationID  string `json:"organization_id" validate:"required,uuid_lower"`
	Name            string `json:"name" validate:"required,max=500"`
	Description     string `json:"description"`
	URL             string `json:"url,omitempty" validate:"omitempty,web_url"`
	Email           string `json:"email,omitempty" validate:"omitempty,email,max=254"`
	Status          string `json:"status" validate:"required,oruk_status"`
	Fees            string `json:"fees,omitempty"`
	Accreditations  string `json:"accreditations,omitempty"`
	DeliverableType string `json:"deliverable_type,omitempty" validate:"omitempty,oruk_deliverable_type"`
	AttendingType   string `json:"attending_type,omitempty" validate:"omitempty,oruk_attending_type"`
	AttendingAccess string `json:"attending_access,omitempty" validate:"omitempty,oruk_attending_access"`
	AssuredDate     string `json:"assured_date,omitempty" validate:"omitempty,datetime=2006-01-02"`

	Contacts           []Contact           `json:"contacts" validate:"dive"`
	CostOptions        []CostOption        `json:"cost_options" validate:"dive"`
	Eligibilitys       []Eligibility       `json:"eligibilitys" validate:"dive"`
	Languages          []Language          `json:"languages" validate:"dive"`
	RegularSchedules   []RegularSchedule   `json:"regular_schedules" validate:"dive"`
	ServiceAreas       []ServiceArea       `json:"service_areas" validate:"dive"`
	ServiceAtLocations []ServiceAtLocation `json:"service_at_locations" validate:"dive"`
	ServiceTaxonomys   []ServiceTaxonomy   `json:"service_taxonomys" validate:"dive"`

	Provenance Provenance `json:"provenance"`
	Verification
}

// Contact is a named person or role to contact about a service.
type Contact struct {
	ID     string  `json:"id" validate:"required"`
	Name   string  `json:"name,omitempty"`
	Title  string  `json:"title,omitempty"`
	Email  string  `json:"email,omitempty" validate:"omitempty,email,max=254"`
	Phones []Phone `json:"phones" validate:"dive"`
}

// Phone is a telephone number for a service or contact.
type Phone struct {
	ID          string `json:"id" validate:"required"`
	Number      string `json:"number" validate:"required,max=40"`
	Language    string `json:"language,omitempty"`
	Description string `json:"description,omitempty"`
}

// CostOption is one price for a service. A nil Amount means none was stated;
// an Amount of zero means free.
type CostOption struct {
	ID                string   `json:"id" validate:"required"`
	ValidFrom         string   `json:"valid_from,omitempty" validate:"omitempty,datetime=2006-01-02"`
	ValidTo           string   `json:"valid_to,omitempty" validate:"omitempty,datetime=2006-01-02"`
	Option            string   `json:"option,omitempty"`
	Amount            *float64 `json:"amount,omitempty" validate:"omitempty,gte=0"`
	AmountDescription string   `json:"amount_description,omitempty"`
}

// Eligibility states who a service is for. Ages are whole years; nil means no limit.
type Eligibility struct {
	ID          string `json:"id" validate:"required"`
	Eligibility string `json:"eligibility,omitempty"`
	MinimumAge  *int   `json:"minimum_age,omitempty" validate:"omitempty,gte=0,lte=120"`
	MaximumAge  *int   `json:"maximum_age,omitempty" validate:"omitempty,gte=0,lte=120"`
}

// Language is a language a service is offered in.
type Language struct {
	ID       string `json:"id" validate:"required"`
	Language string `json:"language" validate:"required,max=100"`
}

// RegularSchedule is a weekly opening time. Times are "HH:MM" on a 24-hour clock.
type RegularSchedule struct {
	ID          string `json:"id" validate:"required"`
	Weekday     string `json:"weekday" validate:"required,weekday"`
	OpensAt     string `json:"opens_at,omitempty" validate:"omitempty,clock"`
	ClosesAt    string `json:"closes_at,omitempty" validate:"omitempty,clock"`
	ValidFrom   string `json:"valid_from,omitempty" validate:"omitempty,datetime=2006-01-02"`
	ValidTo     string `json:"valid_to,omitempty" validate:"omitempty,datetime=2006-01-02"`
	Freq        string `json:"freq,omitempty" validate:"omitempty,oneof=WEEKLY MONTHLY"`
	Interval    *int   `json:"interval,omitempty" validate:"omitempty,gte=1,lte=52"`
	Byday       string `json:"byday,omitempty"`
	Bymonthday  string `json:"bymonthday,omitempty"`
	Description string `json:"description,omitempty"`
}

// ServiceArea is a geographic area a service covers.
type ServiceArea struct {
	ID          string `json:"id" validate:"required"`
	ServiceArea string `json:"service_area" validate:"required,max=200"`
	Extent      string `json:"extent,omitempty"`
	URI         string `json:"uri,omitempty" validate:"omitempty,web_url"`
}

// ServiceAtLocation links a service to a location where it is delivered.
type ServiceAtLocation struct {
	ID               string            `json:"id" validate:"required"`
	LocationID       string            `json:"location_id" validate:"required"`
	RegularSchedules []RegularSchedule `json:"regular_schedules" validate:"dive"`
}

// ServiceTaxonomy links a service to a taxonomy term. Suggested links were
// inferred by Signpost, not chosen by the provider, and must be shown as such.
type ServiceTaxonomy struct {
	ID         string `json:"id" validate:"required"`
	TaxonomyID string `json:"taxonomy_id" validate:"required"`
	Suggested  bool   `json:"suggested,omitempty"`
}

// Location is a place where services are delivered.
type Location struct {
	ID                           string            `json:"id" validate:"required,max=200"`
	Name                         string            `json:"name,omitempty"`
	Description                  string            `json:"description,omitempty"`
	Latitude                     *float64          `json:"latitude,omitempty" validate:"required_with=Longitude,omitempty,latitude"`
	Longitude                    *float64          `json:"longitude,omitempty" validate:"required_with=Latitude,omitempty,longitude"`
	PhysicalAddresses            []PhysicalAddress `json:"physical_addresses" validate:"dive"`
	AccessibilityForDisabilities []Accessibility   `json:"accessibility_for_disabilities" validate:"dive"`

	// CoordinatesApproximate is true when the point is a postcode district's
	// centre rather than the place itself; CoordinatesSource says where it came from.
	CoordinatesApproximate bool   `json:"coordinates_approximate,omitempty"`
	CoordinatesSource      string `json:"coordinates_source,omitempty"`

	Provenance Provenance `json:"provenance"`
	Verification
}

// PhysicalAddress is a postal address of a location.
type PhysicalAddress struct {
	ID        string `json:"id" validate:"required"`
	Attention string `json:"attention,omitempty"`
	Address1  string `json:"address_1,omitempty"`
	Address2  string `json:"address_2,omitempty"`
	// ORUK requires these four keys on every address; empty means not known.
	City          string `json:"city"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country" validate:"omitempty,max=60"`
}

// Accessibility describes a location's provision for disabled people.
type Accessibility struct {
	ID            string `json:"id" validate:"required"`
	Accessibility string `json:"accessibility" validate:"required"`
	Details       string `json:"details,omitempty"`
}

// TaxonomyTerm is a term in a vocabulary, such as a category of need.
type TaxonomyTerm struct {
	ID          string     `json:"id" validate:"required,max=200"`
	Name        string     `json:"name" validate:"required,max=300"`
	Vocabulary  string     `json:"vocabulary" validate:"required,max=100"`
	ParentID    string     `json:"parent_id,omitempty"`
	Description string     `json:"description,omitempty"`
	Provenance  Provenance `json:"provenance"`
}
