package check

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"keywizard/providers"
)

// TestFailureNamesDeadEnd: when a service with a known dead end refuses
// the keys, the fix says so; a pass or an unreachable service does not.
func TestFailureNamesDeadEnd(t *testing.T) {
	sel, _ := providers.Lookup("selectel")
	vals := map[string]string{"authUser": "84713_portal", "authPwd": "storage-password"}
	status := http.StatusForbidden
	k := fakeChecker(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if status == http.StatusNoContent {
			w.Header().Set("X-Auth-Token", "tok")
		}
		w.WriteHeader(status)
	}))
	r := k.Check(context.Background(), "selectel", vals)
	if r.OK || !strings.Contains(r.Fix, "Known limit: "+sel.DeadEnd.Statement) || !strings.Contains(r.Fix, "reset the user's password") {
		t.Fatalf("refusal should keep its fix and name the dead end: %+v", r)
	}
	for _, s := range []int{http.StatusNoContent, http.StatusBadGateway} {
		status = s
		if r := k.Check(context.Background(), "selectel", vals); strings.Contains(r.Fix, "Known limit") {
			t.Fatalf("HTTP %d: the dead end belongs to refusals only: %+v", s, r)
		}
	}

	// A service without a dead end keeps its fix as it is.
	k = fakeChecker(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	r = k.Check(context.Background(), "rackspace", map[string]string{"username": "admin", "apiKey": "0123456789abcdef0123456789abcdef"})
	if r.OK || strings.Contains(r.Fix, "Known limit") {
		t.Fatalf("rackspace has no dead end: %+v", r)
	}
}

// TestFirebaseWebPushKeyNamed: the note on the fourth Firebase field calls
// it what the guide calls it, the Web Push public key.
func TestFirebaseWebPushKeyNamed(t *testing.T) {
	k := fakeChecker(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reply{200, `{"projectId":"portal-push"}`, nil}.write(w)
	}))
	r := k.Check(context.Background(), "firebase", map[string]string{
		"firebase_apiKey": "AIzaSyA0123456789abcdefghijklmnopqrstuv", "firebase_projectId": "portal-push",
		"firebase_authorization": "BOFLASWWanITFTaG8FjEY2pZwcaYpbEi7-3Wy6TpmoFz2ENdACGstsz-MbHk484vxBK_FCkUXiBH9-ajiNY0lqk",
	})
	if !strings.Contains(r.NotProven, "Web Push public key (firebase_authorization)") || strings.Contains(r.NotProven, "legacy server key") {
		t.Fatalf("not proven: %q", r.NotProven)
	}
}
