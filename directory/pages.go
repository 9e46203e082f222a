package directory

import (
	"embed"
	"html/template"
	"log/slog"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/signpost-uk/signpost/static"
)

// The public pages of the directory itself: a service, an organisation,
// the shortlist a person takes away, the "report a problem" form and the
// about page. They are server-rendered and need no JavaScript.

//go:embed templates/*.html
var templatesFS embed.FS

var pages = static.MustRenderer(templatesFS, "templates/*.html", template.FuncMap{
	"dateWords": dateWords,
	"safeURL":   safeURL,
	"telURI":    telURI,
})

// Pages serves the directory's public pages.
type Pages struct {
	store *Store
	log   *slog.Logger
	// SecureCookies marks cookies Secure; true whenever the site is served over HTTPS.
	secure func(c *fiber.Ctx) bool
}

// NewPages makes the directory's pages over a store. secure says whether a
// request came over HTTPS (directly or through a trusted proxy).
func NewPages(store *Store, log *slog.Logger, secure func(c *fiber.Ctx) bool) *Pages {
	if secure == nil {
		secure = func(c *fiber.Ctx) bool { return c.Protocol() == "https" }
	}
	return &Pages{store: store, log: log, secure: secure}
}

// Register mounts the pages.
func (p *Pages) Register(r fiber.Router) {
	r.Get("/services/:id", p.service)
	r.Get("/organisations/:id", p.organisation)
	r.Get("/shortlist", p.shortlist)
	r.Get("/shortlist/print", p.shortlistPrint)
	r.Post("/shortlist", p.changeShortlist)
	r.Get("/services/:id/report", p.reportForm)
	r.Post("/services/:id/report", limiter.New(limiter.Config{
		Max:        5,
		Expiration: 10 * time.Minute,
		LimitReached: func(c *fiber.Ctx) error {
			return &Error{Code: ETOOMANY, Message: "You have sent several reports in a few minutes. Please wait a while before you send another."}
		},
	}), p.report)
	r.Get("/about", p.about)
}

// serviceView is a service as its page shows it.
type serviceView struct {
	S           *ServiceDetail
	Blocks      []textBlock
	Ages        string
	Eligibility []string
	Audience    []string
	Access      string
	AccessTerms []string
	Kinds       []string
	Times       []string
	Places      []placeView
	Cost        []string
	Contacts    []contactView
	Emails      []string
	Website     string
	Languages   []string
	Areas       []string
	Categories  []categoryView
	LastChecked string
	CheckedBy   string
	Others      []Service
	InShortlist bool
	Closed      bool
	ReturnTo    string
	Reported    bool
	OrgName     string
	OrgID       string
	BackURL     string
}

type placeView struct {
	Name          string
	Lines         []string
	MapURL        string
	Approximate   bool
	Accessibility []string
}

type contactView struct {
	Name   string
	Phones []phoneView
	Email  string
}

type phoneView struct {
	Number, Description string
}

type categoryView struct {
	ID, Name  string
	Suggested bool
}

func (p *Pages) service(c *fiber.Ctx) error {
	id := c.Params("id")
	d, err := p.store.ServiceDetail(c.UserContext(), id)
	if err != nil {
		return err
	}
	v := serviceView{S: d, Blocks: blocks(d.Description), Ages: AgesWords(d), Access: AccessWords(d),
		Times: OpeningTimes(d), Cost: CostWords(d), Website: safeURL(d.URL), Closed: d.Status == StatusTemporarilyClosed,
		OrgName: d.Organization.Name, OrgID: d.Organization.ID, Reported: c.Query("reported") == "1",
		ReturnTo: "/services/" + id, BackURL: backToSearch(c)}
	for _, e := range d.Eligibilitys {
		if e.Eligibility != "" {
			v.Eligibility = append(v.Eligibility, e.Eligibility)
		}
	}
	for _, st := range d.ServiceTaxonomys {
		switch {
		case st.Taxonomy.Vocabulary == "target_audience":
			v.Audience = append(v.Audience, st.Taxonomy.Name)
		case st.Taxonomy.Vocabulary == "attending_access":
			// The publisher's own words for how to get in ("Self referral").
			v.AccessTerms = append(v.AccessTerms, st.Taxonomy.Name)
		case st.Taxonomy.Vocabulary == "deliverable_type" || st.Taxonomy.Vocabulary == "attending_type":
			v.Kinds = append(v.Kinds, st.Taxonomy.Name)
		case st.Taxonomy.Name != "":
			v.Categories = append(v.Categories, categoryView{ID: st.Taxonomy.ID, Name: st.Taxonomy.Name, Suggested: st.Suggested})
		}
	}
	for _, pv := range placesOf(d) {
		if pv.Name != "" || len(pv.Lines) > 0 || pv.MapURL != "" {
			v.Places = append(v.Places, pv)
		}
	}
	if d.Email != "" {
		v.Emails = append(v.Emails, d.Email)
	}
	for _, ct := range d.Contacts {
		cv := contactView{Name: strings.TrimSpace(strings.Join([]string{ct.Name, ct.Title}, " ")), Email: ct.Email}
		for _, ph := range ct.Phones {
			cv.Phones = append(cv.Phones, phoneView{Number: ph.Number, Description: ph.Description})
		}
		if len(cv.Phones) > 0 || cv.Email != "" {
			v.Contacts = append(v.Contacts, cv)
		}
	}
	for _, l := range d.Languages {
		v.Languages = append(v.Languages, l.Language)
	}
	for _, a := range d.ServiceAreas {
		v.Areas = append(v.Areas, a.ServiceArea)
	}
	v.LastChecked, v.CheckedBy = d.LastVerified, d.LastVerifiedBy
	if org, err := p.store.OrganizationDetail(c.UserContext(), d.OrganizationID); err == nil {
		for _, s := range org.Services {
			if s.ID != d.ID && publicStatus(s.Status) {
				v.Others = append(v.Others, s)
			}
		}
		sort.Slice(v.Others, func(i, j int) bool { return v.Others[i].Name < v.Others[j].Name })
	}
	for _, sid := range static.Shortlist(c) {
		if sid == d.ID {
			v.InShortlist = true
		}
	}
	page := static.NewPage(c, d.Name, "", v)
	if !publicStatus(d.Status) {
		page.Status = fiber.StatusGone // inactive or defunct: say so, keep the record readable
	}
	return pages.Render(c, "service", page)
}

// backToSearch is the search results the person came from, when they came
// from this site's search page, or the search page.
func backToSearch(c *fiber.Ctx) string {
	ref, err := url.Parse(c.Get(fiber.HeaderReferer))
	if err == nil && ref.Host == c.Hostname() && ref.Path == "/" && ref.RawQuery != "" {
		return "/?" + ref.RawQuery
	}
	return "/"
}

func publicStatus(s string) bool { return s == StatusActive || s == StatusTemporarilyClosed }

// placesOf is each location of a service as the pages show it.
func placesOf(d *ServiceDetail) []placeView {
	var out []placeView
	for _, sal := range d.ServiceAtLocations {
		l := sal.Location
		pv := placeView{Name: l.Name, Approximate: l.CoordinatesApproximate}
		for _, a := range l.PhysicalAddresses {
			pv.Lines = append(pv.Lines, AddressLines(a)...)
		}
		if l.Latitude != nil && l.Longitude != nil {
			pv.MapURL = OpenStreetMapURL(*l.Latitude, *l.Longitude)
		}
		for _, a := range l.AccessibilityForDisabilities {
			text := a.Accessibility
			if a.Details != "" {
				text += ": " + a.Details
			}
			pv.Accessibility = append(pv.Accessibility, text)
		}
		out = append(out, pv)
	}
	return out
}

// textBlock is a paragraph, or a list when the text's lines were bullets.
type textBlock struct {
	Text  string
	Items []string
}

var bulletPrefixes = []string{"- ", "• ", "* ", "· ", "– ", "¨ "}

// blocks splits a description into paragraphs, turning runs of lines that
// start with a bullet ("- ", "• ") into lists.
func blocks(s string) []textBlock {
	var out []textBlock
	for _, p := range paragraphs(s) {
		item := ""
		for _, b := range bulletPrefixes {
			if strings.HasPrefix(p, b) {
				item = strings.TrimSpace(strings.TrimPrefix(p, b))
				break
			}
		}
		switch {
		case item != "" && len(out) > 0 && out[len(out)-1].Items != nil:
			out[len(out)-1].Items = append(out[len(out)-1].Items, item)
		case item != "":
			out = append(out, textBlock{Items: []string{item}})
		default:
			out = append(out, textBlock{Text: p})
		}
	}
	return out
}

// paragraphs splits a description into its paragraphs.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// safeURL keeps only absolute http(s) addresses for links; a listing's
// "javascript:" or other scheme is dropped, never linked.
func safeURL(s string) string {
	if isWebURL(s) {
		return s
	}
	return ""
}

// telURI is a tel: address for a phone number as people write it.
func telURI(number string) template.URL {
	var b strings.Builder
	for i, r := range number {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return template.URL("tel:" + b.String()) // digits and a leading + only: safe
}

// dateWords turns "2026-11-01" into "1 November 2026".
func dateWords(ymd string) string {
	t, err := time.Parse("2006-01-02", ymd)
	if err != nil {
		return ymd
	}
	return t.Format("2 January 2006")
}

type orgView struct {
	O        *OrganizationDetail
	Website  string
	Services []Service
	Paras    []string
}

func (p *Pages) organisation(c *fiber.Ctx) error {
	o, err := p.store.OrganizationDetail(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	v := orgView{O: o, Website: safeURL(o.URL), Paras: paragraphs(o.Description)}
	for _, s := range o.Services {
		if publicStatus(s.Status) {
			v.Services = append(v.Services, s)
		}
	}
	sort.Slice(v.Services, func(i, j int) bool { return v.Services[i].Name < v.Services[j].Name })
	return pages.Render(c, "organisation", static.NewPage(c, o.Name, "", v))
}

// shortlistView is a shortlist, from the cookie or from a shared link.
type shortlistView struct {
	Services []shortlistItem
	Shared   bool   // from a link, not this browser's own list
	IDs      string // the list as a query value
	ShareURL string
	Missing  int // ids that are no longer in the directory
	Printed  string
}

type shortlistItem struct {
	ID, Name, Org, Summary string
	Times                  []string
	Places                 []placeView
	Phones                 []phoneView
	Email                  string
	Website                string
	Cost                   []string
}

func (p *Pages) shortlistItems(c *fiber.Ctx, ids []string) ([]shortlistItem, int, error) {
	var out []shortlistItem
	missing := 0
	for _, id := range ids {
		d, err := p.store.ServiceDetail(c.UserContext(), id)
		if ErrorCode(err) == ENOTFOUND {
			missing++
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		it := shortlistItem{ID: d.ID, Name: d.Name, Org: d.Organization.Name, Summary: firstParagraph(d.Description),
			Times: OpeningTimes(d), Cost: CostWords(d), Email: d.Email, Website: safeURL(d.URL)}
		for _, pv := range placesOf(d) {
			if len(pv.Lines) > 0 { // a list to take away gives addresses
				it.Places = append(it.Places, pv)
			}
		}
		for _, ct := range d.Contacts {
			for _, ph := range ct.Phones {
				it.Phones = append(it.Phones, phoneView{Number: ph.Number, Description: ph.Description})
			}
			if it.Email == "" {
				it.Email = ct.Email
			}
		}
		out = append(out, it)
	}
	return out, missing, nil
}

func firstParagraph(s string) string {
	ps := paragraphs(s)
	if len(ps) == 0 {
		return ""
	}
	if r := []rune(ps[0]); len(r) > 300 {
		return string(r[:300]) + "…"
	}
	return ps[0]
}

func (p *Pages) shortlistView(c *fiber.Ctx) (shortlistView, error) {
	ids := static.Shortlist(c)
	shared := false
	if q := c.Query("ids"); q != "" {
		ids, shared = static.ParseIDs(q), true
	}
	items, missing, err := p.shortlistItems(c, ids)
	if err != nil {
		return shortlistView{}, err
	}
	v := shortlistView{Services: items, Shared: shared, Missing: missing, Printed: time.Now().Format("2 January 2006")}
	var kept []string
	for _, it := range items {
		kept = append(kept, it.ID)
	}
	v.IDs = static.FormatIDs(kept)
	if len(kept) > 0 {
		v.ShareURL = c.BaseURL() + "/shortlist?ids=" + v.IDs
	}
	return v, nil
}

func (p *Pages) shortlist(c *fiber.Ctx) error {
	v, err := p.shortlistView(c)
	if err != nil {
		return err
	}
	return pages.Render(c, "shortlist", static.NewPage(c, "Your shortlist", "shortlist", v))
}

func (p *Pages) shortlistPrint(c *fiber.Ctx) error {
	v, err := p.shortlistView(c)
	if err != nil {
		return err
	}
	page := static.NewPage(c, "Services to contact", "shortlist", v)
	page.Print = true
	return pages.Render(c, "shortlist-print", page)
}

// changeShortlist adds a service to the shortlist or removes one (or all),
// then goes back to the page the person was on.
func (p *Pages) changeShortlist(c *fiber.Ctx) error {
	ids := static.Shortlist(c)
	id := strings.TrimSpace(c.FormValue("id"))
	switch c.FormValue("action") {
	case "add":
		if _, err := p.store.Service(c.UserContext(), id); err != nil {
			return err
		}
		found := false
		for _, x := range ids {
			found = found || x == id
		}
		if !found {
			if len(ids) >= static.MaxShortlist {
				return &Error{Code: EINVALID, Message: "Your shortlist is full. Remove a service before you add another.",
					Fields: FieldErrors{"id": "the shortlist holds at most 30 services"}}
			}
			ids = append(ids, id)
		}
	case "remove":
		var kept []string
		for _, x := range ids {
			if x != id {
				kept = append(kept, x)
			}
		}
		ids = kept
	case "clear":
		ids = nil
	case "save": // keep a shared list as this browser's own
		ids = static.ParseIDs(c.FormValue("ids"))
	default:
		return InvalidParam("action", "must be add, remove, clear or save")
	}
	static.SetShortlist(c, ids, p.secure(c))
	return c.Redirect(localPath(c.FormValue("return"), "/shortlist"), fiber.StatusSeeOther)
}

// localPath keeps a return address only when it is a path on this site.
func localPath(s, fallback string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsAny(s, "\\\r\n") {
		return fallback
	}
	return s
}

// reportView is the "report a problem" form.
type reportView struct {
	S       *ServiceDetail
	Kinds   []struct{ Value, Label string }
	Problem string
	Details string
	Errors  []formError
	ByField map[string]string
}

type formError struct{ Field, Message string }

func (p *Pages) reportForm(c *fiber.Ctx) error {
	d, err := p.store.ServiceDetail(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return pages.Render(c, "report", static.NewPage(c, "Report a problem with "+d.Name, "", reportView{S: d, Kinds: ProblemKinds}))
}

// Messages a person can act on, for the report form's fields.
var reportMessages = map[string]map[string]string{
	"problem": {"": "Select what the problem is"},
	"details": {"required": "Tell us what is wrong", "min": "Tell us a little more: at least 10 characters",
		"max": "Keep it to 1,500 characters or fewer"},
}

func (p *Pages) report(c *fiber.Ctx) error {
	id := c.Params("id")
	d, err := p.store.ServiceDetail(c.UserContext(), id)
	if err != nil {
		return err
	}
	v := reportView{S: d, Kinds: ProblemKinds, Problem: c.FormValue("problem"), Details: c.FormValue("details")}
	// A field no person can see or reach: only a bot fills it in. It is told
	// "thank you" and nothing is kept.
	if c.FormValue("website") != "" {
		return c.Redirect("/services/"+id+"?reported=1", fiber.StatusSeeOther)
	}
	_, err = p.store.AddProblemReport(c.UserContext(), ProblemReport{ServiceID: id, Problem: v.Problem, Details: v.Details})
	var appErr *Error
	if err != nil && asError(err, &appErr) && appErr.Code == EUNPROCESSABLE {
		v.ByField = map[string]string{}
		for _, field := range []string{"problem", "details"} {
			if _, bad := appErr.Fields[field]; !bad {
				continue
			}
			msgs := reportMessages[field]
			msg := msgs[""]
			if msg == "" {
				msg = msgs["required"]
				if v.Details != "" && len([]rune(strings.TrimSpace(v.Details))) < 10 {
					msg = msgs["min"]
				} else if len([]rune(v.Details)) > 1500 {
					msg = msgs["max"]
				}
			}
			v.ByField[field] = msg
			v.Errors = append(v.Errors, formError{Field: field, Message: msg})
		}
		page := static.NewPage(c, "Error: report a problem with "+d.Name, "", v)
		page.Status = fiber.StatusUnprocessableEntity
		return pages.Render(c, "report", page)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/services/"+id+"?reported=1", fiber.StatusSeeOther)
}

type aboutView struct {
	Sources  []sourceView
	Counts   Counts
	Licences []string
}

type sourceView struct{ Name, Imported string }

func (p *Pages) about(c *fiber.Ctx) error {
	srcs, err := p.store.Sources(c.UserContext())
	if err != nil {
		return err
	}
	counts, err := p.store.Counts(c.UserContext())
	if err != nil {
		return err
	}
	v := aboutView{Counts: counts}
	for name, at := range srcs {
		v.Sources = append(v.Sources, sourceView{Name: name, Imported: dateWords(at)})
	}
	sort.Slice(v.Sources, func(i, j int) bool { return v.Sources[i].Name < v.Sources[j].Name })
	return pages.Render(c, "about", static.NewPage(c, "About this directory", "about", v))
}
