package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"keywizard/providers"
	"keywizard/wizard"
)

// keyStore is the listing and batch side of the wizard/secrets stores.
// Stores without it are handled field by field.
type keyStore interface {
	List(ctx context.Context, service string) ([]string, error)
	Update(ctx context.Context, service string, set map[string]string, del []string) error
}

type keysListJSON struct {
	Service string   `json:"service"`
	Fields  []string `json:"fields"`
}

type keyValueJSON struct {
	ID    string `json:"id"`
	Value string `json:"value"` // redacted
}

type keysShowJSON struct {
	Service string         `json:"service"`
	Fields  []keyValueJSON `json:"fields"`
}

func newKeysCmd(d Deps) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Keep services' keys in the secret store: set, list, show, forget",
		Long: "Keep services' keys in the secret store: the OS keyring, or the encrypted vault file\n" +
			"when KEYWIZARD_STORE=vault. Values are read from a file, stdin or the terminal, never\n" +
			"from flags, and are never printed in full.",
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErr("unknown command %q for 'keywizard keys': use set, list, show or forget", args[0])
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(newKeysSetCmd(d), newKeysListCmd(d), newKeysShowCmd(d), newKeysForgetCmd(d))
	return cmd
}

func keysStore(ctx context.Context, d Deps) (wizard.SecretStore, error) {
	if d.Store == nil {
		return nil, failErr("this build has no secret store")
	}
	s, err := d.Store(ctx)
	if err != nil {
		return nil, failErr("open the secret store: %v", err)
	}
	return s, nil
}

// storedValues reads every catalogue field of p that the store holds.
func storedValues(ctx context.Context, s wizard.SecretStore, p providers.Provider) (map[string]string, error) {
	out := map[string]string{}
	for _, f := range p.Fields {
		v, err := s.Get(ctx, p.ID, f.ID)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, failErr("read %s from %s: %v", p.ID, s.Where(), err)
		}
		out[f.ID] = v
	}
	return out, nil
}

// storedFields lists the field ids of p that the store holds, in form
// order, without reading values when the store keeps an index.
func storedFields(ctx context.Context, s wizard.SecretStore, p providers.Provider) ([]string, error) {
	var have []string
	if ks, ok := s.(keyStore); ok {
		ids, err := ks.List(ctx, p.ID)
		if err != nil {
			return nil, failErr("list %s in %s: %v", p.ID, s.Where(), err)
		}
		have = ids
	} else {
		values, err := storedValues(ctx, s, p)
		if err != nil {
			return nil, err
		}
		for id := range values {
			have = append(have, id)
		}
	}
	out := []string{}
	for _, f := range p.Fields {
		if slices.Contains(have, f.ID) {
			out = append(out, f.ID)
		}
	}
	return out, nil
}

// updateStore writes set and deletes del, in one write where the store
// can batch them.
func updateStore(ctx context.Context, s wizard.SecretStore, service string, set map[string]string, del []string) error {
	var err error
	if ks, ok := s.(keyStore); ok {
		err = ks.Update(ctx, service, set, del)
	} else {
		for _, f := range del {
			if derr := s.Delete(ctx, service, f); derr != nil && !isNotFound(derr) {
				err = derr
				break
			}
		}
		for f, v := range set {
			if err != nil {
				break
			}
			err = s.Set(ctx, service, f, v)
		}
	}
	if err != nil {
		return failErr("write %s to %s: %v", service, s.Where(), err)
	}
	return nil
}

func newKeysSetCmd(d Deps) *cobra.Command {
	var valuesPath string
	var force bool
	cmd := &cobra.Command{
		Use:   "set SERVICE",
		Short: "Check a service's keys offline and keep them in the secret store",
		Long: "Check a service's keys offline and keep them in the secret store.\n" +
			"Keys come from --values (a JSON object of field ids to strings; - reads stdin) or, on a\n" +
			"terminal, are asked for one by one (secrets without echo). Fields not given keep their\n" +
			"stored value; a field given as \"\" is removed. Keys that fail the offline check are\n" +
			"refused (exit 1) unless --force.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return keysSet(cmd.Context(), d, args[0], valuesPath, force)
		},
	}
	cmd.Flags().StringVar(&valuesPath, "values", "", "JSON file of field ids to values, or - for stdin")
	cmd.Flags().BoolVar(&force, "force", false, "store keys even when the offline check fails")
	return cmd
}

func keysSet(ctx context.Context, d Deps, id, valuesPath string, force bool) error {
	p, err := lookup(id)
	if err != nil {
		return err
	}
	if valuesPath == "" && !stdinIsTerminal(d) {
		return usageErr("pass the keys with --values FILE or --values -, or run on a terminal to type them")
	}
	store, err := keysStore(ctx, d)
	if err != nil {
		return err
	}
	stored, err := storedValues(ctx, store, p)
	if err != nil {
		return err
	}
	var given map[string]string
	if valuesPath != "" {
		given, err = readValues(d, p, valuesPath)
	} else {
		given, err = promptValues(d, p, stored)
	}
	if err != nil {
		return err
	}
	if len(given) == 0 {
		return usageErr("no keys given for %s", p.ID)
	}
	merged := map[string]string{}
	for k, v := range stored {
		merged[k] = v
	}
	set, del := map[string]string{}, []string{}
	for _, f := range p.Fields {
		v, ok := given[f.ID]
		switch {
		case !ok:
		case v == "":
			del = append(del, f.ID)
			delete(merged, f.ID)
		default:
			set[f.ID] = v
			merged[f.ID] = v
		}
	}
	v := validation(p, merged)
	if !v.OK && !force {
		printProblems(d, p, v)
		fmt.Fprintf(d.Stderr, "Nothing stored: fix the fields marked FAIL, or pass --force to keep them anyway.\n")
		return errSilent(ExitInvalid)
	}
	printProblems(d, p, v)
	if err := updateStore(ctx, store, p.ID, set, del); err != nil {
		return err
	}
	reportSet(d, p, store.Where(), set, del, stored, given)
	recordKeys(d, p.ID, slices.Collect(maps.Keys(merged)), v.OK, changed(stored, set, del))
	recordKeyFacts(d, p, merged, changed(stored, set, del))
	return nil
}

// printProblems shows the fields that failed or warned, never values.
func printProblems(d Deps, p providers.Provider, v validateJSON) {
	for _, f := range v.Fields {
		if f.Message == "" {
			continue
		}
		mark := "warn"
		if !f.OK {
			mark = "FAIL"
		}
		field, _ := p.Field(f.ID)
		fmt.Fprintf(d.Stdout, "%s %s (%s): %s\n", mark, field.Label, f.ID, f.Message)
	}
}

func reportSet(d Deps, p providers.Provider, where string, set map[string]string, del []string, stored, given map[string]string) {
	var wrote, kept []string
	for _, f := range p.Fields {
		if _, ok := set[f.ID]; ok {
			wrote = append(wrote, f.ID)
		} else if _, ok := stored[f.ID]; ok && !slices.Contains(del, f.ID) {
			kept = append(kept, f.ID)
		}
	}
	if len(wrote) > 0 {
		fmt.Fprintf(d.Stdout, "Stored %s in %s: %s.\n", p.ID, where, strings.Join(wrote, ", "))
	}
	if removed := intersect(del, stored); len(removed) > 0 {
		fmt.Fprintf(d.Stdout, "Removed: %s.\n", strings.Join(removed, ", "))
	}
	if len(kept) > 0 {
		fmt.Fprintf(d.Stdout, "Kept as stored: %s.\n", strings.Join(kept, ", "))
	}
}

// changed reports whether writing set and deleting del alters stored.
func changed(stored, set map[string]string, del []string) bool {
	for f, v := range set {
		if old, ok := stored[f]; !ok || old != v {
			return true
		}
	}
	return len(intersect(del, stored)) > 0
}

func intersect(ids []string, m map[string]string) []string {
	var out []string
	for _, id := range ids {
		if _, ok := m[id]; ok {
			out = append(out, id)
		}
	}
	return out
}

// promptValues asks for each field on the terminal: secrets without echo,
// multi-line values (PEM, JSON) line by line until an empty line. An empty
// answer keeps the stored value; "-" removes it.
func promptValues(d Deps, p providers.Provider, stored map[string]string) (map[string]string, error) {
	in := bufio.NewReader(d.Stdin)
	fmt.Fprintf(d.Stderr, "Keys for %s. Press Enter to skip a field", p.Title)
	if len(stored) > 0 {
		fmt.Fprint(d.Stderr, " (a stored value stays); type - to remove a stored value")
	}
	fmt.Fprintln(d.Stderr, ".")
	out := map[string]string{}
	for _, f := range p.Fields {
		prompt := f.Label
		if f.Optional {
			prompt += " (optional)"
		}
		if _, ok := stored[f.ID]; ok {
			prompt += " [stored]"
		}
		if f.Multiline {
			prompt += " - paste it, then an empty line"
		}
		v, err := promptField(d, in, prompt+": ", f)
		if err != nil {
			return nil, err
		}
		switch v {
		case "":
		case "-":
			out[f.ID] = ""
		default:
			out[f.ID] = v
		}
	}
	return out, nil
}

func promptField(d Deps, in *bufio.Reader, prompt string, f providers.Field) (string, error) {
	fmt.Fprint(d.Stderr, prompt)
	if !f.Multiline {
		return readAnswer(d, in, f.Secret)
	}
	if f.Secret {
		fmt.Fprintln(d.Stderr)
	}
	var lines []string
	for {
		line, err := readAnswer(d, in, f.Secret)
		if err != nil {
			return "", err
		}
		if strings.TrimSpace(line) == "" || (len(lines) == 0 && line == "-") {
			if len(lines) == 0 {
				return line, nil
			}
			return strings.Join(lines, "\n") + "\n", nil
		}
		lines = append(lines, line)
	}
}

// readAnswer reads one line, without echo for secrets on a real terminal.
func readAnswer(d Deps, in *bufio.Reader, secret bool) (string, error) {
	if f, ok := d.Stdin.(*os.File); ok && secret && term.IsTerminal(int(f.Fd())) {
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(d.Stderr)
		if err != nil {
			return "", usageErr("read from the terminal: %v", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	s, err := in.ReadString('\n')
	if err != nil && (err != io.EOF || s == "") {
		if err == io.EOF {
			return "", nil
		}
		return "", usageErr("read stdin: %v", err)
	}
	return strings.TrimRight(s, "\r\n"), nil
}

func newKeysListCmd(d Deps) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the services whose keys are stored, with the field names (no values)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			store, err := keysStore(ctx, d)
			if err != nil {
				return err
			}
			out := []keysListJSON{}
			for _, p := range providers.All() {
				ids, err := storedFields(ctx, store, p)
				if err != nil {
					return err
				}
				if len(ids) > 0 {
					out = append(out, keysListJSON{Service: p.ID, Fields: ids})
				}
			}
			if asJSON {
				return writeJSON(d.Stdout, out)
			}
			if len(out) == 0 {
				fmt.Fprintf(d.Stdout, "No keys stored in %s.\n", store.Where())
				return nil
			}
			for _, s := range out {
				fmt.Fprintf(d.Stdout, "%-16s %s\n", s.Service, strings.Join(s.Fields, ", "))
			}
			fmt.Fprintf(d.Stdout, "Kept in %s.\n", store.Where())
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newKeysShowCmd(d Deps) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show SERVICE",
		Short: "Show a service's stored keys, redacted to their first characters",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := lookup(args[0])
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			store, err := keysStore(ctx, d)
			if err != nil {
				return err
			}
			values, err := storedValues(ctx, store, p)
			if err != nil {
				return err
			}
			out := keysShowJSON{Service: p.ID, Fields: []keyValueJSON{}}
			for _, f := range p.Fields {
				if v, ok := values[f.ID]; ok {
					out.Fields = append(out.Fields, keyValueJSON{ID: f.ID, Value: providers.Redact(v)})
				}
			}
			if asJSON {
				return writeJSON(d.Stdout, out)
			}
			printShow(d, p, store.Where(), values)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func printShow(d Deps, p providers.Provider, where string, values map[string]string) {
	if len(values) == 0 {
		fmt.Fprintf(d.Stdout, "No keys stored for %s in %s: run 'keywizard keys set %s'.\n", p.ID, where, p.ID)
		return
	}
	fmt.Fprintf(d.Stdout, "%s (%s), in %s:\n", p.Title, p.ID, where)
	for _, f := range p.Fields {
		shown := "not stored"
		if v, ok := values[f.ID]; ok {
			shown = providers.Redact(v)
		}
		fmt.Fprintf(d.Stdout, "  %s (%s): %s\n", f.Label, f.ID, shown)
	}
}

func newKeysForgetCmd(d Deps) *cobra.Command {
	return &cobra.Command{
		Use:   "forget SERVICE",
		Short: "Delete every stored key of a service",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := lookup(args[0])
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			store, err := keysStore(ctx, d)
			if err != nil {
				return err
			}
			had, err := storedFields(ctx, store, p)
			if err != nil {
				return err
			}
			// Every catalogue field, not only the listed ones: an index
			// can lag behind the keyring.
			del := []string{}
			for _, f := range p.Fields {
				del = append(del, f.ID)
			}
			if err := updateStore(ctx, store, p.ID, nil, del); err != nil {
				return err
			}
			forgetProgress(d, p.ID)
			if len(had) == 0 {
				fmt.Fprintf(d.Stdout, "Nothing was stored for %s in %s.\n", p.ID, store.Where())
				return nil
			}
			fmt.Fprintf(d.Stdout, "Forgot %s (%s) from %s.\n", p.ID, strings.Join(had, ", "), store.Where())
			return nil
		},
	}
}
