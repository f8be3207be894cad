package providers

import (
	"errors"
	"regexp"
	"strings"
)

func smsc() Provider {
	return Provider{
		ID:       "smsc",
		Title:    "smsc.ru",
		Category: SMS,
		Purpose:  "Sends the text messages with sign-in codes for two-factor authentication through the smsc.ru gateway.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "smsc", Props: []string{"smsclogin", "smscpsw", "smscsender"}, Removed: "2023-05"},
			Workspace: &Consumer{Name: "Smsc", Props: []string{"smsclogin", "smscpsw", "smscsender"}},
		},
		Fields: []Field{
			{
				ID: "smsclogin", Label: "Login",
				Help:    "The login of your smsc.ru account, the one you type on the sign-in page.",
				Example: "acme-portal",
				Check:   smscLoginCheck(),
			},
			{
				ID: "smscpsw", Label: "Password or its MD5 hash", Secret: true, Password: true,
				Help:    "The account's password, or the MD5 hash of that password written in lowercase.",
				Example: "9b2e4f17a0c3d5e6f8091a2b3c4d5e6f",
				Check:   smscPasswordCheck,
			},
			{
				ID: "smscsender", Label: "Sender ID",
				Help:    `A sender name registered and approved in your smsc.ru account; the portal's default is "ONLYOFFICE".`,
				Example: "ONLYOFFICE",
				Check: Expect(`^([A-Za-z0-9._ -]{1,11}|\+?[0-9]{3,15})$`,
					"smsc.ru sender names are up to 11 Latin letters and digits, or a phone number of up to 15 digits: check the name registered in your account"),
			},
		},
		Steps: []Step{
			{
				Title: "Sign in to smsc.ru",
				URL:   "https://smsc.ru/",
				Lines: []string{
					"Sign in to your smsc.ru account, or register one for the portal.",
					"Copy the account's login into Keywizard.",
				},
			},
			{
				Title: "Choose how to give the password",
				URL:   "https://smsc.ru/",
				Lines: []string{
					"Enter the account's password in Keywizard as it is, or its MD5 hash in lowercase letters.",
					"The hash keeps the plain password out of the portal's settings; smsc.ru accepts either form.",
				},
			},
			{
				Title: "Register the sender name",
				URL:   "https://smsc.ru/",
				Lines: []string{
					"In your account's sender names section, add the name people will see as the sender of the codes and wait until smsc.ru approves it.",
					"Copy the approved name into Keywizard exactly as registered.",
				},
				Copy: []CopyValue{{Label: "Sender name", Value: "ONLYOFFICE", Note: "the portal's default; your own registered name works too"}},
			},
			{
				Title: "Top up the balance",
				URL:   "https://smsc.ru/",
				Lines: []string{
					"Put money on the account: every code the portal sends is a paid message.",
				},
				Warning: `The portal asks smsc.ru for the account balance when you save the keys and refuses them unless it is above zero; it then clears all smsc keys and answers "Bad keys".`,
			},
		},
		Online: `Asks smsc.ru for the account balance (sys/balance.php, JSON answer): a number proves the login and password, and Keywizard warns when it is not above zero, because the portal then refuses the keys; error 2 means a wrong login or password. Nothing is sent and the sender name is not checked; the password travels in the query, so that address is never logged, and the check is not retried quickly because smsc.ru blocks repeated requests.`,
		Notes: []string{
			"DocSpace dropped smsc.ru in May 2023; only Workspace portals still offer it.",
		},
	}
}

func smscLoginCheck() func(string) error {
	hash := regexp.MustCompile(`^[0-9a-fA-F]{32}$`)
	return func(v string) error {
		if hash.MatchString(v) {
			return errors.New("this looks like the password's MD5 hash: paste it in the password field and enter the account's login here")
		}
		return NoSpaces(v)
	}
}

// smscPasswordCheck accepts any password. A value of 32 hexadecimal
// characters with capitals may be an MD5 hash written in upper case, which
// smsc.ru would not match, or simply a password of that shape: it warns.
func smscPasswordCheck(v string) error {
	if len(v) == 32 && strings.Trim(v, "0123456789abcdefABCDEF") == "" && strings.ToLower(v) != v {
		return Warnf("if this is the password's MD5 hash, write it in lowercase: smsc.ru compares the lowercase form; if it is the password itself, go on")
	}
	return nil
}
