package loopback

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The examples of RFC 5849 (section 1.2 and 3.4.1.1) and X's own worked
// example of "Creating a signature".
func TestOAuth1SignatureVectors(t *testing.T) {
	cases := []struct {
		name, method, raw, body  string
		consumerSecret, tokenSec string
		params                   map[string]string
		want                     string
	}{
		{
			name: "RFC 5849 1.2 temporary credentials", method: "POST", raw: "https://photos.example.net/initiate",
			consumerSecret: "kd94hf93k423kf44",
			params: map[string]string{"realm": "Photos", "oauth_consumer_key": "dpf43f3p2l4k3l03", "oauth_signature_method": "HMAC-SHA1",
				"oauth_timestamp": "137131200", "oauth_nonce": "wIjqoS", "oauth_callback": "http://printer.example.com/ready"},
			want: "74KNZJeDHnMBp0EMJ9ZHt/XKycU=",
		},
		{
			name: "RFC 5849 1.2 token credentials", method: "POST", raw: "https://photos.example.net/token",
			consumerSecret: "kd94hf93k423kf44", tokenSec: "hdhd0244k9j7ao03",
			params: map[string]string{"realm": "Photos", "oauth_consumer_key": "dpf43f3p2l4k3l03", "oauth_token": "hh5s93j4hdidpola",
				"oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "137131201", "oauth_nonce": "walatlh", "oauth_verifier": "hfdp7dh39dks9884"},
			want: "gKgrFCywp7rO0OXSjdot/IHF7IU=",
		},
		{
			name: "RFC 5849 1.2 protected resource", method: "GET", raw: "http://photos.example.net/photos?file=vacation.jpg&size=original",
			consumerSecret: "kd94hf93k423kf44", tokenSec: "pfkkdhi9sl3r4s00",
			params: map[string]string{"realm": "Photos", "oauth_consumer_key": "dpf43f3p2l4k3l03", "oauth_token": "nnch734d00sl2jdk",
				"oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "137131202", "oauth_nonce": "chapoH"},
			want: "MdpQcU8iPSUjWoN/UDMsK2sui9I=", // "MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D" in the header
		},
		{
			name: "X's signature example", method: "POST", raw: "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
			body:           "status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21",
			consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", tokenSec: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
			params: map[string]string{"oauth_consumer_key": "xvz1evFS4wEEPTGEFPHBog", "oauth_nonce": "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
				"oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "1318622958", "oauth_token": "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
				"oauth_version": "1.0"},
			want: "hCtSmYh+iHYCEqBWrE7C7hYmtUk=",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, _ := url.Parse(c.raw)
			form, _ := url.ParseQuery(c.body)
			s := signer{consumerSecret: c.consumerSecret, tokenSecret: c.tokenSec}
			if got := s.signature(c.method, u, form, c.params); got != c.want {
				t.Fatalf("signature %s, want %s\nbase %s", got, c.want, baseString(c.method, u, form, c.params))
			}
		})
	}
}

// RFC 5849 3.4.1.1: the base string example, with a repeated parameter,
// encoded names and values, an empty value and a form body.
func TestOAuth1BaseString(t *testing.T) {
	u, _ := url.Parse("http://EXAMPLE.COM:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b")
	form, _ := url.ParseQuery("c2&a3=2+q")
	params := map[string]string{"realm": "Example", "oauth_consumer_key": "9djdj82h48djs9d2", "oauth_token": "kkk9d7dh3k39sjv7",
		"oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "137131201", "oauth_nonce": "7d8f3e4a", "oauth_signature": "ignored"}
	want := "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
	if got := baseString("POST", u, form, params); got != want {
		t.Fatalf("base string\n got %s\nwant %s", got, want)
	}
	for in, out := range map[string]string{"https://Example.com:443/a b": "https://example.com/a%20b", "http://h:8080": "http://h:8080/"} {
		v, _ := url.Parse(in)
		if baseURI(v) != out {
			t.Errorf("%s: %s", in, baseURI(v))
		}
	}
	if percent("Ladies + Gentlemen, ~ok!") != "Ladies%20%2B%20Gentlemen%2C%20~ok%21" || percent("é") != "%C3%A9" {
		t.Error("percent-encoding")
	}
}

// The Authorization header carries every protocol parameter, encoded and
// quoted, and a signature that verifies.
func TestOAuth1Header(t *testing.T) {
	s := signer{consumerKey: "key", consumerSecret: "secret", token: "tok", tokenSecret: "tsec",
		now: func() time.Time { return time.Unix(137131200, 0) }, nonce: func() string { return "n0nce" }}
	req, _ := http.NewRequest(http.MethodPost, "https://api.twitter.com/oauth/request_token", nil)
	s.sign(req, nil, map[string]string{"oauth_callback": "http://127.0.0.1:53682/callback"})
	h := req.Header.Get("Authorization")
	for _, want := range []string{`oauth_callback="http%3A%2F%2F127.0.0.1%3A53682%2Fcallback"`, `oauth_consumer_key="key"`, `oauth_nonce="n0nce"`,
		`oauth_signature_method="HMAC-SHA1"`, `oauth_timestamp="137131200"`, `oauth_token="tok"`, `oauth_version="1.0"`} {
		if !strings.Contains(h, want) {
			t.Errorf("header %s lacks %s", h, want)
		}
	}
	params := map[string]string{"oauth_callback": "http://127.0.0.1:53682/callback", "oauth_consumer_key": "key", "oauth_nonce": "n0nce",
		"oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "137131200", "oauth_token": "tok", "oauth_version": "1.0"}
	if got := oauthParam(h, "oauth_signature"); got != s.signature("POST", req.URL, nil, params) {
		t.Errorf("signature %s does not verify", got)
	}
	if strings.Contains(h, "secret") || strings.Contains(h, "tsec") {
		t.Error("a secret is in the header")
	}
}
