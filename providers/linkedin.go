package providers

import (
	"errors"
	"regexp"
	"strings"

	"golang.org/x/oauth2"
)

func linkedin() Provider {
	return Provider{
		ID:       "linkedin",
		Title:    "LinkedIn",
		Category: SignIn,
		Purpose:  "Lets people sign in to the portal with their LinkedIn account.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "linkedin", Props: []string{"linkedInKey", "linkedInSecret"}},
			Workspace: &Consumer{Name: "LinkedIn", Props: []string{"linkedInKey", "linkedInSecret"}},
		},
		Fields: []Field{
			{
				ID: "linkedInKey", Label: "Client ID",
				Help:    `On the app's "Auth" tab, the "Client ID": about 14 lowercase letters and digits.`,
				Example: "86qzk3m7w2xa5p",
				Check:   linkedInIDCheck(),
			},
			{
				ID: "linkedInSecret", Label: "Primary client secret", Secret: true,
				Help:    `On the "Auth" tab, click the eye next to "Primary Client Secret" and copy it; new secrets start with WPL_AP1.`,
				Example: "WPL_AP1.Xq7Lm2Vr9Tn4Kp8B.Zc3dWs==",
				Check:   linkedInSecretCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Pick an app that has the legacy sign-in product",
				URL:   "https://www.linkedin.com/developers/apps",
				Lines: []string{
					"Open the list of your LinkedIn apps and open one created before 1 August 2023.",
					`On its "Products" tab, check that the product below is among the added products: the plain one, not "Sign In with LinkedIn using OpenID Connect".`,
				},
				Copy:    []CopyValue{{Label: "Product", Value: "Sign In with LinkedIn"}},
				Warning: "A new app cannot get this product any more, so creating one does not help: the portal's LinkedIn sign-in would fail for everyone.",
			},
			{
				Title: "Check the app's permissions",
				URL:   "https://www.linkedin.com/developers/apps",
				Lines: []string{
					`On the app's "Auth" tab, under "OAuth 2.0 scopes", check that the two permissions below are listed: they are what the portal asks for.`,
				},
				Copy: []CopyValue{
					{Label: "Scope", Value: "r_liteprofile"},
					{Label: "Scope", Value: "r_emailaddress"},
				},
			},
			{
				Title: "Register the redirect URLs",
				URL:   "https://www.linkedin.com/developers/apps",
				Lines: []string{
					`On the "Auth" tab under "OAuth 2.0 settings", click the pencil next to "Authorized redirect URLs for your app".`,
					"Add the portal's redirect URL, and Keywizard's test redirect for the test sign-in, then click \"Update\".",
				},
				Copy: []CopyValue{
					{Label: "Authorized redirect URL", Value: PortalRedirect},
					{Label: "Test redirect URL", Value: TestRedirect, Note: "remove it once the test sign-in passed"},
				},
			},
			{
				Title: "Copy the keys",
				URL:   "https://www.linkedin.com/developers/apps",
				Lines: []string{
					`On the "Auth" tab, copy the "Client ID" into Keywizard.`,
					`Reveal the "Primary Client Secret" and copy it as well.`,
				},
			},
		},
		OAuth: &OAuth{
			AuthURL:      "https://www.linkedin.com/oauth/v2/authorization",
			TokenURL:     "https://www.linkedin.com/oauth/v2/accessToken",
			AuthStyle:    oauth2.AuthStyleInParams,
			Scopes:       []string{"openid", "profile", "email"},
			PortalScopes: []string{"r_liteprofile", "r_emailaddress"},
			Issuer:       "https://www.linkedin.com/oauth",
			Loopback:     LoopbackExact,
			LoopbackHost: "localhost",
			DefaultPort:  53682,
			UserInfoURL:  "https://api.linkedin.com/v2/userinfo",
			UserInfoAuth: "bearer",
			RevokeURL:    "https://www.linkedin.com/oauth/v2/revoke",
			ClientID:     "linkedInKey",
			ClientSecret: "linkedInSecret",
			// The portal still asks for the scopes of the product LinkedIn
			// retired on 2023-08-01 and reads the matching v2 endpoints.
			Portal: sameFlow(PortalFlow{
				AuthURL:   "https://www.linkedin.com/oauth/v2/authorization",
				TokenURL:  "https://www.linkedin.com/oauth/v2/accessToken",
				TokenAuth: oauth2.AuthStyleInParams,
				Scopes:    []string{"r_liteprofile", "r_emailaddress"},
				Identity: []IdentityCall{
					{URL: "https://api.linkedin.com/v2/me"},
					{URL: "https://api.linkedin.com/v2/emailAddress?q=members&projection=(elements*(handle~))"},
				},
				ScopeRefusal:    `LinkedIn grants r_liteprofile and r_emailaddress only to apps that still have its retired "Sign In with LinkedIn" product, and apps created since 2023-08-01 cannot get it; "Sign In with LinkedIn using OpenID Connect" gives other scopes, which the portal does not ask for. Enter the keys of an older app that still lists "Sign In with LinkedIn" on its Products tab, or leave LinkedIn sign-in off on the portal.`,
				IdentityRefusal: `The portal reads /v2/me and /v2/emailAddress, which only the retired "Sign In with LinkedIn" product allows: use an app that still has it.`,
				Use:             "sign-in",
			}, "LoginProviders/LinkedInLoginProvider.cs"),
		},
		DeadEnd: &DeadEnd{
			Statement:  "The portal's LinkedIn sign-in asks for the permissions r_liteprofile and r_emailaddress, which LinkedIn no longer grants to apps created after 1 August 2023: with such an app, people get an error from LinkedIn instead of signing in.",
			StillWorks: `Only an app that still has the legacy "Sign In with LinkedIn" product works with the portal: use that app's Client ID and secret. The newer "Sign In with LinkedIn using OpenID Connect" product does not give the portal what it asks for.`,
			Since:      "2023-08-01",
			Source:     "https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin",
		},
		Online: `Sends a made-up sign-in code with the client ID and secret to LinkedIn's token endpoint: a refusal of the code itself means LinkedIn accepted the app, "invalid_client" means the ID or secret is wrong. This reads behaviour LinkedIn does not document, and the redirect URLs are proven only by the test sign-in.`,
	}
}

var (
	linkedInID        = regexp.MustCompile(`^[a-z0-9]{12,14}$`)
	linkedInNewSecret = regexp.MustCompile(`^WPL_AP1\.[A-Za-z0-9]{16}\.[A-Za-z0-9+/]{6}==$`)
)

func linkedInIDCheck() func(string) error {
	shape := Expect(`^[a-z0-9]{14}$`, "a LinkedIn client ID is usually 14 lowercase letters and digits: check that you copied the \"Client ID\"")
	return func(v string) error {
		if strings.HasPrefix(v, "WPL_AP") {
			return errors.New("this is the client secret: paste it in the secret field; the client ID is about 14 lowercase letters and digits")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func linkedInSecretCheck() func(string) error {
	legacy := regexp.MustCompile(`^[A-Za-z0-9]{16}$`)
	return func(v string) error {
		switch {
		case linkedInNewSecret.MatchString(v), legacy.MatchString(v):
			return nil
		case strings.ContainsAny(v, "*•"):
			return errors.New("this is the hidden form of the secret: click the eye icon first, then copy it")
		case strings.HasPrefix(v, "WPL_AP"):
			return Warnf("a LinkedIn secret starting with WPL_AP1. is usually 33 characters ending in ==: check that you copied all of it")
		case linkedInID.MatchString(v):
			return Warnf("this looks like the client ID: check that you copied the \"Primary Client Secret\"")
		}
		if err := NoSpaces(v); err != nil {
			return err
		}
		return Warnf("LinkedIn client secrets start with WPL_AP1. (older ones are 16 letters and digits): check that you copied the secret")
	}
}
