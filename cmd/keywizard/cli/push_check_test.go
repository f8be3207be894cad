package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"keywizard/wizard"
	"keywizard/wizard/portal/portaltest"
	"keywizard/wizard/state"
)

// TestPushChecksOnlineFirst: keys the service rejects are not pushed unless
// --force; a check with no verdict lets the push go on and says so; the
// outcome lands in the progress file.
func TestPushChecksOnlineFirst(t *testing.T) {
	store := portalEnv(t)
	srv := portaltest.New(t, portaltest.Config{Product: portaltest.DocSpace})
	login(t, store, srv)
	storeKeys(t, store, "google", examples(t, "google"))
	progress := state.Store{File: state.File{Dir: t.TempDir()}}

	push := func(c *fakeChecker, args ...string) ([]pushJSON, int) {
		t.Helper()
		var out, errb bytes.Buffer
		d := Deps{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Version: "test",
			IsTerminal: func() bool { return false }, Checker: c, Progress: progress, Portals: testPortals(),
			Store: func(context.Context) (wizard.SecretStore, error) { return store, nil }}
		code := Run(context.Background(), append([]string{"push", "google", "--json"}, args...), d)
		var res []pushJSON
		if err := json.Unmarshal(out.Bytes(), &res); err != nil || len(res) != 1 {
			t.Fatalf("push output: %v\n%s%s", err, out.String(), errb.String())
		}
		return res, code
	}

	rejected := &fakeChecker{answers: map[string]wizard.CheckResult{"google": {Message: "Google rejected the client secret", Certainty: wizard.Likely}}}
	res, code := push(rejected)
	if code != ExitInvalid || res[0].OK || !strings.Contains(res[0].Message, "online check failed") || len(srv.SaveRequests()) != 0 {
		t.Fatalf("rejected keys: exit %d %+v, %d saves", code, res, len(srv.SaveRequests()))
	}
	if len(rejected.asked) != 1 {
		t.Fatalf("the checker was asked %v", rejected.asked)
	}

	silent := &fakeChecker{answers: map[string]wizard.CheckResult{"google": {Message: "Google could not be reached", Unreachable: true, Certainty: wizard.Uncertain}}}
	res, code = push(silent)
	if code != ExitOK || !res[0].OK || !strings.Contains(res[0].Message, "gave no verdict") || !srv.IsSet("google") {
		t.Fatalf("unreachable check: exit %d %+v", code, res)
	}
	p, _ := progress.Load()
	if s := p.Services["google"]; s == nil || s.Push == nil || !s.Push.OK || s.Status != wizard.OnPortal {
		t.Fatalf("progress after push: %+v", s)
	}

	forced := &fakeChecker{}
	if _, code := push(forced, "--force"); code != ExitOK || len(forced.asked) != 0 {
		t.Fatalf("--force: exit %d, checker asked %v", code, forced.asked)
	}
}
