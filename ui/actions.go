package ui

import (
	"context"
	"maps"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
	"keywizard/wizard"
)

// refreshActions shows the buttons, or the progress line of the work in
// flight, then the results.
func (f *keysForm) refreshActions() {
	s := f.s
	if s.job != nil {
		f.activity.Start()
		f.actions.Objects = f.progressLine()
	} else {
		f.activity.Stop()
		f.updateButtons()
		buttons := container.NewBorder(nil, nil, container.NewHBox(f.save, f.verify, f.signIn), f.forget)
		f.actions.Objects = []fyne.CanvasObject{buttons, f.reason}
	}
	f.note.Text, f.note.Importance = s.note, s.noteImp
	if s.note != "" {
		f.actions.Add(f.note)
	}
	f.note.Refresh()
	f.actions.Refresh()
	f.results.Objects = f.w.resultCards(s)
	f.results.Refresh()
}

// progressLine replaces the buttons while work runs: what it is doing now,
// Cancel, and for a test sign-in the address to open elsewhere.
func (f *keysForm) progressLine() []fyne.CanvasObject {
	s := f.s
	line := container.NewBorder(nil, nil, f.activity, f.cancel, wrapped(s.jobText, widget.MediumImportance))
	out := []fyne.CanvasObject{line}
	if s.signIn != nil {
		out = append(out,
			wrapped("Sign-in address, to open in a browser on another machine if needed:", widget.MediumImportance),
			f.w.valueRow(s.signIn.authURL),
			wrapped("The console must list this redirect URI:", widget.MediumImportance),
			f.w.valueRow(s.signIn.redirectURI))
	}
	return out
}

// updateButtons enables what can be done now and says why the rest cannot.
func (f *keysForm) updateButtons() {
	d := f.w.deps
	blocked := f.blockedBy()
	var reasons []string
	enable(f.save, d.Store != nil && blocked == "")
	enable(f.verify, d.Checker != nil && blocked == "")
	switch {
	case blocked != "":
		reasons = append(reasons, blocked)
	case d.Store == nil:
		reasons = append(reasons, "Save is off: there is no secret store, so the keys stay in this window's memory only.")
	}
	if d.Checker == nil {
		reasons = append(reasons, "Verify is not available: no online check was set up.")
	}
	if r := f.signInReason(blocked); r != "" {
		reasons = append(reasons, r)
	}
	f.reason.SetText(joinLines(reasons))
	f.reason.Hidden = len(reasons) == 0
}

// signInReason sets up Test sign-in and says why it cannot run, if so.
func (f *keysForm) signInReason(blocked string) string {
	p := f.s.p
	switch {
	case p.OAuth == nil:
		f.signIn.Hide()
		return ""
	case p.OAuth.Loopback == providers.LoopbackNone:
		f.signIn.Show()
		f.signIn.Disable()
		return "A test sign-in is impossible with " + p.Title + ": it refuses sign-ins that come back to this computer. Use Verify instead."
	case f.w.deps.SignIn == nil:
		f.signIn.Show()
		f.signIn.Disable()
		return "Test sign-in is not available here."
	}
	f.signIn.Show()
	enable(f.signIn, blocked == "")
	return ""
}

// blockedBy says which field stops Save and Verify, or "".
func (f *keysForm) blockedBy() string {
	if len(f.s.p.Fields) == 0 {
		return "There are no keys to save for this service yet."
	}
	if len(f.s.sess.Values) == 0 {
		return "Paste the keys first."
	}
	for _, fe := range f.s.sess.Validation() {
		if providers.Blocks(fe.Err) {
			fl, _ := f.s.p.Field(fe.Field)
			return "Save, Verify and Test sign-in wait until \"" + fl.Label + "\" is right."
		}
	}
	return ""
}

func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

func joinLines(lines []string) string {
	out := ""
	for i, l := range lines {
		if i > 0 {
			out += "\n"
		}
		out += l
	}
	return out
}

// busy marks s as running work with the given first step.
func (w *window) busy(s *service, text string, j *job) {
	s.job, s.jobText, s.signIn, s.note = j, text, nil, ""
	w.refreshForm(s)
}

// idle marks the end of s's work j; cancelled work leaves a note. It
// reports false when j is no longer s's current work (it was cancelled and
// other work started since), whose result is then dropped.
func (w *window) idle(s *service, j *job, cancelled error) bool {
	if s.job != j {
		return false
	}
	s.job, s.jobText, s.signIn = nil, "", nil
	if cancelled != nil {
		s.note, s.noteImp = "Cancelled: nothing was changed.", widget.WarningImportance
	}
	return true
}

// onSave saves the keys. A Save is never cancelled, not by switching
// service nor by Cancel: the store would be left half-written. Its outcome
// is what really happened.
func (f *keysForm) onSave() {
	w, s := f.w, f.s
	store, p, values := w.deps.Store, s.p, maps.Clone(s.sess.Values)
	where := w.storeWhere()
	var j *job
	j = start(w.run, func(ctx context.Context, _ func(struct{})) error {
		return wizard.SaveKeys(ctx, store, p, values)
	}, nil, func(err, _ error) {
		if !w.idle(s, j, nil) {
			return
		}
		s.saving = false
		switch {
		case err != nil:
			s.note, s.noteImp = "The keys were not saved: "+err.Error(), widget.DangerImportance
		default:
			changed := !wizard.SameKeys(s.saved, values)
			s.saved = values
			s.note, s.noteImp = "Saved in "+where+".", widget.SuccessImportance
			w.changed(s)
			w.keysSaved(s, values, changed)
		}
		w.refreshForm(s)
	})
	w.busy(s, "Saving the keys in "+where+"...", j)
	s.saving = true
}

// leave is called when the window stops showing s: its work stops, except
// a Save, which always finishes.
func (s *service) leave() {
	if !s.saving {
		s.job.Cancel()
	}
}

func (f *keysForm) onVerify() {
	w, s := f.w, f.s
	checker, id, values := w.deps.Checker, s.p.ID, maps.Clone(s.sess.Values)
	var j *job
	j = start(w.run, func(ctx context.Context, _ func(struct{})) wizard.CheckResult {
		return checker.Check(ctx, id, values)
	}, nil, func(res wizard.CheckResult, cancelled error) {
		if !w.idle(s, j, cancelled) {
			return
		}
		if cancelled == nil {
			w.recordCheck(s, values, res)
		}
		w.refreshForm(s)
	})
	w.busy(s, "Asking "+s.p.Title+" whether it accepts the keys...", j)
}

// recordCheck keeps a verdict if it is about the keys the form holds now.
func (w *window) recordCheck(s *service, values map[string]string, res wizard.CheckResult) {
	if !maps.Equal(values, s.sess.Values) {
		s.note, s.noteImp = "The keys changed while they were checked: choose Verify again.", widget.WarningImportance
		return
	}
	s.sess.Checked = &res
	s.restored, s.message = "", sentence(res.Message)
	w.changed(s)
	w.recordVerdict(s.p.ID, res)
}

func (f *keysForm) onSignIn() {
	w, s := f.w, f.s
	tester, id, values := w.deps.SignIn, s.p.ID, maps.Clone(s.sess.Values)
	open := w.open
	product := "" // the connected portal's product decides which request is replayed
	if w.conn != nil {
		product = string(w.conn.entry.Product)
	}
	var j *job
	j = start(w.run, func(ctx context.Context, report func(signInLink)) wizard.SignInResult {
		return tester.Test(ctx, id, values, wizard.SignInOptions{
			Open:    open,
			Product: product,
			OnURL:   func(authURL, redirectURI string) { report(signInLink{authURL, redirectURI}) },
		})
	}, func(l signInLink) {
		if s.job != j {
			return
		}
		s.signIn = &l
		s.jobText = "Waiting for you to sign in in the browser..."
		w.refreshForm(s)
	}, func(res wizard.SignInResult, cancelled error) {
		if !w.idle(s, j, cancelled) {
			return
		}
		if cancelled == nil {
			w.recordSignIn(s, values, res)
		}
		w.refreshForm(s)
	})
	w.busy(s, "Starting the test sign-in...", j)
}

func (w *window) recordSignIn(s *service, values map[string]string, res wizard.SignInResult) {
	if !maps.Equal(values, s.sess.Values) {
		s.note, s.noteImp = "The keys changed during the test sign-in: choose Test sign-in again.", widget.WarningImportance
		return
	}
	s.sess.SignedIn = &res
	s.restored, s.message = "", sentence(res.Message)
	w.changed(s)
}

func (f *keysForm) onForget() {
	w, s := f.w, f.s
	msg := "This deletes the keys of " + s.p.Title + " from " + w.storeWhere() +
		" and starts the service again at step 1. Nothing changes in " + s.p.Title + "'s console."
	dialog.ShowConfirm("Forget "+s.p.Title+"?", msg, func(ok bool) {
		if ok {
			w.forget(s)
		}
	}, w.win)
}

// forget deletes the stored keys and starts the service afresh.
func (w *window) forget(s *service) {
	store, p := w.deps.Store, s.p
	var j *job
	j = start(w.run, func(ctx context.Context, _ func(struct{})) error {
		if store == nil {
			return nil
		}
		return wizard.SaveKeys(ctx, store, p, nil)
	}, nil, func(err, cancelled error) {
		if !w.idle(s, j, cancelled) {
			return
		}
		if cancelled != nil || err != nil {
			if err != nil {
				s.note, s.noteImp = "The stored keys could not be deleted: "+err.Error(), widget.DangerImportance
			}
			w.refreshForm(s)
			return
		}
		s.sess = wizard.NewSession(s.p)
		s.saved = nil
		s.restored, s.message = "", ""
		s.note, s.noteImp = s.p.Title+" was forgotten.", widget.SuccessImportance
		w.changed(s)
		if w.current == s {
			w.openService(s.p.ID)
		}
	})
	w.busy(s, "Forgetting "+s.p.Title+"...", j)
}

// storeWhere says where secrets live.
func (w *window) storeWhere() string {
	switch {
	case w.deps.Store == nil:
		return "this window's memory"
	case w.deps.StoreWhere != "":
		return w.deps.StoreWhere
	}
	return w.deps.Store.Where()
}
