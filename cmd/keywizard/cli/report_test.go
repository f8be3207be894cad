package cli

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/portal"
)

// fillCanaries puts a random canary in every secret field of every service
// and records progress naming every field, with outcome messages that
// carry some of the canaries, as an engine that forgot to redact would.
func fillCanaries(t *testing.T, e *planEnv) []string {
	t.Helper()
	var canaries []string
	p := wizard.NewProgress()
	now := time.Now().UTC()
	for _, prov := range providers.All() {
		s := p.Service(prov.ID)
		s.Status = wizard.Verified
		var secret string
		for _, f := range prov.Fields {
			s.Filled = append(s.Filled, f.ID)
			if !f.Secret {
				continue
			}
			b := make([]byte, 12)
			if _, err := rand.Read(b); err != nil {
				t.Fatal(err)
			}
			secret = "canary-" + hex.EncodeToString(b)
			canaries = append(canaries, secret)
			if err := e.store.Set(t.Context(), prov.ID, f.ID, secret); err != nil {
				t.Fatal(err)
			}
		}
		s.Check = &wizard.Outcome{OK: true, Message: "accepted " + secret, At: now.Add(-time.Hour)}
		s.SignIn = &wizard.Outcome{OK: false, Message: "the provider answered: invalid_client for " + secret, At: now.Add(-2 * time.Hour)}
		s.Push = &wizard.Outcome{OK: true, Message: "pushed", At: now}
		s.Keys = &wizard.KeyFacts{Saved: now.AddDate(0, 0, -3)}
	}
	if err := e.progress.Update(func(q *wizard.Progress) error { *q = *p; return nil }); err != nil {
		t.Fatal(err)
	}
	return canaries
}

func TestReportHoldsNoSecret(t *testing.T) {
	e := newPlanEnv(t)
	canaries := fillCanaries(t, e)
	if len(canaries) < 28 {
		t.Fatalf("only %d canaries", len(canaries))
	}
	html := filepath.Join(t.TempDir(), "report.html")
	text, errOut, code := e.run(t, "", "report")
	if code != 0 {
		t.Fatalf("report: exit %d %s", code, errOut)
	}
	msg, _, code := e.run(t, "", "report", "--html", html)
	if code != 0 || !strings.Contains(msg, "Report written to "+html+" (28 services)") {
		t.Fatalf("report --html: exit %d %q", code, msg)
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	js, _, _ := e.run(t, "", "report", "--json")
	for name, out := range map[string]string{"text": text + errOut, "html": string(page), "json": js} {
		for _, c := range canaries {
			if strings.Contains(out, c) {
				t.Fatalf("the %s report holds a secret", name)
			}
		}
		// Not empty: every service is there, by name.
		for _, p := range providers.All() {
			if !strings.Contains(out, p.Title) {
				t.Errorf("the %s report lacks %s", name, p.Title)
			}
		}
	}
	if !strings.Contains(text, "accepted <redacted>") || !strings.Contains(string(page), "<table>") {
		t.Errorf("report texts:\n%s", text)
	}
}

func TestReportText(t *testing.T) {
	e := newPlanEnv(t)
	list := testPortalList()
	if err := list.Put(portal.Entry{URL: "https://office.example.com", Product: portal.Workspace, Version: "12.7.1"}); err != nil {
		t.Fatal(err)
	}
	ms := examples(t, "microsoft")
	ms["expiresOn"] = inDays(12)
	in, _ := json.Marshal(ms)
	if _, errOut, code := e.run(t, string(in), "keys", "set", "microsoft", "--values", "-"); code != 0 {
		t.Fatalf("keys set: exit %d %s", code, errOut)
	}
	e.checker.answers["microsoft"] = wizard.CheckResult{OK: true, Message: "Microsoft accepted the client ID and secret", Certainty: wizard.Proven}
	if _, _, code := e.run(t, "", "check", "microsoft"); code != 0 {
		t.Fatalf("check: exit %d", code)
	}
	out, _, code := e.run(t, "", "report")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"Portal: https://office.example.com (Workspace 12.7.1)",
		"Secrets are kept in memory; this report holds none of them.",
		"Microsoft (sign-in): verified",
		"set:      Application (client) ID, Client secret value, Tenant (for Keywizard's checks) (kept here only), Secret expires on (for the expiry watch) (kept here only)",
		"by the online check: Microsoft accepted the client ID and secret",
		"portal:   not recorded: push it, or run 'keywizard status'",
		"expiry:   expires in 12 days (" + inDays(12) + "); keys stored today",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if _, _, code := e.run(t, "", "report", "--html", "x.html", "--json"); code != ExitUsage {
		t.Errorf("--html with --json: exit %d", code)
	}
}
