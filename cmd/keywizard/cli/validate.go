package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"keywizard/providers"
)

type fieldResultJSON struct {
	ID      string `json:"id"`
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

type validateJSON struct {
	Service string            `json:"service"`
	OK      bool              `json:"ok"`
	Fields  []fieldResultJSON `json:"fields"`
}

// validation runs the offline checks and shapes the verdict.
func validation(p providers.Provider, values map[string]string) validateJSON {
	out := validateJSON{Service: p.ID, OK: true}
	for _, fe := range p.Validate(values) {
		r := fieldResultJSON{ID: fe.Field, OK: !providers.Blocks(fe.Err)}
		if fe.Err != nil {
			r.Message = fe.Err.Error()
			if providers.IsWarning(fe.Err) {
				r.Message = "warning: " + r.Message
			}
		}
		if !r.OK {
			out.OK = false
		}
		out.Fields = append(out.Fields, r)
	}
	return out
}

func newValidateCmd(d Deps) *cobra.Command {
	var asJSON bool
	var valuesPath string
	cmd := &cobra.Command{
		Use:   "validate SERVICE",
		Short: "Check a service's keys offline and explain each mistake",
		Long: "Check a service's keys offline and explain each mistake.\n" +
			"Keys come from --values (a JSON object of field ids to strings; - reads stdin)\n" +
			"or, without it, from the secret store. Exit code 1 means a key is wrong.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := lookup(args[0])
			if err != nil {
				return err
			}
			values, err := loadValues(cmd.Context(), d, p, valuesPath)
			if err != nil {
				return err
			}
			v := validation(p, values)
			if asJSON {
				if err := writeJSON(d.Stdout, v); err != nil {
					return err
				}
			} else {
				printValidation(d, p, v)
			}
			if !v.OK {
				return errSilent(ExitInvalid)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&valuesPath, "values", "", "JSON file of field ids to values, or - for stdin")
	return cmd
}

func printValidation(d Deps, p providers.Provider, v validateJSON) {
	for _, f := range v.Fields {
		mark := "ok  "
		switch {
		case !f.OK:
			mark = "FAIL"
		case f.Message != "":
			mark = "warn"
		}
		field, _ := p.Field(f.ID)
		line := fmt.Sprintf("%s %s (%s)", mark, field.Label, f.ID)
		if f.Message != "" {
			line += ": " + f.Message
		}
		fmt.Fprintln(d.Stdout, line)
	}
	if v.OK {
		fmt.Fprintf(d.Stdout, "%s: the keys look right offline.\n", p.Title)
	} else {
		fmt.Fprintf(d.Stdout, "%s: fix the fields marked FAIL.\n", p.Title)
	}
}
