package providers

import (
	"errors"
	"regexp"
	"strings"

	"golang.org/x/oauth2"
)

func box() Provider {
	return Provider{
		ID:       "box",
		Title:    "Box",
		Category: DocumentStorage,
		Purpose:  "Lets people connect their Box account to the portal and work on its files from the portal's documents.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "box", Props: []string{"boxClientId", "boxClientSecret"}},
			Workspace: &Consumer{Name: "Box", Props: []string{"boxClientId", "boxClientSecret"}},
		},
		Fields: []Field{
			{
				ID: "boxClientId", Label: "Client ID",
				Help:    `On the app's "Configuration" tab under "OAuth 2.0 Credentials", the "Client ID": 32 lowercase letters and digits.`,
				Example: "k3j9x2m7q8w1e5r4t6y0u2i9o3p7a1s5",
				Check:   boxClientIDCheck(),
			},
			{
				ID: "boxClientSecret", Label: "Client secret", Secret: true,
				Help:    `Next to the client ID, click "Fetch Client Secret" (or "Copy") to get the "Client Secret": 32 letters and digits.`,
				Example: "Zq8Wm3Xr6Tn1Yb4Hc7Jd2Fs5Ga9Ue0Ki",
				Check:   boxClientSecretCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Create a Platform App",
				URL:   "https://app.box.com/developers/console",
				Lines: []string{
					`In the Box Developer Console, click "Create Platform App" and choose "Platform App".`,
					`As the authentication method, choose "User Authentication (OAuth 2.0)", name the app and click "Create App".`,
				},
				Copy:    []CopyValue{{Label: "Authentication method", Value: "User Authentication (OAuth 2.0)"}},
				Warning: "Apps made with server authentication (JWT or client credentials) have no redirect URI and cannot be used by the portal.",
			},
			{
				Title: "Register the redirect URIs",
				URL:   "https://app.box.com/developers/console",
				Lines: []string{
					`Open the app's "Configuration" tab and find "OAuth 2.0 Redirect URIs".`,
					"Paste the portal's redirect URL and click \"Add\".",
					"For the test sign-in, add Keywizard's test redirect the same way.",
				},
				Copy: []CopyValue{
					{Label: "Redirect URI", Value: PortalRedirect},
					{Label: "Test redirect URI", Value: TestRedirect, Note: "remove it once the test sign-in passed"},
				},
				Warning: "Box compares the scheme, host, path and query of redirect URIs exactly; for localhost and 127.0.0.1 it ignores the port.",
			},
			{
				Title: "Allow writing files",
				URL:   "https://app.box.com/developers/console",
				Lines: []string{
					`On the same tab under "Application Scopes", keep reading ticked and tick the writing scope below.`,
					`Click "Save Changes" at the top right.`,
				},
				Copy: []CopyValue{{Label: "Application scope", Value: "Write all files and folders stored in Box"}},
			},
			{
				Title: "Copy the keys",
				URL:   "https://app.box.com/developers/console",
				Lines: []string{
					`Under "OAuth 2.0 Credentials", copy the "Client ID" into Keywizard.`,
					"Reveal the client secret and copy it too; if Box asks, turn on two-step verification for your Box account first.",
				},
				Warning: "In a company's Box account, its Box administrator may have to authorize the app before its users can connect.",
			},
		},
		OAuth: &OAuth{
			AuthURL:   "https://account.box.com/api/oauth2/authorize",
			TokenURL:  "https://api.box.com/oauth2/token",
			AuthStyle: oauth2.AuthStyleInParams,
			// Box takes the scopes from the app's configuration; none are sent.
			Loopback:     LoopbackExact,
			LoopbackHost: "127.0.0.1",
			DefaultPort:  53682,
			UserInfoURL:  "https://api.box.com/2.0/users/me",
			UserInfoAuth: "bearer",
			RevokeURL:    "https://api.box.com/oauth2/revoke",
			ClientID:     "boxClientId",
			ClientSecret: "boxClientSecret",
			Portal: sameFlow(PortalFlow{
				AuthURL:   "https://app.box.com/api/oauth2/authorize",
				TokenURL:  "https://app.box.com/api/oauth2/token",
				TokenAuth: oauth2.AuthStyleInParams,
				Use:       "connecting Box to the documents",
			}, "LoginProviders/BoxLoginProvider.cs", "Helpers/OAuth20TokenHelper.cs"),
		},
		Online:   `Asks Box's token endpoint for an app-only token (client credentials) with the ID and secret: "unauthorized_client" means Box knows the pair but the app is not a server app, which is expected and proves the pair; "invalid_client" means the ID or secret is wrong. Scopes and redirect URIs are proven only by the test sign-in.`,
		CheckAll: boxCheckAll,
	}
}

var box32 = regexp.MustCompile(`^[A-Za-z0-9]{32}$`)

func boxClientIDCheck() func(string) error {
	shape := Expect(`^[a-z0-9]{32}$`, "a Box client ID is usually 32 lowercase letters and digits: check that you copied all of it")
	return func(v string) error {
		if box32.MatchString(v) && strings.ToLower(v) != v {
			return Warnf("this has capital letters like a client secret: client IDs are lowercase, so check you copied the \"Client ID\"")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func boxClientSecretCheck() func(string) error {
	shape := Expect(box32.String(), "a Box client secret is usually 32 letters and digits: check that you copied all of it")
	return func(v string) error {
		if strings.ContainsAny(v, "*•") {
			return errors.New("this is the hidden form of the secret: reveal it in the console first, then copy it")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func boxCheckAll(values map[string]string) []FieldError {
	if id := values["boxClientId"]; id != "" && id == values["boxClientSecret"] {
		return []FieldError{{Field: "boxClientSecret", Err: errors.New("the client secret is the same as the client ID: reveal the secret in the console and copy that value")}}
	}
	return nil
}
