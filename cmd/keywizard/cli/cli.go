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
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/secrets"
	"keywizard/wizard/state"
)

// Exit codes shared by every command.
const (
	ExitOK      = 0 // done, keys valid
	ExitInvalid = 1 // the keys (or the answer) are wrong
	ExitUsage   = 2 // bad flags, unknown service, unreadable input
	ExitFailed  = 3 // could not do the job (network, keyring, display)
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
	// Progress is the non-secret progress file shared with the window; nil
	// keeps no record.
	Progress *state.File
	Version  string
	// GUI opens the window at the given service ("" for the overview); nil
	// when the binary has none.
	GUI func(service string) error
}

// Run executes the command line and returns the process exit code.
func Run(ctx context.Context, args []string, d Deps) int {
	root := NewRoot(d)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
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
// is stdin) and checks that every key is a field of p.
func readValues(d Deps, p providers.Provider, path string) (map[string]string, error) {
	var r io.Reader
	if path == "-" {
		r = d.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, usageErr("read values: %v", errors.Unwrap(err))
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, usageErr("read values: %v", err)
	}
	return parseValues(p, data)
}

func parseValues(p providers.Provider, data []byte) (map[string]string, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, usageErr("values are not a JSON object of field names to strings: %s", jsonProblem(err))
	}
	values := make(map[string]string, len(raw))
	for k, v := range raw {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, usageErr("value of %q must be a JSON string", k)
		}
		values[k] = s
	}
	if unknown := p.UnknownFields(values); len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, usageErr("%s has no field %q; its fields are %s", p.ID, unknown[0], fieldList(p))
	}
	return values, nil
}

// jsonProblem describes a JSON syntax error without quoting the input,
// which may hold a secret.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "expected an object with string values"
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected end") {
		return "the input ends too early"
	}
	return "not valid JSON"
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
		return readValues(d, p, path)
	}
	if d.Store == nil {
		return nil, usageErr("no --values given and no secret store: pass --values FILE or --values -")
	}
	store, err := d.Store(ctx)
	if err != nil {
		return nil, failErr("open the secret store: %v", err)
	}
	values := map[string]string{}
	for _, f := range p.Fields {
		v, err := store.Get(ctx, p.ID, f.ID)
		if err != nil {
			if isNotFound(err) {
				continue
			}
			return nil, failErr("read %s from %s: %v", p.ID, store.Where(), err)
		}
		values[f.ID] = v
	}
	if len(values) == 0 {
		return nil, usageErr("no keys stored for %s: run 'keywizard keys set %s' or pass --values", p.ID, p.ID)
	}
	return values, nil
}

func isNotFound(err error) bool { return errors.Is(err, secrets.ErrNotFound) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
