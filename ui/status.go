package ui

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
	"keywizard/wizard"
)

// statusIcon is the mark the overview shows for a status.
func statusIcon(s wizard.Status) fyne.Resource {
	switch s {
	case wizard.InProgress:
		return theme.NewThemedResource(theme.MoreHorizontalIcon())
	case wizard.Valid:
		return theme.NewPrimaryThemedResource(theme.ConfirmIcon())
	case wizard.Verified:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case wizard.OnPortal:
		return theme.NewSuccessThemedResource(theme.UploadIcon())
	case wizard.Problem:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	case wizard.Unverified:
		return theme.NewWarningThemedResource(theme.UploadIcon())
	}
	return theme.NewDisabledResource(theme.RadioButtonIcon())
}

// statusImportance colours a status word in the overview: faint only for
// services not started, so that the rest stay easy to read.
func statusImportance(s wizard.Status) widget.Importance {
	switch s {
	case wizard.NotStarted:
		return widget.LowImportance
	case wizard.Verified, wizard.OnPortal:
		return widget.SuccessImportance
	case wizard.Problem:
		return widget.DangerImportance
	case wizard.Unverified:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// ready reports whether a status counts towards "n/28 ready": the keys
// are at least valid and nothing failed.
func ready(s wizard.Status) bool { return wizard.Ready(s) }

// fieldMark is the mark and importance shown under a field for its check.
func fieldMark(err error, empty bool) (fyne.Resource, widget.Importance) {
	switch {
	case err == nil && empty:
		return nil, widget.LowImportance
	case err == nil:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon()), widget.SuccessImportance
	case providers.IsWarning(err):
		return theme.NewWarningThemedResource(theme.WarningIcon()), widget.WarningImportance
	}
	return theme.NewErrorThemedResource(theme.ErrorIcon()), widget.DangerImportance
}

// sentence turns a check's message into a sentence: capital first letter,
// full stop at the end.
func sentence(msg string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return ""
	}
	r := []rune(msg)
	r[0] = unicode.ToUpper(r[0])
	if !strings.ContainsRune(".!?", r[len(r)-1]) {
		r = append(r, '.')
	}
	return string(r)
}

// categoryTitle is a category as a list header: "SIGN-IN".
func categoryTitle(c providers.Category) string { return strings.ToUpper(string(c)) }
