package providers

import (
	"strings"
	"testing"
)

// guideText is everything a guide tells the admin: steps, values to copy,
// warnings, field help and notes.
func guideText(p Provider) string {
	var b strings.Builder
	for _, s := range p.Steps {
		b.WriteString(s.Title + "\n" + s.URL + "\n" + strings.Join(s.Lines, "\n") + "\n" + s.Warning + "\n")
		for _, c := range s.Copy {
			b.WriteString(c.Label + ": " + c.Value + " " + c.Note + "\n")
		}
	}
	for _, f := range p.Fields {
		b.WriteString(f.Help + "\n")
	}
	b.WriteString(p.Purpose + "\n" + strings.Join(p.Notes, "\n"))
	return b.String()
}

// TestGuidesMatchTodaysConsoles holds each guide to what the consoles
// show today: what must be said, and what must no longer be said.
func TestGuidesMatchTodaysConsoles(t *testing.T) {
	for _, c := range []struct {
		id        string
		says, not []string
	}{
		{"google",
			[]string{"only in that dialog", `"Add secret"`, "https://console.cloud.google.com/auth/audience", "Keywizard's test sign-in", "restricted", `"Internal"`, `"Create client"`, "https://console.cloud.google.com/auth/clients/create"},
			[]string{"apis/credentials", "OAuth 2.0 Client IDs"}},
		{"twitter", []string{"https://console.x.com/", `"Create App"`, "account/verify_credentials"}, []string{"developer.x.com"}},
		{"docusign", []string{"without its secret keys and redirect URIs", "Redirect URI (again, in production)"}, nil},
		{"twilio", []string{"A2P 10DLC", "toll-free", "never arrive"}, nil},
		{"box", []string{`"Create Platform App"`, "Platform App", "ignores the port"}, []string{"Custom App", "port and trailing slash included"}},
		{"yandex", []string{"https://oauth.yandex.com/client/new/id/", `"For API access or debugging"`}, []string{"Enter a contact e-mail address, check the summary"}},
		{"rackspace", []string{`"API Access"`}, nil},
		{"microsoft", []string{`"Redirect URI configuration"`, "at most two secrets"}, nil},
		{"onedrive", []string{"login.live.com", "api.onedrive.com", "personal accounts only", "wl.skydrive_update"},
			[]string{"both personal OneDrive and OneDrive for work or school can connect", "Files.Read", "Files.ReadWrite"}},
		{"facebook", []string{"only while the app is in development mode"}, nil},
		{"dropbox", []string{`"Development"`, `"Apply for production"`}, nil},
		{"bitly", []string{"single sign-on", "set one"}, nil},
		{"yahoo", []string{`"OpenID Connect"`, "no longer offers a Contacts permission"}, []string{"Contacts (Read)", `tick "Contacts"`}},
		{"linkedin", []string{"created before 1 August 2023", "r_liteprofile", "r_emailaddress"}, []string{"developers/apps/new", `"Request access"`}},
		{"vk", []string{"VK no longer creates such apps"}, []string{`click "Create app"`}},
		{"mailru", []string{"before July 2025"}, nil},
		{"selectel", []string{"29 September 2023"}, nil},
	} {
		p, ok := Lookup(c.id)
		if !ok {
			t.Fatalf("no provider %q", c.id)
		}
		text := guideText(p)
		for _, s := range c.says {
			if !strings.Contains(text, s) {
				t.Errorf("%s: the guide should say %q", c.id, s)
			}
		}
		for _, s := range c.not {
			if strings.Contains(text, s) {
				t.Errorf("%s: the guide still says %q", c.id, s)
			}
		}
	}
}

// TestYandexAsksContactFirst: Yandex's form asks for the name, icon and
// contact e-mail before the platforms, and the guide follows that order.
func TestYandexAsksContactFirst(t *testing.T) {
	p, _ := Lookup("yandex")
	first := strings.Join(p.Steps[0].Lines, "\n")
	mail, platform := strings.Index(first, "e-mail"), strings.Index(first, `"Web services"`)
	if mail < 0 || platform < 0 || mail > platform {
		t.Fatalf("the first step should ask for the e-mail before the platform:\n%s", first)
	}
}
