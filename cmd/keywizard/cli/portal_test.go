package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/portal"
	"keywizard/wizard/portal/portaltest"
	"keywizard/wizard/secrets"
)

// portalTestStore is an in-memory wizard.SecretStore.
type portalTestStore struct {
	mu sync.Mutex
	m  map[[3]string]string
}

func (s *portalTestStore) key(service, field string) [3]string { return [3]string{service, field} }

func (s *portalTestStore) Get(_ context.Context, service, field string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[s.key(service, field)]
	if !ok {
		return "", secrets.ErrNotFound
	}
	return v, nil
}

func (s *portalTestStore) Set(_ context.Context, service, field, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[s.key(service, field)] = value
	return nil
}

func (s *portalTestStore) Delete(_ context.Context, service, field string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, s.key(service, field))
	return nil
}

func (s *portalTestStore) Where() string { return "the test store" }

// dump returns every stored value, to look for leaks elsewhere.
func (s *portalTestStore) values() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, v := range s.m {
		out = append(out, v)
	}
	return out
}

// envPortals is the portal engine of the test that called portalEnv,
// over its temporary folder; nil otherwise.
var envPortals *portal.Engine

// portalEnv points the portal engine that the test's commands use at a
// temporary folder and returns an empty store.
func portalEnv(t *testing.T) *portalTestStore {
	t.Helper()
	envPortals = &portal.Engine{Dir: t.TempDir(), Timeout: 2 * time.Second}
	t.Cleanup(func() { envPortals = nil })
	return &portalTestStore{m: map[[3]string]string{}}
}

// testPortals is the engine for a test's Deps.Portals.
func testPortals() wizard.Portals {
	if envPortals == nil {
		return nil
	}
	return *envPortals
}

// testPortalList is the list of remembered portals portalEnv set up.
func testPortalList() portal.List { return portal.List{Dir: envPortals.Dir} }

func runPortal(t *testing.T, store wizard.SecretStore, stdin string, terminal bool, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	d := Deps{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Version: "test",
		IsTerminal: func() bool { return terminal },
		Store:      func(context.Context) (wizard.SecretStore, error) { return store, nil },
		Portals:    testPortals(),
	}
	code := Run(context.Background(), args, d)
	return out.String(), errb.String(), code
}

func login(t *testing.T, store wizard.SecretStore, srv *portaltest.Server, flags ...string) {
	t.Helper()
	args := append([]string{"portal", "login", srv.URL, "--user", portaltest.DefaultUser, "--password-stdin"}, flags...)
	out, errOut, code := runPortal(t, store, portaltest.DefaultPassword+"\n", false, args...)
	if code != 0 {
		t.Fatalf("login: exit %d\n%s%s", code, out, errOut)
	}
}

// examples returns a service's example values, which pass its checks.
func examples(t *testing.T, id string) map[string]string {
	t.Helper()
	p, ok := providers.Lookup(id)
	if !ok {
		t.Fatalf("no provider %s", id)
	}
	out := map[string]string{}
	for _, f := range p.Fields {
		if f.Example != "" {
			out[f.ID] = f.Example
		}
	}
	return out
}

func storeKeys(t *testing.T, store wizard.SecretStore, id string, values map[string]string) {
	t.Helper()
	for k, v := range values {
		if err := store.Set(context.Background(), id, k, v); err != nil {
			t.Fatal(err)
		}
	}
}

// portalSent is what the portal should hold for values: the product's
// props only.
func portalSent(t *testing.T, id string, product portal.Product, values map[string]string) map[string]string {
	t.Helper()
	p, _ := providers.Lookup(id)
	cons, err := portal.Consumer(p, product)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, name := range cons.Props {
		if f, ok := p.Field(name); ok && f.Local {
			continue
		}
		out[name] = values[name]
	}
	return out
}

func holds(got, want map[string]string) bool {
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

var oldGoogle = map[string]string{"googleClientId": "999-old.apps.googleusercontent.com", "googleClientSecret": "GOCSPX-previous-secret-000000000"}

func TestPortalLogin(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace})
	out, errOut, code := runPortal(t, store, portaltest.DefaultPassword+"\n", false, "portal", "login", srv.URL, "--user", portaltest.DefaultUser, "--password-stdin")
	if code != 0 || !strings.Contains(out, "ONLYOFFICE DocSpace 3.7.2") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, portaltest.DefaultPassword) {
		t.Fatal("password echoed")
	}
	dir := envPortals.Dir
	data, err := os.ReadFile(filepath.Join(dir, "portals.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range store.values() {
		if secret != "password" && strings.Contains(string(data), secret) {
			t.Fatalf("secret %q in portals.json", secret)
		}
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if tok, err := store.Get(context.Background(), "portal:"+host, "token"); err != nil || tok == "" {
		t.Fatalf("no token under portal:%s", host)
	}

	out, _, code = runPortal(t, store, "", false, "portal", "status", "--json")
	var st []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || len(st) != 1 || st[0]["logged_in"] != true || st[0]["product"] != "docspace" || st[0]["expires"] == nil {
		t.Fatalf("status: exit %d\n%s", code, out)
	}

	out, _, code = runPortal(t, store, "", false, "portal", "logout")
	if code != 0 || !strings.Contains(out, "Signed out") {
		t.Fatalf("logout: exit %d %s", code, out)
	}
	if len(store.values()) != 0 {
		t.Fatalf("left in the store: %d values", len(store.values()))
	}
	out, _, _ = runPortal(t, store, "", false, "portal", "status")
	if !strings.Contains(out, "not signed in") {
		t.Fatalf("status after logout: %s", out)
	}
	_, errOut, code = runPortal(t, store, "", false, "push", "google")
	if code != ExitUsage {
		t.Fatalf("push while signed out: exit %d %s", code, errOut)
	}
}

func TestPortalLoginErrors(t *testing.T) {
	store := portalEnv(t)
	ws := portaltest.New(t, portaltest.Config{Product: portaltest.Workspace})
	gone := portaltest.New(t, portaltest.Config{})
	goneURL := gone.URL
	gone.Close()
	for _, tt := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		msg   string
	}{
		{"wrong password", "nope\n", []string{ws.URL, "--user", portaltest.DefaultUser, "--password-stdin"}, ExitInvalid, "refused the e-mail or password"},
		{"unreachable", "pw\n", []string{goneURL, "--user", portaltest.DefaultUser, "--password-stdin"}, ExitFailed, "could not reach"},
		{"plain http", "pw\n", []string{"http://portal.example.com", "--user", "a@b.c", "--password-stdin"}, ExitUsage, "https://"},
		{"no password flag off a terminal", "", []string{ws.URL, "--user", portaltest.DefaultUser}, ExitUsage, "--password-stdin"},
		{"no user", "pw\n", []string{ws.URL, "--password-stdin"}, ExitUsage, "--user"},
		{"api key on workspace", "key\n", []string{ws.URL, "--api-key-stdin"}, ExitInvalid, "only in DocSpace"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runPortal(t, store, tt.stdin, false, append([]string{"portal", "login"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, tt.msg) {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, errOut)
			}
		})
	}
}

func TestPortalLoginTwoFactor(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{Product: portaltest.Workspace, TwoFactor: portaltest.SMS})
	args := []string{"portal", "login", srv.URL, "--user", portaltest.DefaultUser, "--password-stdin"}
	_, errOut, code := runPortal(t, store, portaltest.DefaultPassword+"\n", false, args...)
	if code != ExitInvalid || !strings.Contains(errOut, "--code") || !strings.Contains(errOut, portaltest.PhoneNoise) {
		t.Fatalf("no code: exit %d %s", code, errOut)
	}
	_, errOut, code = runPortal(t, store, portaltest.DefaultPassword+"\n", false, append(args, "--code", "000000")...)
	if code != ExitInvalid || !strings.Contains(errOut, "two-factor code") {
		t.Fatalf("wrong code: exit %d %s", code, errOut)
	}
	out, errOut, code := runPortal(t, store, portaltest.DefaultPassword+"\n", false, append(args, "--code", portaltest.DefaultCode)...)
	if code != 0 {
		t.Fatalf("with code: exit %d %s%s", code, out, errOut)
	}

	// On a terminal: the password and then the code are asked for.
	app := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace, TwoFactor: portaltest.App})
	out, errOut, code = runPortal(t, store, portaltest.DefaultPassword+"\n"+portaltest.DefaultCode+"\n", true, "portal", "login", app.URL, "--user", portaltest.DefaultUser)
	if code != 0 || !strings.Contains(errOut, "Two-factor code:") || strings.Contains(out+errOut, portaltest.DefaultPassword) {
		t.Fatalf("terminal: exit %d\n%s%s", code, out, errOut)
	}

	// Set-up needed: the key is never shown.
	setup := portaltest.New(t, portaltest.Config{TwoFactor: portaltest.AppSetup})
	out, errOut, code = runPortal(t, store, portaltest.DefaultPassword+"\n", false, "portal", "login", setup.URL, "--user", portaltest.DefaultUser, "--password-stdin")
	if code != ExitInvalid || !strings.Contains(errOut, "browser") || strings.Contains(out+errOut, portaltest.SetupKey) {
		t.Fatalf("setup: exit %d %s%s", code, out, errOut)
	}
}

func TestPortalAPIKeyAndCA(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{TLS: true})
	_, errOut, code := runPortal(t, store, portaltest.DefaultAPIKey+"\n", false, "portal", "login", srv.URL, "--api-key-stdin")
	if code != ExitFailed {
		t.Fatalf("untrusted certificate: exit %d %s", code, errOut)
	}
	out, errOut, code := runPortal(t, store, portaltest.DefaultAPIKey+"\n", false, "portal", "login", srv.URL, "--api-key-stdin", "--ca-file", srv.CAFile(t))
	if code != 0 || strings.Contains(out+errOut, portaltest.DefaultAPIKey) {
		t.Fatalf("exit %d %s%s", code, out, errOut)
	}
	storeKeys(t, store, "google", examples(t, "google"))
	out, errOut, code = runPortal(t, store, "", false, "push", "google", "--json")
	if code != 0 {
		t.Fatalf("push over the private CA: exit %d %s%s", code, out, errOut)
	}
	out, _, _ = runPortal(t, store, "", false, "portal", "status")
	if !strings.Contains(out, "signed in (API key)") {
		t.Fatal(out)
	}
	// Signing in again without --ca-file keeps the remembered authority.
	out, errOut, code = runPortal(t, store, portaltest.DefaultAPIKey+"\n", false, "portal", "login", srv.URL, "--api-key-stdin")
	if code != 0 {
		t.Fatalf("second sign-in without --ca-file: exit %d %s%s", code, out, errOut)
	}
	out, _, _ = runPortal(t, store, "", false, "push", "google", "--json")
	if !strings.Contains(out, `"ok": true`) && !strings.Contains(out, `"ok":true`) {
		t.Fatalf("push after signing in again: %s", out)
	}
}

func TestPushJSON(t *testing.T) {
	for _, product := range []portaltest.Product{portaltest.DocSpace, portaltest.Workspace} {
		t.Run(string(product), func(t *testing.T) {
			store := portalEnv(t)
			srv := portaltest.New(t, portaltest.Config{Product: product})
			login(t, store, srv)
			values := examples(t, "google")
			storeKeys(t, store, "google", values)
			out, errOut, code := runPortal(t, store, "", false, "push", "google", "--json")
			if code != 0 {
				t.Fatalf("exit %d %s%s", code, out, errOut)
			}
			var res []map[string]any
			if err := json.Unmarshal([]byte(out), &res); err != nil || len(res) != 1 {
				t.Fatalf("%v\n%s", err, out)
			}
			var keys []string
			for k := range res[0] {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if strings.Join(keys, ",") != "changed,diff,message,ok,restored,service" {
				t.Fatalf("keys %v", keys)
			}
			if res[0]["service"] != "google" || res[0]["ok"] != true || res[0]["changed"] != true || res[0]["restored"] != false {
				t.Fatalf("%s", out)
			}
			if strings.Contains(out, values["googleClientSecret"]) {
				t.Fatal("secret in the output")
			}
			if !holds(srv.Keys("google"), portalSent(t, "google", portal.Product(product), values)) {
				t.Fatalf("portal holds %v", srv.Keys("google"))
			}
		})
	}
}

func TestPushDryRunAndStatus(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{Product: portaltest.Workspace})
	login(t, store, srv)
	srv.SetKeys("Google", oldGoogle)
	storeKeys(t, store, "google", examples(t, "google"))

	out, _, code := runPortal(t, store, "", false, "status", "--json")
	var st []serviceStatusJSON
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil {
		t.Fatalf("status: exit %d %s", code, out)
	}
	states := map[string]serviceStatusJSON{}
	for _, s := range st {
		states[s.Service] = s
	}
	if g := states["google"]; g.State != "differs" || g.Local != "stored" || len(g.Stored) != 3 {
		t.Fatalf("google %+v", g)
	}
	if tg, ok := states["telegram"]; ok && tg.State != "not set" {
		t.Fatalf("telegram %+v", tg)
	}

	out, _, code = runPortal(t, store, "", false, "push", "google", "--dry-run")
	if code != 0 || !strings.Contains(out, "dry run") || !strings.Contains(out, "googleClientSecret: GOCS**** -> GOCS****") || len(srv.SaveRequests()) != 0 {
		t.Fatalf("dry run: exit %d\n%s", code, out)
	}
	if code := runCode(t, store, "push", "google"); code != 0 {
		t.Fatalf("push: exit %d", code)
	}
	out, _, _ = runPortal(t, store, "", false, "status")
	if !strings.Contains(out, "google") || !regexpLine(out, "google", "portal: set") {
		t.Fatalf("status after push:\n%s", out)
	}
}

func runCode(t *testing.T, store wizard.SecretStore, args ...string) int {
	t.Helper()
	_, _, code := runPortal(t, store, "", false, args...)
	return code
}

func regexpLine(out, prefix, want string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix+" ") && strings.HasSuffix(l, want) {
			return true
		}
	}
	return false
}

func TestPushRefusesInvalidKeys(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{})
	login(t, store, srv)
	storeKeys(t, store, "google", map[string]string{"googleClientId": "not-a-client-id", "googleClientSecret": "GOCSPX-AbCdEfGhIjKlMnOpQrStUvWxYz12"})
	out, _, code := runPortal(t, store, "", false, "push", "google")
	if code != ExitInvalid || !strings.Contains(out, "offline checks") || len(srv.SaveRequests()) != 0 {
		t.Fatalf("exit %d %s", code, out)
	}
	if code := runCode(t, store, "push", "google", "--force"); code != 0 || !srv.IsSet("google") {
		t.Fatalf("--force: exit %d", code)
	}
}

// TestPushFaults: whatever breaks mid-push, the portal ends with the new
// keys or the previous ones, never empty, and the command says which.
func TestPushFaults(t *testing.T) {
	for _, tt := range []struct {
		name   string
		kind   portaltest.FaultKind
		effect portaltest.Effect
		newer  bool
	}{
		{"500 cleared", portaltest.Fail500, portaltest.Cleared, false},
		{"timeout partial", portaltest.Hang, portaltest.Partial, false},
		{"reset nothing", portaltest.Reset, portaltest.Nothing, false},
		{"reset applied", portaltest.Reset, portaltest.Applied, true},
	} {
		for _, product := range []portaltest.Product{portaltest.DocSpace, portaltest.Workspace} {
			t.Run(string(product)+"/"+tt.name, func(t *testing.T) {
				store := portalEnv(t)
				srv := portaltest.New(t, portaltest.Config{Product: product})
				login(t, store, srv)
				srv.SetKeys("google", oldGoogle)
				values := examples(t, "google")
				storeKeys(t, store, "google", values)
				srv.FailSave(tt.kind, 1, tt.effect)
				out, errOut, code := runPortal(t, store, "", false, "push", "google", "--json")
				var res []pushJSON
				if err := json.Unmarshal([]byte(out), &res); err != nil || len(res) != 1 {
					t.Fatalf("exit %d %v\n%s%s", code, err, out, errOut)
				}
				got := srv.Keys("google")
				if tt.newer {
					if code != 0 || !res[0].OK || !holds(got, portalSent(t, "google", portal.Product(product), values)) {
						t.Fatalf("exit %d %+v, portal %v", code, res[0], got)
					}
					return
				}
				// A 500, a timeout or a reset is the portal or the network
				// failing, not the keys being refused: exit code 3.
				if code != ExitFailed || res[0].OK || !holds(got, oldGoogle) {
					t.Fatalf("exit %d %+v, portal %v", code, res[0], got)
				}
				restored := tt.effect != portaltest.Nothing
				if res[0].Restored != restored {
					t.Fatalf("%+v", res[0])
				}
				if restored && !strings.Contains(res[0].Message, "restored the previous keys") || !restored && !strings.Contains(res[0].Message, "still holds the previous keys") {
					t.Fatalf("message %q", res[0].Message)
				}
			})
		}
	}
}

func TestPushBadKeysText(t *testing.T) {
	if _, ok := providers.Lookup("telegram"); !ok {
		t.Skip("no telegram in the catalogue")
	}
	p, _ := providers.Lookup("telegram")
	if p.Portal.DocSpace == nil {
		t.Skip("telegram has no DocSpace consumer yet")
	}
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{})
	login(t, store, srv)
	old := map[string]string{"telegramBotToken": "1111111111:AAold-token-value-0000000000000000", "telegramBotName": "old_bot"}
	srv.SetKeys("telegram", old)
	values := examples(t, "telegram")
	storeKeys(t, store, "telegram", values)
	srv.MarkBad(values["telegramBotToken"])
	out, _, code := runPortal(t, store, "", false, "push", "telegram")
	if code != ExitInvalid || !strings.HasPrefix(out, "UNDO ") || !strings.Contains(out, "Bad keys") || !strings.Contains(out, "restored the previous keys") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if !holds(srv.Keys("telegram"), old) {
		t.Fatalf("portal %v", srv.Keys("telegram"))
	}
}

func TestPushSeveralPortals(t *testing.T) {
	store := portalEnv(t)
	ds := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace})
	ws := portaltest.New(t, portaltest.Config{Product: portaltest.Workspace})
	login(t, store, ds)
	login(t, store, ws)
	storeKeys(t, store, "google", examples(t, "google"))
	out, _, code := runPortal(t, store, "", false, "push", "--all", "--json")
	var res []pushJSON
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res) != 2 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	seen := map[string]bool{}
	for _, r := range res {
		seen[r.Portal] = r.OK && r.Service == "google"
	}
	if !seen[ds.URL] || !seen[ws.URL] {
		t.Fatalf("%s", out)
	}
	// --portal picks one; an unreachable portal gives exit code 3.
	ws.Close()
	if code := runCode(t, store, "push", "google", "--portal", ds.URL); code != 0 {
		t.Fatalf("--portal: exit %d", code)
	}
	out, _, code = runPortal(t, store, "", false, "push", "google", "--portal", ws.URL)
	if code != ExitFailed || !strings.Contains(out, "could not reach") {
		t.Fatalf("unreachable: exit %d %s", code, out)
	}
	if code := runCode(t, store, "status", "--portal", ws.URL); code != ExitFailed {
		t.Fatalf("status unreachable: exit %d", code)
	}
}

func TestPushUsage(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{})
	login(t, store, srv)
	for _, args := range [][]string{
		{"push"},
		{"push", "google", "--all"},
		{"push", "nosuchservice"},
		{"push", "google"}, // nothing stored
		{"push", "google", "--portal", "https://other.example.com"},
	} {
		if code := runCode(t, store, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}

func TestExpiredSessionRenewed(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{Product: portaltest.Workspace})
	login(t, store, srv, "--remember-password")
	storeKeys(t, store, "google", examples(t, "google"))
	host := strings.TrimPrefix(srv.URL, "http://")
	// Expired by the clock.
	_ = store.Set(context.Background(), "portal:"+host, "expires", time.Now().Add(-time.Minute).UTC().Format(time.RFC3339))
	if code := runCode(t, store, "push", "google", "--dry-run"); code != 0 {
		t.Fatalf("exit %d", code)
	}
	// Ended by the portal while the stored expiry still says "valid".
	srv.ExpireSessions()
	if code := runCode(t, store, "push", "google"); code != 0 {
		t.Fatalf("exit %d", code)
	}
	// Without a password to renew it, the command says to sign in again.
	srv.ExpireSessions()
	_ = store.Delete(context.Background(), "portal:"+host, "password")
	out, _, code := runPortal(t, store, "", false, "push", "google")
	if code != ExitInvalid || !strings.Contains(out, "portal login") {
		t.Fatalf("exit %d %s", code, out)
	}
}

func TestPortalUnknownSubcommand(t *testing.T) {
	store := portalEnv(t)
	_, errOut, code := runPortal(t, store, "", false, "portal", "bogus")
	if code != ExitUsage || !strings.Contains(errOut, `unknown command "bogus"`) {
		t.Fatalf("exit %d %s", code, errOut)
	}
	out, _, code := runPortal(t, store, "", false, "portal")
	if code != 0 || !strings.Contains(out, "login") {
		t.Fatalf("group without a subcommand: exit %d %s", code, out)
	}
}

func TestPortalLogoutEvery(t *testing.T) {
	store := portalEnv(t)
	ds := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace})
	ws := portaltest.New(t, portaltest.Config{Product: portaltest.Workspace})
	login(t, store, ds)
	login(t, store, ws)
	out, errOut, code := runPortal(t, store, "", false, "portal", "logout")
	if code != 0 || strings.Count(out, "Signed out of") != 2 || len(store.values()) != 0 {
		t.Fatalf("exit %d %s%s; %d left in the store", code, out, errOut, len(store.values()))
	}
	out, _, code = runPortal(t, store, "", false, "portal", "status", "--json")
	var st []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || len(st) != 2 || st[0]["logged_in"] != false || st[1]["logged_in"] != false {
		t.Fatalf("status after logout: %s", out)
	}
	if _, _, code := runPortal(t, store, "", false, "portal", "logout", "https://other.example.com"); code != ExitUsage {
		t.Fatalf("unknown portal: exit %d", code)
	}
}

func TestPortalLoginCodeCases(t *testing.T) {
	store := portalEnv(t)
	// --code on an account without two-factor authentication.
	plain := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace})
	_, errOut, code := runPortal(t, store, portaltest.DefaultPassword+"\n", false, "portal", "login", plain.URL, "--user", portaltest.DefaultUser, "--password-stdin", "--code", "123456")
	if code != 0 {
		t.Fatalf("code not needed: exit %d %s", code, errOut)
	}
	// Every two-factor stop without a terminal names --code.
	for _, tfa := range []portaltest.TwoFactor{portaltest.App, portaltest.SMS, portaltest.AppSetup, portaltest.SMSNoPhone} {
		for _, product := range []portaltest.Product{portaltest.DocSpace, portaltest.Workspace} {
			srv := portaltest.New(t, portaltest.Config{Product: product, TwoFactor: tfa})
			out, errOut, code := runPortal(t, store, portaltest.DefaultPassword+"\n", false, "portal", "login", srv.URL, "--user", portaltest.DefaultUser, "--password-stdin")
			if code != ExitInvalid || !strings.Contains(errOut, "--code") || strings.Contains(out+errOut, portaltest.SetupKey) {
				t.Errorf("%s/%d: exit %d %s%s", product, tfa, code, out, errOut)
			}
		}
	}
	// A wrong password with a code is reported as a wrong password.
	app := portaltest.New(t, portaltest.Config{Product: portaltest.Workspace, TwoFactor: portaltest.App})
	_, errOut, code = runPortal(t, store, "wrong\n", false, "portal", "login", app.URL, "--user", portaltest.DefaultUser, "--password-stdin", "--code", portaltest.DefaultCode)
	if code != ExitInvalid || !strings.Contains(errOut, "e-mail or password") {
		t.Fatalf("wrong password: exit %d %s", code, errOut)
	}
}

func TestPortalLoginNotAdmin(t *testing.T) {
	store := portalEnv(t)
	ds := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace, NotAdmin: true})
	_, errOut, code := runPortal(t, store, portaltest.DefaultPassword+"\n", false, "portal", "login", ds.URL, "--user", portaltest.DefaultUser, "--password-stdin")
	if code != ExitInvalid || !strings.Contains(errOut, "administrator") || len(store.values()) != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	_, errOut, code = runPortal(t, store, portaltest.DefaultAPIKey+"\n", false, "portal", "login", ds.URL, "--api-key-stdin")
	if code != ExitInvalid || !strings.Contains(errOut, "administrator") {
		t.Fatalf("API key: exit %d %s", code, errOut)
	}
}

func TestPushAllSkipsWhatTheVersionDropped(t *testing.T) {
	store := portalEnv(t)
	ws := portaltest.New(t, portaltest.Config{Product: portaltest.Workspace}) // 12.7: no EasyBib
	login(t, store, ws)
	storeKeys(t, store, "google", examples(t, "google"))
	if ex := examples(t, "easybib"); len(ex) > 0 {
		storeKeys(t, store, "easybib", ex)
	}
	out, errOut, code := runPortal(t, store, "", false, "push", "--all", "--json")
	var res []pushJSON
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res) != 1 || res[0].Service != "google" {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	// Named explicitly, it is refused.
	if code := runCode(t, store, "push", "easybib"); code != ExitInvalid {
		t.Fatalf("easybib named: exit %d", code)
	}
	// Even keys that fail the offline checks are skipped, not reported.
	storeKeys(t, store, "easybib", map[string]string{"easyBibappkey": "x"})
	out, errOut, code = runPortal(t, store, "", false, "push", "--all", "--json")
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res) != 1 {
		t.Fatalf("invalid easybib keys: exit %d\n%s%s", code, out, errOut)
	}
}

func TestPushServerFailureSaysWhich(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace})
	login(t, store, srv)
	storeKeys(t, store, "google", examples(t, "google"))
	// Nothing before, and a 500 that left half the keys: removed again.
	srv.FailSave(portaltest.Fail500, 1, portaltest.Partial)
	out, _, code := runPortal(t, store, "", false, "push", "google")
	if code != ExitFailed || !strings.HasPrefix(out, "UNDO ") || !strings.Contains(out, "had no keys before and has none now") || srv.IsSet("google") {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

// The password is kept only when asked for; without it an expired session
// says to sign in again.
func TestPasswordKeptOnlyWhenAsked(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{})
	login(t, store, srv)
	host := strings.TrimPrefix(srv.URL, "http://")
	if _, err := store.Get(context.Background(), "portal:"+host, "password"); err == nil {
		t.Fatal("the password was kept without --remember-password")
	}
	storeKeys(t, store, "google", examples(t, "google"))
	srv.ExpireSessions()
	out, _, code := runPortal(t, store, "", false, "push", "google", "--dry-run")
	if code != ExitInvalid || !strings.Contains(out, "portal login") {
		t.Fatalf("expired without a password: exit %d %s", code, out)
	}
	login(t, store, srv, "--remember-password")
	if v, err := store.Get(context.Background(), "portal:"+host, "password"); err != nil || v != portaltest.DefaultPassword {
		t.Fatal("--remember-password did not keep the password")
	}
	// Signing in again without the flag forgets it.
	login(t, store, srv)
	if _, err := store.Get(context.Background(), "portal:"+host, "password"); err == nil {
		t.Fatal("a later sign-in without --remember-password kept the old password")
	}
}

// An account with two-factor sign-in is never signed in again by itself:
// each try would send an SMS.
func TestTwoFactorAccountNeverRenewed(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{TwoFactor: portaltest.SMS})
	out, errOut, code := runPortal(t, store, portaltest.DefaultPassword+"\n", false, "portal", "login", srv.URL,
		"--user", portaltest.DefaultUser, "--password-stdin", "--code", portaltest.DefaultCode, "--remember-password")
	if code != 0 {
		t.Fatalf("login: exit %d %s%s", code, out, errOut)
	}
	if !strings.Contains(out, "password was not kept") {
		t.Fatalf("login does not say the password was not kept: %s", out)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if _, err := store.Get(context.Background(), "portal:"+host, "password"); err == nil {
		t.Fatal("the password of a two-factor account was kept")
	}
	// Even a password kept earlier is not replayed.
	_ = store.Set(context.Background(), "portal:"+host, "password", portaltest.DefaultPassword)
	storeKeys(t, store, "google", examples(t, "google"))
	srv.ExpireSessions()
	before := len(srv.Requests())
	out, _, code = runPortal(t, store, "", false, "status")
	if code != ExitInvalid || !strings.Contains(out+errOut, "") {
		t.Fatalf("status with an expired two-factor session: exit %d %s", code, out)
	}
	for _, r := range srv.Requests()[before:] {
		if strings.Contains(r.Path, "authentication") {
			t.Fatalf("the portal was asked to sign in again: %s %s", r.Method, r.Path)
		}
	}
}

// After 'portal logout URL', push and status to that portal say "not
// signed in" (exit 2), not "session expired".
func TestPushAfterLogoutSaysNotSignedIn(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{})
	login(t, store, srv, "--remember-password")
	storeKeys(t, store, "google", examples(t, "google"))
	if _, _, code := runPortal(t, store, "", false, "portal", "logout", srv.URL); code != 0 {
		t.Fatalf("logout: exit %d", code)
	}
	for _, args := range [][]string{{"push", "google", "--portal", srv.URL}, {"status", "--portal", srv.URL}} {
		_, errOut, code := runPortal(t, store, "", false, args...)
		if code != ExitUsage || !strings.Contains(errOut, "not signed in") {
			t.Errorf("%v after logout: exit %d %s", args, code, errOut)
		}
	}
}

// A kept password that the portal now answers with a two-factor code is
// not a renewal: the command says what the portal did (it may have sent
// an SMS) and how to sign in again.
func TestRenewalAskingForACodeSaysWhy(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{Product: portaltest.Workspace, TwoFactor: portaltest.SMS})
	login(t, store, srv, "--code", portaltest.DefaultCode)
	// Signed in before the account had two-factor sign-in, with the
	// password kept.
	entries, err := testPortalList().Load()
	if err != nil || len(entries) != 1 {
		t.Fatalf("%v %v", entries, err)
	}
	entries[0].TwoFactor = false
	if err := testPortalList().Put(entries[0]); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	_ = store.Set(context.Background(), "portal:"+host, "password", portaltest.DefaultPassword)
	storeKeys(t, store, "google", examples(t, "google"))
	srv.ExpireSessions()
	out, errOut, code := runPortal(t, store, "", false, "push", "google")
	want := "the session for " + entries[0].URL + " expired and signing in again failed (the portal sent a two-factor code by SMS to " + portaltest.PhoneNoise + "): run 'keywizard portal login " + entries[0].URL + "'"
	if code != ExitInvalid || !strings.Contains(out, want) {
		t.Fatalf("exit %d\n%s%s\nwant %q", code, out, errOut, want)
	}
}

// A kept password the portal refuses says that signing in again failed,
// and why.
func TestRenewalRefusedSaysWhy(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace})
	login(t, store, srv, "--remember-password")
	host := strings.TrimPrefix(srv.URL, "http://")
	_ = store.Set(context.Background(), "portal:"+host, "password", "changed-since")
	storeKeys(t, store, "google", examples(t, "google"))
	srv.ExpireSessions()
	out, errOut, code := runPortal(t, store, "", false, "push", "google")
	if code != ExitInvalid || !strings.Contains(out, " expired and signing in again failed (") || !strings.Contains(out, "e-mail or password") ||
		!strings.Contains(out, "run 'keywizard portal login ") || strings.Contains(out+errOut, "changed-since") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

// Signing out needs the secret store, and says when it cannot be opened.
func TestPortalLogoutWithoutStore(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{})
	login(t, store, srv)
	for _, tc := range []struct {
		open func(context.Context) (wizard.SecretStore, error)
		want string
	}{
		{nil, "no secret store: the portal session can only be kept in the OS keyring"},
		{func(context.Context) (wizard.SecretStore, error) { return nil, errors.New("the keyring is locked") }, "open the secret store: the keyring is locked"},
	} {
		var out, errb bytes.Buffer
		d := Deps{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Store: tc.open, Portals: testPortals()}
		if code := Run(context.Background(), []string{"portal", "logout"}, d); code != ExitFailed || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("exit %d %q, want %q", code, errb.String(), tc.want)
		}
	}
	if len(store.values()) == 0 {
		t.Fatal("the session went without the store")
	}
}

// An empty API key is refused before the portal is asked to sign in.
func TestPortalLoginEmptyAPIKey(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace})
	_, errOut, code := runPortal(t, store, "\n", false, "portal", "login", srv.URL, "--api-key-stdin")
	if code != ExitInvalid || !strings.Contains(errOut, "the API key is empty") || len(store.values()) != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path, "authentication") {
			t.Fatalf("the portal was asked: %s %s", r.Method, r.Path)
		}
	}
}
