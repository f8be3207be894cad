package main

import (
	"context"
	"fmt"
	"os"

	"golang.org/x/term"

	"keywizard/cmd/keywizard/cli"
	"keywizard/wizard"
	"keywizard/wizard/check"
	"keywizard/wizard/loopback"
	"keywizard/wizard/secrets"
	"keywizard/wizard/state"
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
		Store:      secretStore(),
		Progress:   &state.File{},
		Version:    version,
		GUI:        runGUI,
	}
}

// secretStore opens, on first use, the store KEYWIZARD_STORE chooses: the
// OS keyring (probed first) or, only when asked for, the vault file.
func secretStore() func(context.Context) (wizard.SecretStore, error) {
	var ask secrets.PassphraseAsker
	if fd := int(os.Stdin.Fd()); term.IsTerminal(fd) {
		ask = func(prompt string) (string, error) {
			fmt.Fprint(os.Stderr, prompt)
			b, err := term.ReadPassword(fd)
			fmt.Fprintln(os.Stderr)
			return string(b), err
		}
	}
	open := secrets.Lazy(secrets.OptionsFromEnv(os.Getenv, ask))
	return func(ctx context.Context) (wizard.SecretStore, error) { return open(ctx) }
}
