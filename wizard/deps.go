package wizard

import (
	"context"
	"errors"
	"fmt"
	"time"

	"keywizard/providers"
)

// Deps are the parts the flow works with, built once in cmd/keywizard and
// handed to both faces (the window and the command line). Any may be nil:
// the flow then says what it cannot do.
type Deps struct {
	// Store opens the secret store on first use.
	Store func(ctx context.Context) (SecretStore, error)
	// StoreWhere says where secrets live before the store is open;
	// the store's own Where() when empty.
	StoreWhere string
	// Checker runs online checks, configured with the shared settings
	// (the portal's Redirect URL among them).
	Checker Checker
	// SignIn runs test sign-ins.
	SignIn SignInTester
	// Progress keeps the non-secret progress shared by both faces.
	Progress ProgressStore
	// Portals reaches ONLYOFFICE portals and remembers them.
	Portals Portals
	// Open opens a URL in the browser.
	Open BrowserOpener
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// ErrNoStore means the build or the set-up has no secret store.
var ErrNoStore = errors.New("there is no secret store")

// Clock returns the time now, from Now when set.
func (d Deps) Clock() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// OpenStore opens the secret store.
func (d Deps) OpenStore(ctx context.Context) (SecretStore, error) {
	if d.Store == nil {
		return nil, ErrNoStore
	}
	return d.Store(ctx)
}

// Recorder records progress in d.Progress.
func (d Deps) Recorder() Recorder { return Recorder{Store: d.Progress, Now: d.Now} }

// IsNotFound reports whether err means no value is stored.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// LoadKeys reads every field of p the store holds; fields not stored are
// absent from the map.
func LoadKeys(ctx context.Context, store SecretStore, p providers.Provider) (map[string]string, error) {
	values := map[string]string{}
	for _, f := range p.Fields {
		v, err := store.Get(ctx, p.ID, f.ID)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s from %s: %w", p.ID, store.Where(), err)
		}
		values[f.ID] = v
	}
	return values, nil
}

// batchStore is the batch side of the wizard/secrets stores: one write for
// a whole service, with the index kept in step.
type batchStore interface {
	Update(ctx context.Context, service string, set map[string]string, del []string) error
}

// SaveKeys makes the store hold exactly values for p: fields with a value
// are written, the others deleted. It is never cut short by ctx being
// cancelled after it started writing: a half-written service would leave
// the store and its index disagreeing. Navigation must not cancel it.
func SaveKeys(ctx context.Context, store SecretStore, p providers.Provider, values map[string]string) error {
	set, del := map[string]string{}, []string{}
	for _, f := range p.Fields {
		if v := values[f.ID]; v != "" {
			set[f.ID] = v
		} else {
			del = append(del, f.ID)
		}
	}
	return WriteKeys(context.WithoutCancel(ctx), store, p.ID, set, del)
}

// WriteKeys writes set and deletes del, in one write where the store can
// batch them.
func WriteKeys(ctx context.Context, store SecretStore, service string, set map[string]string, del []string) error {
	if bs, ok := store.(batchStore); ok {
		if err := bs.Update(ctx, service, set, del); err != nil {
			return fmt.Errorf("write %s to %s: %w", service, store.Where(), err)
		}
		return nil
	}
	for _, f := range del {
		if err := store.Delete(ctx, service, f); err != nil && !IsNotFound(err) {
			return fmt.Errorf("write %s to %s: %w", service, store.Where(), err)
		}
	}
	for f, v := range set {
		if err := store.Set(ctx, service, f, v); err != nil {
			return fmt.Errorf("write %s to %s: %w", service, store.Where(), err)
		}
	}
	return nil
}

// CheckMany runs the online checks of several services at once through
// the checker's CheckAll. Results are keyed by service id.
func CheckMany(ctx context.Context, c Checker, services map[string]map[string]string) map[string]CheckResult {
	out := make(map[string]CheckResult, len(services))
	if c == nil || len(services) == 0 {
		return out
	}
	for _, r := range c.CheckAll(ctx, services) {
		out[r.Service] = r
	}
	return out
}

// NoVerdict reports a check result that neither accepts nor rejects the
// keys: the service could not be asked, or its answer could not be read.
func NoVerdict(r CheckResult) bool {
	return !r.OK && (r.Unreachable || r.Certainty == Uncertain)
}
