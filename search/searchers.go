package search

import (
	"math"
	"strconv"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/signpost-uk/signpost/directory"
)

// bitmapSearcher is a bleve searcher over a set of document numbers: the
// filters' answer, joined to the word searcher in a conjunction so that the
// words are only scored where the filters allow. It scores nothing.
type bitmapSearcher struct {
	bm    *roaring.Bitmap
	it    roaring.IntPeekable
	count uint64
}

func newBitmapSearcher(bm *roaring.Bitmap) *bitmapSearcher {
	return &bitmapSearcher{bm: bm, it: bm.Iterator(), count: bm.GetCardinality()}
}

func (s *bitmapSearcher) match(ctx *search.SearchContext) *search.DocumentMatch {
	if !s.it.HasNext() {
		return nil
	}
	doc := s.it.Next()
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = index.NewIndexInternalID(dm.IndexInternalID, uint64(doc))
	dm.Score = 0
	return dm
}

func (s *bitmapSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.match(ctx), nil
}

func (s *bitmapSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	s.it.AdvanceIfNeeded(uint32(id.Value()))
	return s.match(ctx), nil
}

func (s *bitmapSearcher) Close() error               { return nil }
func (s *bitmapSearcher) Weight() float64            { return 0 }
func (s *bitmapSearcher) SetQueryNorm(float64)       {}
func (s *bitmapSearcher) Count() uint64              { return s.count }
func (s *bitmapSearcher) Min() int                   { return 0 }
func (s *bitmapSearcher) Size() int                  { return 64 }
func (s *bitmapSearcher) DocumentMatchPoolSize() int { return 1 }

// recordingSearcher passes on its child's matches and notes each one's
// document number, so the facets can count every hit, not only the page.
type recordingSearcher struct {
	search.Searcher
	hits []uint32
}

func (s *recordingSearcher) note(dm *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if dm != nil {
		s.hits = append(s.hits, uint32(dm.IndexInternalID.Value()))
	}
	return dm, err
}

func (s *recordingSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.note(s.Searcher.Next(ctx))
}

func (s *recordingSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	return s.note(s.Searcher.Advance(ctx, id))
}

func (s *recordingSearcher) bitmap() *roaring.Bitmap { return roaring.BitmapOf(s.hits...) }

// distanceSort orders hits by their distance from a point, read from the
// engine's coordinates instead of bleve's per-hit doc-value visit.
type distanceSort struct {
	v    *view
	from directory.Point
	desc bool
}

func (s *distanceSort) UpdateVisitor(string, []byte) {}

func (s *distanceSort) Value(d *search.DocumentMatch) string {
	dist := s.v.distance(d.IndexInternalID.Value(), s.from)
	if math.IsInf(dist, 1) {
		return string(numeric.MustNewPrefixCodedInt64(math.MaxInt64, 0))
	}
	return string(numeric.MustNewPrefixCodedInt64(numeric.Float64ToInt64(dist), 0))
}

func (s *distanceSort) DecodeValue(value string) string {
	i64, err := numeric.PrefixCoded(value).Int64()
	if err != nil || i64 == math.MaxInt64 {
		return "+Inf"
	}
	return strconv.FormatFloat(numeric.Int64ToFloat64(i64), 'f', -1, 64)
}

func (s *distanceSort) Descending() bool         { return s.desc }
func (s *distanceSort) RequiresDocID() bool      { return false }
func (s *distanceSort) RequiresScoring() bool    { return false }
func (s *distanceSort) RequiresFields() []string { return nil }
func (s *distanceSort) Reverse()                 { s.desc = !s.desc }
func (s *distanceSort) Copy() search.SearchSort  { c := *s; return &c }
