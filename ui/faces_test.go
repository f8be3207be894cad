package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"keywizard/cmd/keywizard/cli"
	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/portal"
	"keywizard/wizard/portal/portaltest"
	"keywizard/wizard/state"
)

// face is the window or the command line, driven the way an admin would.
type face interface {
	signIn(t *testing.T)
	push(t *testing.T, override bool)
	verifyAll(t *testing.T)
	portalState(t *testing.T, id string) string
	saveKeys(t *testing.T, id string, values map[string]string)
}

// world is what both faces share in one run of a scenario: the secret
// store, the progress file, the portal list and the portal.
type world struct {
	srv     *portaltest.Server
	store   *memStore
	file    state.File
	checker *fakeChecker
}

func newFacesWorld(t *testing.T, keys map[string]map[string]string, res wizard.CheckResult) *world {
	t.Helper()
	// The command line keeps its portal list in the user's config folder.
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("HOME", cfg)
	w := &world{srv: portaltest.New(t, portaltest.Config{}), store: newMemStore(),
		file: state.File{Dir: filepath.Join(cfg, "keywizard")}, checker: &fakeChecker{res: res}}
	for id, fields := range keys {
		for f, v := range fields {
			w.store.m[id+"/"+f] = v
		}
	}
	return w
}

func (wd *world) progress(id string) wizard.Status {
	p, _ := wd.file.Load()
	if s := p.Services[id]; s != nil {
		return s.Status
	}
	return wizard.NotStarted
}

// storedOn is the date the progress file says id's keys were stored on.
func (wd *world) storedOn(t *testing.T, id string) time.Time {
	t.Helper()
	p, err := wd.file.Load()
	if err != nil || p.Services[id] == nil || p.Services[id].Keys == nil {
		t.Fatalf("no key facts for %s: %v", id, err)
	}
	return p.Services[id].Keys.Saved
}

// cliFace runs cli.Run.
type cliFace struct{ wd *world }

func (c cliFace) run(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	d := cli.Deps{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, IsTerminal: func() bool { return false },
		Store:   func(context.Context) (wizard.SecretStore, error) { return c.wd.store, nil },
		Checker: c.wd.checker, Progress: state.Store{File: c.wd.file}, Version: "test",
		Portals: portal.Engine{Dir: c.wd.file.Dir, Timeout: 5 * time.Second}}
	code := cli.Run(context.Background(), args, d)
	return out.String() + errb.String(), code
}

func (c cliFace) signIn(t *testing.T) {
	if out, code := c.run(t, portaltest.DefaultPassword+"\n", "portal", "login", c.wd.srv.URL, "--user", portaltest.DefaultUser, "--password-stdin"); code != 0 {
		t.Fatalf("portal login: exit %d %s", code, out)
	}
}

func (c cliFace) push(t *testing.T, override bool) {
	args := []string{"push", "--all"}
	if override {
		args = append(args, "--force")
	}
	c.run(t, "", args...)
}

func (c cliFace) verifyAll(t *testing.T) { c.run(t, "", "check", "--all") }

func (c cliFace) saveKeys(t *testing.T, id string, values map[string]string) {
	in, _ := json.Marshal(values)
	if out, code := c.run(t, string(in), "keys", "set", id, "--values", "-"); code != 0 {
		t.Fatalf("keys set: exit %d %s", code, out)
	}
}

func (c cliFace) portalState(t *testing.T, id string) string {
	out, _ := c.run(t, "", "status", "--json")
	var rows []struct {
		Service string `json:"service"`
		State   string `json:"portal_state"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	for _, r := range rows {
		if r.Service == id {
			return r.State
		}
	}
	return "not listed"
}

// windowFace drives the window through Fyne's test driver.
type windowFace struct {
	w   *window
	url string
}

func newWindowFace(t *testing.T, wd *world) windowFace {
	d := Deps{Store: wd.store, Checker: wd.checker, Progress: progressIn(wd.file.Dir),
		Portals: &PortalFiles{Dir: wd.file.Dir, Timeout: 5 * time.Second}}
	apple, _ := providers.Lookup("apple")
	return windowFace{newTestWindow(t, d, Options{Service: "google"}, append(portalCatalogue(t), apple)), wd.srv.URL}
}

func (f windowFace) signIn(t *testing.T) {
	w := f.w
	cs := openConnect(t, w)
	test.Type(cs.url, f.url)
	enter(cs.url)
	w.run.wait()
	test.Type(cs.user, portaltest.DefaultUser)
	test.Type(cs.password, portaltest.DefaultPassword)
	enter(cs.password)
	w.run.wait()
	if w.conn == nil {
		t.Fatalf("the window did not sign in:\n%s", strings.Join(texts(w), "\n"))
	}
}

func (f windowFace) push(t *testing.T, override bool) {
	w := f.w
	ps := openPush(t, w)
	ps.force.SetChecked(override)
	for _, r := range ps.rows {
		if !r.check.Disabled() {
			r.check.SetChecked(true)
		}
	}
	if ps.push.Disabled() {
		return // nothing can be pushed
	}
	test.Tap(ps.push)
	test.Tap(dialogButton(t, w, "Push"))
	w.run.wait()
}

func (f windowFace) verifyAll(t *testing.T) { verifyAllKeys(t, f.w) }

func (f windowFace) saveKeys(t *testing.T, id string, values map[string]string) {
	w := f.w
	w.openService(id)
	if w.screen.form == nil {
		test.Tap(w.screen.skip)
	}
	form := w.screen.form
	for _, r := range form.rows {
		r.entry.SetText(values[r.f.ID])
	}
	if form.save.Disabled() {
		t.Fatalf("Save is off: %q", form.reason.Text)
	}
	test.Tap(form.save)
	w.run.wait()
}

func (f windowFace) portalState(t *testing.T, id string) string {
	f.w.readPortal()
	f.w.run.wait()
	return f.w.services[id].mark.String()
}

// appleKeys are Apple's example keys without the optional mobile bundle ID.
func appleKeys(t *testing.T) map[string]string {
	t.Helper()
	p, _ := providers.Lookup("apple")
	out := map[string]string{}
	for _, f := range p.Fields {
		if f.Example != "" && !f.Optional {
			out[f.ID] = f.Example
		}
	}
	return out
}

// The same scenarios through both faces give the same outcome: each
// service's status in the progress file, the push gate, what lands on the
// portal, and what 'keywizard status' and the window's marks say.
func TestBothFacesAgree(t *testing.T) {
	google := map[string]string{"googleClientId": goodID, "googleClientSecret": goodSecret}
	telegram := map[string]string{"telegramBotToken": goodToken, "telegramBotName": goodBotName}
	tests := []struct {
		name     string
		keys     map[string]map[string]string
		portal   map[string]string // google's keys already on the portal
		check    wizard.CheckResult
		verify   bool // Verify all / check --all first
		override bool
		// outcome
		pushed   bool // google's keys land on the portal
		status   wizard.Status
		state    string // portal_state of google afterwards
		checkAll int    // CheckAll calls
		// svc is the service looked at (google when empty); kept are
		// values of its that must stay on the portal.
		svc  string
		kept map[string]string
		// resave: the keys were stored days ago; after the push the same
		// keys are saved again, which keeps the date they were stored
		// on, then new keys, which move it.
		resave bool
	}{
		{name: "accepted keys are pushed", keys: map[string]map[string]string{"google": google},
			check: wizard.CheckResult{OK: true, Message: "accepted"}, pushed: true, status: wizard.OnPortal, state: "set", checkAll: 1},
		{name: "rejected keys are not pushed", keys: map[string]map[string]string{"google": google},
			check: wizard.CheckResult{Message: "invalid_client"}, status: wizard.Problem, state: "not set", checkAll: 1},
		{name: "a check with no verdict does not stop the push", keys: map[string]map[string]string{"google": google},
			check: wizard.CheckResult{Unreachable: true, Message: "timeout"}, pushed: true, status: wizard.OnPortal, state: "set", checkAll: 1},
		{name: "pushed with the override is not ready", keys: map[string]map[string]string{"google": google},
			check: wizard.CheckResult{Message: "invalid_client"}, override: true, pushed: true, status: wizard.Unverified, state: "set", checkAll: 0},
		{name: "portal holds other keys", keys: map[string]map[string]string{"google": google},
			portal: map[string]string{"googleClientId": oldID, "googleClientSecret": oldSecret},
			check:  wizard.CheckResult{Message: "invalid_client"}, status: wizard.Problem, state: "differs", checkAll: 1},
		{name: "portal holds the same keys", keys: map[string]map[string]string{"google": google},
			portal: google, check: wizard.CheckResult{OK: true, Message: "accepted"}, status: wizard.OnPortal, state: "set", checkAll: 1},
		{name: "verify all checks every service at once", keys: map[string]map[string]string{"google": google, "telegram": telegram},
			check: wizard.CheckResult{OK: true, Message: "accepted"}, verify: true, pushed: true, status: wizard.OnPortal, state: "set", checkAll: 2},
		{name: "an optional value left empty here is neither a difference nor erased", svc: "apple",
			check: wizard.CheckResult{OK: true, Message: "accepted"}, status: wizard.OnPortal, state: "set", checkAll: 1,
			kept: map[string]string{"appleIdClientIdMobile": "com.example.portal.app"}},
		{name: "saving the same keys keeps the date they were stored on, new keys move it", keys: map[string]map[string]string{"google": google},
			check: wizard.CheckResult{OK: true, Message: "accepted"}, pushed: true, status: wizard.OnPortal, state: "set", checkAll: 1, resave: true},
	}
	for _, tt := range tests {
		for _, name := range []string{"command line", "window"} {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				svc, keys, portalKeys := tt.svc, tt.keys, tt.portal
				if svc == "" {
					svc = "google"
				}
				if svc == "apple" {
					keys = map[string]map[string]string{"apple": appleKeys(t)}
					portalKeys = appleKeys(t)
					for k, v := range tt.kept {
						portalKeys[k] = v
					}
				}
				wd := newFacesWorld(t, keys, tt.check)
				if portalKeys != nil {
					wd.srv.SetKeys(consumerName(portaltest.DocSpace, svc), portalKeys)
				}
				storedAt := time.Now().UTC().AddDate(0, 0, -3).Truncate(time.Second)
				if tt.resave {
					if err := (state.Store{File: wd.file}).Update(func(p *wizard.Progress) error {
						p.Service(svc).Keys = &wizard.KeyFacts{Saved: storedAt}
						return nil
					}); err != nil {
						t.Fatal(err)
					}
				}
				var f face = cliFace{wd}
				if name == "window" {
					f = newWindowFace(t, wd)
				}
				f.signIn(t)
				if tt.verify {
					f.verifyAll(t)
				}
				f.push(t, tt.override)
				got := wd.srv.Keys(consumerName(portaltest.DocSpace, svc))
				if svc == "google" {
					if landed := got["googleClientSecret"] == goodSecret; landed != (tt.pushed || tt.portal != nil && tt.portal["googleClientSecret"] == goodSecret) {
						t.Errorf("google's keys on the portal: %v", landed)
					}
				}
				for k, v := range tt.kept {
					if got[k] != v {
						t.Errorf("the portal's %s became %q", k, got[k])
					}
				}
				if tt.pushed != (len(wd.srv.SaveRequests()) > 0) {
					t.Errorf("%d saves; pushed want %v", len(wd.srv.SaveRequests()), tt.pushed)
				}
				if st := wd.progress(svc); st != tt.status {
					t.Errorf("progress records %s as %q, want %q", svc, st, tt.status)
				}
				if p, _ := wd.file.Load(); tt.pushed && (p.Services[svc] == nil || p.Services[svc].Push == nil || !p.Services[svc].Push.OK) {
					t.Errorf("progress does not record the push of %s", svc)
				}
				if s := f.portalState(t, svc); s != tt.state {
					t.Errorf("portal state of %s %q, want %q", svc, s, tt.state)
				}
				wd.checker.mu.Lock()
				alls := wd.checker.alls
				wd.checker.mu.Unlock()
				if alls != tt.checkAll {
					t.Errorf("CheckAll ran %d times, want %d", alls, tt.checkAll)
				}
				if tt.resave {
					if p, _ := wd.file.Load(); p.Services[svc].Check == nil || !p.Services[svc].Check.OK {
						t.Errorf("the check before the push is not recorded: %+v", p.Services[svc].Check)
					}
					f.saveKeys(t, svc, keys[svc])
					if got := wd.storedOn(t, svc); !got.Equal(storedAt) {
						t.Errorf("the same keys saved again moved the date they were stored on from %v to %v", storedAt, got)
					}
					f.saveKeys(t, svc, map[string]string{"googleClientId": oldID, "googleClientSecret": oldSecret})
					if got := wd.storedOn(t, svc); got.Equal(storedAt) || time.Since(got) > time.Minute {
						t.Errorf("new keys are dated %v, was %v", got, storedAt)
					}
					p, _ := wd.file.Load()
					if s := p.Services[svc]; strings.Join(s.Filled, ",") != "googleClientId,googleClientSecret" || s.Check != nil || s.SignIn != nil {
						t.Errorf("after new keys progress records fields %v, check %+v, sign-in %+v", s.Filled, s.Check, s.SignIn)
					}
				}
			})
		}
	}
}
