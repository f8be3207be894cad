package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/portal"
	"keywizard/wizard/portal/portaltest"
)

const (
	goodToken   = "7123456789:AAHk3vQ9x_LmN0pRsTuVwXyZ1a2B3c4D5eF"
	goodBotName = "acme_portal_bot"
	oldID       = "999999999999-zyxwvutsrqponmlkjihgfedcba98765.apps.googleusercontent.com"
	oldSecret   = "GOCSPX-OldOldOldOldOldOldOldOld1234"
	oldToken    = "7000000001:AAOldOldOldOldOldOldOldOldOldOldOld"
)

// portalCatalogue is Google and Telegram (offered by both products) and
// the made-up service no portal offers.
func portalCatalogue(t *testing.T) []providers.Provider {
	t.Helper()
	tg, ok := providers.Lookup("telegram")
	if !ok {
		t.Fatal("telegram is not in the catalogue")
	}
	return append(testCatalogue(t), tg)
}

// portalWorld is a window with a secret store, an emulated portal and a
// folder for the list of remembered portals.
type portalWorld struct {
	w     *window
	srv   *portaltest.Server
	store *memStore
	ps    *PortalFiles
	prog  *memProgress
	// remember ticks "Remember the password" when signing in.
	remember bool
}

func newPortalWorld(t *testing.T, cfg portaltest.Config, keys map[string]map[string]string) *portalWorld {
	t.Helper()
	pw := &portalWorld{
		srv:   portaltest.New(t, cfg),
		store: newMemStore(),
		ps:    &PortalFiles{Dir: t.TempDir(), Timeout: 5 * time.Second},
		prog:  &memProgress{m: map[string]Saved{}},
	}
	for id, fields := range keys {
		for f, v := range fields {
			pw.store.m[id+"/"+f] = v
		}
	}
	pw.w = newTestWindow(t, pw.deps(), Options{Service: "google"}, portalCatalogue(t))
	return pw
}

// PortalFiles is the portal engine over a folder of remembered portals,
// as the window's tests set it up.
type PortalFiles = portal.Engine

func (pw *portalWorld) deps() Deps {
	return Deps{Store: pw.store, Checker: &fakeChecker{res: wizard.CheckResult{OK: true, Message: "accepted"}},
		Progress: pw.prog, Portals: pw.ps}
}

var (
	ctrlP      = &desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: fyne.KeyModifierShortcutDefault}
	ctrlShiftP = &desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
)

func shortcut(w *window, s fyne.Shortcut) { w.win.Canvas().(fyne.Shortcutable).TypedShortcut(s) }

func enter(e *keyEntry) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

// openConnect opens the portal screen from the keyboard.
func openConnect(t *testing.T, w *window) *connectScreen {
	t.Helper()
	shortcut(w, ctrlP)
	w.run.wait()
	cs, ok := w.panel.(*connectScreen)
	if !ok {
		t.Fatalf("Ctrl+P showed %T", w.panel)
	}
	return cs
}

// signInWithPassword types the address, detects, and signs in.
func (pw *portalWorld) signIn(t *testing.T) *connectScreen {
	t.Helper()
	w := pw.w
	cs := openConnect(t, w)
	if w.win.Canvas().Focused() != cs.url {
		t.Fatal("the address field does not have the focus")
	}
	test.Type(cs.url, pw.srv.URL)
	enter(cs.url) // Enter in the address detects
	w.run.wait()
	test.Type(cs.user, portaltest.DefaultUser)
	test.Type(cs.password, portaltest.DefaultPassword)
	cs.remember.SetChecked(pw.remember)
	enter(cs.password) // Enter in the password signs in
	w.run.wait()
	return cs
}

func productWord(p portaltest.Product) string {
	if p == portaltest.DocSpace {
		return "ONLYOFFICE DocSpace"
	}
	return "ONLYOFFICE Workspace"
}

var products = []portaltest.Product{portaltest.DocSpace, portaltest.Workspace}

func TestConnectShowsProductAndWhatThePortalHolds(t *testing.T) {
	for _, prod := range products {
		t.Run(string(prod), func(t *testing.T) {
			pw := newPortalWorld(t, portaltest.Config{Product: prod}, map[string]map[string]string{
				"google":   {"googleClientId": goodID, "googleClientSecret": goodSecret},
				"telegram": {"telegramBotToken": goodToken, "telegramBotName": goodBotName},
			})
			pw.srv.SetKeys(consumerName(prod, "google"), map[string]string{"googleClientId": goodID, "googleClientSecret": goodSecret})
			w := pw.w
			mustText(t, w, "Working offline")

			cs := openConnect(t, w)
			test.Type(cs.url, pw.srv.URL)
			test.Tap(cs.detect)
			w.run.wait()
			mustText(t, w, "Found "+productWord(prod))
			if prod == portaltest.Workspace && (!cs.how.Disabled() || cs.how.Selected != withPassword) {
				t.Fatal("Workspace has no API keys: the choice should be off")
			}
			test.Type(cs.user, portaltest.DefaultUser)
			test.Type(cs.password, portaltest.DefaultPassword)
			enter(cs.password)
			w.run.wait()

			if w.conn == nil {
				t.Fatalf("not connected; shown:\n%s", strings.Join(texts(w), "\n"))
			}
			host := portalName(pw.srv.URL)
			mustText(t, w, "Portal: "+host)
			if min := w.win.Content().MinSize(); min.Width > 900 {
				t.Fatalf("the window needs %v once connected", min)
			}
			mustText(t, w, "Signed in to "+host)
			mustText(t, w, "it is kept in the test keyring")
			if cs.password.Text != "" {
				t.Fatal("the password stays in the field after signing in")
			}
			// The session is in the secret store, the password is not
			// (unless asked for), the portal is in the list, and nothing
			// secret is in the preferences.
			svc := portal.SecretService(w.conn.client.Key())
			if pw.store.get(svc, "token") == "" || pw.store.get(svc, "password") != "" {
				t.Fatal("the session is not in the secret store, or the password is without being asked for")
			}
			entries, err := pw.ps.Remembered()
			if err != nil || len(entries) != 1 || entries[0].User != portaltest.DefaultUser || entries[0].Product != portal.Product(prod) {
				t.Fatalf("remembered %+v, %v", entries, err)
			}
			noSecretInFiles(t, pw.ps.Dir, portaltest.DefaultPassword, pw.store.get(svc, "token"))
			if got := w.app.Preferences().String(PrefPortalURL); got != w.conn.entry.URL {
				t.Fatalf("preference %q", got)
			}

			// The overview says, per service, what the portal holds.
			if w.status("google") != wizard.OnPortal {
				t.Fatalf("google: %s", w.status("google"))
			}
			if w.services["telegram"].mark != markNotSet || w.services["pemsvc"].mark != markNotOffered {
				t.Fatalf("marks: telegram %v, pemsvc %v", w.services["telegram"].mark, w.services["pemsvc"].mark)
			}
			mustText(t, w, "keys valid · not on portal")
			mustText(t, w, "not started · not offered")
			mustText(t, w, "on the portal")
			openFromList(t, w, "telegram")
			mustText(t, w, host+" has no keys for this service yet.")
			noSecretShown(t, w, goodSecret, portaltest.DefaultPassword)
		})
	}
}

// consumerName is a service's consumer on the emulated product.
func consumerName(prod portaltest.Product, id string) string {
	p, _ := providers.Lookup(id)
	if prod == portaltest.DocSpace {
		return p.Portal.DocSpace.Name
	}
	return p.Portal.Workspace.Name
}

// noSecretInFiles fails if a file under dir holds a secret.
func noSecretInFiles(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	_ = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		for _, s := range secrets {
			if s != "" && strings.Contains(string(b), s) {
				t.Fatalf("%s holds a secret", path)
			}
		}
		return nil
	})
}

func TestTwoFactorPrompt(t *testing.T) {
	cases := []struct {
		prod portaltest.Product
		tfa  portaltest.TwoFactor
		says string
	}{
		{portaltest.DocSpace, portaltest.App, "authenticator app"},
		{portaltest.Workspace, portaltest.App, "authenticator app"},
		{portaltest.DocSpace, portaltest.SMS, "by SMS to " + portaltest.PhoneNoise},
		{portaltest.Workspace, portaltest.SMS, "by SMS to " + portaltest.PhoneNoise},
	}
	for _, c := range cases {
		t.Run(string(c.prod)+"-"+c.says[:6], func(t *testing.T) {
			pw := newPortalWorld(t, portaltest.Config{Product: c.prod, TwoFactor: c.tfa}, nil)
			w := pw.w
			cs := pw.signIn(t)
			if w.conn != nil || !cs.codeBox.Visible() {
				t.Fatal("no code asked")
			}
			mustText(t, w, c.says)
			if w.win.Canvas().Focused() != cs.code {
				t.Fatal("the code field does not have the focus")
			}
			test.Type(cs.code, "000000")
			enter(cs.code)
			w.run.wait()
			if w.conn != nil {
				t.Fatal("a wrong code connected")
			}
			mustText(t, w, "refused the two-factor code")
			test.Type(cs.code, portaltest.DefaultCode)
			test.Tap(cs.sendCode)
			w.run.wait()
			if w.conn == nil {
				t.Fatalf("not connected; shown:\n%s", strings.Join(texts(w), "\n"))
			}
			if cs.codeBox.Visible() {
				t.Fatal("the code prompt stays")
			}
			noSecretShown(t, w, portaltest.SetupKey, portaltest.DefaultPassword)
		})
	}
}

func TestTwoFactorSetUpInBrowser(t *testing.T) {
	for _, c := range []struct {
		tfa  portaltest.TwoFactor
		says string
	}{
		{portaltest.AppSetup, "the app is not set up yet"},
		{portaltest.SMSNoPhone, "has no phone number yet"},
	} {
		var opened []string
		pw := newPortalWorld(t, portaltest.Config{TwoFactor: c.tfa}, nil)
		w := pw.w
		w.open = func(u string) error { opened = append(opened, u); return nil }
		cs := pw.signIn(t)
		if w.conn != nil || cs.codeBox.Visible() || !cs.browserBox.Visible() {
			t.Fatal("set-up in the browser not asked")
		}
		mustText(t, w, c.says)
		mustText(t, w, "Open the portal in a browser")
		test.Tap(cs.openPortal)
		w.run.wait()
		if len(opened) != 1 || !strings.HasPrefix(opened[0], pw.srv.URL) {
			t.Fatalf("opened %v", opened)
		}
		noSecretShown(t, w, portaltest.SetupKey)
	}
}

func TestAPIKeySignIn(t *testing.T) {
	pw := newPortalWorld(t, portaltest.Config{}, nil)
	w := pw.w
	cs := openConnect(t, w)
	test.Type(cs.url, pw.srv.URL)
	cs.how.SetSelected(withAPIKey)
	if cs.password.Visible() || !cs.apiKey.Visible() {
		t.Fatal("the API key field is not shown instead of the password")
	}
	test.Type(cs.apiKey, "sk-wrong")
	enter(cs.apiKey)
	w.run.wait()
	mustText(t, w, "refused the API key")
	cs.apiKey.SetText(portaltest.DefaultAPIKey)
	enter(cs.apiKey)
	w.run.wait()
	if w.conn == nil || !w.conn.entry.APIKey {
		t.Fatal("not connected with the API key")
	}
	mustText(t, w, "The API key is kept in the test keyring.")
	noSecretShown(t, w, portaltest.DefaultAPIKey)
}

func TestCancelAndEscapeWhileConnecting(t *testing.T) {
	pw := newPortalWorld(t, portaltest.Config{}, nil)
	pw.srv.Fail(portaltest.Fault{Kind: portaltest.Hang, Path: "/api/2.0/settings/version/build"})
	w := pw.w
	cs := openConnect(t, w)
	test.Type(cs.url, pw.srv.URL)
	test.Tap(cs.detect)
	mustText(t, w, "which product it runs")
	test.Tap(cs.cancel)
	w.run.wait()
	mustText(t, w, "Cancelled.")

	// Escape cancels too; with nothing running it goes back.
	pw.srv.Fail(portaltest.Fault{Kind: portaltest.Hang, Path: "/api/2.0/settings/version/build"})
	enter(cs.url)
	if cs.job == nil {
		t.Fatal("Enter in the address did not detect")
	}
	w.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	w.run.wait()
	if cs.job != nil || w.conn != nil {
		t.Fatal("Escape did not cancel")
	}
	w.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.panel != nil || w.current == nil || w.current.p.ID != "google" {
		t.Fatal("Escape did not go back to the service")
	}
}

func TestRememberedPortalReconnectsAndForgets(t *testing.T) {
	pw := newPortalWorld(t, portaltest.Config{Product: portaltest.Workspace}, nil)
	pw.remember = true
	pw.signIn(t)
	if pw.store.get(portal.SecretService(pw.w.conn.client.Key()), "password") != portaltest.DefaultPassword {
		t.Fatal("the password was not kept though asked for")
	}
	if pw.w.conn == nil {
		t.Fatal("not connected")
	}
	url := pw.w.conn.entry.URL

	// A new window connects again on its own, with the stored session.
	a := test.NewTempApp(t)
	a.Preferences().SetString(PrefPortalURL, url)
	w2 := newWindow(a, pw.deps(), Options{}, portalCatalogue(t), func(r *runner) { r.queue() })
	w2.win.Resize(fyne.NewSize(1200, 800))
	w2.run.wait()
	t.Cleanup(func() { w2.run.close(); w2.run.wait() })
	if w2.conn == nil || w2.conn.client.Info().Product != portal.Workspace {
		t.Fatalf("no reconnect; top bar: %q", w2.top.portal.Text)
	}

	// An ended session is renewed with the stored password.
	pw.srv.ExpireSessions()
	w2.disconnect()
	cs := openConnect(t, w2)
	mustText(t, w2, "Remembered portals")
	test.Tap(button(t, w2, "Connect"))
	w2.run.wait()
	if w2.conn == nil {
		t.Fatalf("not reconnected; shown:\n%s", strings.Join(texts(w2), "\n"))
	}

	// Forget signs out and drops the portal from the list.
	var forget *widget.Button
	for _, o := range objects(cs.remembered) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Forget" {
			forget = b
		}
	}
	test.Tap(forget)
	mustText(t, w2, "Forget "+portalName(url)+"?")
	test.Tap(dialogButton(t, w2, "Forget"))
	w2.run.wait()
	if w2.conn != nil {
		t.Fatal("still connected to a forgotten portal")
	}
	if entries, _ := pw.ps.Remembered(); len(entries) != 0 {
		t.Fatalf("still remembered: %+v", entries)
	}
	for k := range pw.store.m {
		if strings.HasPrefix(k, "portal:") {
			t.Fatalf("the store still holds %s", k)
		}
	}
	mustText(t, w2, "Working offline")
}

// dialogButton finds a button of the dialog on top of the window.
func dialogButton(t *testing.T, w *window, text string) *widget.Button {
	t.Helper()
	for _, o := range w.win.Canvas().Overlays().List() {
		for _, x := range objects(o) {
			if b, ok := x.(*widget.Button); ok && b.Text == text && b.Visible() {
				return b
			}
		}
	}
	t.Fatalf("no dialog button %q", text)
	return nil
}

// verifyAllKeys runs Verify all, so that the keys pass the safety rule.
func verifyAllKeys(t *testing.T, w *window) {
	t.Helper()
	test.Tap(w.top.verifyAll)
	w.run.wait()
}

// openPush opens Review and push from the keyboard.
func openPush(t *testing.T, w *window) *pushScreen {
	t.Helper()
	shortcut(w, ctrlShiftP)
	w.run.wait()
	ps, ok := w.panel.(*pushScreen)
	if !ok {
		t.Fatalf("Ctrl+Shift+P showed %T", w.panel)
	}
	return ps
}

func TestReviewDryRunAndPush(t *testing.T) {
	for _, prod := range products {
		t.Run(string(prod), func(t *testing.T) {
			pw := newPortalWorld(t, portaltest.Config{Product: prod}, map[string]map[string]string{
				"google":   {"googleClientId": goodID, "googleClientSecret": goodSecret},
				"telegram": {"telegramBotToken": goodToken, "telegramBotName": goodBotName},
			})
			google := consumerName(prod, "google")
			pw.srv.SetKeys(google, map[string]string{"googleClientId": oldID, "googleClientSecret": oldSecret})
			w := pw.w
			verifyAllKeys(t, w)
			pw.signIn(t)
			ps := openPush(t, w)
			g, tg := ps.rows["google"], ps.rows["telegram"]
			if g == nil || tg == nil || ps.rows["pemsvc"] != nil {
				t.Fatalf("rows %v", ps.rows)
			}
			if !g.check.Checked || !tg.check.Checked {
				t.Fatal("verified keys are not ticked by default")
			}
			// The diff names the fields, with values redacted.
			mustText(t, w, "Client ID: 9999**** → 1234****")
			mustText(t, w, "Client secret: GOCS**** → GOCS****")
			mustText(t, w, "Bot token: (empty) → 7123****")
			noSecretShown(t, w, goodSecret, oldSecret, goodID, oldID, goodToken)

			// A dry run sends nothing.
			test.Tap(ps.dry)
			w.run.wait()
			if n := len(pw.srv.SaveRequests()); n != 0 {
				t.Fatalf("a dry run sent %d saves", n)
			}
			mustText(t, w, "Dry run done: nothing was sent. 2 compared.")
			mustText(t, w, "Dry run: nothing sent")
			if pw.srv.Keys(google)["googleClientId"] != oldID {
				t.Fatal("a dry run changed the portal")
			}

			// Push asks first, then sends and reads back.
			test.Tap(ps.push)
			mustText(t, w, "Push to "+portalName(pw.srv.URL)+"?")
			test.Tap(dialogButton(t, w, "Push"))
			w.run.wait()
			if got := pw.srv.Keys(google); got["googleClientId"] != goodID || got["googleClientSecret"] != goodSecret {
				t.Fatal("google not pushed")
			}
			if got := pw.srv.Keys(consumerName(prod, "telegram")); got["telegramBotToken"] != goodToken {
				t.Fatal("telegram not pushed")
			}
			mustText(t, w, "Done: 2 pushed or already there, 0 not pushed.")
			mustText(t, w, "Pushed")
			mustText(t, w, "read back: the portal holds the new keys")
			for _, id := range []string{"google", "telegram"} {
				if w.status(id) != wizard.OnPortal || pw.prog.get(id).Status != wizard.OnPortal {
					t.Fatalf("%s: status %s, saved %+v", id, w.status(id), pw.prog.get(id))
				}
			}
			if g.check.Checked {
				t.Fatal("a pushed service stays ticked")
			}
			mustText(t, w, "The portal already holds these keys")
			noSecretShown(t, w, goodSecret, oldSecret, goodID, oldID, goodToken)
		})
	}
}

func TestPushSafetyRuleAndOverride(t *testing.T) {
	pw := newPortalWorld(t, portaltest.Config{}, map[string]map[string]string{
		"google":   {"googleClientId": goodID, "googleClientSecret": goodSecret},
		"telegram": {"telegramBotToken": "not-a-token", "telegramBotName": goodBotName},
	})
	w := pw.w
	rejecting := &fakeChecker{res: wizard.CheckResult{Message: "Google does not know this client (invalid_client)"}}
	w.deps.Checker = rejecting
	pw.signIn(t)
	ps := openPush(t, w)
	g, tg := ps.rows["google"], ps.rows["telegram"]
	// Valid keys are offered: their online check runs when the push starts.
	if !g.check.Checked || g.check.Disabled() {
		t.Fatal("valid keys are not ticked")
	}
	if tg.check.Checked || !tg.check.Disabled() {
		t.Fatal("invalid keys can be ticked")
	}
	mustText(t, w, `Not ready: "Bot token" is not right yet`)

	// Keys the service rejects are not sent.
	test.Tap(ps.push)
	test.Tap(dialogButton(t, w, "Push"))
	w.run.wait()
	if rejecting.alls != 1 {
		t.Fatalf("the online check ran %d times through CheckAll, want once", rejecting.alls)
	}
	if len(pw.srv.SaveRequests()) != 0 {
		t.Fatal("keys the service rejected were pushed")
	}
	mustText(t, w, "Not sent: the online check failed: Google does not know this client")

	// The override makes them tickable, not ticked, and skips the check.
	ps.force.SetChecked(true)
	if g.check.Disabled() || tg.check.Disabled() || tg.check.Checked {
		t.Fatal("the override did not make them tickable")
	}
	g.check.SetChecked(true)
	test.Tap(ps.push)
	test.Tap(dialogButton(t, w, "Push"))
	w.run.wait()
	if pw.srv.Keys("google")["googleClientId"] != goodID {
		t.Fatal("the override did not push")
	}
	if len(pw.srv.SaveRequests()) != 1 {
		t.Fatalf("%d saves, want only Google's", len(pw.srv.SaveRequests()))
	}
	if rejecting.alls != 1 {
		t.Fatal("the override still ran the online check")
	}
	// Pushed with the override: on the portal, not ready.
	if st := w.status("google"); st != wizard.Unverified || ready(st) || pw.prog.get("google").Status != wizard.Unverified {
		t.Fatalf("google pushed with the override: status %q, saved %+v", st, pw.prog.get("google"))
	}
	ps.force.SetChecked(false)
	if g.block != "" || g.check.Checked {
		t.Fatalf("google is on the portal, yet: %q (ticked %v)", g.block, g.check.Checked)
	}
}

// Keys typed in the window but not saved are not pushed: "Save first".
func TestPushSendsSavedKeysOnly(t *testing.T) {
	pw := newPortalWorld(t, portaltest.Config{}, map[string]map[string]string{
		"google": {"googleClientId": goodID, "googleClientSecret": goodSecret},
	})
	w := pw.w
	// The admin changes the secret on the page and does not save.
	const typed = "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"
	_ = w.services["google"].sess.Set("googleClientSecret", typed)
	pw.signIn(t)
	ps := openPush(t, w)
	g := ps.rows["google"]
	if g.check.Checked || !g.check.Disabled() {
		t.Fatal("unsaved keys can be ticked")
	}
	mustText(t, w, "Save first")
	ps.force.SetChecked(true)
	if !g.check.Disabled() {
		t.Fatal("the override allows pushing unsaved keys")
	}
	if len(pw.srv.SaveRequests()) != 0 {
		t.Fatal("something was pushed")
	}
}

func TestBadKeysShowTheRestore(t *testing.T) {
	for _, prod := range products {
		t.Run(string(prod), func(t *testing.T) {
			pw := newPortalWorld(t, portaltest.Config{Product: prod}, map[string]map[string]string{
				"telegram": {"telegramBotToken": goodToken, "telegramBotName": goodBotName},
			})
			tgName := consumerName(prod, "telegram")
			old := map[string]string{"telegramBotToken": oldToken, "telegramBotName": "old_portal_bot"}
			pw.srv.SetKeys(tgName, old)
			pw.srv.SetValidated(tgName, true)
			pw.srv.MarkBad(goodToken)
			w := pw.w
			verifyAllKeys(t, w)
			pw.signIn(t)
			ps := openPush(t, w)
			if !ps.rows["telegram"].check.Checked {
				t.Fatal("telegram not ticked")
			}
			test.Tap(ps.push)
			test.Tap(dialogButton(t, w, "Push"))
			w.run.wait()
			mustText(t, w, "Not pushed: the previous keys were put back")
			mustText(t, w, `"Bad keys"`)
			mustText(t, w, "The portal is as it was before the push")
			mustText(t, w, "Done: 0 pushed or already there, 1 not pushed.")
			if got := pw.srv.Keys(tgName); got["telegramBotToken"] != oldToken || got["telegramBotName"] != "old_portal_bot" {
				t.Fatal("the previous keys are not back")
			}
			if w.status("telegram") == wizard.OnPortal {
				t.Fatal("refused keys marked as on the portal")
			}
			mustText(t, w, "portal differs")
			noSecretShown(t, w, goodToken, oldToken)
		})
	}
}

func TestPushCancelStopsBeforeTheNextService(t *testing.T) {
	pw := newPortalWorld(t, portaltest.Config{}, map[string]map[string]string{
		"google":   {"googleClientId": goodID, "googleClientSecret": goodSecret},
		"telegram": {"telegramBotToken": goodToken, "telegramBotName": goodBotName},
	})
	w := pw.w
	verifyAllKeys(t, w)
	pw.signIn(t)
	ps := openPush(t, w)
	pw.srv.Fail(portaltest.Fault{Kind: portaltest.Hang, Path: "/api/2.0/settings/authservice", Method: "GET"})
	test.Tap(ps.push)
	test.Tap(dialogButton(t, w, "Push"))
	if ps.job == nil || !ps.cancel.Visible() {
		t.Fatal("no run with Cancel")
	}
	w.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	w.run.wait()
	if n := len(pw.srv.SaveRequests()); n != 0 {
		t.Fatalf("%d saves after cancelling before any send", n)
	}
	mustText(t, w, "Cancelled.")
	mustText(t, w, "Not sent: cancelled before its turn.")
}

// An account that signed in with a two-factor code is never signed in
// again by the window on its own, even with "Remember the password".
func TestTwoFactorAccountNotRenewed(t *testing.T) {
	pw := newPortalWorld(t, portaltest.Config{TwoFactor: portaltest.SMS}, nil)
	pw.remember = true
	w := pw.w
	cs := pw.signIn(t)
	test.Type(cs.code, portaltest.DefaultCode)
	test.Tap(cs.sendCode)
	w.run.wait()
	if w.conn == nil {
		t.Fatalf("not signed in; shown:\n%s", strings.Join(texts(w), "\n"))
	}
	mustText(t, w, "The password was not kept")
	svc := portal.SecretService(w.conn.client.Key())
	if pw.store.get(svc, "password") != "" {
		t.Fatal("the password of a two-factor account was kept")
	}
	// Even a password kept earlier is not replayed.
	pw.store.m[svc+"/password"] = portaltest.DefaultPassword
	pw.srv.ExpireSessions()
	url := w.conn.entry.URL
	before := len(pw.srv.Requests())
	a := test.NewTempApp(t)
	a.Preferences().SetString(PrefPortalURL, url)
	w2 := newWindow(a, pw.deps(), Options{}, portalCatalogue(t), func(r *runner) { r.queue() })
	w2.run.wait()
	t.Cleanup(func() { w2.run.close(); w2.run.wait() })
	if w2.conn != nil {
		t.Fatal("the window signed in again on its own")
	}
	for _, r := range pw.srv.Requests()[before:] {
		if strings.Contains(r.Path, "authentication") {
			t.Fatalf("the portal was asked to sign in again: %s %s", r.Method, r.Path)
		}
	}
}

// pushHeld starts a push of Google whose online check waits until it is
// cancelled.
func pushHeld(t *testing.T) (*window, *pushScreen, *fakeChecker) {
	t.Helper()
	pw := newPortalWorld(t, portaltest.Config{}, map[string]map[string]string{
		"google": {"googleClientId": goodID, "googleClientSecret": goodSecret},
	})
	w := pw.w
	slow := &fakeChecker{block: true}
	w.deps.Checker = slow
	pw.signIn(t)
	ps := openPush(t, w)
	test.Tap(ps.push)
	test.Tap(dialogButton(t, w, "Push"))
	return w, ps, slow
}

// Closing the window while a push runs asks first, and closes only once
// the push is finished or undone.
func TestClosingDuringPushAsksAndWaits(t *testing.T) {
	w, ps, slow := pushHeld(t)
	if ps.job == nil {
		t.Fatal("the push did not start")
	}
	w.onClose()
	if w.closed {
		t.Fatal("the window closed in the middle of a push")
	}
	mustText(t, w, "Close while pushing?")
	test.Tap(dialogButton(t, w, "Close when done"))
	if w.closed {
		t.Fatal("the window closed before the push ended")
	}
	w.run.wait()
	if ps.job != nil || !w.closed {
		t.Fatalf("push running %v, window closed %v", ps.job != nil, w.closed)
	}
	if slow.cancelled() == nil {
		t.Fatal("the push was not asked to stop")
	}
}

// "Keep open" keeps the push and the window going.
func TestClosingDuringPushCanBeDeclined(t *testing.T) {
	pw := newPortalWorld(t, portaltest.Config{}, map[string]map[string]string{
		"google": {"googleClientId": goodID, "googleClientSecret": goodSecret},
	})
	w := pw.w
	slow := &fakeChecker{block: true}
	w.deps.Checker = slow
	pw.signIn(t)
	ps := openPush(t, w)
	test.Tap(ps.push)
	test.Tap(dialogButton(t, w, "Push"))
	w.onClose()
	test.Tap(dialogButton(t, w, "Keep open"))
	if w.closed || w.closing || ps.job == nil {
		t.Fatal("Keep open did not keep the push going")
	}
	ps.job.Cancel()
	w.run.wait()
	if w.closed {
		t.Fatal("the window closed though the admin kept it open")
	}
}

// keptBeforeTwoFactor remembers the portal of pw with an ended session and
// the password kept before the account had two-factor sign-in.
func (pw *portalWorld) keptBeforeTwoFactor(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	e := wizard.PortalEntry{URL: pw.srv.URL, Product: wizard.Workspace, User: portaltest.DefaultUser}
	if err := pw.ps.Remember(e); err != nil {
		t.Fatal(err)
	}
	if err := pw.ps.SaveSession(ctx, pw.store, e.Key(), wizard.PortalSession{Token: "ended"}, portaltest.DefaultPassword); err != nil {
		t.Fatal(err)
	}
}

// Connect on a remembered portal whose renewal runs into a two-factor code
// asks for the code the portal sent, and the code connects.
func TestRememberedPortalRenewalAsksForTheCode(t *testing.T) {
	pw := newPortalWorld(t, portaltest.Config{Product: portaltest.Workspace, TwoFactor: portaltest.SMS}, nil)
	pw.keptBeforeTwoFactor(t)
	w := pw.w
	openConnect(t, w)
	mustText(t, w, "Remembered portals")
	test.Tap(button(t, w, "Connect"))
	w.run.wait()
	cs := w.panel.(*connectScreen)
	if w.conn != nil || !cs.codeBox.Visible() || w.win.Canvas().Focused() != cs.code {
		t.Fatal("no code asked")
	}
	mustText(t, w, "by SMS to "+portaltest.PhoneNoise)
	test.Type(cs.code, "000000")
	enter(cs.code)
	w.run.wait()
	if w.conn != nil || !cs.codeBox.Visible() {
		t.Fatal("a wrong code connected, or dropped the code step")
	}
	mustText(t, w, "refused the two-factor code")
	test.Type(cs.code, portaltest.DefaultCode)
	enter(cs.code)
	w.run.wait()
	if w.conn == nil {
		t.Fatalf("the code did not connect; shown:\n%s", strings.Join(texts(w), "\n"))
	}
	mustText(t, w, "The password was not kept")
	noSecretShown(t, w, portaltest.DefaultPassword)
}

// A session renewed at start that runs into a two-factor code is not
// connected on its own; the portal screen then asks for the code the
// portal sent, and the code connects.
func TestRenewalAtStartAsksForTheCode(t *testing.T) {
	pw := newPortalWorld(t, portaltest.Config{Product: portaltest.Workspace, TwoFactor: portaltest.SMS}, nil)
	pw.keptBeforeTwoFactor(t)
	a := test.NewTempApp(t)
	a.Preferences().SetString(PrefPortalURL, pw.srv.URL)
	w := newWindow(a, pw.deps(), Options{}, portalCatalogue(t), func(r *runner) { r.queue() })
	w.win.Resize(fyne.NewSize(1200, 800))
	w.run.wait()
	t.Cleanup(func() { w.run.close(); w.run.wait() })
	if w.conn != nil {
		t.Fatal("connected without the code")
	}
	mustText(t, w, "Not connected to "+portalName(pw.srv.URL))

	cs := openConnect(t, w)
	if !cs.codeBox.Visible() || w.win.Canvas().Focused() != cs.code {
		t.Fatal("the portal screen does not ask for the code")
	}
	mustText(t, w, "by SMS to "+portaltest.PhoneNoise)
	test.Type(cs.code, portaltest.DefaultCode)
	enter(cs.code)
	w.run.wait()
	if w.conn == nil {
		t.Fatalf("the code did not connect; shown:\n%s", strings.Join(texts(w), "\n"))
	}
	mustText(t, w, "Signed in to "+portalName(pw.srv.URL))
	noSecretShown(t, w, portaltest.DefaultPassword)
}

// A portal forgotten on the command line meanwhile is forgotten here too,
// without an error.
func TestForgetAPortalForgottenMeanwhile(t *testing.T) {
	pw := newPortalWorld(t, portaltest.Config{}, nil)
	w := pw.w
	cs := pw.signIn(t)
	url := w.conn.entry.URL
	if _, err := pw.ps.Forget(url); err != nil {
		t.Fatal(err)
	}
	var forget *widget.Button
	for _, o := range objects(cs.remembered) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Forget" {
			forget = b
		}
	}
	test.Tap(forget)
	test.Tap(dialogButton(t, w, "Forget"))
	w.run.wait()
	mustText(t, w, portalName(url)+" was forgotten.")
	if w.conn != nil {
		t.Fatal("still connected to a forgotten portal")
	}
}
