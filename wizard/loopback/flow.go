package loopback

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"keywizard/providers"
	"keywizard/wizard"
)

var listenTCP listenFunc = net.Listen

// answer is what the one accepted callback carried.
type answer struct {
	code string
	temp string // OAuth 1.0a: the temporary token the answer carried
	err  error
}

// flow is one test sign-in: its secrets (state, verifier), its listener
// and the hand-over between the callback handler and Run.
type flow struct {
	p        providers.Provider
	o        *providers.OAuth
	plan     replay // the request replayed
	cfg      *config
	client   *http.Client
	b        *binding
	path     string
	verifier string

	mu         sync.Mutex
	state      []byte // nil once used; OAuth 1.0a: the temporary token
	tempSecret string // OAuth 1.0a: the temporary token's secret

	once    sync.Once   // exactly one answer is accepted
	answers chan answer // receives that answer

	verdict    chan struct{} // closed when result is set
	result     page
	servedOnce sync.Once
	served     chan struct{} // closed when /done was served
}

func newFlow(p providers.Provider, plan replay, cfg *config, b *binding, c *http.Client) (*flow, error) {
	state, err := randomString(32)
	if err != nil {
		return nil, err
	}
	return &flow{
		p: p, o: p.OAuth, plan: plan, cfg: cfg, client: c, b: b,
		path:     callbackPath(p.OAuth),
		verifier: oauth2.GenerateVerifier(),
		state:    []byte(state),
		answers:  make(chan answer, 1),
		verdict:  make(chan struct{}),
		served:   make(chan struct{}),
	}, nil
}

// ServeHTTP answers only GET on the callback path and on /done, and only
// when the Host header names the listener itself (a DNS-rebinding guard).
// Anything else gets 404 and leaves the flow running.
func (f *flow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	secureHeaders(w)
	if r.Host != f.b.host || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	switch r.URL.Path {
	case f.path:
		f.callback(w, r)
	case donePath:
		f.done(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (f *flow) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !q.Has("state") && !q.Has("code") && !q.Has("error") && !q.Has("oauth_token") && !q.Has("denied") {
		writePage(w, http.StatusBadRequest, notAnswerPage)
		return
	}
	first := false
	f.once.Do(func() { first = true })
	if !first {
		writePage(w, http.StatusConflict, finishedPage)
		return
	}
	f.answers <- f.read(q)
	// The code leaves the address bar and the history entry (RFC 9700 4.3.1).
	http.Redirect(w, r, donePath, http.StatusSeeOther)
}

// read checks one answer: state is taken (and invalidated) first, then
// repeated parameters, the state (or OAuth 1.0a token), iss, and the
// error or the code.
func (f *flow) read(q url.Values) answer {
	f.mu.Lock()
	want := f.state
	f.state = nil
	f.mu.Unlock()
	if name := repeated(q); name != "" {
		// RFC 6749 3.1: parameters must not be included more than once;
		// an answer with two states or two codes (or, for OAuth 1.0a, two
		// tokens or verifiers) was tampered with.
		return answer{err: fmt.Errorf("%w: the answer carries %q more than once", ErrStateMismatch, clip(name, 40))}
	}
	if f.plan.flow.OAuth1 {
		a := readOAuth1(q, want)
		a.temp = string(want)
		return a
	}
	if len(want) == 0 || subtle.ConstantTimeCompare([]byte(q.Get("state")), want) != 1 {
		return answer{err: ErrStateMismatch}
	}
	if q.Has("iss") {
		if err := f.checkIssuer(q.Get("iss")); err != nil {
			return answer{err: err}
		}
	}
	if e := q.Get("error"); e != "" {
		return answer{err: &ProviderError{Stage: "authorization", Code: clip(e, 100), Description: clip(q.Get("error_description"), 500)}}
	}
	code := q.Get("code")
	if code == "" {
		return answer{err: &ProviderError{Stage: "authorization", Description: "the answer carries neither a code nor an error"}}
	}
	return answer{code: code}
}

// constantEqual compares an answer's value with the one this sign-in
// holds, in constant time.
func constantEqual(got string, want []byte) bool {
	return subtle.ConstantTimeCompare([]byte(got), want) == 1
}

// repeated returns the name of a parameter given more than once, or "".
func repeated(q url.Values) string {
	for name, vs := range q {
		if len(vs) > 1 {
			return name
		}
	}
	return ""
}

// checkIssuer compares the answer's "iss" with the issuer the catalogue
// names, character for character (RFC 9207 2.4). Where the catalogue names
// none, the issuer must at least be an https URL of the same site as the
// authorization endpoint the request went to: an answer naming another
// server is a mix-up whatever the exact issuer string.
func (f *flow) checkIssuer(iss string) error {
	if f.o.Issuer != "" {
		if iss != f.o.Issuer {
			return fmt.Errorf("%w: iss is %q, expected %q", ErrIssuerMismatch, clip(iss, 200), f.o.Issuer)
		}
		return nil
	}
	auth, err := url.Parse(f.cfg.Endpoint.AuthURL)
	if err != nil {
		return fmt.Errorf("%w: iss is %q", ErrIssuerMismatch, clip(iss, 200))
	}
	u, err := url.Parse(iss)
	secure := err == nil && (u.Scheme == "https" || (u.Scheme == "http" && isLoopbackHost(u.Hostname())))
	if !secure || site(u.Hostname()) != site(auth.Hostname()) {
		return fmt.Errorf("%w: iss is %q, expected an issuer of %s", ErrIssuerMismatch, clip(iss, 200), auth.Hostname())
	}
	return nil
}

// site is the last two labels of a host name ("x.com" for api.x.com),
// which is the registrable domain for every provider of the catalogue.
func site(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	labels := strings.Split(host, ".")
	if len(labels) <= 2 {
		return host
	}
	return strings.Join(labels[len(labels)-2:], ".")
}

// done shows the verdict once the exchange is over, so that the page can
// say whether the test passed.
func (f *flow) done(w http.ResponseWriter, r *http.Request) {
	if !f.answered() {
		http.NotFound(w, r)
		return
	}
	t := time.NewTimer(doneWait)
	defer t.Stop()
	select {
	case <-f.verdict:
		writePage(w, http.StatusOK, f.result)
	case <-t.C:
		writePage(w, http.StatusOK, stillCheckingPage)
	case <-r.Context().Done():
		return
	}
	f.servedOnce.Do(func() { close(f.served) })
}

// answered reports whether the one answer was taken (state is gone).
func (f *flow) answered() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state == nil
}

// finish marks the flow as over for late callbacks and invalidates state.
func (f *flow) finish() {
	f.once.Do(func() {})
	f.mu.Lock()
	f.state = nil
	f.mu.Unlock()
}

// run serves the listener, hands the URL out, waits for one answer and
// turns it into a result.
func (f *flow) run(ctx context.Context, opts wizard.SignInOptions) (wizard.SignInResult, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	srv := newServer(f)
	go func() { _ = srv.Serve(f.b.ln) }()
	defer shutdown(srv)

	authURL, err := f.authURL(ctx)
	if err != nil {
		res := f.failed(err, timeout)
		res.Service, res.RedirectURI, res.Product = f.p.ID, f.b.redirectURI, string(f.plan.product)
		res.Proven, res.NotProven = f.proofs(false, err)
		return res, err
	}
	if opts.OnURL != nil {
		opts.OnURL(authURL, f.b.redirectURI)
	}
	openErr := make(chan error, 1)
	if opts.Open != nil {
		// Opening may block until the browser exits (xdg-open); the URL
		// was handed to OnURL, so a failure here is not fatal.
		go func() { openErr <- opts.Open(authURL) }()
	}

	a, werr := f.wait(ctx, timeout)
	err = werr
	var res wizard.SignInResult
	if err == nil && a.err == nil {
		if f.plan.flow.OAuth1 {
			res, err = f.completeOAuth1(ctx, a.temp, a.code)
		} else {
			res, err = f.complete(ctx, a.code)
		}
	} else {
		if err == nil {
			err = a.err
		}
		res = f.failed(err, timeout)
	}
	a.code, a.temp = "", ""
	res.Service, res.RedirectURI, res.Product = f.p.ID, f.b.redirectURI, string(f.plan.product)
	res.Proven, res.NotProven = f.proofs(res.OK, err)
	if f.b.ipv6 && f.o.Loopback == providers.LoopbackExact {
		res.Warnings = append(res.Warnings, "IPv4 loopback is unavailable on this computer, so the test listened on [::1]: register "+f.b.redirectURI+" as well.")
	}
	select {
	case e := <-openErr:
		if e != nil {
			res.Warnings = append(res.Warnings, "Could not open a browser ("+oneLine(e.Error())+"); the sign-in address was shown instead.")
		}
	default:
	}
	f.publish(res, err)
	if werr == nil {
		// A browser delivered the answer and follows the 303 to /done:
		// give it the verdict before the listener closes.
		f.waitServed(doneGrace)
	}
	return res, err
}

// authURL is the address the browser opens: the authorization request
// with this sign-in's state, or, for OAuth 1.0a, the authorize page of a
// temporary token obtained first (whose value then serves as the state).
func (f *flow) authURL(ctx context.Context) (string, error) {
	if f.plan.flow.OAuth1 {
		return f.requestToken(ctx)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cfg.AuthCodeURL(string(f.state), authOptions(f.plan.flow, f.verifier)...), nil
}

// wait blocks until the one answer, the timeout or cancellation.
func (f *flow) wait(ctx context.Context, timeout time.Duration) (answer, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case a := <-f.answers:
		return a, nil
	case <-t.C:
		f.finish()
		return answer{}, fmt.Errorf("%w: waited %s", ErrTimeout, timeout)
	case <-ctx.Done():
		f.finish()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return answer{}, fmt.Errorf("%w: %v", ErrTimeout, ctx.Err())
		}
		return answer{}, fmt.Errorf("%w: %v", ErrCanceled, ctx.Err())
	}
}

// publish hands the verdict to the /done page.
func (f *flow) publish(res wizard.SignInResult, err error) {
	p := page{OK: res.OK}
	var pe *ProviderError
	switch {
	case res.OK:
		p.Title = "Test sign-in passed"
		p.Text = "The service accepted the keys and Keywizard received the sign-in."
	case errors.Is(err, ErrStateMismatch), errors.Is(err, ErrIssuerMismatch):
		p.Title = "Test sign-in stopped"
		p.Text = "The answer did not belong to this sign-in, so Keywizard stopped. Details are in Keywizard."
	case errors.As(err, &pe):
		p.Title = "Test sign-in failed"
		p.Text = "The service did not accept the sign-in. What to fix is shown in Keywizard."
		p.Detail = pe.Code
		if pe.Description != "" {
			p.Detail = strings.TrimPrefix(pe.Code+": "+pe.Description, ": ")
		}
	default:
		p.Title = "Test sign-in failed"
		p.Text = "The test did not complete. What to do is shown in Keywizard."
	}
	f.result = p
	close(f.verdict)
}

func (f *flow) waitServed(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-f.served:
	case <-t.C:
	}
}

func shutdown(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if srv.Shutdown(ctx) != nil {
		srv.Close()
	}
}

// failed builds the result card for a sign-in that did not pass.
func (f *flow) failed(err error, timeout time.Duration) wizard.SignInResult {
	a := adviceFor(adviceCtx{p: f.p, redirectURI: f.b.redirectURI, timeout: timeout, plan: f.plan}, err)
	// A known dead end of the service is the likeliest cause of a
	// refusal, unless the advice already is the flow's own explanation.
	var pe *ProviderError
	if errors.As(err, &pe) && a.Fix != f.plan.flow.ScopeRefusal && a.Fix != f.plan.flow.IdentityRefusal {
		a.Fix = f.p.DeadEnd.Explain(a.Fix)
	}
	return wizard.SignInResult{Message: a.Message, Fix: a.Fix, FixURL: a.FixURL}
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
