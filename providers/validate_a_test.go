package providers

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// idsA are the services whose fields validatorTableA covers.
var idsA = strings.Fields("s3 apple bitly box clickatell docusign dropbox easybib facebook firebase googlecloud linkedin mailru")

// expectA is a value together with a piece of the message it must get.
type expectA struct{ value, msg string }

// fieldCasesA lists, for one field, values that pass without a word,
// values that pass with a warning, and values that are refused.
type fieldCasesA struct {
	provider, field string
	good            []string
	warn            []expectA
	bad             []expectA
}

const (
	awsKeyA        = "AKIA2OGYBAH6Q4XKZN5T"
	awsSecretA     = "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"
	fbSecretA      = "3e7a9c1f5b2d8e4a6c0f1b3d5e7a9c2f"
	fbIDA          = "1234567890123456"
	fcmKeyA        = "AIza1q1N6NYE5zzt_RUEVBC3mTukjDTZo9nsM5R"
	fcmLegacyA     = "AAAAEBmqVZc:APA91bwCT-UVxb9I2WStIASfnBOzMB0HFddTdvjXFdjx5tIDoicijwdqpVUwTPVr0GFkjs0zRvFLshATEvOoKA5iQQwOYsfx5WBTQ28DkKKVtuUbaqDgsLF9T0TgOvQz5RmRNBvEC1iA"
	vapidPublicA   = "BOFLASWWanITFTaG8FjEY2pZwcaYpbEi7-3Wy6TpmoFz2ENdACGstsz-MbHk484vxBK_FCkUXiBH9-ajiNY0lqk"
	vapidPrivateA  = "Xk3bT9qLw2ZpR7vN4mYc8AXk3bT9qLw2ZpR7vN4mYc8"
	dsKeyA         = "7f3e9a21-4c8b-4d6e-9a05-b1c2d3e4f5a6"
	linkedInSecA   = "WPL_AP1.Xq7Lm2Vr9Tn4Kp8B.Zc3dWs=="
	mailRuSecretA  = "a4c9e2f71b3d5860c7e9f1a2b4d6e8f0"
	clickatellKeyA = "Xk3bT9qLw2ZpR7vN4mYc8A=="

	// Keys of the wrong kind for Apple, made once with openssl.
	p384KeyA = `-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDC48yvAD41BNCV2fij9
SzDqE8LMFyZ+2+CBK0cPFd3aGlop2ubfR4+3lrf7fBOmXjOhZANiAAQakbmdItal
2PYU+iXOvEpGY4ZrYr6cepklsuxzZuOhhma4ID554hb9mdXEMR7kkLOhKEJPKkmb
K/XRvgZSTyYzdVCUdT4b9qcGGnUVZmc7z02SLshYp9ofa3O0d+9FUhc=
-----END PRIVATE KEY-----
`
	ed25519KeyA = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIG4aTvD/BcnQNJGM6HFNUZOZb5VnFZc7yy9lzxqG2xlS
-----END PRIVATE KEY-----
`
	damagedKeyA = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY-----\n"
)

// reencode turns a PKCS#8 example key into another PEM form.
func reencode(t testing.TB, pkcs8 string, form string) string {
	t.Helper()
	block, _ := pem.Decode([]byte(pkcs8))
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	switch form {
	case "RSA PRIVATE KEY":
		return string(pem.EncodeToMemory(&pem.Block{Type: form, Bytes: x509.MarshalPKCS1PrivateKey(key.(*rsa.PrivateKey))}))
	case "EC PRIVATE KEY":
		b, err := x509.MarshalECPrivateKey(key.(*ecdsa.PrivateKey))
		if err != nil {
			t.Fatal(err)
		}
		return string(pem.EncodeToMemory(&pem.Block{Type: form, Bytes: b}))
	case "PUBLIC KEY":
		b, err := x509.MarshalPKIXPublicKey(key.(*ecdsa.PrivateKey).Public())
		if err != nil {
			t.Fatal(err)
		}
		return string(pem.EncodeToMemory(&pem.Block{Type: form, Bytes: b}))
	}
	t.Fatalf("unknown form %q", form)
	return ""
}

// saJSON returns the example service-account file with some fields
// changed; a nil value removes the field.
func saJSON(t testing.TB, change map[string]any) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(exampleServiceAccount("acme-portal-backup", "portal-backup")), &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range change {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func validatorTableA(t testing.TB) []fieldCasesA {
	sa := exampleServiceAccount("acme-portal-backup", "portal-backup")
	return []fieldCasesA{
		{
			provider: "s3", field: "acesskey",
			good: []string{awsKeyA, "ASIA2OGYBAH6Q4XKZN5T"},
			bad: []expectA{
				{"AKIAIOSFODNN7EXAMPLE", "example access key ID from AWS's documentation"},
				{"AKIAI44QH8DHBEXAMPLE", "example access key ID"},
				{"AKIAXXXXXXXXXXXXXXXX", "same character over and over"},
				{"ABIA2OGYBAH6Q4XKZN5T", "bearer token"}, {"ACCA2OGYBAH6Q4XKZN5T", "context-specific"},
				{"AIDA2OGYBAH6Q4XKZN5T", "user's unique ID"}, {"AROA2OGYBAH6Q4XKZN5T", "role's unique ID"},
				{"akia2ogybah6q4xkzn5t", "capital letters"}, {awsSecretA, "secret access key"},
				{"AKIA2OGYBAH6", "20 capital"}, {"", "required"}, {" " + awsKeyA, "space"},
			},
		},
		{
			provider: "s3", field: "secretaccesskey",
			good: []string{awsSecretA},
			warn: []expectA{{"q7Rk2mZ9pLw4Xv8Tn3Yb6Hc1Jd5Fs0Ga", "40 letters"}},
			bad: []expectA{
				{awsKeyA, "access key ID"}, {"q7Rk****************", "hidden form"},
				{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "example secret access key from AWS's documentation"},
				{strings.Repeat("x", 40), "same character over and over"},
				{"q7Rk2mZ9 pLw4Xv8Tn3Yb6Hc1Jd5Fs0Ga/Ue+Wi7o", "space"}, {"", "required"},
			},
		},
		{
			provider: "s3", field: "bucket",
			good: []string{"", "acme-portal-backups", "my.bucket.2024"},
			warn: []expectA{{"Acme_Backups", "3 to 63"}, {"192.168.10.20", "IP address"}},
			bad:  []expectA{{"s3://acme-portal-backups", "name only"}, {"arn:aws:s3:::acme", "name only"}, {"acme backups", "spaces"}},
		},
		{
			provider: "s3", field: "region",
			good: []string{"", "eu-central-1", "us-gov-west-1"},
			warn: []expectA{{"eu-central-1a", "Availability Zone"}, {"eucentral1", "Region code"}},
			bad:  []expectA{{"Europe (Frankfurt)", "Region's name"}},
		},
		{
			provider: "s3", field: "sessiontoken",
			good: []string{"", "IQoJb3JpZ2luX2VjEKz//////////wEaCWV1LWNlbnRyYWwtMSJHMEUCIQDx7Kp2Lm9Qr4Tv8Wn3Yb6Hc1Jd5Fs0Ga"},
			bad:  []expectA{{awsKeyA, "access key ID"}, {awsSecretA, "secret access key"}, {"IQoJ b3JpZ2lu", "space"}},
		},

		{
			provider: "apple", field: "appleIdClientId",
			good: []string{"com.example.portal.signin", "org.acme-corp.web"},
			warn: []expectA{{"portal_signin", "reversed domain"}},
			bad: []expectA{
				{"A1B2C3D4E5", "Team ID or Key ID"}, {"a1b2c3d4e5", "Team ID or Key ID"},
				{"https://example.com/signin", "web address"}, {"com.example portal", "space"},
				{"-----BEGIN PRIVATE KEY-----", "private key"}, {"", "required"},
			},
		},
		{
			provider: "apple", field: "appleIdClientIdMobile",
			good: []string{"", "com.example.portal"},
			bad:  []expectA{{"ZX9Y8W7V6U", "Team ID or Key ID"}},
		},
		{
			provider: "apple", field: "appleIdTeamId",
			good: []string{"A1B2C3D4E5"},
			warn: []expectA{{"a1b2c3d4e5", "capital"}},
			bad:  []expectA{{"A1B2C3D4", "exactly 10"}, {"com.example.portal", "Services ID"}, {"-----BEGIN PRIVATE KEY-----", "private key"}},
		},
		{
			provider: "apple", field: "appleIdKeyId",
			good: []string{"ZX9Y8W7V6U"},
			bad:  []expectA{{"ZX9Y8W7V6U1", "exactly 10"}, {"", "required"}},
		},
		{
			provider: "apple", field: "appleIdPrivateKey",
			good: []string{exampleAppleKey, strings.ReplaceAll(exampleAppleKey, "\n", "\r\n"), "\n" + exampleAppleKey + "\n\n"},
			warn: []expectA{{exampleAppleKey + "AuthKey_ZX9Y8W7V6U.p8\n", "more text after"}},
			bad: []expectA{
				{"-----BEGIN PRIVATE KEY-----", "whole .p8"}, {"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg", "whole .p8"},
				{p384KeyA, "P-256"}, {ed25519KeyA, "P-256"},
				{exampleRSAKey, "this is an RSA key; Sign in with Apple keys are P-256"},
				{reencode(t, exampleRSAKey, "RSA PRIVATE KEY"), "this is an RSA key; Sign in with Apple keys are P-256"},
				{reencode(t, exampleAppleKey, "EC PRIVATE KEY"), "converted"},
				{reencode(t, exampleAppleKey, "PUBLIC KEY"), "not a private key"},
				{damagedKeyA, "cannot be read"}, {"", "required"},
			},
		},

		{
			provider: "bitly", field: "bitlyToken",
			good: []string{"f543b616411b88e5acce41e4de8139fa23fdbff2", "s3ubeEoDXNxsNsrYZzI4XOOzT2cC3RM9fmtXM8Ml"},
			warn: []expectA{{"f543b616411b88e5acce41e4", "40 letters"}},
			bad: []expectA{
				{"Bearer f543b616411b88e5acce41e4de8139fa23fdbff2", "Bearer"}, {"https://bit.ly/3xYzAbC", "link"},
				{"f543************************************", "hidden form"}, {"f543b616 411b88e5", "space"}, {"", "required"},
			},
		},

		{
			provider: "box", field: "boxClientId",
			good: []string{"k3j9x2m7q8w1e5r4t6y0u2i9o3p7a1s5"},
			warn: []expectA{{"K3J9X2M7Q8W1E5R4T6Y0U2I9O3P7A1S5", "capital letters"}, {"k3j9x2m7", "32 lowercase"}},
			bad:  []expectA{{"k3j9x2m7 q8w1", "space"}, {"", "required"}},
		},
		{
			provider: "box", field: "boxClientSecret",
			good: []string{"Zq8Wm3Xr6Tn1Yb4Hc7Jd2Fs5Ga9Ue0Ki", "k3j9x2m7q8w1e5r4t6y0u2i9o3p7a1s5"},
			warn: []expectA{{"Zq8Wm3Xr6Tn1", "32 letters"}},
			bad:  []expectA{{"Zq8W****************************", "hidden form"}, {"", "required"}},
		},

		{
			provider: "clickatell", field: "clickatellapiKey",
			good: []string{clickatellKeyA, "AbCdEfGhIjKlMnOpQrStUv"},
			warn: []expectA{{"1234567", "old Central API"}, {"abc", "24 letters"}},
			bad: []expectA{
				{"https://platform.clickatell.com/messages/http/send?apiKey=" + clickatellKeyA + "&to=1", "web address"},
				{"Bearer " + clickatellKeyA, "Bearer"}, {"Xk3b T9qL", "space"}, {"", "required"},
			},
		},

		{
			provider: "docusign", field: "docuSignClientId",
			good: []string{dsKeyA, strings.ToUpper(dsKeyA)},
			bad:  []expectA{{"{" + dsKeyA + "}", "curly braces"}, {strings.ReplaceAll(dsKeyA, "-", ""), "GUID"}, {"", "required"}},
		},
		{
			provider: "docusign", field: "docuSignClientSecret",
			good: []string{"c0d1e2f3-a4b5-4c6d-8e7f-90a1b2c3d4e5"},
			warn: []expectA{{"aGVsbG8td29ybGQtc2VjcmV0", "GUIDs"}},
			bad:  []expectA{{"c0d1****-****", "masked"}, {"account-d.docusign.com", "host name"}, {"c0d1e2f3 a4b5", "space"}},
		},
		{
			provider: "docusign", field: "expiresOn",
			good: []string{"", time.Now().AddDate(3, 0, 0).Format(DateLayout)},
			warn: []expectA{{time.Now().AddDate(0, 0, -1).Format(DateLayout), "has passed"}},
			bad:  []expectA{{"next year", "year-month-day"}},
		},
		{
			provider: "docusign", field: "docuSignHost",
			good: []string{"account-d.docusign.com", "account.docusign.com"},
			bad: []expectA{
				{"https://account-d.docusign.com", "host name only"}, {"account-d.docusign.com/oauth/auth", "host name only"},
				{"Account-D.DocuSign.com", "lowercase"}, {"demo.docusign.net", "eSignature API host"},
				{dsKeyA, "not a host"}, {"account-x.docusign.com", "exactly"}, {"", "required"},
			},
		},

		{
			provider: "dropbox", field: "dropboxClientId",
			good: []string{"k7q2m9x4w1z8r5t"},
			warn: []expectA{{"K7Q2M9X4W1Z8R5T", "15 lowercase"}},
			bad:  []expectA{{"sl.BAbCdEfGhIjK", "access token"}, {"k7q2 m9x4", "space"}},
		},
		{
			provider: "dropbox", field: "dropboxClientSecret",
			good: []string{"p3n8v6c1b9y4h2j"},
			warn: []expectA{{"p3n8v6", "15 lowercase"}},
			bad:  []expectA{{"sl.u.AbCdEfGhIj", "access token"}, {"p3n8•••••••••••", "hidden form"}, {"", "required"}},
		},

		{
			provider: "easybib", field: "easyBibappkey",
			good: []string{"7d2a9f4c1e8b3a6d5f0c2e9b4a7d1f3c", "abcdefgh"},
			warn: []expectA{{"abc12", "very short"}},
			bad:  []expectA{{"https://api.citation-api.com/2.0/rest/cite", "web address"}, {"7d2a9f4c 1e8b3a6d", "space"}, {"", "required"}},
		},

		{
			provider: "facebook", field: "facebookClientId",
			good: []string{fbIDA, "123456789012345"},
			warn: []expectA{{"12345678901234567", "15 or 16"}, {"app-1234", "15 or 16"}},
			bad:  []expectA{{fbSecretA, "App secret"}, {fbIDA + "|" + fbSecretA, "app access token"}, {"1234 5678", "space"}},
		},
		{
			provider: "facebook", field: "facebookClientSecret",
			good: []string{fbSecretA},
			warn: []expectA{{strings.ToUpper(fbSecretA), "32 lowercase"}},
			bad:  []expectA{{fbIDA, "App ID"}, {fbIDA + "|" + fbSecretA, "app access token"}, {"3e7a••••", "hidden form"}, {"", "required"}},
		},

		{
			provider: "firebase", field: "firebase_apiKey",
			good: []string{fcmKeyA},
			bad:  []expectA{{"AIzaShortKey123", "39 characters"}, {fcmLegacyA, "legacy server key"}, {"482915736204", "sender ID"}, {`{"type":"service_account"}`, "JSON"}, {"", "required"}},
		},
		{
			provider: "firebase", field: "firebase_projectId",
			good: []string{"acme-portal-push", "my-project-123"},
			warn: []expectA{{"482915736204", "project number"}, {"ab", "6 to 30"}},
			bad:  []expectA{{fcmKeyA, "Web API key"}, {"Acme Portal Push", "project's name"}},
		},
		{
			provider: "firebase", field: "firebase_messagingSenderId",
			good: []string{"482915736204"},
			warn: []expectA{{"12345", "project number"}, {"sender-1", "project number"}},
			bad:  []expectA{{fcmKeyA, "Web API key"}, {fcmLegacyA, "legacy server key"}, {"4829 15736204", "space"}},
		},
		{
			provider: "firebase", field: "firebase_authorization",
			good: []string{vapidPublicA},
			warn: []expectA{
				{fcmLegacyA, "2024"}, {fcmKeyA, "2024"}, {"BOFLASWWanITFTaG", "87 characters"},
				{"B" + strings.Repeat("AQ", 43), "87 characters"}, // right length, not a point on the curve
			},
			bad: []expectA{{`{"type":"service_account"}`, "JSON"}, {vapidPrivateA, "private key"}, {"BOFL ASWW", "space"}, {"", "required"}},
		},
		{
			provider: "firebase", field: "serviceaccount",
			good: []string{"", exampleServiceAccount("acme-portal-push", "firebase-adminsdk-x7k2p")},
			warn: []expectA{{saJSON(t, map[string]any{"client_email": "someone@gmail.com"}), "client_email"}},
			bad:  []expectA{{"not json at all", "starts with {"}},
		},

		{
			provider: "googlecloud", field: "json",
			good: []string{
				sa, strings.ReplaceAll(sa, "\n", "\r\n"),
				saJSON(t, map[string]any{"private_key": reencode(t, exampleRSAKey, "RSA PRIVATE KEY")}),
				saJSON(t, map[string]any{"private_key_id": nil, "universe_domain": nil}),
			},
			warn: []expectA{
				{saJSON(t, map[string]any{"client_email": "someone@gmail.com"}), "client_email"},
				{saJSON(t, map[string]any{"token_uri": "http://oauth2.googleapis.com/token"}), "https"},
				{saJSON(t, map[string]any{"private_key_id": "abc"}), "private_key_id"},
			},
			bad: []expectA{
				{exampleRSAKey, "only a PEM key"}, {"client_email: x", "starts with {"},
				{`{"type": "service_account",`, "not valid JSON"},
				{`{"installed":{"client_id":"1-abc.apps.googleusercontent.com"}}`, "OAuth client file"},
				{`{"type":"authorized_user","refresh_token":"1//0g"}`, "gcloud"},
				{`{"type":"external_account"}`, "workload identity"},
				{saJSON(t, map[string]any{"type": "user"}), `"type"`},
				{saJSON(t, map[string]any{"private_key": nil}), `no "private_key"`},
				{saJSON(t, map[string]any{"client_email": nil}), `no "client_email"`},
				{saJSON(t, map[string]any{"token_uri": nil}), `no "token_uri"`},
				{saJSON(t, map[string]any{"private_key": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"}), "not a readable PEM"},
				{saJSON(t, map[string]any{"private_key": exampleAppleKey}), "not an RSA key"},
				{saJSON(t, map[string]any{"private_key": damagedKeyA}), "damaged"},
				{"", "required"},
			},
		},
		{
			provider: "googlecloud", field: "bucket",
			good: []string{"", "acme-portal-backups", "acme_backups.example.com"},
			warn: []expectA{{"Acme-Backups", "3 to 63"}},
			bad:  []expectA{{"gs://acme-portal-backups", "name only"}, {"acme backups", "spaces"}},
		},

		{
			provider: "linkedin", field: "linkedInKey",
			good: []string{"86qzk3m7w2xa5p", "77zwm3li56ua2a"},
			warn: []expectA{{"86QZK3M7W2XA5P", "14 lowercase"}, {"86qzk3m7w2xa", "14 lowercase"}},
			bad:  []expectA{{linkedInSecA, "client secret"}, {"86qz k3m7", "space"}, {"", "required"}},
		},
		{
			provider: "linkedin", field: "linkedInSecret",
			good: []string{linkedInSecA, "Ab3Cd4Ef5Gh6Ij7K"},
			warn: []expectA{{"WPL_AP1.Xq7Lm2Vr9Tn4", "33 characters"}, {"86qzk3m7w2xa5p", "client ID"}, {"some-secret-value", "WPL_AP1."}},
			bad:  []expectA{{"WPL_****", "hidden form"}, {"Ab3C d4Ef", "space"}, {"", "required"}},
		},

		{
			provider: "mailru", field: "mailRuClientId",
			good: []string{"751234"},
			// No shape is published: only whitespace and emptiness reject.
			warn: []expectA{{"app751234", "a number"}, {mailRuSecretA, "secret key"}},
			bad:  []expectA{{"7512 34", "space"}, {"", "required"}},
		},
		{
			provider: "mailru", field: "mailRuClientSecret",
			good: []string{mailRuSecretA},
			warn: []expectA{{"A4C9E2F71B3D5860", "32 hexadecimal"}, {"751234", "site's ID"}},
			bad:  []expectA{{"", "required"}},
		},
	}
}

func lookupFieldA(t testing.TB, provider, field string) Field {
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

// TestValidatorTableCoversA makes sure every field of these services has
// its row in the table, so a new field cannot go untested.
func TestValidatorTableCoversA(t *testing.T) {
	rows := map[string]bool{}
	for _, c := range validatorTableA(t) {
		rows[c.provider+"/"+c.field] = true
	}
	for _, id := range idsA {
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

func TestValidatorsA(t *testing.T) {
	for _, c := range validatorTableA(t) {
		t.Run(c.provider+"/"+c.field, func(t *testing.T) {
			f := lookupFieldA(t, c.provider, c.field)
			for _, v := range c.good {
				if err := f.Validate(v); err != nil {
					t.Errorf("good value %q: %v", clipA(v), err)
				}
			}
			for _, w := range c.warn {
				err := f.Validate(w.value)
				if !IsWarning(err) {
					t.Errorf("value %q: want a warning, got %v", clipA(w.value), err)
					continue
				}
				checkMessageA(t, f, w, err)
			}
			for _, b := range c.bad {
				err := f.Validate(b.value)
				if !Blocks(err) {
					t.Errorf("value %q: want a rejection, got %v", clipA(b.value), err)
					continue
				}
				checkMessageA(t, f, b, err)
			}
		})
	}
}

func clipA(v string) string {
	if len(v) > 60 {
		return v[:60] + "..."
	}
	return v
}

func checkMessageA(t *testing.T, f Field, e expectA, err error) {
	t.Helper()
	msg := err.Error()
	if !strings.Contains(msg, e.msg) {
		t.Errorf("value %q: message %q should mention %q", clipA(e.value), msg, e.msg)
	}
	if f.Secret && e.value != "" && strings.Contains(msg, e.value) {
		t.Errorf("the message for a secret repeats the value: %q", msg)
	}
}

// TestCrossFieldA covers the rules that only show when fields are
// compared. want maps a field to "error", "warning" or "" (fine).
func TestCrossFieldA(t *testing.T) {
	asia := "ASIA2OGYBAH6Q4XKZN5T"
	for _, c := range []struct {
		provider string
		values   map[string]string
		want     map[string]string
	}{
		{"s3", map[string]string{"acesskey": asia, "secretaccesskey": awsSecretA}, map[string]string{"acesskey": "warning", "sessiontoken": "error"}},
		{"s3", map[string]string{"acesskey": asia, "secretaccesskey": awsSecretA, "sessiontoken": "IQoJb3JpZ2luX2VjEKz"}, map[string]string{"acesskey": "warning"}},
		{"s3", map[string]string{"acesskey": awsKeyA, "secretaccesskey": awsSecretA}, nil},
		{"apple", map[string]string{"appleIdClientId": "com.example.portal.signin", "appleIdTeamId": "A1B2C3D4E5", "appleIdKeyId": "A1B2C3D4E5", "appleIdPrivateKey": exampleAppleKey}, map[string]string{"appleIdKeyId": "error"}},
		{"apple", map[string]string{"appleIdClientId": "com.example.portal", "appleIdClientIdMobile": "com.example.portal", "appleIdTeamId": "A1B2C3D4E5", "appleIdKeyId": "ZX9Y8W7V6U", "appleIdPrivateKey": exampleAppleKey}, map[string]string{"appleIdClientIdMobile": "warning"}},
		{"box", map[string]string{"boxClientId": "k3j9x2m7q8w1e5r4t6y0u2i9o3p7a1s5", "boxClientSecret": "k3j9x2m7q8w1e5r4t6y0u2i9o3p7a1s5"}, map[string]string{"boxClientSecret": "error"}},
		{"dropbox", map[string]string{"dropboxClientId": "k7q2m9x4w1z8r5t", "dropboxClientSecret": "k7q2m9x4w1z8r5t"}, map[string]string{"dropboxClientSecret": "error"}},
		{"docusign", map[string]string{"docuSignClientId": dsKeyA, "docuSignClientSecret": strings.ToUpper(dsKeyA), "docuSignHost": "account.docusign.com"}, map[string]string{"docuSignClientSecret": "error"}},
		{"firebase", map[string]string{"firebase_apiKey": fcmKeyA, "firebase_projectId": "other-project", "firebase_messagingSenderId": "482915736204", "firebase_authorization": vapidPublicA, "serviceaccount": exampleServiceAccount("acme-portal-push", "sa")}, map[string]string{"serviceaccount": "warning"}},
		{"firebase", map[string]string{"firebase_apiKey": fcmKeyA, "firebase_projectId": "acme-portal-push", "firebase_messagingSenderId": "482915736204", "firebase_authorization": vapidPublicA, "serviceaccount": exampleServiceAccount("acme-portal-push", "sa")}, nil},
	} {
		p, _ := Lookup(c.provider)
		for _, fe := range p.Validate(c.values) {
			got := ""
			switch {
			case Blocks(fe.Err):
				got = "error"
			case fe.Err != nil:
				got = "warning"
			}
			if got != c.want[fe.Field] {
				t.Errorf("%s: field %s: got %s (%v), want %q", c.provider, fe.Field, got, fe.Err, c.want[fe.Field])
			}
		}
	}
}

// TestPortalFactsA pins where each key goes on the portal.
func TestPortalFactsA(t *testing.T) {
	get := func(id string) Provider { p, _ := Lookup(id); return p }
	apple := get("apple")
	if ds := apple.Portal.DocSpace; ds == nil || ds.Name != "appleid" || !slices.Contains(ds.Props, "appleIdClientIdMobile") {
		t.Errorf("apple DocSpace consumer: %+v", ds)
	}
	if ws := apple.Portal.Workspace; ws == nil || ws.Name != "AppleID" || slices.Contains(ws.Props, "appleIdClientIdMobile") {
		t.Errorf("apple Workspace consumer: %+v", ws)
	}
	for id, want := range map[string]string{"dropbox": "DropBox", "googlecloud": "GoogleCloud", "mailru": "Mailru", "s3": "S3"} {
		if ws := get(id).Portal.Workspace; ws == nil || ws.Name != want {
			t.Errorf("%s Workspace name: %+v, want %s", id, ws, want)
		}
	}
	for _, id := range []string{"s3", "googlecloud"} {
		if ds := get(id).Portal.DocSpace; ds == nil || !ds.Paid {
			t.Errorf("%s is paid on DocSpace", id)
		}
	}
	if ds := get("docusign").Portal.DocSpace; ds == nil || ds.Removed != "2023-04" {
		t.Errorf("docusign left DocSpace in 2023-04: %+v", ds)
	}
	eb := get("easybib")
	if eb.Portal.DocSpace != nil || eb.Portal.Workspace == nil || eb.Portal.Workspace.Removed != "v12.5.2" {
		t.Errorf("easybib: never in DocSpace, removed from Workspace in v12.5.2: %+v", eb.Portal)
	}
	if ws := get("bitly").Portal.Workspace; ws == nil || !slices.Equal(ws.Props, []string{"bitlyToken"}) {
		t.Errorf("bitly Workspace props: %+v", ws)
	}
	if ds := get("s3").Portal.DocSpace; !slices.Equal(ds.Props, []string{"acesskey", "secretaccesskey"}) {
		t.Errorf("s3 props (one c in acesskey): %v", ds.Props)
	}
	for id, fields := range map[string][]string{"s3": {"bucket", "region", "sessiontoken"}, "googlecloud": {"bucket"}, "firebase": {"serviceaccount"}} {
		p := get(id)
		for _, name := range fields {
			if f, ok := p.Field(name); !ok || !f.Local || !f.Optional {
				t.Errorf("%s/%s must be a local, optional field", id, name)
			}
		}
	}
}

// TestOAuthFactsA pins the sign-in facts that decide whether a test
// sign-in can work at all.
func TestOAuthFactsA(t *testing.T) {
	for _, c := range []struct {
		id       string
		style    oauth2.AuthStyle
		pkce     bool
		loopback LoopbackRule
		redirect string // TestRedirectURI(0)
		userinfo string
	}{
		{"apple", oauth2.AuthStyleInParams, false, LoopbackNone, "", ""},
		{"box", oauth2.AuthStyleInParams, false, LoopbackExact, "http://127.0.0.1:53682/callback", "bearer"},
		{"docusign", oauth2.AuthStyleInHeader, true, LoopbackExact, "http://localhost:53682/callback", "bearer"},
		{"dropbox", oauth2.AuthStyleInHeader, true, LoopbackExact, "http://localhost:53682/callback", "bearer"},
		{"facebook", oauth2.AuthStyleInParams, false, LoopbackExact, "http://localhost:53682/callback", "bearer"},
		{"linkedin", oauth2.AuthStyleInParams, false, LoopbackExact, "http://localhost:53682/callback", "bearer"},
		{"mailru", oauth2.AuthStyleInParams, false, LoopbackNone, "", ""},
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
	if o := mustA(t, "docusign").OAuth; o.HostField != "docuSignHost" || !strings.Contains(o.AuthURL, "{host}") {
		t.Errorf("docusign: the endpoints follow the host field: %+v", o)
	}
	for _, id := range []string{"s3", "bitly", "clickatell", "easybib", "firebase", "googlecloud"} {
		if mustA(t, id).OAuth != nil {
			t.Errorf("%s should have no OAuth sign-in", id)
		}
	}
}

func mustA(t testing.TB, id string) Provider {
	t.Helper()
	p, ok := Lookup(id)
	if !ok {
		t.Fatalf("no provider %q", id)
	}
	return p
}

// fuzzFieldsA lists every field of these services in a fixed order, so a
// fuzz input can pick one by number.
func fuzzFieldsA(t testing.TB) []Field {
	var fields []Field
	for _, id := range idsA {
		fields = append(fields, mustA(t, id).Fields...)
	}
	return fields
}

// FuzzValidatorsA feeds any text to every check of these services: none may
// panic, and a refusal must never quote a secret back. The messages name
// fixed markers such as "BEGIN PRIVATE KEY" or a host, so an input that is
// part of a message some seed already produced is not counted as quoting;
// nor are inputs under eight bytes, which occur in any sentence by chance.
func FuzzValidatorsA(f *testing.F) {
	fields := fuzzFieldsA(f)
	index := map[string]int{}
	for i, fl := range fields {
		index[fl.ID] = i // bucket appears twice; the first is enough for seeding
	}
	table := validatorTableA(f)
	var vocabulary strings.Builder
	for _, c := range table {
		fl := fields[index[c.field]]
		i := uint16(index[c.field])
		for _, v := range c.good {
			f.Add(i, v)
		}
		for _, e := range slices.Concat(c.warn, c.bad) {
			f.Add(i, e.value)
			if err := fl.Validate(e.value); err != nil {
				vocabulary.WriteString(err.Error() + "\n")
			}
		}
	}
	known := vocabulary.String()
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
			if err != nil && fl.Secret && len(v) >= 8 && strings.Contains(err.Error(), v) && !strings.Contains(known, v) {
				t.Errorf("%s of secret field %s quotes the value in its message %q", name, fl.ID, err.Error())
			}
		}
	})
}
