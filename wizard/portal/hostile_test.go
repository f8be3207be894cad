package portal_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"keywizard/wizard/outside"
	"keywizard/wizard/portal"
)

// endless is a body that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// hostile answers every request the same way.
func hostile(t *testing.T, status int, ctype string, body func(w io.Writer)) *portal.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		w.WriteHeader(status)
		body(w)
	}))
	t.Cleanup(srv.Close)
	c, err := portal.New(srv.URL, portal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func text(s string) func(io.Writer) { return func(w io.Writer) { _, _ = io.WriteString(w, s) } }

// An answer that is not the portal's API, or a portal that fails every
// request, is "could not do the job" (ErrPortalFailed), and the message
// says what came back.
func TestHostilePortalAnswers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		ctype  string
		body   func(io.Writer)
		want   string
	}{
		{"5xx to everything", 500, "", text("oops"), "HTTP 500"},
		{"502 page", 502, "text/html", text("<html><title>502 Bad Gateway</title></html>"), "HTTP 502"},
		{"HTML", 200, "text/html", text("<html><head><title>Welcome to nginx!</title></head></html>"), `a web page titled "Welcome to nginx!"`},
		{"null", 200, "application/json", text("null"), "JSON null"},
		{"empty", 200, "", text(""), "an empty answer"},
		{"endless", 200, "application/json", func(w io.Writer) { _, _ = io.Copy(w, io.LimitReader(endless{}, 100<<20)) }, "larger than 8 MiB"},
		{"deep", 200, "application/json", text(strings.Repeat("[", 50000) + strings.Repeat("]", 50000)), "nested more than"},
		{"text", 200, "text/plain", text("hello"), "text that is not JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := hostile(t, tc.status, tc.ctype, tc.body)
			_, err := c.Detect(context.Background())
			if !errors.Is(err, portal.ErrPortalFailed) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want ErrPortalFailed with %q", err, tc.want)
			}
		})
	}
}

// After a good detection, answers to sign-in and to reading the keys that
// are not the API's are failures of the portal, not refusals.
func TestHostileAnswersAfterDetection(t *testing.T) {
	for _, body := range []string{"null", `{"response":null}`, "<html>maintenance</html>", `{"response":"x"}`, strings.Repeat("{\"a\":", 500)} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "version/build") {
				_, _ = io.WriteString(w, `{"docSpace":"3.1.0"}`)
				return
			}
			_, _ = io.WriteString(w, body)
		}))
		c, _ := portal.New(srv.URL, portal.Options{})
		ctx := context.Background()
		if err := c.Login(ctx, "admin@example.com", "password-1234"); !errors.Is(err, portal.ErrPortalFailed) {
			t.Errorf("%.30q: sign-in: %v", body, err)
		}
		c.SetSession(portal.Session{Token: "token-1234"})
		if _, err := c.ReadAll(ctx); !errors.Is(err, portal.ErrPortalFailed) {
			t.Errorf("%.30q: read: %v", body, err)
		}
		srv.Close()
	}
}

// Texts from the portal reach the admin without terminal control
// characters and at a sane length: its version (stored in the portal
// list), its error messages and the phone hint.
func TestPortalTextsCleaned(t *testing.T) {
	escape := "\x1b[2J\x1b[H"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "version/build"):
			_, _ = io.WriteString(w, `{"communityServer":"12.7`+`\u001b[2J`+strings.Repeat("9", 4<<20)+`"}`)
		case strings.HasSuffix(r.URL.Path, "authentication"):
			w.WriteHeader(500)
			_, _ = io.WriteString(w, `{"status":1,"statusCode":500,"error":{"message":"failed \u001b[2J\u001b[Hok  pushed`+strings.Repeat(" x", 3<<20)+`"}}`)
		}
	}))
	defer srv.Close()
	c, _ := portal.New(srv.URL, portal.Options{})
	ctx := context.Background()
	info, err := c.Detect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Version) > outside.MaxName || strings.Contains(info.Version, "\x1b") || !strings.HasPrefix(info.Version, "12.7") {
		t.Fatalf("version %d bytes: %.40q", len(info.Version), info.Version)
	}
	err = c.Login(ctx, "admin@example.com", "password-1234")
	if err == nil || strings.Contains(err.Error(), escape[:1]) || len(err.Error()) > 2*outside.MaxText || !utf8.ValidString(err.Error()) {
		t.Fatalf("sign-in error of %d bytes: %.80q", len(err.Error()), err)
	}
	phone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "version/build") {
			_, _ = io.WriteString(w, `{"docSpace":"3.1.0"}`)
			return
		}
		_, _ = io.WriteString(w, `{"response":{"sms":true,"phoneNoise":"+7(999)***-**-99\u001b[1A\rok"},"status":0,"statusCode":200}`)
	}))
	defer phone.Close()
	c, _ = portal.New(phone.URL, portal.Options{})
	var need *portal.ErrCodeRequired
	if err := c.Login(ctx, "admin@example.com", "password-1234"); !errors.As(err, &need) || strings.ContainsAny(need.PhoneNoise+err.Error(), "\x1b\r") {
		t.Fatalf("phone hint: %v", err)
	}
}
