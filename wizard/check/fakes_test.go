package check

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// rewrite sends every request to a local fake, keeping the real host in the
// Host header so that fakes route (and SigV4 verifies) on the production
// host the check used.
type rewrite struct {
	addr string
	base http.RoundTripper
}

func (t rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	if r.Host == "" {
		r.Host = req.URL.Host
	}
	r.URL.Scheme = "http"
	r.URL.Host = t.addr
	return t.base.RoundTrip(r)
}

// fakeChecker starts h behind a rewriting transport and returns a Checker
// that reaches it for every production URL.
func fakeChecker(t testing.TB, h http.Handler, opts ...Option) *Checker {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	t.Cleanup(tr.CloseIdleConnections)
	c := &http.Client{Transport: rewrite{addr: srv.Listener.Addr().String(), base: tr}, Timeout: 10 * time.Second}
	return New(append([]Option{WithClient(c)}, opts...)...)
}

// reply is one canned answer.
type reply struct {
	status int
	body   string
	header map[string]string
}

func (rp reply) write(w http.ResponseWriter) {
	for k, v := range rp.header {
		w.Header().Set(k, v)
	}
	if strings.HasPrefix(rp.body, "{") || strings.HasPrefix(rp.body, "[") {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(rp.status)
	_, _ = w.Write([]byte(rp.body))
}
