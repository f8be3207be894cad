package main

import (
	"os"

	"golang.org/x/term"

	"keywizard/cmd/keywizard/cli"
	"keywizard/wizard/check"
	"keywizard/wizard/loopback"
)

// deps wires the real parts.
func deps() cli.Deps {
	return cli.Deps{
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		IsTerminal: func() bool { return term.IsTerminal(int(os.Stdin.Fd())) },
		SignIn:     &loopback.Tester{},
		Open:       loopback.OpenBrowser,
		Checker:    check.New(),
		Version:    version,
		GUI:        runGUI,
	}
}
