package wizard_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"keywizard/wizard"
	"keywizard/wizard/portal"
	"keywizard/wizard/portal/portaltest"
)

// portalDeps are Deps with a real portal engine over a temporary list and
// an in-memory secret store.
func portalDeps(t *testing.T) (wizard.Deps, memStore) {
	t.Helper()
	store := memStore{}
	return wizard.Deps{
		Store:   func(context.Context) (wizard.SecretStore, error) { return store, nil },
		Portals: portal.Engine{Dir: t.TempDir()},
	}, store
}

func signIns(srv *portaltest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path, "authentication") {
			n++
		}
	}
	return n
}

var (
	pw      = wizard.Answer{User: portaltest.DefaultUser, Password: portaltest.DefaultPassword}
	pwKeep  = wizard.Answer{User: portaltest.DefaultUser, Password: portaltest.DefaultPassword, Remember: true}
	code    = wizard.Answer{Code: portaltest.DefaultCode}
	badCode = wizard.Answer{Code: "000000"}
)

// Signing in is one state machine for both faces: each answer leads to the
// next need, and only a finished sign-in keeps anything.
func TestConnectSteps(t *testing.T) {
	tests := []struct {
		name    string
		cfg     portaltest.Config
		answers []wizard.Answer
		needs   []wizard.NeedKind // after each answer
		errAt   int               // index of the answer that errs; -1 for none
		errIs   error
		// what the finished sign-in kept
		twoFactor, passwordKept, passwordRefused bool
	}{
		{name: "password", answers: []wizard.Answer{{}, pw},
			needs: []wizard.NeedKind{wizard.NeedCredentials, wizard.Done}, errAt: -1},
		{name: "password kept on request", answers: []wizard.Answer{pwKeep},
			needs: []wizard.NeedKind{wizard.Done}, errAt: -1, passwordKept: true},
		{name: "app code", cfg: portaltest.Config{TwoFactor: portaltest.App}, answers: []wizard.Answer{pwKeep, code},
			needs: []wizard.NeedKind{wizard.NeedCode, wizard.Done}, errAt: -1, twoFactor: true, passwordRefused: true},
		{name: "wrong code keeps the step", cfg: portaltest.Config{TwoFactor: portaltest.App}, answers: []wizard.Answer{pw, badCode, code},
			needs: []wizard.NeedKind{wizard.NeedCode, wizard.NeedCode, wizard.Done}, errAt: 1, errIs: wizard.ErrWrongCode, twoFactor: true},
		{name: "sms code", cfg: portaltest.Config{TwoFactor: portaltest.SMS}, answers: []wizard.Answer{pw, code},
			needs: []wizard.NeedKind{wizard.NeedCode, wizard.Done}, errAt: -1, twoFactor: true},
		{name: "code given with the password", cfg: portaltest.Config{TwoFactor: portaltest.SMS},
			answers: []wizard.Answer{{User: pw.User, Password: pw.Password, Code: portaltest.DefaultCode}},
			needs:   []wizard.NeedKind{wizard.Done}, errAt: -1, twoFactor: true},
		{name: "app not set up", cfg: portaltest.Config{TwoFactor: portaltest.AppSetup}, answers: []wizard.Answer{pw},
			needs: []wizard.NeedKind{wizard.NeedBrowser}, errAt: -1},
		{name: "api key", answers: []wizard.Answer{{APIKey: portaltest.DefaultAPIKey}},
			needs: []wizard.NeedKind{wizard.Done}, errAt: -1},
		{name: "not an administrator", cfg: portaltest.Config{NotAdmin: true}, answers: []wizard.Answer{pw},
			needs: []wizard.NeedKind{wizard.NeedCredentials}, errAt: 0, errIs: wizard.ErrNotAdmin},
		{name: "wrong password", answers: []wizard.Answer{{User: pw.User, Password: "nope"}},
			needs: []wizard.NeedKind{wizard.NeedCredentials}, errAt: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := portaltest.New(t, tt.cfg)
			d, store := portalDeps(t)
			c, err := d.NewConnect(srv.URL, "")
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			for i, a := range tt.answers {
				need, err := c.Next(ctx, a)
				if (err != nil) != (i == tt.errAt) {
					t.Fatalf("answer %d: err = %v", i, err)
				}
				if tt.errIs != nil && i == tt.errAt && !errors.Is(err, tt.errIs) {
					t.Fatalf("answer %d: err = %v, want %v", i, err, tt.errIs)
				}
				if need.Kind != tt.needs[i] {
					t.Fatalf("answer %d: need %v, want %v", i, need.Kind, tt.needs[i])
				}
				if need.Info.Product != wizard.DocSpace {
					t.Fatalf("answer %d: product %q", i, need.Info.Product)
				}
			}
			entries, _ := d.Portals.Remembered()
			res := c.Result()
			if tt.needs[len(tt.needs)-1] != wizard.Done {
				if res != nil || len(entries) != 0 || len(store) != 0 {
					t.Fatalf("an unfinished sign-in kept something: %v, %d entries, %d secrets", res, len(entries), len(store))
				}
				return
			}
			if res == nil || res.Conn == nil || res.NotKept != nil || res.NotListed != nil || res.Where != "memory" {
				t.Fatalf("Result = %+v", res)
			}
			if len(entries) != 1 || entries[0].TwoFactor != tt.twoFactor {
				t.Fatalf("remembered %+v", entries)
			}
			kept, _ := d.Portals.LoadPassword(ctx, store, entries[0].Key())
			if (kept != "") != tt.passwordKept || res.PasswordKept != tt.passwordKept || res.PasswordRefused != tt.passwordRefused {
				t.Fatalf("password kept %v (result %v, refused %v)", kept != "", res.PasswordKept, res.PasswordRefused)
			}
			sess, _ := d.Portals.LoadSession(ctx, store, entries[0].Key())
			if sess.Token == "" {
				t.Fatal("no session kept")
			}
		})
	}
}

// An expired session is renewed with the kept password, but an account that
// uses two-factor sign-in is never signed in again without the admin: each
// try would need a code, or send an SMS.
func TestReopenRenewal(t *testing.T) {
	for _, tt := range []struct {
		name    string
		cfg     portaltest.Config
		answers []wizard.Answer
		renews  bool
	}{
		{"kept password renews", portaltest.Config{}, []wizard.Answer{pwKeep}, true},
		{"no kept password", portaltest.Config{}, []wizard.Answer{pw}, false},
		{"two-factor never renews", portaltest.Config{TwoFactor: portaltest.SMS}, []wizard.Answer{pwKeep, code}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := portaltest.New(t, tt.cfg)
			d, _ := portalDeps(t)
			ctx := context.Background()
			c, err := d.NewConnect(srv.URL, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range tt.answers {
				if _, err := c.Next(ctx, a); err != nil {
					t.Fatal(err)
				}
			}
			e := c.Result().Conn.Entry
			if conn, pending, err := d.Reopen(ctx, e); err != nil || pending != nil || conn.Client.Session().Token == "" {
				t.Fatalf("Reopen with a live session: %v, %v", pending, err)
			}
			srv.ExpireSessions()
			before := signIns(srv)
			conn, pending, err := d.Reopen(ctx, e)
			if pending != nil {
				t.Fatal("a renewal asked for a code")
			}
			if tt.renews {
				if err != nil || conn.Client.CheckSession(ctx) != nil {
					t.Fatalf("not renewed: %v", err)
				}
				if signIns(srv) != before+1 {
					t.Fatalf("%d sign-ins", signIns(srv)-before)
				}
				return
			}
			if !errors.Is(err, wizard.ErrSignInAgain) {
				t.Fatalf("err = %v, want ErrSignInAgain", err)
			}
			if n := signIns(srv) - before; n != 0 {
				t.Fatalf("%d sign-ins were tried without the admin", n)
			}
			conns, err := d.OpenPortals(ctx, "")
			if err != nil || len(conns) != 1 || !errors.Is(conns[0].Err, wizard.ErrSignInAgain) {
				t.Fatalf("OpenPortals = %v, %v", conns, err)
			}
		})
	}
}

func TestOpenPortalsNamesWhatIsMissing(t *testing.T) {
	srv := portaltest.New(t, portaltest.Config{})
	d, _ := portalDeps(t)
	ctx := context.Background()
	if _, err := d.OpenPortals(ctx, ""); !errors.Is(err, wizard.ErrNoPortal) {
		t.Fatalf("no portal: %v", err)
	}
	if _, err := d.OpenPortals(ctx, srv.URL); !errors.Is(err, wizard.ErrNotRemembered) {
		t.Fatalf("unknown portal: %v", err)
	}
	c, _ := d.NewConnect(srv.URL, "")
	if _, err := c.Next(ctx, pw); err != nil {
		t.Fatal(err)
	}
	conns, err := d.OpenPortals(ctx, srv.URL)
	if err != nil || len(conns) != 1 || conns[0].Err != nil {
		t.Fatalf("OpenPortals = %v, %v", conns, err)
	}
	if out, err := d.SignOut(ctx, false, srv.URL); err != nil || len(out) != 1 {
		t.Fatalf("SignOut = %v, %v", out, err)
	}
	if _, err := d.OpenPortals(ctx, srv.URL); !errors.Is(err, wizard.ErrNotSignedIn) {
		t.Fatalf("signed out: %v", err)
	}
	states, err := d.SessionStates(ctx)
	if err != nil || len(states) != 1 || states[0].SignedIn || states[0].Note != "signed out" {
		t.Fatalf("SessionStates = %+v, %v", states, err)
	}
}

// The one push loop sends what the plan sends, refuses the rest in the
// face's words, appends the plan's note, and lines results up with the plan.
func TestPushToFollowsPlan(t *testing.T) {
	srv := portaltest.New(t, portaltest.Config{})
	d, store := portalDeps(t)
	ctx := context.Background()
	c, _ := d.NewConnect(srv.URL, "")
	if _, err := c.Next(ctx, pw); err != nil {
		t.Fatal(err)
	}
	conn := c.Result().Conn
	tg := lookup(t, "telegram")
	tgKeys := map[string]string{"telegramBotToken": "222:new-token-BBBBBBBBBBBBBBBBBBBBBBBBBBBBB", "telegramBotName": "new_bot"}
	plan := []wizard.PushJob{
		{Candidate: wizard.Candidate{Provider: lookup(t, "google"), Values: map[string]string{"googleClientId": "x"}}, Block: wizard.Block{Kind: wizard.Invalid}},
		{Candidate: wizard.Candidate{Provider: tg, Values: tgKeys}, Note: "the online check gave no verdict"},
	}
	var steps []string
	out := wizard.PushTo(ctx, conn, plan, wizard.RunOptions{Refusal: func(j wizard.PushJob) string { return "refused " + j.Provider.ID }},
		func(i int, res *wizard.PushResult) {
			steps = append(steps, plan[i].Provider.ID+map[bool]string{true: " done", false: " start"}[res != nil])
		})
	if len(out) != 2 || out[0].Service != "google" || out[0].OK || out[0].Message != "refused google" {
		t.Fatalf("refused result = %+v", out[0])
	}
	if !out[1].OK || !strings.HasSuffix(out[1].Message, "; the online check gave no verdict") || out[1].Portal != conn.Entry.URL {
		t.Fatalf("pushed result = %+v", out[1])
	}
	if strings.Join(steps, ",") != "telegram start,telegram done" {
		t.Fatalf("progress %v", steps)
	}
	if got := srv.Keys("telegram"); got["telegramBotToken"] != tgKeys["telegramBotToken"] {
		t.Fatalf("portal holds %v", got)
	}
	// Status compares the stored keys with the portal.
	if err := wizard.SaveKeys(ctx, store, tg, tgKeys); err != nil {
		t.Fatal(err)
	}
	rows, err := wizard.ServicesOn(ctx, store, conn)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Provider.ID == "telegram" && (r.Mark != wizard.MarkSame || r.Local != "stored") {
			t.Fatalf("telegram row %+v", r)
		}
	}
	// A cancelled run reaches nothing.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if out := wizard.PushTo(cctx, conn, plan, wizard.RunOptions{}, nil); out[0].Service != "" || out[1].Service != "" {
		t.Fatalf("cancelled run: %+v", out)
	}
	// A portal that could not be opened gives each service its reason.
	bad := &wizard.PortalConn{Entry: conn.Entry, Err: wizard.ErrPortalUnreachable}
	if out := wizard.PushTo(ctx, bad, plan[1:], wizard.RunOptions{}, nil); !out[0].Unreachable || out[0].Service != "telegram" {
		t.Fatalf("unreachable: %+v", out)
	}
}

// An account that turned on two-factor sign-in after its password was kept
// makes the portal send one code at the next renewal, and no more: it is
// then known to use two-factor sign-in.
func TestRenewalLearnsTwoFactor(t *testing.T) {
	srv := portaltest.New(t, portaltest.Config{TwoFactor: portaltest.SMS})
	d, store := portalDeps(t)
	ctx := context.Background()
	e := wizard.PortalEntry{URL: srv.URL, Product: wizard.DocSpace, User: portaltest.DefaultUser}
	if err := d.Portals.Remember(e); err != nil {
		t.Fatal(err)
	}
	if err := d.Portals.SaveSession(ctx, store, e.Key(), wizard.PortalSession{}, portaltest.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	if _, pending, err := d.Reopen(ctx, e); err != nil || pending == nil {
		t.Fatalf("first renewal: pending %v, err %v", pending, err)
	}
	entries, _ := d.Portals.Remembered()
	if len(entries) != 1 || !entries[0].TwoFactor {
		t.Fatalf("remembered %+v", entries)
	}
	before := signIns(srv)
	if _, _, err := d.Reopen(ctx, entries[0]); !errors.Is(err, wizard.ErrSignInAgain) {
		t.Fatalf("second renewal: %v", err)
	}
	if n := signIns(srv) - before; n != 0 {
		t.Fatalf("%d sign-ins after the account was known to use two-factor", n)
	}
}
