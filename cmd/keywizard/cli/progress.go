package cli

import (
	"fmt"
	"time"

	"keywizard/wizard"
	"keywizard/wizard/state"
)

// record updates one service's progress under the file's lock.
func record(d Deps, service string, update func(s *state.Service)) {
	if d.Progress == nil {
		return
	}
	warnProgress(d, d.Progress.Update(func(p *state.Progress) error {
		s := p.Service(service)
		update(s)
		s.Updated = time.Now().UTC()
		return nil
	}))
}

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
