package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/portal"
)

// PrefPortalURL is the address of the last portal the window connected to
// (not secret: the session lives in the secret store).
const PrefPortalURL = "ui.portalURL"

// Portals reaches ONLYOFFICE portals for the window: it opens a client for
// a portal and keeps the list of remembered portals. The list holds nothing
// secret; sessions and passwords go to Deps.Store.
type Portals interface {
	Client(url, caFile string) (*portal.Client, error)
	Load() ([]portal.Entry, error)
	Put(e portal.Entry) error
	Remove(url string) error
}

// PortalFiles is Portals over the remembered-portals file the command line
// also uses. Its clients honour HTTPS_PROXY, NO_PROXY and SSL_CERT_FILE.
type PortalFiles struct {
	Dir     string        // folder of portals.json; Keywizard's configuration folder when empty
	Timeout time.Duration // per request; the HTTP client's default when zero
}

var _ Portals = (*PortalFiles)(nil)

func (f *PortalFiles) list() (portal.List, error) {
	if f.Dir != "" {
		return portal.List{Dir: f.Dir}, nil
	}
	dir, err := portal.DefaultDir()
	if err != nil {
		return portal.List{}, err
	}
	return portal.List{Dir: dir}, nil
}

// Client opens a client for the portal at url; it does not connect.
func (f *PortalFiles) Client(url, caFile string) (*portal.Client, error) {
	return portal.New(url, portal.Options{CAFile: caFile, Timeout: f.Timeout})
}

// Load reads the remembered portals.
func (f *PortalFiles) Load() ([]portal.Entry, error) {
	l, err := f.list()
	if err != nil {
		return nil, err
	}
	return l.Load()
}

// Put remembers a portal, replacing the entry with the same address.
func (f *PortalFiles) Put(e portal.Entry) error {
	l, err := f.list()
	if err != nil {
		return err
	}
	return l.Put(e)
}

// Remove forgets a portal.
func (f *PortalFiles) Remove(url string) error {
	l, err := f.list()
	if err != nil {
		return err
	}
	_, err = l.Remove(url)
	return err
}

// portalConn is the portal the window is connected to. The client is used
// by one goroutine at a time (take turns with use); the rest is touched on
// the UI thread only.
type portalConn struct {
	entry   portal.Entry
	client  *portal.Client
	turn    chan struct{}
	states  map[string]portal.State // last read, by lowercase consumer name; nil before the first read
	readErr error                   // the last read failed
}

func newPortalConn(e portal.Entry, c *portal.Client) *portalConn {
	return &portalConn{entry: e, client: c, turn: make(chan struct{}, 1)}
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
func productLine(i portal.Info) string {
	if i.Version == "" {
		return i.Product.String() + " (version not known)"
	}
	return i.Product.String() + " " + i.Version
}

// shortProduct is "DocSpace 3.7" for the top bar.
func shortProduct(e portal.Entry) string {
	name := strings.TrimPrefix(e.Product.String(), "ONLYOFFICE ")
	v := strings.Split(e.Version, ".")
	if len(v) >= 2 {
		return name + " " + v[0] + "." + v[1]
	}
	return name
}

// mark is where a service stands on the connected portal.
type mark int

// Marks.
const (
	markUnknown    mark = iota // not connected, or not read yet
	markNotOffered             // this portal's product or version does not have the service
	markFixed                  // keys fixed in the server's configuration
	markNotSet                 // the portal has no keys for it
	markSame                   // the portal holds the keys this window holds
	markDiffers                // the portal holds other keys
	markUnsure                 // set, but could only be compared approximately
	markSet                    // set; nothing here to compare with
)

// word is the mark as the list shows it, after the status; "" when the
// status already says it.
func (m mark) word() string {
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
	}
	return ""
}

// sentence is the mark in a full sentence, for the service's page and the
// review.
func (m mark) sentence(portalName string) string {
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
	}
	return ""
}

// markOf compares what the portal holds for p with the values here.
func markOf(p providers.Provider, info portal.Info, states map[string]portal.State, values map[string]string) mark {
	if states == nil {
		return markUnknown
	}
	cons, err := portal.Consumer(p, info.Product)
	if err != nil {
		return markNotOffered
	}
	s := states[strings.ToLower(cons.Name)]
	switch {
	case !s.Offered:
		return markNotOffered
	case !s.CanSet:
		return markFixed
	case !s.IsSet():
		return markNotSet
	}
	props, err := portal.Props(p, cons, values)
	if err != nil {
		return markSet
	}
	m := markSame
	for _, pr := range props {
		switch portal.CompareValue(s, pr.Name, pr.Value) {
		case portal.Different:
			return markDiffers
		case portal.Unsure:
			m = markUnsure
		}
	}
	return m
}

// connected is the outcome of connecting or signing in.
type connected struct {
	client   *portal.Client
	entry    portal.Entry
	need     *portal.ErrCodeRequired // the portal asks for a two-factor code
	password string                  // kept for the code step only
	note     string                  // said after success: where the session is kept
	err      error
}

// errSignInAgain means a remembered portal has no usable session.
var errSignInAgain = errors.New("the session ended: sign in again")

// reopen connects to a remembered portal with its stored session. An
// expired session is renewed with the stored password; when that needs a
// two-factor code, need is set and the password handed back for the code
// step.
func reopen(ctx context.Context, ps Portals, store wizard.SecretStore, e portal.Entry) connected {
	out := connected{entry: e}
	c, err := ps.Client(e.URL, e.CAFile)
	if err != nil {
		out.err = err
		return out
	}
	info, err := c.Detect(ctx)
	if err != nil {
		out.err = err
		return out
	}
	out.entry.Product, out.entry.Version = info.Product, info.Version
	out.client = c // for what Detect found, even when signing in fails
	if store == nil {
		out.err = errors.New("there is no secret store, so no session was kept: sign in again")
		return out
	}
	sess, err := portal.LoadSession(ctx, store, c.Key())
	if err != nil {
		out.err = err
		return out
	}
	c.SetSession(sess)
	if sess.Valid(time.Now()) {
		// The portal may have ended the session early: ask before relying on it.
		if err := c.CheckSession(ctx); errors.Is(err, portal.ErrNotSignedIn) {
			sess = portal.Session{}
		} else if err != nil {
			out.err = err
			return out
		}
	}
	if !sess.Valid(time.Now()) {
		if err := renew(ctx, c, store, &out); err != nil || out.need != nil {
			out.err = err
			return out
		}
	}
	if out.entry != e {
		_ = ps.Put(out.entry) // only a cache of what detection says
	}
	return out
}

// renew signs in again with the stored password.
func renew(ctx context.Context, c *portal.Client, store wizard.SecretStore, out *connected) error {
	if out.entry.User == "" {
		return errSignInAgain
	}
	pw, err := portal.LoadPassword(ctx, store, c.Key())
	if err != nil {
		return err
	}
	if pw == "" {
		return errSignInAgain
	}
	err = c.Login(ctx, out.entry.User, pw)
	var need *portal.ErrCodeRequired
	if errors.As(err, &need) {
		out.need, out.password = need, pw
		return nil
	}
	if err != nil {
		return err
	}
	return portal.SaveSession(ctx, store, c.Key(), c.Session(), "")
}

// login is what the connect screen sends.
type login struct {
	url, caFile string
	user        string
	password    string // secret
	apiKey      string // secret; set for an API-key sign-in
	code        string // the two-factor code, on the second round
	client      *portal.Client
}

// signIn signs in (or finishes a two-factor sign-in with l.code), keeps the
// session and the password in the secret store, and remembers the portal.
func signIn(ctx context.Context, ps Portals, store wizard.SecretStore, l login) connected {
	out := connected{}
	c := l.client
	if c == nil {
		var err error
		if c, err = ps.Client(l.url, l.caFile); err != nil {
			out.err = err
			return out
		}
	}
	info := c.Info()
	if info.Product == "" {
		var err error
		if info, err = c.Detect(ctx); err != nil {
			out.err = err
			return out
		}
	}
	var err error
	switch {
	case l.apiKey != "":
		err = c.LoginAPIKey(ctx, l.apiKey)
	case l.code != "":
		err = c.LoginCode(ctx, l.user, l.password, l.code)
	default:
		err = c.Login(ctx, l.user, l.password)
	}
	out.client = c
	if errors.As(err, &out.need) {
		return out
	}
	if err != nil {
		out.err = err
		return out
	}
	out.entry = portal.Entry{URL: c.URL(), Product: info.Product, Version: info.Version, User: l.user, APIKey: l.apiKey != "", CAFile: l.caFile}
	if l.apiKey != "" {
		out.entry.User = ""
	}
	out.note = keep(ctx, ps, store, c, out.entry, l.password)
	return out
}

// keep saves the session and remembers the portal; it says what it did.
func keep(ctx context.Context, ps Portals, store wizard.SecretStore, c *portal.Client, e portal.Entry, password string) string {
	var notes []string
	if store == nil {
		notes = append(notes, "The session is not kept: there is no secret store, so you sign in again next time.")
	} else if err := portal.SaveSession(ctx, store, c.Key(), c.Session(), password); err != nil {
		notes = append(notes, "The session could not be kept: "+sentence(err.Error()))
	} else if exp := c.Session().Expires; !exp.IsZero() {
		notes = append(notes, fmt.Sprintf("The session lasts until %s; it is kept in %s.", exp.Local().Format("2006-01-02 15:04"), store.Where()))
	} else {
		notes = append(notes, "The API key is kept in "+store.Where()+".")
	}
	if err := ps.Put(e); err != nil {
		notes = append(notes, "The portal could not be added to the list: "+sentence(err.Error()))
	}
	return strings.Join(notes, " ")
}

// readKeys reads what the portal holds, waiting its turn for the client.
func readKeys(ctx context.Context, conn *portalConn) (map[string]portal.State, error) {
	done, err := conn.use(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	return conn.client.ReadAll(ctx)
}
