package ui

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
	"keywizard/wizard"
)

// shownTitles lists the service titles the list has drawn rows for: it
// draws only the rows in view.
func shownTitles(w *window) map[string]bool {
	out := map[string]bool{}
	for _, row := range listRows(w) {
		if row.Visible() {
			out[row.Objects[0].(*widget.Label).Text] = true
		}
	}
	return out
}

// listRows are the service rows the list has made: title, mark, status.
func listRows(w *window) []*fyne.Container {
	var out []*fyne.Container
	for _, o := range objects(w.list.list) {
		c, ok := o.(*fyne.Container)
		if !ok || len(c.Objects) != 3 {
			continue
		}
		if _, ok := c.Objects[1].(*widget.Icon); ok {
			out = append(out, c)
		}
	}
	return out
}

// rowMarks maps each drawn row's title to its mark.
func rowMarks(w *window) map[string]fyne.Resource {
	out := map[string]fyne.Resource{}
	for _, row := range listRows(w) {
		if row.Visible() {
			out[row.Objects[0].(*widget.Label).Text] = row.Objects[1].(*widget.Icon).Resource
		}
	}
	return out
}

func TestStartScrollsTheListToTheAskedService(t *testing.T) {
	cat := providers.All()
	probe := newTestWindow(t, Deps{}, Options{}, cat)
	ids := probe.list.visibleIDs()
	last := probe.services[ids[len(ids)-1]].p.Title
	if shownTitles(probe)[last] {
		t.Fatalf("%s is in view without scrolling: the test needs a longer list", last)
	}

	w := newTestWindow(t, Deps{}, Options{Service: ids[len(ids)-1]}, cat)
	if !shownTitles(w)[last] {
		t.Fatalf("the window opened on %s but the list does not show it", last)
	}
	if w.list.list.GetScrollOffset() <= 0 {
		t.Fatal("the list is not scrolled")
	}
}

func TestWindowCanShrinkBelowItsOpeningSize(t *testing.T) {
	a := test.NewTempApp(t)
	w := newWindow(a, Deps{}, Options{Service: "google"}, testCatalogue(t), func(r *runner) { r.queue() })
	defer w.run.close()
	if got := w.win.Canvas().Size(); got != defaultSize {
		t.Fatalf("opened at %v, want %v", got, defaultSize)
	}
	// The first layout is made at the opening size; the minimum is the
	// window's own again afterwards.
	if got := w.floor.MinSize(); got != minSize {
		t.Fatalf("the window's floor is %v after opening, want %v", got, minSize)
	}
	if min := w.win.Content().MinSize(); min.Width >= defaultSize.Width-w.padding().Width {
		t.Fatalf("minimum size %v after opening at %v", min, defaultSize)
	}
}

func TestFirstScreenIsLaidOutWhenPlaced(t *testing.T) {
	a := test.NewTempApp(t)
	w := newWindow(a, Deps{}, Options{Service: "google"}, testCatalogue(t), func(r *runner) { r.queue() })
	defer w.run.close()
	if len(w.right.Objects) != 1 {
		t.Fatalf("%d screens on the right", len(w.right.Objects))
	}
	screen := w.right.Objects[0]
	if got, want := screen.Size(), w.right.Size(); got != want || got.Width == 0 {
		t.Fatalf("first screen laid out at %v, the right side is %v", got, want)
	}
	mustText(t, w, "Step 1 of 6: Pick or create a project")
	// Later screens are laid out as they come.
	openFromList(t, w, "pemsvc")
	if got, want := w.right.Objects[0].Size(), w.right.Size(); got != want {
		t.Fatalf("next screen laid out at %v, the right side is %v", got, want)
	}
}

func TestListMarksAreDrawnAgainOnlyWhenTheStatusChanges(t *testing.T) {
	w := newTestWindow(t, Deps{}, Options{Service: "google"}, testCatalogue(t))
	before := rowMarks(w)
	if len(before) != 2 {
		t.Fatalf("marks %v", before)
	}
	w.list.refreshStatus()
	for title, r := range rowMarks(w) {
		if r != before[title] {
			t.Fatalf("%s got a new mark on a refresh that changed nothing", title)
		}
	}

	test.Tap(w.screen.skip)
	f := w.screen.form
	f.rows[0].entry.SetText(goodID)
	f.rows[1].entry.SetText(goodSecret)
	w.run.wait()
	st := w.status("google")
	if st == wizard.NotStarted {
		t.Fatal("typing the keys left google not started")
	}
	got := rowMarks(w)["Google"]
	if got == before["Google"] || got.Name() != statusIcon(st).Name() {
		t.Fatalf("google's mark %v after it became %s", got.Name(), st)
	}
}

func TestTopBarKeepsItsMarks(t *testing.T) {
	w := newTestWindow(t, Deps{Store: newMemStore()}, Options{Service: "google"}, testCatalogue(t))
	lead, where := w.top.portalBox.Objects[1], w.top.whereIcon.Resource
	w.top.refresh()
	if w.top.portalBox.Objects[1] != lead || w.top.whereIcon.Resource != where {
		t.Fatal("a refresh that changed nothing made new marks")
	}
	w.top.loadErr = errors.New("the keyring is locked")
	w.top.refresh()
	if w.top.whereIcon.Resource == where {
		t.Fatal("the secret store line keeps its mark after reading failed")
	}
	w.top.loadErr = nil
	w.top.refresh()
	if w.top.whereIcon.Resource != where {
		t.Fatal("the secret store line did not get its mark back")
	}
}

// countingStore counts the reads of a memStore.
type countingStore struct {
	*memStore
	reads atomic.Int32
}

func (s *countingStore) Get(ctx context.Context, svc, f string) (string, error) {
	s.reads.Add(1)
	return s.memStore.Get(ctx, svc, f)
}

func TestStoredKeysAreReadOnceTheWindowIsUp(t *testing.T) {
	store := &countingStore{memStore: newMemStore()}
	_ = store.Set(context.Background(), "google", "googleClientId", goodID)
	a := test.NewTempApp(t)
	w := newWindow(a, Deps{Store: store}, Options{Service: "google"}, testCatalogue(t), func(r *runner) { r.queue() })
	t.Cleanup(func() { w.run.close(); w.run.wait() })
	// The first frame says the keys are coming; the keyring is not
	// touched until the window's loop runs (here: until the test drains it).
	mustText(t, w, "Reading saved keys...")
	time.Sleep(50 * time.Millisecond)
	if n := store.reads.Load(); n != 0 {
		t.Fatalf("%d keyring reads before the window was up", n)
	}
	w.run.wait()
	if store.reads.Load() == 0 {
		t.Fatal("the stored keys were never read")
	}
	if got := w.services["google"].sess.Values["googleClientId"]; got != goodID {
		t.Fatalf("stored client ID %q not restored", got)
	}
	mustText(t, w, "Secrets are kept in the test keyring")
}

func TestClosedBeforeShownReadsNothing(t *testing.T) {
	store := &countingStore{memStore: newMemStore()}
	a := test.NewTempApp(t)
	w := newWindow(a, Deps{Store: store}, Options{Service: "google"}, testCatalogue(t), func(r *runner) { r.queue() })
	w.run.close()
	w.run.wait()
	if n := store.reads.Load(); n != 0 {
		t.Fatalf("%d keyring reads after the window closed", n)
	}
}
