package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"keywizard/assets"
	"keywizard/cmd/keywizard/cli"
	"keywizard/ui"
	"keywizard/wizard"
	"keywizard/wizard/portal"
	"keywizard/wizard/secrets"
)

// runGUI opens the window, or explains why it cannot.
func runGUI(fd wizard.Deps, service string) (err error) {
	if p := displayProblem(); p != "" {
		return noWindow(p)
	}
	// The graphics library panics when the display goes away between the
	// check above and its own start: say so in one line, like above.
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprint(r)
			if !strings.Contains(msg, "GLFW") && !strings.Contains(msg, "X11") {
				panic(r)
			}
			err = noWindow("the display could not be opened (" + msg + ")")
		}
	}()
	// The window's heap is small and mostly fonts that stay: collecting
	// at 70% growth instead of 100% keeps its peak memory near a bare
	// window's for little work. GOGC, when set, still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(70)
	}
	a := app.NewWithID(assets.AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	// The window never asks for a vault passphrase on a terminal: it takes
	// it from KEYWIZARD_VAULT_PASSPHRASE(_FILE), or says it cannot open it.
	w := ui.New(a, ui.Deps{
		Store:    secrets.NewDeferred(secrets.OptionsFromEnv(os.Getenv, nil)),
		Checker:  fd.Checker,
		SignIn:   fd.SignIn,
		Open:     fd.Open,
		Progress: &ui.FileProgress{Recorder: fd.Recorder()},
		// The same list of remembered portals as 'keywizard portal'; the
		// sessions go to the secret store above.
		Portals: portal.Engine{},
	}, ui.Options{Service: service, Version: version})
	w.ShowAndRun()
	return nil
}

func noWindow(why string) error {
	return &cli.Error{Code: cli.ExitFailed, Err: errors.New(why + "; the command line works without one: run 'keywizard --help'")}
}
