package providers

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestEveryServiceHasGoalsAndSetup(t *testing.T) {
	goals := map[string]int{}
	seen := map[string]bool{}
	for _, g := range Goals() {
		if seen[g.ID] {
			t.Errorf("goal %s twice", g.ID)
		}
		seen[g.ID] = true
		p, ok := Lookup(g.Service)
		if !ok {
			t.Errorf("goal %s names no service", g.ID)
			continue
		}
		if g.Words == "" {
			t.Errorf("goal %s has no words", g.ID)
		}
		if g.Category != p.Category && g.ID != "storage:google" {
			t.Errorf("goal %s is in %q, the service in %q", g.ID, g.Category, p.Category)
		}
		goals[g.Service]++
	}
	for _, p := range All() {
		if goals[p.ID] == 0 {
			t.Errorf("%s answers no goal", p.ID)
		}
		s, ok := SetupOf(p.ID)
		if !ok || s.Minutes <= 0 || len(s.Needs) == 0 {
			t.Errorf("%s has no set-up facts: %+v", p.ID, s)
		}
	}
	for _, c := range Categories {
		if CategoryWord(c) == "" || Question(c) == "" {
			t.Errorf("category %q has no word or question", c)
		}
	}
}

func TestParseGoals(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		err  string
	}{
		{in: "signin:google,backup:s3", want: "signin:google backup:s3"},
		{in: "google", want: "signin:google storage:google"},
		{in: "Google, signin:google ,links", want: "signin:google storage:google links:bitly"},
		{in: "esign", want: "esign:docusign"},
		{in: "", want: ""},
		{in: "sms", err: "sms:twilio, sms:clickatell, sms:smsc"},
		{in: "signin:nobody", err: "unknown goal"},
		{in: "printing", err: "plan --goals"},
	} {
		got, err := ParseGoals(strings.Split(c.in, ","))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || strings.Join(got, " ") != c.want {
			t.Errorf("%q: %v %v, want %q", c.in, got, err, c.want)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"12.0", "12.0.0", 0}, {"v12.5.2", "12.5.2", 0}, {"12.5.10", "12.5.2", 1},
		{"11.6", "v11.6.0", 0}, {"3.7.1.1234", "3.7.2", -1}, {"12", "11.9.9", 1},
		{"12.6.0.1900", "v12.5.2", 1}, {"2-beta", "2.0", 0},
	} {
		if got := CompareVersions(c.a, c.b); got != c.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestOfferedIn(t *testing.T) {
	for _, c := range []struct {
		name    string
		cons    *Consumer
		version string
		want    bool
		why     string
	}{
		{"nil", nil, "12.0", false, "never offered"},
		{"plain", &Consumer{}, "", true, ""},
		{"since, newer", &Consumer{Since: "12.0"}, "12.1.0.100", true, ""},
		{"since, same", &Consumer{Since: "12.0"}, "12.0", true, ""},
		{"since, older", &Consumer{Since: "12.0"}, "11.6.0", false, "added in 12.0"},
		{"since, version unknown", &Consumer{Since: "12.0"}, "", true, ""},
		{"removed, older", &Consumer{Removed: "v12.5.2"}, "12.5.1", true, ""},
		{"removed, same", &Consumer{Removed: "v12.5.2"}, "12.5.2.1848", false, "removed in v12.5.2"},
		{"removed, version unknown", &Consumer{Removed: "v12.5.2"}, "", false, "removed in v12.5.2"},
		{"removed by date", &Consumer{Removed: "2024-08"}, "2.5.1", false, "removed in 2024-08"},
	} {
		ok, why := OfferedIn(c.cons, c.version)
		if ok != c.want || why != c.why {
			t.Errorf("%s: %v %q, want %v %q", c.name, ok, why, c.want, c.why)
		}
	}
}

func TestExpiryDateCheck(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC) }
	check := expiryDateCheck(24, now)
	for _, c := range []struct {
		v, warn, bad string
	}{
		{v: "2026-12-03"}, {v: "2028-12-03"}, {v: "2027-06-30"},
		{v: "2026-12-02", warn: "has passed"},
		{v: "2028-12-05", bad: "24 months"},
		{v: "2027-6-30", bad: "year-month-day"},
		{v: "30.06.2027", bad: "year-month-day"},
	} {
		err := check(c.v)
		switch {
		case c.bad != "":
			if !Blocks(err) || !strings.Contains(err.Error(), c.bad) {
				t.Errorf("%s: %v, want a refusal with %q", c.v, err, c.bad)
			}
		case c.warn != "":
			if !IsWarning(err) || !strings.Contains(err.Error(), c.warn) {
				t.Errorf("%s: %v, want a warning with %q", c.v, err, c.warn)
			}
		case err != nil:
			t.Errorf("%s: %v", c.v, err)
		}
	}
	if err := expiryDateCheck(0, now)("2035-01-01"); err != nil {
		t.Errorf("no bound: %v", err)
	}
}

func TestExpiryFieldsAreLocal(t *testing.T) {
	for _, id := range []string{"microsoft", "onedrive", "docusign"} {
		p, _ := Lookup(id)
		f, ok := p.Field(ExpiresField)
		if !ok || !f.Local || !f.Optional || f.Secret {
			t.Errorf("%s: expiry field %+v", id, f)
		}
		for _, c := range []*Consumer{p.Portal.DocSpace, p.Portal.Workspace} {
			if c != nil && slices.Contains(c.Props, ExpiresField) {
				t.Errorf("%s sends its expiry date to the portal", id)
			}
		}
	}
	g, _ := Lookup("google")
	if f, ok := g.Field(PublishingField); !ok || !f.Local {
		t.Fatalf("google has no local publishing status")
	}
	if err := publishingCheck("Testing"); !IsWarning(err) || !strings.Contains(err.Error(), "7 days") {
		t.Errorf("Testing: %v", err)
	}
	if err := publishingCheck("In production"); err != nil {
		t.Errorf("In production: %v", err)
	}
	if err := publishingCheck("live"); !Blocks(err) {
		t.Errorf("live: %v", err)
	}
}
