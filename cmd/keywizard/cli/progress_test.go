package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"keywizard/wizard"
	"keywizard/wizard/secrets"
	"keywizard/wizard/state"
)

func TestKeysSetAndForgetRecordProgress(t *testing.T) {
	dir := t.TempDir()
	file := state.Store{File: state.File{Dir: dir}}
	store := secrets.NewMemory()
	run := func(stdin string, args ...string) int {
		var out, errb bytes.Buffer
		d := Deps{
			Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Version: "test",
			IsTerminal: func() bool { return false }, Progress: file,
			Store: func(context.Context) (wizard.SecretStore, error) { return store, nil },
		}
		code := Run(context.Background(), args, d)
		if strings.Contains(out.String()+errb.String(), "warning") {
			t.Errorf("unexpected warning: %s", errb.String())
		}
		return code
	}
	good := keyExamples(t, "telegram")
	if code := run(toJSON(t, good), "keys", "set", "telegram", "--values", "-"); code != ExitOK {
		t.Fatalf("keys set = %d", code)
	}
	p, err := file.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := p.Services["telegram"]
	if s == nil || s.Status != wizard.Valid || s.Updated.IsZero() {
		t.Fatalf("after keys set: %+v", s)
	}
	var want []string
	for k := range good {
		want = append(want, k)
	}
	slices.Sort(want)
	if !slices.Equal(s.Filled, want) {
		t.Fatalf("filled = %v, want %v", s.Filled, want)
	}
	data, _ := os.ReadFile(filepath.Join(dir, state.FileName))
	for _, v := range good {
		if len(v) > 6 && strings.Contains(string(data), v) {
			t.Fatalf("the progress file holds a value")
		}
	}

	// A verdict reached earlier is void once the keys change.
	if err := file.Update(func(p *wizard.Progress) error {
		p.Services["telegram"].Check = &wizard.Outcome{OK: true, Message: "bot found"}
		p.Services["telegram"].Status = wizard.Verified
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if code := run(toJSON(t, good), "keys", "set", "telegram", "--values", "-"); code != ExitOK {
		t.Fatal("same keys again")
	}
	p, _ = file.Load()
	if s := p.Services["telegram"]; s.Status != wizard.Verified || s.Check == nil {
		t.Fatalf("storing the same keys again voided the verdict: %+v", s)
	}
	if code := run(`{"telegramBotName":"otherbot"}`, "keys", "set", "telegram", "--values", "-"); code != ExitOK {
		t.Fatal("changed bot name")
	}
	p, _ = file.Load()
	if s := p.Services["telegram"]; s.Status != wizard.Valid || s.Check != nil {
		t.Fatalf("new keys kept the old verdict: %+v", s)
	}

	if code := run("", "keys", "forget", "telegram"); code != ExitOK {
		t.Fatal("forget")
	}
	p, _ = file.Load()
	if _, ok := p.Services["telegram"]; ok {
		t.Fatal("forget left the service's progress")
	}
}
