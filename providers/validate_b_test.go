package providers

import (
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// idsB are the services whose fields validatorTableB covers.
var idsB = strings.Fields("mendeley microsoft onedrive rackspace selectel smsc telegram twilio twitter vk wordpress yahoo yandex zotero")

// expectB is a value together with a piece of the message it must get.
type expectB struct{ value, msg string }

// fieldCasesB lists, for one field, values that pass without a word,
// values that pass with a warning, and values that are refused.
type fieldCasesB struct {
	provider, field string
	good            []string
	warn            []expectB
	bad             []expectB
}

// Shared by Microsoft and OneDrive, which use the same Entra checks.
var (
	entraIDGoodB  = []string{"1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d", "ABCDEF01-2345-6789-ABCD-EF0123456789"}
	entraIDBadB   = []expectB{{"Xy78Q~AbCdEfGhIjKlMnOpQrStUvWxYz0123456", "client secret value"}, {"{1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d}", "curly braces"}, {"1b2c3d4e5f604a7b8c9d0e1f2a3b4c5d", "GUID"}, {"my-portal-app", "GUID"}, {"", "required"}, {" 1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d", "space"}}
	entraSecGoodB = []string{"Xy78Q~AbCdEfGhIjKlMnOpQrStUvWxYz0123456", "a.b8Q~_-~.AbCdEfGhIjKlMnOpQrStUvWxYz0123"}
	entraSecWarnB = []expectB{{"OldStyleSecretWithoutTheMarker1234567890", "Q~"}, {"Xy78Q~tooShort", "Q~"}}
	entraSecBadB  = []expectB{{"3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b", "Secret ID"}, {"{3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b}", "Secret ID"}, {"Xy7*************************", "hidden form"}, {"Xy78Q~AbCd EfGhIjKlMnOpQrStUvWxYz012345", "space"}, {"", "required"}}
	tenantGoodB   = []string{"", "common", "organizations", "consumers", "Common", "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "contoso.onmicrosoft.com"}
	tenantWarnB   = []expectB{{"contoso.com", "custom domain"}, {"login.contoso.co.uk", "custom domain"}}
	tenantBadB    = []expectB{{"https://login.microsoftonline.com/contoso.onmicrosoft.com", "web address"}, {"admin@contoso.com", "e-mail"}, {"my tenant", "Directory (tenant) ID"}, {"contoso", "Directory (tenant) ID"}}
)

const (
	twilioSIDB   = "AC0123456789abcdef0123456789abcdef"
	twilioTokenB = "f3a9c1e07b2d4856a1c3e5f7092b4d6e"
	twilioKeyB   = "SK0123456789abcdef0123456789abcdef"
	twilioMGB    = "MG9f8e7d6c5b4a39281706f5e4d3c2b1a0"
	telegramB    = "7123456789:AAHk3vQ9x_LmN0pRsTuVwXyZ1a2B3c4D5eF"
	xKeyB        = "Qw3Er5Ty7Ui9Op1As2Df4Gh6J"
	xSecretB     = "Zx8Cv6Bn4Mq2Wd9Fr7Tg5Yh3Uj1Ik0OlPaSdFgHjKlQwErTyUi"
	xClientIDB   = "WHk5TG0yUXA3UnQ0Vnc4WmIzTmM6MTpjaQ"
	xBearerB     = "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F"
	xAccessB     = "1234567890-AbCdEfGhIjKlMnOpQrStUv"
	wpSecretB    = "aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY2zA4bC6dE8fG0hJ2kL4mN6pQ8rS0tU2v"
	yahooIDB     = "dj0yJmk9UW03eEtwMkx3WjlSJmQ9WVdrOVpVcDRUM04yTjFRbWMzWTlNQ1o0UFRKbSZzPWNvbnN1bWVyc2VjcmV0JnN2PTAmeD04Yw--"
	yahooSecB    = "e7c1a94f02b8d63e5a17c9f04b2d86e13a5c7f90"
	zoteroKeyB   = "P7xQ2mLr9KvT4sWn8ZbYc3Fd"
)

var (
	expiresGoodB = []string{"", time.Now().AddDate(0, 1, 0).Format(DateLayout), time.Now().AddDate(2, 0, 0).Format(DateLayout)}
	expiresWarnB = []expectB{{time.Now().AddDate(0, 0, -2).Format(DateLayout), "has passed"}}
	expiresBadB  = []expectB{{time.Now().AddDate(2, 1, 0).Format(DateLayout), "24 months"}, {"30/06/2027", "year-month-day"}}
)

var validatorTableB = []fieldCasesB{
	{provider: "microsoft", field: "microsoftClientId", good: entraIDGoodB, bad: entraIDBadB},
	{provider: "microsoft", field: "microsoftClientSecret", good: entraSecGoodB, warn: entraSecWarnB, bad: entraSecBadB},
	{provider: "microsoft", field: "tenant", good: tenantGoodB, warn: tenantWarnB, bad: tenantBadB},
	{provider: "onedrive", field: "skydriveappkey", good: entraIDGoodB, bad: entraIDBadB},
	{provider: "onedrive", field: "skydriveappsecret", good: entraSecGoodB, warn: entraSecWarnB, bad: entraSecBadB},
	{provider: "onedrive", field: "tenant", good: tenantGoodB, warn: tenantWarnB, bad: tenantBadB},
	{provider: "microsoft", field: "expiresOn", good: expiresGoodB, warn: expiresWarnB, bad: expiresBadB},
	{provider: "onedrive", field: "expiresOn", good: expiresGoodB, warn: expiresWarnB, bad: expiresBadB},

	{
		provider: "rackspace", field: "username",
		good: []string{"acmebackup", "john.doe"},
		bad:  []expectB{{"0f1e2d3c4b5a69788796a5b4c3d2e1f0", "API key"}, {"john doe", "space"}, {"", "required"}},
	},
	{
		provider: "rackspace", field: "apiKey",
		good: []string{"0f1e2d3c4b5a69788796a5b4c3d2e1f0"},
		warn: []expectB{{"0F1E2D3C4B5A69788796A5B4C3D2E1F0", "32 lowercase"}, {"abc123abc123", "32 lowercase"}},
		bad:  []expectB{{"********************************", "masked"}, {"0f1e2d3c 4b5a69788796a5b4c3d2e1f0", "space"}},
	},
	{
		provider: "rackspace", field: "region",
		good: []string{"", "DFW", "LON", "HKG"},
		warn: []expectB{{"dfw", "three capital"}, {"EU1", "three capital"}},
		bad:  []expectB{{"D FW", "space"}},
	},
	{
		provider: "selectel", field: "authUser",
		good: []string{"123456", "123456_backup", "98765_user.name-1"},
		warn: []expectB{{"backup", "account number"}},
		bad:  []expectB{{"_backup", "account number before"}, {"123456 backup", "space"}},
	},
	{
		provider: "selectel", field: "authPwd",
		good: []string{"hT7-kQ2m_Zx9vLp4", "correct horse battery staple"},
		warn: []expectB{{"123456_backup", "storage login"}},
		bad:  []expectB{{"", "required"}},
	},
	{
		provider: "smsc", field: "smsclogin",
		good: []string{"acme-portal", "ivanov"},
		bad:  []expectB{{"9b2e4f17a0c3d5e6f8091a2b3c4d5e6f", "MD5"}, {"acme portal", "space"}},
	},
	{
		provider: "smsc", field: "smscpsw",
		good: []string{"9b2e4f17a0c3d5e6f8091a2b3c4d5e6f", "plain-Password!1", "ABC", "ABCDEF0123456789"},
		// 32 hexadecimal characters with capitals may be a real password.
		warn: []expectB{{"9B2E4F17A0C3D5E6F8091A2B3C4D5E6F", "lowercase"}, {"9b2e4f17A0c3d5e6f8091a2b3c4d5e6f", "lowercase"}, {"********", "hidden form"}},
		bad:  []expectB{{"", "required"}},
	},
	{
		provider: "smsc", field: "smscsender",
		good: []string{"ONLYOFFICE", "+79001234567", "Acme Corp"},
		warn: []expectB{{"AVeryLongSenderName", "11 Latin"}, {"Компания", "11 Latin"}},
	},
	{
		provider: "telegram", field: "telegramBotToken",
		good: []string{telegramB, "12345:AA_-0123456789abcdefghijABCDEFGHIJK"},
		warn: []expectB{{"123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11", "35 characters"}, {"7123456789:BBHk3vQ9x_LmN0pRsTuVwXyZ1a2B3c4D5eF", "35 characters"}},
		bad: []expectB{
			{"bot" + telegramB, `word "bot"`},
			{"https://api.telegram.org/bot" + telegramB + "/getMe", "Bot API address"},
			{"acme_portal_bot", "username"},
			{"7123456789AAHk3vQ9x_LmN0pRsTuVwXyZ1a2B3c4D5eF", "colon"},
			{"12:AAHk3vQ9x_LmN0pRsTuVwXyZ1a2B3c4D5eF", "colon"},
			{"7123456789:AAHk3vQ9x", "colon"},
		},
	},
	{
		provider: "telegram", field: "telegramBotName",
		good: []string{"acme_portal_bot", "TestBot", "abcBOT"},
		warn: []expectB{{"acme_portal", "end in"}, {"bot", "5 to 32"}, {"a-b-bot", "5 to 32"}},
		bad:  []expectB{{"@acme_portal_bot", "@"}, {"https://t.me/acme_portal_bot", "link"}, {telegramB, "bot token"}, {"acme portal bot", "space"}},
	},
	{
		provider: "twilio", field: "twilioAccountSid",
		good: []string{twilioSIDB, "AC0123456789ABCDEF0123456789ABCDEF"},
		bad:  []expectB{{twilioKeyB, "API key SID"}, {twilioMGB, "Messaging Service"}, {twilioTokenB, "Auth Token"}, {"AC123", "AC followed by 32"}, {"ac0123456789abcdef0123456789abcdef", "AC followed by 32"}},
	},
	{
		provider: "twilio", field: "twilioAuthToken",
		good: []string{twilioTokenB},
		warn: []expectB{{"F3A9C1E07B2D4856A1C3E5F7092B4D6E", "32 lowercase"}, {"f3a9c1e07b2d", "32 lowercase"}},
		bad:  []expectB{{twilioSIDB, "Account SID"}, {twilioKeyB, "API key SID"}, {"********************************", "masked"}, {"f3a9c1e0 7b2d4856", "space"}},
	},
	{
		provider: "twilio", field: "twiliosender",
		good: []string{"+14155550100", twilioMGB, "Acme", "ACME 2FA"},
		warn: []expectB{{"+1 415 555 0100", "without spaces"}, {"+1 (415) 555-0100", "without spaces"}, {"14155550100", "start the number with +"}, {"Acme Corporation Ltd", "sender is usually"}},
		bad:  []expectB{{twilioSIDB, "Account SID"}},
	},
	{
		provider: "twitter", field: "twitterKey",
		good: []string{xKeyB},
		warn: []expectB{{"Qw3Er5Ty7Ui9Op1As2Df4Gh6", "25 letters"}},
		bad:  []expectB{{xBearerB, "Bearer Token"}, {xAccessB, "access token"}, {xClientIDB, "OAuth 2.0 Client ID"}, {xSecretB, "API Key Secret"}, {"Qw3Er5Ty7 Ui9Op1As2Df4Gh6J", "space"}},
	},
	{
		provider: "twitter", field: "twitterSecret",
		good: []string{xSecretB},
		warn: []expectB{{"Zx8Cv6Bn4Mq2Wd9Fr7Tg5Yh3Uj1Ik0OlPaSdFgHjKlQwErTy", "50 letters"}},
		bad:  []expectB{{xKeyB, "API Key"}, {xBearerB, "Bearer Token"}, {xAccessB, "access token"}},
	},
	{
		provider: "twitter", field: "twitterClientId",
		good: []string{"", xClientIDB},
		warn: []expectB{{"some-client", "MTpjaQ"}},
		bad:  []expectB{{xKeyB, "API Key"}},
	},
	{
		provider: "twitter", field: "twitterClientSecret",
		good: []string{"", "k9J-h7G_f5D3s1A0pOiUyTrEwQ2mNbVcXz8L6K4J2H0gFdSa1Z"},
		warn: []expectB{{"tooshort_secret", "50 letters"}},
		bad:  []expectB{{xClientIDB, "Client ID"}},
	},
	{
		provider: "vk", field: "vkClientId",
		good: []string{"51234567", "7654321"},
		warn: []expectB{{"123", "7 to 9"}, {"app51234567", "7 to 9"}},
		bad:  []expectB{{"Xq3LmP9sRt2VwYz8KbNc", "secure key"}, {"5123 4567", "space"}},
	},
	{
		provider: "vk", field: "vkClientSecret",
		good: []string{"Xq3LmP9sRt2VwYz8KbNc"},
		warn: []expectB{{"Xq3LmP9sRt2VwYz8", "20 letters"}},
		bad:  []expectB{{"51234567", "App ID"}},
	},
	{
		provider: "wordpress", field: "wpClientId",
		good: []string{"81234", "1"},
		warn: []expectB{{"abc123", "a number"}},
		bad:  []expectB{{wpSecretB, "client secret"}},
	},
	{
		provider: "wordpress", field: "wpClientSecret",
		good: []string{wpSecretB},
		warn: []expectB{{"tooShortSecret123", "64 letters"}},
		bad:  []expectB{{"81234", "client ID"}},
	},
	{
		provider: "yahoo", field: "yahooClientId",
		good: []string{yahooIDB},
		warn: []expectB{{"dj0yJmk9", "dj0y"}, {"Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90Uv12Wx34Yz56Ab78Cd90Ef12Gh34Ij56Kl78Mn90", "dj0y"}},
		bad:  []expectB{{yahooSecB, "client secret"}},
	},
	{
		provider: "yahoo", field: "yahooClientSecret",
		good: []string{yahooSecB},
		warn: []expectB{{"E7C1A94F02B8D63E5A17C9F04B2D86E13A5C7F90", "40 lowercase"}},
		bad:  []expectB{{yahooIDB, "Client ID"}},
	},
	{
		provider: "yandex", field: "yandexClientId",
		good: []string{"4b7c1e9d2a6f4e03b8d5c7a19e2f6b80"},
		warn: []expectB{{"4B7C1E9D2A6F4E03B8D5C7A19E2F6B80", "32 lowercase"}, {"4b7c1e9d", "32 lowercase"}},
		bad:  []expectB{{"4b7c1e9d 2a6f4e03b8d5c7a19e2f6b80", "space"}},
	},
	{
		provider: "yandex", field: "yandexClientSecret",
		good: []string{"5d1e7f3a9b2c4d6e8f0a1b3c5d7e9f21"},
		warn: []expectB{{"5D1E7F3A9B2C4D6E8F0A1B3C5D7E9F21", "32 lowercase"}},
		bad:  []expectB{{"5d1e7f3a 9b2c4d6e8f0a1b3c5d7e9f21", "space"}, {"", "required"}},
	},
	{
		provider: "zotero", field: "zoteroApiKey",
		good: []string{zoteroKeyB},
		warn: []expectB{{"P7xQ2mLr9KvT4sWn8ZbYc3F", "24 letters"}},
		bad:  []expectB{{"4815162", "userID"}, {"P7xQ2mLr9KvT 4sWn8ZbYc3Fd", "space"}},
	},
	{
		provider: "zotero", field: "zoteroUserId",
		good: []string{"", "4815162"},
		bad:  []expectB{{zoteroKeyB, "API key"}, {"user42", "a number"}},
	},
	{
		provider: "mendeley", field: "mendeleyClientId",
		good: []string{"12345"},
		warn: []expectB{{"app-12", "a number"}},
		bad:  []expectB{{"Hs7Kd2Lq9Wm4Xv1B", "secret"}},
	},
	{
		provider: "mendeley", field: "mendeleyClientSecret",
		good: []string{"", "Hs7Kd2Lq9Wm4Xv1B"},
		warn: []expectB{{"Hs7Kd2Lq9", "16 letters"}},
		bad:  []expectB{{"12345", "App ID"}},
	},
}

func lookupFieldB(t testing.TB, provider, field string) Field {
	t.Helper()
	p, ok := Lookup(provider)
	if !ok {
		t.Fatalf("no provider %q", provider)
	}
	f, ok := p.Field(field)
	if !ok {
		t.Fatalf("%s has no field %q", provider, field)
	}
	return f
}

// TestValidatorTableCoversB makes sure every field of these services has
// its row in the table, so a new field cannot go untested.
func TestValidatorTableCoversB(t *testing.T) {
	rows := map[string]bool{}
	for _, c := range validatorTableB {
		rows[c.provider+"/"+c.field] = true
	}
	for _, id := range idsB {
		p, ok := Lookup(id)
		if !ok {
			t.Errorf("no provider %q", id)
			continue
		}
		for _, f := range p.Fields {
			if !rows[id+"/"+f.ID] {
				t.Errorf("field %s/%s has no row in the validator table", id, f.ID)
			}
		}
	}
}

func TestValidatorsB(t *testing.T) {
	for _, c := range validatorTableB {
		t.Run(c.provider+"/"+c.field, func(t *testing.T) {
			f := lookupFieldB(t, c.provider, c.field)
			for _, v := range c.good {
				if err := f.Validate(v); err != nil {
					t.Errorf("good value %q: %v", v, err)
				}
			}
			for _, w := range c.warn {
				err := f.Validate(w.value)
				if !IsWarning(err) {
					t.Errorf("value %q: want a warning, got %v", w.value, err)
					continue
				}
				checkMessageB(t, f, w, err)
			}
			for _, b := range c.bad {
				err := f.Validate(b.value)
				if !Blocks(err) {
					t.Errorf("value %q: want a rejection, got %v", b.value, err)
					continue
				}
				checkMessageB(t, f, b, err)
			}
		})
	}
}

func checkMessageB(t *testing.T, f Field, e expectB, err error) {
	t.Helper()
	msg := err.Error()
	if !strings.Contains(msg, e.msg) {
		t.Errorf("value %q: message %q should mention %q", e.value, msg, e.msg)
	}
	if f.Secret && e.value != "" && strings.Contains(msg, e.value) {
		t.Errorf("the message for a secret repeats the value: %q", msg)
	}
}

// TestCrossFieldB covers the paste mistakes that only show when two fields
// are compared.
func TestCrossFieldB(t *testing.T) {
	const guid = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"
	for _, c := range []struct {
		provider string
		values   map[string]string
		field    string // field that must carry the error; "" for none
	}{
		{"microsoft", map[string]string{"microsoftClientId": guid, "microsoftClientSecret": entraSecGoodB[0], "tenant": guid}, "microsoftClientId"},
		{"microsoft", map[string]string{"microsoftClientId": guid, "microsoftClientSecret": entraSecGoodB[0], "tenant": strings.ToUpper(guid)}, "microsoftClientId"},
		{"microsoft", map[string]string{"microsoftClientId": guid, "microsoftClientSecret": entraSecGoodB[0]}, ""},
		{"onedrive", map[string]string{"skydriveappkey": guid, "skydriveappsecret": entraSecGoodB[0], "tenant": guid}, "skydriveappkey"},
		{"onedrive", map[string]string{"skydriveappkey": guid, "skydriveappsecret": entraSecGoodB[0], "tenant": "consumers"}, ""},
		{"yandex", map[string]string{"yandexClientId": "4b7c1e9d2a6f4e03b8d5c7a19e2f6b80", "yandexClientSecret": "4b7c1e9d2a6f4e03b8d5c7a19e2f6b80"}, "yandexClientSecret"},
		{"yandex", map[string]string{"yandexClientId": "4b7c1e9d2a6f4e03b8d5c7a19e2f6b80", "yandexClientSecret": "5d1e7f3a9b2c4d6e8f0a1b3c5d7e9f21"}, ""},
	} {
		p, _ := Lookup(c.provider)
		for _, fe := range p.Validate(c.values) {
			want := fe.Field == c.field
			if want != Blocks(fe.Err) {
				t.Errorf("%s %v: field %s got %v", c.provider, c.values, fe.Field, fe.Err)
			}
		}
	}
}

// TestOAuthFactsB pins the sign-in facts that decide whether a test
// sign-in can work at all.
func TestOAuthFactsB(t *testing.T) {
	for _, c := range []struct {
		id       string
		style    oauth2.AuthStyle
		pkce     bool
		loopback LoopbackRule
		redirect string // TestRedirectURI(0)
		userinfo string
	}{
		{"microsoft", oauth2.AuthStyleInParams, true, LoopbackAnyPort, "http://localhost/callback", "bearer"},
		{"onedrive", oauth2.AuthStyleInParams, true, LoopbackAnyPort, "http://localhost/callback", "bearer"},
		{"twitter", oauth2.AuthStyleInHeader, true, LoopbackExact, "http://127.0.0.1:53682/callback", "bearer"},
		{"vk", oauth2.AuthStyleInParams, false, LoopbackExact, "http://127.0.0.1:53682/callback", "query"},
		{"yandex", oauth2.AuthStyleInParams, true, LoopbackExact, "http://127.0.0.1:53682/callback", "oauth"},
		{"mendeley", oauth2.AuthStyleInHeader, false, LoopbackExact, "http://localhost:53682/callback", "bearer"},
		{"wordpress", oauth2.AuthStyleInParams, false, LoopbackExact, "http://127.0.0.1:53682/callback", "bearer"},
		{"yahoo", oauth2.AuthStyleInHeader, false, LoopbackNone, "", "bearer"},
	} {
		p, _ := Lookup(c.id)
		o := p.OAuth
		if o == nil {
			t.Errorf("%s: no OAuth", c.id)
			continue
		}
		if o.AuthStyle != c.style || o.PKCE != c.pkce || o.Loopback != c.loopback || o.UserInfoAuth != c.userinfo {
			t.Errorf("%s: got style %v, PKCE %v, loopback %q, userinfo auth %q", c.id, o.AuthStyle, o.PKCE, o.Loopback, o.UserInfoAuth)
		}
		if c.redirect != "" && o.TestRedirectURI(0) != c.redirect {
			t.Errorf("%s: test redirect %q, want %q", c.id, o.TestRedirectURI(0), c.redirect)
		}
	}
	for _, id := range []string{"rackspace", "selectel", "smsc", "telegram", "twilio", "zotero"} {
		if p, _ := Lookup(id); p.OAuth != nil {
			t.Errorf("%s should have no OAuth sign-in", id)
		}
	}
	for _, id := range []string{"mendeley", "zotero"} {
		p, _ := Lookup(id)
		if p.Portal.DocSpace != nil || p.Portal.Workspace != nil || !strings.Contains(p.Portal.Elsewhere, "Plugins") {
			t.Errorf("%s: the key belongs in the editor's plugin, not on the portal", id)
		}
	}
}

// fuzzFieldsB lists every field of these services in a fixed order, so a
// fuzz input can pick one by number.
func fuzzFieldsB(t testing.TB) []Field {
	var fields []Field
	for _, id := range idsB {
		p, ok := Lookup(id)
		if !ok {
			t.Fatalf("no provider %q", id)
		}
		fields = append(fields, p.Fields...)
	}
	return fields
}

// FuzzValidatorsB feeds any text to every check of these services: none may
// panic, and a refusal must never quote a secret back. Inputs shorter than
// eight bytes are not checked for quoting, since such a fragment can occur
// in any sentence by chance.
func FuzzValidatorsB(f *testing.F) {
	fields := fuzzFieldsB(f)
	index := map[string]int{}
	for i, fl := range fields {
		index[fl.ID] = i // tenant appears twice; either copy has the same check
	}
	for _, c := range validatorTableB {
		i := uint16(index[c.field])
		for _, v := range c.good {
			f.Add(i, v)
		}
		for _, e := range slices.Concat(c.warn, c.bad) {
			f.Add(i, e.value)
		}
	}
	f.Fuzz(func(t *testing.T, i uint16, v string) {
		fl := fields[int(i)%len(fields)]
		for name, check := range map[string]func(string) error{"Check": fl.Check, "Validate": fl.Validate} {
			err := func() (err error) {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("%s of %s panicked on %q: %v", name, fl.ID, v, r)
					}
				}()
				return check(v)
			}()
			if err != nil && fl.Secret && len(v) >= 8 && strings.Contains(err.Error(), v) {
				t.Errorf("%s of secret field %s quotes the value in its message %q", name, fl.ID, err.Error())
			}
		}
	})
}
