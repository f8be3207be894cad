package ui

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"keywizard/wizard"
	"keywizard/wizard/state"
)

// progressIn is the window's progress over the progress file in dir.
func progressIn(dir string) *FileProgress {
	return &FileProgress{Recorder: wizard.Recorder{Store: state.Store{File: state.File{Dir: dir}}}}
}

// seedProgress writes p into f's file, as another process would.
func seedProgress(t *testing.T, f *FileProgress, p *wizard.Progress) {
	t.Helper()
	if err := f.Recorder.Store.Update(func(q *wizard.Progress) error { *q = *p; return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestFileProgressRoundTripAndKeepsOtherServices(t *testing.T) {
	dir := t.TempDir()
	file := state.File{Dir: dir}
	fp := progressIn(dir)
	// The command line recorded a check for twilio earlier.
	p := wizard.NewProgress()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p.Service("twilio").Check = &wizard.Outcome{OK: true, Message: "the keys work", At: at}
	p.Service("twilio").Status = wizard.Verified
	seedProgress(t, fp, p)

	got, ok, err := fp.Load("twilio")
	if err != nil || !ok {
		t.Fatalf("Load twilio = %v, %v", ok, err)
	}
	if got.Status != wizard.Verified || got.Message != "the keys work" {
		t.Fatalf("Load twilio = %+v", got)
	}
	if _, ok, _ := fp.Load("google"); ok {
		t.Fatal("google has no progress yet")
	}
	if err := fp.Save("google", Saved{Step: 3, Status: wizard.InProgress}); err != nil {
		t.Fatal(err)
	}

	again, err := file.Load()
	if err != nil {
		t.Fatal(err)
	}
	if g := again.Services["google"]; g == nil || g.Step != 3 || g.Status != wizard.InProgress {
		t.Fatalf("google after Save = %+v", g)
	}
	if tw := again.Services["twilio"]; tw == nil || tw.Check == nil || tw.Check.Message != "the keys work" {
		t.Fatalf("twilio was lost: %+v", tw)
	}
	fresh := progressIn(dir)
	if g, ok, _ := fresh.Load("google"); !ok || g.Step != 3 {
		t.Fatalf("a new window sees google = %+v, %v", g, ok)
	}
}

func TestFileProgressDamagedFileStartsAfresh(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, state.FileName), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	fp := progressIn(dir)
	if _, ok, err := fp.Load("google"); ok || err == nil {
		t.Fatalf("Load on a damaged file = %v, %v; want nothing and an error", ok, err)
	}
	if err := fp.Save("google", Saved{Step: 1, Status: wizard.InProgress}); err != nil {
		t.Fatalf("Save after damage: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, state.FileName+".bad")); err != nil {
		t.Fatalf("the damaged file was not kept aside: %v", err)
	}
}

// The Redirect URL set in the window lives in the shared settings of the
// progress file, where the online checks of both faces read it; a value
// kept in the window's own preferences by an older version moves there.
func TestRedirectURLInSharedSettings(t *testing.T) {
	dir := t.TempDir()
	file := state.File{Dir: dir}
	a := test.NewTempApp(t)
	a.Preferences().SetString(PrefPortalRedirect, "https://portal.example.com/old-redirect")
	w := newWindow(a, Deps{Progress: progressIn(dir)}, Options{}, testCatalogue(t), func(r *runner) { r.queue() })
	w.run.wait()
	t.Cleanup(func() { w.run.close(); w.run.wait() })
	p, err := file.Load()
	if err != nil || p.Settings.PortalRedirect != "https://portal.example.com/old-redirect" {
		t.Fatalf("settings %+v, %v", p.Settings, err)
	}
	if a.Preferences().String(PrefPortalRedirect) != "" {
		t.Fatal("the old preference stays")
	}
	w.setRedirect("https://portal.example.com/own-redirect")
	w.run.wait()
	if p, _ := file.Load(); p.Settings.PortalRedirect != "https://portal.example.com/own-redirect" {
		t.Fatalf("settings %+v", p.Settings)
	}
	if w.redirectURL() != "https://portal.example.com/own-redirect" {
		t.Fatal("the steps do not use the new Redirect URL")
	}
}
