package loopback

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"keywizard/wizard"
	redactor "keywizard/wizard/redact"
)

// OAuth 1.0a (RFC 5849) with HMAC-SHA1 signatures, as X's portal sign-in
// uses it: a temporary token with the loopback oauth_callback, the
// authorize page, then the access token for the verifier.

// signer signs requests for a consumer and, once known, a token.
type signer struct {
	consumerKey, consumerSecret string
	token, tokenSecret          string
	// now and nonce are replaced in tests to reproduce RFC 5849's
	// examples.
	now   func() time.Time
	nonce func() string
}

// sign adds the Authorization header (RFC 5849 3.5.1) to req, whose form
// body (if any) is given as form; extra are protocol parameters such as
// oauth_callback and oauth_verifier.
func (s signer) sign(req *http.Request, form url.Values, extra map[string]string) {
	p := map[string]string{
		"oauth_consumer_key":     s.consumerKey,
		"oauth_signature_method": "HMAC-SHA1",
		"oauth_timestamp":        strconv.FormatInt(s.clock().Unix(), 10),
		"oauth_nonce":            s.makeNonce(),
		"oauth_version":          "1.0",
	}
	if s.token != "" {
		p["oauth_token"] = s.token
	}
	for k, v := range extra {
		p[k] = v
	}
	p["oauth_signature"] = s.signature(req.Method, req.URL, form, p)
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = percent(k) + `="` + percent(p[k]) + `"`
	}
	req.Header.Set("Authorization", "OAuth "+strings.Join(parts, ", "))
}

func (s signer) clock() time.Time {
	if s.now != nil {
		return s.now()
	}
	return time.Now()
}

func (s signer) makeNonce() string {
	if s.nonce != nil {
		return s.nonce()
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// signature is HMAC-SHA1 over the signature base string (RFC 5849 3.4.1,
// 3.4.2), keyed with both secrets.
func (s signer) signature(method string, u *url.URL, form url.Values, oauth map[string]string) string {
	mac := hmac.New(sha1.New, []byte(percent(s.consumerSecret)+"&"+percent(s.tokenSecret)))
	mac.Write([]byte(baseString(method, u, form, oauth)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// baseString is RFC 5849 3.4.1.1: method, base URI and the normalized
// parameters (query, form body and protocol parameters, realm and the
// signature left out), each percent-encoded.
func baseString(method string, u *url.URL, form url.Values, oauth map[string]string) string {
	type pair struct{ k, v string }
	var ps []pair
	for k, vs := range u.Query() {
		for _, v := range vs {
			ps = append(ps, pair{percent(k), percent(v)})
		}
	}
	for k, vs := range form {
		for _, v := range vs {
			ps = append(ps, pair{percent(k), percent(v)})
		}
	}
	for k, v := range oauth {
		if k != "oauth_signature" && k != "realm" {
			ps = append(ps, pair{percent(k), percent(v)})
		}
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].k != ps[j].k {
			return ps[i].k < ps[j].k
		}
		return ps[i].v < ps[j].v
	})
	norm := make([]string, len(ps))
	for i, p := range ps {
		norm[i] = p.k + "=" + p.v
	}
	return strings.ToUpper(method) + "&" + percent(baseURI(u)) + "&" + percent(strings.Join(norm, "&"))
}

// baseURI is RFC 5849 3.4.1.2: lower-case scheme and host, the port only
// when it is not the scheme's default, the path, no query.
func baseURI(u *url.URL) string {
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname())
	if port := u.Port(); port != "" && !(scheme == "http" && port == "80") && !(scheme == "https" && port == "443") {
		host += ":" + port
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return scheme + "://" + host + path
}

// percent is RFC 5849 3.6: every byte but ALPHA, DIGIT, "-", ".", "_"
// and "~" as %XX with upper-case hex digits.
func percent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// oauth1Post sends a signed POST and reads the form-encoded answer.
func (f *flow) oauth1Post(ctx context.Context, s signer, endpoint string, extra map[string]string, stage string) (url.Values, error) {
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, http.MethodPost, endpoint, nil)
	if err != nil {
		return nil, errors.New("bad OAuth 1.0a endpoint")
	}
	s.sign(req, nil, extra)
	resp, err := f.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w: %v", ErrCanceled, ctx.Err())
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreachable, where(endpoint), redact(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreachable, where(endpoint), redact(err))
	}
	secrets := []string{s.consumerSecret, s.token, s.tokenSecret, extra["oauth_verifier"]}
	if resp.StatusCode/100 != 2 {
		pe := &ProviderError{Stage: stage, Status: resp.StatusCode}
		m, _ := decodeObject(body)
		pe.Code, pe.Description = answerError(m)
		if pe.Description == "" {
			pe.Code, pe.Description = plainError(body)
		}
		pe.Code, pe.Description = clip(redactor.Text(pe.Code, secrets...), 100), clip(redactor.Text(pe.Description, secrets...), 300)
		return nil, pe
	}
	v, err := url.ParseQuery(string(body))
	if err != nil || v.Get("oauth_token") == "" {
		return nil, &ProviderError{Stage: stage, Status: resp.StatusCode, Description: "the answer carries no oauth_token"}
	}
	return v, nil
}

// plainError reads an OAuth 1.0a error that is not JSON: X's XML
// <errors><error code="415">...</error></errors>, or plain text.
func plainError(body []byte) (code, msg string) {
	text := strings.TrimSpace(string(body))
	if !strings.HasPrefix(text, "<") {
		return "", oneLine(text)
	}
	var doc struct {
		Errors []struct {
			Code string `xml:"code,attr"`
			Text string `xml:",chardata"`
		} `xml:"error"`
	}
	if xml.Unmarshal(body, &doc) != nil || len(doc.Errors) == 0 {
		return "", ""
	}
	return doc.Errors[0].Code, oneLine(doc.Errors[0].Text)
}

func (f *flow) consumer() signer {
	return signer{consumerKey: f.cfg.ClientID, consumerSecret: f.cfg.ClientSecret}
}

// requestToken asks for a temporary token with the loopback callback
// (RFC 5849 2.1) and returns the authorize page for it. The temporary
// token then stands in for the state: the answer must carry it back.
func (f *flow) requestToken(ctx context.Context) (string, error) {
	v, err := f.oauth1Post(ctx, f.consumer(), f.cfg.requestTokenURL, map[string]string{"oauth_callback": f.b.redirectURI}, "request token")
	if err != nil {
		return "", err
	}
	if v.Get("oauth_callback_confirmed") != "true" {
		return "", &ProviderError{Stage: "request token", Description: "the service did not confirm the callback (oauth_callback_confirmed)"}
	}
	f.mu.Lock()
	f.state, f.tempSecret = []byte(v.Get("oauth_token")), v.Get("oauth_token_secret")
	f.mu.Unlock()
	u, err := url.Parse(f.cfg.Endpoint.AuthURL)
	if err != nil {
		return "", errors.New("bad authorize URL")
	}
	q := u.Query()
	q.Set("oauth_token", v.Get("oauth_token"))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// readOAuth1 checks an OAuth 1.0a answer: the temporary token must be the
// one this sign-in obtained; "denied" means the user or X refused.
func readOAuth1(q url.Values, want []byte) answer {
	if d := q.Get("denied"); d != "" {
		if len(want) == 0 || !constantEqual(d, want) {
			return answer{err: ErrStateMismatch}
		}
		return answer{err: &ProviderError{Stage: "authorization", Code: "access_denied", Description: "the authorization was declined"}}
	}
	if len(want) == 0 || !constantEqual(q.Get("oauth_token"), want) {
		return answer{err: ErrStateMismatch}
	}
	if q.Get("oauth_verifier") == "" {
		return answer{err: &ProviderError{Stage: "authorization", Description: "the answer carries no oauth_verifier"}}
	}
	return answer{code: q.Get("oauth_verifier")}
}

// completeOAuth1 exchanges the verifier for the access token (RFC 5849
// 2.3), then makes the portal's identity calls signed with it.
func (f *flow) completeOAuth1(ctx context.Context, temp, verifier string) (wizard.SignInResult, error) {
	s := f.consumer()
	f.mu.Lock()
	s.token, s.tokenSecret = temp, f.tempSecret
	f.tempSecret = ""
	f.mu.Unlock()
	v, err := f.oauth1Post(ctx, s, f.cfg.Endpoint.TokenURL, map[string]string{"oauth_verifier": verifier}, "token")
	if err != nil {
		return f.failed(err, 0), err
	}
	s.token, s.tokenSecret = v.Get("oauth_token"), v.Get("oauth_token_secret")
	auth := func(req *http.Request, _ idCall) error {
		s.sign(req, nil, nil)
		return nil
	}
	id, warns, err := f.identity(ctx, auth, s.token, s.tokenSecret, s.consumerSecret)
	if err != nil {
		res := f.failed(err, 0)
		res.Warnings = append(res.Warnings, warns...)
		return res, err
	}
	id = merge(id, wizard.Identity{Name: v.Get("screen_name"), ID: v.Get("user_id")})
	res := wizard.SignInResult{OK: true, Warnings: append(warns,
		"OAuth 1.0a access tokens do not expire: Keywizard dropped the test token without storing it; to end the grant, remove the app from the account's connected apps.")}
	if id != (wizard.Identity{}) {
		res.Identity = &id
	}
	res.Message = signedInMessage(f.p.Title, id)
	return res, nil
}
