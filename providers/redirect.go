package providers

import (
	"errors"
	"net/url"
	"strings"
)

// CheckRedirectURL is the rule for a portal's own OAuth redirect URL, the
// same in the window and on the command line: an https address with a
// host, nothing else (no javascript:, no plain http, no user name, no
// spaces or control characters).
func CheckRedirectURL(v string) error {
	msg := errors.New("enter an address that starts with https://, such as " + DefaultRedirectURL)
	if v == "" || strings.IndexFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return msg
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Opaque != "" {
		return msg
	}
	return nil
}
