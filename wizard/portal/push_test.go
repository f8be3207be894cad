package portal_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"keywizard/providers"
	"keywizard/wizard/portal"
	"keywizard/wizard/portal/portaltest"
)

func TestPushFresh(t *testing.T) {
	for _, product := range products() {
		t.Run(string(product), func(t *testing.T) {
			srv, c := signedIn(t, portaltest.Config{Product: product})
			r := c.Push(context.Background(), googleSvc, googleNew, portal.PushOptions{})
			if !r.OK || !r.Changed || r.Restored || len(r.Diff) != 2 {
				t.Fatalf("%+v", r)
			}
			if !strings.Contains(r.Message, "sign-in page offers it") {
				t.Errorf("capabilities not confirmed: %s", r.Message)
			}
			if got := srv.Keys("google"); !equalMaps(got, sent(googleSvc, googleNew)) {
				t.Fatalf("portal holds %v", got)
			}
			for _, req := range srv.SaveRequests() {
				if strings.Contains(string(req.Body), "googleProjectNote") {
					t.Fatal("a Local field was sent")
				}
			}
			// Same keys again: nothing to send.
			before := len(srv.SaveRequests())
			r = c.Push(context.Background(), googleSvc, googleNew, portal.PushOptions{})
			if !r.OK || r.Changed || len(srv.SaveRequests()) != before {
				t.Fatalf("second push: %+v", r)
			}
		})
	}
}

func TestWorkspaceSaveBody(t *testing.T) {
	srv, c := signedIn(t, portaltest.Config{Product: portaltest.Workspace})
	if r := c.Push(context.Background(), googleSvc, googleNew, portal.PushOptions{}); !r.OK {
		t.Fatal(r.Message)
	}
	reqs := srv.SaveRequests()
	if len(reqs) != 1 {
		t.Fatalf("%d saves", len(reqs))
	}
	req := reqs[0]
	want := `{"name":"Google","props":[{"Name":"googleClientId","Value":"222-new.apps.googleusercontent.com"},{"Name":"googleClientSecret","Value":"GOCSPX-new-secret-value-111111111"}]}`
	if string(req.Body) != want {
		t.Fatalf("body\n%s\nwant\n%s", req.Body, want)
	}
	if req.Header.Get("X-AjaxPro-Method") != "SaveAuthKeys" || req.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("headers %v", req.Header)
	}
	// The exact JSON keys: top level lowercase, props PascalCase.
	var top map[string]json.RawMessage
	if err := json.Unmarshal(req.Body, &top); err != nil {
		t.Fatal(err)
	}
	var props []map[string]any
	_ = json.Unmarshal(top["props"], &props)
	for _, p := range props {
		for k := range p {
			if k != "Name" && k != "Value" && k != "IsOptional" {
				t.Fatalf("prop key %q", k)
			}
		}
	}
}

func TestAppleLowercaseOnDocSpace(t *testing.T) {
	srv, c := signedIn(t, portaltest.Config{Product: portaltest.DocSpace})
	values := map[string]string{"appleIdClientId": "com.example.signin", "appleIdTeamId": "ABCDE12345", "appleIdKeyId": "KEY1234567", "appleIdPrivateKey": "-----BEGIN PRIVATE KEY-----\nMIG...\n-----END PRIVATE KEY-----"}
	r := c.Push(context.Background(), appleSvc, values, portal.PushOptions{})
	if !r.OK {
		t.Fatal(r.Message)
	}
	if !strings.Contains(string(srv.SaveRequests()[0].Body), `"name":"appleid"`) {
		t.Fatalf("body %s", srv.SaveRequests()[0].Body)
	}
}

func TestDryRun(t *testing.T) {
	for _, product := range products() {
		srv, c := signedIn(t, portaltest.Config{Product: product})
		srv.SetKeys("google", googleOld)
		r := c.Push(context.Background(), googleSvc, googleNew, portal.PushOptions{DryRun: true})
		if !r.OK || r.Changed || len(r.Diff) != 2 || len(srv.SaveRequests()) != 0 {
			t.Fatalf("%s: %+v", product, r)
		}
		out, _ := json.Marshal(r)
		for _, v := range []string{googleOld["googleClientSecret"], googleNew["googleClientSecret"], googleNew["googleClientId"]} {
			if strings.Contains(string(out), v) {
				t.Fatalf("unredacted value in %s", out)
			}
		}
		if !equalMaps(srv.Keys("google"), googleOld) {
			t.Fatal("dry run changed the portal")
		}
	}
}

func TestLengthLimit(t *testing.T) {
	long := strings.Repeat("a", 300)
	for _, tt := range []struct {
		version string
		refused bool
	}{
		{"3.0.1.1", false},
		{"3.1.0.5", true},
		{"3.6.2.1", true},
		{"3.7.0.1", true},
		{"3.7.1.1", false},
		{"3.7.2.1461", false},
	} {
		srv, c := signedIn(t, portaltest.Config{Product: portaltest.DocSpace, Version: tt.version})
		r := c.Push(context.Background(), gcsSvc, map[string]string{"json": long}, portal.PushOptions{})
		if tt.refused {
			if r.OK || len(srv.Requests()) != 2 || !strings.Contains(r.Message, "json") || !strings.Contains(r.Message, "3.7.1") {
				t.Errorf("%s: %+v after %d requests", tt.version, r, len(srv.Requests()))
			}
			continue
		}
		if !r.OK {
			t.Errorf("%s: %s", tt.version, r.Message)
		}
	}
	// Over 4000 on a recent version.
	_, c := signedIn(t, portaltest.Config{Product: portaltest.DocSpace})
	if r := c.Push(context.Background(), gcsSvc, map[string]string{"json": strings.Repeat("b", 4001)}, portal.PushOptions{}); r.OK || !strings.Contains(r.Message, "4000") {
		t.Errorf("4001 characters: %+v", r)
	}
	// Unknown version: no limit on our side; the portal's own validation
	// answer is still turned into a message naming the field.
	srv, c := signedInVersionUnknown(t, portaltest.Config{Product: portaltest.DocSpace, Version: "3.6.0.1"})
	r := c.Push(context.Background(), gcsSvc, map[string]string{"json": long}, portal.PushOptions{})
	if r.OK || !strings.Contains(r.Message, "json: The field Value must be a string with a maximum length of 255") {
		t.Errorf("portal validation: %+v", r)
	}
	if srv.IsSet("googlecloud") {
		t.Error("portal changed")
	}
}

func TestNotOffered(t *testing.T) {
	ctx := context.Background()
	_, c := signedIn(t, portaltest.Config{Product: portaltest.DocSpace})
	r := c.Push(ctx, bitlySvc, map[string]string{"bitlyToken": "0123456789abcdef0123456789abcdef01234567"}, portal.PushOptions{})
	if r.OK || !strings.Contains(r.Message, "does not offer Bitly") {
		t.Errorf("bitly on DocSpace: %+v", r)
	}
	wsOnly := svc("easybib", "EasyBib", "", "EasyBib", providers.EditorPlugins, providers.Field{ID: "easyBibappkey"})
	wsOnly.Portal.Workspace.Removed = "v12.5.2"
	r = c.Push(ctx, wsOnly, map[string]string{"easyBibappkey": "k"}, portal.PushOptions{})
	if r.OK || !strings.Contains(r.Message, "DocSpace does not offer EasyBib") {
		t.Errorf("easybib on DocSpace: %+v", r)
	}
	_, w := signedIn(t, portaltest.Config{Product: portaltest.Workspace})
	r = w.Push(ctx, wsOnly, map[string]string{"easyBibappkey": "k"}, portal.PushOptions{})
	if r.OK || !strings.Contains(r.Message, "removed in v12.5.2") {
		t.Errorf("easybib on Workspace 12.7: %+v", r)
	}
	srv, w := signedIn(t, portaltest.Config{Product: portaltest.Workspace})
	srv.Drop("Google")
	r = w.Push(ctx, googleSvc, googleNew, portal.PushOptions{})
	if r.OK || !strings.Contains(r.Message, "does not offer Google") {
		t.Errorf("dropped consumer: %+v", r)
	}
}

func TestReadOnly(t *testing.T) {
	for _, product := range products() {
		srv, c := signedIn(t, portaltest.Config{Product: product})
		srv.SetReadOnly("google", googleOld)
		r := c.Push(context.Background(), googleSvc, googleNew, portal.PushOptions{})
		if r.OK || !strings.Contains(r.Message, "fixed in this portal's server configuration") || len(srv.SaveRequests()) != 0 {
			t.Errorf("%s: %+v", product, r)
		}
	}
}

func TestBadKeysRestores(t *testing.T) {
	for _, product := range products() {
		t.Run(string(product), func(t *testing.T) {
			srv, c := signedIn(t, portaltest.Config{Product: product})
			srv.SetKeys("telegram", tgOld)
			srv.MarkBad(tgNew["telegramBotToken"])
			r := c.Push(context.Background(), telegramSvc, tgNew, portal.PushOptions{})
			if r.OK || !r.Restored || r.Changed || !strings.Contains(r.Message, "Bad keys") || !strings.Contains(r.Message, "restored the previous keys") {
				t.Fatalf("%+v", r)
			}
			if !equalMaps(srv.Keys("telegram"), tgOld) {
				t.Fatalf("portal holds %v", srv.Keys("telegram"))
			}
		})
	}
}

func TestBadKeysOnEmptyPortal(t *testing.T) {
	for _, product := range products() {
		srv, c := signedIn(t, portaltest.Config{Product: product})
		srv.MarkBad(tgNew["telegramBotToken"])
		r := c.Push(context.Background(), telegramSvc, tgNew, portal.PushOptions{})
		if r.OK || r.Restored || !strings.Contains(r.Message, "had no keys before and still has none") {
			t.Fatalf("%s: %+v", product, r)
		}
		if srv.IsSet("telegram") {
			t.Fatal("portal holds keys")
		}
	}
}

func TestBadKeysRestoreAlsoBad(t *testing.T) {
	srv, c := signedIn(t, portaltest.Config{Product: portaltest.DocSpace})
	srv.SetKeys("telegram", tgOld)
	srv.MarkBad(tgNew["telegramBotToken"])
	srv.MarkBad(tgOld["telegramBotToken"]) // the old token was revoked meanwhile
	r := c.Push(context.Background(), telegramSvc, tgNew, portal.PushOptions{})
	if r.OK || r.Restored || !r.Changed || !strings.Contains(r.Message, "restoring the previous keys failed") || !strings.Contains(r.Message, "has no keys now") {
		t.Fatalf("%+v", r)
	}
}

// TestFaults pushes through every injected failure and checks the
// invariant: the portal ends with the new keys or the snapshot, never
// empty, and the result says which.
func TestFaults(t *testing.T) {
	kinds := map[portaltest.FaultKind]string{portaltest.Fail500: "500", portaltest.Hang: "timeout", portaltest.Reset: "reset"}
	effects := map[portaltest.Effect]string{portaltest.Nothing: "nothing", portaltest.Applied: "applied", portaltest.Cleared: "cleared", portaltest.Partial: "partial"}
	for _, product := range products() {
		for kind, kn := range kinds {
			for effect, en := range effects {
				t.Run(fmt.Sprintf("%s/%s/%s", product, kn, en), func(t *testing.T) {
					t.Parallel()
					srv := portaltest.New(t, portaltest.Config{Product: product})
					c, _ := portal.New(srv.URL, portal.Options{Timeout: 2 * time.Second})
					ctx := context.Background()
					if err := c.Login(ctx, portaltest.DefaultUser, portaltest.DefaultPassword); err != nil {
						t.Fatal(err)
					}
					srv.SetKeys("google", googleOld)
					srv.FailSave(kind, 1, effect)
					r := c.Push(ctx, googleSvc, googleNew, portal.PushOptions{})
					got := srv.Keys("google")
					switch {
					case equalMaps(got, sent(googleSvc, googleNew)):
						if !r.OK || !r.Changed || r.Restored {
							t.Fatalf("portal has the new keys but result %+v", r)
						}
						if !strings.Contains(r.Message, "holds the new keys") {
							t.Fatalf("message %q", r.Message)
						}
					case equalMaps(got, googleOld):
						if r.OK || r.Changed {
							t.Fatalf("portal has the old keys but result %+v", r)
						}
						wantRestored := effect == portaltest.Cleared || effect == portaltest.Partial
						if r.Restored != wantRestored {
							t.Fatalf("restored=%v, want %v: %s", r.Restored, wantRestored, r.Message)
						}
						if wantRestored && !strings.Contains(r.Message, "restored the previous keys") ||
							!wantRestored && !strings.Contains(r.Message, "still holds the previous keys") {
							t.Fatalf("message %q", r.Message)
						}
					default:
						t.Fatalf("portal left with %v; result %+v", got, r)
					}
					if effect == portaltest.Applied && !r.OK {
						t.Fatalf("applied but %+v", r)
					}
				})
			}
		}
	}
}

func TestFaultOnEmptySnapshot(t *testing.T) {
	srv, c := signedIn(t, portaltest.Config{Product: portaltest.DocSpace})
	srv.FailSave(portaltest.Fail500, 1, portaltest.Partial)
	r := c.Push(context.Background(), googleSvc, googleNew, portal.PushOptions{})
	if r.OK || !r.Restored || !strings.Contains(r.Message, "had no keys before and has none now") || srv.IsSet("google") {
		t.Fatalf("%+v, portal %v", r, srv.Keys("google"))
	}
}

func TestCancelledPushStillRecovers(t *testing.T) {
	srv, c := signedIn(t, portaltest.Config{Product: portaltest.Workspace})
	srv.SetKeys("Google", googleOld)
	srv.FailSave(portaltest.Hang, 1, portaltest.Cleared)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // the admin gives up while the save hangs
		for len(srv.SaveRequests()) == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	r := c.Push(ctx, googleSvc, googleNew, portal.PushOptions{})
	if !r.Restored || !equalMaps(srv.Keys("Google"), googleOld) {
		t.Fatalf("%+v, portal %v", r, srv.Keys("Google"))
	}
}

func TestWorkspaceJSONValue(t *testing.T) {
	srv, c := signedIn(t, portaltest.Config{Product: portaltest.Workspace})
	old := `{"type": "service_account", "project_id": "old", "private_key": "-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----\n"}`
	nw := `{"type": "service_account", "project_id": "new", "client_email": "a@b.iam.gserviceaccount.com", "x": "<&>"}`
	srv.SetKeys("GoogleCloud", map[string]string{"json": old})
	st, err := c.Read(context.Background(), gcsSvc.Portal.Workspace)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Inexact["json"] || portal.CompareValue(st, "json", old) != portal.Equal {
		t.Fatalf("read %+v", st.Inexact)
	}
	if portal.CompareValue(st, "json", nw) == portal.Equal {
		t.Fatal("different JSON compared equal")
	}
	r := c.Push(context.Background(), gcsSvc, map[string]string{"json": nw}, portal.PushOptions{})
	if !r.OK || !r.Changed {
		t.Fatalf("%+v", r)
	}
	// A failed push of a JSON value restores the JSON read from the page.
	srv.FailSave(portaltest.Reset, 1, portaltest.Cleared)
	r = c.Push(context.Background(), gcsSvc, map[string]string{"json": old}, portal.PushOptions{})
	if !r.Restored || srv.Keys("GoogleCloud")["json"] != nw {
		t.Fatalf("%+v, portal %q", r, srv.Keys("GoogleCloud")["json"])
	}
}

func TestPropsRefusesEmpty(t *testing.T) {
	_, c := signedIn(t, portaltest.Config{})
	r := c.Push(context.Background(), googleSvc, map[string]string{}, portal.PushOptions{})
	if r.OK || !strings.Contains(r.Message, "every value is empty") {
		t.Fatalf("%+v", r)
	}
}
