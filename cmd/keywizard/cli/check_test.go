package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/secrets"
)

// fakeChecker answers from a table and records what it was asked.
type fakeChecker struct {
	mu      sync.Mutex
	answers map[string]wizard.CheckResult
	asked   []string
	viaAll  bool
}

func (f *fakeChecker) Check(_ context.Context, service string, _ map[string]string) wizard.CheckResult {
	f.mu.Lock()
	f.asked = append(f.asked, service)
	f.mu.Unlock()
	r := f.answers[service]
	r.Service = service
	return r
}

func (f *fakeChecker) CheckAll(ctx context.Context, services map[string]map[string]string) []wizard.CheckResult {
	f.viaAll = true
	var out []wizard.CheckResult
	for id, v := range services {
		out = append(out, f.Check(ctx, id, v))
	}
	return out
}

// checkStore is an in-memory secret store keyed "service/field".
type checkStore map[string]string

func (s checkStore) Get(_ context.Context, service, field string) (string, error) {
	v, ok := s[service+"/"+field]
	if !ok {
		return "", secrets.ErrNotFound
	}
	return v, nil
}
func (s checkStore) Set(_ context.Context, service, field, value string) error {
	s[service+"/"+field] = value
	return nil
}
func (s checkStore) Delete(_ context.Context, service, field string) error {
	delete(s, service+"/"+field)
	return nil
}
func (s checkStore) Where() string { return "memory" }

// checkExamples are values that pass a service's offline checks.
func checkExamples(t *testing.T, id string) map[string]string {
	t.Helper()
	p, ok := providers.Lookup(id)
	if !ok || len(p.Fields) == 0 {
		t.Skipf("%s has no fields in the catalogue yet", id)
	}
	v := map[string]string{}
	for _, f := range p.Fields {
		if !f.Optional && !f.Local {
			v[f.ID] = f.Example
		}
	}
	return v
}

func runCheck(t *testing.T, c wizard.Checker, store checkStore, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	d := Deps{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Checker: c}
	if store != nil {
		d.Store = func(context.Context) (wizard.SecretStore, error) { return store, nil }
	}
	code := Run(context.Background(), append([]string{"check"}, args...), d)
	return out.String(), errb.String(), code
}

func TestCheckOne(t *testing.T) {
	good := checkExamples(t, "google")
	in, _ := json.Marshal(good)
	cases := []struct {
		name   string
		answer wizard.CheckResult
		code   int
	}{
		{"accepted", wizard.CheckResult{OK: true, Message: "Google accepted the client ID and secret", NotProven: "redirect URIs", Certainty: wizard.Likely, Identity: &wizard.Identity{ID: "x"}}, ExitOK},
		{"rejected", wizard.CheckResult{Message: "Google rejected the client ID or secret", Fix: "copy them again", FixURL: "https://console.cloud.google.com/apis/credentials", Certainty: wizard.Likely}, ExitInvalid},
		{"unreachable", wizard.CheckResult{Message: "could not reach Google", Unreachable: true}, ExitFailed},
		{"unreadable answer", wizard.CheckResult{Message: "Google answered HTTP 418, which this check cannot read", Fix: "try the test sign-in", FixURL: "https://console.cloud.google.com/apis/credentials", Certainty: wizard.Uncertain}, ExitFailed},
		{"rate limited", wizard.CheckResult{Message: "Google is rate limiting these requests (HTTP 429): the keys were not judged", Unreachable: true, Certainty: wizard.Uncertain}, ExitFailed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &fakeChecker{answers: map[string]wizard.CheckResult{"google": tc.answer}}
			out, errOut, code := runCheck(t, c, nil, string(in), "google", "--values", "-", "--json")
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.code, errOut)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("not a JSON object: %v\n%s", err, out)
			}
			if got["service"] != "google" || got["ok"] != tc.answer.OK || got["message"] != tc.answer.Message {
				t.Errorf("JSON %v", got)
			}
			if _, has := got["identity"]; has != (tc.answer.Identity != nil) {
				t.Errorf("identity present=%v: %v", has, got)
			}
			// The text form says what to do on failure.
			out, _, _ = runCheck(t, c, nil, string(in), "google", "--values", "-")
			if tc.answer.Fix != "" && (!strings.Contains(out, "fix: "+tc.answer.Fix) || !strings.Contains(out, "open: "+tc.answer.FixURL)) {
				t.Errorf("text output lacks the fix:\n%s", out)
			}
			if !strings.Contains(out, tc.answer.Message) {
				t.Errorf("text output lacks the message:\n%s", out)
			}
			if tc.code == ExitFailed && strings.Contains(out, "rejected") {
				t.Errorf("a verdict that was not reached reads as a rejection:\n%s", out)
			}
		})
	}
}

func TestCheckRefusesKeysThatFailOffline(t *testing.T) {
	c := &fakeChecker{}
	out, _, code := runCheck(t, c, nil, `{"googleClientId":"GOCSPX-AbCdEfGhIjKlMnOpQrStUvWxYz12","googleClientSecret":"x"}`, "google", "--values", "-", "--json")
	if code != ExitInvalid || len(c.asked) != 0 {
		t.Fatalf("exit %d, asked %v", code, c.asked)
	}
	if !strings.Contains(out, "offline") || strings.Contains(out, "GOCSPX-AbCd") {
		t.Fatalf("output %s", out)
	}
}

func TestCheckUsage(t *testing.T) {
	c := &fakeChecker{}
	for _, args := range [][]string{
		{},
		{"google", "--all"},
		{"--all", "--values", "x.json"},
		{"nosuchservice", "--values", "-"},
		{"google", "dropbox"},
	} {
		if _, _, code := runCheck(t, c, checkStore{}, "{}", args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
	if _, errOut, code := runCheck(t, nil, nil, "{}", "google", "--values", "-"); code != ExitFailed || !strings.Contains(errOut, "checker") {
		t.Errorf("no checker: exit %d %s", code, errOut)
	}
}

func TestCheckAllStored(t *testing.T) {
	store := checkStore{}
	ids := []string{"google", "dropbox"}
	for _, id := range ids {
		for k, v := range checkExamples(t, id) {
			store[id+"/"+k] = v
		}
	}
	c := &fakeChecker{answers: map[string]wizard.CheckResult{
		"google":  {OK: true, Message: "accepted"},
		"dropbox": {Message: "could not reach Dropbox", Unreachable: true},
	}}
	out, errOut, code := runCheck(t, c, store, "", "--all", "--json")
	if code != ExitFailed {
		t.Fatalf("exit %d, want %d (one unreachable); %s", code, ExitFailed, errOut)
	}
	var list []struct {
		Service     string `json:"service"`
		OK          bool   `json:"ok"`
		Unreachable bool   `json:"unreachable"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	var got []string
	for _, r := range list {
		got = append(got, r.Service)
	}
	if strings.Join(got, ",") != "dropbox,google" {
		t.Errorf("services %v, want catalogue order dropbox,google (others have nothing stored)", got)
	}
	if !c.viaAll {
		t.Errorf("CheckAll was not used")
	}

	c.answers["google"] = wizard.CheckResult{Message: "rejected"}
	if _, _, code := runCheck(t, c, store, "", "--all"); code != ExitInvalid {
		t.Errorf("one rejected: exit %d, want %d", code, ExitInvalid)
	}
	c.answers["google"] = wizard.CheckResult{Message: "cannot read", Certainty: wizard.Uncertain}
	c.answers["dropbox"] = wizard.CheckResult{OK: true}
	if _, _, code := runCheck(t, c, store, "", "--all"); code != ExitFailed {
		t.Errorf("one not judged: exit %d, want %d", code, ExitFailed)
	}
	c.answers["dropbox"] = wizard.CheckResult{OK: true}
	c.answers["google"] = wizard.CheckResult{OK: true}
	if _, _, code := runCheck(t, c, store, "", "--all"); code != ExitOK {
		t.Errorf("all accepted: exit %d", code)
	}
	if _, _, code := runCheck(t, c, checkStore{}, "", "--all"); code != ExitUsage {
		t.Errorf("nothing stored: exit %d, want %d", code, ExitUsage)
	}
}
