package providers

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

var wantIDs = strings.Fields("s3 apple bitly box clickatell docusign dropbox easybib facebook firebase google googlecloud linkedin mailru mendeley microsoft onedrive rackspace selectel smsc telegram twilio twitter vk wordpress yahoo yandex zotero")

func TestCatalogueHasEveryService(t *testing.T) {
	if got := IDs(); !slices.Equal(got, wantIDs) {
		t.Fatalf("catalogue ids\n got %v\nwant %v", got, wantIDs)
	}
}

func checkHTTPS(t *testing.T, where, raw string) {
	t.Helper()
	u, err := url.Parse(strings.NewReplacer("{host}", "example.com", "{tenant}", "common").Replace(raw))
	if err != nil || u.Scheme != "https" || u.Host == "" {
		t.Errorf("%s: %q is not an https URL", where, raw)
	}
}

// secretish names are the prop keys that hold secrets in any service.
func secretish(id string) bool {
	l := strings.ToLower(id)
	for _, s := range []string{"secret", "psw", "pwd", "password", "privatekey", "token", "authorization", "serviceaccount"} {
		if strings.Contains(l, s) {
			return true
		}
	}
	return l == "json" || l == "apikey" || l == "clickatellapikey" || l == "easybibappkey" || l == "zoteroapikey"
}

func TestCatalogueLint(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range All() {
		t.Run(p.ID, func(t *testing.T) {
			if seen[p.ID] {
				t.Fatalf("duplicate id")
			}
			seen[p.ID] = true
			if p.Title == "" || p.Purpose == "" || p.Online == "" {
				t.Errorf("title, purpose and online check description are required")
			}
			if !slices.Contains(Categories, p.Category) {
				t.Errorf("category %q is not one of %v", p.Category, Categories)
			}
			lintPortal(t, p)
			lintFields(t, p)
			if len(p.Steps) == 0 {
				t.Errorf("no steps")
			}
			for i, s := range p.Steps {
				if s.Title == "" || len(s.Lines) == 0 {
					t.Errorf("step %d needs a title and at least one line", i+1)
				}
				if s.URL != "" {
					checkHTTPS(t, "step URL", s.URL)
				}
				for _, c := range s.Copy {
					if c.Label == "" || c.Value == "" {
						t.Errorf("step %d: copy value needs a label and a value", i+1)
					}
				}
			}
			if p.OAuth != nil {
				lintOAuth(t, p)
			}
			if p.DeadEnd != nil {
				lintDeadEnd(t, p.DeadEnd)
			}
		})
	}
}

func lintDeadEnd(t *testing.T, d *DeadEnd) {
	t.Helper()
	if d.Statement == "" || d.StillWorks == "" {
		t.Errorf("a dead end needs a statement and what still works")
	}
	checkHTTPS(t, "dead end source", d.Source)
	if d.Since != "" {
		if _, err := time.Parse(time.DateOnly, d.Since); err != nil {
			t.Errorf("dead end since %q: write the date as YYYY-MM-DD", d.Since)
		}
	}
}

// TestDeadEnds holds the services whose set-up is known to fail for a new
// app or account to their statement.
func TestDeadEnds(t *testing.T) {
	want := map[string]string{
		"vk":       `"Website" apps`,
		"mailru":   "VK ID",
		"selectel": "storage users",
		"linkedin": "r_liteprofile and r_emailaddress",
		"twitter":  "account/verify_credentials and account/settings",
	}
	for _, p := range All() {
		frag, ok := want[p.ID]
		switch {
		case ok && p.DeadEnd == nil:
			t.Errorf("%s: no dead end stated", p.ID)
		case !ok && p.DeadEnd != nil:
			t.Errorf("%s: unexpected dead end %q", p.ID, p.DeadEnd.Statement)
		case ok && !strings.Contains(p.DeadEnd.Text(), frag):
			t.Errorf("%s: the dead end should name %q: %q", p.ID, frag, p.DeadEnd.Text())
		}
	}
}

func TestDeadEndExplain(t *testing.T) {
	var none *DeadEnd
	if got := none.Explain("create a new secret"); got != "create a new secret" {
		t.Errorf("nil dead end changed the fix: %q", got)
	}
	d := &DeadEnd{Statement: "New apps cannot get the scopes.", StillWorks: "Old apps work."}
	if got, want := d.Explain("check the secret."), "check the secret. Known limit: New apps cannot get the scopes. Old apps work."; got != want {
		t.Errorf("Explain = %q, want %q", got, want)
	}
	if got, want := d.Explain(""), "Known limit: New apps cannot get the scopes. Old apps work."; got != want {
		t.Errorf("Explain(\"\") = %q, want %q", got, want)
	}
}

func lintPortal(t *testing.T, p Provider) {
	t.Helper()
	if p.Portal.DocSpace == nil && p.Portal.Workspace == nil && p.Portal.Elsewhere == "" {
		t.Errorf("no portal consumer and no word on where the key goes")
	}
	for name, c := range map[string]*Consumer{"docspace": p.Portal.DocSpace, "workspace": p.Portal.Workspace} {
		if c == nil {
			continue
		}
		if c.Name == "" || len(c.Props) == 0 {
			t.Errorf("%s consumer needs a name and props", name)
		}
		if name == "docspace" && c.Name != strings.ToLower(c.Name) {
			t.Errorf("DocSpace consumer keys are lowercase, got %q", c.Name)
		}
		for _, prop := range c.Props {
			f, ok := p.Field(prop)
			if !ok {
				t.Errorf("%s prop %q has no field", name, prop)
			} else if f.Local {
				t.Errorf("%s prop %q is marked local", name, prop)
			}
		}
	}
}

func lintFields(t *testing.T, p Provider) {
	t.Helper()
	if len(p.Fields) == 0 {
		t.Fatalf("no fields")
	}
	ids := map[string]bool{}
	values := map[string]string{}
	for _, f := range p.Fields {
		if ids[f.ID] {
			t.Errorf("duplicate field %q", f.ID)
		}
		ids[f.ID] = true
		if f.Label == "" || f.Help == "" {
			t.Errorf("field %q needs a label and help", f.ID)
		}
		if f.Check == nil {
			t.Errorf("field %q has no check", f.ID)
		}
		if secretish(f.ID) && !f.Secret {
			t.Errorf("field %q holds a secret but is not marked secret", f.ID)
		}
		if (f.Password || f.Token) && !f.Secret {
			t.Errorf("field %q is a password or token but not marked secret", f.ID)
		}
		if f.Local && !f.Optional {
			t.Errorf("local field %q must be optional", f.ID)
		}
		if f.Example == "" {
			t.Errorf("field %q has no example", f.ID)
			continue
		}
		if err := f.Validate(f.Example); err != nil {
			t.Errorf("field %q: its own example fails its check: %v", f.ID, err)
		}
		values[f.ID] = f.Example
	}
	for _, fe := range p.Validate(values) {
		if fe.Err != nil {
			t.Errorf("examples together: field %q: %v", fe.Field, fe.Err)
		}
	}
}

func lintOAuth(t *testing.T, p Provider) {
	t.Helper()
	o := p.OAuth
	checkHTTPS(t, "auth URL", o.AuthURL)
	checkHTTPS(t, "token URL", o.TokenURL)
	if o.UserInfoURL != "" {
		checkHTTPS(t, "userinfo URL", o.UserInfoURL)
	}
	if o.AuthStyle == oauth2.AuthStyleAutoDetect {
		t.Errorf("auth style must be set explicitly")
	}
	switch o.Loopback {
	case LoopbackAnyPort, LoopbackExact, LoopbackNone:
	default:
		t.Errorf("loopback rule %q unknown", o.Loopback)
	}
	if o.Loopback == LoopbackExact && o.DefaultPort == 0 {
		t.Errorf("an exact loopback rule needs a default port to register")
	}
	if o.Loopback != LoopbackNone && o.LoopbackHost != "127.0.0.1" && o.LoopbackHost != "localhost" && o.LoopbackHost != "[::1]" {
		t.Errorf("loopback host %q: use 127.0.0.1, [::1] or localhost", o.LoopbackHost)
	}
	for _, id := range []string{o.ClientID, o.ClientSecret, o.HostField, o.TenantField} {
		if id == "" {
			continue
		}
		if _, ok := p.Field(id); !ok {
			t.Errorf("OAuth names field %q, which does not exist", id)
		}
	}
	if o.ClientID == "" {
		t.Errorf("OAuth needs the client id field")
	}
	if strings.Contains(o.AuthURL, "{host}") && o.HostField == "" {
		t.Errorf("auth URL has {host} but no host field")
	}
	if o.Loopback != LoopbackNone {
		var found bool
		for _, s := range p.Steps {
			for _, c := range s.Copy {
				found = found || strings.Contains(c.Value, TestRedirect)
			}
		}
		if !found {
			t.Errorf("loopback test sign-in possible but no step offers the test redirect to register")
		}
	}
}

func TestGuideReplacesPlaceholders(t *testing.T) {
	p, _ := Lookup("google")
	steps := p.Guide("", "http://127.0.0.1:53682/callback")
	var all []string
	for _, s := range steps {
		for _, c := range s.Copy {
			all = append(all, c.Value)
		}
	}
	joined := strings.Join(all, " ")
	if !strings.Contains(joined, DefaultRedirectURL) || !strings.Contains(joined, "http://127.0.0.1:53682/callback") {
		t.Fatalf("placeholders not replaced: %s", joined)
	}
	if strings.Contains(joined, "{") {
		t.Fatalf("placeholder left: %s", joined)
	}
	for _, s := range p.Guide("https://portal.example.com/oauth2.aspx", "") {
		for _, c := range s.Copy {
			if strings.Contains(c.Value, TestRedirect) || c.Value == "" {
				t.Fatalf("test redirect should be left out when empty: %+v", c)
			}
		}
	}
}

func TestPasteProblems(t *testing.T) {
	f := Field{ID: "x", Label: "X", Check: func(string) error { return nil }}
	for _, v := range []string{" key", "key ", "key\n", "ke\u200by", "\ufeffkey"} {
		err := f.Validate(v)
		if !IsTrimmable(err) {
			t.Errorf("%q: want a trimmable error, got %v", v, err)
		}
		if Trim(v) != "key" {
			t.Errorf("Trim(%q) = %q", v, Trim(v))
		}
	}
	if err := f.Validate("ke\ny"); err == nil || IsTrimmable(err) {
		t.Errorf("inner line break: got %v", err)
	}
	if err := (Field{}).Validate(""); err != ErrRequired {
		t.Errorf("empty required: %v", err)
	}
	if err := (Field{Optional: true}).Validate(""); err != nil {
		t.Errorf("empty optional: %v", err)
	}
	ml := Field{Multiline: true}
	if err := ml.Validate("line1\nline2\n"); err != nil {
		t.Errorf("multiline keeps line breaks: %v", err)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{"": "", "short": "****", "GOCSPX-abcdefghijkl": "GOCS****"} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkValidateAll validates every field of every service once per
// iteration, with each field's example and a wrong value.
func BenchmarkValidateAll(b *testing.B) {
	all := All()
	n := 0
	for _, p := range all {
		n += len(p.Fields)
	}
	b.ReportMetric(float64(n), "fields")
	b.ResetTimer()
	for b.Loop() {
		for _, p := range all {
			for _, f := range p.Fields {
				_ = f.Validate(f.Example)
			}
		}
	}
}

func TestValidateCrossFieldRunsDespiteWarnings(t *testing.T) {
	p := Provider{
		ID: "x",
		Fields: []Field{
			{ID: "a", Check: func(string) error { return Warnf("looks unusual") }},
			{ID: "b", Check: func(string) error { return nil }},
		},
		CheckAll: func(map[string]string) []FieldError {
			return []FieldError{{Field: "a", Err: errors.New("a and b do not match")}, {Field: "b", Err: Warnf("b is odd")}}
		},
	}
	got := p.Validate(map[string]string{"a": "1", "b": "2"})
	if len(got) != 2 || got[0].Err == nil || got[0].Err.Error() != "a and b do not match" {
		t.Fatalf("field a = %+v, want the cross-field error to win over its warning", got)
	}
	if !IsWarning(got[1].Err) {
		t.Fatalf("field b = %v, want the cross-field warning", got[1].Err)
	}
	p.Fields[1].Check = func(string) error { return errors.New("b is wrong") }
	got = p.Validate(map[string]string{"a": "1", "b": "2"})
	if !IsWarning(got[0].Err) || got[1].Err.Error() != "b is wrong" {
		t.Fatalf("with a field error the cross-field check must not run: %+v", got)
	}
}
