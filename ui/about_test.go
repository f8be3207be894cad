package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"keywizard/wizard/state"
)

func TestAboutShowsVersionAndWhereThingsAreKept(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	w := newTestWindow(t, Deps{Store: newMemStore()}, Options{Version: "1.4.2-3-gabc1234"}, testCatalogue(t))
	test.Tap(w.top.about)
	dir, err := state.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Keywizard 1.4.2-3-gabc1234", "the test keyring", dir} {
		found := false
		for _, s := range texts(w) {
			found = found || strings.Contains(s, want)
		}
		if !found {
			t.Errorf("About does not say %q; it shows %q", want, texts(w))
		}
	}
}
