// Package search finds the right local services from people's own words: a
// bleve full-text index of the directory with lay-term synonyms, typo
// tolerance, facets and distance from a postcode, kept exactly in step with
// the bbolt store by following the directory's change log.
//
// The index is a disposable cache. It records the last change-log entry it
// applied inside itself, replays what it missed at start, and is rebuilt from
// the store when it is missing, unreadable or built with an older mapping.
package search
