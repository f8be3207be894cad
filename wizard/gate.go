package wizard

import (
	"context"

	"keywizard/providers"
)

// Action is what the admin asks for.
type Action int

// Actions the gate judges.
const (
	ActCheck Action = iota
	ActSignIn
	ActPush
)

// BlockKind says what stops an action.
type BlockKind int

// What stops an action. Only Invalid and Rejected can be overridden (the
// window's "I checked them myself", the command line's --force).
const (
	NotBlocked BlockKind = iota
	NoKeys               // nothing here to send
	NoFields             // the service has no keys to fill in
	Unsaved              // the window holds keys that are not saved: "Save first"
	NotOffered           // the portal does not offer the service
	Fixed                // the portal's server configuration fixes the keys
	Invalid              // the keys fail the offline checks
	Rejected             // the service rejected the keys in the online check
	NoLoopback           // the service refuses sign-ins that come back to this computer
)

// Block is why an action cannot go ahead.
type Block struct {
	Kind   BlockKind
	Fields []providers.FieldError // Invalid: the fields that fail
	Check  *CheckResult           // Rejected: the online check's verdict
}

// Blocked reports whether anything stops the action.
func (b Block) Blocked() bool { return b.Kind != NotBlocked }

// Overridable reports whether the admin may go ahead anyway.
func (b Block) Overridable() bool { return b.Kind == Invalid || b.Kind == Rejected }

// Candidate is what the gate judges: a service, the keys the action
// would use, and what is known about them.
type Candidate struct {
	Provider providers.Provider
	Values   map[string]string
	// Unsaved means the keys on screen differ from the saved ones: a push
	// sends saved keys only.
	Unsaved bool
	// Mark is what the portal holds for the service (push only);
	// MarkUnknown when it was not read.
	Mark Mark
}

// Gate is the one rule of what stops a check, a sign-in or a push, the
// same in both faces. The online check a push runs first is not part of
// it: see PlanPush.
func Gate(a Action, c Candidate) Block {
	p := c.Provider
	switch {
	case len(p.Fields) == 0:
		return Block{Kind: NoFields}
	case len(c.Values) == 0:
		return Block{Kind: NoKeys}
	case a == ActSignIn && p.OAuth != nil && p.OAuth.Loopback == providers.LoopbackNone:
		return Block{Kind: NoLoopback}
	case a == ActPush && c.Unsaved:
		return Block{Kind: Unsaved}
	case a == ActPush && c.Mark == MarkNotOffered:
		return Block{Kind: NotOffered}
	case a == ActPush && c.Mark == MarkFixed:
		return Block{Kind: Fixed}
	}
	var bad []providers.FieldError
	for _, fe := range p.Validate(c.Values) {
		if providers.Blocks(fe.Err) {
			bad = append(bad, fe)
		}
	}
	if len(bad) > 0 {
		return Block{Kind: Invalid, Fields: bad}
	}
	return Block{}
}

// PushJob is one service of a push plan.
type PushJob struct {
	Candidate
	// Block stops the push of this service; Overridden says the admin
	// overrode it (or skipped the online check) and it goes anyway.
	Block      Block
	Overridden bool
	// Note is said with the result: the online check reached no verdict.
	Note string
	// Checked is the verdict of the online check run before the push, if
	// one ran.
	Checked *CheckResult
}

// Sends reports whether the job goes to the portal.
func (j PushJob) Sends() bool { return !j.Block.Blocked() || j.Overridden && j.Block.Overridable() }

// PlanPush judges each candidate with Gate and, unless override is set,
// runs the online check of every candidate that passes, all at once. Keys
// the service rejects are not pushed; a check that reaches no verdict
// (service unreachable, answer unreadable) does not stop the push and is
// noted. With override, overridable blocks are overridden and no online
// check runs.
func PlanPush(ctx context.Context, checker Checker, cands []Candidate, override bool) []PushJob {
	jobs := make([]PushJob, len(cands))
	online := map[string]map[string]string{}
	for i, c := range cands {
		jobs[i] = PushJob{Candidate: c, Block: Gate(ActPush, c)}
		switch {
		case override:
			jobs[i].Overridden = true
		case !jobs[i].Block.Blocked() && hasCheck(c.Provider):
			online[c.Provider.ID] = c.Values
		}
	}
	if len(online) == 0 || checker == nil {
		return jobs
	}
	results := CheckMany(ctx, checker, online)
	for i := range jobs {
		r, ok := results[jobs[i].Provider.ID]
		if ok {
			jobs[i].Checked = &r
		}
		switch {
		case !ok || r.OK:
		case NoVerdict(r):
			jobs[i].Note = "the online check gave no verdict (" + r.Message + ")"
		default:
			jobs[i].Block = Block{Kind: Rejected, Check: &r}
		}
	}
	return jobs
}

// hasCheck reports whether the catalogue describes an online check for p.
func hasCheck(p providers.Provider) bool { return p.Online != "" && p.Online != "none" }
