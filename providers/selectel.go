package providers

import (
	"errors"
	"regexp"
	"strings"
)

func selectel() Provider {
	return Provider{
		ID:       "selectel",
		Title:    "Selectel Cloud Storage",
		Category: BackupStorage,
		Purpose:  "Stores the portal's backups, and optionally its data and static files, in Selectel object storage containers.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "selectel", Props: []string{"authUser", "authPwd"}, Removed: "2024-08"},
			Workspace: &Consumer{Name: "Selectel", Props: []string{"authUser", "authPwd"}},
		},
		Fields: []Field{
			{
				ID: "authUser", Label: "Storage user",
				Help:    "The storage user's login: your account number, an underscore and the user's name (the account number alone for the main user).",
				Example: "123456_backup",
				Check:   selectelUserCheck(),
			},
			{
				ID: "authPwd", Label: "Storage user's password", Secret: true, Password: true,
				Help:    "The password set for that storage user in the control panel.",
				Example: "hT7-kQ2m_Zx9vLp4",
				Check:   selectelPasswordCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Open the storage users",
				URL:   "https://my.selectel.ru/",
				Lines: []string{
					"Sign in to the Selectel control panel.",
					`Open "Cloud storage" (object storage) and go to its users section. Accounts created after the overhaul of 29 September 2023 have no such section.`,
				},
			},
			{
				Title: "Create a user for the portal",
				URL:   "https://my.selectel.ru/",
				Lines: []string{
					"Pick an existing storage user, or create one where the panel still allows it, with read and write access to the containers that will hold the backups.",
					"Set a password for the user and copy it into Keywizard.",
					"Copy the user's login, which looks like the account number, an underscore and the user's name.",
				},
			},
			{
				Title: "Prepare the containers",
				URL:   "https://my.selectel.ru/",
				Lines: []string{
					"Create the private container for backups (and a public one if the portal should keep static files there).",
					"You will pick these containers on the portal when you set up the storage.",
				},
			},
		},
		Online: `Signs in to Selectel's legacy Swift authentication (GET https://api.selcdn.ru/auth/v1.0 with the login and password in headers): 204 with a storage token proves the pair; any other answer means a wrong pair or an account without that legacy access. It creates nothing and does not prove access to a given container.`,
		DeadEnd: &DeadEnd{
			Statement:  `Selectel's object storage overhaul of 29 September 2023 replaced storage users with service users and S3 keys; the portal still signs in with a storage user's login and password through the legacy authentication, which Selectel plans to switch off.`,
			StillWorks: "A storage user created before the overhaul keeps working here until Selectel switches the legacy login off. An account created since has no storage users, so this guide cannot succeed for it.",
			Since:      "2023-09-29",
			Source:     "https://docs.selectel.ru/en/cloud/object-storage/manage/configure-storage-update/",
		},
		Notes: []string{
			"The portal uses Selectel's older login-and-password storage access; accounts created for the newer S3 keys may not have it.",
			"DocSpace dropped Selectel in August 2024; only Workspace portals still offer it.",
		},
	}
}

func selectelUserCheck() func(string) error {
	shape := Expect(`^[0-9]+(_[A-Za-z0-9._-]+)?$`,
		"a Selectel storage login is usually the account number, optionally followed by _ and the user's name: check it in the control panel")
	return func(v string) error {
		if strings.HasPrefix(v, "_") {
			return errors.New("the login starts with the account number before the underscore: copy the whole login")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func selectelPasswordCheck() func(string) error {
	login := regexp.MustCompile(`^[0-9]+_[A-Za-z0-9._-]+$`)
	return func(v string) error {
		if login.MatchString(v) {
			return Warnf("this looks like the storage login (account number, underscore, name): check that you pasted the password here")
		}
		return nil
	}
}
