package loopback

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
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

// call is one request the catalogue fake saw.
type call struct {
	method, host, path, auth string
	query, form              url.Values
	basic                    bool
}

// catalogueFake plays any provider: /auth sends the code back, /token
// issues tokens (and the extra fields VK and Mail.ru add), everything else
// (identity, revocation) is recorded and answered with a profile.
type catalogueFake struct {
	*httptest.Server
	mu    sync.Mutex
	calls []call
}

func newCatalogueFake(t *testing.T) *catalogueFake {
	cf := &catalogueFake{}
	cf.Server = httptest.NewServer(http.HandlerFunc(cf.serve))
	t.Cleanup(cf.Close)
	return cf
}

func (cf *catalogueFake) serve(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	_, _, basic := r.BasicAuth()
	cf.mu.Lock()
	cf.calls = append(cf.calls, call{method: r.Method, host: r.Host, path: r.URL.Path, auth: r.Header.Get("Authorization"),
		query: r.URL.Query(), form: r.PostForm, basic: basic})
	cf.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/auth":
		back, _ := url.Parse(r.URL.Query().Get("redirect_uri"))
		back.RawQuery = url.Values{"code": {fakeCode}, "state": {r.URL.Query().Get("state")}}.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	case "/token":
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": fakeAccess, "refresh_token": fakeRefresh, "token_type": "Bearer",
			"expires_in": 3600, "user_id": 77, "x_mailru_vid": "123456789", "email": "ada@example.com"})
	default:
		_, _ = io.WriteString(w, `{"sub":"42","id":"42","name":"Ada Lovelace","email":"ada@example.com"}`)
	}
}

func (cf *catalogueFake) seen() []call {
	cf.mu.Lock()
	defer cf.mu.Unlock()
	return append([]call(nil), cf.calls...)
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestCatalogueSignIns runs a sign-in for every catalogue service that
// allows loopback redirects, with the catalogue's own definition, and
// checks what reaches the provider: client authentication, PKCE, the
// identity call (method, URL, how the token travels) and revocation.
func TestCatalogueSignIns(t *testing.T) {
	for _, p := range append(providers.All(), variants(t)...) {
		o := p.OAuth
		if o == nil || o.Loopback == providers.LoopbackNone {
			continue
		}
		name := p.ID
		if p.Title == "variant" {
			name += "-variant"
		}
		t.Run(name, func(t *testing.T) {
			cf := newCatalogueFake(t)
			tr := &Tester{
				Client:   &http.Client{Transport: hostRewrite{addr: cf.Listener.Addr().String()}, Timeout: 10 * time.Second},
				Endpoint: &oauth2.Endpoint{AuthURL: cf.URL + "/auth", TokenURL: cf.URL + "/token"},
				Lookup:   func(string) (providers.Provider, bool) { return p, true },
			}
			values := map[string]string{o.ClientID: fakeClientID, o.ClientSecret: fakeClientSecret}
			if o.HostField != "" {
				values[o.HostField] = "account-d.docusign.com"
			}
			opts := wizard.SignInOptions{Port: freePort(t), Timeout: 10 * time.Second, Open: func(u string) error {
				_, err := browse(u, nil)
				return err
			}}
			res, err := tr.Run(context.Background(), p.ID, values, opts)
			if err != nil || !res.OK {
				t.Fatalf("%v %+v", err, res)
			}
			u, _ := url.Parse(res.RedirectURI)
			host := o.LoopbackHost
			if host == "" {
				host = "127.0.0.1"
			}
			if u.Hostname() != host || u.Path != "/callback" {
				t.Errorf("redirect URI %s", res.RedirectURI)
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
			checkCalls(t, p, cf.seen())
		})
	}
}

// variants are catalogue entries with a change the engine already
// supports: Mail.ru with a loopback redirect (its identity is the token
// answer's x_mailru_vid, since its profile call must be signed), and
// Dropbox with its token revocation (an RPC call with the Bearer token).
func variants(t *testing.T) []providers.Provider {
	mailru, ok := providers.Lookup("mailru")
	dropbox, ok2 := providers.Lookup("dropbox")
	if !ok || !ok2 {
		t.Fatal("catalogue lacks mailru or dropbox")
	}
	m := *mailru.OAuth
	m.Loopback, m.LoopbackHost, m.DefaultPort = providers.LoopbackExact, "127.0.0.1", 53682
	mailru.OAuth, mailru.Title = &m, "variant"
	d := *dropbox.OAuth
	d.RevokeURL = "https://api.dropboxapi.com/2/auth/token/revoke"
	dropbox.OAuth, dropbox.Title = &d, "variant"
	return []providers.Provider{mailru, dropbox}
}

func checkCalls(t *testing.T, p providers.Provider, calls []call) {
	t.Helper()
	o := p.OAuth
	fill := func(s string) string {
		return strings.NewReplacer("{host}", "account-d.docusign.com", "{tenant}", "common").Replace(s)
	}
	var sawInfo, sawRevoke bool
	for _, c := range calls {
		switch {
		case c.path == "/auth":
			if has := c.query.Get("code_challenge") != ""; has != o.PKCE || (o.PKCE && c.query.Get("code_challenge_method") != "S256") {
				t.Errorf("PKCE in the authorization request: %v (catalogue says %v)", c.query, o.PKCE)
			}
			if got := c.query.Get("scope"); got != strings.Join(o.Scopes, " ") {
				t.Errorf("scope %q", got)
			}
		case c.path == "/token":
			wantBasic := o.AuthStyle == oauth2.AuthStyleInHeader
			if c.basic != wantBasic || (c.form.Get("client_secret") != "") == wantBasic {
				t.Errorf("token request: Basic %v, secret in body %v; catalogue style %v", c.basic, c.form.Get("client_secret") != "", o.AuthStyle)
			}
			if (c.form.Get("code_verifier") != "") != o.PKCE {
				t.Errorf("code_verifier sent %v, PKCE %v", c.form.Get("code_verifier") != "", o.PKCE)
			}
		case o.UserInfoURL != "" && sameEndpoint(c, fill(o.UserInfoURL)):
			sawInfo = true
			checkInfoCall(t, p, c)
		case o.RevokeURL != "" && sameEndpoint(c, fill(o.RevokeURL)):
			sawRevoke = true
			if c.method != http.MethodPost {
				t.Errorf("revocation with %s", c.method)
			}
			if c.host == "api.dropboxapi.com" && (c.auth != "Bearer "+fakeAccess || len(c.form) != 0) {
				t.Errorf("Dropbox revocation: Authorization %q, form %v", c.auth, c.form)
			}
		default:
			t.Errorf("unexpected call %s %s%s", c.method, c.host, c.path)
		}
	}
	if sawInfo != (o.UserInfoURL != "") || sawRevoke != (o.RevokeURL != "") {
		t.Errorf("identity called %v, revocation called %v", sawInfo, sawRevoke)
	}
}

func sameEndpoint(c call, raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && c.host == u.Host && c.path == u.Path
}

// checkInfoCall: Dropbox's RPC takes POST without a body, every other
// identity call is a GET; the token goes as Bearer, as "OAuth" for Yandex,
// or in the query for VK; the catalogue's own query stays.
func checkInfoCall(t *testing.T, p providers.Provider, c call) {
	t.Helper()
	o := p.OAuth
	want := http.MethodGet
	if c.host == "api.dropboxapi.com" {
		want = http.MethodPost
	}
	if c.method != want {
		t.Errorf("identity call %s, want %s", c.method, want)
	}
	switch o.UserInfoAuth {
	case "oauth":
		if c.auth != "OAuth "+fakeAccess {
			t.Errorf("Authorization %q, want OAuth scheme", c.auth)
		}
	case "query":
		if c.query.Get("access_token") != fakeAccess || c.auth != "" {
			t.Errorf("token in query %q, header %q", c.query.Get("access_token"), c.auth)
		}
	default:
		if c.auth != "Bearer "+fakeAccess {
			t.Errorf("Authorization %q, want Bearer", c.auth)
		}
	}
	u, err := url.Parse(strings.ReplaceAll(o.UserInfoURL, "{host}", "account-d.docusign.com"))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range u.Query() {
		if c.query.Get(k) != v[0] {
			t.Errorf("identity query %s=%q, want %q", k, c.query.Get(k), v[0])
		}
	}
}

// A public client (no secret where the catalogue allows it: X's OAuth 2.0
// client) names itself in the body, never with an empty Basic password.
func TestPublicClientInBody(t *testing.T) {
	fp := newFakeProvider(t)
	p := fakeService(fp)
	p.OAuth.AuthStyle = oauth2.AuthStyleInHeader
	p.Fields[1].Optional = true
	tr := testerFor(p)
	cfg, err := tr.config(p, map[string]string{"cid": fakeClientID})
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
