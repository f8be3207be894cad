package cli

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/atomicfile"
)

func newReportCmd(d Deps) *cobra.Command {
	var (
		htmlPath string
		asJSON   bool
	)
	cmd := &cobra.Command{
		Use:   "report [--html FILE] [--json]",
		Short: "Write the set-up report: what was set, verified and pushed, and when keys expire (no secrets)",
		Long: "Write a report of the set-up, for an auditor or a successor: per service which fields are stored\n" +
			"(names only), when the keys were last verified and by which check, what the portal holds as last\n" +
			"pushed or read by 'keywizard status', and when keys expire. It is made from the progress file and\n" +
			"contacts nothing; it holds no key or secret. --html writes one HTML page to FILE (- for stdout).",
		Example: "  keywizard report\n  keywizard report --html setup-report.html\n  keywizard report --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if htmlPath != "" && asJSON {
				return usageErr("choose --html or --json, not both")
			}
			r, err := buildReport(cmd.Context(), d)
			if err != nil {
				return err
			}
			switch {
			case asJSON:
				return writeJSON(d.Stdout, r)
			case htmlPath == "-":
				return r.WriteHTML(d.Stdout)
			case htmlPath != "":
				var b bytes.Buffer
				if err := r.WriteHTML(&b); err != nil {
					return failErr("write the report: %v", err)
				}
				if err := atomicfile.Write(htmlPath, b.Bytes(), 0o644); err != nil {
					return failErr("%v", err)
				}
				fmt.Fprintf(d.Stdout, "Report written to %s (%s).\n", htmlPath, plural(len(r.Services), "service"))
				return nil
			}
			return r.WriteText(d.Stdout)
		},
	}
	cmd.Flags().StringVar(&htmlPath, "html", "", "write the report as an HTML page to FILE (- for stdout)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// buildReport makes the report from the progress file and the first
// remembered portal. The secret store is only asked where it is and, as a
// last guard, for the stored secrets, which are scrubbed from every text.
func buildReport(ctx context.Context, d Deps) (wizard.Report, error) {
	in := wizard.ReportInput{Now: time.Now(), Records: loadProgress(d).Records()}
	if entries, err := remembered(d); err == nil && len(entries) > 0 {
		in.Portal, in.Product, in.Version = entries[0].URL, string(entries[0].Product), entries[0].Version
	}
	var secrets []string
	if d.Store != nil {
		if store, err := d.Store(ctx); err == nil {
			in.Where = store.Where()
			secrets = storedSecrets(ctx, store, in.Records)
		}
	}
	r := wizard.BuildReport(in)
	r.Scrub(secrets)
	return r, nil
}

// storedSecrets reads the secret fields of the services in the report.
func storedSecrets(ctx context.Context, store wizard.SecretStore, recs []wizard.ServiceRecord) []string {
	var out []string
	for _, r := range recs {
		p, ok := providers.Lookup(r.Service)
		if !ok {
			continue
		}
		for _, f := range p.Fields {
			if !f.Secret {
				continue
			}
			if v, err := store.Get(ctx, p.ID, f.ID); err == nil && v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}
