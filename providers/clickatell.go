package providers

import (
	"errors"
	"strings"
)

func clickatell() Provider {
	return Provider{
		ID:       "clickatell",
		Title:    "Clickatell",
		Category: SMS,
		Purpose:  "Sends the text messages with sign-in codes for two-factor authentication.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "clickatell", Props: []string{"clickatellapiKey"}, Removed: "2024-08"},
			Workspace: &Consumer{Name: "Clickatell", Props: []string{"clickatellapiKey"}},
		},
		Fields: []Field{
			{
				ID: "clickatellapiKey", Label: "API key", Secret: true,
				Help:    "On the page of the SMS integration (HTTP API) in the Clickatell portal, the integration's API key.",
				Example: "Xk3bT9qLw2ZpR7vN4mYc8A==",
				Check:   clickatellKeyCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Open the SMS channel",
				URL:   "https://portal.clickatell.com/",
				Lines: []string{
					"Sign in to the Clickatell portal with the account that will pay for the messages.",
					`Under "Channels" > "SMS", activate the channel if it is not active yet.`,
				},
			},
			{
				Title: "Create an HTTP API integration",
				URL:   "https://portal.clickatell.com/",
				Lines: []string{
					`Click "New SMS setup" (or "Create integration"), choose "API", then one-way messaging.`,
					`Pick the HTTP API, give the setup a name and finish the set-up.`,
				},
				Copy: []CopyValue{{Label: "API type", Value: "HTTP"}},
			},
			{
				Title: "Copy the API key",
				URL:   "https://portal.clickatell.com/",
				Lines: []string{
					"Copy the API key shown at the end of the set-up into Keywizard.",
					"Make sure the account has credit and may send to the countries of your portal's users.",
				},
				Warning: "Never test the key with the send address Clickatell shows next to it: it sends a real, paid message.",
			},
		},
		Online: "Reads the account balance (GET platform.clickatell.com/public-client/balance with the raw key in the Authorization header): an answer proves the key and shows the credit left. No message is sent, so it does not prove that messages reach your users' countries.",
	}
}

func clickatellKeyCheck() func(string) error {
	shape := Expect(`^[A-Za-z0-9_+/-]{16,40}={0,2}$`,
		"Clickatell API keys are usually about 24 letters and digits, often ending in ==: check that you copied all of it")
	return func(v string) error {
		switch {
		case strings.Contains(v, "://") || strings.Contains(v, "apiKey="):
			return errors.New("this is a web address: paste only the API key, the value after apiKey=")
		case strings.HasPrefix(strings.ToLower(v), "bearer "):
			return errors.New("paste only the key, without the word Bearer")
		case digitsOnly.MatchString(v):
			return Warnf("this looks like an API ID of Clickatell's old Central API: the portal needs the API key of a platform HTTP integration")
		}
		return Chain(NoSpaces, shape)(v)
	}
}
