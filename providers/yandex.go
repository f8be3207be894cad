package providers

import (
	"errors"
	"strings"

	"golang.org/x/oauth2"
)

func yandex() Provider {
	return Provider{
		ID:       "yandex",
		Title:    "Yandex",
		Category: SignIn,
		Purpose:  "Lets people sign in to the portal with their Yandex ID.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "yandex", Props: []string{"yandexClientId", "yandexClientSecret"}, Removed: "2023-03"},
			Workspace: &Consumer{Name: "Yandex", Props: []string{"yandexClientId", "yandexClientSecret"}, Since: "11.0"},
		},
		Fields: []Field{
			{
				ID: "yandexClientId", Label: "ClientID",
				Help:    `On the app's page in Yandex OAuth, the "ClientID": 32 hexadecimal characters.`,
				Example: "4b7c1e9d2a6f4e03b8d5c7a19e2f6b80",
				Check: Chain(NoSpaces, Expect(`^[0-9a-f]{32}$`,
					"a Yandex ClientID is 32 lowercase hexadecimal characters: check that you copied all of it")),
			},
			{
				ID: "yandexClientSecret", Label: "Client secret", Secret: true,
				Help:    `On the same page, the "Client secret": also 32 hexadecimal characters.`,
				Example: "5d1e7f3a9b2c4d6e8f0a1b3c5d7e9f21",
				Check: Chain(NoSpaces, Expect(`^[0-9a-f]{32}$`,
					"a Yandex client secret is 32 lowercase hexadecimal characters: check that you copied all of it")),
			},
		},
		Steps: []Step{
			{
				Title: "Create the app",
				URL:   "https://oauth.yandex.com/client/new/id/",
				Lines: []string{
					"Sign in with the Yandex account that will own the app; this page creates the kind of app the portal needs.",
					"Enter the service name people will see, an icon if you like, and a contact e-mail address.",
					`Under the platforms, choose "Web services".`,
					`In "Redirect URI", paste the portal's redirect URL and add Keywizard's test redirect as a second one.`,
				},
				Copy: []CopyValue{
					{Label: "Platform", Value: "Web services"},
					{Label: "Redirect URI", Value: PortalRedirect},
					{Label: "Test redirect URI", Value: TestRedirect, Note: "remove it once the test sign-in passed"},
				},
				Warning: `If you start from "Create app" instead, do not pick the type "For API access or debugging": such apps cannot have a redirect URI, so the portal cannot use them.`,
			},
			{
				Title: "Choose the data access",
				URL:   "https://oauth.yandex.com/client/new/id/",
				Lines: []string{
					"Tick the permissions below: Yandex puts into every token exactly the permissions chosen here.",
					"Check the summary and create the app.",
				},
				Copy: []CopyValue{
					{Label: "Permission", Value: "login:info"},
					{Label: "Permission", Value: "login:email"},
					{Label: "Permission", Value: "login:avatar"},
				},
			},
			{
				Title: "Copy the keys",
				URL:   "https://oauth.yandex.com/",
				Lines: []string{
					`Open the app in your list and copy the "ClientID" and the "Client secret" into Keywizard.`,
				},
				Warning: "Yandex lets an unverified developer account own at most 5 apps, and shows people a warning before they allow an unverified developer's app.",
			},
		},
		// Yandex reads the client credentials from the body or a Basic
		// header; pinning the body keeps each check to one request.
		OAuth: &OAuth{
			AuthURL:      "https://oauth.yandex.com/authorize",
			TokenURL:     "https://oauth.yandex.com/token",
			AuthStyle:    oauth2.AuthStyleInParams,
			Scopes:       []string{"login:info", "login:email", "login:avatar"},
			PKCE:         true,
			Loopback:     LoopbackExact,
			LoopbackHost: "127.0.0.1",
			DefaultPort:  53682,
			UserInfoURL:  "https://login.yandex.ru/info?format=json",
			UserInfoAuth: "oauth",
			RevokeURL:    "https://oauth.yandex.ru/revoke_token",
			ClientID:     "yandexClientId",
			ClientSecret: "yandexClientSecret",
			// No scope: Yandex grants what the app was registered with.
			Portal: workspaceOnly(PortalFlow{
				AuthURL:   "https://oauth.yandex.ru/authorize",
				TokenURL:  "https://oauth.yandex.ru/token",
				TokenAuth: oauth2.AuthStyleInParams,
				PKCE:      true,
				Identity:  []IdentityCall{{URL: "https://login.yandex.ru/info?format=json", TokenParam: "oauth_token"}},
				Use:       "sign-in",
			}, "LoginProviders/YandexLoginProvider.cs"),
		},
		Online: `Sends a made-up sign-in code with the ClientID and secret to Yandex's token endpoint: a "bad code" answer means Yandex accepted the client, an invalid_client answer means the ID or secret is wrong. These answers are expected from the OAuth standard but not yet confirmed for Yandex, and the redirect URI is proven only by the test sign-in.`,
		Notes: []string{
			"DocSpace dropped Yandex sign-in in March 2023; only Workspace portals still offer it.",
		},
		CheckAll: yandexSameValue,
	}
}

// yandexSameValue catches one value pasted into both fields: the ClientID
// and the secret share a format, so only their equality gives it away.
func yandexSameValue(values map[string]string) []FieldError {
	if id := values["yandexClientId"]; id != "" && strings.EqualFold(id, values["yandexClientSecret"]) {
		return []FieldError{{Field: "yandexClientSecret", Err: errors.New("the secret is the same as the ClientID: copy the \"Client secret\" line of the app's page")}}
	}
	return nil
}
