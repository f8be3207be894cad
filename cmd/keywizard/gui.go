package main

import (
	"errors"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"keywizard/assets"
	"keywizard/cmd/keywizard/cli"
	"keywizard/ui"
	"keywizard/wizard/check"
	"keywizard/wizard/loopback"
	"keywizard/wizard/secrets"
)

// runGUI opens the window, or explains why it cannot.
func runGUI(service string) error {
	if !hasDisplay() {
		return &cli.Error{Code: cli.ExitFailed, Err: errors.New("the window needs a desktop session (no display found); the command line works without one: run 'keywizard --help'")}
	}
	a := app.NewWithID(assets.AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	// The window never asks for a vault passphrase on a terminal: it takes
	// it from KEYWIZARD_VAULT_PASSPHRASE(_FILE), or says it cannot open it.
	w := ui.New(a, ui.Deps{
		Store:    secrets.NewDeferred(secrets.OptionsFromEnv(os.Getenv, nil)),
		Checker:  check.New(),
		SignIn:   &loopback.Tester{},
		Open:     loopback.OpenBrowser,
		Progress: &ui.FileProgress{},
		// The same list of remembered portals as 'keywizard portal'; the
		// sessions go to the secret store above.
		Portals: &ui.PortalFiles{},
	}, ui.Options{Service: service})
	w.ShowAndRun()
	return nil
}
