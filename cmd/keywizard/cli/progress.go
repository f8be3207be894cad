package cli

import (
	"fmt"
	"slices"
	"time"

	"keywizard/wizard"
	"keywizard/wizard/state"
)

// record updates one service's non-secret progress in the file the window
// also reads, so that the window shows what the command line did. A file
// that cannot be written is a warning on stderr: the command's own work is
// done by then and its exit code stands.
func record(d Deps, service string, update func(s *state.Service)) {
	if d.Progress == nil {
		return
	}
	p, err := d.Progress.Load()
	if p == nil {
		fmt.Fprintf(d.Stderr, "warning: progress not saved: %v\n", err)
		return
	}
	if err != nil {
		fmt.Fprintf(d.Stderr, "warning: %v\n", err)
	}
	s := p.Service(service)
	update(s)
	s.Updated = time.Now().UTC()
	if err := d.Progress.Save(p); err != nil {
		fmt.Fprintf(d.Stderr, "warning: progress not saved: %v\n", err)
	}
}

// forgetProgress removes a service's progress.
func forgetProgress(d Deps, service string) {
	if d.Progress == nil {
		return
	}
	p, err := d.Progress.Load()
	if p == nil || p.Services[service] == nil {
		if err != nil {
			fmt.Fprintf(d.Stderr, "warning: %v\n", err)
		}
		return
	}
	delete(p.Services, service)
	if err := d.Progress.Save(p); err != nil {
		fmt.Fprintf(d.Stderr, "warning: progress not saved: %v\n", err)
	}
}

// recordKeys notes which fields are now stored and whether they pass the
// offline checks. New keys void the verdicts reached with the old ones.
func recordKeys(d Deps, service string, filled []string, valid, changed bool) {
	record(d, service, func(s *state.Service) {
		s.Filled = slices.Sorted(slices.Values(filled))
		if changed {
			s.Check, s.SignIn, s.Message = nil, nil, ""
		}
		switch {
		case !valid:
			s.Status = wizard.InProgress
		case changed || s.Status == wizard.NotStarted || s.Status == wizard.InProgress || s.Status == "":
			s.Status = wizard.Valid
		}
	})
}

// recordOutcome notes the verdict of a check, a test sign-in or a push.
func recordOutcome(d Deps, service string, kind string, ok bool, message string) {
	record(d, service, func(s *state.Service) {
		o := &state.Outcome{OK: ok, Message: message, At: time.Now().UTC()}
		switch kind {
		case "check":
			s.Check = o
		case "sign-in":
			s.SignIn = o
		case "push":
			s.Push = o
		}
		s.Message = message
		switch {
		case !ok:
			s.Status = wizard.Problem
		case kind == "push":
			s.Status = wizard.OnPortal
		case s.Status != wizard.OnPortal:
			s.Status = wizard.Verified
		}
	})
}
