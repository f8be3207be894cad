package wizard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// NeedKind is what signing in to a portal needs next.
type NeedKind int

// What Connect.Next asks for.
const (
	// NeedCredentials: the portal was found (Need.Info says what it
	// runs); answer with the e-mail and password, or a DocSpace API key.
	NeedCredentials NeedKind = iota
	// NeedCode: the account has two-factor sign-in; answer with the code
	// (Need.Code says from where).
	NeedCode
	// NeedBrowser: the account must finish its two-factor set-up in a
	// browser first (Need.Code says which); then start again.
	NeedBrowser
	// Done: signed in; Connect.Result says what was kept.
	Done
)

// Need is what Connect.Next returns.
type Need struct {
	Kind NeedKind
	Info PortalInfo       // what the portal runs, once it answered
	Code *ErrCodeRequired // for NeedCode and NeedBrowser
}

// Answer is what the admin gives at a step. Password, APIKey and Code are
// secrets: never printed.
type Answer struct {
	User     string // e-mail, with Password
	Password string
	APIKey   string // instead of User and Password (DocSpace only)
	// Code is the two-factor code: at the NeedCode step, or with the
	// password when the admin already has one (no new SMS is sent).
	Code string
	// Remember keeps the password to renew an expired session, never for
	// a two-factor account.
	Remember bool
}

// Connected is what a finished sign-in did.
type Connected struct {
	Conn      *PortalConn
	Where     string    // the secret store that keeps the session; "" when it is not kept
	NotKept   error     // why the session could not be kept, or nil
	NotListed error     // why the portal could not be added to the list, or nil
	Expires   time.Time // zero when the portal did not say (API keys)
	// PasswordKept: the password was kept to renew the session.
	// PasswordRefused: Remember was asked, but the account uses two-factor
	// sign-in, so the password was not kept.
	PasswordKept, PasswordRefused bool
	// KeysUnread: signed in, but a first read of the keys failed (not a
	// refusal to an administrator, which stops the sign-in).
	KeysUnread error
}

// Connect signs in to one portal, step by step: each Next does what the
// answer allows and says what it needs next. It is used by one goroutine
// at a time and starts none.
type Connect struct {
	d      Deps
	caFile string
	client PortalClient
	step   NeedKind
	user   string // kept for the code step
	pass   string // secret; kept for the code step only
	keep   bool
	asked  *ErrCodeRequired // the code a renewal was asked for
	result *Connected
}

// NewConnect starts signing in to the portal at rawURL. Without caFile,
// the certificate authority given at an earlier sign-in to that portal
// is trusted again.
func (d Deps) NewConnect(rawURL, caFile string) (*Connect, error) {
	ps, err := d.PortalEngine()
	if err != nil {
		return nil, err
	}
	if _, err := ParsePortalURL(rawURL); err != nil {
		return nil, err
	}
	if caFile == "" {
		if entries, err := ps.Remembered(); err == nil {
			if e, ok := FindPortal(entries, rawURL); ok {
				caFile = e.CAFile
			}
		}
	}
	c, err := ps.Open(rawURL, caFile)
	if err != nil {
		return nil, err
	}
	return &Connect{d: d, caFile: caFile, client: c}, nil
}

// Client is the connection being signed in, for what Detect found.
func (c *Connect) Client() PortalClient { return c.client }

// CAFile is the certificate authority trusted for this portal.
func (c *Connect) CAFile() string { return c.caFile }

// Result is what the finished sign-in did; nil before Done.
func (c *Connect) Result() *Connected { return c.result }

// Next does what a answers and says what is needed next. An empty answer
// at the start only asks the portal what it runs. A refused code keeps
// the step, so that the admin can type it again; any other error leaves
// the step where it was.
func (c *Connect) Next(ctx context.Context, a Answer) (Need, error) {
	if c.result != nil {
		return c.need(Done, nil), nil
	}
	if c.client.Info().Product == "" {
		if _, err := c.client.Detect(ctx); err != nil {
			return Need{}, err
		}
	}
	switch c.step {
	case NeedCode:
		if strings.TrimSpace(a.Code) == "" {
			return c.need(NeedCode, nil), errors.New("no two-factor code typed")
		}
		if err := c.client.LoginCode(ctx, c.user, c.pass, strings.TrimSpace(a.Code)); err != nil {
			var need *ErrCodeRequired
			if errors.As(err, &need) {
				c.asked = need
				return c.need(NeedCode, need), err
			}
			return c.need(NeedCode, nil), err
		}
		return c.finish(ctx, true)
	}
	switch {
	case a.APIKey != "":
		if a.User != "" || a.Password != "" || a.Code != "" {
			return c.need(NeedCredentials, nil), errors.New("an API key replaces the e-mail, the password and the code: use one or the other")
		}
		if a.Remember {
			return c.need(NeedCredentials, nil), errors.New("only a password can be kept, not an API key")
		}
		if err := c.client.LoginAPIKey(ctx, strings.TrimSpace(a.APIKey)); err != nil {
			return c.need(NeedCredentials, nil), err
		}
		c.user = ""
		return c.finish(ctx, false)
	case a.User == "" && a.Password == "":
		return c.need(NeedCredentials, nil), nil
	case a.User == "" || a.Password == "":
		return c.need(NeedCredentials, nil), errors.New("type the e-mail and the password")
	}
	c.user, c.keep = strings.TrimSpace(a.User), a.Remember
	if code := strings.TrimSpace(a.Code); code != "" {
		c.pass = a.Password
		if err := c.client.LoginWithCode(ctx, c.user, a.Password, code); err != nil {
			return c.need(NeedCredentials, nil), err
		}
		return c.finish(ctx, true)
	}
	err := c.client.Login(ctx, c.user, a.Password)
	var need *ErrCodeRequired
	switch {
	case errors.As(err, &need) && need.NeedsBrowser():
		return c.need(NeedBrowser, need), nil
	case errors.As(err, &need):
		c.step, c.pass, c.asked = NeedCode, a.Password, need
		return c.need(NeedCode, need), nil
	case err != nil:
		return c.need(NeedCredentials, nil), err
	}
	c.pass = a.Password
	return c.finish(ctx, false)
}

func (c *Connect) need(k NeedKind, code *ErrCodeRequired) Need {
	return Need{Kind: k, Info: c.client.Info(), Code: code}
}

// finish checks that the account may change the keys, keeps the session
// (and the password when asked, never for two-factor) and remembers the
// portal.
func (c *Connect) finish(ctx context.Context, twoFactor bool) (Need, error) {
	password := c.pass
	c.pass = ""
	out := &Connected{}
	switch err := c.client.CheckSession(ctx); {
	case errors.Is(err, ErrNotAdmin):
		return c.need(c.step, nil), err
	case err != nil:
		out.KeysUnread = err
	}
	info := c.client.Info()
	e := PortalEntry{URL: c.client.URL(), Product: info.Product, Version: info.Version, User: c.user,
		APIKey: c.client.Session().APIKey, CAFile: c.caFile, TwoFactor: twoFactor}
	keep := ""
	switch {
	case c.keep && twoFactor:
		out.PasswordRefused = true
	case c.keep:
		keep = password
	}
	ps := c.d.Portals
	out.Expires = c.client.Session().Expires
	if store, err := c.d.OpenStore(ctx); err != nil {
		out.NotKept = err
	} else if err := ps.ForgetSession(ctx, store, c.client.Key()); err != nil {
		// A password kept by an earlier sign-in goes unless asked for again.
		out.NotKept = err
	} else if err := ps.SaveSession(ctx, store, c.client.Key(), c.client.Session(), keep); err != nil {
		out.NotKept = err
	} else {
		out.Where, out.PasswordKept = store.Where(), keep != ""
	}
	out.NotListed = ps.Remember(e)
	out.Conn = &PortalConn{Entry: e, Client: c.client}
	c.result, c.step = out, Done
	return c.need(Done, nil), nil
}

// PortalConn is a remembered portal, ready for use when Err is nil.
type PortalConn struct {
	Entry  PortalEntry
	Client PortalClient
	Err    error
}

// ErrSignInAgain means a remembered portal has no usable session and
// none can be had without the admin: sign in again.
var ErrSignInAgain = errors.New("the session ended: sign in again")

// Reopen connects to a remembered portal with its stored session. It asks
// the portal again what it runs (an upgrade changes what it accepts) and
// whether the session still holds. An expired session is renewed with the
// stored password, which is kept only when the admin asked, and never
// tried for an account known to use two-factor sign-in. When the renewal
// needs a code, the Connect returned waits for it.
func (d Deps) Reopen(ctx context.Context, e PortalEntry) (*PortalConn, *Connect, error) {
	ps, err := d.PortalEngine()
	if err != nil {
		return nil, nil, err
	}
	c, err := ps.Open(e.URL, e.CAFile)
	if err != nil {
		return nil, nil, err
	}
	conn := &PortalConn{Entry: e, Client: c}
	info, err := c.Detect(ctx)
	if err != nil {
		return conn, nil, err
	}
	if info != e.Info() {
		conn.Entry.Product, conn.Entry.Version = info.Product, info.Version
		_ = ps.Remember(conn.Entry) // only a cache of what detection says
	}
	store, err := d.OpenStore(ctx)
	if err != nil {
		return conn, nil, fmt.Errorf("no session was kept (%w): sign in again", err)
	}
	sess, err := ps.LoadSession(ctx, store, e.Key())
	if err != nil {
		return conn, nil, err
	}
	c.SetSession(sess)
	now := d.Clock()
	if sess.Valid(now) {
		// The portal may have ended the session early (sign-out
		// elsewhere, restart): ask before relying on it.
		switch err := c.CheckSession(ctx); {
		case errors.Is(err, ErrNotSignedIn):
			sess = PortalSession{}
		case err != nil:
			return conn, nil, err
		}
	}
	if sess.Valid(now) {
		return conn, nil, nil
	}
	if e.User == "" || e.TwoFactor {
		return conn, nil, ErrSignInAgain
	}
	pw, err := ps.LoadPassword(ctx, store, e.Key())
	if err != nil {
		return conn, nil, err
	}
	if pw == "" {
		return conn, nil, ErrSignInAgain
	}
	err = c.Login(ctx, e.User, pw)
	var need *ErrCodeRequired
	if errors.As(err, &need) {
		// The account now uses two-factor sign-in: from here on it is
		// signed in again only when the admin asks, so that no further
		// renewal sends a code by SMS.
		conn.Entry.TwoFactor = true
		_ = ps.Remember(conn.Entry)
	}
	if errors.As(err, &need) && !need.NeedsBrowser() {
		return conn, &Connect{d: d, caFile: e.CAFile, client: c, step: NeedCode, user: e.User, pass: pw, keep: true, asked: need}, nil
	}
	if err != nil {
		return conn, nil, &RenewError{Err: err}
	}
	if err := ps.SaveSession(ctx, store, e.Key(), c.Session(), ""); err != nil {
		return conn, nil, err
	}
	return conn, nil, nil
}

// RenewError says that the kept password did not renew an expired
// session. It is ErrSignInAgain too.
type RenewError struct{ Err error }

func (e *RenewError) Error() string {
	return "signing in again with the kept password failed: " + e.Err.Error()
}

// Unwrap is ErrSignInAgain and the portal's refusal.
func (e *RenewError) Unwrap() []error { return []error{ErrSignInAgain, e.Err} }

// Pending is the step a Connect waits at.
func (c *Connect) Pending() NeedKind { return c.step }

// ErrNotRemembered means the portal named is not in the list.
var ErrNotRemembered = errors.New("not a remembered portal")

// ErrNoPortal means no remembered portal has a session to use.
var ErrNoPortal = errors.New("not signed in to any portal")

// OpenPortals opens the remembered portals to work on: the one at only,
// else every portal with a session (or a kept password to renew it). A
// portal that cannot be used has Err set; one signed out is left out
// (named by only, it is an error wrapping ErrNotSignedIn).
func (d Deps) OpenPortals(ctx context.Context, only string) ([]*PortalConn, error) {
	ps, entries, err := d.remembered()
	if err != nil {
		return nil, err
	}
	if only != "" {
		e, ok := FindPortal(entries, only)
		if !ok {
			return nil, fmt.Errorf("%s: %w", only, ErrNotRemembered)
		}
		entries = []PortalEntry{e}
	}
	store, err := d.OpenStore(ctx)
	if err != nil {
		return nil, err
	}
	var out []*PortalConn
	for _, e := range entries {
		sess, err := ps.LoadSession(ctx, store, e.Key())
		if err != nil {
			return nil, err
		}
		pw := ""
		if e.User != "" && !e.TwoFactor {
			if pw, err = ps.LoadPassword(ctx, store, e.Key()); err != nil {
				return nil, err
			}
		}
		if sess.Token == "" && pw == "" {
			if only != "" {
				return nil, fmt.Errorf("%s: %w", e.URL, ErrNotSignedIn)
			}
			continue // signed out
		}
		conn, pending, err := d.Reopen(ctx, e)
		if conn == nil {
			conn = &PortalConn{Entry: e}
		}
		switch {
		case err != nil:
			conn.Err = err
		case pending != nil:
			// Say what the portal did: it may have sent an SMS.
			conn.Err = &RenewError{Err: pending.asked}
		}
		out = append(out, conn)
	}
	if len(out) == 0 {
		return nil, ErrNoPortal
	}
	return out, nil
}
