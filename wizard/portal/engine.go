package portal

import (
	"context"
	"strings"
	"time"

	"keywizard/providers"
	"keywizard/wizard"
)

// Engine is wizard.Portals over the remembered-portals file and real
// clients, which honour HTTPS_PROXY, NO_PROXY and SSL_CERT_FILE.
type Engine struct {
	Dir     string        // folder of portals.json; Keywizard's configuration folder when empty
	Timeout time.Duration // per request; the HTTP client's default when zero
}

var _ wizard.Portals = Engine{}

func (e Engine) list() (List, error) {
	if e.Dir != "" {
		return List{Dir: e.Dir}, nil
	}
	dir, err := DefaultDir()
	if err != nil {
		return List{}, err
	}
	return List{Dir: dir}, nil
}

// Open returns a client for the portal at rawURL; it does not connect.
func (e Engine) Open(rawURL, caFile string) (wizard.PortalClient, error) {
	c, err := New(rawURL, Options{CAFile: caFile, Timeout: e.Timeout})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Remembered reads the remembered portals.
func (e Engine) Remembered() ([]Entry, error) {
	l, err := e.list()
	if err != nil {
		return nil, err
	}
	return l.Load()
}

// Remember adds or replaces the entry with the same address.
func (e Engine) Remember(en Entry) error {
	l, err := e.list()
	if err != nil {
		return err
	}
	return l.Put(en)
}

// Forget removes a remembered portal.
func (e Engine) Forget(rawURL string) (bool, error) {
	l, err := e.list()
	if err != nil {
		return false, err
	}
	return l.Remove(rawURL)
}

// LoadSession reads a portal's session.
func (Engine) LoadSession(ctx context.Context, store wizard.SecretStore, key string) (Session, error) {
	return LoadSession(ctx, store, key)
}

// SaveSession keeps a session, and the password when given.
func (Engine) SaveSession(ctx context.Context, store wizard.SecretStore, key string, s Session, password string) error {
	return SaveSession(ctx, store, key, s, password)
}

// ForgetSession deletes a portal's session and password.
func (Engine) ForgetSession(ctx context.Context, store wizard.SecretStore, key string) error {
	return ForgetSession(ctx, store, key)
}

// LoadPassword reads the remembered password, "" when none.
func (Engine) LoadPassword(ctx context.Context, store wizard.SecretStore, key string) (string, error) {
	return LoadPassword(ctx, store, key)
}

var _ wizard.PortalClient = (*Client)(nil)

// ReadKeys reads what the portal holds for every service.
func (c *Client) ReadKeys(ctx context.Context) (wizard.Holdings, error) {
	states, err := c.ReadAll(ctx)
	if err != nil {
		return nil, err
	}
	return Holdings{Info: c.Info(), States: states}, nil
}

// Sendable says why values of p cannot be pushed to this portal, or nil.
func (c *Client) Sendable(p providers.Provider, values map[string]string) error {
	_, err := sendable(c.Info(), p, values)
	return err
}

func sendable(info Info, p providers.Provider, values map[string]string) ([]Prop, error) {
	cons, err := Consumer(p, info.Product)
	if err != nil {
		return nil, err
	}
	props, err := Props(p, cons, values)
	if err != nil {
		return nil, err
	}
	return props, CheckLengths(info, p, props)
}

// Holdings is what a portal held when it was read: wizard.Holdings.
type Holdings struct {
	Info   Info
	States map[string]State // by lowercase consumer name, as ReadAll returns them
}

// Mark compares what the portal holds for p with the keys here, through
// wizard.Compare.
func (h Holdings) Mark(p providers.Provider, local map[string]string) wizard.Mark {
	return Mark(p, h.Info.Product, h.States, local)
}

// Changes lists what pushing values would change, values redacted.
func (h Holdings) Changes(p providers.Provider, values map[string]string) ([]Change, error) {
	props, err := sendable(h.Info, p, values)
	if err != nil {
		return nil, err
	}
	cons, _ := Consumer(p, h.Info.Product)
	return Diff(p, h.States[strings.ToLower(cons.Name)], props), nil
}
