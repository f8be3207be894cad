package loopback

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"
	"golang.org/x/oauth2"

	"keywizard/providers"
	"keywizard/wizard"
)

// chromium starts headless Chromium and returns a tab context, or skips the
// test when Chromium is not installed.
func chromium(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if path, err = exec.LookPath("/usr/bin/chromium"); err != nil {
			t.Skip("chromium is not installed: the end-to-end sign-in needs a real browser")
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(800, 600),
	)
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// oidcServer is mockoidc with S256 as the only PKCE method, plus a record
// of what the client sent, and an optional tampering of the verifier to
// prove the server checks it.
type oidcServer struct {
	*mockoidc.MockOIDC
	mu             sync.Mutex
	challengeMeth  string
	verifierSent   bool
	tamperVerifier bool
}

func newOIDC(t *testing.T) *oidcServer {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	m.CodeChallengeMethodsSupported = []string{mockoidc.CodeChallengeMethodS256}
	s := &oidcServer{MockOIDC: m}
	if err := m.AddMiddleware(s.record); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return s
}

func (s *oidcServer) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		switch r.URL.Path {
		case mockoidc.AuthorizationEndpoint:
			s.challengeMeth = r.URL.Query().Get("code_challenge_method")
		case mockoidc.TokenEndpoint:
			_ = r.ParseForm()
			s.verifierSent = r.PostForm.Get("code_verifier") != ""
			if s.tamperVerifier {
				r.PostForm.Set("code_verifier", oauth2.GenerateVerifier())
				r.Form.Set("code_verifier", r.PostForm.Get("code_verifier"))
			}
		}
		s.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// service is a catalogue entry pointing at mockoidc.
func (s *oidcServer) service() providers.Provider {
	return providers.Provider{
		ID: "oidc", Title: "Mock OIDC",
		Fields: []providers.Field{{ID: "id", Label: "Client ID"}, {ID: "secret", Label: "Client secret", Secret: true}},
		Steps:  []providers.Step{{Title: "Register the redirect URI", URL: "https://console.example.com/app"}},
		OAuth: &providers.OAuth{
			AuthURL:      s.AuthorizationEndpoint(),
			TokenURL:     s.TokenEndpoint(),
			AuthStyle:    oauth2.AuthStyleInParams, // mockoidc reads client_secret from the form
			Scopes:       []string{"openid", "email", "profile"},
			PKCE:         true,
			Loopback:     providers.LoopbackAnyPort,
			UserInfoURL:  s.UserinfoEndpoint(),
			Issuer:       s.Issuer(),
			ClientID:     "id",
			ClientSecret: "secret",
		},
	}
}

func (s *oidcServer) values() map[string]string {
	return map[string]string{"id": s.ClientID, "secret": s.ClientSecret}
}

// TestEndToEndChromium runs the whole flow with headless Chromium as the
// system browser and mockoidc as the provider.
func TestEndToEndChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	t0 := time.Now()
	browser := chromium(t)
	t.Logf("chromium started in %s", time.Since(t0))
	s := newOIDC(t)
	tr := &Tester{Client: &http.Client{Timeout: 10 * time.Second}, Lookup: func(string) (providers.Provider, bool) { return s.service(), true }}
	navErr := make(chan error, 1)
	open := func(u string) error {
		ctx, cancel := context.WithTimeout(browser, 20*time.Second)
		defer cancel()
		err := chromedp.Do(ctx, chromedp.Navigate(u))
		navErr <- err
		return err
	}

	start := time.Now()
	var authURL, redirect string
	res, err := tr.Run(context.Background(), "oidc", s.values(), wizard.SignInOptions{
		Timeout: 30 * time.Second,
		Open:    open,
		OnURL:   func(a, r string) { authURL, redirect = a, r },
	})
	elapsed := time.Since(start)
	if err != nil || !res.OK {
		t.Fatalf("sign-in failed: %v; %+v", err, res)
	}
	if e := <-navErr; e != nil {
		t.Fatalf("navigate: %v", e)
	}
	user := mockoidc.DefaultUser()
	if res.Identity == nil || res.Identity.Email != user.Email {
		t.Fatalf("identity %+v, want %s", res.Identity, user.Email)
	}
	if !strings.HasPrefix(res.Message, "Signed in as "+user.PreferredUsername+" <"+user.Email+">") {
		t.Fatalf("message %q", res.Message)
	}
	s.mu.Lock()
	meth, sent := s.challengeMeth, s.verifierSent
	s.mu.Unlock()
	if meth != "S256" || !sent {
		t.Fatalf("PKCE: method %q, verifier sent %v", meth, sent)
	}
	if u, _ := url.Parse(authURL); u.Query().Get("redirect_uri") != redirect || res.RedirectURI != redirect {
		t.Fatalf("redirect URI differs between the request and the result")
	}

	// What the browser ended on: /done, with the verdict and no code.
	ctx, cancel := context.WithTimeout(browser, 10*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, donePath) || strings.Contains(loc, "code=") {
		t.Fatalf("address bar %q still holds the answer", loc)
	}
	if title != "Test sign-in passed" || strings.Contains(html, s.ClientSecret) {
		t.Fatalf("page title %q", title)
	}
	t.Logf("end-to-end sign-in through Chromium and mockoidc took %s", elapsed)

	// The server checks PKCE: a wrong verifier is refused.
	s.mu.Lock()
	s.tamperVerifier = true
	s.mu.Unlock()
	t1 := time.Now()
	res, err = tr.Run(context.Background(), "oidc", s.values(), wizard.SignInOptions{Timeout: 30 * time.Second, Open: open})
	<-navErr
	t.Logf("second run %s", time.Since(t1))
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.Code != "invalid_grant" || res.OK {
		t.Fatalf("a wrong code_verifier must be refused by the server, got %v", err)
	}
	title, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil || title != "Test sign-in failed" {
		t.Fatalf("page title %q (%v)", title, err)
	}
}
