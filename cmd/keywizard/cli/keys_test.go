package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"testing"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/secrets"
)

// runKeys drives the command line with a store.
func runKeys(t *testing.T, store wizard.SecretStore, stdin string, terminal bool, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	d := Deps{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Version: "test",
		IsTerminal: func() bool { return terminal }, Portals: testPortals(),
	}
	if store != nil {
		d.Store = func(context.Context) (wizard.SecretStore, error) { return store, nil }
	}
	code := Run(context.Background(), args, d)
	return out.String(), errb.String(), code
}

// keyExamples gives values that pass a provider's checks.
func keyExamples(t *testing.T, id string) map[string]string {
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

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// plainStore is a SecretStore without listing or batching, as other
// packages' fakes are.
type plainStore struct{ m *secrets.Memory }

func (s plainStore) Get(ctx context.Context, svc, f string) (string, error) {
	return s.m.Get(ctx, svc, f)
}
func (s plainStore) Set(ctx context.Context, svc, f, v string) error { return s.m.Set(ctx, svc, f, v) }
func (s plainStore) Delete(ctx context.Context, svc, f string) error { return s.m.Delete(ctx, svc, f) }
func (s plainStore) Where() string                                   { return "a plain store" }

func TestKeysSetListShowForget(t *testing.T) {
	stores := map[string]func() wizard.SecretStore{
		"memory": func() wizard.SecretStore { return secrets.NewMemory() },
		"plain":  func() wizard.SecretStore { return plainStore{secrets.NewMemory()} },
	}
	for name, mk := range stores {
		t.Run(name, func(t *testing.T) {
			store := mk()
			google := keyExamples(t, "google")
			out, errs, code := runKeys(t, store, toJSON(t, google), false, "keys", "set", "google", "--values", "-")
			if code != 0 {
				t.Fatalf("set: exit %d: %s", code, errs)
			}
			if !strings.Contains(out, "googleClientId, googleClientSecret") {
				t.Fatalf("set output: %q", out)
			}
			for _, v := range google {
				if strings.Contains(out+errs, v) {
					t.Fatalf("set printed a value")
				}
			}
			got, _ := store.Get(context.Background(), "google", "googleClientSecret")
			if got != google["googleClientSecret"] {
				t.Fatal("the secret was not stored")
			}

			out, _, code = runKeys(t, store, "", false, "keys", "list", "--json")
			var list []keysListJSON
			if code != 0 || json.Unmarshal([]byte(out), &list) != nil {
				t.Fatalf("list: exit %d, %q", code, out)
			}
			if len(list) != 1 || list[0].Service != "google" || strings.Join(list[0].Fields, ",") != "googleClientId,googleClientSecret,publishingStatus" {
				t.Fatalf("list = %+v", list)
			}

			out, _, code = runKeys(t, store, "", false, "keys", "show", "google", "--json")
			var show keysShowJSON
			if code != 0 || json.Unmarshal([]byte(out), &show) != nil {
				t.Fatalf("show: exit %d, %q", code, out)
			}
			for _, f := range show.Fields {
				if f.Value != providers.Redact(google[f.ID]) || !strings.HasSuffix(f.Value, "****") || len(f.Value) > 8 {
					t.Fatalf("show %s = %q", f.ID, f.Value)
				}
			}
			out, _, _ = runKeys(t, store, "", false, "keys", "show", "google")
			if !strings.Contains(out, "(googleClientSecret): GOCS****") {
				t.Fatalf("show text: %q", out)
			}

			out, _, code = runKeys(t, store, "", false, "keys", "forget", "google")
			if code != 0 || !strings.Contains(out, "Forgot google (googleClientId, googleClientSecret, publishingStatus)") {
				t.Fatalf("forget: exit %d, %q", code, out)
			}
			if _, err := store.Get(context.Background(), "google", "googleClientId"); !errors.Is(err, secrets.ErrNotFound) {
				t.Fatal("forget left a value")
			}
			out, _, _ = runKeys(t, store, "", false, "keys", "list", "--json")
			if strings.TrimSpace(out) != "[]" {
				t.Fatalf("list after forget = %q", out)
			}
			out, _, code = runKeys(t, store, "", false, "keys", "forget", "google")
			if code != 0 || !strings.Contains(out, "Nothing was stored") {
				t.Fatalf("second forget: %d %q", code, out)
			}
		})
	}
}

func TestKeysSetRefusesInvalid(t *testing.T) {
	store := secrets.NewMemory()
	bad := map[string]string{"googleClientId": "not-a-client-id", "googleClientSecret": "short"}
	out, errs, code := runKeys(t, store, toJSON(t, bad), false, "keys", "set", "google", "--values", "-")
	if code != ExitInvalid || !strings.Contains(out, "FAIL") || !strings.Contains(errs, "--force") {
		t.Fatalf("exit %d, %q, %q", code, out, errs)
	}
	if strings.Contains(out+errs, "not-a-client-id") {
		t.Fatal("a value was printed")
	}
	if l, _ := store.List(context.Background(), "google"); len(l) != 0 {
		t.Fatal("invalid keys were stored")
	}
	_, _, code = runKeys(t, store, toJSON(t, bad), false, "keys", "set", "google", "--values", "-", "--force")
	if code != 0 {
		t.Fatalf("--force: exit %d", code)
	}
	if l, _ := store.List(context.Background(), "google"); len(l) != 2 {
		t.Fatalf("--force stored %v", l)
	}
}

func TestKeysSetMergesAndRemoves(t *testing.T) {
	store := secrets.NewMemory()
	ctx := context.Background()
	google := keyExamples(t, "google")
	runKeys(t, store, toJSON(t, google), false, "keys", "set", "google", "--values", "-")

	// Only the secret changes: the client id stays, and the set is valid.
	newSecret := "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"
	out, errs, code := runKeys(t, store, `{"googleClientSecret":"`+newSecret+`"}`, false, "keys", "set", "google", "--values", "-")
	if code != 0 || !strings.Contains(out, "Kept as stored: googleClientId") {
		t.Fatalf("exit %d, %q %q", code, out, errs)
	}
	if v, _ := store.Get(ctx, "google", "googleClientSecret"); v != newSecret {
		t.Fatal("secret not replaced")
	}
	if v, _ := store.Get(ctx, "google", "googleClientId"); v != google["googleClientId"] {
		t.Fatal("client id lost")
	}
	// "" removes a field; removing a required one needs --force.
	_, _, code = runKeys(t, store, `{"googleClientSecret":""}`, false, "keys", "set", "google", "--values", "-")
	if code != ExitInvalid {
		t.Fatalf("removing a required field: exit %d", code)
	}
	out, _, code = runKeys(t, store, `{"googleClientSecret":""}`, false, "keys", "set", "google", "--values", "-", "--force")
	if code != 0 || !strings.Contains(out, "Removed: googleClientSecret") {
		t.Fatalf("exit %d, %q", code, out)
	}
	if _, err := store.Get(ctx, "google", "googleClientSecret"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatal("not removed")
	}
}

func TestKeysSetPrompts(t *testing.T) {
	store := secrets.NewMemory()
	tg := keyExamples(t, "telegram")
	stdin := tg["telegramBotToken"] + "\n" + tg["telegramBotName"] + "\n"
	out, errs, code := runKeys(t, store, stdin, true, "keys", "set", "telegram")
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	if !strings.Contains(errs, "Bot token") || strings.Contains(out+errs, tg["telegramBotToken"]) {
		t.Fatalf("prompts: %q", errs)
	}
	got := map[string]string{}
	for id := range tg {
		got[id], _ = store.Get(context.Background(), "telegram", id)
	}
	if !maps.Equal(got, tg) {
		t.Fatal("prompted values not stored")
	}

	// A multi-line field ends at an empty line.
	apple := keyExamples(t, "apple")
	p, _ := providers.Lookup("apple")
	var in strings.Builder
	for _, f := range p.Fields {
		in.WriteString(apple[f.ID] + "\n")
		if f.Multiline {
			in.WriteString("\n")
		}
	}
	_, errs, code = runKeys(t, store, in.String(), true, "keys", "set", "apple")
	if code != 0 {
		t.Fatalf("apple: exit %d: %s", code, errs)
	}
	for _, f := range p.Fields {
		if v, _ := store.Get(context.Background(), "apple", f.ID); strings.TrimSpace(v) != strings.TrimSpace(apple[f.ID]) {
			t.Fatalf("apple %s = %q", f.ID, v)
		}
	}
}

func TestKeysErrors(t *testing.T) {
	store := secrets.NewMemory()
	cases := []struct {
		name  string
		store wizard.SecretStore
		stdin string
		term  bool
		args  []string
		code  int
		msg   string
	}{
		{"unknown service", store, "", false, []string{"keys", "show", "nope"}, ExitUsage, "unknown service"},
		{"no input", store, "", false, []string{"keys", "set", "google"}, ExitUsage, "--values"},
		{"bad json", store, "{", false, []string{"keys", "set", "google", "--values", "-"}, ExitUsage, "syntax error"},
		{"unknown field", store, `{"x":"y"}`, false, []string{"keys", "set", "google", "--values", "-"}, ExitUsage, "no field"},
		{"empty", store, `{}`, false, []string{"keys", "set", "google", "--values", "-"}, ExitUsage, "no keys given"},
		{"no store", nil, "", false, []string{"keys", "list"}, ExitFailed, "no secret store"},
		{"unknown subcommand", store, "", false, []string{"keys", "bogus"}, ExitUsage, "unknown command"},
		{"secret as a flag", store, "", false, []string{"keys", "set", "google", "--googleClientSecret", "x"}, ExitUsage, "unknown flag"},
	}
	for _, c := range cases {
		_, errs, code := runKeys(t, c.store, c.stdin, c.term, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%s: exit %d, %q", c.name, code, errs)
		}
	}
	var out, errb bytes.Buffer
	d := Deps{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Store: func(context.Context) (wizard.SecretStore, error) {
			return nil, &secrets.UnreachableError{Reason: "the login keyring is locked", VaultPath: "/x/vault.age"}
		}}
	if code := Run(context.Background(), []string{"keys", "list"}, d); code != ExitFailed || !strings.Contains(errb.String(), "KEYWIZARD_STORE=vault") {
		t.Fatalf("unreachable keyring: exit %d, %q", code, errb.String())
	}
}
