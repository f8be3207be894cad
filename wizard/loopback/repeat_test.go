package loopback

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// RFC 6749 3.1: an answer that repeats a parameter is refused, whichever
// copy is right, and the token endpoint is never called.
func TestRepeatedParameterRefused(t *testing.T) {
	for _, extra := range []string{"state=WRONG", "code=B", "iss=x&iss=y", "error=access_denied&error=x"} {
		t.Run(extra, func(t *testing.T) {
			fp := newFakeProvider(t)
			res, err, _ := signIn(t, testerFor(fakeService(fp)), func(u *url.URL) {
				u.RawQuery += "&" + extra
			})
			if !errors.Is(err, ErrStateMismatch) || res.OK || !strings.Contains(err.Error(), "more than once") {
				t.Fatalf("want a refusal, got %v (ok %v)", err, res.OK)
			}
			if _, _, calls := fp.seen(); calls != 0 {
				t.Fatalf("token endpoint called %d times", calls)
			}
		})
	}
}
