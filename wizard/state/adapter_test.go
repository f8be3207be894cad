package state

import (
	"os"
	"strings"
	"testing"
	"time"

	"keywizard/wizard"
)

// What the flow records lands in the file's own fields, the format on
// disk unchanged, and what the flow does not touch stays as it was.
func TestStoreMapsEveryField(t *testing.T) {
	f := File{Dir: t.TempDir()}
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	p := New()
	p.Settings.LastService = "s3"
	s := p.Service("telegram")
	s.Status, s.Filled = wizard.Verified, []string{"telegramBotToken"}
	s.Push = &Outcome{OK: true, Message: "pushed", At: at}
	if err := f.Save(p); err != nil {
		t.Fatal(err)
	}
	r := wizard.Recorder{Store: Store{File: f}, Now: func() time.Time { return at }}
	tg := wizard.ChosenPlan{Goals: []string{}, Product: "docspace", Chosen: at}
	if err := r.SavePlan(tg); err != nil {
		t.Fatal(err)
	}
	if err := r.PortalSeen(map[string]wizard.Outcome{"telegram": {OK: true, Message: "set on portal"}}); err != nil {
		t.Fatal(err)
	}
	got, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got.Settings.LastService != "s3" || got.Settings.Plan == nil || got.Settings.Plan.Product != "docspace" || got.Settings.Plan.Goals == nil {
		t.Fatalf("settings %+v", got.Settings)
	}
	gs := got.Services["telegram"]
	if gs.Status != wizard.Verified || gs.Push == nil || gs.Push.Message != "pushed" || gs.Portal == nil || !gs.Portal.At.Equal(at) {
		t.Fatalf("telegram %+v", gs)
	}
	path, _ := f.Path()
	data, _ := os.ReadFile(path)
	for _, want := range []string{`"plan": {`, `"goals": []`, `"portal": {`, `"message": "set on portal"`, `"last_service": "s3"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the file lacks %s:\n%s", want, data)
		}
	}

	// Key facts written by the flow read back through the store.
	if err := (Store{File: f}).Update(func(p *wizard.Progress) error {
		p.Service("telegram").Keys = &wizard.KeyFacts{Saved: at, Expires: "2027-01-01"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	wp, err := (Store{File: f}).Load()
	if err != nil {
		t.Fatal(err)
	}
	if k := wp.Services["telegram"].Keys; k == nil || k.Expires != "2027-01-01" || !k.Saved.Equal(at) {
		t.Fatalf("facts %+v", k)
	}
	if wp.Settings.Plan == nil || wp.Settings.Plan.Product != "docspace" {
		t.Fatalf("plan read back %+v", wp.Settings.Plan)
	}
}
