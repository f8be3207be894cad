package wizard

import (
	"slices"

	"keywizard/providers"
)

// PlanInput is what a plan is made from: the admin's goals, the portal's
// product and version when known, and where each service stands.
type PlanInput struct {
	Goals   []string // goal ids ("signin:google"), as providers.ParseGoals returns them
	Product string   // "docspace" or "workspace"; "" when no portal is known
	Version string   // the portal's version; "" when not known
	// Offered is the portal's own word on which services it has (from
	// reading its keys), by service id; nil when it was not read. It wins
	// over the catalogue's versions.
	Offered map[string]bool
	// Holds lists the services whose keys the portal already holds.
	Holds map[string]bool
	// Status is each service's progress; absent means not started.
	Status map[string]Status
	// Catalogue is the services to plan over; nil means providers.All().
	Catalogue []providers.Provider
}

// Plan is what the admin set out to do: only the chosen services, in the
// order to set them up, each with its usual time and what to have at hand.
type Plan struct {
	Product string     `json:"product,omitempty"`
	Version string     `json:"version,omitempty"`
	Steps   []PlanStep `json:"steps"`
	// Left are chosen services the portal's product or version lacks.
	Left []LeftOut `json:"left_out,omitempty"`
}

// PlanStep is one service of a plan.
type PlanStep struct {
	Service  string   `json:"service"`
	Title    string   `json:"title"`
	Goals    []string `json:"goals"` // the admin's words: "Sign in with Google"
	Minutes  int      `json:"minutes"`
	Needs    []string `json:"needs"`
	Status   Status   `json:"status"`
	OnPortal bool     `json:"on_portal"` // the portal already holds keys for it
	Done     bool     `json:"done"`
	// Warning is a known reason the set-up may not succeed (the service's
	// dead end), to read before starting.
	Warning string `json:"warning,omitempty"`
}

// LeftOut is a chosen service the portal cannot take, and why.
type LeftOut struct {
	Service string   `json:"service"`
	Title   string   `json:"title"`
	Goals   []string `json:"goals"`
	Reason  string   `json:"reason"`
}

// MakePlan builds the plan. Services come in the order of the questions
// (sign-in, document storage, backups, SMS, ...), and within one question
// the usual choices first; a service two goals need comes once, where it
// is first needed. Unknown goal ids are ignored.
func MakePlan(in PlanInput) Plan {
	cat := in.Catalogue
	if cat == nil {
		cat = providers.All()
	}
	byID := map[string]providers.Provider{}
	for _, p := range cat {
		byID[p.ID] = p
	}
	plan := Plan{Product: in.Product, Version: in.Version, Steps: []PlanStep{}}
	index := map[string]int{} // service id to its place in Steps, or -1 when left out
	for _, g := range providers.Goals() {
		if !slices.Contains(in.Goals, g.ID) {
			continue
		}
		p, ok := byID[g.Service]
		if !ok {
			continue
		}
		if i, seen := index[p.ID]; seen {
			if i >= 0 {
				plan.Steps[i].Goals = append(plan.Steps[i].Goals, g.Words)
			} else {
				j := len(plan.Left) - 1
				for plan.Left[j].Service != p.ID {
					j--
				}
				plan.Left[j].Goals = append(plan.Left[j].Goals, g.Words)
			}
			continue
		}
		if ok, why := offered(in, p); !ok {
			index[p.ID] = -1
			plan.Left = append(plan.Left, LeftOut{Service: p.ID, Title: p.Title, Goals: []string{g.Words}, Reason: why})
			continue
		}
		index[p.ID] = len(plan.Steps)
		plan.Steps = append(plan.Steps, step(in, p, g.Words))
	}
	return plan
}

func step(in PlanInput, p providers.Provider, words string) PlanStep {
	setup, _ := providers.SetupOf(p.ID)
	st := in.Status[p.ID]
	if st == "" {
		st = NotStarted
	}
	s := PlanStep{
		Service: p.ID, Title: p.Title, Goals: []string{words},
		Minutes: setup.Minutes, Needs: slices.Clone(setup.Needs),
		Status: st, OnPortal: in.Holds[p.ID] || st == OnPortal,
		Warning: p.DeadEnd.Text(),
	}
	if s.Needs == nil {
		s.Needs = []string{}
	}
	// Without a portal the plan ends at keys proven to work; with one, at
	// keys on the portal.
	s.Done = s.OnPortal || in.Product == "" && st == Verified
	return s
}

// offered says whether the portal can take a service: its own answer when
// it was read, else what the catalogue says of its product and version.
func offered(in PlanInput, p providers.Provider) (bool, string) {
	if in.Product == "" {
		return true, ""
	}
	name := productName(in.Product)
	if on, read := in.Offered[p.ID]; read {
		if on {
			return true, ""
		}
		return false, "this portal does not offer it"
	}
	var cons *providers.Consumer
	switch in.Product {
	case "docspace":
		cons = p.Portal.DocSpace
	case "workspace":
		cons = p.Portal.Workspace
	}
	ok, why := providers.OfferedIn(cons, in.Version)
	if ok {
		return true, ""
	}
	switch {
	case cons == nil && p.Portal.Elsewhere != "":
		return false, name + " has no setting for it: " + p.Portal.Elsewhere
	case cons == nil:
		return false, name + " does not offer it"
	case in.Version != "":
		return false, name + " " + in.Version + " does not offer it (" + why + ")"
	}
	return false, name + " does not offer it any more (" + why + ")"
}

func productName(product string) string {
	switch product {
	case "docspace":
		return "DocSpace"
	case "workspace":
		return "Workspace"
	}
	return product
}

// MinutesLeft is the usual time of the steps not done yet.
func (p Plan) MinutesLeft() int {
	n := 0
	for _, s := range p.Steps {
		if !s.Done {
			n += s.Minutes
		}
	}
	return n
}

// Done reports whether the plan has steps and all of them are done.
func (p Plan) Done() bool {
	for _, s := range p.Steps {
		if !s.Done {
			return false
		}
	}
	return len(p.Steps) > 0
}

// Next is the first step not done yet.
func (p Plan) Next() (PlanStep, bool) {
	for _, s := range p.Steps {
		if !s.Done {
			return s, true
		}
	}
	return PlanStep{}, false
}

// Services lists the plan's service ids in order.
func (p Plan) Services() []string {
	ids := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		ids[i] = s.Service
	}
	return ids
}
