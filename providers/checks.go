package providers

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// ErrRequired is returned for an empty required field.
var ErrRequired = errors.New("this field is required: paste the value from the console")

// Warning is a doubt, not a rejection: the value breaks a rule that is only
// known from observation (a "heuristic" rule), so the admin is told and may
// go on. Warnings satisfy the error interface so that they fit field checks.
type Warning struct{ Msg string }

func (w *Warning) Error() string { return w.Msg }

// Warnf returns a Warning.
func Warnf(format string, args ...any) error { return &Warning{Msg: fmt.Sprintf(format, args...)} }

// IsWarning reports whether err is only a warning.
func IsWarning(err error) bool {
	var w *Warning
	return errors.As(err, &w)
}

// Blocks reports whether err should stop the value from being used: any
// error that is not a warning.
func Blocks(err error) bool { return err != nil && !IsWarning(err) }

// TrimError means the value carries whitespace or invisible characters that
// came with a copy from a web page. Trim(value) removes them.
type TrimError struct{ Msg string }

func (e *TrimError) Error() string { return e.Msg }

// IsTrimmable reports whether err can be fixed by Trim.
func IsTrimmable(err error) bool {
	var t *TrimError
	return errors.As(err, &t)
}

// invisible reports characters that web pages carry and consoles never put
// in keys: zero-width spaces and joiners, byte-order marks, soft hyphens,
// no-break spaces, the Unicode line and paragraph separators, and other
// format or control characters.
func invisible(r rune) bool {
	switch r {
	case '\u00a0', '\u00ad', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\ufeff', '\u202f', '\u2028', '\u2029':
		return true
	case '\n', '\r', '\t':
		return false
	}
	return unicode.Is(unicode.Cf, r) || unicode.IsControl(r)
}

// Trim removes invisible characters anywhere and white space at both ends.
// Multiline values (PEM, JSON) keep their line breaks inside.
func Trim(v string) string {
	v = strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, v)
	return strings.TrimSpace(v)
}

// checkPasted catches what a copy from a web page brings along. It never
// quotes the value, which may be a secret.
func checkPasted(v string, multiline bool) error {
	if strings.IndexFunc(v, invisible) >= 0 {
		return &TrimError{Msg: "the value contains invisible characters copied from the web page: choose Trim, or copy it again"}
	}
	if multiline {
		return nil
	}
	if strings.TrimSpace(v) != v {
		return &TrimError{Msg: "the value starts or ends with a space or line break: choose Trim"}
	}
	if strings.ContainsAny(v, "\r\n") {
		return errors.New("the value has a line break in the middle: copy it again as one line")
	}
	return nil
}

// Match returns a check that rejects values not matching pattern, with msg
// as the explanation. Use it for rules the reference marks confirmed.
func Match(pattern, msg string) func(string) error {
	re := regexp.MustCompile(pattern)
	return func(v string) error {
		if !re.MatchString(v) {
			return errors.New(msg)
		}
		return nil
	}
}

// Expect returns a check that only warns when the value does not match
// pattern. Use it for rules the reference marks heuristic.
func Expect(pattern, msg string) func(string) error {
	re := regexp.MustCompile(pattern)
	return func(v string) error {
		if !re.MatchString(v) {
			return &Warning{Msg: msg}
		}
		return nil
	}
}

// NoSpaces rejects values with white space inside: keys never have any.
func NoSpaces(v string) error {
	if strings.IndexFunc(v, unicode.IsSpace) >= 0 {
		return errors.New("the value has a space inside: keys never do, so copy it again")
	}
	return nil
}

// Chain combines checks: the first rejection wins; otherwise the first
// warning is returned.
func Chain(checks ...func(string) error) func(string) error {
	return func(v string) error {
		var warn error
		for _, c := range checks {
			err := c(v)
			if err == nil {
				continue
			}
			if !IsWarning(err) {
				return err
			}
			if warn == nil {
				warn = err
			}
		}
		return warn
	}
}

// Redact shows at most the first four characters of a value, then "****".
// Short values show nothing but the stars.
func Redact(v string) string {
	if v == "" {
		return ""
	}
	r := []rune(v)
	if len(r) < 12 {
		return "****"
	}
	return string(r[:4]) + "****"
}
