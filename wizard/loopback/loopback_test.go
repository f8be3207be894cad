package loopback

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"keywizard/providers"
	"keywizard/wizard"
)

// signIn runs a flow whose browser is browse with edit; it returns the
// result, the error and what the browser saw.
//
//lint:ignore ST1008 the browser's record comes last, after the flow's own answer
func signIn(t *testing.T, tr *Tester, edit func(*url.URL)) (wizard.SignInResult, error, browsed) {
	t.Helper()
	type seen struct {
		b   browsed
		err error
	}
	saw := make(chan seen, 1)
	opts := wizard.SignInOptions{
		Timeout: 10 * time.Second,
		Open: func(u string) error {
			b, err := browse(u, edit)
			saw <- seen{b, err}
			return nil
		},
	}
	res, err := tr.Run(context.Background(), "fake", fakeValues(), opts)
	select {
	case s := <-saw:
		if s.err != nil {
			t.Logf("browser: %v", s.err)
		}
		return res, err, s.b
	case <-time.After(5 * time.Second):
		t.Fatal("the browser never finished")
	}
	return res, err, browsed{}
}

func TestSignInPasses(t *testing.T) {
	fp := newFakeProvider(t)
	fp.iss = fp.URL // RFC 9207: a matching iss is accepted
	res, err, saw := signIn(t, testerFor(fakeService(fp)), nil)
	if err != nil || !res.OK {
		t.Fatalf("sign-in failed: %v; %+v", err, res)
	}
	if res.Identity == nil || res.Identity.String() != "Ada Lovelace <ada@example.com>" {
		t.Fatalf("identity %+v", res.Identity)
	}
	if !strings.HasPrefix(res.Message, "Signed in as Ada Lovelace <ada@example.com>") {
		t.Fatalf("message %q", res.Message)
	}
	if strings.Join(res.Scopes, " ") != "openid email" {
		t.Fatalf("scopes %v", res.Scopes)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "drive") {
		t.Fatalf("want one warning about the portal's drive scope, got %q", res.Warnings)
	}
	if saw.callbackStatus != http.StatusSeeOther || saw.location != donePath || !strings.HasSuffix(saw.finalURL, donePath) {
		t.Fatalf("callback must 303 to /done: %+v", saw)
	}
	if !strings.Contains(saw.page, "Test sign-in passed") || !strings.Contains(saw.page, "close this tab") {
		t.Fatalf("page: %s", saw.page)
	}
	fp.mu.Lock()
	defer fp.mu.Unlock()
	if fp.revokeForm.Get("token") != fakeRefresh || fp.revokeForm.Get("client_secret") != fakeClientSecret {
		t.Fatalf("revoke form %v", fp.revokeForm)
	}
	if fp.tokenForm.Get("redirect_uri") != res.RedirectURI || fp.authQuery.Get("redirect_uri") != res.RedirectURI {
		t.Fatalf("redirect_uri must be identical in both requests and the result (RFC 6749 4.1.3)")
	}
	if fp.authQuery.Get("response_type") != "code" {
		t.Fatalf("response_type %q", fp.authQuery.Get("response_type"))
	}
}

// RFC 7636: S256 challenge in the authorization request, its verifier at
// the token endpoint; never "plain".
func TestPKCE(t *testing.T) {
	fp := newFakeProvider(t)
	if _, err, _ := signIn(t, testerFor(fakeService(fp)), nil); err != nil {
		t.Fatal(err)
	}
	auth, tok, _ := fp.seen()
	v := tok.Get("code_verifier")
	if auth.Get("code_challenge_method") != "S256" {
		t.Fatalf("code_challenge_method %q", auth.Get("code_challenge_method"))
	}
	if len(v) < 43 || len(v) > 128 || s256(v) != auth.Get("code_challenge") {
		t.Fatalf("verifier %d chars does not match the challenge", len(v))
	}
	if auth.Get("code_challenge") == v {
		t.Fatal("challenge equals the verifier (plain)")
	}

	fp2 := newFakeProvider(t)
	p := fakeService(fp2)
	p.OAuth.PKCE = false
	if _, err, _ := signIn(t, testerFor(p), nil); err != nil {
		t.Fatal(err)
	}
	auth, tok, _ = fp2.seen()
	if auth.Has("code_challenge") || tok.Has("code_verifier") {
		t.Fatal("PKCE sent to a provider that does not take it")
	}
}

// RFC 8252 8.9, RFC 9700 4.7: an answer with another state stops the flow
// and never reaches the token endpoint.
func TestStateMismatchRejected(t *testing.T) {
	fp := newFakeProvider(t)
	res, err, saw := signIn(t, testerFor(fakeService(fp)), func(u *url.URL) {
		q := u.Query()
		q.Set("state", "forged-"+q.Get("state"))
		u.RawQuery = q.Encode()
	})
	if !errors.Is(err, ErrStateMismatch) || res.OK {
		t.Fatalf("want ErrStateMismatch, got %v", err)
	}
	if _, _, calls := fp.seen(); calls != 0 {
		t.Fatalf("token endpoint called %d times after a state mismatch", calls)
	}
	if !strings.Contains(res.Message, "attack") || !strings.Contains(saw.page, "stopped") {
		t.Fatalf("message %q page %q", res.Message, saw.page)
	}
}

// RFC 8252 8.3 / 9700 4.2.4: one answer only; state is gone after use.
func TestSecondCallbackRejected(t *testing.T) {
	fp := newFakeProvider(t)
	var second int
	var secondPage string
	tr := testerFor(fakeService(fp))
	opts := wizard.SignInOptions{Timeout: 10 * time.Second, Open: func(u string) error {
		resp, err := noFollow.Get(u)
		if err != nil {
			return err
		}
		resp.Body.Close()
		cb := resp.Header.Get("Location")
		for i := 0; i < 2; i++ {
			r, err := noFollow.Get(cb)
			if err != nil {
				return err
			}
			if i == 1 {
				second = r.StatusCode
				b := make([]byte, 4096)
				n, _ := r.Body.Read(b)
				secondPage = string(b[:n])
			}
			r.Body.Close()
		}
		done, _ := url.Parse(cb)
		done.Path, done.RawQuery = donePath, ""
		r, err := http.Get(done.String())
		if err == nil {
			r.Body.Close()
		}
		return err
	}}
	res, err := tr.Run(context.Background(), "fake", fakeValues(), opts)
	if err != nil || !res.OK {
		t.Fatalf("first answer must pass: %v", err)
	}
	if second != http.StatusConflict || !strings.Contains(secondPage, "already finished") {
		t.Fatalf("second callback: %d %q", second, secondPage)
	}
	if _, _, calls := fp.seen(); calls != 1 {
		t.Fatalf("token endpoint called %d times", calls)
	}
}

// RFC 8252 8.3: the listener is reachable on loopback only.
func TestBoundToLoopbackOnly(t *testing.T) {
	fp := newFakeProvider(t)
	tr := testerFor(fakeService(fp))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var redirect string
	var dialErrs []string
	opts := wizard.SignInOptions{OnURL: func(_, r string) {
		redirect = r
		u, _ := url.Parse(r)
		addrs, _ := net.InterfaceAddrs()
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() {
				continue
			}
			c, err := net.DialTimeout("tcp", net.JoinHostPort(ipn.IP.String(), u.Port()), time.Second)
			if err == nil {
				c.Close()
				dialErrs = append(dialErrs, "reachable on "+ipn.IP.String())
			}
		}
		cancel()
	}}
	_, err := tr.Run(ctx, "fake", fakeValues(), opts)
	if !errors.Is(err, ErrCanceled) {
		t.Fatalf("want ErrCanceled, got %v", err)
	}
	u, _ := url.Parse(redirect)
	if u.Hostname() != "127.0.0.1" || u.Port() == "" || u.Path != "/callback" {
		t.Fatalf("redirect URI %q", redirect)
	}
	if len(dialErrs) > 0 {
		t.Fatalf("listener not loopback-only: %v", dialErrs)
	}
}

// RFC 8252 7.3: fall back to [::1] when IPv4 loopback is unavailable, with
// the URI naming the address actually bound.
func TestIPv6Fallback(t *testing.T) {
	if ln, err := net.Listen("tcp6", "[::1]:0"); err != nil {
		t.Skip("no IPv6 loopback here")
	} else {
		ln.Close()
	}
	fp := newFakeProvider(t)
	tr := testerFor(fakeService(fp))
	var networks []string
	tr.listen = func(network, addr string) (net.Listener, error) {
		networks = append(networks, network+" "+addr)
		if network == "tcp4" {
			return nil, &net.OpError{Op: "listen", Net: network, Err: syscall.EADDRNOTAVAIL}
		}
		return net.Listen(network, addr)
	}
	res, err, _ := signIn(t, tr, nil)
	if err != nil || !res.OK {
		t.Fatalf("sign-in over [::1] failed: %v %+v", err, res)
	}
	if !strings.HasPrefix(res.RedirectURI, "http://[::1]:") {
		t.Fatalf("redirect %q", res.RedirectURI)
	}
	if len(networks) != 2 || networks[1] != "tcp6 [::1]:0" {
		t.Fatalf("listen calls %v", networks)
	}
}

// "localhost" only where the provider requires it, still bound to 127.0.0.1.
func TestLocalhostHost(t *testing.T) {
	o := &providers.OAuth{Loopback: providers.LoopbackAnyPort, LoopbackHost: "localhost"}
	b, err := bind(net.Listen, o, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer b.ln.Close()
	if got := b.ln.Addr().(*net.TCPAddr).IP.String(); got != "127.0.0.1" {
		t.Fatalf("bound %s", got)
	}
	if want := "http://localhost:" + strconv.Itoa(b.port) + "/callback"; b.redirectURI != want || b.host != "localhost:"+strconv.Itoa(b.port) {
		t.Fatalf("uri %q host %q", b.redirectURI, b.host)
	}
}

func TestExactPortBusy(t *testing.T) {
	held, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	port := held.Addr().(*net.TCPAddr).Port
	fp := newFakeProvider(t)
	p := fakeService(fp)
	p.OAuth.Loopback, p.OAuth.DefaultPort = providers.LoopbackExact, port
	res, err := testerFor(p).Run(context.Background(), "fake", fakeValues(), wizard.SignInOptions{})
	if !errors.Is(err, ErrPortBusy) || !CouldNotRun(err) {
		t.Fatalf("want ErrPortBusy, got %v", err)
	}
	ps := strconv.Itoa(port)
	if !strings.Contains(res.Message, ps) || !strings.Contains(res.Fix, "--port") || !strings.Contains(res.Fix, "register") {
		t.Fatalf("result must name the port, --port and registration: %+v", res)
	}
	if res.RedirectURI != "http://127.0.0.1:"+ps+"/callback" {
		t.Fatalf("redirect %q", res.RedirectURI)
	}
}

func TestExactPortUsesDefaultOrRequested(t *testing.T) {
	o := &providers.OAuth{Loopback: providers.LoopbackExact, DefaultPort: 53682}
	if portFor(o, 0) != 53682 || portFor(o, 8085) != 8085 {
		t.Fatal("exact rule must use DefaultPort or the requested port")
	}
	o.Loopback = providers.LoopbackAnyPort
	if portFor(o, 0) != 0 || portFor(o, 8085) != 8085 {
		t.Fatal("any-port rule must use an ephemeral port unless one is asked for")
	}
}

func TestNoLoopback(t *testing.T) {
	p := fakeService(newFakeProvider(t))
	p.OAuth.Loopback = providers.LoopbackNone
	res, err := testerFor(p).Run(context.Background(), "fake", fakeValues(), wizard.SignInOptions{})
	if !errors.Is(err, ErrNoLoopback) || !CouldNotRun(err) || !strings.Contains(res.Fix, "keywizard check fake") {
		t.Fatalf("%v %+v", err, res)
	}
}

func TestTimeout(t *testing.T) {
	fp := newFakeProvider(t)
	var redirect string
	start := time.Now()
	res, err := testerFor(fakeService(fp)).Run(context.Background(), "fake", fakeValues(), wizard.SignInOptions{
		Timeout: 200 * time.Millisecond,
		OnURL:   func(_, r string) { redirect = r },
	})
	if !errors.Is(err, ErrTimeout) || res.OK || !CouldNotRun(err) {
		t.Fatalf("want ErrTimeout, got %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("timeout took %s", d)
	}
	// An any-port service is registered without the port.
	u, _ := url.Parse(redirect)
	if !strings.Contains(res.Fix, "http://127.0.0.1"+u.Path) || strings.Contains(res.Fix, u.Host) || !strings.Contains(res.Fix, "--timeout") {
		t.Fatalf("fix %q", res.Fix)
	}
	// The listener is closed once the flow is over.
	if _, err := http.Get(redirect + "?state=x&code=y"); err == nil {
		t.Fatal("listener still open after the timeout")
	}
}

func TestCancel(t *testing.T) {
	fp := newFakeProvider(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	res, err := testerFor(fakeService(fp)).Run(ctx, "fake", fakeValues(), wizard.SignInOptions{})
	if !errors.Is(err, ErrCanceled) || res.OK || !strings.Contains(res.Message, "cancelled") {
		t.Fatalf("want ErrCanceled, got %v %+v", err, res)
	}
}

// The provider's error and description are surfaced, HTML-escaped on the
// page.
func TestErrorParameterSurfaced(t *testing.T) {
	fp := newFakeProvider(t)
	fp.authError = url.Values{"error": {"access_denied"}, "error_description": {`<script>alert("x")</script> user said no`}}
	res, err, saw := signIn(t, testerFor(fakeService(fp)), nil)
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.Code != "access_denied" || pe.Stage != "authorization" {
		t.Fatalf("want access_denied, got %v", err)
	}
	if !strings.Contains(res.Message, "declined") || !strings.Contains(res.Message, "user said no") || res.Fix == "" {
		t.Fatalf("result %+v", res)
	}
	if strings.Contains(saw.page, "<script>") || !strings.Contains(saw.page, "&lt;script&gt;") || !strings.Contains(saw.page, "access_denied") {
		t.Fatalf("page must show the escaped error: %s", saw.page)
	}
	if _, _, calls := fp.seen(); calls != 0 {
		t.Fatal("token endpoint called after an error answer")
	}
}

// RFC 9207: an answer naming another issuer is rejected.
func TestIssuerMismatchRejected(t *testing.T) {
	fp := newFakeProvider(t)
	fp.iss = "https://attacker.example"
	res, err, _ := signIn(t, testerFor(fakeService(fp)), nil)
	if !errors.Is(err, ErrIssuerMismatch) || res.OK {
		t.Fatalf("want ErrIssuerMismatch, got %v", err)
	}
	if _, _, calls := fp.seen(); calls != 0 {
		t.Fatal("token endpoint called after an iss mismatch")
	}
}

// Wrong path, wrong Host (DNS rebinding) and wrong method get 404 and do
// not end the flow.
func TestStrayRequests404(t *testing.T) {
	fp := newFakeProvider(t)
	var statuses []int
	res, err, _ := signIn(t, testerFor(fakeService(fp)), func(cb *url.URL) {
		base := cb.Scheme + "://" + cb.Host
		try := func(method, target, host string) {
			req, _ := http.NewRequest(method, target, nil)
			if host != "" {
				req.Host = host
			}
			resp, err := noFollow.Do(req)
			if err != nil {
				statuses = append(statuses, -1)
				return
			}
			resp.Body.Close()
			statuses = append(statuses, resp.StatusCode)
		}
		try(http.MethodGet, base+"/favicon.ico", "")
		try(http.MethodGet, base+"/callback/extra?"+cb.RawQuery, "")
		try(http.MethodGet, cb.String(), "attacker.example:"+cb.Port())
		try(http.MethodPost, cb.String(), "")
		try(http.MethodGet, base+donePath, "")
	})
	if err != nil || !res.OK {
		t.Fatalf("flow must survive stray requests: %v", err)
	}
	for i, s := range statuses {
		if s != http.StatusNotFound {
			t.Fatalf("stray request %d answered %d, want 404 (%v)", i, s, statuses)
		}
	}
}

// No code, token, state, verifier or secret in what the browser sees.
func TestPageCarriesNoSecrets(t *testing.T) {
	fp := newFakeProvider(t)
	res, err, saw := signIn(t, testerFor(fakeService(fp)), nil)
	if err != nil {
		t.Fatal(err)
	}
	auth, tok, _ := fp.seen()
	for _, s := range []string{fakeCode, fakeAccess, fakeRefresh, fakeClientSecret, auth.Get("state"), tok.Get("code_verifier")} {
		if strings.Contains(saw.page, s) || strings.Contains(saw.finalURL, s) || strings.Contains(saw.location, s) {
			t.Fatalf("the browser saw a secret %q", s)
		}
		if strings.Contains(res.Message+strings.Join(res.Warnings, " ")+res.Fix, s) {
			t.Fatalf("the result holds a secret %q", s)
		}
	}
	h := saw.header
	if h.Get("Referrer-Policy") != "no-referrer" || h.Get("Cache-Control") != "no-store" || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("headers %v", h)
	}
	for _, ext := range []string{"http://", "https://", "<script", "<img", "<link"} {
		if strings.Contains(saw.page, ext) {
			t.Fatalf("page is not self-contained: has %q", ext)
		}
	}
}

func TestTokenErrors(t *testing.T) {
	cases := []struct {
		name, body, want string
		status           int
	}{
		{"wrong secret", `{"error":"invalid_client","error_description":"Unauthorized"}`, `rejected the "Client secret"`, 401},
		{"unknown client", `{"error":"invalid_client","error_description":"The OAuth client was not found."}`, `does not know this "Client ID"`, 401},
		{"secret id", `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}`, "not the secret's value", 401},
		{"redirect", `{"error":"invalid_request","error_description":"redirect_uri is incorrect, check application redirect uri in the settings page"}`, "redirect URI of the test is not registered", 400},
		{"facebook", `{"error":{"message":"Error validating client secret.","type":"OAuthException","code":1}}`, `rejected the "Client secret"`, 400},
		{"wrong type", `{"error":"unauthorized_client","error_description":"Missing valid authorization header"}`, "wrong type", 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fp := newFakeProvider(t)
			fp.tokenError, fp.tokenBody = c.status, c.body
			res, err, saw := signIn(t, testerFor(fakeService(fp)), nil)
			var pe *ProviderError
			if !errors.As(err, &pe) || pe.Stage != "token" || CouldNotRun(err) {
				t.Fatalf("want a token ProviderError, got %v", err)
			}
			if !strings.Contains(res.Message, c.want) || res.Fix == "" || res.FixURL == "" {
				t.Fatalf("result %+v", res)
			}
			if !strings.Contains(saw.page, "failed") {
				t.Fatalf("page %s", saw.page)
			}
			if _, _, calls := fp.seen(); calls != 1 {
				t.Fatalf("%d token requests: an explicit AuthStyle sends exactly one", calls)
			}
		})
	}
}

func TestAuthStyleInHeader(t *testing.T) {
	fp := newFakeProvider(t)
	p := fakeService(fp)
	p.OAuth.AuthStyle = oauth2.AuthStyleInHeader
	if _, err, _ := signIn(t, testerFor(p), nil); err != nil {
		t.Fatal(err)
	}
	_, tok, calls := fp.seen()
	fp.mu.Lock()
	basic := fp.tokenBasic
	fp.mu.Unlock()
	if !basic || tok.Has("client_secret") || calls != 1 {
		t.Fatalf("basic %v, secret in body %v, calls %d", basic, tok.Has("client_secret"), calls)
	}
	if authStyle(oauth2.AuthStyleAutoDetect) == oauth2.AuthStyleAutoDetect {
		t.Fatal("auto-detect must never reach x/oauth2")
	}
}

func TestRedirectMismatchAdvice(t *testing.T) {
	p, _ := providers.Lookup("google")
	c := adviceCtx{p: p, redirectURI: "http://127.0.0.1:53682/callback"}
	a := adviceFor(c, &ProviderError{Stage: "authorization", Code: "redirect_uri_mismatch"})
	if !strings.Contains(a.Fix, c.redirectURI) || a.FixURL != "https://console.cloud.google.com/auth/clients/create" {
		t.Fatalf("%+v", a)
	}
	a = adviceFor(c, &ProviderError{Stage: "authorization", Code: "invalid_request", Description: "AADSTS50011: The redirect URI specified in the request does not match"})
	if !strings.Contains(a.Fix, c.redirectURI) {
		t.Fatalf("%+v", a)
	}
	a = adviceFor(c, &ProviderError{Stage: "token", Code: "invalid_request", Description: "AADSTS700016: Application not found in the directory"})
	if !strings.Contains(a.Message, "no application") {
		t.Fatalf("%+v", a)
	}
}

func TestGoogleNote(t *testing.T) {
	fp := newFakeProvider(t)
	p := fakeService(fp)
	p.OAuth.AuthURL = "https://accounts.google.com/o/oauth2/auth"
	tr := testerFor(p)
	tr.Endpoint = &oauth2.Endpoint{AuthURL: fp.URL + "/auth", TokenURL: fp.URL + "/token"}
	res, err, _ := signIn(t, tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "refresh tokens expire after 7 days") {
		t.Fatalf("warnings %q", res.Warnings)
	}
}

func TestMissingClientID(t *testing.T) {
	p := fakeService(newFakeProvider(t))
	_, err := testerFor(p).Run(context.Background(), "fake", map[string]string{"csec": "x"}, wizard.SignInOptions{})
	if !errors.Is(err, ErrMissingValue) || !strings.Contains(err.Error(), "Client ID") {
		t.Fatalf("%v", err)
	}
}

func TestFillTemplates(t *testing.T) {
	p := providers.Provider{ID: "x", OAuth: &providers.OAuth{HostField: "host", TenantField: "tenant"}}
	got, err := fill(p, "https://login.example.com/{tenant}/authorize", nil)
	if err != nil || got != "https://login.example.com/common/authorize" {
		t.Fatalf("%q %v", got, err)
	}
	got, err = fill(p, "https://{host}/oauth/auth", map[string]string{"host": "https://account-d.docusign.com/"})
	if err != nil || got != "https://account-d.docusign.com/oauth/auth" {
		t.Fatalf("%q %v", got, err)
	}
	if _, err := fill(p, "https://{host}/x", map[string]string{"host": "evil.example/path?"}); err == nil {
		t.Fatal("a host with a path must be refused")
	}
	if checkEndpoint("http://example.com/token") == nil || checkEndpoint("http://127.0.0.1:1/token") != nil {
		t.Fatal("only https, or http to loopback, is allowed")
	}
}
