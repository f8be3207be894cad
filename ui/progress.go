package ui

import "keywizard/wizard"

// Saved is what the window remembers of one service between runs. It holds
// nothing secret: the step, the status and the last verdict's sentence.
type Saved struct {
	Step    int           `json:"step"`
	Status  wizard.Status `json:"status"`
	Message string        `json:"message,omitempty"`
}

// ProgressStore keeps each service's non-secret progress, so that closing
// the window loses nothing. Load reports false when nothing is saved.
type ProgressStore interface {
	Load(service string) (Saved, bool, error)
	Save(service string, s Saved) error
}
