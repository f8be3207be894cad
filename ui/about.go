package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"keywizard/wizard"
)

// onAbout shows the name, the version and where Keywizard keeps its files
// and keys.
func (w *window) onAbout() {
	version := w.version
	if version == "" {
		version = "(development build)"
	}
	where, _ := w.top.whereText()
	files, err := wizard.ConfigDir()
	if err != nil {
		files = err.Error()
	}
	lines := []fyne.CanvasObject{
		&widget.Label{Text: "Keywizard " + version, TextStyle: fyne.TextStyle{Bold: true}},
		wrapped("Set-up wizard for the third-party keys of ONLYOFFICE portals.", widget.MediumImportance),
		wrapped(strings.TrimSuffix(where, ".")+".", widget.MediumImportance),
		wrapped("Progress and the list of portals are kept in "+files+".", widget.MediumImportance),
	}
	if root := w.app.Storage().RootURI(); root != nil {
		lines = append(lines, wrapped("Window settings are kept in "+root.Path()+".", widget.MediumImportance))
	}
	d := dialog.NewCustom("About Keywizard", "Close", container.NewVBox(lines...), w.win)
	d.Resize(fyne.NewSize(560, 280))
	d.Show()
}
