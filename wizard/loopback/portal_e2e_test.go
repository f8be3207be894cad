package loopback

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"keywizard/wizard"
)

// serviceFake is one HTTPS server that answers for a service's real host
// names, as the service's documentation describes its answers. The
// sign-in engine reaches it through tlsRewrite; the browser (headless
// Chromium, or a scripted one) through a host mapping.
type serviceFake struct {
	*httptest.Server
	mu      sync.Mutex
	seen    []string     // "METHOD host/path?query" without tokens
	authQ   url.Values   // the authorization request
	handler http.Handler // the service's answers
}

func newServiceFake(t *testing.T, h http.Handler) *serviceFake {
	sf := &serviceFake{handler: h}
	sf.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		sf.mu.Lock()
		sf.seen = append(sf.seen, r.Method+" "+r.Host+r.URL.Path)
		sf.mu.Unlock()
		sf.handler.ServeHTTP(w, r)
	}))
	t.Cleanup(sf.Close)
	return sf
}

func (sf *serviceFake) calls() string {
	sf.mu.Lock()
	defer sf.mu.Unlock()
	return strings.Join(sf.seen, "\n")
}

// tlsRewrite sends every request to the fake over TLS, keeping the real
// host in the Host header and in the TLS server name.
type tlsRewrite struct{ addr string }

func (t tlsRewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Host = req.URL.Host
	r.URL.Host = t.addr
	tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true, ServerName: req.URL.Hostname()}} //nolint:gosec // a local test server
	defer tr.CloseIdleConnections()
	return tr.RoundTrip(r)
}

// serviceTester is a tester whose calls reach the fake.
func serviceTester(sf *serviceFake) *Tester {
	return &Tester{Client: &http.Client{Transport: tlsRewrite{addr: sf.Listener.Addr().String()}, Timeout: 10 * time.Second}}
}

// serviceBrowser opens the sign-in page the way a user's browser would:
// headless Chromium with the service's hosts mapped to the fake (unless
// -short or Chromium is missing), else a scripted browser.
func serviceBrowser(t *testing.T, sf *serviceFake, hosts ...string) func(string) error {
	t.Helper()
	addr := sf.Listener.Addr().String()
	if !testing.Short() && chromiumInstalled() {
		var rules []string
		for _, h := range hosts {
			rules = append(rules, "MAP "+h+" "+addr)
		}
		b := chromium(t, chromedp.Flag("host-resolver-rules", strings.Join(rules, ", ")), chromedp.Flag("ignore-certificate-errors", true))
		return func(u string) error {
			ctx, cancel := context.WithTimeout(b, 20*time.Second)
			defer cancel()
			return chromedp.Do(ctx, chromedp.Navigate(u))
		}
	}
	return func(raw string) error {
		c := &http.Client{Transport: tlsRewrite{addr: addr}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		req, err := http.NewRequest(http.MethodGet, raw, nil)
		if err != nil {
			return err
		}
		return deliverAnswer(c, req)
	}
}

func chromiumInstalled() bool {
	for _, p := range []string{"chromium", "/usr/bin/chromium"} {
		if _, err := exec.LookPath(p); err == nil {
			return true
		}
	}
	return false
}

// back redirects the browser to the redirect URI with the given answer.
func back(w http.ResponseWriter, r *http.Request, redirect string, v url.Values) {
	u, err := url.Parse(redirect)
	if err != nil || u.Hostname() != "localhost" && u.Hostname() != "127.0.0.1" {
		http.Error(w, "redirect_uri is not a registered loopback address", http.StatusBadRequest)
		return
	}
	u.RawQuery = v.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// linkedInFake answers as LinkedIn does (providers.md §13, the audit):
// an app created after 2023-08-01 ("new") may not request r_liteprofile
// or r_emailaddress and is sent back with unauthorized_scope_error; an
// app with the legacy product gets a code, a token for its client
// secret in the form, and the v2 profile and e-mail answers.
func linkedInFake(t *testing.T, legacy bool) *serviceFake {
	var redirect string
	return newServiceFake(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		switch r.Host + r.URL.Path {
		case "www.linkedin.com/oauth/v2/authorization":
			redirect = q.Get("redirect_uri")
			scopes := strings.Fields(q.Get("scope"))
			for _, s := range scopes {
				if !legacy && (s == "r_liteprofile" || s == "r_emailaddress") {
					back(w, r, redirect, url.Values{"error": {"unauthorized_scope_error"},
						"error_description": {`Scope "` + s + `" is not authorized for your application`}, "state": {q.Get("state")}})
					return
				}
			}
			back(w, r, redirect, url.Values{"code": {"AQT-linkedin-code"}, "state": {q.Get("state")}})
		case "www.linkedin.com/oauth/v2/accessToken":
			if r.PostForm.Get("client_secret") != fakeClientSecret || r.PostForm.Get("redirect_uri") != redirect || r.PostForm.Get("code") != "AQT-linkedin-code" {
				writeJSON(w, http.StatusBadRequest, `{"error":"invalid_request","error_description":"Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired."}`)
				return
			}
			writeJSON(w, http.StatusOK, `{"access_token":"`+fakeAccess+`","expires_in":5183999,"scope":"r_emailaddress,r_liteprofile"}`)
		case "api.linkedin.com/v2/me":
			if r.Header.Get("Authorization") != "Bearer "+fakeAccess {
				writeJSON(w, http.StatusUnauthorized, `{"serviceErrorCode":65600,"message":"Invalid access token","status":401}`)
				return
			}
			writeJSON(w, http.StatusOK, `{"localizedLastName":"Lovelace","id":"yrZCpj2Z12","localizedFirstName":"Ada"}`)
		case "api.linkedin.com/v2/emailAddress":
			if q.Get("q") != "members" || q.Get("projection") != "(elements*(handle~))" {
				writeJSON(w, http.StatusBadRequest, `{"serviceErrorCode":100,"message":"bad projection","status":400}`)
				return
			}
			writeJSON(w, http.StatusOK, `{"elements":[{"handle":"urn:li:emailAddress:3775708763","handle~":{"emailAddress":"ada@example.com"}}]}`)
		case "www.linkedin.com/oauth/v2/revoke":
			w.WriteHeader(http.StatusOK)
		default:
			http.NotFound(w, r)
		}
	}))
}

func linkedInValues() map[string]string {
	return map[string]string{"linkedInKey": fakeClientID, "linkedInSecret": fakeClientSecret}
}

func runService(t *testing.T, sf *serviceFake, id string, values map[string]string, product string, hosts ...string) (wizard.SignInResult, error) {
	t.Helper()
	tr := serviceTester(sf)
	res, err := tr.Run(context.Background(), id, values, wizard.SignInOptions{Port: freePort(t), Timeout: 20 * time.Second,
		Product: product, Open: serviceBrowser(t, sf, hosts...)})
	return res, err
}

// A LinkedIn app with the legacy product: the portal's own scopes, then
// the portal's two reads.
func TestLinkedInPortalFlowLegacyApp(t *testing.T) {
	sf := linkedInFake(t, true)
	res, err := runService(t, sf, "linkedin", linkedInValues(), "", "www.linkedin.com")
	if err != nil || !res.OK {
		t.Fatalf("%v %+v", err, res)
	}
	if res.Identity == nil || res.Identity.String() != "Ada Lovelace <ada@example.com>" {
		t.Fatalf("identity %+v", res.Identity)
	}
	if res.Product != "docspace" || !strings.Contains(res.Proven, "api.linkedin.com/v2/me") || !strings.Contains(res.Proven, "r_liteprofile r_emailaddress") {
		t.Fatalf("product %q proven %q", res.Product, res.Proven)
	}
	calls := sf.calls()
	for _, want := range []string{"GET api.linkedin.com/v2/me", "GET api.linkedin.com/v2/emailAddress", "POST www.linkedin.com/oauth/v2/revoke"} {
		if !strings.Contains(calls, want) {
			t.Errorf("missing %s in\n%s", want, calls)
		}
	}
}

// A LinkedIn app created since 2023-08-01: LinkedIn refuses the portal's
// scopes; the result says the portal's LinkedIn sign-in cannot work with
// this app, why, and what would. A refusal, not "could not run".
func TestLinkedInPortalFlowNewAppRefused(t *testing.T) {
	sf := linkedInFake(t, false)
	res, err := runService(t, sf, "linkedin", linkedInValues(), "workspace", "www.linkedin.com")
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.Code != "unauthorized_scope_error" || CouldNotRun(err) || res.OK {
		t.Fatalf("want a refusal, got %v %+v", err, res)
	}
	if !strings.Contains(res.Message, "cannot work with this app") || !strings.Contains(res.Message, "r_liteprofile r_emailaddress") {
		t.Errorf("message %q", res.Message)
	}
	if !strings.Contains(res.Fix, `"Sign In with LinkedIn"`) || !strings.Contains(res.Fix, "2023-08-01") {
		t.Errorf("fix %q", res.Fix)
	}
	if res.Product != "workspace" || !strings.Contains(res.NotProven, "refused its request") {
		t.Errorf("product %q not proven %q", res.Product, res.NotProven)
	}
	if strings.Contains(sf.calls(), "accessToken") {
		t.Error("a refused authorization must not reach the token endpoint")
	}
}

// oneDriveFake answers as Microsoft's Live endpoints do for a personal
// account (learn.microsoft.com onedrive msa-oauth): wl.* scopes at
// login.live.com, a token answer with user_id, and the drive at
// api.onedrive.com. Graph scopes or PKCE are not what the portal sends.
func oneDriveFake(t *testing.T) *serviceFake {
	var redirect string
	sf := newServiceFake(t, nil)
	sf.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		switch r.Host + r.URL.Path {
		case "login.live.com/oauth20_authorize.srf":
			sf.mu.Lock()
			sf.authQ = q
			sf.mu.Unlock()
			redirect = q.Get("redirect_uri")
			for _, s := range strings.Fields(q.Get("scope")) {
				if !strings.HasPrefix(s, "wl.") {
					back(w, r, redirect, url.Values{"error": {"invalid_scope"}, "error_description": {"The provided value for the input parameter 'scope' is not valid."}, "state": {q.Get("state")}})
					return
				}
			}
			back(w, r, redirect, url.Values{"code": {"M.C512_BAY.2.U.live-code"}, "state": {q.Get("state")}})
		case "login.live.com/oauth20_token.srf":
			if r.PostForm.Get("client_secret") != fakeClientSecret || r.PostForm.Get("redirect_uri") != redirect {
				writeJSON(w, http.StatusBadRequest, `{"error":"invalid_client","error_description":"The client does not exist or is not enabled for consumers."}`)
				return
			}
			writeJSON(w, http.StatusOK, `{"token_type":"bearer","expires_in":3600,"scope":"wl.signin wl.skydrive_update wl.offline_access","access_token":"`+fakeAccess+`","refresh_token":"`+fakeRefresh+`","user_id":"e3d1c0ffee"}`)
		case "api.onedrive.com/v1.0/drive":
			if r.Header.Get("Authorization") != "Bearer "+fakeAccess {
				writeJSON(w, http.StatusUnauthorized, `{"error":{"code":"unauthenticated","message":"Unauthenticated"}}`)
				return
			}
			writeJSON(w, http.StatusOK, `{"id":"e3d1c0ffee","driveType":"personal","owner":{"user":{"displayName":"Ada Lovelace","id":"e3d1c0ffee"}},"quota":{"total":5368709120}}`)
		default:
			http.NotFound(w, r)
		}
	})
	return sf
}

// OneDrive: the portal's Live sign-in, not Entra v2 and Graph.
func TestOneDrivePortalFlow(t *testing.T) {
	sf := oneDriveFake(t)
	values := map[string]string{"skydriveappkey": fakeClientID, "skydriveappsecret": fakeClientSecret}
	res, err := runService(t, sf, "onedrive", values, "", "login.live.com")
	if err != nil || !res.OK {
		t.Fatalf("%v %+v", err, res)
	}
	if res.Identity == nil || res.Identity.Name != "Ada Lovelace" {
		t.Fatalf("identity %+v", res.Identity)
	}
	sf.mu.Lock()
	q := sf.authQ
	sf.mu.Unlock()
	if q.Get("scope") != "wl.signin wl.skydrive_update wl.offline_access" || q.Has("code_challenge") {
		t.Fatalf("authorization request %v", q)
	}
	if !strings.Contains(res.Proven, "api.onedrive.com/v1.0/drive") || !strings.Contains(sf.calls(), "GET api.onedrive.com/v1.0/drive") {
		t.Fatalf("proven %q, calls %s", res.Proven, sf.calls())
	}
	if strings.Contains(sf.calls(), "graph.microsoft.com") || strings.Contains(sf.calls(), "login.microsoftonline.com") {
		t.Fatalf("Entra or Graph called: %s", sf.calls())
	}
}

// xFake answers as X's OAuth 1.0a endpoints do (providers.md §23, the
// X docs): every call must carry a valid HMAC-SHA1 signature; the
// callback must be approved; the v1.1 reads are refused (code 453) for
// an app whose plan lacks them.
type xFake struct {
	*serviceFake
	plan1_1  bool
	approved string // the approved callback
}

func newXFake(t *testing.T, plan bool) *xFake {
	x := &xFake{plan1_1: plan}
	x.serviceFake = newServiceFake(t, http.HandlerFunc(x.serve))
	return x
}

const (
	xTemp, xTempSecret = "temp-Q1w2e3", "temp-secret-R4t5y6"
	xVerifier          = "verifier-U7i8o9"
	xTokenSecret       = "access-secret-P0a1s2"
)

// verify checks the request's OAuth 1.0a signature with the secrets the
// fake handed out.
func (x *xFake) verify(r *http.Request, tokenSecret string) (map[string]string, bool) {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, "OAuth ") {
		return nil, false
	}
	params := map[string]string{}
	for _, part := range strings.Split(strings.TrimPrefix(h, "OAuth "), ", ") {
		k, v, _ := strings.Cut(part, "=")
		params[k], _ = url.PathUnescape(strings.Trim(v, `"`))
	}
	u := *r.URL
	u.Scheme, u.Host = "https", r.Host
	s := signer{consumerSecret: fakeClientSecret, tokenSecret: tokenSecret}
	ok := params["oauth_consumer_key"] == fakeClientID && params["oauth_signature_method"] == "HMAC-SHA1" &&
		params["oauth_nonce"] != "" && params["oauth_timestamp"] != "" &&
		s.signature(r.Method, &u, r.PostForm, params) == params["oauth_signature"]
	return params, ok
}

func (x *xFake) serve(w http.ResponseWriter, r *http.Request) {
	switch r.Host + r.URL.Path {
	case "api.twitter.com/oauth/request_token":
		p, ok := x.verify(r, "")
		switch {
		case !ok:
			writeJSON(w, http.StatusUnauthorized, `{"errors":[{"code":32,"message":"Could not authenticate you."}]}`)
		case p["oauth_callback"] != x.approved && x.approved != "":
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><errors><error code="415">Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings</error></errors>`)
		default:
			x.approved = p["oauth_callback"]
			_, _ = io.WriteString(w, "oauth_token="+xTemp+"&oauth_token_secret="+xTempSecret+"&oauth_callback_confirmed=true")
		}
	case "api.twitter.com/oauth/authorize":
		if r.URL.Query().Get("oauth_token") != xTemp {
			http.Error(w, "This page is no longer valid.", http.StatusBadRequest)
			return
		}
		back(w, r, x.approved, url.Values{"oauth_token": {xTemp}, "oauth_verifier": {xVerifier}})
	case "api.twitter.com/oauth/access_token":
		p, ok := x.verify(r, xTempSecret)
		if !ok || p["oauth_token"] != xTemp || p["oauth_verifier"] != xVerifier {
			writeJSON(w, http.StatusUnauthorized, `{"errors":[{"code":89,"message":"Invalid or expired token."}]}`)
			return
		}
		_, _ = io.WriteString(w, "oauth_token="+fakeAccess+"&oauth_token_secret="+xTokenSecret+"&user_id=6253282&screen_name=ada")
	case "api.twitter.com/1.1/account/verify_credentials.json", "api.twitter.com/1.1/account/settings.json":
		p, ok := x.verify(r, xTokenSecret)
		switch {
		case !ok || p["oauth_token"] != fakeAccess:
			writeJSON(w, http.StatusUnauthorized, `{"errors":[{"code":32,"message":"Could not authenticate you."}]}`)
		case !x.plan1_1:
			writeJSON(w, http.StatusForbidden, `{"errors":[{"message":"You currently have access to a subset of X API V2 endpoints and limited v1.1 endpoints (e.g. media post, oauth) only. If you need access to this endpoint, you may need a different access level. You can learn more here: https://developer.x.com/en/portal/product","code":453}]}`)
		case strings.HasSuffix(r.URL.Path, "verify_credentials.json"):
			writeJSON(w, http.StatusOK, `{"id":6253282,"id_str":"6253282","name":"Ada Lovelace","screen_name":"ada"}`)
		default:
			writeJSON(w, http.StatusOK, `{"screen_name":"ada","language":"en","protected":false}`)
		}
	default:
		http.NotFound(w, r)
	}
}

func xValues() map[string]string {
	return map[string]string{"twitterKey": fakeClientID, "twitterSecret": fakeClientSecret}
}

// X: 3-legged OAuth 1.0a with a loopback oauth_callback, then the
// portal's two v1.1 reads, signed with the access token.
func TestXPortalFlowOAuth1(t *testing.T) {
	x := newXFake(t, true)
	res, err := runService(t, x.serviceFake, "twitter", xValues(), "", "api.twitter.com")
	if err != nil || !res.OK {
		t.Fatalf("%v %+v\n%s", err, res, x.calls())
	}
	if res.Identity == nil || res.Identity.Name != "Ada Lovelace" || res.Identity.ID != "6253282" {
		t.Fatalf("identity %+v", res.Identity)
	}
	if !strings.HasPrefix(x.approved, "http://127.0.0.1:") || !strings.HasSuffix(x.approved, "/callback") || x.approved != res.RedirectURI {
		t.Fatalf("oauth_callback %q, redirect %q", x.approved, res.RedirectURI)
	}
	want := "POST api.twitter.com/oauth/request_token\nGET api.twitter.com/oauth/authorize\nPOST api.twitter.com/oauth/access_token\n" +
		"GET api.twitter.com/1.1/account/verify_credentials.json\nGET api.twitter.com/1.1/account/settings.json"
	if got := x.calls(); !strings.HasPrefix(got, want) {
		t.Fatalf("calls\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(res.Proven, "OAuth 1.0a") || !strings.Contains(res.Proven, "account/settings.json") {
		t.Fatalf("proven %q", res.Proven)
	}
	out, _ := json.Marshal(res)
	for _, s := range []string{fakeAccess, xTokenSecret, xTempSecret, xVerifier, fakeClientSecret} {
		if strings.Contains(string(out), s) {
			t.Fatalf("result carries %q", s)
		}
	}
}

// An X app whose plan lacks the v1.1 reads: the sign-in itself works, the
// portal's next call is refused, and the result names it as a refusal.
func TestXPortalFlowPlanWithoutV11Reads(t *testing.T) {
	x := newXFake(t, false)
	res, err := runService(t, x.serviceFake, "twitter", xValues(), "docspace", "api.twitter.com")
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.Stage != "identity" || pe.Status != http.StatusForbidden || CouldNotRun(err) || res.OK {
		t.Fatalf("want the identity call refused, got %v %+v", err, res)
	}
	if !strings.Contains(res.Message, "api.twitter.com/1.1/account/verify_credentials.json") || !strings.Contains(res.Message, "fails at this same call") {
		t.Errorf("message %q", res.Message)
	}
	if !strings.Contains(res.Fix, "plan") || !strings.Contains(res.Proven, "token call succeeded") {
		t.Errorf("fix %q proven %q", res.Fix, res.Proven)
	}
}

// A callback X does not know: the request token call is refused and the
// advice names the redirect to register.
func TestXCallbackNotApproved(t *testing.T) {
	x := newXFake(t, true)
	x.approved = "https://service.onlyoffice.com/oauth2.aspx"
	res, err := runService(t, x.serviceFake, "twitter", xValues(), "", "api.twitter.com")
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.Stage != "request token" || res.OK {
		t.Fatalf("%v %+v", err, res)
	}
	if !strings.Contains(res.Fix, res.RedirectURI) {
		t.Errorf("fix %q must name %s", res.Fix, res.RedirectURI)
	}
}
