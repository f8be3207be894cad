package portal

import (
	"context"
	"errors"
	"fmt"
	"html"
	"keywizard/wizard"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"keywizard/providers"
	"keywizard/wizard/outside"
	"keywizard/wizard/redact"
)

// PushOptions tune a push.
type PushOptions = wizard.PushOptions

// Change is one field a push changes, with both values redacted.
type Change = wizard.Change

// Result is the outcome of pushing one service to one portal.
type Result = wizard.PushResult

// ErrNotOffered is wrapped by the refusals of a service the portal's
// product or version does not offer.
var ErrNotOffered = wizard.ErrNotOffered

// recoveryTimeout bounds the read-back and restore after a failed push. It
// runs even when the caller's context was cancelled: a half-done push must
// not be abandoned.
const recoveryTimeout = 2 * time.Minute

// Push sends one service's keys to the portal without ever leaving it worse
// off: it reads the current keys first (the snapshot), computes the diff,
// stops there on a dry run, sends the props the admin gave (and those
// opts.Clear empties), and reads back. When
// the send fails in a way that may have changed the portal ("Bad keys"
// clears the service; a 500, a timeout or a reset connection leave it
// unknown) it reads back, and if the portal does not hold the new keys it
// puts the snapshot back and reads back again.
func (c *Client) Push(ctx context.Context, p providers.Provider, values map[string]string, opts PushOptions) Result {
	r := Result{Service: p.ID}
	cons, err := c.consumer(ctx, p)
	if err != nil {
		return fail(r, err)
	}
	props, err := Props(p, cons, values, opts.Clear...)
	if err == nil {
		err = CheckLengths(c.info, p, props)
	}
	if err != nil {
		return fail(r, err)
	}
	snap, err := c.Read(ctx, cons)
	if err != nil {
		return fail(r, fmt.Errorf("read the current keys: %w", err))
	}
	if err := offered(c.info, p, cons, snap); err != nil {
		return fail(r, err)
	}
	if props, err = fitProps(p, props, snap); err != nil {
		return fail(r, err)
	}
	if props, err = keepOthers(p, props, snap); err != nil {
		return fail(r, err)
	}
	r.Diff = Diff(p, snap, props)
	switch {
	case len(r.Diff) == 0:
		r.OK = true
		r.Message = "the portal already holds these keys"
		return r
	case opts.DryRun:
		r.OK = true
		r.Message = fmt.Sprintf("dry run: would change %s; nothing sent", fieldCount(len(r.Diff)))
		return r
	}
	_, err = c.save(ctx, cons, props)
	if err == nil {
		r = c.confirm(ctx, p, cons, props, snap, r)
	} else {
		r = c.recover(ctx, p, cons, props, snap, r, err)
	}
	r.Message = outside.Clean(scrub(r.Message, props, snap))
	return r
}

// scrub removes any value of the push or the snapshot from a message: the
// portal's own error texts are passed on, and must never carry a secret.
func scrub(msg string, props []Prop, snap State) string {
	var vals []string
	for _, p := range props {
		vals = append(vals, p.Value)
	}
	for _, v := range snap.Values {
		vals = append(vals, v)
	}
	return redact.Text(msg, vals...)
}

// confirm reads back after a save the portal accepted.
func (c *Client) confirm(ctx context.Context, p providers.Provider, cons *providers.Consumer, props []Prop, snap State, r Result) Result {
	after, err := c.Read(ctx, cons)
	if err != nil {
		r.OK, r.Changed = true, true
		r.Message = fmt.Sprintf("pushed %s; could not read them back to confirm: %v", fieldCount(len(r.Diff)), err)
		return r
	}
	switch compareAll(after, props) {
	case Different:
		return c.recover(ctx, p, cons, props, snap, r, errors.New("the portal accepted the keys but reading back shows other values"))
	case Unsure:
		// Workspace prints values unencoded; a value with quotes can only
		// be read approximately. The portal accepted it, and undoing a
		// push on a doubt would be worse than keeping it.
		r.OK, r.Changed = true, true
		r.Message = fmt.Sprintf("pushed %s; read back: the portal holds keys, but some could only be read approximately from its settings page", fieldCount(len(r.Diff)))
		return r
	}
	r.OK, r.Changed = true, true
	r.Message = fmt.Sprintf("pushed %s; read back: the portal holds the new keys", fieldCount(len(r.Diff)))
	if p.Category == providers.SignIn {
		r.Message += c.signInNote(ctx, cons)
	}
	return r
}

// recover runs after a failed save: find out what the portal holds and put
// the snapshot back unless the new keys made it.
func (c *Client) recover(ctx context.Context, p providers.Provider, cons *providers.Consumer, props []Prop, snap State, r Result, cause error) Result {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recoveryTimeout)
	defer cancel()
	r.Unreachable = unreachableOrFailed(cause)
	why := cause.Error()
	after, err := c.Read(ctx, cons)
	if err != nil {
		r.Unreachable = true
		r.Message = fmt.Sprintf("%s; could not read the keys back (%v): check %s on the portal", why, err, p.Title)
		return r
	}
	old := snapshotProps(p, cons, snap)
	switch {
	case holds(after, props):
		r.OK, r.Changed = true, true
		r.Message = fmt.Sprintf("%s; but reading back shows the portal holds the new keys", why)
		return r
	case holds(after, old) && !snap.IsSet():
		r.Message = fmt.Sprintf("%s; the service had no keys before and still has none", why)
		return r
	case holds(after, old):
		r.Message = fmt.Sprintf("%s; the portal still holds the previous keys", why)
		return r
	case compareAll(after, props) == Unsure && compareAll(after, old) == Different:
		r.OK, r.Changed = true, true
		r.Message = fmt.Sprintf("%s; but reading back shows the portal holds the new keys (some could only be read approximately)", why)
		return r
	case compareAll(after, old) == Unsure && compareAll(after, props) == Different:
		r.Message = fmt.Sprintf("%s; the portal still holds the previous keys (some could only be read approximately)", why)
		return r
	}
	_, rerr := c.save(ctx, cons, old)
	back, err := c.Read(ctx, cons)
	switch {
	case err == nil && holds(back, old) && !snap.IsSet():
		r.Restored = true
		r.Message = fmt.Sprintf("%s; removed what the failed push left: the service had no keys before and has none now", why)
	case err == nil && holds(back, old):
		r.Restored = true
		r.Message = fmt.Sprintf("%s; restored the previous keys (read back: the portal holds them again)", why)
		if len(snap.Inexact) > 0 {
			r.Message += "; values that could only be read approximately were restored as read"
		}
	case err != nil:
		r.Message = fmt.Sprintf("%s; restoring the previous keys: %v; could not read back (%v): check %s on the portal", why, errOrNone(rerr), err, p.Title)
	default:
		r.Changed = back.IsSet() != snap.IsSet() || !holds(back, old)
		state := "has no keys now"
		if back.IsSet() {
			state = "holds other keys now"
		}
		r.Message = fmt.Sprintf("%s; restoring the previous keys failed (%v): %s %s: enter them again", why, errOrNone(rerr), p.Title, state)
	}
	return r
}

func errOrNone(err error) string {
	if err == nil {
		return "the portal accepted them but reading back shows otherwise"
	}
	return err.Error()
}

func fail(r Result, err error) Result {
	r.Message = err.Error()
	r.Unreachable = unreachableOrFailed(err)
	r.NotOffered = errors.Is(err, ErrNotOffered)
	return r
}

func unreachableOrFailed(err error) bool { return wizard.PortalTrouble(err) }

func fieldCount(n int) string {
	if n == 1 {
		return "1 field"
	}
	return strconv.Itoa(n) + " fields"
}

// Consumer returns the service's entry for a product, or an error saying
// the product never offered it.
func Consumer(p providers.Provider, product Product) (*providers.Consumer, error) {
	var cons *providers.Consumer
	switch product {
	case DocSpace:
		cons = p.Portal.DocSpace
	case Workspace:
		cons = p.Portal.Workspace
	default:
		return nil, errors.New("the portal's product is not known: sign in again")
	}
	if cons == nil {
		msg := fmt.Sprintf("%s does not offer %s", product, p.Title)
		if p.Portal.Elsewhere != "" {
			msg += ": " + p.Portal.Elsewhere
		}
		return nil, notOffered{msg}
	}
	return cons, nil
}

// consumer resolves the product's consumer and, for Workspace where the
// catalogue names versions, refuses versions that do not have it.
func (c *Client) consumer(ctx context.Context, p providers.Provider) (*providers.Consumer, error) {
	if err := c.ensureInfo(ctx); err != nil {
		return nil, err
	}
	cons, err := Consumer(p, c.info.Product)
	if err != nil {
		return nil, err
	}
	v := c.info.Version
	if v == "" {
		return cons, nil
	}
	if cons.Removed != "" && looksLikeVersion(cons.Removed) && compareVersions(v, cons.Removed) >= 0 {
		return nil, notOffered{fmt.Sprintf("%s %s no longer offers %s (removed in %s)", c.info.Product, v, p.Title, cons.Removed)}
	}
	if cons.Since != "" && looksLikeVersion(cons.Since) && compareVersions(v, cons.Since) < 0 {
		return nil, notOffered{fmt.Sprintf("%s %s does not offer %s yet (it arrived in %s)", c.info.Product, v, p.Title, cons.Since)}
	}
	return cons, nil
}

// notOffered is a refusal that wraps ErrNotOffered with its own words.
type notOffered struct{ msg string }

func (e notOffered) Error() string { return e.msg }
func (e notOffered) Unwrap() error { return ErrNotOffered }

// offered checks the live answer: the portal is the authority on which
// services it has.
func offered(info Info, p providers.Provider, cons *providers.Consumer, s State) error {
	if !s.Offered {
		msg := fmt.Sprintf("this %s does not offer %s", info.Product, p.Title)
		if cons.Removed != "" {
			msg += fmt.Sprintf(" (removed in %s)", cons.Removed)
		}
		return notOffered{msg}
	}
	if !s.CanSet {
		return fmt.Errorf("the keys of %s are fixed in this portal's server configuration and cannot be changed from outside", p.Title)
	}
	if len(s.Values) == 0 {
		// Without the current values there is no snapshot to restore:
		// sending would risk leaving the service worse off.
		return fmt.Errorf("could not read the current keys of %s from the portal (it lists the service without any key), so nothing was sent", p.Title)
	}
	return nil
}

// fitProps keeps the props the portal lists for the service. A prop it
// does not list would not be stored (DocSpace keeps only managed keys) and
// would then read back empty: an optional or empty one is left out, a
// required one with a value is refused before anything is sent.
func fitProps(p providers.Provider, props []Prop, s State) ([]Prop, error) {
	out := props[:0:0]
	var missing []string
	for _, pr := range props {
		if _, listed := s.Values[pr.Name]; listed {
			out = append(out, pr)
			continue
		}
		if pr.Optional || pr.Value == "" {
			continue
		}
		missing = append(missing, pr.Name)
	}
	if len(missing) > 0 {
		have := make([]string, 0, len(s.Values))
		for k := range s.Values {
			have = append(have, k)
		}
		sort.Strings(have)
		return nil, fmt.Errorf("this portal's %s takes the keys %s, not %s: its version uses other keys than Keywizard knows; nothing was sent",
			p.Title, strings.Join(have, ", "), strings.Join(missing, ", "))
	}
	return out, nil
}

// Props builds what is sent for a service: the managed props of the
// product the admin gave a value, in the product's order, never a Local
// field. A prop left empty is not sent, so that the portal keeps what it
// holds (both products store only the props a save lists), unless clear
// names it: then it is sent empty, which erases it on the portal.
func Props(p providers.Provider, cons *providers.Consumer, values map[string]string, clear ...string) ([]Prop, error) {
	props := make([]Prop, 0, len(cons.Props))
	managed := 0
	for _, name := range cons.Props {
		f, known := p.Field(name)
		if known && f.Local {
			continue
		}
		managed++
		v := values[name]
		if v == "" && !slices.Contains(clear, name) {
			continue
		}
		if v != "" && slices.Contains(clear, name) {
			return nil, fmt.Errorf("%s: %s is given a value and is to be cleared: choose one", p.Title, name)
		}
		props = append(props, Prop{Name: name, Value: v, Optional: known && f.Optional})
	}
	for _, name := range clear {
		if !slices.Contains(cons.Props, name) {
			return nil, fmt.Errorf("%s has no key %s on this portal to clear (its keys: %s)", p.Title, name, strings.Join(cons.Props, ", "))
		}
	}
	switch {
	case managed == 0:
		return nil, fmt.Errorf("%s has no keys to send to this portal", p.Title)
	case len(props) == 0:
		return nil, fmt.Errorf("no keys for %s: every value is empty, and nothing is to be cleared", p.Title)
	}
	return props, nil
}

// keepOthers makes a save that only clears props keep the others: both
// products treat a save whose every value is empty as "disconnect the
// service" and wipe every key. The other props the portal holds are sent
// with the values it holds (which stores nothing new); when it holds none,
// emptying the named props empties the service anyway. A value read only
// approximately (Workspace) is never sent back: when nothing else could
// keep the service, the push is refused.
func keepOthers(p providers.Provider, props []Prop, s State) ([]Prop, error) {
	for _, pr := range props {
		if pr.Value != "" {
			return props, nil
		}
	}
	var names, inexact []string
	for name, v := range s.Values {
		switch {
		case v == "" || slices.ContainsFunc(props, func(pr Prop) bool { return pr.Name == name }):
		case s.Inexact[name]:
			inexact = append(inexact, name)
		default:
			names = append(names, name)
		}
	}
	if len(names) == 0 && len(inexact) > 0 {
		sort.Strings(inexact)
		return nil, fmt.Errorf("clearing only some keys of %s would need the portal's %s sent back, which could only be read approximately: nothing was sent; give those keys too", p.Title, strings.Join(inexact, ", "))
	}
	sort.Strings(names)
	for _, name := range names {
		props = append(props, Prop{Name: name, Value: s.Values[name]})
	}
	return props, nil
}

// snapshotProps turns a snapshot into what would restore it.
func snapshotProps(p providers.Provider, cons *providers.Consumer, s State) []Prop {
	props := make([]Prop, 0, len(cons.Props))
	for _, name := range cons.Props {
		f, known := p.Field(name)
		if known && f.Local {
			continue
		}
		if _, listed := s.Values[name]; !listed {
			continue // the portal has no such key: nothing to restore
		}
		v := s.Values[name]
		// An empty value is restored as empty even where a required key
		// is concerned: Workspace refuses an empty key not marked
		// optional ("Please fill in all fields").
		props = append(props, Prop{Name: name, Value: v, Optional: known && f.Optional || v == ""})
	}
	return props
}

// Same is the outcome of comparing a portal value with a wanted one.
type Same int

// Comparison outcomes.
const (
	Equal     Same = iota
	Different      // certainly different
	Unsure         // read approximately and did not match: maybe different
)

// CompareValue compares the portal's value of a prop with want. Values read
// approximately (Workspace values with quotes or what looks like HTML
// entities) are compared by fingerprint of the best reading, and of that
// reading with entities decoded; a mismatch there is only Unsure.
func CompareValue(s State, name, want string) Same {
	got := s.Values[name]
	if !s.Inexact[name] {
		if got == want {
			return Equal
		}
		return Different
	}
	if Fingerprint(got) == Fingerprint(want) || Fingerprint(html.UnescapeString(got)) == Fingerprint(want) {
		return Equal
	}
	return Unsure
}

// compareAll is the worst outcome over the props: Different wins over
// Unsure.
func compareAll(s State, props []Prop) Same {
	worst := Equal
	for _, pr := range props {
		switch CompareValue(s, pr.Name, pr.Value) {
		case Different:
			return Different
		case Unsure:
			worst = Unsure
		}
	}
	return worst
}

// holds reports whether the portal holds exactly these values. An absent
// prop counts as empty.
func holds(s State, props []Prop) bool { return compareAll(s, props) == Equal }

// Diff lists the fields a push would change, values redacted.
func Diff(p providers.Provider, s State, props []Prop) []Change {
	var out []Change
	for _, pr := range props {
		if CompareValue(s, pr.Name, pr.Value) == Equal {
			continue
		}
		out = append(out, Change{Field: pr.Name, Old: outside.Name(providers.Redact(s.Values[pr.Name])), New: outside.Name(providers.Redact(pr.Value))})
	}
	return out
}

// signInNote checks api/2.0/capabilities, which lists the sign-in
// providers the portal considers enabled.
func (c *Client) signInNote(ctx context.Context, cons *providers.Consumer) string {
	res, err := c.do(ctx, request{method: http.MethodGet, path: "api/2.0/capabilities", anonymous: true})
	if err != nil || res.status != http.StatusOK {
		return "; could not read the portal's sign-in options to confirm"
	}
	var caps struct {
		Providers []string `json:"providers"`
	}
	if res.decode(&caps) != nil {
		return "; could not read the portal's sign-in options to confirm"
	}
	for _, name := range caps.Providers {
		if strings.EqualFold(name, cons.Name) {
			return "; the sign-in page offers it"
		}
	}
	return "; note: the portal does not list it among its sign-in options yet"
}

// Length limits of DocSpace's AuthKey.Value ([StringLength]).
const (
	shortLimit = 255  // DocSpace 3.1.0 to 3.7.0
	longLimit  = 4000 // DocSpace 3.7.1 and later
)

// LengthLimit is the longest value the portal accepts per key, 0 when there
// is no known limit (Workspace, DocSpace before 3.1.0, unknown version).
func LengthLimit(info Info) int {
	if info.Product != DocSpace || !looksLikeVersion(info.Version) {
		return 0
	}
	switch {
	case compareVersions(info.Version, "3.1.0") < 0:
		return 0
	case compareVersions(info.Version, "3.7.1") < 0:
		return shortLimit
	}
	return longLimit
}

// CheckLengths refuses, before anything is sent, a value longer than the
// portal accepts, naming the field and the versions that take it.
func CheckLengths(info Info, p providers.Provider, props []Prop) error {
	limit := LengthLimit(info)
	if limit == 0 {
		return nil
	}
	for _, pr := range props {
		n := len(utf16.Encode([]rune(pr.Value))) // .NET counts UTF-16 units
		if n <= limit {
			continue
		}
		label := pr.Name
		if f, ok := p.Field(pr.Name); ok && f.Label != "" {
			label = fmt.Sprintf("%s (%s)", f.Label, pr.Name)
		}
		if limit == shortLimit {
			return fmt.Errorf("%s is %d characters long, but DocSpace %s accepts at most %d per key (versions 3.1.0 to 3.7.0 have this limit); DocSpace 3.7.1 and later accept up to %d: upgrade the portal first",
				label, n, info.Version, limit, longLimit)
		}
		return fmt.Errorf("%s is %d characters long, but DocSpace accepts at most %d per key", label, n, limit)
	}
	return nil
}

// looksLikeVersion tells a version ("v12.5.2", "3.7") from the dates the
// catalogue uses for DocSpace removals ("2024-08"), which only the live
// list of services can judge.
func looksLikeVersion(v string) bool {
	v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V")
	return v != "" && v[0] >= '0' && v[0] <= '9' && !strings.Contains(v, "-")
}

// compareVersions compares dotted versions ("v12.5.2", "3.7.1.1234"),
// missing parts counting as 0.
func compareVersions(a, b string) int {
	pa, pb := versionParts(a), versionParts(b)
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

func versionParts(v string) []int {
	v = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(v), "v"), "V")
	var out []int
	for _, s := range strings.Split(v, ".") {
		n := 0
		for _, r := range s {
			if r < '0' || r > '9' {
				break
			}
			n = n*10 + int(r-'0')
		}
		out = append(out, n)
	}
	return out
}
