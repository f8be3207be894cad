package wizard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"keywizard/providers"
)

// RunOptions tune PushTo.
type RunOptions struct {
	// DryRun compares and sends nothing.
	DryRun bool
	// OnlyOffered skips, with no result, services the portal's product or
	// version does not offer (a push of every service).
	OnlyOffered bool
	// Refusal words the result of a service the plan does not send; the
	// faces say how to override in their own terms.
	Refusal func(PushJob) string
}

// PushTo runs the plan on one portal: one service after the other, in the
// plan's order. The results line up with the plan; a result with no
// Service was skipped (not offered) or not reached (ctx ended first).
// progress, when not nil, is called before each service is sent (res nil)
// and with its result.
func PushTo(ctx context.Context, conn *PortalConn, plan []PushJob, opts RunOptions, progress func(i int, res *PushResult)) []PushResult {
	out := make([]PushResult, len(plan))
	for i, j := range plan {
		if ctx.Err() != nil {
			break
		}
		if conn.Err != nil {
			out[i] = PushResult{Portal: conn.Entry.URL, Service: j.Provider.ID, Message: conn.Err.Error(), Unreachable: PortalTrouble(conn.Err)}
			continue
		}
		c := conn.Client
		if opts.OnlyOffered && errors.Is(c.Sendable(j.Provider, j.Values), ErrNotOffered) {
			continue
		}
		if !j.Sends() {
			if opts.OnlyOffered {
				// Only a read: whether this version offers the service at all.
				if dry := c.Push(ctx, j.Provider, j.Values, PushOptions{DryRun: true}); dry.NotOffered {
					continue
				}
			}
			msg := "not sent"
			if opts.Refusal != nil {
				msg = opts.Refusal(j)
			}
			out[i] = PushResult{Portal: conn.Entry.URL, Service: j.Provider.ID, Message: msg}
			continue
		}
		if progress != nil {
			progress(i, nil)
		}
		res := c.Push(ctx, j.Provider, j.Values, PushOptions{DryRun: opts.DryRun})
		if opts.OnlyOffered && res.NotOffered {
			continue // nor what this version of it dropped
		}
		res.Portal = conn.Entry.URL
		if j.Note != "" && res.Service != "" {
			res.Message += "; " + j.Note
		}
		out[i] = res
		if progress != nil {
			progress(i, &out[i])
		}
	}
	return out
}

// Reached reports whether a push result changed, or may have changed,
// what the portal holds, so that progress records it.
func Reached(r PushResult) bool { return r.OK || r.Unreachable || r.Restored || r.Changed }

// RecordPushes records in progress what the pushes did (not for a dry
// run): each result that reached the portal, and whether the safety rule
// was overridden for it.
func (r Recorder) RecordPushes(plan []PushJob, results []PushResult) error {
	overridden := map[string]bool{}
	for _, j := range plan {
		overridden[j.Provider.ID] = j.Overridden
	}
	var first error
	for _, res := range results {
		if res.Service == "" || !Reached(res) {
			continue
		}
		if err := r.Pushed(res.Service, res.OK, res.Message, overridden[res.Service]); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// ServiceOnPortal is where one service stands: its keys here, and what
// the portal holds.
type ServiceOnPortal struct {
	Provider providers.Provider
	Stored   []string // field ids kept in the secret store, sorted
	Local    string   // "stored", "partly stored" or "none"
	Mark     Mark
	Keys     map[string]string // the stored keys (secret)
}

// ServicesOn reads the portal and compares, for every service its product
// offers, the keys in store with what it holds.
func ServicesOn(ctx context.Context, store SecretStore, conn *PortalConn) ([]ServiceOnPortal, error) {
	if conn.Err != nil {
		return nil, conn.Err
	}
	h, err := conn.Client.ReadKeys(ctx)
	if err != nil {
		return nil, err
	}
	var rows []ServiceOnPortal
	for _, p := range providers.All() {
		m := h.Mark(p, nil)
		if m == MarkNotOffered {
			continue
		}
		local, err := LoadKeys(ctx, store, p)
		if err != nil {
			return nil, err
		}
		row := ServiceOnPortal{Provider: p, Stored: []string{}, Local: LocalKeysState(p, local), Keys: local}
		for id := range local {
			row.Stored = append(row.Stored, id)
		}
		sort.Strings(row.Stored)
		row.Mark = h.Mark(p, local)
		rows = append(rows, row)
	}
	return rows, nil
}

// LocalKeysState says whether every required field of p is in local:
// "stored", "partly stored" or "none".
func LocalKeysState(p providers.Provider, local map[string]string) string {
	if len(local) == 0 {
		return "none"
	}
	for _, fd := range p.Fields {
		if !fd.Optional && local[fd.ID] == "" {
			return "partly stored"
		}
	}
	return "stored"
}

// SessionState is what is known, without asking the portal, of a
// remembered portal's session.
type SessionState struct {
	Entry    PortalEntry
	SignedIn bool
	Expires  time.Time // zero when the portal did not say
	Note     string    // why not signed in: "signed out", "session expired", a store error
}

// SessionStates reads each remembered portal's session from the store.
func (d Deps) SessionStates(ctx context.Context) ([]SessionState, error) {
	ps, entries, err := d.remembered()
	if err != nil {
		return nil, err
	}
	store, storeErr := d.OpenStore(ctx)
	out := make([]SessionState, 0, len(entries))
	for _, e := range entries {
		s := SessionState{Entry: e}
		if storeErr != nil {
			s.Note = "the secret store is not available"
			out = append(out, s)
			continue
		}
		sess, err := ps.LoadSession(ctx, store, e.Key())
		switch {
		case err != nil:
			s.Note = err.Error()
		case sess.Token == "":
			s.Note = "signed out"
		default:
			s.SignedIn, s.Expires = sess.Valid(d.Clock()), sess.Expires
			if !s.SignedIn {
				s.Note = "session expired"
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// SignOut forgets the session and password of the portals at urls (every
// remembered portal when urls is empty) and, with forget, the portals too.
// It returns the entries it signed out of.
func (d Deps) SignOut(ctx context.Context, forget bool, urls ...string) ([]PortalEntry, error) {
	ps, entries, err := d.remembered()
	if err != nil {
		return nil, err
	}
	if len(urls) > 0 {
		var chosen []PortalEntry
		for _, u := range urls {
			e, ok := FindPortal(entries, u)
			if !ok {
				return nil, fmt.Errorf("%s: %w", u, ErrNotRemembered)
			}
			chosen = append(chosen, e)
		}
		entries = chosen
	}
	if len(entries) == 0 {
		return nil, nil
	}
	store, err := d.OpenStore(ctx)
	if err != nil {
		return nil, err
	}
	var done []PortalEntry
	for _, e := range entries {
		if err := ps.ForgetSession(ctx, store, e.Key()); err != nil {
			return done, err
		}
		if forget {
			if _, err := ps.Forget(e.URL); err != nil {
				return done, err
			}
		}
		done = append(done, e)
	}
	return slices.Clip(done), nil
}
