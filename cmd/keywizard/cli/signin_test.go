package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/loopback"
	"keywizard/wizard/secrets"
)

// fakeSignIn records what the command asked for and answers as told.
type fakeSignIn struct {
	res    wizard.SignInResult
	err    error
	called bool
	values map[string]string
	opts   wizard.SignInOptions
	// redirect is the redirect URI handed to OnURL (a Google-like one
	// when empty).
	redirect string
}

func (f *fakeSignIn) Run(_ context.Context, service string, values map[string]string, opts wizard.SignInOptions) (wizard.SignInResult, error) {
	f.called, f.values, f.opts = true, values, opts
	if opts.OnURL != nil {
		redirect := f.redirect
		if redirect == "" {
			redirect = "http://127.0.0.1:53682/callback"
		}
		opts.OnURL("https://accounts.example.com/auth?state=s", redirect)
	}
	if opts.Open != nil {
		_ = opts.Open("https://accounts.example.com/auth?state=s")
	}
	res := f.res
	res.Service = service
	return res, f.err
}

func (f *fakeSignIn) Test(ctx context.Context, service string, values map[string]string, opts wizard.SignInOptions) wizard.SignInResult {
	res, _ := f.Run(ctx, service, values, opts)
	return res
}

// Why and Refuse answer as the real tester does.
func (f *fakeSignIn) Why(err error) (string, bool) { return (&loopback.Tester{}).Why(err) }

func (f *fakeSignIn) Refuse(p providers.Provider) wizard.SignInResult { return loopback.NoLoopback(p) }

// signinStore is an in-memory secret store.
type signinStore map[string]string

func (s signinStore) Get(_ context.Context, service, field string) (string, error) {
	v, ok := s[service+"/"+field]
	if !ok {
		return "", secrets.ErrNotFound
	}
	return v, nil
}
func (s signinStore) Set(_ context.Context, service, field, value string) error {
	s[service+"/"+field] = value
	return nil
}
func (s signinStore) Delete(_ context.Context, service, field string) error {
	delete(s, service+"/"+field)
	return nil
}
func (s signinStore) Where() string { return "memory" }

func googleValues(t *testing.T) map[string]string {
	p, ok := providers.Lookup("google")
	if !ok {
		t.Fatal("no google in the catalogue")
	}
	v := map[string]string{}
	for _, f := range p.Fields {
		v[f.ID] = f.Example
	}
	return v
}

func runTestCmd(t *testing.T, fs *fakeSignIn, stdin string, opened *[]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	d := Deps{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Version: "test", SignIn: fs, Portals: testPortals(),
		Store: func(context.Context) (wizard.SecretStore, error) { return signinStore{}, nil }}
	if opened != nil {
		d.Open = func(u string) error { *opened = append(*opened, u); return nil }
	}
	code := Run(context.Background(), args, d)
	return out.String(), errb.String(), code
}

func valuesJSON(t *testing.T, v map[string]string) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTestSignedInJSON(t *testing.T) {
	fs := &fakeSignIn{res: wizard.SignInResult{OK: true, Message: "Signed in as Ada <ada@example.com>: ok",
		Identity: &wizard.Identity{Name: "Ada", Email: "ada@example.com"}, RedirectURI: "http://127.0.0.1:53682/callback"}}
	var opened []string
	out, errOut, code := runTestCmd(t, fs, valuesJSON(t, googleValues(t)), &opened,
		"test", "google", "--values", "-", "--json", "--port", "8085", "--timeout", "2m")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Service     string `json:"service"`
		OK          bool   `json:"ok"`
		Message     string `json:"message"`
		RedirectURI string `json:"redirect_uri"`
		Identity    struct {
			Name  string `json:"name"`
			Email string `json:"email"`
		} `json:"identity"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got.Service != "google" || !got.OK || got.Identity.Email != "ada@example.com" || got.Identity.Name != "Ada" || got.RedirectURI == "" || got.Message == "" {
		t.Fatalf("%+v", got)
	}
	if fs.opts.Port != 8085 || fs.opts.Timeout != 2*time.Minute || fs.values["googleClientId"] == "" {
		t.Fatalf("options not passed: %+v", fs.opts)
	}
	if len(opened) != 1 || !strings.Contains(errOut, "If no browser opens, visit:") || !strings.Contains(errOut, "https://accounts.example.com/auth") {
		t.Fatalf("opened %v, stderr %q", opened, errOut)
	}
	if !strings.Contains(errOut, "http://127.0.0.1:53682/callback") {
		t.Fatalf("the redirect URI to register must be printed: %q", errOut)
	}
}

func TestTestNoBrowser(t *testing.T) {
	fs := &fakeSignIn{res: wizard.SignInResult{OK: true, Message: "Signed in as ada@example.com"}}
	var opened []string
	out, errOut, code := runTestCmd(t, fs, valuesJSON(t, googleValues(t)), &opened, "test", "google", "--values", "-", "--no-browser")
	if code != ExitOK || len(opened) != 0 || fs.opts.Open != nil {
		t.Fatalf("exit %d, opened %v", code, opened)
	}
	if !strings.Contains(errOut, "https://accounts.example.com/auth") || strings.Contains(out, "https://accounts.example.com/auth") {
		t.Fatalf("the URL goes to stderr only: out %q err %q", out, errOut)
	}
	if !strings.HasPrefix(out, "ok   Google: Signed in as ada@example.com") {
		t.Fatalf("out %q", out)
	}
}

func TestTestExitCodes(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		code   int
		reason string
	}{
		{"refused", &loopback.ProviderError{Stage: "token", Code: "invalid_client"}, ExitInvalid, "rejected"},
		{"state", loopback.ErrStateMismatch, ExitInvalid, "state_mismatch"},
		{"busy", fmt.Errorf("x: %w", loopback.ErrPortBusy), ExitFailed, "port_busy"},
		{"timeout", fmt.Errorf("x: %w", loopback.ErrTimeout), ExitFailed, "timeout"},
		{"unreachable", fmt.Errorf("x: %w", loopback.ErrUnreachable), ExitFailed, "unreachable"},
		{"listen", errors.New("listen on the loopback interface: nope"), ExitFailed, "could_not_run"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := &fakeSignIn{res: wizard.SignInResult{Message: "no", Fix: "do this"}, err: c.err}
			out, _, code := runTestCmd(t, fs, valuesJSON(t, googleValues(t)), nil, "test", "google", "--values", "-", "--json")
			if code != c.code || !strings.Contains(out, `"error": "`+c.reason+`"`) {
				t.Fatalf("exit %d, out %s", code, out)
			}
		})
	}
}

func TestTestUsage(t *testing.T) {
	fs := &fakeSignIn{}
	if _, _, code := runTestCmd(t, fs, "", nil, "test", "nosuch"); code != ExitUsage {
		t.Fatalf("unknown service: exit %d", code)
	}
	for _, p := range providers.All() {
		if p.OAuth == nil && len(p.Fields) > 0 {
			_, errOut, code := runTestCmd(t, fs, "{}", nil, "test", p.ID, "--values", "-")
			if code != ExitUsage || !strings.Contains(errOut, "keywizard check "+p.ID) {
				t.Fatalf("%s without OAuth: exit %d %q", p.ID, code, errOut)
			}
			break
		}
	}
	if _, _, code := runTestCmd(t, fs, "{}", nil, "test", "google", "--values", "-", "--port", "70000"); code != ExitUsage {
		t.Fatalf("bad port: exit %d", code)
	}
	if fs.called {
		t.Fatal("tester called on a usage error")
	}
}

func TestTestNoLoopback(t *testing.T) {
	for _, p := range providers.All() {
		if p.OAuth == nil || p.OAuth.Loopback != providers.LoopbackNone {
			continue
		}
		fs := &fakeSignIn{}
		out, _, code := runTestCmd(t, fs, "", nil, "test", p.ID, "--json")
		if code != ExitFailed || !strings.Contains(out, "keywizard check "+p.ID) || !strings.Contains(out, `"no_loopback"`) || fs.called {
			t.Fatalf("%s: exit %d %s", p.ID, code, out)
		}
		return
	}
	t.Skip("no service in the catalogue refuses loopback redirects yet")
}

func TestTestOfflineChecksFirst(t *testing.T) {
	fs := &fakeSignIn{}
	v := googleValues(t)
	v["googleClientId"] = v["googleClientSecret"] // the secret pasted as the ID
	out, _, code := runTestCmd(t, fs, valuesJSON(t, v), nil, "test", "google", "--values", "-")
	if code != ExitInvalid || fs.called || !strings.Contains(out, "offline checks") {
		t.Fatalf("exit %d, called %v, out %s", code, fs.called, out)
	}
}

func TestTestStoredKeys(t *testing.T) {
	fs := &fakeSignIn{res: wizard.SignInResult{OK: true, Message: "Signed in"}}
	store := signinStore{}
	for k, v := range googleValues(t) {
		_ = store.Set(context.Background(), "google", k, v)
	}
	var out, errb bytes.Buffer
	d := Deps{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, SignIn: fs,
		Store: func(context.Context) (wizard.SecretStore, error) { return store, nil }}
	if code := Run(context.Background(), []string{"test", "google", "--no-browser"}, d); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if fs.values["googleClientSecret"] == "" {
		t.Fatal("stored keys not used")
	}
}

func TestTestValuesFile(t *testing.T) {
	fs := &fakeSignIn{res: wizard.SignInResult{OK: true, Message: "Signed in"}}
	path := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(path, []byte(valuesJSON(t, googleValues(t))), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runTestCmd(t, fs, "", nil, "test", "google", "--values", path, "--no-browser"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}
