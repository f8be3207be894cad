package loopback

import (
	"errors"
	"fmt"
)

// Sentinels callers branch on. Every error Run returns wraps one of them or
// is a *ProviderError.
var (
	// ErrStateMismatch means the answer did not carry the state this sign-in
	// sent: another page or program may be injecting its own sign-in.
	ErrStateMismatch = errors.New("the answer's state does not match this sign-in")
	// ErrIssuerMismatch means the answer names another authorization server
	// (RFC 9207 "iss"): a mix-up attack or a wrong endpoint.
	ErrIssuerMismatch = errors.New("the answer comes from another authorization server")
	// ErrTimeout means no answer reached the loopback listener in time.
	ErrTimeout = errors.New("no sign-in answer in time")
	// ErrCanceled means the caller cancelled the sign-in.
	ErrCanceled = errors.New("sign-in cancelled")
	// ErrPortBusy means the port the provider needs could not be bound.
	ErrPortBusy = errors.New("port in use")
	// ErrNoLoopback means the provider refuses loopback redirect URIs.
	ErrNoLoopback = errors.New("the service refuses loopback redirects")
	// ErrNoOAuth means the service has no OAuth sign-in to test.
	ErrNoOAuth = errors.New("the service has no OAuth sign-in")
	// ErrUnreachable means a provider endpoint could not be asked (network,
	// TLS, proxy): the keys are neither proven good nor bad.
	ErrUnreachable = errors.New("the service could not be reached")
	// ErrMissingValue means a value the sign-in needs (client ID, secret,
	// host) is empty.
	ErrMissingValue = errors.New("a value is missing")
)

// CouldNotRun reports whether err means the test could not be carried out
// at all, as opposed to the service rejecting the keys.
func CouldNotRun(err error) bool {
	for _, s := range []error{ErrTimeout, ErrCanceled, ErrPortBusy, ErrNoLoopback, ErrUnreachable} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// ProviderError is an OAuth error answer: in the redirect back from the
// authorization page, or from the token endpoint.
type ProviderError struct {
	Stage       string // "authorization", "token" or "identity"
	Code        string // "invalid_client", "access_denied", ...; may be empty
	Description string
	Status      int // HTTP status of a token or identity answer, 0 for the redirect

	url string // the identity call that was refused, for the advice
}

func (e *ProviderError) Error() string {
	s := e.Stage + " error"
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}
