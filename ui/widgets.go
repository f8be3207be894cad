package ui

import (
	"context"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// shortcutFunc tries a window shortcut; it reports whether one ran.
type shortcutFunc func(fyne.Shortcut) bool

// keyEntry is an entry that lets the window's shortcuts (Back, Next, search)
// work while it has the focus: a focused entry otherwise swallows them.
type keyEntry struct {
	widget.Entry
	shortcuts shortcutFunc
	onKey     func(*fyne.KeyEvent) bool // optional: keys handled before the entry
}

func newKeyEntry(sc shortcutFunc) *keyEntry {
	e := &keyEntry{shortcuts: sc}
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut runs a window shortcut, or the entry's own.
func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if e.shortcuts != nil && e.shortcuts(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// TypedKey gives onKey the first look at a key.
func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if e.onKey != nil && e.onKey(k) {
		return
	}
	e.Entry.TypedKey(k)
}

// valueEntry shows a value to copy: monospace, selectable, not editable.
type valueEntry struct {
	widget.Entry
	shortcuts shortcutFunc
}

func newValueEntry(v string, sc shortcutFunc) *valueEntry {
	e := &valueEntry{shortcuts: sc}
	e.TextStyle = fyne.TextStyle{Monospace: true}
	e.ExtendBaseWidget(e)
	e.SetText(v)
	return e
}

// TypedRune ignores typing: the value is read-only.
func (e *valueEntry) TypedRune(rune) {}

// TypedKey allows only moving the cursor and selecting.
func (e *valueEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyLeft, fyne.KeyRight, fyne.KeyUp, fyne.KeyDown, fyne.KeyHome, fyne.KeyEnd, fyne.KeyPageUp, fyne.KeyPageDown:
		e.Entry.TypedKey(k)
	}
}

// TypedShortcut allows copy and select-all, and the window's shortcuts.
func (e *valueEntry) TypedShortcut(s fyne.Shortcut) {
	if e.shortcuts != nil && e.shortcuts(s) {
		return
	}
	switch s.(type) {
	case *fyne.ShortcutCopy, *fyne.ShortcutSelectAll:
		e.Entry.TypedShortcut(s)
	}
}

// TappedSecondary shows no Cut/Paste menu.
func (e *valueEntry) TappedSecondary(*fyne.PointEvent) {}

// copyButton copies v and says "Copied" for a moment.
func (w *window) copyButton(v string) *widget.Button {
	b := &widget.Button{Text: "Copy", Icon: theme.ContentCopyIcon()}
	b.OnTapped = func() {
		w.app.Clipboard().SetContent(v)
		b.SetText("Copied")
		start(w.run, func(ctx context.Context, _ func(struct{})) struct{} {
			select {
			case <-time.After(w.copiedFor):
			case <-ctx.Done():
			}
			return struct{}{}
		}, nil, func(struct{}, error) { b.SetText("Copy") })
	}
	return b
}

// valueRow is a value to paste somewhere, with its Copy button.
func (w *window) valueRow(v string) fyne.CanvasObject {
	return container.NewBorder(nil, nil, nil, w.copyButton(v), newValueEntry(v, w.tryShortcut))
}

// openButton opens u in the browser; when that fails, the address appears
// in fallback, selectable and with Copy, for the admin to paste by hand.
func (w *window) openButton(label, u string, fallback *fyne.Container) *widget.Button {
	b := &widget.Button{Text: label, Icon: theme.ComputerIcon()}
	b.OnTapped = func() {
		start(w.run, func(context.Context, func(struct{})) error { return w.open(u) }, nil,
			func(err error, _ error) {
				if err == nil {
					fallback.Hide()
					return
				}
				msg := &widget.Label{Text: "The browser did not open. Copy this address into a browser:", Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}
				fallback.Objects = []fyne.CanvasObject{msg, w.valueRow(u)}
				fallback.Show()
				fallback.Refresh()
			})
	}
	return b
}

// opener returns the browser opener: the one given, else the app's.
func opener(a fyne.App, open func(string) error) func(string) error {
	if open != nil {
		return open
	}
	return func(s string) error {
		u, err := url.Parse(s)
		if err != nil {
			return err
		}
		return a.OpenURL(u)
	}
}

// wrapped is a label that wraps at word boundaries.
func wrapped(text string, imp widget.Importance) *widget.Label {
	return &widget.Label{Text: text, Wrapping: fyne.TextWrapWord, Importance: imp}
}
