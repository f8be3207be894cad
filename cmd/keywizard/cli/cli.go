// Package cli is Keywizard's command line: every step of the window, for SSH
// sessions, scripts and tests. Commands read keys from a JSON file, stdin or
// the secret store, never from flags, and answer in text or JSON.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/outside"
)

// Exit codes shared by every command.
const (
	ExitOK      = 0 // done, keys valid
	ExitInvalid = 1 // the keys (or the answer) are wrong
	ExitUsage   = 2 // bad flags, unknown service, unreadable input
	ExitFailed  = 3 // could not do the job (network, keyring, display)
	// ExitInterrupted is the shell's code for a command ended by Ctrl-C
	// (128 + SIGINT): every wait, a blocked read included, ends with it.
	ExitInterrupted = 130
)

// Error carries an exit code with a one-line message.
type Error struct {
	Code int
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func usageErr(format string, a ...any) error {
	return &Error{Code: ExitUsage, Err: fmt.Errorf(format, a...)}
}
func failErr(format string, a ...any) error {
	return &Error{Code: ExitFailed, Err: fmt.Errorf(format, a...)}
}

// errSilent reports an exit code whose explanation was already printed.
type errSilent int

func (e errSilent) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// Deps are the real or fake parts the commands use. cmd/keywizard wires
// the real ones; tests wire fakes.
type Deps struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// IsTerminal reports whether stdin is an interactive terminal.
	IsTerminal func() bool
	// Store opens the secret store on first use.
	Store func(ctx context.Context) (wizard.SecretStore, error)
	// Checker runs online checks; SignIn runs test sign-ins.
	Checker wizard.Checker
	SignIn  wizard.SignInTester
	Open    wizard.BrowserOpener
	// Portals reaches ONLYOFFICE portals and keeps the list of remembered
	// ones; nil when the build cannot reach portals.
	Portals wizard.Portals
	// Progress is the non-secret progress shared with the window; nil
	// keeps no record.
	Progress wizard.ProgressStore
	Version  string
	// GUI opens the window at the given service ("" for the overview); nil
	// when the binary has none.
	GUI func(service string) error
}

// flow is the part of d that the flow in package wizard works with.
func (d Deps) flow() wizard.Deps {
	return wizard.Deps{Store: d.Store, Checker: d.Checker, SignIn: d.SignIn, Open: d.Open, Progress: d.Progress, Portals: d.Portals}
}

// Run executes the command line and returns the process exit code.
func Run(ctx context.Context, args []string, d Deps) int {
	root := NewRoot(d)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	if ctx.Err() != nil {
		fmt.Fprintln(d.Stderr, "keywizard: interrupted")
		return ExitInterrupted
	}
	var silent errSilent
	if errors.As(err, &silent) {
		return int(silent)
	}
	fmt.Fprintln(d.Stderr, "keywizard: "+oneLine(err.Error()))
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ExitUsage // cobra's own errors: unknown command or flag
}

// NewRoot builds the command tree.
func NewRoot(d Deps) *cobra.Command {
	var service string
	root := &cobra.Command{
		Use:           "keywizard",
		Short:         "Create, check and push the third-party keys of an ONLYOFFICE portal",
		Long:          "Keywizard walks you through creating the keys an ONLYOFFICE portal needs for 28 third-party services,\nchecks them offline and online, keeps them in the OS keyring and pushes them to the portal.\nRun it without arguments to open the window.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if d.GUI == nil {
				return usageErr("this build has no window: run 'keywizard --help' for the commands")
			}
			if service != "" {
				if _, err := lookup(service); err != nil {
					return err
				}
			}
			return d.GUI(service)
		},
	}
	root.Flags().StringVar(&service, "service", "", "open the window at this service")
	root.SetIn(d.Stdin)
	root.SetOut(d.Stdout)
	root.SetErr(d.Stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr("%v", err) })
	root.PersistentPreRunE = checkInputFlags
	root.AddCommand(
		newVersionCmd(d),
		newProvidersCmd(d),
		newGuideCmd(d),
		newValidateCmd(d),
		newCheckCmd(d),
		newTestCmd(d),
		newPortalCmd(d), newPushCmd(d), newStatusCmd(d),
		newKeysCmd(d),
		newPlanCmd(d), newReportCmd(d),
	)
	refuseUnknownSubcommands(root)
	return root
}

// refuseUnknownSubcommands makes every group command (one with subcommands
// and no action of its own) runnable: cobra otherwise prints the help for
// "keywizard portal bogus" and exits 0. Without arguments the group still
// prints its help; with one, cobra.NoArgs reports the unknown command, which
// Run turns into exit code 2.
func refuseUnknownSubcommands(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		refuseUnknownSubcommands(sub)
	}
	if cmd == cmd.Root() || !cmd.HasSubCommands() || cmd.Runnable() {
		return
	}
	cmd.Args = cobra.NoArgs
	cmd.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
}

// lookup finds a service or returns a usage error naming the known ids.
func lookup(id string) (providers.Provider, error) {
	p, ok := providers.Lookup(id)
	if !ok {
		return p, usageErr("unknown service %q: run 'keywizard providers' for the list", id)
	}
	return p, nil
}

// readValues reads a JSON object mapping field id to string from path ("-"
// is stdin) and checks that every key is a field of p. The read is bounded
// and ends with ctx (Ctrl-C on a pipe or a FIFO nobody writes to).
func readValues(ctx context.Context, d Deps, p providers.Provider, path string) (map[string]string, error) {
	var data []byte
	var err error
	switch path {
	case "":
		return nil, usageErr("--values: the path is empty (pass a file, or - for stdin)")
	case "-":
		data, err = outside.ReadAll(ctx, d.Stdin, outside.MaxFile, "the values on stdin")
	default:
		data, err = outside.ReadFile(ctx, path, outside.MaxFile, "the values file")
	}
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(err, outside.ErrTooLarge):
		return nil, usageErr("read values: %v", err)
	case err != nil:
		if u := errors.Unwrap(err); u != nil {
			err = u // the path is said once
		}
		return nil, usageErr("read values from %s: %v", outside.Text(path), err)
	}
	return parseValues(p, data)
}

func parseValues(p providers.Provider, data []byte) (map[string]string, error) {
	values, err := outside.Values(data)
	if err != nil {
		return nil, usageErr("values are not a JSON object of field names to strings: %v", err)
	}
	if unknown := p.UnknownFields(values); len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, usageErr("%s has no field %q; its fields are %s", p.ID, outside.Name(unknown[0]), fieldList(p))
	}
	return values, nil
}

func fieldList(p providers.Provider) string {
	ids := make([]string, len(p.Fields))
	for i, f := range p.Fields {
		ids[i] = f.ID
	}
	return strings.Join(ids, ", ")
}

// loadValues returns the values from --values when given, else the stored
// ones.
func loadValues(ctx context.Context, d Deps, p providers.Provider, path string) (map[string]string, error) {
	if path != "" {
		return readValues(ctx, d, p, path)
	}
	if d.Store == nil {
		return nil, usageErr("no --values given and no secret store: pass --values FILE or --values -")
	}
	store, err := d.Store(ctx)
	if err != nil {
		return nil, failErr("open the secret store: %v", err)
	}
	values, err := wizard.LoadKeys(ctx, store, p)
	if err != nil {
		return nil, failErr("%v", err)
	}
	if len(values) == 0 {
		return nil, usageErr("no keys stored for %s: run 'keywizard keys set %s' or pass --values", p.ID, p.ID)
	}
	return values, nil
}

// inputErr reports a failed read of what the admin gives: the context's
// end as itself (Run turns it into exit 130), anything else as a usage
// error.
func inputErr(ctx context.Context, what string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return usageErr("%s: %v", what, err)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
