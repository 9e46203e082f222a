package directory

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/signpost-uk/signpost/directory/refdata"
)

// Point is a place on the earth in decimal degrees (WGS84).
type Point struct {
	Lat, Lon float64
}

// Outcodes maps UK postcode districts to their centroids, so that "near DN15 6NL"
// and services with a postcode but no coordinates work with no network.
type Outcodes struct {
	byCode map[string]Point
}

var (
	outcodesOnce sync.Once
	outcodes     *Outcodes
	outcodesErr  error
)

// BundledOutcodes returns the postcode district centroids shipped in the binary.
func BundledOutcodes() (*Outcodes, error) {
	outcodesOnce.Do(func() { outcodes, outcodesErr = ParseOutcodes(refdata.OutcodesCSV) })
	return outcodes, outcodesErr
}

// ParseOutcodes reads "outcode,latitude,longitude" CSV.
func ParseOutcodes(data []byte) (*Outcodes, error) {
	r := csv.NewReader(bytes.NewReader(data))
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read outcodes: %w", err)
	}
	o := &Outcodes{byCode: make(map[string]Point, len(rows))}
	for i, row := range rows {
		if i == 0 || len(row) < 3 {
			continue
		}
		lat, err1 := strconv.ParseFloat(row[1], 64)
		lon, err2 := strconv.ParseFloat(row[2], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("outcodes line %d: bad coordinates", i+1)
		}
		o.byCode[strings.ToUpper(strings.TrimSpace(row[0]))] = Point{lat, lon}
	}
	return o, nil
}

// Len is the number of districts known.
func (o *Outcodes) Len() int { return len(o.byCode) }

// Lookup resolves a full postcode or an outcode, in any case or spacing, to the
// centroid of its district. It returns the normalised form it resolved.
func (o *Outcodes) Lookup(postcodeOrOutcode string) (Point, string, bool) {
	if pc := NormalisePostcode(postcodeOrOutcode); pc != "" {
		p, ok := o.byCode[Outcode(pc)]
		return p, pc, ok
	}
	oc := strings.ToUpper(strings.Join(strings.Fields(postcodeOrOutcode), ""))
	if !IsOutcode(oc) {
		return Point{}, "", false
	}
	p, ok := o.byCode[oc]
	return p, oc, ok
}

// DistanceMetres is the great-circle distance between two points.
func DistanceMetres(a, b Point) float64 {
	const earthRadius = 6371008.8
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadius * math.Asin(math.Min(1, math.Sqrt(h)))
}
