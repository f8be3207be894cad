package state

import "keywizard/wizard"

// Records turns the progress into what a set-up report is made from:
// names and outcomes, never values.
func (p *Progress) Records() []wizard.ServiceRecord {
	out := make([]wizard.ServiceRecord, 0, len(p.Services))
	for _, id := range p.IDs() {
		s := p.Services[id]
		r := wizard.ServiceRecord{Service: id, Status: s.Status, Filled: s.Filled,
			Check: recorded(s.Check), SignIn: recorded(s.SignIn), Push: recorded(s.Push), Portal: recorded(s.Portal)}
		if s.Keys != nil {
			r.Keys = *s.Keys
		}
		out = append(out, r)
	}
	return out
}

func recorded(o *Outcome) *wizard.Recorded {
	if o == nil {
		return nil
	}
	return &wizard.Recorded{OK: o.OK, Message: o.Message, At: o.At}
}

// Started reports whether any service was begun: a step taken, a field
// filled, or a status other than "not started".
func (p *Progress) Started() bool {
	for _, s := range p.Services {
		if s.Step > 0 || len(s.Filled) > 0 || s.Status != "" && s.Status != wizard.NotStarted {
			return true
		}
	}
	return false
}
