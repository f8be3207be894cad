package loopback

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

// RFC 6749 3.1: an answer that repeats a parameter is refused, whichever
// copy is right, and the token endpoint is never called.
func TestRepeatedParameterRefused(t *testing.T) {
	for _, extra := range []string{"state=WRONG", "code=B", "iss=x&iss=y", "error=access_denied&error=x"} {
		t.Run(extra, func(t *testing.T) {
			fp := newFakeProvider(t)
			res, err, _ := signIn(t, testerFor(fakeService(fp)), func(u *url.URL) {
				u.RawQuery += "&" + extra
			})
			if !errors.Is(err, ErrStateMismatch) || res.OK || !strings.Contains(err.Error(), "more than once") {
				t.Fatalf("want a refusal, got %v (ok %v)", err, res.OK)
			}
			if _, _, calls := fp.seen(); calls != 0 {
				t.Fatalf("token endpoint called %d times", calls)
			}
		})
	}
}

// redirecting answers the token request with a 307 to another address and
// counts the requests that reach it.
type redirecting struct {
	base   http.RoundTripper
	stolen *atomic.Int32
}

func (r redirecting) RoundTrip(req *http.Request) (*http.Response, error) {
	switch req.URL.Path {
	case "/token":
		h := http.Header{"Location": {"http://" + req.URL.Host + "/collect"}}
		return &http.Response{StatusCode: http.StatusTemporaryRedirect, Header: h, Body: http.NoBody, Request: req}, nil
	case "/collect":
		r.stolen.Add(1)
	}
	return r.base.RoundTrip(req)
}

// The token request carries the client secret: a redirect is reported,
// never followed, and the test is not judged.
func TestTokenRedirectNotFollowed(t *testing.T) {
	fp := newFakeProvider(t)
	var stolen atomic.Int32
	tr := testerFor(fakeService(fp))
	tr.Client = &http.Client{Transport: redirecting{base: http.DefaultTransport, stolen: &stolen}}
	res, err, _ := signIn(t, tr, nil)
	if stolen.Load() != 0 {
		t.Fatalf("the secret was re-sent %d times", stolen.Load())
	}
	if res.OK || err == nil || !CouldNotRun(err) || !strings.Contains(err.Error()+res.Message, "redirect") {
		t.Fatalf("want a refused redirect, got %v / %+v", err, res)
	}
}

// A provider's error texts and the identity it names reach the admin
// without terminal control characters, and cut.
func TestProviderTextsCleaned(t *testing.T) {
	fp := newFakeProvider(t)
	fp.authError = url.Values{"error": {"access_denied\x1b[2J"}, "error_description": {"no\x1b[1A\r ok  google: signed in" + strings.Repeat(" x", 4000)}}
	res, err, _ := signIn(t, testerFor(fakeService(fp)), nil)
	if err == nil || strings.ContainsAny(err.Error()+res.Message+res.Fix, "\x1b\r") || len(res.Message) > 4000 || !errors.As(err, new(*ProviderError)) {
		t.Fatalf("%d bytes: %.200q / %.200q", len(res.Message), err, res.Message)
	}
	fp = newFakeProvider(t)
	fp.userinfo = map[string]any{"name": "Ada\x1b]0;owned\x07", "email": "ada@example.com\x1b[2J", "sub": "42"}
	res, err, _ = signIn(t, testerFor(fakeService(fp)), nil)
	if err != nil || !res.OK || res.Identity == nil {
		t.Fatalf("%v %+v", err, res)
	}
	if strings.ContainsAny(res.Identity.Name+res.Identity.Email+res.Message, "\x1b\a") {
		t.Fatalf("identity %+v, message %q", res.Identity, res.Message)
	}
}

// A port this account may not listen on is not "used by a program".
func TestPrivilegedPortAdvice(t *testing.T) {
	e := &busyError{port: 80, err: fmt.Errorf("listen tcp 127.0.0.1:80: bind: %w", syscall.EACCES)}
	if fix := e.Fix(); strings.Contains(fix, "program that uses") || !strings.Contains(fix, "administrator rights") || !strings.Contains(fix, "--port 53682") {
		t.Fatalf("fix %q", fix)
	}
	e = &busyError{port: 8080, err: fmt.Errorf("bind: %w", syscall.EADDRINUSE)}
	if fix := e.Fix(); !strings.Contains(fix, "program that uses port 8080") {
		t.Fatalf("fix %q", fix)
	}
}
