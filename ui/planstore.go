package ui

import (
	"keywizard/wizard"
	"keywizard/wizard/state"
)

// PlanStore keeps, next to each service's progress, the first run's plan
// and the expiry watch's facts. FileProgress implements it; a Progress
// that does not leaves the window without a plan, as before.
type PlanStore interface {
	LoadAll() (*state.Progress, error)
	SavePlan(p state.Plan) error
	SaveKeyFacts(service string, f wizard.KeyFacts) error
}

var _ PlanStore = (*FileProgress)(nil)

// LoadAll reads the whole progress file afresh.
func (f *FileProgress) LoadAll() (*state.Progress, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.File.Load()
}

// SavePlan remembers the plan, where the command line reads it too.
func (f *FileProgress) SavePlan(pl state.Plan) error {
	return f.update(func(p *state.Progress) { p.Settings.Plan = &pl })
}

// SaveKeyFacts records the expiry watch's facts of a service's keys.
func (f *FileProgress) SaveKeyFacts(service string, kf wizard.KeyFacts) error {
	return f.update(func(p *state.Progress) { p.Service(service).Keys = &kf })
}

// update changes the file under its lock, as read now, so that work done
// meanwhile on the command line is kept.
func (f *FileProgress) update(change func(*state.Progress)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.File.Update(func(p *state.Progress) error {
		change(p)
		f.loaded = p
		return nil
	})
}
