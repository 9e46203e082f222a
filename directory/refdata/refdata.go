// Package refdata holds the reference data Signpost ships inside its binary:
// the North Lincolnshire Council ORUK feed used to seed the demo directory and
// the UK postcode district centroids used to place services offline.
// ATTRIBUTION.md beside this file gives the source and licence of each file.
package refdata

import _ "embed"

// NorthLincsServices is North Lincolnshire Council's ORUK v1 /services list
// (738 services, 239 organisations), published as open data under the Open
// Government Licence v3.0.
//
//go:embed northlincs_services.json
var NorthLincsServices []byte

// NorthLincsSource and NorthLincsArea name the demo feed's publisher and the
// area it serves, as recorded in each record's provenance.
const (
	NorthLincsSource = "North Lincolnshire Council"
	NorthLincsArea   = "North Lincolnshire"
)

// OutcodesCSV is "outcode,latitude,longitude" for 3,096 UK postcode districts.
// Contains OS data © Crown copyright and database right; Royal Mail data ©
// Royal Mail copyright and database right; ONS data under the OGL v3.0.
//
//go:embed outcodes.csv
var OutcodesCSV []byte
