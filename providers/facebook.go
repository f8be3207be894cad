package providers

import (
	"errors"
	"regexp"
	"strings"

	"golang.org/x/oauth2"
)

func facebook() Provider {
	return Provider{
		ID:       "facebook",
		Title:    "Facebook",
		Category: SignIn,
		Purpose:  "Lets people sign in to the portal with their Facebook account.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "facebook", Props: []string{"facebookClientId", "facebookClientSecret"}},
			Workspace: &Consumer{Name: "Facebook", Props: []string{"facebookClientId", "facebookClientSecret"}},
		},
		Fields: []Field{
			{
				ID: "facebookClientId", Label: "App ID",
				Help:    `In the app's "App settings" > "Basic", the "App ID": a number of 15 or 16 digits.`,
				Example: "1234567890123456",
				Check:   facebookAppIDCheck(),
			},
			{
				ID: "facebookClientSecret", Label: "App secret", Secret: true,
				Help:    `On the same page, click "Show" next to "App secret" and confirm your password: 32 lowercase hexadecimal characters. The "Client token" under Advanced is something else.`,
				Example: "3e7a9c1f5b2d8e4a6c0f1b3d5e7a9c2f",
				Check:   facebookSecretCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Create the app",
				URL:   "https://developers.facebook.com/apps/creation/",
				Lines: []string{
					"Sign in with the Facebook account that will manage the app.",
					"Name the app and give a contact e-mail address.",
					"Pick the use case for signing people in with Facebook Login, then create the app.",
				},
				Copy: []CopyValue{{Label: "Use case", Value: "Authenticate and request data from users with Facebook Login"}},
			},
			{
				Title: "Ask for the e-mail address",
				URL:   "https://developers.facebook.com/apps/",
				Lines: []string{
					`Open the app, go to "Use cases" and customize the Facebook Login use case.`,
					`Under "Permissions", add "email" next to "public_profile".`,
				},
				Copy: []CopyValue{
					{Label: "Permission", Value: "email"},
					{Label: "Permission", Value: "public_profile"},
				},
			},
			{
				Title: "Register the redirect URIs",
				URL:   "https://developers.facebook.com/apps/",
				Lines: []string{
					`In the Facebook Login settings, paste the portal's redirect URL into "Valid OAuth Redirect URIs".`,
					"For the test sign-in, add Keywizard's test redirect as well.",
					`Keep "Use Strict Mode for redirect URIs" on and click "Save changes".`,
				},
				Copy: []CopyValue{
					{Label: "Valid OAuth Redirect URI", Value: PortalRedirect},
					{Label: "Test redirect URI", Value: TestRedirect, Note: "remove it once the test sign-in passed"},
				},
				Warning: "Facebook accepts localhost redirects only while the app is in development mode: run Keywizard's test sign-in before you publish the app.",
			},
			{
				Title: "Fill in the basic settings and copy the keys",
				URL:   "https://developers.facebook.com/apps/",
				Lines: []string{
					`In "App settings" > "Basic", enter a privacy policy URL, user data deletion instructions and a category, and save.`,
					`Copy the "App ID" into Keywizard, then click "Show" next to "App secret" and copy it too.`,
				},
			},
			{
				Title: "Publish the app",
				URL:   "https://developers.facebook.com/apps/",
				Lines: []string{
					`Switch the app from development to Live ("Publish"), once the test sign-in passed: after that, the localhost test redirect no longer works.`,
					"Until then, only people with a role on the app (administrators, developers, testers) can sign in.",
				},
				Warning: "While the app is not Live, everyone else gets an error from Facebook when they try to sign in to the portal.",
			},
		},
		OAuth: &OAuth{
			AuthURL:      "https://www.facebook.com/v22.0/dialog/oauth",
			TokenURL:     "https://graph.facebook.com/v22.0/oauth/access_token",
			AuthStyle:    oauth2.AuthStyleInParams,
			Scopes:       []string{"public_profile", "email"},
			PortalScopes: []string{"email", "public_profile"},
			Loopback:     LoopbackExact,
			LoopbackHost: "localhost",
			DefaultPort:  53682,
			UserInfoURL:  "https://graph.facebook.com/me?fields=id,name,email",
			UserInfoAuth: "bearer",
			ClientID:     "facebookClientId",
			ClientSecret: "facebookClientSecret",
			Portal: map[Product]PortalFlow{
				ProductDocSpace: {
					AuthURL:   "https://www.facebook.com/dialog/oauth/",
					TokenURL:  "https://graph.facebook.com/oauth/access_token",
					TokenAuth: oauth2.AuthStyleInParams,
					Scopes:    []string{"email", "public_profile"},
					ScopeSep:  ",",
					Identity:  []IdentityCall{{URL: "https://graph.facebook.com/me?fields=email,id,birthday,link,first_name,last_name,gender", TokenParam: "access_token"}},
					Use:       "sign-in",
					Source:    inDocSpace("LoginProviders/FacebookLoginProvider.cs"),
				},
				ProductWorkspace: {
					AuthURL:   "https://www.facebook.com/v2.7/dialog/oauth/",
					TokenURL:  "https://graph.facebook.com/v2.7/oauth/access_token",
					TokenAuth: oauth2.AuthStyleInParams,
					Scopes:    []string{"email", "public_profile"},
					ScopeSep:  ",",
					Identity:  []IdentityCall{{URL: "https://graph.facebook.com/v2.7/me?fields=email,id,birthday,link,first_name,last_name,gender,timezone,locale", TokenParam: "access_token"}},
					Use:       "sign-in",
					Source:    inWorkspace("LoginProviders/FacebookLoginProvider.cs"),
				},
			},
		},
		Online: `Asks the Graph API for an app access token (client credentials) with the App ID and secret: a token proves the pair, "Error validating client secret" or "Invalid application ID" says which one is wrong. It does not prove the redirect URIs or that the app is Live; the test sign-in proves the redirect.`,
	}
}

var (
	facebookID     = regexp.MustCompile(`^[0-9]{15,18}$`)
	facebookSecret = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

func facebookAppIDCheck() func(string) error {
	shape := Expect(`^[0-9]{15,16}$`, "a Facebook App ID is a number of 15 or 16 digits: check that you copied the App ID")
	return func(v string) error {
		switch {
		case facebookSecret.MatchString(strings.ToLower(v)):
			return errors.New("this looks like the App secret (32 hexadecimal characters): paste it in the secret field; the App ID is a number")
		case strings.Contains(v, "|"):
			return errors.New("this is an app access token (App ID|secret): paste only the App ID, the number before the |")
		case facebookID.MatchString(v):
			return shape(v)
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func facebookSecretCheck() func(string) error {
	shape := Expect(facebookSecret.String(), "a Facebook App secret is usually 32 lowercase hexadecimal characters: check that you copied all of it")
	return func(v string) error {
		switch {
		case facebookID.MatchString(v):
			return errors.New("this is a number like the App ID: paste it in the App ID field and copy the App secret")
		case strings.Contains(v, "|"):
			return errors.New("this is an app access token (App ID|secret): paste only the App secret from \"App settings\" > \"Basic\"")
		case strings.ContainsAny(v, "*•"):
			return errors.New(`this is the hidden form: click "Show" next to "App secret" first`)
		}
		return Chain(NoSpaces, shape)(v)
	}
}
