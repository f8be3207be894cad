package loopback

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"keywizard/wizard"
)

func TestParseIdentity(t *testing.T) {
	cases := []struct {
		name, body string
		want       wizard.Identity
	}{
		{"oidc", `{"sub":"1","name":"Ada Lovelace","email":"ada@example.com"}`, wizard.Identity{Name: "Ada Lovelace", Email: "ada@example.com", ID: "1"}},
		{"given/family", `{"given_name":"Ada","family_name":"Lovelace"}`, wizard.Identity{Name: "Ada Lovelace"}},
		{"graph", `{"id":"g","displayName":"Ada L","mail":null,"userPrincipalName":"ada@contoso.onmicrosoft.com"}`, wizard.Identity{Name: "Ada L", Email: "ada@contoso.onmicrosoft.com", ID: "g"}},
		{"yandex", `{"id":"7","login":"ada","display_name":"Ada","default_email":"ada@yandex.ru"}`, wizard.Identity{Name: "Ada", Email: "ada@yandex.ru", ID: "7"}},
		{"x", `{"data":{"id":"9","name":"Ada","username":"ada_l"}}`, wizard.Identity{Name: "Ada", ID: "9"}},
		{"vk", `{"response":[{"id":123,"first_name":"Ada","last_name":"Lovelace"}]}`, wizard.Identity{Name: "Ada Lovelace", ID: "123"}},
		{"dropbox", `{"account_id":"dbid:1","name":{"display_name":"Ada L"},"email":"ada@example.com"}`, wizard.Identity{Name: "Ada L", Email: "ada@example.com", ID: "dbid:1"}},
		{"box", `{"id":"5","name":"Ada","login":"ada@example.com"}`, wizard.Identity{Name: "Ada", Email: "ada@example.com", ID: "5"}},
		{"bitly", `{"login":"ada","emails":[{"email":"old@example.com","is_primary":false},{"email":"ada@example.com","is_primary":true}]}`, wizard.Identity{Name: "ada", Email: "ada@example.com"}},
		{"wordpress", `{"ID":12345,"display_name":"Ada","username":"adal","email":"ada@example.com"}`, wizard.Identity{Name: "Ada", Email: "ada@example.com", ID: "12345"}},
		{"mendeley", `{"id":"9f0c","first_name":"Ada","last_name":"Lovelace","display_name":"Ada Lovelace","email":"ada@example.com"}`, wizard.Identity{Name: "Ada Lovelace", Email: "ada@example.com", ID: "9f0c"}},
		{"LinkedIn v2 profile", `{"id":"yrZCpj2Z12","localizedFirstName":"Ada","localizedLastName":"Lovelace"}`, wizard.Identity{Name: "Ada Lovelace", ID: "yrZCpj2Z12"}},
		{"LinkedIn v2 e-mail", `{"elements":[{"handle":"urn:li:emailAddress:1","handle~":{"emailAddress":"ada@example.com"}}]}`, wizard.Identity{Email: "ada@example.com"}},
		{"Google People API", `{"resourceName":"people/1101","names":[{"metadata":{"primary":false},"displayName":"Other"},{"metadata":{"primary":true},"displayName":"Ada Lovelace"}],"emailAddresses":[{"metadata":{"primary":true},"value":"ada@example.com"}]}`, wizard.Identity{Name: "Ada Lovelace", Email: "ada@example.com", ID: "1101"}},
		{"OneDrive drive", `{"id":"d1","driveType":"personal","owner":{"user":{"displayName":"Ada Lovelace","id":"e3d1"}}}`, wizard.Identity{Name: "Ada Lovelace", ID: "e3d1"}},
		{"X v1.1 verify_credentials", `{"id":6253282,"id_str":"6253282","name":"Ada Lovelace","screen_name":"ada"}`, wizard.Identity{Name: "Ada Lovelace", ID: "6253282"}},
		{"username only", `{"preferred_username":"jane.doe","email":"jane@example.com"}`, wizard.Identity{Name: "jane.doe", Email: "jane@example.com"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dec := json.NewDecoder(strings.NewReader(c.body))
			dec.UseNumber()
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				t.Fatal(err)
			}
			if got := parseIdentity(m); got != c.want {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

// Providers without userinfo: the id_token's claims, with a warning that
// the signature was not checked; VK's e-mail comes in the token answer.
func TestIdentityFromToken(t *testing.T) {
	claims := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"s","email":"ada@example.com","name":"Ada"}`))
	tok := (&oauth2.Token{AccessToken: "a"}).WithExtra(map[string]any{"id_token": "e30." + claims + ".sig"})
	id, warns := fromIDToken(fromToken(wizard.Identity{}, tok), tok)
	if id.String() != "Ada <ada@example.com>" || len(warns) != 1 || !strings.Contains(warns[0], "without checking its signature") {
		t.Fatalf("%+v %q", id, warns)
	}
	tok = (&oauth2.Token{AccessToken: "a"}).WithExtra(map[string]any{"email": "ada@vk.example", "user_id": 1})
	if id = fromToken(wizard.Identity{}, tok); id.Email != "ada@vk.example" || id.ID != "1" {
		t.Fatalf("%+v", id)
	}
	// Mail.ru's site platform: the user's id in the token answer.
	tok = (&oauth2.Token{AccessToken: "a"}).WithExtra(map[string]any{"x_mailru_vid": "18159405213853428433"})
	if id = fromToken(wizard.Identity{}, tok); id.String() != "18159405213853428433" {
		t.Fatalf("%+v", id)
	}
}

func TestGrantedScopesAndMissing(t *testing.T) {
	tok := (&oauth2.Token{}).WithExtra(map[string]any{"scope": "openid https://www.googleapis.com/auth/userinfo.email"})
	got := grantedScopes(tok)
	if len(got) != 2 {
		t.Fatalf("%v", got)
	}
	w := missingScopes([]string{"openid", "email"}, []string{"https://www.googleapis.com/auth/drive", "https://www.googleapis.com/auth/userinfo.email"}, got)
	if len(w) != 1 || !strings.Contains(w[0], "auth/drive") || strings.Contains(w[0], "userinfo.email") {
		t.Fatalf("%q", w)
	}
	if w := missingScopes([]string{"email"}, []string{"email"}, nil); w != nil {
		t.Fatalf("%q", w)
	}
}
