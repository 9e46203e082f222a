package directory

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/signpost-uk/signpost/static"
)

var statusOf = map[string]int{
	EINVALID:       http.StatusBadRequest,
	EUNPROCESSABLE: http.StatusUnprocessableEntity,
	ENOTFOUND:      http.StatusNotFound,
	ECONFLICT:      http.StatusConflict,
	EUNAVAILABLE:   http.StatusServiceUnavailable,
	EFORBIDDEN:     http.StatusForbidden,
	ETOOMANY:       http.StatusTooManyRequests,
	EINTERNAL:      http.StatusInternalServerError,
}

// ErrorBody is the JSON every error response carries.
type ErrorBody struct {
	Code    string      `json:"code"`
	Message string      `json:"message"`
	Errors  FieldErrors `json:"errors,omitempty"`
}

// ErrorHandler is the server's one fiber error handler: application errors
// become their status with a safe message, as JSON for API clients and HTML for
// browsers; anything else is logged in full and shown as a plain 500.
func ErrorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		body := ErrorBody{Code: EINTERNAL, Message: "Something went wrong on our side. Please try again later."}
		status := http.StatusInternalServerError
		var appErr *Error
		var fiberErr *fiber.Error
		switch {
		case errors.As(err, &appErr):
			body = ErrorBody{Code: appErr.Code, Message: appErr.Message, Errors: appErr.Fields}
			status = statusOf[appErr.Code]
			if status == 0 {
				status = http.StatusInternalServerError
			}
			if status >= 500 {
				log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
			}
		case errors.As(err, &fiberErr):
			status = fiberErr.Code
			body = ErrorBody{Code: fiberCode(status), Message: http.StatusText(status) + "."}
			if status == http.StatusNotFound {
				body.Message = "There is nothing at this address."
			}
		default:
			// Only the path: query strings may hold what people searched for.
			log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
		}
		if wantsHTML(c) {
			title := pageTitles[status]
			if title == "" {
				title = http.StatusText(status)
			}
			page := static.NewPage(c, title, "", map[string]any{"Title": title, "Message": body.Message, "Fields": body.Errors})
			page.Status = status
			if err := pages.Render(c, "error", page); err != nil {
				log.Error("error page", "err", err)
				return c.Status(status).SendString(body.Message)
			}
			return nil
		}
		return c.Status(status).JSON(body)
	}
}

func fiberCode(status int) string {
	switch status {
	case http.StatusNotFound:
		return ENOTFOUND
	case http.StatusServiceUnavailable:
		return EUNAVAILABLE
	}
	if status < 500 {
		return EINVALID
	}
	return EINTERNAL
}

// wantsHTML is true for a browser asking for a page outside the JSON API.
func wantsHTML(c *fiber.Ctx) bool {
	return !strings.HasPrefix(c.Path(), "/api/") && strings.Contains(c.Get(fiber.HeaderAccept), "text/html")
}

// pageTitles are what an error page says at the top, in plain words.
var pageTitles = map[int]string{
	http.StatusBadRequest:          "There is a problem with your search",
	http.StatusForbidden:           "This form has expired",
	http.StatusNotFound:            "Page not found",
	http.StatusGone:                "This service is no longer running",
	http.StatusUnprocessableEntity: "There is a problem",
	http.StatusTooManyRequests:     "Please wait a moment",
	http.StatusInternalServerError: "Sorry, there is a problem with the service",
	http.StatusServiceUnavailable:  "Sorry, the service is unavailable",
}
