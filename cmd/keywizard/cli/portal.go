package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/outside"
)

// portalDeps is the flow's Deps for the portal commands, with the secret
// store's failures worded as these commands say them (exit code 3).
func portalDeps(d Deps) wizard.Deps {
	fd := d.flow()
	fd.Store = func(ctx context.Context) (wizard.SecretStore, error) {
		if d.Store == nil {
			return nil, failErr("no secret store: the portal session can only be kept in the OS keyring")
		}
		return keysStore(ctx, d)
	}
	return fd
}

// remembered lists the remembered portals.
func remembered(d Deps) ([]wizard.PortalEntry, error) {
	ps, err := d.flow().PortalEngine()
	if err != nil {
		return nil, failErr("%v", err)
	}
	entries, err := ps.Remembered()
	if err != nil {
		return nil, failErr("%v", err)
	}
	return entries, nil
}

// portalErr turns a portal error into the exit code: 3 when the portal
// could not be reached, 1 when it refused.
func portalErr(err error) error {
	var e *Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e):
		return &Error{Code: e.Code, Err: err}
	case wizard.PortalTrouble(err), errors.Is(err, wizard.ErrNoPortals):
		return &Error{Code: ExitFailed, Err: err}
	case errors.Is(err, wizard.ErrPortalInsecure):
		return &Error{Code: ExitUsage, Err: err}
	}
	return &Error{Code: ExitInvalid, Err: err}
}

func newPortalCmd(d Deps) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "portal",
		Short: "Sign in to ONLYOFFICE portals (DocSpace or Workspace) and list them",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newPortalLoginCmd(d), newPortalStatusCmd(d), newPortalLogoutCmd(d))
	return cmd
}

type portalLoginFlags struct {
	user             string
	passwordStdin    bool
	code             string
	apiKeyStdin      bool
	caFile           string
	rememberPassword bool
}

func newPortalLoginCmd(d Deps) *cobra.Command {
	var f portalLoginFlags
	cmd := &cobra.Command{
		Use:   "login URL",
		Short: "Sign in to a portal and remember it",
		Long: "Sign in to a portal as an administrator and remember it for push and status.\n" +
			"The password (--password-stdin) or the DocSpace API key (--api-key-stdin) is read from stdin,\n" +
			"never from a flag. With two-factor authentication, pass the code with --code, or type it\n" +
			"when asked on a terminal. The session token is kept in the secret store; the password only\n" +
			"with --remember-password, to renew an expired session without asking (never for an account\n" +
			"with two-factor authentication: each renewal would need a new code).",
		Example: "  printf '%s\\n' \"$PASSWORD\" | keywizard portal login https://docspace.example.com --user admin@example.com --password-stdin\n" +
			"  keywizard portal login https://office.example.com --user admin@example.com --password-stdin --code 123456 < pw.txt\n" +
			"  keywizard portal login https://docspace.example.com --api-key-stdin < key.txt",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLogin(cmd.Context(), d, args[0], f)
		},
	}
	cmd.Flags().StringVar(&f.user, "user", "", "administrator's e-mail")
	cmd.Flags().BoolVar(&f.passwordStdin, "password-stdin", false, "read the password from the first line of stdin")
	cmd.Flags().StringVar(&f.code, "code", "", "two-factor code from the app or the SMS")
	cmd.Flags().BoolVar(&f.apiKeyStdin, "api-key-stdin", false, "read a DocSpace API key from the first line of stdin instead of signing in")
	cmd.Flags().StringVar(&f.caFile, "ca-file", "", "PEM file of a private certificate authority the portal uses")
	cmd.Flags().BoolVar(&f.rememberPassword, "remember-password", false, "keep the password in the secret store to renew an expired session (not with two-factor authentication)")
	return cmd
}

func runLogin(ctx context.Context, d Deps, rawURL string, f portalLoginFlags) error {
	if f.apiKeyStdin && (f.passwordStdin || f.code != "") {
		return usageErr("--api-key-stdin replaces the password and the code: use one or the other")
	}
	if !f.apiKeyStdin && f.user == "" {
		return usageErr("pass --user EMAIL (or --api-key-stdin for a DocSpace API key)")
	}
	if f.caFile != "" {
		abs, err := filepath.Abs(f.caFile)
		if err != nil {
			return usageErr("--ca-file: %v", err)
		}
		f.caFile = abs
	}
	if _, err := wizard.ParsePortalURL(rawURL); err != nil {
		return usageErr("%v", err)
	}
	fd := portalDeps(d)
	if _, err := fd.PortalEngine(); err != nil {
		return failErr("%v", err)
	}
	// The session can only be kept in the store: say so before signing in.
	if _, err := fd.OpenStore(ctx); err != nil {
		return err
	}
	c, err := fd.NewConnect(rawURL, f.caFile)
	if err != nil {
		return usageErr("%v", err)
	}
	if _, err := c.Next(ctx, wizard.Answer{}); err != nil {
		return portalErr(err)
	}
	if f.rememberPassword && f.apiKeyStdin {
		return usageErr("--remember-password goes with a password, not with --api-key-stdin")
	}
	in := bufio.NewReader(d.Stdin)
	if err := signIn(ctx, d, in, c, f); err != nil {
		return err
	}
	res := c.Result()
	switch {
	case res.NotKept != nil:
		return failErr("%v", res.NotKept)
	case res.NotListed != nil:
		return failErr("%v", res.NotListed)
	case res.KeysUnread != nil:
		fmt.Fprintf(d.Stderr, "keywizard: signed in, but the authorization keys could not be read: %s\n", oneLine(res.KeysUnread.Error()))
	}
	printSignedIn(d, res, f.apiKeyStdin)
	return nil
}

// signIn answers the portal's steps: the API key, or the password and,
// when the portal asks, the two-factor code.
func signIn(ctx context.Context, d Deps, in *bufio.Reader, c *wizard.Connect, f portalLoginFlags) error {
	if f.apiKeyStdin {
		key, err := portalReadSecret(ctx, d, in, "API key: ")
		if err != nil {
			return err
		}
		if key == "" {
			return &Error{Code: ExitInvalid, Err: errors.New("the API key is empty")}
		}
		_, err = c.Next(ctx, wizard.Answer{APIKey: key})
		return portalErr(err)
	}
	password, err := loginPassword(ctx, d, in, f)
	if err != nil {
		return err
	}
	// A code from an earlier attempt goes with the password, which does
	// not send another SMS.
	need, err := c.Next(ctx, wizard.Answer{User: f.user, Password: password, Code: f.code, Remember: f.rememberPassword})
	if err != nil {
		return codeErr(err)
	}
	if need.Kind == wizard.NeedBrowser || need.Kind == wizard.NeedCode && !stdinIsTerminal(d) {
		return codeErr(need.Code)
	}
	if need.Kind != wizard.NeedCode {
		return nil
	}
	fmt.Fprintf(d.Stderr, "%s.\nTwo-factor code: ", upperFirst(need.Code.Error()))
	code, rerr := portalReadLine(ctx, in)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if rerr != nil || strings.TrimSpace(code) == "" {
		return usageErr("no two-factor code typed")
	}
	_, err = c.Next(ctx, wizard.Answer{Code: code})
	return codeErr(err)
}

// printSignedIn says where the portal's session (and the password) is kept.
func printSignedIn(d Deps, res *wizard.Connected, apiKey bool) {
	e := res.Conn.Entry
	fmt.Fprintf(d.Stdout, "Signed in to %s (%s).\n", e.URL, productVersion(e.Info()))
	switch {
	case !res.Expires.IsZero():
		fmt.Fprintf(d.Stdout, "The session lasts until %s; it is kept in %s.\n", res.Expires.Local().Format("2006-01-02 15:04"), res.Where)
	case apiKey:
		fmt.Fprintf(d.Stdout, "The API key is kept in %s.\n", res.Where)
	default:
		fmt.Fprintf(d.Stdout, "The session is kept in %s; the portal did not say when it ends.\n", res.Where)
	}
	switch {
	case res.PasswordRefused:
		fmt.Fprintln(d.Stdout, "The password was not kept: this account uses two-factor authentication, so 'keywizard portal login' renews the session.")
	case res.PasswordKept:
		fmt.Fprintf(d.Stdout, "The password is kept in %s to renew the session.\n", res.Where)
	}
}

func productVersion(i wizard.PortalInfo) string {
	if i.Version == "" {
		return i.Product.String() + ", version unknown"
	}
	return i.Product.String() + " " + outside.Name(i.Version)
}

func loginPassword(ctx context.Context, d Deps, in *bufio.Reader, f portalLoginFlags) (string, error) {
	if !f.passwordStdin && !stdinIsTerminal(d) {
		return "", usageErr("pass the password on stdin with --password-stdin")
	}
	pw, err := portalReadSecret(ctx, d, in, "Password for "+f.user+": ")
	if err != nil {
		return "", err
	}
	if pw == "" {
		return "", usageErr("the password is empty")
	}
	return pw, nil
}

// codeErr adds to a two-factor refusal what to do on the command line.
func codeErr(err error) error {
	var need *wizard.ErrCodeRequired
	if !errors.As(err, &need) {
		return portalErr(err)
	}
	hint := "run the command again with --code CODE"
	if need.NeedsBrowser() {
		hint = "then run the command again with --code CODE"
	}
	return &Error{Code: ExitInvalid, Err: fmt.Errorf("%v: %s", need, hint)}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func stdinIsTerminal(d Deps) bool { return d.IsTerminal != nil && d.IsTerminal() }

// portalReadSecret reads one line without echo on a terminal, or plainly from a
// pipe. The value is never printed. The read is bounded and ends with ctx
// (Ctrl-C), echo restored.
func portalReadSecret(ctx context.Context, d Deps, in *bufio.Reader, prompt string) (string, error) {
	if f, ok := d.Stdin.(*os.File); ok && stdinIsTerminal(d) && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(d.Stderr, prompt)
		s, err := outside.ReadSecret(ctx, int(f.Fd()))
		fmt.Fprintln(d.Stderr)
		if err != nil {
			return "", inputErr(ctx, "read from the terminal", err)
		}
		return strings.TrimSpace(s), nil
	}
	if stdinIsTerminal(d) {
		fmt.Fprint(d.Stderr, prompt)
	}
	s, err := portalReadLine(ctx, in)
	if err != nil {
		return "", inputErr(ctx, "read stdin", err)
	}
	return strings.TrimSpace(s), nil
}

func portalReadLine(ctx context.Context, in *bufio.Reader) (string, error) {
	return outside.ReadLine(ctx, in, outside.MaxLine)
}

type portalStatusJSON struct {
	URL      string         `json:"url"`
	Product  wizard.Product `json:"product"`
	Version  string         `json:"version,omitempty"`
	User     string         `json:"user,omitempty"`
	Auth     string         `json:"auth"` // "password" or "api-key"
	LoggedIn bool           `json:"logged_in"`
	Expires  *time.Time     `json:"expires,omitempty"`
	Note     string         `json:"note,omitempty"`
}

func newPortalStatusCmd(d Deps) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "status",
		Short:   "List the remembered portals and whether their sessions are valid",
		Example: "  keywizard portal status\n  keywizard portal status --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			states, err := portalDeps(d).SessionStates(cmd.Context())
			if err != nil {
				return failErr("%v", err)
			}
			out := portalStatuses(states)
			if asJSON {
				return writeJSON(d.Stdout, out)
			}
			if len(out) == 0 {
				fmt.Fprintln(d.Stdout, "No portal yet: run 'keywizard portal login URL'.")
				return nil
			}
			for _, s := range out {
				fmt.Fprintf(d.Stdout, "%s  %s  %s\n", s.URL, productVersion(wizard.PortalInfo{Product: s.Product, Version: s.Version}), describeSession(s))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func portalStatuses(states []wizard.SessionState) []portalStatusJSON {
	out := make([]portalStatusJSON, 0, len(states))
	for _, st := range states {
		e := st.Entry
		s := portalStatusJSON{URL: e.URL, Product: e.Product, Version: outside.Name(e.Version), User: e.User, Auth: "password",
			LoggedIn: st.SignedIn, Note: st.Note}
		if e.APIKey {
			s.Auth = "api-key"
		}
		if !st.Expires.IsZero() {
			exp := st.Expires
			s.Expires = &exp
		}
		out = append(out, s)
	}
	return out
}

func describeSession(s portalStatusJSON) string {
	who := s.User
	if s.Auth == "api-key" {
		who = "API key"
	}
	switch {
	case s.LoggedIn && s.Expires != nil:
		return fmt.Sprintf("signed in (%s) until %s", who, s.Expires.Local().Format("2006-01-02 15:04"))
	case s.LoggedIn:
		return fmt.Sprintf("signed in (%s)", who)
	}
	return fmt.Sprintf("not signed in (%s): %s", who, s.Note)
}

func newPortalLogoutCmd(d Deps) *cobra.Command {
	var forget bool
	cmd := &cobra.Command{
		Use:   "logout [URL]",
		Short: "Forget a portal's session and password (every portal's, without URL; with --forget, the portal too)",
		Example: "  keywizard portal logout\n" +
			"  keywizard portal logout https://docspace.example.com\n" +
			"  keywizard portal logout https://docspace.example.com --forget",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			done, err := portalDeps(d).SignOut(cmd.Context(), forget, args...)
			for _, e := range done {
				if forget {
					fmt.Fprintf(d.Stdout, "Signed out of %s and forgot it.\n", e.URL)
				} else {
					fmt.Fprintf(d.Stdout, "Signed out of %s.\n", e.URL)
				}
			}
			switch {
			case errors.Is(err, wizard.ErrNotRemembered):
				return usageErr("%s is not a remembered portal: run 'keywizard portal status' for the list", args[0])
			case err != nil:
				return portalFailure(err)
			case len(done) == 0:
				fmt.Fprintln(d.Stdout, "No portal to sign out of.")
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&forget, "forget", false, "also remove the portal from the list")
	return cmd
}

// portalFailure is a failure of the engine or the store that keep the
// portals: exit code 3.
func portalFailure(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return failErr("%v", err)
}

// openPortals opens the chosen portals: the one named by --portal, else
// every remembered portal with a session (or a password to renew it). A
// portal that cannot be used says why, and how to sign in again.
func openPortals(ctx context.Context, d Deps, only string) ([]*wizard.PortalConn, error) {
	conns, err := portalDeps(d).OpenPortals(ctx, only)
	switch {
	case errors.Is(err, wizard.ErrNotRemembered):
		return nil, usageErr("not signed in to %s: run 'keywizard portal login %s' first", only, only)
	case errors.Is(err, wizard.ErrNotSignedIn):
		u := only
		if entries, err := remembered(d); err == nil {
			if e, ok := wizard.FindPortal(entries, only); ok {
				u = e.URL
			}
		}
		return nil, usageErr("not signed in to %s: run 'keywizard portal login %s' first", u, u)
	case errors.Is(err, wizard.ErrNoPortal):
		return nil, usageErr("not signed in to any portal: run 'keywizard portal login URL' first")
	case err != nil:
		return nil, portalFailure(err)
	}
	for _, c := range conns {
		c.Err = signInAgain(c.Entry.URL, c.Err)
	}
	return conns, nil
}

// signInAgain words a session that ended as the command line says it:
// with the command that signs in again.
func signInAgain(u string, err error) error {
	var renew *wizard.RenewError
	switch {
	case errors.As(err, &renew):
		return fmt.Errorf("the session for %s expired and signing in again failed (%w): run 'keywizard portal login %s'", u, renew.Err, u)
	case errors.Is(err, wizard.ErrSignInAgain):
		return fmt.Errorf("the session for %s expired: run 'keywizard portal login %s' again", u, u)
	}
	return err
}

type portalPushFlags struct {
	all, dryRun, asJSON, force bool
	portalURL, valuesPath      string
}

func newPushCmd(d Deps) *cobra.Command {
	var f portalPushFlags
	cmd := &cobra.Command{
		Use:   "push SERVICE... | --all",
		Short: "Send services' stored keys to the portal safely (snapshot, diff, read-back, restore)",
		Long: "Send the stored keys of the services to every signed-in portal (or the one named by --portal).\n" +
			"Keys are checked offline, then online, and keys that fail are refused unless --force. Each push reads\n" +
			"the portal's current keys first, shows what changes (values redacted), sends, and reads back;\n" +
			"if the portal refuses or the connection fails mid-way and it no longer holds what it had,\n" +
			"the previous keys are put back. --dry-run stops after the diff.\n" +
			"Exit codes: 0 pushed, 1 refused or failed, 2 usage, 3 a portal could not be reached.",
		Example: "  keywizard push google --dry-run\n  keywizard push google telegram --json\n  keywizard push --all --portal https://docspace.example.com",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPush(cmd.Context(), d, args, f)
		},
	}
	cmd.Flags().BoolVar(&f.all, "all", false, "push every service that has stored keys")
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "show what would change and send nothing")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&f.force, "force", false, "push keys that fail the offline or online checks")
	cmd.Flags().StringVar(&f.portalURL, "portal", "", "push to this remembered portal only")
	cmd.Flags().StringVar(&f.valuesPath, "values", "", "with one service: JSON file of field ids to values (- for stdin) instead of the stored keys")
	return cmd
}

func runPush(ctx context.Context, d Deps, args []string, f portalPushFlags) error {
	switch {
	case f.all && len(args) > 0:
		return usageErr("name services or pass --all, not both")
	case !f.all && len(args) == 0:
		return usageErr("name the services to push, or pass --all")
	case f.valuesPath != "" && len(args) != 1:
		return usageErr("--values goes with exactly one service")
	}
	store, err := portalDeps(d).OpenStore(ctx)
	if err != nil {
		return err
	}
	plan, err := pushPlan(ctx, d, store, args, f)
	if err != nil {
		return err
	}
	conns, err := openPortals(ctx, d, f.portalURL)
	if err != nil {
		return err
	}
	results := pushToAll(ctx, conns, plan, wizard.RunOptions{DryRun: f.dryRun, OnlyOffered: f.all, Refusal: refusal})
	if !f.dryRun {
		rec := d.flow().Recorder()
		for _, rs := range results {
			warnProgress(d, rec.RecordPushes(plan, rs))
		}
	}
	return reportPush(d, results, len(conns) > 1, f)
}

func pushPlan(ctx context.Context, d Deps, store wizard.SecretStore, args []string, f portalPushFlags) ([]wizard.PushJob, error) {
	var ps []providers.Provider
	if f.all {
		ps = providers.All()
	}
	for _, id := range args {
		p, err := lookup(id)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	var cands []wizard.Candidate
	for _, p := range ps {
		var values map[string]string
		var err error
		if f.valuesPath != "" {
			values, err = readValues(ctx, d, p, f.valuesPath)
		} else if values, err = wizard.LoadKeys(ctx, store, p); err != nil {
			err = failErr("%v", err)
		}
		if err != nil {
			return nil, err
		}
		if len(values) == 0 {
			if f.all {
				continue
			}
			return nil, usageErr("no keys stored for %s: run 'keywizard keys set %s' or pass --values", p.ID, p.ID)
		}
		cands = append(cands, wizard.Candidate{Provider: p, Values: values})
	}
	if len(cands) == 0 {
		return nil, usageErr("no service has stored keys: store some first")
	}
	plan := wizard.PlanPush(ctx, d.Checker, cands, f.force)
	for _, pj := range plan {
		if c := pj.Checked; c != nil && !wizard.NoVerdict(*c) {
			recordOutcome(d, pj.Provider.ID, wizard.KindCheck, c.OK, c.Message)
		}
	}
	return plan, nil
}

// refusal says why a service is not pushed, and how to push it anyway.
func refusal(j wizard.PushJob) string {
	switch j.Block.Kind {
	case wizard.Rejected:
		return "not sent: the online check failed: " + j.Block.Check.Message + "; fix the keys (see 'keywizard check " + j.Provider.ID + "'), or pass --force to push anyway"
	case wizard.Invalid:
		return invalidMessage(validation(j.Provider, j.Values))
	}
	return "not sent"
}

func invalidMessage(v validateJSON) string {
	var bad []string
	for _, fr := range v.Fields {
		if !fr.OK {
			bad = append(bad, fr.ID+": "+fr.Message)
		}
	}
	return "not sent: the keys fail the offline checks (" + strings.Join(bad, "; ") + "); fix them, or pass --force to push anyway"
}

// pushToAll runs the plan on every portal: portals in parallel, one
// service after the other on each portal. Each portal's results keep
// only the services it was sent or refused.
func pushToAll(ctx context.Context, conns []*wizard.PortalConn, plan []wizard.PushJob, opts wizard.RunOptions) [][]wizard.PushResult {
	out := make([][]wizard.PushResult, len(conns))
	var wg sync.WaitGroup
	for i, conn := range conns {
		wg.Go(func() {
			for _, r := range wizard.PushTo(ctx, conn, plan, opts, nil) {
				if r.Service != "" {
					out[i] = append(out[i], r)
				}
			}
		})
	}
	wg.Wait()
	return out
}

type pushJSON struct {
	Portal   string          `json:"portal,omitempty"`
	Service  string          `json:"service"`
	OK       bool            `json:"ok"`
	Changed  bool            `json:"changed"`
	Restored bool            `json:"restored"`
	Message  string          `json:"message"`
	Diff     []wizard.Change `json:"diff,omitempty"`
}

func reportPush(d Deps, results [][]wizard.PushResult, several bool, f portalPushFlags) error {
	out := []pushJSON{}
	failed, unreachable := false, false
	for _, rs := range results {
		for _, r := range rs {
			e := pushJSON{Service: r.Service, OK: r.OK, Changed: r.Changed, Restored: r.Restored, Message: r.Message, Diff: r.Diff}
			if several {
				e.Portal = r.Portal
			}
			out = append(out, e)
			switch {
			case r.OK:
			case r.Unreachable:
				unreachable = true
			default:
				failed = true
			}
		}
	}
	if f.asJSON {
		if err := writeJSON(d.Stdout, out); err != nil {
			return err
		}
	} else {
		printPush(d, out)
	}
	switch {
	case failed:
		return errSilent(ExitInvalid)
	case unreachable:
		return errSilent(ExitFailed)
	}
	return nil
}

func printPush(d Deps, out []pushJSON) {
	for _, e := range out {
		mark := "ok  "
		switch {
		case !e.OK && e.Restored:
			mark = "UNDO"
		case !e.OK:
			mark = "FAIL"
		}
		prefix := ""
		if e.Portal != "" {
			prefix = e.Portal + " "
		}
		fmt.Fprintf(d.Stdout, "%s %s%s: %s\n", mark, prefix, e.Service, e.Message)
		for _, c := range e.Diff {
			fmt.Fprintf(d.Stdout, "       %s: %s -> %s\n", c.Field, emptyMark(c.Old), emptyMark(c.New))
		}
	}
}

func emptyMark(s string) string {
	if s == "" {
		return "(empty)"
	}
	return s
}

type serviceStatusJSON struct {
	Portal  string         `json:"portal,omitempty"`
	Service string         `json:"service"`
	Local   string         `json:"local"`  // "stored", "partly stored", "none"
	Stored  []string       `json:"stored"` // field ids kept in the secret store
	State   string         `json:"portal_state"`
	Expiry  *wizard.Expiry `json:"expiry,omitempty"`
}

func newStatusCmd(d Deps) *cobra.Command {
	var asJSON bool
	var only string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Compare each service's stored keys with what the portal holds",
		Long: "For each service the portal offers: which fields are stored here, and whether the portal's\n" +
			"keys are set, not set, partly set, or differ from the stored ones. Values are never printed.",
		Example: "  keywizard status\n  keywizard status --json --portal https://docspace.example.com",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			store, err := portalDeps(d).OpenStore(ctx)
			if err != nil {
				return err
			}
			conns, err := openPortals(ctx, d, only)
			if err != nil {
				return err
			}
			var out []serviceStatusJSON
			var firstErr error
			for _, conn := range conns {
				rows, err := servicesOnPortal(ctx, store, conn)
				if err != nil {
					fmt.Fprintf(d.Stderr, "keywizard: %s: %v\n", conn.Entry.URL, err)
					if firstErr == nil {
						firstErr = err
					}
					continue
				}
				for _, r := range rows {
					if len(conns) > 1 {
						r.Portal = conn.Entry.URL
					}
					out = append(out, r)
				}
			}
			if asJSON {
				if out == nil {
					out = []serviceStatusJSON{}
				}
				if err := writeJSON(d.Stdout, out); err != nil {
					return err
				}
			} else {
				printServiceStatus(d, out)
			}
			recordPortalSeen(d, out)
			if firstErr != nil {
				return errSilent(portalErr(firstErr).(*Error).Code)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&only, "portal", "", "only this remembered portal")
	return cmd
}

func servicesOnPortal(ctx context.Context, store wizard.SecretStore, conn *wizard.PortalConn) ([]serviceStatusJSON, error) {
	on, err := wizard.ServicesOn(ctx, store, conn)
	if err != nil {
		return nil, err
	}
	rows := make([]serviceStatusJSON, len(on))
	for i, s := range on {
		rows[i] = serviceStatusJSON{Service: s.Provider.ID, Local: s.Local, Stored: s.Stored, State: s.Mark.String(), Expiry: statusExpiry(s.Provider, s.Keys)}
	}
	return rows, nil
}

func printServiceStatus(d Deps, rows []serviceStatusJSON) {
	for _, r := range rows {
		prefix := ""
		if r.Portal != "" {
			prefix = r.Portal + " "
		}
		local := r.Local
		if len(r.Stored) > 0 {
			local += " (" + strings.Join(r.Stored, ", ") + ")"
		}
		fmt.Fprintf(d.Stdout, "%s%-12s here: %-40s portal: %s%s\n", prefix, r.Service, local, r.State, expiryNote(r.Expiry))
	}
}
