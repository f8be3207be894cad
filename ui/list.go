package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
	"keywizard/wizard"
)

// listRow is a category header or a service in the overview list.
type listRow struct {
	header providers.Category // set for header rows only
	id     string
	title  string
}

// serviceList is the left column: a search box over the services grouped
// by category, each with its status mark.
type serviceList struct {
	w       *window
	search  *keyEntry
	list    *enterList
	rows    []listRow
	current string // service shown on the right
	quiet   bool   // selection changed by code, not by the admin
	// marks holds one resource per status: a row's icon is drawn again
	// only when its status changed, not on every refresh of the list.
	marks map[wizard.Status]fyne.Resource
}

// enterList is a list where Enter opens the focused row, as Space does.
type enterList struct {
	widget.List
}

// TypedKey maps Enter and Return to the list's own "select" key.
func (l *enterList) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter {
		k = &fyne.KeyEvent{Name: fyne.KeySpace}
	}
	l.List.TypedKey(k)
}

func newServiceList(w *window) *serviceList {
	l := &serviceList{w: w, marks: map[wizard.Status]fyne.Resource{}}
	l.search = newKeyEntry(w.tryShortcut)
	l.search.SetPlaceHolder("Search services")
	l.search.OnChanged = l.onSearch
	l.search.onKey = l.onSearchKey
	l.list = &enterList{}
	l.list.Length = func() int { return len(l.rows) }
	l.list.CreateItem = l.createItem
	l.list.UpdateItem = l.updateItem
	l.list.OnSelected = l.onSelected
	l.list.ExtendBaseWidget(l.list)
	l.filter("")
	return l
}

func (l *serviceList) build() fyne.CanvasObject {
	return container.NewBorder(l.search, nil, nil, nil, l.list)
}

// filter keeps the services whose title, id or category contains q.
func (l *serviceList) filter(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	l.rows = l.rows[:0]
	for _, c := range providers.Categories {
		var group []listRow
		for _, p := range l.w.catalogue {
			if p.Category != c || !matches(p, q) {
				continue
			}
			group = append(group, listRow{id: p.ID, title: p.Title})
		}
		if len(group) > 0 {
			l.rows = append(l.rows, listRow{header: c})
			l.rows = append(l.rows, group...)
		}
	}
	l.rows = append(l.rows, l.uncategorised(q)...)
}

// uncategorised lists services whose category is not (yet) set.
func (l *serviceList) uncategorised(q string) []listRow {
	var rows []listRow
	for _, p := range l.w.catalogue {
		if p.Category == "" && matches(p, q) {
			if len(rows) == 0 {
				rows = append(rows, listRow{header: "other"})
			}
			rows = append(rows, listRow{id: p.ID, title: p.Title})
		}
	}
	return rows
}

func matches(p providers.Provider, q string) bool {
	return q == "" || strings.Contains(strings.ToLower(p.Title), q) ||
		strings.Contains(p.ID, q) || strings.Contains(string(p.Category), q)
}

func (l *serviceList) onSearch(q string) {
	l.filter(q)
	l.list.UnselectAll()
	l.list.Refresh()
	l.markCurrent()
}

// onSearchKey: Down moves to the list, Enter opens the first match.
func (l *serviceList) onSearchKey(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyDown:
		l.w.focus(l.list)
		return true
	case fyne.KeyReturn, fyne.KeyEnter:
		for _, r := range l.rows {
			if r.id != "" {
				l.w.openService(r.id)
				return true
			}
		}
		return true
	}
	return false
}

// visibleIDs lists the services the filter lets through, in order.
func (l *serviceList) visibleIDs() []string {
	var ids []string
	for _, r := range l.rows {
		if r.id != "" {
			ids = append(ids, r.id)
		}
	}
	return ids
}

func (l *serviceList) createItem() fyne.CanvasObject {
	header := &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameCaptionText}
	icon := widget.NewIcon(nil)
	title := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	status := &widget.Label{Importance: widget.LowImportance, SizeName: theme.SizeNameCaptionText}
	row := container.NewBorder(nil, nil, icon, status, title)
	return container.NewStack(header, row)
}

func (l *serviceList) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(l.rows) {
		return
	}
	r := l.rows[i]
	stack := o.(*fyne.Container)
	header := stack.Objects[0].(*widget.Label)
	row := stack.Objects[1].(*fyne.Container)
	if r.id == "" {
		header.SetText(categoryTitle(r.header))
		header.Show()
		row.Hide()
		return
	}
	header.Hide()
	row.Show()
	st := l.w.status(r.id)
	text := string(st)
	if w := markWord(l.w.services[r.id].mark); w != "" {
		text += " · " + w
	}
	imp := statusImportance(st)
	if e := l.w.expiryWord(r.id); e != "" {
		text, imp = text+" · "+e, widget.WarningImportance
	}
	row.Objects[0].(*widget.Label).SetText(r.title)
	row.Objects[1].(*widget.Icon).SetResource(l.mark(st))
	status := row.Objects[2].(*widget.Label)
	status.Importance = imp
	status.SetText(text)
}

// mark is the status icon of the overview, the same resource each time.
func (l *serviceList) mark(st wizard.Status) fyne.Resource {
	r, ok := l.marks[st]
	if !ok {
		r = statusIcon(st)
		l.marks[st] = r
	}
	return r
}

func (l *serviceList) onSelected(i widget.ListItemID) {
	if l.quiet || i >= len(l.rows) {
		return
	}
	if l.rows[i].id == "" { // a header: keep the current service selected
		l.list.Unselect(i)
		l.markCurrent()
		return
	}
	l.w.openService(l.rows[i].id)
}

// show marks id as the service on the right, without opening it again.
func (l *serviceList) show(id string) {
	l.current = id
	l.markCurrent()
}

func (l *serviceList) markCurrent() {
	l.quiet = true
	defer func() { l.quiet = false }()
	for i, r := range l.rows {
		if r.id != "" && r.id == l.current {
			l.list.Select(i)
			return
		}
	}
	l.list.UnselectAll()
}

// scrollToCurrent brings the service shown on the right into view, once
// the list has its size.
func (l *serviceList) scrollToCurrent() {
	for i, r := range l.rows {
		if r.id != "" && r.id == l.current {
			l.list.ScrollTo(i)
			return
		}
	}
}

// refreshStatus redraws the marks after a status changed.
func (l *serviceList) refreshStatus() { l.list.Refresh() }
