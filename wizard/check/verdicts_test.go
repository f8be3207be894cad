package check

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"keywizard/wizard"
)

const (
	xKey      = "abcdefghijklmnopqrstuvwxy"
	xClientID = "WHk5TG0yUXA3UnQ0Vnc4WmIzTmM6MTpjaQ"
	xSecret2  = "k9J-h7G_f5D3s1A0pOiUyTrEwQ2mNbVcXz8L6K4J2H0gFdSa1Z"
)

// TestTwitterOAuth2Client checks the optional OAuth 2.0 client of X: a
// made-up code with Basic auth and a PKCE verifier at api.x.com, after the
// consumer keys passed.
func TestTwitterOAuth2Client(t *testing.T) {
	consumerOK := reply{200, `{"token_type":"bearer","access_token":"AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid"}`, nil}
	cases := []struct {
		name    string
		vals    map[string]string
		oauth2  *reply // nil: the OAuth 2.0 endpoint must not be asked
		want    want
		notProv string
	}{
		{name: "not given", oauth2: nil, want: want{ok: true, certainty: wizard.Proven, text: "app-only bearer token"}, notProv: "were not given"},
		{name: "only the id", vals: map[string]string{"twitterClientId": xClientID}, want: want{ok: true, certainty: wizard.Proven}, notProv: "only one of"},
		{name: "accepted", vals: map[string]string{"twitterClientId": xClientID, "twitterClientSecret": xSecret2},
			oauth2: &reply{400, `{"error":"invalid_request","error_description":"Value passed for the authorization code was invalid."}`, nil},
			want:   want{ok: true, certainty: wizard.Likely, text: "X (OAuth 2.0 client) accepted"}},
		{name: "accepted invalid_grant", vals: map[string]string{"twitterClientId": xClientID, "twitterClientSecret": xSecret2},
			oauth2: &reply{400, `{"error":"invalid_grant","error_description":"bad code"}`, nil},
			want:   want{ok: true, certainty: wizard.Likely}},
		{name: "rejected", vals: map[string]string{"twitterClientId": xClientID, "twitterClientSecret": xSecret2},
			oauth2: &reply{401, `{"error":"unauthorized_client","error_description":"Missing valid authorization header"}`, nil},
			want:   want{certainty: wizard.Likely, text: "but X (OAuth 2.0 client) rejected"}},
		{name: "rejected 400", vals: map[string]string{"twitterClientId": xClientID, "twitterClientSecret": xSecret2},
			oauth2: &reply{400, `{"error":"unauthorized_client","error_description":"Missing valid authorization header"}`, nil},
			want:   want{certainty: wizard.Likely, text: "rejected"}},
		{name: "rate limited", vals: map[string]string{"twitterClientId": xClientID, "twitterClientSecret": xSecret2},
			oauth2: &reply{429, `{"title":"Too Many Requests"}`, nil},
			want:   want{unreachable: true, text: "could not be checked"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			asked := 0
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				switch r.Host + r.URL.Path {
				case "api.twitter.com/oauth2/token":
					expectBasic(t, r, xKey, strings.Repeat("s", 50))
					consumerOK.write(w)
				case "api.x.com/2/oauth2/token":
					mu.Lock()
					asked++
					mu.Unlock()
					expectBasic(t, r, xClientID, xSecret2)
					q := form(t, string(b))
					if q.Get("grant_type") != "authorization_code" || q.Get("redirect_uri") != portal || q.Get("client_secret") != "" ||
						!strings.HasPrefix(q.Get("code"), "keywizard-check-") || len(q.Get("code_verifier")) < 43 {
						t.Errorf("OAuth 2.0 probe form %v", q)
					}
					if tc.oauth2 == nil {
						t.Errorf("the OAuth 2.0 endpoint was asked without both optional fields")
						reply{500, "", nil}.write(w)
						return
					}
					tc.oauth2.write(w)
				default:
					t.Errorf("unexpected request %s%s", r.Host, r.URL.Path)
				}
			})
			vals := map[string]string{"twitterKey": xKey, "twitterSecret": strings.Repeat("s", 50)}
			for k, v := range tc.vals {
				vals[k] = v
			}
			res := fakeChecker(t, h).Check(context.Background(), "twitter", vals)
			assertResult(t, res, tc.want)
			assertNoSecrets(t, res, vals)
			if strings.Contains(res.Message+res.Details, xSecret2) {
				t.Errorf("OAuth 2.0 secret leaked: %+v", res)
			}
			if tc.notProv != "" && !strings.Contains(res.NotProven, tc.notProv) {
				t.Errorf("not proven %q lacks %q", res.NotProven, tc.notProv)
			}
			if (tc.oauth2 != nil) != (asked == 1) {
				t.Errorf("OAuth 2.0 endpoint asked %d times", asked)
			}
		})
	}
}

// TestTwitterConsumerRejectedSkipsOAuth2: a wrong consumer key is the
// verdict; the optional client is not asked.
func TestTwitterConsumerRejectedSkipsOAuth2(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != "api.twitter.com" {
			t.Errorf("asked %s", r.Host)
		}
		reply{403, `{"errors":[{"code":99,"message":"Unable to verify your credentials","label":"authenticity_token_error"}]}`, nil}.write(w)
	})
	res := fakeChecker(t, h).Check(context.Background(), "twitter", map[string]string{"twitterKey": xKey, "twitterSecret": strings.Repeat("s", 50),
		"twitterClientId": xClientID, "twitterClientSecret": xSecret2})
	assertResult(t, res, want{certainty: wizard.Proven, text: "code 99: Unable to verify your credentials"})
}

// TestMendeleyWithoutSecret: the secret is optional and local; without it
// nothing is sent and the verdict is neither accepted nor rejected.
func TestMendeleyWithoutSecret(t *testing.T) {
	k := New(WithClient(&http.Client{Transport: failingTransport{}}))
	res := k.Check(context.Background(), "mendeley", map[string]string{"mendeleyClientId": "3849"})
	if res.OK || res.Unreachable || res.Certainty != wizard.Uncertain {
		t.Fatalf("%+v", res)
	}
	if !strings.Contains(res.Message, "optional") || res.Fix == "" {
		t.Errorf("message %q, fix %q", res.Message, res.Fix)
	}
}

// TestDocuSignGrantInQueryAndBody: the client-credentials grant goes where
// the public verifiers put it (query) and where RFC 6749 puts it (body);
// a bad client answer is the verdict, without a second request.
func TestDocuSignGrantInQueryAndBody(t *testing.T) {
	calls := 0
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		b, _ := io.ReadAll(r.Body)
		if r.Host != "account.docusign.com" || r.URL.Path != "/oauth/token" {
			t.Errorf("asked %s%s", r.Host, r.URL.Path)
		}
		if r.URL.Query().Get("grant_type") != "client_credentials" || form(t, string(b)).Get("grant_type") != "client_credentials" {
			t.Errorf("grant_type: query %q, body %q", r.URL.RawQuery, b)
		}
		expectBasic(t, r, "6a2e5e8c-1111-2222-3333-444444444444", "7b3f6f9d-1111-2222-3333-555555555555")
		reply{400, `{"error":"invalid_client"}`, nil}.write(w)
	})
	res := fakeChecker(t, h).Check(context.Background(), "docusign", map[string]string{"docuSignClientId": "6a2e5e8c-1111-2222-3333-444444444444",
		"docuSignClientSecret": "7b3f6f9d-1111-2222-3333-555555555555", "docuSignHost": "https://account.docusign.com/"})
	assertResult(t, res, want{certainty: wizard.Likely, text: "rejected"})
	if calls != 1 {
		t.Errorf("%d requests, want 1", calls)
	}
	if res.FixURL != "https://admin.docusign.com/apps-and-keys" {
		t.Errorf("fix URL %s", res.FixURL)
	}
}

func TestRetryAfter(t *testing.T) {
	when := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	for in, want := range map[string]string{"30": "30 seconds", "": "", "soon": "", when.Format(http.TimeFormat): "until Fri, 01 May 2026 10:00:00 UTC"} {
		if got := retryAfter(in); got != want {
			t.Errorf("retryAfter(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestS3CompatibleForbidden: without STS (a service URL), a HEAD 403
// cannot say whether the keys are wrong; the listing names the error.
func TestS3CompatibleForbidden(t *testing.T) {
	cases := []struct {
		name string
		key  string
		want want
	}{
		{"good keys", akid, want{ok: true, certainty: wizard.Proven, text: "portal-backup"}},
		{"unknown key", "AKIAUNKNOWNKEY000000", want{certainty: wizard.Proven, text: "InvalidAccessKeyId"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newAWSWorld(t)
			res := fakeChecker(t, w.sig).Check(context.Background(), "s3", map[string]string{
				"acesskey": tc.key, "secretaccesskey": awsSecret, "bucket": "portal-backup", "region": "us-east-1",
				"serviceurl": "https://minio.example.com", "forcepathstyle": "true"})
			assertResult(t, res, tc.want)
		})
	}
}

// Google reports rate limits as 403 as well: not a verdict on the keys.
func TestGoogleRateLimitAs403(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reply{403, `{"error":{"code":403,"message":"Quota exceeded for quota metric 'Queries'","status":"PERMISSION_DENIED","errors":[{"reason":"rateLimitExceeded"}]}}`, nil}.write(w)
	})
	res := fakeChecker(t, h).Check(context.Background(), "firebase", map[string]string{"firebase_apiKey": "AIzaSyA0123456789abcdefghijklmnopqrstuv"})
	assertResult(t, res, want{unreachable: true, text: "rate limiting"})
}

// AWS throttling codes come with 400 or 503 too.
func TestAWSThrottleCodes(t *testing.T) {
	for _, code := range []string{"Throttling", "RequestLimitExceeded", "SlowDown"} {
		w := newAWSWorld(t)
		w.force.Store(reply{400, `<ErrorResponse><Error><Type>Sender</Type><Code>` + code + `</Code><Message>Rate exceeded</Message></Error></ErrorResponse>`, nil})
		res := w.k.Check(context.Background(), "s3", map[string]string{"acesskey": akid, "secretaccesskey": awsSecret})
		assertResult(t, res, want{unreachable: true, text: "rate limit"})
	}
}

// A "consumers" or "organizations" tenant cannot take client credentials:
// the made-up code goes to that authority, not to "common".
func TestEntraMultiTenantAuthority(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != "login.microsoftonline.com" || r.URL.Path != "/consumers/oauth2/v2.0/token" {
			t.Errorf("asked %s%s", r.Host, r.URL.Path)
		}
		reply{400, `{"error":"invalid_grant","error_description":"AADSTS70000: The provided value for the 'code' parameter is not valid.","error_codes":[70000]}`, nil}.write(w)
	})
	res := fakeChecker(t, h).Check(context.Background(), "onedrive", map[string]string{"skydriveappkey": "00000000-1111-2222-3333-444444444444",
		"skydriveappsecret": "abc8Q~abcdefghijklmnopqrstuvwxyz0123456", "tenant": "consumers"})
	assertResult(t, res, want{ok: true, certainty: wizard.Likely, text: "accepted"})
}

// Zotero: /keys/current first; where it is not served, the documented
// /keys/<key> answers the same.
func TestZoteroKeyPathFallback(t *testing.T) {
	const key = "P9NiFoyLeZu2bZNvvuQPDWsd"
	for _, tc := range []struct {
		name  string
		byKey reply
		want  want
	}{
		{"found by key", reply{200, `{"key":"` + key + `","userID":12345,"username":"ann","access":{"user":{"library":true}}}`, nil}, want{ok: true, certainty: wizard.Proven, text: "ann"}},
		{"unknown key", reply{404, `Key not found`, nil}, want{certainty: wizard.Likely, text: "rejected"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Zotero-API-Key") != key || r.Header.Get("Zotero-API-Version") != "3" {
					t.Errorf("headers %v", r.Header)
				}
				switch r.URL.Path {
				case "/keys/current":
					reply{404, `Not found`, nil}.write(w)
				case "/keys/" + key:
					tc.byKey.write(w)
				default:
					t.Errorf("asked %s", r.URL.Path)
				}
			})
			res := fakeChecker(t, h).Check(context.Background(), "zotero", map[string]string{"zoteroApiKey": key})
			assertResult(t, res, tc.want)
			assertNoSecrets(t, res, map[string]string{"zoteroApiKey": key})
		})
	}
}
