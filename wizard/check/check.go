// Package check runs the online checks of a service's keys: one small
// request (or two) to the service's documented API, read-only, and a
// verdict that says what was proven, what was not, and what to fix.
//
// Every check has no side effects: nothing is sent, created or charged.
// Secrets never appear in a result, even when they travel in a URL.
package check

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/httpclient"
)

// DefaultTimeout bounds one service's check, every request included.
const DefaultTimeout = 20 * time.Second

// DefaultParallel is how many checks CheckAll runs at once.
const DefaultParallel = 8

// Checker runs online checks. The zero value is not usable: call New.
type Checker struct {
	client   *http.Client
	now      func() time.Time
	timeout  time.Duration
	parallel int
	redirect string
}

// Option tunes a Checker.
type Option func(*Checker)

// WithClient makes every check use c (tests pass a client whose transport
// leads to fakes).
func WithClient(c *http.Client) Option { return func(k *Checker) { k.client = c } }

// WithClock replaces time.Now, which dates the JWTs the checks build.
func WithClock(now func() time.Time) Option { return func(k *Checker) { k.now = now } }

// WithTimeout bounds each service's check.
func WithTimeout(d time.Duration) Option { return func(k *Checker) { k.timeout = d } }

// WithParallel sets how many checks CheckAll runs at once.
func WithParallel(n int) Option { return func(k *Checker) { k.parallel = n } }

// WithRedirectURL sets the portal's OAuth redirect URL the bogus-code
// probes send (providers.DefaultRedirectURL by default).
func WithRedirectURL(u string) Option { return func(k *Checker) { k.redirect = u } }

// New returns a Checker that reaches services through the shared HTTP
// client (proxies, SSL_CERT_FILE, timeouts) unless WithClient says otherwise.
func New(opts ...Option) *Checker {
	k := &Checker{now: time.Now, timeout: DefaultTimeout, parallel: DefaultParallel, redirect: providers.DefaultRedirectURL}
	for _, o := range opts {
		o(k)
	}
	if k.client == nil {
		k.client = httpclient.Default(httpclient.Options{})
	}
	// Every check carries a secret: never re-send it where a redirect points.
	k.client = httpclient.RefuseRedirects(k.client)
	return k
}

var _ wizard.Checker = (*Checker)(nil)

// checkFunc runs one service's check. It fills what it learned; Check adds
// the service id, the time taken and the redaction.
type checkFunc func(ctx context.Context, k *Checker, v values) wizard.CheckResult

// checks maps a service id to its check.
var checks = map[string]checkFunc{
	"s3":          checkS3,
	"apple":       checkApple,
	"bitly":       checkBitly,
	"box":         checkBox,
	"clickatell":  checkClickatell,
	"docusign":    checkDocuSign,
	"dropbox":     checkDropbox,
	"easybib":     checkEasyBib,
	"facebook":    checkFacebook,
	"firebase":    checkFirebase,
	"google":      checkGoogle,
	"googlecloud": checkGoogleCloud,
	"linkedin":    checkLinkedIn,
	"mailru":      checkMailru,
	"mendeley":    checkMendeley,
	"microsoft":   checkMicrosoft,
	"onedrive":    checkOneDrive,
	"rackspace":   checkRackspace,
	"selectel":    checkSelectel,
	"smsc":        checkSmsc,
	"telegram":    checkTelegram,
	"twilio":      checkTwilio,
	"twitter":     checkTwitter,
	"vk":          checkVK,
	"wordpress":   checkWordPress,
	"yahoo":       checkYahoo,
	"yandex":      checkYandex,
	"zotero":      checkZotero,
}

// Services returns the ids that have an online check, sorted.
func Services() []string {
	ids := make([]string, 0, len(checks))
	for id := range checks {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Check runs the online check of one service with the given values (field
// id to value). It never panics on missing values: it says which is missing.
func (k *Checker) Check(ctx context.Context, service string, vals map[string]string) wizard.CheckResult {
	start := time.Now()
	fn, ok := checks[service]
	var r wizard.CheckResult
	switch {
	case !ok:
		r = wizard.CheckResult{Message: "no online check exists for " + service, Certainty: wizard.Uncertain}
	case ctx.Err() != nil:
		r = unreachable("the check was cancelled before it started", "")
	default:
		ctx, cancel := context.WithTimeout(ctx, k.timeout)
		r = fn(ctx, k, values(vals))
		cancel()
	}
	// A known dead end of the service is the likeliest cause of a refusal.
	if p, ok := providers.Lookup(service); ok && !r.OK && !r.Unreachable {
		r.Fix = p.DeadEnd.Explain(r.Fix)
	}
	r.Service = service
	r.Elapsed = time.Since(start)
	return redactResult(r, vals)
}

// CheckAll checks several services at once, at most the configured number
// at a time, each under its own timeout. Results come in catalogue order
// (a map has no order of its own; ids the catalogue lacks follow, sorted).
// When ctx is cancelled the checks still waiting report it at once.
func (k *Checker) CheckAll(ctx context.Context, services map[string]map[string]string) []wizard.CheckResult {
	ids := orderedIDs(services)
	out := make([]wizard.CheckResult, len(ids))
	var g errgroup.Group
	g.SetLimit(max(k.parallel, 1))
	for i, id := range ids {
		g.Go(func() error {
			out[i] = k.Check(ctx, id, services[id])
			return nil
		})
	}
	_ = g.Wait()
	return out
}

var catalogueOrder = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for i, id := range providers.IDs() {
		m[id] = i
	}
	return m
})

func orderedIDs(services map[string]map[string]string) []string {
	pos := catalogueOrder()
	ids := make([]string, 0, len(services))
	for id := range services {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool {
		pa, oka := pos[ids[a]]
		pb, okb := pos[ids[b]]
		switch {
		case oka && okb:
			return pa < pb
		case oka != okb:
			return oka
		}
		return ids[a] < ids[b]
	})
	return ids
}

// values are a service's entered keys.
type values map[string]string

// missing returns a result naming the first empty required field, or nil.
func (v values) missing(fixURL string, fields ...string) *wizard.CheckResult {
	for _, f := range fields {
		if v[f] == "" {
			r := fail("the field "+f+" is empty: the online check needs it", "fill in "+f+" and check again", fixURL)
			r.Certainty = wizard.Proven
			return &r
		}
	}
	return nil
}
