package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Flag values that would quietly mean something else are refused.
func TestInputFlagsRefused(t *testing.T) {
	store := &portalTestStore{m: map[[3]string]string{}}
	store.m[store.key("google", "googleClientId")] = "1-abc.apps.googleusercontent.com"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"test", "google", "--port", "0"}, "between 1 and 65535"},
		{[]string{"test", "google", "--port=0"}, "between 1 and 65535"},
		{[]string{"check", "google", "--values", ""}, "path is empty"},
		{[]string{"validate", "google", "--values="}, "path is empty"},
		{[]string{"keys", "set", "google", "--values", ""}, "path is empty"},
		{[]string{"push", "google", "--values", ""}, "path is empty"},
		{[]string{"test", "google", "--values", ""}, "path is empty"},
		{[]string{"guide", "google", "--redirect-url", "javascript:alert(1)"}, "https://"},
		{[]string{"guide", "google", "--redirect-url", "http://portal.example.com/oauth2.aspx"}, "https://"},
		{[]string{"guide", "google", "--redirect-url", ""}, "https://"},
	} {
		_, errs, code := runKeys(t, store, "", false, tc.args...)
		if code != ExitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%q: exit %d, %q", tc.args, code, errs)
		}
	}
	out, errs, code := runKeys(t, store, "", false, "guide", "google", "--redirect-url", "https://portal.example.com/oauth2.aspx")
	if code != 0 || !strings.Contains(out, "https://portal.example.com/oauth2.aspx") {
		t.Fatalf("a good redirect URL: exit %d, %q", code, errs)
	}
}

// A password sign-in whose expiry the portal writes in an unknown form
// does not say that an API key is kept.
func TestPasswordLoginWithoutExpiry(t *testing.T) {
	store := portalEnv(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "version/build"):
			_, _ = io.WriteString(w, `{"docSpace":"3.1.0"}`)
		case strings.HasSuffix(r.URL.Path, "authentication"):
			_, _ = io.WriteString(w, `{"response":{"token":"session-token-1234","expires":"next tuesday"},"status":0,"statusCode":200}`)
		default:
			_, _ = io.WriteString(w, `{"response":[],"status":0,"statusCode":200}`)
		}
	}))
	defer srv.Close()
	out, errs, code := runPortal(t, store, "password-1234\n", false, "portal", "login", srv.URL, "--user", "admin@example.com", "--password-stdin")
	if code != 0 || strings.Contains(out, "API key") || !strings.Contains(out, "session is kept") {
		t.Fatalf("exit %d: %q %q", code, out, errs)
	}
}
