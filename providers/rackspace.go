package providers

import (
	"errors"
	"regexp"
	"strings"
)

func rackspace() Provider {
	return Provider{
		ID:       "rackspace",
		Title:    "Rackspace Cloud Files",
		Category: BackupStorage,
		Purpose:  "Stores the portal's backups, and optionally its data and static files, in Rackspace Cloud Files containers.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "rackspace", Props: []string{"username", "apiKey"}, Paid: true},
			Workspace: &Consumer{Name: "Rackspace", Props: []string{"username", "apiKey"}},
		},
		Fields: []Field{
			{
				ID: "username", Label: "Rackspace username",
				Help:    "The username you sign in to the Rackspace Cloud Control Panel with (not your e-mail address, unless that is your username).",
				Example: "acmebackup",
				Check:   rackspaceUsernameCheck(),
			},
			{
				ID: "apiKey", Label: "API key", Secret: true,
				Help:    `In the account menu, "My Profile and Settings" > "API Access" > "Show" (in the older Cloud Control Panel: "Security Settings" > "Rackspace API Key" > "Show").`,
				Example: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
				Check:   rackspaceAPIKeyCheck(),
			},
			{
				ID: "region", Label: "Region (for Keywizard's checks)", Optional: true, Local: true,
				Help:    "The data centre of your Cloud Files containers, such as DFW, ORD, IAD, LON, SYD or HKG; you choose it on the portal when you set up a backup.",
				Example: "DFW",
				Check: Chain(NoSpaces, Expect(`^(DFW|ORD|IAD|LON|SYD|HKG)$`,
					"Rackspace Cloud Files regions are three capital letters: DFW, ORD, IAD, LON, SYD or HKG")),
			},
		},
		Steps: []Step{
			{
				Title: "Sign in to Rackspace",
				URL:   "https://login.rackspace.com/",
				Lines: []string{
					"Sign in with the account that owns the Cloud Files containers for the backups.",
					"Copy your username into Keywizard.",
				},
			},
			{
				Title: "Show the API key",
				URL:   "https://mycloud.rackspace.com/",
				Lines: []string{
					`Open the account menu at the top right and choose "My Profile and Settings".`,
					`Under "API Access", click "Show" and copy the API key into Keywizard. The older Cloud Control Panel has it under "Security Settings" > "Rackspace API Key".`,
				},
				Warning: `Do not click "Reset": a new key stops every program that uses the old one.`,
			},
			{
				Title: "Prepare the containers",
				URL:   "https://mycloud.rackspace.com/",
				Lines: []string{
					`Under "Storage" > "Files", note the region of the containers the portal should use, or create them there.`,
					"Enter that region in Keywizard so that its check looks in the right data centre.",
				},
			},
		},
		Online: `Asks Rackspace's identity service for a token with the username and API key (POST /v2.0/tokens): a token proves the pair, and "Username or api key is invalid" means one of them is wrong; Keywizard then looks for a Cloud Files endpoint in the chosen region. It creates nothing and does not prove that the portal may write to a given container.`,
		Notes: []string{
			"On DocSpace in the cloud, Rackspace needs a plan that includes third-party storage; self-hosted portals are not limited.",
		},
	}
}

func rackspaceUsernameCheck() func(string) error {
	key := regexp.MustCompile(`^[0-9a-fA-F]{32}$`)
	return func(v string) error {
		if key.MatchString(v) {
			return errors.New("this looks like the API key: paste it in the API key field and enter your Rackspace username here")
		}
		return NoSpaces(v)
	}
}

func rackspaceAPIKeyCheck() func(string) error {
	shape := Expect(`^[0-9a-f]{32}$`, "Rackspace API keys are 32 lowercase hexadecimal characters: check that you copied the whole key")
	return func(v string) error {
		if strings.ContainsAny(v, "*•") {
			return errors.New(`this is the masked key: click "Show" first, then copy it`)
		}
		return Chain(NoSpaces, shape)(v)
	}
}
