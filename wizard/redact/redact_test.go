package redact

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"

	"keywizard/providers"
)

// echoes is a text quoting v every way a service, a portal or a provider
// has been seen to quote a value back.
func echoes(v string) string {
	j, _ := json.Marshal(v)
	t := strings.TrimSpace(v)
	jt, _ := json.Marshal(t)
	return strings.Join([]string{
		"raw " + v,
		"trimmed [" + t + "]",
		"query ?x=" + url.QueryEscape(v),
		"path /" + url.PathEscape(v) + "/",
		"twice " + url.QueryEscape(url.QueryEscape(v)),
		"json " + string(j),
		"json trimmed " + string(jt),
		"json slashes " + strings.ReplaceAll(string(j), "/", `\/`),
		"html " + html.EscapeString(v),
		"one line " + strings.Join(strings.Fields(v), " "),
	}, "\n")
}

// TestEveryCatalogueSecret walks every field the catalogue marks Secret:
// its value, in every form, is taken out of a text, by the service's id.
// The other fields' values stay.
func TestEveryCatalogueSecret(t *testing.T) {
	n := 0
	for _, p := range providers.All() {
		vals := map[string]string{}
		for i, f := range p.Fields {
			vals[f.ID] = fmt.Sprintf(" %s-%d/value with+odd&chars \"q\" <%s> \n", p.ID, i, f.ID)
		}
		for _, f := range p.Fields {
			text := echoes(vals[f.ID])
			got := Service(text, p.ID, vals)
			core := strings.TrimSpace(vals[f.ID])[:8]
			if f.Secret {
				n++
				if strings.Contains(got, core) || strings.Count(got, Mark) < 10 {
					t.Errorf("%s/%s: a form of the secret is left:\n%s", p.ID, f.ID, got)
				}
			} else if got != text {
				t.Errorf("%s/%s is not secret, yet its value was touched:\n%s", p.ID, f.ID, got)
			}
		}
	}
	if n < 25 {
		t.Fatalf("only %d secret fields in the catalogue", n)
	}
}

func TestSecrets(t *testing.T) {
	vals := map[string]string{"twitterClientId": "client-id-1234", "twitterClientSecret": "client-secret-1234", "short": "abc"}
	if got := Secrets("twitter", vals); len(got) != 1 || got[0] != "client-secret-1234" {
		t.Fatalf("twitter: %v", got)
	}
	// A service the catalogue does not have: its field ids decide.
	got := Secrets("some-test-service", map[string]string{"googleClientSecret": "GOCSPX-1234", "googleClientId": "1234.apps", "telegramBotToken": "1:x"})
	if len(got) != 1 || got[0] != "GOCSPX-1234" {
		t.Fatalf("unknown service: %v", got)
	}
}

func TestPatterns(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte("client-id:client-secret-value"))
	jwt := "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJURUFNIn0.c2lnbmF0dXJlLXBhcnQ"
	for in, gone := range map[string]string{
		"GET https://api.telegram.org/bot123456:AAE-secret_part/getMe": "AAE-secret_part",
		`{"access_token":"ya29.secret","token_type":"Bearer"}`:         "ya29.secret",
		"Authorization: Basic " + basic:                                basic,
		"authorization: bearer 0123456789abcdefghij":                   "0123456789abcdefghij",
		"client_secret=" + jwt:                                         jwt,
	} {
		if got := Text(in); strings.Contains(got, gone) || !strings.Contains(got, Mark) {
			t.Errorf("%q -> %q", in, got)
		}
	}
}

func TestLongestFirst(t *testing.T) {
	got := Text("outer: abcdefghij", "abcd", "abcdefghij")
	if got != "outer: "+Mark {
		t.Fatalf("%q: a shorter secret inside a longer one left the rest behind", got)
	}
	if got := Text("ab cd", "ab"); got != "ab cd" {
		t.Fatalf("a value under 4 characters must be left alone: %q", got)
	}
}
