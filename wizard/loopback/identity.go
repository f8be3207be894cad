package loopback

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"keywizard/wizard"
	redactor "keywizard/wizard/redact"
)

// callTimeout bounds each call to the provider after the answer arrived
// (exchange, identity, revocation), whatever client was injected.
const callTimeout = 30 * time.Second

// complete exchanges the code (same redirect URI, PKCE verifier), reads
// who signed in, revokes the tokens and drops them.
func (f *flow) complete(ctx context.Context, code string) (wizard.SignInResult, error) {
	hctx := context.WithValue(ctx, oauth2.HTTPClient, f.client)
	var opts []oauth2.AuthCodeOption
	if f.plan.flow.PKCE {
		opts = append(opts, oauth2.VerifierOption(f.verifier))
	}
	xctx, cancel := context.WithTimeout(hctx, callTimeout)
	tok, err := f.cfg.Exchange(xctx, code, opts...)
	cancel()
	if err != nil {
		err = exchangeError(ctx, err)
		var pe *ProviderError
		if errors.As(err, &pe) {
			// A provider may echo what it was sent: none of it is shown,
			// and the text is cut only then, so that no part is left.
			sent := []string{code, f.cfg.ClientSecret, f.verifier, basicAuth(f.cfg.ClientID, f.cfg.ClientSecret)}
			pe.Code = clip(redactor.Text(pe.Code, sent...), 100)
			pe.Description = clip(redactor.Text(pe.Description, sent...), 500)
		}
		return f.failed(err, 0), err
	}
	id, warns, idErr := f.identity(hctx, bearer(tok), tok.AccessToken, tok.RefreshToken)
	id = fromToken(id, tok)
	if f.cfg.revokeURL != "" {
		rctx, cancel := context.WithTimeout(hctx, callTimeout)
		err := f.revoke(rctx, tok)
		cancel()
		if err != nil {
			warns = append(warns, "The test token could not be revoked ("+err.Error()+"); it was not kept and expires on its own.")
		}
	}
	if idErr != nil {
		res := f.failed(idErr, 0)
		res.Warnings = append(res.Warnings, warns...)
		return res, idErr
	}
	id, w := fromIDToken(id, tok)
	res := wizard.SignInResult{OK: true, Warnings: append(warns, w...)}
	res.Scopes = grantedScopes(tok)
	res.Warnings = append(res.Warnings, f.providerNotes(tok, id)...)
	portalScopes := f.o.PortalScopes
	if f.plan.portal {
		portalScopes = f.plan.flow.Scopes
	}
	res.Warnings = append(res.Warnings, missingScopes(f.plan.flow.Scopes, portalScopes, res.Scopes)...)
	if id != (wizard.Identity{}) {
		res.Identity = &id
	}
	res.Message = signedInMessage(f.p.Title, id)
	return res, nil
}

// basicAuth is the Authorization value x/oauth2 sends for a client that
// authenticates in the header: both parts form-encoded, then base64.
func basicAuth(id, secret string) string {
	if secret == "" {
		return ""
	}
	return base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))
}

func signedInMessage(title string, id wizard.Identity) string {
	if s := id.String(); s != "" {
		return "Signed in as " + s + ": " + title + " accepted the client ID, the secret and the redirect URI."
	}
	return "Signed in: " + title + " accepted the client ID, the secret and the redirect URI, but who signed in could not be read."
}

// exchangeError turns a failed exchange into a *ProviderError or a
// sentinel.
func exchangeError(ctx context.Context, err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		pe := &ProviderError{Stage: "token", Code: re.ErrorCode, Description: re.ErrorDescription}
		if re.Response != nil {
			pe.Status = re.Response.StatusCode
		}
		if pe.Code == "" {
			nestedError(pe, re.Body)
		}
		return pe
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%w: %v", ErrCanceled, ctx.Err())
	}
	return fmt.Errorf("%w: token endpoint: %v", ErrUnreachable, err)
}

// nestedError reads the error shapes x/oauth2 does not: Facebook's
// {"error":{"message":...,"type":...}} and plain-text bodies.
func nestedError(pe *ProviderError, body []byte) {
	var fb struct {
		Error struct {
			Message string `json:"message"`
			Type    string `json:"type"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &fb) == nil && fb.Error.Message != "" {
		pe.Code, pe.Description = fb.Error.Type, fb.Error.Message
		return
	}
	if pe.Description == "" && len(body) > 0 && !strings.HasPrefix(strings.TrimSpace(string(body)), "<") {
		pe.Description = oneLine(string(body))
	}
}

// fromToken adds what the token answer itself says about the user: VK
// returns the e-mail address and user_id there, and Mail.ru's site
// platform x_mailru_vid (its profile call must be signed).
func fromToken(id wizard.Identity, tok *oauth2.Token) wizard.Identity {
	if id.Email == "" {
		if e, ok := tok.Extra("email").(string); ok {
			id.Email = e
		}
	}
	if id.ID == "" {
		id.ID = first(extraString(tok, "user_id"), extraString(tok, "x_mailru_vid"))
	}
	return id
}

// fromIDToken reads who signed in from the id_token when nothing else
// named them (Apple, whose portal flow reads only the ID token).
func fromIDToken(id wizard.Identity, tok *oauth2.Token) (wizard.Identity, []string) {
	if id.Name != "" || id.Email != "" {
		return id, nil
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return id, nil
	}
	m, err := idTokenClaims(raw)
	if err != nil {
		return id, nil
	}
	return parseIdentity(m), []string{"Who signed in was read from the ID token without checking its signature: it is shown for information only; the keys were proven by the token exchange."}
}

// extraString reads a string or number field of the token answer.
func extraString(tok *oauth2.Token, k string) string {
	switch v := tok.Extra(k).(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case json.Number:
		return v.String()
	}
	return ""
}

// rpcStyle reports whether an identity endpoint is a Dropbox API v2 RPC
// call, which takes POST without a body.
func rpcStyle(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Hostname() == "api.dropboxapi.com" && strings.HasPrefix(u.Path, "/2/")
}

// redact drops the request URL from a client error: for some providers
// it carries the access token.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %v", ue.Op, ue.Err)
	}
	return err
}

// idTokenClaims decodes the payload of a JWT without checking its
// signature: used for display only.
func idTokenClaims(raw string) (map[string]any, error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a JWT")
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// parseIdentity reads name, e-mail and id from the many shapes providers
// answer with: OIDC claims, Microsoft Graph, Yandex, X ({"data":{...}}),
// VK ({"response":[{...}]}), Dropbox ({"name":{"display_name":...}}).
func parseIdentity(m map[string]any) wizard.Identity {
	m = unwrap(m)
	id := wizard.Identity{
		Name: first(nested(m, "name", "display_name"), str(m, "name"), str(m, "displayName"), str(m, "display_name"), str(m, "real_name"),
			join(str(m, "given_name"), str(m, "family_name")), join(str(m, "first_name"), str(m, "last_name"))),
		Email: first(str(m, "email"), str(m, "mail"), str(m, "default_email"), firstEmail(m["emails"]), emailLike(str(m, "userPrincipalName")),
			emailLike(str(m, "login")), emailLike(str(m, "preferred_username")), emailLike(str(m, "username"))),
		ID: first(str(m, "sub"), str(m, "id"), str(m, "ID"), str(m, "uid"), str(m, "user_id"), str(m, "account_id")),
	}
	if id.Name == "" {
		for _, k := range []string{"login", "username", "preferred_username"} {
			if v := str(m, k); v != "" && v != id.Email {
				id.Name = v
				break
			}
		}
	}
	return id
}

// unwrap reaches the user inside the wrappers of X v2 ({"data":{...}}),
// VK and Mail.ru ({"response":[{...}]}), OneDrive's drive
// ({"owner":{"user":{...}}}), and lifts the answers of the portal's own
// identity calls into plain fields: LinkedIn's v2 profile
// (localizedFirstName) and e-mail ({"elements":[{"handle~":{...}}]}),
// and Google's People API (names and emailAddresses lists).
func unwrap(m map[string]any) map[string]any {
	if d, ok := m["data"].(map[string]any); ok {
		m = d
	}
	if u, ok := firstOf(m["response"]); ok {
		m = u
	}
	if o, ok := m["owner"].(map[string]any); ok {
		if u, ok := o["user"].(map[string]any); ok {
			m = u
		}
	}
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	if e, ok := firstOf(m["elements"]); ok {
		if h, ok := e["handle~"].(map[string]any); ok {
			out["email"] = h["emailAddress"]
		}
	}
	if n := join(str(m, "localizedFirstName"), str(m, "localizedLastName")); n != "" {
		out["name"] = n
	}
	if n, ok := firstOf(m["names"]); ok {
		out["name"] = n["displayName"]
	}
	if e, ok := firstOf(m["emailAddresses"]); ok {
		out["email"] = e["value"]
	}
	if r := str(m, "resourceName"); r != "" {
		out["id"] = strings.TrimPrefix(r, "people/")
	}
	return out
}

// firstOf returns the primary entry of a list of objects (the one whose
// metadata says primary), else its first.
func firstOf(v any) (map[string]any, bool) {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return nil, false
	}
	for _, e := range list {
		if e, ok := e.(map[string]any); ok {
			if md, ok := e["metadata"].(map[string]any); ok && md["primary"] == true {
				return e, true
			}
		}
	}
	e, ok := list[0].(map[string]any)
	return e, ok
}

func str(m map[string]any, k string) string {
	switch v := m[k].(type) {
	case string:
		return strings.TrimSpace(v)
	case json.Number:
		return v.String()
	}
	return ""
}

func nested(m map[string]any, k, sub string) string {
	if n, ok := m[k].(map[string]any); ok {
		return str(n, sub)
	}
	return ""
}

func first(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func join(a, b string) string { return strings.TrimSpace(a + " " + b) }

func emailLike(s string) string {
	if strings.Contains(s, "@") {
		return s
	}
	return ""
}

// firstEmail reads Bitly-style "emails": a list of strings or of
// {"email":..., "is_primary":...}, primary first.
func firstEmail(v any) string {
	list, ok := v.([]any)
	if !ok {
		return ""
	}
	var firstSeen string
	for _, e := range list {
		switch e := e.(type) {
		case string:
			firstSeen = first(firstSeen, e)
		case map[string]any:
			if p, _ := e["is_primary"].(bool); p && str(e, "email") != "" {
				return str(e, "email")
			}
			firstSeen = first(firstSeen, str(e, "email"))
		}
	}
	return firstSeen
}

// grantedScopes reads the token answer's "scope" (space- or
// comma-separated, or a list).
func grantedScopes(tok *oauth2.Token) []string {
	switch v := tok.Extra("scope").(type) {
	case string:
		return strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' })
	case []any:
		var out []string
		for _, s := range v {
			if s, ok := s.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// missingScopes warns about the scopes the portal will ask for that this
// test did not prove.
func missingScopes(asked, portal, granted []string) []string {
	have := map[string]bool{}
	for _, s := range granted {
		have[s] = true
	}
	if len(granted) == 0 {
		for _, s := range asked {
			have[s] = true
		}
	}
	var missing []string
	for _, s := range portal {
		if !have[s] {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	what := "granted"
	if len(granted) == 0 {
		what = "asked for"
	}
	return []string{"The portal also asks for " + strings.Join(missing, ", ") + ", which this test sign-in was not " + what + ": make sure the app is allowed to request them (console permissions or consent screen)."}
}

// providerNotes are the warnings a provider's own rules call for, where
// the test cannot see the setting directly.
func (f *flow) providerNotes(tok *oauth2.Token, id wizard.Identity) []string {
	host := ""
	if u, err := url.Parse(f.o.AuthURL); err == nil {
		host = u.Hostname()
	}
	switch {
	case host == "accounts.google.com":
		if tok.RefreshToken == "" {
			return []string{`Google's publishing status cannot be seen from a test sign-in (no refresh token was issued): if the consent screen is in "Testing", only listed test users can sign in and refresh tokens expire after 7 days. Publish the app when it works.`}
		}
		return []string{`If the consent screen is in "Testing", refresh tokens expire after 7 days and only listed test users can sign in: publish the app when it works.`}
	case strings.HasSuffix(host, "facebook.com"):
		if id.Email == "" && slices.Contains(f.o.Scopes, "email") {
			return []string{`Facebook returned no e-mail address: the app is probably not Live yet, or the "email" permission is missing. Switch the app to Live and check its permissions, or only people with a role on the app can sign in.`}
		}
		return []string{"While the Facebook app is in Development mode, only people with a role on the app can sign in: switch it to Live when it works."}
	}
	return nil
}

// revoke ends the test grant (RFC 7009): the refresh token where one was
// issued (which ends the whole grant at most providers), else the access
// token, with the client authenticated as at the token endpoint.
func (f *flow) revoke(ctx context.Context, tok *oauth2.Token) error {
	if rpcStyle(f.cfg.revokeURL) {
		return f.revokeRPC(ctx, tok)
	}
	t, hint := tok.RefreshToken, "refresh_token"
	if t == "" {
		t, hint = tok.AccessToken, "access_token"
	}
	form := url.Values{"token": {t}, "token_type_hint": {hint}}
	if u, err := url.Parse(f.cfg.revokeURL); err == nil && strings.HasPrefix(u.Hostname(), "oauth.yandex.") {
		// Yandex's revoke_token takes the access token under its own name.
		form = url.Values{"access_token": {tok.AccessToken}}
	}
	if f.cfg.Endpoint.AuthStyle != oauth2.AuthStyleInHeader {
		form.Set("client_id", f.cfg.ClientID)
		if f.cfg.ClientSecret != "" {
			form.Set("client_secret", f.cfg.ClientSecret)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.cfg.revokeURL, strings.NewReader(form.Encode()))
	if err != nil {
		return errors.New("bad revocation URL")
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if f.cfg.Endpoint.AuthStyle == oauth2.AuthStyleInHeader {
		req.SetBasicAuth(url.QueryEscape(f.cfg.ClientID), url.QueryEscape(f.cfg.ClientSecret))
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return redact(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}

// revokeRPC ends the grant the Dropbox API v2 way: POST with the access
// token as Bearer and no body (auth/token/revoke).
func (f *flow) revokeRPC(ctx context.Context, tok *oauth2.Token) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.cfg.revokeURL, nil)
	if err != nil {
		return errors.New("bad revocation URL")
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := f.client.Do(req)
	if err != nil {
		return redact(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}
