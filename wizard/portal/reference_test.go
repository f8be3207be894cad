package portal_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"keywizard/providers"
	"keywizard/wizard/portal"
)

// refPortal is a second, independent fake written from the reference
// alone, choosing the incidental details differently from portaltest:
// version/build without the envelope, Go's plain 404 for unknown paths,
// validation failures as HTTP 200 with an error envelope, a Workspace page
// with its attributes in another order and HTML-encoded values, and a
// Workspace REST API that only takes the raw Authorization header.
type refPortal struct {
	*httptest.Server
	docSpace bool
	// noVersion makes version/build fail: the client then tells DocSpace
	// by its authservice endpoint and knows no version.
	noVersion bool
	mu        sync.Mutex
	token     string
	keys      map[string]map[string]string // consumer (as listed) -> prop -> value
	bad       map[string]bool
	saves     int
}

func newRefPortal(t *testing.T, docSpace bool) *refPortal {
	p := &refPortal{docSpace: docSpace, token: "tok+/=123", bad: map[string]bool{}}
	if docSpace {
		p.keys = map[string]map[string]string{
			"google":   {"googleClientId": "", "googleClientSecret": ""},
			"telegram": {"telegramBotToken": "", "telegramBotName": ""},
			// An older DocSpace: Apple without the mobile client ID.
			"appleID": {"appleIdClientId": "", "appleIdTeamId": "", "appleIdKeyId": "", "appleIdPrivateKey": ""},
		}
	} else {
		p.keys = map[string]map[string]string{
			"Google":   {"googleClientId": "", "googleClientSecret": ""},
			"Telegram": {"telegramBotToken": "", "telegramBotName": ""},
		}
	}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Close)
	return p
}

func (p *refPortal) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	switch path := r.URL.Path; {
	case path == "/api/2.0/settings/version/build" && p.noVersion:
		http.NotFound(w, r)
	case path == "/api/2.0/settings/version/build":
		if p.docSpace {
			writeRaw(w, 200, `{"response":{"docSpace":"3.7.2.1461","documentServer":"9.0"},"count":1,"status":0,"statusCode":200}`)
		} else {
			writeRaw(w, 200, `{"communityServer":"12.7.1.1896"}`)
		}
	case path == "/api/2.0/authentication":
		var in struct{ UserName, Password string }
		_ = json.Unmarshal(body, &in)
		if in.Password != "pw" {
			if p.docSpace {
				writeRaw(w, 401, `{"error":{"message":"User authentication failed"},"status":1,"statusCode":401}`)
			} else {
				writeRaw(w, 500, `{"status":1,"statusCode":500,"error":{"message":"User authentication failed","hresult":-2146233087}}`)
			}
			return
		}
		tok, _ := json.Marshal(p.token)
		if p.docSpace {
			writeRaw(w, 200, `{"response":{"token":`+string(tok)+`,"expires":"2099-01-01T00:00:00.0000000+00:00"},"count":1,"links":[{"href":"x","action":"POST"}],"status":0,"statusCode":200}`)
		} else {
			writeRaw(w, 201, `{"count":1,"response":{"token":`+string(tok)+`,"expires":"2099-01-01T00:00:00.0000000+03:00"},"status":0,"statusCode":201}`)
		}
	case path == "/api/2.0/capabilities":
		writeRaw(w, 200, `{"response":{"ldapEnabled":false,"providers":["google"],"ssoLabel":"","ssoUrl":""},"status":0,"statusCode":200}`)
	case p.docSpace && path == "/api/2.0/settings/authservice":
		p.authService(w, r, body)
	case !p.docSpace && path == "/Management.aspx" && r.URL.RawQuery == "type=9":
		p.page(w, r)
	case !p.docSpace && path == "/ajaxpro/ASC.Web.Studio.UserControls.Management.AuthorizationKeys,ASC.Web.Studio.ashx":
		p.ajax(w, r, body)
	default:
		http.NotFound(w, r) // not the API's envelope
	}
}

func writeRaw(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (p *refPortal) authService(w http.ResponseWriter, r *http.Request, body []byte) {
	h := r.Header.Get("Authorization")
	if h != "Bearer "+p.token && h != p.token {
		writeRaw(w, 401, `{"error":{"message":"Unauthorized"},"status":1,"statusCode":401}`)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if r.Method == http.MethodGet {
		var items []string
		for name, props := range p.keys {
			var ps []string
			for k, v := range props {
				ps = append(ps, fmt.Sprintf(`{"name":%q,"value":%q,"title":%q}`, k, v, k))
			}
			items = append(items, fmt.Sprintf(`{"name":%q,"title":%q,"canSet":true,"paid":false,"props":[%s]}`, name, name, strings.Join(ps, ",")))
		}
		writeRaw(w, 200, `{"response":[`+strings.Join(items, ",")+`],"status":0,"statusCode":200}`)
		return
	}
	p.saves++
	var in struct {
		Name  string `json:"name"`
		Props []struct {
			Name  string  `json:"name"`
			Value *string `json:"value"`
		} `json:"props"`
	}
	_ = json.Unmarshal(body, &in)
	for i, pr := range in.Props {
		if pr.Value != nil && len(*pr.Value) > 4000 {
			// Model validation, wrapped in a 200 by this implementation.
			writeRaw(w, 200, fmt.Sprintf(`{"response":{"title":"One or more validation errors occurred.","status":400,"errors":{"Props[%d].Value":["too long"]}},"status":1,"statusCode":400}`, i))
			return
		}
	}
	var cons map[string]string
	for name, props := range p.keys {
		if strings.ToLower(name) == name && name == in.Name || strings.ToLower(name) == in.Name && name != in.Name && name == "appleID" {
			cons = props
		}
	}
	if cons == nil {
		writeRaw(w, 403, `{"error":{"message":"Access denied"},"status":1,"statusCode":403}`)
		return
	}
	if !p.store(cons, in.Props) {
		writeRaw(w, 400, `{"error":{"message":"Bad keys","type":"System.ArgumentException"},"status":1,"statusCode":400}`)
		return
	}
	writeRaw(w, 200, `{"response":true,"count":1,"status":0,"statusCode":200}`)
}

// store saves the props; false when validation failed and cleared them.
func (p *refPortal) store(cons map[string]string, props []struct {
	Name  string  `json:"name"`
	Value *string `json:"value"`
}) bool {
	for _, pr := range props {
		if _, managed := cons[pr.Name]; managed && pr.Value != nil {
			cons[pr.Name] = *pr.Value
		}
	}
	for _, v := range cons {
		if p.bad[v] {
			for k := range cons {
				cons[k] = ""
			}
			return false
		}
	}
	return true
}

func (p *refPortal) cookieOK(r *http.Request) bool {
	c, err := r.Cookie("asc_auth_key")
	return err == nil && c.Value == p.token
}

func (p *refPortal) page(w http.ResponseWriter, r *http.Request) {
	if !p.cookieOK(r) {
		w.Header().Set("Location", "/Auth.aspx")
		w.WriteHeader(http.StatusFound)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	b.WriteString("<html><body>")
	for name, props := range p.keys {
		fmt.Fprintf(&b, "<section><a class=\"on_off_button\" id=\"switcherBtn%s\"></a>\n<div id=\"popupDialog%s\">", name, name)
		for k, v := range props {
			fmt.Fprintf(&b, "<input class=\"auth-service-key textEdit\" type=\"text\" value=\"%s\" id=\"%s\">\n", html.EscapeString(v), k)
		}
		b.WriteString("</div></section>\n")
	}
	b.WriteString("</body></html>")
	w.Header().Set("Content-Type", "text/html")
	_, _ = io.WriteString(w, b.String())
}

func (p *refPortal) ajax(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Header.Get("X-AjaxPro-Method") != "SaveAuthKeys" {
		w.WriteHeader(500)
		return
	}
	if !p.cookieOK(r) {
		writeRaw(w, 200, `{"error":{"Message":"Unauthorized","Type":"System.UnauthorizedAccessException"}}`)
		return
	}
	var in struct {
		Name  string `json:"name"`
		Props []struct {
			Name  string  `json:"Name"`
			Value *string `json:"Value"`
		} `json:"props"`
	}
	_ = json.Unmarshal(body, &in)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.saves++
	var cons map[string]string
	for name, props := range p.keys {
		if name == in.Name || strings.ToLower(name) == in.Name {
			cons = props
		}
	}
	if cons == nil {
		writeRaw(w, 200, `{"error":{"Message":"Key for read only. Key x","Type":"System.NotSupportedException"}}`)
		return
	}
	props := make([]struct {
		Name  string  `json:"name"`
		Value *string `json:"value"`
	}, len(in.Props))
	for i, pr := range in.Props {
		props[i].Name, props[i].Value = pr.Name, pr.Value
	}
	if !p.store(cons, props) {
		writeRaw(w, 200, `{"error":{"Message":"Bad keys","Type":"System.ArgumentException"}}`)
		return
	}
	writeRaw(w, 200, `{"value":true}`)
}

func refClient(t *testing.T, p *refPortal) *portal.Client {
	t.Helper()
	c, err := portal.New(p.URL, portal.Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(context.Background(), "admin@example.com", "pw"); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReferencePortal(t *testing.T) {
	for _, ds := range []bool{true, false} {
		t.Run(fmt.Sprint("docspace=", ds), func(t *testing.T) {
			p := newRefPortal(t, ds)
			ctx := context.Background()
			c := refClient(t, p)
			if err := c.CheckSession(ctx); err != nil {
				t.Fatalf("CheckSession: %v", err)
			}
			want := portal.Workspace
			if ds {
				want = portal.DocSpace
			}
			if c.Info().Product != want || c.Info().Version == "" {
				t.Fatalf("detected %+v", c.Info())
			}
			// A value that HTML-encoding changes.
			values := map[string]string{"googleClientId": "111-a.apps.googleusercontent.com", "googleClientSecret": `GOCSPX-a&b<c>"d`}
			r := c.Push(ctx, googleSvc, values, portal.PushOptions{})
			if !r.OK || !r.Changed || r.Restored {
				t.Fatalf("push: %+v", r)
			}
			if again := c.Push(ctx, googleSvc, values, portal.PushOptions{}); !again.OK || again.Changed {
				t.Fatalf("second push: %+v", again)
			}
			// Bad keys: cleared by the portal, restored by the client.
			name := "telegram"
			if !ds {
				name = "Telegram"
			}
			p.mu.Lock()
			p.keys[name]["telegramBotToken"], p.keys[name]["telegramBotName"] = tgOld["telegramBotToken"], tgOld["telegramBotName"]
			p.bad[tgNew["telegramBotToken"]] = true
			p.mu.Unlock()
			r = c.Push(ctx, telegramSvc, tgNew, portal.PushOptions{})
			if r.OK || !r.Restored || !strings.Contains(r.Message, "Bad keys") {
				t.Fatalf("bad keys: %+v", r)
			}
			p.mu.Lock()
			got := p.keys[name]["telegramBotToken"]
			p.mu.Unlock()
			if got != tgOld["telegramBotToken"] {
				t.Fatalf("after bad keys the portal holds %q", got)
			}
		})
	}
}

func TestReferenceDetectPlain404(t *testing.T) {
	// A Workspace whose unknown API paths answer a plain 404 and whose
	// version/build is unavailable: capabilities tells it apart.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/2.0/capabilities" {
			writeRaw(w, 200, `{"response":{"ldapEnabled":false,"oauthEnabled":true,"providers":[],"ssoLabel":"","ssoUrl":""},"status":0,"statusCode":200}`)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	c, err := portal.Detect(context.Background(), srv.URL, portal.Options{})
	if err != nil || c.Info().Product != portal.Workspace {
		t.Fatalf("%v %+v", err, c)
	}
}

func TestReferenceValidationIn200(t *testing.T) {
	p := newRefPortal(t, true)
	p.noVersion = true // no version: no length check of our own
	c := refClient(t, p)
	r := c.Push(context.Background(), googleSvc, map[string]string{"googleClientId": strings.Repeat("x", 4001), "googleClientSecret": "s"}, portal.PushOptions{})
	if r.OK || !strings.Contains(r.Message, "googleClientId: too long") {
		t.Fatalf("%+v", r)
	}
}

func TestReferenceOlderAppleProps(t *testing.T) {
	p := newRefPortal(t, true)
	c := refClient(t, p)
	values := map[string]string{"appleIdClientId": "com.example.signin", "appleIdTeamId": "ABCDE12345", "appleIdKeyId": "KEY1234567", "appleIdPrivateKey": "-----BEGIN PRIVATE KEY-----\nMIG\n-----END PRIVATE KEY-----"}
	apple := appleSvc
	apple.Portal.DocSpace = &providers.Consumer{Name: "appleid", Props: []string{"appleIdClientId", "appleIdClientIdMobile", "appleIdTeamId", "appleIdKeyId", "appleIdPrivateKey"}}
	apple.Fields = append(append([]providers.Field(nil), apple.Fields...), providers.Field{ID: "appleIdClientIdMobile", Optional: true})
	// The optional prop this DocSpace does not list is left out.
	if r := c.Push(context.Background(), apple, values, portal.PushOptions{}); !r.OK {
		t.Fatalf("%+v", r)
	}
	// A required prop it does not list is refused before anything is sent.
	before := p.saves
	values["appleIdClientIdMobile"] = "com.example.mobile"
	apple.Fields[len(apple.Fields)-1].Optional = false
	r := c.Push(context.Background(), apple, values, portal.PushOptions{})
	if r.OK || !strings.Contains(r.Message, "appleIdClientIdMobile") || p.saves != before {
		t.Fatalf("%+v after %d saves", r, p.saves-before)
	}
}

func TestReferenceWrongPassword(t *testing.T) {
	for _, ds := range []bool{true, false} {
		p := newRefPortal(t, ds)
		c, _ := portal.New(p.URL, portal.Options{})
		if err := c.Login(context.Background(), "admin@example.com", "nope"); !errors.Is(err, portal.ErrWrongPassword) {
			t.Errorf("docspace=%v: %v", ds, err)
		}
	}
}
