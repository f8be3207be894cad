package loopback

import (
	"fmt"
	"strings"
	"testing"

	"keywizard/providers"
)

func proofsFor(t *testing.T, id, product string, ok bool, err error) (string, string) {
	t.Helper()
	p, found := providers.Lookup(id)
	if !found {
		t.Fatalf("no %s", id)
	}
	f := &flow{p: p, o: p.OAuth, plan: planFor(p.OAuth, product), b: &binding{redirectURI: "http://localhost:53682/callback"},
		cfg: &config{}}
	f.cfg.Endpoint.AuthURL = f.plan.flow.AuthURL
	f.cfg.calls, _ = f.plan.identityCalls(p, map[string]string{})
	return f.proofs(ok, err)
}

// What a result says it proved, for each way a test ends.
func TestProofs(t *testing.T) {
	proven, open := proofsFor(t, "facebook", "", true, nil)
	if !strings.Contains(proven, "DocSpace's own request for sign-in") || !strings.Contains(proven, "scope email,public_profile") ||
		!strings.Contains(proven, "graph.facebook.com/me") {
		t.Errorf("proven %q", proven)
	}
	// Workspace's Facebook request differs (Graph v2.7): named when the
	// product was not chosen, not when it was.
	if !strings.Contains(open, "--product workspace") || !strings.Contains(open, "redirect URL") {
		t.Errorf("not proven %q", open)
	}
	if _, open := proofsFor(t, "facebook", "docspace", true, nil); strings.Contains(open, "--product") {
		t.Errorf("chosen product: %q", open)
	}
	// Google: both products send the same request; the test combines
	// the portal's two requests and says so.
	if _, open := proofsFor(t, "google", "", true, nil); strings.Contains(open, "--product") || !strings.Contains(open, "all three at once") {
		t.Errorf("google: %q", open)
	}
	// A refusal, a refused identity call and a test that did not complete.
	_, open = proofsFor(t, "linkedin", "", false, &ProviderError{Stage: "authorization", Code: "unauthorized_scope_error"})
	if !strings.HasPrefix(open, "The portal's sign-in: LinkedIn refused its request") {
		t.Errorf("refused: %q", open)
	}
	proven, open = proofsFor(t, "twitter", "", false, &ProviderError{Stage: "identity", Status: 403, url: "https://api.twitter.com/1.1/account/verify_credentials.json"})
	if !strings.Contains(proven, "token call succeeded") || !strings.Contains(open, "api.twitter.com/1.1/account/verify_credentials.json refused") {
		t.Errorf("identity refused: %q / %q", proven, open)
	}
	proven, open = proofsFor(t, "google", "", false, fmt.Errorf("x: %w", ErrTimeout))
	if proven != "" || !strings.Contains(open, "did not complete") || strings.Contains(open, "refused") {
		t.Errorf("timeout: %q / %q", proven, open)
	}
	// Storage services: the portal's file calls come after the test.
	if _, open := proofsFor(t, "box", "", true, nil); !strings.Contains(open, "file calls") {
		t.Errorf("box: %q", open)
	}
	// No portal flow recorded: said so.
	if proven, open := proofsFor(t, "mendeley", "", true, nil); !strings.Contains(proven, "Keywizard's own request") || !strings.Contains(open, "outside the portal") {
		t.Errorf("mendeley: %q / %q", proven, open)
	}
	if _, open := proofsFor(t, "wordpress", "", true, nil); !strings.Contains(open, "no portal product offers it") {
		t.Errorf("wordpress: %q", open)
	}
}

// A refusal by a service with a known dead end names it, once; a test
// that could not run does not.
func TestFailureNamesDeadEnd(t *testing.T) {
	failed := func(id string, err error) string {
		p, _ := providers.Lookup(id)
		f := &flow{p: p, o: p.OAuth, plan: planFor(p.OAuth, ""), b: &binding{redirectURI: "http://127.0.0.1:53682/callback"}}
		return f.failed(err, 0).Fix
	}
	vk, _ := providers.Lookup("vk")
	if fix := failed("vk", &ProviderError{Stage: "token", Code: "invalid_client"}); !strings.Contains(fix, "Known limit: "+vk.DeadEnd.Statement) {
		t.Errorf("vk refused: %q", fix)
	}
	if fix := failed("vk", fmt.Errorf("x: %w", ErrTimeout)); strings.Contains(fix, "Known limit") {
		t.Errorf("vk timed out: %q", fix)
	}
	if fix := failed("linkedin", &ProviderError{Stage: "authorization", Code: "unauthorized_scope_error"}); strings.Contains(fix, "Known limit") || !strings.Contains(fix, "Sign In with LinkedIn") {
		t.Errorf("linkedin: %q", fix)
	}
}
