package directory

import (
	"errors"
	"fmt"
)

// Error codes, each mapped to one HTTP status by the error handler.
const (
	ECONFLICT      = "conflict"      // 409: the record changed or the id is taken
	EINTERNAL      = "internal"      // 500: a fault of ours; details only in the log
	EINVALID       = "invalid"       // 400: a request parameter is wrong
	EUNPROCESSABLE = "unprocessable" // 422: a submitted record fails validation
	ENOTFOUND      = "not_found"     // 404
	EUNAVAILABLE   = "unavailable"   // 503: e.g. the store is locked by another process
	EFORBIDDEN     = "forbidden"     // 403: e.g. a form sent without its token
	ETOOMANY       = "too_many"      // 429: slow down
)

// Error is Signpost's application error: a code, a message that is safe to show
// to anyone, and per-field messages. Internal causes are wrapped, logged, and
// never shown.
type Error struct {
	Code    string
	Message string
	Fields  FieldErrors
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an application error with a safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// InvalidParam names one bad request parameter.
func InvalidParam(name, message string) *Error {
	return &Error{Code: EINVALID, Message: "The request has a bad parameter: " + name + ".", Fields: FieldErrors{name: message}}
}

func asError(err error, target **Error) bool { return errors.As(err, target) }

// ErrorCode returns the code of an application error, or EINTERNAL for any other error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}
