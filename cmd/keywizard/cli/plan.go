package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"keywizard/providers"
	"keywizard/wizard"
)

type planFlags struct {
	want, product, version, portalURL string
	asJSON, goals                     bool
}

type planJSON struct {
	Portal      string   `json:"portal,omitempty"`
	Goals       []string `json:"goals"`
	MinutesLeft int      `json:"minutes_left"`
	Done        bool     `json:"done"`
	wizard.Plan
}

type goalJSON struct {
	ID       string `json:"id"`
	Question string `json:"question"`
	Words    string `json:"words"`
	Service  string `json:"service"`
}

func newPlanCmd(d Deps) *cobra.Command {
	var f planFlags
	cmd := &cobra.Command{
		Use:   "plan [--want GOALS] [--product docspace|workspace [--version V]] [--json]",
		Short: "Plan the set-up: only the services you want, in order, with the time and what to have at hand",
		Long: "Show the plan: the services your goals need, in the order to set them up, each with the time it\n" +
			"usually takes and what to have at hand. --want chooses the goals and remembers them (the window\n" +
			"shows the same plan). A goal is a word from --goals (\"signin:google\", \"backup:s3\"), a service\n" +
			"id (\"google\": all its goals), or a question with a single answer (\"links\", \"esign\").\n" +
			"The portal's product and version come from the remembered portal ('keywizard portal login'),\n" +
			"or from --product and --version; services that product or version lacks are left out, and\n" +
			"services the portal already holds are marked done.",
		Example: "  keywizard plan --goals\n" +
			"  keywizard plan --want signin:google,signin:microsoft,backup:s3,sms:twilio\n" +
			"  keywizard plan --product workspace --version 12.5.2 --json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.goals {
				return printGoals(d, f.asJSON)
			}
			return runPlan(d, cmd, f)
		},
	}
	cmd.Flags().StringVar(&f.want, "want", "", "comma-separated goals to plan for (see --goals); remembered")
	cmd.Flags().StringVar(&f.product, "product", "", "plan for this product without a remembered portal: docspace or workspace")
	cmd.Flags().StringVar(&f.version, "version", "", "with --product: the portal's version (\"12.5.2\")")
	cmd.Flags().StringVar(&f.portalURL, "portal", "", "plan for this remembered portal (the first one by default)")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&f.goals, "goals", false, "list the goals --want takes")
	return cmd
}

func printGoals(d Deps, asJSON bool) error {
	goals := providers.Goals()
	if asJSON {
		out := make([]goalJSON, len(goals))
		for i, g := range goals {
			out[i] = goalJSON{ID: g.ID, Question: providers.Question(g.Category), Words: g.Words, Service: g.Service}
		}
		return writeJSON(d.Stdout, out)
	}
	var last providers.Category
	for _, g := range goals {
		if g.Category != last {
			if last != "" {
				fmt.Fprintln(d.Stdout)
			}
			fmt.Fprintf(d.Stdout, "%s:\n", providers.Question(g.Category))
			last = g.Category
		}
		fmt.Fprintf(d.Stdout, "  %-24s %s\n", g.ID, g.Words)
	}
	return nil
}

func runPlan(d Deps, cmd *cobra.Command, f planFlags) error {
	switch f.product {
	case "", "docspace", "workspace":
	default:
		return usageErr("--product is docspace or workspace, not %q", f.product)
	}
	if f.version != "" && f.product == "" {
		return usageErr("--version goes with --product")
	}
	prog := loadProgress(d)
	saved := prog.Settings.Plan
	if cmd.Flags().Changed("want") {
		goals, err := providers.ParseGoals(strings.Split(f.want, ","))
		if err != nil {
			return usageErr("--want: %v", err)
		}
		if len(goals) == 0 {
			return usageErr("--want names no goal: see 'keywizard plan --goals'")
		}
		saved = &wizard.ChosenPlan{Goals: goals, Product: f.product, Version: f.version, Chosen: time.Now().UTC()}
		savePlan(d, *saved)
	}
	if saved == nil {
		return usageErr("no plan yet: choose goals with --want (see 'keywizard plan --goals'), or open the window")
	}
	where, product, version, err := planPortal(d, f, saved)
	if err != nil {
		return err
	}
	in := planInput(prog, saved.Goals, product, version)
	out := planJSON{Portal: where, Goals: saved.Goals, Plan: wizard.MakePlan(in)}
	out.MinutesLeft, out.Done = out.Plan.MinutesLeft(), out.Plan.Done()
	if f.asJSON {
		return writeJSON(d.Stdout, out)
	}
	printPlan(d, out)
	return nil
}

// loadProgress reads the progress; a damaged file is a warning, as
// everywhere else.
func loadProgress(d Deps) *wizard.Progress {
	p, err := d.flow().Recorder().Load()
	if err != nil {
		fmt.Fprintf(d.Stderr, "warning: %v\n", err)
	}
	return p
}

// savePlan remembers the goals in the progress the window reads.
func savePlan(d Deps, pl wizard.ChosenPlan) {
	if err := d.flow().Recorder().SavePlan(pl); err != nil {
		fmt.Fprintf(d.Stderr, "warning: the plan was not saved: %v\n", err)
	}
}

// planPortal picks the product and version: --product, else the
// remembered portal (--portal, or the first one), else the plan's own.
func planPortal(d Deps, f planFlags, saved *wizard.ChosenPlan) (where, product, version string, err error) {
	if f.product != "" {
		return "", f.product, f.version, nil
	}
	entries, err := remembered(d)
	if err != nil {
		return "", "", "", err
	}
	if f.portalURL != "" {
		e, ok := wizard.FindPortal(entries, f.portalURL)
		if !ok {
			return "", "", "", usageErr("%s is not a remembered portal: run 'keywizard portal status' for the list", f.portalURL)
		}
		entries = []wizard.PortalEntry{e}
	}
	if len(entries) > 0 {
		return entries[0].URL, string(entries[0].Product), entries[0].Version, nil
	}
	return "", saved.Product, saved.Version, nil
}

// planInput gathers where each service stands from the progress file: its
// status, and what 'keywizard status' or a push last saw on the portal.
func planInput(prog *wizard.Progress, goals []string, product, version string) wizard.PlanInput {
	in := wizard.PlanInput{Goals: goals, Product: product, Version: version,
		Status: map[string]wizard.Status{}, Holds: map[string]bool{}}
	for id, s := range prog.Services {
		in.Status[id] = s.Status
		if s.Portal == nil {
			continue
		}
		if in.Offered == nil {
			in.Offered = map[string]bool{}
		}
		in.Offered[id] = !strings.HasPrefix(s.Portal.Message, "not offered")
		in.Holds[id] = s.Portal.OK
	}
	return in
}

func printPlan(d Deps, out planJSON) {
	w := d.Stdout
	head := "Plan"
	switch {
	case out.Portal != "":
		head += " for " + out.Portal + " (" + productVersion(wizard.PortalInfo{Product: wizard.Product(out.Product), Version: out.Version}) + ")"
	case out.Product != "":
		head += " for " + productVersion(wizard.PortalInfo{Product: wizard.Product(out.Product), Version: out.Version})
	default:
		head += " (no portal known: every service is shown)"
	}
	fmt.Fprintf(w, "%s: %s, about %d minutes left.\n", head, plural(len(out.Steps), "service"), out.MinutesLeft)
	if out.Done {
		fmt.Fprintln(w, "Everything in the plan is done.")
	}
	for i, s := range out.Steps {
		st := string(s.Status)
		switch {
		case s.Done && s.OnPortal:
			st = "done: on the portal"
		case s.Done:
			st = "done: " + st
		}
		fmt.Fprintf(w, "\n%d. %s (about %d min): %s\n", i+1, s.Title, s.Minutes, st)
		fmt.Fprintf(w, "   for: %s\n", strings.Join(s.Goals, "; "))
		if s.Warning != "" && !s.Done {
			fmt.Fprintf(w, "   warning: %s\n", s.Warning)
		}
		if !s.Done {
			fmt.Fprintf(w, "   have at hand: %s\n", strings.Join(s.Needs, "; "))
			fmt.Fprintf(w, "   start: keywizard guide %s\n", s.Service)
		}
	}
	if len(out.Left) > 0 {
		fmt.Fprintln(w, "\nLeft out:")
		for _, l := range out.Left {
			fmt.Fprintf(w, "  %s (%s): %s\n", l.Title, strings.Join(l.Goals, "; "), l.Reason)
		}
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
