package ui

import (
	"sync"
	"time"

	"keywizard/wizard/state"
)

// FileProgress keeps the window's progress in the progress file that the
// command line also reads and writes, so that both see the same steps and
// verdicts. Each Save reads the file afresh and changes one service only,
// so work done meanwhile on the command line is kept.
type FileProgress struct {
	File state.File
	Now  func() time.Time // time.Now when nil

	mu     sync.Mutex
	loaded *state.Progress
	err    error
}

var _ ProgressStore = (*FileProgress)(nil)

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
	p, err := f.File.Load()
	if p == nil {
		return err
	}
	now := time.Now
	if f.Now != nil {
		now = f.Now
	}
	s := p.Service(service)
	s.Step, s.Status, s.Message, s.Updated = saved.Step, saved.Status, saved.Message, now().UTC()
	if err := f.File.Save(p); err != nil {
		return err
	}
	f.loaded = p
	return nil
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
