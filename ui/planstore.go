package ui

import (
	"context"

	"keywizard/providers"
	"keywizard/wizard"
)

// PlanStore keeps, next to each service's progress, the first run's plan
// and the expiry watch's facts. FileProgress implements it; a Progress
// that does not leaves the window without a plan, as before.
type PlanStore interface {
	LoadAll() (*wizard.Progress, error)
	SavePlan(p wizard.ChosenPlan) error
	// KeysStored records p's keys once values were stored: the fields
	// and the expiry facts; changed says whether they differ from the
	// keys stored before.
	KeysStored(p providers.Provider, values map[string]string, changed bool) error
}

var _ PlanStore = (*FileProgress)(nil)

// LoadAll reads the whole progress file afresh.
func (f *FileProgress) LoadAll() (*wizard.Progress, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Recorder.Load()
}

// SavePlan remembers the plan, where the command line reads it too.
func (f *FileProgress) SavePlan(pl wizard.ChosenPlan) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Recorder.SavePlan(pl)
}

// KeysStored records a Save as the command line records 'keys set': which
// fields are stored and whether they pass the offline checks (new keys
// void the verdicts reached with the old ones), and the expiry watch's
// facts.
func (f *FileProgress) KeysStored(p providers.Provider, values map[string]string, changed bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	sess := &wizard.Session{Provider: p, Values: values}
	if err := f.Recorder.Keys(p.ID, sess.Filled(), sess.Valid(), changed); err != nil {
		return err
	}
	return f.Recorder.KeysStored(p, values, changed)
}

// OutcomeStore records the verdicts of online checks where the command
// line and the set-up report read them. FileProgress implements it.
type OutcomeStore interface {
	Outcome(service string, kind wizard.Kind, ok bool, message string) error
	// RecordPushes records what a push did, as 'keywizard push' does.
	RecordPushes(plan []wizard.PushJob, results []wizard.PushResult) error
}

var _ OutcomeStore = (*FileProgress)(nil)

// Outcome records the verdict of a check or a test sign-in.
func (f *FileProgress) Outcome(service string, kind wizard.Kind, ok bool, message string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Recorder.Outcome(service, kind, ok, message)
}

// RecordPushes records what the pushes of a run did.
func (f *FileProgress) RecordPushes(plan []wizard.PushJob, results []wizard.PushResult) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Recorder.RecordPushes(plan, results)
}

// recordPushes keeps what a push run did in the progress, where the
// command line and the set-up report read it.
func (w *window) recordPushes(plan []wizard.PushJob, results []wizard.PushResult) {
	store, ok := w.deps.Progress.(OutcomeStore)
	if !ok {
		return
	}
	start(w.run, func(context.Context, func(struct{})) error {
		return store.RecordPushes(plan, results)
	}, nil, nil)
}

// recordVerdict keeps a check's verdict in the progress, as the command
// line does: a check that reached no verdict is not one.
func (w *window) recordVerdict(id string, res wizard.CheckResult) {
	store, ok := w.deps.Progress.(OutcomeStore)
	if !ok || wizard.NoVerdict(res) {
		return
	}
	start(w.run, func(context.Context, func(struct{})) error {
		return store.Outcome(id, wizard.KindCheck, res.OK, res.Message)
	}, nil, nil)
}
