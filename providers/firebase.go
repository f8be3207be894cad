package providers

import (
	"crypto/ecdh"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
)

func firebase() Provider {
	return Provider{
		ID:       "firebase",
		Title:    "Firebase",
		Category: Notifications,
		Purpose:  "Sends push notifications about new messages to people's devices and browsers, even when they are not in the portal.",
		Portal: Portal{
			DocSpace:  &Consumer{Name: "firebase", Props: []string{"firebase_apiKey", "firebase_projectId", "firebase_messagingSenderId", "firebase_authorization"}},
			Workspace: &Consumer{Name: "Firebase", Props: []string{"firebase_apiKey", "firebase_projectId", "firebase_messagingSenderId", "firebase_authorization"}},
		},
		Fields: []Field{
			{
				ID: "firebase_apiKey", Label: "Web API key", Secret: true,
				Help:    `In the project's settings on the "General" tab, the "Web API key": 39 characters starting with AIza.`,
				Example: "AIza1q1N6NYE5zzt_RUEVBC3mTukjDTZo9nsM5R",
				Check:   firebaseAPIKeyCheck(),
			},
			{
				ID: "firebase_projectId", Label: "Project ID",
				Help:    `On the same tab, the "Project ID": lowercase letters, digits and dashes, shown under the project's name.`,
				Example: "acme-portal-push",
				Check:   firebaseProjectIDCheck(),
			},
			{
				ID: "firebase_messagingSenderId", Label: "Sender ID",
				Help:    `On the "Cloud Messaging" tab, the "Sender ID": the project number, usually 12 digits.`,
				Example: "482915736204",
				Check:   firebaseSenderIDCheck(),
			},
			{
				ID: "firebase_authorization", Label: "Server key (Web Push public key)", Secret: true,
				Help:    `On the "Cloud Messaging" tab under "Web Push certificates", the public key of the key pair: 87 characters starting with B. Old "AAAA..." server keys no longer work.`,
				Example: "BOFLASWWanITFTaG8FjEY2pZwcaYpbEi7-3Wy6TpmoFz2ENdACGstsz-MbHk484vxBK_FCkUXiBH9-ajiNY0lqk",
				Check:   firebaseServerKeyCheck(),
			},
			{
				ID: "serviceaccount", Label: "Service account JSON (for Keywizard's check only)", Secret: true, Multiline: true, Optional: true, Local: true,
				Help:    `In the project's settings on the "Service accounts" tab, "Generate new private key" downloads a .json file: paste all of it to let Keywizard test sending. It is never sent to the portal.`,
				Example: exampleServiceAccount("acme-portal-push", "firebase-adminsdk-x7k2p"),
				Check:   serviceAccountCheck,
			},
		},
		Steps: []Step{
			{
				Title: "Pick or create the project",
				URL:   "https://console.firebase.google.com/",
				Lines: []string{
					"Sign in with the Google account that will own the project.",
					`Click "Create a project", or add Firebase to an existing Google Cloud project.`,
				},
			},
			{
				Title: "Copy the project's keys",
				URL:   "https://console.firebase.google.com/project/_/settings/general",
				Lines: []string{
					`On the "General" tab, copy the "Project ID" and the "Web API key" into Keywizard.`,
					`If there is no Web API key yet, register a web app with the </> button under "Your apps" first; the key appears then.`,
				},
			},
			{
				Title: "Copy the sender ID and the Web Push key",
				URL:   "https://console.firebase.google.com/project/_/settings/cloudmessaging",
				Lines: []string{
					`On the "Cloud Messaging" tab, copy the "Sender ID".`,
					`Under "Web configuration" > "Web Push certificates", click "Generate key pair" if there is none.`,
					"Copy the key pair's public key into the server key field.",
				},
				Warning: "Legacy server keys (AAAA...) stopped working when Google shut the legacy Cloud Messaging API down in 2024: do not turn that API back on, and use a service account for sending checks.",
			},
			{
				Title: "Download a service account key for the check",
				URL:   "https://console.firebase.google.com/project/_/settings/serviceaccounts/adminsdk",
				Lines: []string{
					`On the "Service accounts" tab, click "Generate new private key" and confirm: a .json file downloads.`,
					"Open it in a text editor and paste all of it into the service account field; Keywizard keeps it on this computer only.",
				},
				Warning: "The file gives full control of the Firebase project: once the check passed, delete the file and, if nothing else needs it, the key on the service account's Keys page in Google Cloud.",
			},
		},
		Online: `Asks Google for the project's configuration with the Web API key, which proves the key is valid; with a service account JSON it also gets a token and sends a validate-only FCM v1 message, which Google checks without delivering. The Web Push key and a legacy server key cannot be checked online.`,
		Notes: []string{
			"Legacy FCM server keys stopped working in 2024, when Google shut down the legacy messaging API; a service account key is what sends messages now.",
		},
		CheckAll: firebaseCheckAll,
	}
}

var (
	firebaseKey     = regexp.MustCompile(`^AIza[0-9A-Za-z_-]{35}$`)
	legacyServerKey = regexp.MustCompile(`^AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]+$`)
	digitsOnly      = regexp.MustCompile(`^[0-9]+$`)
)

func firebaseAPIKeyCheck() func(string) error {
	return func(v string) error {
		switch {
		case strings.Contains(v, ":APA91b"):
			return errors.New("this is a legacy server key, not the Web API key: copy the \"Web API key\" (AIza...) from the General tab")
		case digitsOnly.MatchString(v):
			return errors.New("this is a number like the sender ID: the Web API key starts with AIza")
		case strings.HasPrefix(v, "{"):
			return errors.New("this is a JSON file: paste it in the service account field; the Web API key starts with AIza")
		case !firebaseKey.MatchString(v):
			return errors.New("a Web API key is 39 characters starting with AIza: copy it again from the project's General tab")
		}
		return nil
	}
}

func firebaseProjectIDCheck() func(string) error {
	shape := Expect(`^[a-z][a-z0-9-]{4,28}[a-z0-9]$`,
		`a project ID is 6 to 30 lowercase letters, digits or dashes and starts with a letter: check that you copied the "Project ID"`)
	return func(v string) error {
		switch {
		case firebaseKey.MatchString(v):
			return errors.New("this is the Web API key: paste it in the API key field; the project ID is lowercase words joined by dashes")
		case strings.ContainsAny(v, " \t"):
			return errors.New(`this looks like the project's name: copy the "Project ID" shown under it, lowercase and without spaces`)
		case digitsOnly.MatchString(v):
			return Warnf("this is a number like the project number (the sender ID): the project ID is written in letters, e.g. acme-portal-push")
		}
		return shape(v)
	}
}

func firebaseSenderIDCheck() func(string) error {
	shape := Expect(`^[0-9]{6,20}$`, `the sender ID is the project number, usually 12 digits: check that you copied the "Sender ID"`)
	return func(v string) error {
		switch {
		case firebaseKey.MatchString(v):
			return errors.New("this is the Web API key: the sender ID is a number")
		case strings.Contains(v, ":APA91b"):
			return errors.New("this is a legacy server key: the sender ID is a number")
		}
		return Chain(NoSpaces, shape)(v)
	}
}

// firebaseServerKeyCheck reads the "Server key" prop. Its old content, the
// legacy FCM server key, is dead since 2024; the current set-up puts the
// public key of the Web Push certificate there: an uncompressed P-256
// point in unpadded base64url.
func firebaseServerKeyCheck() func(string) error {
	return func(v string) error {
		switch {
		case legacyServerKey.MatchString(v) || strings.Contains(v, ":APA91b"):
			return Warnf("this is a legacy FCM server key: Google shut the legacy messaging API down in 2024, so it no longer sends anything. Use the Web Push public key here, and a service account JSON for Keywizard's sending check")
		case strings.HasPrefix(v, "AIza"):
			return Warnf("an AIza key here is either the Web API key (it belongs in its own field) or a very old server key, which stopped working in 2024: use the Web Push public key, and a service account JSON for the check")
		case strings.HasPrefix(v, "{"):
			return errors.New("this is a JSON file: paste it in the service account field")
		}
		if err := NoSpaces(v); err != nil {
			return err
		}
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(v, "="))
		switch {
		case err == nil && len(b) == 65:
			if _, err := ecdh.P256().NewPublicKey(b); err == nil {
				return nil
			}
		case err == nil && len(b) == 32:
			return errors.New("this is the private key of the Web Push key pair: copy the public key (87 characters starting with B) instead")
		}
		return Warnf("the Web Push public key is 87 characters starting with B: check that you copied the public key of the key pair")
	}
}

// firebaseCheckAll warns when the service account belongs to another
// project: the sending check would then test the wrong project.
func firebaseCheckAll(values map[string]string) []FieldError {
	raw, project := values["serviceaccount"], values["firebase_projectId"]
	if raw == "" || project == "" {
		return nil
	}
	sa, err := parseServiceAccount(raw)
	if err != nil || sa.ProjectID == "" || sa.ProjectID == project {
		return nil
	}
	return []FieldError{{Field: "serviceaccount", Err: Warnf("this service account belongs to another project than the project ID above: download the key from the same Firebase project")}}
}
