package ui

import (
	"context"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
)

// maxFileSize bounds "Load from file...": keys files are a few kilobytes.
const maxFileSize = 1 << 20

// keysForm is the last step: one row per key, checked as the admin types,
// then Save, Verify, Test sign-in and Forget, then the results.
type keysForm struct {
	w      *window
	s      *service
	rows   []*fieldRow
	save   *widget.Button
	verify *widget.Button
	signIn *widget.Button
	forget *widget.Button
	cancel *widget.Button
	// activity spins while work runs; one per form, so a redraw does not
	// leave spinners running behind it.
	activity *widget.Activity
	reason   *widget.Label   // why a button is disabled
	actions  *fyne.Container // the buttons, or the progress line
	results  *fyne.Container // result cards
	note     *widget.Label   // outcome of Save, Forget, a cancel
}

// fieldRow is one key: its entry, a mark and one sentence under it.
type fieldRow struct {
	f       providers.Field
	entry   *keyEntry
	mark    *widget.Icon
	msg     *widget.Label
	trim    *widget.Button
	load    *widget.Button // "Load from file...", multiline fields only
	touched bool
}

func newKeysForm(w *window, s *service) *keysForm {
	f := &keysForm{w: w, s: s, activity: widget.NewActivity()}
	for _, fl := range s.p.Fields {
		f.rows = append(f.rows, f.newRow(fl))
	}
	f.save = &widget.Button{Text: "Save", Icon: theme.DocumentSaveIcon(), OnTapped: f.onSave}
	f.verify = &widget.Button{Text: "Verify", Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: f.onVerify}
	f.signIn = &widget.Button{Text: "Test sign-in", Icon: theme.LoginIcon(), OnTapped: f.onSignIn}
	f.forget = &widget.Button{Text: "Forget this service", Icon: theme.DeleteIcon(), OnTapped: f.onForget}
	f.cancel = &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: func() { s.job.Cancel() }}
	f.reason = wrapped("", widget.MediumImportance)
	f.note = wrapped("", widget.MediumImportance)
	f.actions = container.NewVBox()
	f.results = container.NewVBox()
	return f
}

func (f *keysForm) build() fyne.CanvasObject {
	sess := f.s.sess
	box := container.NewVBox(stepTitle(sess.FormStep(), sess.FormStep()+1, "Paste the keys"))
	if len(f.rows) == 0 {
		box.Add(wrapped("This service's keys are not described in the catalogue yet.", widget.WarningImportance))
	} else {
		box.Add(wrapped("Copy each value from the console and paste it here. Keywizard checks each one as you type.", widget.MediumImportance))
	}
	for _, r := range f.rows {
		box.Add(r.build())
	}
	box.Add(widget.NewSeparator())
	box.Add(f.actions)
	box.Add(f.results)
	f.refreshRows()
	f.refreshActions()
	return box
}

func (f *keysForm) newRow(fl providers.Field) *fieldRow {
	r := &fieldRow{f: fl, mark: widget.NewIcon(nil), msg: wrapped("", widget.LowImportance)}
	r.entry = newKeyEntry(f.w.tryShortcut)
	if fl.Multiline {
		r.entry.MultiLine = true
		r.entry.Wrapping = fyne.TextWrapBreak
		r.entry.TextStyle = fyne.TextStyle{Monospace: true}
		r.entry.SetMinRowsVisible(6)
		r.load = &widget.Button{Text: "Load from file...", Icon: theme.FolderOpenIcon(), OnTapped: func() { f.onLoadFile(r) }}
	}
	r.entry.Password = fl.Secret // the entry adds its own reveal toggle
	if !fl.Multiline && fl.Example != "" && !fl.Secret {
		r.entry.SetPlaceHolder("For example: " + fl.Example)
	}
	r.entry.Validator = func(v string) error { // only what blocks: warnings show below
		if err := fl.Validate(v); providers.Blocks(err) {
			return err
		}
		return nil
	}
	r.entry.SetText(f.s.sess.Values[fl.ID])
	r.touched = r.entry.Text != ""
	r.entry.OnChanged = func(v string) { f.onChanged(r, v) }
	r.trim = &widget.Button{Text: "Trim", Icon: theme.ContentCutIcon(), OnTapped: func() { r.entry.SetText(providers.Trim(r.entry.Text)) }}
	return r
}

func (r *fieldRow) build() fyne.CanvasObject {
	label := &widget.Label{Text: r.f.Label + fieldSuffix(r.f), TextStyle: fyne.TextStyle{Bold: true}}
	box := container.NewVBox(label)
	if r.f.Help != "" {
		box.Add(wrapped(r.f.Help, widget.MediumImportance))
	}
	box.Add(r.entry)
	if r.load != nil {
		box.Add(container.NewHBox(r.load))
	}
	box.Add(container.NewBorder(nil, nil, container.NewVBox(r.mark), container.NewVBox(r.trim), r.msg))
	return box
}

func fieldSuffix(f providers.Field) string {
	switch {
	case f.Local && f.Optional:
		return " (optional; used only for Keywizard's checks, not sent to the portal)"
	case f.Local:
		return " (used only for Keywizard's checks, not sent to the portal)"
	case f.Optional:
		return " (optional)"
	}
	return ""
}

// onChanged records the new value and redraws every mark: cross-field
// rules may change another field's verdict.
func (f *keysForm) onChanged(r *fieldRow, v string) {
	r.touched = true
	if f.s.sess.Values[r.f.ID] != v {
		f.s.restored, f.s.message = "", ""
	}
	_ = f.s.sess.Set(r.f.ID, v)
	f.s.note = ""
	f.refreshRows()
	f.refreshActions()
	f.w.changed(f.s)
}

// refreshRows shows each field's verdict.
func (f *keysForm) refreshRows() {
	errs := map[string]error{}
	for _, fe := range f.s.sess.Validation() {
		errs[fe.Field] = fe.Err
	}
	for _, r := range f.rows {
		r.show(errs[r.f.ID])
	}
}

// show puts a verdict under the field. The message never quotes the value.
func (r *fieldRow) show(err error) {
	empty := r.entry.Text == ""
	if empty && !r.f.Optional && !r.touched {
		err = nil // say nothing about a field not filled yet
	}
	icon, imp := fieldMark(err, empty)
	r.mark.SetResource(icon)
	switch {
	case err != nil:
		r.msg.Text = sentence(err.Error())
	case empty && r.f.Optional:
		r.msg.Text = "Optional: leave it empty if you do not use it."
	case empty:
		r.msg.Text = "Required."
	default:
		r.msg.Text = "Looks right."
	}
	r.msg.Importance = imp
	r.msg.Refresh()
	if providers.IsTrimmable(err) {
		r.trim.Show()
	} else {
		r.trim.Hide()
	}
}

// reload puts values read from the store into fields still empty.
func (f *keysForm) reload() {
	for _, r := range f.rows {
		if v := f.s.sess.Values[r.f.ID]; r.entry.Text == "" && v != "" {
			r.entry.OnChanged = nil
			r.entry.SetText(v)
			r.touched = true
			r.entry.OnChanged = func(v string) { f.onChanged(r, v) }
		}
	}
	f.refreshRows()
	f.refreshActions()
}

func (f *keysForm) onLoadFile(r *fieldRow) {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		start(f.w.run, func(context.Context, func(struct{})) fileRead {
			defer rc.Close()
			b, err := io.ReadAll(io.LimitReader(rc, maxFileSize+1))
			return fileRead{text: string(b), err: err, tooBig: len(b) > maxFileSize}
		}, nil, func(got fileRead, _ error) { f.loaded(r, got) })
	}, f.w.win)
	d.Show()
}

type fileRead struct {
	text   string
	err    error
	tooBig bool
}

func (f *keysForm) loaded(r *fieldRow, got fileRead) {
	switch {
	case got.err != nil:
		f.setNote("The file could not be read: "+got.err.Error(), widget.DangerImportance)
	case got.tooBig:
		f.setNote("The file is larger than 1 MB: it is not a key file.", widget.DangerImportance)
	default:
		r.entry.SetText(got.text)
	}
}

func (f *keysForm) setNote(text string, imp widget.Importance) {
	f.s.note, f.s.noteImp = text, imp
	f.refreshActions()
}
