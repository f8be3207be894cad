package check

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"keywizard/wizard"
	"keywizard/wizard/redact"
)

type want struct {
	ok          bool
	unreachable bool
	certainty   wizard.Certainty
	text        string // in Message (case-insensitive)
}

type svcCase struct {
	name  string
	vals  map[string]string // merged onto the spec's values; "" deletes
	reply reply
	route map[string]reply // by URL path, for checks that ask twice
	want  want
}

type svcSpec struct {
	service string
	vals    map[string]string
	host    string
	method  string
	path    string
	// verify checks the shape of the request to path: auth, form, headers.
	verify func(t *testing.T, r *http.Request, body string)
	cases  []svcCase
}

func form(t *testing.T, body string) url.Values {
	t.Helper()
	q, err := url.ParseQuery(body)
	if err != nil {
		t.Fatalf("form body: %v", err)
	}
	return q
}

func expectForm(t *testing.T, body string, want map[string]string) {
	t.Helper()
	q := form(t, body)
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("form %s = %q, want %q", k, q.Get(k), v)
		}
	}
}

func expectBasic(t *testing.T, r *http.Request, user, pass string) {
	t.Helper()
	u, p, ok := r.BasicAuth()
	if !ok || u != user || p != pass {
		t.Errorf("Basic auth = %q/%q (ok %v), want %q", u, p, ok, user)
	}
}

const (
	portal      = "https://service.onlyoffice.com/oauth2.aspx"
	badClient   = `{"error":"invalid_client","error_description":"Client authentication failed"}`
	badGrant    = `{"error":"invalid_grant","error_description":"Bad code"}`
	tgToken     = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
	twilioSID   = "AC0123456789abcdef0123456789abcdef"
	twilioToken = "0123456789abcdef0123456789abcdef"
)

// probeSpec builds the cases every bogus-code probe shares.
func probeSpec(service, host, path string, vals map[string]string, verify func(*testing.T, *http.Request, string), badCode string) svcSpec {
	return svcSpec{service: service, vals: vals, host: host, method: "POST", path: path, verify: verify, cases: []svcCase{
		{name: "accepted", reply: reply{400, badCode, nil}, want: want{ok: true, certainty: wizard.Likely, text: "accepted"}},
		{name: "wrong secret", reply: reply{401, badClient, nil}, want: want{certainty: wizard.Likely, text: "rejected"}},
		{name: "unknown client", reply: reply{400, `{"error":"invalid_client","error_description":"Unknown client_id."}`, nil}, want: want{certainty: wizard.Likely, text: "does not know this client ID"}},
		{name: "upper-case code", reply: reply{400, `{"error":"INVALID_CLIENT","error_description":"Unknown client_id."}`, nil}, want: want{certainty: wizard.Likely, text: "does not know this client ID"}},
		{name: "wrong secret named", reply: reply{401, `{"error":"invalid_client","error_description":"Incorrect client secret"}`, nil}, want: want{certainty: wizard.Likely, text: "rejected the client secret"}},
		{name: "disabled client", reply: reply{401, `{"error":"invalid_client","error_description":"The OAuth client was disabled."}`, nil}, want: want{certainty: wizard.Likely, text: "no longer usable"}},
		{name: "bare 401", reply: reply{401, `Unauthorized`, nil}, want: want{certainty: wizard.Likely, text: "refused"}},
		{name: "unknown answer", reply: reply{400, `{"error":"something_else"}`, nil}, want: want{certainty: wizard.Uncertain, text: "cannot read"}},
	}}
}

func inParams(id, secret, redirect string) func(*testing.T, *http.Request, string) {
	return func(t *testing.T, r *http.Request, body string) {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("credentials must go in the body only, got an Authorization header")
		}
		expectForm(t, body, map[string]string{"grant_type": "authorization_code", "client_id": id, "client_secret": secret, "redirect_uri": redirect})
		if !strings.HasPrefix(form(t, body).Get("code"), "keywizard-check-") {
			t.Errorf("the code must be made up")
		}
	}
}

func inHeader(id, secret, redirect string) func(*testing.T, *http.Request, string) {
	return func(t *testing.T, r *http.Request, body string) {
		expectBasic(t, r, id, secret)
		q := form(t, body)
		if q.Get("client_secret") != "" {
			t.Errorf("secret sent in the body as well as the header")
		}
		expectForm(t, body, map[string]string{"grant_type": "authorization_code", "redirect_uri": redirect})
	}
}

func specs() []svcSpec {
	google := probeSpec("google", "oauth2.googleapis.com", "/token",
		map[string]string{"googleClientId": "1-abc.apps.googleusercontent.com", "googleClientSecret": "GOCSPX-AbCdEfGhIjKlMnOpQrStUvWxYz12"},
		inParams("1-abc.apps.googleusercontent.com", "GOCSPX-AbCdEfGhIjKlMnOpQrStUvWxYz12", portal), `{"error":"invalid_grant","error_description":"Malformed auth code."}`)
	google.cases = append(google.cases,
		svcCase{name: "google wrong secret", reply: reply{401, `{"error":"invalid_client","error_description":"Unauthorized"}`, nil}, want: want{certainty: wizard.Likely, text: "knows the client ID but rejected the client secret (invalid_client: Unauthorized)"}},
		svcCase{name: "google unknown client", reply: reply{401, `{"error":"invalid_client","error_description":"The OAuth client was not found."}`, nil}, want: want{certainty: wizard.Likely, text: "does not know this client ID"}},
		svcCase{name: "deleted client", reply: reply{401, `{"error":"deleted_client","error_description":"The OAuth client was deleted."}`, nil}, want: want{certainty: wizard.Proven, text: "deleted"}},
		svcCase{name: "redirect not registered", reply: reply{400, `{"error":"redirect_uri_mismatch","error_description":"Bad Request"}`, nil}, want: want{certainty: wizard.Likely, text: "not registered"}},
	)
	linkedin := probeSpec("linkedin", "www.linkedin.com", "/oauth/v2/accessToken",
		map[string]string{"linkedInKey": "86embapip2hnsy", "linkedInSecret": "WPL_AP1.abcdefghijklmnop.abcdef=="},
		inParams("86embapip2hnsy", "WPL_AP1.abcdefghijklmnop.abcdef==", portal),
		`{"error":"invalid_request","error_description":"Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists"}`)
	linkedin.cases = append(linkedin.cases,
		svcCase{name: "code does not match (invalid_redirect_uri)", reply: reply{400, `{"error":"invalid_redirect_uri","error_description":"Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired."}`, nil}, want: want{ok: true, certainty: wizard.Likely, text: "accepted"}},
		svcCase{name: "redirect not registered", reply: reply{400, `{"error":"invalid_redirect_uri","error_description":"Invalid redirect uri"}`, nil}, want: want{certainty: wizard.Likely, text: "not registered"}},
	)
	yandex := probeSpec("yandex", "oauth.yandex.com", "/token",
		map[string]string{"yandexClientId": "ac39b43b9eba4cae8ffb788c06d816a8", "yandexClientSecret": "0123456789abcdef0123456789abcdef"},
		inParams("ac39b43b9eba4cae8ffb788c06d816a8", "0123456789abcdef0123456789abcdef", portal), `{"error":"bad_verification_code","error_description":"Invalid code"}`)
	mailru := probeSpec("mailru", "connect.mail.ru", "/oauth/token",
		map[string]string{"mailRuClientId": "abc123", "mailRuClientSecret": "mailrusecret123"},
		inParams("abc123", "mailrusecret123", portal), badGrant)
	mailru.cases = append(mailru.cases,
		// Keys of an o2.mail.ru app: the site platform does not know them.
		svcCase{name: "o2 app, not a site", route: map[string]reply{"/oauth/token": {401, badClient, nil}, "/token": {400, badGrant, nil}},
			want: want{certainty: wizard.Likely, text: "o2.mail.ru"}},
		svcCase{name: "site platform silent, app accepted", route: map[string]reply{"/oauth/token": {404, "not found", nil}, "/token": {400, badGrant, nil}},
			want: want{ok: true, certainty: wizard.Likely, text: "gave no verdict"}},
		svcCase{name: "site platform silent, app rejected", route: map[string]reply{"/oauth/token": {404, "not found", nil}, "/token": {401, badClient, nil}},
			want: want{certainty: wizard.Likely, text: "rejected"}},
		svcCase{name: "site accepted, o2 not asked", route: map[string]reply{"/oauth/token": {400, badGrant, nil}},
			want: want{ok: true, certainty: wizard.Likely, text: "accepted"}},
	)
	wordpress := probeSpec("wordpress", "public-api.wordpress.com", "/oauth2/token",
		map[string]string{"wpClientId": "12345", "wpClientSecret": strings.Repeat("a1", 32)},
		inParams("12345", strings.Repeat("a1", 32), portal), badGrant)
	yahoo := probeSpec("yahoo", "api.login.yahoo.com", "/oauth2/get_token",
		map[string]string{"yahooClientId": "dj0yJmk9abc", "yahooClientSecret": "0123456789abcdef0123456789abcdef01234567"},
		inHeader("dj0yJmk9abc", "0123456789abcdef0123456789abcdef01234567", "oob"), badGrant)
	bitlyApp := probeSpec("bitly", "api-ssl.bitly.com", "/oauth/access_token",
		map[string]string{"bitlyClientId": "be03aead58f23bc1aee6e1d7b7a1d99d62f0ede8", "bitlyClientSecret": "0123456789abcdef0123456789abcdef01234567"},
		inParams("be03aead58f23bc1aee6e1d7b7a1d99d62f0ede8", "0123456789abcdef0123456789abcdef01234567", portal), badGrant)

	return []svcSpec{google, linkedin, yandex, mailru, wordpress, yahoo, bitlyApp,
		{service: "telegram", host: "api.telegram.org", method: "GET", path: "/bot" + tgToken + "/getMe",
			vals: map[string]string{"telegramBotToken": tgToken, "telegramBotName": "portal_bot"},
			cases: []svcCase{
				{name: "ok", reply: reply{200, `{"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"Portal","username":"portal_bot"}}`, nil}, want: want{ok: true, certainty: wizard.Proven, text: "@portal_bot"}},
				{name: "other bot name", reply: reply{200, `{"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"X","username":"other_bot"}}`, nil}, want: want{certainty: wizard.Proven, text: "belongs to @other_bot"}},
				{name: "id mismatch", reply: reply{200, `{"ok":true,"result":{"id":99,"is_bot":true,"username":"portal_bot"}}`, nil}, want: want{text: "prefix"}},
				{name: "wrong token", reply: reply{401, `{"ok":false,"error_code":401,"description":"Unauthorized"}`, nil}, want: want{certainty: wizard.Proven, text: "revoked"}},
				{name: "malformed", reply: reply{404, `{"ok":false,"error_code":404,"description":"Not Found"}`, nil}, want: want{certainty: wizard.Likely, text: "not recognise"}},
			}},
		{service: "twilio", host: "api.twilio.com", method: "GET", path: "/2010-04-01/Accounts/" + twilioSID + ".json",
			vals:   map[string]string{"twilioAccountSid": twilioSID, "twilioAuthToken": twilioToken, "twiliosender": "+15005550006"},
			verify: func(t *testing.T, r *http.Request, _ string) { expectBasic(t, r, twilioSID, twilioToken) },
			cases: []svcCase{
				{name: "ok with sender", route: map[string]reply{
					"/2010-04-01/Accounts/" + twilioSID + ".json":                      {200, `{"sid":"` + twilioSID + `","friendly_name":"Portal","status":"active"}`, nil},
					"/2010-04-01/Accounts/" + twilioSID + "/IncomingPhoneNumbers.json": {200, `{"incoming_phone_numbers":[{"phone_number":"+15005550006","capabilities":{"sms":true,"voice":true}}]}`, nil},
				}, want: want{ok: true, certainty: wizard.Likely, text: "is a number of this account"}},
				{name: "sender not owned", route: map[string]reply{
					"/2010-04-01/Accounts/" + twilioSID + ".json":                      {200, `{"sid":"` + twilioSID + `","status":"active"}`, nil},
					"/2010-04-01/Accounts/" + twilioSID + "/IncomingPhoneNumbers.json": {200, `{"incoming_phone_numbers":[]}`, nil},
				}, want: want{text: "not a phone number of this account"}},
				{name: "no sender", vals: map[string]string{"twiliosender": ""}, reply: reply{200, `{"status":"active"}`, nil}, want: want{ok: true, certainty: wizard.Proven}},
				{name: "wrong token", reply: reply{401, `{"code":20003,"detail":"Your AccountSid or AuthToken was incorrect.","message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}`, nil}, want: want{certainty: wizard.Proven, text: "20003 Authenticate"}},
				{name: "unknown sid", reply: reply{404, `{"code":20404,"message":"The requested resource was not found","status":404}`, nil}, want: want{text: "no account"}},
				{name: "suspended", vals: map[string]string{"twiliosender": ""}, reply: reply{200, `{"status":"suspended"}`, nil}, want: want{text: "suspended"}},
			}},
		{service: "bitly", host: "api-ssl.bitly.com", method: "GET", path: "/v4/user",
			vals: map[string]string{"bitlyToken": "0123456789abcdef0123456789abcdef01234567"},
			verify: func(t *testing.T, r *http.Request, _ string) {
				if r.Header.Get("Authorization") != "Bearer 0123456789abcdef0123456789abcdef01234567" {
					t.Errorf("no Bearer token")
				}
			},
			cases: []svcCase{
				{name: "ok", reply: reply{200, `{"login":"admin","name":"Ann Admin","emails":[{"email":"ann@example.com","is_primary":true,"is_verified":true}]}`, nil}, want: want{ok: true, certainty: wizard.Proven}},
				{name: "forbidden", reply: reply{403, `{"message":"FORBIDDEN","resource":"user","description":"You are currently forbidden to access this resource."}`, nil}, want: want{certainty: wizard.Proven, text: "rejected"}},
				{name: "revoked", reply: reply{401, `{"message":"UNAUTHORIZED"}`, nil}, want: want{certainty: wizard.Proven, text: "rejected"}},
			}},
		{service: "dropbox", host: "api.dropboxapi.com", method: "POST", path: "/2/check/app",
			vals:   map[string]string{"dropboxClientId": "5jcck7diasz0rqy", "dropboxClientSecret": "abcdefghijklmno"},
			verify: func(t *testing.T, r *http.Request, _ string) { expectBasic(t, r, "5jcck7diasz0rqy", "abcdefghijklmno") },
			cases: []svcCase{
				{name: "ok", reply: reply{status: -1}, want: want{ok: true, certainty: wizard.Proven, text: "echoed"}},
				{name: "no echo", reply: reply{200, `{"result":"pong"}`, nil}, want: want{certainty: wizard.Uncertain}},
				{name: "documented answer", reply: reply{200, `{"result":"ping"}`, nil}, want: want{ok: true, certainty: wizard.Proven}},
				{name: "wrong secret", reply: reply{400, `Error in call to API function "check/app": Invalid authorization value in HTTP header "Authorization"`, nil}, want: want{certainty: wizard.Proven, text: "rejected"}},
				{name: "unauthorized", reply: reply{401, `{"error_summary":"invalid_access_token/","error":{".tag":"invalid_access_token"}}`, nil}, want: want{certainty: wizard.Proven, text: "rejected"}},
			}},
		{service: "smsc", host: "smsc.ru", method: "GET", path: "/sys/balance.php",
			vals: map[string]string{"smsclogin": "portal", "smscpsw": "s3cret p@ss"},
			verify: func(t *testing.T, r *http.Request, _ string) {
				q := r.URL.Query()
				if q.Get("login") != "portal" || q.Get("psw") != "s3cret p@ss" || q.Get("fmt") != "3" {
					t.Errorf("query %v", q)
				}
			},
			cases: []svcCase{
				{name: "ok", reply: reply{200, `{"balance":"84.75"}`, nil}, want: want{ok: true, certainty: wizard.Proven, text: "84.75"}},
				{name: "zero balance", reply: reply{200, `{"balance":"0.00"}`, nil}, want: want{ok: true, certainty: wizard.Proven, text: "refuses"}},
				{name: "bad password", reply: reply{200, `{"error":"authorise error","error_code":2}`, nil}, want: want{certainty: wizard.Likely, text: "error 2"}},
				{name: "too frequent", reply: reply{200, `{"error":"duplicate request, wait a minute","error_code":9}`, nil}, want: want{unreachable: true, text: "rate limit"}},
				{name: "ip blocked", reply: reply{200, `{"error":"IP address is temporarily blocked","error_code":4}`, nil}, want: want{unreachable: true, text: "blocked"}},
			}},
		{service: "clickatell", host: "platform.clickatell.com", method: "GET", path: "/public-client/balance",
			vals: map[string]string{"clickatellapiKey": "AbCdEfGhIjKlMnOpQrStUv=="},
			verify: func(t *testing.T, r *http.Request, _ string) {
				if r.Header.Get("Authorization") != "AbCdEfGhIjKlMnOpQrStUv==" {
					t.Errorf("Authorization must be the raw key")
				}
			},
			cases: []svcCase{
				{name: "ok", reply: reply{200, `{"balance":12.5,"currency":"USD"}`, nil}, want: want{ok: true, certainty: wizard.Likely, text: "12.5 USD"}},
				{name: "wrong key", reply: reply{401, `{"error":"Unauthorized"}`, nil}, want: want{certainty: wizard.Likely, text: "rejected"}},
				{name: "odd answer", reply: reply{200, `<html></html>`, nil}, want: want{certainty: wizard.Uncertain}},
			}},
		{service: "rackspace", host: "identity.api.rackspacecloud.com", method: "POST", path: "/v2.0/tokens",
			vals: map[string]string{"username": "admin", "apiKey": "0123456789abcdef0123456789abcdef", "region": "DFW"},
			verify: func(t *testing.T, _ *http.Request, body string) {
				if !strings.Contains(body, `"RAX-KSKEY:apiKeyCredentials":{"apiKey":"0123456789abcdef0123456789abcdef","username":"admin"}`) {
					t.Errorf("body %s", body)
				}
			},
			cases: []svcCase{
				{name: "ok", reply: reply{200, `{"access":{"token":{"id":"tok123"},"user":{"id":"42","name":"admin"},"serviceCatalog":[{"name":"cloudFiles","type":"object-store","endpoints":[{"region":"DFW","publicURL":"https://storage101.dfw1.clouddrive.com/v1/x"}]}]}}`, nil}, want: want{ok: true, certainty: wizard.Proven, text: "DFW"}},
				{name: "other region", vals: map[string]string{"region": "LON"}, reply: reply{200, `{"access":{"user":{"name":"admin"},"serviceCatalog":[{"name":"cloudFiles","type":"object-store","endpoints":[{"region":"DFW"}]}]}}`, nil}, want: want{text: "no Cloud Files endpoint in LON"}},
				{name: "wrong key", reply: reply{401, `{"unauthorized":{"code":401,"message":"Username or api key is invalid."}}`, nil}, want: want{certainty: wizard.Proven, text: "rejected"}},
			}},
		{service: "selectel", host: "api.selcdn.ru", method: "GET", path: "/auth/v1.0",
			vals: map[string]string{"authUser": "84713_portal", "authPwd": "storage-password"},
			verify: func(t *testing.T, r *http.Request, _ string) {
				if r.Header.Get("X-Auth-User") != "84713_portal" || r.Header.Get("X-Auth-Key") != "storage-password" {
					t.Errorf("auth headers missing")
				}
			},
			cases: []svcCase{
				{name: "ok", reply: reply{204, "", map[string]string{"X-Auth-Token": "tok", "X-Storage-Url": "https://x.selcdn.ru/"}}, want: want{ok: true, certainty: wizard.Proven}},
				{name: "wrong password", reply: reply{403, `Forbidden`, nil}, want: want{certainty: wizard.Likely, text: "rejected"}},
				{name: "unauthorized", reply: reply{401, ``, nil}, want: want{certainty: wizard.Likely, text: "rejected"}},
			}},
		{service: "zotero", host: "api.zotero.org", method: "GET", path: "/keys/current",
			vals: map[string]string{"zoteroApiKey": "P9NiFoyLeZu2bZNvvuQPDWsd", "zoteroUserId": "12345"},
			verify: func(t *testing.T, r *http.Request, _ string) {
				if r.Header.Get("Zotero-API-Key") != "P9NiFoyLeZu2bZNvvuQPDWsd" || r.Header.Get("Zotero-API-Version") != "3" {
					t.Errorf("Zotero headers missing")
				}
			},
			cases: []svcCase{
				{name: "ok", reply: reply{200, `{"key":"P9NiFoyLeZu2bZNvvuQPDWsd","userID":12345,"username":"ann","access":{"user":{"library":true,"files":true,"notes":true,"write":true}}}`, nil}, want: want{ok: true, certainty: wizard.Proven, text: "with write access"}},
				{name: "other user", reply: reply{200, `{"userID":777,"username":"bob","access":{"user":{"library":true}}}`, nil}, want: want{certainty: wizard.Proven, text: "user ID 777"}},
				{name: "bad key", reply: reply{403, `Invalid key`, nil}, want: want{certainty: wizard.Likely, text: "rejected"}},
			}},
		{service: "easybib", host: "api.citation-api.com", method: "POST", path: "/2.0/rest/cite",
			vals: map[string]string{"easyBibappkey": "easybib-app-key-1234"},
			verify: func(t *testing.T, _ *http.Request, body string) {
				if !strings.Contains(body, `"key":"easybib-app-key-1234"`) || !strings.Contains(body, `"style":"mla7"`) {
					t.Errorf("body %s", body)
				}
			},
			cases: []svcCase{
				{name: "ok", reply: reply{200, `{"status":"ok","data":"ONLYOFFICE."}`, nil}, want: want{ok: true, certainty: wizard.Uncertain}},
				{name: "bad key", reply: reply{200, `{"status":"error","message":"invalid api key"}`, nil}, want: want{certainty: wizard.Uncertain, text: "did not format"}},
			}},
		{service: "box", host: "api.box.com", method: "POST", path: "/oauth2/token",
			vals: map[string]string{"boxClientId": "d0374ba6pgmaguie02ge15sv1mllndho", "boxClientSecret": "boxsecretboxsecretboxsecret12345"},
			verify: func(t *testing.T, _ *http.Request, body string) {
				expectForm(t, body, map[string]string{"grant_type": "client_credentials", "client_id": "d0374ba6pgmaguie02ge15sv1mllndho", "client_secret": "boxsecretboxsecretboxsecret12345"})
			},
			cases: []svcCase{
				{name: "valid user app", reply: reply{400, `{"error":"unauthorized_client","error_description":"The \"box_subject_type\" value is unauthorized for this client_id"}`, nil}, want: want{ok: true, certainty: wizard.Proven}},
				{name: "wrong secret", reply: reply{400, `{"error":"invalid_client","error_description":"The client credentials are invalid"}`, nil}, want: want{certainty: wizard.Proven, text: "rejected"}},
				{name: "ccg app", reply: reply{200, `{"access_token":"T9cE5asGnuyYCCqIZFoWjFHvNbvVqHjl","expires_in":3600}`, nil}, want: want{ok: true, certainty: wizard.Proven}},
			}},
		{service: "microsoft", host: "login.microsoftonline.com", method: "POST", path: "/contoso.onmicrosoft.com/oauth2/v2.0/token",
			vals: map[string]string{"microsoftClientId": "00000000-1111-2222-3333-444444444444", "microsoftClientSecret": "abc8Q~abcdefghijklmnopqrstuvwxyz0123456", "tenant": "contoso.onmicrosoft.com"},
			verify: func(t *testing.T, _ *http.Request, body string) {
				expectForm(t, body, map[string]string{"grant_type": "client_credentials", "scope": "https://graph.microsoft.com/.default", "client_id": "00000000-1111-2222-3333-444444444444"})
			},
			cases: []svcCase{
				{name: "ok", reply: reply{200, `{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0eXAi.x.y"}`, nil}, want: want{ok: true, certainty: wizard.Proven}},
				{name: "secret id pasted", reply: reply{401, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID","error_codes":[7000215]}`, nil}, want: want{certainty: wizard.Proven, text: "AADSTS7000215"}},
				{name: "expired", reply: reply{401, `{"error":"invalid_client","error_description":"AADSTS7000222: The provided client secret keys are expired.","error_codes":[7000222]}`, nil}, want: want{certainty: wizard.Proven, text: "expired"}},
				{name: "unknown app", reply: reply{400, `{"error":"unauthorized_client","error_description":"AADSTS700016: Application with identifier '...' was not found in the directory","error_codes":[700016]}`, nil}, want: want{certainty: wizard.Proven, text: "AADSTS700016"}},
				{name: "unknown tenant", reply: reply{400, `{"error":"invalid_request","error_description":"AADSTS90002: Tenant 'contoso.onmicrosoft.com' not found.","error_codes":[90002]}`, nil}, want: want{certainty: wizard.Proven, text: "tenant"}},
				{name: "disabled app", reply: reply{401, `{"error":"unauthorized_client","error_description":"AADSTS7000112: Application 'x'(Portal) is disabled.","error_codes":[7000112]}`, nil}, want: want{certainty: wizard.Proven, text: "disabled"}},
				{name: "conditional access", reply: reply{400, `{"error":"invalid_grant","error_description":"AADSTS53003: Access has been blocked by Conditional Access policies.","error_codes":[53003]}`, nil}, want: want{ok: true, certainty: wizard.Proven, text: "Conditional Access"}},
			}},
		{service: "onedrive", host: "login.microsoftonline.com", method: "POST", path: "/common/oauth2/v2.0/token",
			vals:   map[string]string{"skydriveappkey": "00000000-1111-2222-3333-444444444444", "skydriveappsecret": "abc8Q~abcdefghijklmnopqrstuvwxyz0123456"},
			verify: inParams("00000000-1111-2222-3333-444444444444", "abc8Q~abcdefghijklmnopqrstuvwxyz0123456", portal),
			cases: []svcCase{
				{name: "accepted, no tenant", reply: reply{400, `{"error":"invalid_grant","error_description":"AADSTS9002313: Invalid request. Request is malformed or invalid.","error_codes":[9002313]}`, nil}, want: want{ok: true, certainty: wizard.Likely}},
				{name: "wrong secret, no tenant", reply: reply{401, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]}`, nil}, want: want{certainty: wizard.Likely, text: "rejected the client secret"}},
				{name: "single tenant", reply: reply{400, `{"error":"invalid_request","error_description":"AADSTS50194: Application is not configured as a multi-tenant application.","error_codes":[50194]}`, nil}, want: want{certainty: wizard.Likely, text: "single-tenant"}},
			}},
		{service: "facebook", host: "graph.facebook.com", method: "GET", path: "/oauth/access_token",
			vals: map[string]string{"facebookClientId": "123456789012345", "facebookClientSecret": "0123456789abcdef0123456789abcdef"},
			verify: func(t *testing.T, r *http.Request, _ string) {
				q := r.URL.Query()
				if q.Get("grant_type") != "client_credentials" || q.Get("client_secret") != "0123456789abcdef0123456789abcdef" {
					t.Errorf("query %v", q)
				}
			},
			cases: []svcCase{
				{name: "ok", reply: reply{200, `{"access_token":"123456789012345|abcdef","token_type":"bearer"}`, nil}, want: want{ok: true, certainty: wizard.Proven}},
				{name: "wrong secret", reply: reply{400, `{"error":{"message":"Error validating client secret.","type":"OAuthException","code":1,"fbtrace_id":"A1"}}`, nil}, want: want{certainty: wizard.Proven, text: "Error validating client secret"}},
				{name: "unknown app", reply: reply{400, `{"error":{"message":"Error validating application. Invalid application ID.","type":"OAuthException","code":101}}`, nil}, want: want{certainty: wizard.Proven, text: "app ID"}},
				{name: "app rate limit", reply: reply{400, `{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4}}`, nil}, want: want{unreachable: true, text: "rate limit"}},
			}},
		{service: "vk", host: "oauth.vk.com", method: "GET", path: "/access_token",
			vals: map[string]string{"vkClientId": "51234567", "vkClientSecret": "AbCdEfGhIjKlMnOpQrSt"},
			verify: func(t *testing.T, r *http.Request, _ string) {
				q := r.URL.Query()
				if q.Get("grant_type") != "client_credentials" || q.Get("v") != "5.131" || q.Get("client_id") != "51234567" {
					t.Errorf("query %v", q)
				}
			},
			cases: []svcCase{
				{name: "ok", reply: reply{200, `{"access_token":"svc.token","expires_in":0}`, nil}, want: want{ok: true, certainty: wizard.Proven}},
				{name: "wrong secret", reply: reply{401, `{"error":"invalid_client","error_description":"client_secret is incorrect"}`, nil}, want: want{certainty: wizard.Proven, text: "client_secret is incorrect"}},
				{name: "wrong id", reply: reply{401, `{"error":"invalid_client","error_description":"client_id is incorrect"}`, nil}, want: want{certainty: wizard.Proven, text: "client_id is incorrect"}},
			}},
		{service: "twitter", host: "api.twitter.com", method: "POST", path: "/oauth2/token",
			vals: map[string]string{"twitterKey": "abcdefghijklmnopqrstuvwxy", "twitterSecret": strings.Repeat("s", 50)},
			verify: func(t *testing.T, r *http.Request, body string) {
				expectBasic(t, r, "abcdefghijklmnopqrstuvwxy", strings.Repeat("s", 50))
				expectForm(t, body, map[string]string{"grant_type": "client_credentials"})
			},
			cases: []svcCase{
				{name: "ok", reply: reply{200, `{"token_type":"bearer","access_token":"AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid"}`, nil}, want: want{ok: true, certainty: wizard.Proven}},
				{name: "wrong secret", reply: reply{403, `{"errors":[{"code":99,"message":"Unable to verify your credentials","label":"authenticity_token_error"}]}`, nil}, want: want{certainty: wizard.Proven, text: "rejected"}},
			}},
		{service: "mendeley", host: "api.mendeley.com", method: "POST", path: "/oauth/token",
			vals: map[string]string{"mendeleyClientId": "3849", "mendeleyClientSecret": "0Oa7TAnpEYw04m1w"},
			verify: func(t *testing.T, r *http.Request, body string) {
				expectBasic(t, r, "3849", "0Oa7TAnpEYw04m1w")
				expectForm(t, body, map[string]string{"grant_type": "client_credentials", "scope": "all"})
			},
			cases: []svcCase{
				{name: "ok", reply: reply{200, `{"access_token":"MSwxNDU","token_type":"bearer","expires_in":3600,"scope":"all"}`, nil}, want: want{ok: true, certainty: wizard.Proven}},
				{name: "wrong secret", reply: reply{401, `{"error":"invalid_client","error_description":"Bad client credentials"}`, nil}, want: want{certainty: wizard.Proven, text: "rejected"}},
			}},
		{service: "docusign", host: "account-d.docusign.com", method: "POST", path: "/oauth/token",
			vals: map[string]string{"docuSignClientId": "6a2e5e8c-1111-2222-3333-444444444444", "docuSignClientSecret": "7b3f6f9d-1111-2222-3333-555555555555", "docuSignHost": "account-d.docusign.com"},
			verify: func(t *testing.T, r *http.Request, _ string) {
				expectBasic(t, r, "6a2e5e8c-1111-2222-3333-444444444444", "7b3f6f9d-1111-2222-3333-555555555555")
			},
			cases: []svcCase{
				{name: "client credentials", reply: reply{200, `{"access_token":"eyJ0eXAiOiJNVCJ9.x.y","token_type":"Bearer","expires_in":3600}`, nil}, want: want{ok: true, certainty: wizard.Likely}},
				{name: "probe accepted", reply: reply{400, badGrant, nil}, want: want{ok: true, certainty: wizard.Likely, text: "accepted"}},
				{name: "probe rejected", reply: reply{400, `{"error":"invalid_client"}`, nil}, want: want{certainty: wizard.Likely, text: "rejected"}},
			}},
		{service: "firebase", host: "www.googleapis.com", method: "GET", path: "/identitytoolkit/v3/relyingparty/getProjectConfig",
			vals: map[string]string{"firebase_apiKey": "AIzaSyA0123456789abcdefghijklmnopqrstuv", "firebase_projectId": "portal-push"},
			verify: func(t *testing.T, r *http.Request, _ string) {
				if r.URL.Query().Get("key") != "AIzaSyA0123456789abcdefghijklmnopqrstuv" {
					t.Errorf("no key in query")
				}
			},
			cases: []svcCase{
				{name: "ok", reply: reply{200, `{"projectId":"portal-push","authorizedDomains":["portal-push.firebaseapp.com"]}`, nil}, want: want{ok: true, certainty: wizard.Likely}},
				{name: "other project", reply: reply{200, `{"projectId":"another"}`, nil}, want: want{certainty: wizard.Proven, text: "another"}},
				{name: "bad key", reply: reply{400, `{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}`, nil}, want: want{certainty: wizard.Likely, text: "rejected"}},
				{name: "restricted", reply: reply{403, `{"error":{"code":403,"message":"Requests to this API identitytoolkit method are blocked.","status":"PERMISSION_DENIED"}}`, nil}, want: want{certainty: wizard.Uncertain, text: "restricted"}},
			}},
	}
}

func TestServices(t *testing.T) {
	for _, sp := range specs() {
		cases := append(sp.cases,
			svcCase{name: "rate limited", reply: reply{429, `{"error":"too many requests"}`, map[string]string{"Retry-After": "30"}}, want: want{unreachable: true, text: "rate limit"}},
			svcCase{name: "server error", reply: reply{500, `internal error`, nil}, want: want{unreachable: true, text: "server error"}},
			svcCase{name: "bad gateway", reply: reply{502, `<html>bad gateway</html>`, nil}, want: want{unreachable: true, text: "server error"}},
		)
		for _, tc := range cases {
			t.Run(sp.service+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				runCase(t, sp, tc)
			})
		}
	}
}

func runCase(t *testing.T, sp svcSpec, tc svcCase) {
	vals := map[string]string{}
	for k, v := range sp.vals {
		vals[k] = v
	}
	for k, v := range tc.vals {
		if v == "" {
			delete(vals, k)
		} else {
			vals[k] = v
		}
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body := string(b)
		if r.URL.Path == sp.path {
			if r.Host != sp.host || r.Method != sp.method {
				t.Errorf("request %s %s%s, want %s %s%s", r.Method, r.Host, r.URL.Path, sp.method, sp.host, sp.path)
			}
			if sp.verify != nil {
				sp.verify(t, r, body)
			}
		}
		if tc.route != nil {
			rp, ok := tc.route[r.URL.Path]
			if !ok {
				t.Errorf("unexpected request %s", r.URL.Path)
				rp = reply{404, "not found", nil}
			}
			rp.write(w)
			return
		}
		if tc.reply.status == -1 { // echo for Dropbox
			var q struct {
				Query string `json:"query"`
			}
			_ = json.Unmarshal(b, &q)
			reply{200, `{"result":"` + q.Query + `"}`, nil}.write(w)
			return
		}
		tc.reply.write(w)
	})
	k := fakeChecker(t, h)
	res := k.Check(context.Background(), sp.service, vals)
	assertResult(t, res, tc.want)
	assertNoSecrets(t, res, vals)
}

func assertResult(t *testing.T, res wizard.CheckResult, w want) {
	t.Helper()
	if res.OK != w.ok || res.Unreachable != w.unreachable {
		t.Fatalf("ok=%v unreachable=%v, want ok=%v unreachable=%v: %s (%s)", res.OK, res.Unreachable, w.ok, w.unreachable, res.Message, res.Details)
	}
	if w.certainty != "" && res.Certainty != w.certainty {
		t.Errorf("certainty %q, want %q: %s", res.Certainty, w.certainty, res.Message)
	}
	if !strings.Contains(strings.ToLower(res.Message), strings.ToLower(w.text)) {
		t.Errorf("message %q lacks %q", res.Message, w.text)
	}
	if !res.OK && !res.Unreachable && res.Fix == "" {
		t.Errorf("a failure must say what to fix: %s", res.Message)
	}
	if res.OK && res.Certainty == "" {
		t.Errorf("no certainty on success")
	}
}

// assertNoSecrets fails if any secret value appears anywhere in the result.
func assertNoSecrets(t *testing.T, res wizard.CheckResult, vals map[string]string) {
	t.Helper()
	out, _ := json.Marshal(res)
	for id, v := range vals {
		if redact.IsSecret(res.Service, id) && len(v) >= 4 && strings.Contains(string(out), v) {
			t.Errorf("secret %s leaked into the result: %s", id, out)
		}
	}
}

func TestUnknownServiceAndMissingField(t *testing.T) {
	k := New(WithClient(&http.Client{Transport: failingTransport{}}))
	if r := k.Check(context.Background(), "nope", nil); r.OK || r.Service != "nope" {
		t.Fatalf("unknown service: %+v", r)
	}
	r := k.Check(context.Background(), "telegram", map[string]string{})
	if r.OK || r.Unreachable || !strings.Contains(r.Message, "telegramBotToken") {
		t.Fatalf("missing field: %+v", r)
	}
	for _, id := range Services() {
		if r := k.Check(context.Background(), id, map[string]string{}); r.OK || r.Unreachable {
			t.Errorf("%s with no values: %+v", id, r)
		}
	}
}

type failingTransport struct{}

func (failingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	panic("no request may be sent")
}
