package providers

import (
	"errors"
	"regexp"

	"golang.org/x/oauth2"
)

func wordpress() Provider {
	return Provider{
		ID:       "wordpress",
		Title:    "WordPress.com",
		Category: EditorPlugins,
		Purpose:  "Lets people publish a document from the editor's WordPress plugin straight to their WordPress.com site.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "wordpress", Props: []string{"wpClientId", "wpClientSecret"}, Removed: "2024-08"},
			Workspace: &Consumer{Name: "Wordpress", Props: []string{"wpClientId", "wpClientSecret"}, Removed: "v12.5.2"},
		},
		Fields: []Field{
			{
				ID: "wpClientId", Label: "Client ID",
				Help:    `On the app's page, under "OAuth Information", the "Client ID": a number.`,
				Example: "81234",
				Check:   wordpressClientIDCheck(),
			},
			{
				ID: "wpClientSecret", Label: "Client Secret", Secret: true,
				Help:    `Under "OAuth Information", the "Client Secret": 64 letters and digits.`,
				Example: "aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY2zA4bC6dE8fG0hJ2kL4mN6pQ8rS0tU2v",
				Check:   wordpressSecretCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Create the application",
				URL:   "https://developer.wordpress.com/apps/new/",
				Lines: []string{
					"Sign in with your WordPress.com account (a free account will do).",
					"Enter a name and a description, and your portal's address as the website URL.",
					`In "Redirect URLs", put the portal's redirect URL and, on a line of its own, Keywizard's test redirect.`,
					`Choose the type "Web", answer the small sum that WordPress asks and click "Create".`,
				},
				Copy: []CopyValue{
					{Label: "Redirect URL", Value: PortalRedirect},
					{Label: "Test redirect URL", Value: TestRedirect, Note: "remove it once the test sign-in passed"},
					{Label: "Type", Value: "Web"},
				},
			},
			{
				Title: "Copy the keys",
				URL:   "https://developer.wordpress.com/apps/",
				Lines: []string{
					"Click the new application's name.",
					`Under "OAuth Information", copy the "Client ID" and the "Client Secret" into Keywizard.`,
				},
			},
		},
		OAuth: &OAuth{
			AuthURL:      "https://public-api.wordpress.com/oauth2/authorize",
			TokenURL:     "https://public-api.wordpress.com/oauth2/token",
			AuthStyle:    oauth2.AuthStyleInParams,
			Scopes:       []string{"auth"},
			Loopback:     LoopbackExact,
			LoopbackHost: "127.0.0.1",
			DefaultPort:  53682,
			UserInfoURL:  "https://public-api.wordpress.com/rest/v1/me",
			UserInfoAuth: "bearer",
			ClientID:     "wpClientId",
			ClientSecret: "wpClientSecret",
		},
		Online: `Sends a made-up sign-in code with the client ID and secret to WordPress.com's token endpoint: "Unknown client_id" or invalid_client means the keys are wrong, a bad-code answer means they were accepted. This split is expected from the OAuth standard but not yet confirmed for WordPress.com, and the redirect URLs are proven only by the test sign-in.`,
		Notes: []string{
			"Workspace dropped the WordPress keys in v12.5.2 and DocSpace in August 2024; they matter only to portals older than that.",
			"The WordPress plugin is not part of the free version of the editors.",
		},
	}
}

func wordpressClientIDCheck() func(string) error {
	secret := regexp.MustCompile(`^[A-Za-z0-9]{64}$`)
	shape := Expect(`^[0-9]+$`, `a WordPress.com client ID is a number: copy the "Client ID" under "OAuth Information"`)
	return func(v string) error {
		if secret.MatchString(v) {
			return errors.New("this looks like the client secret: paste it in the secret field and copy the client ID, a number, here")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func wordpressSecretCheck() func(string) error {
	id := regexp.MustCompile(`^[0-9]{1,10}$`)
	shape := Expect(`^[A-Za-z0-9]{64}$`, "WordPress.com client secrets are 64 letters and digits: check that you copied the whole secret")
	return func(v string) error {
		if id.MatchString(v) {
			return errors.New("this is a short number, like the client ID: copy the \"Client Secret\" here")
		}
		return Chain(NoSpaces, shape)(v)
	}
}
