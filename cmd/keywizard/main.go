// Command keywizard is the set-up wizard for the third-party keys of an
// ONLYOFFICE portal. Without arguments it opens the window; with a command
// it runs that step on the command line.
package main

import (
	"context"
	"os"
	"os/signal"

	"keywizard/cmd/keywizard/cli"
	_ "keywizard/cmd/keywizard/internal/localeenv" // before the toolkit reads the locale
)

// version is set at build time from the git tag (.ci/version.sh) with
// -ldflags "-X main.version=...".
var version = "0.0.0-dev"

func main() {
	attachConsole(os.Args[1:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], deps(flowDeps(ctx)))
	stop()
	os.Exit(code)
}
