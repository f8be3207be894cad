package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"sync"
	"testing"

	"keywizard/wizard/portal"
	"keywizard/wizard/portal/portaltest"
)

func TestKey(t *testing.T) {
	for url, want := range map[string]string{
		"https://portal.example.com":          "portal.example.com",
		"https://portal.example.com/":         "portal.example.com",
		"portal.example.com:8443":             "portal.example.com:8443",
		"https://host.example.com/a":          "host.example.com/a",
		"https://host.example.com/a/":         "host.example.com/a",
		"https://host.example.com/office/ds/": "host.example.com/office/ds",
		"https://host.example.com/a%20b#x":    "host.example.com/a%20b",
	} {
		if got := (portal.Entry{URL: url}).Key(); got != want {
			t.Errorf("Entry{%s}.Key() = %q, want %q", url, got, want)
		}
		c, err := portal.New(url, portal.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Key(); got != want {
			t.Errorf("Client(%s).Key() = %q, want %q", url, got, want)
		}
	}
	// A portal at the root keeps the name sessions had before paths
	// counted.
	if got := portal.SecretService((portal.Entry{URL: "https://Portal.Example.com/"}).Key()); got != "portal:portal.example.com" {
		t.Fatalf("root portal's service = %q", got)
	}
}

// TestTwoPortalsOnOneHost signs in to two portals served by one host at
// /a and /b: each keeps its own session, and forgetting one leaves the
// other.
func TestTwoPortalsOnOneHost(t *testing.T) {
	ctx := context.Background()
	a := portaltest.New(t, portaltest.Config{})
	b := portaltest.New(t, portaltest.Config{Password: "the other password"})
	mux := http.NewServeMux()
	mux.Handle("/a/", http.StripPrefix("/a", a.Config.Handler))
	mux.Handle("/b/", http.StripPrefix("/b", b.Config.Handler))
	host := httptest.NewServer(mux)
	defer host.Close()

	store := newMemStore()
	sessions := map[string]portal.Session{}
	for path, pw := range map[string]string{"/a": portaltest.DefaultPassword, "/b": "the other password"} {
		c, err := portal.New(host.URL+path, portal.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Login(ctx, portaltest.DefaultUser, pw); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if err := portal.SaveSession(ctx, store, c.Key(), c.Session(), pw); err != nil {
			t.Fatal(err)
		}
		sessions[path] = c.Session()
	}
	if sessions["/a"].Token == sessions["/b"].Token {
		t.Fatal("the two portals issued one token")
	}
	for path, want := range sessions {
		e := portal.Entry{URL: host.URL + path + "/"}
		got, err := portal.LoadSession(ctx, store, e.Key())
		if err != nil || got.Token != want.Token {
			t.Fatalf("%s: loaded another portal's session (%v)", path, err)
		}
		// The session works against its own portal only.
		c, _ := portal.New(e.URL, portal.Options{})
		c.SetSession(got)
		if err := c.CheckSession(ctx); err != nil {
			t.Fatalf("%s: its own session is refused: %v", path, err)
		}
	}
	if pw, _ := portal.LoadPassword(ctx, store, (portal.Entry{URL: host.URL + "/b"}).Key()); pw != "the other password" {
		t.Fatal("/b's password was overwritten by /a's")
	}
	if err := portal.ForgetSession(ctx, store, (portal.Entry{URL: host.URL + "/a"}).Key()); err != nil {
		t.Fatal(err)
	}
	if s, _ := portal.LoadSession(ctx, store, (portal.Entry{URL: host.URL + "/b"}).Key()); s.Token != sessions["/b"].Token {
		t.Fatal("forgetting /a forgot /b")
	}
}

func TestListPutFromManyGoroutines(t *testing.T) {
	l := portal.List{Dir: t.TempDir()}
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			if err := l.Put(portal.Entry{URL: fmt.Sprintf("https://p%02d.example.com", i), Product: portal.DocSpace}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got, err := l.Load(); err != nil || len(got) != 12 {
		t.Fatalf("%d portals remembered, want 12: %v", len(got), err)
	}
}

const listChildEnv = "KEYWIZARD_PORTAL_LIST_CHILD"

// TestListChild is one process of TestListAcrossProcesses.
func TestListChild(t *testing.T) {
	spec := os.Getenv(listChildEnv)
	if spec == "" {
		t.Skip("run by TestListAcrossProcesses")
	}
	var dir string
	var who int
	if _, err := fmt.Sscanf(spec, "%s %d", &dir, &who); err != nil {
		t.Fatal(err)
	}
	l := portal.List{Dir: dir}
	for i := range 8 {
		if err := l.Put(portal.Entry{URL: fmt.Sprintf("https://p%d-%d.example.com", who, i), Product: portal.Workspace}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Remove(fmt.Sprintf("https://p%d-0.example.com", who)); err != nil {
		t.Fatal(err)
	}
}

func TestListAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	var cmds []*exec.Cmd
	for w := range 4 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestListChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %d", listChildEnv, dir, w))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("a process failed: %v", err)
		}
	}
	if got, err := (portal.List{Dir: dir}).Load(); err != nil || len(got) != 4*7 {
		t.Fatalf("%d portals remembered, want %d: %v", len(got), 4*7, err)
	}
}
