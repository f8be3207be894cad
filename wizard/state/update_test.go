package state

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"
)

// bump is one load-modify-save step of the tests below: a shared counter
// every writer increments, and one service per writer.
func bump(f File, who string) error {
	return f.Update(func(p *Progress) error {
		n, _ := strconv.Atoi(p.Settings.LastService)
		p.Settings.LastService = strconv.Itoa(n + 1)
		p.Service(who).Step++
		return nil
	})
}

func TestUpdateFromManyGoroutines(t *testing.T) {
	f := File{Dir: t.TempDir()}
	const writers, rounds = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*rounds)
	for w := range writers {
		wg.Go(func() {
			for range rounds {
				errs <- bump(f, fmt.Sprintf("svc%d", w))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	checkCounts(t, f, writers, rounds)
}

func checkCounts(t *testing.T, f File, writers, rounds int) {
	t.Helper()
	p, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := counter(p); got != writers*rounds {
		t.Fatalf("shared counter %d, want %d: updates were lost", got, writers*rounds)
	}
	if len(p.Services) != writers {
		t.Fatalf("%d services, want %d", len(p.Services), writers)
	}
	for id, s := range p.Services {
		if s.Step != rounds {
			t.Fatalf("%s at %d, want %d", id, s.Step, rounds)
		}
	}
}

const updateChildEnv = "KEYWIZARD_STATE_UPDATE_CHILD"

// TestUpdateChild is one of the processes TestUpdateAcrossProcesses runs.
func TestUpdateChild(t *testing.T) {
	spec := os.Getenv(updateChildEnv)
	if spec == "" {
		t.Skip("run by TestUpdateAcrossProcesses")
	}
	var dir, who string
	var rounds int
	if _, err := fmt.Sscanf(spec, "%s %s %d", &dir, &who, &rounds); err != nil {
		t.Fatal(err)
	}
	for range rounds {
		if err := bump(File{Dir: dir}, who); err != nil {
			t.Fatal(err)
		}
	}
}

func TestUpdateAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	const writers, rounds = 4, 30
	cmds := make([]*exec.Cmd, writers)
	for w := range writers {
		cmd := exec.Command(os.Args[0], "-test.run=^TestUpdateChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s proc%d %d", updateChildEnv, dir, w, rounds))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[w] = cmd
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("a writer failed: %v", err)
		}
	}
	checkCounts(t, File{Dir: dir}, writers, rounds)
}

func TestUpdateRefusedWritesNothing(t *testing.T) {
	f := File{Dir: t.TempDir()}
	if err := bump(f, "google"); err != nil {
		t.Fatal(err)
	}
	no := errors.New("no")
	err := f.Update(func(p *Progress) error {
		p.Service("google").Step = 99
		return no
	})
	if !errors.Is(err, no) {
		t.Fatalf("got %v", err)
	}
	p, _ := f.Load()
	if p.Services["google"].Step != 1 {
		t.Fatal("a refused update was written")
	}
}

func TestUpdateOfDamagedFile(t *testing.T) {
	f := File{Dir: t.TempDir()}
	path, _ := f.Path()
	os.WriteFile(path, []byte("{not json"), 0o600)
	err := bump(f, "google")
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("got %v, want ErrCorrupt", err)
	}
	p, lerr := f.Load()
	if lerr != nil || p.Services["google"].Step != 1 {
		t.Fatalf("the update must be written on fresh progress: %v, %+v", lerr, p.Services)
	}
	if _, err := os.Stat(path + ".bad"); err != nil {
		t.Fatal("the damaged file was not kept")
	}
}

func TestLockWaitsAndTimesOut(t *testing.T) {
	path := t.TempDir() + "/f.json"
	unlock, err := Lock(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := lockWithin(path, 100*time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Fatalf("got %v, want ErrLocked", err)
	}
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Fatalf("gave up after %s", d)
	}
	time.AfterFunc(50*time.Millisecond, unlock)
	again, err := lockWithin(path, 5*time.Second)
	if err != nil {
		t.Fatalf("the lock was not taken once released: %v", err)
	}
	again()
}
