package providers

import (
	"errors"
	"strings"

	"golang.org/x/oauth2"
)

func dropbox() Provider {
	return Provider{
		ID:       "dropbox",
		Title:    "Dropbox",
		Category: DocumentStorage,
		Purpose:  "Lets people connect their Dropbox to the portal and work on its files from the portal's documents.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "dropbox", Props: []string{"dropboxClientId", "dropboxClientSecret"}},
			Workspace: &Consumer{Name: "DropBox", Props: []string{"dropboxClientId", "dropboxClientSecret"}},
		},
		Fields: []Field{
			{
				ID: "dropboxClientId", Label: "App key",
				Help:    `On the app's "Settings" tab, the "App key": 15 lowercase letters and digits.`,
				Example: "k7q2m9x4w1z8r5t",
				Check:   dropboxKeyCheck("app key"),
			},
			{
				ID: "dropboxClientSecret", Label: "App secret", Secret: true,
				Help:    `On the same tab, click "Show" next to "App secret" and copy it.`,
				Example: "p3n8v6c1b9y4h2j",
				Check:   dropboxKeyCheck("app secret"),
			},
		},
		Steps: []Step{
			{
				Title: "Create the app",
				URL:   "https://www.dropbox.com/developers/apps/create",
				Lines: []string{
					`Choose "Scoped access" as the API.`,
					`Choose "Full Dropbox" as the type of access, so people can open any of their files from the portal.`,
					`Name the app, agree to the terms and click "Create app".`,
				},
				Copy: []CopyValue{{Label: "Type of access", Value: "Full Dropbox"}},
			},
			{
				Title: "Tick the permissions the portal needs",
				URL:   "https://www.dropbox.com/developers/apps",
				Lines: []string{
					`Open the app and go to the "Permissions" tab.`,
					`Under "Files and folders", tick the permissions below (account_info.read is ticked already), then click "Submit".`,
				},
				Copy: []CopyValue{
					{Label: "Permission", Value: "files.metadata.read"},
					{Label: "Permission", Value: "files.content.read", Note: "needed to open files"},
					{Label: "Permission", Value: "files.content.write", Note: "needed to save and upload files"},
				},
				Warning: "Permissions apply to new connections only: people who connected Dropbox before a change have to connect again.",
			},
			{
				Title: "Register the redirect URIs",
				URL:   "https://www.dropbox.com/developers/apps",
				Lines: []string{
					`On the "Settings" tab under "OAuth 2" > "Redirect URIs", paste the portal's redirect URL and click "Add".`,
					"For the test sign-in, add Keywizard's test redirect the same way.",
				},
				Copy: []CopyValue{
					{Label: "Redirect URI", Value: PortalRedirect},
					{Label: "Test redirect URI", Value: TestRedirect, Note: "remove it once the test sign-in passed"},
				},
				Warning: "Dropbox compares redirect URIs exactly, port and path included.",
			},
			{
				Title: "Copy the keys",
				URL:   "https://www.dropbox.com/developers/apps",
				Lines: []string{
					`On the "Settings" tab, copy the "App key" into Keywizard.`,
					`Click "Show" next to "App secret" and copy it as well.`,
				},
				Warning: `A new app has the status "Development", which lets only a limited number of people connect: before more people use it, click "Apply for production" on the "Settings" tab, or Dropbox freezes the app once the limit is reached.`,
			},
		},
		OAuth: &OAuth{
			AuthURL:   "https://www.dropbox.com/oauth2/authorize",
			TokenURL:  "https://api.dropboxapi.com/oauth2/token",
			AuthStyle: oauth2.AuthStyleInHeader,
			Scopes:    []string{"account_info.read"},
			// The portal sends no scope: its tokens get the permissions
			// ticked on the app.
			PKCE:         true,
			Loopback:     LoopbackExact,
			LoopbackHost: "localhost",
			DefaultPort:  53682,
			UserInfoURL:  "https://api.dropboxapi.com/2/users/get_current_account",
			UserInfoAuth: "bearer",
			RevokeURL:    "https://api.dropboxapi.com/2/auth/token/revoke",
			ClientID:     "dropboxClientId",
			ClientSecret: "dropboxClientSecret",
			// DocSpace also asks for offline access (a refresh token);
			// Workspace does not.
			Portal: map[Product]PortalFlow{
				ProductDocSpace: {
					AuthURL:   "https://www.dropbox.com/oauth2/authorize",
					TokenURL:  "https://api.dropboxapi.com/oauth2/token",
					TokenAuth: oauth2.AuthStyleInParams,
					Params:    map[string]string{"force_reauthentication": "true", "token_access_type": "offline"},
					PKCE:      true,
					Use:       "connecting Dropbox to the documents",
					Source:    inDocSpace("LoginProviders/DropboxLoginProvider.cs") + "; web/ASC.Web.Api/Api/ThirdPartyController.cs",
				},
				ProductWorkspace: {
					AuthURL:   "https://www.dropbox.com/oauth2/authorize",
					TokenURL:  "https://api.dropboxapi.com/oauth2/token",
					TokenAuth: oauth2.AuthStyleInParams,
					Params:    map[string]string{"force_reauthentication": "true"},
					PKCE:      true,
					Use:       "connecting Dropbox to the documents",
					Source:    inWorkspace("LoginProviders/DropboxLoginProvider.cs"),
				},
			},
		},
		Online:   `Calls Dropbox's /2/check/app with the app key and secret in a Basic header, which only validates them: "ping" back proves the pair. It does not prove the permissions or the redirect URIs; the test sign-in proves the redirect.`,
		CheckAll: dropboxCheckAll,
	}
}

func dropboxKeyCheck(what string) func(string) error {
	shape := Expect(`^[a-z0-9]{15}$`, "a Dropbox "+what+" is usually 15 lowercase letters and digits: check that you copied all of it")
	return func(v string) error {
		switch {
		case strings.HasPrefix(v, "sl."):
			return errors.New("this is an access token (sl....), not the " + what + `: copy the ` + what + ` from the app's "Settings" tab`)
		case strings.ContainsAny(v, "*•"):
			return errors.New(`this is the hidden form: click "Show" next to the app secret first`)
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func dropboxCheckAll(values map[string]string) []FieldError {
	if k := values["dropboxClientId"]; k != "" && k == values["dropboxClientSecret"] {
		return []FieldError{{Field: "dropboxClientSecret", Err: errors.New(`the app secret is the same as the app key: click "Show" next to "App secret" and copy that value`)}}
	}
	return nil
}
