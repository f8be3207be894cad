package providers

import (
	"errors"
	"regexp"

	"golang.org/x/oauth2"
)

func mendeley() Provider {
	return Provider{
		ID:       "mendeley",
		Title:    "Mendeley",
		Category: EditorPlugins,
		Purpose:  "Lets people search their Mendeley library and insert citations and bibliographies from the editor's Mendeley plugin.",
		Portal: Portal{
			Elsewhere: `Not a portal setting: the App ID goes into the Mendeley plugin, on the "Plugins" tab of the document editor.`,
		},
		Fields: []Field{
			{
				ID: "mendeleyClientId", Label: "App ID",
				Help:    `On "My Applications", the "ID" of your app: a number.`,
				Example: "12345",
				Check:   mendeleyClientIDCheck(),
			},
			{
				ID: "mendeleyClientSecret", Label: "Secret (for Keywizard's checks)", Secret: true, Optional: true, Local: true,
				Help:    `The secret made with "Generate secret" when you registered the app; the plugin does not need it, only Keywizard's checks do.`,
				Example: "Hs7Kd2Lq9Wm4Xv1B",
				Check:   mendeleySecretCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Register the app",
				URL:   "https://dev.mendeley.com/myapps.html",
				Lines: []string{
					`First, in the document editor, open the "Plugins" tab, start the Mendeley plugin and copy the redirect address it shows; it depends on your document server.`,
					`Sign in to the Mendeley developer portal, click "Register a new app" and enter a name and a short description.`,
					`As the "Redirect URL", paste the plugin's address. For Keywizard's test sign-in, put its test redirect there first and switch to the plugin's address once the test passed.`,
				},
				Copy: []CopyValue{
					{Label: "Test redirect URL", Value: TestRedirect, Note: "remove it once the test sign-in passed, and put the plugin's address back"},
				},
			},
			{
				Title: "Generate the secret",
				URL:   "https://dev.mendeley.com/myapps.html",
				Lines: []string{
					`Accept the terms and click "Generate secret".`,
					`Copy the secret into Keywizard's optional secret field: the plugin does not use it, but Keywizard's checks do. Then click "Submit".`,
					"The plugin asks for the scope below; the registration form has no scope settings, so there is nothing to tick.",
				},
				Copy: []CopyValue{
					{Label: "Scope", Value: "all"},
				},
			},
			{
				Title: "Copy the App ID",
				URL:   "https://dev.mendeley.com/myapps.html",
				Lines: []string{
					`On "My Applications", copy the ID of the new app into Keywizard.`,
					"Then paste it into the App ID field of the Mendeley plugin in the editor and sign in with your Mendeley account.",
				},
			},
		},
		OAuth: &OAuth{
			AuthURL:      "https://api.mendeley.com/oauth/authorize",
			TokenURL:     "https://api.mendeley.com/oauth/token",
			AuthStyle:    oauth2.AuthStyleInHeader,
			Scopes:       []string{"all"},
			PortalScopes: []string{"all"},
			Loopback:     LoopbackExact,
			LoopbackHost: "localhost",
			DefaultPort:  53682,
			UserInfoURL:  "https://api.mendeley.com/profiles/me",
			UserInfoAuth: "bearer",
			ClientID:     "mendeleyClientId",
			ClientSecret: "mendeleyClientSecret",
		},
		Online: `Asks Mendeley for an app-only token with the App ID and secret (client credentials, scope "all"): a token proves the pair. It needs the optional secret, and it does not prove the plugin's redirect address, which only a sign-in from the plugin shows.`,
		Notes: []string{
			"The plugin signs people in with the App ID alone; keep the secret anyway if you want Keywizard to check the app.",
		},
	}
}

func mendeleyClientIDCheck() func(string) error {
	secret := regexp.MustCompile(`^[A-Za-z0-9]{16}$`)
	letter := regexp.MustCompile(`[A-Za-z]`)
	shape := Expect(`^[0-9]+$`, `a Mendeley App ID is a number: copy the "ID" shown on My Applications`)
	return func(v string) error {
		if secret.MatchString(v) && letter.MatchString(v) {
			return errors.New("this looks like the secret: paste it in the secret field and copy the App ID, a number, here")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func mendeleySecretCheck() func(string) error {
	id := regexp.MustCompile(`^[0-9]{1,8}$`)
	shape := Expect(`^[A-Za-z0-9]{16}$`, "Mendeley secrets are 16 letters and digits: check that you copied the whole secret")
	return func(v string) error {
		if id.MatchString(v) {
			return errors.New("this is a short number, like the App ID: copy the generated secret here")
		}
		return Chain(NoSpaces, shape)(v)
	}
}
