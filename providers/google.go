package providers

import (
	"errors"
	"strings"

	"golang.org/x/oauth2"
)

func google() Provider {
	return Provider{
		ID:       "google",
		Title:    "Google",
		Category: SignIn,
		Purpose:  "Lets people sign in to the portal with their Google account and connect Google Drive as a document storage.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "google", Props: []string{"googleClientId", "googleClientSecret"}},
			Workspace: &Consumer{Name: "Google", Props: []string{"googleClientId", "googleClientSecret"}},
		},
		Fields: []Field{
			{
				ID: "googleClientId", Label: "Client ID",
				Help:    `On the "Clients" page of Google Auth Platform, the "Client ID" of your client; it ends in .apps.googleusercontent.com.`,
				Example: "123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com",
				Check:   googleClientID,
			},
			{
				ID: "googleClientSecret", Label: "Client secret", Secret: true,
				Help:    `Shown only once, in the dialog that opens when you create the client (or add a secret to it); new secrets start with GOCSPX-.`,
				Example: "GOCSPX-AbCdEfGhIjKlMnOpQrStUvWxYz12",
				Check:   googleClientSecret,
			},
			publishingField(),
		},
		Steps: []Step{
			{
				Title: "Pick or create a project",
				URL:   "https://console.cloud.google.com/projectcreate",
				Lines: []string{
					"Sign in to the Google Cloud console with the account that will own the keys.",
					"Create a project for the portal, or pick an existing one in the project list at the top.",
				},
			},
			{
				Title: "Turn on the APIs the portal uses",
				URL:   "https://console.cloud.google.com/apis/library",
				Lines: []string{
					`Search for "Google Drive API", open it and click "Enable".`,
					`Do the same for "People API".`,
				},
			},
			{
				Title: "Set up the consent screen",
				URL:   "https://console.cloud.google.com/auth/branding",
				Lines: []string{
					"Enter the app name people see when they sign in, and a support e-mail address.",
					`Under "Audience", pick "Internal" if only your organisation's Google Workspace accounts sign in; otherwise pick "External".`,
					`Under "Data access", add the scopes listed below.`,
				},
				Copy: []CopyValue{
					{Label: "Scope", Value: "https://www.googleapis.com/auth/drive"},
					{Label: "Scope", Value: "https://www.googleapis.com/auth/userinfo.email"},
					{Label: "Scope", Value: "https://www.googleapis.com/auth/userinfo.profile"},
				},
				Warning: `The Drive scope is one Google calls restricted. An "Internal" app needs no review. An "External" app stays in "Testing" until Google verifies it, which for this scope includes a security assessment; until then only listed test users can sign in, and their access expires after 7 days.`,
			},
			{
				Title: "Create the OAuth client",
				URL:   "https://console.cloud.google.com/auth/clients/create",
				Lines: []string{
					`On the "Clients" page of Google Auth Platform, click "Create client" and pick "Web application" as the application type.`,
					`Under "Authorized redirect URIs", click "Add URI" and paste the portal's redirect URL.`,
					"For the test sign-in, add Keywizard's test redirect as a second URI.",
					`Click "Create". The dialog that opens shows the "Client ID" and the "Client secret": copy both into Keywizard now.`,
				},
				Copy: []CopyValue{
					{Label: "Authorized redirect URI", Value: PortalRedirect},
					{Label: "Test redirect URI", Value: TestRedirect, Note: "remove it once the test sign-in passed"},
				},
				Warning: `Google shows the client secret only in that dialog. If you closed it without copying the secret, open the client, click "Add secret", copy the new secret at once and delete the old one.`,
			},
			{
				Title: "Add the test users",
				URL:   "https://console.cloud.google.com/auth/audience",
				Lines: []string{
					`On the "Audience" page, under "Test users", click "Add users".`,
					"Add every Google account that should sign in while the app is in \"Testing\", including the one you will use for Keywizard's test sign-in, then save.",
					`An "Internal" app has no test users: skip this step.`,
				},
				Warning: `Anyone not on the list gets "Access blocked" from Google and is not sent back to the portal (or to Keywizard's test).`,
			},
		},
		OAuth: &OAuth{
			AuthURL:      "https://accounts.google.com/o/oauth2/auth",
			TokenURL:     "https://oauth2.googleapis.com/token",
			AuthStyle:    oauth2.AuthStyleInParams,
			Scopes:       []string{"openid", "email", "profile"},
			PortalScopes: []string{"https://www.googleapis.com/auth/drive", "https://www.googleapis.com/auth/userinfo.email", "https://www.googleapis.com/auth/userinfo.profile"},
			PKCE:         true,
			Loopback:     LoopbackExact,
			LoopbackHost: "127.0.0.1",
			DefaultPort:  53682,
			UserInfoURL:  "https://openidconnect.googleapis.com/v1/userinfo",
			RevokeURL:    "https://oauth2.googleapis.com/revoke",
			Issuer:       "https://accounts.google.com",
			ClientID:     "googleClientId",
			ClientSecret: "googleClientSecret",
			// The portal signs people in with the two userinfo scopes and asks
			// for Drive (offline, with consent) when someone connects Google
			// Drive; the test asks for all three at once, so the consent
			// screen shows every permission users will grant.
			Portal: sameFlow(PortalFlow{
				AuthURL:     "https://accounts.google.com/o/oauth2/v2/auth",
				TokenURL:    "https://www.googleapis.com/oauth2/v4/token",
				TokenAuth:   oauth2.AuthStyleInParams,
				Scopes:      []string{"https://www.googleapis.com/auth/drive", "https://www.googleapis.com/auth/userinfo.email", "https://www.googleapis.com/auth/userinfo.profile"},
				Params:      map[string]string{"access_type": "offline", "prompt": "consent"},
				PKCE:        true,
				Identity:    []IdentityCall{{URL: "https://people.googleapis.com/v1/people/me?personFields=emailAddresses%2Cgenders%2Cnames"}},
				NotReplayed: "each of the portal's two requests on its own: the portal asks for the userinfo scopes at sign-in and for Drive (offline, with consent) when someone connects Google Drive, while the test asked for all three at once",
				Use:         "sign-in and connecting Google Drive",
			}, "LoginProviders/GoogleLoginProvider.cs"),
		},
		Notes: []string{
			"Google deletes OAuth clients that go unused for months: if nobody signs in with Google for a long time, check that the client still exists before people need it.",
		},
		Online: `Sends a made-up sign-in code with the client ID and secret to Google's token endpoint: "invalid_grant" means Google accepted the client, "invalid_client" means the ID or secret is wrong. Redirect URIs are proven only by the test sign-in.`,
	}
}

func googleClientID(v string) error {
	switch {
	case strings.HasPrefix(v, "GOCSPX-"):
		return errors.New("this is the client secret, not the client ID: paste it in the secret field and copy the ID, which ends in .apps.googleusercontent.com")
	case !strings.HasSuffix(v, ".apps.googleusercontent.com"):
		return errors.New(`a Google client ID ends in ".apps.googleusercontent.com": copy the whole "Client ID"`)
	}
	return Chain(NoSpaces, Expect(`^[0-9]+(-[a-z0-9_]{32})?\.apps\.googleusercontent\.com$`,
		"this client ID does not look like the ones Google issues (digits, a dash, 32 letters and digits): check that it was copied whole"))(v)
}

func googleClientSecret(v string) error {
	switch {
	case strings.HasSuffix(v, ".apps.googleusercontent.com"):
		return errors.New("this is the client ID, not the secret: copy the \"Client secret\" instead")
	case strings.HasPrefix(v, "GOCSPX-"):
		return Match(`^GOCSPX-[A-Za-z0-9_-]{28}$`, "a secret that starts with GOCSPX- has 28 more letters, digits, - or _: copy it again whole")(v)
	}
	return Chain(NoSpaces, Expect(`^[A-Za-z0-9_-]{24}$`, "new Google client secrets start with GOCSPX-: check that you copied the client secret"))(v)
}
