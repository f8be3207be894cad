package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"keywizard/providers"
	"keywizard/wizard"
)

// signInJSON is the --json answer.
type signInJSON struct {
	wizard.SignInResult
	// Error is a short machine-readable reason when ok is false:
	// "rejected", "port_busy", "timeout", "canceled", "no_loopback",
	// "unreachable", "state_mismatch", "issuer_mismatch", "invalid_keys".
	Error string `json:"error,omitempty"`
}

type testFlags struct {
	values    string
	port      int
	noBrowser bool
	timeout   time.Duration
	asJSON    bool
	product   string
}

func newTestCmd(d Deps) *cobra.Command {
	var f testFlags
	cmd := &cobra.Command{
		Use:   "test SERVICE",
		Short: "Sign in once with the service's keys to prove they work (opens a browser)",
		Long: "Sign in once with the service's keys, through the browser, to prove that the client ID,\n" +
			"the secret and the redirect URI work together. Keywizard listens on 127.0.0.1 for the\n" +
			"answer (register the redirect URI it prints), shows who signed in, then revokes the test\n" +
			"token; no token is stored or printed. It sends the portal's own request (scopes,\n" +
			"parameters, OAuth 1.0a for X) and makes the calls the portal makes next, so a pass\n" +
			"means the portal's sign-in works; --product picks DocSpace's or Workspace's request.\n\n" +
			"Keys come from --values (a JSON object of field ids to strings; - reads stdin) or, without\n" +
			"it, from the secret store. Over SSH, use --no-browser and forward the port:\n" +
			"  ssh -L 53682:127.0.0.1:53682 server, then keywizard test google --no-browser\n\n" +
			"Exit codes: 0 signed in, 1 the sign-in was refused, 2 usage, 3 the test could not run\n" +
			"(port busy, timeout, service without loopback redirects).",
		Example: "  keywizard test google\n" +
			"  keywizard test google --values keys.json --json\n" +
			"  keywizard test dropbox --no-browser --port 53682 --timeout 10m",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTest(cmd.Context(), d, args[0], f)
		},
	}
	cmd.Flags().StringVar(&f.values, "values", "", "JSON file of field ids to values, or - for stdin")
	cmd.Flags().IntVar(&f.port, "port", 0, "listen on this loopback port; register the test redirect URI that 'keywizard guide SERVICE' shows, with this port where the service needs one")
	cmd.Flags().BoolVar(&f.noBrowser, "no-browser", false, "print the sign-in URL instead of opening a browser (SSH)")
	cmd.Flags().DurationVar(&f.timeout, "timeout", wizard.SignInTimeout, "how long to wait for the sign-in")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&f.product, "product", "", "replay this portal product's own request: docspace or workspace (default: the remembered portals' product, else DocSpace where both offer the service)")
	return cmd
}

func runTest(ctx context.Context, d Deps, id string, f testFlags) error {
	p, err := lookup(id)
	if err != nil {
		return err
	}
	switch {
	case f.port < 0 || f.port > 65535:
		return usageErr("--port must be between 1 and 65535")
	case f.timeout <= 0:
		return usageErr("--timeout must be positive, such as 5m")
	case f.product != "" && f.product != string(providers.ProductDocSpace) && f.product != string(providers.ProductWorkspace):
		return usageErr("--product must be docspace or workspace")
	case p.OAuth == nil:
		return usageErr("%s has no OAuth sign-in to test: run 'keywizard check %s' to check its keys online", p.ID, p.ID)
	case d.SignIn == nil:
		return failErr("this build cannot run a test sign-in")
	case p.OAuth.Loopback == providers.LoopbackNone:
		return finishTest(d, p, f, d.SignIn.Refuse(p), errNoLoopback)
	}
	values, err := loadValues(ctx, d, p, f.values)
	if err != nil {
		return err
	}
	if bad := blocking(p, values); bad != "" {
		res := wizard.SignInResult{Service: p.ID, Message: "The keys fail the offline checks, so no sign-in was tried: " + bad + ".",
			Fix: "Run 'keywizard validate " + p.ID + "' and fix the fields it marks."}
		return finishTest(d, p, f, res, errInvalidKeys)
	}
	if f.product == "" {
		f.product = rememberedProduct(d)
	}
	opts := wizard.SignInOptions{Port: f.port, Timeout: f.timeout, Product: f.product, OnURL: func(authURL, redirectURI string) {
		printSignInURL(d, p, f.noBrowser, authURL, redirectURI)
	}}
	if !f.noBrowser && d.Open != nil {
		opts.Open = d.Open
	}
	res, rerr := d.SignIn.Run(ctx, p.ID, values, opts)
	if code, _ := testExit(d.SignIn, res, rerr); code != ExitFailed {
		recordOutcome(d, p.ID, wizard.KindSignIn, res.OK, res.Message)
	}
	return finishTest(d, p, f, res, rerr)
}

var (
	errInvalidKeys = errors.New("invalid keys")
	errNoLoopback  = errors.New("no loopback sign-in")
)

// rememberedProduct is the product of the remembered portals when they are
// all of one product, so that the test replays that product's request;
// "" when none is remembered or both are.
func rememberedProduct(d Deps) string {
	entries, err := remembered(d)
	if err != nil || len(entries) == 0 {
		return ""
	}
	for _, e := range entries[1:] {
		if e.Product != entries[0].Product {
			return ""
		}
	}
	return string(entries[0].Product)
}

// blocking returns the first offline problem that stops a sign-in.
func blocking(p providers.Provider, values map[string]string) string {
	for _, fe := range p.Validate(values) {
		if providers.Blocks(fe.Err) {
			label := fe.Field
			if field, ok := p.Field(fe.Field); ok {
				label = field.Label
			}
			return label + ": " + fe.Err.Error()
		}
	}
	return ""
}

// printSignInURL tells the admin where to sign in and what must be
// registered. It goes to stderr so that --json stays clean.
func printSignInURL(d Deps, p providers.Provider, noBrowser bool, authURL, redirectURI string) {
	w := d.Stderr
	switch p.OAuth.Loopback {
	case providers.LoopbackExact:
		fmt.Fprintf(w, "The %s client must list this redirect URI exactly: %s\n", p.Title, redirectURI)
	case providers.LoopbackAnyPort:
		fmt.Fprintf(w, "The %s client must list the redirect URI %s (%s ignores the port); waiting on %s\n",
			p.Title, withoutPort(redirectURI), p.Title, redirectURI)
	default:
		fmt.Fprintf(w, "Waiting for the sign-in on %s\n", redirectURI)
	}
	if noBrowser {
		fmt.Fprintf(w, "Open this address in a browser on this computer (or through an SSH port forward) to sign in:\n\n  %s\n\n", authURL)
	} else {
		fmt.Fprintf(w, "Opening the browser. If no browser opens, visit:\n\n  %s\n\n", authURL)
	}
}

// withoutPort drops the port of a loopback URI, as it is registered with
// services that ignore loopback ports.
func withoutPort(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Port() == "" {
		return raw
	}
	u.Host = u.Hostname()
	if strings.Contains(u.Host, ":") {
		u.Host = "[" + u.Host + "]"
	}
	return u.String()
}

// finishTest prints the result and picks the exit code.
func finishTest(d Deps, p providers.Provider, f testFlags, res wizard.SignInResult, err error) error {
	code, reason := testExit(d.SignIn, res, err)
	if f.asJSON {
		if werr := writeJSON(d.Stdout, signInJSON{SignInResult: res, Error: reason}); werr != nil {
			return werr
		}
	} else {
		printSignIn(d, p, res)
	}
	if code != ExitOK {
		return errSilent(code)
	}
	return nil
}

func testExit(t wizard.SignInTester, res wizard.SignInResult, err error) (int, string) {
	switch {
	case err == nil && res.OK:
		return ExitOK, ""
	case errors.Is(err, errInvalidKeys):
		return ExitInvalid, "invalid_keys"
	case errors.Is(err, errNoLoopback):
		return ExitFailed, "no_loopback"
	case t == nil:
		return ExitInvalid, "rejected"
	}
	reason, couldNotRun := t.Why(err)
	if couldNotRun {
		return ExitFailed, reason
	}
	return ExitInvalid, reason
}

func printSignIn(d Deps, p providers.Provider, res wizard.SignInResult) {
	w := d.Stdout
	mark := "FAIL"
	if res.OK {
		mark = "ok  "
	}
	fmt.Fprintf(w, "%s %s: %s\n", mark, p.Title, res.Message)
	if len(res.Scopes) > 0 {
		fmt.Fprintf(w, "     granted scopes: %s\n", strings.Join(res.Scopes, " "))
	}
	for _, warn := range res.Warnings {
		fmt.Fprintf(w, "warn %s\n", warn)
	}
	if res.Product != "" {
		fmt.Fprintf(w, "     tested: %s's own request\n", providers.Product(res.Product).Title())
	}
	if res.Proven != "" {
		fmt.Fprintf(w, "     proven: %s\n", res.Proven)
	}
	if res.NotProven != "" {
		fmt.Fprintf(w, "     not proven: %s\n", res.NotProven)
	}
	if res.Fix != "" {
		fmt.Fprintf(w, "fix  %s\n", res.Fix)
	}
	if res.FixURL != "" {
		fmt.Fprintf(w, "     console: %s\n", res.FixURL)
	}
	if res.RedirectURI != "" && !res.OK {
		fmt.Fprintf(w, "     test redirect URI: %s\n", res.RedirectURI)
	}
}
