package loopback

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"keywizard/providers"
	"keywizard/wizard"
)

// hostRewrite sends every request to a local fake, keeping the real host
// in the Host header, so that the catalogue's own identity and revocation
// URLs are called as they are.
type hostRewrite struct{ addr string }

func (t hostRewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Host = req.URL.Host
	r.URL.Scheme, r.URL.Host = "http", t.addr
	return http.DefaultTransport.RoundTrip(r)
}

// seenCall is one request the catalogue fake saw.
type seenCall struct {
	method, host, path, auth string
	query, form              url.Values
	basic                    bool
}

// catalogueFake plays any provider at the catalogue's own URLs (every
// request reaches it with the real host in the Host header): the
// authorization page sends the answer back, the token endpoints issue
// tokens (OAuth 2.0 JSON, or OAuth 1.0a form answers), everything else
// (identity, revocation) is recorded and answered with a profile.
type catalogueFake struct {
	*httptest.Server
	flow  providers.PortalFlow // with {host} filled
	mu    sync.Mutex
	calls []seenCall
}

func newCatalogueFake(t *testing.T, f providers.PortalFlow) *catalogueFake {
	cf := &catalogueFake{flow: f}
	cf.Server = httptest.NewServer(http.HandlerFunc(cf.serve))
	t.Cleanup(cf.Close)
	return cf
}

func hostPath(raw string) string {
	u, _ := url.Parse(raw)
	return u.Host + u.Path
}

func (cf *catalogueFake) serve(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	_, _, basic := r.BasicAuth()
	c := seenCall{method: r.Method, host: r.Host, path: r.URL.Path, auth: r.Header.Get("Authorization"),
		query: r.URL.Query(), form: r.PostForm, basic: basic}
	cf.mu.Lock()
	cf.calls = append(cf.calls, c)
	cf.mu.Unlock()
	q := r.URL.Query()
	switch r.Host + r.URL.Path {
	case hostPath(cf.flow.AuthURL):
		back, _ := url.Parse(q.Get("redirect_uri"))
		answer := url.Values{"code": {fakeCode}, "state": {q.Get("state")}}
		if cf.flow.OAuth1 {
			back, _ = url.Parse(cf.callback())
			answer = url.Values{"oauth_token": {q.Get("oauth_token")}, "oauth_verifier": {fakeCode}}
		}
		back.RawQuery = answer.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	case hostPath(cf.flow.RequestTokenURL):
		_, _ = io.WriteString(w, "oauth_token=temp-token&oauth_token_secret=temp-secret&oauth_callback_confirmed=true")
	case hostPath(cf.flow.TokenURL):
		if cf.flow.OAuth1 {
			_, _ = io.WriteString(w, "oauth_token="+fakeAccess+"&oauth_token_secret="+fakeRefresh+"&user_id=42&screen_name=ada")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": fakeAccess, "refresh_token": fakeRefresh, "token_type": "Bearer",
			"expires_in": 3600, "user_id": 77, "x_mailru_vid": "123456789", "email": "ada@example.com"})
	default:
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"sub":"42","id":"42","name":"Ada Lovelace","email":"ada@example.com"}`)
	}
}

// callback is the oauth_callback of the OAuth 1.0a request token call.
func (cf *catalogueFake) callback() string {
	for _, c := range cf.seen() {
		if c.host+c.path == hostPath(cf.flow.RequestTokenURL) {
			return oauthParam(c.auth, "oauth_callback")
		}
	}
	return ""
}

func (cf *catalogueFake) seen() []seenCall {
	cf.mu.Lock()
	defer cf.mu.Unlock()
	return append([]seenCall(nil), cf.calls...)
}

// oauthParam reads one parameter of an OAuth 1.0a Authorization header.
func oauthParam(header, name string) string {
	for _, part := range strings.Split(strings.TrimPrefix(header, "OAuth "), ", ") {
		k, v, _ := strings.Cut(part, "=")
		if k == name {
			s, _ := url.PathUnescape(strings.Trim(v, `"`))
			return s
		}
	}
	return ""
}

// rewriteBrowser plays the browser for sign-ins at the catalogue's real
// URLs: the authorization page is asked of the fake with its real host,
// then the answer goes to the loopback listener and on to /done.
func rewriteBrowser(addr string) func(string) error {
	return func(raw string) error {
		u, err := url.Parse(raw)
		if err != nil {
			return err
		}
		host := u.Host
		u.Scheme, u.Host = "http", addr
		req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
		req.Host = host
		return deliverAnswer(noFollow, req)
	}
}

// deliverAnswer asks the service's sign-in page with c (which must not
// follow redirects) and takes its answer to the loopback listener, on to
// the final page.
func deliverAnswer(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	resp, err = http.Get(resp.Header.Get("Location"))
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// catalogueCase is one sign-in to hold to the catalogue: a service, the
// product asked for, and the flow the catalogue says must be replayed.
type catalogueCase struct {
	p       providers.Provider
	product providers.Product
	flow    providers.PortalFlow
	portal  bool
}

func catalogueCases(t *testing.T) []catalogueCase {
	var cases []catalogueCase
	for _, p := range append(providers.All(), variants(t)...) {
		o := p.OAuth
		if o == nil || o.Loopback == providers.LoopbackNone {
			continue
		}
		if len(o.Portal) == 0 {
			cases = append(cases, catalogueCase{p: p, flow: ownFlow(o)})
		}
		for _, prod := range providers.Products {
			if f, ok := o.Portal[prod]; ok {
				cases = append(cases, catalogueCase{p: p, product: prod, flow: f, portal: true})
			}
		}
	}
	return cases
}

// TestSignInReplaysCatalogue holds the sign-in engine to the catalogue
// for every service that allows loopback redirects and every product that
// offers it: the authorization request (endpoint, scopes, parameters),
// the token call and the identity calls the test makes are the ones the
// catalogue records for the portal's own flow, with only the redirect
// URI changed (and PKCE added where the record says so).
func TestSignInReplaysCatalogue(t *testing.T) {
	for _, c := range catalogueCases(t) {
		name := c.p.ID + "/" + string(c.product)
		if c.p.Title == "variant" {
			name += "-variant"
		}
		t.Run(name, func(t *testing.T) {
			o := c.p.OAuth
			flow := fillFlow(c.flow)
			cf := newCatalogueFake(t, flow)
			addr := cf.Listener.Addr().String()
			tr := &Tester{
				Client: &http.Client{Transport: hostRewrite{addr: addr}, Timeout: 10 * time.Second},
				Lookup: func(string) (providers.Provider, bool) { return c.p, true },
			}
			values := map[string]string{first(flow.ClientID, o.ClientID): fakeClientID, first(flow.ClientSecret, o.ClientSecret): fakeClientSecret}
			if o.HostField != "" {
				values[o.HostField] = "account-d.docusign.com"
			}
			var authURL string
			opts := wizard.SignInOptions{Port: freePort(t), Timeout: 10 * time.Second, Product: string(c.product),
				OnURL: func(a, _ string) { authURL = a }, Open: rewriteBrowser(addr)}
			res, err := tr.Run(context.Background(), c.p.ID, values, opts)
			if err != nil || !res.OK {
				t.Fatalf("%v %+v", err, res)
			}
			if res.Product != string(c.product) || res.Proven == "" || !strings.Contains(res.NotProven, "redirect URL") {
				t.Errorf("product %q, proven %q, not proven %q", res.Product, res.Proven, res.NotProven)
			}
			if hostPath(authURL) != hostPath(flow.AuthURL) {
				t.Errorf("authorization endpoint %s, catalogue %s", hostPath(authURL), hostPath(flow.AuthURL))
			}
			if res.Identity == nil || res.Identity.String() == "" {
				t.Errorf("no identity: %+v", res)
			}
			out, _ := json.Marshal(res)
			for _, secret := range []string{fakeAccess, fakeRefresh, fakeCode, fakeClientSecret} {
				if strings.Contains(string(out), secret) {
					t.Errorf("result carries a secret: %s", out)
				}
			}
			checkReplay(t, c, flow, res.RedirectURI, cf.seen())
		})
	}
}

func fillFlow(f providers.PortalFlow) providers.PortalFlow {
	r := strings.NewReplacer("{host}", "account-d.docusign.com", "{tenant}", "common")
	f.AuthURL, f.TokenURL, f.RequestTokenURL = r.Replace(f.AuthURL), r.Replace(f.TokenURL), r.Replace(f.RequestTokenURL)
	f.Identity = append([]providers.IdentityCall(nil), f.Identity...)
	for i := range f.Identity {
		f.Identity[i].URL = r.Replace(f.Identity[i].URL)
	}
	return f
}

// variants are catalogue entries with a change the engine already
// supports: Mail.ru with a loopback redirect and without its portal flow
// (its identity is then the token answer's x_mailru_vid), and Dropbox
// with its token revocation (an RPC call with the Bearer token).
func variants(t *testing.T) []providers.Provider {
	mailru, ok := providers.Lookup("mailru")
	dropbox, ok2 := providers.Lookup("dropbox")
	if !ok || !ok2 {
		t.Fatal("catalogue lacks mailru or dropbox")
	}
	m := *mailru.OAuth
	m.Loopback, m.LoopbackHost, m.DefaultPort, m.Portal = providers.LoopbackExact, "127.0.0.1", 53682, nil
	mailru.OAuth, mailru.Title = &m, "variant"
	d := *dropbox.OAuth
	d.RevokeURL = "https://api.dropboxapi.com/2/auth/token/revoke"
	dropbox.OAuth, dropbox.Title = &d, "variant"
	return []providers.Provider{mailru, dropbox}
}

// checkReplay compares every request the fake saw with the catalogue.
func checkReplay(t *testing.T, c catalogueCase, flow providers.PortalFlow, redirect string, calls []seenCall) {
	t.Helper()
	o := c.p.OAuth
	var identity []string
	for _, sc := range calls {
		switch sc.host + sc.path {
		case hostPath(flow.AuthURL):
			checkAuthRequest(t, flow, redirect, sc.query)
		case hostPath(flow.RequestTokenURL):
			if oauthParam(sc.auth, "oauth_callback") != redirect || oauthParam(sc.auth, "oauth_consumer_key") != fakeClientID ||
				oauthParam(sc.auth, "oauth_signature_method") != "HMAC-SHA1" || sc.method != http.MethodPost {
				t.Errorf("request token call %s %q", sc.method, sc.auth)
			}
		case hostPath(flow.TokenURL):
			checkTokenCall(t, flow, sc)
		case hostPath(strings.ReplaceAll(o.RevokeURL, "{host}", "account-d.docusign.com")):
			if sc.method != http.MethodPost || flow.OAuth1 {
				t.Errorf("revocation with %s", sc.method)
			}
			if sc.host == "api.dropboxapi.com" && (sc.auth != "Bearer "+fakeAccess || len(sc.form) != 0) {
				t.Errorf("Dropbox revocation: Authorization %q, form %v", sc.auth, sc.form)
			}
		default:
			identity = append(identity, identityCall(t, flow, sc))
		}
	}
	var want []string
	reads := flow.Identity
	if len(reads) == 0 && !flow.IDToken && o.UserInfoURL != "" {
		// Keywizard's own read of who signed in, where the portal reads
		// nothing before its file calls.
		reads = []providers.IdentityCall{{URL: strings.ReplaceAll(o.UserInfoURL, "{host}", "account-d.docusign.com")}}
	}
	for _, ic := range reads {
		u, _ := url.Parse(ic.URL)
		want = append(want, u.Host+u.Path+"?"+u.Query().Encode())
	}
	if !slices.Equal(identity, want) {
		t.Errorf("identity calls\n got %q\nwant %q", identity, want)
	}
}

// checkAuthRequest: exactly the catalogue's parameters, the scope as the
// portal writes it, the loopback redirect, state, and PKCE only where the
// record adds it.
func checkAuthRequest(t *testing.T, flow providers.PortalFlow, redirect string, q url.Values) {
	t.Helper()
	if flow.OAuth1 {
		if len(q) != 1 || q.Get("oauth_token") != "temp-token" {
			t.Errorf("OAuth 1.0a authorize page asked with %v", q)
		}
		return
	}
	want := url.Values{"response_type": {"code"}, "client_id": {fakeClientID}, "redirect_uri": {redirect}, "state": q["state"]}
	if s := flow.Scope(); s != "" {
		want.Set("scope", s)
	}
	for k, v := range flow.Params {
		want.Set(k, v)
	}
	u, _ := url.Parse(flow.AuthURL)
	for k, v := range u.Query() {
		want[k] = v
	}
	if flow.PKCE {
		if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
			t.Errorf("PKCE missing: %v", q)
		}
		want["code_challenge"], want["code_challenge_method"] = q["code_challenge"], q["code_challenge_method"]
	}
	if len(q.Get("state")) < 43 || q.Encode() != want.Encode() {
		t.Errorf("authorization request\n got %s\nwant %s", q.Encode(), want.Encode())
	}
}

func checkTokenCall(t *testing.T, flow providers.PortalFlow, sc seenCall) {
	t.Helper()
	if flow.OAuth1 {
		if oauthParam(sc.auth, "oauth_token") != "temp-token" || oauthParam(sc.auth, "oauth_verifier") != fakeCode {
			t.Errorf("access token call %q", sc.auth)
		}
		return
	}
	wantBasic := flow.TokenAuth == oauth2.AuthStyleInHeader
	if sc.basic != wantBasic || (sc.form.Get("client_secret") != "") == wantBasic {
		t.Errorf("token request: Basic %v, secret in body %v; portal sends it %v", sc.basic, sc.form.Get("client_secret") != "", flow.TokenAuth)
	}
	if (sc.form.Get("code_verifier") != "") != flow.PKCE || sc.form.Get("code") != fakeCode {
		t.Errorf("token request form %v", sc.form)
	}
}

// identityCall checks how the token travelled and returns the call
// without it.
func identityCall(t *testing.T, flow providers.PortalFlow, sc seenCall) string {
	t.Helper()
	q := sc.query
	tokenParam := ""
	for _, ic := range flow.Identity {
		if hostPath(ic.URL) == sc.host+sc.path {
			tokenParam = ic.TokenParam
		}
	}
	wantMethod := http.MethodGet
	if sc.host == "api.dropboxapi.com" {
		wantMethod = http.MethodPost
	}
	switch {
	case sc.method != wantMethod:
		t.Errorf("identity call %s %s", sc.method, sc.path)
	case tokenParam != "":
		if q.Get(tokenParam) != fakeAccess || sc.auth != "" {
			t.Errorf("token in %s %q, header %q", tokenParam, q.Get(tokenParam), sc.auth)
		}
		q.Del(tokenParam)
	case flow.OAuth1:
		if oauthParam(sc.auth, "oauth_token") != fakeAccess || oauthParam(sc.auth, "oauth_signature") == "" {
			t.Errorf("identity call not signed with the access token: %q", sc.auth)
		}
	case sc.auth != "Bearer "+fakeAccess && sc.auth != "OAuth "+fakeAccess:
		t.Errorf("Authorization %q", sc.auth)
	}
	return sc.host + sc.path + "?" + q.Encode()
}

// A public client (no secret where the catalogue allows it: X's OAuth 2.0
// client) names itself in the body, never with an empty Basic password.
func TestPublicClientInBody(t *testing.T) {
	fp := newFakeProvider(t)
	p := fakeService(fp)
	p.OAuth.AuthStyle = oauth2.AuthStyleInHeader
	p.Fields[1].Optional = true
	tr := testerFor(p)
	cfg, err := tr.config(p, map[string]string{"cid": fakeClientID}, planFor(p.OAuth, ""))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Endpoint.AuthStyle != oauth2.AuthStyleInParams || cfg.ClientSecret != "" {
		t.Fatalf("public client: style %v", cfg.Endpoint.AuthStyle)
	}
}

// RFC 9207 where the catalogue names no issuer: an "iss" of the same site
// as the authorization endpoint passes, any other is a mix-up.
func TestIssuerWithoutCatalogueIssuer(t *testing.T) {
	f := &flow{o: &providers.OAuth{}, cfg: &config{Config: oauth2.Config{Endpoint: oauth2.Endpoint{AuthURL: "https://login.example.com/oauth/authorize"}}}}
	for iss, ok := range map[string]bool{
		"https://login.example.com/tenant/v2.0": true,
		"https://example.com":                   true,
		"https://attacker.example":              false,
		"http://login.example.com":              false,
		"https://example.com.attacker.net":      false,
		"not a url":                             false,
	} {
		if err := f.checkIssuer(iss); (err == nil) != ok {
			t.Errorf("iss %q: %v", iss, err)
		}
	}
	f.o.Issuer = "https://accounts.google.com"
	if f.checkIssuer("https://accounts.google.com") != nil || f.checkIssuer("https://accounts.google.com/") == nil {
		t.Error("a catalogue issuer is compared exactly")
	}
}
