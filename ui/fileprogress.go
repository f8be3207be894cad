package ui

import (
	"sync"

	"keywizard/wizard"
)

// FileProgress keeps the window's progress in the progress file that the
// command line also reads and writes, so that both see the same steps and
// verdicts. Every write goes through the flow's recorder, which changes the
// file under its lock as read now and touches only what it records, so
// work done meanwhile on the command line is kept.
type FileProgress struct {
	Recorder wizard.Recorder

	mu     sync.Mutex
	loaded *wizard.Progress
	err    error
}

var _ ProgressStore = (*FileProgress)(nil)

// Load reports the saved progress of a service. The file is read once;
// later calls answer from memory.
func (f *FileProgress) Load(service string) (Saved, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.loaded == nil {
		f.loaded, f.err = f.Recorder.Load()
	}
	s, ok := f.loaded.Services[service]
	if !ok || s == nil {
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
	return f.Recorder.Step(service, saved.Step, saved.Status, saved.Message)
}

// Settings reads the shared settings.
func (f *FileProgress) Settings() wizard.Settings { return f.Recorder.Settings() }

// SetSettings changes the shared settings.
func (f *FileProgress) SetSettings(fn func(s *wizard.Settings)) error {
	return f.Recorder.SetSettings(fn)
}

// latest is the message of the most recent outcome.
func latest(outs ...*wizard.Outcome) string {
	var best *wizard.Outcome
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
