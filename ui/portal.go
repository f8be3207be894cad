package ui

import (
	"context"
	"strings"

	"keywizard/wizard"
)

// PrefPortalURL is the address of the last portal the window connected to
// (not secret: the session lives in the secret store).
const PrefPortalURL = "ui.portalURL"

// flow is the part of the flow's Deps the window's portal work uses: its
// secret store, its portal engine and its checker.
func (w *window) flow() wizard.Deps {
	d := wizard.Deps{Portals: w.deps.Portals, Checker: w.deps.Checker}
	if store := w.deps.Store; store != nil {
		d.Store = func(context.Context) (wizard.SecretStore, error) { return store, nil }
	}
	return d
}

// portalConn is the portal the window is connected to. The client is used
// by one goroutine at a time (take turns with use); the rest is touched on
// the UI thread only.
type portalConn struct {
	entry   wizard.PortalEntry
	client  wizard.PortalClient
	turn    chan struct{}
	states  wizard.Holdings // what the portal held at the last read; nil before the first read
	readErr error           // the last read failed
}

func newPortalConn(e wizard.PortalEntry, c wizard.PortalClient) *portalConn {
	return &portalConn{entry: e, client: c, turn: make(chan struct{}, 1)}
}

// flowConn is the connection as the flow's push loop takes it.
func (c *portalConn) flowConn() *wizard.PortalConn {
	return &wizard.PortalConn{Entry: c.entry, Client: c.client}
}

// use waits for the client (or for ctx) and returns the function that
// hands it back.
func (c *portalConn) use(ctx context.Context) (func(), error) {
	select {
	case c.turn <- struct{}{}:
		return func() { <-c.turn }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// name is the portal as the top bar shows it: its host, with the path if
// it has one.
func (c *portalConn) name() string { return portalName(c.entry.URL) }

func portalName(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	return strings.TrimSuffix(u, "/")
}

// productLine is "ONLYOFFICE DocSpace 3.7.2.1461".
func productLine(i wizard.PortalInfo) string {
	if i.Version == "" {
		return i.Product.String() + " (version not known)"
	}
	return i.Product.String() + " " + i.Version
}

// shortProduct is "DocSpace 3.7" for the top bar.
func shortProduct(e wizard.PortalEntry) string {
	name := strings.TrimPrefix(e.Product.String(), "ONLYOFFICE ")
	v := strings.Split(e.Version, ".")
	if len(v) >= 2 {
		return name + " " + v[0] + "." + v[1]
	}
	return name
}

// mark is where a service stands on the connected portal: the flow's
// one comparison, wizard.Compare.
type mark = wizard.Mark

// Marks, by their short names here.
const (
	markUnknown    = wizard.MarkUnknown
	markNotOffered = wizard.MarkNotOffered
	markFixed      = wizard.MarkFixed
	markNotSet     = wizard.MarkNotSet
	markSame       = wizard.MarkSame
	markDiffers    = wizard.MarkDiffers
	markUnsure     = wizard.MarkUnsure
	markSet        = wizard.MarkSet
	markPartly     = wizard.MarkPartly
)

// word is the mark as the list shows it, after the status; "" when the
// status already says it.
func markWord(m mark) string {
	switch m {
	case markNotOffered:
		return "not offered"
	case markFixed:
		return "fixed on portal"
	case markNotSet:
		return "not on portal"
	case markDiffers:
		return "portal differs"
	case markUnsure:
		return "portal may differ"
	case markSet:
		return "set on portal"
	case markPartly:
		return "partly set on portal"
	}
	return ""
}

// sentence is the mark in a full sentence, for the service's page and the
// review.
func markSentence(m mark, portalName string) string {
	switch m {
	case markNotOffered:
		return portalName + " does not offer this service."
	case markFixed:
		return "On " + portalName + " these keys are fixed in the server's configuration: they cannot be changed from here."
	case markNotSet:
		return portalName + " has no keys for this service yet."
	case markSame:
		return portalName + " holds the same keys as here."
	case markDiffers:
		return portalName + " holds other keys than here."
	case markUnsure:
		return portalName + " has keys set; some could only be read approximately, so they may differ from the ones here."
	case markSet:
		return portalName + " has keys set for this service."
	case markPartly:
		return portalName + " has keys set for this service, but some required ones are empty."
	}
	return ""
}

// readKeys reads what the portal holds, waiting its turn for the client.
func readKeys(ctx context.Context, conn *portalConn) (wizard.Holdings, error) {
	done, err := conn.use(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	return conn.client.ReadKeys(ctx)
}
