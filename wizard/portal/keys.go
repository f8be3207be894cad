package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"keywizard/wizard"
	"net/http"
	"strings"

	"keywizard/providers"
	"keywizard/wizard/outside"
	"keywizard/wizard/redact"
)

// State is one service's keys as the portal holds them.
type State struct {
	Name    string            `json:"name"`    // consumer name as the portal lists it
	Offered bool              `json:"offered"` // the portal lists the service
	CanSet  bool              `json:"can_set"` // false: keys fixed in the server's configuration
	Values  map[string]string `json:"-"`       // prop key to value, "" when empty
	// Inexact lists props whose value could only be read approximately
	// (Workspace prints values unencoded, so a value with a quote cannot be
	// delimited with certainty). Compare them with Fingerprint.
	Inexact map[string]bool `json:"-"`
}

// IsSet reports whether any prop holds a value (the portal's switch is on).
func (s State) IsSet() bool {
	for _, v := range s.Values {
		if v != "" {
			return true
		}
	}
	return false
}

// Errors of reading and saving keys.
var (
	// ErrBadKeys means the portal checked the keys, found them wrong and
	// cleared the service (Bitly, Telegram, Twilio, SMSC).
	ErrBadKeys = errors.New(`the portal checked the keys, found them wrong ("Bad keys") and disconnected the service`)
	// ErrNotAdmin means the account may not change portal settings.
	ErrNotAdmin = wizard.ErrNotAdmin
)

// ReadAll reads every service the portal lists, keyed by the lowercase
// consumer name.
func (c *Client) ReadAll(ctx context.Context) (map[string]State, error) {
	if err := c.ensureInfo(ctx); err != nil {
		return nil, err
	}
	if c.session.Token == "" {
		return nil, ErrNotSignedIn
	}
	if c.info.Product == DocSpace {
		return c.readDocSpace(ctx)
	}
	return c.readWorkspace(ctx)
}

// Read returns the state of one consumer; Offered is false when the portal
// does not list it.
func (c *Client) Read(ctx context.Context, cons *providers.Consumer) (State, error) {
	all, err := c.ReadAll(ctx)
	if err != nil {
		return State{}, err
	}
	return all[strings.ToLower(cons.Name)], nil
}

type dsConsumer struct {
	Name   string `json:"name"`
	CanSet bool   `json:"canSet"`
	Props  []struct {
		Name  string  `json:"name"`
		Value *string `json:"value"`
	} `json:"props"`
}

// authServicePath is DocSpace's authorization keys endpoint (GET lists,
// POST saves).
const authServicePath = "api/2.0/settings/authservice"

func (c *Client) readDocSpace(ctx context.Context) (map[string]State, error) {
	res, err := c.do(ctx, request{method: http.MethodGet, path: authServicePath})
	if err != nil {
		return nil, err
	}
	if err := docSpaceError(res, "", "read the keys"); err != nil {
		return nil, err
	}
	var list []dsConsumer
	if err := res.decode(&list); err != nil {
		return nil, fmt.Errorf("read the keys: %w", err)
	}
	out := make(map[string]State, len(list))
	for _, dc := range list {
		s := State{Name: dc.Name, Offered: true, CanSet: dc.CanSet, Values: map[string]string{}}
		for _, p := range dc.Props {
			if p.Value != nil {
				s.Values[p.Name] = *p.Value
			} else {
				s.Values[p.Name] = ""
			}
		}
		out[strings.ToLower(dc.Name)] = s
	}
	return out, nil
}

// keysPage is the Workspace settings page of the authorization keys
// (ManagementType.ThirdPartyAuthorization = 9).
const keysPage = "Management.aspx?type=9"

func (c *Client) readWorkspace(ctx context.Context) (map[string]State, error) {
	res, err := c.do(ctx, request{method: http.MethodGet, path: keysPage, cookie: true, header: map[string]string{"Accept": "text/html"}})
	if err != nil {
		return nil, err
	}
	switch {
	case res.status >= 300 && res.status < 400:
		return nil, fmt.Errorf("read the keys: the portal sent the settings page elsewhere: %w (or the account is not an administrator)", ErrNotSignedIn)
	case res.status == http.StatusUnauthorized || res.status == http.StatusForbidden:
		return nil, fmt.Errorf("read the keys: %w (or the account is not an administrator)", ErrNotSignedIn)
	case !res.ok():
		return nil, res.httpError("read the keys")
	}
	states := ParseKeysPage(string(res.body))
	if len(states) == 0 {
		if isLoginPage(res.body) {
			return nil, fmt.Errorf("read the keys: the portal showed its sign-in page: %w", ErrNotSignedIn)
		}
		return nil, errors.New("read the keys: the settings page lists no services: the account may not be an administrator, or the page changed in this Workspace version")
	}
	return states, nil
}

// isLoginPage reports whether a Workspace page is the sign-in form a
// visitor without a session is shown.
func isLoginPage(page []byte) bool {
	p := strings.ToLower(string(page))
	return strings.Contains(p, `type="password"`) && !strings.Contains(p, "switcherbtn")
}

// Prop is one value to send.
type Prop struct {
	Name     string
	Value    string
	Optional bool
}

// save sends one service's props. Any error other than a clean refusal
// leaves the portal in an unknown state; callers read back.
func (c *Client) save(ctx context.Context, cons *providers.Consumer, props []Prop) (bool, error) {
	if c.info.Product == DocSpace {
		return c.saveDocSpace(ctx, cons, props)
	}
	return c.saveWorkspace(ctx, cons, props)
}

type dsProp struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type dsSave struct {
	Name  string   `json:"name"`
	Props []dsProp `json:"props"`
}

func (c *Client) saveDocSpace(ctx context.Context, cons *providers.Consumer, props []Prop) (bool, error) {
	// DocSpace looks the consumer up by its case-sensitive lowercase key
	// ("appleid", although GET lists "appleID").
	body := dsSave{Name: strings.ToLower(cons.Name), Props: make([]dsProp, len(props))}
	for i, p := range props {
		body.Props[i] = dsProp{Name: p.Name, Value: p.Value}
	}
	res, err := c.do(ctx, request{method: http.MethodPost, path: authServicePath, body: body, secrets: propValues(props)})
	if err != nil {
		return false, err
	}
	if problem := validationProblem(res, props); problem != "" {
		return false, errors.New(redact.Text(problem, res.sent...))
	}
	if err := docSpaceError(res, cons.Name, "save"); err != nil {
		return false, err
	}
	// {"response":true|false}: whether anything changed. The read-back
	// is what counts, so an answer without the flag is still a success.
	var changed bool
	if res.decode(&changed) != nil {
		changed = true
	}
	return changed, nil
}

// docSpaceError maps DocSpace's status codes to advice; nil for a success.
func docSpaceError(res *response, consumer, what string) error {
	if res.ok() {
		return nil
	}
	msg := res.message()
	switch res.status {
	case http.StatusBadRequest:
		if strings.EqualFold(msg, "Bad keys") {
			return ErrBadKeys
		}
		if msg != "" {
			return fmt.Errorf("the portal refused the keys: %s", msg)
		}
		return errors.New("the portal refused the keys as invalid (HTTP 400)")
	case http.StatusUnauthorized:
		return ErrNotSignedIn
	case http.StatusPaymentRequired:
		return errors.New("the portal's pricing plan does not include this service (storage services need the third-party quota on DocSpace Cloud)")
	case http.StatusForbidden:
		if consumer != "" {
			return fmt.Errorf("the portal refused: %s's keys are fixed in the server's configuration, or the account is not the owner or an administrator", consumer)
		}
		return ErrNotAdmin
	case http.StatusNotFound:
		return errors.New("the portal has no authorization keys API at this address (HTTP 404): is it DocSpace?")
	}
	return res.httpError(what)
}

// validationProblem reads ASP.NET's ValidationProblemDetails, which DocSpace
// wraps in a 200-looking envelope with statusCode 400.
func validationProblem(res *response, props []Prop) string {
	var env struct {
		Response struct {
			Title  string              `json:"title"`
			Errors map[string][]string `json:"errors"`
		} `json:"response"`
		StatusCode int `json:"statusCode"`
	}
	if json.Unmarshal(res.body, &env) != nil || env.StatusCode != http.StatusBadRequest ||
		len(env.Response.Errors) == 0 && env.Response.Title == "" {
		return ""
	}
	return describeValidation(env.Response.Title, env.Response.Errors, props)
}

func describeValidation(title string, errs map[string][]string, props []Prop) string {
	var parts []string
	for key, msgs := range errs {
		name := key
		var i int
		if _, err := fmt.Sscanf(strings.ToLower(key), "props[%d].value", &i); err == nil && i >= 0 && i < len(props) {
			name = props[i].Name
		}
		parts = append(parts, name+": "+strings.Join(msgs, " "))
	}
	if len(parts) == 0 {
		if title == "" {
			title = "invalid request"
		}
		return "the portal refused the keys: " + title
	}
	return "the portal refused the keys: " + strings.Join(parts, "; ")
}

// ajaxURL is where the Workspace settings page posts the keys. The class
// and assembly names are matched case-sensitively by the server.
const ajaxURL = "ajaxpro/ASC.Web.Studio.UserControls.Management.AuthorizationKeys,ASC.Web.Studio.ashx"

// wsProp is AuthKey: AjaxPro binds these keys case-sensitively, and
// lowercase ones arrive empty, which makes the server clear the service.
type wsProp struct {
	Name       string `json:"Name"`
	Value      string `json:"Value"`
	IsOptional bool   `json:"IsOptional,omitempty"`
}

type wsSave struct {
	Name  string   `json:"name"`
	Props []wsProp `json:"props"`
}

type ajaxAnswer struct {
	Value *bool `json:"value"`
	Error *struct {
		Message string `json:"Message"`
		Type    string `json:"Type"`
	} `json:"error"`
}

func (c *Client) saveWorkspace(ctx context.Context, cons *providers.Consumer, props []Prop) (bool, error) {
	body := wsSave{Name: cons.Name, Props: make([]wsProp, len(props))}
	for i, p := range props {
		body.Props[i] = wsProp{Name: p.Name, Value: p.Value, IsOptional: p.Optional && p.Value == ""}
	}
	data, err := json.Marshal(body)
	if err != nil {
		return false, err
	}
	res, err := c.do(ctx, request{
		method: http.MethodPost, path: ajaxURL, body: data, cookie: true, secrets: propValues(props),
		header: map[string]string{"X-AjaxPro-Method": "SaveAuthKeys", "Content-Type": "text/plain; charset=utf-8"},
	})
	if err != nil {
		return false, err
	}
	switch {
	case res.status >= 500:
		// A wrong class or method name also gives an ASP.NET error page,
		// but those are fixed here; a 5xx is the server failing.
		return false, fmt.Errorf("save: %w (HTTP %d instead of the settings handler's answer)", ErrPortalFailed, res.status)
	case res.status >= 300 && res.status < 400, res.status == http.StatusUnauthorized:
		return false, fmt.Errorf("save: %w", ErrNotSignedIn)
	case res.status != http.StatusOK:
		// AjaxPro answers 200 even for errors; the browser page treats
		// anything else as a failed connection.
		return false, fmt.Errorf("save: the portal answered HTTP %d instead of the settings handler's answer", res.status)
	}
	var ans ajaxAnswer
	if json.Unmarshal(res.body, &ans) != nil || (ans.Value == nil && ans.Error == nil) {
		return false, fmt.Errorf("save: %w: the answer is not the settings handler's JSON", ErrPortalFailed)
	}
	if ans.Error != nil {
		return false, ajaxError(outside.Text(redact.Text(ans.Error.Message, res.sent...)), outside.Name(redact.Text(ans.Error.Type, res.sent...)), cons.Name)
	}
	return *ans.Value, nil
}

// propValues are the values a save sends, which no message may quote.
func propValues(props []Prop) []string {
	out := make([]string, len(props))
	for i, p := range props {
		out[i] = p.Value
	}
	return out
}

// ajaxError maps the AjaxPro error body, which always comes with HTTP 200.
func ajaxError(msg, typ, consumer string) error {
	switch {
	case strings.EqualFold(msg, "Bad keys"):
		return ErrBadKeys
	case strings.HasSuffix(typ, "UnauthorizedAccessException"):
		return ErrNotSignedIn
	case strings.HasSuffix(typ, "AuthorizingException"), strings.HasSuffix(typ, "SecurityException"):
		return ErrNotAdmin
	case strings.HasSuffix(typ, "BillingException"):
		return errors.New("the portal's pricing plan does not support third-party keys")
	case strings.HasSuffix(typ, "NotSupportedException"), strings.Contains(msg, "Key for read only"):
		return fmt.Errorf("the portal refused: %s's keys are fixed in the server's configuration", consumer)
	case strings.Contains(msg, "fill in all fields"):
		return errors.New(`the portal refused: "Please fill in all fields" (a required key is empty)`)
	}
	if msg == "" {
		msg = typ
	}
	return fmt.Errorf("the portal refused the keys: %s", msg)
}
