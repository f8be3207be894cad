package main

import (
	"errors"

	"keywizard/cmd/keywizard/cli"
)

// runGUI opens the window, or explains why it cannot.
func runGUI(service string) error {
	if !hasDisplay() {
		return &cli.Error{Code: cli.ExitFailed, Err: errors.New("the window needs a desktop session (no display found); the command line works without one: run 'keywizard --help'")}
	}
	return &cli.Error{Code: cli.ExitFailed, Err: errors.New("the window is not built yet")}
}
