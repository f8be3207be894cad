package loopback

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"golang.org/x/oauth2"

	"keywizard/providers"
)

// FuzzCallback sends one forged or odd request to the callback handler.
// Invariants: it never panics; a code is handed over only when the answer
// carries this sign-in's state, exactly once, the code exactly once, no
// error and no repeated parameter; anything handed over is refused or is
// that code; only a request on the callback path with the listener's Host
// is ever taken as the answer.
func FuzzCallback(f *testing.F) {
	for _, seed := range []string{
		"state=RIGHT&code=A",
		"state=RIGHT&state=WRONG&code=A",
		"state=WRONG&state=RIGHT&code=A",
		"state=RIGHT&code=A&code=B",
		"state=RIGHT&error=access_denied&error_description=%1b%5b2J",
		"state=RIGHT&iss=https%3A%2F%2Fevil.example&code=A",
		"code=A", "", "state=RIGHT", "state=RIGHT&code=", "state=RIGHT;code=A",
		"state=RIGHT&code=%ff%fe", "STATE=RIGHT&code=A",
	} {
		f.Add("/callback", seed, "127.0.0.1:5000")
	}
	f.Add("/other", "state=RIGHT&code=A", "127.0.0.1:5000")
	f.Add("/callback", "state=RIGHT&code=A", "evil.example:5000")
	p := providers.Provider{ID: "fuzz", OAuth: &providers.OAuth{}}
	cfg := &config{Config: oauth2.Config{Endpoint: oauth2.Endpoint{AuthURL: "https://auth.example.com/auth"}}}
	f.Fuzz(func(t *testing.T, path, query, host string) {
		fl, err := newFlow(p, planFor(p.OAuth, ""), cfg, &binding{host: "127.0.0.1:5000"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		fl.path = "/callback"
		fl.state = []byte("RIGHT")
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:5000/", nil)
		req.URL.Path, req.URL.RawQuery, req.Host = path, query, host
		fl.ServeHTTP(httptest.NewRecorder(), req)
		var got answer
		select {
		case got = <-fl.answers:
		default:
			return // not taken as the answer
		}
		if path != fl.path || host != "127.0.0.1:5000" {
			t.Fatalf("answer taken from %q on %q", path, host)
		}
		q, _ := url.ParseQuery(query)
		clean := len(q["state"]) == 1 && q.Get("state") == "RIGHT" && len(q["code"]) == 1 && !q.Has("error")
		for _, vs := range q {
			if len(vs) > 1 {
				clean = false
			}
		}
		if q.Has("iss") {
			clean = false // no issuer can match this fuzz provider's site
		}
		switch {
		case got.err == nil && !clean:
			t.Fatalf("query %q handed over code %q", query, got.code)
		case got.err == nil && got.code != q.Get("code"):
			t.Fatalf("query %q handed over %q", query, got.code)
		case got.err != nil && clean && q.Get("code") != "":
			t.Fatalf("query %q refused: %v", query, got.err)
		case q.Get("state") != "RIGHT" && !errors.Is(got.err, ErrStateMismatch):
			t.Fatalf("query %q: %v", query, got.err)
		}
	})
}
