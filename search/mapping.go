package search

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
)

// mappingShape changes whenever the mapping or the documents change shape.
// MappingVersion adds the digest of the needs taxonomy and synonyms, whose
// concepts are baked into the documents: an index built with another version
// is rebuilt on start.
const mappingShape = "6"

// MappingVersion is the version of the index this binary builds.
func MappingVersion() string {
	v, err := DefaultVocab()
	if err != nil {
		return mappingShape
	}
	return mappingShape + "-" + v.Hash
}

// Field names of the index documents.
const (
	// Words, English analysis (stemming, stop words).
	fieldName  = "name"           // the service's name
	fieldTerms = "taxonomy_names" // the names of its categories
	fieldAll   = "all"            // name, description, organisation, categories, places
	// fieldExact holds each distinct word of the text unstemmed, in lower
	// case, for typo and prefix matches: "volunteerng" is one letter from
	// "volunteering", five from its stem.
	fieldExact = "exact"
	// fieldPairs holds the adjacent stem pairs of the name and description
	// ("mental health"), so a query's words found side by side count extra
	// without a phrase search.
	fieldPairs = "pairs"
	// fieldNamePairs holds the adjacent stem pairs of the name alone.
	fieldNamePairs = "name_pairs"
	// Keywords, for filters and facets.
	fieldTaxonomyIDs = "taxonomy_ids"
	fieldNeeds       = "needs"
	fieldCost        = "cost"
	fieldModes       = "delivery"
	fieldDays        = "days"
	fieldMinAge      = "min_age" // the youngest age taken, 0 when none is stated
	fieldMaxAge      = "max_age" // the oldest, 120 when none is stated
	fieldStatus      = "status"
	fieldOrgID       = "organization_id"
	// fieldLocation is a geopoint per location; its doc values feed the
	// distance filter and sort (filter.go).
	fieldLocation = "location"
)

// buildMapping is the explicit mapping: nothing is indexed unless named here.
// Nothing is stored: results are read from the store, which is the truth.
func buildMapping() mapping.IndexMapping {
	m := bleve.NewIndexMapping()
	text := func(analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false // filters and facets read posting lists (filter.go)
		return f
	}
	svc := bleve.NewDocumentStaticMapping()
	svc.AddFieldMappingsAt(fieldName, text(en.AnalyzerName))
	svc.AddFieldMappingsAt(fieldTerms, text(en.AnalyzerName))
	svc.AddFieldMappingsAt(fieldAll, text(en.AnalyzerName))
	for _, f := range []string{fieldExact, fieldPairs, fieldNamePairs, fieldTaxonomyIDs, fieldNeeds, fieldCost, fieldModes,
		fieldDays, fieldMinAge, fieldMaxAge, fieldStatus, fieldOrgID} {
		svc.AddFieldMappingsAt(f, kw())
	}
	geo := bleve.NewGeoPointFieldMapping()
	geo.IncludeInAll = false
	geo.Store = false
	geo.DocValues = true
	svc.AddFieldMappingsAt(fieldLocation, geo)

	m.DefaultAnalyzer = en.AnalyzerName
	m.DefaultMapping = svc
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	return m
}
