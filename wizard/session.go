package wizard

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"keywizard/providers"
)

// ErrFirstStep and ErrLastStep are returned when Back or Next has nowhere to go.
var (
	ErrFirstStep = errors.New("this is the first step")
	ErrLastStep  = errors.New("this is the last step")
)

// Session is one service's set-up in progress: the console steps, then the
// keys form. Values hold what the admin typed; they may be secrets, so a
// Session must never be printed with %v: use Redacted.
type Session struct {
	Provider providers.Provider
	Values   map[string]string
	Step     int           // 0..len(Steps)-1 are console steps; len(Steps) is the keys form
	Checked  *CheckResult  // last online check, if any
	SignedIn *SignInResult // last test sign-in, if any
	OnPortal bool          // the portal holds these keys
}

// NewSession starts a service at its first step.
func NewSession(p providers.Provider) *Session {
	return &Session{Provider: p, Values: map[string]string{}}
}

// FormStep is the index of the keys form.
func (s *Session) FormStep() int { return len(s.Provider.Steps) }

// AtForm reports whether the session shows the keys form.
func (s *Session) AtForm() bool { return s.Step >= s.FormStep() }

// CanNext says why Next is not possible, or nil.
func (s *Session) CanNext() error {
	if s.AtForm() {
		return ErrLastStep
	}
	return nil
}

// Next moves one step forward.
func (s *Session) Next() error {
	if err := s.CanNext(); err != nil {
		return err
	}
	s.Step++
	return nil
}

// Back moves one step back.
func (s *Session) Back() error {
	if s.Step == 0 {
		return ErrFirstStep
	}
	s.Step--
	return nil
}

// GoTo jumps to a step, for "I already have the keys" and for resuming.
func (s *Session) GoTo(step int) error {
	if step < 0 || step > s.FormStep() {
		return fmt.Errorf("step %d: there are steps 1 to %d", step+1, s.FormStep()+1)
	}
	s.Step = step
	return nil
}

// Set stores a field's value and returns its check's verdict. Changing a
// value forgets earlier online results: they proved other keys.
func (s *Session) Set(field, value string) error {
	f, ok := s.Provider.Field(field)
	if !ok {
		return fmt.Errorf("%s has no field %q", s.Provider.ID, field)
	}
	if s.Values[field] != value {
		s.Checked, s.SignedIn, s.OnPortal = nil, nil, false
	}
	if value == "" {
		delete(s.Values, field)
	} else {
		s.Values[field] = value
	}
	return f.Validate(value)
}

// Validation checks every field and the cross-field rules.
func (s *Session) Validation() []providers.FieldError {
	return s.Provider.Validate(s.Values)
}

// Valid reports whether every field passes (warnings allowed).
func (s *Session) Valid() bool {
	for _, fe := range s.Validation() {
		if providers.Blocks(fe.Err) {
			return false
		}
	}
	return true
}

// Filled lists the ids of fields that hold a value, sorted.
func (s *Session) Filled() []string {
	var ids []string
	for id, v := range s.Values {
		if v != "" {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// Status sums up the session for the overview.
func (s *Session) Status() Status {
	switch {
	case s.Checked != nil && !s.Checked.OK && !s.Checked.Unreachable,
		s.SignedIn != nil && !s.SignedIn.OK:
		return Problem
	case s.OnPortal:
		return OnPortal
	case s.Checked != nil && s.Checked.OK, s.SignedIn != nil && s.SignedIn.OK:
		return Verified
	case len(s.Values) > 0 && s.Valid():
		return Valid
	case s.Step > 0 || len(s.Values) > 0:
		return InProgress
	}
	return NotStarted
}

// Redacted describes the session with every value redacted.
func (s *Session) Redacted() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s step %d/%d", s.Provider.ID, s.Step+1, s.FormStep()+1)
	for _, id := range s.Filled() {
		f, _ := s.Provider.Field(id)
		v := s.Values[id]
		if f.Secret {
			v = providers.Redact(v)
		}
		fmt.Fprintf(&b, " %s=%s", id, v)
	}
	return b.String()
}

// String is Redacted, so that a stray %v never prints a secret.
func (s *Session) String() string { return s.Redacted() }
