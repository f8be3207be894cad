package ui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keywizard/wizard"
)

// pushScreen is Review and push: the services whose keys could go to the
// connected portal with what would change (values redacted), Dry run and
// Push, then a result per service.
type pushScreen struct {
	w       *window
	conn    *portalConn
	rows    map[string]*pushRow
	list    *fyne.Container
	others  *widget.Label // services not listed, and why
	to      *widget.Label
	force   *widget.Check
	dry     *widget.Button
	push    *widget.Button
	cancel  *widget.Button
	change  *widget.Button
	back    *widget.Button
	bar     *widget.ProgressBar
	status  *widget.Label
	job     *job
	dryRun  bool // the run in flight is a dry run
	running []*pushRow
}

// pushRow is one service on the review.
type pushRow struct {
	s           *service
	check       *widget.Check
	state       *widget.Label   // status and what the portal holds
	detail      *fyne.Container // why it cannot be pushed, or what changes
	result      *fyne.Container // outcome of the last run
	touched     bool            // the admin ticked or unticked it
	block       string          // why it is not pushed
	overridable bool            // ... unless the admin overrides the safety rule
}

// onPush shows Review and push (the run in flight, if there is one).
func (w *window) onPush() {
	if w.deps.Portals == nil {
		return
	}
	if w.conn == nil {
		w.onPortal()
		return
	}
	if w.pushing != nil && w.pushing.job != nil {
		w.showPanel(w.pushing)
		return
	}
	ps := newPushScreen(w)
	w.pushing = ps
	w.showPanel(ps)
	w.readPortal()
	ps.portalChanged()
}

func newPushScreen(w *window) *pushScreen {
	ps := &pushScreen{w: w, conn: w.conn, rows: map[string]*pushRow{}}
	ps.list = container.NewVBox()
	ps.others = wrapped("", widget.LowImportance)
	ps.to = wrapped("", widget.MediumImportance)
	ps.force = widget.NewCheck("Also allow keys that are not verified or fail the checks (I checked them myself)", func(bool) { ps.refreshRows() })
	ps.dry = &widget.Button{Text: "Dry run", Icon: theme.SearchIcon(), OnTapped: func() { ps.begin(true) }}
	ps.push = &widget.Button{Text: "Push...", Icon: theme.UploadIcon(), Importance: widget.HighImportance, OnTapped: ps.onPush}
	ps.cancel = &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: func() { ps.job.Cancel() }}
	ps.change = &widget.Button{Text: "Change portal", Icon: theme.ComputerIcon(), Importance: widget.LowImportance, OnTapped: w.onPortal}
	ps.back = &widget.Button{Text: "Back to the services", Icon: theme.NavigateBackIcon(), OnTapped: w.back}
	ps.bar = widget.NewProgressBar()
	ps.bar.Hide()
	ps.status = wrapped("", widget.MediumImportance)
	ps.status.Hide()
	return ps
}

func (ps *pushScreen) build() fyne.CanvasObject {
	head := &widget.Label{Text: "Review and push", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText}
	intro := wrapped("Tick the services to send. For each one Keywizard reads the portal's current keys, sends the new ones, reads them back, and puts the old keys back if the portal refuses. Values are shown shortened.", widget.MediumImportance)
	top := container.NewVBox(head, container.NewBorder(nil, nil, nil, ps.change, ps.to), intro, ps.force, widget.NewSeparator())
	body := container.NewVBox(ps.list, ps.others)
	buttons := container.NewBorder(nil, nil, ps.back, container.NewHBox(ps.cancel, ps.dry, ps.push))
	bottom := container.NewVBox(widget.NewSeparator(), ps.bar, ps.status, buttons)
	ps.refreshButtons()
	return container.NewBorder(top, bottom, nil, nil, container.NewVScroll(container.NewPadded(body)))
}

// portalChanged follows the connection: a new portal or a new reading of
// its keys redraws the rows. A run in flight keeps its portal.
func (ps *pushScreen) portalChanged() {
	if ps.job != nil {
		return
	}
	w := ps.w
	if w.conn != ps.conn {
		ps.conn = w.conn
		ps.rows = map[string]*pushRow{}
	}
	if ps.conn == nil {
		ps.to.SetText("Not connected to a portal: choose Change portal to connect.")
		ps.list.Objects = nil
		ps.list.Refresh()
		ps.refreshButtons()
		return
	}
	ps.to.SetText("To: " + ps.conn.name() + " (" + productLine(ps.conn.client.Info()) + ")")
	ps.refreshRows()
}

// refreshRows lists the services that have keys here and that this portal
// offers, each with what would change or why it is not sent.
func (ps *pushScreen) refreshRows() {
	if ps.conn == nil {
		return
	}
	var objs []fyne.CanvasObject
	var notOffered []string
	for _, p := range ps.w.catalogue {
		s := ps.w.services[p.ID]
		if len(s.sess.Values) == 0 {
			continue
		}
		if s.mark == markNotOffered {
			notOffered = append(notOffered, p.Title)
			continue
		}
		r := ps.rows[p.ID]
		if r == nil {
			r = ps.newRow(s)
			ps.rows[p.ID] = r
		}
		ps.showRow(r)
		objs = append(objs, r.view())
	}
	if len(objs) == 0 {
		objs = append(objs, wrapped("No service has keys here yet: paste some on a service's page first.", widget.MediumImportance))
	}
	ps.list.Objects = objs
	ps.list.Refresh()
	others := "Services without keys here are not listed."
	if len(notOffered) > 0 {
		others += " Not offered by " + ps.conn.name() + ": " + strings.Join(notOffered, ", ") + "."
	}
	ps.others.SetText(others)
	ps.refreshButtons()
}

func (ps *pushScreen) newRow(s *service) *pushRow {
	r := &pushRow{s: s, state: &widget.Label{Importance: widget.LowImportance, SizeName: theme.SizeNameCaptionText},
		detail: container.NewVBox(), result: container.NewVBox()}
	r.check = widget.NewCheck(s.p.Title, func(bool) {
		r.touched = true
		ps.refreshButtons()
	})
	return r
}

func (r *pushRow) view() fyne.CanvasObject {
	head := container.NewBorder(nil, nil, r.check, nil, r.state)
	return container.NewVBox(head, container.NewPadded(container.NewVBox(r.detail, r.result)), widget.NewSeparator())
}

// showRow works out whether a service may be pushed and what would change.
func (ps *pushScreen) showRow(r *pushRow) {
	w, s := ps.w, r.s
	r.block, r.overridable = w.pushBlock(s)
	if r.block == "" {
		r.block = ps.lengthProblem(s)
	}
	state := string(w.status(s.p.ID))
	if word := markWord(s.mark); word != "" {
		state += " · " + word
	}
	r.state.SetText(state)
	allowed := r.block == "" || r.overridable && ps.force.Checked
	if !allowed || !r.touched {
		r.check.Checked = allowed && r.block == "" && s.mark != markSame
	}
	enableCheck(r.check, allowed && ps.job == nil)
	r.check.Refresh()
	var lines []fyne.CanvasObject
	if r.block != "" {
		imp := widget.MediumImportance
		if r.overridable && ps.force.Checked {
			imp = widget.WarningImportance
		}
		lines = append(lines, wrapped(r.block, imp))
	}
	lines = append(lines, ps.diffLines(s)...)
	r.detail.Objects = lines
	r.detail.Refresh()
}

// lengthProblem says when a value is too long for the portal's version,
// or cannot be sent at all, before anything is sent. A service the portal
// does not offer is said by its mark.
func (ps *pushScreen) lengthProblem(s *service) string {
	if err := ps.conn.client.Sendable(s.p, s.sess.Values); err != nil && !errors.Is(err, wizard.ErrNotOffered) {
		return sentence(err.Error())
	}
	return ""
}

// diffLines says what a push would change, from the last reading of the
// portal's keys. Values are redacted by the flow.
func (ps *pushScreen) diffLines(s *service) []fyne.CanvasObject {
	c := ps.conn
	if c.states == nil {
		if c.readErr != nil {
			return []fyne.CanvasObject{wrapped("The portal's keys could not be read: "+sentence(c.readErr.Error()), widget.WarningImportance)}
		}
		return []fyne.CanvasObject{wrapped("Reading the portal's keys...", widget.LowImportance)}
	}
	changes, err := c.states.Changes(s.p, s.sess.Values)
	if err != nil {
		return nil // lengthProblem or the mark says why
	}
	if len(changes) == 0 {
		return []fyne.CanvasObject{wrapped("The portal already holds these keys: nothing would change.", widget.MediumImportance)}
	}
	return changeLines(s, "Would change:", changes)
}

// changeLines shows redacted changes, one field a line.
func changeLines(s *service, title string, changes []wizard.Change) []fyne.CanvasObject {
	lines := make([]string, 0, len(changes))
	for _, ch := range changes {
		label := ch.Field
		if f, ok := s.p.Field(ch.Field); ok && f.Label != "" {
			label = f.Label
		}
		lines = append(lines, fmt.Sprintf("%s: %s → %s", label, emptyWord(ch.Old), emptyWord(ch.New)))
	}
	diff := &widget.Label{Text: strings.Join(lines, "\n"), TextStyle: fyne.TextStyle{Monospace: true}, Truncation: fyne.TextTruncateEllipsis}
	return []fyne.CanvasObject{&widget.Label{Text: title}, diff}
}

func emptyWord(v string) string {
	if v == "" {
		return "(empty)"
	}
	return v
}

func enableCheck(c *widget.Check, on bool) {
	if on {
		c.Enable()
	} else {
		c.Disable()
	}
}

// ticked lists the rows to send, in catalogue order.
func (ps *pushScreen) ticked() []*pushRow {
	var out []*pushRow
	for _, p := range ps.w.catalogue {
		if r := ps.rows[p.ID]; r != nil && r.check.Checked && !r.check.Disabled() && len(r.s.sess.Values) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// refreshButtons enables Dry run and Push when something is ticked and no
// run or reading is in flight.
func (ps *pushScreen) refreshButtons() {
	busy := ps.job != nil
	reading := ps.w.portalJob != nil
	some := ps.conn != nil && len(ps.ticked()) > 0
	enable(ps.dry, some && !busy && !reading)
	enable(ps.push, some && !busy && !reading)
	enable(ps.change, !busy)
	ps.force.Enable()
	if busy {
		ps.force.Disable()
	}
	ps.cancel.Hidden = !busy
	ps.cancel.Refresh()
}

// onPush asks before sending.
func (ps *pushScreen) onPush() {
	rows := ps.ticked()
	if len(rows) == 0 || ps.conn == nil {
		return
	}
	var names []string
	for _, r := range rows {
		names = append(names, r.s.p.Title)
	}
	msg := "Keywizard sends the keys of " + joinAnd(names) + " to " + ps.conn.name() + ".\n" +
		"It reads the current keys first and puts them back if the portal refuses the new ones."
	d := dialog.NewConfirm("Push to "+ps.conn.name()+"?", msg, func(ok bool) {
		if ok {
			ps.begin(false)
		}
	}, ps.w.win)
	d.SetConfirmText("Push")
	d.SetDismissText("Cancel")
	d.SetConfirmImportance(widget.HighImportance)
	d.Show()
}

func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// pushStep is one service's result, or (res nil) the start of its push.
type pushStep struct {
	i   int
	res *wizard.PushResult
}

// pushRun is what a run hands back: the plan (the gate's verdict and the
// online check run first) and one result per service.
type pushRun struct {
	plan []wizard.PushJob
	out  []wizard.PushResult
}

// begin pushes (or, dry, only compares) the ticked services one after the
// other, off the UI thread. As on the command line, the online check of
// every service runs first, all at once, unless the admin overrides the
// safety rule: keys the service rejects are not sent, a check with no
// verdict does not stop the push and is said with its result. Only saved
// keys are sent.
func (ps *pushScreen) begin(dry bool) {
	rows := ps.ticked()
	if len(rows) == 0 || ps.job != nil || ps.conn == nil {
		return
	}
	conn, checker, override := ps.conn, ps.w.deps.Checker, ps.force.Checked
	cands := make([]wizard.Candidate, len(rows))
	for i, r := range rows {
		cands[i] = wizard.Candidate{Provider: r.s.p, Values: maps.Clone(ps.w.pushValues(r.s)), Unsaved: ps.w.unsaved(r.s), Mark: r.s.mark}
		r.result.Objects = []fyne.CanvasObject{wrapped("Waiting.", widget.LowImportance)}
		r.result.Refresh()
	}
	ps.running, ps.dryRun = rows, dry
	ps.bar.Max = float64(len(rows))
	ps.bar.SetValue(0)
	ps.bar.Show()
	if !override {
		ps.say("Checking the keys online first...")
	}
	ps.job = start(ps.w.run, func(ctx context.Context, report func(pushStep)) pushRun {
		run := pushRun{out: make([]wizard.PushResult, len(cands))}
		run.plan = wizard.PlanPush(ctx, checker, cands, override)
		done, err := conn.use(ctx)
		if err != nil {
			return run
		}
		defer done()
		run.out = wizard.PushTo(ctx, conn.flowConn(), run.plan, wizard.RunOptions{DryRun: dry, Refusal: refusal},
			func(i int, res *wizard.PushResult) { report(pushStep{i: i, res: res}) })
		return run
	}, ps.step, ps.finish)
	ps.w.win.Canvas().Unfocus() // so that Escape reaches Cancel
	for _, r := range ps.rows {
		r.check.Disable()
	}
	ps.refreshButtons()
}

// refusal says why the plan does not send a service.
func refusal(j wizard.PushJob) string {
	if j.Block.Kind == wizard.Rejected {
		return "not sent: the online check failed: " + j.Block.Check.Message + ". Fix the keys on its page, or tick \"Also allow keys...\" to push anyway"
	}
	return "not sent: the keys are not ready"
}

func (ps *pushScreen) step(st pushStep) {
	r := ps.running[st.i]
	if st.res == nil {
		verb := "Pushing"
		if ps.dryRun {
			verb = "Comparing"
		}
		ps.say(fmt.Sprintf("%s %s (%d of %d)...", verb, r.s.p.Title, st.i+1, len(ps.running)))
		r.result.Objects = []fyne.CanvasObject{wrapped(verb+"...", widget.MediumImportance)}
		r.result.Refresh()
		return
	}
	ps.bar.SetValue(float64(st.i + 1))
}

// finish shows every result, records what reached the portal, and reads
// the portal's keys again.
func (ps *pushScreen) finish(run pushRun, cancelled error) {
	w := ps.w
	rows, dry, out := ps.running, ps.dryRun, run.out
	ps.job, ps.running = nil, nil
	pushed, failed, notSent := 0, 0, 0
	for i, r := range rows {
		res := out[i]
		if res.Service == "" {
			notSent++
			r.result.Objects = []fyne.CanvasObject{wrapped("Not sent: cancelled before its turn.", widget.WarningImportance)}
			r.result.Refresh()
			continue
		}
		if res.OK {
			pushed++
		} else {
			failed++
		}
		r.result.Objects = []fyne.CanvasObject{resultCard(r.s, res, dry)}
		r.result.Refresh()
		if i < len(run.plan) {
			ps.learn(r.s, run.plan[i], res, dry)
		}
	}
	ps.say(summary(dry, cancelled != nil, pushed, failed, notSent))
	ps.bar.Hide()
	if w.closing {
		if store, ok := w.deps.Progress.(OutcomeStore); ok && !dry {
			// The window closes next: record now, before it goes.
			_ = store.RecordPushes(run.plan, out)
		}
		w.closeNow()
		return
	}
	if dry {
		ps.refreshRows()
		return
	}
	w.recordPushes(run.plan, out)
	w.readPortal() // the marks, statuses and diffs follow what the portal now holds
	ps.refreshRows()
}

// learn keeps what a run proved about s: the verdict of the online check
// run first, and whether its keys went to the portal with the safety rule
// overridden (they then do not count as ready).
func (ps *pushScreen) learn(s *service, j wizard.PushJob, res wizard.PushResult, dry bool) {
	w := ps.w
	if c := j.Checked; c != nil && !wizard.NoVerdict(*c) && maps.Equal(j.Values, s.sess.Values) {
		w.recordCheck(s, j.Values, *c)
	}
	if dry || !res.OK {
		return
	}
	if r := ps.rows[s.p.ID]; r != nil {
		r.touched = false
	}
	if res.Changed {
		s.message = sentence(res.Message)
	}
	if st := wizard.PushedStatus(true, j.Overridden, (verified(s) || !w.hasOnlineCheck(s)) && s.sess.Valid()); st == wizard.Unverified {
		s.restored, s.message = st, sentence(res.Message)
		w.changed(s)
	}
}

// say shows the run's progress or outcome above the buttons.
func (ps *pushScreen) say(text string) {
	ps.status.SetText(text)
	ps.status.Show()
}

func summary(dry, cancelled bool, ok, failed, notSent int) string {
	var b strings.Builder
	if cancelled {
		b.WriteString("Cancelled. ")
	}
	if dry {
		fmt.Fprintf(&b, "Dry run done: nothing was sent. %d compared", ok)
		if failed > 0 {
			fmt.Fprintf(&b, ", %d could not be compared", failed)
		}
	} else {
		fmt.Fprintf(&b, "Done: %d pushed or already there, %d not pushed", ok, failed)
	}
	if notSent > 0 {
		fmt.Fprintf(&b, ", %d not sent", notSent)
	}
	b.WriteString(".")
	return b.String()
}

// resultCard is one service's outcome: what happened and, when the push
// failed, what the portal holds now, in plain words.
func resultCard(s *service, r wizard.PushResult, dry bool) fyne.CanvasObject {
	var icon fyne.Resource = theme.NewSuccessThemedResource(theme.ConfirmIcon())
	var title, outcome string
	imp := widget.MediumImportance
	switch {
	case dry && r.OK:
		title = "Dry run: nothing sent"
	case r.OK && r.Changed:
		title = "Pushed"
	case r.OK:
		title = "Already on the portal"
	case r.Restored:
		icon = theme.NewWarningThemedResource(theme.WarningIcon())
		title = "Not pushed: the previous keys were put back"
		outcome = "The portal is as it was before the push: Keywizard put the previous keys back and read them back to make sure."
	case r.Changed:
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
		title = "Not pushed, and the portal's keys changed"
		outcome = "The previous keys could not be put back: enter " + s.p.Title + "'s keys on the portal again."
		imp = widget.DangerImportance
	default:
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
		title = "Not pushed"
	}
	lines := []fyne.CanvasObject{wrapped(sentence(r.Message), widget.MediumImportance)}
	if outcome != "" {
		lines = append(lines, &widget.Label{Text: outcome, Wrapping: fyne.TextWrapWord, Importance: imp, TextStyle: fyne.TextStyle{Bold: true}})
	}
	if dry && len(r.Diff) > 0 {
		lines = append(lines, changeLines(s, "Would change:", r.Diff)...)
	}
	head := container.NewHBox(widget.NewIcon(icon), &widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}})
	return container.NewVBox(append([]fyne.CanvasObject{head}, lines...)...)
}

// escape cancels the run in flight, or goes back to the services.
func (ps *pushScreen) escape() {
	if ps.job != nil {
		ps.job.Cancel()
		return
	}
	ps.w.back()
}

// leave keeps a run going: a half-done push is finished or undone either
// way, and Review and push shows it again.
func (ps *pushScreen) leave() {}
