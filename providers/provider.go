// Package providers is the catalogue of the third-party services an
// ONLYOFFICE portal connects to: what each one is for, where its keys go on
// the portal, how to create them in the service's console, how to check them
// offline, and the OAuth facts needed for a test sign-in.
//
// The catalogue is plain data: one file per service, each declaring a
// Provider value, collected in order by All. Code appears only where a
// service needs it, as optional function fields next to the data.
package providers

import (
	"fmt"
	"strings"

	"golang.org/x/oauth2"
)

// Category groups services by what the portal does with them.
type Category string

// The categories, in the order the overview shows them.
const (
	SignIn          Category = "sign-in"
	DocumentStorage Category = "document storage"
	BackupStorage   Category = "backup storage"
	SMS             Category = "SMS and two-factor"
	Notifications   Category = "notifications"
	Links           Category = "links"
	ESignature      Category = "e-signature"
	EditorPlugins   Category = "editor plugins"
	Contacts        Category = "contacts"
)

// Categories lists every category in display order.
var Categories = []Category{SignIn, DocumentStorage, BackupStorage, SMS, Notifications, Links, ESignature, EditorPlugins, Contacts}

// DefaultRedirectURL is the OAuth redirect URL every ONLYOFFICE portal uses
// unless its administrator hosts the redirect page on their own server.
const DefaultRedirectURL = "https://service.onlyoffice.com/oauth2.aspx"

// Placeholders that a step's CopyValue may contain; Provider.Guide replaces
// them with the values for this admin's set-up.
const (
	// PortalRedirect stands for the portal's OAuth redirect URL.
	PortalRedirect = "{portal-redirect}"
	// TestRedirect stands for Keywizard's own loopback redirect used by the
	// test sign-in.
	TestRedirect = "{test-redirect}"
)

// Provider describes one third-party service.
type Provider struct {
	ID       string   // stable id used on the command line: "google", "s3", ...
	Title    string   // "Google", "Amazon AWS S3"
	Category Category // what the portal does with it
	Purpose  string   // one sentence on what the portal does with the service

	Portal Portal   // where the keys go on the portal
	Fields []Field  // the keys the admin pastes, in form order
	Steps  []Step   // how to create the keys in the service's console
	OAuth  *OAuth   // nil for services without an OAuth sign-in
	Online string   // what the non-interactive online check does and proves
	Notes  []string // warnings shown with the service (shown in the guide)

	// DeadEnd, when set, is a known reason why the set-up cannot succeed
	// for a new app or account, or succeeds only on a condition. It is
	// stated before the first step and added to failed checks.
	DeadEnd *DeadEnd

	// CheckAll runs cross-field checks on a complete set of values, after
	// every field passed its own check. Optional.
	CheckAll func(values map[string]string) []FieldError
}

// DeadEnd is a change on the service's side (or a limit of the portal's
// own sign-in) that makes the guide fail for most new admins.
type DeadEnd struct {
	Statement  string // plain words: what no longer works, and for whom
	StillWorks string // what still works, or what the admin can do instead
	Since      string // when the change took effect ("2023-08-01"), if known
	Source     string // https URL of the service's own word on it
}

// Text is the statement and what still works, as one paragraph.
func (d *DeadEnd) Text() string {
	if d == nil {
		return ""
	}
	return strings.TrimSpace(d.Statement + " " + d.StillWorks)
}

// Explain adds the dead end to the fix of a failed check or sign-in, so
// that the admin learns the likely real cause instead of a generic one.
// A nil DeadEnd returns fix unchanged.
func (d *DeadEnd) Explain(fix string) string {
	if d == nil {
		return fix
	}
	text := "Known limit: " + d.Text()
	if fix == "" {
		return text
	}
	return strings.TrimRight(fix, ". ") + ". " + text
}

// Portal says which ONLYOFFICE products offer a service and under which
// consumer name and prop keys.
type Portal struct {
	DocSpace  *Consumer // nil when DocSpace never offered the service
	Workspace *Consumer // nil when Workspace never offered the service
	// Elsewhere says where the key goes when no portal consumer exists
	// (the editor's plugin for Mendeley and Zotero).
	Elsewhere string
}

// Consumer is a service's entry in one portal product's settings.
type Consumer struct {
	Name    string   // consumer name to send: DocSpace lowercase key ("appleid"), Workspace name ("AppleID")
	Props   []string // prop keys managed by the admin in this product, in order
	Since   string   // first version that offers it, if known ("11.0")
	Removed string   // version or date it was removed ("v12.5.2", "2024-08"); empty while still offered
	Paid    bool     // DocSpace SaaS needs the third-party quota
}

// Field is one key the admin pastes. ID is the portal prop key.
type Field struct {
	ID        string // portal prop key: "googleClientId", "acesskey", "json"
	Label     string
	Help      string // one sentence: where to find the value in the console
	Secret    bool   // masked, never printed
	Multiline bool   // PEM or JSON
	Optional  bool
	Local     bool // used only by Keywizard's checks; never sent to the portal
	// Password marks a value the account owner chose rather than one the
	// console issued: any characters are possible, so placeholder shapes
	// (a run of one character, stars) only warn.
	Password bool
	// Token marks a field that holds an access token the service issued
	// (Bitly's): its own check explains a pasted "Bearer " prefix.
	Token   bool
	Example string // a made-up value in the real format; passes Check
	Check   func(string) error
}

// Step is one screen of instructions in the service's console.
type Step struct {
	Title   string
	Lines   []string    // numbered instructions, one action each
	URL     string      // console page to open ("Open page"), optional
	Copy    []CopyValue // values to paste, each with a Copy button
	Warning string      // shown in the warning colour, optional
}

// CopyValue is a value the admin pastes into the console.
type CopyValue struct {
	Label string
	Value string // may contain PortalRedirect or TestRedirect
	Note  string // e.g. "remove it once the test sign-in passed"
}

// LoopbackRule says how a provider matches loopback redirect URIs, which
// decides the port the test sign-in listens on.
type LoopbackRule string

// Loopback rules.
const (
	LoopbackAnyPort LoopbackRule = "any port" // RFC 8252 7.3: register once, any port works
	LoopbackExact   LoopbackRule = "exact"    // register the exact URI, port included
	LoopbackNone    LoopbackRule = "none"     // loopback redirects are refused
)

// OAuth holds what a test sign-in needs. URLs may contain {host} (filled
// from the field named by HostField) or {tenant} (from TenantField,
// "common" when empty).
type OAuth struct {
	AuthURL      string
	TokenURL     string
	AuthStyle    oauth2.AuthStyle // set per provider, never auto-detected
	Scopes       []string         // smallest set that proves the client works
	PortalScopes []string         // what the portal itself asks for, shown to the admin
	PKCE         bool             // the provider accepts PKCE S256
	Loopback     LoopbackRule
	LoopbackHost string // "127.0.0.1" or "localhost": what the provider accepts
	DefaultPort  int    // fixed port registered once where the rule is exact
	CallbackPath string // default "/callback"
	UserInfoURL  string // identity after the exchange; empty when the id_token carries it
	UserInfoAuth string // "bearer" (default), "oauth" (Authorization: OAuth) or "query" (access_token=)
	RevokeURL    string // token revocation, where the provider offers one
	Issuer       string // expected "iss" in the callback (RFC 9207), where sent
	AuthParams   map[string]string
	ClientID     string // field id of the client id
	ClientSecret string // field id of the client secret
	HostField    string // field id holding the host, for {host}
	TenantField  string // field id holding the tenant, for {tenant}

	// Portal records, per product, the sign-in the portal itself runs
	// with these keys; the test sign-in replays it (see PortalFlow).
	Portal map[Product]PortalFlow
}

// FieldError is a problem with one field.
type FieldError struct {
	Field string
	Err   error
}

// Lookup returns the provider with the given id.
func Lookup(id string) (Provider, bool) {
	for _, p := range All() {
		if p.ID == id {
			return p, true
		}
	}
	return Provider{}, false
}

// IDs returns every provider id in catalogue order.
func IDs() []string {
	all := All()
	ids := make([]string, len(all))
	for i, p := range all {
		ids[i] = p.ID
	}
	return ids
}

// Field returns the field with the given id.
func (p Provider) Field(id string) (Field, bool) {
	for _, f := range p.Fields {
		if f.ID == id {
			return f, true
		}
	}
	return Field{}, false
}

// Guide returns the steps with the placeholders replaced: portalRedirect is
// the portal's redirect URL (DefaultRedirectURL when empty), testRedirect the
// loopback redirect of the test sign-in (left out when empty).
func (p Provider) Guide(portalRedirect, testRedirect string) []Step {
	if portalRedirect == "" {
		portalRedirect = DefaultRedirectURL
	}
	r := strings.NewReplacer(PortalRedirect, portalRedirect, TestRedirect, testRedirect)
	steps := make([]Step, len(p.Steps))
	for i, s := range p.Steps {
		s.Lines = append([]string(nil), s.Lines...)
		for j, l := range s.Lines {
			s.Lines[j] = r.Replace(l)
		}
		var cv []CopyValue
		for _, c := range s.Copy {
			if testRedirect == "" && strings.Contains(c.Value, TestRedirect) {
				continue
			}
			c.Value = r.Replace(c.Value)
			cv = append(cv, c)
		}
		s.Copy = cv
		steps[i] = s
	}
	return steps
}

// Validate runs every field's check and the cross-field checks on values
// (field id to value). Missing required fields are reported; optional empty
// fields pass. The result has one entry per field, in form order, nil Err
// meaning the field is fine. Unknown keys in values are not reported here:
// callers decide (see UnknownFields).
func (p Provider) Validate(values map[string]string) []FieldError {
	out := make([]FieldError, 0, len(p.Fields))
	ok := true
	for _, f := range p.Fields {
		err := f.Validate(values[f.ID])
		if Blocks(err) {
			ok = false
		}
		out = append(out, FieldError{Field: f.ID, Err: err})
	}
	// Cross-field checks run once no field is wrong on its own; a field's
	// mere warning must not hide a cross-field error, which then wins.
	if ok && p.CheckAll != nil {
		for _, fe := range p.CheckAll(values) {
			for i := range out {
				if out[i].Field != fe.Field {
					continue
				}
				if out[i].Err == nil || (!Blocks(out[i].Err) && Blocks(fe.Err)) {
					out[i].Err = fe.Err
				}
			}
		}
	}
	return out
}

// UnknownFields returns the keys of values that are not fields of p.
func (p Provider) UnknownFields(values map[string]string) []string {
	var unknown []string
	for k := range values {
		if _, ok := p.Field(k); !ok {
			unknown = append(unknown, k)
		}
	}
	return unknown
}

// Validate checks one value: required, then the field's own check.
func (f Field) Validate(v string) error {
	if v == "" {
		if f.Optional {
			return nil
		}
		return ErrRequired
	}
	if err := checkPasted(v, f.Multiline); err != nil {
		return err
	}
	if err := f.placeholder(v); err != nil {
		return err
	}
	if f.Check == nil {
		return nil
	}
	return f.Check(v)
}

// TestRedirectURI is the loopback redirect URI for the test sign-in on the
// given port (the provider's DefaultPort when 0, left out for "any port").
func (o *OAuth) TestRedirectURI(port int) string {
	host := o.LoopbackHost
	if host == "" {
		host = "127.0.0.1"
	}
	path := o.CallbackPath
	if path == "" {
		path = "/callback"
	}
	if port == 0 {
		port = o.DefaultPort
	}
	if port == 0 {
		return "http://" + host + path
	}
	return fmt.Sprintf("http://%s:%d%s", host, port, path)
}
