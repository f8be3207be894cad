package loopback

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"keywizard/providers"
)

func lookup(t *testing.T, id string) providers.Provider {
	t.Helper()
	p, ok := providers.Lookup(id)
	if !ok {
		t.Fatalf("no %s in the catalogue", id)
	}
	return p
}

// The advice table: each failure names what happened, what to change and
// where.
func TestAdviceTable(t *testing.T) {
	ms := adviceCtx{p: lookup(t, "microsoft"), redirectURI: "http://localhost:49152/callback", timeout: 5 * time.Minute}
	google := adviceCtx{p: lookup(t, "google"), redirectURI: "http://127.0.0.1:53682/callback", timeout: 5 * time.Minute}
	x := adviceCtx{p: lookup(t, "twitter"), redirectURI: "http://127.0.0.1:53682/callback"}
	cases := []struct {
		name      string
		c         adviceCtx
		err       error
		msg, fix  string
		noFix     string
		wantFixed bool // a console page must be named
	}{
		{"google redirect", google, &ProviderError{Stage: "authorization", Code: "redirect_uri_mismatch"}, "not registered", "Add exactly http://127.0.0.1:53682/callback", "", true},
		{"entra redirect, any port", ms, &ProviderError{Stage: "authorization", Code: "invalid_request", Description: "AADSTS50011: The redirect URI 'http://localhost:49152/callback' specified in the request does not match"},
			"not registered", "Add exactly http://localhost/callback", "49152/callback as", true},
		{"secret id", ms, &ProviderError{Stage: "token", Code: "invalid_client", Description: "AADSTS7000215: Invalid client secret provided."}, "not the secret's value", `"Value"`, "", true},
		{"expired secret", ms, &ProviderError{Stage: "token", Code: "invalid_client", Description: "AADSTS7000222: The provided client secret keys are expired."}, "expired", "new client secret", "", true},
		{"unknown app", ms, &ProviderError{Stage: "authorization", Code: "unauthorized_client", Description: "AADSTS700016: Application with identifier 'x' was not found in the directory"}, "no application", "Application (client) ID", "", true},
		{"public client platform", ms, &ProviderError{Stage: "token", Code: "invalid_client", Description: "AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented."}, "wrong type", `"Web" platform`, "", true},
		{"single tenant", ms, &ProviderError{Stage: "authorization", Code: "invalid_request", Description: "AADSTS50194: Application 'x' is not configured as a multi-tenant application."}, "one organisation", "tenant", "", true},
		{"x confidential without basic", x, &ProviderError{Stage: "token", Code: "unauthorized_client", Description: "Missing valid authorization header"}, "wrong type", "Web App, Automated App or Bot", "", true},
		{"invalid client", google, &ProviderError{Stage: "token", Code: "invalid_client", Description: "Unauthorized"}, "rejected", "Client secret", "", true},
		{"deleted client", google, &ProviderError{Stage: "token", Code: "deleted_client", Description: "The OAuth client was deleted."}, "does not know", "Client ID", "", true},
		{"access denied", google, &ProviderError{Stage: "authorization", Code: "access_denied"}, "declined", "test user", "", true},
		{"internal app", google, &ProviderError{Stage: "authorization", Code: "org_internal"}, "organisation", "External", "", true},
		{"state", google, ErrStateMismatch, "state does not match", "run the test again", "", false},
		{"timeout", google, errors.Join(ErrTimeout), "within 5m0s", "http://127.0.0.1:53682/callback", "", true},
		{"timeout google testing", google, ErrTimeout, "within", "test user", "", true},
		{"timeout facebook", adviceCtx{p: lookup(t, "facebook"), redirectURI: "http://localhost:53682/callback", timeout: time.Minute}, ErrTimeout, "within 1m0s", "Valid OAuth Redirect URIs", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := adviceFor(tc.c, tc.err)
			if !strings.Contains(a.Message, tc.msg) || !strings.Contains(a.Fix, tc.fix) {
				t.Fatalf("%+v", a)
			}
			if tc.noFix != "" && strings.Contains(a.Fix, tc.noFix) {
				t.Fatalf("fix %q must not contain %q", a.Fix, tc.noFix)
			}
			if tc.wantFixed && !strings.HasPrefix(a.FixURL, "https://") {
				t.Fatalf("no console page: %+v", a)
			}
		})
	}
}

// A token endpoint that echoes the code or the secret in its error text
// does not get them printed.
func TestTokenErrorEchoScrubbed(t *testing.T) {
	fp := newFakeProvider(t)
	fp.tokenError, fp.tokenBody = 400, `{"error":"invalid_grant","error_description":"code `+fakeCode+` rejected for secret `+fakeClientSecret+`"}`
	res, err, saw := signIn(t, testerFor(fakeService(fp)), nil)
	if err == nil {
		t.Fatal("want an error")
	}
	all := res.Message + res.Fix + err.Error() + saw.page
	if strings.Contains(all, fakeCode) || strings.Contains(all, fakeClientSecret) {
		t.Fatalf("echoed secret shown: %s", all)
	}
}

// What a provider echoes is scrubbed before its text is cut, so that no
// part of a secret is left at the cut; in the error code as well, in the
// Basic header's form, and in the identity endpoint's error, which may
// quote the access token.
func TestEchoesScrubbedBeforeTheCut(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte(fakeClientID + ":" + fakeClientSecret))
	tokenEcho := func(code, desc string) string {
		b, _ := json.Marshal(map[string]string{"error": code, "error_description": desc})
		return string(b)
	}
	type echo struct {
		name      string
		body      string         // token error answer, "" for a good exchange
		userinfo  map[string]any // identity answer
		inHeader  bool
		forbidden []string
	}
	var cases []echo
	for pad := 500 - len(fakeClientSecret); pad < 500; pad++ {
		cases = append(cases, echo{name: "description cut", body: tokenEcho("invalid_client", strings.Repeat("x", pad)+fakeClientSecret)})
	}
	for pad := 200 - len(fakeAccess); pad < 200; pad++ {
		cases = append(cases, echo{name: "identity error cut", userinfo: map[string]any{"error": map[string]any{"error_msg": strings.Repeat("x", pad) + fakeAccess}}})
	}
	cases = append(cases,
		echo{name: "code", body: tokenEcho("bad "+fakeClientSecret+" "+fakeCode, "x")},
		echo{name: "basic", body: tokenEcho("invalid_client", "Authorization: Basic "+basic), inHeader: true, forbidden: []string{basic}},
	)
	for _, c := range cases {
		fp := newFakeProvider(t)
		if c.body != "" {
			fp.tokenError, fp.tokenBody = 400, c.body
		}
		if c.userinfo != nil {
			fp.userinfo = c.userinfo
		}
		p := fakeService(fp)
		if c.inHeader {
			p.OAuth.AuthStyle = oauth2.AuthStyleInHeader
		}
		res, err, saw := signIn(t, testerFor(p), nil)
		all := res.Message + res.Fix + strings.Join(res.Warnings, " ") + saw.page
		if err != nil {
			all += err.Error()
		}
		for _, v := range []string{fakeClientSecret, fakeCode, fakeAccess} {
			for n := 5; n <= len(v); n++ {
				if part := v[:n]; strings.Contains(all, part+"…") || n == len(v) && strings.Contains(all, part) {
					t.Fatalf("%s: %q shows in %s", c.name, part, all)
				}
			}
		}
		for _, v := range c.forbidden {
			if strings.Contains(all, v) {
				t.Fatalf("%s: %q shows in %s", c.name, v, all)
			}
		}
	}
}
