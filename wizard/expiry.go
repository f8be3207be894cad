package wizard

import (
	"fmt"
	"strconv"
	"time"

	"keywizard/providers"
)

// KeyFacts are what the expiry watch keeps about a service's keys. None of
// it is secret: when the keys were stored, the end date the console shows
// for the secret, and whether a Google app is still in Testing.
type KeyFacts struct {
	Saved   time.Time `json:"saved,omitzero"`    // when the keys were stored
	Expires string    `json:"expires,omitempty"` // the secret's end date, 2006-01-02
	Testing bool      `json:"testing,omitempty"` // a Google app in Testing: refresh tokens last 7 days
}

// TestingDays is how long Google's refresh tokens last while the app is in
// Testing.
const TestingDays = 7

// FactsOf reads the expiry facts from a service's values: the Local expiry
// date and publishing status fields, which are never sent to the portal.
// saved is when the values were stored.
func FactsOf(p providers.Provider, values map[string]string, saved time.Time) KeyFacts {
	f := KeyFacts{Saved: saved}
	if _, ok := p.Field(providers.ExpiresField); ok {
		if d, err := time.Parse(providers.DateLayout, values[providers.ExpiresField]); err == nil {
			f.Expires = d.Format(providers.DateLayout)
		}
	}
	if _, ok := p.Field(providers.PublishingField); ok {
		f.Testing = providers.InTesting(values[providers.PublishingField])
	}
	return f
}

// Expiry is when a service's keys stop working, as far as is known.
type Expiry struct {
	Date string `json:"date,omitempty"` // 2006-01-02; empty for Testing
	Days int    `json:"days"`           // days left, counted from today; negative once passed
	// Testing means no date: refresh tokens end TestingDays after each
	// sign-in, for as long as the Google app stays in Testing.
	Testing bool `json:"testing,omitempty"`
}

// ExpiryOf returns the expiry of a service's keys, or nil when nothing is
// known to expire.
func ExpiryOf(f KeyFacts, now time.Time) *Expiry {
	if f.Expires != "" {
		d, err := time.ParseInLocation(providers.DateLayout, f.Expires, now.Location())
		if err == nil {
			y, m, day := now.Date()
			today := time.Date(y, m, day, 0, 0, 0, 0, now.Location())
			days := int(d.Sub(today).Round(24*time.Hour) / (24 * time.Hour))
			return &Expiry{Date: f.Expires, Days: days}
		}
	}
	if f.Testing {
		return &Expiry{Days: TestingDays, Testing: true}
	}
	return nil
}

// Within reports whether the keys stop working within the given days.
func (e *Expiry) Within(days int) bool { return e != nil && e.Days <= days }

// Words say it as the list and status do: "expires in 12 days".
func (e *Expiry) Words() string {
	switch {
	case e == nil:
		return ""
	case e.Testing:
		return fmt.Sprintf("app in Testing: sign-ins last %d days", TestingDays)
	case e.Days < -1:
		return "expired " + strconv.Itoa(-e.Days) + " days ago"
	case e.Days == -1:
		return "expired yesterday"
	case e.Days == 0:
		return "expires today"
	case e.Days == 1:
		return "expires tomorrow"
	}
	return "expires in " + strconv.Itoa(e.Days) + " days"
}

// Urgent reports whether the expiry deserves a warning now: passed, within
// a month, or an app in Testing.
func (e *Expiry) Urgent() bool { return e != nil && (e.Testing || e.Days <= 30) }

// Fix says what to do about it.
func (e *Expiry) Fix() string {
	switch {
	case e == nil:
		return ""
	case e.Testing:
		return `publish the app: "Publish app" on the Audience page of the Google Cloud console`
	}
	return "create a new secret in the console, store it with its new date, and push it"
}

// AgeDays is how many whole days ago the keys were stored; false when not
// known.
func (f KeyFacts) AgeDays(now time.Time) (int, bool) {
	if f.Saved.IsZero() {
		return 0, false
	}
	return max(int(now.Sub(f.Saved)/(24*time.Hour)), 0), true
}

// AgeWords says how old the keys are: "keys stored 40 days ago".
func (f KeyFacts) AgeWords(now time.Time) string {
	d, ok := f.AgeDays(now)
	switch {
	case !ok:
		return ""
	case d == 0:
		return "keys stored today"
	case d == 1:
		return "keys stored yesterday"
	}
	return "keys stored " + strconv.Itoa(d) + " days ago"
}
