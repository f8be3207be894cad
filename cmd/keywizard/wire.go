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
	"keywizard/wizard/outside"
	"keywizard/wizard/portal"
	"keywizard/wizard/secrets"
	"keywizard/wizard/state"
)

// flowDeps wires the real parts the flow uses, once, for both faces: the
// progress file shared by the window and the command line, and a checker
// that reads the portal's Redirect URL from it before every check.
func flowDeps(ctx context.Context) wizard.Deps {
	progress := state.Store{}
	redirect := func() string { return wizard.Recorder{Store: progress}.Settings().PortalRedirect }
	return wizard.Deps{
		Store:    secretStore(ctx),
		Checker:  &check.Settings{Redirect: redirect},
		SignIn:   &loopback.Tester{},
		Progress: progress,
		Portals:  portal.Engine{},
		Open:     loopback.OpenBrowser,
	}
}

// deps wires the command line over fd.
func deps(fd wizard.Deps) cli.Deps {
	return cli.Deps{
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		IsTerminal: func() bool { return term.IsTerminal(int(os.Stdin.Fd())) },
		SignIn:     fd.SignIn,
		Open:       fd.Open,
		Checker:    fd.Checker,
		Store:      fd.Store,
		Portals:    fd.Portals,
		Progress:   fd.Progress,
		Version:    version,
		GUI:        func(service string) error { return runGUI(fd, service) },
	}
}

// secretStore opens, on first use, the store KEYWIZARD_STORE chooses: the
// OS keyring (probed first) or, only when asked for, the vault file. A
// passphrase prompt ends with ctx, the command's own (Ctrl-C), so that the
// command sees the interrupt it was ended by and exits 130.
func secretStore(ctx context.Context) func(context.Context) (wizard.SecretStore, error) {
	var ask secrets.PassphraseAsker
	if fd := int(os.Stdin.Fd()); term.IsTerminal(fd) {
		ask = func(prompt string) (string, error) {
			fmt.Fprint(os.Stderr, prompt)
			// Ctrl-C ends the prompt with echo back on.
			s, err := outside.ReadSecret(ctx, fd)
			fmt.Fprintln(os.Stderr)
			return s, err
		}
	}
	open := secrets.Lazy(secrets.OptionsFromEnv(os.Getenv, ask))
	return func(ctx context.Context) (wizard.SecretStore, error) { return open(ctx) }
}
