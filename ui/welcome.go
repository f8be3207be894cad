package ui

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
)

// welcome is the first run's first screen: it starts from the portal. The
// portal screen does the detecting and signing in; once the portal's keys
// are read, the goals come next.
type welcome struct {
	w        *window
	cs       *connectScreen // nil when the window works offline only
	next     *widget.Button
	offline  *widget.Button
	advanced bool // the goals were shown after signing in
}

func newWelcome(w *window) *welcome {
	wl := &welcome{w: w}
	wl.next = &widget.Button{Text: "Next: what do you want?", Icon: theme.NavigateNextIcon(), IconPlacement: widget.ButtonIconTrailingText,
		Importance: widget.HighImportance, OnTapped: wl.onNext}
	wl.offline = &widget.Button{Text: "Work offline", Icon: theme.LogoutIcon(), OnTapped: wl.onOffline}
	if w.deps.Portals != nil {
		wl.cs = newConnectScreen(w)
		wl.cs.loadList()
	}
	wl.refresh()
	return wl
}

func (wl *welcome) build() fyne.CanvasObject {
	head := &widget.Label{Text: "Welcome to Keywizard", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText}
	intro := wrapped("Keywizard sets up the keys your ONLYOFFICE portal needs from other services: sign-in with Google, Microsoft or Apple, "+
		"cloud storage, backups, two-factor codes by SMS, and more. Start with the portal: Keywizard then offers only what its version has, "+
		"and knows which keys it already holds. Or work offline and connect later.", widget.MediumImportance)
	var middle fyne.CanvasObject = wrapped("This build cannot reach a portal: work offline.", widget.MediumImportance)
	if wl.cs != nil {
		middle = wl.cs.build()
	}
	nav := container.NewBorder(widget.NewSeparator(), nil, wl.offline, wl.next)
	return container.NewBorder(container.NewVBox(head, intro, widget.NewSeparator()), nav, nil, nil, middle)
}

// refresh enables Next once a portal is connected.
func (wl *welcome) refresh() {
	enable(wl.next, wl.w.conn != nil)
}

func (wl *welcome) onNext() { wl.w.showPanel(newGoalsScreen(wl.w)) }

// onOffline goes on without a portal, keeping what detection found.
func (wl *welcome) onOffline() {
	w := wl.w
	w.plan.product, w.plan.version = "", ""
	if cs := wl.cs; cs != nil && cs.foundInfo().Product != "" {
		info := cs.foundInfo()
		w.plan.product, w.plan.version = string(info.Product), info.Version
	}
	if w.conn != nil {
		w.disconnect()
	}
	w.showPanel(newGoalsScreen(w))
}

// portalChanged follows the portal screen, and goes on to the goals once
// the portal's keys are read.
func (wl *welcome) portalChanged() {
	if wl.cs != nil {
		wl.cs.portalChanged()
	}
	wl.refresh()
	c := wl.w.conn
	if !wl.advanced && c != nil && (c.states != nil || c.readErr != nil) {
		wl.advanced = true
		wl.onNext()
	}
}

func (wl *welcome) escape() {
	if wl.cs != nil {
		wl.cs.escape()
	}
}

func (wl *welcome) leave() {
	if wl.cs != nil {
		wl.cs.leave()
	}
}

// goalsScreen asks what the portal should do, in the admin's words, and
// offers only what the portal's product and version have.
type goalsScreen struct {
	w     *window
	boxes map[string]*widget.Check
	body  *fyne.Container
	note  *widget.Label
	make  *widget.Button
	// preset holds the goals ticked because the portal holds their
	// service: each is ticked once, so that the admin's untick stays.
	preset map[string]bool
}

func newGoalsScreen(w *window) *goalsScreen {
	gs := &goalsScreen{w: w, boxes: map[string]*widget.Check{}, preset: map[string]bool{}, body: container.NewVBox(), note: wrapped("", widget.MediumImportance)}
	gs.make = &widget.Button{Text: "Make the plan", Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: gs.onMake}
	var ticked []string
	if sp := w.plan.saved; sp != nil {
		ticked = sp.Goals
	}
	for _, id := range w.goalIDs() {
		b := &widget.Check{}
		b.Checked = slices.Contains(ticked, id)
		b.OnChanged = func(bool) { gs.refreshMake() }
		b.ExtendBaseWidget(b)
		gs.boxes[id] = b
	}
	gs.fill()
	return gs
}

func (gs *goalsScreen) build() fyne.CanvasObject {
	w := gs.w
	head := &widget.Label{Text: "What do you want the portal to do?", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText}
	back := &widget.Button{Text: "Back", Icon: theme.NavigateBackIcon(), OnTapped: func() { w.showPanel(newWelcome(w)) }}
	all := &widget.Button{Text: "Show all services instead", Importance: widget.LowImportance, OnTapped: w.skipPlan}
	nav := container.NewBorder(widget.NewSeparator(), nil, container.NewHBox(back, all), gs.make)
	return container.NewBorder(container.NewVBox(head, gs.note, widget.NewSeparator()), nav, nil, nil, container.NewVScroll(container.NewPadded(gs.body)))
}

// fill shows the questions with the goals this portal can take; a goal
// whose service the portal already holds is ticked and says so.
func (gs *goalsScreen) fill() {
	w := gs.w
	offered, holds := w.offeredGoals()
	note := w.portalWords() + ". Tick what you need; the plan then lists only those services, in order."
	if w.conn != nil || w.plan.product != "" {
		note += " Services this portal does not offer are not shown."
	}
	gs.note.SetText(note)
	var objs []fyne.CanvasObject
	var last providers.Category
	for _, g := range providers.Goals() {
		b, ok := gs.boxes[g.ID]
		if !ok {
			continue
		}
		if !offered[g.Service] {
			b.Hide()
			continue
		}
		b.Show()
		b.Text = g.Words
		if setup, ok := providers.SetupOf(g.Service); ok {
			b.Text += fmt.Sprintf(" · about %d min", setup.Minutes)
		}
		if holds[g.Service] {
			b.Text += " (already on the portal)"
			if !gs.preset[g.ID] {
				gs.preset[g.ID] = true
				b.Checked = true
			}
		}
		b.Refresh()
		if g.Category != last {
			objs = append(objs, subheading(providers.Question(g.Category)))
			last = g.Category
		}
		objs = append(objs, b)
	}
	gs.body.Objects = objs
	gs.body.Refresh()
	gs.refreshMake()
}

func (gs *goalsScreen) refreshMake() { enable(gs.make, len(chosen(gs.boxes)) > 0) }

func (gs *goalsScreen) onMake() {
	if goals := chosen(gs.boxes); len(goals) > 0 {
		gs.w.choosePlan(goals)
	}
}

func (gs *goalsScreen) portalChanged() { gs.fill() }
func (gs *goalsScreen) escape()        { gs.w.showPanel(newWelcome(gs.w)) }
func (gs *goalsScreen) leave()         {}
