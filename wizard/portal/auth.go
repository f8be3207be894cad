package portal

import (
	"context"
	"errors"
	"fmt"
	"keywizard/wizard"
	"net/http"
	"net/url"
	"strings"
	"time"

	"keywizard/wizard/outside"
)

// Session is what signing in yields. The token is a secret: keep it in the
// secret store only.
type Session = wizard.PortalSession

// Session returns the current session.
func (c *Client) Session() Session { return c.session }

// SetSession uses a session from an earlier sign-in.
func (c *Client) SetSession(s Session) { c.session = s }

// Sign-in errors callers branch on.
var (
	ErrWrongPassword   = errors.New("the portal refused the e-mail or password")
	ErrTooManyAttempts = errors.New("the portal blocked sign-in after too many attempts: wait a minute, then try again")
	ErrWrongCode       = wizard.ErrWrongCode
	ErrAPIKeyNotAdmin  = errors.New("the portal accepted the API key but may not let it change the authorization keys: use a key of the owner or an administrator, with access to all settings")
	ErrBadAPIKey       = errors.New("the portal refused the API key: check it in DocSpace > Developer Tools > API keys, and that it has not expired")
	ErrUserDisabled    = errors.New("the portal refused sign-in: the account is disabled or not allowed from this address")
)

// CodeKind is the kind of two-factor step the portal asks for.
type CodeKind = wizard.CodeKind

// Two-factor kinds.
const (
	CodeApp        = wizard.CodeApp
	CodeSMS        = wizard.CodeSMS
	CodeAppSetup   = wizard.CodeAppSetup
	CodePhoneSetup = wizard.CodePhoneSetup
)

// ErrCodeRequired is returned by Login when the account has two-factor
// authentication: sign in again with LoginCode.
type ErrCodeRequired = wizard.ErrCodeRequired

// tokenData is AuthenticationTokenData (Workspace) / AuthenticationTokenDto
// (DocSpace).
type tokenData struct {
	Token      string `json:"token"`
	Expires    string `json:"expires"`
	SMS        bool   `json:"sms"`
	PhoneNoise string `json:"phoneNoise"`
	TFA        bool   `json:"tfa"`
	TFAKey     string `json:"tfaKey"`
}

type credentials struct {
	UserName string `json:"userName"`
	Password string `json:"password"`
	Code     string `json:"code,omitempty"` // DocSpace reads the code from the body
}

// Login signs in with e-mail and password. When the account has two-factor
// authentication it returns *ErrCodeRequired; then call LoginCode.
func (c *Client) Login(ctx context.Context, user, password string) error {
	if err := c.ensureInfo(ctx); err != nil {
		return err
	}
	return c.authenticate(ctx, "api/2.0/authentication", credentials{UserName: user, Password: password}, false)
}

// LoginCode finishes a two-factor sign-in with the code from the app or the
// SMS: POST api/2.0/authentication/{code} with the same body (DocSpace also
// wants the code in the body).
func (c *Client) LoginCode(ctx context.Context, user, password, code string) error {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if code == "" || strings.Trim(code, "0123456789") != "" {
		return errors.New("a two-factor code is made of digits, usually 6")
	}
	if err := c.ensureInfo(ctx); err != nil {
		return err
	}
	body := credentials{UserName: user, Password: password}
	if c.info.Product == DocSpace {
		body.Code = code
	}
	return c.authenticate(ctx, "api/2.0/authentication/"+url.PathEscape(code), body, true)
}

// LoginWithCode signs in when the admin already has a two-factor code (the
// command line's --code): it sends the code straight away (POST
// api/2.0/authentication/{code}), which sends no new SMS. When the portal
// refuses, it signs in without the code to tell a wrong password from a
// wrong code, and to accept an account that has no two-factor
// authentication at all (the code was not needed).
func (c *Client) LoginWithCode(ctx context.Context, user, password, code string) error {
	err := c.LoginCode(ctx, user, password, code)
	if err == nil || errors.Is(err, ErrUnreachable) || errors.Is(err, ErrTooManyAttempts) || errors.Is(err, ErrPortalFailed) || errors.Is(err, context.Canceled) {
		return err
	}
	if strings.Trim(strings.ReplaceAll(strings.TrimSpace(code), " ", ""), "0123456789") != "" {
		return err // not a code at all: nothing was sent
	}
	plain := c.Login(ctx, user, password)
	var need *ErrCodeRequired
	switch {
	case plain == nil:
		return nil
	case errors.As(plain, &need):
		if need.NeedsBrowser() {
			return need
		}
		if need.Kind == CodeSMS && errors.Is(err, ErrWrongCode) {
			return fmt.Errorf("%w; %s: use that one", err, need.Error())
		}
		return err
	}
	return plain
}

// LoginAPIKey uses a DocSpace API key as the session (sent as "Bearer
// <key>") and checks it with the call a push needs anyway, GET
// api/2.0/settings/authservice: 401 means the key is wrong or expired, 403
// that its account (or its scope) may not change the authorization keys.
// Workspace has no API keys.
func (c *Client) LoginAPIKey(ctx context.Context, key string) error {
	key = strings.TrimSpace(key)
	if key == "" {
		return errors.New("the API key is empty")
	}
	if err := c.ensureInfo(ctx); err != nil {
		return err
	}
	if c.info.Product != DocSpace {
		return errors.New("API keys exist only in DocSpace: sign in to Workspace with an e-mail and password")
	}
	prev := c.session
	c.session = Session{Token: key, APIKey: true}
	res, err := c.do(ctx, request{method: http.MethodGet, path: authServicePath})
	if err != nil {
		c.session = prev
		return err
	}
	if !res.ok() {
		c.session = prev
		switch res.status {
		case http.StatusUnauthorized:
			return ErrBadAPIKey
		case http.StatusForbidden:
			return ErrAPIKeyNotAdmin
		}
		return res.httpError("check the API key")
	}
	return nil
}

// CheckSession makes a cheap authenticated call and returns ErrNotSignedIn
// when the portal refuses the session. DocSpace: GET
// api/2.0/settings/authservice (403 means the account is not an
// administrator: ErrNotAdmin). Workspace: its keys page, which sends a
// visitor without a valid asc_auth_key cookie elsewhere.
func (c *Client) CheckSession(ctx context.Context) error {
	if c.session.Token == "" {
		return ErrNotSignedIn
	}
	if err := c.ensureInfo(ctx); err != nil {
		return err
	}
	if c.info.Product != DocSpace {
		_, err := c.readWorkspace(ctx)
		return err
	}
	res, err := c.do(ctx, request{method: http.MethodGet, path: authServicePath})
	if err != nil {
		return err
	}
	switch {
	case res.ok():
		return nil
	case res.status == http.StatusUnauthorized:
		return ErrNotSignedIn
	case res.status == http.StatusForbidden:
		return ErrNotAdmin
	}
	return res.httpError("check the session")
}

func (c *Client) ensureInfo(ctx context.Context) error {
	if c.info.Product != "" {
		return nil
	}
	_, err := c.Detect(ctx)
	return err
}

func (c *Client) authenticate(ctx context.Context, path string, body credentials, withCode bool) error {
	res, err := c.do(ctx, request{method: http.MethodPost, path: path, body: body, anonymous: true, secrets: []string{body.Password}})
	if err != nil {
		return err
	}
	if !res.ok() {
		return loginError(res, withCode)
	}
	var td tokenData
	if err := res.decode(&td); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	if td.Token == "" {
		if !td.TFA && !td.SMS {
			return fmt.Errorf("sign in: %w: it answered without a token", ErrPortalFailed)
		}
		if withCode {
			return ErrWrongCode
		}
		return codeRequired(td)
	}
	s := Session{Token: td.Token}
	if t, err := parseExpiry(td.Expires); err == nil {
		s.Expires = t
	}
	c.session = s
	return nil
}

func codeRequired(td tokenData) *ErrCodeRequired {
	// The authenticator's setup key (tfaKey) only tells that the app is not
	// set up yet: it is a secret seed and is kept nowhere.
	e := &ErrCodeRequired{Kind: CodeApp, PhoneNoise: outside.Name(td.PhoneNoise)}
	switch {
	case td.SMS && td.PhoneNoise == "":
		e.Kind = CodePhoneSetup
	case td.SMS:
		e.Kind = CodeSMS
	case td.TFAKey != "":
		e.Kind = CodeAppSetup
	}
	return e
}

// loginError maps the products' answers: DocSpace 401 wrong password, 403
// too many attempts or disabled, 404 unknown user; Workspace 500 for all of
// them, told apart by the message.
func loginError(res *response, withCode bool) error {
	msg := strings.ToLower(res.message())
	switch {
	case strings.Contains(msg, "too many"):
		return ErrTooManyAttempts
	case res.status == http.StatusUnauthorized,
		strings.Contains(msg, "authentication failed"),
		strings.Contains(msg, "could not be found"),
		strings.Contains(msg, "user not found"):
		if withCode {
			return ErrWrongCode
		}
		return ErrWrongPassword
	case res.status == http.StatusNotFound && msg == "":
		return errors.New("sign in: the portal has no sign-in API at this address: check the URL")
	case res.status == http.StatusForbidden:
		return ErrUserDisabled
	case res.status >= 500 && msg != "":
		// Workspace answers every refusal with 500 and a message.
		return fmt.Errorf("sign in: the portal refused: %s", res.message())
	}
	return res.httpError("sign in")
}

// parseExpiry reads the portal's expiry, which comes with an offset and
// seven fractional digits ("2010-07-07T17:06:03.5845502+03:00").
func parseExpiry(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable expiry %q", s)
}
