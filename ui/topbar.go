package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
)

// topBar says where the admin is: the portal connection, where secrets
// live, and how many services are ready.
type topBar struct {
	w         *window
	portal    *widget.Label
	where     *widget.Label
	whereIcon *widget.Icon
	progress  *widget.Label
	verifyAll *widget.Button
	redirect  *widget.Button
	loadErr   error // reading the stored keys failed
}

func newTopBar(w *window) *topBar {
	t := &topBar{
		w:         w,
		portal:    &widget.Label{Text: "Working offline: nothing is sent to a portal"},
		where:     &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		whereIcon: widget.NewIcon(nil),
		progress:  &widget.Label{TextStyle: fyne.TextStyle{Bold: true}},
	}
	t.verifyAll = &widget.Button{Text: "Verify all", Icon: theme.ViewRefreshIcon(), OnTapped: w.onVerifyAll}
	t.redirect = &widget.Button{Text: "Redirect URL", Icon: theme.SettingsIcon(), Importance: widget.LowImportance, OnTapped: t.onRedirect}
	t.refresh()
	return t
}

func (t *topBar) build() fyne.CanvasObject {
	title := &widget.Label{Text: "Keywizard", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	left := container.NewHBox(title, widget.NewIcon(theme.NewThemedResource(theme.ComputerIcon())), t.portal)
	right := container.NewHBox(t.redirect, t.verifyAll, t.progress)
	where := container.NewBorder(nil, nil, t.whereIcon, nil, t.where)
	bar := container.NewBorder(nil, nil, left, right, where)
	return container.NewVBox(bar, widget.NewSeparator())
}

// refresh redraws the counts and the secret store line.
func (t *topBar) refresh() {
	t.progress.SetText(fmt.Sprintf("%d/%d ready", t.w.readyCount(), len(t.w.catalogue)))
	text, warn := t.whereText()
	t.where.SetText(text)
	if warn {
		t.where.Importance = widget.WarningImportance
		t.whereIcon.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
	} else {
		t.where.Importance = widget.MediumImportance
		t.whereIcon.SetResource(theme.NewThemedResource(theme.AccountIcon()))
	}
	t.where.Refresh()
	t.verifyAll.Enable()
	if t.w.deps.Checker == nil {
		t.verifyAll.Disable()
	}
}

func (t *topBar) whereText() (string, bool) {
	d := t.w.deps
	switch {
	case d.Store == nil:
		return "Secrets stay in memory only: they are gone when the window closes", true
	case t.w.loading:
		return "Reading saved keys...", false
	case t.loadErr != nil:
		return "Saved keys could not be read: " + t.loadErr.Error(), true
	case t.w.saver.failed() != nil:
		return "Progress could not be saved: " + t.w.saver.failed().Error(), true
	}
	where := d.StoreWhere
	if where == "" {
		where = d.Store.Where()
	}
	return "Secrets are kept in " + where, false
}

// onRedirect lets the admin set the portal's OAuth redirect URL, which the
// steps ask to paste in the consoles.
func (t *topBar) onRedirect() {
	e := newKeyEntry(t.w.tryShortcut)
	e.SetText(t.w.redirectURL())
	e.Validator = checkRedirect
	help := wrapped("The address the consoles send people back to after signing in. Leave the default unless the portal's administrator hosts the redirect page on their own server.", widget.MediumImportance)
	items := []*widget.FormItem{{Text: "Redirect URL", Widget: e, HintText: "Default: " + providers.DefaultRedirectURL}, {Widget: help}}
	d := dialog.NewForm("Portal redirect URL", "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		t.w.app.Preferences().SetString(PrefPortalRedirect, e.Text)
		if t.w.screen != nil {
			t.w.showScreen(newServiceScreen(t.w, t.w.screen.s))
		}
	}, t.w.win)
	d.Resize(fyne.NewSize(620, 260))
	d.Show()
}
