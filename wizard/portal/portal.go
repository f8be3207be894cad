// Package portal talks to an ONLYOFFICE portal: it tells DocSpace from
// Workspace, signs in (two-factor and DocSpace API keys included), reads the
// "Authorization keys" of each service, and pushes new ones without ever
// leaving the portal worse off than before (snapshot, diff, read-back,
// restore).
//
// The two products differ in almost every detail: DocSpace has a REST
// endpoint (api/2.0/settings/authservice) and answers 200, Workspace answers
// 201 and saves keys only through the AjaxPro handler of its settings page,
// authenticated by the asc_auth_key cookie.
package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"keywizard/wizard"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"keywizard/wizard/httpclient"
	"keywizard/wizard/outside"
	"keywizard/wizard/redact"
)

// Product is an ONLYOFFICE product line.
type Product = wizard.Product

// The products Keywizard pushes keys to.
const (
	DocSpace  = wizard.DocSpace
	Workspace = wizard.Workspace
)

// Info is what detection found out about a portal.
type Info = wizard.PortalInfo

// Options tune a client.
type Options struct {
	CAFile  string        // extra PEM certificates to trust (a private CA)
	Timeout time.Duration // per request; httpclient.DefaultTimeout when zero
	// HTTPClient replaces the client built from CAFile and Timeout.
	HTTPClient *http.Client
}

// Client is a connection to one portal. It is safe for sequential use by
// one goroutine; give each portal its own client.
type Client struct {
	base    *url.URL
	http    *http.Client
	info    Info
	session Session
}

// Errors callers branch on.
var (
	// ErrInsecure means a non-loopback portal was given over plain http.
	ErrInsecure = wizard.ErrPortalInsecure
	// ErrUnreachable wraps every failure to get an answer: DNS, TLS,
	// connection refused or reset, timeout.
	ErrUnreachable = wizard.ErrPortalUnreachable
	// ErrNotSignedIn means the call needs a session and there is none, or
	// the portal refused it.
	ErrNotSignedIn = wizard.ErrNotSignedIn
	// ErrPortalFailed wraps an answer that says the portal itself failed.
	ErrPortalFailed = wizard.ErrPortalFailed
)

// ParseURL checks a portal address and returns it normalised (scheme and
// host, with any path kept and a trailing slash added). Plain http is
// refused except for loopback hosts.
func ParseURL(raw string) (*url.URL, error) { return wizard.ParsePortalURL(raw) }

// IsLoopback reports whether host is this computer: localhost, 127.0.0.0/8
// or ::1.
func IsLoopback(host string) bool { return wizard.IsLoopbackHost(host) }

// New returns a client for the portal at rawURL. It does not connect.
func New(rawURL string, opts Options) (*Client, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	hc := opts.HTTPClient
	if hc == nil {
		if hc, err = httpclient.New(httpclient.Options{CAFile: opts.CAFile, Timeout: opts.Timeout, NoRedirects: true}); err != nil {
			return nil, err
		}
	}
	return &Client{base: u, http: hc}, nil
}

// URL is the portal's normalised address, without the trailing slash.
func (c *Client) URL() string { return strings.TrimSuffix(c.base.String(), "/") }

// Host is the portal's host (and port, if any).
func (c *Client) Host() string { return c.base.Host }

// Key names the portal's session and password in the secret store, as
// Entry.Key does: host (and port) and path without the trailing slash.
func (c *Client) Key() string { return urlKey(c.base) }

// Info returns what Detect found.
func (c *Client) Info() Info { return c.info }

// Detect asks the portal which product and version it runs and remembers
// the answer.
func Detect(ctx context.Context, rawURL string, opts Options) (*Client, error) {
	c, err := New(rawURL, opts)
	if err != nil {
		return nil, err
	}
	if _, err := c.Detect(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Detect reads api/2.0/settings/version/build (anonymous on both products):
// "docSpace" means DocSpace, "communityServer" Workspace. When neither is
// there it falls back to api/2.0/settings/authservice, which only DocSpace
// has (Workspace answers 404 "Method not found"), and then to
// api/2.0/capabilities, which both products answer anonymously.
func (c *Client) Detect(ctx context.Context) (Info, error) {
	var build struct {
		DocSpace        string `json:"docSpace"`
		CommunityServer string `json:"communityServer"`
	}
	res, err := c.do(ctx, request{method: http.MethodGet, path: "api/2.0/settings/version/build", anonymous: true})
	if err != nil {
		return Info{}, err
	}
	if res.ok() {
		_ = res.decode(&build)
	}
	switch {
	case build.DocSpace != "":
		c.info = Info{Product: DocSpace, Version: cleanVersion(build.DocSpace)}
		return c.info, nil
	case build.CommunityServer != "":
		c.info = Info{Product: Workspace, Version: cleanVersion(build.CommunityServer)}
		return c.info, nil
	}
	if redirect := res.redirect(); redirect != "" {
		return Info{}, fmt.Errorf("%s redirects to %s: use the portal's own address", c.URL(), redirect)
	}
	return c.detectFallback(ctx)
}

// detectFallback tells the products apart without a version.
func (c *Client) detectFallback(ctx context.Context) (Info, error) {
	res, err := c.do(ctx, request{method: http.MethodGet, path: "api/2.0/settings/authservice", anonymous: true})
	if err != nil {
		return Info{}, err
	}
	switch {
	case res.ok() && res.isJSON(), res.status == http.StatusUnauthorized || res.status == http.StatusForbidden:
		c.info = Info{Product: DocSpace}
		return c.info, nil
	case res.redirect() != "":
		return Info{}, fmt.Errorf("%s redirects to %s: use the portal's own address", c.URL(), res.redirect())
	case res.status == http.StatusNotFound && res.looksLikeAPI():
		c.info = Info{Product: Workspace}
		return c.info, nil
	}
	// No authservice and no API-shaped 404: an ONLYOFFICE portal still
	// answers api/2.0/capabilities; if it does, it is the product without
	// authservice.
	caps, err := c.do(ctx, request{method: http.MethodGet, path: "api/2.0/capabilities", anonymous: true})
	if err != nil {
		return Info{}, err
	}
	var cp struct {
		Providers *[]string `json:"providers"`
	}
	if caps.ok() && caps.decode(&cp) == nil && cp.Providers != nil && res.status == http.StatusNotFound {
		c.info = Info{Product: Workspace}
		return c.info, nil
	}
	if res.failed() && caps.failed() {
		// Every question got a server error: the portal is there but failing.
		return Info{}, res.httpError(c.URL() + ": detect the product")
	}
	if !res.looksLikeAPI() && !caps.looksLikeAPI() {
		return Info{}, fmt.Errorf("%s: %w: it sent %s instead of the API's answer: check the address", c.URL(), ErrPortalFailed, res.describe())
	}
	return Info{}, fmt.Errorf("%s does not answer like an ONLYOFFICE portal (HTTP %d): check the address", c.URL(), res.status)
}

// cleanVersion keeps a version safe to print and store.
func cleanVersion(v string) string { return outside.Name(strings.TrimSpace(v)) }

// request is one call to the portal.
type request struct {
	method    string
	path      string // relative to the portal root, no leading slash
	body      any    // marshalled as JSON; []byte is sent as is
	header    map[string]string
	anonymous bool // send no credentials
	cookie    bool // send the token as the asc_auth_key cookie only
	// secrets are values the body carries (a password) that the portal's
	// messages must never quote back; the session token is added by do.
	secrets []string
}

// response is a read answer. status is the HTTP status, except when a 2xx
// answer carries the API's error envelope ({"status":1,"statusCode":4xx}),
// which DocSpace uses for model-validation failures: then it is the
// envelope's statusCode.
type response struct {
	status int
	header http.Header
	body   []byte
	sent   []string // the request's secrets, scrubbed from message
}

// ok reports a successful answer: any 2xx (DocSpace answers 200, Workspace
// 201 to a POST).
func (r *response) ok() bool { return r.status >= 200 && r.status < 300 }

// redirect is the Location of a 3xx answer, or "".
func (r *response) redirect() string {
	if r.status >= 300 && r.status < 400 {
		return r.header.Get("Location")
	}
	return ""
}

// failed reports an answer that says the portal itself failed rather than
// refused: a 5xx. (Workspace's sign-in refusals are 500s too; the sign-in
// code reads their message first.)
func (r *response) failed() bool { return r.status >= 500 }

// maxBody bounds what is read from the portal; the keys page of a large
// Workspace is a few hundred kilobytes.
const maxBody = 8 << 20

func (c *Client) do(ctx context.Context, r request) (*response, error) {
	u := c.base.ResolveReference(&url.URL{Path: r.path})
	if i := strings.IndexByte(r.path, '?'); i >= 0 {
		u = c.base.ResolveReference(&url.URL{Path: r.path[:i], RawQuery: r.path[i+1:]})
	}
	var body io.Reader
	if r.body != nil {
		b, ok := r.body.([]byte)
		if !ok {
			var err error
			if b, err = json.Marshal(r.body); err != nil {
				return nil, err
			}
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	sent := r.secrets
	if !r.anonymous && c.session.Token != "" {
		c.authorize(req, r.cookie)
		sent = append(sent[:len(sent):len(sent)], c.session.Token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, unreachable(c.URL(), err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, unreachable(c.URL(), err)
	}
	if len(data) > maxBody {
		return nil, fmt.Errorf("%w: %s sent an answer larger than %d MiB (HTTP %d) instead of the API's answer", ErrPortalFailed, c.URL(), maxBody>>20, resp.StatusCode)
	}
	return &response{status: effectiveStatus(resp.StatusCode, data), header: resp.Header, body: data, sent: sent}, nil
}

// effectiveStatus lets an error envelope inside a 2xx answer count as the
// error it describes.
func effectiveStatus(status int, body []byte) int {
	if status < 200 || status >= 300 || len(body) == 0 || body[0] != '{' {
		return status
	}
	var env struct {
		Status     *int `json:"status"`
		StatusCode int  `json:"statusCode"`
	}
	if json.Unmarshal(body, &env) != nil || env.Status == nil || *env.Status == 0 {
		return status
	}
	if env.StatusCode >= 400 {
		return env.StatusCode
	}
	return http.StatusBadRequest
}

// authorize adds the session the way each product expects it: DocSpace
// "Bearer <token>", Workspace REST the raw token, Workspace web pages and
// AjaxPro only the asc_auth_key cookie.
func (c *Client) authorize(req *http.Request, cookieOnly bool) {
	switch {
	case cookieOnly:
		// Set verbatim: http.Cookie would quote a value with a space or a
		// comma and drop some bytes, and the server compares the token.
		req.Header.Set("Cookie", "asc_auth_key="+c.session.Token)
	case c.info.Product == DocSpace:
		req.Header.Set("Authorization", "Bearer "+c.session.Token)
	default:
		req.Header.Set("Authorization", c.session.Token)
	}
}

// unreachable wraps a transport error without repeating the URL twice.
func unreachable(portal string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := err.Error()
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		msg = "no answer in time"
	}
	return fmt.Errorf("%w %s: %s", ErrUnreachable, portal, msg)
}

// envelope is the API's wrapper: {"response":...,"status":0,"statusCode":200}
// or {"error":{"message":...},"status":1,"statusCode":...}.
type envelope struct {
	Response   json.RawMessage `json:"response"`
	Status     int             `json:"status"`
	StatusCode int             `json:"statusCode"`
	Error      *struct {
		Message string `json:"message"`
		Type    string `json:"type"`
	} `json:"error"`
}

// decode unwraps the envelope into v (or decodes the body itself when there
// is no envelope). An answer that is not JSON, is null, or does not fit v
// is not the API's answer: the error wraps ErrPortalFailed and says what
// came back.
func (r *response) decode(v any) error {
	var env envelope
	if err := json.Unmarshal(r.body, &env); err != nil || isNull(r.body) {
		return r.notAPI()
	}
	data := []byte(env.Response)
	if len(env.Response) == 0 || string(env.Response) == "null" {
		data = r.body
	}
	if err := json.Unmarshal(data, v); err != nil {
		return r.notAPI()
	}
	return nil
}

// notAPI is the error for an answer that is not the API's.
func (r *response) notAPI() error {
	return fmt.Errorf("%w: it sent %s instead of the API's answer", ErrPortalFailed, r.describe())
}

// isJSON reports an answer that is JSON and not null.
func (r *response) isJSON() bool { return json.Valid(r.body) && !isNull(r.body) }

func isNull(b []byte) bool { return string(bytes.TrimSpace(b)) == "null" }

// maxDepth is how deeply nested JSON may be before it is called hostile:
// the API's answers are a few levels deep.
const maxDepth = 100

// describe says in a few words what an answer holds, for the admin,
// without quoting more than a page title.
func (r *response) describe() string {
	b := bytes.TrimSpace(r.body)
	ct := strings.ToLower(r.header.Get("Content-Type"))
	what := ""
	switch {
	case len(b) == 0:
		what = "an empty answer"
	case isNull(b):
		what = "JSON null"
	case b[0] == '<' || strings.Contains(ct, "html"):
		what = "a web page"
		if t := pageTitle(b); t != "" {
			what += " titled " + strconv.Quote(t)
		}
	case jsonDepth(b) > maxDepth:
		what = fmt.Sprintf("JSON nested more than %d levels deep", maxDepth)
	case json.Valid(b):
		what = "JSON of another shape"
	default:
		what = "text that is not JSON"
	}
	return fmt.Sprintf("%s (HTTP %d)", what, r.status)
}

var titleRE = regexp.MustCompile(`(?is)<title[^>]*>([^<]{1,200})`)

func pageTitle(b []byte) string {
	m := titleRE.FindSubmatch(b[:min(len(b), 64<<10)])
	if m == nil {
		return ""
	}
	return outside.Cut(outside.Clean(strings.Join(strings.Fields(string(m[1])), " ")), 80)
}

// jsonDepth is the deepest nesting of brackets outside strings.
func jsonDepth(b []byte) int {
	depth, deepest, inString, escaped := 0, 0, false, false
	for _, c := range b {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// message is the error text of an answer, or "", without the secrets the
// request carried (a portal may quote them back) and safe to print.
func (r *response) message() string {
	var env envelope
	if json.Unmarshal(r.body, &env) == nil && env.Error != nil {
		return outside.Text(redact.Text(strings.TrimSpace(env.Error.Message), r.sent...))
	}
	return ""
}

// looksLikeAPI reports whether the answer is the API's JSON envelope
// rather than a web server's page.
func (r *response) looksLikeAPI() bool {
	var env map[string]json.RawMessage
	if json.Unmarshal(r.body, &env) != nil {
		return false
	}
	_, a := env["statusCode"]
	_, b := env["error"]
	return a || b
}

// httpError describes an unexpected answer, with the portal's message when
// it gave one. A failure of the portal itself wraps ErrPortalFailed.
func (r *response) httpError(what string) error {
	if r.failed() {
		if m := r.message(); m != "" {
			return fmt.Errorf("%s: %w (HTTP %d: %s)", what, ErrPortalFailed, r.status, m)
		}
		return fmt.Errorf("%s: %w (HTTP %d)", what, ErrPortalFailed, r.status)
	}
	if m := r.message(); m != "" {
		return fmt.Errorf("%s: the portal answered HTTP %d: %s", what, r.status, m)
	}
	if r.ok() {
		// A success status without the API's answer.
		return fmt.Errorf("%s: %w", what, r.notAPI())
	}
	return fmt.Errorf("%s: the portal answered HTTP %d", what, r.status)
}
