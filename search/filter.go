package search

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/geo"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/signpost-uk/signpost/directory"
)

// The filter engine answers the structured half of a search — status,
// categories, cost, delivery, day, age, distance — and the facet counts with
// roaring bitmaps over the documents of one index snapshot. bleve's own
// filters walk a posting list and its facets visit doc values for every hit,
// which at 100,000 services cost tens of milliseconds a search; a bitmap AND
// costs microseconds. bleve still finds and scores the words.
//
// Document numbers are scorch's: a snapshot is a list of immutable segments,
// and a document's number is its segment's offset plus its number inside the
// segment. Segments never change, so what is read from one (posting bitmaps,
// coordinates) is cached per segment; a snapshot's view (its segments,
// offsets and deletions) is cached per snapshot. Everything cached is a copy
// on the Go heap, never a slice of a segment's memory map, because a merged
// segment is unmapped while the cache may still hold it.

// engine caches per-segment data and per-snapshot views for one bleve index.
type engine struct {
	mu    sync.Mutex
	segs  map[segment.Segment]*segData
	views []*view // most recent first
}

const keptViews = 4

func newEngine() *engine { return &engine{segs: map[segment.Segment]*segData{}} }

// segData is what the engine has read of one segment.
type segData struct {
	seg segment.Segment
	n   uint64 // documents in the segment, deleted ones included

	terms memo[string] // field \x00 term → local doc numbers

	pointsOnce sync.Once
	pointsErr  error
	ptStart    []uint32 // local doc → its first point in lat/lon; len n+1
	lat, lon   []float32
	cells      map[uint32]*roaring.Bitmap // grid cell → local docs with a point in it
}

// view is one snapshot as the engine sees it.
type view struct {
	snap  *scorch.IndexSnapshot
	parts []part
	size  uint64 // documents numbered, deleted ones included
	live  *roaring.Bitmap

	terms memo[string] // field \x00 term → global doc numbers
	cells memo[uint32] // grid cell → global doc numbers
}

type part struct {
	data   *segData
	offset uint64
}

// view returns the engine's view of a snapshot the caller holds open.
func (e *engine) view(snap *scorch.IndexSnapshot) *view {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, v := range e.views {
		if v.snap == snap {
			if i > 0 { // most recent first
				copy(e.views[1:i+1], e.views[:i])
				e.views[0] = v
			}
			return v
		}
	}
	v := &view{snap: snap, live: roaring.New()}
	var off uint64
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		sd := e.segs[seg]
		if sd == nil {
			sd = &segData{seg: seg, n: seg.Count()}
			e.segs[seg] = sd
		}
		v.parts = append(v.parts, part{data: sd, offset: off})
		live := roaring.New()
		live.AddRange(off, off+sd.n)
		if del := ss.Deleted(); del != nil && !del.IsEmpty() {
			live.AndNot(roaring.AddOffset64(del, int64(off)))
		}
		v.live.Or(live)
		off += sd.n
	}
	v.size = off
	e.views = append([]*view{v}, e.views...)
	if len(e.views) > keptViews {
		e.views = e.views[:keptViews]
	}
	// Forget segments no kept view uses: they have been merged away.
	used := map[segment.Segment]bool{}
	for _, kept := range e.views {
		for _, p := range kept.parts {
			used[p.data.seg] = true
		}
	}
	for seg := range e.segs {
		if !used[seg] {
			delete(e.segs, seg)
		}
	}
	return v
}

// heapCopy copies a bitmap that may live in a segment's memory map.
func heapCopy(bm *roaring.Bitmap) (*roaring.Bitmap, error) {
	buf, err := bm.ToBytes()
	if err != nil {
		return nil, err
	}
	out := roaring.New()
	if _, err := out.ReadFrom(bytes.NewReader(buf)); err != nil {
		return nil, err
	}
	return out, nil
}

// memo keeps bitmaps worked out once each; it is safe for concurrent use.
// Two callers may work out the same bitmap at once: both get a right one.
type memo[K comparable] struct {
	mu sync.Mutex
	m  map[K]*roaring.Bitmap
}

func (c *memo[K]) get(key K, compute func() (*roaring.Bitmap, error)) (*roaring.Bitmap, error) {
	c.mu.Lock()
	bm, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return bm, nil
	}
	bm, err := compute()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[K]*roaring.Bitmap{}
	}
	c.m[key] = bm
	c.mu.Unlock()
	return bm, nil
}

// term returns the local documents holding field:term.
func (sd *segData) term(field, term string) (*roaring.Bitmap, error) {
	return sd.terms.get(field+"\x00"+term, func() (*roaring.Bitmap, error) { return sd.readTerm(field, term) })
}

func (sd *segData) readTerm(field, term string) (*roaring.Bitmap, error) {
	bm := roaring.New()
	dict, err := sd.seg.Dictionary(field)
	if err != nil {
		return nil, err
	}
	if dict != nil {
		pl, err := dict.PostingsList([]byte(term), nil, nil)
		if err != nil {
			return nil, err
		}
		if pl != nil && pl.Count() > 0 {
			it := pl.Iterator(false, false, false, nil)
			var actual *roaring.Bitmap
			if o, ok := it.(segment.OptimizablePostingsIterator); ok {
				actual = o.ActualBitmap()
			}
			if actual != nil {
				return heapCopy(actual)
			}
			// A one-document posting list has no bitmap.
			for p, err := it.Next(); p != nil || err != nil; p, err = it.Next() {
				if err != nil {
					return nil, err
				}
				bm.Add(uint32(p.Number()))
			}
		}
	}
	return bm, nil
}

// Grid cells group locations for the distance filter: 0.1° of latitude by
// 0.1° of longitude, about 11 km by 7 km in England.
const cellDegrees = 0.1

func cellOf(lat, lon float64) uint32 {
	y := uint32(math.Floor((lat + 90) / cellDegrees))
	x := uint32(math.Floor((lon + 180) / cellDegrees))
	return y<<16 | x
}

// points reads every document's coordinates from the geopoint doc values,
// once per segment.
func (sd *segData) points() error {
	sd.pointsOnce.Do(func() {
		dv, ok := sd.seg.(segment.DocValueVisitable)
		if !ok {
			sd.pointsErr = fmt.Errorf("search: segment %T has no doc values", sd.seg)
			return
		}
		sd.ptStart = make([]uint32, sd.n+1)
		sd.cells = map[uint32]*roaring.Bitmap{}
		fields := []string{fieldLocation}
		var state segment.DocVisitState
		var err error
		for doc := uint64(0); doc < sd.n; doc++ {
			sd.ptStart[doc] = uint32(len(sd.lat))
			state, err = dv.VisitDocValues(doc, fields, func(field string, term []byte) {
				pc := numeric.PrefixCoded(term)
				if shift, err := pc.Shift(); err != nil || shift != 0 {
					return // a coarser copy of a point, for bleve's own geo queries
				}
				i64, err := pc.Int64()
				if err != nil {
					return
				}
				lon, lat := geo.MortonUnhashLon(uint64(i64)), geo.MortonUnhashLat(uint64(i64))
				sd.lat, sd.lon = append(sd.lat, float32(lat)), append(sd.lon, float32(lon))
				c := cellOf(lat, lon)
				if sd.cells[c] == nil {
					sd.cells[c] = roaring.New()
				}
				sd.cells[c].Add(uint32(doc))
			}, state)
			if err != nil {
				sd.pointsErr = err
				return
			}
		}
		sd.ptStart[sd.n] = uint32(len(sd.lat))
	})
	return sd.pointsErr
}

// term returns the live and deleted documents of the snapshot holding field:term.
func (v *view) term(field, term string) (*roaring.Bitmap, error) {
	return v.terms.get(field+"\x00"+term, func() (*roaring.Bitmap, error) {
		bm := roaring.New()
		for _, p := range v.parts {
			local, err := p.data.term(field, term)
			if err != nil {
				return nil, err
			}
			if !local.IsEmpty() {
				bm.Or(roaring.AddOffset64(local, int64(p.offset)))
			}
		}
		return bm, nil
	})
}

// anyOf returns the documents holding any of the field's terms.
func (v *view) anyOf(field string, terms []string) (*roaring.Bitmap, error) {
	bms := make([]*roaring.Bitmap, 0, len(terms))
	for _, t := range terms {
		bm, err := v.term(field, t)
		if err != nil {
			return nil, err
		}
		bms = append(bms, bm)
	}
	return roaring.FastOr(bms...), nil
}

func (v *view) cell(c uint32) (*roaring.Bitmap, error) {
	return v.cells.get(c, func() (*roaring.Bitmap, error) {
		bm := roaring.New()
		for _, p := range v.parts {
			if err := p.data.points(); err != nil {
				return nil, err
			}
			if local := p.data.cells[c]; local != nil {
				bm.Or(roaring.AddOffset64(local, int64(p.offset)))
			}
		}
		return bm, nil
	})
}

// partOf finds the segment a document number belongs to.
func (v *view) partOf(doc uint64) int {
	return sort.Search(len(v.parts), func(i int) bool { return v.parts[i].offset > doc }) - 1
}

// distance is the distance in metres from p to the nearest location of doc,
// +Inf when it has none. The segment's points must have been read.
func (v *view) distance(doc uint64, p directory.Point) float64 {
	i := v.partOf(doc)
	if i < 0 {
		return math.Inf(1)
	}
	sd := v.parts[i].data
	local := doc - v.parts[i].offset
	if sd.points() != nil || local >= sd.n {
		return math.Inf(1)
	}
	best := math.Inf(1)
	for k := sd.ptStart[local]; k < sd.ptStart[local+1]; k++ {
		best = math.Min(best, haversine(p.Lat, p.Lon, float64(sd.lat[k]), float64(sd.lon[k])))
	}
	return best
}

// readPoints reads the coordinates of every segment of the view.
func (v *view) readPoints() error {
	for _, p := range v.parts {
		if err := p.data.points(); err != nil {
			return err
		}
	}
	return nil
}

const earthRadiusMetres = 6371008.8

func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusMetres * math.Asin(math.Min(1, math.Sqrt(a)))
}

// within keeps the candidates with a location no further than radius from p.
func (v *view) within(candidates *roaring.Bitmap, p directory.Point, radius float64) (*roaring.Bitmap, error) {
	if err := v.readPoints(); err != nil {
		return nil, err
	}
	dLat := radius / 111_000 // a degree of latitude is at least 110.5 km
	cosLat := math.Cos(math.Min(89, math.Abs(p.Lat)+dLat) * math.Pi / 180)
	dLon := radius / (111_000 * math.Max(cosLat, 0.01))
	var cells []*roaring.Bitmap
	for lat := math.Floor((p.Lat-dLat)/cellDegrees) * cellDegrees; lat <= p.Lat+dLat; lat += cellDegrees {
		for lon := math.Floor((p.Lon-dLon)/cellDegrees) * cellDegrees; lon <= p.Lon+dLon; lon += cellDegrees {
			bm, err := v.cell(cellOf(lat+cellDegrees/2, lon+cellDegrees/2))
			if err != nil {
				return nil, err
			}
			if !bm.IsEmpty() {
				cells = append(cells, bm)
			}
		}
	}
	near := roaring.FastOr(cells...)
	near.And(candidates)
	out := roaring.New()
	it := near.Iterator()
	for it.HasNext() {
		doc := it.Next()
		if v.distance(uint64(doc), p) <= radius {
			out.Add(doc)
		}
	}
	return out, nil
}

// filterSpec is the structured part of a query.
type filterSpec struct {
	allOf   [][]termSet // each group: a document must hold one of its terms
	exclude []termSet   // a document must hold none of these
	near    *directory.Point
	radius  float64 // metres; 0 = no limit
}

type termSet struct {
	field string
	terms []string
}

// filter returns the live documents that meet the spec.
func (v *view) filter(f filterSpec) (*roaring.Bitmap, error) {
	out := v.live.Clone()
	for _, group := range f.allOf {
		var any []*roaring.Bitmap
		for _, ft := range group {
			bm, err := v.anyOf(ft.field, ft.terms)
			if err != nil {
				return nil, err
			}
			any = append(any, bm)
		}
		out.And(roaring.FastOr(any...))
	}
	for _, ft := range f.exclude {
		bm, err := v.anyOf(ft.field, ft.terms)
		if err != nil {
			return nil, err
		}
		out.AndNot(bm)
	}
	if f.near != nil && f.radius > 0 {
		return v.within(out, *f.near, f.radius)
	}
	return out, nil
}

// facet counts, for each term, the hits that hold it; terms no hit holds are left out.
func (v *view) facet(hits *roaring.Bitmap, field string, terms []string) ([]FacetCount, error) {
	var out []FacetCount
	for _, t := range terms {
		bm, err := v.term(field, t)
		if err != nil {
			return nil, err
		}
		if n := hits.AndCardinality(bm); n > 0 {
			out = append(out, FacetCount{Value: t, Count: int(n)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out, nil
}

// externalID is the service id of a document number.
func (v *view) externalID(doc uint64) (string, error) {
	return v.snap.ExternalID(index.NewIndexInternalID(nil, doc))
}
