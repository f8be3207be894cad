package wizard_test

import (
	"context"
	"testing"

	"keywizard/wizard"
	"keywizard/wizard/portal/portaltest"
)

// A renewal that runs into a two-factor code hands back a Connect that
// says where the code comes from, and the code finishes the sign-in.
func TestReopenWaitsForTheCodeItWasSent(t *testing.T) {
	srv := portaltest.New(t, portaltest.Config{TwoFactor: portaltest.SMS})
	d, store := portalDeps(t)
	ctx := context.Background()
	// The account had no two-factor sign-in when its password was kept.
	e := wizard.PortalEntry{URL: srv.URL, Product: wizard.DocSpace, User: portaltest.DefaultUser}
	if err := d.Portals.Remember(e); err != nil {
		t.Fatal(err)
	}
	if err := d.Portals.SaveSession(ctx, store, e.Key(), wizard.PortalSession{Token: "ended"}, portaltest.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	_, pending, err := d.Reopen(ctx, e)
	if err != nil || pending == nil {
		t.Fatalf("Reopen = %v, %v; want a renewal waiting for a code", pending, err)
	}
	need := pending.Waiting()
	if need.Kind != wizard.NeedCode || need.Code == nil || need.Code.Kind != wizard.CodeSMS || need.Code.PhoneNoise != portaltest.PhoneNoise {
		t.Fatalf("Waiting = %+v (code %+v)", need, need.Code)
	}
	if n, err := pending.Next(ctx, code); err != nil || n.Kind != wizard.Done {
		t.Fatalf("Next(code) = %v, %v", n.Kind, err)
	}
	if w := pending.Waiting(); w.Kind != wizard.Done || w.Code != nil {
		t.Fatalf("Waiting after the code = %+v", w)
	}
}

// A sign-in that asks for a code keeps saying which, until it is done.
func TestConnectWaitingFollowsTheSteps(t *testing.T) {
	srv := portaltest.New(t, portaltest.Config{TwoFactor: portaltest.App})
	d, _ := portalDeps(t)
	ctx := context.Background()
	c, err := d.NewConnect(srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	if w := c.Waiting(); w.Kind != wizard.NeedCredentials || w.Code != nil {
		t.Fatalf("Waiting at the start = %+v", w)
	}
	if _, err := c.Next(ctx, pw); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Next(ctx, badCode); err == nil {
		t.Fatal("a wrong code was taken")
	}
	if w := c.Waiting(); w.Kind != wizard.NeedCode || w.Code == nil || w.Code.Kind != wizard.CodeApp {
		t.Fatalf("Waiting after a wrong code = %+v", w)
	}
}
