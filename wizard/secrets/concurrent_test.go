package secrets

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// shared is one keyring that several stores (processes, in real life)
// use at once: safe for concurrent use, each call a little slow so that
// calls interleave. A gate, when set, holds the next call of that kind
// until released and then makes it return gateErr.
type shared struct {
	mu      sync.Mutex
	m       map[string]string
	delay   time.Duration
	gateOp  string // "set" or "delete"
	gate    chan struct{}
	gateErr error
}

func newShared(delay time.Duration) *shared {
	return &shared{m: map[string]string{}, delay: delay}
}

func (s *shared) held(op string) error {
	s.mu.Lock()
	gate, gerr := s.gate, s.gateErr
	if s.gateOp != op {
		gate = nil
	}
	if gate != nil {
		s.gate = nil
	}
	s.mu.Unlock()
	if gate != nil {
		<-gate
		return gerr
	}
	time.Sleep(s.delay)
	return nil
}

func (s *shared) hold(op string, err error) chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gateOp, s.gate, s.gateErr = op, make(chan struct{}), err
	return s.gate
}

func (s *shared) Set(svc, user, pass string) error {
	if err := s.held("set"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[svc+"\x00"+user] = pass
	return nil
}

func (s *shared) Get(svc, user string) (string, error) {
	s.held("get")
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[svc+"\x00"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (s *shared) Delete(svc, user string) error {
	if err := s.held("delete"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[svc+"\x00"+user]; !ok {
		return keyring.ErrNotFound
	}
	delete(s.m, svc+"\x00"+user)
	return nil
}

func (s *shared) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

func sharedKeyring(t *testing.T, kr *shared, index string) *Keyring {
	k := &Keyring{App: AppID, Timeout: 10 * time.Second, where: "test keyring", kr: kr}
	if index != "" {
		k.Index = NewIndex(index)
	}
	t.Cleanup(k.wait)
	return k
}

func listOf(t *testing.T, k *Keyring, service string) []string {
	t.Helper()
	got, err := k.List(context.Background(), service)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestKeyringIndexFollowsLateWrites gives up on writes (timeout, cancel)
// that the keyring carries out, or fails, afterwards: the index must end
// up naming exactly what the keyring holds.
func TestKeyringIndexFollowsLateWrites(t *testing.T) {
	ctx := context.Background()
	giveUp := map[string]func(k *Keyring) (context.Context, context.CancelFunc){
		"timeout": func(k *Keyring) (context.Context, context.CancelFunc) {
			k.Timeout = 50 * time.Millisecond
			return context.WithCancel(ctx)
		},
		"cancel": func(k *Keyring) (context.Context, context.CancelFunc) {
			return context.WithTimeout(ctx, 50*time.Millisecond)
		},
	}
	for how, start := range giveUp {
		t.Run(how+" then the write lands", func(t *testing.T) {
			kr := newShared(0)
			k := sharedKeyring(t, kr, filepath.Join(t.TempDir(), IndexFileName))
			release := kr.hold("set", nil)
			cctx, cancel := start(k)
			defer cancel()
			err := k.Update(cctx, "appleid", map[string]string{"appleIdClientId": "com.example.web", "appleIdKeyId": "ABCDE12345"}, nil)
			if err == nil || !errors.Is(err, ErrMayFinish) {
				t.Fatalf("got %v, want a give-up that may still finish", err)
			}
			close(release)
			k.wait()
			k.Timeout = time.Second
			if got := listOf(t, k, "appleid"); !slices.Equal(got, []string{"appleIdClientId", "appleIdKeyId"}) {
				t.Fatalf("index = %v after the write landed", got)
			}
			if v, err := k.Get(ctx, "appleid", "appleIdKeyId"); err != nil || v != "ABCDE12345" {
				t.Fatalf("get = %q, %v", v, err)
			}
		})
		t.Run(how+" then the write fails", func(t *testing.T) {
			kr := newShared(0)
			k := sharedKeyring(t, kr, filepath.Join(t.TempDir(), IndexFileName))
			if err := k.Set(ctx, "appleid", "appleIdClientId", "com.example.web"); err != nil {
				t.Fatal(err)
			}
			release := kr.hold("set", errors.New("the keyring refused"))
			cctx, cancel := start(k)
			defer cancel()
			err := k.Update(cctx, "appleid", map[string]string{"appleIdClientId": "com.example.other", "appleIdTeamId": "TEAM123456"}, nil)
			if !errors.Is(err, ErrMayFinish) {
				t.Fatalf("got %v", err)
			}
			close(release)
			k.wait()
			if got := listOf(t, k, "appleid"); !slices.Equal(got, []string{"appleIdClientId"}) {
				t.Fatalf("index = %v: it must keep the field stored before and drop the one never stored", got)
			}
		})
		t.Run(how+" then the delete lands", func(t *testing.T) {
			kr := newShared(0)
			k := sharedKeyring(t, kr, filepath.Join(t.TempDir(), IndexFileName))
			if err := k.Update(ctx, "twilio", map[string]string{"twilioAccountSid": "AC1", "twilioAuthToken": "tok"}, nil); err != nil {
				t.Fatal(err)
			}
			release := kr.hold("delete", nil)
			cctx, cancel := start(k)
			defer cancel()
			if err := k.Update(cctx, "twilio", nil, []string{"twilioAuthToken"}); !errors.Is(err, ErrMayFinish) {
				t.Fatalf("got %v", err)
			}
			close(release)
			k.wait()
			if got := listOf(t, k, "twilio"); !slices.Equal(got, []string{"twilioAccountSid"}) {
				t.Fatalf("index = %v after the delete landed", got)
			}
		})
	}
	t.Run("a write never started is not said to finish", func(t *testing.T) {
		k := sharedKeyring(t, newShared(0), filepath.Join(t.TempDir(), IndexFileName))
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		err := k.Set(cctx, "s", "f", "v")
		if !errors.Is(err, context.Canceled) || errors.Is(err, ErrMayFinish) {
			t.Fatalf("got %v", err)
		}
	})
}

// TestProbeConcurrently runs probes of several stores (processes) on one
// keyring at the same time: every probe must pass and leave nothing.
func TestProbeConcurrently(t *testing.T) {
	kr := newShared(time.Millisecond)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for range 8 {
		wg.Go(func() {
			k := sharedKeyring(t, kr, "")
			for range 5 {
				errs <- probe(context.Background(), k)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a probe failed while others ran: %v", err)
		}
	}
	if n := kr.len(); n != 0 {
		t.Fatalf("%d probe entries left in the keyring", n)
	}
}

func TestProbeCleansUpAfterAGiveUp(t *testing.T) {
	kr := newShared(0)
	k := sharedKeyring(t, kr, "")
	k.Timeout = 50 * time.Millisecond
	release := kr.hold("set", nil)
	if err := probe(context.Background(), k); !errors.Is(err, ErrTimeout) {
		t.Fatalf("got %v", err)
	}
	close(release)
	for deadline := time.Now().Add(5 * time.Second); kr.len() != 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the probe entry stayed after a late write (%d entries)", kr.len())
		}
	}
}

func TestIndexFromManyGoroutines(t *testing.T) {
	path := filepath.Join(t.TempDir(), IndexFileName)
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			x := NewIndex(path) // an index per writer, as per process
			for i := range 10 {
				if err := x.change(fmt.Sprintf("svc%d", w), []string{fmt.Sprintf("f%02d", i)}, nil); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	checkIndex(t, path, 6, 10)
}

func checkIndex(t *testing.T, path string, services, fields int) {
	t.Helper()
	x := NewIndex(path)
	svcs, err := x.Services()
	if err != nil || len(svcs) != services {
		t.Fatalf("services = %v, %v; want %d", svcs, err, services)
	}
	for _, s := range svcs {
		if got, _ := x.Fields(s); len(got) != fields {
			t.Fatalf("%s lists %d fields, want %d: names were lost", s, len(got), fields)
		}
	}
}

func TestVaultFromManyGoroutines(t *testing.T) {
	path := filepath.Join(t.TempDir(), VaultFileName)
	var wg sync.WaitGroup
	for w := range 5 {
		wg.Go(func() {
			v := testVault(t, path, "correct horse") // a vault per writer, as per process
			for i := range 2 {
				if err := v.Set(context.Background(), fmt.Sprintf("svc%d", w), fmt.Sprintf("f%d", i), "value"); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	checkVault(t, path, 5, 2)
}

func checkVault(t *testing.T, path string, services, fields int) {
	t.Helper()
	v := testVault(t, path, "correct horse")
	ctx := context.Background()
	svcs, err := v.Services(ctx)
	if err != nil || len(svcs) != services {
		t.Fatalf("services = %v, %v; want %d: writes were lost", svcs, err, services)
	}
	for _, s := range svcs {
		if got, _ := v.List(ctx, s); len(got) != fields {
			t.Fatalf("%s holds %v, want %d fields", s, got, fields)
		}
	}
}

const childEnv = "KEYWIZARD_SECRETS_CHILD"

// TestChild is a writer process of TestAcrossProcesses: "vault DIR NAME"
// or "index DIR NAME".
func TestChild(t *testing.T) {
	spec := strings.Fields(os.Getenv(childEnv))
	if len(spec) != 3 {
		t.Skip("run by TestAcrossProcesses")
	}
	dir, who := spec[1], spec[2]
	switch spec[0] {
	case "vault":
		v := testVault(t, filepath.Join(dir, VaultFileName), "correct horse")
		for i := range 2 {
			if err := v.Set(context.Background(), who, fmt.Sprintf("f%d", i), "value"); err != nil {
				t.Fatal(err)
			}
		}
	case "index":
		x := NewIndex(filepath.Join(dir, IndexFileName))
		for i := range 15 {
			if err := x.change(who, []string{fmt.Sprintf("f%02d", i)}, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestAcrossProcesses runs parallel writers in separate processes, as
// `keys set` commands run side by side with the window.
func TestAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	for _, kind := range []string{"vault", "index"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			const writers = 4
			var cmds []*exec.Cmd
			for w := range writers {
				cmd := exec.Command(os.Args[0], "-test.run=^TestChild$", "-test.count=1")
				cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %s proc%d", childEnv, kind, dir, w))
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				cmds = append(cmds, cmd)
			}
			for _, cmd := range cmds {
				if err := cmd.Wait(); err != nil {
					t.Fatalf("a writer failed: %v", err)
				}
			}
			if kind == "vault" {
				checkVault(t, filepath.Join(dir, VaultFileName), writers, 2)
			} else {
				checkIndex(t, filepath.Join(dir, IndexFileName), writers, 15)
			}
		})
	}
}
