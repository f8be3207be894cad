package providers

import (
	"errors"
	"strings"
	"unicode/utf8"
)

func easybib() Provider {
	return Provider{
		ID:       "easybib",
		Title:    "EasyBib",
		Category: EditorPlugins,
		Purpose:  "Lets people search for sources and insert formatted citations with the document editor's EasyBib plugin.",
		Portal: Portal{
			Workspace: &Consumer{Name: "EasyBib", Props: []string{"easyBibappkey"}, Removed: "v12.5.2"},
		},
		Fields: []Field{
			{
				ID: "easyBibappkey", Label: "App key", Secret: true,
				Help:    "The app key EasyBib sent by e-mail when your application was registered.",
				Example: "7d2a9f4c1e8b3a6d5f0c2e9b4a7d1f3c",
				Check:   easyBibKeyCheck,
			},
		},
		Steps: []Step{
			{
				Title: "Find your existing key",
				URL:   "https://www.easybib.com/",
				Lines: []string{
					"EasyBib no longer registers new applications: look for the e-mail with your application's details from an earlier registration.",
					"Copy the app key from that e-mail into Keywizard.",
				},
				Warning: "Without a key issued earlier, EasyBib cannot be connected: new keys are no longer given out.",
			},
			{
				Title: "Check the portal version",
				Lines: []string{
					"Only Workspace versions before 12.5.2 offer EasyBib; DocSpace never had it.",
					"The EasyBib plugin is not part of the free editors.",
				},
			},
			{
				Title: "Use it in the editor",
				Lines: []string{
					`After the push, open a document and look for EasyBib on the editor's "Plugins" tab.`,
				},
			},
		},
		Online: `Asks the citation API (api.citation-api.com) to format one made-up website citation with the key; a "status" of "ok" suggests the key works. The API documents no key check and its answer to a bad key is unknown, so a failure may also mean the service itself is gone.`,
	}
}

func easyBibKeyCheck(v string) error {
	switch {
	case strings.Contains(v, "://"):
		return errors.New("this is a web address: paste only the app key from EasyBib's e-mail")
	case utf8.RuneCountInString(v) < 8:
		return Warnf("this is very short for an app key: check that you copied all of it")
	}
	return NoSpaces(v)
}
