package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/portal"
)

// Where the portal list lives and how long a portal may take to answer;
// variables so that tests can use a temporary folder and short timeouts.
var (
	portalDir     = portal.DefaultDir
	portalTimeout time.Duration // 0: the HTTP client's default
)

func portalList() (portal.List, error) {
	dir, err := portalDir()
	if err != nil {
		return portal.List{}, failErr("%v", err)
	}
	return portal.List{Dir: dir}, nil
}

func portalStore(ctx context.Context, d Deps) (wizard.SecretStore, error) {
	if d.Store == nil {
		return nil, failErr("no secret store: the portal session can only be kept in the OS keyring")
	}
	store, err := d.Store(ctx)
	if err != nil {
		return nil, failErr("open the secret store: %v", err)
	}
	return store, nil
}

// portalErr turns a portal error into the exit code: 3 when the portal
// could not be reached, 1 when it refused.
func portalErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, portal.ErrUnreachable) || errors.Is(err, portal.ErrPortalFailed) {
		return &Error{Code: ExitFailed, Err: err}
	}
	if errors.Is(err, portal.ErrInsecure) {
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
	user          string
	passwordStdin bool
	code          string
	apiKeyStdin   bool
	caFile        string
}

func newPortalLoginCmd(d Deps) *cobra.Command {
	var f portalLoginFlags
	cmd := &cobra.Command{
		Use:   "login URL",
		Short: "Sign in to a portal and remember it",
		Long: "Sign in to a portal as an administrator and remember it for push and status.\n" +
			"The password (--password-stdin) or the DocSpace API key (--api-key-stdin) is read from stdin,\n" +
			"never from a flag. With two-factor authentication, pass the code with --code, or type it\n" +
			"when asked on a terminal. The session token and the password are kept in the secret store.",
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
	if _, err := portal.ParseURL(rawURL); err != nil {
		return usageErr("%v", err)
	}
	list, err := portalList()
	if err != nil {
		return err
	}
	if f.caFile == "" {
		// Signing in again keeps the certificate authority given before.
		if e, ok, _ := list.Find(rawURL); ok {
			f.caFile = e.CAFile
		}
	}
	store, err := portalStore(ctx, d)
	if err != nil {
		return err
	}
	c, err := portal.New(rawURL, portal.Options{CAFile: f.caFile, Timeout: portalTimeout})
	if err != nil {
		return usageErr("%v", err)
	}
	info, err := c.Detect(ctx)
	if err != nil {
		return portalErr(err)
	}
	in := bufio.NewReader(d.Stdin)
	password := ""
	if f.apiKeyStdin {
		key, err := portalReadSecret(d, in, "API key: ")
		if err != nil {
			return err
		}
		if err := c.LoginAPIKey(ctx, key); err != nil {
			return portalErr(err)
		}
	} else {
		if password, err = loginPassword(d, in, f); err != nil {
			return err
		}
		if err := passwordLogin(ctx, d, in, c, f, password); err != nil {
			return err
		}
	}
	// The keys need the owner or an administrator: say so now rather than
	// at the first push.
	switch err := c.CheckSession(ctx); {
	case errors.Is(err, portal.ErrNotAdmin):
		return portalErr(err)
	case err != nil:
		fmt.Fprintf(d.Stderr, "keywizard: signed in, but the authorization keys could not be read: %s\n", oneLine(err.Error()))
	}
	if err := portal.SaveSession(ctx, store, c.Key(), c.Session(), password); err != nil {
		return failErr("%v", err)
	}
	user := f.user
	if f.apiKeyStdin {
		user = ""
	}
	entry := portal.Entry{URL: c.URL(), Product: info.Product, Version: info.Version, User: user, APIKey: f.apiKeyStdin, CAFile: f.caFile}
	if err := list.Put(entry); err != nil {
		return failErr("%v", err)
	}
	fmt.Fprintf(d.Stdout, "Signed in to %s (%s).\n", c.URL(), productVersion(info))
	if exp := c.Session().Expires; !exp.IsZero() {
		fmt.Fprintf(d.Stdout, "The session lasts until %s; it is kept in %s.\n", exp.Local().Format("2006-01-02 15:04"), store.Where())
	} else {
		fmt.Fprintf(d.Stdout, "The API key is kept in %s.\n", store.Where())
	}
	return nil
}

func productVersion(i portal.Info) string {
	if i.Version == "" {
		return i.Product.String() + ", version unknown"
	}
	return i.Product.String() + " " + i.Version
}

func loginPassword(d Deps, in *bufio.Reader, f portalLoginFlags) (string, error) {
	if !f.passwordStdin && !stdinIsTerminal(d) {
		return "", usageErr("pass the password on stdin with --password-stdin")
	}
	pw, err := portalReadSecret(d, in, "Password for "+f.user+": ")
	if err != nil {
		return "", err
	}
	if pw == "" {
		return "", usageErr("the password is empty")
	}
	return pw, nil
}

// passwordLogin signs in, asking for the two-factor code on a terminal.
// Without a terminal and without --code, a portal that asks for a code
// stops the command with exit code 1 and a message naming --code.
func passwordLogin(ctx context.Context, d Deps, in *bufio.Reader, c *portal.Client, f portalLoginFlags, password string) error {
	if f.code != "" {
		// The code from an earlier attempt: send it directly, which does
		// not send another SMS.
		return codeErr(c.LoginWithCode(ctx, f.user, password, f.code))
	}
	err := c.Login(ctx, f.user, password)
	var need *portal.ErrCodeRequired
	if !errors.As(err, &need) {
		return portalErr(err)
	}
	if need.NeedsBrowser() || !stdinIsTerminal(d) {
		return codeErr(need)
	}
	fmt.Fprintf(d.Stderr, "%s.\nTwo-factor code: ", upperFirst(need.Error()))
	code, rerr := portalReadLine(in)
	if rerr != nil || strings.TrimSpace(code) == "" {
		return usageErr("no two-factor code typed")
	}
	return codeErr(c.LoginCode(ctx, f.user, password, code))
}

// codeErr adds to a two-factor refusal what to do on the command line.
func codeErr(err error) error {
	var need *portal.ErrCodeRequired
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
// pipe. The value is never printed.
func portalReadSecret(d Deps, in *bufio.Reader, prompt string) (string, error) {
	if f, ok := d.Stdin.(*os.File); ok && stdinIsTerminal(d) && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(d.Stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(d.Stderr)
		if err != nil {
			return "", usageErr("read from the terminal: %v", err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	if stdinIsTerminal(d) {
		fmt.Fprint(d.Stderr, prompt)
	}
	s, err := portalReadLine(in)
	if err != nil {
		return "", usageErr("read stdin: %v", err)
	}
	return strings.TrimSpace(s), nil
}

func portalReadLine(in *bufio.Reader) (string, error) {
	s, err := in.ReadString('\n')
	if err != nil && (err != io.EOF || s == "") {
		return "", err
	}
	return strings.TrimRight(s, "\r\n"), nil
}

type portalStatusJSON struct {
	URL      string         `json:"url"`
	Product  portal.Product `json:"product"`
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
			list, err := portalList()
			if err != nil {
				return err
			}
			entries, err := list.Load()
			if err != nil {
				return failErr("%v", err)
			}
			out := portalStatuses(cmd.Context(), d, entries)
			if asJSON {
				return writeJSON(d.Stdout, out)
			}
			if len(out) == 0 {
				fmt.Fprintln(d.Stdout, "No portal yet: run 'keywizard portal login URL'.")
				return nil
			}
			for _, s := range out {
				fmt.Fprintf(d.Stdout, "%s  %s  %s\n", s.URL, productVersion(portal.Info{Product: s.Product, Version: s.Version}), describeSession(s))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func portalStatuses(ctx context.Context, d Deps, entries []portal.Entry) []portalStatusJSON {
	out := make([]portalStatusJSON, 0, len(entries))
	var store wizard.SecretStore
	if d.Store != nil {
		store, _ = d.Store(ctx)
	}
	for _, e := range entries {
		s := portalStatusJSON{URL: e.URL, Product: e.Product, Version: e.Version, User: e.User, Auth: "password"}
		if e.APIKey {
			s.Auth = "api-key"
		}
		if store == nil {
			s.Note = "the secret store is not available"
			out = append(out, s)
			continue
		}
		sess, err := portal.LoadSession(ctx, store, e.Key())
		switch {
		case err != nil:
			s.Note = err.Error()
		case sess.Token == "":
			s.Note = "signed out"
		default:
			s.LoggedIn = sess.Valid(time.Now())
			if !sess.Expires.IsZero() {
				exp := sess.Expires
				s.Expires = &exp
			}
			if !s.LoggedIn {
				s.Note = "session expired"
			}
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
			list, err := portalList()
			if err != nil {
				return err
			}
			entries, err := list.Load()
			if err != nil {
				return failErr("%v", err)
			}
			if len(args) == 1 {
				e, ok := portal.Find(entries, args[0])
				if !ok {
					return usageErr("%s is not a remembered portal: run 'keywizard portal status' for the list", args[0])
				}
				entries = []portal.Entry{e}
			}
			if len(entries) == 0 {
				fmt.Fprintln(d.Stdout, "No portal to sign out of.")
				return nil
			}
			store, err := portalStore(cmd.Context(), d)
			if err != nil {
				return err
			}
			for _, e := range entries {
				if err := portal.ForgetSession(cmd.Context(), store, e.Key()); err != nil {
					return failErr("%v", err)
				}
				if forget {
					if _, err := list.Remove(e.URL); err != nil {
						return failErr("%v", err)
					}
					fmt.Fprintf(d.Stdout, "Signed out of %s and forgot it.\n", e.URL)
					continue
				}
				fmt.Fprintf(d.Stdout, "Signed out of %s.\n", e.URL)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&forget, "forget", false, "also remove the portal from the list")
	return cmd
}

// portalConn is a portal ready for use, or why it is not.
type portalConn struct {
	entry  portal.Entry
	client *portal.Client
	err    error
}

// connectPortals opens the chosen portals: the one named by --portal, else every
// remembered portal with a session (or a password to renew it).
func connectPortals(ctx context.Context, d Deps, store wizard.SecretStore, only string) ([]portalConn, error) {
	list, err := portalList()
	if err != nil {
		return nil, err
	}
	entries, err := list.Load()
	if err != nil {
		return nil, failErr("%v", err)
	}
	if only != "" {
		e, ok := portal.Find(entries, only)
		if !ok {
			return nil, usageErr("not signed in to %s: run 'keywizard portal login %s' first", only, only)
		}
		entries = []portal.Entry{e}
	}
	var out []portalConn
	for _, e := range entries {
		sess, err := portal.LoadSession(ctx, store, e.Key())
		if err != nil {
			return nil, failErr("%v", err)
		}
		pw := ""
		if e.User != "" {
			if pw, err = portal.LoadPassword(ctx, store, e.Key()); err != nil {
				return nil, failErr("%v", err)
			}
		}
		if sess.Token == "" && pw == "" && only == "" {
			continue // signed out
		}
		out = append(out, openPortal(ctx, store, list, e, sess, pw))
	}
	if len(out) == 0 {
		return nil, usageErr("not signed in to any portal: run 'keywizard portal login URL' first")
	}
	return out, nil
}

// openPortal detects the portal again (an upgrade changes the length limit) and
// renews an expired session with the stored password when it can.
func openPortal(ctx context.Context, store wizard.SecretStore, list portal.List, e portal.Entry, sess portal.Session, password string) portalConn {
	conn := portalConn{entry: e}
	c, err := portal.New(e.URL, portal.Options{CAFile: e.CAFile, Timeout: portalTimeout})
	if err != nil {
		conn.err = err
		return conn
	}
	info, err := c.Detect(ctx)
	if err != nil {
		conn.err = err
		return conn
	}
	if info != (portal.Info{Product: e.Product, Version: e.Version}) {
		e.Product, e.Version = info.Product, info.Version
		_ = list.Put(e) // only a cache of what detection says
	}
	c.SetSession(sess)
	if sess.Valid(time.Now()) {
		// The portal may have ended the session early (sign-out
		// elsewhere, restart): ask before relying on it.
		switch err := c.CheckSession(ctx); {
		case errors.Is(err, portal.ErrNotSignedIn):
			sess = portal.Session{}
		case err != nil:
			conn.err = err
			return conn
		}
	}
	if !sess.Valid(time.Now()) {
		if password == "" {
			conn.err = fmt.Errorf("the session for %s expired: run 'keywizard portal login %s' again", e.URL, e.URL)
			return conn
		}
		if err := c.Login(ctx, e.User, password); err != nil {
			conn.err = fmt.Errorf("the session for %s expired and signing in again failed (%w): run 'keywizard portal login %s'", e.URL, err, e.URL)
			return conn
		}
		_ = portal.SaveSession(ctx, store, c.Key(), c.Session(), "")
	}
	conn.client = c
	return conn
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

// pushJob is one service to push.
type pushJob struct {
	p       providers.Provider
	values  map[string]string
	invalid string // offline or online check failure, when refused
	note    string // the online check gave no verdict: said with the result
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
	store, err := portalStore(ctx, d)
	if err != nil {
		return err
	}
	jobs, err := pushJobs(ctx, d, store, args, f)
	if err != nil {
		return err
	}
	conns, err := connectPortals(ctx, d, store, f.portalURL)
	if err != nil {
		return err
	}
	results := pushToAll(ctx, conns, jobs, f)
	if !f.dryRun {
		for _, rs := range results {
			for _, r := range rs {
				if r.OK || r.Unreachable || r.Restored || r.Changed {
					recordOutcome(d, r.Service, "push", r.OK, r.Message)
				}
			}
		}
	}
	return reportPush(d, results, len(conns) > 1, f)
}

func pushJobs(ctx context.Context, d Deps, store wizard.SecretStore, args []string, f portalPushFlags) ([]pushJob, error) {
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
	var jobs []pushJob
	for _, p := range ps {
		var values map[string]string
		var err error
		if f.valuesPath != "" {
			values, err = readValues(d, p, f.valuesPath)
		} else {
			values, err = storedKeys(ctx, store, p)
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
		j := pushJob{p: p, values: values}
		if v := validation(p, values); !v.OK && !f.force {
			j.invalid = invalidMessage(v)
		}
		jobs = append(jobs, j)
	}
	if len(jobs) == 0 {
		return nil, usageErr("no service has stored keys: store some first")
	}
	if !f.force {
		checkBeforePush(ctx, d, jobs)
	}
	return jobs, nil
}

// checkBeforePush runs the online check of every job that passed the
// offline checks, all at once (the checker bounds how many run together).
// Keys the service rejects are not pushed; a check that reaches no verdict
// (service unreachable, answer unreadable) does not stop the push but is
// reported with it.
func checkBeforePush(ctx context.Context, d Deps, jobs []pushJob) {
	if d.Checker == nil {
		return
	}
	online := map[string]map[string]string{}
	for _, j := range jobs {
		if j.invalid == "" {
			online[j.p.ID] = j.values
		}
	}
	if len(online) == 0 {
		return
	}
	results := checkMany(ctx, d.Checker, online)
	for i := range jobs {
		r, ok := results[jobs[i].p.ID]
		switch {
		case !ok || r.OK:
		case r.Unreachable || r.Certainty == wizard.Uncertain:
			jobs[i].note = "the online check gave no verdict (" + r.Message + ")"
		default:
			jobs[i].invalid = "not sent: the online check failed: " + r.Message + "; fix the keys (see 'keywizard check " + jobs[i].p.ID + "'), or pass --force to push anyway"
		}
	}
}

func storedKeys(ctx context.Context, store wizard.SecretStore, p providers.Provider) (map[string]string, error) {
	values := map[string]string{}
	for _, fd := range p.Fields {
		v, err := store.Get(ctx, p.ID, fd.ID)
		if err != nil {
			if isNotFound(err) {
				continue
			}
			return nil, failErr("read %s from %s: %v", p.ID, store.Where(), err)
		}
		values[fd.ID] = v
	}
	return values, nil
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

// pushToAll runs every job on every portal: portals in parallel, one
// service after the other on each portal.
func pushToAll(ctx context.Context, conns []portalConn, jobs []pushJob, f portalPushFlags) [][]portal.Result {
	out := make([][]portal.Result, len(conns))
	var wg sync.WaitGroup
	for i, conn := range conns {
		wg.Go(func() {
			for _, j := range jobs {
				r := pushOne(ctx, conn, j, f)
				r.Portal = conn.entry.URL
				if r.Service != "" {
					out[i] = append(out[i], r)
				}
			}
		})
	}
	wg.Wait()
	return out
}

func pushOne(ctx context.Context, conn portalConn, j pushJob, f portalPushFlags) portal.Result {
	r := portal.Result{Service: j.p.ID}
	switch {
	case conn.err != nil:
		r.Message = conn.err.Error()
		r.Unreachable = errors.Is(conn.err, portal.ErrUnreachable) || errors.Is(conn.err, portal.ErrPortalFailed)
		return r
	case f.all:
		// --all pushes only what this product offers.
		if _, err := portal.Consumer(j.p, conn.client.Info().Product); err != nil {
			return portal.Result{}
		}
	}
	if j.invalid != "" {
		if f.all {
			// Only a read: whether this version offers the service at all.
			if dry := conn.client.Push(ctx, j.p, j.values, portal.PushOptions{DryRun: true}); dry.NotOffered {
				return portal.Result{}
			}
		}
		r.Message = j.invalid
		return r
	}
	res := conn.client.Push(ctx, j.p, j.values, portal.PushOptions{DryRun: f.dryRun})
	if f.all && res.NotOffered {
		return portal.Result{} // nor what this version of it dropped
	}
	if j.note != "" {
		res.Message += "; " + j.note
	}
	return res
}

type pushJSON struct {
	Portal   string          `json:"portal,omitempty"`
	Service  string          `json:"service"`
	OK       bool            `json:"ok"`
	Changed  bool            `json:"changed"`
	Restored bool            `json:"restored"`
	Message  string          `json:"message"`
	Diff     []portal.Change `json:"diff,omitempty"`
}

func reportPush(d Deps, results [][]portal.Result, several bool, f portalPushFlags) error {
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
			store, err := portalStore(ctx, d)
			if err != nil {
				return err
			}
			conns, err := connectPortals(ctx, d, store, only)
			if err != nil {
				return err
			}
			var out []serviceStatusJSON
			var firstErr error
			for _, conn := range conns {
				rows, err := servicesOnPortal(ctx, store, conn)
				if err != nil {
					fmt.Fprintf(d.Stderr, "keywizard: %s: %v\n", conn.entry.URL, err)
					if firstErr == nil {
						firstErr = err
					}
					continue
				}
				for _, r := range rows {
					if len(conns) > 1 {
						r.Portal = conn.entry.URL
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

func servicesOnPortal(ctx context.Context, store wizard.SecretStore, conn portalConn) ([]serviceStatusJSON, error) {
	if conn.err != nil {
		return nil, conn.err
	}
	states, err := conn.client.ReadAll(ctx)
	if err != nil {
		return nil, err
	}
	var rows []serviceStatusJSON
	for _, p := range providers.All() {
		cons, err := portal.Consumer(p, conn.client.Info().Product)
		if err != nil {
			continue
		}
		local, err := storedKeys(ctx, store, p)
		if err != nil {
			return nil, err
		}
		row := serviceStatusJSON{Service: p.ID, Stored: []string{}}
		for _, fd := range p.Fields {
			if _, ok := local[fd.ID]; ok {
				row.Stored = append(row.Stored, fd.ID)
			}
		}
		sort.Strings(row.Stored)
		row.Local = localKeysState(p, local)
		row.State = portalKeysState(p, cons, states[strings.ToLower(cons.Name)], local)
		row.Expiry = statusExpiry(p, local)
		rows = append(rows, row)
	}
	return rows, nil
}

// localKeysState says whether every required field is stored.
func localKeysState(p providers.Provider, local map[string]string) string {
	if len(local) == 0 {
		return "none"
	}
	for _, fd := range p.Fields {
		if !fd.Optional && local[fd.ID] == "" {
			return "partly stored"
		}
	}
	return "stored"
}

// portalKeysState says how the portal's keys compare with the stored ones.
func portalKeysState(p providers.Provider, cons *providers.Consumer, s portal.State, local map[string]string) string {
	switch {
	case !s.Offered:
		return "not offered"
	case !s.CanSet:
		return "fixed by the server"
	case !s.IsSet():
		return "not set"
	}
	partly, differs, unsure := false, false, false
	for _, name := range cons.Props {
		if f, ok := p.Field(name); ok && f.Local {
			continue
		}
		if s.Values[name] == "" {
			partly = true
		}
		want, ok := local[name]
		if !ok {
			continue
		}
		switch portal.CompareValue(s, name, want) {
		case portal.Different:
			differs = true
		case portal.Unsure:
			unsure = true
		}
	}
	switch {
	case differs:
		return "differs"
	case unsure:
		return "set (could not be compared exactly)"
	case partly:
		return "partly set"
	}
	return "set"
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
