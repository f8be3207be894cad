package state

import (
	"testing"
	"time"

	"keywizard/wizard"
)

func TestRecordsAndStarted(t *testing.T) {
	p := New()
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
	s.Check = &Outcome{OK: true, Message: "accepted", At: at}
	s.Keys = &wizard.KeyFacts{Saved: at, Expires: "2027-01-01"}
	if !p.Started() {
		t.Fatal("filled fields do not count as started")
	}
	recs := p.Records()
	if len(recs) != 2 || recs[1].Service != "telegram" || recs[1].Check.Message != "accepted" || recs[1].Keys.Expires != "2027-01-01" || recs[0].Check != nil {
		t.Fatalf("records %+v", recs)
	}
}
