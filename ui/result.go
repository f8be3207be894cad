package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
	"keywizard/wizard"
)

// resultCards shows what the last check and test sign-in proved, or the
// verdict kept from an earlier run.
func (w *window) resultCards(s *service) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	if c := s.sess.Checked; c != nil {
		out = append(out, w.checkCard(s, c))
	}
	if r := s.sess.SignedIn; r != nil {
		out = append(out, w.signInCard(s, r))
	}
	if len(out) == 0 && s.restored != "" {
		text := "Last time: " + string(s.restored) + "."
		if s.message != "" {
			text += " " + s.message
		}
		out = append(out, card(statusIcon(s.restored), "From an earlier session", []fyne.CanvasObject{wrapped(text, widget.MediumImportance)}))
	}
	return out
}

func (w *window) checkCard(s *service, c *wizard.CheckResult) fyne.CanvasObject {
	var lines []fyne.CanvasObject
	var icon fyne.Resource = theme.NewSuccessThemedResource(theme.ConfirmIcon())
	title := "Verify passed"
	switch {
	case c.Unreachable:
		icon, title = theme.NewWarningThemedResource(theme.WarningIcon()), s.p.Title+" could not be reached"
	case !c.OK:
		icon, title = theme.NewErrorThemedResource(theme.ErrorIcon()), "Verify failed"
	}
	lines = append(lines, wrapped(sentence(c.Message), widget.MediumImportance))
	if c.Identity != nil && c.Identity.String() != "" {
		lines = append(lines, wrapped("Account: "+c.Identity.String(), widget.MediumImportance))
	}
	if c.Unreachable {
		lines = append(lines, wrapped("The keys are neither proven good nor bad: try again later.", widget.WarningImportance))
	}
	if c.NotProven != "" {
		lines = append(lines, wrapped("Not proven by this check: "+sentence(c.NotProven), widget.MediumImportance))
	}
	if c.Certainty == wizard.Likely || c.Certainty == wizard.Uncertain {
		lines = append(lines, wrapped("Certainty: "+string(c.Certainty)+" ("+certaintyNote(c.Certainty)+").", widget.MediumImportance))
	}
	lines = append(lines, w.fixLines(c.Fix, c.FixURL)...)
	if c.Elapsed > 0 {
		lines = append(lines, wrapped(fmt.Sprintf("Took %s.", c.Elapsed.Round(10*time.Millisecond)), widget.MediumImportance))
	}
	if c.Details != "" {
		lines = append(lines, w.details(c.Details))
	}
	return card(icon, title, lines)
}

func certaintyNote(c wizard.Certainty) string {
	if c == wizard.Likely {
		return "the service's answer matches what it does in practice, not what its documentation promises"
	}
	return "the service's answer could not be read with confidence"
}

func (w *window) signInCard(s *service, r *wizard.SignInResult) fyne.CanvasObject {
	var lines []fyne.CanvasObject
	var icon fyne.Resource = theme.NewSuccessThemedResource(theme.ConfirmIcon())
	title := "Test sign-in passed"
	if !r.OK {
		icon, title = theme.NewErrorThemedResource(theme.ErrorIcon()), "Test sign-in failed"
	}
	if r.OK && r.Identity != nil && r.Identity.String() != "" {
		lines = append(lines, &widget.Label{Text: "Signed in as " + r.Identity.String(), TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
	}
	if r.Message != "" {
		lines = append(lines, wrapped(sentence(r.Message), widget.MediumImportance))
	}
	if r.RedirectURI != "" {
		lines = append(lines, wrapped("Redirect URI used: "+r.RedirectURI, widget.MediumImportance))
	}
	if len(r.Scopes) > 0 {
		lines = append(lines, wrapped("Permissions granted: "+strings.Join(r.Scopes, ", "), widget.MediumImportance))
	}
	if r.Product != "" {
		lines = append(lines, wrapped("Tested: "+providers.Product(r.Product).Title()+"'s own request.", widget.MediumImportance))
	}
	if r.Proven != "" {
		lines = append(lines, wrapped("Proven: "+r.Proven, widget.MediumImportance))
	}
	if r.NotProven != "" {
		lines = append(lines, warningLine("Not proven: "+r.NotProven))
	}
	for _, warn := range r.Warnings {
		lines = append(lines, warningLine(sentence(warn)))
	}
	lines = append(lines, w.fixLines(r.Fix, r.FixURL)...)
	return card(icon, title, lines)
}

// fixLines says what to do and offers the console page that fixes it.
func (w *window) fixLines(fix, fixURL string) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	if fix != "" {
		out = append(out, &widget.Label{Text: "What to do: " + sentence(fix), Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}})
	}
	if fixURL != "" {
		fallback := container.NewVBox()
		fallback.Hide()
		out = append(out, container.NewHBox(w.openButton("Open the console page", fixURL, fallback)), fallback)
	}
	return out
}

// details shows the service's raw answer (already redacted) folded away.
func (w *window) details(text string) fyne.CanvasObject {
	e := newValueEntry(text, w.tryShortcut)
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapBreak
	e.SetMinRowsVisible(6)
	return widget.NewAccordion(widget.NewAccordionItem("Details", e))
}

// card is a result: a mark, a title and what was found.
func card(icon fyne.Resource, title string, lines []fyne.CanvasObject) fyne.CanvasObject {
	head := container.NewHBox(widget.NewIcon(icon), &widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText})
	return widget.NewCard("", "", container.NewVBox(append([]fyne.CanvasObject{head}, lines...)...))
}
