package check

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"keywizard/providers"
	"keywizard/wizard"
)

const signInNotProven = "redirect URIs, scopes and the consent screen were not checked: run Test sign-in"

// tokenError is an OAuth token endpoint's error answer (RFC 6749 5.2), with
// Microsoft's numeric codes when present.
type tokenError struct {
	Code        string
	Description string
	AADCodes    []int
}

func (e tokenError) String() string {
	switch {
	case e.Code == "":
		return "no error code"
	case e.Description == "":
		return e.Code
	}
	return e.Code + ": " + firstLine(e.Description)
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// parseTokenError reads a JSON or form-encoded error answer. A nested
// {"error":{...}} object (Facebook) leaves Code empty.
func parseTokenError(body []byte) tokenError {
	var j struct {
		Error       json.RawMessage `json:"error"`
		Description string          `json:"error_description"`
		Codes       []int           `json:"error_codes"`
	}
	if json.Unmarshal(body, &j) == nil {
		var code string
		_ = json.Unmarshal(j.Error, &code)
		return tokenError{Code: code, Description: j.Description, AADCodes: j.Codes}
	}
	if q, err := url.ParseQuery(strings.TrimSpace(string(body))); err == nil && q.Get("error") != "" {
		return tokenError{Code: q.Get("error"), Description: q.Get("error_description")}
	}
	return tokenError{}
}

// tokenRequest posts form to a token endpoint with the client credentials
// sent the way the provider wants them: one request, never auto-detected.
func (k *Checker) tokenRequest(ctx context.Context, who, tokenURL string, style oauth2.AuthStyle, id, secret string, form url.Values) (*answer, *wizard.CheckResult) {
	form = cloneForm(form)
	if style == oauth2.AuthStyleInParams {
		form.Set("client_id", id)
		form.Set("client_secret", secret)
	}
	req, r := formRequest(ctx, tokenURL, form)
	if r != nil {
		return nil, r
	}
	if style == oauth2.AuthStyleInHeader {
		req.Header.Set("Authorization", "Basic "+basic(id, secret))
	}
	return k.do(req, who)
}

func cloneForm(f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// basic is RFC 6749 2.3.1 client authentication: both parts form-encoded
// before base64, as x/oauth2 does.
func basic(id, secret string) string {
	return base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))
}

// probe is a bogus-code probe: a made-up authorization code sent with the
// client credentials. Only the client authentication can succeed.
type probe struct {
	who      string // "Google"
	tokenURL string
	style    oauth2.AuthStyle
	id       string
	secret   string
	redirect string // the registered redirect URI ("" = the portal's)
	fixURL   string
	badCode  []string // the provider's own "bad code" errors besides invalid_grant
	// badCodeText: an invalid_request whose description contains one of
	// these refuses the code itself, after the client authenticated
	// (LinkedIn, X).
	badCodeText []string
	// rejectCodes: the provider's own "bad client" errors besides
	// invalid_client (X answers unauthorized_client).
	rejectCodes []string
	extra       url.Values // more form fields (X wants a code_verifier)
	secretFix   string     // how to get the right secret, when rejected
	idFix       string     // how to get the right client ID, when unknown
}

// bogusCode runs the probe and reads the answer: invalid_client (or 401)
// means rejected, invalid_grant means the client authenticated. Nothing in
// it is documented as a check, so the verdict is "likely" at best.
func (k *Checker) bogusCode(ctx context.Context, p probe) wizard.CheckResult {
	redirect := p.redirect
	if redirect == "" {
		redirect = k.redirect
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {"keywizard-check-" + randomToken(12)}, "redirect_uri": {redirect}}
	for key, vs := range p.extra {
		form[key] = vs
	}
	a, bad := k.tokenRequest(ctx, p.who, p.tokenURL, p.style, p.id, p.secret, form)
	if bad != nil {
		return *bad
	}
	return p.read(a, redirect)
}

func (p probe) read(a *answer, redirect string) wizard.CheckResult {
	e := parseTokenError(a.body)
	code := strings.ToLower(e.Code)
	desc := strings.ToLower(e.Description)
	switch {
	case code == "invalid_grant" || slices.Contains(p.badCode, code) ||
		((code == "invalid_request" || code == "invalid_redirect_uri") && len(p.badCodeText) > 0 && containsAny(desc, p.badCodeText...)):
		return pass(fmt.Sprintf("%s accepted the client ID and secret: a made-up sign-in code was refused as a bad code (%s), not as a bad client", p.who, e.Code),
			signInNotProven+"; this probe reads behaviour the service does not document as a check", wizard.Likely)
	case code == "deleted_client":
		r := fail(p.who+" says this OAuth client was deleted ("+e.String()+")", "create a new OAuth client in the console and paste its ID and secret", p.fixURL)
		r.Details = snippet(a.body)
		return r
	case code == "invalid_client" || slices.Contains(p.rejectCodes, code) ||
		(code == "unauthorized_client" && a.status == http.StatusUnauthorized):
		r := p.rejected(e)
		r.Details = snippet(a.body)
		return r
	case code == "redirect_uri_mismatch" || code == "invalid_redirect_uri":
		r := failLikely(fmt.Sprintf("%s knows the client but the redirect URI %s is not registered for it", p.who, redirect),
			"add "+redirect+" to the client's redirect URIs in the console", p.fixURL)
		r.Details = snippet(a.body)
		return r
	case code == "" && a.status == http.StatusUnauthorized:
		r := failLikely(fmt.Sprintf("%s refused the client credentials (HTTP 401)", p.who), p.fixSecret(), p.fixURL)
		r.Details = snippet(a.body)
		return r
	case a.status == http.StatusOK:
		return uncertain(p.who+" answered a made-up code with success, which no OAuth server should do: the verdict cannot be read", snippet(a.body), p.fixURL)
	}
	return uncertain(fmt.Sprintf("%s answered HTTP %d (%s), which this check cannot read as accepted or rejected", p.who, a.status, e), snippet(a.body), p.fixURL)
}

// rejected tells apart, from the error description where the provider
// gives one, a client ID the provider does not know, a client it has
// disabled or deleted, and a wrong secret.
func (p probe) rejected(e tokenError) wizard.CheckResult {
	d := strings.ToLower(strings.TrimSpace(e.Description))
	switch {
	case containsAny(d, "disabled", "deleted", "suspended", "revoked", "expired", "blocked"):
		return failLikely(fmt.Sprintf("%s says the client is no longer usable (%s)", p.who, e),
			"open the app in the console: re-enable it or create new keys, then paste them", p.fixURL)
	case containsAny(d, "not found", "unknown client", "client_id is incorrect", "invalid client_id", "invalid client id",
		"no such client", "does not exist", "unknown application", "invalid application", "client id is invalid"):
		fix := p.idFix
		if fix == "" {
			fix = "copy the client ID again from the console; if the app was deleted, create a new one"
		}
		return failLikely(fmt.Sprintf("%s does not know this client ID (%s)", p.who, e), fix, p.fixURL)
	case d == "unauthorized" || containsAny(d, "secret"):
		return failLikely(fmt.Sprintf("%s knows the client ID but rejected the client secret (%s)", p.who, e), p.fixSecret(), p.fixURL)
	}
	return failLikely(fmt.Sprintf("%s rejected the client ID or secret (%s)", p.who, e), p.fixSecret(), p.fixURL)
}

func (p probe) fixSecret() string {
	if p.secretFix != "" {
		return p.secretFix
	}
	return "copy the client ID and the client secret again from the console; if the secret was regenerated, use the new one"
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// endpoint returns the catalogue's token URL and client authentication for
// a service, so that the check talks to the very endpoint the test sign-in
// and the portal use; fallback serves a service the catalogue gives no
// OAuth section (or no style).
func endpoint(service, fallbackURL string, fallbackStyle oauth2.AuthStyle) (string, oauth2.AuthStyle) {
	u, style := fallbackURL, fallbackStyle
	if p, ok := providers.Lookup(service); ok && p.OAuth != nil {
		if p.OAuth.TokenURL != "" {
			u = p.OAuth.TokenURL
		}
		if p.OAuth.AuthStyle != oauth2.AuthStyleAutoDetect {
			style = p.OAuth.AuthStyle
		}
	}
	return u, style
}

// Bogus-code probes, one per provider, with the client authentication style
// each one documents (or, where none is documented, the one its common
// client libraries use).

func checkGoogle(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://console.cloud.google.com/auth/clients"
	if r := v.missing(fixURL, "googleClientId", "googleClientSecret"); r != nil {
		return *r
	}
	u, style := endpoint("google", "https://oauth2.googleapis.com/token", oauth2.AuthStyleInParams)
	// Google: "invalid_client"/"Unauthorized" is a wrong secret, "The
	// OAuth client was not found." an unknown ID, deleted_client a
	// deleted client.
	return k.bogusCode(ctx, probe{who: "Google", tokenURL: u, style: style,
		id: v["googleClientId"], secret: v["googleClientSecret"], fixURL: fixURL,
		secretFix: `open the OAuth client on the Credentials page and copy its "Client secret" again (or add a new secret)`,
		idFix:     `copy the "Client ID" of the OAuth client from the Credentials page; a deleted client cannot be restored after 30 days`})
}

func checkLinkedIn(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://www.linkedin.com/developers/apps/"
	if r := v.missing(fixURL, "linkedInKey", "linkedInSecret"); r != nil {
		return *r
	}
	u, style := endpoint("linkedin", "https://www.linkedin.com/oauth/v2/accessToken", oauth2.AuthStyleInParams)
	// LinkedIn answers a code it does not know with invalid_request ("...
	// does not match authorization code ..."), after authenticating the app.
	return k.bogusCode(ctx, probe{who: "LinkedIn", tokenURL: u, style: style,
		id: v["linkedInKey"], secret: v["linkedInSecret"], fixURL: fixURL,
		badCodeText: []string{"authorization code"},
		secretFix:   `on the app's Auth tab, copy the "Client ID" and the "Primary Client Secret" again`})
}

func checkYandex(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://oauth.yandex.com/"
	if r := v.missing(fixURL, "yandexClientId", "yandexClientSecret"); r != nil {
		return *r
	}
	u, style := endpoint("yandex", "https://oauth.yandex.com/token", oauth2.AuthStyleInParams)
	return k.bogusCode(ctx, probe{who: "Yandex", tokenURL: u, style: style,
		id: v["yandexClientId"], secret: v["yandexClientSecret"], fixURL: fixURL, badCode: []string{"bad_verification_code"},
		secretFix: `open the app on oauth.yandex.com and copy its "ClientID" and "Client secret" again`})
}

func checkMailru(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://api.mail.ru/sites/my/"
	if r := v.missing(fixURL, "mailRuClientId", "mailRuClientSecret"); r != nil {
		return *r
	}
	// The portal signs in on Mail.ru's site platform (connect.mail.ru), so
	// the probe asks that platform's token endpoint, as the catalogue says.
	u, style := endpoint("mailru", "https://connect.mail.ru/oauth/token", oauth2.AuthStyleInParams)
	site := k.bogusCode(ctx, probe{who: "Mail.ru", tokenURL: u, style: style,
		id: v["mailRuClientId"], secret: v["mailRuClientSecret"], fixURL: fixURL,
		secretFix: `open "My sites" on api.mail.ru, click "Manage" next to the site and copy its "ID" and "Secret key" again (not the "Private key")`,
		idFix:     `open "My sites" on api.mail.ru and copy the site's "ID" (apps made on o2.mail.ru are a different kind and are not known here)`})
	if site.OK {
		return site
	}
	// Mail.ru's newer platform (o2.mail.ru) has its own apps and token
	// endpoint. Asking it too tells an admin who made the app there why
	// the site platform refuses the keys, and gives a verdict when the
	// site platform cannot be asked.
	app := k.bogusCode(ctx, probe{who: "Mail.ru (o2.mail.ru)", tokenURL: mailruAppTokenURL, style: oauth2.AuthStyleInParams,
		id: v["mailRuClientId"], secret: v["mailRuClientSecret"], fixURL: "https://o2.mail.ru/app/"})
	siteAnswered := !site.Unreachable && site.Certainty != wizard.Uncertain
	switch {
	case app.OK && siteAnswered:
		return failLikely("Mail.ru accepts these keys as an app of o2.mail.ru, but the site platform the portal signs in through (connect.mail.ru) rejects them",
			`register the portal as a site at api.mail.ru/sites/my/add and paste that site's "ID" and "Secret key"`, "https://api.mail.ru/sites/my/add")
	case app.OK:
		app.Certainty = wizard.Likely
		app.Message += "; the site platform the portal signs in through (connect.mail.ru) gave no verdict: " + site.Message
		app.NotProven = joinNotProven(app.NotProven, "whether connect.mail.ru, which the portal uses, knows the keys too: run the portal's own Mail.ru sign-in once")
		return app
	case !siteAnswered && !app.Unreachable && app.Certainty != wizard.Uncertain:
		return app
	}
	return site
}

// mailruAppTokenURL is the token endpoint of Mail.ru's o2.mail.ru apps.
const mailruAppTokenURL = "https://oauth.mail.ru/token"

func joinNotProven(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func checkWordPress(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://developer.wordpress.com/apps/"
	if r := v.missing(fixURL, "wpClientId", "wpClientSecret"); r != nil {
		return *r
	}
	u, style := endpoint("wordpress", "https://public-api.wordpress.com/oauth2/token", oauth2.AuthStyleInParams)
	return k.bogusCode(ctx, probe{who: "WordPress.com", tokenURL: u, style: style,
		id: v["wpClientId"], secret: v["wpClientSecret"], fixURL: fixURL,
		secretFix: `open the application on developer.wordpress.com/apps and copy its "Client ID" and "Client Secret" again`})
}

func checkYahoo(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://developer.yahoo.com/apps/"
	if r := v.missing(fixURL, "yahooClientId", "yahooClientSecret"); r != nil {
		return *r
	}
	u, style := endpoint("yahoo", "https://api.login.yahoo.com/oauth2/get_token", oauth2.AuthStyleInHeader)
	// Yahoo refuses loopback redirects; "oob" is what a code-copying client
	// registers, and the probe only needs the client to authenticate.
	return k.bogusCode(ctx, probe{who: "Yahoo", tokenURL: u, style: style,
		id: v["yahooClientId"], secret: v["yahooClientSecret"], redirect: "oob", fixURL: fixURL,
		secretFix: `open the app on developer.yahoo.com/apps and copy its "Client ID (Consumer Key)" and "Client Secret (Consumer Secret)" again`})
}

func checkDocuSign(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	host := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(v["docuSignHost"]), "https://"), "/")
	if host == "" {
		host = "account-d.docusign.com"
	}
	fixURL := "https://admindemo.docusign.com/apps-and-keys"
	if host == "account.docusign.com" {
		fixURL = "https://admin.docusign.com/apps-and-keys"
	}
	if r := v.missing(fixURL, "docuSignClientId", "docuSignClientSecret"); r != nil {
		return *r
	}
	if strings.ContainsAny(host, "/?#@ \\") {
		return fail("the DocuSign host must be a host name only, such as account-d.docusign.com", "enter account-d.docusign.com (developer) or account.docusign.com (production)", fixURL)
	}
	tmpl, style := endpoint("docusign", "https://{host}/oauth/token", oauth2.AuthStyleInHeader)
	tokenURL := strings.ReplaceAll(tmpl, "{host}", host)
	id, secret := v["docuSignClientId"], v["docuSignClientSecret"]
	p := probe{who: "DocuSign (" + host + ")", tokenURL: tokenURL, style: style, id: id, secret: secret, fixURL: fixURL,
		secretFix: "on Apps and Keys, copy the integration key and add a new secret key (secrets are shown only once); check the host: developer keys live on account-d.docusign.com"}
	// The client_credentials grant is undocumented but only mints a token:
	// a JWT back proves the key and secret. grant_type goes in the query,
	// where the public verifiers put it, and in the body, where RFC 6749
	// puts it. A bad client is read as such; any other refusal (the grant
	// is not offered) falls back to the bogus-code probe.
	q := url.Values{"grant_type": {"client_credentials"}}
	a, bad := k.tokenRequest(ctx, p.who, tokenURL+"?"+q.Encode(), style, id, secret, q)
	if bad != nil {
		return *bad
	}
	if a.status/100 == 2 {
		var t struct {
			AccessToken string `json:"access_token"`
		}
		if json.Unmarshal(a.body, &t) == nil && strings.HasPrefix(t.AccessToken, "ey") {
			return pass(p.who+" accepted the integration key and secret key and issued an app token", signInNotProven+"; the grant used is undocumented", wizard.Likely)
		}
	}
	if e := parseTokenError(a.body); strings.EqualFold(e.Code, "invalid_client") || (e.Code == "" && a.status == http.StatusUnauthorized) {
		r := p.rejected(e)
		r.Details = snippet(a.body)
		return r
	}
	return k.bogusCode(ctx, p)
}

func checkBitly(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://app.bitly.com/settings/api/"
	if tok := v["bitlyToken"]; tok != "" {
		return k.bitlyUser(ctx, tok, fixURL)
	}
	if r := v.missing(fixURL, "bitlyClientId", "bitlyClientSecret"); r != nil {
		r.Message = "give the Bitly access token (bitlyToken), or the client ID and secret of an OAuth app"
		return *r
	}
	return k.bogusCode(ctx, probe{who: "Bitly", tokenURL: "https://api-ssl.bitly.com/oauth/access_token", style: oauth2.AuthStyleInParams,
		id: v["bitlyClientId"], secret: v["bitlyClientSecret"], fixURL: fixURL})
}

func (k *Checker) bitlyUser(ctx context.Context, tok, fixURL string) wizard.CheckResult {
	req, r := newRequest(ctx, http.MethodGet, "https://api-ssl.bitly.com/v4/user", nil)
	if r != nil {
		return *r
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	a, bad := k.do(req, "Bitly")
	if bad != nil {
		return *bad
	}
	switch {
	case a.status == http.StatusOK:
		var u struct {
			Login  string `json:"login"`
			Name   string `json:"name"`
			Emails []struct {
				Email     string `json:"email"`
				IsPrimary bool   `json:"is_primary"`
			} `json:"emails"`
		}
		_ = json.Unmarshal(a.body, &u)
		res := pass("Bitly accepted the access token", "shortening a link was not tried: the portal does that when the key is saved", wizard.Proven)
		id := &wizard.Identity{Name: u.Name, ID: u.Login}
		for _, e := range u.Emails {
			if e.IsPrimary {
				id.Email = e.Email
			}
		}
		if id.Name == "" {
			id.Name = u.Login
		}
		res.Identity = id
		return res
	case a.status == http.StatusUnauthorized || a.status == http.StatusForbidden:
		r := fail(fmt.Sprintf("Bitly rejected the access token (HTTP %d)", a.status), "generate a new access token under Settings → API and paste it", fixURL)
		r.Details = snippet(a.body)
		return r
	}
	return uncertain(fmt.Sprintf("Bitly answered HTTP %d, which this check cannot read", a.status), snippet(a.body), fixURL)
}
