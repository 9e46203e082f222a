package directory

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
)

// ORUK v1 enumerations, as the ORUK v1 JSON schema spells them.
var (
	ServiceStatuses  = []string{StatusActive, StatusInactive, StatusDefunct, StatusTemporarilyClosed}
	DeliverableTypes = []string{"Advice", "Assessment", "Counselling", "Equipment", "Financial Support", "Information", "Permission", "Training"}
	AttendingTypes   = []string{"phone", "online", "venue", "home visit"}
	AttendingAccess  = []string{"referral", "appointment", "membership", "drop-in"}
	Weekdays         = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
)

var (
	uuidLowerRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	clockRE     = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	// A full UK postcode in its normal form: outward code, one space, inward code.
	// Covers the standard formats A9, A99, AA9, AA99, A9A, AA9A plus GIR 0AA.
	postcodeRE = regexp.MustCompile(`^(GIR 0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? [0-9][ABD-HJLNP-UW-Z]{2})$`)
	// An outward code (postcode district) alone, e.g. "DN15" or "W1A".
	outcodeRE = regexp.MustCompile(`^[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]?$`)
)

var (
	validateOnce sync.Once
	validate     *validator.Validate
)

// Validator returns the one shared validator, with Signpost's custom rules and
// errors that name fields by their JSON names.
func Validator() *validator.Validate {
	validateOnce.Do(func() {
		v := validator.New(validator.WithRequiredStructEnabled())
		v.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				return ""
			}
			if name == "" {
				return f.Name
			}
			return name
		})
		must := func(err error) {
			if err != nil {
				panic(err)
			}
		}
		must(v.RegisterValidation("oruk_status", oneOfFunc(ServiceStatuses)))
		must(v.RegisterValidation("oruk_deliverable_type", oneOfFunc(DeliverableTypes)))
		must(v.RegisterValidation("oruk_attending_type", oneOfFunc(AttendingTypes)))
		must(v.RegisterValidation("oruk_attending_access", oneOfFunc(AttendingAccess)))
		must(v.RegisterValidation("weekday", oneOfFunc(Weekdays)))
		must(v.RegisterValidation("uuid_lower", func(fl validator.FieldLevel) bool { return uuidLowerRE.MatchString(fl.Field().String()) }))
		must(v.RegisterValidation("clock", func(fl validator.FieldLevel) bool { return clockRE.MatchString(fl.Field().String()) }))
		must(v.RegisterValidation("uk_postcode", func(fl validator.FieldLevel) bool { return IsPostcode(fl.Field().String()) }))
		must(v.RegisterValidation("web_url", func(fl validator.FieldLevel) bool { return isWebURL(fl.Field().String()) }))
		must(v.RegisterValidation("problem_kind", func(fl validator.FieldLevel) bool { return isProblemKind(fl.Field().String()) }))
		v.RegisterStructValidation(eligibilityAges, Eligibility{})
		v.RegisterStructValidation(ukAddress, PhysicalAddress{})
		validate = v
	})
	return validate
}

func oneOfFunc(allowed []string) validator.Func {
	return func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		for _, a := range allowed {
			if s == a {
				return true
			}
		}
		return false
	}
}

func eligibilityAges(sl validator.StructLevel) {
	e := sl.Current().Interface().(Eligibility)
	if e.MinimumAge != nil && e.MaximumAge != nil && *e.MinimumAge > *e.MaximumAge {
		sl.ReportError(e.MinimumAge, "minimum_age", "MinimumAge", "age_order", "")
	}
}

// ukAddress: a British address's postcode, when it has one, is a real UK postcode.
func ukAddress(sl validator.StructLevel) {
	a := sl.Current().Interface().(PhysicalAddress)
	if a.Country == "GB" && a.PostalCode != "" && !IsPostcode(a.PostalCode) {
		sl.ReportError(a.PostalCode, "postal_code", "PostalCode", "uk_postcode", "")
	}
}

// IsPostcode reports whether s is a full UK postcode in normal form ("DN15 6NL").
func IsPostcode(s string) bool { return postcodeRE.MatchString(s) }

// IsOutcode reports whether s is a postcode district in normal form ("DN15").
func IsOutcode(s string) bool { return outcodeRE.MatchString(s) }

// isWebURL accepts absolute http and https URLs with a host, which is what the
// ORUK schema's pattern asks for and what is safe to put in a link.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || strings.ContainsAny(s, " \t\r\n<>\"") {
		return false
	}
	return u.Scheme == "http" || u.Scheme == "https"
}

// FieldErrors maps a field's path ("eligibilitys[0].minimum_age") to a message
// a person can act on.
type FieldErrors map[string]string

// Check validates v and returns its problems as FieldErrors, or nil when it is valid.
func Check(v any) FieldErrors {
	err := Validator().Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return FieldErrors{"": err.Error()}
	}
	out := FieldErrors{}
	for _, fe := range verrs {
		path := fe.Namespace()
		// Drop the top-level type name: "Service.eligibilitys[0].minimum_age" → "eligibilitys[0].minimum_age".
		if _, rest, ok := strings.Cut(path, "."); ok {
			path = rest
		}
		if _, seen := out[path]; !seen {
			out[path] = fieldMessage(fe)
		}
	}
	return out
}

func fieldMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "required_with":
		return "latitude and longitude must be given together"
	case "email":
		return "must be an e-mail address, like name@example.org"
	case "web_url":
		return "must be a web address starting with http:// or https://"
	case "uuid_lower":
		return "must be a UUID, like 3f2b8c1e-5d4a-4c1b-9e2f-7a6b5c4d3e2f"
	case "oruk_status":
		return "must be one of: " + strings.Join(ServiceStatuses, ", ")
	case "oruk_deliverable_type":
		return "must be one of: " + strings.Join(DeliverableTypes, ", ")
	case "oruk_attending_type":
		return "must be one of: " + strings.Join(AttendingTypes, ", ")
	case "oruk_attending_access":
		return "must be one of: " + strings.Join(AttendingAccess, ", ")
	case "weekday":
		return "must be a day of the week, like Monday"
	case "clock":
		return "must be a time of day as HH:MM on the 24-hour clock"
	case "uk_postcode":
		return "must be a UK postcode, like DN15 6NL"
	case "datetime":
		return "must be a date as YYYY-MM-DD"
	case "latitude":
		return "must be a latitude between -90 and 90"
	case "longitude":
		return "must be a longitude between -180 and 180"
	case "age_order":
		return "minimum age must not be greater than maximum age"
	case "gte":
		return fmt.Sprintf("must be at least %s", fe.Param())
	case "lte":
		return fmt.Sprintf("must be at most %s", fe.Param())
	case "max":
		return fmt.Sprintf("must be at most %s characters", fe.Param())
	case "min":
		return fmt.Sprintf("must be at least %s characters", fe.Param())
	case "problem_kind":
		return "must be one of the problems listed"
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(fe.Param(), " ", ", ")
	}
	return "is not valid (" + fe.Tag() + ")"
}
