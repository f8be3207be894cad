package providers

import (
	"errors"
	"regexp"
	"strings"

	"golang.org/x/oauth2"
)

func docusign() Provider {
	return Provider{
		ID:       "docusign",
		Title:    "DocuSign",
		Category: ESignature,
		Purpose:  "Lets people send documents from the portal to DocuSign for electronic signature.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "docusign", Props: []string{"docuSignClientId", "docuSignClientSecret", "docuSignHost"}, Removed: "2023-04"},
			Workspace: &Consumer{Name: "DocuSign", Props: []string{"docuSignClientId", "docuSignClientSecret", "docuSignHost"}},
		},
		Fields: []Field{
			{
				ID: "docuSignClientId", Label: "Integration key",
				Help:    `On the app's page under Apps and Keys, the "Integration Key": a GUID such as 1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d.`,
				Example: "7f3e9a21-4c8b-4d6e-9a05-b1c2d3e4f5a6",
				Check:   docuSignKeyCheck(),
			},
			{
				ID: "docuSignClientSecret", Label: "Secret key", Secret: true,
				Help:    `Under "Authentication" > "Secret Keys", the key shown right after you click "Add Secret Key".`,
				Example: "c0d1e2f3-a4b5-4c6d-8e7f-90a1b2c3d4e5",
				Check:   docuSignSecretCheck(),
			},
			{
				ID: "docuSignHost", Label: "Authentication host",
				Help:    "account-d.docusign.com for a developer (demo) account, account.docusign.com once the app has gone live on a production account.",
				Example: "account-d.docusign.com",
				Check:   docuSignHostCheck,
			},
			expiresField("Secret key expires on (for the expiry watch)", `If your organisation gives secret keys an end date, that date as year-month-day; leave it empty for a key without one.`, 0),
		},
		Steps: []Step{
			{
				Title: "Create the app and its integration key",
				URL:   "https://admindemo.docusign.com/apps-and-keys",
				Lines: []string{
					"Sign in to the DocuSign developer account (apps start there and go live later).",
					`Click "Add App and Integration Key", name the app and click "Create App"; if DocuSign asks for the integration type, choose the private kind, whose secret stays on a server as the portal's does.`,
					`Copy the "Integration Key" into Keywizard.`,
				},
			},
			{
				Title: "Add a secret key",
				URL:   "https://admindemo.docusign.com/apps-and-keys",
				Lines: []string{
					`Under "Authentication", choose "Authorization Code Grant" and answer "Yes": the portal keeps the secret on its server.`,
					`Under "Secret Keys", click "Add Secret Key" and copy the key into Keywizard at once.`,
				},
				Warning: "DocuSign shows a secret key only once: if it was not copied, delete it and add another.",
			},
			{
				Title: "Register the redirect URIs",
				URL:   "https://admindemo.docusign.com/apps-and-keys",
				Lines: []string{
					`Under "Additional settings" > "Redirect URIs", click "Add URI" and paste the portal's redirect URL.`,
					"For the test sign-in, add Keywizard's test redirect as a second URI.",
					`Click "Save".`,
				},
				Copy: []CopyValue{
					{Label: "Redirect URI", Value: PortalRedirect},
					{Label: "Test redirect URI", Value: TestRedirect, Note: "remove it once the test sign-in passed"},
				},
			},
			{
				Title: "Choose the authentication host",
				URL:   "https://developers.docusign.com/platform/go-live/",
				Lines: []string{
					"While the app lives in the developer account, the host is account-d.docusign.com.",
					"After DocuSign's go-live review, the same integration key appears in the production account, but without its secret keys and redirect URIs.",
					"In the production account, add a new secret key, add the portal's redirect URL again under \"Redirect URIs\", and use account.docusign.com with that secret.",
					"Enter the host name alone, without https:// or a path.",
				},
				Copy: []CopyValue{
					{Label: "Host (developer account)", Value: "account-d.docusign.com"},
					{Label: "Host (production account)", Value: "account.docusign.com"},
					{Label: "Redirect URI (again, in production)", Value: PortalRedirect},
				},
				Warning: "DocuSign does not accept portals served over plain http: switch the portal to HTTPS before people send documents.",
			},
		},
		OAuth: &OAuth{
			AuthURL:      "https://{host}/oauth/auth",
			TokenURL:     "https://{host}/oauth/token",
			AuthStyle:    oauth2.AuthStyleInHeader,
			Scopes:       []string{"signature"},
			PortalScopes: []string{"signature"},
			PKCE:         true,
			Loopback:     LoopbackExact,
			LoopbackHost: "localhost",
			DefaultPort:  53682,
			UserInfoURL:  "https://{host}/oauth/userinfo",
			UserInfoAuth: "bearer",
			ClientID:     "docuSignClientId",
			ClientSecret: "docuSignClientSecret",
			HostField:    "docuSignHost",
			Portal: workspaceOnly(PortalFlow{
				AuthURL:   "https://{host}/oauth/auth",
				TokenURL:  "https://{host}/oauth/token",
				TokenAuth: oauth2.AuthStyleInHeader,
				Scopes:    []string{"signature"},
				Params:    map[string]string{"prompt": "login"},
				PKCE:      true,
				Use:       "connecting DocuSign",
			}, "LoginProviders/DocuSignLoginProvider.cs", "Helpers/OAuth20TokenHelper.cs"),
		},
		Online: `Asks the host's token endpoint for an app token with the integration key and secret key in a Basic header, falling back to a made-up sign-in code: a token or "invalid_grant" means DocuSign accepted the pair, "invalid_client" means the key, the secret or the host is wrong. The grant used is undocumented, and the redirect URIs are proven only by the test sign-in.`,
		Notes: []string{
			"Keys made in the developer account work only with account-d.docusign.com; people who send documents need accounts in the same environment.",
		},
		CheckAll: docuSignCheckAll,
	}
}

var guid = regexp.MustCompile(`^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$`)

func docuSignKeyCheck() func(string) error {
	return func(v string) error {
		switch {
		case guid.MatchString(strings.Trim(v, "{}")) && v != strings.Trim(v, "{}"):
			return errors.New("leave out the curly braces: the integration key is the GUID alone")
		case !guid.MatchString(v):
			return errors.New("an integration key is a GUID: 8-4-4-4-12 hexadecimal digits, e.g. 1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d. Copy it again from Apps and Keys")
		}
		return nil
	}
}

func docuSignSecretCheck() func(string) error {
	return func(v string) error {
		switch {
		case strings.ContainsAny(v, "*•"):
			return errors.New("this is the masked secret: DocuSign shows a secret key only once, so add a new one and copy it at once")
		case strings.Contains(v, "docusign."):
			return errors.New("this is a host name: paste it in the host field; the secret key comes from Secret Keys")
		case guid.MatchString(v):
			return nil
		}
		if err := NoSpaces(v); err != nil {
			return err
		}
		return Warnf("DocuSign secret keys are usually GUIDs (8-4-4-4-12 hexadecimal digits): check that you copied all of it")
	}
}

func docuSignHostCheck(v string) error {
	switch v {
	case "account-d.docusign.com", "account.docusign.com":
		return nil
	}
	l := strings.ToLower(v)
	switch {
	case strings.Contains(l, "://") || strings.ContainsAny(l, "/?#"):
		return errors.New("host name only: write account-d.docusign.com or account.docusign.com, without https:// or a path")
	case l == "account-d.docusign.com" || l == "account.docusign.com":
		return errors.New("write the host in lowercase: account-d.docusign.com or account.docusign.com")
	case strings.HasSuffix(l, "docusign.net"):
		return errors.New("this is an eSignature API host, not the sign-in host: use account-d.docusign.com (developer) or account.docusign.com (production)")
	case guid.MatchString(v):
		return errors.New("this is a key, not a host: use account-d.docusign.com (developer) or account.docusign.com (production)")
	}
	return errors.New("the authentication host is exactly account-d.docusign.com (developer) or account.docusign.com (production)")
}

func docuSignCheckAll(values map[string]string) []FieldError {
	if id := values["docuSignClientId"]; id != "" && strings.EqualFold(id, values["docuSignClientSecret"]) {
		return []FieldError{{Field: "docuSignClientSecret", Err: errors.New("the secret key is the same as the integration key: add a secret key under Secret Keys and copy it")}}
	}
	return nil
}
