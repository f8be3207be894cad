package check

import (
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"

	"keywizard/wizard"
)

// App-only checks: the client credentials grant (or the provider's own
// app-authentication call) proves the client ID and secret with no user.

func checkBox(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://app.box.com/developers/console"
	if r := v.missing(fixURL, "boxClientId", "boxClientSecret"); r != nil {
		return *r
	}
	a, bad := k.tokenRequest(ctx, "Box", "https://api.box.com/oauth2/token", oauth2.AuthStyleInParams,
		v["boxClientId"], v["boxClientSecret"], url.Values{"grant_type": {"client_credentials"}})
	if bad != nil {
		return *bad
	}
	e := parseTokenError(a.body)
	switch {
	case a.status == http.StatusOK:
		return pass("Box accepted the client ID and secret (the app may use client credentials)", signInNotProven, wizard.Proven)
	case e.Code == "unauthorized_client":
		// A known client without client-credentials access: the usual
		// case for an OAuth 2.0 user-authentication app.
		return pass("Box accepted the client ID and secret (the app is not enabled for client credentials, as expected for a user-authentication app)", signInNotProven, wizard.Proven)
	case e.Code == "invalid_client":
		r := fail("Box rejected the client ID or secret ("+e.String()+")",
			`open the app's Configuration tab and copy "Client ID" and "Client Secret" again`, fixURL)
		r.Details = snippet(a.body)
		return r
	}
	return uncertain(fmt.Sprintf("Box answered HTTP %d (%s), which this check cannot read", a.status, e), snippet(a.body), fixURL)
}

// aadAdvice maps Microsoft Entra error codes to what they mean and what to do.
var aadAdvice = map[int]struct{ msg, fix string }{
	700016:  {"Microsoft does not know this application (client) ID in that tenant", "copy the Application (client) ID from the app's Overview page, and check that the tenant is the one the app is registered in"},
	7000215: {"Microsoft rejected the client secret", "paste the secret's Value, not its Secret ID; if the value is no longer shown, add a new client secret under Certificates & secrets"},
	7000222: {"the client secret has expired", "add a new client secret under Certificates & secrets and paste its Value"},
	90002:   {"Microsoft does not know this tenant", "give the Directory (tenant) ID from the app's Overview page, or the tenant's onmicrosoft.com domain"},
	50011:   {"the redirect URI is not registered for the app", "add the portal's redirect URL under Authentication → Web → Redirect URIs"},
	50194:   {"the app is single-tenant, so the common endpoint cannot sign it in", "give the Directory (tenant) ID from the app's Overview page"},
	700003:  {"the app or device is not registered in that tenant", "check the tenant and the Application (client) ID"},
	900023:  {"Microsoft cannot read the tenant: it is neither a directory name nor an ID", "give the Directory (tenant) ID (a GUID) from the app's Overview page, or the tenant's onmicrosoft.com domain"},
	7000112: {"the application is disabled in this tenant", "re-enable the app (Enterprise applications → the app → Properties → Enabled for users to sign in), or create a new registration"},
	700025:  {"the app is registered as a public client, which may not use a client secret", "under Authentication, set \"Allow public client flows\" to No and put the redirect URI under the Web platform"},
}

const entraAppsURL = "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"

func checkMicrosoft(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	return k.entra(ctx, "Microsoft", v, "microsoftClientId", "microsoftClientSecret")
}

func checkOneDrive(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	return k.entra(ctx, "Microsoft (OneDrive)", v, "skydriveappkey", "skydriveappsecret")
}

// entra checks a Microsoft Entra app: client credentials on the tenant's
// token endpoint, documented and exact; without a tenant only the
// bogus-code probe on "common" is possible.
func (k *Checker) entra(ctx context.Context, who string, v values, idField, secretField string) wizard.CheckResult {
	if r := v.missing(entraAppsURL, idField, secretField); r != nil {
		return *r
	}
	tenant := strings.TrimSpace(v["tenant"])
	if strings.ContainsAny(tenant, "/?#@ ") {
		return fail("the tenant must be a GUID or a domain such as contoso.onmicrosoft.com", "copy the Directory (tenant) ID from the app's Overview page", entraAppsURL)
	}
	switch strings.ToLower(tenant) {
	case "":
		return k.entraProbe(ctx, who, "common", v[idField], v[secretField])
	case "common", "organizations", "consumers":
		return k.entraProbe(ctx, who, strings.ToLower(tenant), v[idField], v[secretField])
	}
	tokenURL := "https://login.microsoftonline.com/" + url.PathEscape(tenant) + "/oauth2/v2.0/token"
	a, bad := k.tokenRequest(ctx, who, tokenURL, oauth2.AuthStyleInParams, v[idField], v[secretField],
		url.Values{"grant_type": {"client_credentials"}, "scope": {"https://graph.microsoft.com/.default"}})
	if bad != nil {
		return *bad
	}
	if a.status == http.StatusOK {
		return pass(who+" accepted the client ID and secret for tenant "+tenant, signInNotProven+"; the secret's expiry date is not visible to this check", wizard.Proven)
	}
	e := parseTokenError(a.body)
	for _, code := range e.AADCodes {
		if code == 53003 {
			return pass(who+" accepted the client ID and secret, but Conditional Access blocked the app-only token (AADSTS53003)",
				"Conditional Access may block sign-ins too: run Test sign-in", wizard.Proven)
		}
		if adv, ok := aadAdvice[code]; ok {
			r := fail(fmt.Sprintf("%s (AADSTS%d)", adv.msg, code), adv.fix, entraAppsURL)
			r.Details = snippet(a.body)
			return r
		}
	}
	if e.Code == "invalid_client" {
		r := fail(who+" rejected the client credentials ("+e.String()+")", aadAdvice[7000215].fix, entraAppsURL)
		r.Details = snippet(a.body)
		return r
	}
	return uncertain(fmt.Sprintf("%s answered HTTP %d (%s), which this check cannot read", who, a.status, e), snippet(a.body), entraAppsURL)
}

func (k *Checker) entraProbe(ctx context.Context, who, authority, id, secret string) wizard.CheckResult {
	const why = "without the tenant only a weaker check is possible: give the Directory (tenant) ID (the tenant field) for a documented, exact check"
	p := probe{who: who, tokenURL: "https://login.microsoftonline.com/" + authority + "/oauth2/v2.0/token", style: oauth2.AuthStyleInParams,
		id: id, secret: secret, fixURL: entraAppsURL, secretFix: aadAdvice[7000215].fix}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {"keywizard-check-" + randomToken(12)},
		"redirect_uri": {k.redirect}, "scope": {"openid"}}
	a, bad := k.tokenRequest(ctx, who, p.tokenURL, p.style, id, secret, form)
	if bad != nil {
		bad.NotProven = strings.TrimPrefix(bad.NotProven+"; "+why, "; ")
		return *bad
	}
	e := parseTokenError(a.body)
	for _, code := range e.AADCodes {
		if code == 50011 {
			// The redirect URI is checked after the client: the client is fine.
			r := failLikely(fmt.Sprintf("%s knows the app but the redirect URI %s is not registered for it (AADSTS50011)", who, k.redirect), aadAdvice[50011].fix, entraAppsURL)
			r.NotProven = why
			return r
		}
		if adv, ok := aadAdvice[code]; ok {
			r := failLikely(fmt.Sprintf("%s (AADSTS%d)", adv.msg, code), adv.fix, entraAppsURL)
			r.Details, r.NotProven = snippet(a.body), why
			return r
		}
	}
	r := p.read(a, k.redirect)
	if r.NotProven != "" {
		r.NotProven += "; "
	}
	r.NotProven += why
	if r.Certainty == wizard.Proven {
		r.Certainty = wizard.Likely
	}
	return r
}

// fbError is the Graph API's nested error object.
type fbError struct {
	Error struct {
		Message string `json:"message"`
		Type    string `json:"type"`
		Code    int    `json:"code"`
		Subcode int    `json:"error_subcode"`
	} `json:"error"`
}

func checkFacebook(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://developers.facebook.com/apps/"
	if r := v.missing(fixURL, "facebookClientId", "facebookClientSecret"); r != nil {
		return *r
	}
	q := url.Values{"client_id": {v["facebookClientId"]}, "client_secret": {v["facebookClientSecret"]}, "grant_type": {"client_credentials"}}
	req, r := newRequest(ctx, http.MethodGet, "https://graph.facebook.com/oauth/access_token?"+q.Encode(), nil)
	if r != nil {
		return *r
	}
	a, bad := k.do(req, "Facebook")
	if bad != nil {
		return *bad
	}
	if a.status == http.StatusOK && strings.Contains(string(a.body), "access_token") {
		return pass("Facebook accepted the app ID and app secret and issued an app token",
			"Valid OAuth Redirect URIs and the app's Live mode were not checked: run Test sign-in", wizard.Proven)
	}
	var e fbError
	_ = json.Unmarshal(a.body, &e)
	switch e.Error.Code {
	case 1:
		r := fail("Facebook rejected the app secret ("+e.Error.Message+")", `on App settings → Basic, click "Show" next to App Secret and copy it again`, fixURL)
		r.Details = snippet(a.body)
		return r
	case 101:
		r := fail("Facebook does not know this app ID ("+e.Error.Message+")", "copy the App ID from App settings → Basic", fixURL)
		r.Details = snippet(a.body)
		return r
	case 4, 17, 32, 613:
		r := unreachable("Facebook is rate limiting these requests (code "+fmt.Sprint(e.Error.Code)+"): the keys were not judged", snippet(a.body))
		r.Fix = "wait a while and check again"
		return r
	}
	return uncertain(fmt.Sprintf("Facebook answered HTTP %d (%s), which this check cannot read", a.status, e.Error.Message), snippet(a.body), fixURL)
}

func checkVK(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://vk.com/apps?act=manage"
	if r := v.missing(fixURL, "vkClientId", "vkClientSecret"); r != nil {
		return *r
	}
	q := url.Values{"client_id": {v["vkClientId"]}, "client_secret": {v["vkClientSecret"]}, "v": {"5.131"}, "grant_type": {"client_credentials"}}
	req, r := newRequest(ctx, http.MethodGet, "https://oauth.vk.com/access_token?"+q.Encode(), nil)
	if r != nil {
		return *r
	}
	a, bad := k.do(req, "VK")
	if bad != nil {
		return *bad
	}
	if a.status == http.StatusOK && strings.Contains(string(a.body), "access_token") {
		return pass("VK accepted the app ID and protected key and issued a service token", signInNotProven, wizard.Proven)
	}
	e := parseTokenError(a.body)
	if e.Code == "invalid_client" || a.status == http.StatusUnauthorized {
		var r wizard.CheckResult
		switch d := strings.ToLower(e.Description); {
		case strings.Contains(d, "client_id"):
			r = fail("VK does not know this app ID ("+e.String()+")", `copy the "App ID" from the app's Settings in VK`, fixURL)
		case strings.Contains(d, "client_secret"):
			r = fail("VK knows the app ID but rejected the protected key ("+e.String()+")",
				`copy the "Protected key" (Secure key) from the app's Settings in VK; VK ID apps have a key of their own`, fixURL)
		default:
			r = fail("VK rejected the app credentials ("+e.String()+")", `open the app's Settings in VK and copy "App ID" and "Protected key" again`, fixURL)
		}
		r.Details = snippet(a.body)
		return r
	}
	return uncertain(fmt.Sprintf("VK answered HTTP %d (%s), which this check cannot read", a.status, e), snippet(a.body), fixURL)
}

// xErrors is the v1.1 API's error list ({"errors":[{"code":99,...}]}).
type xErrors struct {
	Errors []struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
}

func (e xErrors) String() string {
	if len(e.Errors) == 0 {
		return ""
	}
	return fmt.Sprintf("code %d: %s", e.Errors[0].Code, e.Errors[0].Message)
}

const xPortalURL = "https://developer.x.com/en/portal/dashboard"

// checkTwitter checks the consumer keys the portal uses (app-only bearer
// token, documented) and, when the optional OAuth 2.0 client of the test
// sign-in is given, that client too (bogus-code probe, undocumented).
func checkTwitter(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	if r := v.missing(xPortalURL, "twitterKey", "twitterSecret"); r != nil {
		return *r
	}
	res := k.xConsumer(ctx, v["twitterKey"], v["twitterSecret"])
	if !res.OK {
		return res
	}
	id, secret := strings.TrimSpace(v["twitterClientId"]), v["twitterClientSecret"]
	switch {
	case id == "" && secret == "":
		res.NotProven += "; the optional OAuth 2.0 Client ID and Secret (used only by the test sign-in) were not given, so they were not checked"
		return res
	case id == "" || secret == "":
		res.NotProven += "; only one of the OAuth 2.0 Client ID and Client Secret was given, so the OAuth 2.0 client was not checked (a public client has no secret: the test sign-in proves it)"
		return res
	}
	o := k.xOAuth2(ctx, id, secret)
	switch {
	case o.OK:
		res.Message += "; " + o.Message
		res.NotProven += "; the OAuth 2.0 client was checked by a probe that reads undocumented behaviour"
		res.Certainty = wizard.Likely
		return res
	case o.Unreachable:
		o.Message = "X accepted the API key and secret, but the OAuth 2.0 client could not be checked: " + o.Message
		return o
	}
	o.Message = "X accepted the API key and secret (consumer keys), but " + o.Message
	return o
}

// xConsumer asks for an app-only bearer token with the consumer keys:
// POST /oauth2/token, Basic key:secret, grant_type=client_credentials.
func (k *Checker) xConsumer(ctx context.Context, key, secret string) wizard.CheckResult {
	a, bad := k.tokenRequest(ctx, "X", "https://api.twitter.com/oauth2/token", oauth2.AuthStyleInHeader,
		key, secret, url.Values{"grant_type": {"client_credentials"}})
	if bad != nil {
		return *bad
	}
	if a.status == http.StatusOK && strings.Contains(string(a.body), "access_token") {
		return pass("X accepted the API key and secret and issued an app-only bearer token",
			"the callback URL allowlist and the access level were not checked: run Test sign-in", wizard.Proven)
	}
	var xe xErrors
	_ = json.Unmarshal(a.body, &xe)
	if a.status == http.StatusUnauthorized || a.status == http.StatusForbidden || a.status == http.StatusBadRequest {
		msg := fmt.Sprintf("X rejected the API key or secret (HTTP %d)", a.status)
		if s := xe.String(); s != "" {
			msg = fmt.Sprintf("X rejected the API key or secret (HTTP %d, %s)", a.status, s)
		}
		r := fail(msg, `in the app's "Keys and tokens", regenerate the API Key and Secret (consumer keys) and paste both`, xPortalURL)
		r.Details = snippet(a.body)
		return r
	}
	return uncertain(fmt.Sprintf("X answered HTTP %d, which this check cannot read", a.status), snippet(a.body), xPortalURL)
}

// xOAuth2 probes the OAuth 2.0 client with a made-up code at the token
// endpoint of the catalogue, client authenticated with HTTP Basic as X
// requires of confidential clients. X wants PKCE, so a (random) verifier
// goes along; an unknown code is answered with invalid_request "Value
// passed for the authorization code was invalid", a bad client with
// unauthorized_client.
func (k *Checker) xOAuth2(ctx context.Context, id, secret string) wizard.CheckResult {
	u, style := endpoint("twitter", "https://api.x.com/2/oauth2/token", oauth2.AuthStyleInHeader)
	return k.bogusCode(ctx, probe{who: "X (OAuth 2.0 client)", tokenURL: u, style: style, id: id, secret: secret, fixURL: xPortalURL,
		badCodeText: []string{"authorization code", "code_verifier", "code verifier"},
		rejectCodes: []string{"unauthorized_client"},
		extra:       url.Values{"code_verifier": {oauth2.GenerateVerifier()}},
		secretFix:   `under "Keys and tokens" > "OAuth 2.0 Client ID and Client Secret", copy the Client ID and regenerate the Client Secret, then paste both into the optional test fields`})
}

func checkMendeley(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	const fixURL = "https://dev.mendeley.com/myapps.html"
	if r := v.missing(fixURL, "mendeleyClientId"); r != nil {
		return *r
	}
	if v["mendeleyClientSecret"] == "" {
		// The plugin needs only the App ID, and Mendeley has no call that
		// checks an App ID alone.
		return notJudged("Mendeley was not asked: its check needs the app's secret, an optional field (mendeleyClientSecret) that is empty",
			"the App ID alone cannot be checked online; nothing was sent",
			`paste the secret made with "Generate secret" into the optional secret field and check again, or sign in from the editor's Mendeley plugin`, fixURL)
	}
	u, style := endpoint("mendeley", "https://api.mendeley.com/oauth/token", oauth2.AuthStyleInHeader)
	a, bad := k.tokenRequest(ctx, "Mendeley", u, style,
		v["mendeleyClientId"], v["mendeleyClientSecret"], url.Values{"grant_type": {"client_credentials"}, "scope": {"all"}})
	if bad != nil {
		return *bad
	}
	if a.status == http.StatusOK && strings.Contains(string(a.body), "access_token") {
		return pass("Mendeley accepted the App ID and secret and issued an app token", signInNotProven+"; the plugin's redirect address was not checked", wizard.Proven)
	}
	e := parseTokenError(a.body)
	if e.Code == "invalid_client" || e.Code == "unauthorized_client" || a.status == http.StatusUnauthorized {
		r := fail("Mendeley rejected the App ID or secret ("+e.String()+")", "open the app on dev.mendeley.com/myapps.html, generate a new secret and paste it with the ID", fixURL)
		r.Details = snippet(a.body)
		return r
	}
	return uncertain(fmt.Sprintf("Mendeley answered HTTP %d (%s), which this check cannot read", a.status, e), snippet(a.body), fixURL)
}

const appleKeysURL = "https://developer.apple.com/account/resources/authkeys/list"

func checkApple(ctx context.Context, k *Checker, v values) wizard.CheckResult {
	if r := v.missing(appleKeysURL, "appleIdClientId", "appleIdTeamId", "appleIdKeyId", "appleIdPrivateKey"); r != nil {
		return *r
	}
	secret, err := AppleClientSecret(v["appleIdPrivateKey"], v["appleIdKeyId"], v["appleIdTeamId"], v["appleIdClientId"], k.now(), 5*time.Minute)
	if err != nil {
		return fail("the client secret JWT could not be built: "+err.Error(), "download the key again (AuthKey_<KeyID>.p8) and paste the whole file", appleKeysURL)
	}
	p := probe{who: "Apple", tokenURL: "https://appleid.apple.com/auth/token", style: oauth2.AuthStyleInParams,
		id: v["appleIdClientId"], secret: secret, fixURL: appleKeysURL,
		secretFix: "check that the Services ID (client ID), Team ID and Key ID belong together and the key has Sign in with Apple enabled; also check this computer's clock"}
	r := k.bogusCode(ctx, p)
	if r.OK {
		r.Message = "Apple accepted the client secret built from the key: a made-up sign-in code was refused as a bad code (invalid_grant), not as a bad client"
		r.NotProven = "the Return URLs and domains were not checked: Apple allows only the deployed HTTPS callback, so sign in on the portal to prove them"
	}
	return r
}

// AppleClientSecret builds Sign in with Apple's client secret: an ES256 JWT
// signed with the .p8 key, kid = key ID, iss = team ID, sub = client ID,
// aud = https://appleid.apple.com, valid for ttl (Apple allows six months).
func AppleClientSecret(p8, keyID, teamID, clientID string, now time.Time, ttl time.Duration) (string, error) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(p8)))
	if block == nil {
		return "", errors.New("the private key is not PEM (-----BEGIN PRIVATE KEY-----)")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return "", errors.New("the private key is not a PKCS#8 key")
	}
	ec, ok := key.(*ecdsa.PrivateKey)
	if !ok {
		return "", errors.New("the private key is not an elliptic-curve key")
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.MapClaims{
		"iss": teamID,
		"sub": clientID,
		"aud": "https://appleid.apple.com",
		"iat": now.Unix(),
		"exp": now.Add(ttl).Unix(),
	})
	tok.Header["kid"] = keyID
	s, err := tok.SignedString(ec)
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	return s, nil
}
