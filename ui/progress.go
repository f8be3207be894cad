package ui

import (
	"context"

	"keywizard/wizard"
)

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

// SettingsStore is a ProgressStore that also keeps the settings both faces
// share, such as the portal's Redirect URL the online checks use.
type SettingsStore interface {
	Settings() wizard.Settings
	SetSettings(fn func(s *wizard.Settings)) error
}

// loadRedirect reads the portal's Redirect URL from the shared settings.
// A value the window once kept in its own preferences moves there.
func (w *window) loadRedirect() {
	ss, ok := w.deps.Progress.(SettingsStore)
	old := w.app.Preferences().String(PrefPortalRedirect)
	if !ok {
		w.redirect = old
		return
	}
	w.redirect = ss.Settings().PortalRedirect
	if w.redirect == "" && old != "" {
		w.setRedirect(old)
		w.app.Preferences().RemoveValue(PrefPortalRedirect)
	}
}

// setRedirect keeps the portal's Redirect URL in the shared settings, so
// that the online checks of both faces use it.
func (w *window) setRedirect(u string) {
	w.redirect = u
	ss, ok := w.deps.Progress.(SettingsStore)
	if !ok {
		w.app.Preferences().SetString(PrefPortalRedirect, u)
		return
	}
	start(w.run, func(context.Context, func(struct{})) error {
		return ss.SetSettings(func(s *wizard.Settings) { s.PortalRedirect = u })
	}, nil, nil)
}
