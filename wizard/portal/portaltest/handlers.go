package portaltest

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf16"
)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
	f := s.fault(r)
	s.mu.Unlock()
	if f != nil {
		s.strike(w, r, f, body)
		return
	}
	s.handle(w, r, body)
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request, body []byte) {
	p := r.URL.Path
	ds := s.cfg.Product == DocSpace
	switch {
	case p == "/api/2.0/settings/version/build" && r.Method == http.MethodGet:
		s.versionBuild(w)
	case (p == "/api/2.0/authentication" || p == "/api/2.0/authentication.json") && r.Method == http.MethodPost:
		s.authenticate(w, body, "")
	case strings.HasPrefix(p, "/api/2.0/authentication/") && r.Method == http.MethodPost:
		s.authenticate(w, body, strings.TrimSuffix(strings.TrimPrefix(p, "/api/2.0/authentication/"), ".json"))
	case p == "/api/2.0/capabilities" && r.Method == http.MethodGet:
		s.capabilities(w)
	case p == "/api/2.0/settings/authservice" && ds:
		s.authService(w, r, body)
	case p == "/api/2.0/settings/authservice" || strings.HasPrefix(p, "/api/"):
		s.apiError(w, http.StatusNotFound, "Method not found")
	case !ds && p == s.SavePath() && r.Method == http.MethodPost:
		s.ajaxSave(w, r, body)
	case !ds && strings.EqualFold(p, "/Management.aspx") && r.Method == http.MethodGet:
		s.keysPage(w, r)
	default:
		http.NotFound(w, r)
	}
}

// ok writes the API's success envelope.
func (s *Server) ok(w http.ResponseWriter, status int, v any) {
	env := map[string]any{"response": v, "status": 0, "statusCode": status, "count": 1}
	if list, isList := v.([]map[string]any); isList {
		env["count"] = len(list)
	}
	if s.cfg.Product == DocSpace {
		env["links"] = []map[string]string{{"href": "", "action": "GET"}}
	}
	writeJSON(w, status, env)
}

// apiError writes the API's error envelope; Workspace adds an hresult,
// DocSpace a type.
func (s *Server) apiError(w http.ResponseWriter, status int, msg string) {
	e := map[string]any{"message": msg}
	if s.cfg.Product == Workspace {
		e["hresult"] = -2146233087
	}
	writeJSON(w, status, map[string]any{"error": e, "status": 1, "statusCode": status})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) versionBuild(w http.ResponseWriter) {
	if s.cfg.Product == DocSpace {
		s.ok(w, http.StatusOK, map[string]string{"docSpace": s.cfg.Version, "documentServer": "9.0.3.1"})
		return
	}
	s.ok(w, http.StatusOK, map[string]string{"communityServer": s.cfg.Version, "documentServer": "8.3.3.22", "mailServer": "1.6.79"})
}

func (s *Server) capabilities(w http.ResponseWriter) {
	s.mu.Lock()
	providers := []string{}
	for _, c := range s.consumers {
		if c.login && c.enabled() {
			providers = append(providers, c.key)
		}
	}
	s.mu.Unlock()
	s.ok(w, http.StatusOK, map[string]any{"ldapEnabled": false, "oauthEnabled": true, "providers": providers, "ssoLabel": "", "ssoUrl": ""})
}

// restToken reads a REST call's token: the asc_auth_key cookie first, then
// the Authorization header (DocSpace strips "Bearer ", Workspace takes the
// header raw).
func (s *Server) restToken(r *http.Request) string {
	if c, err := r.Cookie("asc_auth_key"); err == nil && c.Value != "" {
		return c.Value
	}
	h := r.Header.Get("Authorization")
	if s.cfg.Product == DocSpace {
		h = strings.TrimPrefix(h, "Bearer ")
	}
	return h
}

func (s *Server) restAuthorized(r *http.Request) bool {
	return s.valid(s.restToken(r), true)
}

// cookieAuthorized is the web studio's check (pages and AjaxPro): the
// cookie only.
func (s *Server) cookieAuthorized(r *http.Request) bool {
	c, err := r.Cookie("asc_auth_key")
	return err == nil && s.valid(c.Value, false)
}

func (s *Server) valid(tok string, apiKeyOK bool) bool {
	if tok == "" {
		return false
	}
	if apiKeyOK && s.cfg.Product == DocSpace && tok == s.cfg.APIKey {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[tok]
	return ok && time.Now().Before(exp)
}

type authBody struct {
	UserName string `json:"userName"`
	Password string `json:"password"`
	Code     string `json:"code"`
}

// authenticate is AuthenticateMe, with and without a code.
func (s *Server) authenticate(w http.ResponseWriter, body []byte, urlCode string) {
	var in authBody
	_ = json.Unmarshal(body, &in)
	ds := s.cfg.Product == DocSpace
	user := strings.ToLower(in.UserName)
	s.mu.Lock()
	blocked := s.failures[user] >= s.cfg.MaxAttempts
	s.mu.Unlock()
	if blocked {
		if ds {
			s.apiError(w, http.StatusForbidden, "Too many login attempts. Please try again later")
		} else {
			s.apiError(w, http.StatusInternalServerError, "Login Fail. Too many attempts")
		}
		return
	}
	fail := func() {
		s.mu.Lock()
		s.failures[user]++
		s.mu.Unlock()
		if ds {
			s.apiError(w, http.StatusUnauthorized, "User authentication failed")
		} else {
			s.apiError(w, http.StatusInternalServerError, "User authentication failed")
		}
	}
	if !strings.EqualFold(in.UserName, s.cfg.User) {
		if ds {
			s.apiError(w, http.StatusNotFound, "The user could not be found")
			return
		}
		fail()
		return
	}
	if in.Password != s.cfg.Password {
		fail()
		return
	}
	status := http.StatusCreated
	if ds {
		status = http.StatusOK
	}
	if s.cfg.TwoFactor == NoTwoFactor {
		s.grant(w, user, status, nil)
		return
	}
	code := urlCode
	if ds && urlCode != "" {
		code = in.Code // DocSpace binds the code from the body
	}
	if urlCode == "" {
		s.ok(w, status, s.challenge())
		return
	}
	if code != s.cfg.Code {
		fail()
		return
	}
	extra := map[string]any{"tfa": true}
	if s.cfg.TwoFactor == SMS || s.cfg.TwoFactor == SMSNoPhone {
		extra = map[string]any{"sms": true, "phoneNoise": PhoneNoise}
	}
	s.grant(w, user, status, extra)
}

func (s *Server) challenge() map[string]any {
	ds := s.cfg.Product == DocSpace
	var out map[string]any
	switch s.cfg.TwoFactor {
	case SMS:
		out = map[string]any{"sms": true, "phoneNoise": PhoneNoise, "expires": expiry(time.Now().Add(10 * time.Minute))}
	case SMSNoPhone:
		out = map[string]any{"sms": true}
	case AppSetup:
		out = map[string]any{"tfa": true, "tfaKey": SetupKey}
	default:
		out = map[string]any{"tfa": true}
	}
	if ds {
		out["confirmUrl"] = "https://portal.example.com/confirm/TfaAuth?key=0"
	}
	return out
}

func (s *Server) grant(w http.ResponseWriter, user string, status int, extra map[string]any) {
	s.mu.Lock()
	s.failures[user] = 0
	tok := s.issue()
	exp := s.tokens[tok]
	s.mu.Unlock()
	out := map[string]any{"token": tok, "expires": expiry(exp)}
	for k, v := range extra {
		out[k] = v
	}
	s.ok(w, status, out)
}

// expiry formats like .NET's DateTime with offset and 7 fractional digits.
func expiry(t time.Time) string {
	return t.Format("2006-01-02T15:04:05.0000000-07:00")
}

// authService is DocSpace's GET and POST api/2.0/settings/authservice.
func (s *Server) authService(w http.ResponseWriter, r *http.Request, body []byte) {
	if !s.restAuthorized(r) {
		s.apiError(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	if s.cfg.NotAdmin {
		// EditPortalSettings: SecurityException, message forced.
		s.apiError(w, http.StatusForbidden, "Access denied")
		return
	}
	switch r.Method {
	case http.MethodGet:
		s.ok(w, http.StatusOK, s.listConsumers())
	case http.MethodPost:
		s.docSpaceSave(w, body)
	default:
		s.apiError(w, http.StatusNotFound, "Method not found")
	}
}

func (s *Server) listConsumers() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for _, c := range s.consumers {
		item := map[string]any{"name": c.name, "title": c.title, "description": "", "instruction": "", "canSet": c.canSet, "paid": c.paid, "props": nil}
		if c.canSet {
			props := []map[string]any{}
			for _, p := range c.props {
				props = append(props, map[string]any{"name": p, "value": c.values[p], "title": p, "type": "text", "options": nil, "dependsOn": nil, "dependsOnValue": nil})
			}
			item["props"] = props
		}
		out = append(out, item)
	}
	return out
}

type dsSaveBody struct {
	Name  string `json:"name"`
	Props []struct {
		Name  string  `json:"name"`
		Value *string `json:"value"`
	} `json:"props"`
}

// dsMissingValues finds props sent without a value, to emulate the
// required "value" ("Always send value": a missing one fails model
// validation). System.Text.Json matches member names case-insensitively in
// ASP.NET Core's web defaults.
func dsMissingValues(body []byte) map[string][]string {
	var raw struct {
		Props []map[string]json.RawMessage `json:"props"`
	}
	errs := map[string][]string{}
	if json.Unmarshal(body, &raw) != nil {
		return errs
	}
	for i, p := range raw.Props {
		found := false
		for k := range p {
			if strings.EqualFold(k, "value") {
				found = true
			}
		}
		if !found {
			errs[fmt.Sprintf("Props[%d].Value", i)] = []string{"The Value field is required."}
		}
	}
	return errs
}

// docSpaceSave is SettingsController.SaveAuthKeys: model validation
// (length), case-sensitive key lookup, clear when all empty, store changed
// values, validate and clear on "Bad keys".
func (s *Server) docSpaceSave(w http.ResponseWriter, body []byte) {
	var in dsSaveBody
	if err := json.Unmarshal(body, &in); err != nil {
		s.validation(w, map[string][]string{"inDto": {"The inDto field is required."}})
		return
	}
	if errs := dsMissingValues(body); len(errs) > 0 {
		s.validation(w, errs)
		return
	}
	if limit := s.lengthLimit(); limit > 0 {
		errs := map[string][]string{}
		for i, p := range in.Props {
			if p.Value != nil && len(utf16.Encode([]rune(*p.Value))) > limit {
				errs[fmt.Sprintf("Props[%d].Value", i)] = []string{fmt.Sprintf("The field Value must be a string with a maximum length of %d.", limit)}
			}
		}
		if len(errs) > 0 {
			s.validation(w, errs)
			return
		}
	}
	s.mu.Lock()
	var c *consumer
	for _, x := range s.consumers {
		if x.key == in.Name { // Autofac keyed lookup: exact
			c = x
		}
	}
	if c == nil || !c.canSet {
		s.mu.Unlock()
		s.apiError(w, http.StatusForbidden, "Access denied")
		return
	}
	if c.paid && s.cfg.NoThirdPartyQuota {
		s.mu.Unlock()
		s.apiError(w, http.StatusPaymentRequired, "Your pricing plan does not support this option")
		return
	}
	values := map[string]string{}
	for _, p := range in.Props {
		if p.Value != nil {
			values[p.Name] = *p.Value
		} else {
			values[p.Name] = ""
		}
	}
	changed, bad := s.store(c, values)
	s.mu.Unlock()
	if bad {
		s.apiError(w, http.StatusBadRequest, "Bad keys")
		return
	}
	s.ok(w, http.StatusOK, changed)
}

// store applies a save to a consumer; callers hold mu. An all-empty save
// clears the consumer. It reports whether anything changed and whether
// validation failed (the consumer is then cleared).
func (s *Server) store(c *consumer, values map[string]string) (changed, bad bool) {
	allEmpty := true
	for _, v := range values {
		if v != "" {
			allEmpty = false
		}
	}
	if allEmpty {
		c.clear()
		return true, false
	}
	for k, v := range values {
		if c.managed(k) && c.values[k] != v {
			c.values[k] = v
			changed = true
		}
	}
	if c.validated {
		for _, v := range c.values {
			if s.bad[v] {
				c.clear()
				return changed, true
			}
		}
	}
	return changed, false
}

// validation writes ASP.NET's ValidationProblemDetails the way DocSpace
// wraps it: an envelope with status 1 and statusCode 400.
func (s *Server) validation(w http.ResponseWriter, errs map[string][]string) {
	problem := map[string]any{
		"type":   "https://tools.ietf.org/html/rfc9110#section-15.5.1",
		"title":  "One or more validation errors occurred.",
		"status": 400,
		"errors": errs,
	}
	writeJSON(w, http.StatusBadRequest, map[string]any{"response": problem, "count": 1, "status": 1, "statusCode": 400})
}

// ajaxSave is AuthorizationKeys.SaveAuthKeys behind AjaxPro: cookie only,
// exact method header, case-sensitive JSON keys, errors as HTTP 200.
func (s *Server) ajaxSave(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Header.Get("X-AjaxPro-Method") != "SaveAuthKeys" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("<html><body><h1>Server Error in '/' Application.</h1><p>Object reference not set to an instance of an object.</p></body></html>"))
		return
	}
	if !s.cookieAuthorized(r) {
		ajaxError(w, "Attempted to perform an unauthorized operation.", "System.UnauthorizedAccessException")
		return
	}
	var top map[string]json.RawMessage
	if len(body) == 0 || json.Unmarshal(body, &top) != nil {
		ajaxError(w, "Parameter count mismatch.", "System.Reflection.TargetParameterCountException")
		return
	}
	var name string
	_ = json.Unmarshal(top["name"], &name)
	var items []map[string]json.RawMessage
	_ = json.Unmarshal(top["props"], &items)
	if s.cfg.NotAdmin {
		ajaxError(w, "Access denied", "ASC.Common.Security.Authorizing.AuthorizingException")
		return
	}
	if s.cfg.NoThirdPartyQuota {
		ajaxError(w, "Your pricing plan does not support this option", "ASC.Core.Billing.BillingException")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.byConfigName(name)
	if c == nil || !c.canSet {
		ajaxError(w, "Key for read only. Key "+name, "System.NotSupportedException")
		return
	}
	values := map[string]string{}
	allEmpty, missing := true, false
	for _, it := range items {
		var pn, pv *string
		var opt bool
		_ = json.Unmarshal(it["Name"], &pn)
		_ = json.Unmarshal(it["Value"], &pv)
		_ = json.Unmarshal(it["IsOptional"], &opt)
		v := ""
		if pv != nil {
			v = *pv
		}
		if v != "" {
			allEmpty = false
		} else if !opt {
			missing = true
		}
		if pn != nil {
			values[*pn] = v
		}
	}
	if allEmpty {
		c.clear() // what a mis-cased body does: every Value arrives null
		writeAjax(w, `{"value":true}`)
		return
	}
	if missing {
		ajaxError(w, "Please fill in all fields", "System.Exception")
		return
	}
	changed, bad := s.store(c, values)
	if bad {
		ajaxError(w, "Bad keys", "System.ArgumentException")
		return
	}
	writeAjax(w, fmt.Sprintf(`{"value":%t}`, changed))
}

func ajaxError(w http.ResponseWriter, msg, typ string) {
	b, _ := json.Marshal(map[string]any{"error": map[string]string{"Message": msg, "Type": typ}})
	writeAjax(w, string(b))
}

func writeAjax(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, body)
}

// keysPage renders Management.aspx?type=9 like AuthorizationKeys.ascx:
// values unencoded, the stray quote before value=, no dialog for consumers
// whose keys are fixed in the configuration.
func (s *Server) keysPage(w http.ResponseWriter, r *http.Request) {
	if !s.cookieAuthorized(r) {
		http.Redirect(w, r, "/Auth.aspx?refererurl="+r.URL.EscapedPath(), http.StatusFound)
		return
	}
	if s.cfg.NotAdmin {
		http.Redirect(w, r, "/", http.StatusFound) // Management.aspx OnPreInit
		return
	}
	t := r.URL.Query().Get("type")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><title>Settings</title></head><body>\n")
	if t == "9" || t == "ThirdPartyAuthorization" {
		s.mu.Lock()
		for _, c := range s.consumers {
			state := "on"
			if !c.isSet() {
				state = "off"
			}
			disable := ""
			if !c.canSet {
				disable = "disable"
			}
			fmt.Fprintf(&b, "<div id=\"%s\" class=\"auth-service-item\">\n", html.EscapeString(c.title))
			fmt.Fprintf(&b, "  <a id=\"switcherBtn%s\" class=\"on_off_button %s %s\"></a>\n", c.name, disable, state)
			if c.canSet {
				fmt.Fprintf(&b, "  <div id=\"popupDialog%s\" class=\"popupContainerClass display-none\">\n", c.name)
				for _, p := range c.props {
					kind := `type="text"`
					if c.password[p] {
						kind = `type="password" autocomplete="new-password"`
					}
					optional := ""
					if c.optional[p] {
						optional = "optional"
					}
					// AuthorizationKeys.ascx, including its stray quote.
					fmt.Fprintf(&b, "    <input id=\"%s\" %s class=\"auth-service-key textEdit %s\" placeholder=\"%s\" \" value=\"%s\" />\n", p, kind, optional, p, c.values[p])
				}
				fmt.Fprintf(&b, "    <a id=\"saveBtn%s\" class=\"button blue\">Save</a>\n  </div>\n", c.name)
			}
			b.WriteString("</div>\n")
		}
		s.mu.Unlock()
	} else {
		b.WriteString("<div id=\"studio_customization\">General settings</div>\n")
	}
	b.WriteString("</body></html>\n")
	_, _ = io.WriteString(w, b.String())
}

// looseSave reads a save body of either product, ignoring case, for fault
// effects.
func looseSave(body []byte) (string, [][2]string) {
	var in struct {
		Name  string
		Props []struct {
			Name  string
			Value string
		}
	}
	_ = json.Unmarshal(body, &in)
	var props [][2]string
	for _, p := range in.Props {
		props = append(props, [2]string{p.Name, p.Value})
	}
	return in.Name, props
}
