package loopback

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
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
