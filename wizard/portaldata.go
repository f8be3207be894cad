package wizard

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// The plain data of ONLYOFFICE portals, as both faces see it. The engine
// that talks to portals (wizard/portal) uses these same types.

// Product is an ONLYOFFICE product line.
type Product string

// The products Keywizard pushes keys to.
const (
	DocSpace  Product = "docspace"
	Workspace Product = "workspace"
)

// String names the product as the admin knows it.
func (p Product) String() string {
	switch p {
	case DocSpace:
		return "ONLYOFFICE DocSpace"
	case Workspace:
		return "ONLYOFFICE Workspace"
	}
	return "unknown product"
}

// PortalInfo is what detection found out about a portal.
type PortalInfo struct {
	Product Product `json:"product"`
	Version string  `json:"version,omitempty"` // "" when the portal did not say
}

// PortalEntry is a remembered portal. It holds nothing secret: the session
// and the password live in the secret store under its Key.
type PortalEntry struct {
	URL     string  `json:"url"`
	Product Product `json:"product"`
	Version string  `json:"version,omitempty"`
	User    string  `json:"user,omitempty"`    // e-mail; empty for an API key
	APIKey  bool    `json:"api_key,omitempty"` // signed in with a DocSpace API key
	CAFile  string  `json:"ca_file,omitempty"` // private CA to trust for this portal
	// TwoFactor means the portal asked for a two-factor code at sign-in:
	// the account is never signed in again without the admin asking.
	TwoFactor bool      `json:"two_factor,omitempty"`
	Added     time.Time `json:"added"`
}

// Info is what the entry says the portal runs.
func (e PortalEntry) Info() PortalInfo { return PortalInfo{Product: e.Product, Version: e.Version} }

// Host is the entry's host (and port).
func (e PortalEntry) Host() string {
	u, err := ParsePortalURL(e.URL)
	if err != nil {
		return e.URL
	}
	return u.Host
}

// Key names the portal's session and password in the secret store: its
// host (and port) and path without the trailing slash, so that two
// portals on one host at different paths keep apart. A portal at the root
// of its host is keyed by the host alone.
func (e PortalEntry) Key() string {
	u, err := ParsePortalURL(e.URL)
	if err != nil {
		return e.URL
	}
	return PortalKey(u)
}

// PortalKey is the secret-store key of the portal at u.
func PortalKey(u *url.URL) string { return u.Host + strings.TrimSuffix(u.EscapedPath(), "/") }

// FindPortal returns the entry for a URL.
func FindPortal(entries []PortalEntry, rawURL string) (PortalEntry, bool) {
	for _, e := range entries {
		if SamePortal(e.URL, rawURL) {
			return e, true
		}
	}
	return PortalEntry{}, false
}

// SamePortal reports whether two addresses name the same portal.
func SamePortal(a, b string) bool {
	ua, err1 := ParsePortalURL(a)
	ub, err2 := ParsePortalURL(b)
	if err1 != nil || err2 != nil {
		return strings.EqualFold(strings.TrimSuffix(a, "/"), strings.TrimSuffix(b, "/"))
	}
	return strings.EqualFold(ua.Host, ub.Host) && ua.Scheme == ub.Scheme && strings.EqualFold(ua.Path, ub.Path)
}

// PortalSession is what signing in yields. The token is a secret: it lives
// in the secret store only and is never printed.
type PortalSession struct {
	Token   string    // DocSpace/Workspace auth token, or a DocSpace API key
	Expires time.Time // zero when unknown (API keys)
	APIKey  bool      // the token is a DocSpace API key
}

// Valid reports whether the session has a token that has not expired.
func (s PortalSession) Valid(now time.Time) bool {
	return s.Token != "" && (s.Expires.IsZero() || now.Before(s.Expires))
}

// String never shows the token.
func (s PortalSession) String() string {
	if s.Token == "" {
		return "no session"
	}
	if s.Expires.IsZero() {
		return "session (no expiry)"
	}
	return "session until " + s.Expires.UTC().Format(time.RFC3339)
}

// Errors of reaching a portal that callers branch on.
var (
	// ErrPortalInsecure means a non-loopback portal was given over plain http.
	ErrPortalInsecure = errors.New("the portal address must start with https:// (plain http is accepted only for this computer)")
	// ErrPortalUnreachable wraps every failure to get an answer: DNS,
	// TLS, connection refused or reset, timeout.
	ErrPortalUnreachable = errors.New("could not reach the portal")
	// ErrNotSignedIn means the call needs a session and there is none, or
	// the portal refused it.
	ErrNotSignedIn = errors.New("not signed in to the portal, or the session expired")
	// ErrPortalFailed wraps an answer that says the portal itself failed
	// (HTTP 5xx that is not one of its documented refusals, or an error
	// page instead of the API's answer): the job could not be done, and
	// the keys were not judged.
	ErrPortalFailed = errors.New("the portal failed to answer the request")
	// ErrNotAdmin means the account may not change portal settings.
	ErrNotAdmin = errors.New("the portal refused: only the owner or an administrator may change the authorization keys")
	// ErrNotOffered is wrapped by the refusals of a service the portal's
	// product or version does not offer.
	ErrNotOffered = errors.New("not offered by this portal")
	// ErrWrongCode means the portal refused a two-factor code.
	ErrWrongCode = errors.New("the portal refused the two-factor code: check it and that this computer's clock is right, then try again")
)

// PortalTrouble reports whether err means the portal could not be reached
// or failed, rather than refused: exit code 3 on the command line.
func PortalTrouble(err error) bool {
	return errors.Is(err, ErrPortalUnreachable) || errors.Is(err, ErrPortalFailed)
}

// ParsePortalURL checks a portal address and returns it normalised (scheme
// and host, with any path kept and a trailing slash added). Plain http is
// refused except for loopback hosts.
func ParsePortalURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("no portal address given")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%q is not a portal address like https://portal.example.com", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopbackHost(u.Hostname()) {
			return nil, ErrPortalInsecure
		}
	default:
		return nil, fmt.Errorf("unsupported scheme %q: use https://", u.Scheme)
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawPath = ""
	return u, nil
}

// IsLoopbackHost reports whether host is this computer: localhost,
// 127.0.0.0/8 or ::1.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CodeKind is the kind of two-factor step the portal asks for.
type CodeKind string

// Two-factor kinds.
const (
	CodeApp        CodeKind = "app"         // code from the authenticator app
	CodeSMS        CodeKind = "sms"         // code sent by SMS
	CodeAppSetup   CodeKind = "app-setup"   // the app is not set up yet
	CodePhoneSetup CodeKind = "phone-setup" // SMS, but no phone number yet
)

// ErrCodeRequired is returned by a password sign-in when the account has
// two-factor authentication: sign in again with the code.
type ErrCodeRequired struct {
	Kind       CodeKind
	PhoneNoise string // masked phone number the SMS went to
}

func (e *ErrCodeRequired) Error() string {
	switch e.Kind {
	case CodeSMS:
		if e.PhoneNoise != "" {
			return "the portal sent a two-factor code by SMS to " + e.PhoneNoise
		}
		return "the portal sent a two-factor code by SMS"
	case CodeAppSetup:
		return "two-factor authentication with an app is not set up for this account yet: sign in to the portal once in a browser to set it up, then sign in here with a code"
	case CodePhoneSetup:
		return "SMS two-factor authentication needs a phone number first: sign in to the portal once in a browser to add it"
	}
	return "the portal asks for the code from the authenticator app"
}

// NeedsBrowser reports whether the account must finish two-factor set-up
// in a browser before a code can be used.
func (e *ErrCodeRequired) NeedsBrowser() bool {
	return e.Kind == CodeAppSetup || e.Kind == CodePhoneSetup
}

// PushOptions tune a push.
type PushOptions struct {
	// DryRun reads the portal and computes the diff, and sends nothing.
	DryRun bool
	// Clear names props (portal prop keys, e.g. "appleIdClientIdMobile")
	// the push empties on the portal. A prop left empty in Keywizard and
	// not named here is not sent, so the portal keeps what it holds.
	Clear []string
}

// Change is one field a push changes, with both values redacted.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"` // "" when the portal has no value
	New   string `json:"new"` // "" when the push empties the field
}

// PushResult is the outcome of pushing one service to one portal.
type PushResult struct {
	Portal   string   `json:"portal,omitempty"`
	Service  string   `json:"service"`
	OK       bool     `json:"ok"`
	Changed  bool     `json:"changed"`  // the portal now holds different keys than before
	Restored bool     `json:"restored"` // a failed push was undone
	Message  string   `json:"message"`
	Diff     []Change `json:"diff,omitempty"`
	// Unreachable means the job could not be done because of the portal or
	// the network rather than the keys: it could not be reached, did not
	// answer in time, reset the connection or failed (HTTP 5xx). Exit code
	// 3 on the command line.
	Unreachable bool `json:"-"`
	// NotOffered means the portal (or its version) does not offer the
	// service at all; a push of every service skips it.
	NotOffered bool `json:"-"`
}
