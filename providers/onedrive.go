package providers

import "golang.org/x/oauth2"

func onedrive() Provider {
	return Provider{
		ID:       "onedrive",
		Title:    "OneDrive",
		Category: DocumentStorage,
		Purpose:  "Lets people connect their personal OneDrive to the portal's documents and work on those files without moving them.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "skydrive", Props: []string{"skydriveappkey", "skydriveappsecret"}},
			Workspace: &Consumer{Name: "SkyDrive", Props: []string{"skydriveappkey", "skydriveappsecret"}},
		},
		Fields: []Field{
			{
				ID: "skydriveappkey", Label: "Application (client) ID",
				Help:    `On the app's "Overview" page, the "Application (client) ID": a GUID, not the "Object ID".`,
				Example: "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d",
				Check:   microsoftClientIDCheck(),
			},
			{
				ID: "skydriveappsecret", Label: "Client secret value", Secret: true,
				Help:    `Under "Certificates & secrets", the "Value" column of the new client secret, copied right after you create it.`,
				Example: "Pq24Q~zYxWvUtSrQpOnMlKjIhGfEdCbA9876543",
				Check:   microsoftSecretCheck(),
			},
			microsoftTenantField(),
			expiresField("Secret expires on (for the expiry watch)", `Under "Certificates & secrets", the "Expires" column of the secret, as year-month-day; at most 24 months ahead.`, 24),
		},
		Steps: []Step{
			{
				Title: "Register the app",
				URL:   "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
				Lines: []string{
					`Sign in to the Azure portal (or the Microsoft Entra admin center) and click "New registration".`,
					"Name the app; people see this name when they connect their OneDrive.",
					`Under "Supported account types", pick an option that includes personal Microsoft accounts: the portal connects OneDrive through Microsoft's older Live sign-in (login.live.com), which serves personal accounts only.`,
					`Under "Redirect URI", choose the platform "Web", paste the portal's redirect URL and click "Register".`,
				},
				Warning: "OneDrive for work or school cannot be connected this way, whatever account types the app accepts: only personal OneDrive accounts work with the portal.",
				Copy: []CopyValue{
					{Label: "Supported account types", Value: "Accounts in any organizational directory and personal Microsoft accounts"},
					{Label: "Platform", Value: "Web"},
					{Label: "Redirect URI", Value: PortalRedirect},
				},
			},
			{
				Title: "Add the test redirect",
				URL:   "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
				Lines: []string{
					`Open the app and go to "Authentication".`,
					`On the "Redirect URI configuration" tab, click "Add Redirect URI", choose "Web", paste Keywizard's test redirect and save. (Older pages: under the "Web" platform, click "Add URI".) Microsoft ignores the port of localhost addresses, so one entry is enough.`,
				},
				Copy: []CopyValue{
					{Label: "Test redirect URI", Value: TestRedirect, Note: "remove it once the test sign-in passed"},
				},
			},
			{
				Title: "Create the client secret",
				URL:   "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
				Lines: []string{
					`Go to "Certificates & secrets" > "Client secrets" and click "New client secret".`,
					"Pick an expiry of 24 months or less (longer ones are refused), then click \"Add\".",
					`Copy the "Value" column into Keywizard at once: it is hidden after you leave the page. The "Secret ID" beside it is not the secret.`,
					"Note the expiry date: OneDrive connections stop working when the secret expires.",
				},
				Warning: "If the value is already hidden, delete that secret and create a new one. An app that accepts personal accounts may hold at most two secrets: delete an old one before you add a third.",
			},
			{
				Title: "Copy the IDs",
				URL:   "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
				Lines: []string{
					`On the "Overview" page, copy the "Application (client) ID" into Keywizard.`,
					`For Keywizard's own checks, also copy the "Directory (tenant) ID"; the portal does not use it.`,
				},
			},
		},
		OAuth: &OAuth{
			AuthURL:      "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
			TokenURL:     "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
			AuthStyle:    oauth2.AuthStyleInParams,
			Scopes:       []string{"openid", "profile", "email", "offline_access", "User.Read"},
			PortalScopes: []string{"wl.signin", "wl.skydrive_update", "wl.offline_access"},
			PKCE:         true,
			Loopback:     LoopbackAnyPort,
			LoopbackHost: "localhost",
			UserInfoURL:  "https://graph.microsoft.com/v1.0/me",
			UserInfoAuth: "bearer",
			ClientID:     "skydriveappkey",
			ClientSecret: "skydriveappsecret",
			TenantField:  "tenant",
			// Microsoft-account (Live) sign-in: personal accounts only. No
			// PKCE: the Live endpoints do not document it.
			Portal: sameFlow(PortalFlow{
				AuthURL:      "https://login.live.com/oauth20_authorize.srf",
				TokenURL:     "https://login.live.com/oauth20_token.srf",
				TokenAuth:    oauth2.AuthStyleInParams,
				Scopes:       []string{"wl.signin", "wl.skydrive_update", "wl.offline_access"},
				Identity:     []IdentityCall{{URL: "https://api.onedrive.com/v1.0/drive"}},
				ScopeRefusal: `The portal signs in through Microsoft's older Live endpoints with the wl.* scopes, which serve personal Microsoft accounts only: the app's "Supported account types" must include personal Microsoft accounts, and work or school accounts cannot connect this way.`,
				Use:          "connecting OneDrive to the documents",
			}, "LoginProviders/OneDriveLoginProvider.cs", "Helpers/OAuth20TokenHelper.cs"),
		},
		Online: `Asks the tenant's token endpoint for an app-only token (client credentials for Microsoft Graph): a token proves the application ID and secret value belong together, and the AADSTS code names what is wrong. It needs a tenant, says nothing for apps limited to personal accounts, and does not prove that any user can open their OneDrive; only the test sign-in shows that.`,
		Notes: []string{
			"The portal connects OneDrive through Microsoft's older Live sign-in (login.live.com) and the OneDrive API at api.onedrive.com, which serve personal Microsoft accounts only: work or school accounts cannot connect.",
			`The portal asks for its own permissions (wl.signin, wl.skydrive_update, wl.offline_access) when people connect: there is nothing to add under "API permissions".`,
			"Client secrets expire after at most 24 months; renew the secret and enter the new value on the portal before that date.",
		},
		CheckAll: microsoftSameGUID("skydriveappkey"),
	}
}
