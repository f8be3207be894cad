package wizard_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"keywizard/providers"
	"keywizard/wizard"
)

func lookup(t *testing.T, id string) providers.Provider {
	t.Helper()
	p, ok := providers.Lookup(id)
	if !ok {
		t.Fatalf("%s is not in the catalogue", id)
	}
	return p
}

const (
	goodID     = "123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com"
	goodSecret = "GOCSPX-abcdefghijklmnopqrstuvwxyz12"
)

func TestCompare(t *testing.T) {
	g := lookup(t, "google")
	props := []string{"googleClientId", "googleClientSecret"}
	both := map[string]string{"googleClientId": goodID, "googleClientSecret": goodSecret}
	set := wizard.PortalKeys{Offered: true, CanSet: true, Values: both}
	tests := []struct {
		name  string
		keys  wizard.PortalKeys
		local map[string]string
		want  wizard.Mark
	}{
		{"not offered", wizard.PortalKeys{}, both, wizard.MarkNotOffered},
		{"fixed", wizard.PortalKeys{Offered: true}, both, wizard.MarkFixed},
		{"not set", wizard.PortalKeys{Offered: true, CanSet: true, Values: map[string]string{"googleClientId": ""}}, both, wizard.MarkNotSet},
		{"same", set, both, wizard.MarkSame},
		{"differs", set, map[string]string{"googleClientId": goodID, "googleClientSecret": "GOCSPX-other"}, wizard.MarkDiffers},
		{"nothing here", set, nil, wizard.MarkSet},
		{"only some here, equal", set, map[string]string{"googleClientId": goodID}, wizard.MarkSame},
		{"required value empty there", wizard.PortalKeys{Offered: true, CanSet: true, Values: map[string]string{"googleClientId": goodID}}, nil, wizard.MarkPartly},
		{"approximate", wizard.PortalKeys{Offered: true, CanSet: true, Values: both,
			Match: func(string, string) wizard.Match { return wizard.Unsure }}, both, wizard.MarkUnsure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wizard.Compare(g, props, tt.keys, tt.local); got != tt.want {
				t.Fatalf("Compare = %v (%d), want %v (%d)", got, got, tt.want, tt.want)
			}
		})
	}
}

// An optional value left empty here does not make the portal "differ":
// a push would not change it.
func TestCompareOptionalLeftEmpty(t *testing.T) {
	a := lookup(t, "apple")
	var props []string
	local := map[string]string{}
	portal := map[string]string{}
	for _, f := range a.Fields {
		if f.Local {
			continue
		}
		props = append(props, f.ID)
		portal[f.ID] = "value-" + f.ID
		if !f.Optional {
			local[f.ID] = "value-" + f.ID
		}
	}
	got := wizard.Compare(a, props, wizard.PortalKeys{Offered: true, CanSet: true, Values: portal}, local)
	if got != wizard.MarkSame {
		t.Fatalf("Compare = %v, want set (same)", got)
	}
}

func TestGate(t *testing.T) {
	g := lookup(t, "google")
	good := map[string]string{"googleClientId": goodID, "googleClientSecret": goodSecret}
	bad := map[string]string{"googleClientId": "nope", "googleClientSecret": goodSecret}
	tests := []struct {
		name string
		a    wizard.Action
		c    wizard.Candidate
		want wizard.BlockKind
		over bool
	}{
		{"check good", wizard.ActCheck, wizard.Candidate{Provider: g, Values: good}, wizard.NotBlocked, false},
		{"check nothing", wizard.ActCheck, wizard.Candidate{Provider: g}, wizard.NoKeys, false},
		{"check invalid", wizard.ActCheck, wizard.Candidate{Provider: g, Values: bad}, wizard.Invalid, true},
		{"push unsaved", wizard.ActPush, wizard.Candidate{Provider: g, Values: good, Unsaved: true}, wizard.Unsaved, false},
		{"check unsaved is fine", wizard.ActCheck, wizard.Candidate{Provider: g, Values: good, Unsaved: true}, wizard.NotBlocked, false},
		{"push not offered", wizard.ActPush, wizard.Candidate{Provider: g, Values: good, Mark: wizard.MarkNotOffered}, wizard.NotOffered, false},
		{"push fixed", wizard.ActPush, wizard.Candidate{Provider: g, Values: good, Mark: wizard.MarkFixed}, wizard.Fixed, false},
		{"push invalid", wizard.ActPush, wizard.Candidate{Provider: g, Values: bad}, wizard.Invalid, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := wizard.Gate(tt.a, tt.c)
			if b.Kind != tt.want || b.Overridable() != tt.over {
				t.Fatalf("Gate = %+v (overridable %v), want kind %d (overridable %v)", b, b.Overridable(), tt.want, tt.over)
			}
		})
	}
}

// checker answers each service with a fixed result and counts CheckAll.
type checker struct {
	mu    sync.Mutex
	res   map[string]wizard.CheckResult
	all   int
	calls []string
}

func (c *checker) Check(_ context.Context, id string, _ map[string]string) wizard.CheckResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, id)
	r := c.res[id]
	r.Service = id
	return r
}

func (c *checker) CheckAll(ctx context.Context, s map[string]map[string]string) []wizard.CheckResult {
	c.mu.Lock()
	c.all++
	c.mu.Unlock()
	var out []wizard.CheckResult
	for id, v := range s {
		out = append(out, c.Check(ctx, id, v))
	}
	return out
}

func TestPlanPush(t *testing.T) {
	g, tg, bitly := lookup(t, "google"), lookup(t, "telegram"), lookup(t, "bitly")
	good := map[string]string{"googleClientId": goodID, "googleClientSecret": goodSecret}
	c := &checker{res: map[string]wizard.CheckResult{
		"google":   {OK: true, Message: "accepted"},
		"telegram": {Message: "Unauthorized"},
		"bitly":    {Unreachable: true, Message: "timeout"},
	}}
	cands := []wizard.Candidate{
		{Provider: g, Values: good},
		{Provider: tg, Values: map[string]string{"telegramBotToken": "7123456789:AAHk3vQ9x_LmN0pRsTuVwXyZ1a2B3c4D5eF", "telegramBotName": "acme_bot"}},
		{Provider: bitly, Values: map[string]string{"bitlyToken": "0123456789abcdef0123456789abcdef01234567"}},
		{Provider: g, Values: map[string]string{"googleClientId": "nope"}},
	}
	jobs := wizard.PlanPush(context.Background(), c, cands, false)
	if c.all != 1 {
		t.Fatalf("CheckAll ran %d times, want once", c.all)
	}
	if !jobs[0].Sends() || jobs[0].Note != "" {
		t.Errorf("accepted keys: %+v", jobs[0])
	}
	if jobs[1].Sends() || jobs[1].Block.Kind != wizard.Rejected {
		t.Errorf("rejected keys are pushed: %+v", jobs[1])
	}
	if !jobs[2].Sends() || jobs[2].Note == "" {
		t.Errorf("a check with no verdict must not stop the push and must be noted: %+v", jobs[2])
	}
	if jobs[3].Sends() || jobs[3].Block.Kind != wizard.Invalid {
		t.Errorf("invalid keys are pushed: %+v", jobs[3])
	}

	c.all = 0
	jobs = wizard.PlanPush(context.Background(), c, cands, true)
	if c.all != 0 {
		t.Fatal("the override still ran the online check")
	}
	for i, j := range jobs {
		if !j.Sends() || !j.Overridden {
			t.Errorf("job %d under the override: %+v", i, j)
		}
	}
	unsaved := wizard.PlanPush(context.Background(), c, []wizard.Candidate{{Provider: g, Values: good, Unsaved: true}}, true)
	if unsaved[0].Sends() {
		t.Fatal("keys not saved are pushed with the override")
	}
}

// memProgress is a ProgressStore in memory.
type memProgress struct {
	mu sync.Mutex
	p  wizard.Progress
}

func (m *memProgress) Load() (*wizard.Progress, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cp := m.p
	return &cp, nil
}

func (m *memProgress) Update(fn func(*wizard.Progress) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return fn(&m.p)
}

func TestRecorder(t *testing.T) {
	at := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	m := &memProgress{}
	r := wizard.Recorder{Store: m, Now: func() time.Time { return at }}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	status := func() wizard.Status { return m.p.Services["google"].Status }
	must(r.Keys("google", []string{"b", "a"}, true, true))
	if status() != wizard.Valid || m.p.Services["google"].Filled[0] != "a" {
		t.Fatalf("after Keys: %+v", m.p.Services["google"])
	}
	must(r.Pushed("google", true, "pushed", true))
	if status() != wizard.Unverified || wizard.Ready(status()) {
		t.Fatalf("a push with the override counts as %q", status())
	}
	must(r.Outcome("google", wizard.KindCheck, true, "accepted"))
	must(r.Pushed("google", true, "pushed", true))
	if status() != wizard.OnPortal {
		t.Fatalf("proven keys pushed: %q", status())
	}
	must(r.Outcome("google", wizard.KindCheck, false, "rejected"))
	if status() != wizard.Problem {
		t.Fatalf("after a rejection: %q", status())
	}
	must(r.Keys("google", []string{"a"}, true, true))
	if s := m.p.Services["google"]; s.Check != nil || s.Status != wizard.Valid {
		t.Fatalf("new keys keep the old verdict: %+v", s)
	}
	if !m.p.Services["google"].Updated.Equal(at) {
		t.Fatal("the clock is not used")
	}
	must(r.SetSettings(func(s *wizard.Settings) { s.PortalRedirect = "https://portal.example.com/oauth" }))
	if r.Settings().PortalRedirect != "https://portal.example.com/oauth" {
		t.Fatal("settings not kept")
	}
	must(r.Forget("google"))
	if _, ok := m.p.Services["google"]; ok {
		t.Fatal("Forget kept the service")
	}
	if err := (wizard.Recorder{}).Keys("x", nil, true, true); err != nil {
		t.Fatal("a recorder without a store must do nothing")
	}
}

// memStore is a plain SecretStore, with no batch writes.
type memStore map[string]string

func (m memStore) Get(_ context.Context, s, f string) (string, error) {
	v, ok := m[s+"/"+f]
	if !ok {
		return "", wizard.ErrNotFound
	}
	return v, nil
}
func (m memStore) Set(_ context.Context, s, f, v string) error { m[s+"/"+f] = v; return nil }
func (m memStore) Delete(_ context.Context, s, f string) error {
	if _, ok := m[s+"/"+f]; !ok {
		return wizard.ErrNotFound
	}
	delete(m, s+"/"+f)
	return nil
}
func (m memStore) Where() string { return "memory" }

// A Save goes through even when the screen that asked for it went away.
func TestSaveKeysIsNotCancelled(t *testing.T) {
	g := lookup(t, "google")
	store := memStore{"google/googleClientSecret": "old"}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := wizard.SaveKeys(ctx, cancelAware{store}, g, map[string]string{"googleClientId": goodID}); err != nil {
		t.Fatal(err)
	}
	got, err := wizard.LoadKeys(context.Background(), store, g)
	if err != nil || len(got) != 1 || got["googleClientId"] != goodID {
		t.Fatalf("LoadKeys = %v, %v", got, err)
	}
}

// cancelAware refuses writes once the context is done, as the keyring does.
type cancelAware struct{ memStore }

func (c cancelAware) Set(ctx context.Context, s, f, v string) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return c.memStore.Set(ctx, s, f, v)
}

func (c cancelAware) Delete(ctx context.Context, s, f string) error {
	if ctx.Err() != nil {
		return errors.Join(ctx.Err())
	}
	return c.memStore.Delete(ctx, s, f)
}
