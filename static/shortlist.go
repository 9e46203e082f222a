package static

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// The shortlist is the services a person has put aside to take away: a
// cookie of service ids, or the same list in a link (?ids=…). It needs no
// account, and it is the kind of cookie that needs no banner: strictly
// necessary for what the person asked for.
const (
	shortlistCookie = "shortlist"
	// MaxShortlist is how many services a shortlist holds.
	MaxShortlist = 30
	maxCookie    = 3000 // bytes of ids, well inside a browser's 4 KB
)

// Shortlist returns the ids in the request's shortlist cookie.
func Shortlist(c *fiber.Ctx) []string {
	return ParseIDs(c.Cookies(shortlistCookie))
}

// SetShortlist stores ids as the shortlist cookie (or clears it when empty).
func SetShortlist(c *fiber.Ctx, ids []string, secure bool) {
	ck := &fiber.Cookie{Name: shortlistCookie, Value: FormatIDs(ids), Path: "/", HTTPOnly: true, Secure: secure,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().Add(90 * 24 * time.Hour)}
	if len(ids) == 0 {
		ck.Value, ck.Expires = "", time.Unix(0, 0)
	}
	c.Cookie(ck)
}

// ParseIDs reads a list of ids as FormatIDs writes it, keeping the first
// MaxShortlist distinct ones.
func ParseIDs(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		id, err := url.QueryUnescape(strings.TrimSpace(part))
		if err != nil || id == "" || len(id) > 200 || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
		if len(out) == MaxShortlist {
			break
		}
	}
	return out
}

// FormatIDs writes ids comma-separated, each escaped, as long as they fit.
func FormatIDs(ids []string) string {
	var b strings.Builder
	for _, id := range ids {
		e := url.QueryEscape(id)
		if b.Len()+len(e)+1 > maxCookie {
			break
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(e)
	}
	return b.String()
}
