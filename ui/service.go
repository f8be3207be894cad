package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
)

// serviceScreen is the right side for one service: its title and purpose,
// then one console step at a time or the keys form, then Back and Next.
type serviceScreen struct {
	w          *window
	s          *service
	back, next *widget.Button
	skip       *widget.Button // "I already have the keys"
	form       *keysForm      // set while the form is shown
	portal     *widget.Label  // what the connected portal holds for the service
}

func newServiceScreen(w *window, s *service) *serviceScreen {
	sc := &serviceScreen{w: w, s: s, portal: wrapped("", widget.MediumImportance)}
	sc.back = &widget.Button{Text: "Back", Icon: theme.NavigateBackIcon(), OnTapped: sc.onBack}
	sc.next = &widget.Button{Text: "Next", Icon: theme.NavigateNextIcon(), IconPlacement: widget.ButtonIconTrailingText, Importance: widget.HighImportance, OnTapped: sc.onNext}
	sc.skip = &widget.Button{Text: "I already have the keys", Icon: theme.LoginIcon(), Importance: widget.LowImportance, OnTapped: sc.onSkip}
	return sc
}

func (sc *serviceScreen) build() fyne.CanvasObject {
	sess := sc.s.sess
	var body fyne.CanvasObject
	if sc.form != nil {
		sc.form.activity.Stop()
	}
	if sess.AtForm() {
		sc.form = newKeysForm(sc.w, sc.s)
		body = sc.form.build()
	} else {
		sc.form = nil
		body = sc.stepView()
	}
	sc.back.Enable()
	if sess.Step == 0 {
		sc.back.Disable()
	}
	sc.next.Enable()
	sc.skip.Show()
	if sess.AtForm() {
		sc.next.Disable()
		sc.skip.Hide()
	}
	nav := container.NewBorder(widget.NewSeparator(), nil, sc.skip, container.NewHBox(sc.back, sc.next))
	return container.NewBorder(sc.header(), nav, nil, nil, container.NewVScroll(container.NewPadded(body)))
}

func (sc *serviceScreen) header() fyne.CanvasObject {
	p := sc.s.p
	title := &widget.Label{Text: p.Title, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText}
	cat := &widget.Label{Text: capitalise(string(p.Category)), Importance: widget.MediumImportance}
	purpose := wrapped(p.Purpose, widget.MediumImportance)
	if p.Purpose == "" {
		purpose.Hide()
	}
	sc.refreshPortal()
	return container.NewVBox(container.NewBorder(nil, nil, nil, cat, title), purpose, sc.portal, sc.w.expiryLine(sc.s), widget.NewSeparator())
}

// refreshPortal says what the connected portal holds for the service.
func (sc *serviceScreen) refreshPortal() {
	text := ""
	if c := sc.w.conn; c != nil {
		text = markSentence(sc.s.mark, c.name())
		if text == "" && c.readErr != nil {
			text = "The keys on " + c.name() + " could not be read: " + sentence(c.readErr.Error())
		}
	}
	sc.portal.Text = text
	sc.portal.Hidden = text == ""
	sc.portal.Importance = widget.MediumImportance
	if sc.s.mark == markDiffers || sc.s.mark == markUnsure {
		sc.portal.Importance = widget.WarningImportance
	}
	sc.portal.Refresh()
	sc.w.refreshExpiry(sc.s)
}

// stepView shows the current console step.
func (sc *serviceScreen) stepView() fyne.CanvasObject {
	p := sc.s.p
	steps := p.Guide(sc.w.redirectURL(), testRedirect(p))
	i := sc.s.sess.Step
	st := steps[i]
	box := container.NewVBox()
	if d := p.DeadEnd; d != nil && i == 0 { // said before the admin starts
		box.Add(warningLine("Before you start: " + d.Text()))
	}
	box.Add(stepTitle(i, len(steps)+1, st.Title))
	if st.URL != "" {
		fallback := container.NewVBox()
		fallback.Hide()
		link := &widget.Label{Text: st.URL, Truncation: fyne.TextTruncateEllipsis}
		box.Add(container.NewBorder(nil, nil, sc.w.openButton("Open page", st.URL, fallback), nil, link))
		box.Add(fallback)
	}
	for n, line := range st.Lines {
		box.Add(wrapped(fmt.Sprintf("%d. %s", n+1, line), widget.MediumImportance))
	}
	for _, c := range st.Copy {
		box.Add(sc.copyValue(c))
	}
	if st.Warning != "" {
		box.Add(warningLine(st.Warning))
	}
	return box
}

func (sc *serviceScreen) copyValue(c providers.CopyValue) fyne.CanvasObject {
	label := &widget.Label{Text: c.Label + ":", TextStyle: fyne.TextStyle{Bold: true}}
	box := container.NewVBox(label, sc.w.valueRow(c.Value))
	if c.Note != "" {
		box.Add(wrapped(sentence(c.Note), widget.MediumImportance))
	}
	return box
}

func stepTitle(i, total int, title string) fyne.CanvasObject {
	return &widget.Label{Text: fmt.Sprintf("Step %d of %d: %s", i+1, total, title), TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Wrapping: fyne.TextWrapWord}
}

func warningLine(text string) fyne.CanvasObject {
	icon := widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))
	return container.NewBorder(nil, nil, container.NewVBox(icon), nil, wrapped(text, widget.WarningImportance))
}

// onBack goes one step back; work running for the service stops.
func (sc *serviceScreen) onBack() {
	if sc.s.sess.Back() != nil {
		return
	}
	sc.moved()
}

// onNext goes one step forward.
func (sc *serviceScreen) onNext() {
	if sc.s.sess.Next() != nil {
		return
	}
	sc.moved()
}

// onSkip jumps to the keys form.
func (sc *serviceScreen) onSkip() {
	if sc.s.sess.GoTo(sc.s.sess.FormStep()) != nil {
		return
	}
	sc.moved()
}

func (sc *serviceScreen) moved() {
	sc.s.job.Cancel()
	sc.w.changed(sc.s)
	next := newServiceScreen(sc.w, sc.s)
	sc.w.showScreen(next)
	next.focusFirst()
}

// focusFirst puts the keyboard where work goes on after a move: the first
// empty field of the keys form, or Next on a console step.
func (sc *serviceScreen) focusFirst() {
	if sc.form == nil {
		sc.w.focus(sc.next)
		return
	}
	for _, r := range sc.form.rows {
		if r.entry.Text == "" {
			sc.w.focus(r.entry)
			return
		}
	}
	if len(sc.form.rows) > 0 {
		sc.w.focus(sc.form.rows[0].entry)
	}
}

// redirectURL is the portal's OAuth redirect URL: the admin's setting or
// the default every portal uses.
func (w *window) redirectURL() string {
	if u := w.redirect; u != "" {
		return u
	}
	return providers.DefaultRedirectURL
}

// testRedirect is the loopback redirect for the test sign-in, empty when
// the service has none.
func testRedirect(p providers.Provider) string {
	if p.OAuth == nil || p.OAuth.Loopback == providers.LoopbackNone {
		return ""
	}
	return p.OAuth.TestRedirectURI(0)
}

func checkRedirect(v string) error {
	if v == "" {
		return nil
	}
	return providers.CheckRedirectURL(v)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
