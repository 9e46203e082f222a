package directory

// Batch is the set of records one feed yields, as read and before cleaning.
// Readers (ORUK JSON, HSDS CSV datapackage, HTTP) fill it with the values as
// the source gave them, parsed only as far as Go types need (numbers, dates).
// Prepare then cleans, fills in ids and coordinates, and validates it.
type Batch struct {
	Organizations []Organization
	Services      []Service
	Locations     []Location
	Taxonomies    []TaxonomyTerm

	// Rejected lists records the reader could not turn into a record at all,
	// Warnings what it dropped or changed while keeping the record.
	Rejected []Problem
	Warnings []Problem
}

// Problem names one thing wrong with one record of a feed.
type Problem struct {
	// ID is the record's id in the source (or "#N" for the Nth record when it had none).
	ID      string `json:"id"`
	Kind    string `json:"kind,omitempty"` // service, organization, location, taxonomy
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (b *Batch) reject(kind, id, field, msg string) {
	b.Rejected = append(b.Rejected, Problem{ID: id, Kind: kind, Field: field, Message: msg})
}

func (b *Batch) warn(kind, id, field, msg string) {
	b.Warnings = append(b.Warnings, Problem{ID: id, Kind: kind, Field: field, Message: msg})
}
