package providers

import (
	"errors"
	"regexp"
)

func zotero() Provider {
	return Provider{
		ID:       "zotero",
		Title:    "Zotero",
		Category: EditorPlugins,
		Purpose:  "Lets people insert citations and bibliographies from their Zotero library through the editor's Zotero plugin.",
		Portal: Portal{
			Elsewhere: `Not a portal setting: the API key goes into the Zotero plugin, on the "Plugins" tab of the document editor.`,
		},
		Fields: []Field{
			{
				ID: "zoteroApiKey", Label: "API key", Secret: true,
				Help:    "The private key Zotero shows once after you save a new key: 24 letters and digits.",
				Example: "P7xQ2mLr9KvT4sWn8ZbYc3Fd",
				Check:   zoteroAPIKeyCheck(),
			},
			{
				ID: "zoteroUserId", Label: "userID (for Keywizard's checks)", Optional: true, Local: true,
				Help:    `On the API keys page, the number after "Your userID for use in API calls"; Keywizard checks that the key belongs to it.`,
				Example: "4815162",
				Check:   zoteroUserIDCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Create a private key",
				URL:   "https://www.zotero.org/settings/keys/new",
				Lines: []string{
					"Sign in to zotero.org (or register) and give the key a name, such as the portal's address.",
					"Tick the permissions below so the plugin can read the library and add to it.",
					`Click "Save Key".`,
				},
				Copy: []CopyValue{
					{Label: "Personal Library", Value: "Allow library access"},
					{Label: "Personal Library", Value: "Allow write access"},
					{Label: "Default Group Permissions", Value: "Read/Write"},
				},
			},
			{
				Title: "Copy the key and your userID",
				URL:   "https://www.zotero.org/settings/keys",
				Lines: []string{
					"Copy the new key into Keywizard straight away: Zotero shows it only once.",
					`On the keys page, copy the number after "Your userID for use in API calls" as well.`,
				},
			},
			{
				Title: "Enter the key in the editor",
				URL:   "https://www.zotero.org/settings/keys",
				Lines: []string{
					`In the document editor, open the "Plugins" tab and start the Zotero plugin.`,
					"Paste the API key into its API key field and save.",
				},
			},
		},
		Online: `Asks the Zotero API about the key (GET https://api.zotero.org/keys/current with the key in the Zotero-API-Key header): the answer proves the key works, gives its userID and username, and shows whether it may write to the library; 403 means the key is wrong or was deleted. A server that does not serve /keys/current is asked /keys/KEY instead. It changes nothing in the library.`,
	}
}

func zoteroAPIKeyCheck() func(string) error {
	id := regexp.MustCompile(`^[0-9]+$`)
	shape := Expect(`^[A-Za-z0-9]{24}$`, "Zotero API keys are 24 letters and digits: check that you copied the whole key")
	return func(v string) error {
		if id.MatchString(v) {
			return errors.New("this is a number, like your userID: copy the 24-character API key here")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func zoteroUserIDCheck() func(string) error {
	key := regexp.MustCompile(`^[A-Za-z0-9]{24}$`)
	id := Match(`^[0-9]+$`, `the Zotero userID is a number: copy it from "Your userID for use in API calls" on the keys page`)
	return func(v string) error {
		if key.MatchString(v) {
			return errors.New("this looks like the API key: paste it in the key field and copy your userID, a number, here")
		}
		return id(v)
	}
}
