package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"keywizard/providers"
	"keywizard/wizard"
)

// parseDays reads --expiring: "30d", "2w", "30" (days) or hours such as
// "720h", rounded up to whole days.
func parseDays(s string) (int, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	mult := 1
	switch {
	case strings.HasSuffix(s, "d"):
		s = strings.TrimSuffix(s, "d")
	case strings.HasSuffix(s, "w"):
		s, mult = strings.TrimSuffix(s, "w"), 7
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 3650 {
		return n * mult, nil
	}
	// Hours only: "1m" could mean a month as well as a minute.
	if h, err := strconv.Atoi(strings.TrimSuffix(s, "h")); err == nil && strings.HasSuffix(s, "h") && mult == 1 && h >= 0 && h <= 3650*24 {
		return (h + 23) / 24, nil
	}
	return 0, errors.New("--expiring takes a number of days such as 30d, 2w or 720h")
}

// checkExpiry is the expiry watch's part of 'check': each checked
// service's expiry, and whether one falls within the --expiring window.
type checkExpiry struct {
	days   int // -1: no --expiring
	expiry map[string]*wizard.Expiry
}

// expiriesOf reads the expiry facts of the checked services: from values
// when one service was checked with --values, else from the stored keys.
func expiriesOf(ctx context.Context, d Deps, results []wizard.CheckResult, values map[string]string, days int) checkExpiry {
	ce := checkExpiry{days: days, expiry: map[string]*wizard.Expiry{}}
	now := time.Now()
	for _, r := range results {
		p, ok := providers.Lookup(r.Service)
		if !ok {
			continue
		}
		vals := values
		if vals == nil {
			var err error
			if vals, err = loadValues(ctx, d, p, ""); err != nil {
				continue
			}
		}
		if e := wizard.ExpiryOf(wizard.FactsOf(p, vals, time.Time{}), now); e != nil {
			ce.expiry[p.ID] = e
		}
	}
	return ce
}

// expiring reports whether a service's keys expire within the window.
func (ce checkExpiry) expiring(id string) bool {
	return ce.days >= 0 && ce.expiry[id].Within(ce.days)
}

// any reports whether some key expires within the window.
func (ce checkExpiry) any() bool {
	for id := range ce.expiry {
		if ce.expiring(id) {
			return true
		}
	}
	return false
}

// checkOut is a check result with its expiry, as --json prints it.
type checkOut struct {
	wizard.CheckResult
	Expiry   *wizard.Expiry `json:"expiry,omitempty"`
	Expiring bool           `json:"expiring,omitempty"` // within the --expiring window
}

func (ce checkExpiry) out(r wizard.CheckResult) checkOut {
	return checkOut{CheckResult: r, Expiry: ce.expiry[r.Service], Expiring: ce.expiring(r.Service)}
}

// printExpiry adds the expiry line to a check's text.
func (ce checkExpiry) printExpiry(d Deps, id string) {
	e := ce.expiry[id]
	if e == nil {
		return
	}
	line := e.Words()
	if e.Date != "" {
		line += " (" + e.Date + ")"
	}
	if ce.expiring(id) {
		line += fmt.Sprintf(": within %d days; %s", ce.days, e.Fix())
	}
	fmt.Fprintf(d.Stdout, "  expiry: %s\n", line)
}

// expiryNote is the end of a 'status' line: "; expires in 12 days".
func expiryNote(e *wizard.Expiry) string {
	if e == nil {
		return ""
	}
	return "; " + e.Words()
}

// statusExpiry is the expiry of a service's stored values, for 'status'.
func statusExpiry(p providers.Provider, local map[string]string) *wizard.Expiry {
	return wizard.ExpiryOf(wizard.FactsOf(p, local, time.Time{}), time.Now())
}

// recordPortalSeen keeps what 'status' read on the portal, for the plan and
// the report: for services stored here or held there, in one write.
func recordPortalSeen(d Deps, rows []serviceStatusJSON) {
	seen := map[string]wizard.Outcome{}
	for _, r := range rows {
		held := r.State != "not set" && r.State != "not offered"
		if !held && r.Local == "none" {
			continue
		}
		msg := r.State
		if r.Portal != "" {
			msg += " on " + r.Portal
		}
		seen[r.Service] = wizard.Outcome{OK: held, Message: msg}
	}
	warnProgress(d, d.flow().Recorder().PortalSeen(seen))
}
