// Package loopback runs a real OAuth sign-in against the admin's app to
// prove that its client ID, secret and redirect URI work together: the
// system browser opens the provider's sign-in page, the provider redirects
// back to a listener on the loopback interface (RFC 8252), and the code is
// exchanged for a token that shows who signed in.
//
// Where the catalogue records the portal's own sign-in (providers.PortalFlow),
// the test replays it: the same endpoint, OAuth version (2.0, or 1.0a for X
// with RFC 5849 signatures), scope and parameters, only the redirect URI
// changed, then the identity calls the portal makes; a refusal of one of
// them fails the test, because the portal's sign-in would stop there.
//
// The flow follows RFC 8252, RFC 7636 and RFC 9700: the listener binds to
// 127.0.0.1 (or [::1]) only and opens just before the browser does; state
// is 32 random bytes (for OAuth 1.0a, the temporary token), compared in
// constant time and used once; PKCE S256 is added wherever the provider
// accepts it; exactly one answer is accepted,
// then the listener closes; the code leaves the address bar through a 303
// redirect; the "iss" parameter is compared when present (RFC 9207).
// Tokens are never stored or printed: they are revoked where the provider
// allows it and dropped.
package loopback

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/httpclient"
)

// DefaultTimeout is how long a test sign-in waits for the browser.
const DefaultTimeout = 5 * time.Minute

// Timeouts of the callback server. The /done page waits for the token
// exchange, so writes may take up to doneWait.
const (
	doneWait       = 60 * time.Second
	doneGrace      = 3 * time.Second // how long to wait for the browser to fetch /done
	maxHeaderBytes = 64 << 10
	donePath       = "/done"
)

// Tester runs test sign-ins. The zero value uses the catalogue and the
// shared HTTP client; tests inject a provider definition, an endpoint and
// a client.
type Tester struct {
	// Client makes the token, userinfo and revocation calls;
	// httpclient.Default(httpclient.Options{}) when nil. Redirects are never
	// followed.
	Client *http.Client
	// Lookup finds a service's definition; providers.Lookup when nil.
	Lookup func(id string) (providers.Provider, bool)
	// Endpoint, when set, replaces the authorization and token URLs of the
	// flow replayed. The AuthStyle always comes from the flow.
	Endpoint *oauth2.Endpoint

	listen listenFunc // net.Listen when nil
}

var _ wizard.SignInTester = (*Tester)(nil)

// Test runs a test sign-in and returns its result card.
func (t *Tester) Test(ctx context.Context, service string, values map[string]string, opts wizard.SignInOptions) wizard.SignInResult {
	res, _ := t.Run(ctx, service, values, opts)
	return res
}

// Run is Test that also returns why the sign-in did not pass: nil when it
// did, a *ProviderError when the service refused it, or an error wrapping
// one of the sentinels (see CouldNotRun).
func (t *Tester) Run(ctx context.Context, service string, values map[string]string, opts wizard.SignInOptions) (wizard.SignInResult, error) {
	res := wizard.SignInResult{Service: service}
	p, ok := t.lookup(service)
	if !ok {
		res.Message = fmt.Sprintf("Unknown service %q.", service)
		return res, fmt.Errorf("unknown service %q", service)
	}
	if p.OAuth == nil {
		res.Message = p.Title + " has no OAuth sign-in to test."
		res.Fix = "Run 'keywizard check " + p.ID + "' to check its keys online."
		return res, fmt.Errorf("%s: %w", p.ID, ErrNoOAuth)
	}
	o := p.OAuth
	if o.Loopback == providers.LoopbackNone {
		return NoLoopback(p), fmt.Errorf("%s: %w", p.ID, ErrNoLoopback)
	}
	res.RedirectURI = o.TestRedirectURI(portFor(o, opts.Port))
	plan := planFor(o, opts.Product)
	res.Product = string(plan.product)
	cfg, err := t.config(p, values, plan)
	if err == nil {
		err = cfg.fillExtra(p, values, plan)
	}
	if err != nil {
		res.Message = "Cannot start the test sign-in: " + err.Error() + "."
		return res, err
	}
	listen := t.listen
	if listen == nil {
		listen = listenTCP
	}
	b, err := bind(listen, o, portFor(o, opts.Port))
	if err != nil {
		res.Message = "Cannot start the test sign-in: " + err.Error() + "."
		var be *busyError
		if errors.As(err, &be) {
			res.Fix = be.Fix()
		}
		return res, err
	}
	cfg.RedirectURL = b.redirectURI
	f, err := newFlow(p, plan, cfg, b, t.client())
	if err != nil {
		b.ln.Close()
		res.Message = "Cannot start the test sign-in: " + err.Error() + "."
		return res, err
	}
	return f.run(ctx, opts)
}

// NoLoopback is the result for a provider that refuses loopback redirect
// URIs: no listener is opened, and the admin is sent to the online check.
func NoLoopback(p providers.Provider) wizard.SignInResult {
	a := noLoopback(p)
	return wizard.SignInResult{Service: p.ID, Message: a.Message, Fix: a.Fix,
		NotProven: "Nothing about the portal's own sign-in: " + p.Title + " sends its answer only to registered addresses, so only a sign-in on the portal proves these keys."}
}

func (t *Tester) lookup(id string) (providers.Provider, bool) {
	if t.Lookup != nil {
		return t.Lookup(id)
	}
	return providers.Lookup(id)
}

func (t *Tester) client() *http.Client {
	if t.Client != nil {
		return httpclient.RefuseRedirects(t.Client)
	}
	// The token and revocation calls carry the client secret: never
	// re-send them where a redirect points.
	return httpclient.RefuseRedirects(httpclient.Default(httpclient.Options{}))
}

// config builds the oauth2 configuration from the flow to replay and the
// admin's values.
func (t *Tester) config(p providers.Provider, values map[string]string, r replay) (*config, error) {
	o := p.OAuth
	idField, secretField := first(r.flow.ClientID, o.ClientID), first(r.flow.ClientSecret, o.ClientSecret)
	id := strings.TrimSpace(values[idField])
	if id == "" {
		return nil, fmt.Errorf("%w: %s is empty", ErrMissingValue, fieldLabel(p, idField, "the client ID"))
	}
	secret := strings.TrimSpace(values[secretField])
	if secretField != "" && secret == "" {
		if f, ok := p.Field(secretField); !ok || !f.Optional || r.flow.OAuth1 {
			return nil, fmt.Errorf("%w: %s is empty", ErrMissingValue, fieldLabel(p, secretField, "the client secret"))
		}
	}
	ep := oauth2.Endpoint{AuthStyle: authStyle(r.flow.TokenAuth)}
	if secret == "" {
		// A public client (no secret, where the catalogue allows it) names
		// itself with client_id in the form body (RFC 6749 2.3, 3.2.1); an
		// empty Basic password would be read as a failed authentication.
		ep.AuthStyle = oauth2.AuthStyleInParams
	}
	var err error
	if t.Endpoint != nil {
		ep.AuthURL, ep.TokenURL = t.Endpoint.AuthURL, t.Endpoint.TokenURL
	} else {
		if ep.AuthURL, err = fill(p, r.flow.AuthURL, values); err != nil {
			return nil, err
		}
		if ep.TokenURL, err = fill(p, r.flow.TokenURL, values); err != nil {
			return nil, err
		}
	}
	for _, u := range []string{ep.AuthURL, ep.TokenURL} {
		if err := checkEndpoint(u); err != nil {
			return nil, err
		}
	}
	// The scope goes as the portal writes it (some join with commas), so
	// it is an authorization parameter rather than Config.Scopes.
	return &config{Config: oauth2.Config{ClientID: id, ClientSecret: secret, Endpoint: ep}}, nil
}

// config is the oauth2 configuration plus the flow's other endpoints,
// with {host} and {tenant} filled in.
type config struct {
	oauth2.Config
	requestTokenURL string   // OAuth 1.0a only
	calls           []idCall // identity calls after the token call
	revokeURL       string
}

func (c *config) fillExtra(p providers.Provider, values map[string]string, r replay) error {
	var err error
	if c.calls, err = r.identityCalls(p, values); err != nil {
		return err
	}
	if r.flow.OAuth1 {
		if c.requestTokenURL, err = fill(p, r.flow.RequestTokenURL, values); err != nil {
			return err
		}
		if err = checkEndpoint(c.requestTokenURL); err != nil {
			return err
		}
		// Revocation belongs to the catalogue's OAuth 2.0 client.
		return nil
	}
	if p.OAuth.RevokeURL != "" {
		if c.revokeURL, err = fill(p, p.OAuth.RevokeURL, values); err != nil {
			return err
		}
		if err = checkEndpoint(c.revokeURL); err != nil {
			return err
		}
	}
	return nil
}

// authStyle never lets x/oauth2 auto-detect: auto-detection replays the
// one-time code with the other style after any failure and reports only
// the second error. A definition without a style gets the form body, which
// most of the catalogue's providers require.
func authStyle(s oauth2.AuthStyle) oauth2.AuthStyle {
	if s == oauth2.AuthStyleAutoDetect {
		return oauth2.AuthStyleInParams
	}
	return s
}

// fill replaces {host} and {tenant} in a URL template.
func fill(p providers.Provider, tmpl string, values map[string]string) (string, error) {
	o := p.OAuth
	if strings.Contains(tmpl, "{host}") {
		h := strings.TrimSpace(values[o.HostField])
		h = strings.TrimPrefix(strings.TrimPrefix(h, "https://"), "http://")
		h = strings.TrimRight(h, "/")
		if h == "" {
			return "", fmt.Errorf("%w: %s is empty", ErrMissingValue, fieldLabel(p, o.HostField, "the host"))
		}
		if strings.ContainsAny(h, "/?#@ \\") {
			return "", fmt.Errorf("%s must be a host name such as account-d.docusign.com, not %q", fieldLabel(p, o.HostField, "the host"), h)
		}
		tmpl = strings.ReplaceAll(tmpl, "{host}", h)
	}
	if strings.Contains(tmpl, "{tenant}") {
		tenant := strings.TrimSpace(values[o.TenantField])
		if tenant == "" {
			tenant = "common"
		}
		tmpl = strings.ReplaceAll(tmpl, "{tenant}", url.PathEscape(tenant))
	}
	return tmpl, nil
}

// checkEndpoint allows https, and http only to the loopback interface (a
// local test server): authorization answers and tokens never travel in
// the clear (RFC 9700 2.6).
func checkEndpoint(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("endpoint %q is not a URL", raw)
	}
	if u.Scheme == "https" || (u.Scheme == "http" && isLoopbackHost(u.Hostname())) {
		return nil
	}
	return fmt.Errorf("endpoint %s must use https", u.Redacted())
}

func isLoopbackHost(h string) bool {
	return h == "127.0.0.1" || h == "::1" || h == "localhost"
}

// randomString returns n bytes from crypto/rand, base64url-encoded.
func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// authOptions are the extra parameters of the authorization request: PKCE
// S256 where the flow allows it (never "plain"), the scope as the flow
// writes it, then the flow's own parameters, which may not override the
// security ones.
func authOptions(f providers.PortalFlow, verifier string) []oauth2.AuthCodeOption {
	var opts []oauth2.AuthCodeOption
	if f.PKCE {
		opts = append(opts, oauth2.S256ChallengeOption(verifier))
	}
	if s := f.Scope(); s != "" {
		opts = append(opts, oauth2.SetAuthURLParam("scope", s))
	}
	keys := make([]string, 0, len(f.Params))
	for k := range f.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch k {
		case "state", "code_challenge", "code_challenge_method", "redirect_uri", "client_id", "response_type", "scope":
			continue
		}
		opts = append(opts, oauth2.SetAuthURLParam(k, f.Params[k]))
	}
	return opts
}

// newServer serves the flow with tight limits and no keep-alives, so that
// Shutdown closes every connection at once.
func newServer(h http.Handler) *http.Server {
	s := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      doneWait + 15*time.Second,
		IdleTimeout:       5 * time.Second,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	s.SetKeepAlivesEnabled(false)
	return s
}
