// Package ui is Keywizard's window: the services on the left, the selected
// service's console steps, keys form, checks and results on the right. It
// binds widgets to wizard sessions and reaches the outside world only
// through the interfaces in Deps.
package ui

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
	"keywizard/wizard"
)

// Preference keys. Only non-secret settings live in preferences: Fyne keeps
// them in a plain JSON file.
const (
	PrefLastService    = "ui.lastService"
	PrefWindowWidth    = "ui.windowWidth"
	PrefWindowHeight   = "ui.windowHeight"
	PrefPortalRedirect = "ui.portalRedirectURL" // read once, then moved to the shared settings
)

// Deps are the parts the window works with. Any may be nil: the window then
// says what it cannot do.
type Deps struct {
	Store      wizard.SecretStore // nil: secrets stay in memory only
	Checker    wizard.Checker
	SignIn     wizard.SignInTester
	Open       wizard.BrowserOpener // nil: the app's own OpenURL
	Progress   ProgressStore        // nil: progress is not kept between runs
	StoreWhere string               // where secrets live, in plain words; Store.Where() when empty
	Portals    wizard.Portals       // nil: the window works offline only
}

// Options tune how the window starts.
type Options struct {
	Service string // open this service at start (a catalogue id)
	Version string // shown in About
}

var (
	minSize     = fyne.NewSize(900, 600)
	defaultSize = fyne.NewSize(1180, 760)
)

// window is the main window's state. Every field is touched on the UI
// thread only; slow work goes through run.
type window struct {
	app       fyne.App
	win       fyne.Window
	deps      Deps
	open      func(string) error
	catalogue []providers.Provider
	starting  bool // the first service is being shown: nothing to remember yet
	services  map[string]*service
	run       *runner
	saver     *progressSaver
	copiedFor time.Duration // how long a Copy button says "Copied"
	redirect  string        // the portal's Redirect URL setting; "" for the default
	version   string        // shown in About

	list    *serviceList
	top     *topBar
	right   *fyne.Container
	floor   *canvas.Rectangle // holds the window's minimum size
	placed  bool              // the content is in the window
	current *service
	screen  *serviceScreen // nil when the right side shows something else
	all     *verifyAll
	keys    map[string]func()
	loading bool // stored keys are being read

	conn          *portalConn // the portal the window works with; nil offline
	portalJob     *job        // connecting or reading, shown in the top bar
	portalJobText string
	portalNote    string      // the top bar's word on a failed reconnect
	portalErr     error       // why it failed, for the portal screen
	panel         panel       // the portal or push screen, when it is on the right
	pushing       *pushScreen // the last Review and push, kept while it runs
	closing       bool        // the admin closed the window during a push: close when it ends
	closed        bool
	plan          planState // the first run's plan and the expiry watch's facts
}

// panel is a screen on the right other than a service's: the portal
// screen, or review and push.
type panel interface {
	build() fyne.CanvasObject
	portalChanged() // the connection, or what the portal holds, changed
	escape()        // Escape was pressed
	leave()         // another screen replaces it
}

// service is one service's state in this window: its session and the work
// running for it.
type service struct {
	p        providers.Provider
	sess     *wizard.Session
	restored wizard.Status // verdict from an earlier run, shown until something changes
	message  string        // that verdict's sentence
	job      *job          // work in flight for this service
	jobText  string        // what that work is doing now
	signIn   *signInLink   // sign-in URL of the running test sign-in
	note     string        // outcome of the last Save, Forget or cancelled action
	noteImp  widget.Importance
	mark     mark              // what the connected portal holds for it
	saved    map[string]string // what the secret store holds (secret): a push sends these
	saving   bool              // the work in flight is a Save, which navigation does not cancel
}

// signInLink is what OnURL reports.
type signInLink struct{ authURL, redirectURI string }

// New builds the main window.
func New(a fyne.App, d Deps, opts Options) fyne.Window {
	return newWindowFrom(a, d, opts, providers.All, nil).win
}

// newWindow builds the window over a catalogue; tune, when set, adjusts
// the runner before any work starts.
func newWindow(a fyne.App, d Deps, opts Options, catalogue []providers.Provider, tune func(*runner)) *window {
	return newWindowFrom(a, d, opts, func() []providers.Provider { return catalogue }, tune)
}

// newWindowFrom builds the window over the catalogue that catalogue makes.
// The graphics driver starts with the first window; meanwhile the fonts
// load and the catalogue is made, off the UI thread.
func newWindowFrom(a fyne.App, d Deps, opts Options, catalogue func() []providers.Provider, tune func(*runner)) *window {
	w := &window{
		app: a, deps: d, open: opener(a, d.Open),
		services: map[string]*service{}, run: newRunner(), copiedFor: 1500 * time.Millisecond,
		version: opts.Version,
	}
	if tune != nil {
		tune(w.run)
	}
	w.saver = &progressSaver{store: d.Progress, seq: map[string]int{}, last: map[string]Saved{}}
	fonts := loadFonts(w.run)
	made := make(chan []providers.Provider, 1)
	start(w.run, func(context.Context, func(struct{})) struct{} {
		made <- catalogue()
		return struct{}{}
	}, nil, nil)
	w.win = a.NewWindow("Keywizard")
	w.catalogue = <-made
	<-fonts
	for _, p := range w.catalogue {
		w.services[p.ID] = &service{p: p, sess: wizard.NewSession(p)}
	}
	w.restoreProgress()
	w.loadRedirect()
	w.loadPlan()
	w.top = newTopBar(w)
	w.list = newServiceList(w)
	w.right = container.NewStack()
	// The first screen goes in before the content does, and the content
	// is laid out once, at the size the window opens with: every layout
	// measures and wraps each text again.
	w.starting = true
	if !w.startHome(opts.Service) {
		w.openService(w.startService(opts.Service))
	}
	w.starting = false
	size := w.startSize()
	w.floor = canvas.NewRectangle(nil)
	w.floor.SetMinSize(size.Subtract(w.padding()))
	w.win.SetContent(w.build())
	w.placed = true
	w.floor.SetMinSize(minSize)
	w.win.Resize(size)
	w.list.scrollToCurrent()
	w.registerShortcuts()
	w.win.SetCloseIntercept(w.onClose)
	w.loadStored()
	w.reconnect()
	return w
}

// loadFonts loads the faces of the text styles the first screen uses, off
// the UI thread, while the graphics driver starts: each style parses its
// font and looks up a system fallback. Nothing may measure or draw text
// before the returned channel closes.
func loadFonts(r *runner) <-chan struct{} {
	loaded := make(chan struct{})
	start(r, func(context.Context, func(struct{})) struct{} {
		defer close(loaded)
		size := theme.TextSize()
		for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
			fyne.MeasureText("Keywizard", size, style)
		}
		return struct{}{}
	}, nil, nil)
	return loaded
}

func (w *window) build() fyne.CanvasObject {
	split := container.NewHSplit(w.list.build(), w.right)
	split.Offset = 0.26
	body := container.NewBorder(w.top.build(), nil, nil, nil, split)
	return container.NewStack(w.floor, body)
}

// padding is what the window's padding takes from its size.
func (w *window) padding() fyne.Size {
	if !w.win.Padded() {
		return fyne.Size{}
	}
	return fyne.NewSquareSize(2 * theme.Padding())
}

func (w *window) startSize() fyne.Size {
	p := w.app.Preferences()
	s := fyne.NewSize(float32(p.FloatWithFallback(PrefWindowWidth, float64(defaultSize.Width))),
		float32(p.FloatWithFallback(PrefWindowHeight, float64(defaultSize.Height))))
	return s.Max(minSize)
}

// startService picks the service to show first: the one asked for, else
// the last one shown, else the first one the overview lists.
func (w *window) startService(asked string) string {
	for _, id := range []string{asked, w.app.Preferences().String(PrefLastService)} {
		if _, ok := w.services[id]; ok && id != "" {
			return id
		}
	}
	if ids := w.list.visibleIDs(); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

// status is what the overview shows for a service.
func (w *window) status(id string) wizard.Status {
	s := w.services[id]
	if s == nil {
		return wizard.NotStarted
	}
	if s.restored != "" {
		return s.restored
	}
	return s.sess.Status()
}

// readyCount counts the services whose keys are at least valid.
func (w *window) readyCount() int {
	n := 0
	for id := range w.services {
		if ready(w.status(id)) {
			n++
		}
	}
	return n
}

// openService shows a service on the right. Work running for the service
// shown before is cancelled.
func (w *window) openService(id string) {
	s := w.services[id]
	if s == nil {
		return
	}
	if w.current != nil && w.current != s {
		w.current.leave()
	}
	w.current = s
	// Remember the choice, writing only what changed: the toolkit reloads
	// its preferences file whenever it is written.
	if prefs := w.app.Preferences(); !w.starting && prefs.String(PrefLastService) != id {
		prefs.SetString(PrefLastService, id)
	}
	w.list.show(id)
	w.showScreen(newServiceScreen(w, s))
}

// showScreen puts a service screen on the right.
func (w *window) showScreen(sc *serviceScreen) {
	w.leavePanel(nil)
	w.stopSpinner()
	w.screen = sc
	w.setRight(sc.build())
}

// stopSpinner stops the activity of the form about to leave the window.
func (w *window) stopSpinner() {
	if w.screen != nil && w.screen.form != nil {
		w.screen.form.activity.Stop()
	}
}

// showOther puts something other than a service on the right.
func (w *window) showOther(o fyne.CanvasObject) {
	w.leavePanel(nil)
	w.stopSpinner()
	w.screen = nil
	w.setRight(o)
}

// showPanel puts the portal screen or review and push on the right. Work
// running for the service shown before is cancelled.
func (w *window) showPanel(p panel) {
	if w.current != nil {
		w.current.leave()
	}
	w.current = nil
	w.list.show("")
	w.leavePanel(p)
	w.screen, w.panel = nil, p
	w.setRight(p.build())
}

// setRight puts o on the right. Before the window has its content, the
// first layout draws it: a layout now, at no size, would only measure and
// wrap every text in vain.
func (w *window) setRight(o fyne.CanvasObject) {
	w.right.Objects = []fyne.CanvasObject{o}
	if w.placed {
		w.right.Refresh()
	}
}

// leavePanel tells the panel on the right that next replaces it.
func (w *window) leavePanel(next panel) {
	if w.panel != nil && w.panel != next {
		w.panel.leave()
	}
	w.panel = nil
}

// back leaves a panel for the service shown last.
func (w *window) back() {
	id := w.app.Preferences().String(PrefLastService)
	if _, ok := w.services[id]; !ok {
		id = w.startService("")
	}
	w.openService(id)
}

// onEscape cancels the work of the panel on the right, or leaves it.
func (w *window) onEscape() {
	if w.panel != nil {
		w.panel.escape()
	}
}

// changed is called after anything about s changed: it saves the
// non-secret progress and redraws the marks.
func (w *window) changed(s *service) {
	w.syncMark(s)
	w.saver.save(w.run, s.p.ID, Saved{Step: s.sess.Step, Status: w.status(s.p.ID), Message: s.message})
	w.list.refreshStatus()
	w.top.refresh()
}

// refreshForm redraws the action area of s's form, if it is on screen.
func (w *window) refreshForm(s *service) {
	if w.screen != nil && w.screen.s == s && w.screen.form != nil {
		w.screen.form.refreshActions()
	}
}

// focus gives the keyboard focus to o.
func (w *window) focus(o fyne.Focusable) { w.win.Canvas().Focus(o) }

// registerShortcuts puts Back, Next and search on the canvas. Entries of
// this window pass them on through tryShortcut.
func (w *window) registerShortcuts() {
	back := func() {
		if w.screen != nil {
			w.screen.onBack()
		}
	}
	next := func() {
		if w.screen != nil {
			w.screen.onNext()
		}
	}
	find := func() { w.focus(w.list.search) }
	w.keys = map[string]func(){}
	add := func(k fyne.KeyName, m fyne.KeyModifier, f func()) {
		sc := &desktop.CustomShortcut{KeyName: k, Modifier: m}
		w.keys[sc.ShortcutName()] = f
		w.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) { f() })
	}
	add(fyne.KeyLeft, fyne.KeyModifierAlt, back)
	add(fyne.KeyRight, fyne.KeyModifierAlt, next)
	add(fyne.KeyLeftBracket, fyne.KeyModifierShortcutDefault, back)
	add(fyne.KeyRightBracket, fyne.KeyModifierShortcutDefault, next)
	add(fyne.KeyF, fyne.KeyModifierShortcutDefault, find)
	add(fyne.KeyP, fyne.KeyModifierShortcutDefault, w.onPortal)
	add(fyne.KeyP, fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift, w.onPush)
	w.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			w.onEscape()
		}
	})
}

// tryShortcut runs a window shortcut; it reports whether s was one.
func (w *window) tryShortcut(s fyne.Shortcut) bool {
	f, ok := w.keys[s.ShortcutName()]
	if ok {
		f()
	}
	return ok
}

// onClose closes the window; while a push runs it asks first, then waits
// for the push to finish the service in progress (or undo it) before it
// closes: a half-done push must never be abandoned.
func (w *window) onClose() {
	ps := w.pushing
	if ps == nil || ps.job == nil {
		w.closeNow()
		return
	}
	if w.closing {
		return
	}
	msg := "Keywizard is pushing keys to " + ps.conn.name() + ". If you close now, it stops after the service in progress,\n" +
		"finishes it or puts the previous keys back, then closes."
	d := dialog.NewConfirm("Close while pushing?", msg, func(ok bool) {
		if !ok || ps.job == nil {
			return
		}
		w.closing = true
		ps.job.Cancel()
		ps.say("Closing once the service in progress is pushed or undone...")
	}, w.win)
	d.SetConfirmText("Close when done")
	d.SetDismissText("Keep open")
	w.showPanel(ps)
	d.Show()
}

// closeNow keeps what is not secret, stops the work in flight and closes.
func (w *window) closeNow() {
	w.closed = true
	size := w.win.Canvas().Size()
	p := w.app.Preferences()
	p.SetFloat(PrefWindowWidth, float64(size.Width))
	p.SetFloat(PrefWindowHeight, float64(size.Height))
	if w.current != nil && p.String(PrefLastService) != w.current.p.ID {
		p.SetString(PrefLastService, w.current.p.ID)
	}
	for _, s := range w.services {
		w.saver.save(w.run, s.p.ID, Saved{Step: s.sess.Step, Status: w.status(s.p.ID), Message: s.message})
	}
	w.run.close()
	w.saver.flush(2 * time.Second)
	w.win.Close()
}

// restoreProgress puts each service back at its step, with the verdict of
// an earlier run where there was one.
func (w *window) restoreProgress() {
	if w.deps.Progress == nil {
		return
	}
	for id, s := range w.services {
		saved, ok, err := w.deps.Progress.Load(id)
		if err != nil || !ok {
			continue
		}
		_ = s.sess.GoTo(saved.Step)
		switch saved.Status {
		case wizard.Verified, wizard.OnPortal, wizard.Problem, wizard.Unverified:
			s.restored, s.message = saved.Status, saved.Message
		}
		w.saver.last[id] = saved
	}
}

// loadStored reads the keys kept in the secret store, off the UI thread.
// A field the admin already typed into wins over the stored value.
func (w *window) loadStored() {
	store := w.deps.Store
	if store == nil {
		return
	}
	w.loading = true
	w.top.refresh()
	catalogue := w.catalogue
	w.afterShown(func() {
		start(w.run, func(ctx context.Context, _ func(struct{})) storedKeys {
			return readStored(ctx, store, catalogue)
		}, nil, func(got storedKeys, _ error) {
			w.loading = false
			w.applyStored(got)
		})
	})
}

// afterShown runs f on the UI thread once the window is on screen, unless
// it closed first: slow work the first frame does not need (opening the
// keyring probes it) then does not compete with the graphics driver's
// start.
func (w *window) afterShown(f func()) {
	start(w.run, func(context.Context, func(struct{})) struct{} { return struct{}{} }, nil, func(_ struct{}, closed error) {
		if closed == nil {
			f()
		}
	})
}

// storedKeys are values read from the store, by service then field, with
// the first error met.
type storedKeys struct {
	values map[string]map[string]string
	err    error
}

// readStored reads each service's keys with wizard.LoadKeys; a service
// whose keys cannot be read is left out, and the first error kept.
func readStored(ctx context.Context, store wizard.SecretStore, catalogue []providers.Provider) storedKeys {
	out := storedKeys{values: map[string]map[string]string{}}
	for _, p := range catalogue {
		if ctx.Err() != nil {
			return out
		}
		values, err := wizard.LoadKeys(ctx, store, p)
		switch {
		case err != nil:
			if out.err == nil {
				out.err = err
			}
		case len(values) > 0:
			out.values[p.ID] = values
		}
	}
	return out
}

func (w *window) applyStored(got storedKeys) {
	for id, vals := range got.values {
		s := w.services[id]
		if s == nil {
			continue
		}
		s.saved = vals
		for f, v := range vals {
			if s.sess.Values[f] == "" {
				_ = s.sess.Set(f, v)
			}
		}
	}
	w.top.loadErr = got.err
	w.syncMarks()
	if w.screen != nil && w.screen.form != nil {
		w.screen.form.reload()
	}
}

// progressSaver writes each service's progress when it changed, off the
// UI thread, the latest snapshot winning.
type progressSaver struct {
	store   ProgressStore
	last    map[string]Saved // last snapshot handed to the store (UI thread)
	mu      sync.Mutex       // guards seq and the store's writes
	seq     map[string]int   // newest snapshot written, per service
	next    int
	pending atomic.Int32
	err     error // last write error (under mu)
}

func (ps *progressSaver) save(r *runner, id string, s Saved) {
	if ps.store == nil {
		return
	}
	if old, ok := ps.last[id]; ok && old == s {
		return
	}
	ps.last[id] = s
	ps.next++
	n := ps.next
	ps.pending.Add(1)
	start(r, func(context.Context, func(struct{})) struct{} {
		defer ps.pending.Add(-1)
		ps.mu.Lock()
		defer ps.mu.Unlock()
		if ps.seq[id] > n {
			return struct{}{}
		}
		ps.seq[id] = n
		ps.err = ps.store.Save(id, s)
		return struct{}{}
	}, nil, nil)
}

// failed returns the last write error, if the last write failed.
func (ps *progressSaver) failed() error {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.err
}

// flush waits a little for the writes in flight, when the window closes.
func (ps *progressSaver) flush(limit time.Duration) {
	for end := time.Now().Add(limit); ps.pending.Load() > 0 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
}
