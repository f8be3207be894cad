package check

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"keywizard/wizard"
)

// No check follows a redirect: each request carries a secret (a client
// secret in the form, a key in a header or the path), and a 307 or 308
// would send it again to wherever it points. The verdict names the host
// and judges nothing.
func TestRedirectNotFollowed(t *testing.T) {
	for _, sp := range specs() {
		for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
			t.Run(sp.service+"/"+http.StatusText(status), func(t *testing.T) {
				t.Parallel()
				var stolen atomic.Int32
				h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Host == "evil.example" {
						stolen.Add(1)
						w.WriteHeader(http.StatusOK)
						return
					}
					w.Header().Set("Location", "https://evil.example/collect")
					w.WriteHeader(status)
				})
				res := fakeChecker(t, h).Check(context.Background(), sp.service, sp.vals)
				if stolen.Load() != 0 {
					t.Fatalf("the redirect was followed %d times", stolen.Load())
				}
				if res.OK || res.Certainty == wizard.Proven || res.Certainty == wizard.Likely {
					t.Fatalf("judged after a redirect: %+v", res)
				}
				if !strings.Contains(res.Message, "evil.example") || !strings.Contains(res.Message, "not judged") {
					t.Fatalf("message %q", res.Message)
				}
			})
		}
	}
}
