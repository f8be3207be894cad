package wizard

import (
	"context"
	"errors"

	"keywizard/providers"
)

// PortalClient is one connection to an ONLYOFFICE portal, as the flows
// drive it. wizard/portal's *Client implements it. It is used by one
// goroutine at a time.
type PortalClient interface {
	// URL is the portal's normalised address; Key names its session in
	// the secret store.
	URL() string
	Key() string
	// Info is what Detect found; Detect asks the portal again.
	Info() PortalInfo
	Detect(ctx context.Context) (PortalInfo, error)
	// Session is the current session; SetSession uses a stored one.
	Session() PortalSession
	SetSession(s PortalSession)
	// Login signs in with the password; a two-factor account answers
	// *ErrCodeRequired. LoginCode finishes that sign-in with the code;
	// LoginWithCode signs in with a code the admin already has (no new
	// SMS is sent). LoginAPIKey uses a DocSpace API key.
	Login(ctx context.Context, user, password string) error
	LoginCode(ctx context.Context, user, password, code string) error
	LoginWithCode(ctx context.Context, user, password, code string) error
	LoginAPIKey(ctx context.Context, key string) error
	// CheckSession makes a cheap authenticated call: ErrNotSignedIn when
	// the portal refuses the session, ErrNotAdmin when the account may
	// not change the keys.
	CheckSession(ctx context.Context) error
	// ReadKeys reads what the portal holds for every service.
	ReadKeys(ctx context.Context) (Holdings, error)
	// Sendable says, before anything is sent, why values of p cannot be
	// pushed to this portal: an error wrapping ErrNotOffered when its
	// product does not offer p, or a value too long for its version.
	Sendable(p providers.Provider, values map[string]string) error
	// Push sends one service's keys safely: snapshot, send, read back,
	// restore on failure.
	Push(ctx context.Context, p providers.Provider, values map[string]string, opts PushOptions) PushResult
}

// Holdings is what a portal held for every service when it was read.
type Holdings interface {
	// Mark compares what the portal holds for p with the keys here.
	Mark(p providers.Provider, local map[string]string) Mark
	// Changes lists what pushing values would change, values redacted;
	// an error when they cannot be sent (see PortalClient.Sendable).
	Changes(p providers.Provider, values map[string]string) ([]Change, error)
}

// MarkOn is h.Mark, and MarkUnknown before the portal was read.
func MarkOn(h Holdings, p providers.Provider, local map[string]string) Mark {
	if h == nil {
		return MarkUnknown
	}
	return h.Mark(p, local)
}

// Portals is the engine that reaches portals: it opens clients, keeps the
// list of remembered portals (nothing secret) and keeps sessions and
// passwords in the secret store. wizard/portal's Engine implements it.
type Portals interface {
	// Open returns a client for the portal at rawURL, trusting the extra
	// certificates in caFile when it is not empty. It does not connect.
	Open(rawURL, caFile string) (PortalClient, error)
	// Remembered reads the list; Remember adds or replaces an entry by
	// its URL; Forget removes one and reports whether it was there.
	Remembered() ([]PortalEntry, error)
	Remember(e PortalEntry) error
	Forget(rawURL string) (bool, error)
	// Sessions and passwords in the secret store, by PortalEntry.Key.
	LoadSession(ctx context.Context, store SecretStore, key string) (PortalSession, error)
	SaveSession(ctx context.Context, store SecretStore, key string, s PortalSession, password string) error
	ForgetSession(ctx context.Context, store SecretStore, key string) error
	LoadPassword(ctx context.Context, store SecretStore, key string) (string, error)
}

// ErrNoPortals means the build or the set-up cannot reach portals.
var ErrNoPortals = errors.New("this set-up cannot reach portals")

// PortalEngine returns d.Portals, or an error when there is none.
func (d Deps) PortalEngine() (Portals, error) {
	if d.Portals == nil {
		return nil, ErrNoPortals
	}
	return d.Portals, nil
}

// remembered returns the engine and the remembered portals.
func (d Deps) remembered() (Portals, []PortalEntry, error) {
	ps, err := d.PortalEngine()
	if err != nil {
		return nil, nil, err
	}
	entries, err := ps.Remembered()
	return ps, entries, err
}
