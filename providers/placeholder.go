package providers

import (
	"fmt"
	"regexp"
	"strings"
)

// Shapes of the values people paste instead of a key: a template from a
// web page, the masked form a console shows, or a token from a sign-in.
var (
	zeroGUID = regexp.MustCompile(`^\{?0{8}-0{4}-0{4}-0{4}-0{12}\}?$`)
	jwtShape = regexp.MustCompile(`^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$`)
)

// maskRunes are the characters consoles show in place of hidden ones.
const maskRunes = "*•●∙·"

// placeholder refuses a value that cannot be a real key, whatever the
// service: the all-zero GUID, one character over and over, and in secret
// fields a masked value or an OAuth token. Messages name what was pasted
// and never repeat it. For a password the owner chose, any of these could
// in theory be real, so they only warn.
func (f Field) placeholder(v string) error {
	if f.Multiline {
		return nil
	}
	err := f.placeholderShape(v)
	if err != nil && f.Password {
		return &Warning{Msg: err.Error() + " (if it really is the password, go on)"}
	}
	return err
}

func (f Field) placeholderShape(v string) error {
	name := f.shortLabel()
	switch {
	case zeroGUID.MatchString(v):
		return fmt.Errorf("this is the all-zero GUID, a placeholder that no console issues: copy the real %s", name)
	case f.Secret && masked(v):
		return fmt.Errorf("this is the hidden form of the %s: it is masked with stars or dots. Reveal it in the console and copy it, or create a new one if the console showed it only once", name)
	case oneCharRun(v):
		return fmt.Errorf("this is a placeholder (the same character over and over), not a real %s: copy the value from the console", name)
	case f.Secret:
		return pastedToken(v, name, f.Token)
	}
	return nil
}

// pastedToken names an OAuth token pasted where a key belongs: tokens come
// out of a sign-in and expire; the console's key is what the portal needs.
func pastedToken(v, name string, tokenField bool) error {
	what := ""
	switch {
	case strings.HasPrefix(v, "ya29."):
		what = "a Google access token (it starts with ya29.)"
	case strings.HasPrefix(v, "1//"):
		what = "a Google refresh token (it starts with 1//)"
	case !tokenField && len(v) > 7 && strings.EqualFold(v[:7], "bearer "):
		what = `an Authorization header (the word "Bearer" and an access token)`
	case jwtShape.MatchString(v):
		what = "a JWT (a signed token, such as an ID token or an access token)"
	default:
		return nil
	}
	return fmt.Errorf("this is %s, not the %s: tokens come from a sign-in and expire; copy the %s from the service's console", what, name, name)
}

// masked reports three or more mask characters in a row.
func masked(v string) bool {
	n := 0
	for _, r := range v {
		if !strings.ContainsRune(maskRunes, r) {
			n = 0
			continue
		}
		if n++; n >= 3 {
			return true
		}
	}
	return false
}

// oneCharRun reports a value that is one character repeated, perhaps after
// a short real prefix (AKIAXXXXXXXXXXXXXXXX, GOCSPX-xxxx...) and with
// separators between (xxxxxxxx-xxxx-...): at least 8 repeats covering at
// least two thirds of the value. A real key has no such run.
func oneCharRun(v string) bool {
	r := []rune(v)
	for k := 0; k <= 8 && k < len(r); k++ {
		var first rune
		n, same := 0, true
		for _, c := range r[k:] {
			if c == '-' || c == '_' || c == '.' {
				continue
			}
			if n == 0 {
				first = c
			}
			if c != first {
				same = false
				break
			}
			n++
		}
		if same && n >= 8 && 3*n >= 2*len(r) {
			return true
		}
	}
	return false
}

// shortLabel is the field's label without its parenthesised remark, in
// quotes: `"OAuth 2.0 Client Secret"`.
func (f Field) shortLabel() string {
	l := f.Label
	if i := strings.Index(l, " ("); i > 0 {
		l = l[:i]
	}
	if l == "" {
		return "value"
	}
	return `"` + l + `"`
}
