package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keywizard/wizard"
)

// Ways to sign in, as the radio buttons name them.
const (
	withPassword = "E-mail and password"
	withAPIKey   = "DocSpace API key"
)

// connectScreen is the portal screen: the remembered portals, and signing
// in to a portal with an e-mail and password (and a two-factor code when
// the portal asks for one) or a DocSpace API key.
type connectScreen struct {
	w *window

	url, caFile, user, password, apiKey, code *keyEntry
	how                                       *widget.RadioGroup
	remember                                  *widget.Check // keep the password (off unless ticked)
	howNote                                   *widget.Label
	detect, chooseCA, signIn, sendCode        *widget.Button
	openPortal, cancel, back                  *widget.Button
	found                                     *widget.Label // what Detect found
	foundGap                                  *widget.Label // its empty label cell
	userLabel, passwordLabel, apiKeyLabel     *widget.Label
	rememberGap                               *widget.Label
	codeBox                                   *fyne.Container // the two-factor prompt
	codeText                                  *widget.Label
	browserBox                                *fyne.Container // two-factor set-up to finish in a browser
	browserText                               *widget.Label
	remembered                                *fyne.Container
	connectedBox                              *fyne.Container
	actions                                   *fyne.Container // Sign in, or the progress line
	progress                                  *widget.Label
	activity                                  *widget.Activity
	msg                                       *widget.Label

	entries    []wizard.PortalEntry
	job        *job
	connect    *wizard.Connect // signing in to the address typed: detected, or waiting for a code
	connectFor string          // the address and CA file connect was made for
}

// onPortal shows the portal screen.
func (w *window) onPortal() {
	if w.deps.Portals == nil {
		return
	}
	if cs, ok := w.panel.(*connectScreen); ok {
		w.focus(cs.url)
		return
	}
	cs := newConnectScreen(w)
	w.showPanel(cs)
	cs.loadList()
	switch {
	case cs.codeBox.Visible():
		w.focus(cs.code)
	case w.conn == nil:
		w.focus(cs.url)
	}
}

func newConnectScreen(w *window) *connectScreen {
	cs := &connectScreen{w: w}
	cs.url = cs.entry(cs.onDetect)
	cs.url.SetPlaceHolder("https://portal.example.com")
	cs.url.OnChanged = func(string) { cs.forgetClient() }
	cs.caFile = cs.entry(cs.onDetect)
	cs.caFile.SetPlaceHolder("Optional: the authority's PEM file")
	cs.caFile.OnChanged = func(string) { cs.forgetClient() }
	cs.user = cs.entry(func() { w.focus(cs.password) })
	cs.user.SetPlaceHolder("admin@example.com")
	cs.password = cs.entry(cs.onSignIn)
	cs.password.Password = true
	cs.apiKey = cs.entry(cs.onSignIn)
	cs.apiKey.Password = true
	cs.code = cs.entry(cs.onSendCode)
	cs.code.SetPlaceHolder("123456")
	cs.how = &widget.RadioGroup{Options: []string{withPassword, withAPIKey}, Selected: withPassword, Horizontal: true}
	cs.how.OnChanged = func(string) { cs.showHow() }
	cs.how.ExtendBaseWidget(cs.how)
	cs.howNote = wrapped("", widget.MediumImportance)
	cs.remember = widget.NewCheck("Remember the password in "+w.storeWhere()+" to renew the session (never for two-factor sign-in)", nil)
	cs.detect = &widget.Button{Text: "Detect", Icon: theme.SearchIcon(), OnTapped: cs.onDetect}
	cs.chooseCA = &widget.Button{Text: "Choose file...", Icon: theme.FolderOpenIcon(), OnTapped: cs.onChooseCA}
	cs.signIn = &widget.Button{Text: "Sign in", Icon: theme.LoginIcon(), Importance: widget.HighImportance, OnTapped: cs.onSignIn}
	cs.sendCode = &widget.Button{Text: "Send code", Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: cs.onSendCode}
	cs.openPortal = &widget.Button{Text: "Open the portal", Icon: theme.ComputerIcon(), OnTapped: cs.onOpenPortal}
	cs.cancel = &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: func() { cs.job.Cancel() }}
	cs.back = &widget.Button{Text: "Back to the services", Icon: theme.NavigateBackIcon(), OnTapped: w.back}
	cs.found = &widget.Label{Importance: widget.SuccessImportance, Wrapping: fyne.TextWrapWord}
	cs.found.Hide()
	cs.foundGap = &widget.Label{}
	cs.foundGap.Hide()
	cs.userLabel = &widget.Label{Text: "E-mail"}
	cs.passwordLabel = &widget.Label{Text: "Password"}
	cs.apiKeyLabel = &widget.Label{Text: "API key"}
	cs.rememberGap = &widget.Label{}
	cs.codeText = wrapped("", widget.MediumImportance)
	codeRow := container.NewBorder(nil, nil, &widget.Label{Text: "Code"}, cs.sendCode, cs.code)
	cs.codeBox = container.NewVBox(&widget.Label{Text: "Two-factor code", TextStyle: fyne.TextStyle{Bold: true}}, cs.codeText, codeRow)
	cs.codeBox.Hide()
	cs.browserText = wrapped("", widget.WarningImportance)
	cs.browserBox = container.NewVBox(warningBlock(cs.browserText), container.NewHBox(cs.openPortal))
	cs.browserBox.Hide()
	cs.remembered = container.NewVBox()
	cs.connectedBox = container.NewVBox()
	cs.progress = wrapped("", widget.MediumImportance)
	cs.activity = widget.NewActivity()
	cs.actions = container.NewVBox()
	cs.msg = wrapped("", widget.MediumImportance)
	cs.msg.Hide()
	cs.showHow()
	cs.refreshActions()
	cs.portalChanged()
	if err := w.portalErr; err != nil && w.conn == nil {
		var waits *renewalWaits
		if errors.As(err, &waits) {
			// The renewal at start waits for a code: ask for it here. This
			// screen takes that sign-in, which one goroutine uses at a time.
			w.portalErr = errors.New(waits.Error())
			cs.fill(waits.entry)
			cs.reopened(waits.reopened, cs.target())
		}
		cs.say("Not connected: "+sentence(err.Error()), widget.WarningImportance)
	}
	return cs
}

// entry is a one-line field where Enter runs submit and Escape cancels.
func (cs *connectScreen) entry(submit func()) *keyEntry {
	e := newKeyEntry(cs.w.tryShortcut)
	e.OnSubmitted = func(string) { submit() }
	e.onKey = func(k *fyne.KeyEvent) bool {
		if k.Name == fyne.KeyEscape {
			cs.escape()
			return true
		}
		return false
	}
	return e
}

func (cs *connectScreen) build() fyne.CanvasObject {
	head := &widget.Label{Text: "Connect to a portal", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText}
	intro := wrapped(`Sign in as the portal's owner or an administrator. Keywizard then shows which keys the portal holds, and pushes the ones you choose to its "Authorization keys".`, widget.MediumImportance)
	caHelp := wrapped("Only for a portal whose certificate comes from your organisation's own authority.", widget.LowImportance)
	form := container.New(layout.NewFormLayout(),
		&widget.Label{Text: "Portal address"}, container.NewBorder(nil, nil, nil, cs.detect, cs.url),
		cs.foundGap, cs.found,
		&widget.Label{Text: "Certificate authority"}, container.NewVBox(container.NewBorder(nil, nil, nil, cs.chooseCA, cs.caFile), caHelp),
		&widget.Label{Text: "Sign in with"}, container.NewVBox(cs.how, cs.howNote),
		cs.userLabel, cs.user,
		cs.passwordLabel, cs.password,
		cs.rememberGap, cs.remember,
		cs.apiKeyLabel, cs.apiKey,
	)
	body := container.NewVBox(
		cs.connectedBox,
		cs.remembered,
		subheading("Sign in to a portal"),
		form,
		cs.codeBox, cs.browserBox,
		cs.actions, cs.msg,
	)
	nav := container.NewBorder(widget.NewSeparator(), nil, cs.back, nil)
	top := container.NewVBox(head, intro, widget.NewSeparator())
	return container.NewBorder(top, nav, nil, nil, container.NewVScroll(container.NewPadded(body)))
}

func setVisible(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

func subheading(text string) *widget.Label {
	return &widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
}

func warningBlock(l *widget.Label) fyne.CanvasObject {
	icon := widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))
	return container.NewBorder(nil, nil, container.NewVBox(icon), nil, l)
}

// showHow shows the fields of the chosen way to sign in.
func (cs *connectScreen) showHow() {
	key := cs.how.Selected == withAPIKey
	for _, o := range []fyne.CanvasObject{cs.userLabel, cs.user, cs.passwordLabel, cs.password, cs.rememberGap, cs.remember} {
		setVisible(o, !key)
	}
	for _, o := range []fyne.CanvasObject{cs.apiKeyLabel, cs.apiKey} {
		setVisible(o, key)
	}
	if key {
		cs.howNote.SetText(`Create an API key in DocSpace under "Developer Tools" > "API keys". It needs no two-factor code.`)
	} else {
		cs.howNote.SetText("")
	}
	cs.howNote.Hidden = cs.howNote.Text == ""
	cs.howNote.Refresh()
}

// refreshActions shows Sign in, or the progress line while work runs.
func (cs *connectScreen) refreshActions() {
	busy := cs.job != nil
	if busy {
		cs.activity.Start()
		cs.actions.Objects = []fyne.CanvasObject{container.NewBorder(nil, nil, cs.activity, cs.cancel, cs.progress)}
	} else {
		cs.activity.Stop()
		cs.actions.Objects = []fyne.CanvasObject{container.NewHBox(cs.signIn)}
	}
	cs.actions.Refresh()
	for _, b := range []*widget.Button{cs.detect, cs.chooseCA, cs.sendCode} {
		enable(b, !busy)
	}
	for _, row := range cs.remembered.Objects {
		for _, o := range objectsOf(row) {
			if b, ok := o.(*widget.Button); ok {
				enable(b, !busy)
			}
		}
	}
}

// objectsOf lists the objects inside o's containers.
func objectsOf(o fyne.CanvasObject) []fyne.CanvasObject {
	out := []fyne.CanvasObject{o}
	if c, ok := o.(*fyne.Container); ok {
		for _, x := range c.Objects {
			out = append(out, objectsOf(x)...)
		}
	}
	return out
}

// busy starts showing work j; the focus leaves the fields so that Escape
// reaches Cancel.
func (cs *connectScreen) busy(text string, j *job) {
	cs.job = j
	cs.progress.SetText(text)
	cs.msg.Hide()
	cs.w.win.Canvas().Unfocus()
	cs.refreshActions()
}

// idle ends work j; false when j is not the screen's work any more.
func (cs *connectScreen) idle(j *job, cancelled error) bool {
	if cs.job != j {
		return false
	}
	cs.job = nil
	cs.refreshActions()
	if cancelled != nil {
		cs.say("Cancelled.", widget.WarningImportance)
	}
	return cancelled == nil
}

// say shows one message under the buttons.
func (cs *connectScreen) say(text string, imp widget.Importance) {
	cs.msg.Text, cs.msg.Importance = text, imp
	cs.msg.Show()
	cs.msg.Refresh()
}

// forgetClient drops what was detected when the address or CA file changes.
func (cs *connectScreen) forgetClient() {
	if cs.connect == nil && cs.found.Text == "" {
		return
	}
	cs.connect, cs.connectFor = nil, ""
	cs.found.SetText("")
	cs.found.Hide()
	cs.foundGap.Hide()
	cs.how.Enable()
	cs.hideCode()
}

func (cs *connectScreen) hideCode() {
	cs.codeBox.Hide()
	cs.browserBox.Hide()
	cs.code.SetText("")
}

func (cs *connectScreen) target() string {
	return strings.TrimSpace(cs.url.Text) + "\x00" + strings.TrimSpace(cs.caFile.Text)
}

// checkURL says what is wrong with the address, before anything is sent.
func (cs *connectScreen) checkURL() bool {
	if _, err := wizard.ParsePortalURL(cs.url.Text); err != nil {
		cs.say(sentence(err.Error()), widget.DangerImportance)
		cs.w.focus(cs.url)
		return false
	}
	return true
}

func (cs *connectScreen) onDetect() {
	if cs.job != nil || !cs.checkURL() {
		return
	}
	d, url, ca, target := cs.w.flow(), cs.url.Text, strings.TrimSpace(cs.caFile.Text), cs.target()
	var j *job
	j = start(cs.w.run, func(ctx context.Context, _ func(struct{})) signInStep {
		c, err := d.NewConnect(url, ca)
		if err != nil {
			return signInStep{err: err}
		}
		need, err := c.Next(ctx, wizard.Answer{})
		return signInStep{c: c, need: need, err: err}
	}, nil, func(got signInStep, cancelled error) {
		if !cs.idle(j, cancelled) {
			return
		}
		if got.err != nil {
			cs.say("Not found: "+sentence(got.err.Error()), widget.DangerImportance)
			cs.w.focus(cs.url)
			return
		}
		cs.detected(got.c, target)
		cs.w.focus(cs.firstField())
	})
	cs.busy("Asking "+portalName(url)+" which product it runs...", j)
}

// signInStep is what one step of signing in did.
type signInStep struct {
	c    *wizard.Connect
	need wizard.Need
	err  error
}

// detected keeps the sign-in to the address typed and says what the
// portal runs.
func (cs *connectScreen) detected(c *wizard.Connect, target string) {
	cs.connect, cs.connectFor = c, target
	cs.showFound(c.Client().Info())
}

// foundInfo is what detection found for the address typed; zero before.
func (cs *connectScreen) foundInfo() wizard.PortalInfo {
	if cs.connect == nil {
		return wizard.PortalInfo{}
	}
	return cs.connect.Client().Info()
}

// showFound says what the portal runs; Workspace has no API keys.
func (cs *connectScreen) showFound(info wizard.PortalInfo) {
	cs.found.SetText("Found " + productLine(info) + ".")
	cs.found.Show()
	cs.foundGap.Show()
	if info.Product == wizard.Workspace {
		cs.how.SetSelected(withPassword)
		cs.how.Disable()
		cs.howNote.SetText("Workspace has no API keys: sign in with an e-mail and password.")
		cs.howNote.Show()
	} else {
		cs.how.Enable()
		cs.showHow()
	}
}

func (cs *connectScreen) firstField() fyne.Focusable {
	switch {
	case cs.how.Selected == withAPIKey:
		return cs.apiKey
	case cs.user.Text == "":
		return cs.user
	}
	return cs.password
}

func (cs *connectScreen) onChooseCA() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		path := rc.URI().Path()
		_ = rc.Close()
		cs.caFile.SetText(path)
	}, cs.w.win)
	d.Show()
}

// onSignIn signs in with the e-mail and password, or the API key.
func (cs *connectScreen) onSignIn() {
	if cs.job != nil || !cs.checkURL() {
		return
	}
	var a wizard.Answer
	if cs.how.Selected == withAPIKey {
		a.APIKey = strings.TrimSpace(cs.apiKey.Text)
		if a.APIKey == "" {
			cs.say("Paste the API key first.", widget.DangerImportance)
			cs.w.focus(cs.apiKey)
			return
		}
	} else {
		a.User, a.Password, a.Remember = strings.TrimSpace(cs.user.Text), cs.password.Text, cs.remember.Checked
		if a.User == "" || a.Password == "" {
			cs.say("Type the e-mail and the password first.", widget.DangerImportance)
			cs.w.focus(cs.firstField())
			return
		}
	}
	// What was detected for this address is used again; a sign-in that
	// waits for a code or is done starts afresh (a new SMS, a new session).
	c := cs.connect
	if c == nil || cs.connectFor != cs.target() || c.Waiting().Kind != wizard.NeedCredentials {
		c = nil
	}
	cs.hideCode()
	cs.run(c, a, "Signing in to "+portalName(cs.url.Text)+"...")
}

// onSendCode finishes a two-factor sign-in.
func (cs *connectScreen) onSendCode() {
	if cs.job != nil || cs.connect == nil || !cs.codeBox.Visible() {
		return
	}
	code := strings.TrimSpace(cs.code.Text)
	if code == "" {
		cs.say("Type the code first.", widget.DangerImportance)
		cs.w.focus(cs.code)
		return
	}
	cs.run(cs.connect, wizard.Answer{Code: code}, "Sending the code...")
}

// run gives the answer to the sign-in c off the UI thread; with no c, a new
// sign-in to the address typed starts.
func (cs *connectScreen) run(c *wizard.Connect, a wizard.Answer, text string) {
	d, url, ca, target := cs.w.flow(), cs.url.Text, strings.TrimSpace(cs.caFile.Text), cs.target()
	var j *job
	j = start(cs.w.run, func(ctx context.Context, _ func(struct{})) signInStep {
		got := signInStep{c: c}
		if got.c == nil {
			if got.c, got.err = d.NewConnect(url, ca); got.err != nil {
				return got
			}
		}
		got.need, got.err = got.c.Next(ctx, a)
		return got
	}, nil, func(got signInStep, cancelled error) {
		if !cs.idle(j, cancelled) {
			return
		}
		cs.signedIn(got, target)
	})
	cs.busy(text, j)
}

// signedIn shows the outcome of a step of signing in.
func (cs *connectScreen) signedIn(got signInStep, target string) {
	if got.c != nil && got.c.Client().Info().Product != "" {
		cs.detected(got.c, target)
	}
	var asks *wizard.ErrCodeRequired
	switch {
	case got.need.Code != nil && (got.err == nil || errors.As(got.err, &asks)):
		cs.askCode(got.need.Code)
	case errors.Is(got.err, wizard.ErrWrongCode):
		cs.say(sentence(got.err.Error()), widget.DangerImportance)
		cs.code.SetText("")
		cs.w.focus(cs.code)
	case got.err != nil:
		cs.say("Not signed in: "+sentence(got.err.Error()), widget.DangerImportance)
		cs.hideCode()
		cs.w.focus(cs.firstField())
	case got.need.Kind == wizard.Done:
		res := got.c.Result()
		cs.connected(res.Conn, keptNote(res))
	}
}

// connected makes conn the window's portal and says so, with note.
func (cs *connectScreen) connected(conn *wizard.PortalConn, note string) {
	cs.password.SetText("")
	cs.apiKey.SetText("")
	cs.hideCode()
	cs.w.setConn(newPortalConn(conn.Entry, conn.Client))
	cs.say("Signed in to "+portalName(conn.Entry.URL)+" ("+productLine(conn.Client.Info())+"). "+note, widget.SuccessImportance)
	cs.loadList()
}

// keptNote says what a finished sign-in kept, and where.
func keptNote(res *wizard.Connected) string {
	var notes []string
	switch {
	case errors.Is(res.NotKept, wizard.ErrNoStore):
		notes = append(notes, "The session is not kept: there is no secret store, so you sign in again next time.")
	case res.NotKept != nil:
		notes = append(notes, "The session could not be kept: "+sentence(res.NotKept.Error()))
	case !res.Expires.IsZero():
		notes = append(notes, fmt.Sprintf("The session lasts until %s; it is kept in %s.", res.Expires.Local().Format("2006-01-02 15:04"), res.Where))
	default:
		notes = append(notes, "The API key is kept in "+res.Where+".")
	}
	if res.NotListed != nil {
		notes = append(notes, "The portal could not be added to the list: "+sentence(res.NotListed.Error()))
	}
	if res.PasswordRefused {
		notes = append(notes, "The password was not kept: this account uses two-factor sign-in, so you sign in again when the session ends.")
	}
	return strings.Join(notes, " ")
}

// askCode shows the two-factor prompt, or what to finish in a browser.
func (cs *connectScreen) askCode(need *wizard.ErrCodeRequired) {
	cs.codeBox.Hide()
	cs.browserBox.Hide()
	if need == nil {
		need = &wizard.ErrCodeRequired{Kind: wizard.CodeApp}
	}
	switch need.Kind {
	case wizard.CodeAppSetup:
		cs.browserText.SetText("This account has two-factor sign-in with an authenticator app, but the app is not set up yet. " +
			"Open the portal in a browser, sign in, and follow its steps to add the account to the app. Then come back and choose Sign in again.")
		cs.browserBox.Show()
	case wizard.CodePhoneSetup:
		cs.browserText.SetText("This account gets its two-factor codes by SMS, but has no phone number yet. " +
			"Open the portal in a browser, sign in and add the phone number. Then come back and choose Sign in again.")
		cs.browserBox.Show()
	case wizard.CodeSMS:
		to := "your phone"
		if need.PhoneNoise != "" {
			to = need.PhoneNoise
		}
		cs.codeText.SetText("The portal sent a code by SMS to " + to + ". Type it here. (Sign in again sends another SMS.)")
		cs.codeBox.Show()
	default:
		cs.codeText.SetText("Open your authenticator app (for example Google Authenticator) and type the 6-digit code it shows for this portal.")
		cs.codeBox.Show()
	}
	cs.msg.Hide()
	if cs.codeBox.Visible() {
		cs.w.focus(cs.code)
	}
}

func (cs *connectScreen) onOpenPortal() {
	u := strings.TrimSpace(cs.url.Text)
	if pu, err := wizard.ParsePortalURL(u); err == nil {
		u = pu.String()
	}
	start(cs.w.run, func(context.Context, func(struct{})) error { return cs.w.open(u) }, nil, func(err, _ error) {
		if err != nil {
			cs.say("The browser did not open: open "+u+" by hand.", widget.WarningImportance)
		}
	})
}

// loadList reads the remembered portals off the UI thread.
func (cs *connectScreen) loadList() {
	ps := cs.w.deps.Portals
	start(cs.w.run, func(context.Context, func(struct{})) portalList {
		entries, err := ps.Remembered()
		return portalList{entries, err}
	}, nil, func(got portalList, _ error) {
		cs.entries = got.entries
		cs.showList(got.err)
	})
}

type portalList struct {
	entries []wizard.PortalEntry
	err     error
}

// showList draws the remembered portals, each with Connect and Forget.
func (cs *connectScreen) showList(err error) {
	var objs []fyne.CanvasObject
	if err != nil {
		objs = append(objs, wrapped("The list of remembered portals could not be read: "+sentence(err.Error()), widget.WarningImportance))
	}
	if len(cs.entries) > 0 {
		objs = append(objs, subheading("Remembered portals"))
	}
	for _, e := range cs.entries {
		objs = append(objs, cs.listRow(e))
	}
	if len(objs) > 0 {
		objs = append(objs, widget.NewSeparator())
	}
	cs.remembered.Objects = objs
	cs.remembered.Refresh()
	cs.refreshActions()
}

func (cs *connectScreen) listRow(e wizard.PortalEntry) fyne.CanvasObject {
	who := e.User
	if e.APIKey {
		who = "API key"
	}
	detail := productLine(e.Info())
	if who != "" {
		detail += " · " + who
	}
	name := &widget.Label{Text: portalName(e.URL), TextStyle: fyne.TextStyle{Bold: true}}
	icon := widget.NewIcon(theme.NewThemedResource(theme.ComputerIcon()))
	connect := &widget.Button{Text: "Connect", Icon: theme.LoginIcon(), OnTapped: func() { cs.onReopen(e) }}
	if c := cs.w.conn; c != nil && strings.EqualFold(c.entry.URL, e.URL) {
		detail += " · connected"
		icon.SetResource(theme.NewSuccessThemedResource(theme.UploadIcon()))
		connect.SetText("Connect again")
	}
	forget := &widget.Button{Text: "Forget", Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: func() { cs.onForget(e) }}
	text := container.NewVBox(name, &widget.Label{Text: detail, Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis})
	return container.NewBorder(nil, nil, container.NewVBox(icon), container.NewCenter(container.NewHBox(connect, forget)), text)
}

// onReopen connects to a remembered portal with its stored session.
func (cs *connectScreen) onReopen(e wizard.PortalEntry) {
	if cs.job != nil {
		return
	}
	cs.fill(e)
	d, target := cs.w.flow(), cs.target()
	var j *job
	j = start(cs.w.run, func(ctx context.Context, _ func(struct{})) reopened {
		return reopen(ctx, d, e)
	}, nil, func(got reopened, cancelled error) {
		if !cs.idle(j, cancelled) {
			return
		}
		cs.reopened(got, target)
	})
	cs.busy("Connecting to "+portalName(e.URL)+"...", j)
}

// fill puts a remembered portal in the fields, for signing in to it.
func (cs *connectScreen) fill(e wizard.PortalEntry) {
	cs.url.SetText(e.URL)
	cs.caFile.SetText(e.CAFile)
	cs.user.SetText(e.User)
	cs.password.SetText("")
	if e.APIKey {
		cs.how.SetSelected(withAPIKey)
	} else {
		cs.how.SetSelected(withPassword)
	}
	cs.forgetClient()
}

// reopened shows the outcome of reconnecting to a remembered portal: the
// code step when the renewal waits for a code.
func (cs *connectScreen) reopened(got reopened, target string) {
	if c := got.conn; c != nil && c.Client != nil && c.Client.Info().Product != "" {
		cs.showFound(c.Client.Info())
	}
	var asks *wizard.ErrCodeRequired
	var renew *wizard.RenewError
	switch {
	case got.pending != nil:
		cs.detected(got.pending, target)
		cs.askCode(got.pending.Waiting().Code)
	case errors.As(got.err, &asks) && asks.NeedsBrowser():
		cs.askCode(asks)
	case errors.As(got.err, &renew):
		cs.say("Not signed in: "+sentence(renew.Err.Error()), widget.DangerImportance)
		cs.hideCode()
		cs.w.focus(cs.firstField())
	case errors.Is(got.err, wizard.ErrSignInAgain):
		cs.say("The session on "+portalName(got.entry.URL)+" ended: sign in again.", widget.WarningImportance)
		cs.w.focus(cs.firstField())
	case got.err != nil:
		cs.say("Not signed in: "+sentence(got.err.Error()), widget.DangerImportance)
		cs.hideCode()
		cs.w.focus(cs.firstField())
	default:
		cs.connected(got.conn, "")
	}
}

// onForget signs out of a remembered portal and drops it from the list.
func (cs *connectScreen) onForget(e wizard.PortalEntry) {
	w := cs.w
	where := w.storeWhere()
	msg := "This deletes the session and the password of " + portalName(e.URL) + " from " + where +
		" and removes the portal from the list. Nothing changes on the portal."
	d := dialog.NewConfirm("Forget "+portalName(e.URL)+"?", msg, func(ok bool) {
		if ok {
			cs.forget(e)
		}
	}, w.win)
	d.SetConfirmText("Forget")
	d.SetDismissText("Cancel")
	d.Show()
}

func (cs *connectScreen) forget(e wizard.PortalEntry) {
	w := cs.w
	d := w.flow()
	var j *job
	j = start(w.run, func(ctx context.Context, _ func(struct{})) error {
		_, err := d.SignOut(ctx, true, e.URL)
		if errors.Is(err, wizard.ErrNotRemembered) {
			return nil // forgotten meanwhile, on the command line
		}
		return err
	}, nil, func(err, cancelled error) {
		if !cs.idle(j, cancelled) {
			return
		}
		if err != nil {
			cs.say(portalName(e.URL)+" was not forgotten: "+sentence(err.Error()), widget.DangerImportance)
			return
		}
		if c := w.conn; c != nil && strings.EqualFold(c.entry.URL, e.URL) {
			w.disconnect()
		}
		cs.say(portalName(e.URL)+" was forgotten.", widget.SuccessImportance)
		cs.loadList()
	})
	cs.busy("Forgetting "+portalName(e.URL)+"...", j)
}

// portalChanged shows the connected portal at the top of the screen.
func (cs *connectScreen) portalChanged() {
	c := cs.w.conn
	if c == nil {
		cs.connectedBox.Objects = nil
		cs.connectedBox.Refresh()
		return
	}
	text := "Connected to " + c.name() + " (" + productLine(c.client.Info()) + ")"
	if c.entry.User != "" {
		text += " as " + c.entry.User
	}
	text += "."
	review := &widget.Button{Text: "Review and push", Icon: theme.UploadIcon(), Importance: widget.HighImportance, OnTapped: cs.w.onPush}
	offline := &widget.Button{Text: "Work offline", Icon: theme.LogoutIcon(), OnTapped: func() {
		cs.w.disconnect()
		cs.loadList()
	}}
	lines := []fyne.CanvasObject{wrapped(text, widget.MediumImportance)}
	if c.readErr != nil {
		lines = append(lines, wrapped("Its keys could not be read: "+sentence(c.readErr.Error()), widget.WarningImportance))
	}
	lines = append(lines, container.NewHBox(review, offline))
	cs.connectedBox.Objects = []fyne.CanvasObject{card(theme.NewSuccessThemedResource(theme.ConfirmIcon()), "Connected", lines)}
	cs.connectedBox.Refresh()
}

// escape cancels the work in flight, or goes back to the services.
func (cs *connectScreen) escape() {
	if cs.job != nil {
		cs.job.Cancel()
		return
	}
	cs.w.back()
}

// leave cancels the work in flight: nobody would see its outcome.
func (cs *connectScreen) leave() { cs.job.Cancel() }
