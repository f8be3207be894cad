package portal_test

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"keywizard/providers"
	"keywizard/wizard/portal"
	"keywizard/wizard/portal/portaltest"
)

func TestLoginWithCode(t *testing.T) {
	ctx := context.Background()
	for _, product := range products() {
		t.Run(string(product), func(t *testing.T) {
			// No two-factor at all: the code is not needed.
			srv := portaltest.New(t, portaltest.Config{Product: product})
			c, _ := portal.New(srv.URL, portal.Options{})
			if err := c.LoginWithCode(ctx, portaltest.DefaultUser, portaltest.DefaultPassword, "123456"); err != nil || c.Session().Token == "" {
				t.Fatalf("no two-factor: %v", err)
			}
			app := portaltest.New(t, portaltest.Config{Product: product, TwoFactor: portaltest.App})
			c, _ = portal.New(app.URL, portal.Options{})
			if err := c.LoginWithCode(ctx, portaltest.DefaultUser, "wrong", portaltest.DefaultCode); !errors.Is(err, portal.ErrWrongPassword) {
				t.Fatalf("wrong password with a code: %v", err)
			}
			if err := c.LoginWithCode(ctx, portaltest.DefaultUser, portaltest.DefaultPassword, "000000"); !errors.Is(err, portal.ErrWrongCode) {
				t.Fatalf("wrong code: %v", err)
			}
			if err := c.LoginWithCode(ctx, portaltest.DefaultUser, portaltest.DefaultPassword, portaltest.DefaultCode); err != nil {
				t.Fatal(err)
			}
			sms := portaltest.New(t, portaltest.Config{Product: product, TwoFactor: portaltest.SMS})
			c, _ = portal.New(sms.URL, portal.Options{})
			err := c.LoginWithCode(ctx, portaltest.DefaultUser, portaltest.DefaultPassword, "000000")
			if !errors.Is(err, portal.ErrWrongCode) || !strings.Contains(err.Error(), portaltest.PhoneNoise) {
				t.Fatalf("wrong SMS code: %v", err)
			}
		})
	}
}

func TestNotAdmin(t *testing.T) {
	ctx := context.Background()
	ds := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace, NotAdmin: true})
	c, _ := portal.New(ds.URL, portal.Options{})
	if err := c.LoginAPIKey(ctx, portaltest.DefaultAPIKey); !errors.Is(err, portal.ErrAPIKeyNotAdmin) {
		t.Fatalf("API key of a user: %v", err)
	}
	if err := c.Login(ctx, portaltest.DefaultUser, portaltest.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	if err := c.CheckSession(ctx); !errors.Is(err, portal.ErrNotAdmin) {
		t.Fatalf("CheckSession: %v", err)
	}
	if r := c.Push(ctx, googleSvc, googleNew, portal.PushOptions{}); r.OK || !strings.Contains(r.Message, "administrator") {
		t.Fatalf("%+v", r)
	}

	ws, w := signedIn(t, portaltest.Config{Product: portaltest.Workspace, NotAdmin: true})
	if r := w.Push(ctx, googleSvc, googleNew, portal.PushOptions{}); r.OK || !strings.Contains(r.Message, "administrator") || len(ws.SaveRequests()) != 0 {
		t.Fatalf("%+v", r)
	}
}

func TestPaidPlan(t *testing.T) {
	ctx := context.Background()
	s3 := svc("s3", "Amazon S3", "s3", "S3", providers.BackupStorage,
		providers.Field{ID: "acesskey", Label: "Access key ID"},
		providers.Field{ID: "secretaccesskey", Label: "Secret access key", Secret: true})
	values := map[string]string{"acesskey": "AKIAIOSFODNN7EXAMPLE", "secretaccesskey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	for _, product := range products() {
		srv, c := signedIn(t, portaltest.Config{Product: product, NoThirdPartyQuota: true})
		r := c.Push(ctx, s3, values, portal.PushOptions{})
		if r.OK || !strings.Contains(r.Message, "pricing plan") || srv.IsSet("s3") {
			t.Fatalf("%s: %+v", product, r)
		}
		if strings.Contains(r.Message, values["secretaccesskey"]) {
			t.Fatal("secret in the message")
		}
	}
	// DocSpace charges only for the storage consumers.
	_, c := signedIn(t, portaltest.Config{Product: portaltest.DocSpace, NoThirdPartyQuota: true})
	if r := c.Push(ctx, googleSvc, googleNew, portal.PushOptions{}); !r.OK {
		t.Fatalf("google on a plan without storage: %+v", r)
	}
}

// A Workspace service with only some keys set is restored as it was:
// Workspace refuses an empty key unless it is marked optional.
func TestRestorePartlySetWorkspace(t *testing.T) {
	srv, c := signedIn(t, portaltest.Config{Product: portaltest.Workspace})
	partial := map[string]string{"googleClientId": "111-old.apps.googleusercontent.com", "googleClientSecret": ""}
	srv.SetKeys("Google", partial)
	srv.FailSave(portaltest.Fail500, 1, portaltest.Cleared)
	r := c.Push(context.Background(), googleSvc, googleNew, portal.PushOptions{})
	if !r.Restored || !equalMaps(srv.Keys("Google"), partial) {
		t.Fatalf("%+v, portal %v", r, srv.Keys("Google"))
	}
	if !r.Unreachable {
		t.Fatal("a 500 is the portal failing: the result must say so")
	}
}

// A portal whose error text repeats a value must not make the result
// carry it.
func TestMessagesScrubbed(t *testing.T) {
	secret := googleNew["googleClientSecret"]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/2.0/settings/authservice" && r.Method == http.MethodGet:
			writeRaw(w, 200, `{"response":[{"name":"google","canSet":true,"props":[{"name":"googleClientId","value":""},{"name":"googleClientSecret","value":""}]}],"status":0,"statusCode":200}`)
		case r.URL.Path == "/api/2.0/settings/authservice":
			writeRaw(w, 400, `{"error":{"message":"invalid value `+secret+`"},"status":1,"statusCode":400}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, _ := portal.New(srv.URL, portal.Options{})
	c.SetSession(portal.Session{Token: "t"})
	r := c.Push(context.Background(), googleSvc, googleNew, portal.PushOptions{})
	if r.OK || strings.Contains(r.Message, secret) || !strings.Contains(r.Message, "invalid value") {
		t.Fatalf("%+v", r)
	}
}

// A portal whose error text quotes the request back (its Authorization
// header, its JSON body, the values trimmed) must not make an error or a
// result carry the password, the API key, the session token or a key.
func TestEchoesScrubbed(t *testing.T) {
	const (
		password = "pw-echo-0123456789"
		apiKey   = "sk-echo-0123456789abcdef"
		token    = "session-echo-0123456789abcdef"
		keyLine  = "EchoEchoEchoEchoEchoEchoEchoEchoEchoEchoEchoEchoEchoEchoEchoEcho"
	)
	apple := map[string]string{"appleIdClientId": "com.example.portal", "appleIdTeamId": "ABCDE12345", "appleIdKeyId": "KEY1234567",
		"appleIdPrivateKey": "-----BEGIN PRIVATE KEY-----\n" + keyLine + "\n-----END PRIVATE KEY-----\n"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/api/2.0/settings/version/build" {
			writeRaw(w, 200, `{"response":{"docSpace":"3.7.2.1461"},"status":0,"statusCode":200}`)
			return
		}
		if r.Method == http.MethodGet && r.Header.Get("Authorization") == "Bearer "+token {
			writeRaw(w, 200, `{"response":[{"name":"appleID","canSet":true,"props":[{"name":"appleIdClientId","value":""},`+
				`{"name":"appleIdTeamId","value":""},{"name":"appleIdKeyId","value":""},{"name":"appleIdPrivateKey","value":""}]}],"status":0,"statusCode":200}`)
			return
		}
		echo := "quoted: " + r.Header.Get("Authorization") + " " + string(body)
		var save struct {
			Props []struct {
				Value string `json:"value"`
			} `json:"props"`
		}
		_ = json.Unmarshal(body, &save)
		for _, p := range save.Props {
			echo += " '" + strings.TrimSpace(p.Value) + "'"
		}
		msg, _ := json.Marshal(map[string]any{"error": map[string]string{"message": echo}, "status": 1, "statusCode": 500})
		writeRaw(w, 500, string(msg))
	}))
	defer srv.Close()
	ctx := context.Background()
	c, _ := portal.New(srv.URL, portal.Options{})
	var said []string
	if err := c.Login(ctx, "admin@example.com", password); err != nil {
		said = append(said, err.Error())
	}
	if err := c.LoginAPIKey(ctx, apiKey); err != nil {
		said = append(said, err.Error())
	}
	c.SetSession(portal.Session{Token: token})
	said = append(said, c.Push(ctx, appleSvc, apple, portal.PushOptions{}).Message)
	text := strings.Join(said, "\n")
	if len(said) != 3 || strings.Count(text, "quoted:") != 3 {
		t.Fatalf("want three refusals that quote the portal, got %s", text)
	}
	for _, secret := range []string{password, apiKey, token, keyLine[:16]} {
		if strings.Contains(text, secret) {
			t.Errorf("%q shows in %s", secret, text)
		}
	}
}

// A portal that quotes a value URL-encoded or HTML-escaped must not make
// the result carry it either.
func TestMessagesScrubbedInEveryForm(t *testing.T) {
	secret := "GOCSPX-a/b+c&d<e>new-secret"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/2.0/settings/authservice" && r.Method == http.MethodGet:
			writeRaw(w, 200, `{"response":[{"name":"google","canSet":true,"props":[{"name":"googleClientId","value":""},{"name":"googleClientSecret","value":""}]}],"status":0,"statusCode":200}`)
		case r.URL.Path == "/api/2.0/settings/authservice":
			msg, _ := json.Marshal("bad value ?v=" + url.QueryEscape(secret) + " or " + html.EscapeString(secret))
			writeRaw(w, 400, `{"error":{"message":`+string(msg)+`},"status":1,"statusCode":400}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, _ := portal.New(srv.URL, portal.Options{})
	c.SetSession(portal.Session{Token: "t"})
	values := map[string]string{"googleClientId": googleNew["googleClientId"], "googleClientSecret": secret}
	r := c.Push(context.Background(), googleSvc, values, portal.PushOptions{})
	if r.OK || !strings.Contains(r.Message, "bad value") || strings.Contains(r.Message, "new-secret") {
		t.Fatalf("%+v", r)
	}
}
