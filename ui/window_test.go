package ui

import (
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/portal"
)

const (
	goodID     = "123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com"
	goodSecret = "GOCSPX-AbCdEfGhIjKlMnOpQrStUvWxYz12"
)

func openFromList(t *testing.T, w *window, id string) {
	t.Helper()
	for i, r := range w.list.rows {
		if r.id == id {
			w.list.list.Select(i)
			if w.current == nil || w.current.p.ID != id {
				t.Fatalf("selecting %s opened %v", id, w.current)
			}
			return
		}
	}
	t.Fatalf("%s is not in the list", id)
}

func TestWalkThroughGoogle(t *testing.T) {
	store, prog := newMemStore(), &memProgress{m: map[string]Saved{}}
	checker := &fakeChecker{res: wizard.CheckResult{OK: true, Message: "secret accepted by Google",
		NotProven: "redirect URIs are checked by Test sign-in", Details: `{"error":"invalid_grant"}`,
		Identity: &wizard.Identity{ID: "project 42"}}}
	var opened []string
	open := func(u string) error { opened = append(opened, u); return errBrowser }
	w := newTestWindow(t, Deps{Store: store, Checker: checker, Open: open, Progress: prog}, Options{Service: "pemsvc"}, testCatalogue(t))

	openFromList(t, w, "google")
	mustText(t, w, "Step 1 of 6: Pick or create a project")
	test.Tap(w.screen.next)
	test.Tap(w.screen.next)
	test.Tap(w.screen.next)
	mustText(t, w, "Step 4 of 6: Create the OAuth client")
	test.Tap(w.screen.back)
	mustText(t, w, "Step 3 of 6: Set up the consent screen")
	mustText(t, w, "only listed test users can sign in") // the step's warning
	test.Tap(w.screen.next)
	if w.current.sess.Step != 3 {
		t.Fatalf("step %d, want 3", w.current.sess.Step)
	}
	w.run.wait()
	if got := prog.get("google"); got.Step != 3 || got.Status != wizard.InProgress {
		t.Fatalf("progress saved %+v", got)
	}

	// Copy says "Copied", then "Copy" again; the value is on the clipboard.
	copyBtn := button(t, w, "Copy")
	test.Tap(copyBtn)
	if copyBtn.Text != "Copied" {
		t.Fatalf("copy button says %q", copyBtn.Text)
	}
	if got := w.app.Clipboard().Content(); got != providers.DefaultRedirectURL {
		t.Fatalf("clipboard %q", got)
	}
	w.run.wait()
	if copyBtn.Text != "Copy" {
		t.Fatalf("copy button still says %q", copyBtn.Text)
	}
	mustText(t, w, "http://127.0.0.1:53682/callback") // the test redirect to add

	// The browser does not open: the address shows with Copy.
	test.Tap(button(t, w, "Open page"))
	w.run.wait()
	if len(opened) != 1 || !strings.Contains(opened[0], "auth/clients") {
		t.Fatalf("opened %v", opened)
	}
	mustText(t, w, "The browser did not open")

	// "I already have the keys" jumps to the form.
	test.Tap(w.screen.skip)
	f := w.screen.form
	if f == nil || !w.current.sess.AtForm() {
		t.Fatal("not at the form")
	}
	mustText(t, w, "Step 6 of 6: Paste the keys")
	if !w.screen.next.Disabled() || w.screen.skip.Visible() {
		t.Fatal("Next should be off and the skip link gone at the form")
	}
	id, secret := f.rows[0], f.rows[1]
	if !secret.entry.Password || id.entry.Password {
		t.Fatal("only the secret is masked")
	}

	// A wrong value: an error mark, one sentence, nothing can be saved.
	test.Type(id.entry, "GOCSPX-abc")
	if w.current.sess.Values["googleClientId"] != "GOCSPX-abc" {
		t.Fatal("session did not get the value")
	}
	if id.msg.Importance != widget.DangerImportance || !strings.Contains(id.msg.Text, "This is the client secret, not the client ID") {
		t.Fatalf("message %q (%v)", id.msg.Text, id.msg.Importance)
	}
	if !f.save.Disabled() || !f.verify.Disabled() || !strings.Contains(f.reason.Text, `"Client ID"`) {
		t.Fatalf("save should wait for Client ID: %q", f.reason.Text)
	}
	id.entry.SetText(goodID)
	if id.msg.Text != "Looks right." || id.msg.Importance != widget.SuccessImportance {
		t.Fatalf("good id: %q", id.msg.Text)
	}

	// Pasted with a trailing space: Trim fixes it.
	test.Type(secret.entry, goodSecret+" ")
	if !secret.trim.Visible() || secret.msg.Importance != widget.DangerImportance {
		t.Fatalf("trim not offered: %q", secret.msg.Text)
	}
	noSecretShown(t, w, goodSecret, "AbCdEfGhIj")
	test.Tap(secret.trim)
	if secret.entry.Text != goodSecret || w.current.sess.Values["googleClientSecret"] != goodSecret || secret.trim.Visible() {
		t.Fatalf("trim left %q", secret.entry.Text)
	}
	if w.status("google") != wizard.Valid || f.save.Disabled() || f.verify.Disabled() {
		t.Fatalf("status %s, save off %v", w.status("google"), f.save.Disabled())
	}

	// A warning shows in the warning colour and does not block.
	secret.entry.SetText("abcdefghijklmnopqrstuvwxyz")
	if secret.msg.Importance != widget.WarningImportance || f.save.Disabled() {
		t.Fatalf("warning: %q %v, save off %v", secret.msg.Text, secret.msg.Importance, f.save.Disabled())
	}
	secret.entry.SetText(goodSecret)

	// Save writes to the store.
	test.Tap(f.save)
	w.run.wait()
	if store.get("google", "googleClientSecret") != goodSecret || store.get("google", "googleClientId") != goodID {
		t.Fatal("not saved")
	}
	mustText(t, w, "Saved in the test keyring.")

	// Verify shows the card.
	test.Tap(f.verify)
	w.run.wait()
	mustText(t, w, "Verify passed")
	mustText(t, w, "Secret accepted by Google.")
	mustText(t, w, "Not proven by this check: Redirect URIs are checked by Test sign-in.")
	mustText(t, w, "Account: project 42")
	mustText(t, w, "Details")
	if w.status("google") != wizard.Verified || prog.get("google").Status != wizard.Verified {
		t.Fatalf("status %s, saved %+v", w.status("google"), prog.get("google"))
	}
	mustText(t, w, "1/2 ready")
	noSecretShown(t, w, goodSecret, "AbCdEfGhIj")
}

func TestSignInShowsURLThenResult(t *testing.T) {
	si := newFakeSignIn(wizard.SignInResult{OK: true, Message: "the redirect URI and the secret work",
		Identity: &wizard.Identity{Name: "Ada Admin", Email: "ada@example.com"}, Warnings: []string{"the app is in testing mode"},
		Product: "docspace", Proven: "DocSpace's own request was accepted.", NotProven: "The portal's redirect URL."})
	w := newTestWindow(t, Deps{SignIn: si}, Options{Service: "google"}, testCatalogue(t))
	test.Tap(w.screen.skip)
	f := w.screen.form
	f.rows[0].entry.SetText(goodID)
	f.rows[1].entry.SetText(goodSecret)
	if f.signIn.Disabled() {
		t.Fatalf("test sign-in is off: %q", f.reason.Text)
	}
	test.Tap(f.signIn)
	<-si.shown
	w.run.drain()
	mustText(t, w, "Waiting for you to sign in in the browser...")
	mustText(t, w, fakeAuthURL)
	mustText(t, w, "Cancel")
	close(si.release)
	w.run.wait()
	mustText(t, w, "Test sign-in passed")
	mustText(t, w, "Signed in as Ada Admin <ada@example.com>")
	mustText(t, w, "The app is in testing mode.")
	mustText(t, w, "Tested: DocSpace's own request.")
	mustText(t, w, "Proven: DocSpace's own request was accepted.")
	mustText(t, w, "Not proven: The portal's redirect URL.")
	if w.status("google") != wizard.Verified {
		t.Fatalf("status %s", w.status("google"))
	}
	noSecretShown(t, w, goodSecret)
}

// The test sign-in replays the request of the connected portal's product.
func TestSignInUsesConnectedProduct(t *testing.T) {
	si := newFakeSignIn(wizard.SignInResult{OK: true})
	w := newTestWindow(t, Deps{SignIn: si}, Options{Service: "google"}, testCatalogue(t))
	w.conn = newPortalConn(portal.Entry{URL: "https://docs.example.com", Product: portal.Workspace}, nil)
	test.Tap(w.screen.skip)
	f := w.screen.form
	f.rows[0].entry.SetText(goodID)
	f.rows[1].entry.SetText(goodSecret)
	test.Tap(f.signIn)
	<-si.shown
	close(si.release)
	w.run.wait()
	si.mu.Lock()
	defer si.mu.Unlock()
	if si.product != "workspace" {
		t.Fatalf("product %q", si.product)
	}
}

func TestCancelStopsWork(t *testing.T) {
	checker := &fakeChecker{block: true}
	si := newFakeSignIn(wizard.SignInResult{OK: true})
	w := newTestWindow(t, Deps{Checker: checker, SignIn: si}, Options{Service: "google"}, testCatalogue(t))
	test.Tap(w.screen.skip)
	f := w.screen.form
	f.rows[0].entry.SetText(goodID)
	f.rows[1].entry.SetText(goodSecret)

	test.Tap(f.verify)
	if w.current.job == nil {
		t.Fatal("no work in flight")
	}
	test.Tap(f.cancel)
	w.run.wait()
	if checker.cancelled() == nil {
		t.Fatal("the check's context was not cancelled")
	}
	mustText(t, w, "Cancelled: nothing was changed.")
	if w.current.sess.Checked != nil || w.current.job != nil {
		t.Fatal("a cancelled check left a verdict")
	}

	// Back cancels the test sign-in.
	test.Tap(f.signIn)
	<-si.shown
	test.Tap(w.screen.back)
	w.run.wait()
	si.mu.Lock()
	err := si.ctxErr
	si.mu.Unlock()
	if err == nil {
		t.Fatal("Back did not cancel the sign-in")
	}
}

func TestSwitchingServiceCancelsAndKeepsValues(t *testing.T) {
	checker := &fakeChecker{block: true}
	w := newTestWindow(t, Deps{Checker: checker}, Options{Service: "google"}, testCatalogue(t))
	test.Tap(w.screen.skip)
	w.screen.form.rows[0].entry.SetText(goodID)
	w.screen.form.rows[1].entry.SetText(goodSecret)
	test.Tap(w.screen.form.verify)
	openFromList(t, w, "pemsvc")
	w.run.wait()
	if checker.cancelled() == nil {
		t.Fatal("switching service did not cancel the check")
	}
	openFromList(t, w, "google")
	f := w.screen.form
	if f == nil || f.rows[0].entry.Text != goodID || f.rows[1].entry.Text != goodSecret {
		t.Fatal("values lost on switching service")
	}
}

func TestMultilineOptionalLocalAndNoLoopback(t *testing.T) {
	w := newTestWindow(t, Deps{Store: newMemStore(), Checker: &fakeChecker{}, SignIn: newFakeSignIn(wizard.SignInResult{})}, Options{Service: "pemsvc"}, testCatalogue(t))
	mustText(t, w, "Keys expire after a year.")
	test.Tap(w.screen.next)
	f := w.screen.form
	key, region, account := f.rows[0], f.rows[1], f.rows[2]
	if !key.entry.MultiLine || !key.entry.Password || key.load == nil {
		t.Fatal("the key wants a masked multiline entry with Load from file")
	}
	mustText(t, w, "Region (optional)")
	mustText(t, w, "Account (used only for Keywizard's checks, not sent to the portal)")
	key.entry.SetText("-----BEGIN KEY-----\nsecretbody\n-----END KEY-----")
	account.entry.SetText("acct")
	test.Type(region.entry, "moon")
	if region.msg.Importance != widget.WarningImportance {
		t.Fatalf("region: %q", region.msg.Text)
	}
	if f.save.Disabled() {
		t.Fatalf("a warning blocked Save: %q", f.reason.Text)
	}
	if !f.signIn.Disabled() || !strings.Contains(f.reason.Text, "impossible") || !strings.Contains(f.reason.Text, "Use Verify") {
		t.Fatalf("loopback none: %q", f.reason.Text)
	}
	noSecretShown(t, w, "secretbody")
}

func TestForgetClears(t *testing.T) {
	store, prog := newMemStore(), &memProgress{m: map[string]Saved{}}
	w := newTestWindow(t, Deps{Store: store, Progress: prog}, Options{Service: "google"}, testCatalogue(t))
	test.Tap(w.screen.skip)
	f := w.screen.form
	f.rows[0].entry.SetText(goodID)
	f.rows[1].entry.SetText(goodSecret)
	test.Tap(f.save)
	w.run.wait()
	if store.len() != 2 {
		t.Fatalf("store holds %d values", store.len())
	}
	test.Tap(f.forget)
	mustText(t, w, "Forget Google?")
	test.Tap(button(t, w, "Yes"))
	w.run.wait()
	if store.len() != 0 {
		t.Fatalf("store still holds %d values", store.len())
	}
	s := w.services["google"]
	if s.sess.Step != 0 || len(s.sess.Values) != 0 || w.status("google") != wizard.NotStarted {
		t.Fatalf("session not reset: %s", s.sess.Redacted())
	}
	if got := prog.get("google"); got.Step != 0 || got.Status != wizard.NotStarted {
		t.Fatalf("progress %+v", got)
	}
	mustText(t, w, "Step 1 of 6")
}

func TestSearchFiltersAndKeyboard(t *testing.T) {
	w := newTestWindow(t, Deps{}, Options{Service: "pemsvc"}, testCatalogue(t))
	if got := w.list.visibleIDs(); len(got) != 2 {
		t.Fatalf("visible %v", got)
	}
	test.Type(w.list.search, "goo")
	if got := w.list.visibleIDs(); len(got) != 1 || got[0] != "google" {
		t.Fatalf("visible %v", got)
	}
	if len(w.list.rows) != 2 || w.list.rows[0].header != providers.SignIn {
		t.Fatalf("rows %v", w.list.rows)
	}
	w.list.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if w.current.p.ID != "google" {
		t.Fatal("Enter in the search box did not open the match")
	}
	w.list.search.SetText("")
	if got := w.list.visibleIDs(); len(got) != 2 {
		t.Fatalf("visible %v", got)
	}
	w.list.search.SetText("nothing like it")
	if got := w.list.visibleIDs(); len(got) != 0 {
		t.Fatalf("visible %v", got)
	}
	w.list.search.SetText("")

	// Down in the search box moves to the list; arrows move, Enter opens.
	w.focus(w.list.search)
	w.list.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if w.win.Canvas().Focused() != w.list.list {
		t.Fatal("Down did not move to the list")
	}
	// rows: SIGN-IN, google, DOCUMENT STORAGE, pemsvc
	for range 3 {
		w.list.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	}
	w.list.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if w.current.p.ID != "pemsvc" {
		t.Fatalf("Enter opened %s", w.current.p.ID)
	}
}

func TestShortcutsMoveSteps(t *testing.T) {
	w := newTestWindow(t, Deps{}, Options{Service: "google"}, testCatalogue(t))
	next := &desktop.CustomShortcut{KeyName: fyne.KeyRight, Modifier: fyne.KeyModifierAlt}
	back := &desktop.CustomShortcut{KeyName: fyne.KeyLeftBracket, Modifier: fyne.KeyModifierShortcutDefault}
	w.win.Canvas().(fyne.Shortcutable).TypedShortcut(next)
	if w.current.sess.Step != 1 {
		t.Fatalf("step %d after Alt+Right", w.current.sess.Step)
	}
	w.list.search.TypedShortcut(next) // a focused entry passes them on
	if w.current.sess.Step != 2 {
		t.Fatalf("step %d after Alt+Right in the search box", w.current.sess.Step)
	}
	w.list.search.TypedShortcut(back)
	if w.current.sess.Step != 1 {
		t.Fatalf("step %d after Ctrl+[", w.current.sess.Step)
	}
}

func TestRestoresProgressValuesAndPrefs(t *testing.T) {
	store := newMemStore()
	store.m["google/googleClientId"] = goodID
	store.m["google/googleClientSecret"] = goodSecret
	prog := &memProgress{m: map[string]Saved{"google": {Step: 5, Status: wizard.Verified, Message: "Secret accepted by Google."}}}
	w := newTestWindow(t, Deps{Store: store, Progress: prog}, Options{}, testCatalogue(t))
	s := w.services["google"]
	if s.sess.Step != 5 || s.sess.Values["googleClientSecret"] != goodSecret {
		t.Fatalf("not restored: %s", s.sess.Redacted())
	}
	if w.status("google") != wizard.Verified {
		t.Fatalf("status %s", w.status("google"))
	}
	openFromList(t, w, "google")
	if w.screen.form == nil || w.screen.form.rows[1].entry.Text != goodSecret {
		t.Fatal("the form did not get the stored values")
	}
	mustText(t, w, "Last time: verified. Secret accepted by Google.")
	noSecretShown(t, w, goodSecret)
	w.win.Resize(fyne.NewSize(1000, 700))
	w.onClose()
	if got := w.app.Preferences().String(PrefLastService); got != "google" {
		t.Fatalf("last service %q", got)
	}
	if got := w.app.Preferences().Float(PrefWindowWidth); got < 900 {
		t.Fatalf("window width %v", got)
	}
	for _, k := range []string{PrefLastService, PrefPortalRedirect} {
		v := w.app.Preferences().String(k)
		if strings.Contains(v, goodSecret) {
			t.Fatalf("a secret in preference %s", k)
		}
	}
}

func TestVerifyAll(t *testing.T) {
	checker := &fakeChecker{res: wizard.CheckResult{OK: true, Message: "accepted"}}
	w := newTestWindow(t, Deps{Checker: checker}, Options{Service: "google"}, testCatalogue(t))
	test.Tap(w.screen.skip)
	w.screen.form.rows[0].entry.SetText(goodID)
	w.screen.form.rows[1].entry.SetText(goodSecret)
	test.Tap(w.top.verifyAll)
	w.run.wait()
	mustText(t, w, "Done. 1 passed, 0 failed, 0 could not be reached.")
	mustText(t, w, "Not checked, because their keys are missing or not valid yet: Pem Service.")
	if w.all.bar.Value != 1 || w.status("google") != wizard.Verified {
		t.Fatalf("bar %v, status %s", w.all.bar.Value, w.status("google"))
	}
}

func TestNoStoreSaysMemoryOnly(t *testing.T) {
	w := newTestWindow(t, Deps{}, Options{Service: "google"}, testCatalogue(t))
	mustText(t, w, "Secrets stay in memory only")
	test.Tap(w.screen.skip)
	w.screen.form.rows[0].entry.SetText(goodID)
	w.screen.form.rows[1].entry.SetText(goodSecret)
	if !w.screen.form.save.Disabled() || !strings.Contains(w.screen.form.reason.Text, "memory only") {
		t.Fatalf("save without a store: %q", w.screen.form.reason.Text)
	}
}

func TestRealCatalogueOpensAskedService(t *testing.T) {
	a := test.NewTempApp(t)
	win := New(a, Deps{}, Options{Service: "google"})
	defer win.Close()
	if win.Title() != "Keywizard" {
		t.Fatalf("title %q", win.Title())
	}
	min := win.Content().MinSize()
	if min.Width < 900 || min.Height < 600 {
		t.Fatalf("minimum size %v", min)
	}
	found := false
	for _, o := range objects(win.Content()) {
		if l, ok := o.(*widget.Label); ok && strings.HasPrefix(l.Text, "Step 1 of") {
			found = true
		}
		if l, ok := o.(*widget.Label); ok && strings.HasSuffix(l.Text, " ready") {
			if want := "0/" + strconv.Itoa(len(providers.All())) + " ready"; l.Text != want {
				t.Fatalf("progress %q, want %q", l.Text, want)
			}
		}
	}
	if !found {
		t.Fatal("the asked service's first step is not shown")
	}
}

func TestOneSpinnerWhileWorking(t *testing.T) {
	checker := &fakeChecker{block: true}
	w := newTestWindow(t, Deps{Checker: checker}, Options{Service: "google"}, testCatalogue(t))
	test.Tap(w.screen.skip)
	f := w.screen.form
	f.rows[0].entry.SetText(goodID)
	f.rows[1].entry.SetText(goodSecret)
	test.Tap(f.verify)
	for range 3 {
		f.refreshActions()
	}
	var spinners []*widget.Activity
	for _, o := range objects(f.actions) {
		if a, ok := o.(*widget.Activity); ok {
			spinners = append(spinners, a)
		}
	}
	if len(spinners) != 1 || spinners[0] != f.activity {
		t.Fatalf("%d spinners while one check runs", len(spinners))
	}
	test.Tap(f.cancel)
	w.run.wait()
	for _, o := range objects(f.actions) {
		if _, ok := o.(*widget.Activity); ok {
			t.Fatal("the spinner stays after the work ended")
		}
	}
}

func TestStartsAtTheFirstListedService(t *testing.T) {
	w := newTestWindow(t, Deps{}, Options{}, providers.All())
	first := w.list.visibleIDs()[0]
	if w.current == nil || w.current.p.ID != first {
		t.Fatalf("opened %v, the list starts with %s", w.current, first)
	}
	// Opening the window writes no preference (the toolkit reloads its
	// file on every write); choosing a service does.
	if got := w.app.Preferences().String(PrefLastService); got != "" {
		t.Fatalf("start-up remembered %q", got)
	}
	openFromList(t, w, "google")
	if got := w.app.Preferences().String(PrefLastService); got != "google" {
		t.Fatalf("last service %q after choosing google", got)
	}
}

func TestFocusFollowsTheSteps(t *testing.T) {
	w := newTestWindow(t, Deps{}, Options{Service: "google"}, testCatalogue(t))
	test.Tap(w.screen.next)
	if got := w.win.Canvas().Focused(); got != w.screen.next {
		t.Fatalf("after Next the focus is on %T, not Next", got)
	}
	test.Tap(w.screen.skip)
	f := w.screen.form
	if got := w.win.Canvas().Focused(); got != f.rows[0].entry {
		t.Fatalf("at the keys form the focus is on %T, not the first field", got)
	}
	f.rows[0].entry.SetText(goodID)
	test.Tap(w.screen.back)
	test.Tap(w.screen.next)
	if got := w.win.Canvas().Focused(); got != w.screen.form.rows[1].entry {
		t.Fatalf("the focus is on %T, not the first empty field", got)
	}
}
