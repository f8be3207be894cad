package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"keywizard/wizard/portal"
	"keywizard/wizard/portal/portaltest"
)

// A portal that fails every request, or answers with something that is
// not its API, stops the command with exit 3 and says what came back.
func TestLoginHostilePortalExit3(t *testing.T) {
	store := portalEnv(t)
	for _, tc := range []struct {
		status int
		body   string
		want   string
	}{
		{500, "internal error", "HTTP 500"},
		{503, "<html><title>Service Unavailable</title></html>", "HTTP 503"},
		{200, "<html><title>Parked domain</title></html>", "a web page"},
		{200, "null", "JSON null"},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(tc.status)
			_, _ = io.WriteString(w, tc.body)
		}))
		_, errs, code := runPortal(t, store, "pw\n", false, "portal", "login", srv.URL, "--user", "a@example.com", "--password-stdin")
		srv.Close()
		if code != ExitFailed || !strings.Contains(errs, tc.want) {
			t.Errorf("%d %q: exit %d, %q", tc.status, tc.body, code, errs)
		}
	}
}

// A portal's version reaches the terminal and the portal list without
// control characters and cut to a sane length.
func TestPortalVersionCleaned(t *testing.T) {
	store := portalEnv(t)
	real := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace})
	target := real.URL
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "version/build") {
			_, _ = io.WriteString(w, `{"docSpace":"3.1\u001b[2J\u001b[Hok `+strings.Repeat("9", 4<<20)+`"}`)
			return
		}
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, target+r.URL.RequestURI(), r.Body)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	defer proxy.Close()
	out, errs, code := runPortal(t, store, portaltest.DefaultPassword+"\n", false, "portal", "login", proxy.URL, "--user", portaltest.DefaultUser, "--password-stdin")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	if strings.Contains(out+errs, "\x1b") || len(out) > 1000 {
		t.Fatalf("output of %d bytes: %.200q", len(out), out)
	}
	dir := envPortals.Dir
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), "\x1b") || strings.Contains(string(b), `\u001b`) || len(b) > 4096 {
			t.Fatalf("%s holds %d bytes: %.200q", f, len(b), b)
		}
	}
	if len(files) == 0 {
		t.Fatal("no portal list written")
	}
}

// A version stored before it was cleaned is cleaned when shown.
func TestStoredVersionCleanedWhenShown(t *testing.T) {
	store := portalEnv(t)
	if err := testPortalList().Put(portal.Entry{URL: "https://docspace.example.com", Product: portal.DocSpace, Version: "3.1\x1b[2J\x1b[H" + strings.Repeat("9", 1<<20), User: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"portal", "status"}, {"portal", "status", "--json"}} {
		out, errs, _ := runPortal(t, store, "", false, args...)
		if strings.Contains(out+errs, "\x1b") || strings.Contains(out, `\u001b`) || len(out) > 2000 {
			t.Fatalf("%v: %d bytes: %.200q", args, len(out), out)
		}
	}
}
