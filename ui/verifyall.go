package ui

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keywizard/wizard"
)

// verifyAll runs the online check of every service whose keys are valid,
// all at once as the command line's check --all does, and shows a verdict
// per service as it arrives.
type verifyAll struct {
	w       *window
	ids     []string
	values  map[string]map[string]string // what was checked, per service
	skipped []string                     // titles of services not checked
	job     *job
	bar     *widget.ProgressBar
	status  *widget.Label
	cancel  *widget.Button
	again   *widget.Button
	rows    map[string]*verifyRow
	done    map[string]bool // services whose verdict is shown
	list    *fyne.Container
	passed  int
	failed  int
	unsure  int
}

type verifyRow struct {
	icon *widget.Icon
	msg  *widget.Label
}

// onVerifyAll shows the run in progress, or starts a new one.
func (w *window) onVerifyAll() {
	fresh := w.all == nil || w.all.job == nil
	if fresh {
		w.all = newVerifyAll(w)
	}
	if w.current != nil {
		w.current.leave()
	}
	w.current = nil
	w.list.show("")
	w.showOther(w.all.build())
	if fresh {
		w.all.begin()
	}
}

func newVerifyAll(w *window) *verifyAll {
	v := &verifyAll{w: w, values: map[string]map[string]string{}, rows: map[string]*verifyRow{}, done: map[string]bool{}}
	for _, p := range w.catalogue {
		s := w.services[p.ID]
		if !wizard.Gate(wizard.ActCheck, wizard.Candidate{Provider: p, Values: s.sess.Values}).Blocked() {
			v.ids = append(v.ids, p.ID)
			v.values[p.ID] = maps.Clone(s.sess.Values)
		} else {
			v.skipped = append(v.skipped, p.Title)
		}
	}
	v.bar = widget.NewProgressBar()
	v.bar.Max = float64(max(len(v.ids), 1))
	v.status = wrapped("", widget.MediumImportance)
	v.cancel = &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: func() { v.job.Cancel() }}
	v.again = &widget.Button{Text: "Verify again", Icon: theme.ViewRefreshIcon(), OnTapped: w.onVerifyAll}
	v.list = container.NewVBox()
	for _, id := range v.ids {
		v.list.Add(v.newRow(id))
	}
	return v
}

func (v *verifyAll) newRow(id string) fyne.CanvasObject {
	s := v.w.services[id]
	r := &verifyRow{icon: widget.NewIcon(theme.NewDisabledResource(theme.RadioButtonIcon())), msg: wrapped("Waiting.", widget.MediumImportance)}
	v.rows[id] = r
	open := &widget.Button{Text: "Open", Importance: widget.LowImportance, OnTapped: func() { v.w.openService(id) }}
	title := &widget.Label{Text: s.p.Title, TextStyle: fyne.TextStyle{Bold: true}}
	return container.NewBorder(nil, nil, container.NewHBox(r.icon, title), open, r.msg)
}

func (v *verifyAll) build() fyne.CanvasObject {
	head := &widget.Label{Text: "Verify all", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText}
	intro := wrapped("Runs the online check of every service whose keys are valid. Nothing is sent to the portal.", widget.MediumImportance)
	top := container.NewVBox(head, intro, widget.NewSeparator(), v.bar, container.NewBorder(nil, nil, nil, container.NewHBox(v.cancel, v.again), v.status))
	body := container.NewVBox(v.list)
	if len(v.skipped) > 0 {
		body.Add(widget.NewSeparator())
		body.Add(wrapped("Not checked, because their keys are missing or not valid yet: "+strings.Join(v.skipped, ", ")+".", widget.MediumImportance))
	}
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(body))
}

// verifyStep is one service's verdict.
type verifyStep struct {
	i   int
	res *wizard.CheckResult
}

func (v *verifyAll) begin() {
	checker, ids, values := v.w.deps.Checker, v.ids, v.values
	if checker == nil || len(ids) == 0 {
		v.finish(nil)
		return
	}
	v.again.Hide()
	v.status.SetText(fmt.Sprintf("Checking %d services at once...", len(ids)))
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
	}
	v.job = start(v.w.run, func(ctx context.Context, _ func(struct{})) map[string]wizard.CheckResult {
		return wizard.CheckMany(ctx, checker, values)
	}, nil, func(got map[string]wizard.CheckResult, cancelled error) {
		if cancelled == nil {
			for i, id := range ids {
				if res, ok := got[id]; ok && !v.done[id] {
					v.step(verifyStep{i: i, res: &res})
				}
			}
		}
		v.finish(cancelled)
	})
}

func (v *verifyAll) step(st verifyStep) {
	id := v.ids[st.i]
	s := v.w.services[id]
	if v.done[id] || st.res == nil {
		return
	}
	v.done[id] = true
	res := *st.res
	r := v.rows[id]
	switch {
	case res.Unreachable:
		v.unsure++
		r.icon.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
	case res.OK:
		v.passed++
		r.icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	default:
		v.failed++
		r.icon.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
	}
	r.msg.Importance = widget.MediumImportance
	r.msg.SetText(sentence(res.Message))
	v.bar.SetValue(float64(len(v.done)))
	v.w.recordCheck(s, v.values[id], res)
	v.w.refreshForm(s)
}

func (v *verifyAll) finish(cancelled error) {
	v.job = nil
	v.cancel.Hide()
	v.again.Show()
	switch {
	case v.w.deps.Checker == nil:
		v.status.SetText("Online checks are not available here.")
	case len(v.ids) == 0:
		v.status.SetText("No service has valid keys to check yet.")
	case cancelled != nil:
		v.status.SetText(fmt.Sprintf("Cancelled. %s", v.summary()))
	default:
		v.status.SetText("Done. " + v.summary())
	}
}

func (v *verifyAll) summary() string {
	return fmt.Sprintf("%d passed, %d failed, %d could not be reached.", v.passed, v.failed, v.unsure)
}
