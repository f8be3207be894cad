package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"keywizard/providers"
)

func newVersionCmd(d Deps) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(d.Stdout, "keywizard "+d.Version)
			return err
		},
	}
}

type fieldJSON struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Secret   bool   `json:"secret"`
	Optional bool   `json:"optional"`
}

type consumerJSON struct {
	Consumer string   `json:"consumer"`
	Props    []string `json:"props"`
	Removed  string   `json:"removed,omitempty"`
}

type portalJSON struct {
	DocSpace  *consumerJSON `json:"docspace"`
	Workspace *consumerJSON `json:"workspace"`
	Elsewhere string        `json:"elsewhere,omitempty"`
}

type providerJSON struct {
	ID       string      `json:"id"`
	Title    string      `json:"title"`
	Category string      `json:"category"`
	Fields   []fieldJSON `json:"fields"`
	OAuth    bool        `json:"oauth"`
	Portal   portalJSON  `json:"portal"`
}

func consumerOut(c *providers.Consumer) *consumerJSON {
	if c == nil {
		return nil
	}
	return &consumerJSON{Consumer: c.Name, Props: c.Props, Removed: c.Removed}
}

func providerOut(p providers.Provider) providerJSON {
	out := providerJSON{
		ID: p.ID, Title: p.Title, Category: string(p.Category), OAuth: p.OAuth != nil,
		Fields: make([]fieldJSON, len(p.Fields)),
		Portal: portalJSON{DocSpace: consumerOut(p.Portal.DocSpace), Workspace: consumerOut(p.Portal.Workspace), Elsewhere: p.Portal.Elsewhere},
	}
	for i, f := range p.Fields {
		out.Fields[i] = fieldJSON{ID: f.ID, Label: f.Label, Secret: f.Secret, Optional: f.Optional}
	}
	return out
}

func newProvidersCmd(d Deps) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "providers",
		Short: "List the 28 services with their fields and where their keys go on the portal",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			all := providers.All()
			if asJSON {
				out := make([]providerJSON, len(all))
				for i, p := range all {
					out[i] = providerOut(p)
				}
				return writeJSON(d.Stdout, out)
			}
			for _, c := range providers.Categories {
				first := true
				for _, p := range all {
					if p.Category != c {
						continue
					}
					if first {
						fmt.Fprintf(d.Stdout, "%s\n", strings.ToUpper(string(c)))
						first = false
					}
					fmt.Fprintf(d.Stdout, "  %-12s %-26s %s\n", p.ID, p.Title, productsLine(p))
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func productsLine(p providers.Provider) string {
	var parts []string
	add := func(name string, c *providers.Consumer) {
		if c == nil {
			return
		}
		if c.Removed != "" {
			parts = append(parts, name+" (removed "+c.Removed+")")
			return
		}
		parts = append(parts, name)
	}
	add("DocSpace", p.Portal.DocSpace)
	add("Workspace", p.Portal.Workspace)
	if len(parts) == 0 {
		return "editor plugin"
	}
	return strings.Join(parts, ", ")
}

type stepJSON struct {
	Number  int        `json:"number"`
	Title   string     `json:"title"`
	URL     string     `json:"url,omitempty"`
	Lines   []string   `json:"lines"`
	Copy    []copyJSON `json:"copy,omitempty"`
	Warning string     `json:"warning,omitempty"`
}

// copyJSON is a value to paste into the console.
type copyJSON struct {
	Label string `json:"label"`
	Value string `json:"value"`
	Note  string `json:"note,omitempty"`
}

type guideFieldJSON struct {
	fieldJSON
	Help      string `json:"help"`
	Multiline bool   `json:"multiline"`
	Local     bool   `json:"local,omitempty"`
	Example   string `json:"example,omitempty"`
}

// deadEndJSON is a known reason why the set-up fails for new apps or
// accounts; "guide --json" carries it as "dead_end" when there is one.
type deadEndJSON struct {
	Statement  string `json:"statement"`
	StillWorks string `json:"still_works"`
	Since      string `json:"since,omitempty"`
	Source     string `json:"source"`
}

type guideJSON struct {
	providerJSON
	Purpose string           `json:"purpose"`
	DeadEnd *deadEndJSON     `json:"dead_end,omitempty"`
	Steps   []stepJSON       `json:"steps"`
	Fields  []guideFieldJSON `json:"fields"`
	Online  string           `json:"online_check"`
	Notes   []string         `json:"notes,omitempty"`
	OAuth   *oauthJSON       `json:"oauth_details,omitempty"`
}

type oauthJSON struct {
	AuthURL      string   `json:"auth_url"`
	TokenURL     string   `json:"token_url"`
	Scopes       []string `json:"scopes"`
	PortalScopes []string `json:"portal_scopes,omitempty"`
	PKCE         bool     `json:"pkce"`
	Loopback     string   `json:"loopback"`
}

func newGuideCmd(d Deps) *cobra.Command {
	var asJSON bool
	var redirect string
	cmd := &cobra.Command{
		Use:   "guide SERVICE",
		Short: "Print the steps to create a service's keys, with every value to paste",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := lookup(args[0])
			if err != nil {
				return err
			}
			steps := p.Guide(redirect, testRedirectFor(p))
			if asJSON {
				return writeJSON(d.Stdout, guideOut(p, steps))
			}
			printGuide(d.Stdout, p, steps)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&redirect, "redirect-url", providers.DefaultRedirectURL, "the portal's OAuth redirect URL, for portals that host their own")
	return cmd
}

// testRedirectFor is the loopback redirect the admin registers for the test
// sign-in, or "" when the provider refuses loopback redirects.
func testRedirectFor(p providers.Provider) string {
	if p.OAuth == nil || p.OAuth.Loopback == providers.LoopbackNone {
		return ""
	}
	return p.OAuth.TestRedirectURI(0)
}

func guideOut(p providers.Provider, steps []providers.Step) guideJSON {
	g := guideJSON{providerJSON: providerOut(p), Purpose: p.Purpose, Online: p.Online, Notes: p.Notes}
	if d := p.DeadEnd; d != nil {
		g.DeadEnd = &deadEndJSON{Statement: d.Statement, StillWorks: d.StillWorks, Since: d.Since, Source: d.Source}
	}
	for i, s := range steps {
		st := stepJSON{Number: i + 1, Title: s.Title, URL: s.URL, Lines: s.Lines, Warning: s.Warning}
		for _, c := range s.Copy {
			st.Copy = append(st.Copy, copyJSON(c))
		}
		g.Steps = append(g.Steps, st)
	}
	for _, f := range p.Fields {
		g.Fields = append(g.Fields, guideFieldJSON{
			fieldJSON: fieldJSON{ID: f.ID, Label: f.Label, Secret: f.Secret, Optional: f.Optional},
			Help:      f.Help, Multiline: f.Multiline, Local: f.Local, Example: f.Example,
		})
	}
	if o := p.OAuth; o != nil {
		g.OAuth = &oauthJSON{AuthURL: o.AuthURL, TokenURL: o.TokenURL, Scopes: o.Scopes, PortalScopes: o.PortalScopes, PKCE: o.PKCE, Loopback: string(o.Loopback)}
	}
	return g
}

func printGuide(w io.Writer, p providers.Provider, steps []providers.Step) {
	fmt.Fprintf(w, "%s (%s)\n%s\n", p.Title, p.Category, p.Purpose)
	if d := p.DeadEnd; d != nil {
		fmt.Fprintf(w, "\nBefore you start: %s\n", d.Text())
		if d.Source != "" {
			fmt.Fprintf(w, "  Source: %s\n", d.Source)
		}
	}
	for _, n := range p.Notes {
		fmt.Fprintf(w, "Note: %s\n", n)
	}
	for i, s := range steps {
		fmt.Fprintf(w, "\nStep %d of %d: %s\n", i+1, len(steps), s.Title)
		if s.URL != "" {
			fmt.Fprintf(w, "  Open: %s\n", s.URL)
		}
		for j, l := range s.Lines {
			fmt.Fprintf(w, "  %d. %s\n", j+1, l)
		}
		for _, c := range s.Copy {
			line := fmt.Sprintf("  %s: %s", c.Label, c.Value)
			if c.Note != "" {
				line += "  (" + c.Note + ")"
			}
			fmt.Fprintln(w, line)
		}
		if s.Warning != "" {
			fmt.Fprintf(w, "  Warning: %s\n", s.Warning)
		}
	}
	fmt.Fprintf(w, "\nKeys to paste (keywizard keys set %s):\n", p.ID)
	for _, f := range p.Fields {
		extra := ""
		if f.Optional {
			extra = " (optional)"
		}
		if f.Secret {
			extra += " (secret)"
		}
		fmt.Fprintf(w, "  %-28s %s%s: %s\n", f.ID, f.Label, extra, f.Help)
	}
	if p.Online != "" {
		fmt.Fprintf(w, "\nOnline check: %s\n", p.Online)
	}
}
