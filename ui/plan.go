package ui

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
	"keywizard/wizard"
)

// planState is what the window knows of the plan: the admin's choices and
// the expiry watch's facts, kept in the progress file.
type planState struct {
	store   PlanStore // nil: no plan is kept, and the window starts on a service
	saved   *wizard.ChosenPlan
	keys    map[string]wizard.KeyFacts
	seen    map[string]*wizard.Outcome // what 'keywizard status' last saw on the portal
	started bool                       // some service was begun before this run
	// product and version chosen on the welcome without signing in.
	product, version string
	line             *fyne.Container // the expiry line of the service on screen
	lineFor          *service
}

// loadPlan reads the plan and the key facts, once, at start.
func (w *window) loadPlan() {
	w.plan.keys, w.plan.seen = map[string]wizard.KeyFacts{}, map[string]*wizard.Outcome{}
	ps, ok := w.deps.Progress.(PlanStore)
	if !ok {
		return
	}
	w.plan.store = ps
	p, _ := ps.LoadAll()
	if p == nil {
		return
	}
	w.plan.saved = p.Settings.Plan
	w.plan.started = p.Started()
	for id, s := range p.Services {
		if s.Keys != nil {
			w.plan.keys[id] = *s.Keys
		}
		if s.Portal != nil {
			w.plan.seen[id] = s.Portal
		}
	}
	if sp := w.plan.saved; sp != nil {
		w.plan.product, w.plan.version = sp.Product, sp.Version
	}
}

// startHome shows, at start, the welcome on a first run or the plan while
// it is not done; false leaves the start to the services.
func (w *window) startHome(asked string) bool {
	if w.plan.store == nil || asked != "" {
		return false
	}
	switch sp := w.plan.saved; {
	case sp == nil && !w.plan.started:
		w.showPanel(newWelcome(w))
		return true
	case sp != nil && len(sp.Goals) > 0 && !w.makePlan(sp.Goals).Done():
		w.showPanel(newPlanScreen(w))
		return true
	}
	return false
}

// onPlan shows the plan, or the welcome when there is none yet.
func (w *window) onPlan() {
	if sp := w.plan.saved; sp != nil && len(sp.Goals) > 0 {
		w.showPanel(newPlanScreen(w))
		return
	}
	w.showPanel(newWelcome(w))
}

// planInput gathers what the plan is made from: the connected portal's
// product, version and keys, else the product chosen without a portal,
// and every service's status.
func (w *window) planInput(goals []string) wizard.PlanInput {
	in := wizard.PlanInput{Goals: goals, Catalogue: w.catalogue, Status: map[string]wizard.Status{}, Holds: map[string]bool{},
		Product: w.plan.product, Version: w.plan.version}
	if c := w.conn; c != nil {
		in.Product, in.Version = string(c.entry.Product), c.entry.Version
		if c.states != nil {
			in.Offered = map[string]bool{}
		}
	}
	if w.conn == nil {
		// Offline, what the command line last saw on the portal stands in.
		for id, o := range w.plan.seen {
			if in.Offered == nil {
				in.Offered = map[string]bool{}
			}
			in.Offered[id] = !strings.HasPrefix(o.Message, "not offered")
			in.Holds[id] = o.OK
		}
	}
	for id, s := range w.services {
		in.Status[id] = w.status(id)
		switch {
		case in.Offered == nil, s.mark == markUnknown:
		case s.mark == markNotOffered:
			in.Offered[id] = false
		default:
			in.Offered[id] = true
			in.Holds[id] = s.mark != markNotSet
		}
	}
	return in
}

func (w *window) makePlan(goals []string) wizard.Plan { return wizard.MakePlan(w.planInput(goals)) }

// choosePlan remembers the goals and shows the plan.
func (w *window) choosePlan(goals []string) {
	sp := wizard.ChosenPlan{Goals: goals, Chosen: time.Now().UTC()}
	if w.conn == nil {
		sp.Product, sp.Version = w.plan.product, w.plan.version
	}
	w.plan.saved = &sp
	w.savePlan(sp)
	w.showPanel(newPlanScreen(w))
}

// skipPlan ends the welcome without a plan: the services are the home.
func (w *window) skipPlan() {
	sp := wizard.ChosenPlan{Goals: []string{}, Chosen: time.Now().UTC()}
	w.plan.saved = &sp
	w.savePlan(sp)
	w.back()
}

func (w *window) savePlan(sp wizard.ChosenPlan) {
	store := w.plan.store
	if store == nil {
		return
	}
	start(w.run, func(context.Context, func(struct{})) error { return store.SavePlan(sp) }, nil, nil)
}

// keysSaved records the expiry watch's facts once a service's keys were
// stored: the dates the admin typed, and when, which moves only when
// changed says the keys differ from those stored before.
func (w *window) keysSaved(s *service, values map[string]string, changed bool) {
	p := s.p
	w.plan.keys[p.ID] = w.plan.keys[p.ID].Stored(p, values, changed, time.Now())
	w.list.refreshStatus()
	if store := w.plan.store; store != nil {
		start(w.run, func(context.Context, func(struct{})) error { return store.KeysStored(p, values, changed) }, nil, nil)
	}
}

// expiry is when a service's keys stop working: from the form's values
// when it holds the dates, else from the facts kept with the progress.
func (w *window) expiry(id string) *wizard.Expiry {
	f := w.plan.keys[id]
	if s := w.services[id]; s != nil {
		live := wizard.FactsOf(s.p, s.sess.Values, f.Saved)
		if s.sess.Values[providers.ExpiresField] != "" {
			f.Expires = live.Expires
		}
		if s.sess.Values[providers.PublishingField] != "" {
			f.Testing = live.Testing
		}
	}
	return wizard.ExpiryOf(f, time.Now())
}

// expiryWord is what the list adds to a service's status when its keys
// expire soon: "expires in 12 days".
func (w *window) expiryWord(id string) string {
	if e := w.expiry(id); e.Urgent() {
		return e.Words()
	}
	return ""
}

// expiryLine is the place on a service's page that says when its keys
// expire; refreshExpiry fills it again when the stored keys arrive.
func (w *window) expiryLine(s *service) fyne.CanvasObject {
	box := container.NewVBox()
	w.plan.line, w.plan.lineFor = box, s
	w.refreshExpiry(s)
	return box
}

// refreshExpiry redraws the expiry line of s, if it is on screen.
func (w *window) refreshExpiry(s *service) {
	if w.plan.lineFor != s || w.plan.line == nil {
		return
	}
	w.plan.line.Objects = nil
	if o := w.expiryText(s); o != nil {
		w.plan.line.Objects = []fyne.CanvasObject{o}
	}
	w.plan.line.Refresh()
}

func (w *window) expiryText(s *service) fyne.CanvasObject {
	e := w.expiry(s.p.ID)
	switch {
	case e == nil:
		return nil
	case e.Testing:
		return warningLine("This Google app is in Testing: people's sign-ins and Google Drive connections stop after 7 days. To fix it, " + e.Fix() + ".")
	}
	text := "The secret " + e.Words() + " (" + e.Date + ")"
	if !e.Urgent() {
		return wrapped(text+".", widget.LowImportance)
	}
	return warningLine(text + ": " + e.Fix() + ".")
}

// planScreen is the home while the plan is not done: only the chosen
// services, in order, each with its time and what to have at hand.
type planScreen struct {
	w    *window
	body *fyne.Container
}

func newPlanScreen(w *window) *planScreen {
	ps := &planScreen{w: w, body: container.NewVBox()}
	ps.fill()
	return ps
}

func (ps *planScreen) build() fyne.CanvasObject {
	w := ps.w
	head := &widget.Label{Text: "Your plan", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText}
	change := &widget.Button{Text: "Change what I want", Icon: theme.DocumentCreateIcon(), OnTapped: func() { w.showPanel(newGoalsScreen(w)) }}
	report := &widget.Button{Text: "Set-up report", Icon: theme.FileTextIcon(), OnTapped: w.onReport}
	all := &widget.Button{Text: "All services", Icon: theme.ListIcon(), OnTapped: w.back}
	nav := container.NewBorder(widget.NewSeparator(), nil, container.NewHBox(change, report), all)
	return container.NewBorder(container.NewVBox(head, widget.NewSeparator()), nav, nil, nil, container.NewVScroll(container.NewPadded(ps.body)))
}

// fill draws the plan as it stands now.
func (ps *planScreen) fill() {
	w := ps.w
	var goals []string
	if sp := w.plan.saved; sp != nil {
		goals = sp.Goals
	}
	plan := w.makePlan(goals)
	objs := []fyne.CanvasObject{wrapped(planSummary(plan, w.portalWords()), widget.MediumImportance)}
	if plan.Done() {
		objs = append(objs, card(theme.NewSuccessThemedResource(theme.ConfirmIcon()), "Everything in the plan is done",
			[]fyne.CanvasObject{wrapped("Keep the set-up report for whoever looks after the portal next. Keys that expire show in the list and in 'keywizard check --all --expiring 30d'.", widget.MediumImportance)}))
	}
	for i, s := range plan.Steps {
		objs = append(objs, ps.stepCard(i, s))
	}
	if len(plan.Left) > 0 {
		objs = append(objs, subheading("Left out"))
		for _, l := range plan.Left {
			objs = append(objs, wrapped(l.Title+" ("+strings.Join(l.Goals, "; ")+"): "+l.Reason+".", widget.LowImportance))
		}
	}
	ps.body.Objects = objs
	ps.body.Refresh()
}

func planSummary(p wizard.Plan, portal string) string {
	left := 0
	for _, s := range p.Steps {
		if !s.Done {
			left++
		}
	}
	return fmt.Sprintf("%s: %d of %d to do, about %d minutes.", portal, left, len(p.Steps), p.MinutesLeft())
}

// portalWords say what the plan is for: "For docspace.example.com (DocSpace 3.7)".
func (w *window) portalWords() string {
	switch {
	case w.conn != nil:
		return "For " + w.conn.name() + " (" + shortProduct(w.conn.entry) + ")"
	case w.plan.product != "":
		name := strings.TrimPrefix(wizard.Product(w.plan.product).String(), "ONLYOFFICE ")
		return strings.TrimSpace("For "+name+" "+w.plan.version) + ", working offline"
	}
	return "Working offline, every service shown"
}

func (ps *planScreen) stepCard(i int, s wizard.PlanStep) fyne.CanvasObject {
	w := ps.w
	st := string(s.Status)
	if s.OnPortal {
		st = "on the portal"
	}
	title := fmt.Sprintf("%d. %s · about %d min · %s", i+1, s.Title, s.Minutes, st)
	lines := []fyne.CanvasObject{wrapped("For: "+strings.Join(s.Goals, "; ")+".", widget.MediumImportance)}
	if s.Warning != "" && !s.Done {
		lines = append(lines, warningLine(s.Warning))
	}
	if e := w.expiryWord(s.Service); e != "" {
		lines = append(lines, warningLine(sentence(e)))
	}
	if !s.Done {
		needs := make([]string, len(s.Needs))
		for j, n := range s.Needs {
			needs[j] = "• " + sentence(n)
		}
		lines = append(lines, wrapped("Have at hand:\n"+strings.Join(needs, "\n"), widget.MediumImportance))
	}
	label := "Start"
	switch {
	case s.Done:
		label = "Open"
	case s.Status != wizard.NotStarted:
		label = "Continue"
	}
	id := s.Service
	open := &widget.Button{Text: label + " " + s.Title, Icon: theme.NavigateNextIcon(), OnTapped: func() { w.openService(id) }}
	if !s.Done {
		if next, _ := w.makePlan(w.plan.saved.Goals).Next(); next.Service == id {
			open.Importance = widget.HighImportance
		}
	}
	lines = append(lines, container.NewHBox(open))
	icon := statusIcon(s.Status)
	if s.OnPortal {
		icon = statusIcon(wizard.OnPortal)
	}
	return card(icon, title, lines)
}

func (ps *planScreen) portalChanged() { ps.fill() }
func (ps *planScreen) escape()        { ps.w.back() }
func (ps *planScreen) leave()         {}

// onReport shows the set-up report, with a button to save it as a page.
func (w *window) onReport() {
	store := w.plan.store
	if store == nil {
		return
	}
	in := wizard.ReportInput{Now: time.Now(), Catalogue: w.catalogue, Where: w.storeWhere()}
	if c := w.conn; c != nil {
		in.Portal, in.Product, in.Version = c.entry.URL, string(c.entry.Product), c.entry.Version
	}
	secrets, live := w.secretValues(), w.liveHoldings()
	start(w.run, func(context.Context, func(struct{})) wizard.Report {
		if p, _ := store.LoadAll(); p != nil {
			in.Records = p.Records()
		}
		for i, r := range in.Records {
			if o, ok := live[r.Service]; ok {
				in.Records[i].Portal = o
			}
		}
		r := wizard.BuildReport(in)
		r.Scrub(secrets)
		return r
	}, nil, func(r wizard.Report, cancelled error) {
		if cancelled == nil {
			w.showReport(r)
		}
	})
}

// liveHoldings are what the connected portal was read to hold, for the
// services that have something here or there.
func (w *window) liveHoldings() map[string]*wizard.Recorded {
	out := map[string]*wizard.Recorded{}
	c := w.conn
	if c == nil || c.states == nil {
		return out
	}
	now := time.Now()
	for id, s := range w.services {
		switch s.mark {
		case markUnknown:
		case markNotSet:
			out[id] = &wizard.Recorded{Message: "not set on " + c.name(), At: now}
		case markSame:
			out[id] = &wizard.Recorded{OK: true, Message: "set on " + c.name() + ", the same keys as here", At: now}
		default:
			out[id] = &wizard.Recorded{OK: s.mark != markNotOffered, Message: markWord(s.mark) + " (" + c.name() + ")", At: now}
		}
	}
	return out
}

// secretValues are the secrets the window holds, scrubbed from the report
// as a last guard.
func (w *window) secretValues() []string {
	var out []string
	for _, s := range w.services {
		for _, f := range s.p.Fields {
			if v := s.sess.Values[f.ID]; f.Secret && v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

func (w *window) showReport(r wizard.Report) {
	var text bytes.Buffer
	_ = r.WriteText(&text)
	view := newValueEntry(text.String(), w.tryShortcut)
	view.MultiLine = true
	view.TextStyle = fyne.TextStyle{Monospace: true}
	view.SetMinRowsVisible(18)
	var d dialog.Dialog
	save := &widget.Button{Text: "Save as HTML...", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: func() { w.saveReport(r) }}
	closeBtn := &widget.Button{Text: "Close", OnTapped: func() { d.Hide() }}
	note := wrapped("Names, dates and outcomes only: the report holds no key or secret.", widget.LowImportance)
	content := container.NewBorder(note, container.NewHBox(save, closeBtn), nil, nil, view)
	d = dialog.NewCustomWithoutButtons("Set-up report", content, w.win)
	d.Resize(fyne.NewSize(860, 560))
	d.Show()
}

func (w *window) saveReport(r wizard.Report) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		var page bytes.Buffer
		if err = r.WriteHTML(&page); err == nil {
			_, err = wc.Write(page.Bytes())
		}
		if cerr := wc.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			dialog.ShowError(fmt.Errorf("the report was not saved: %w", err), w.win)
		}
	}, w.win)
	d.SetFileName("keywizard-report.html")
	d.Show()
}

// goalIDs lists the goals whose service is in the window's catalogue.
func (w *window) goalIDs() []string {
	var ids []string
	for _, g := range providers.Goals() {
		if _, ok := w.services[g.Service]; ok {
			ids = append(ids, g.ID)
		}
	}
	return ids
}

// offeredGoals splits the goals into those the portal can take (with
// whether it already holds their service) and those it lacks.
func (w *window) offeredGoals() (offered map[string]bool, holds map[string]bool) {
	plan := w.makePlan(w.goalIDs())
	offered, holds = map[string]bool{}, map[string]bool{}
	for _, s := range plan.Steps {
		offered[s.Service] = true
		holds[s.Service] = s.OnPortal
	}
	return offered, holds
}

// chosen returns the ticked goals in catalogue order.
func chosen(boxes map[string]*widget.Check) []string {
	var out []string
	for _, g := range providers.Goals() {
		if b, ok := boxes[g.ID]; ok && b.Checked && b.Visible() {
			out = append(out, g.ID)
		}
	}
	return slices.Clip(out)
}
