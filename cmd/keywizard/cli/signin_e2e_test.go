package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"keywizard/wizard"
	"keywizard/wizard/loopback"
)

// toFake sends every request to one local server, keeping the real host in
// the Host header (the catalogue's identity and revocation URLs).
type toFake struct{ addr string }

func (t toFake) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Host = req.URL.Host
	r.URL.Scheme, r.URL.Host = "http", t.addr
	return http.DefaultTransport.RoundTrip(r)
}

const (
	e2eAccess  = "ya29.e2e-access-token"
	e2eRefresh = "1//e2e-refresh-token"
)

// googleFake answers as Google does for a good client: the code back to
// the redirect URI (with iss, RFC 9207), tokens, the People API profile
// the portal reads and the revocation endpoint.
func googleFake(t *testing.T, secret string) (*httptest.Server, func() []string) {
	var (
		mu           sync.Mutex
		seen         []string
		authRedirect string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Method+" "+r.Host+r.URL.Path)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/auth":
			authRedirect = r.Form.Get("redirect_uri")
			back, _ := url.Parse(authRedirect)
			back.RawQuery = url.Values{"code": {"4/e2e-code"}, "state": {r.Form.Get("state")}, "iss": {"https://accounts.google.com"},
				"scope": {"openid email profile"}}.Encode()
			http.Redirect(w, r, back.String(), http.StatusFound)
		case r.URL.Path == "/token":
			if r.PostForm.Get("client_secret") != secret || r.PostForm.Get("redirect_uri") != authRedirect || r.PostForm.Get("code_verifier") == "" {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = io.WriteString(w, `{"error":"invalid_client","error_description":"Unauthorized"}`)
				return
			}
			_, _ = io.WriteString(w, `{"access_token":"`+e2eAccess+`","refresh_token":"`+e2eRefresh+`","expires_in":3599,"token_type":"Bearer","scope":"https://www.googleapis.com/auth/drive https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile"}`)
		case r.Host == "people.googleapis.com" && r.URL.Path == "/v1/people/me":
			// The portal's own identity call (People API).
			if r.Header.Get("Authorization") != "Bearer "+e2eAccess || r.URL.Query().Get("personFields") != "emailAddresses,genders,names" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_, _ = io.WriteString(w, `{"resourceName":"people/1","names":[{"metadata":{"primary":true},"displayName":"Ada Lovelace"}],"emailAddresses":[{"metadata":{"primary":true},"value":"ada@example.com"}]}`)
		case r.Host == "oauth2.googleapis.com" && r.URL.Path == "/revoke":
			w.WriteHeader(http.StatusOK)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// playBrowser follows the sign-in URL like a browser: the provider's
// redirect, the callback, then the final page.
func playBrowser(page chan<- string) func(string) error {
	return func(u string) error {
		resp, err := http.Get(u)
		if err != nil {
			page <- ""
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		page <- string(b)
		return nil
	}
}

// TestTestCommandEndToEnd runs 'keywizard test google --json' with the real
// loopback engine against a Google fake: the JSON, the exit code, the
// redirect URI, and no token anywhere in the output.
func TestTestCommandEndToEnd(t *testing.T) {
	good := googleValues(t)
	for _, tc := range []struct {
		name   string
		secret string
		code   int
	}{
		{"signed in", good["googleClientSecret"], ExitOK},
		{"wrong secret", "GOCSPX-Wrong0000000000000000000000000", ExitInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, seen := googleFake(t, tc.secret)
			ln, err := net.Listen("tcp4", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			port := ln.Addr().(*net.TCPAddr).Port
			ln.Close()
			pages := make(chan string, 1)
			var out, errb bytes.Buffer
			d := Deps{Stdin: strings.NewReader(valuesJSON(t, good)), Stdout: &out, Stderr: &errb, Open: playBrowser(pages),
				SignIn: &loopback.Tester{
					Client:   &http.Client{Transport: toFake{addr: srv.Listener.Addr().String()}, Timeout: 10 * time.Second},
					Endpoint: &oauth2.Endpoint{AuthURL: srv.URL + "/auth", TokenURL: srv.URL + "/token"},
				}}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			code := Run(ctx, []string{"test", "google", "--values", "-", "--json", "--port", strconv.Itoa(port), "--timeout", "15s"}, d)
			var page string
			select {
			case page = <-pages:
			case <-time.After(10 * time.Second):
				t.Fatal("the browser never finished")
			}
			if !strings.Contains(page, "Test sign-in") {
				t.Errorf("final page %q", page)
			}
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nout %s\nerr %s", code, tc.code, out.String(), errb.String())
			}
			var got struct {
				Service     string           `json:"service"`
				OK          bool             `json:"ok"`
				Message     string           `json:"message"`
				Identity    *wizard.Identity `json:"identity"`
				RedirectURI string           `json:"redirect_uri"`
				Fix         string           `json:"fix"`
			}
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out.String())
			}
			want := "http://127.0.0.1:" + strconv.Itoa(port) + "/callback"
			if got.Service != "google" || got.RedirectURI != want || got.OK != (tc.code == ExitOK) {
				t.Fatalf("%+v", got)
			}
			if tc.code == ExitOK {
				if got.Identity == nil || got.Identity.Name != "Ada Lovelace" || got.Identity.Email != "ada@example.com" {
					t.Fatalf("identity %+v", got.Identity)
				}
				if !strings.Contains(strings.Join(seen(), "\n"), "POST oauth2.googleapis.com/revoke") {
					t.Errorf("the test token was not revoked: %v", seen())
				}
			} else if !strings.Contains(got.Fix, "Client secret") {
				t.Errorf("fix %q", got.Fix)
			}
			if !strings.Contains(errb.String(), want) {
				t.Errorf("stderr lacks the redirect URI to register: %s", errb.String())
			}
			all := out.String() + errb.String() + page
			for _, secret := range []string{e2eAccess, e2eRefresh, "4/e2e-code", tc.secret} {
				if strings.Contains(all, secret) || strings.Contains(all, url.QueryEscape(secret)) {
					t.Errorf("%q leaked into the output or the page", secret)
				}
			}
		})
	}
}

func TestTestAnyPortPrintsPortlessURI(t *testing.T) {
	fs := &fakeSignIn{res: wizard.SignInResult{OK: true, Message: "Signed in"}}
	fs.redirect = "http://localhost:49152/callback"
	v := map[string]string{"microsoftClientId": "00000000-1111-2222-3333-444444444444", "microsoftClientSecret": "abc8Q~abcdefghijklmnopqrstuvwxyz0123456"}
	_, errOut, code := runTestCmd(t, fs, valuesJSON(t, v), nil, "test", "microsoft", "--values", "-", "--no-browser")
	if code != ExitOK || !strings.Contains(errOut, "http://localhost/callback") || !strings.Contains(errOut, "ignores the port") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}
