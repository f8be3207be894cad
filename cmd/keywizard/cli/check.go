package cli

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/spf13/cobra"

	"keywizard/providers"
	"keywizard/wizard"
)

// allChecker is a Checker that can check many services at once.
type allChecker interface {
	CheckAll(ctx context.Context, services map[string]map[string]string) []wizard.CheckResult
}

func newCheckCmd(d Deps) *cobra.Command {
	var (
		asJSON     bool
		all        bool
		valuesPath string
		expiring   string
	)
	cmd := &cobra.Command{
		Use:   "check SERVICE | --all",
		Short: "Check a service's keys online with the service itself (no side effects)",
		Long: "Check a service's keys online: one read-only request to the service's documented API.\n" +
			"Keys come from --values (a JSON object of field ids to strings; - reads stdin) or,\n" +
			"without it, from the secret store; --all checks every service with stored keys.\n" +
			"Keys that fail the offline checks are not sent.\n" +
			"Exit codes: 0 keys accepted, 1 keys rejected, 2 usage, 3 the keys could not be judged: the\n" +
			"service could not be reached (network, timeout, rate limit, server error), its answer could not\n" +
			"be read, or an optional value the check needs is empty\n" +
			"(--all: 1 if any is rejected, else 3 if any was not judged, else 0).\n" +
			"--expiring 30d also exits 1 when a secret expires within 30 days (for a scheduled job).",
		Example: "  keywizard check telegram\n  keywizard check s3 --values keys.json --json\n  keywizard check --all --json\n  keywizard check --all --json --expiring 30d",
		Args: func(_ *cobra.Command, args []string) error {
			switch {
			case all && len(args) > 0:
				return usageErr("give a service or --all, not both")
			case all && valuesPath != "":
				return usageErr("--values works with one service; --all reads the secret store")
			case !all && len(args) != 1:
				return usageErr("give one service (see 'keywizard providers') or --all")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if d.Checker == nil {
				return failErr("this build has no online checker")
			}
			days := -1
			if expiring != "" {
				var err error
				if days, err = parseDays(expiring); err != nil {
					return usageErr("%v", err)
				}
			}
			var results []wizard.CheckResult
			var given map[string]string
			if all {
				var err error
				if results, err = checkEveryStored(cmd.Context(), d); err != nil {
					return err
				}
			} else {
				p, err := lookup(args[0])
				if err != nil {
					return err
				}
				values, err := loadValues(cmd.Context(), d, p, valuesPath)
				if err != nil {
					return err
				}
				results = []wizard.CheckResult{checkOne(cmd.Context(), d.Checker, p, values)}
				given = values
			}
			for _, r := range results {
				if !r.Unreachable && r.Certainty != wizard.Uncertain {
					recordOutcome(d, r.Service, "check", r.OK, r.Message)
				}
			}
			ce := expiriesOf(cmd.Context(), d, results, given, days)
			if err := printChecks(d, results, ce, asJSON && !all, asJSON && all); err != nil {
				return err
			}
			code := checkExit(results)
			if ce.any() {
				code = ExitInvalid
			}
			if code != ExitOK {
				return errSilent(code)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (an array with --all)")
	cmd.Flags().BoolVar(&all, "all", false, "check every service that has keys in the secret store")
	cmd.Flags().StringVar(&valuesPath, "values", "", "JSON file of field ids to values, or - for stdin")
	cmd.Flags().StringVar(&expiring, "expiring", "", "also fail (exit 1) when a secret expires within this many days: 30d, 2w")
	return cmd
}

// offline refuses keys that fail the offline checks: sending them would
// only prove what is already known, and may count against rate limits.
func offline(p providers.Provider, values map[string]string) *wizard.CheckResult {
	v := validation(p, values)
	if v.OK {
		return nil
	}
	var bad []string
	for _, f := range v.Fields {
		if !f.OK {
			bad = append(bad, f.ID+": "+f.Message)
		}
	}
	return &wizard.CheckResult{
		Service:   p.ID,
		Message:   "not sent: the keys fail the offline checks (" + strings.Join(bad, "; ") + ")",
		Fix:       "fix the fields, see 'keywizard validate " + p.ID + "'",
		Certainty: wizard.Proven,
	}
}

func checkOne(ctx context.Context, c wizard.Checker, p providers.Provider, values map[string]string) wizard.CheckResult {
	if r := offline(p, values); r != nil {
		return *r
	}
	return c.Check(ctx, p.ID, values)
}

// checkEveryStored checks, in catalogue order, every service with at least
// one stored value; services with nothing stored are skipped.
func checkEveryStored(ctx context.Context, d Deps) ([]wizard.CheckResult, error) {
	var (
		order   []string
		results = map[string]wizard.CheckResult{}
		online  = map[string]map[string]string{}
	)
	for _, p := range providers.All() {
		values, err := loadValues(ctx, d, p, "")
		if err != nil {
			var e *Error
			if errors.As(err, &e) && e.Code == ExitUsage {
				continue // nothing stored for this service
			}
			return nil, err
		}
		order = append(order, p.ID)
		if r := offline(p, values); r != nil {
			results[p.ID] = *r
			continue
		}
		online[p.ID] = values
	}
	if len(order) == 0 {
		return nil, usageErr("no keys are stored for any service: run 'keywizard keys set SERVICE' first")
	}
	maps.Copy(results, checkMany(ctx, d.Checker, online))
	out := make([]wizard.CheckResult, 0, len(order))
	for _, id := range order {
		out = append(out, results[id])
	}
	return out, nil
}

// checkExit: 1 if any is rejected, else 3 if any was not judged, else 0.
func checkExit(results []wizard.CheckResult) int {
	code := ExitOK
	for _, r := range results {
		switch {
		case r.OK:
		case notJudged(r):
			code = ExitFailed
		default:
			return ExitInvalid
		}
	}
	return code
}

// notJudged reports a result that neither accepts nor rejects the keys:
// the service could not be asked, or its answer could not be read (an
// uncertain failure is never reported as a rejection).
func notJudged(r wizard.CheckResult) bool {
	return !r.OK && (r.Unreachable || r.Certainty == wizard.Uncertain)
}

func printChecks(d Deps, results []wizard.CheckResult, ce checkExpiry, oneJSON, listJSON bool) error {
	out := make([]checkOut, len(results))
	for i, r := range results {
		out[i] = ce.out(r)
	}
	switch {
	case oneJSON:
		return writeJSON(d.Stdout, out[0])
	case listJSON:
		return writeJSON(d.Stdout, out)
	}
	for i, r := range results {
		if i > 0 {
			fmt.Fprintln(d.Stdout)
		}
		printCheck(d, r)
		ce.printExpiry(d, r.Service)
	}
	return nil
}

func printCheck(d Deps, r wizard.CheckResult) {
	title := r.Service
	if p, ok := providers.Lookup(r.Service); ok && p.Title != "" {
		title = p.Title
	}
	verdict := "rejected"
	switch {
	case r.Unreachable:
		verdict = "not checked"
	case notJudged(r):
		verdict = "not judged"
	case r.OK:
		verdict = "accepted"
	}
	if r.Certainty != "" && !notJudged(r) {
		verdict += " (" + string(r.Certainty) + ")"
	}
	fmt.Fprintf(d.Stdout, "%s: %s\n  %s\n", title, verdict, r.Message)
	if r.Identity != nil && r.Identity.String() != "" {
		fmt.Fprintf(d.Stdout, "  identity: %s\n", r.Identity)
	}
	if r.NotProven != "" {
		fmt.Fprintf(d.Stdout, "  not proven: %s\n", r.NotProven)
	}
	if r.Details != "" && !r.OK {
		fmt.Fprintf(d.Stdout, "  answer: %s\n", r.Details)
	}
	if r.Fix != "" && !r.OK {
		fmt.Fprintf(d.Stdout, "  fix: %s\n", r.Fix)
	}
	if r.FixURL != "" && !r.OK {
		fmt.Fprintf(d.Stdout, "  open: %s\n", r.FixURL)
	}
}

// checkMany checks several services' keys online: all at once when the
// checker can, else one after another. Results are keyed by service id.
func checkMany(ctx context.Context, c wizard.Checker, online map[string]map[string]string) map[string]wizard.CheckResult {
	results := make(map[string]wizard.CheckResult, len(online))
	if ac, ok := c.(allChecker); ok {
		for _, r := range ac.CheckAll(ctx, online) {
			results[r.Service] = r
		}
		return results
	}
	for id, values := range online {
		results[id] = c.Check(ctx, id, values)
	}
	return results
}
