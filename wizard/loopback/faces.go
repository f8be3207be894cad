package loopback

import (
	"errors"

	"keywizard/providers"
	"keywizard/wizard"
)

// Why says why a sign-in run did not pass, for the faces: a short
// machine-readable reason and whether the test could not run at all (as
// opposed to the service refusing the keys). err is what Run returned.
func (t *Tester) Why(err error) (reason string, couldNotRun bool) {
	reasons := []struct {
		err    error
		reason string
	}{
		{ErrPortBusy, "port_busy"}, {ErrTimeout, "timeout"}, {ErrCanceled, "canceled"},
		{ErrNoLoopback, "no_loopback"}, {ErrUnreachable, "unreachable"},
		{ErrStateMismatch, "state_mismatch"}, {ErrIssuerMismatch, "issuer_mismatch"},
		{ErrMissingValue, "invalid_keys"},
	}
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return r.reason, CouldNotRun(err)
		}
	}
	var pe *ProviderError
	if err != nil && !errors.As(err, &pe) {
		// Listener or set-up failures other than a busy port.
		return "could_not_run", true
	}
	return "rejected", false
}

// Refuse is the result for a service that refuses loopback redirect URIs,
// given without opening anything.
func (t *Tester) Refuse(p providers.Provider) wizard.SignInResult { return NoLoopback(p) }
