package providers

import (
	"regexp"

	"golang.org/x/oauth2"
)

func mailru() Provider {
	return Provider{
		ID:       "mailru",
		Title:    "Mail.ru",
		Category: SignIn,
		Purpose:  "Lets people sign in to the portal with their Mail.ru account.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "mailru", Props: []string{"mailRuClientId", "mailRuClientSecret"}, Removed: "2023-04"},
			Workspace: &Consumer{Name: "Mailru", Props: []string{"mailRuClientId", "mailRuClientSecret"}, Since: "11.0"},
		},
		Fields: []Field{
			{
				ID: "mailRuClientId", Label: "ID",
				Help:    `On the connected site's page, the site's "ID": a number.`,
				Example: "751234",
				Check:   mailRuIDCheck(),
			},
			{
				ID: "mailRuClientSecret", Label: "Secret key", Secret: true,
				Help:    `On the same page, the "Secret key" (not the "Private key"): 32 hexadecimal characters.`,
				Example: "a4c9e2f71b3d5860c7e9f1a2b4d6e8f0",
				Check:   mailRuSecretCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Connect a site (or use the one you have)",
				URL:   "https://api.mail.ru/sites/my/add",
				Lines: []string{
					"If a site was registered for the portal before July 2025, skip to the next step and use it.",
					"Otherwise sign in with the Mail.ru account that will own the keys; Mail.ru may no longer accept new sites here.",
					`Accept the terms, click "Continue" and give the site a name.`,
					"Enter the portal's redirect page as the main page address and continue.",
					"Skip downloading the receiver.html file on the next screen.",
				},
				Copy:    []CopyValue{{Label: "Main page address", Value: PortalRedirect}},
				Warning: "The portal signs in through Mail.ru's site platform (connect.mail.ru): apps made on o2.mail.ru are a different kind and do not work with it.",
			},
			{
				Title: "Copy the keys",
				URL:   "https://api.mail.ru/sites/my/",
				Lines: []string{
					`Open "My sites" and click "Manage" next to the new site.`,
					`Copy the "ID" and the "Secret key" into Keywizard; the "Private key" is not used.`,
				},
			},
			{
				Title: "Point the site at the redirect page",
				URL:   "https://api.mail.ru/sites/my/",
				Lines: []string{
					"In the site's settings, enter the portal's redirect URL where the address of the receiver page is asked for.",
					"Save the changes.",
				},
				Copy: []CopyValue{{Label: "Receiver page address", Value: PortalRedirect}},
			},
		},
		OAuth: &OAuth{
			// The portal uses the older site platform, not o2.mail.ru.
			AuthURL:   "https://connect.mail.ru/oauth/authorize",
			TokenURL:  "https://connect.mail.ru/oauth/token",
			AuthStyle: oauth2.AuthStyleInParams,
			// A site is registered with one address, the portal's redirect
			// page, so a loopback redirect has nowhere to go.
			Loopback: LoopbackNone,
			// The platform's profile call must be signed with the secret key
			// (users.getInfo on appsmail.ru), so there is no plain userinfo
			// URL; the token answer carries the user's id (x_mailru_vid).
			ClientID:     "mailRuClientId",
			ClientSecret: "mailRuClientSecret",
			// The profile call (users.getInfo) is signed with the secret key
			// and goes over plain http; a loopback test cannot run anyway.
			Portal: workspaceOnly(PortalFlow{
				AuthURL:   "https://connect.mail.ru/oauth/authorize",
				TokenURL:  "https://connect.mail.ru/oauth/token",
				TokenAuth: oauth2.AuthStyleInParams,
				Identity:  []IdentityCall{{URL: "http://www.appsmail.ru/platform/api?method=users.getInfo&secure=1", TokenParam: "session_key"}},
				Use:       "sign-in",
			}, "LoginProviders/MailRuLoginProvider.cs"),
		},
		Online: `Sends a made-up sign-in code with the ID and secret key to the token endpoint of connect.mail.ru: a refusal of the code means Mail.ru accepted the site's keys, "invalid_client" means they are wrong. Mail.ru documents neither answer, and the redirect is proven only by a real sign-in on the portal.`,
		Notes: []string{
			"DocSpace dropped Mail.ru in April 2023; only Workspace still offers it.",
		},
		DeadEnd: &DeadEnd{
			Statement:  "Since 1 July 2025 Mail.ru sends new sign-in integrations to VK ID, and the portal's Mail.ru sign-in does not use VK ID: a site registered today will most likely not work.",
			StillWorks: "A site registered on api.mail.ru before that date keeps working: use its ID and secret key.",
			Since:      "2025-07-01",
			Source:     "https://id.vk.ru/about/business/go/docs/ru/vkid/latest/oauth/oauth-mail/index",
		},
	}
}

var hex32 = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

func mailRuIDCheck() func(string) error {
	shape := Expect(`^[0-9]+$`, "a Mail.ru site ID is a number: check that you copied the \"ID\"")
	return func(v string) error {
		if hex32.MatchString(v) {
			return Warnf("this looks like the secret key or the private key: a site's ID is a number (an o2.mail.ru app's ID looks like this, but the portal needs a site)")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func mailRuSecretCheck() func(string) error {
	shape := Expect(`^[0-9a-f]{32}$`, "a Mail.ru secret key is usually 32 hexadecimal characters: check that you copied the \"Secret key\"")
	digits := regexp.MustCompile(`^[0-9]{1,12}$`)
	return func(v string) error {
		if digits.MatchString(v) {
			return Warnf("this looks like the site's ID: paste it in the ID field and copy the \"Secret key\"")
		}
		return Chain(NoSpaces, shape)(v)
	}
}
