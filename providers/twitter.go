package providers

import (
	"errors"
	"regexp"

	"golang.org/x/oauth2"
)

func twitter() Provider {
	return Provider{
		ID:       "twitter",
		Title:    "X (Twitter)",
		Category: SignIn,
		Purpose:  "Lets people sign in to the portal with their X (Twitter) account; Workspace's CRM also uses it to look up people and companies.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "twitter", Props: []string{"twitterKey", "twitterSecret"}},
			Workspace: &Consumer{Name: "Twitter", Props: []string{"twitterKey", "twitterSecret"}},
		},
		Fields: []Field{
			{
				ID: "twitterKey", Label: "API Key",
				Help:    `On the app's "Keys and tokens" page, under "Consumer Keys", the "API Key" (25 characters).`,
				Example: "Qw3Er5Ty7Ui9Op1As2Df4Gh6J",
				Check:   twitterKeyCheck(),
			},
			{
				ID: "twitterSecret", Label: "API Key Secret", Secret: true,
				Help:    `Shown with the API Key when you create or regenerate the consumer keys (50 characters).`,
				Example: "Zx8Cv6Bn4Mq2Wd9Fr7Tg5Yh3Uj1Ik0OlPaSdFgHjKlQwErTyUi",
				Check:   twitterSecretCheck(),
			},
			{
				ID: "twitterClientId", Label: "OAuth 2.0 Client ID (optional, online check only)", Optional: true, Local: true,
				Help:    `Under "Keys and tokens" > "OAuth 2.0 Client ID and Client Secret"; only Keywizard uses it, the portal does not.`,
				Example: "WHk5TG0yUXA3UnQ0Vnc4WmIzTmM6MTpjaQ",
				Check:   twitterClientIDCheck(),
			},
			{
				ID: "twitterClientSecret", Label: "OAuth 2.0 Client Secret (optional, online check only)", Secret: true, Optional: true, Local: true,
				Help:    "Shown once with the OAuth 2.0 Client ID; only Keywizard uses it, the portal does not.",
				Example: "k9J-h7G_f5D3s1A0pOiUyTrEwQ2mNbVcXz8L6K4J2H0gFdSa1Z",
				Check:   twitterClientSecretCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Create the app",
				URL:   "https://console.x.com/",
				Lines: []string{
					"Open the X Developer Console and sign in with the account that will own the app.",
					`Click "Create App" and name the app.`,
				},
				Warning: `ONLYOFFICE's own instructions ask for "Elevated" access, a level X has since replaced with plans: what matters is that the app's plan includes the v1.1 reads account/verify_credentials and account/settings.`,
			},
			{
				Title: "Copy the consumer keys",
				URL:   "https://console.x.com/",
				Lines: []string{
					`Open the app's "Keys and tokens" page.`,
					`Under "Consumer Keys", create or regenerate the "API Key and Secret" and copy both into Keywizard: the secret is shown only once.`,
				},
			},
			{
				Title: "Set up user authentication",
				URL:   "https://console.x.com/",
				Lines: []string{
					`In the app's settings, click "Set up" (or "Edit") under "User authentication settings".`,
					`Pick the app permissions and the type of app below.`,
					`Under "Callback URI / Redirect URL", paste the portal's redirect URL and, for the test sign-in, Keywizard's test redirect; under "Website URL" enter your portal's address. Save.`,
				},
				Copy: []CopyValue{
					{Label: "App permissions", Value: "Read and write and Direct message"},
					{Label: "Type of App", Value: "Web App, Automated App or Bot"},
					{Label: "Callback URI / Redirect URL", Value: PortalRedirect},
					{Label: "Test callback URI", Value: TestRedirect, Note: "remove it once the test sign-in passed"},
				},
				Warning: "X does not accept localhost in callback URLs; the test redirect uses 127.0.0.1 for that reason.",
			},
			{
				Title: "Copy the OAuth 2.0 client (optional)",
				URL:   "https://console.x.com/",
				Lines: []string{
					`After saving, X shows the "OAuth 2.0 Client ID and Client Secret" once: you may copy both into Keywizard's optional fields.`,
					"The portal signs people in with the consumer keys (OAuth 1.0a) and never uses these two; Keywizard uses them only in its online check; the test sign-in needs only the consumer keys.",
				},
			},
		},
		OAuth: &OAuth{
			AuthURL:      "https://x.com/i/oauth2/authorize",
			TokenURL:     "https://api.x.com/2/oauth2/token",
			AuthStyle:    oauth2.AuthStyleInHeader,
			Scopes:       []string{"users.read", "tweet.read"},
			PKCE:         true,
			Loopback:     LoopbackExact,
			LoopbackHost: "127.0.0.1",
			DefaultPort:  53682,
			UserInfoURL:  "https://api.x.com/2/users/me",
			UserInfoAuth: "bearer",
			RevokeURL:    "https://api.x.com/2/oauth2/revoke",
			ClientID:     "twitterClientId",
			ClientSecret: "twitterClientSecret",
			// Both products sign in through OAuth 1.0a with the consumer keys;
			// DocSpace (Tweetinvi) then reads the user and the account
			// settings, Workspace (Twitterizer) the user only.
			Portal: twitterFlows(),
		},
		Online: `Asks X for an app-only bearer token with the API Key and API Key Secret (POST https://api.twitter.com/oauth2/token, client credentials): a token proves the consumer keys the portal uses; any refusal means one of them is wrong or was regenerated. It does not prove the callback URL or the app's access level; the test sign-in proves both (OAuth 1.0a with these consumer keys and the test callback, then the portal's two v1.1 reads). When both OAuth 2.0 fields are given, a made-up code is also sent with them to https://api.x.com/2/oauth2/token (Basic authentication): a refused code means X knows the OAuth 2.0 client, "unauthorized_client" that its ID or secret is wrong. X does not document this answer, so that part of the verdict is only likely.`,
		DeadEnd: &DeadEnd{
			Statement:  "The portal signs people in with OAuth 1.0a and then reads two v1.1 endpoints, account/verify_credentials and account/settings. Whether an app may call them depends on its access level and plan, and X does not say plainly which plans include them: on a plan without them, sign-in on the portal fails right after X's consent page.",
			StillWorks: "An app whose plan includes these v1.1 reads of the signed-in user works: check the app's access in the X Developer Console before you start.",
			Source:     "https://docs.x.com/fundamentals/developer-apps",
		},
		Notes: []string{
			"The portal signs in through OAuth 1.0a with the consumer keys, and so does Keywizard's test sign-in; the optional OAuth 2.0 client fields are used only by the online check.",
			"Workspace before 12.6 also showed two default access-token fields (twitterAccessToken_Default and twitterAccessTokenSecret_Default) for the CRM; newer versions no longer ask for them.",
		},
	}
}

// Shapes of the credentials an X app shows, used to name a value pasted
// in the wrong field.
const (
	twitterBearer      = `^A{20,}`
	twitterAccessToken = `^[0-9]+-[A-Za-z0-9]{20,40}$`
	twitterOAuth2ID    = `^[A-Za-z0-9_-]{28}MTpjaQ$`
)

func twitterKeyCheck() func(string) error {
	bearer, access, oauth2ID := regexp.MustCompile(twitterBearer), regexp.MustCompile(twitterAccessToken), regexp.MustCompile(twitterOAuth2ID)
	secret := regexp.MustCompile(`^[A-Za-z0-9]{50}$`)
	shape := Expect(`^[A-Za-z0-9]{25}$`, `X API Keys are 25 letters and digits: check that you copied the "API Key" under "Consumer Keys"`)
	return func(v string) error {
		switch {
		case bearer.MatchString(v):
			return errors.New(`this is the Bearer Token: the portal needs the "API Key" under "Consumer Keys"`)
		case access.MatchString(v):
			return errors.New(`this is a user access token: the portal needs the "API Key" under "Consumer Keys"`)
		case oauth2ID.MatchString(v):
			return errors.New(`this is the OAuth 2.0 Client ID: put it in the test field and copy the "API Key" under "Consumer Keys" here`)
		case secret.MatchString(v):
			return errors.New("this looks like the API Key Secret: paste it in the secret field and copy the API Key here")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func twitterSecretCheck() func(string) error {
	bearer, access := regexp.MustCompile(twitterBearer), regexp.MustCompile(twitterAccessToken)
	key := regexp.MustCompile(`^[A-Za-z0-9]{25}$`)
	shape := Expect(`^[A-Za-z0-9]{50}$`, "X API Key Secrets are 50 letters and digits: check that you copied the whole secret")
	return func(v string) error {
		switch {
		case bearer.MatchString(v):
			return errors.New(`this is the Bearer Token: the portal needs the "API Key Secret" under "Consumer Keys"`)
		case access.MatchString(v):
			return errors.New(`this is a user access token: the portal needs the "API Key Secret" under "Consumer Keys"`)
		case key.MatchString(v):
			return errors.New("this looks like the API Key: paste it in the key field and copy the API Key Secret here")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func twitterClientIDCheck() func(string) error {
	key := regexp.MustCompile(`^[A-Za-z0-9]{25}$`)
	shape := Expect(twitterOAuth2ID, `X OAuth 2.0 Client IDs are 34 characters ending in "MTpjaQ": check that you copied the OAuth 2.0 Client ID`)
	return func(v string) error {
		if key.MatchString(v) {
			return errors.New("this looks like the API Key (consumer key): it belongs in the API Key field; the OAuth 2.0 Client ID is listed separately")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func twitterClientSecretCheck() func(string) error {
	oauth2ID := regexp.MustCompile(twitterOAuth2ID)
	shape := Expect(`^[A-Za-z0-9_-]{50}$`, "X OAuth 2.0 Client Secrets are 50 letters, digits, - or _: check that you copied the whole secret")
	return func(v string) error {
		if oauth2ID.MatchString(v) {
			return errors.New("this is the OAuth 2.0 Client ID: paste it in the client ID field and copy the Client Secret here")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func twitterFlows() map[Product]PortalFlow {
	f := PortalFlow{
		OAuth1:          true,
		RequestTokenURL: "https://api.twitter.com/oauth/request_token",
		AuthURL:         "https://api.twitter.com/oauth/authorize",
		TokenURL:        "https://api.twitter.com/oauth/access_token",
		IdentityRefusal: `The portal reads v1.1 endpoints right after sign-in, and X serves them only to apps whose plan (access level) includes v1.1 user-context reads: choose such a plan for the app in the X console, or the portal's X sign-in fails the same way.`,
		ClientID:        "twitterKey",
		ClientSecret:    "twitterSecret",
		Use:             "sign-in",
	}
	verify := IdentityCall{URL: "https://api.twitter.com/1.1/account/verify_credentials.json"}
	flows := sameFlow(f, "LoginProviders/TwitterLoginProvider.cs")
	ds, ws := flows[ProductDocSpace], flows[ProductWorkspace]
	ds.Identity = []IdentityCall{verify, {URL: "https://api.twitter.com/1.1/account/settings.json"}}
	ws.Identity = []IdentityCall{verify}
	flows[ProductDocSpace], flows[ProductWorkspace] = ds, ws
	return flows
}
