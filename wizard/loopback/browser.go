package loopback

import (
	"io"
	"sync"

	"github.com/pkg/browser"
)

var silenceBrowser sync.Once

// OpenBrowser opens url in the system browser (RFC 8252: an external
// user agent, never an embedded view). The opener's own output is
// discarded so that it cannot mix with the command's output.
func OpenBrowser(url string) error {
	silenceBrowser.Do(func() {
		browser.Stdout = io.Discard
		browser.Stderr = io.Discard
	})
	return browser.OpenURL(url)
}
