package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/portal/portaltest"
	"keywizard/wizard/state"
)

// planCatalogue has services of several questions, Bitly among them,
// which DocSpace no longer offers.
func planCatalogue(t *testing.T) []providers.Provider {
	t.Helper()
	var out []providers.Provider
	for _, id := range []string{"google", "microsoft", "s3", "telegram", "bitly"} {
		p, ok := providers.Lookup(id)
		if !ok {
			t.Fatalf("no %s", id)
		}
		out = append(out, p)
	}
	return out
}

func goalBox(t *testing.T, w *window, words string) *widget.Check {
	t.Helper()
	gs, ok := w.panel.(*goalsScreen)
	if !ok {
		t.Fatalf("the goals are not shown: %T", w.panel)
	}
	for _, b := range gs.boxes {
		if strings.HasPrefix(b.Text, words) {
			return b
		}
	}
	t.Fatalf("no goal %q", words)
	return nil
}

func TestFirstRunOfflineToPlan(t *testing.T) {
	prog := &FileProgress{File: state.File{Dir: t.TempDir()}}
	w := newTestWindow(t, Deps{Store: newMemStore(), Progress: prog}, Options{}, planCatalogue(t))
	if _, ok := w.panel.(*welcome); !ok {
		t.Fatalf("a first run opens on %T, not the welcome", w.panel)
	}
	mustText(t, w, "Welcome to Keywizard")
	if !button(t, w, "Next: what do you want?").Disabled() {
		t.Fatal("Next is on without a portal")
	}
	test.Tap(button(t, w, "Work offline"))
	mustText(t, w, "What do you want the portal to do?")
	mustText(t, w, "Let people sign in with an account they already have")
	make := button(t, w, "Make the plan")
	if !make.Disabled() {
		t.Fatal("a plan of nothing can be made")
	}
	test.Tap(goalBox(t, w, "Keep backups in Amazon S3"))
	test.Tap(goalBox(t, w, "Sign in with Google"))
	test.Tap(goalBox(t, w, "Connect Google Drive"))
	if make.Disabled() {
		t.Fatal("Make the plan is still off")
	}
	test.Tap(make)
	w.run.wait()
	if _, ok := w.panel.(*planScreen); !ok {
		t.Fatalf("the plan is not shown: %T", w.panel)
	}
	mustText(t, w, "Working offline, every service shown: 2 of 2 to do, about 40 minutes.")
	mustText(t, w, "1. Google · about 20 min · not started")
	mustText(t, w, "For: Sign in with Google; Connect Google Drive to the documents.")
	mustText(t, w, "2. Amazon AWS S3 · about 20 min")
	mustText(t, w, "An AWS account that may create IAM users and S3 buckets.")
	for _, o := range objects(w.panel.(*planScreen).body) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "Telegram") {
			t.Error("a service nobody asked for is in the plan")
		}
	}
	saved, err := prog.LoadAll()
	if err != nil || saved.Settings.Plan == nil || strings.Join(saved.Settings.Plan.Goals, " ") != "signin:google storage:google backup:s3" {
		t.Fatalf("plan saved %+v %v", saved.Settings.Plan, err)
	}

	// The plan leads to the service, and stays one click away.
	test.Tap(button(t, w, "Start Google"))
	if w.current == nil || w.current.p.ID != "google" {
		t.Fatalf("Start opened %v", w.current)
	}
	test.Tap(button(t, w, "Plan"))
	if _, ok := w.panel.(*planScreen); !ok {
		t.Fatalf("Plan shows %T", w.panel)
	}
	test.Tap(button(t, w, "All services"))
	if w.current == nil {
		t.Fatal("All services shows no service")
	}

	// The next start opens on the plan, from the same file.
	again := newTestWindow(t, Deps{Store: newMemStore(), Progress: &FileProgress{File: prog.File}}, Options{}, planCatalogue(t))
	if _, ok := again.panel.(*planScreen); !ok {
		t.Fatalf("the second start opens on %T, not the plan", again.panel)
	}
	// Asked for a service, the window opens on it.
	asked := newTestWindow(t, Deps{Progress: &FileProgress{File: prog.File}}, Options{Service: "s3"}, planCatalogue(t))
	if asked.current == nil || asked.current.p.ID != "s3" {
		t.Fatalf("--service s3 opened %v", asked.current)
	}
}

func TestNoWelcomeOnceStartedOrSkipped(t *testing.T) {
	dir := t.TempDir()
	p := state.New()
	p.Service("telegram").Step = 2
	if err := (state.File{Dir: dir}).Save(p); err != nil {
		t.Fatal(err)
	}
	w := newTestWindow(t, Deps{Progress: &FileProgress{File: state.File{Dir: dir}}}, Options{}, planCatalogue(t))
	if w.panel != nil || w.current == nil {
		t.Fatalf("a started set-up opens on %T", w.panel)
	}

	fresh := &FileProgress{File: state.File{Dir: t.TempDir()}}
	w = newTestWindow(t, Deps{Progress: fresh}, Options{}, planCatalogue(t))
	test.Tap(button(t, w, "Work offline"))
	test.Tap(button(t, w, "Show all services instead"))
	w.run.wait()
	if w.current == nil {
		t.Fatal("skipping shows no service")
	}
	w = newTestWindow(t, Deps{Progress: &FileProgress{File: fresh.File}}, Options{}, planCatalogue(t))
	if w.panel != nil {
		t.Fatalf("after skipping, the window opens on %T", w.panel)
	}
}

func TestFirstRunFromThePortal(t *testing.T) {
	srv := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace, Version: "3.7.2.1461"})
	srv.SetKeys("google", map[string]string{"googleClientId": goodID, "googleClientSecret": goodSecret})
	prog := &FileProgress{File: state.File{Dir: t.TempDir()}}
	// The command line pushed Google's keys once; nothing is stored here.
	p := state.New()
	p.Service("google").Push = &state.Outcome{OK: true, Message: "pushed", At: time.Now().Add(-time.Hour)}
	if err := prog.File.Save(p); err != nil {
		t.Fatal(err)
	}
	ps := &PortalFiles{Dir: t.TempDir(), Timeout: 5 * time.Second}
	w := newTestWindow(t, Deps{Store: newMemStore(), Progress: prog, Portals: ps}, Options{}, planCatalogue(t))
	wl, ok := w.panel.(*welcome)
	if !ok || wl.cs == nil {
		t.Fatalf("a first run opens on %T", w.panel)
	}
	cs := wl.cs
	test.Type(cs.url, srv.URL)
	enter(cs.url)
	w.run.wait()
	mustText(t, w, "Found ONLYOFFICE DocSpace 3.7.2.1461.")
	test.Type(cs.user, portaltest.DefaultUser)
	test.Type(cs.password, portaltest.DefaultPassword)
	enter(cs.password)
	w.run.wait()
	// Signed in and the keys read: the goals come next, for this portal.
	if _, ok := w.panel.(*goalsScreen); !ok {
		t.Fatalf("after signing in the window shows %T", w.panel)
	}
	mustText(t, w, "Services this portal does not offer are not shown.")
	g := goalBox(t, w, "Sign in with Google")
	if !g.Checked || g.Text != "Sign in with Google · about 20 min (already on the portal)" {
		t.Fatalf("google: %q checked %v", g.Text, g.Checked)
	}
	// Unticked by the admin, it stays unticked when the portal's keys are
	// read again; ticked again, it goes into the plan.
	test.Tap(g)
	w.panel.portalChanged()
	if g.Checked {
		t.Fatal("a new reading of the portal ticked Google again after the admin unticked it")
	}
	test.Tap(g)
	for _, b := range w.panel.(*goalsScreen).boxes {
		if strings.Contains(b.Text, "Bitly") && b.Visible() {
			t.Fatal("DocSpace 3.7 has no Bitly, yet it is offered")
		}
	}
	test.Tap(goalBox(t, w, "Send notifications to Telegram"))
	test.Tap(button(t, w, "Make the plan"))
	w.run.wait()
	mustText(t, w, "1. Google · about 20 min · on the portal")
	mustText(t, w, "2. Telegram · about 5 min")
	mustText(t, w, "1 of 2 to do, about 5 minutes.")
	if !button(t, w, "Start Telegram").Visible() || button(t, w, "Start Telegram").Importance != widget.HighImportance {
		t.Error("the next step is not the one to press")
	}
	// The report says what the portal holds as it was just read.
	test.Tap(button(t, w, "Set-up report"))
	w.run.wait()
	mustText(t, w, "portal:   set on portal ("+portalName(srv.URL)+") (read ")
}

func TestOfflinePlanUsesWhatStatusSaw(t *testing.T) {
	dir := t.TempDir()
	p := state.New()
	p.Settings.Plan = &state.Plan{Goals: []string{"notifications:telegram", "backup:s3"}}
	p.Service("telegram").Portal = &state.Outcome{OK: true, Message: "set", At: time.Now()}
	if err := (state.File{Dir: dir}).Save(p); err != nil {
		t.Fatal(err)
	}
	w := newTestWindow(t, Deps{Progress: &FileProgress{File: state.File{Dir: dir}}}, Options{}, planCatalogue(t))
	if _, ok := w.panel.(*planScreen); !ok {
		t.Fatalf("opens on %T", w.panel)
	}
	mustText(t, w, "1. Amazon AWS S3 · about 20 min · not started")
	mustText(t, w, "2. Telegram · about 5 min · on the portal")
	mustText(t, w, "1 of 2 to do, about 20 minutes.")
}

func TestExpiryInTheListAndOnThePage(t *testing.T) {
	ms, _ := providers.Lookup("microsoft")
	store := newMemStore()
	for _, f := range ms.Fields {
		if f.Example != "" {
			store.m["microsoft/"+f.ID] = f.Example
		}
	}
	store.m["microsoft/expiresOn"] = time.Now().AddDate(0, 0, 12).Format("2006-01-02")
	w := newTestWindow(t, Deps{Store: store, Progress: &memProgress{m: map[string]Saved{}}}, Options{Service: "microsoft"}, planCatalogue(t))
	mustText(t, w, "The secret expires in 12 days ("+store.m["microsoft/expiresOn"]+"): create a new secret in the console")
	row := ""
	for i, r := range w.list.rows {
		if r.id == "microsoft" {
			o := w.list.list.CreateItem()
			w.list.updateItem(i, o)
			for _, x := range objects(o) {
				if l, ok := x.(*widget.Label); ok && strings.Contains(l.Text, "expires") {
					row = l.Text
					if l.Importance != widget.WarningImportance {
						t.Errorf("the list's word is not a warning")
					}
				}
			}
		}
	}
	if !strings.HasSuffix(row, " · expires in 12 days") {
		t.Fatalf("list row %q", row)
	}
	// A date far off is said quietly on the page and not at all in the list.
	store.m["microsoft/expiresOn"] = time.Now().AddDate(0, 8, 0).Format("2006-01-02")
	w = newTestWindow(t, Deps{Store: store}, Options{Service: "microsoft"}, planCatalogue(t))
	if w.expiryWord("microsoft") != "" {
		t.Errorf("list word %q for a date months ahead", w.expiryWord("microsoft"))
	}
	mustText(t, w, "The secret expires in ")
}

func TestSaveRecordsTheFactsAndTheReportHoldsNoSecret(t *testing.T) {
	prog := &FileProgress{File: state.File{Dir: t.TempDir()}}
	store := newMemStore()
	w := newTestWindow(t, Deps{Store: store, Progress: prog}, Options{Service: "microsoft"}, planCatalogue(t))
	s := w.services["microsoft"]
	ms := s.p
	canary := "Zq91Q~canaryCanaryCanaryCanaryCanary1234"
	for _, f := range ms.Fields {
		if f.Example != "" {
			_ = s.sess.Set(f.ID, f.Example)
		}
	}
	_ = s.sess.Set("microsoftClientSecret", canary)
	due := time.Now().AddDate(0, 0, 20).Format("2006-01-02")
	_ = s.sess.Set("expiresOn", due)
	test.Tap(button(t, w, "I already have the keys"))
	w.run.wait()
	test.Tap(w.screen.form.save)
	w.run.wait()
	p, _ := prog.LoadAll()
	k := p.Services["microsoft"].Keys
	if k == nil || k.Expires != due || time.Since(k.Saved) > time.Minute {
		t.Fatalf("facts %+v", k)
	}
	if store.get("microsoft", "microsoftClientSecret") != canary {
		t.Fatal("the secret was not stored")
	}
	// Pretend an engine recorded a verdict quoting the secret.
	p.Service("microsoft").Check = &state.Outcome{OK: true, Message: "accepted " + canary, At: time.Now()}
	p.Service("microsoft").Status = wizard.Verified
	if err := prog.File.Save(p); err != nil {
		t.Fatal(err)
	}
	w.onReport()
	w.run.wait()
	mustText(t, w, "Microsoft (sign-in): verified")
	mustText(t, w, "expires in 20 days")
	for _, o := range windowObjects(w) {
		if e, ok := o.(*valueEntry); ok && strings.Contains(e.Text, canary) {
			t.Fatal("the report shows the secret")
		}
	}
	noSecretShown(t, w, canary)
	var report string
	for _, o := range windowObjects(w) {
		if e, ok := o.(*valueEntry); ok && strings.Contains(e.Text, "set-up report") {
			report = e.Text
		}
	}
	if !strings.Contains(report, "accepted <redacted>") {
		t.Fatalf("report:\n%s", report)
	}
}
