package providers

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/oauth2"
)

func apple() Provider {
	return Provider{
		ID:       "apple",
		Title:    "Apple",
		Category: SignIn,
		Purpose:  "Lets people sign in to the portal with their Apple Account (Sign in with Apple).",
		Portal: Portal{
			DocSpace: &Consumer{Name: "appleid", Props: []string{"appleIdClientId", "appleIdClientIdMobile", "appleIdTeamId", "appleIdKeyId", "appleIdPrivateKey"}},
			Workspace: &Consumer{Name: "AppleID", Props: []string{"appleIdClientId", "appleIdTeamId", "appleIdKeyId", "appleIdPrivateKey"},
				Since: "12.0"},
		},
		Fields: []Field{
			{
				ID: "appleIdClientId", Label: "Services ID (client ID)",
				Help:    `The "Identifier" of the Services ID you created for the web sign-in, written like a reversed domain name.`,
				Example: "com.example.portal.signin",
				Check:   appleClientIDCheck(),
			},
			{
				ID: "appleIdClientIdMobile", Label: "App ID bundle ID (mobile sign-in)", Optional: true,
				Help:    "DocSpace only: the Bundle ID of the App ID chosen as the Services ID's primary App ID; it lets a native app sign in. Leave it empty if you have none.",
				Example: "com.example.portal",
				Check:   appleClientIDCheck(),
			},
			{
				ID: "appleIdTeamId", Label: "Team ID",
				Help:    `In your developer account under "Membership details", the "Team ID": 10 capital letters and digits.`,
				Example: "A1B2C3D4E5",
				Check:   appleTenCharCheck("Team ID"),
			},
			{
				ID: "appleIdKeyId", Label: "Key ID",
				Help:    `On the Keys page, the "Key ID" of the Sign in with Apple key: 10 capital letters and digits, also part of the file name AuthKey_<Key ID>.p8.`,
				Example: "ZX9Y8W7V6U",
				Check:   appleTenCharCheck("Key ID"),
			},
			{
				ID: "appleIdPrivateKey", Label: "Private key (.p8 file)", Secret: true, Multiline: true,
				Help:    "Open the downloaded AuthKey_<Key ID>.p8 file in a text editor and paste all of it, the BEGIN and END lines included.",
				Example: exampleAppleKey,
				Check:   applePrivateKeyCheck,
			},
		},
		Steps: []Step{
			{
				Title: "Note your Team ID",
				URL:   "https://developer.apple.com/account",
				Lines: []string{
					"Sign in with the Apple Developer Program account that will own the sign-in.",
					`Under "Membership details", copy the "Team ID" into Keywizard.`,
				},
			},
			{
				Title: "Create an App ID with Sign in with Apple",
				URL:   "https://developer.apple.com/account/resources/identifiers/list/bundleId",
				Lines: []string{
					`Click +, choose "App IDs", then the type "App", and continue.`,
					"Enter a description and an explicit Bundle ID written like a reversed domain name, e.g. com.example.portal.",
					`Tick "Sign in with Apple" under Capabilities, then click "Continue" and "Register".`,
					"On DocSpace, this Bundle ID goes into the optional mobile client ID field.",
				},
				Copy: []CopyValue{{Label: "Capability", Value: "Sign in with Apple"}},
			},
			{
				Title: "Create the Services ID the portal signs in with",
				URL:   "https://developer.apple.com/account/resources/identifiers/list/serviceId",
				Lines: []string{
					`Click +, choose "Services IDs" and continue.`,
					"Enter a description and an identifier that differs from the App ID, e.g. com.example.portal.signin; this identifier is the client ID.",
					`Tick "Sign in with Apple" and click "Configure": pick the App ID as the primary App ID.`,
					`Under "Domains and Subdomains" enter the redirect page's host, and under "Return URLs" the portal's redirect URL.`,
					`Click "Next", "Done", "Continue" and "Register".`,
				},
				Copy: []CopyValue{
					{Label: "Domain", Value: "service.onlyoffice.com", Note: "the host of the return URL; use your own host if the portal's redirect page is on your server"},
					{Label: "Return URL", Value: PortalRedirect},
				},
				Warning: "Apple accepts only https return URLs on a registered domain: a test sign-in through Keywizard is not possible, so the first real sign-in on the portal is the final test.",
			},
			{
				Title: "Create the private key",
				URL:   "https://developer.apple.com/account/resources/authkeys/add",
				Lines: []string{
					`Name the key, tick "Sign in with Apple" and click "Configure" to choose the same primary App ID, then save.`,
					`Click "Continue" and "Register", then "Download" to get the AuthKey_<Key ID>.p8 file.`,
					`Copy the "Key ID" shown on the page into Keywizard.`,
					"Open the .p8 file in a text editor and paste all of it into the private key field.",
				},
				Warning: "Apple lets you download the .p8 file only once: keep it somewhere safe. If it is lost, revoke the key and create a new one.",
			},
		},
		OAuth: &OAuth{
			AuthURL:   "https://appleid.apple.com/auth/authorize",
			TokenURL:  "https://appleid.apple.com/auth/token",
			AuthStyle: oauth2.AuthStyleInParams,
			Scopes:    []string{"name", "email"},
			Loopback:  LoopbackNone,
			RevokeURL: "https://appleid.apple.com/auth/revoke",
			// Asking for name or email makes Apple post the answer to the
			// return URL instead of adding it to the query.
			AuthParams: map[string]string{"response_mode": "form_post"},
			ClientID:   "appleIdClientId",
			// No ClientSecret field: the secret is an ES256 JWT signed with
			// the private key, valid for at most six months.
			// The portal asks for no scope and reads who signed in from the
			// ID token (its subject; no name or e-mail without a scope).
			Portal: sameFlow(PortalFlow{
				AuthURL:   "https://appleid.apple.com/auth/authorize",
				TokenURL:  "https://appleid.apple.com/auth/token",
				TokenAuth: oauth2.AuthStyleInParams,
				IDToken:   true,
				Use:       "sign-in",
			}, "LoginProviders/AppleIdLoginProvider.cs"),
		},
		Online: `Builds the client secret (an ES256 JWT) from the Team ID, Key ID and private key, checks its signature locally, and sends a made-up sign-in code with it to Apple's token endpoint: "invalid_grant" means Apple accepted the Services ID and key, "invalid_client" means they do not belong together. The return URL and domain are proven only by a real sign-in on the portal.`,
		Notes: []string{
			"The portal asks Apple for no name or e-mail address (it sends an empty scope): it knows people by the ID token's subject, so Apple's consent screen shows no data to share.",
			`DocSpace lists this service as "appleID" but saves it under the lowercase name "appleid".`,
		},
		CheckAll: appleCheckAll,
	}
}

var (
	appleTenChar = regexp.MustCompile(`^[A-Z0-9]{10}$`)
	reverseDNS   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)+$`)
)

func appleClientIDCheck() func(string) error {
	shape := Chain(NoSpaces, Expect(reverseDNS.String(),
		"Apple identifiers are written like a reversed domain name, e.g. com.example.portal.signin: check that you copied the Services ID's identifier"))
	return func(v string) error {
		switch {
		case strings.HasPrefix(v, "-----BEGIN"):
			return errors.New("this is the private key: paste it in the private key field; the client ID is the Services ID's identifier, e.g. com.example.portal.signin")
		case strings.Contains(v, "://"):
			return errors.New("this is a web address: the client ID is the Services ID's identifier, written like a reversed domain name, e.g. com.example.portal.signin")
		case appleTenChar.MatchString(strings.ToUpper(v)):
			return errors.New("this 10-character value is a Team ID or Key ID: the client ID is the Services ID's identifier, e.g. com.example.portal.signin")
		}
		return shape(v)
	}
}

// appleTenCharCheck checks the Team ID and the Key ID: their length is
// documented, their alphabet only observed.
func appleTenCharCheck(what string) func(string) error {
	return func(v string) error {
		switch {
		case strings.HasPrefix(v, "-----BEGIN"):
			return errors.New("this is the private key: paste it in the private key field; the " + what + " is 10 characters")
		case strings.Contains(v, "."):
			return errors.New("this looks like a Services ID or bundle ID: the " + what + " is 10 capital letters and digits")
		case utf8.RuneCountInString(v) != 10:
			return errors.New("the " + what + " has exactly 10 characters: copy it again")
		case !appleTenChar.MatchString(v):
			return Warnf("the %s is usually 10 capital letters and digits: check that it was copied correctly", what)
		}
		return nil
	}
}

// errAppleRSA names the most common wrong key: an RSA key made elsewhere
// (a TLS or service-account key) where Apple issues P-256 keys only.
var errAppleRSA = errors.New("this is an RSA key; Sign in with Apple keys are P-256: on the Keys page, create a key with \"Sign in with Apple\" ticked and paste its .p8 file")

// applePrivateKeyCheck accepts what Apple issues for Sign in with Apple: a
// PKCS#8 PEM file holding an ECDSA key on P-256.
func applePrivateKeyCheck(v string) error {
	block, rest := pem.Decode([]byte(strings.TrimSpace(v)))
	if block == nil {
		return errors.New("paste the whole .p8 file, from its BEGIN PRIVATE KEY line to its END PRIVATE KEY line, with the line breaks")
	}
	switch block.Type {
	case "PRIVATE KEY":
	case "EC PRIVATE KEY":
		return errors.New("this key was converted to another format: paste the .p8 file exactly as Apple gave it (its first line reads BEGIN PRIVATE KEY)")
	case "RSA PRIVATE KEY":
		return errAppleRSA
	default:
		return errors.New("this is not a private key: paste the AuthKey_<Key ID>.p8 file downloaded from the Keys page")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return errors.New("the key cannot be read: the file is damaged or incomplete, so copy all of it again")
	}
	if _, isRSA := key.(*rsa.PrivateKey); isRSA {
		return errAppleRSA
	}
	ec, ok := key.(*ecdsa.PrivateKey)
	if !ok || ec.Curve != elliptic.P256() {
		return errors.New("this is not a Sign in with Apple key, which is always an ECDSA P-256 key: download the key created for Sign in with Apple")
	}
	if len(strings.TrimSpace(string(rest))) > 0 {
		return Warnf("there is more text after the key's END line: paste only the contents of the .p8 file")
	}
	return nil
}

func appleCheckAll(values map[string]string) []FieldError {
	var out []FieldError
	if values["appleIdTeamId"] != "" && values["appleIdTeamId"] == values["appleIdKeyId"] {
		out = append(out, FieldError{Field: "appleIdKeyId", Err: errors.New("the Key ID and the Team ID are different values: copy the Key ID from the Keys page")})
	}
	if m := values["appleIdClientIdMobile"]; m != "" && m == values["appleIdClientId"] {
		out = append(out, FieldError{Field: "appleIdClientIdMobile", Err: Warnf("this is the same identifier as the Services ID: the mobile client ID is the App ID's bundle ID, which Apple keeps distinct")})
	}
	return out
}

// exampleAppleKey is a made-up P-256 key used only for the examples; Apple
// has never seen it.
const exampleAppleKey = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQghsviK48Tohbplatl
PTSiAjgiXJ+1p999DKyTcZ3G4YGhRANCAATdsJbTN2J0RufH2E4axWBUxb1/iN3N
nyctXGcX2nFqRghHnK4cz+GTEjUH5W5kUyjIYRo+qr+o5/DJ0iYy+GIl
-----END PRIVATE KEY-----
`
