package portal_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keywizard/wizard/portal"
	"keywizard/wizard/portal/portaltest"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{in: "https://portal.example.com", want: "https://portal.example.com/"},
		{in: "portal.example.com/", want: "https://portal.example.com/"},
		{in: "HTTPS://portal.example.com/office?x=1#f", want: "https://portal.example.com/office/"},
		{in: "http://localhost:8080", want: "http://localhost:8080/"},
		{in: "http://127.0.0.2", want: "http://127.0.0.2/"},
		{in: "http://[::1]:81", want: "http://[::1]:81/"},
		{in: "http://portal.example.com", err: true},
		{in: "http://10.0.0.1", err: true},
		{in: "ftp://portal.example.com", err: true},
		{in: "", err: true},
	}
	for _, tt := range tests {
		u, err := portal.ParseURL(tt.in)
		if tt.err {
			if err == nil {
				t.Errorf("ParseURL(%q) accepted %s", tt.in, u)
			}
			continue
		}
		if err != nil || u.String() != tt.want {
			t.Errorf("ParseURL(%q) = %v, %v; want %s", tt.in, u, err, tt.want)
		}
	}
	if _, err := portal.ParseURL("http://portal.example.com"); !errors.Is(err, portal.ErrInsecure) {
		t.Errorf("plain http: %v, want ErrInsecure", err)
	}
}

func TestDetect(t *testing.T) {
	for _, tt := range []struct {
		cfg     portaltest.Config
		product portal.Product
		version string
	}{
		{portaltest.Config{Product: portaltest.DocSpace, Version: "3.6.0.100"}, portal.DocSpace, "3.6.0.100"},
		{portaltest.Config{Product: portaltest.Workspace}, portal.Workspace, "12.7.1.1896"},
	} {
		srv := portaltest.New(t, tt.cfg)
		c, err := portal.Detect(context.Background(), srv.URL, portal.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Info(); got.Product != tt.product || got.Version != tt.version {
			t.Errorf("%s: detected %+v", tt.product, got)
		}
	}
}

func TestDetectFallback(t *testing.T) {
	for _, tt := range []struct {
		authservice int
		body        string
		want        portal.Product
		err         bool
	}{
		{http.StatusNotFound, `{"status":1,"statusCode":404,"error":{"message":"Method not found"}}`, portal.Workspace, false},
		{http.StatusUnauthorized, `{"status":1,"statusCode":401,"error":{"message":"Unauthorized"}}`, portal.DocSpace, false},
		{http.StatusNotFound, `<html>not found</html>`, "", true},
		{http.StatusMovedPermanently, ``, "", true},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tt.authservice == http.StatusMovedPermanently {
				http.Redirect(w, r, "https://portal.example.com/", tt.authservice)
				return
			}
			if r.URL.Path == "/api/2.0/settings/authservice" {
				w.WriteHeader(tt.authservice)
				_, _ = w.Write([]byte(tt.body))
				return
			}
			http.NotFound(w, r)
		}))
		c, err := portal.Detect(context.Background(), srv.URL, portal.Options{})
		srv.Close()
		if tt.err {
			if err == nil {
				t.Errorf("%d %s: detected %+v, want an error", tt.authservice, tt.body, c.Info())
			}
			continue
		}
		if err != nil || c.Info().Product != tt.want || c.Info().Version != "" {
			t.Errorf("%d: %v %+v, want %s", tt.authservice, err, c, tt.want)
		}
	}
}

func TestDetectUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := portal.Detect(context.Background(), url, portal.Options{Timeout: time.Second})
	if !errors.Is(err, portal.ErrUnreachable) {
		t.Fatalf("got %v, want ErrUnreachable", err)
	}
}

func TestLoginTwoFactor(t *testing.T) {
	for _, product := range products() {
		for _, tt := range []struct {
			name  string
			tfa   portaltest.TwoFactor
			kind  portal.CodeKind
			phone string
		}{
			{"app", portaltest.App, portal.CodeApp, ""},
			{"sms", portaltest.SMS, portal.CodeSMS, portaltest.PhoneNoise},
			{"app setup", portaltest.AppSetup, portal.CodeAppSetup, ""},
			{"sms no phone", portaltest.SMSNoPhone, portal.CodePhoneSetup, ""},
		} {
			t.Run(string(product)+"/"+tt.name, func(t *testing.T) {
				srv := portaltest.New(t, portaltest.Config{Product: product, TwoFactor: tt.tfa})
				c, _ := portal.New(srv.URL, portal.Options{})
				ctx := context.Background()
				err := c.Login(ctx, portaltest.DefaultUser, portaltest.DefaultPassword)
				var need *portal.ErrCodeRequired
				if !errors.As(err, &need) {
					t.Fatalf("Login: %v, want ErrCodeRequired", err)
				}
				if need.Kind != tt.kind || need.PhoneNoise != tt.phone {
					t.Fatalf("got %+v", need)
				}
				if strings.Contains(fmt.Sprintf("%s %+v %#v", need.Error(), *need, *need), portaltest.SetupKey) {
					t.Fatal("the set-up key must never be kept or shown")
				}
				if c.Session().Token != "" {
					t.Fatal("a session without the code")
				}
				if err := c.LoginCode(ctx, portaltest.DefaultUser, portaltest.DefaultPassword, "000000"); !errors.Is(err, portal.ErrWrongCode) {
					t.Fatalf("wrong code: %v", err)
				}
				if err := c.LoginCode(ctx, portaltest.DefaultUser, portaltest.DefaultPassword, " 123 456 "); err != nil {
					t.Fatalf("LoginCode: %v", err)
				}
				if !c.Session().Valid(time.Now()) || c.Session().Expires.Before(time.Now().Add(time.Hour)) {
					t.Fatalf("session %+v", c.Session().Expires)
				}
				// The code goes in the URL; DocSpace also reads it from the body.
				reqs := srv.Requests()
				last := reqs[len(reqs)-1]
				if last.Path != "/api/2.0/authentication/123456" {
					t.Fatalf("code request to %s", last.Path)
				}
				if hasCode := strings.Contains(string(last.Body), `"code":"123456"`); hasCode != (product == portaltest.DocSpace) {
					t.Fatalf("body %s", last.Body)
				}
			})
		}
	}
}

func TestLoginErrors(t *testing.T) {
	for _, product := range products() {
		t.Run(string(product), func(t *testing.T) {
			srv := portaltest.New(t, portaltest.Config{Product: product})
			c, _ := portal.New(srv.URL, portal.Options{})
			ctx := context.Background()
			if err := c.Login(ctx, "nobody@example.com", "x"); !errors.Is(err, portal.ErrWrongPassword) {
				t.Fatalf("unknown user: %v", err)
			}
			for range 5 {
				if err := c.Login(ctx, portaltest.DefaultUser, "wrong"); !errors.Is(err, portal.ErrWrongPassword) {
					t.Fatalf("wrong password: %v", err)
				}
			}
			err := c.Login(ctx, portaltest.DefaultUser, portaltest.DefaultPassword)
			if !errors.Is(err, portal.ErrTooManyAttempts) {
				t.Fatalf("too many attempts: %v", err)
			}
			if strings.Contains(err.Error(), portaltest.DefaultPassword) {
				t.Fatal("password in the message")
			}
		})
	}
}

func TestTokenForms(t *testing.T) {
	ctx := context.Background()
	srv, c := signedIn(t, portaltest.Config{Product: portaltest.DocSpace})
	if err := c.CheckSession(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReadAll(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Requests()[2:] {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			t.Errorf("DocSpace %s without Bearer: %q", r.Path, r.Header.Get("Authorization"))
		}
	}

	srv, c = signedIn(t, portaltest.Config{Product: portaltest.Workspace})
	if err := c.CheckSession(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReadAll(ctx); err != nil {
		t.Fatal(err)
	}
	if r := c.Push(ctx, googleSvc, googleNew, portal.PushOptions{}); !r.OK {
		t.Fatal(r.Message)
	}
	token := c.Session().Token
	for _, r := range srv.Requests()[2:] {
		auth := r.Header.Get("Authorization")
		cookie := r.Header.Get("Cookie")
		switch {
		case strings.HasPrefix(r.Path, "/api/2.0/capabilities"):
		case strings.HasPrefix(r.Path, "/api/"):
			if auth != token {
				t.Errorf("Workspace REST %s: Authorization %q, want the raw token", r.Path, auth)
			}
		default: // AjaxPro and the settings page: the cookie only
			if auth != "" || cookie != "asc_auth_key="+token {
				t.Errorf("Workspace %s: Authorization %q, Cookie %q", r.Path, auth, cookie)
			}
		}
	}
}

func TestExpiredSession(t *testing.T) {
	srv, c := signedIn(t, portaltest.Config{Product: portaltest.Workspace})
	srv.ExpireSessions()
	ctx := context.Background()
	if err := c.CheckSession(ctx); !errors.Is(err, portal.ErrNotSignedIn) {
		t.Fatalf("CheckSession: %v", err)
	}
	if _, err := c.ReadAll(ctx); !errors.Is(err, portal.ErrNotSignedIn) {
		t.Fatalf("ReadAll: %v", err)
	}
}

func TestAPIKey(t *testing.T) {
	ctx := context.Background()
	srv := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace})
	c, _ := portal.New(srv.URL, portal.Options{})
	if err := c.LoginAPIKey(ctx, "sk-wrong"); !errors.Is(err, portal.ErrBadAPIKey) {
		t.Fatalf("wrong key: %v", err)
	}
	if err := c.LoginAPIKey(ctx, portaltest.DefaultAPIKey+"\n"); err != nil {
		t.Fatal(err)
	}
	if s := c.Session(); !s.APIKey || !s.Valid(time.Now()) {
		t.Fatalf("session %+v", s.Expires)
	}
	if r := c.Push(ctx, googleSvc, googleNew, portal.PushOptions{}); !r.OK {
		t.Fatal(r.Message)
	}
	last := srv.SaveRequests()[0]
	if last.Header.Get("Authorization") != "Bearer "+portaltest.DefaultAPIKey {
		t.Fatalf("API key not sent as Bearer: %q", last.Header.Get("Authorization"))
	}

	ws := portaltest.New(t, portaltest.Config{Product: portaltest.Workspace})
	c, _ = portal.New(ws.URL, portal.Options{})
	if err := c.LoginAPIKey(ctx, portaltest.DefaultAPIKey); err == nil || !strings.Contains(err.Error(), "only in DocSpace") {
		t.Fatalf("Workspace API key: %v", err)
	}
}

func TestPrivateCA(t *testing.T) {
	srv := portaltest.New(t, portaltest.Config{TLS: true})
	ctx := context.Background()
	if _, err := portal.Detect(ctx, srv.URL, portal.Options{}); !errors.Is(err, portal.ErrUnreachable) {
		t.Fatalf("untrusted certificate accepted: %v", err)
	}
	c, err := portal.Detect(ctx, srv.URL, portal.Options{CAFile: srv.CAFile(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(ctx, portaltest.DefaultUser, portaltest.DefaultPassword); err != nil {
		t.Fatal(err)
	}
}
