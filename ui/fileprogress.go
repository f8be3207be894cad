package ui

import (
	"sync"
	"time"

	"keywizard/wizard"
	"keywizard/wizard/state"
)

// FileProgress keeps the window's progress in the progress file that the
// command line also reads and writes, so that both see the same steps and
// verdicts. Each Save goes through the flow's recorder, which changes the
// file under its lock as read now and touches one service only, so work
// done meanwhile on the command line is kept.
type FileProgress struct {
	File state.File
	Now  func() time.Time // time.Now when nil

	mu     sync.Mutex
	loaded *state.Progress
	err    error
}

var _ ProgressStore = (*FileProgress)(nil)

func (f *FileProgress) recorder() wizard.Recorder {
	return wizard.Recorder{Store: state.Store{File: f.File}, Now: f.Now}
}

// Load reports the saved progress of a service. The file is read once;
// later calls answer from memory.
func (f *FileProgress) Load(service string) (Saved, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.loaded == nil && f.err == nil {
		f.loaded, f.err = f.File.Load()
	}
	if f.loaded == nil {
		return Saved{}, false, f.err
	}
	s, ok := f.loaded.Services[service]
	if !ok {
		return Saved{}, false, f.err
	}
	out := Saved{Step: s.Step, Status: s.Status, Message: s.Message}
	if out.Message == "" {
		out.Message = latest(s.Check, s.SignIn, s.Push)
	}
	return out, true, nil
}

// Save records one service's progress.
func (f *FileProgress) Save(service string, saved Saved) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.recorder().Step(service, saved.Step, saved.Status, saved.Message)
}

// Settings reads the shared settings.
func (f *FileProgress) Settings() wizard.Settings { return f.recorder().Settings() }

// SetSettings changes the shared settings.
func (f *FileProgress) SetSettings(fn func(s *wizard.Settings)) error {
	return f.recorder().SetSettings(fn)
}

// latest is the message of the most recent outcome.
func latest(outs ...*state.Outcome) string {
	var best *state.Outcome
	for _, o := range outs {
		if o != nil && (best == nil || o.At.After(best.At)) {
			best = o
		}
	}
	if best == nil {
		return ""
	}
	return best.Message
}
