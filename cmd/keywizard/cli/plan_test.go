package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"keywizard/wizard"
	"keywizard/wizard/portal"
	"keywizard/wizard/state"
)

// planEnv is a temporary progress file, portal list and store.
type planEnv struct {
	progress wizard.ProgressStore
	store    checkStore
	checker  *fakeChecker
}

func newPlanEnv(t *testing.T) *planEnv {
	t.Helper()
	portalEnv(t)
	return &planEnv{progress: state.Store{File: state.File{Dir: t.TempDir()}}, store: checkStore{}, checker: &fakeChecker{answers: map[string]wizard.CheckResult{}}}
}

func (e *planEnv) run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	d := Deps{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Progress: e.progress, Checker: e.checker, Portals: testPortals(),
		Store: func(context.Context) (wizard.SecretStore, error) { return e.store, nil }}
	code := Run(context.Background(), args, d)
	return out.String(), errb.String(), code
}

func (e *planEnv) load(t *testing.T) *wizard.Progress {
	t.Helper()
	p, err := e.progress.Load()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlanWantIsRemembered(t *testing.T) {
	e := newPlanEnv(t)
	if _, errOut, code := e.run(t, "", "plan"); code != ExitUsage || !strings.Contains(errOut, "--want") {
		t.Fatalf("no plan: exit %d %q", code, errOut)
	}
	out, errOut, code := e.run(t, "", "plan", "--want", "backup:s3,signin:google,google,links")
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	for _, want := range []string{
		"Plan (no portal known: every service is shown): 3 services, about 45 minutes left.",
		"1. Google (about 20 min): not started",
		"   for: Sign in with Google; Connect Google Drive to the documents",
		"   have at hand: a Google account that may create projects",
		"   start: keywizard guide google",
		"2. Amazon AWS S3",
		"3. Bitly",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	saved := e.load(t).Settings.Plan
	if saved == nil || strings.Join(saved.Goals, " ") != "backup:s3 signin:google storage:google links:bitly" {
		t.Fatalf("saved plan %+v", saved)
	}
	// The next run, without --want, shows the same plan.
	again, _, code := e.run(t, "", "plan")
	if code != 0 || again != out {
		t.Fatalf("remembered plan differs (exit %d):\n%s", code, again)
	}
	if _, errOut, code := e.run(t, "", "plan", "--want", "sms"); code != ExitUsage || !strings.Contains(errOut, "sms:twilio") {
		t.Fatalf("a choice: exit %d %q", code, errOut)
	}
	if _, _, code := e.run(t, "", "plan", "--product", "nextcloud"); code != ExitUsage {
		t.Fatalf("bad product: exit %d", code)
	}
	if _, _, code := e.run(t, "", "plan", "--version", "12.0"); code != ExitUsage {
		t.Fatalf("version without product: exit %d", code)
	}
}

func TestPlanForAProductVersion(t *testing.T) {
	e := newPlanEnv(t)
	out, errOut, code := e.run(t, "", "plan", "--want", "signin:microsoft,plugins:easybib,signin:yandex", "--product", "workspace", "--version", "11.5.4", "--json")
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	var got planJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Plan.Services(), " ") != "yandex easybib" || len(got.Left) != 1 || got.Left[0].Service != "microsoft" ||
		!strings.Contains(got.Left[0].Reason, "added in 12.0") || got.MinutesLeft != 15 || got.Product != "workspace" {
		t.Fatalf("plan %+v", got)
	}
	// Workspace 12.5.2 dropped EasyBib.
	out, _, _ = e.run(t, "", "plan", "--product", "workspace", "--version", "12.5.2")
	if !strings.Contains(out, "Plan for ONLYOFFICE Workspace 12.5.2: 2 services") || !strings.Contains(out, "EasyBib (EasyBib citations in the editors): Workspace 12.5.2 does not offer it (removed in v12.5.2)") {
		t.Fatalf("plan:\n%s", out)
	}
}

func TestPlanUsesTheRememberedPortalAndWhatItHolds(t *testing.T) {
	e := newPlanEnv(t)
	list := testPortalList()
	if err := list.Put(portal.Entry{URL: "https://docspace.example.com", Product: portal.DocSpace, Version: "3.7.1"}); err != nil {
		t.Fatal(err)
	}
	if err := e.progress.Update(func(p *wizard.Progress) error {
		p.Service("telegram").Portal = &wizard.Outcome{OK: true, Message: "set", At: time.Now()}
		p.Service("s3").Status = wizard.Verified
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := e.run(t, "", "plan", "--want", "notifications:telegram,backup:s3,links:bitly")
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	for _, want := range []string{
		"Plan for https://docspace.example.com (ONLYOFFICE DocSpace 3.7.1): 2 services, about 20 minutes left.",
		"1. Amazon AWS S3 (about 20 min): verified",
		"2. Telegram (about 5 min): done: on the portal",
		"Bitly (Shorten shared links with Bitly): DocSpace 3.7.1 does not offer it (removed in 2024-08)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
}

func TestPlanGoals(t *testing.T) {
	e := newPlanEnv(t)
	out, _, code := e.run(t, "", "plan", "--goals")
	if code != 0 || !strings.Contains(out, "Send two-factor codes by SMS (one provider is enough):\n  sms:twilio") {
		t.Fatalf("goals:\n%s", out)
	}
	out, _, _ = e.run(t, "", "plan", "--goals", "--json")
	var goals []goalJSON
	if err := json.Unmarshal([]byte(out), &goals); err != nil || len(goals) < 28 || goals[0].ID != "signin:google" {
		t.Fatalf("goals JSON %v %s", err, out)
	}
}

func TestPlanWarnsOfDeadEnds(t *testing.T) {
	e := newPlanEnv(t)
	out, _, code := e.run(t, "", "plan", "--want", "signin:vk,signin:google")
	if code != 0 || !strings.Contains(out, "   warning: ") || strings.Count(out, "warning: ") != 1 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}
