// Package directory is Signpost's domain core: the Open Referral UK (ORUK v1 /
// HSDS 1.1) records of organisations, services, locations and taxonomy terms,
// their validation and cleaning, their storage in bbolt (the single source of
// truth), the importers that fill it from council feeds and HSDS datapackages,
// and the ORUK v1 read API over HTTP.
//
// Every write to the store also appends a numbered entry to a change log in the
// same transaction, so that derived views (the search index) can follow the
// store exactly. This package knows nothing of who reads that log.
package directory
