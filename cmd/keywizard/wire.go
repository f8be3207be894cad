package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"golang.org/x/term"

	"keywizard/cmd/keywizard/cli"
	"keywizard/wizard"
	"keywizard/wizard/check"
	"keywizard/wizard/loopback"
	"keywizard/wizard/outside"
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
			// Ctrl-C ends the prompt with echo back on; the command
			// then exits 130.
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			s, err := outside.ReadSecret(ctx, fd)
			fmt.Fprintln(os.Stderr)
			return s, err
		}
	}
	open := secrets.Lazy(secrets.OptionsFromEnv(os.Getenv, ask))
	return func(ctx context.Context) (wizard.SecretStore, error) { return open(ctx) }
}
