package wizard

import (
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"keywizard/providers"
	"keywizard/wizard/redact"
)

// Recorded is one recorded outcome: a check, a test sign-in, a push, or
// what the portal was seen to hold.
type Recorded struct {
	OK      bool
	Message string
	At      time.Time
}

// ServiceRecord is what the progress file holds about one service: names
// of the stored fields and outcomes, never values.
type ServiceRecord struct {
	Service string
	Status  Status
	Filled  []string // ids of the fields holding a value
	Check   *Recorded
	SignIn  *Recorded
	Push    *Recorded
	Portal  *Recorded // what the portal held when last read (OK: it holds keys)
	Keys    KeyFacts
}

// ReportInput is what a set-up report is made from.
type ReportInput struct {
	Now       time.Time
	Portal    string // the portal's address, "" when none is known
	Product   string
	Version   string
	Where     string // where the secrets are kept, in plain words
	Records   []ServiceRecord
	Catalogue []providers.Provider // nil means providers.All()
}

// Report is the set-up report: per service what was set, when it was
// verified and how, what the portal holds, and when keys expire. It is
// built from names and outcomes only, so it holds no key.
type Report struct {
	Generated time.Time       `json:"generated"`
	Portal    string          `json:"portal,omitempty"`
	Product   string          `json:"product,omitempty"`
	Version   string          `json:"version,omitempty"`
	Where     string          `json:"secrets_kept_in,omitempty"`
	Services  []ReportService `json:"services"`
}

// ReportService is one service in the report.
type ReportService struct {
	Service    string        `json:"service"`
	Title      string        `json:"title"`
	Category   string        `json:"category"`
	Status     Status        `json:"status"`
	Set        []ReportField `json:"set"`
	Verified   *ReportEvent  `json:"verified,omitempty"` // the last check or test sign-in that passed
	Problem    *ReportEvent  `json:"problem,omitempty"`  // the last one that failed, when newer
	Portal     *ReportEvent  `json:"portal,omitempty"`   // the last push, or the last reading of the portal
	Expiry     *Expiry       `json:"expiry,omitempty"`
	KeysStored *time.Time    `json:"keys_stored,omitempty"`
}

// ReportField names a field that holds a value.
type ReportField struct {
	ID     string `json:"id"`
	Label  string `json:"label"`
	Secret bool   `json:"secret"`
	Local  bool   `json:"local"` // kept for Keywizard's checks, not sent to the portal
}

// ReportEvent is a dated outcome and what produced it.
type ReportEvent struct {
	At      time.Time `json:"at"`
	By      string    `json:"by"` // "online check", "test sign-in", "push", "portal reading"
	OK      bool      `json:"ok"`
	Message string    `json:"message"`
}

// BuildReport makes the report of every service with recorded progress,
// in catalogue order.
func BuildReport(in ReportInput) Report {
	cat := in.Catalogue
	if cat == nil {
		cat = providers.All()
	}
	recs := map[string]ServiceRecord{}
	for _, r := range in.Records {
		recs[r.Service] = r
	}
	r := Report{Generated: in.Now, Portal: in.Portal, Product: in.Product, Version: in.Version, Where: in.Where, Services: []ReportService{}}
	for _, p := range cat {
		rec, ok := recs[p.ID]
		if !ok || empty(rec) {
			continue
		}
		r.Services = append(r.Services, reportService(p, rec, in.Now))
	}
	return r
}

func empty(r ServiceRecord) bool {
	return len(r.Filled) == 0 && r.Check == nil && r.SignIn == nil && r.Push == nil && r.Portal == nil
}

func reportService(p providers.Provider, rec ServiceRecord, now time.Time) ReportService {
	s := ReportService{Service: p.ID, Title: p.Title, Category: string(p.Category), Status: rec.Status, Set: []ReportField{}}
	for _, f := range p.Fields {
		if slices.Contains(rec.Filled, f.ID) {
			s.Set = append(s.Set, ReportField{ID: f.ID, Label: f.Label, Secret: f.Secret, Local: f.Local})
		}
	}
	for _, e := range []*ReportEvent{event(rec.Check, "online check"), event(rec.SignIn, "test sign-in")} {
		switch {
		case e == nil:
		case e.OK && (s.Verified == nil || e.At.After(s.Verified.At)):
			s.Verified = e
		case !e.OK && (s.Problem == nil || e.At.After(s.Problem.At)):
			s.Problem = e
		}
	}
	if s.Problem != nil && s.Verified != nil && s.Verified.At.After(s.Problem.At) {
		s.Problem = nil
	}
	s.Portal = event(rec.Push, "push")
	if seen := event(rec.Portal, "portal reading"); seen != nil && (s.Portal == nil || seen.At.After(s.Portal.At)) {
		s.Portal = seen
	}
	s.Expiry = ExpiryOf(rec.Keys, now)
	if !rec.Keys.Saved.IsZero() {
		t := rec.Keys.Saved
		s.KeysStored = &t
	}
	return s
}

func event(o *Recorded, by string) *ReportEvent {
	if o == nil {
		return nil
	}
	return &ReportEvent{At: o.At, By: by, OK: o.OK, Message: o.Message}
}

// Scrub replaces every occurrence of the given secret values in the
// report's texts. The report is built from outcomes that the engines
// already redact; this keeps it clean even if one of them did not.
func (r *Report) Scrub(secrets []string) {
	for i := range r.Services {
		for _, e := range []*ReportEvent{r.Services[i].Verified, r.Services[i].Problem, r.Services[i].Portal} {
			if e != nil {
				e.Message = redact.Text(e.Message, secrets...)
			}
		}
	}
	r.Portal = redact.Text(r.Portal, secrets...)
}

const stamp = "2006-01-02 15:04"

// PortalWords describe what the portal holds, as far as was recorded.
func (s ReportService) PortalWords() string {
	e := s.Portal
	switch {
	case e == nil:
		return "not recorded: push it, or run 'keywizard status'"
	case e.By == "push" && e.OK:
		return "pushed " + e.At.Local().Format(stamp)
	case e.By == "push":
		return "push failed " + e.At.Local().Format(stamp) + ": " + e.Message
	}
	return e.Message + " (read " + e.At.Local().Format(stamp) + ")"
}

// VerifiedWords say when and how the keys were proven.
func (s ReportService) VerifiedWords() string {
	if s.Verified == nil {
		return "not verified"
	}
	return s.Verified.At.Local().Format(stamp) + " by the " + s.Verified.By + ": " + s.Verified.Message
}

// SetWords list the stored fields by label.
func (s ReportService) SetWords() string {
	if len(s.Set) == 0 {
		return "nothing stored"
	}
	names := make([]string, len(s.Set))
	for i, f := range s.Set {
		names[i] = f.Label
		if f.Local {
			names[i] += " (kept here only)"
		}
	}
	return strings.Join(names, ", ")
}

// ExpiryWords say when the keys expire and how old they are.
func (s ReportService) ExpiryWords(now time.Time) string {
	var parts []string
	if s.Expiry != nil {
		w := s.Expiry.Words()
		if s.Expiry.Date != "" {
			w += " (" + s.Expiry.Date + ")"
		}
		parts = append(parts, w)
	}
	if s.KeysStored != nil {
		parts = append(parts, KeyFacts{Saved: *s.KeysStored}.AgeWords(now)+" ("+s.KeysStored.Local().Format("2006-01-02")+")")
	}
	if len(parts) == 0 {
		return "no expiry known"
	}
	return strings.Join(parts, "; ")
}

func (r Report) portalLine() string {
	if r.Portal == "" {
		return "no portal recorded"
	}
	line := r.Portal
	if r.Product != "" {
		line += " (" + productName(r.Product)
		if r.Version != "" {
			line += " " + r.Version
		}
		line += ")"
	}
	return line
}

// WriteText writes the report as plain text.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Keywizard set-up report, %s\n", r.Generated.Local().Format(stamp))
	fmt.Fprintf(&b, "Portal: %s\n", r.portalLine())
	if r.Where != "" {
		fmt.Fprintf(&b, "Secrets are kept in %s; this report holds none of them.\n", r.Where)
	}
	if len(r.Services) == 0 {
		b.WriteString("\nNo service has been set up yet.\n")
	}
	for _, s := range r.Services {
		fmt.Fprintf(&b, "\n%s (%s): %s\n", s.Title, s.Category, s.Status)
		fmt.Fprintf(&b, "  set:      %s\n", s.SetWords())
		fmt.Fprintf(&b, "  verified: %s\n", s.VerifiedWords())
		if s.Problem != nil {
			fmt.Fprintf(&b, "  problem:  %s by the %s: %s\n", s.Problem.At.Local().Format(stamp), s.Problem.By, s.Problem.Message)
		}
		fmt.Fprintf(&b, "  portal:   %s\n", s.PortalWords())
		fmt.Fprintf(&b, "  expiry:   %s\n", s.ExpiryWords(r.Generated))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var reportHTML = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Keywizard set-up report</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.4em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}
.warn{color:#a15c00;font-weight:600}
.bad{color:#b00020;font-weight:600}
</style></head><body>
<h1>Keywizard set-up report</h1>
<p>Made {{.Generated}}. Portal: {{.PortalLine}}.{{if .Where}} Secrets are kept in {{.Where}}; this report holds none of them.{{end}}</p>
{{if .Rows}}<table>
<tr><th>Service</th><th>Status</th><th>Set</th><th>Verified</th><th>On the portal</th><th>Expiry</th></tr>
{{range .Rows}}<tr><td>{{.Title}}<br><small>{{.Category}}</small></td><td>{{.Status}}{{if .Problem}}<br><span class="bad">{{.Problem}}</span>{{end}}</td><td>{{.Set}}</td><td>{{.Verified}}</td><td>{{.Portal}}</td><td{{if .Urgent}} class="warn"{{end}}>{{.Expiry}}</td></tr>
{{end}}</table>{{else}}<p>No service has been set up yet.</p>{{end}}
</body></html>
`))

type htmlRow struct {
	Title, Category, Status, Problem, Set, Verified, Portal, Expiry string
	Urgent                                                          bool
}

// WriteHTML writes the report as one self-contained HTML page.
func (r Report) WriteHTML(w io.Writer) error {
	data := struct {
		Generated, PortalLine, Where string
		Rows                         []htmlRow
	}{Generated: r.Generated.Local().Format(stamp), PortalLine: r.portalLine(), Where: r.Where}
	for _, s := range r.Services {
		row := htmlRow{Title: s.Title, Category: s.Category, Status: string(s.Status), Set: s.SetWords(),
			Verified: s.VerifiedWords(), Portal: s.PortalWords(), Expiry: s.ExpiryWords(r.Generated), Urgent: s.Expiry.Urgent()}
		if s.Problem != nil {
			row.Problem = s.Problem.At.Local().Format(stamp) + " " + s.Problem.By + ": " + s.Problem.Message
		}
		data.Rows = append(data.Rows, row)
	}
	return reportHTML.Execute(w, data)
}
