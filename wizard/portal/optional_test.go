package portal_test

import (
	"context"
	"strings"
	"testing"

	"keywizard/providers"
	"keywizard/wizard/portal"
	"keywizard/wizard/portal/portaltest"
)

var (
	appleHeld = map[string]string{
		"appleIdClientId": "com.example.signin", "appleIdTeamId": "ABCDE12345", "appleIdKeyId": "KEY1234567",
		"appleIdPrivateKey": "-----BEGIN PRIVATE KEY-----\nMIGold\n-----END PRIVATE KEY-----", "appleIdClientIdMobile": "com.example.mobile",
	}
	appleGiven = map[string]string{
		"appleIdClientId": "com.example.signin", "appleIdTeamId": "ABCDE12345", "appleIdKeyId": "NEWKEY1234",
		"appleIdPrivateKey": "-----BEGIN PRIVATE KEY-----\nMIGnew\n-----END PRIVATE KEY-----",
	}
)

func catalogue(t *testing.T, id string) providers.Provider {
	t.Helper()
	p, ok := providers.Lookup(id)
	if !ok {
		t.Fatalf("no provider %s", id)
	}
	return p
}

// TestPushLeavesEmptyPropsAlone pushes Apple without the mobile bundle ID
// the portal holds: the portal must keep it, and the save must not list it.
func TestPushLeavesEmptyPropsAlone(t *testing.T) {
	srv, c := signedIn(t, portaltest.Config{})
	srv.SetKeys("appleid", appleHeld)
	apple := catalogue(t, "apple")
	r := c.Push(context.Background(), apple, appleGiven, portal.PushOptions{})
	if !r.OK || !r.Changed {
		t.Fatalf("%+v", r)
	}
	if got := srv.Keys("appleid")["appleIdClientIdMobile"]; got != "com.example.mobile" {
		t.Fatalf("the push erased the mobile bundle ID: portal holds %q", got)
	}
	if got := srv.Keys("appleid")["appleIdKeyId"]; got != "NEWKEY1234" {
		t.Fatalf("key id = %q", got)
	}
	for _, req := range srv.SaveRequests() {
		if strings.Contains(string(req.Body), "appleIdClientIdMobile") {
			t.Fatalf("the save lists a prop the admin left empty: %s", req.Body)
		}
	}
	for _, ch := range r.Diff {
		if ch.Field == "appleIdClientIdMobile" {
			t.Fatalf("diff lists the untouched prop: %+v", r.Diff)
		}
	}
}

// TestPushLeavesEmptyRequiredPropsAlone gives only one of two keys on both
// products: the other one stays as the portal holds it (Workspace would
// otherwise refuse with "Please fill in all fields").
func TestPushLeavesEmptyRequiredPropsAlone(t *testing.T) {
	for _, product := range products() {
		t.Run(string(product), func(t *testing.T) {
			srv, c := signedIn(t, portaltest.Config{Product: product})
			srv.SetKeys("telegram", tgOld)
			r := c.Push(context.Background(), telegramSvc, map[string]string{"telegramBotToken": tgNew["telegramBotToken"]}, portal.PushOptions{})
			if !r.OK || len(r.Diff) != 1 {
				t.Fatalf("%+v", r)
			}
			want := map[string]string{"telegramBotToken": tgNew["telegramBotToken"], "telegramBotName": tgOld["telegramBotName"]}
			if got := srv.Keys("telegram"); !equalMaps(got, want) {
				t.Fatalf("portal holds %v", got)
			}
		})
	}
}

func TestPushClear(t *testing.T) {
	ctx := context.Background()
	apple := catalogue(t, "apple")
	t.Run("one prop with new values", func(t *testing.T) {
		srv, c := signedIn(t, portaltest.Config{})
		srv.SetKeys("appleid", appleHeld)
		r := c.Push(ctx, apple, appleGiven, portal.PushOptions{Clear: []string{"appleIdClientIdMobile"}})
		if !r.OK {
			t.Fatalf("%+v", r)
		}
		got := srv.Keys("appleid")
		if got["appleIdClientIdMobile"] != "" || got["appleIdKeyId"] != "NEWKEY1234" {
			t.Fatalf("portal holds %v", got)
		}
	})
	t.Run("only a clear keeps the other keys", func(t *testing.T) {
		srv, c := signedIn(t, portaltest.Config{})
		srv.SetKeys("appleid", appleHeld)
		r := c.Push(ctx, apple, map[string]string{}, portal.PushOptions{Clear: []string{"appleIdClientIdMobile"}})
		if !r.OK || len(r.Diff) != 1 || r.Diff[0].Field != "appleIdClientIdMobile" {
			t.Fatalf("%+v", r)
		}
		want := map[string]string{}
		for k, v := range appleHeld {
			want[k] = v
		}
		want["appleIdClientIdMobile"] = ""
		if got := srv.Keys("appleid"); !equalMaps(got, want) {
			t.Fatalf("a clear of one prop disconnected the service: portal holds %v", got)
		}
	})
	t.Run("Workspace", func(t *testing.T) {
		srv, c := signedIn(t, portaltest.Config{Product: portaltest.Workspace})
		srv.SetKeys("twilio", map[string]string{"twilioAccountSid": "AC0123456789abcdef0123456789abcdef", "twilioAuthToken": "0123456789abcdef0123456789abcdef", "twiliosender": "+15550100"})
		twilio := svc("twilio", "Twilio", "twilio", "Twilio", providers.SMS,
			providers.Field{ID: "twilioAccountSid"}, providers.Field{ID: "twilioAuthToken", Secret: true}, providers.Field{ID: "twiliosender", Optional: true})
		r := c.Push(ctx, twilio, map[string]string{}, portal.PushOptions{Clear: []string{"twiliosender"}})
		if !r.OK {
			t.Fatalf("%+v", r)
		}
		got := srv.Keys("twilio")
		if got["twiliosender"] != "" || got["twilioAuthToken"] != "0123456789abcdef0123456789abcdef" {
			t.Fatalf("portal holds %v", got)
		}
	})
	t.Run("a restore puts back what was there", func(t *testing.T) {
		srv, c := signedIn(t, portaltest.Config{})
		srv.SetKeys("appleid", appleHeld)
		srv.FailSave(portaltest.Fail500, 1, portaltest.Cleared)
		r := c.Push(ctx, apple, appleGiven, portal.PushOptions{Clear: []string{"appleIdClientIdMobile"}})
		if r.OK || !r.Restored {
			t.Fatalf("%+v", r)
		}
		if got := srv.Keys("appleid"); !equalMaps(got, appleHeld) {
			t.Fatalf("after the restore the portal holds %v", got)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		srv, c := signedIn(t, portaltest.Config{})
		srv.SetKeys("appleid", appleHeld)
		for _, clear := range [][]string{{"nosuchprop"}, {"appleIdKeyId"}} {
			before := len(srv.SaveRequests())
			r := c.Push(ctx, apple, appleGiven, portal.PushOptions{Clear: clear})
			if r.OK || !strings.Contains(r.Message, clear[0]) || len(srv.SaveRequests()) != before {
				t.Fatalf("clear %v: %+v", clear, r)
			}
		}
		if r := c.Push(ctx, apple, map[string]string{}, portal.PushOptions{}); r.OK || !strings.Contains(r.Message, "every value is empty") {
			t.Fatalf("nothing given: %+v", r)
		}
	})
}
