// Package wizard is the set-up flow as plain state: a Session per service
// walks the admin through the console steps to the keys form, records what
// happened at each step, and hands the keys to the engines (online check,
// test sign-in, secret store, portal) through the interfaces declared here.
// It has no user interface and does no I/O of its own.
package wizard

import (
	"context"
	"time"
)

// Status is where a service stands, as the overview shows it.
type Status string

// Statuses, from nothing done to on the portal.
const (
	NotStarted Status = "not started"
	InProgress Status = "in progress"
	Valid      Status = "keys valid"
	Verified   Status = "verified"
	OnPortal   Status = "on the portal"
	Problem    Status = "problem"
)

// SecretStore keeps the keys a service's form holds, one value per field.
// Implementations live in wizard/secrets.
type SecretStore interface {
	Get(ctx context.Context, service, field string) (string, error) // secrets.ErrNotFound when absent
	Set(ctx context.Context, service, field, value string) error
	Delete(ctx context.Context, service, field string) error
	// Where says in plain words where secrets live ("the OS keyring", ...).
	Where() string
}

// Identity is who a check or a test sign-in proved the keys belong to.
type Identity struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	ID    string `json:"id,omitempty"` // account id, ARN, bot username...
}

// String gives "Name <email>", or whichever part is known.
func (i Identity) String() string {
	switch {
	case i.Name != "" && i.Email != "":
		return i.Name + " <" + i.Email + ">"
	case i.Name != "":
		return i.Name
	case i.Email != "":
		return i.Email
	}
	return i.ID
}

// Certainty says how sure a verdict is.
type Certainty string

// Certainty levels.
const (
	Proven    Certainty = "proven"    // documented behaviour of the service
	Likely    Certainty = "likely"    // observed behaviour, not documented
	Uncertain Certainty = "uncertain" // the service's answer could not be read with confidence
)

// CheckResult is the verdict of a non-interactive online check.
type CheckResult struct {
	Service   string    `json:"service"`
	OK        bool      `json:"ok"`
	Message   string    `json:"message"`              // what was proven, or what went wrong
	NotProven string    `json:"not_proven,omitempty"` // what this check cannot prove
	Fix       string    `json:"fix,omitempty"`        // what to do, on failure
	FixURL    string    `json:"fix_url,omitempty"`    // console page to open to fix it
	Identity  *Identity `json:"identity,omitempty"`
	Certainty Certainty `json:"certainty,omitempty"`
	// Unreachable means the service could not be asked (network, timeout,
	// 5xx): the keys are neither proven good nor bad.
	Unreachable bool          `json:"unreachable,omitempty"`
	Details     string        `json:"details,omitempty"` // redacted raw answer, for "Details"
	Elapsed     time.Duration `json:"-"`
}

// Checker runs the online check of one service. wizard/check implements it.
type Checker interface {
	Check(ctx context.Context, service string, values map[string]string) CheckResult
}

// SignInOptions tune a test sign-in.
type SignInOptions struct {
	Port    int           // 0: the provider's rule decides
	Timeout time.Duration // 0: five minutes
	// Open opens the sign-in URL in a browser; nil means the admin opens it.
	Open func(url string) error
	// OnURL is called with the sign-in URL and the redirect URI as soon as
	// the listener is ready, before the browser opens, so that a screen can
	// show it with a Copy button.
	OnURL func(authURL, redirectURI string)
	// Product is the connected portal's product ("docspace" or
	// "workspace"): the test replays that product's own request. Empty:
	// DocSpace's where both products offer the service; the result says
	// which one was tested.
	Product string
}

// SignInResult is the outcome of a test sign-in.
type SignInResult struct {
	Service     string    `json:"service"`
	OK          bool      `json:"ok"`
	Message     string    `json:"message"`
	Identity    *Identity `json:"identity,omitempty"`
	RedirectURI string    `json:"redirect_uri"`
	Scopes      []string  `json:"scopes,omitempty"`
	Warnings    []string  `json:"warnings,omitempty"`
	Fix         string    `json:"fix,omitempty"`
	FixURL      string    `json:"fix_url,omitempty"`
	// Product is the portal product whose own request was replayed
	// ("docspace", "workspace"); empty when the catalogue records none.
	Product string `json:"product,omitempty"`
	// Proven and NotProven say exactly what this result shows about the
	// portal's own sign-in, and what it leaves open.
	Proven    string `json:"proven,omitempty"`
	NotProven string `json:"not_proven,omitempty"`
}

// SignInTester runs a real sign-in against the admin's app. wizard/loopback
// implements it.
type SignInTester interface {
	Test(ctx context.Context, service string, values map[string]string, opts SignInOptions) SignInResult
}

// BrowserOpener opens a URL in the default browser.
type BrowserOpener func(url string) error
