package providers

import (
	"errors"
	"regexp"
	"strings"
)

func twilio() Provider {
	return Provider{
		ID:       "twilio",
		Title:    "Twilio",
		Category: SMS,
		Purpose:  "Sends the text messages with sign-in codes for two-factor authentication; Workspace also uses it to call CRM contacts from the browser.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "twilio", Props: []string{"twilioAccountSid", "twilioAuthToken", "twiliosender"}},
			Workspace: &Consumer{Name: "Twilio", Props: []string{"twilioAccountSid", "twilioAuthToken", "twiliosender"}},
		},
		Fields: []Field{
			{
				ID: "twilioAccountSid", Label: "Account SID",
				Help:    `In the "Account Info" panel of the Console's home page, the "Account SID"; it starts with AC.`,
				Example: "AC0123456789abcdef0123456789abcdef",
				Check:   twilioAccountSIDCheck(),
			},
			{
				ID: "twilioAuthToken", Label: "Auth Token", Secret: true,
				Help:    `In the same "Account Info" panel, click "Show" next to "Auth Token" and copy it.`,
				Example: "f3a9c1e07b2d4856a1c3e5f7092b4d6e",
				Check:   twilioAuthTokenCheck(),
			},
			{
				ID: "twiliosender", Label: "Sender (Twilio phone number)",
				Help:    "A phone number of this Twilio account that can send SMS, written with + and the country code; a Messaging Service SID (MG...) or an approved sender name also works.",
				Example: "+14155550100",
				Check:   twilioSenderCheck(),
			},
		},
		Steps: []Step{
			{
				Title: "Copy the account keys",
				URL:   "https://console.twilio.com/",
				Lines: []string{
					"Sign in to the Twilio Console with the account that will pay for the messages.",
					`In the "Account Info" panel, copy the "Account SID" into Keywizard.`,
					`Click "Show" next to "Auth Token" and copy the token as well.`,
				},
				Warning: "Use the account's own Auth Token: API keys (SK...) and their secrets are not accepted by the portal.",
			},
			{
				Title: "Get a number that sends SMS",
				URL:   "https://console.twilio.com/us1/develop/phone-numbers/manage/incoming",
				Lines: []string{
					`Under "Phone Numbers" > "Active numbers", pick a number whose capabilities include SMS, or buy one.`,
					"Copy the number with + and the country code, without spaces, into the sender field.",
					`If the codes go to US phone numbers: register the local (10-digit) number for A2P 10DLC (a brand and a campaign, under "Messaging" > "Regulatory Compliance"), or have a toll-free number verified.`,
				},
				Warning: "Twilio blocks SMS to US numbers from unregistered local numbers and unverified toll-free numbers: the two-factor codes then never arrive, although the keys check out.",
			},
			{
				Title: "Allow the destination countries",
				URL:   "https://console.twilio.com/us1/develop/sms/settings/geo-permissions",
				Lines: []string{
					"Tick every country whose phone numbers your portal users have, and save.",
					"On a trial account, messages reach only numbers you verified in the Console: upgrade the account before people depend on it.",
				},
			},
		},
		Online: `Reads the account record (GET /2010-04-01/Accounts/{SID}.json) with the SID and Auth Token: an answer proves the pair and shows whether the account is active, and error 20003 means the pair is wrong. Nothing is sent, and it does not prove that the sender number belongs to the account or may send to your users' countries.`,
		Notes: []string{
			`The portal tests the SID and token with Twilio when you save them; if the test fails it clears all Twilio keys and answers "Bad keys".`,
		},
	}
}

// twilioSID matches Twilio's 34-character resource ids: two letters that
// name the kind (AC account, SK API key, MG messaging service) and 32 hex
// digits.
func twilioSID(prefix string) *regexp.Regexp {
	return regexp.MustCompile(`^` + prefix + `[0-9a-fA-F]{32}$`)
}

func twilioAccountSIDCheck() func(string) error {
	account, key, service := twilioSID("AC"), twilioSID("SK"), twilioSID("MG")
	token := regexp.MustCompile(`^[0-9a-fA-F]{32}$`)
	return func(v string) error {
		switch {
		case account.MatchString(v):
			return nil
		case key.MatchString(v):
			return errors.New("this is an API key SID (SK...): the portal needs the Account SID, which starts with AC, from the Account Info panel")
		case service.MatchString(v):
			return errors.New("this is a Messaging Service SID: it can go in the sender field; the Account SID starts with AC")
		case token.MatchString(v):
			return errors.New("this looks like the Auth Token: paste it in the token field; the Account SID starts with AC")
		}
		return errors.New("an Account SID is AC followed by 32 hexadecimal digits (34 characters): copy it again from the Account Info panel")
	}
}

func twilioAuthTokenCheck() func(string) error {
	account, key := twilioSID("AC"), twilioSID("SK")
	shape := Expect(`^[0-9a-f]{32}$`, "Twilio Auth Tokens are 32 lowercase hexadecimal characters: check that you copied the whole token")
	return func(v string) error {
		switch {
		case account.MatchString(v):
			return errors.New("this is the Account SID, not the Auth Token: paste it in the SID field and click \"Show\" to copy the token")
		case key.MatchString(v):
			return errors.New("this is an API key SID: the portal needs the account's Auth Token from the Account Info panel")
		case strings.ContainsAny(v, "*•"):
			return errors.New(`this is the masked token: click "Show" in the Console first, then copy it`)
		}
		return Chain(NoSpaces, shape)(v)
	}
}

func twilioSenderCheck() func(string) error {
	e164 := regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	service := twilioSID("MG")
	name := regexp.MustCompile(`^[A-Za-z0-9 ]{1,11}$`)
	letter := regexp.MustCompile(`[A-Za-z]`)
	account := twilioSID("AC")
	return func(v string) error {
		switch {
		case account.MatchString(v):
			return errors.New("this is the Account SID: the sender is a phone number of the account, such as +14155550100")
		case e164.MatchString(v), service.MatchString(v):
			return nil
		case name.MatchString(v) && letter.MatchString(v):
			return nil
		}
		digits := strings.Map(func(r rune) rune {
			if strings.ContainsRune(" -().", r) {
				return -1
			}
			return r
		}, v)
		switch {
		case e164.MatchString(digits):
			return Warnf("write the number without spaces, dashes or brackets: + then the country code and digits")
		case e164.MatchString("+" + digits):
			return Warnf("start the number with + and the country code")
		}
		return Warnf("a sender is usually a phone number such as +14155550100, a Messaging Service SID (MG...) or a sender name of up to 11 letters and digits")
	}
}
