package search

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion changes whenever the mapping or the documents change shape;
// an index built with another version is rebuilt on start.
const MappingVersion = "4"

// Field names of the index documents.
const (
	fieldName        = "name"
	fieldDescription = "description"
	fieldOrgName     = "organization_name"
	fieldTerms       = "taxonomy_names"
	fieldPlace       = "place"
	fieldTaxonomyIDs = "taxonomy_ids"
	fieldNeeds       = "needs"
	fieldCost        = "cost"
	fieldModes       = "delivery"
	fieldDays        = "days"
	fieldMinAge      = "min_age"
	fieldMaxAge      = "max_age"
	fieldStatus      = "status"
	fieldOrgID       = "organization_id"
	fieldLocation    = "location"
	// fieldAll holds every text field once more, for the forgiving matches
	// (typos, prefixes): one automaton per word instead of one per field.
	fieldAll = "all"
)

// buildMapping is the explicit mapping: nothing is indexed unless named here.
func buildMapping() mapping.IndexMapping {
	prose := func(store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName // stemming and stop words
		f.Store = store
		f.IncludeTermVectors = store // for highlighting
		f.IncludeInAll = false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.IncludeInAll = false
		f.DocValues = true // facets and sorting
		return f
	}
	num := func() *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.IncludeInAll = false
		return f
	}
	svc := bleve.NewDocumentStaticMapping()
	svc.AddFieldMappingsAt(fieldName, prose(true))
	svc.AddFieldMappingsAt(fieldDescription, prose(true))
	svc.AddFieldMappingsAt(fieldOrgName, prose(false))
	svc.AddFieldMappingsAt(fieldTerms, prose(false))
	svc.AddFieldMappingsAt(fieldPlace, prose(false))
	svc.AddFieldMappingsAt(fieldAll, prose(false))
	for _, f := range []string{fieldTaxonomyIDs, fieldNeeds, fieldCost, fieldModes, fieldDays, fieldStatus, fieldOrgID} {
		svc.AddFieldMappingsAt(f, kw())
	}
	svc.AddFieldMappingsAt(fieldMinAge, num())
	svc.AddFieldMappingsAt(fieldMaxAge, num())
	geo := bleve.NewGeoPointFieldMapping()
	geo.IncludeInAll = false
	svc.AddFieldMappingsAt(fieldLocation, geo)

	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = en.AnalyzerName
	m.DefaultMapping = svc
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	return m
}
