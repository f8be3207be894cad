package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"keywizard/wizard"
	"keywizard/wizard/loopback"
	"keywizard/wizard/portal"
)

// linkedInNewApp answers as LinkedIn does for an app created since
// 2023-08-01: the retired r_liteprofile and r_emailaddress scopes come
// back as unauthorized_scope_error on the redirect; OpenID Connect scopes
// would be granted.
func linkedInNewApp(t *testing.T) (*httptest.Server, func() []string) {
	var (
		mu   sync.Mutex
		seen []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.Host+r.URL.Path)
		mu.Unlock()
		q := r.URL.Query()
		if r.Host+r.URL.Path != "www.linkedin.com/oauth/v2/authorization" {
			http.NotFound(w, r)
			return
		}
		back, _ := url.Parse(q.Get("redirect_uri"))
		answer := url.Values{"code": {"AQT-code"}, "state": {q.Get("state")}}
		for _, s := range strings.Fields(q.Get("scope")) {
			if s == "r_liteprofile" || s == "r_emailaddress" {
				answer = url.Values{"error": {"unauthorized_scope_error"}, "error_description": {`Scope "` + s + `" is not authorized for your application`},
					"state": {q.Get("state")}}
				break
			}
		}
		back.RawQuery = answer.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// rewritingBrowser asks the sign-in page of the fake with the page's real
// host, then follows the answer to the loopback listener.
func rewritingBrowser(addr string, page chan<- string) func(string) error {
	return func(raw string) error {
		u, _ := url.Parse(raw)
		host := u.Host
		u.Scheme, u.Host = "http", addr
		req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
		req.Host = host
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Do(req)
		if err != nil {
			page <- ""
			return err
		}
		resp.Body.Close()
		return playBrowser(page)(resp.Header.Get("Location"))
	}
}

// 'keywizard test linkedin' with a new LinkedIn app: the portal's own
// scopes are refused, so the command says the portal's LinkedIn sign-in
// cannot work with this app, why and what would, and exits 1.
func TestTestLinkedInPortalScopesRefused(t *testing.T) {
	portalEnv(t)
	for _, asJSON := range []bool{true, false} {
		srv, seen := linkedInNewApp(t)
		port := freeTCPPort(t)
		pages := make(chan string, 1)
		var out, errb bytes.Buffer
		values := `{"linkedInKey":"86qzk3m7w2xa5p","linkedInSecret":"WPL_AP1.Xq7Lm2Vr9Tn4Kp8B.Zc3dWs=="}`
		d := Deps{Stdin: strings.NewReader(values), Stdout: &out, Stderr: &errb, Open: rewritingBrowser(srv.Listener.Addr().String(), pages), Portals: testPortals(),
			SignIn: &loopback.Tester{Client: &http.Client{Transport: toFake{addr: srv.Listener.Addr().String()}, Timeout: 10 * time.Second}}}
		args := []string{"test", "linkedin", "--values", "-", "--port", strconv.Itoa(port), "--timeout", "15s"}
		if asJSON {
			args = append(args, "--json")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		code := Run(ctx, args, d)
		cancel()
		select {
		case <-pages:
		case <-time.After(10 * time.Second):
			t.Fatal("the browser never finished")
		}
		if code != ExitInvalid {
			t.Fatalf("exit %d, want %d (a refusal)\n%s\n%s", code, ExitInvalid, out.String(), errb.String())
		}
		if strings.Join(seen(), "\n") != "GET www.linkedin.com/oauth/v2/authorization" {
			t.Errorf("calls %v", seen())
		}
		if !asJSON {
			t.Logf("keywizard test linkedin:\n%s", out.String())
			for _, want := range []string{"FAIL LinkedIn:", "cannot work with this app", "tested: DocSpace's own request", "not proven:", `fix  LinkedIn grants r_liteprofile and r_emailaddress only to apps that still have its retired "Sign In with LinkedIn" product`} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
			continue
		}
		var got struct {
			wizard.SignInResult
			Error string `json:"error"`
		}
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out.String())
		}
		if got.OK || got.Error != "rejected" || got.Product != "docspace" || !strings.Contains(got.Message, "r_liteprofile r_emailaddress") ||
			!strings.Contains(got.Message, "the portal's sign-in cannot work with this app") || !strings.Contains(got.Fix, "2023-08-01") || got.NotProven == "" {
			t.Fatalf("%+v", got)
		}
	}
}

// --product picks the product whose request is replayed; without it the
// remembered portals' product is used when they agree.
func TestTestProduct(t *testing.T) {
	portalEnv(t)
	fs := &fakeSignIn{res: wizard.SignInResult{OK: true, Message: "Signed in", Product: "workspace", Proven: "Workspace's own request was accepted.", NotProven: "The portal's redirect URL."}}
	out, errOut, code := runTestCmd(t, fs, valuesJSON(t, googleValues(t)), nil, "test", "google", "--values", "-", "--product", "workspace", "--no-browser")
	if code != ExitOK || fs.opts.Product != "workspace" {
		t.Fatalf("exit %d product %q: %s", code, fs.opts.Product, errOut)
	}
	for _, want := range []string{"tested: Workspace's own request", "proven: Workspace's own request was accepted.", "not proven: The portal's redirect URL."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, _, code := runTestCmd(t, fs, "{}", nil, "test", "google", "--values", "-", "--product", "personal"); code != ExitUsage {
		t.Fatalf("bad --product: exit %d", code)
	}
	fs.opts = wizard.SignInOptions{}
	if _, _, code := runTestCmd(t, fs, valuesJSON(t, googleValues(t)), nil, "test", "google", "--values", "-", "--no-browser"); code != ExitOK || fs.opts.Product != "" {
		t.Fatalf("no portal remembered: product %q", fs.opts.Product)
	}
	list := testPortalList()
	if err := list.Put(portal.Entry{URL: "https://docs.example.com", Product: portal.Workspace}); err != nil {
		t.Fatal(err)
	}
	if _, _, code := runTestCmd(t, fs, valuesJSON(t, googleValues(t)), nil, "test", "google", "--values", "-", "--no-browser"); code != ExitOK || fs.opts.Product != "workspace" {
		t.Fatalf("remembered Workspace portal: product %q", fs.opts.Product)
	}
	if err := list.Put(portal.Entry{URL: "https://space.example.com", Product: portal.DocSpace}); err != nil {
		t.Fatal(err)
	}
	if _, _, code := runTestCmd(t, fs, valuesJSON(t, googleValues(t)), nil, "test", "google", "--values", "-", "--no-browser"); code != ExitOK || fs.opts.Product != "" {
		t.Fatalf("portals of both products: product %q", fs.opts.Product)
	}
}

func freeTCPPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
