// Command barefyne is the baseline for bench/startup.sh: the smallest Fyne
// window of the same size, to compare Keywizard's start-up time and memory
// against.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.keywizard.barefyne")
	w := a.NewWindow("Keywizard baseline")
	w.SetContent(widget.NewLabel("Hello"))
	w.Resize(fyne.NewSize(1180, 760)) // Keywizard's default size, so both paint as much
	w.ShowAndRun()
}
