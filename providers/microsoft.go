package providers

import (
	"errors"
	"regexp"
	"strings"

	"golang.org/x/oauth2"
)

func microsoft() Provider {
	return Provider{
		ID:       "microsoft",
		Title:    "Microsoft",
		Category: SignIn,
		Purpose:  "Lets people sign in to the portal with their personal Microsoft account.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "microsoft", Props: []string{"microsoftClientId", "microsoftClientSecret"}},
			Workspace: &Consumer{Name: "Microsoft", Props: []string{"microsoftClientId", "microsoftClientSecret"}, Since: "12.0"},
		},
		Fields: []Field{
			{
				ID: "microsoftClientId", Label: "Application (client) ID",
				Help:    `On the app's "Overview" page, the "Application (client) ID": a GUID, not the "Object ID".`,
				Example: "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d",
				Check:   microsoftClientIDCheck(),
			},
			{
				ID: "microsoftClientSecret", Label: "Client secret value", Secret: true,
				Help:    `Under "Certificates & secrets", the "Value" column of the new client secret, copied right after you create it.`,
				Example: "Xy78Q~AbCdEfGhIjKlMnOpQrStUvWxYz0123456",
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
					"Give the app the name people will see on Microsoft's consent page.",
					`Under "Supported account types", pick the option that includes personal Microsoft accounts: the portal signs people in through Microsoft's "consumers" endpoint, which only personal accounts use.`,
					`Under "Redirect URI", choose the platform "Web" and paste the portal's redirect URL, then click "Register".`,
				},
				Copy: []CopyValue{
					{Label: "Supported account types", Value: "Accounts in any organizational directory and personal Microsoft accounts"},
					{Label: "Platform", Value: "Web"},
					{Label: "Redirect URI", Value: PortalRedirect},
				},
				Warning: `An app registered for "this organizational directory only" cannot sign in personal accounts, and the portal's Microsoft sign-in then fails for everyone.`,
			},
			{
				Title: "Add the test redirect",
				URL:   "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
				Lines: []string{
					`Open the new app and go to "Authentication".`,
					`On the "Redirect URI configuration" tab, click "Add Redirect URI", choose "Web", paste Keywizard's test redirect and save. (Older pages: under the "Web" platform, click "Add URI".) Microsoft ignores the port of localhost addresses, so this one entry covers every test.`,
				},
				Copy: []CopyValue{
					{Label: "Test redirect URI", Value: TestRedirect, Note: "remove it once the test sign-in passed"},
				},
			},
			{
				Title: "Check the permissions",
				URL:   "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
				Lines: []string{
					`Go to "API permissions". "Microsoft Graph" > "User.Read" is there by default.`,
					`Click "Add a permission" > "Microsoft Graph" > "Delegated permissions" and tick the OpenID permissions listed below, then click "Add permissions".`,
				},
				Copy: []CopyValue{
					{Label: "Delegated permission", Value: "openid"},
					{Label: "Delegated permission", Value: "email"},
					{Label: "Delegated permission", Value: "profile"},
					{Label: "Delegated permission", Value: "offline_access"},
					{Label: "Delegated permission", Value: "User.Read"},
				},
			},
			{
				Title: "Create the client secret",
				URL:   "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
				Lines: []string{
					`Go to "Certificates & secrets" > "Client secrets" and click "New client secret".`,
					"Enter a description and pick an expiry of 24 months or less (Microsoft refuses longer ones and recommends under 12), then click \"Add\".",
					`Copy the "Value" column straight away into Keywizard: Microsoft hides it as soon as you leave the page. The "Secret ID" next to it is not the secret.`,
					"Write down the expiry date: on that day the portal's Microsoft sign-in stops until you create a new secret and enter it.",
				},
				Warning: "If the value is already hidden, delete that secret and create a new one; a hidden value cannot be shown again. An app that accepts personal accounts may hold at most two secrets: delete an old one before you add a third.",
			},
			{
				Title: "Copy the IDs",
				URL:   "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
				Lines: []string{
					`On the app's "Overview" page, copy the "Application (client) ID" into Keywizard.`,
					`For Keywizard's own checks, also copy the "Directory (tenant) ID"; the portal does not need it.`,
				},
			},
		},
		OAuth: &OAuth{
			AuthURL:      "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
			TokenURL:     "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
			AuthStyle:    oauth2.AuthStyleInParams,
			Scopes:       []string{"openid", "profile", "email", "offline_access", "User.Read"},
			PortalScopes: []string{"openid", "email", "profile"},
			PKCE:         true,
			Loopback:     LoopbackAnyPort,
			LoopbackHost: "localhost",
			UserInfoURL:  "https://graph.microsoft.com/v1.0/me",
			UserInfoAuth: "bearer",
			ClientID:     "microsoftClientId",
			ClientSecret: "microsoftClientSecret",
			TenantField:  "tenant",
			// The portal joins its scopes with commas, as sent here.
			Portal: sameFlow(PortalFlow{
				AuthURL:      "https://login.microsoftonline.com/consumers/oauth2/v2.0/authorize",
				TokenURL:     "https://login.microsoftonline.com/consumers/oauth2/v2.0/token",
				TokenAuth:    oauth2.AuthStyleInParams,
				Scopes:       []string{"openid", "email", "profile"},
				ScopeSep:     ",",
				PKCE:         true,
				Identity:     []IdentityCall{{URL: "https://graph.microsoft.com/oidc/userinfo"}},
				ScopeRefusal: `Microsoft separates scopes with spaces, and the portal sends "openid,email,profile" with commas. If Microsoft refuses that (AADSTS70011), the portal's Microsoft sign-in fails the same way whatever the app's settings: the keys are not the cause, and no console change helps; report it to ONLYOFFICE.`,
				Use:          "sign-in",
			}, "LoginProviders/MicrosoftLoginProvider.cs"),
		},
		Online: `Asks the tenant's token endpoint for an app-only token (client credentials for Microsoft Graph): a token proves the client ID and secret value belong together, and the AADSTS code tells a wrong ID, a Secret ID, an expired secret or an unknown tenant apart. It needs a tenant ID or domain, proves nothing for apps that accept personal accounts only, and does not prove the redirect URI, which only the test sign-in does.`,
		Notes: []string{
			`The portal signs people in through Microsoft's "consumers" endpoint, so only personal Microsoft accounts can use this sign-in.`,
			"Client secrets expire after at most 24 months; renew the secret and enter the new value on the portal before that date.",
		},
		CheckAll: microsoftSameGUID("microsoftClientId"),
	}
}

// microsoftGUID matches the GUIDs Microsoft Entra uses for application,
// tenant and secret ids.
const microsoftGUID = `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`

// microsoftClientIDCheck accepts the Application (client) ID, a GUID.
func microsoftClientIDCheck() func(string) error {
	guid := regexp.MustCompile(microsoftGUID)
	return func(v string) error {
		switch {
		case strings.Contains(v, "Q~"):
			return errors.New(`this looks like a client secret value, not the application ID: paste it in the secret field and copy the "Application (client) ID" from the Overview page`)
		case strings.HasPrefix(v, "{") && strings.HasSuffix(v, "}"):
			return errors.New("leave out the curly braces: paste only the GUID itself")
		case !guid.MatchString(v):
			return errors.New(`the "Application (client) ID" is a GUID (32 hexadecimal digits in groups of 8-4-4-4-12): copy it from the app's Overview page`)
		}
		return nil
	}
}

// microsoftSecretCheck accepts a client secret value. A GUID here is the
// Secret ID shown next to the value, which Microsoft rejects with
// AADSTS7000215.
func microsoftSecretCheck() func(string) error {
	guid := regexp.MustCompile(microsoftGUID)
	shape := Expect(`^[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}$`,
		`Microsoft secret values are about 40 characters with "Q~" after the fourth: check that you copied the whole "Value" (secrets created years ago can look different)`)
	return func(v string) error {
		switch {
		case guid.MatchString(strings.Trim(v, "{}")):
			return errors.New(`this is the Secret ID (or another GUID), not the secret: copy the "Value" column instead; if the value is hidden now, create a new secret`)
		case strings.Contains(v, "***"):
			return errors.New("this is the hidden form of the secret that the portal shows later: create a new secret and copy its value right away")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

// microsoftTenantField is the tenant used only by Keywizard: the online
// check needs a tenant-specific endpoint, and the test sign-in fills
// {tenant} with it.
func microsoftTenantField() Field {
	return Field{
		ID: "tenant", Label: "Tenant (for Keywizard's checks)", Optional: true, Local: true,
		Help:    `The "Directory (tenant) ID" from the app's Overview page, a name ending in .onmicrosoft.com, or "consumers" to test exactly what the portal does; empty means "common".`,
		Example: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
		Check:   microsoftTenantCheck(),
	}
}

// microsoftTenantCheck accepts what login.microsoftonline.com accepts in
// place of {tenant}.
func microsoftTenantCheck() func(string) error {
	guid := regexp.MustCompile(microsoftGUID)
	onMicrosoft := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*\.onmicrosoft\.com$`)
	domain := regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$`)
	return func(v string) error {
		switch {
		case strings.EqualFold(v, "common"), strings.EqualFold(v, "organizations"), strings.EqualFold(v, "consumers"),
			guid.MatchString(v), onMicrosoft.MatchString(v):
			return nil
		case strings.HasPrefix(v, "http://"), strings.HasPrefix(v, "https://"):
			return errors.New("paste only the tenant ID, not a web address")
		case strings.Contains(v, "@"):
			return errors.New("this is an e-mail address: use the Directory (tenant) ID from the app's Overview page instead")
		case domain.MatchString(v):
			return Warnf("a custom domain works only if it is verified in your tenant: the Directory (tenant) ID is the safer choice")
		}
		return errors.New(`the tenant is the "Directory (tenant) ID" GUID, a name ending in .onmicrosoft.com, or one of common, organizations, consumers`)
	}
}

// microsoftSameGUID catches the tenant ID pasted as the client ID (or the
// other way round): both are GUIDs on the same Overview page.
func microsoftSameGUID(clientField string) func(map[string]string) []FieldError {
	return func(values map[string]string) []FieldError {
		id, tenant := values[clientField], values["tenant"]
		if id != "" && strings.EqualFold(id, tenant) {
			return []FieldError{{Field: clientField, Err: errors.New(`the client ID and the tenant are the same GUID: one of them came from the wrong line of the Overview page; the client ID is "Application (client) ID"`)}}
		}
		return nil
	}
}
