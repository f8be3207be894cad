package check

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// redirectSeen answers every token request with AADSTS50011 and keeps the
// redirect_uri each one sent.
type redirectSeen struct {
	mu  sync.Mutex
	got []string
}

func (r *redirectSeen) RoundTrip(req *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(req.Body)
	form, _ := url.ParseQuery(string(body))
	r.mu.Lock()
	r.got = append(r.got, form.Get("redirect_uri"))
	r.mu.Unlock()
	answer := `{"error":"invalid_grant","error_description":"AADSTS50011: redirect","error_codes":[50011]}`
	return &http.Response{StatusCode: 400, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(answer)), Request: req}, nil
}

// The portal's Redirect URL set in the shared settings is what the
// Microsoft check sends, and a change reaches the next check.
func TestSettingsRedirectReachesTheCheck(t *testing.T) {
	seen := &redirectSeen{}
	redirect := "https://portal.example.com/own-redirect"
	s := &Settings{Redirect: func() string { return redirect }, Options: []Option{WithClient(&http.Client{Transport: seen})}}
	values := map[string]string{"microsoftClientId": "0b5a2c4e-1111-4222-8333-944455556666", "microsoftClientSecret": "abc8Q~abcdefghijklmnopqrstuvwxyz0123456"}
	r := s.Check(context.Background(), "microsoft", values)
	if !strings.Contains(r.Message, redirect) {
		t.Errorf("the verdict does not name the portal's own redirect URL: %s", r.Message)
	}
	redirect = ""
	s.CheckAll(context.Background(), map[string]map[string]string{"microsoft": values})
	seen.mu.Lock()
	defer seen.mu.Unlock()
	if len(seen.got) != 2 || seen.got[0] != "https://portal.example.com/own-redirect" || seen.got[1] == seen.got[0] || seen.got[1] == "" {
		t.Fatalf("redirect_uri sent: %q", seen.got)
	}
}
