package cli

import (
	"github.com/spf13/cobra"

	"keywizard/providers"
)

// checkInputFlags refuses flag values that would otherwise quietly mean
// something else, for whichever command has the flag: an empty --values
// (which would fall back to the stored keys), --port 0 (the default port)
// and a --redirect-url the window would refuse.
func checkInputFlags(cmd *cobra.Command, _ []string) error {
	flags := cmd.Flags()
	if f := flags.Lookup("values"); f != nil && f.Changed && f.Value.String() == "" {
		return usageErr("--values: the path is empty: pass a file, or - for stdin")
	}
	if f := flags.Lookup("port"); f != nil && f.Changed && f.Value.String() == "0" {
		return usageErr("--port must be between 1 and 65535")
	}
	if f := flags.Lookup("redirect-url"); f != nil && f.Changed {
		if err := providers.CheckRedirectURL(f.Value.String()); err != nil {
			return usageErr("--redirect-url: %v", err)
		}
	}
	return nil
}
