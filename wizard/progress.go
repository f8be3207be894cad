package wizard

import (
	"maps"
	"slices"
	"time"

	"keywizard/providers"
)

// Progress is the non-secret progress of every service and the settings
// both faces share. It names fields, never holds their values.
type Progress struct {
	Settings Settings
	Services map[string]*ServiceProgress
}

// Settings are the app's non-secret preferences shared by both faces.
type Settings struct {
	PortalRedirect string      // the portal's OAuth redirect URL; providers.DefaultRedirectURL when empty
	LastService    string      // reopened on start
	Plan           *ChosenPlan // the first run's choices; nil until made
}

// ChosenPlan is what the admin chose on the first run or with 'keywizard
// plan --want': the goals, and the product when no portal is remembered.
type ChosenPlan struct {
	Goals   []string // goal ids: "signin:google"
	Product string   // "docspace" or "workspace", when chosen without a portal
	Version string
	Chosen  time.Time
}

// ServiceProgress is where one service's set-up stands.
type ServiceProgress struct {
	Step    int
	Filled  []string // field ids holding a value
	Status  Status
	Check   *Outcome
	SignIn  *Outcome
	Push    *Outcome
	Message string // the last verdict, in words
	Updated time.Time
	// Keys are the expiry watch's facts about the stored keys.
	Keys *KeyFacts
	// Portal is what the portal held when 'keywizard status' last read it
	// (OK: it holds keys; Message: "set", "not set", "differs", ...).
	Portal *Outcome
}

// Outcome is the result of one check, test sign-in or push.
type Outcome struct {
	OK      bool
	Message string
	At      time.Time
}

// Proven reports whether the last check or test sign-in passed.
func (s *ServiceProgress) Proven() bool {
	return s.Check != nil && s.Check.OK || s.SignIn != nil && s.SignIn.OK
}

// Service returns the progress of a service, creating it when absent.
func (p *Progress) Service(id string) *ServiceProgress {
	if p.Services == nil {
		p.Services = map[string]*ServiceProgress{}
	}
	s := p.Services[id]
	if s == nil {
		s = &ServiceProgress{Status: NotStarted}
		p.Services[id] = s
	}
	return s
}

// ProgressStore keeps the progress. wizard/state implements it over the
// progress file, with a lock shared by every process.
type ProgressStore interface {
	// Load reads the progress; the result is usable whenever it is not
	// nil, even with an error (a damaged file was moved aside).
	Load() (*Progress, error)
	// Update locks the file, reads it afresh, applies fn and writes the
	// result, so that the window and a command run side by side keep each
	// other's changes.
	Update(fn func(p *Progress) error) error
}

// Kind names what an outcome is about.
type Kind string

// Outcome kinds.
const (
	KindCheck  Kind = "check"
	KindSignIn Kind = "sign-in"
	KindPush   Kind = "push"
)

// Recorder is the one way both faces record progress. A nil Store keeps
// no record.
type Recorder struct {
	Store ProgressStore
	Now   func() time.Time
}

func (r Recorder) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

// update changes one service's progress.
func (r Recorder) update(service string, fn func(s *ServiceProgress)) error {
	if r.Store == nil {
		return nil
	}
	now := r.now()
	return r.Store.Update(func(p *Progress) error {
		s := p.Service(service)
		fn(s)
		s.Updated = now
		return nil
	})
}

// Keys notes which fields are now stored and whether they pass the
// offline checks. New keys void the verdicts reached with the old ones.
func (r Recorder) Keys(service string, filled []string, valid, changed bool) error {
	return r.update(service, func(s *ServiceProgress) {
		s.Filled = slices.Sorted(slices.Values(filled))
		if changed {
			s.Check, s.SignIn, s.Message = nil, nil, ""
		}
		switch {
		case !valid:
			s.Status = InProgress
		case changed || s.Status == NotStarted || s.Status == InProgress || s.Status == "":
			s.Status = Valid
		}
	})
}

// Outcome notes the verdict of a check or a test sign-in. A check that
// reached no verdict is not a verdict: callers do not record it.
func (r Recorder) Outcome(service string, kind Kind, ok bool, message string) error {
	return r.update(service, func(s *ServiceProgress) {
		o := &Outcome{OK: ok, Message: message, At: r.now()}
		if kind == KindSignIn {
			s.SignIn = o
		} else {
			s.Check = o
		}
		s.Message = message
		switch {
		case !ok:
			s.Status = Problem
		case s.Status != OnPortal:
			s.Status = Verified
		}
	})
}

// Pushed notes a push that reached the portal or tried to. overridden
// means the safety rule was overridden for it: keys that nothing proved
// are on the portal, but the service does not count as ready.
func (r Recorder) Pushed(service string, ok bool, message string, overridden bool) error {
	return r.update(service, func(s *ServiceProgress) {
		s.Push = &Outcome{OK: ok, Message: message, At: r.now()}
		s.Message = message
		s.Status = PushedStatus(ok, overridden, s.Proven())
	})
}

// PushedStatus is a service's status after a push: on the portal when the
// push went through with keys that passed the checks (or an earlier
// proof), not verified when it went through with the safety rule
// overridden, a problem when it failed.
func PushedStatus(ok, overridden, proven bool) Status {
	switch {
	case !ok:
		return Problem
	case overridden && !proven:
		return Unverified
	}
	return OnPortal
}

// Step notes where the window stands in a service and what it shows.
func (r Recorder) Step(service string, step int, status Status, message string) error {
	return r.update(service, func(s *ServiceProgress) {
		s.Step, s.Status, s.Message = step, status, message
	})
}

// Forget removes a service's progress.
func (r Recorder) Forget(service string) error {
	if r.Store == nil {
		return nil
	}
	return r.Store.Update(func(p *Progress) error {
		delete(p.Services, service)
		return nil
	})
}

// SetSettings changes the shared settings.
func (r Recorder) SetSettings(fn func(s *Settings)) error {
	if r.Store == nil {
		return nil
	}
	return r.Store.Update(func(p *Progress) error {
		fn(&p.Settings)
		return nil
	})
}

// Settings reads the shared settings; the zero value when there are none.
func (r Recorder) Settings() Settings {
	if r.Store == nil {
		return Settings{}
	}
	p, _ := r.Store.Load()
	if p == nil {
		return Settings{}
	}
	return p.Settings
}

// NewProgress returns empty progress.
func NewProgress() *Progress { return &Progress{Services: map[string]*ServiceProgress{}} }

// IDs lists the services with progress, sorted.
func (p *Progress) IDs() []string { return slices.Sorted(maps.Keys(p.Services)) }

// Started reports whether any service was begun: a step taken, a field
// filled, or a status other than "not started".
func (p *Progress) Started() bool {
	for _, s := range p.Services {
		if s != nil && (s.Step > 0 || len(s.Filled) > 0 || s.Status != "" && s.Status != NotStarted) {
			return true
		}
	}
	return false
}

// Records turns the progress into what a set-up report is made from:
// names and outcomes, never values.
func (p *Progress) Records() []ServiceRecord {
	out := make([]ServiceRecord, 0, len(p.Services))
	for _, id := range p.IDs() {
		s := p.Services[id]
		if s == nil {
			continue
		}
		r := ServiceRecord{Service: id, Status: s.Status, Filled: s.Filled,
			Check: recorded(s.Check), SignIn: recorded(s.SignIn), Push: recorded(s.Push), Portal: recorded(s.Portal)}
		if s.Keys != nil {
			r.Keys = *s.Keys
		}
		out = append(out, r)
	}
	return out
}

func recorded(o *Outcome) *Recorded {
	if o == nil {
		return nil
	}
	return &Recorded{OK: o.OK, Message: o.Message, At: o.At}
}

// Load reads the progress. The result is never nil: without a store it is
// empty, and a damaged file gives empty progress with the error that says
// so.
func (r Recorder) Load() (*Progress, error) {
	if r.Store == nil {
		return NewProgress(), nil
	}
	p, err := r.Store.Load()
	if p == nil {
		p = NewProgress()
	}
	if p.Services == nil {
		p.Services = map[string]*ServiceProgress{}
	}
	return p, err
}

// SavePlan remembers the admin's choice, for both faces.
func (r Recorder) SavePlan(pl ChosenPlan) error {
	if r.Store == nil {
		return nil
	}
	return r.Store.Update(func(p *Progress) error {
		p.Settings.Plan = &pl
		return nil
	})
}

// KeysStored keeps the expiry watch's facts once p's keys were stored:
// the dates read from values, and when the keys were stored. That date
// moves only when the keys changed: storing the same keys again keeps it.
func (r Recorder) KeysStored(p providers.Provider, values map[string]string, changed bool) error {
	now := r.now()
	return r.update(p.ID, func(s *ServiceProgress) {
		var old KeyFacts
		if s.Keys != nil {
			old = *s.Keys
		}
		f := old.Stored(p, values, changed, now)
		s.Keys = &f
	})
}

// Stored returns the facts of p's keys once values were stored over keys
// whose facts were f: the dates read from values, and the date they were
// stored on, which moves to now only when the keys changed.
func (f KeyFacts) Stored(p providers.Provider, values map[string]string, changed bool, now time.Time) KeyFacts {
	saved := f.Saved
	if changed {
		saved = now.UTC()
	}
	return FactsOf(p, values, saved)
}

// PortalSeen keeps what the portal was read to hold, by service id, in
// one write; each outcome is dated now.
func (r Recorder) PortalSeen(seen map[string]Outcome) error {
	if r.Store == nil || len(seen) == 0 {
		return nil
	}
	now := r.now()
	return r.Store.Update(func(p *Progress) error {
		for id, o := range seen {
			o.At = now
			p.Service(id).Portal = &o
		}
		return nil
	})
}

// SameKeys reports whether two sets of a service's values hold the same
// keys: fields left empty count as absent.
func SameKeys(a, b map[string]string) bool {
	for k, v := range a {
		if v != "" && b[k] != v {
			return false
		}
	}
	for k, v := range b {
		if v != "" && a[k] != v {
			return false
		}
	}
	return true
}
