package cli

import (
	"fmt"

	"keywizard/providers"
	"keywizard/wizard"
)

// warnProgress says on stderr that progress could not be recorded: the
// command's own work is done by then and its exit code stands.
func warnProgress(d Deps, err error) {
	if err != nil {
		fmt.Fprintf(d.Stderr, "warning: progress not saved: %v\n", err)
	}
}

// forgetProgress removes a service's progress.
func forgetProgress(d Deps, service string) {
	warnProgress(d, d.flow().Recorder().Forget(service))
}

// recordKeys notes which fields are now stored and whether they pass the
// offline checks.
func recordKeys(d Deps, service string, filled []string, valid, changed bool) {
	warnProgress(d, d.flow().Recorder().Keys(service, filled, valid, changed))
}

// recordOutcome notes the verdict of a check or a test sign-in.
func recordOutcome(d Deps, service string, kind wizard.Kind, ok bool, message string) {
	warnProgress(d, d.flow().Recorder().Outcome(service, kind, ok, message))
}

// recordKeyFacts keeps the expiry watch's facts after keys were stored:
// the date on new keys, and the expiry fields' values either way.
func recordKeyFacts(d Deps, p providers.Provider, values map[string]string, changed bool) {
	warnProgress(d, d.flow().Recorder().KeysStored(p, values, changed))
}
