package check

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/redact"
)

func TestAllServicesSucceedAgainstFakes(t *testing.T) {
	_, h := newWorld(t, 0)
	k := fakeChecker(t, h)
	all := allValues(t)
	if len(all) != len(checks) {
		t.Fatalf("%d services in the fake world, %d checks", len(all), len(checks))
	}
	for _, r := range k.CheckAll(context.Background(), all) {
		if !r.OK || r.Unreachable {
			t.Errorf("%s: %s (%s)", r.Service, r.Message, r.Details)
		}
		assertNoSecrets(t, r, all[r.Service])
	}
}

func TestApple(t *testing.T) {
	w, h := newWorld(t, 0)
	fixed := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	w.now = func() time.Time { return fixed }
	k := fakeChecker(t, h, WithClock(w.now))
	good := allValues(t)["apple"]
	other := p8(t, mustECKey(t))
	cases := []struct {
		name string
		edit map[string]string
		want want
	}{
		{"accepted", nil, want{ok: true, certainty: wizard.Likely, text: "Apple accepted"}},
		{"wrong key id", map[string]string{"appleIdKeyId": "OTHER12345"}, want{certainty: wizard.Likely, text: "rejected"}},
		{"wrong team", map[string]string{"appleIdTeamId": "ZZZZZ99999"}, want{certainty: wizard.Likely, text: "rejected"}},
		{"another key", map[string]string{"appleIdPrivateKey": other}, want{certainty: wizard.Likely, text: "rejected"}},
		{"not a key", map[string]string{"appleIdPrivateKey": "hello"}, want{certainty: wizard.Proven, text: "not PEM"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := map[string]string{}
			for k, x := range good {
				v[k] = x
			}
			for k, x := range tc.edit {
				v[k] = x
			}
			res := k.Check(context.Background(), "apple", v)
			assertResult(t, res, tc.want)
			assertNoSecrets(t, res, v)
		})
	}
	// A wrong clock makes the JWT look expired to Apple: the injected clock
	// is what dates it.
	late := fakeChecker(t, h, WithClock(func() time.Time { return fixed.Add(-time.Hour) }))
	if r := late.Check(context.Background(), "apple", good); r.OK {
		t.Fatalf("a secret dated an hour ago was accepted: %s", r.Message)
	}
}

func mustECKey(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func decodeSeg(t *testing.T, seg string, v any) {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func TestAppleClientSecretClaims(t *testing.T) {
	keys(t)
	now := time.Unix(1_700_000_000, 0)
	s, err := AppleClientSecret(p8(t, appleKey), "KEY1234567", "ABCDE12345", appleClient, now, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT")
	}
	var hdr, claims map[string]any
	decodeSeg(t, parts[0], &hdr)
	decodeSeg(t, parts[1], &claims)
	if hdr["alg"] != "ES256" || hdr["kid"] != "KEY1234567" {
		t.Errorf("header %v", hdr)
	}
	if claims["iss"] != "ABCDE12345" || claims["sub"] != appleClient || claims["aud"] != "https://appleid.apple.com" ||
		claims["iat"] != float64(now.Unix()) || claims["exp"] != float64(now.Add(5*time.Minute).Unix()) {
		t.Errorf("claims %v", claims)
	}
}

func TestGoogleCloud(t *testing.T) {
	_, h := newWorld(t, 0)
	k := fakeChecker(t, h)
	good := serviceAccountJSON(t, gcpKey, "portal-files")
	rotated := serviceAccountJSON(t, gcpK2, "portal-files")
	cases := []struct {
		name string
		vals map[string]string
		want want
	}{
		{"bucket", map[string]string{"json": good, "bucket": "portal-files"}, want{ok: true, certainty: wizard.Proven, text: "portal-files exists"}},
		{"project list", map[string]string{"json": good}, want{ok: true, certainty: wizard.Proven, text: "list the buckets of project portal-files"}},
		{"object role only", map[string]string{"json": good, "bucket": "objects-only"}, want{ok: true, certainty: wizard.Proven, text: "objects"}},
		{"no access", map[string]string{"json": good, "bucket": "locked"}, want{certainty: wizard.Proven, text: "may not access"}},
		{"no bucket", map[string]string{"json": good, "bucket": "missing"}, want{certainty: wizard.Proven, text: "no bucket named missing"}},
		{"key rotated", map[string]string{"json": rotated}, want{certainty: wizard.Proven, text: "deleted or rotated"}},
		{"not a service account", map[string]string{"json": `{"type":"authorized_user"}`}, want{certainty: wizard.Proven, text: "cannot be used"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := k.Check(context.Background(), "googlecloud", tc.vals)
			assertResult(t, res, tc.want)
			assertNoSecrets(t, res, tc.vals)
			if tc.want.ok && (res.Identity == nil || !strings.HasPrefix(res.Identity.Email, "portal@")) {
				t.Errorf("identity %+v", res.Identity)
			}
		})
	}
}

func TestFirebaseWithServiceAccount(t *testing.T) {
	_, h := newWorld(t, 0)
	k := fakeChecker(t, h)
	v := allValues(t)["firebase"]
	res := k.Check(context.Background(), "firebase", v)
	assertResult(t, res, want{ok: true, certainty: wizard.Proven, text: "validate_only"})
	v["serviceaccount"] = serviceAccountJSON(t, gcpK2, "portal-push")
	res = k.Check(context.Background(), "firebase", v)
	assertResult(t, res, want{certainty: wizard.Proven, text: "rotated"})
	assertNoSecrets(t, res, v)
}

// TestTelegramTokenNeverLeaks covers the ways an answer can quote the URL:
// a refused connection and a timeout (both *url.Error with the full URL),
// and a server that echoes the path back.
func TestTelegramTokenNeverLeaks(t *testing.T) {
	v := map[string]string{"telegramBotToken": tgToken, "telegramBotName": "portal_bot"}
	secretPart := tgToken[strings.Index(tgToken, ":")+1:]
	refused := New(WithClient(&http.Client{Transport: rewrite{addr: "127.0.0.1:1", base: &http.Transport{}}}))
	slow := fakeChecker(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}), WithTimeout(100*time.Millisecond))
	echo := fakeChecker(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reply{400, `{"ok":false,"description":"Bad Request: bad path ` + r.URL.Path + `"}`, nil}.write(w)
	}))
	for name, k := range map[string]*Checker{"refused": refused, "timeout": slow, "echo": echo} {
		res := k.Check(context.Background(), "telegram", v)
		out, _ := json.Marshal(res)
		if strings.Contains(string(out), secretPart) || strings.Contains(string(out), tgToken) {
			t.Errorf("%s: the token leaked: %s", name, out)
		}
		if res.OK {
			t.Errorf("%s: ok", name)
		}
		if name != "echo" && (!res.Unreachable || !strings.Contains(res.Details, "bot<redacted>")) {
			t.Errorf("%s: want unreachable with a redacted URL in Details, got %s", name, out)
		}
	}
}

func TestRedact(t *testing.T) {
	s := redact.Text(`Get "https://api.telegram.org/bot42:AAabc-_x/getMe": dial tcp; psw=p%40ss&x=1; "access_token":"ya29.abc"`, "p@ss")
	for _, leak := range []string{"AAabc", "p%40ss", "ya29"} {
		if strings.Contains(s, leak) {
			t.Errorf("%q left in %s", leak, s)
		}
	}
	// A password with the characters JSON and HTML escape, quoted back by
	// a JSON answer (Go's or PHP's escaping) and by an HTML page.
	const pw = `p/<w>&"d`
	for _, echo := range []string{`{"d":"p/\u003cw\u003e\u0026\"d"}`, `{"d":"p\/\u003cw\u003e\u0026\"d"}`, `<p>p/&lt;w&gt;&amp;&#34;d</p>`} {
		if s := redact.Text(echo, pw); strings.Contains(s, "w") {
			t.Errorf("the password is left in %s", s)
		}
	}
}

// TestEchoedSecretsNeverLeak answers every check with an error that quotes
// the whole request back (URL, headers, body, decoded form), after padding
// that moves the request along the answer, so that the cut of the answer
// falls inside each secret once: no part of a secret may show, nor the
// credentials of an Authorization header, nor a JWT signed by the check.
func TestEchoedSecretsNeverLeak(t *testing.T) {
	var (
		mu   sync.Mutex
		pad  int
		sent []string // credentials the fake received
	)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		mu.Lock()
		if a := r.Header.Get("Authorization"); a != "" && !strings.HasPrefix(a, "AWS4-") { // a signature is no secret
			sent = append(sent, a[strings.IndexByte(a, ' ')+1:])
		}
		for _, vs := range form {
			for _, v := range vs {
				if strings.HasPrefix(v, "eyJ") {
					sent = append(sent, v)
				}
			}
		}
		echo := strings.Repeat("x", pad) + fmt.Sprintf(" %s %s %v %s %v", r.Method, r.URL, r.Header, body, form)
		mu.Unlock()
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, echo)
	})
	k := fakeChecker(t, h)
	const window = 6 // more than the 4 characters a redaction may show
	for service, vals := range allValues(t) {
		// Distinctive secrets, so that a match is a leak and not a word;
		// PEM and JSON keys are never sent, only what is signed with them.
		var secrets []string
		for id, v := range vals {
			if redact.IsSecret(service, id) && !strings.Contains(v, "\n") {
				v = v[:strings.IndexByte(v, ':')+1] + base64.RawURLEncoding.EncodeToString([]byte(randomToken(18)))
				vals[id] = v
				secrets = append(secrets, v)
			}
		}
		for p := 0; p <= maxDetails; p += 3 {
			mu.Lock()
			pad, sent = p, nil
			mu.Unlock()
			out, _ := json.Marshal(k.Check(context.Background(), service, vals))
			mu.Lock()
			all := append(sent, secrets...)
			mu.Unlock()
			for _, v := range all {
				for i := 0; i+window <= len(v); i++ {
					if strings.Contains(string(out), v[i:i+window]) {
						t.Fatalf("%s, pad %d: %q of %q shows in %s", service, p, v[i:i+window], v, out)
					}
				}
			}
		}
	}
}

func TestCheckAllOrderLimitAndCancel(t *testing.T) {
	var inFlight, peak atomic.Int32
	_, wh := newWorld(t, 0)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		wh.ServeHTTP(w, r)
	})
	k := fakeChecker(t, h, WithParallel(3))
	all := allValues(t)
	sub := map[string]map[string]string{}
	for _, id := range []string{"zotero", "telegram", "bitly", "smsc", "vk", "box", "selectel"} {
		sub[id] = all[id]
	}
	sub["unknown-b"], sub["unknown-a"] = nil, nil
	res := k.CheckAll(context.Background(), sub)
	var got []string
	for _, r := range res {
		got = append(got, r.Service)
	}
	wantOrder := []string{}
	for _, id := range providers.IDs() {
		if _, ok := sub[id]; ok {
			wantOrder = append(wantOrder, id)
		}
	}
	wantOrder = append(wantOrder, "unknown-a", "unknown-b")
	if strings.Join(got, ",") != strings.Join(wantOrder, ",") {
		t.Errorf("order %v, want %v", got, wantOrder)
	}
	if p := peak.Load(); p > 3 || p < 2 {
		t.Errorf("peak concurrency %d, want 2..3", p)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	for _, r := range k.CheckAll(ctx, sub) {
		if strings.HasPrefix(r.Service, "unknown") {
			continue
		}
		if r.OK || !r.Unreachable || !strings.Contains(r.Message, "cancelled") {
			t.Errorf("%s after cancel: %+v", r.Service, r)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("cancelled CheckAll took %v", d)
	}
}

func TestPerCheckTimeout(t *testing.T) {
	k := fakeChecker(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
		}
	}), WithTimeout(100*time.Millisecond))
	start := time.Now()
	r := k.Check(context.Background(), "zotero", map[string]string{"zoteroApiKey": "P9NiFoyLeZu2bZNvvuQPDWsd"})
	if !r.Unreachable || !strings.Contains(r.Message, "in time") || time.Since(start) > 2*time.Second {
		t.Fatalf("%+v after %v", r, time.Since(start))
	}
}
