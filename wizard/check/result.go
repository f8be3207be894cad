package check

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"keywizard/wizard"
	"keywizard/wizard/httpclient"
	"keywizard/wizard/redact"
)

// maxBody bounds what a check reads of an answer.
const maxBody = 1 << 20

func pass(msg, notProven string, c wizard.Certainty) wizard.CheckResult {
	return wizard.CheckResult{OK: true, Message: msg, NotProven: notProven, Certainty: c}
}

// fail is a documented rejection of the keys.
func fail(msg, fix, fixURL string) wizard.CheckResult {
	return wizard.CheckResult{Message: msg, Fix: fix, FixURL: fixURL, Certainty: wizard.Proven}
}

// failLikely is a rejection read from undocumented behaviour.
func failLikely(msg, fix, fixURL string) wizard.CheckResult {
	r := fail(msg, fix, fixURL)
	r.Certainty = wizard.Likely
	return r
}

func uncertain(msg, details, fixURL string) wizard.CheckResult {
	return wizard.CheckResult{Message: msg, Details: details, FixURL: fixURL, Certainty: wizard.Uncertain,
		Fix: "run the test sign-in or try the keys on the portal; if they fail, create new ones in the console"}
}

// notJudged is a check that could not reach a verdict without asking the
// service: an optional value it needs is missing. Like an unreadable
// answer, it is neither accepted nor rejected.
func notJudged(msg, notProven, fix, fixURL string) wizard.CheckResult {
	return wizard.CheckResult{Message: msg, NotProven: notProven, Fix: fix, FixURL: fixURL, Certainty: wizard.Uncertain}
}

func unreachable(msg, details string) wizard.CheckResult {
	return wizard.CheckResult{Message: msg, Details: details, Unreachable: true, Certainty: wizard.Uncertain,
		NotProven: "the keys were not checked: they are neither proven good nor bad",
		Fix:       "check the network, the proxy (HTTPS_PROXY) and the service's status page, then try again"}
}

// answer is a service's HTTP answer, body read.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// do sends req and reads the answer. A non-nil *wizard.CheckResult means
// the service could not be asked: network error, timeout, 5xx or 429.
func (k *Checker) do(req *http.Request, who string) (*answer, *wizard.CheckResult) {
	resp, err := k.client.Do(req)
	if err != nil {
		r := netFailure(req.Context(), who, req.URL.Host, err)
		return nil, &r
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		r := netFailure(req.Context(), who, req.URL.Host, err)
		return nil, &r
	}
	a := &answer{status: resp.StatusCode, header: resp.Header, body: body}
	if r := serverTrouble(who, a); r != nil {
		return nil, r
	}
	return a, nil
}

// serverTrouble turns 429 and 5xx into an "unreachable" verdict.
func serverTrouble(who string, a *answer) *wizard.CheckResult {
	switch {
	case a.status == http.StatusTooManyRequests:
		msg := who + " is rate limiting these requests (HTTP 429): the keys were not judged"
		if wait := retryAfter(a.header.Get("Retry-After")); wait != "" {
			msg += "; it asks to wait " + wait
		}
		r := unreachable(msg, snippet(a.body))
		r.Fix = "wait a minute and check again; do not retry in a loop"
		return &r
	case a.status >= 500:
		r := unreachable(fmt.Sprintf("%s answered with a server error (HTTP %d): the keys were not judged", who, a.status), snippet(a.body))
		r.Fix = "the service has trouble on its side: try again later"
		return &r
	}
	return nil
}

// retryAfter reads Retry-After, seconds or an HTTP date (RFC 9110 10.2.3).
func retryAfter(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return strconv.Itoa(n) + " seconds"
	}
	if t, err := http.ParseTime(v); err == nil {
		return "until " + t.UTC().Format(time.RFC1123)
	}
	return ""
}

// netFailure explains an error that kept the request from being answered.
func netFailure(ctx context.Context, who, host string, err error) wizard.CheckResult {
	var (
		ne      net.Error
		unknown x509.UnknownAuthorityError
		certErr *tls.CertificateVerificationError
		dnsErr  *net.DNSError
	)
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled):
		r := unreachable("the check of "+who+" was cancelled", "")
		r.Fix = ""
		return r
	case errors.Is(err, httpclient.ErrRedirect):
		r := unreachable(who+" at "+host+" answered with a redirect to "+redirectHost(err)+", which was not followed so that the keys are not sent elsewhere: the keys were not judged", err.Error())
		r.Fix = "a proxy or a wrong host field may be sending the request elsewhere: check HTTPS_PROXY and the host, then try again"
		return r
	case errors.Is(err, httpclient.ErrCAFile):
		r := unreachable("the check of "+who+" did not start: a certificate file cannot be used", err.Error())
		cause := err
		if ue := (*url.Error)(nil); errors.As(err, &ue) {
			cause = ue.Err // without the URL, which may carry a token
		}
		r.Fix = "SSL_CERT_FILE (or the CA file) cannot be used (" + cause.Error() + "): point it at a readable PEM file with the proxy's CA certificate"
		return r
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return unreachable(who+" did not answer in time ("+host+" timed out)", err.Error())
	case errors.As(err, &unknown) || errors.As(err, &certErr):
		r := unreachable("the TLS certificate of "+host+" is not trusted", err.Error())
		r.Fix = "behind a TLS-inspecting proxy, point SSL_CERT_FILE at its CA certificate (PEM) and try again"
		if f := os.Getenv("SSL_CERT_FILE"); f != "" {
			if _, cerr := httpclient.New(httpclient.Options{}); cerr != nil {
				r.Fix = "SSL_CERT_FILE is set to " + f + " but cannot be used (" + cerr.Error() + "): point it at a readable PEM file with the proxy's CA certificate"
			}
		}
		return r
	case errors.As(err, &dnsErr):
		return unreachable("could not resolve "+host+": no network or no DNS", err.Error())
	}
	return unreachable("could not reach "+who+" at "+host, err.Error())
}

// redirectHost is the host a refused redirect pointed to.
func redirectHost(err error) string {
	msg := err.Error()
	mark := httpclient.ErrRedirect.Error() + " to "
	if i := strings.LastIndex(msg, mark); i >= 0 {
		return msg[i+len(mark):]
	}
	return "another address"
}

// newRequest builds a request; bad URLs only come from bad input (a host
// field), which the offline checks catch, so the error is reported plainly.
func newRequest(ctx context.Context, method, u string, body io.Reader) (*http.Request, *wizard.CheckResult) {
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		r := fail("the request could not be built: "+err.Error(), "check the host field", "")
		return nil, &r
	}
	req.Header.Set("User-Agent", "keywizard-check")
	req.Header.Set("Accept", "application/json")
	return req, nil
}

func formRequest(ctx context.Context, u string, form url.Values) (*http.Request, *wizard.CheckResult) {
	req, r := newRequest(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if r == nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req, r
}

// randomToken returns a random hex string: the never-valid codes the probes
// send and the echo strings.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// snippet is a single-line view of an answer for Details. Check shortens
// it once the secrets are out: cut first, a secret would be left in part.
func snippet(b []byte) string {
	return strings.Join(strings.Fields(string(b)), " ")
}

// Lengths a result's texts are cut to, after redaction.
const (
	maxDetails = 600
	maxText    = 1000
)

// clip cuts s to at most n bytes, on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func redactResult(r wizard.CheckResult, vals map[string]string) wizard.CheckResult {
	s := redact.Secrets(r.Service, vals)
	r.Message = clip(redact.Text(r.Message, s...), maxText)
	r.NotProven = clip(redact.Text(r.NotProven, s...), maxText)
	r.Fix = clip(redact.Text(r.Fix, s...), maxText)
	r.FixURL = redact.Text(r.FixURL, s...)
	r.Details = clip(redact.Text(r.Details, s...), maxDetails)
	if r.Identity != nil {
		id := *r.Identity
		id.Name, id.Email, id.ID = redact.Text(id.Name, s...), redact.Text(id.Email, s...), redact.Text(id.ID, s...)
		r.Identity = &id
	}
	return r
}
