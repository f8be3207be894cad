package providers

import (
	"errors"
	"regexp"

	"golang.org/x/oauth2"
)

func vk() Provider {
	return Provider{
		ID:       "vk",
		Title:    "VK",
		Category: SignIn,
		Purpose:  "Lets people sign in to the portal with their VK account.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "vk", Props: []string{"vkClientId", "vkClientSecret"}, Removed: "2023-03"},
			Workspace: &Consumer{Name: "Vk", Props: []string{"vkClientId", "vkClientSecret"}, Since: "11.0"},
		},
		Fields: []Field{
			{
				ID: "vkClientId", Label: "App ID",
				Help:    `In the app's settings, the "App ID": a number.`,
				Example: "51234567",
				Check:   vkAppIDCheck(),
			},
			{
				ID: "vkClientSecret", Label: "Secure key", Secret: true,
				Help:    `In the same settings, the "Secure key" (also called protected key), 20 letters and digits.`,
				Example: "Xq3LmP9sRt2VwYz8KbNc",
				Check:   vkSecureKeyCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Open your existing app",
				URL:   "https://vk.com/apps?act=manage",
				Lines: []string{
					"Sign in to VK and open the list of the apps you manage.",
					`Open the app with the platform "Website" that was made for the portal before VK ID took over; VK no longer creates such apps.`,
					"Check that its website is your portal's address and its base domain is the portal's domain.",
				},
			},
			{
				Title: "Allow the redirect addresses",
				URL:   "https://vk.com/apps?act=manage",
				Lines: []string{
					`Open the app's "Settings".`,
					`Add the portal's redirect URL to "Authorized redirect URI", and Keywizard's test redirect for the test sign-in, then save.`,
				},
				Copy: []CopyValue{
					{Label: "Authorized redirect URI", Value: PortalRedirect},
					{Label: "Test redirect URI", Value: TestRedirect, Note: "remove it once the test sign-in passed"},
				},
			},
			{
				Title: "Copy the keys",
				URL:   "https://vk.com/apps?act=manage",
				Lines: []string{
					`On the same "Settings" page, copy the "App ID" and the "Secure key" into Keywizard.`,
				},
				Warning: "Apps made in the newer VK ID business cabinet (id.vk.com) have keys for a different sign-in: the portal uses the classic oauth.vk.com sign-in, so only the secure key of a classic app works.",
			},
		},
		OAuth: &OAuth{
			AuthURL:      "https://oauth.vk.com/authorize",
			TokenURL:     "https://oauth.vk.com/access_token?v=5.131",
			AuthStyle:    oauth2.AuthStyleInParams,
			Scopes:       []string{"email"},
			PortalScopes: []string{"4194304"},
			Loopback:     LoopbackExact,
			LoopbackHost: "127.0.0.1",
			DefaultPort:  53682,
			UserInfoURL:  "https://api.vk.com/method/users.get?fields=photo_100&v=5.131",
			UserInfoAuth: "query",
			AuthParams:   map[string]string{"v": "5.131"},
			ClientID:     "vkClientId",
			ClientSecret: "vkClientSecret",
			// 4194304 is VK's permission bit for the e-mail address, which
			// comes back in the token answer.
			Portal: workspaceOnly(PortalFlow{
				AuthURL:   "https://oauth.vk.com/authorize",
				TokenURL:  "https://oauth.vk.com/access_token",
				TokenAuth: oauth2.AuthStyleInParams,
				Scopes:    []string{"4194304"},
				Identity:  []IdentityCall{{URL: "https://api.vk.com/method/users.get?v=5.103&fields=sex", TokenParam: "access_token"}},
				Use:       "sign-in",
			}, "LoginProviders/VKLoginProvider.cs"),
		},
		Online: `Asks oauth.vk.com for a service token with the App ID and secure key (grant_type=client_credentials): a token proves the pair, and "client_id is incorrect" or "client_secret is incorrect" names the wrong one. The key travels in the query, so that address is never logged; the redirect URI is proven only by the test sign-in.`,
		Notes: []string{
			"DocSpace dropped VK sign-in in March 2023; only Workspace portals still offer it.",
		},
		DeadEnd: &DeadEnd{
			Statement:  `VK no longer lets anyone create the "Website" apps this guide needs: new apps are made in the VK ID business cabinet (id.vk.com), and the portal does not use VK ID's sign-in.`,
			StillWorks: "An app created before VK ID took over still works with the portal's classic oauth.vk.com sign-in: use that app's App ID and secure key. Without such an app, VK sign-in cannot be set up on the portal.",
			Source:     "https://id.vk.com/about/business/go/docs/en/vkid/latest/oauth-vk",
		},
	}
}

func vkAppIDCheck() func(string) error {
	key := regexp.MustCompile(`^[A-Za-z0-9]{20}$`)
	letter := regexp.MustCompile(`[A-Za-z]`)
	shape := Expect(`^[0-9]{6,9}$`, "a VK App ID is a number of about 7 to 9 digits: copy it from the app's settings")
	return func(v string) error {
		if key.MatchString(v) && letter.MatchString(v) {
			return errors.New("this looks like the secure key: paste it in the key field and copy the App ID, a number, here")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func vkSecureKeyCheck() func(string) error {
	id := regexp.MustCompile(`^[0-9]{5,10}$`)
	shape := Expect(`^[A-Za-z0-9]{20}$`, "VK secure keys are 20 letters and digits: check that you copied the whole key")
	return func(v string) error {
		if id.MatchString(v) {
			return errors.New("this is a number, like the App ID: copy the secure key, which has letters and digits, here")
		}
		return Chain(NoSpaces, shape)(v)
	}
}
