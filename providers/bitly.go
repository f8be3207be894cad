package providers

import (
	"errors"
	"strings"
)

func bitly() Provider {
	return Provider{
		ID:       "bitly",
		Title:    "Bitly",
		Category: Links,
		Purpose:  "Shortens the links the portal makes for invitations and for documents shared with people outside the portal.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "bitly", Props: []string{"bitlyToken"}, Removed: "2024-08"},
			Workspace: &Consumer{Name: "Bitly", Props: []string{"bitlyToken"}},
		},
		Fields: []Field{
			{
				ID: "bitlyToken", Label: "Access token", Secret: true, Token: true,
				Help:    `In Bitly's settings under "API", the generic access token generated after you confirm your password: 40 letters and digits.`,
				Example: "f543b616411b88e5acce41e4de8139fa23fdbff2",
				Check:   bitlyTokenCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Sign in to Bitly",
				URL:   "https://app.bitly.com/",
				Lines: []string{
					"Sign in with the Bitly account whose links the portal will create, or sign up for one.",
					"The links count towards this account's monthly limit.",
				},
			},
			{
				Title: "Generate the access token",
				URL:   "https://app.bitly.com/settings/api/",
				Lines: []string{
					"Enter your Bitly password to confirm and click \"Generate token\".",
					"Copy the token into Keywizard.",
					"If you sign in to Bitly with Google, Apple or another single sign-on, your account has no Bitly password yet: set one in the account's settings first, then generate the token.",
				},
				Warning: "The token acts as your Bitly account: anyone who has it can create links in its name. Keep it out of e-mail and chat.",
			},
			{
				Title: "Check and push",
				Lines: []string{
					"Run Keywizard's online check, then push the token.",
					`When you save it, the portal itself shortens a test link with the token; if that fails, it clears the key and answers "Bad keys".`,
				},
			},
		},
		Online: "Reads the token's user record (GET /v4/user on api-ssl.bitly.com): an answer proves the token is valid and names the account; 401 or 403 means it is wrong or revoked. Nothing is shortened, so it does not prove the account may still create links this month.",
		Notes: []string{
			"Workspace versions before 12.0 asked for an OAuth client ID and secret instead of a token.",
		},
	}
}

func bitlyTokenCheck() func(string) error {
	shape := Expect(`^[A-Za-z0-9-]{40}$`, "a Bitly access token is usually 40 letters and digits: check that you copied all of it")
	return func(v string) error {
		switch {
		case strings.HasPrefix(strings.ToLower(v), "bearer "):
			return errors.New("paste only the token, without the word Bearer")
		case strings.Contains(v, "bit.ly/") || strings.Contains(v, "://"):
			return errors.New("this is a link, not the access token: copy the token from Bitly's API settings")
		case strings.ContainsAny(v, "*•"):
			return errors.New("this is the hidden form of the token: generate a new token and copy it at once")
		}
		return Chain(NoSpaces, shape)(v)
	}
}
