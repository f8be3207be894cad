package wizard_test

import (
	"context"
	"errors"
	"testing"

	"keywizard/wizard"
	"keywizard/wizard/portal/portaltest"
)

// A kept password that the portal answers with a two-factor code leaves
// the portal unusable, and its error says what the portal asked for: it
// may have sent an SMS, and the admin must know why.
func TestOpenPortalsSaysWhichCodeARenewalNeeds(t *testing.T) {
	srv := portaltest.New(t, portaltest.Config{TwoFactor: portaltest.SMS})
	d, store := portalDeps(t)
	ctx := context.Background()
	c, err := d.NewConnect(srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Next(ctx, wizard.Answer{User: portaltest.DefaultUser, Password: portaltest.DefaultPassword, Code: portaltest.DefaultCode}); err != nil {
		t.Fatal(err)
	}
	// Signed in before the account had two-factor sign-in, with the
	// password kept.
	e := c.Result().Conn.Entry
	e.TwoFactor = false
	if err := d.Portals.Remember(e); err != nil {
		t.Fatal(err)
	}
	if err := d.Portals.SaveSession(ctx, store, e.Key(), c.Client().Session(), portaltest.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	srv.ExpireSessions()
	conns, err := d.OpenPortals(ctx, "")
	if err != nil || len(conns) != 1 {
		t.Fatalf("OpenPortals = %v, %v", conns, err)
	}
	var need *wizard.ErrCodeRequired
	var renew *wizard.RenewError
	if !errors.Is(conns[0].Err, wizard.ErrSignInAgain) || !errors.As(conns[0].Err, &renew) || !errors.As(conns[0].Err, &need) || need.Kind != wizard.CodeSMS {
		t.Fatalf("err = %v, want a renewal error naming the SMS code", conns[0].Err)
	}
}
