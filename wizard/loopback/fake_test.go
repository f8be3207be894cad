package loopback

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"keywizard/providers"
)

// Secrets the fake provider hands out; tests assert they never reach a
// page or a result.
const (
	fakeClientID     = "fake-client-id"
	fakeClientSecret = "fake-client-secret-value"
	fakeCode         = "fake-auth-code-0123456789"
	fakeAccess       = "fake-access-token-abcdef"
	fakeRefresh      = "fake-refresh-token-ghijkl"
)

// fakeProvider is an OAuth server at the httptest level: /auth answers with
// a redirect to the client's redirect_uri, /token checks client, code,
// redirect URI and PKCE, /userinfo and /revoke do what they say.
type fakeProvider struct {
	*httptest.Server

	mu sync.Mutex
	// Set by the test before the flow.
	authError  url.Values // added to the redirect instead of a code
	iss        string     // sent as "iss" in the redirect when set
	tokenError int        // HTTP status of a token error answer
	tokenBody  string     // its body
	userinfo   map[string]any

	// Seen by the server.
	authQuery     url.Values
	tokenForm     url.Values
	tokenBasic    bool
	tokenCalls    int
	userinfoCalls int
	revokeForm    url.Values
}

func newFakeProvider(t *testing.T) *fakeProvider {
	fp := &fakeProvider{userinfo: map[string]any{"name": "Ada Lovelace", "email": "ada@example.com", "sub": "42"}}
	mux := http.NewServeMux()
	mux.HandleFunc("/auth", fp.auth)
	mux.HandleFunc("/token", fp.token)
	mux.HandleFunc("/userinfo", fp.info)
	mux.HandleFunc("/revoke", fp.revoke)
	fp.Server = httptest.NewServer(mux)
	t.Cleanup(fp.Close)
	return fp
}

func (fp *fakeProvider) auth(w http.ResponseWriter, r *http.Request) {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	q := r.URL.Query()
	fp.authQuery = q
	u, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	back := url.Values{"state": {q.Get("state")}}
	if fp.authError != nil {
		for k, v := range fp.authError {
			back[k] = v
		}
	} else {
		back.Set("code", fakeCode)
	}
	if fp.iss != "" {
		back.Set("iss", fp.iss)
	}
	u.RawQuery = back.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (fp *fakeProvider) token(w http.ResponseWriter, r *http.Request) {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	fp.tokenCalls++
	_ = r.ParseForm()
	fp.tokenForm = r.PostForm
	id, secret, basic := r.BasicAuth()
	fp.tokenBasic = basic
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	w.Header().Set("Content-Type", "application/json")
	fail := func(code int, e, d string) {
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": e, "error_description": d})
	}
	switch {
	case fp.tokenError != 0:
		w.WriteHeader(fp.tokenError)
		_, _ = w.Write([]byte(fp.tokenBody))
	case id != fakeClientID || secret != fakeClientSecret:
		fail(http.StatusUnauthorized, "invalid_client", "Unauthorized")
	case r.PostForm.Get("code") != fakeCode || r.PostForm.Get("redirect_uri") != fp.authQuery.Get("redirect_uri"):
		fail(http.StatusBadRequest, "invalid_grant", "bad code or redirect_uri")
	case fp.authQuery.Get("code_challenge") != "" && s256(r.PostForm.Get("code_verifier")) != fp.authQuery.Get("code_challenge"):
		fail(http.StatusBadRequest, "invalid_grant", "code verifier does not match")
	default:
		_ = json.NewEncoder(w).Encode(map[string]any{
			"access_token": fakeAccess, "refresh_token": fakeRefresh, "token_type": "Bearer",
			"expires_in": 3600, "scope": "openid email",
		})
	}
}

func (fp *fakeProvider) info(w http.ResponseWriter, r *http.Request) {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	fp.userinfoCalls++
	if r.Header.Get("Authorization") != "Bearer "+fakeAccess {
		http.Error(w, "no token", http.StatusUnauthorized)
		return
	}
	_ = json.NewEncoder(w).Encode(fp.userinfo)
}

func (fp *fakeProvider) revoke(w http.ResponseWriter, r *http.Request) {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	_ = r.ParseForm()
	fp.revokeForm = r.PostForm
}

func (fp *fakeProvider) seen() (auth, token url.Values, tokenCalls int) {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	return fp.authQuery, fp.tokenForm, fp.tokenCalls
}

func s256(v string) string {
	h := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// fakeService is a catalogue entry pointing at the fake provider.
func fakeService(fp *fakeProvider) providers.Provider {
	return providers.Provider{
		ID: "fake", Title: "Fake",
		Fields: []providers.Field{
			{ID: "cid", Label: "Client ID"},
			{ID: "csec", Label: "Client secret", Secret: true},
		},
		Steps: []providers.Step{
			{Title: "Sign in", URL: "https://console.example.com/"},
			{Title: "Create the client", URL: "https://console.example.com/clients", Lines: []string{"Add the redirect URI below."}},
			{Title: "Copy the keys", URL: "https://console.example.com/keys", Lines: []string{"Copy the client ID and secret."}},
		},
		OAuth: &providers.OAuth{
			AuthURL:      fp.URL + "/auth",
			TokenURL:     fp.URL + "/token",
			AuthStyle:    oauth2.AuthStyleInParams,
			Scopes:       []string{"openid", "email"},
			PortalScopes: []string{"email", "drive"},
			PKCE:         true,
			Loopback:     providers.LoopbackAnyPort,
			UserInfoURL:  fp.URL + "/userinfo",
			RevokeURL:    fp.URL + "/revoke",
			Issuer:       fp.URL,
			ClientID:     "cid",
			ClientSecret: "csec",
		},
	}
}

func fakeValues() map[string]string {
	return map[string]string{"cid": fakeClientID, "csec": fakeClientSecret}
}

// testerFor returns a tester whose catalogue holds p only.
func testerFor(p providers.Provider) *Tester {
	return &Tester{
		Client: &http.Client{},
		Lookup: func(id string) (providers.Provider, bool) { return p, id == p.ID },
	}
}

// browsed is what the scripted browser saw.
type browsed struct {
	callbackStatus int
	location       string // where the callback redirected to
	page           string // body of the final page
	header         http.Header
	finalURL       string
}

// noFollow is an HTTP client that returns redirects instead of following
// them, to look at each hop.
var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// browse plays the browser: asks the provider's sign-in page, takes its
// redirect, lets edit change it, then calls the callback and follows to
// the final page.
func browse(authURL string, edit func(*url.URL)) (browsed, error) {
	var b browsed
	resp, err := noFollow.Get(authURL)
	if err != nil {
		return b, err
	}
	resp.Body.Close()
	cb, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		return b, err
	}
	if edit != nil {
		edit(cb)
	}
	resp, err = noFollow.Get(cb.String())
	if err != nil {
		return b, err
	}
	resp.Body.Close()
	b.callbackStatus, b.location = resp.StatusCode, resp.Header.Get("Location")
	if b.location == "" {
		return b, nil
	}
	next, _ := cb.Parse(b.location)
	resp, err = http.Get(next.String())
	if err != nil {
		return b, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	b.page, b.header, b.finalURL = string(body), resp.Header, resp.Request.URL.String()
	return b, err
}
