package providers

import (
	"errors"
	"regexp"
	"strings"

	"golang.org/x/oauth2"
)

func yahoo() Provider {
	return Provider{
		ID:       "yahoo",
		Title:    "Yahoo",
		Category: Contacts,
		Purpose:  "Lets the portal import people from a Yahoo contact list as new users.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "yahoo", Props: []string{"yahooClientId", "yahooClientSecret"}, Removed: "2022-06"},
			Workspace: &Consumer{Name: "Yahoo", Props: []string{"yahooClientId", "yahooClientSecret"}, Removed: "v11.6.0"},
		},
		Fields: []Field{
			{
				ID: "yahooClientId", Label: "Client ID (Consumer Key)",
				Help:    `On the app's page, the "Client ID (Consumer Key)": a long value that starts with dj0y.`,
				Example: "dj0yJmk9UW03eEtwMkx3WjlSJmQ9WVdrOVpVcDRUM04yTjFRbWMzWTlNQ1o0UFRKbSZzPWNvbnN1bWVyc2VjcmV0JnN2PTAmeD04Yw--",
				Check:   yahooClientIDCheck(),
			},
			{
				ID: "yahooClientSecret", Label: "Client Secret (Consumer Secret)", Secret: true,
				Help:    `On the same page, the "Client Secret (Consumer Secret)": 40 hexadecimal characters.`,
				Example: "e7c1a94f02b8d63e5a17c9f04b2d86e13a5c7f90",
				Check:   yahooSecretCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Create the app",
				URL:   "https://developer.yahoo.com/apps/create/",
				Lines: []string{
					"Sign in with the Yahoo account that will own the app and enter the application name.",
					`In "Redirect URI(s)", paste the portal's redirect URL; Yahoo accepts only https addresses.`,
					`Under "API Permissions", tick "OpenID Connect", then click "Create App".`,
				},
				Copy: []CopyValue{
					{Label: "Redirect URI", Value: PortalRedirect},
					{Label: "API permission", Value: "OpenID Connect"},
				},
				Warning: "Yahoo no longer offers a Contacts permission to new apps, so the old contact import cannot get at contact lists with a new app. Yahoo also refuses localhost and http redirect addresses, so Keywizard cannot run a test sign-in for Yahoo.",
			},
			{
				Title: "Copy the keys",
				URL:   "https://developer.yahoo.com/apps/",
				Lines: []string{
					"Open the app from your list.",
					`Copy the "Client ID (Consumer Key)" and the "Client Secret (Consumer Secret)" into Keywizard.`,
				},
			},
		},
		OAuth: &OAuth{
			AuthURL:      "https://api.login.yahoo.com/oauth2/request_auth",
			TokenURL:     "https://api.login.yahoo.com/oauth2/get_token",
			AuthStyle:    oauth2.AuthStyleInHeader,
			Scopes:       []string{"openid", "email", "profile"},
			Loopback:     LoopbackNone,
			UserInfoURL:  "https://api.login.yahoo.com/openid/v1/userinfo",
			UserInfoAuth: "bearer",
			ClientID:     "yahooClientId",
			ClientSecret: "yahooClientSecret",
		},
		Online: `Sends a made-up sign-in code with the client ID and secret to Yahoo's token endpoint, using the out-of-band redirect "oob": a bad-code answer means Yahoo accepted the client, invalid_client means the keys are wrong. This split is expected but not yet confirmed for Yahoo, and nothing proves the portal's redirect URI, since Yahoo allows no test sign-in on this computer.`,
		Notes: []string{
			"Yahoo contact import was removed from DocSpace in June 2022 and from Workspace in v11.6.0; the keys matter only to portals older than that.",
		},
	}
}

func yahooClientIDCheck() func(string) error {
	secret := regexp.MustCompile(`^[0-9a-fA-F]{40}$`)
	shape := Expect(`^dj0y[A-Za-z0-9+/=_-]{60,120}$`,
		`Yahoo client IDs are about 100 characters starting with "dj0y": check that you copied the whole Client ID`)
	return func(v string) error {
		if secret.MatchString(v) {
			return errors.New("this looks like the client secret: paste it in the secret field and copy the Client ID, which starts with dj0y, here")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func yahooSecretCheck() func(string) error {
	shape := Expect(`^[0-9a-f]{40}$`, "Yahoo client secrets are 40 lowercase hexadecimal characters: check that you copied the whole secret")
	return func(v string) error {
		if strings.HasPrefix(v, "dj0y") {
			return errors.New("this is the Client ID: paste it in the client ID field and copy the Client Secret here")
		}
		return Chain(NoSpaces, shape)(v)
	}
}
