package wizard_test

import (
	"testing"
	"time"

	"keywizard/providers"
	"keywizard/wizard"
)

// The date the keys were stored on moves only when the keys changed: the
// same keys stored again keep it, whichever face stores them.
func TestKeysStoredMovesTheDateOnlyForNewKeys(t *testing.T) {
	ms, _ := providers.Lookup("microsoft")
	clock := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	m := &memProgress{}
	r := wizard.Recorder{Store: m, Now: func() time.Time { return clock }}
	facts := func() wizard.KeyFacts {
		t.Helper()
		p, err := r.Load()
		if err != nil || p.Services["microsoft"] == nil || p.Services["microsoft"].Keys == nil {
			t.Fatalf("no facts: %+v, %v", p, err)
		}
		return *p.Services["microsoft"].Keys
	}
	values := map[string]string{"microsoftClientId": "id", providers.ExpiresField: "2027-03-01"}

	// Unchanged keys with no date known keep it unknown.
	if err := r.KeysStored(ms, values, false); err != nil {
		t.Fatal(err)
	}
	if f := facts(); !f.Saved.IsZero() || f.Expires != "2027-03-01" {
		t.Fatalf("same keys, no date before: %+v", f)
	}
	first := clock
	if err := r.KeysStored(ms, values, true); err != nil {
		t.Fatal(err)
	}
	if f := facts(); !f.Saved.Equal(first) {
		t.Fatalf("new keys: stored on %v, want %v", f.Saved, first)
	}
	clock = clock.Add(48 * time.Hour)
	values[providers.ExpiresField] = "2027-06-01"
	if err := r.KeysStored(ms, values, false); err != nil {
		t.Fatal(err)
	}
	if f := facts(); !f.Saved.Equal(first) || f.Expires != "2027-06-01" {
		t.Fatalf("the same keys again: %+v; want stored on %v and the new end date", f, first)
	}
	if err := r.KeysStored(ms, values, true); err != nil {
		t.Fatal(err)
	}
	if f := facts(); !f.Saved.Equal(clock) {
		t.Fatalf("changed keys: stored on %v, want %v", f.Saved, clock)
	}
	if !m.p.Services["microsoft"].Updated.Equal(clock) {
		t.Fatal("storing keys does not date the progress")
	}
}

func TestRecorderPlanPortalAndLoad(t *testing.T) {
	at := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	m := &memProgress{}
	r := wizard.Recorder{Store: m, Now: func() time.Time { return at }}
	if p, err := (wizard.Recorder{}).Load(); err != nil || p == nil || p.Services == nil || p.Started() {
		t.Fatalf("a recorder without a store loads %+v, %v", p, err)
	}
	if err := (wizard.Recorder{}).SavePlan(wizard.ChosenPlan{}); err != nil {
		t.Fatal(err)
	}
	pl := wizard.ChosenPlan{Goals: []string{"signin:google"}, Product: "workspace", Version: "12.5.2", Chosen: at}
	if err := r.SavePlan(pl); err != nil {
		t.Fatal(err)
	}
	if err := r.PortalSeen(map[string]wizard.Outcome{"telegram": {OK: true, Message: "set on portal"}, "bitly": {Message: "not offered"}}); err != nil {
		t.Fatal(err)
	}
	if err := r.PortalSeen(nil); err != nil {
		t.Fatal(err)
	}
	p, err := r.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Settings.Plan; got == nil || got.Goals[0] != "signin:google" || got.Product != "workspace" || !got.Chosen.Equal(at) {
		t.Fatalf("plan %+v", got)
	}
	if o := p.Services["telegram"].Portal; o == nil || !o.OK || o.Message != "set on portal" || !o.At.Equal(at) {
		t.Fatalf("seen on the portal: %+v", o)
	}
	if o := p.Services["bitly"].Portal; o == nil || o.OK {
		t.Fatalf("bitly seen: %+v", o)
	}
	if p.Started() {
		t.Fatal("what the portal holds is not a service begun here")
	}
	recs := p.Records()
	if len(recs) != 2 || recs[0].Service != "bitly" || recs[1].Portal == nil || recs[1].Portal.Message != "set on portal" {
		t.Fatalf("records %+v", recs)
	}
}

func TestRecordsAndStarted(t *testing.T) {
	p := wizard.NewProgress()
	if p.Started() {
		t.Fatal("empty progress started")
	}
	p.Service("box") // opened, nothing done
	if p.Started() {
		t.Fatal("a service merely listed counts as started")
	}
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	s := p.Service("telegram")
	s.Filled = []string{"telegramBotToken"}
	s.Check = &wizard.Outcome{OK: true, Message: "accepted", At: at}
	s.Keys = &wizard.KeyFacts{Saved: at, Expires: "2027-01-01"}
	if !p.Started() {
		t.Fatal("filled fields do not count as started")
	}
	recs := p.Records()
	if len(recs) != 2 || recs[1].Service != "telegram" || recs[1].Check.Message != "accepted" || recs[1].Keys.Expires != "2027-01-01" || recs[0].Check != nil {
		t.Fatalf("records %+v", recs)
	}
}

func TestSameKeys(t *testing.T) {
	for _, c := range []struct {
		a, b map[string]string
		same bool
	}{
		{nil, nil, true},
		{map[string]string{"id": "x"}, map[string]string{"id": "x"}, true},
		{map[string]string{"id": "x", "opt": ""}, map[string]string{"id": "x"}, true},
		{map[string]string{"id": "x"}, map[string]string{"id": "y"}, false},
		{map[string]string{"id": "x"}, map[string]string{"id": "x", "opt": "z"}, false},
		{nil, map[string]string{"id": "x"}, false},
	} {
		if got := wizard.SameKeys(c.a, c.b); got != c.same {
			t.Errorf("SameKeys(%v, %v) = %v", c.a, c.b, got)
		}
	}
}
