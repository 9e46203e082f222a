package directory

import "testing"

func TestCleanText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "  Hello   world  ", "Hello world"},
		{"paragraphs", "<p>One&nbsp;two.</p><p>Three &amp; four.</p>", "One two.\n\nThree & four."},
		{"line breaks", "Line one<br>Line two<br/>Line three", "Line one\nLine two\nLine three"},
		{"list", "<ul><li>Tea</li><li>Cake</li></ul>", "- Tea\n- Cake"},
		{"script dropped", "Hi<script>alert(1)</script> there", "Hi there"},
		{"style dropped", "<style>p{color:red}</style><p>Text</p>", "Text"},
		{"attributes dropped", `<a href="javascript:alert(1)" onclick="x()">Click</a> here`, "Click here"},
		{"literal backslash n", `First\nSecond\n\nThird`, "First\nSecond\n\nThird"},
		{"ragged blank lines", "A\n \n\n\nB", "A\n\nB"},
		{"entities only", "Fish &amp; chips &pound;5", "Fish & chips £5"},
		{"lone ampersand", "Tom & Jerry", "Tom & Jerry"},
		{"less-than in prose", "ages 5 < 11", "ages 5 < 11"},
		{"empty", "", ""},
		{"only tags", "<p> </p><br>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanText(tt.in); got != tt.want {
				t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalisePostcode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"dn156nl", "DN15 6NL"},
		{" DN15  6NL ", "DN15 6NL"},
		{"DN15 6NL", "DN15 6NL"},
		{"sw1a1aa", "SW1A 1AA"},
		{"w1a 0ax", "W1A 0AX"},
		{"M1 1AE", "M1 1AE"},
		{"b338th", "B33 8TH"},
		{"EC1A 1BB", "EC1A 1BB"},
		{"GIR0AA", "GIR 0AA"},
		{"DN15", ""},     // a district, not a full postcode
		{"33157", ""},    // a US ZIP code
		{"QQ1 1AA", ""},  // Q never starts a postcode
		{"DN15 6CI", ""}, // C and I never end one
		{"", ""},
		{"DN15 6NL X", ""},
	}
	for _, tt := range tests {
		if got := NormalisePostcode(tt.in); got != tt.want {
			t.Errorf("NormalisePostcode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPostcodeInText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Meet at the Hall, High Street, Scunthorpe DN15 6NL. All welcome.", "DN15 6NL"},
		{"Postcode: DN171SR", "DN17 1SR"},
		{"Room B12 3RD", "B12 3RD"}, // in capitals it is a postcode
		{"see dn17 1sr", ""},        // in prose, lower case is not trusted
		{"Call 01724 296296 for details", ""},
		{"Room B12 3rd floor", ""},
		{"Held at DN18 5QP (the old school)", "DN18 5QP"},
	}
	for _, tt := range tests {
		if got := PostcodeInText(tt.in); got != tt.want {
			t.Errorf("PostcodeInText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanURLAndEmail(t *testing.T) {
	urls := []struct{ in, want string }{
		{"www.nlmind.org", "https://www.nlmind.org"},
		{"linktr.ee/scunnylgbtq", "https://linktr.ee/scunnylgbtq"},
		{"HTTPS://e-voice.org/choir/", "https://e-voice.org/choir/"},
		{" https://example.org/a?b=c ", "https://example.org/a?b=c"},
		{"javascript:alert(1)", "javascript:alert(1)"}, // left for the validator to refuse
		{"not a url", "not a url"},
	}
	for _, tt := range urls {
		if got := cleanURL(tt.in); got != tt.want {
			t.Errorf("cleanURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, u := range []string{"javascript:alert(1)", "not a url", "ftp://example.org", "https://", "mailto:a@b.org"} {
		if isWebURL(cleanURL(u)) {
			t.Errorf("isWebURL(%q) = true, want false", u)
		}
	}
	emails := []struct{ in, want string }{
		{" Family.Hubs@NorthLincs.gov.uk ", "family.hubs@northlincs.gov.uk"},
		{"mailto:info@example.org", "info@example.org"},
		{"young.voice@northlincs.gov.uk.", "young.voice@northlincs.gov.uk"},
	}
	for _, tt := range emails {
		if got := cleanEmail(tt.in); got != tt.want {
			t.Errorf("cleanEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormaliseClockAndWeekday(t *testing.T) {
	clocks := []struct {
		in, want string
		ok       bool
	}{
		{"9:00am", "09:00", true}, {"5:00pm", "17:00", true}, {"12:00pm", "12:00", true}, {"12:30am", "00:30", true},
		{"09:00:00", "09:00", true}, {"17.30", "17:30", true}, {"5pm", "17:00", true}, {"24:00", "23:59", true},
		{"25:00", "", false}, {"noon", "", false}, {"9:75", "", false},
	}
	for _, tt := range clocks {
		got, ok := normaliseClock(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("normaliseClock(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	days := map[string]string{"monday": "Monday", "MO": "Monday", "Tues": "Tuesday", "7": "Sunday", "Sunday": "Sunday", "Funday": "", "": ""}
	for in, want := range days {
		if got := NormaliseWeekday(in); got != want {
			t.Errorf("NormaliseWeekday(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatchEnum(t *testing.T) {
	tests := []struct {
		in      string
		allowed []string
		aliases map[string]string
		want    string
	}{
		{"Venue", AttendingTypes, attendingTypeAliases, "venue"},
		{"Home visit", AttendingTypes, attendingTypeAliases, "home visit"},
		{"HOME_VISIT", AttendingTypes, attendingTypeAliases, "home visit"},
		{"Drop-in", AttendingAccess, attendingAccessAliases, "drop-in"},
		{"drop in", AttendingAccess, attendingAccessAliases, "drop-in"},
		{"Self referral", AttendingAccess, attendingAccessAliases, ""},
		{"advice", DeliverableTypes, nil, "Advice"},
		{"financial_support", DeliverableTypes, nil, "Financial Support"},
		{"Social activity", DeliverableTypes, nil, ""},
		{"Temporarily Closed", ServiceStatuses, statusAliases, StatusTemporarilyClosed},
		{"ACTIVE", ServiceStatuses, statusAliases, StatusActive},
		{"", ServiceStatuses, statusAliases, ""},
	}
	for _, tt := range tests {
		if got := matchEnum(tt.in, tt.allowed, tt.aliases); got != tt.want {
			t.Errorf("matchEnum(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidatorChecksBritishPostcodes(t *testing.T) {
	tests := []struct {
		addr  PhysicalAddress
		field string
	}{
		{PhysicalAddress{ID: "a", Country: "GB", PostalCode: "DN15 6NL"}, ""},
		{PhysicalAddress{ID: "a", Country: "GB", PostalCode: "DN15"}, "postal_code"},
		{PhysicalAddress{ID: "a", Country: "GB", PostalCode: "dn156nl"}, "postal_code"}, // stored only in normal form
		{PhysicalAddress{ID: "a", Country: "US", PostalCode: "33157"}, ""},
		{PhysicalAddress{ID: "a", Country: "GB"}, ""},
	}
	for _, tt := range tests {
		errs := Check(tt.addr)
		if _, bad := errs[tt.field]; (tt.field == "" && errs != nil) || (tt.field != "" && !bad) {
			t.Errorf("Check(%+v) = %v, want an error on %q", tt.addr, errs, tt.field)
		}
	}
}
