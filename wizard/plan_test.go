package wizard

import (
	"strings"
	"testing"

	"keywizard/providers"
)

func planIDs(p Plan) string { return strings.Join(p.Services(), " ") }

func leftIDs(p Plan) string {
	var ids []string
	for _, l := range p.Left {
		ids = append(ids, l.Service)
	}
	return strings.Join(ids, " ")
}

func TestPlanOrderAndGoals(t *testing.T) {
	goals, err := providers.ParseGoals([]string{"sms:twilio", "backup:s3", "storage:google", "signin:microsoft", "signin:google", "links"})
	if err != nil {
		t.Fatal(err)
	}
	p := MakePlan(PlanInput{Goals: goals})
	if got, want := planIDs(p), "google microsoft s3 twilio bitly"; got != want {
		t.Fatalf("order %q, want %q", got, want)
	}
	g := p.Steps[0]
	if len(g.Goals) != 2 || g.Goals[0] != "Sign in with Google" || !strings.Contains(g.Goals[1], "Google Drive") {
		t.Errorf("google's goals %q", g.Goals)
	}
	if g.Minutes != 20 || len(g.Needs) == 0 || !strings.Contains(g.Needs[1], "Google Cloud project") {
		t.Errorf("google's set-up %d %q", g.Minutes, g.Needs)
	}
	if !strings.Contains(strings.Join(p.Steps[3].Needs, " "), "phone number") {
		t.Errorf("twilio's needs %q", p.Steps[3].Needs)
	}
	if p.Steps[0].Warning != "" {
		t.Errorf("google has a warning: %q", p.Steps[0].Warning)
	}
	if vk := MakePlan(PlanInput{Goals: []string{"signin:vk"}}); !strings.Contains(vk.Steps[0].Warning, "VK") {
		t.Errorf("VK's dead end is not in the plan: %+v", vk.Steps[0])
	}
	if p.MinutesLeft() != 20+15+20+15+5 || p.Done() {
		t.Errorf("minutes %d, done %v", p.MinutesLeft(), p.Done())
	}
	if MakePlan(PlanInput{}).Done() {
		t.Error("an empty plan is not done")
	}
}

func TestPlanLeavesOutWhatThePortalLacks(t *testing.T) {
	goals := []string{"signin:microsoft", "signin:apple", "signin:yandex", "plugins:easybib", "plugins:zotero", "links:bitly", "esign:docusign", "sms:smsc"}
	for _, c := range []struct {
		name, product, version string
		offered                map[string]bool
		steps, left            string
		reason                 string // a piece of the first left-out reason
	}{
		{name: "no portal", steps: "microsoft apple yandex smsc bitly docusign zotero easybib"},
		{name: "workspace 11.5", product: "workspace", version: "11.5.4", steps: "yandex smsc bitly docusign easybib", left: "microsoft apple zotero", reason: "Workspace 11.5.4 does not offer it (added in 12.0)"},
		{name: "workspace 12.5.2", product: "workspace", version: "12.5.2.1848", steps: "microsoft apple yandex smsc bitly docusign", left: "zotero easybib", reason: "has no setting for it"},
		{name: "workspace 12.5.1", product: "workspace", version: "12.5.1", steps: "microsoft apple yandex smsc bitly docusign easybib", left: "zotero"},
		{name: "workspace, version unknown", product: "workspace", steps: "microsoft apple yandex smsc bitly docusign", left: "zotero easybib", reason: "has no setting"},
		{name: "docspace", product: "docspace", version: "3.1.0", steps: "microsoft apple", left: "yandex smsc bitly docusign zotero easybib", reason: "DocSpace 3.1.0 does not offer it (removed in 2023-03)"},
		{name: "docspace says", product: "docspace", version: "3.1.0", offered: map[string]bool{"microsoft": false, "bitly": true}, steps: "apple bitly", left: "microsoft yandex smsc docusign zotero easybib", reason: "this portal does not offer it"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := MakePlan(PlanInput{Goals: goals, Product: c.product, Version: c.version, Offered: c.offered})
			if got := planIDs(p); got != c.steps {
				t.Errorf("steps %q, want %q", got, c.steps)
			}
			if got := leftIDs(p); got != c.left {
				t.Errorf("left out %q, want %q", got, c.left)
			}
			if c.reason != "" && !strings.Contains(p.Left[0].Reason, c.reason) {
				t.Errorf("reason %q, want %q", p.Left[0].Reason, c.reason)
			}
		})
	}
}

func TestPlanDone(t *testing.T) {
	goals := []string{"signin:google", "storage:google", "backup:s3", "notifications:telegram"}
	in := PlanInput{Goals: goals, Product: "docspace", Version: "3.7",
		Holds:  map[string]bool{"s3": true},
		Status: map[string]Status{"google": Verified, "telegram": OnPortal}}
	p := MakePlan(in)
	done := map[string]bool{}
	for _, s := range p.Steps {
		done[s.Service] = s.Done
	}
	if done["google"] || !done["s3"] || !done["telegram"] {
		t.Fatalf("done %v", done)
	}
	if !p.Steps[1].OnPortal || p.Steps[0].OnPortal {
		t.Errorf("on portal: %+v", p.Steps)
	}
	if next, ok := p.Next(); !ok || next.Service != "google" || p.MinutesLeft() != 20 {
		t.Errorf("next %v %v, minutes %d", next.Service, ok, p.MinutesLeft())
	}
	// Without a portal, verified keys are as far as the plan goes.
	in.Product, in.Holds = "", nil
	in.Status["s3"] = Verified
	if p := MakePlan(in); !p.Done() {
		t.Errorf("offline plan not done: %+v", p.Steps)
	}
	in.Status["google"] = Problem
	if p := MakePlan(in); p.Done() {
		t.Error("a problem is not done")
	}
}
