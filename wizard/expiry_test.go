package wizard

import (
	"testing"
	"time"

	"keywizard/providers"
)

func TestFactsOf(t *testing.T) {
	saved := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	ms, _ := providers.Lookup("microsoft")
	g, _ := providers.Lookup("google")
	tg, _ := providers.Lookup("telegram")
	for _, c := range []struct {
		name   string
		p      providers.Provider
		values map[string]string
		want   KeyFacts
	}{
		{"microsoft date", ms, map[string]string{"expiresOn": "2027-06-30"}, KeyFacts{Saved: saved, Expires: "2027-06-30"}},
		{"microsoft bad date", ms, map[string]string{"expiresOn": "30.06.2027"}, KeyFacts{Saved: saved}},
		{"google testing", g, map[string]string{"publishingStatus": " testing"}, KeyFacts{Saved: saved, Testing: true}},
		{"google production", g, map[string]string{"publishingStatus": "In production"}, KeyFacts{Saved: saved}},
		{"no such field", tg, map[string]string{"expiresOn": "2027-06-30"}, KeyFacts{Saved: saved}},
	} {
		if got := FactsOf(c.p, c.values, saved); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestExpiryWords(t *testing.T) {
	now := time.Date(2026, 12, 3, 23, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		facts  KeyFacts
		words  string
		days   int
		within int // Within(within) must be true, Within(within-1) false
	}{
		{KeyFacts{Expires: "2026-12-15"}, "expires in 12 days", 12, 12},
		{KeyFacts{Expires: "2026-12-04"}, "expires tomorrow", 1, 1},
		{KeyFacts{Expires: "2026-12-03"}, "expires today", 0, 0},
		{KeyFacts{Expires: "2026-12-02"}, "expired yesterday", -1, -1},
		{KeyFacts{Expires: "2026-11-20"}, "expired 13 days ago", -13, -13},
		{KeyFacts{Expires: "2028-12-03"}, "expires in 731 days", 731, 731},
		{KeyFacts{Testing: true}, "app in Testing: sign-ins last 7 days", 7, 7},
	} {
		e := ExpiryOf(c.facts, now)
		if e == nil || e.Words() != c.words || e.Days != c.days {
			t.Errorf("%+v: %+v %q, want %q", c.facts, e, e.Words(), c.words)
			continue
		}
		if !e.Within(c.within) || e.Within(c.within-1) {
			t.Errorf("%+v: Within around %d wrong", c.facts, c.within)
		}
	}
	if e := ExpiryOf(KeyFacts{Saved: now}, now); e != nil || e.Within(1000) || e.Words() != "" {
		t.Errorf("nothing known: %+v", e)
	}
	// Across a change to summer time the day count stays whole.
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err == nil {
		spring := time.Date(2027, 3, 20, 12, 0, 0, 0, berlin)
		if e := ExpiryOf(KeyFacts{Expires: "2027-04-03"}, spring); e.Days != 14 {
			t.Errorf("over the clock change: %d days", e.Days)
		}
	}
}

func TestKeyAge(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		saved time.Time
		words string
	}{
		{time.Time{}, ""},
		{now.Add(-time.Hour), "keys stored today"},
		{now.Add(-30 * time.Hour), "keys stored yesterday"},
		{now.AddDate(0, 0, -40), "keys stored 40 days ago"},
		{now.Add(time.Hour), "keys stored today"}, // a clock set back
	} {
		if got := (KeyFacts{Saved: c.saved}).AgeWords(now); got != c.words {
			t.Errorf("%v: %q, want %q", c.saved, got, c.words)
		}
	}
}
