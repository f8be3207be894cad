// Package redact takes secret values out of text that may be shown,
// logged or stored: a service's or a portal's error answer, a check's
// details, a provider's error description. The secrets are the values of
// the fields the catalogue marks Secret, so every engine (the online
// checks, the test sign-in, the portal client) hides the same ones.
package redact

import (
	"cmp"
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"keywizard/providers"
)

// Mark replaces what was taken out.
const Mark = "<redacted>"

// minLen is the shortest value taken out: a shorter one would wreck the
// text around every occurrence and hides nothing worth hiding.
const minLen = 4

var (
	// telegramPath is a Telegram Bot API path, which carries the token.
	telegramPath = regexp.MustCompile(`bot[0-9]+:[A-Za-z0-9_-]+`)
	// tokenJSON is a token in a JSON answer.
	tokenJSON = regexp.MustCompile(`"(access_token|refresh_token|id_token|token)"\s*:\s*"[^"]*"`)
	// authHeader is an Authorization value an answer echoes: Basic is a
	// client ID and secret in base64, Bearer a token.
	authHeader = regexp.MustCompile(`(?i)\b(basic|bearer)(\s+)[A-Za-z0-9._~+/-]{16,}=*`)
	// signedJWT is a signed JWT (Apple's client secret, Google's
	// assertion, an ID token): it works until it expires.
	signedJWT = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)
)

// Text removes every one of secrets from s, as given and trimmed, in each
// form an echo gives it (URL query and path encoded, encoded twice,
// JSON-escaped with and without escaped slashes, HTML-escaped, white space
// collapsed), and any Telegram "bot<token>" path, token in a JSON answer,
// Basic or Bearer Authorization value and signed JWT. Values shorter than
// 4 characters are left alone.
func Text(s string, secrets ...string) string {
	if s == "" {
		return s
	}
	s = telegramPath.ReplaceAllString(s, "bot"+Mark)
	s = tokenJSON.ReplaceAllString(s, `"$1":"`+Mark+`"`)
	s = authHeader.ReplaceAllString(s, "$1$2"+Mark)
	s = signedJWT.ReplaceAllString(s, Mark)
	// Longest first: a secret inside another, or a form inside another
	// form, must not leave the rest of the longer one behind.
	for _, f := range forms(secrets) {
		s = strings.ReplaceAll(s, f, Mark)
	}
	return s
}

func forms(secrets []string) []string {
	var out []string
	for _, v := range secrets {
		if len(v) < minLen {
			continue
		}
		for _, w := range []string{v, strings.TrimSpace(v)} {
			q := url.QueryEscape(w)
			j, _ := json.Marshal(w)
			js := string(j[1 : len(j)-1])
			out = append(out, w, q, url.PathEscape(w), url.QueryEscape(q), js, strings.ReplaceAll(js, "/", `\/`),
				html.EscapeString(w), strings.Join(strings.Fields(w), " "))
		}
	}
	out = slices.DeleteFunc(out, func(f string) bool { return len(f) < minLen })
	slices.SortFunc(out, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	return slices.Compact(out)
}

// Secrets gives the values of the secret fields in vals (field id to
// value) of the service with that id: the fields its catalogue entry marks
// Secret. A field the entry does not know, or a service the catalogue does
// not have, counts as secret when any catalogue service marks a field of
// that id Secret.
func Secrets(service string, vals map[string]string) []string {
	var out []string
	for id, v := range vals {
		if len(v) >= minLen && IsSecret(service, id) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

// IsSecret reports whether the service's field holds a secret, as Secrets
// decides it.
func IsSecret(service, field string) bool {
	if p, ok := providers.Lookup(service); ok {
		if f, ok := p.Field(field); ok {
			return f.Secret
		}
	}
	return secretIDs()[field]
}

// Service removes the secret values of the service's fields (see Secrets)
// from s, as Text does.
func Service(s, service string, vals map[string]string) string {
	return Text(s, Secrets(service, vals)...)
}

// secretIDs are the field ids the catalogue marks Secret in any service.
var secretIDs = sync.OnceValue(func() map[string]bool {
	ids := map[string]bool{}
	for _, p := range providers.All() {
		for _, f := range p.Fields {
			if f.Secret {
				ids[f.ID] = true
			}
		}
	}
	return ids
})
