// Command barefyne is the baseline for bench/startup.sh: the smallest Fyne
// window, to compare Keywizard's start-up time and memory against.
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
	w.Resize(fyne.NewSize(900, 600))
	w.ShowAndRun()
}
