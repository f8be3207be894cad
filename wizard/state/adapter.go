package state

import "keywizard/wizard"

// Store is the progress file as the flow sees it (wizard.ProgressStore).
type Store struct{ File File }

var _ wizard.ProgressStore = Store{}

// Load reads the progress.
func (s Store) Load() (*wizard.Progress, error) {
	p, err := s.File.Load()
	if p == nil {
		return nil, err
	}
	return toWizard(p), err
}

// Update changes the progress under the file's lock.
func (s Store) Update(fn func(p *wizard.Progress) error) error {
	return s.File.Update(func(p *Progress) error {
		wp := toWizard(p)
		if err := fn(wp); err != nil {
			return err
		}
		fromWizard(wp, p)
		return nil
	})
}

func toWizard(p *Progress) *wizard.Progress {
	out := &wizard.Progress{
		Settings: wizard.Settings{PortalRedirect: p.Settings.PortalRedirect, LastService: p.Settings.LastService,
			Plan: planTo(p.Settings.Plan)},
		Services: make(map[string]*wizard.ServiceProgress, len(p.Services)),
	}
	for id, s := range p.Services {
		if s == nil {
			continue
		}
		out.Services[id] = &wizard.ServiceProgress{Step: s.Step, Filled: s.Filled, Status: s.Status,
			Check: outcomeTo(s.Check), SignIn: outcomeTo(s.SignIn), Push: outcomeTo(s.Push),
			Message: s.Message, Updated: s.Updated, Keys: factsCopy(s.Keys), Portal: outcomeTo(s.Portal)}
	}
	return out
}

// fromWizard writes wp back into p, keeping what p holds beyond it.
func fromWizard(wp *wizard.Progress, p *Progress) {
	p.Settings.PortalRedirect, p.Settings.LastService = wp.Settings.PortalRedirect, wp.Settings.LastService
	p.Settings.Plan = planFrom(wp.Settings.Plan)
	old := p.Services
	p.Services = make(map[string]*Service, len(wp.Services))
	for id, ws := range wp.Services {
		s := old[id]
		if s == nil {
			s = &Service{}
		}
		s.Step, s.Filled, s.Status, s.Message, s.Updated = ws.Step, ws.Filled, ws.Status, ws.Message, ws.Updated
		s.Check, s.SignIn, s.Push = outcomeFrom(ws.Check), outcomeFrom(ws.SignIn), outcomeFrom(ws.Push)
		s.Keys, s.Portal = factsCopy(ws.Keys), outcomeFrom(ws.Portal)
		p.Services[id] = s
	}
}

func outcomeTo(o *Outcome) *wizard.Outcome {
	if o == nil {
		return nil
	}
	return &wizard.Outcome{OK: o.OK, Message: o.Message, At: o.At}
}

func outcomeFrom(o *wizard.Outcome) *Outcome {
	if o == nil {
		return nil
	}
	return &Outcome{OK: o.OK, Message: o.Message, At: o.At}
}

func planTo(pl *Plan) *wizard.ChosenPlan {
	if pl == nil {
		return nil
	}
	return &wizard.ChosenPlan{Goals: pl.Goals, Product: pl.Product, Version: pl.Version, Chosen: pl.Chosen}
}

func planFrom(pl *wizard.ChosenPlan) *Plan {
	if pl == nil {
		return nil
	}
	return &Plan{Goals: pl.Goals, Product: pl.Product, Version: pl.Version, Chosen: pl.Chosen}
}

// factsCopy keeps the file's facts and the flow's apart, so that a change
// to one is written only through Update.
func factsCopy(f *wizard.KeyFacts) *wizard.KeyFacts {
	if f == nil {
		return nil
	}
	c := *f
	return &c
}
