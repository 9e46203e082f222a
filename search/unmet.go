package search

import (
	"context"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/signpost-uk/signpost/directory"
)

// bucketUnmet counts public searches that found nothing, by normalised query
// text: what people looked for and did not find, for commissioners. No IP,
// no time of day, nothing else about who asked.
var bucketUnmet = []byte("search_unmet")

// UnmetNeed is one query text that found nothing, and how often.
type UnmetNeed struct {
	Query     string `json:"query"`
	Count     int    `json:"count"`
	FirstSeen string `json:"first_seen"` // dates only
	LastSeen  string `json:"last_seen"`
}

// Unmet records and reports searches that found nothing.
type Unmet struct {
	db  *bolt.DB
	now func() time.Time
}

// NewUnmet keeps its counts in the directory's bbolt file, in its own bucket.
func NewUnmet(store *directory.Store, now func() time.Time) (*Unmet, error) {
	if now == nil {
		now = time.Now
	}
	err := store.DB().Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketUnmet)
		return err
	})
	return &Unmet{db: store.DB(), now: now}, err
}

var (
	emailRE     = regexp.MustCompile(`\S+@\S+`)
	anyDigitsRE = regexp.MustCompile(`\S*\d\S*`)
)

// normaliseUnmet keeps the words of a query and drops anything that could
// identify a person or place them: e-mail addresses, and any word holding a
// digit (postcodes, phone numbers, house numbers, dates of birth).
func normaliseUnmet(text string) string {
	text = emailRE.ReplaceAllString(strings.ToLower(text), " ")
	text = anyDigitsRE.ReplaceAllString(text, " ")
	words := wordRE.FindAllString(text, -1)
	out := strings.Join(words, " ")
	if len(out) > 100 {
		cut := 100
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut-- // never split a character
		}
		out = strings.TrimSpace(out[:cut])
	}
	return out
}

// Record counts one search that found nothing.
func (u *Unmet) Record(ctx context.Context, text string) error {
	key := normaliseUnmet(text)
	if key == "" {
		return nil
	}
	today := u.now().UTC().Format("2006-01-02")
	return u.db.Batch(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUnmet)
		rec := UnmetNeed{Query: key, FirstSeen: today}
		if v := b.Get([]byte(key)); v != nil {
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
		}
		rec.Count++
		rec.LastSeen = today
		data, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		return b.Put([]byte(key), data)
	})
}

// List returns the unmet queries, most often first.
func (u *Unmet) List(ctx context.Context) ([]UnmetNeed, error) {
	var out []UnmetNeed
	err := u.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUnmet).ForEach(func(k, v []byte) error {
			var rec UnmetNeed
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			out = append(out, rec)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out, err
}
