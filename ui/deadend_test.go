package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"keywizard/providers"
)

// TestFirstStepStatesDeadEnd: a service whose set-up fails for new apps
// says so above its first step, and only there.
func TestFirstStepStatesDeadEnd(t *testing.T) {
	for _, id := range []string{"vk", "linkedin"} {
		p, ok := providers.Lookup(id)
		if !ok || p.DeadEnd == nil {
			t.Fatalf("%s has no dead end in the catalogue", id)
		}
		w := newTestWindow(t, Deps{}, Options{Service: id}, []providers.Provider{p})
		want := "Before you start: " + p.DeadEnd.Text()
		mustText(t, w, want)
		mustText(t, w, "Step 1 of")
		test.Tap(w.screen.next)
		if hasText(w, want) {
			t.Fatalf("%s: the dead end should show on the first step only", id)
		}
		test.Tap(w.screen.back)
		mustText(t, w, want)
	}
	g, _ := providers.Lookup("google")
	w := newTestWindow(t, Deps{}, Options{Service: "google"}, []providers.Provider{g})
	if hasText(w, "Before you start") {
		t.Fatal("google has no dead end to state")
	}
}
