package ui

import (
	"context"
	"errors"
	"maps"
	"strings"

	"keywizard/wizard"
)

// setConn makes conn the portal the window works with and reads its keys.
func (w *window) setConn(conn *portalConn) {
	w.portalJob.Cancel()
	w.conn, w.portalNote, w.portalErr = conn, "", nil
	w.app.Preferences().SetString(PrefPortalURL, conn.entry.URL)
	w.syncMarks()
	w.readPortal()
}

// disconnect goes back to working offline. The session stays in the
// secret store.
func (w *window) disconnect() {
	w.portalJob.Cancel()
	w.conn, w.portalNote, w.portalErr = nil, "", nil
	w.app.Preferences().SetString(PrefPortalURL, "")
	w.syncMarks()
}

// portalBusy shows work on the portal connection in the top bar, with
// Cancel.
func (w *window) portalBusy(text string, j *job) {
	w.portalJob, w.portalJobText = j, text
	w.top.refresh()
}

// portalIdle ends the top bar's work j; false when j is no longer the
// current one.
func (w *window) portalIdle(j *job) bool {
	if w.portalJob != j {
		return false
	}
	w.portalJob, w.portalJobText = nil, ""
	return true
}

// readPortal reads the connected portal's keys off the UI thread and shows
// per service what the portal holds.
func (w *window) readPortal() {
	conn := w.conn
	if conn == nil {
		return
	}
	w.portalJob.Cancel() // an older reading would only be overwritten
	var j *job
	j = start(w.run, func(ctx context.Context, _ func(struct{})) portalRead {
		states, err := readKeys(ctx, conn)
		return portalRead{states: states, err: err}
	}, nil, func(got portalRead, cancelled error) {
		if !w.portalIdle(j) || w.conn != conn {
			return
		}
		if cancelled == nil {
			conn.states, conn.readErr = got.states, got.err
			if got.err != nil {
				conn.states = nil
			}
		}
		w.syncMarks()
	})
	w.portalBusy("Reading the keys on "+conn.name()+"...", j)
}

type portalRead struct {
	states wizard.Holdings
	err    error
}

// syncMarks recomputes every service's mark, keeps the statuses that
// changed, and redraws.
func (w *window) syncMarks() {
	for id, s := range w.services {
		was := w.status(id)
		w.syncMark(s)
		if w.status(id) != was {
			w.saver.save(w.run, id, Saved{Step: s.sess.Step, Status: w.status(id), Message: s.message})
		}
	}
	w.list.refreshStatus()
	w.top.refresh()
	if w.screen != nil {
		w.screen.refreshPortal()
	}
	if w.panel != nil {
		w.panel.portalChanged()
	}
}

// syncMark compares what the portal holds for s with the values here. The
// portal's answer wins over a verdict kept from an earlier run.
func (w *window) syncMark(s *service) {
	if w.conn == nil {
		s.mark = markUnknown
		return
	}
	s.mark = wizard.MarkOn(w.conn.states, s.p, s.sess.Values)
	if s.mark == markNotSet && len(s.sess.Values) == 0 {
		s.mark = markUnknown // nothing here, nothing there: nothing to say
	}
	same := s.mark == markSame
	s.sess.OnPortal = same
	switch {
	case s.restored == wizard.OnPortal && !same,
		same && s.restored == wizard.Verified:
		s.restored = ""
	}
}

// verified reports whether s's keys passed the online check or a test
// sign-in, in this window or in an earlier run.
func verified(s *service) bool {
	sess := s.sess
	return sess.Checked != nil && sess.Checked.OK ||
		sess.SignedIn != nil && sess.SignedIn.OK ||
		s.restored == wizard.Verified || s.restored == wizard.OnPortal
}

// hasOnlineCheck reports whether the window can check s's keys online.
func (w *window) hasOnlineCheck(s *service) bool {
	return w.deps.Checker != nil && s.p.Online != "" && s.p.Online != "none"
}

// pushValues are the keys a push sends: the saved ones (all of them when
// there is no secret store to save to).
func (w *window) pushValues(s *service) map[string]string {
	if w.deps.Store == nil {
		return s.sess.Values
	}
	return s.saved
}

// unsaved reports whether the form holds keys that are not saved.
func (w *window) unsaved(s *service) bool {
	return w.deps.Store != nil && !maps.Equal(s.sess.Values, s.saved)
}

// pushBlock says why s's keys are not pushed, by the one rule both faces
// follow (wizard.Gate): never (no keys, not saved, not offered, fixed) or
// unless the admin overrides the safety rule (not valid). "" means they
// may be pushed; the online check runs when the push starts.
func (w *window) pushBlock(s *service) (reason string, overridable bool) {
	if s.mark == markSame && !w.unsaved(s) {
		return "", false // nothing would change
	}
	values := s.sess.Values
	if !w.unsaved(s) {
		values = w.pushValues(s)
	}
	b := wizard.Gate(wizard.ActPush, wizard.Candidate{Provider: s.p, Values: values, Unsaved: w.unsaved(s), Mark: s.mark})
	switch b.Kind {
	case wizard.NotBlocked:
		return "", false
	case wizard.NoKeys, wizard.NoFields:
		return "No keys here yet.", false
	case wizard.Unsaved:
		return "Save first: the keys on its page are not saved, and only saved keys are pushed.", false
	case wizard.NotOffered:
		return "This portal does not offer " + s.p.Title + ".", false
	case wizard.Fixed:
		return "The portal's server configuration fixes these keys: they cannot be changed from here.", false
	}
	fe := b.Fields[0]
	f, _ := s.p.Field(fe.Field)
	return "Not ready: \"" + f.Label + "\" is not right yet (" + strings.TrimSuffix(sentence(fe.Err.Error()), ".") + ").", true
}

// reconnect opens, at start, the portal the window used last time, with
// its stored session. It never asks anything: when the session cannot be
// used, the top bar says so and the admin connects from the portal screen,
// which shows the code step when the renewal waits for a two-factor code.
func (w *window) reconnect() {
	ps, store := w.deps.Portals, w.deps.Store
	last := w.app.Preferences().String(PrefPortalURL)
	if ps == nil || store == nil || last == "" {
		return
	}
	d := w.flow()
	var j *job
	j = start(w.run, func(ctx context.Context, _ func(struct{})) reopened {
		entries, err := ps.Remembered()
		if err != nil {
			return reopened{err: err}
		}
		e, ok := wizard.FindPortal(entries, last)
		if !ok {
			return reopened{err: errForgotten}
		}
		return reopen(ctx, d, e)
	}, nil, func(got reopened, cancelled error) {
		if !w.portalIdle(j) {
			return
		}
		w.portalErr = nil
		switch {
		case cancelled != nil:
			w.portalNote = "Not connected: cancelled"
		case errors.Is(got.err, errForgotten):
			w.app.Preferences().SetString(PrefPortalURL, "")
		case got.pending != nil:
			w.portalNote = "Not connected to " + portalName(last)
			w.portalErr = &renewalWaits{got}
		case got.err != nil:
			w.portalNote = "Not connected to " + portalName(last)
			w.portalErr = got.err
		default:
			w.setConn(newPortalConn(got.conn.Entry, got.conn.Client))
			return
		}
		w.top.refresh()
	})
	w.portalBusy("Connecting to "+portalName(last)+"...", j)
}

var errForgotten = errors.New("the portal is no longer in the list")

// reopened is what wizard.Deps.Reopen found for a remembered portal.
type reopened struct {
	entry   wizard.PortalEntry
	conn    *wizard.PortalConn
	pending *wizard.Connect // the renewal waits for a two-factor code
	err     error
}

// renewalWaits is why reconnecting at start did not connect: the renewal
// of the session waits for a two-factor code, which the portal screen asks
// for.
type renewalWaits struct{ reopened }

func (*renewalWaits) Error() string {
	return "the portal asks for a two-factor code to renew the session"
}

func reopen(ctx context.Context, d wizard.Deps, e wizard.PortalEntry) reopened {
	conn, pending, err := d.Reopen(ctx, e)
	return reopened{entry: e, conn: conn, pending: pending, err: err}
}
