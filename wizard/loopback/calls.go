package loopback

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"golang.org/x/oauth2"

	"keywizard/wizard"
	redactor "keywizard/wizard/redact"
)

// authorizer puts the credentials of the signed-in user on one identity
// call: a bearer token, the token in the query, or an OAuth 1.0a
// signature.
type authorizer func(req *http.Request, c idCall) error

// bearer authorizes calls with an OAuth 2.0 access token, the way each
// call asks for it.
func bearer(tok *oauth2.Token) authorizer {
	return func(req *http.Request, c idCall) error {
		switch c.auth {
		case "oauth":
			req.Header.Set("Authorization", "OAuth "+tok.AccessToken)
		case "query":
			q := req.URL.Query()
			q.Set(c.param, tok.AccessToken)
			req.URL.RawQuery = q.Encode()
		default:
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		}
		return nil
	}
}

// identity makes the identity calls in order and reads who signed in from
// their answers. A refused call of the portal's own flow is an error: the
// portal's sign-in stops at that call. A refused read of Keywizard's own
// is a warning: the exchange already proved the keys.
func (f *flow) identity(ctx context.Context, auth authorizer, secrets ...string) (wizard.Identity, []string, error) {
	var id wizard.Identity
	var warns []string
	for _, c := range f.cfg.calls {
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		m, err := f.get(cctx, c, auth, secrets)
		cancel()
		if err != nil {
			var pe *ProviderError
			if !c.own && errors.As(err, &pe) {
				return id, warns, err
			}
			if !c.own {
				return id, warns, fmt.Errorf("%w: %s: %v", ErrUnreachable, where(c.url), err)
			}
			warns = append(warns, "Could not read who signed in: "+err.Error()+".")
			continue
		}
		id = merge(id, parseIdentity(m))
	}
	return id, warns, nil
}

// get sends one identity call and decodes its JSON answer. A refusal is a
// *ProviderError of the "identity" stage naming the call.
func (f *flow) get(ctx context.Context, c idCall, auth authorizer, secrets []string) (map[string]any, error) {
	method := http.MethodGet
	if rpcStyle(c.url) {
		method = http.MethodPost
	}
	req, err := http.NewRequestWithContext(ctx, method, c.url, nil)
	if err != nil {
		return nil, errors.New("bad identity URL")
	}
	if err := auth(req, c); err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if req.URL.Hostname() == "api.mendeley.com" {
		// Mendeley negotiates its versioned media types.
		req.Header.Set("Accept", "application/vnd.mendeley-profiles.1+json, application/json;q=0.9")
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, redact(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, redact(err)
	}
	m, jsonErr := decodeObject(body)
	code, msg := answerError(m)
	if resp.StatusCode/100 != 2 || code != "" || msg != "" {
		// Its words may quote the token: scrubbed before the cut.
		pe := &ProviderError{Stage: "identity", Status: resp.StatusCode, url: c.url,
			Code: clip(redactor.Text(code, secrets...), 100), Description: clip(oneLine(redactor.Text(msg, secrets...)), 300)}
		if pe.Description == "" {
			pe.Description = where(c.url) + " answered HTTP " + fmt.Sprint(resp.StatusCode)
		}
		return nil, pe
	}
	if jsonErr != nil {
		return nil, errors.New("the identity endpoint did not answer with a JSON object")
	}
	return m, nil
}

func decodeObject(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	switch v := v.(type) {
	case map[string]any:
		return v, nil
	case []any:
		// Mail.ru's users.getInfo answers with a list of users.
		return map[string]any{"response": v}, nil
	}
	return nil, errors.New("not an object")
}

// answerError reads the error shapes identity endpoints answer with:
// {"error":{"message"|"error_msg":...}} (Google, VK, Facebook),
// {"message":..,"serviceErrorCode":..} (LinkedIn), {"errors":[{...}]} (X).
func answerError(m map[string]any) (code, msg string) {
	if e, ok := m["error"].(map[string]any); ok {
		return first(str(e, "status"), str(e, "type"), str(e, "error_code"), str(e, "code")), first(str(e, "message"), str(e, "error_msg"))
	}
	if e, ok := m["error"].(string); ok && e != "" {
		return e, str(m, "error_description")
	}
	if list, ok := m["errors"].([]any); ok && len(list) > 0 {
		if e, ok := list[0].(map[string]any); ok {
			return str(e, "code"), str(e, "message")
		}
	}
	if c := str(m, "serviceErrorCode"); c != "" {
		return c, str(m, "message")
	}
	return "", ""
}

// merge fills the fields a first answer left empty from a later one.
func merge(a, b wizard.Identity) wizard.Identity {
	a.Name, a.Email, a.ID = first(a.Name, b.Name), first(a.Email, b.Email), first(a.ID, b.ID)
	return a
}
