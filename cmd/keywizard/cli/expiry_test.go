package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"keywizard/wizard"
	"keywizard/wizard/portal/portaltest"
)

func inDays(n int) string { return time.Now().AddDate(0, 0, n).Format("2006-01-02") }

func TestParseDays(t *testing.T) {
	for in, want := range map[string]int{"30d": 30, "30": 30, "2w": 14, "720h": 30, "1h": 1, "0d": 0, " 7D ": 7} {
		if got, err := parseDays(in); err != nil || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "soon", "-3d", "1m", "99999d"} {
		if _, err := parseDays(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestCheckExpiring(t *testing.T) {
	e := newPlanEnv(t)
	ms := examples(t, "microsoft")
	ms["expiresOn"] = inDays(12)
	storeKeys(t, e.store, "microsoft", ms)
	storeKeys(t, e.store, "telegram", examples(t, "telegram"))
	e.checker.answers["microsoft"] = wizard.CheckResult{OK: true, Message: "secret accepted"}
	e.checker.answers["telegram"] = wizard.CheckResult{OK: true, Message: "token accepted"}

	// Without --expiring, the expiry is said but does not fail the job.
	out, errOut, code := e.run(t, "", "check", "--all", "--json")
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	var got []checkOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	byID := map[string]checkOut{}
	for _, r := range got {
		byID[r.Service] = r
	}
	if m := byID["microsoft"]; m.Expiry == nil || m.Expiry.Days != 12 || m.Expiring || !m.OK {
		t.Fatalf("microsoft %+v", m)
	}
	if tg := byID["telegram"]; tg.Expiry != nil || !strings.Contains(out, `"message": "token accepted"`) {
		t.Fatalf("telegram %+v", tg)
	}
	// Within the window: exit 1, and the JSON says which.
	out, _, code = e.run(t, "", "check", "--all", "--json", "--expiring", "30d")
	if code != ExitInvalid || !strings.Contains(out, `"expiring": true`) {
		t.Fatalf("30d: exit %d\n%s", code, out)
	}
	if _, _, code = e.run(t, "", "check", "--all", "--json", "--expiring", "11d"); code != 0 {
		t.Fatalf("11d: exit %d", code)
	}
	out, _, code = e.run(t, "", "check", "microsoft", "--expiring", "2w")
	if code != ExitInvalid || !strings.Contains(out, "expiry: expires in 12 days ("+inDays(12)+"): within 14 days; create a new secret") {
		t.Fatalf("text: exit %d\n%s", code, out)
	}
	// A failed key still fails, and an unreachable service with an
	// expiring key is a failure (1), not "not judged" (3).
	e.checker.answers["telegram"] = wizard.CheckResult{Message: "could not reach Telegram", Unreachable: true}
	if _, _, code = e.run(t, "", "check", "--all", "--expiring", "30d"); code != ExitInvalid {
		t.Fatalf("unreachable + expiring: exit %d", code)
	}
	if _, _, code = e.run(t, "", "check", "--all", "--expiring", "5d"); code != ExitFailed {
		t.Fatalf("unreachable only: exit %d", code)
	}
	if _, errOut, code = e.run(t, "", "check", "--all", "--expiring", "soon"); code != ExitUsage || !strings.Contains(errOut, "30d") {
		t.Fatalf("bad window: exit %d %q", code, errOut)
	}
	// A Google app in Testing counts as expiring within a week.
	g := examples(t, "google")
	g["publishingStatus"] = "Testing"
	storeKeys(t, e.store, "google", g)
	e.checker.answers["google"] = wizard.CheckResult{OK: true, Message: "accepted"}
	if out, _, code = e.run(t, "", "check", "google", "--expiring", "7d"); code != ExitInvalid || !strings.Contains(out, "app in Testing") {
		t.Fatalf("testing: exit %d\n%s", code, out)
	}
	if _, _, code = e.run(t, "", "check", "google", "--expiring", "6d"); code != 0 {
		t.Fatalf("testing, 6d: exit %d", code)
	}
}

func TestStatusSaysWhenKeysExpire(t *testing.T) {
	e := newPlanEnv(t)
	srv := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace})
	login(t, e.store, srv)
	ms := examples(t, "microsoft")
	ms["expiresOn"] = inDays(12)
	storeKeys(t, e.store, "microsoft", ms)
	out, errOut, code := e.run(t, "", "status")
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	line := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "microsoft") {
			line = l
		}
	}
	if !strings.HasSuffix(line, "portal: not set; expires in 12 days") {
		t.Fatalf("microsoft line %q in\n%s", line, out)
	}
	out, _, _ = e.run(t, "", "status", "--json")
	var rows []serviceStatusJSON
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if (r.Service == "microsoft") != (r.Expiry != nil) || r.Service == "microsoft" && r.Expiry.Days != 12 {
			t.Errorf("%s expiry %+v", r.Service, r.Expiry)
		}
	}
	// What the portal held is kept for the plan and the report, for the
	// services stored here only.
	p := e.load(t)
	if s := p.Services["microsoft"]; s == nil || s.Portal == nil || s.Portal.OK || s.Portal.Message != "not set" {
		t.Fatalf("recorded %+v", p.Services["microsoft"])
	}
	if p.Services["google"] != nil {
		t.Errorf("a service with nothing here or there was recorded")
	}
}

func TestKeysSetRecordsTheFacts(t *testing.T) {
	e := newPlanEnv(t)
	ms := examples(t, "microsoft")
	ms["expiresOn"] = inDays(200)
	in, _ := json.Marshal(ms)
	if _, errOut, code := e.run(t, string(in), "keys", "set", "microsoft", "--values", "-"); code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	k := e.load(t).Services["microsoft"].Keys
	if k == nil || k.Expires != inDays(200) || time.Since(k.Saved) > time.Minute {
		t.Fatalf("facts %+v", k)
	}
	first := k.Saved
	// The same keys again keep their date; a new secret gets a new one.
	time.Sleep(10 * time.Millisecond)
	e.run(t, string(in), "keys", "set", "microsoft", "--values", "-")
	if k := e.load(t).Services["microsoft"].Keys; !k.Saved.Equal(first) {
		t.Fatalf("unchanged keys got a new date: %v, was %v", k.Saved, first)
	}
	e.run(t, `{"expiresOn":"`+inDays(300)+`"}`, "keys", "set", "microsoft", "--values", "-")
	if k := e.load(t).Services["microsoft"].Keys; k.Saved.Equal(first) || k.Expires != inDays(300) {
		t.Fatalf("changed keys: %+v", k)
	}
}
