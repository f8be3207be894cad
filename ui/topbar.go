package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
)

// topBar says where the admin is: the portal connection, where secrets
// live, and how many services are ready.
type topBar struct {
	w         *window
	portal    *widget.Label
	portalBox *fyne.Container // the portal line, with Connect, Change or Cancel
	center    *fyne.Container // the portal line and where secrets live
	connect   *widget.Button
	cancel    *widget.Button
	push      *widget.Button
	activity  *widget.Activity
	where     *widget.Label
	whereIcon *widget.Icon
	progress  *widget.Label
	verifyAll *widget.Button
	redirect  *widget.Button
	about     *widget.Button
	loadErr   error // reading the stored keys failed

	// The marks, made once: an icon given a new resource is drawn again.
	offline, online, warning *widget.Icon  // the portal line's
	storeMark, warnMark      fyne.Resource // the secret store line's
}

func newTopBar(w *window) *topBar {
	t := &topBar{
		w:         w,
		portal:    &widget.Label{Text: "Working offline", Truncation: fyne.TextTruncateEllipsis},
		portalBox: container.NewWithoutLayout(),
		activity:  widget.NewActivity(),
		where:     &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		whereIcon: widget.NewIcon(nil),
		progress:  &widget.Label{TextStyle: fyne.TextStyle{Bold: true}},
		offline:   widget.NewIcon(theme.NewThemedResource(theme.ComputerIcon())),
		online:    widget.NewIcon(theme.NewSuccessThemedResource(theme.UploadIcon())),
		warning:   widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())),
		storeMark: theme.NewThemedResource(theme.AccountIcon()),
		warnMark:  theme.NewWarningThemedResource(theme.WarningIcon()),
	}
	t.verifyAll = &widget.Button{Text: "Verify all", Icon: theme.ViewRefreshIcon(), OnTapped: w.onVerifyAll}
	t.redirect = &widget.Button{Text: "Redirect URL", Icon: theme.SettingsIcon(), Importance: widget.LowImportance, OnTapped: t.onRedirect}
	t.connect = &widget.Button{Text: "Connect", Icon: theme.LoginIcon(), OnTapped: w.onPortal}
	t.cancel = &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: func() { w.portalJob.Cancel() }}
	t.push = &widget.Button{Text: "Push", Icon: theme.UploadIcon(), OnTapped: w.onPush}
	t.about = &widget.Button{Icon: theme.InfoIcon(), Importance: widget.LowImportance, OnTapped: w.onAbout}
	t.refresh()
	return t
}

func (t *topBar) build() fyne.CanvasObject {
	title := &widget.Label{Text: "Keywizard", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	plan := &widget.Button{Text: "Plan", Icon: theme.ListIcon(), OnTapped: t.w.onPlan}
	right := container.NewHBox(plan, t.redirect, t.verifyAll, t.push, t.progress, t.about)
	where := container.NewBorder(nil, nil, t.whereIcon, nil, t.where)
	t.center = container.New(&firstFits{want: t.portalWidth}, t.portalBox, where)
	bar := container.NewBorder(nil, nil, title, right, t.center)
	return container.NewVBox(bar, widget.NewSeparator())
}

// refresh redraws the counts and the secret store line.
func (t *topBar) refresh() {
	t.progress.SetText(fmt.Sprintf("%d/%d ready", t.w.readyCount(), len(t.w.catalogue)))
	text, warn := t.whereText()
	t.where.SetText(text)
	if warn {
		t.where.Importance = widget.WarningImportance
		t.whereIcon.SetResource(t.warnMark)
	} else {
		t.where.Importance = widget.MediumImportance
		t.whereIcon.SetResource(t.storeMark)
	}
	t.where.Refresh()
	t.verifyAll.Enable()
	if t.w.deps.Checker == nil {
		t.verifyAll.Disable()
	}
	t.refreshPortal()
}

// refreshPortal shows the portal connection: offline with Connect, work
// in flight with Cancel, or the portal with Change.
func (t *topBar) refreshPortal() {
	w := t.w
	var lead fyne.CanvasObject = t.offline
	var button fyne.CanvasObject = t.connect
	t.portal.Importance = widget.MediumImportance
	t.connect.SetText("Connect")
	switch {
	case w.portalJob != nil:
		t.activity.Start()
		lead, button = t.activity, t.cancel
		t.portal.Text = w.portalJobText
	case w.conn != nil:
		t.activity.Stop()
		lead = t.online
		t.portal.Text = "Portal: " + w.conn.name() + " (" + shortProduct(w.conn.entry) + ")"
		if w.conn.readErr != nil {
			lead = t.warning
			t.portal.Text += ": its keys could not be read"
			t.portal.Importance = widget.WarningImportance
		}
		t.connect.SetText("Change")
	default:
		t.activity.Stop()
		t.portal.Text = "Working offline"
		if w.portalNote != "" {
			t.portal.Text = w.portalNote
			t.portal.Importance = widget.WarningImportance
			lead = t.warning
		}
		if w.deps.Portals == nil {
			t.portal.Text += ": nothing is sent to a portal"
			button = nil
		}
	}
	t.portal.Refresh()
	t.portalBox.Layout = layout.NewBorderLayout(nil, nil, lead, button)
	t.portalBox.Objects = []fyne.CanvasObject{t.portal, lead}
	if button != nil {
		t.portalBox.Objects = append(t.portalBox.Objects, button)
	}
	if t.center != nil {
		t.center.Refresh() // the portal line may want another width
	}
	t.push.Hidden = w.deps.Portals == nil
	enable(t.push, w.conn != nil)
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

// portalWidth is the width the portal line needs to show its text whole.
func (t *topBar) portalWidth() float32 {
	// A little slack: the drivers round glyph widths differently.
	w := fyne.MeasureText(t.portal.Text, theme.TextSize(), t.portal.TextStyle).Width + 2*theme.InnerPadding() + 2*theme.Padding()
	for _, o := range t.portalBox.Objects[1:] {
		w += o.MinSize().Width + theme.Padding()
	}
	return w
}

// firstFits puts two objects side by side: the first gets the width want
// says, as far as the second keeps its minimum; the second gets the rest.
type firstFits struct{ want func() float32 }

func (l *firstFits) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(a.Width+b.Width+theme.Padding(), max(a.Height, b.Height))
}

func (l *firstFits) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	w := min(l.want(), size.Width-objs[1].MinSize().Width-pad)
	w = max(w, objs[0].MinSize().Width)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(w, size.Height))
	objs[1].Move(fyne.NewPos(w+pad, 0))
	objs[1].Resize(fyne.NewSize(max(size.Width-w-pad, 0), size.Height))
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
		t.w.setRedirect(e.Text)
		if t.w.screen != nil {
			t.w.showScreen(newServiceScreen(t.w, t.w.screen.s))
		}
	}, t.w.win)
	d.Resize(fyne.NewSize(620, 260))
	d.Show()
}
