package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keywizard/wizard"
	"keywizard/wizard/portal/portaltest"
)

// runInput drives the command line with stdin as given, and returns when
// the command ends (or fails the test after 10 seconds).
func runInput(t *testing.T, ctx context.Context, store wizard.SecretStore, stdin io.Reader, terminal bool, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	d := Deps{
		Stdin: stdin, Stdout: &out, Stderr: &errb, Version: "test",
		IsTerminal: func() bool { return terminal }, Portals: testPortals(),
	}
	if store != nil {
		d.Store = func(context.Context) (wizard.SecretStore, error) { return store, nil }
	}
	done := make(chan int, 1)
	go func() { done <- Run(ctx, args, d) }()
	select {
	case code := <-done:
		return out.String(), errb.String(), code
	case <-time.After(10 * time.Second):
		t.Fatalf("%v did not end", args)
	}
	return "", "", 0
}

func devZero(t *testing.T) *os.File {
	t.Helper()
	f, err := os.Open("/dev/zero")
	if err != nil {
		t.Skip("no /dev/zero here")
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// Input that never ends (stdin or a file fed from /dev/zero) is refused
// with what was too large, not read until memory runs out.
func TestEndlessInputRefused(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"portal", "login", srv.URL, "--user", portaltest.DefaultUser, "--password-stdin"}, "larger than 64 KiB"},
		{[]string{"portal", "login", srv.URL, "--api-key-stdin"}, "larger than 64 KiB"},
		{[]string{"keys", "set", "google", "--values", "-"}, "larger than 1 MiB"},
		{[]string{"keys", "set", "google", "--values", "/dev/zero"}, "values file is larger than 1 MiB"},
		{[]string{"validate", "google", "--values", "/dev/zero"}, "larger than 1 MiB"},
		{[]string{"portal", "login", srv.URL, "--user", portaltest.DefaultUser, "--password-stdin", "--ca-file", "/dev/zero"}, "--ca-file /dev/zero: it is larger than 4 MiB"},
	} {
		_, errs, code := runInput(t, context.Background(), store, devZero(t), false, tc.args...)
		if code != ExitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %q", tc.args, code, errs)
		}
	}
	if len(store.values()) != 0 {
		t.Fatalf("something was stored: %d values", len(store.values()))
	}
	t.Setenv("SSL_CERT_FILE", "/dev/zero")
	_, errs, code := runInput(t, context.Background(), store, strings.NewReader("pw\n"), false, "portal", "login", srv.URL, "--user", portaltest.DefaultUser, "--password-stdin")
	if code != ExitUsage || !strings.Contains(errs, "SSL_CERT_FILE=/dev/zero: it is larger than 4 MiB") {
		t.Fatalf("SSL_CERT_FILE=/dev/zero: exit %d, %q", code, errs)
	}
}

func TestValuesFileRefusals(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := write("big.json", `{"googleClientId":"`+strings.Repeat("x", 1<<20)+`"}`)
	store := &portalTestStore{m: map[[3]string]string{}}
	store.m[store.key("google", "googleClientSecret")] = "GOCSPX-kept-as-stored-1234"
	for _, tc := range []struct {
		file, want string
	}{
		{big, "larger than 1 MiB"},
		{write("null.json", "null"), "null, not an object"},
		{write("nullvalue.json", `{"googleClientSecret":null}`), `"googleClientSecret" is null`},
		{write("utf8.json", "{\"googleClientId\":\"1-abc\xff.apps.googleusercontent.com\"}"), `"googleClientId" is not valid UTF-8`},
	} {
		_, errs, code := runKeys(t, store, "", false, "keys", "set", "google", "--values", tc.file)
		if code != ExitUsage || !strings.Contains(errs, tc.want) || strings.Contains(errs, "byte 1048576") {
			t.Errorf("%s: exit %d, %q", tc.file, code, errs)
		}
	}
	if got := store.m[store.key("google", "googleClientSecret")]; got != "GOCSPX-kept-as-stored-1234" {
		t.Fatalf("the stored secret became %q", got)
	}
}

// Ctrl-C ends every wait for input, a blocked read included: exit 130,
// nothing stored.
func TestInterruptEndsReads(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace})
	fifo := filepath.Join(t.TempDir(), "values")
	if err := mkfifo(fifo); err != nil {
		t.Skip("no FIFOs here")
	}
	for _, tc := range []struct {
		terminal bool
		args     []string
	}{
		{false, []string{"keys", "set", "google", "--values", "-"}},
		{false, []string{"keys", "set", "google", "--values", fifo}},
		{false, []string{"validate", "google", "--values", fifo}},
		{true, []string{"keys", "set", "google"}},
		{false, []string{"portal", "login", srv.URL, "--user", portaltest.DefaultUser, "--password-stdin"}},
		{true, []string{"portal", "login", srv.URL, "--api-key-stdin"}},
	} {
		r, w := io.Pipe()
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		_, errs, code := runInput(t, ctx, store, r, tc.terminal, tc.args...)
		w.Close()
		if code != ExitInterrupted || !strings.Contains(errs, "interrupted") {
			t.Errorf("%v: exit %d, %q", tc.args, code, errs)
		}
	}
	if len(store.values()) != 0 {
		t.Fatalf("something was stored: %d values", len(store.values()))
	}
}
