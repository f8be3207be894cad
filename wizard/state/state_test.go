package state

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"keywizard/wizard"
)

func TestLoadMissingAndRoundTrip(t *testing.T) {
	f := File{Dir: t.TempDir()}
	p, err := f.Load()
	if err != nil || len(p.Services) != 0 {
		t.Fatalf("missing file: %v, %v", p, err)
	}
	p.Settings = Settings{PortalRedirect: "https://portal.example.com/oauth2.aspx", LastService: "google"}
	now := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	s := p.Service("google")
	s.Step, s.Status = 2, wizard.InProgress
	s.Push = &Outcome{OK: true, Message: "on the portal", At: now}
	if err := f.Save(p); err != nil {
		t.Fatal(err)
	}
	q, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	if q.Settings != p.Settings || q.Services["google"].Step != 2 || !q.Services["google"].Push.At.Equal(now) {
		t.Fatalf("round trip: %+v", q)
	}
	path, _ := f.Path()
	if fi, _ := os.Stat(path); fi.Mode().Perm()&0o077 != 0 {
		t.Fatalf("mode %v", fi.Mode())
	}
}

func TestCorruptFileMovedAside(t *testing.T) {
	for _, bad := range []string{"{\"version\": 1, \"servi", "", "[]", "null", "\x00\x01"} {
		f := File{Dir: t.TempDir()}
		path, _ := f.Path()
		os.WriteFile(path, []byte(bad), 0o600)
		p, err := f.Load()
		if !errors.Is(err, ErrCorrupt) || p == nil || len(p.Services) != 0 {
			t.Fatalf("%q: %v, %v", bad, p, err)
		}
		if !strings.Contains(err.Error(), path+".bad") {
			t.Fatalf("the report must say where the file went: %v", err)
		}
		if got, _ := os.ReadFile(path + ".bad"); string(got) != bad {
			t.Fatalf("%q: the damaged file was not kept", bad)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Fatal("the damaged file is still in place")
		}
		if err := f.Save(p); err != nil {
			t.Fatal(err)
		}
	}
}

const childEnv = "KEYWIZARD_STATE_CRASH_CHILD"

// TestCrashChild is the writer TestCrashSafety kills: it saves progress in
// a tight loop, each state consistent (every service at the same counter),
// and says "ready" once the first save is on disk.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(childEnv)
	if dir == "" {
		t.Skip("run by TestCrashSafety")
	}
	f := File{Dir: dir}
	p, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	start := counter(p)
	for i := start + 1; ; i++ {
		for _, id := range []string{"google", "s3", "telegram", "twilio", "dropbox"} {
			s := p.Service(id)
			s.Step = i
			s.Filled = []string{"a", "b", strconv.Itoa(i)}
			s.Updated = time.Now()
		}
		p.Settings.LastService = strconv.Itoa(i)
		if err := f.Save(p); err != nil {
			t.Fatal(err)
		}
		if i == start+1 {
			fmt.Println("ready")
		}
	}
}

func counter(p *Progress) int {
	n, _ := strconv.Atoi(p.Settings.LastService)
	return n
}

// TestCrashSafety kills a writer with SIGKILL at random moments; each time
// the file must parse and hold one complete state, no older than the last.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	f := File{Dir: dir}
	last := 0
	for round := 0; round < 8; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+dir)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan bool, 1)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if sc.Text() == "ready" {
					ready <- true
				}
			}
			ready <- false
		}()
		select {
		case ok := <-ready:
			if !ok {
				cmd.Wait()
				t.Fatal("the writer ended before its first save")
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Fatal("the writer never became ready")
		}
		time.Sleep(time.Duration(rand.IntN(150)) * time.Millisecond)
		cmd.Process.Kill() // SIGKILL on Unix
		cmd.Wait()

		p, err := f.Load()
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		n := counter(p)
		if n < last || n == 0 {
			t.Fatalf("round %d: counter %d after %d", round, n, last)
		}
		for id, s := range p.Services {
			if s.Step != n || len(s.Filled) != 3 || s.Filled[2] != strconv.Itoa(n) {
				t.Fatalf("round %d: %s is at %d, the file at %d: a mixed state", round, id, s.Step, n)
			}
		}
		if len(p.Services) != 5 {
			t.Fatalf("round %d: %d services", round, len(p.Services))
		}
		t.Logf("round %d: killed after %d saves in total", round, n)
		last = n
	}
	if _, err := os.Stat(filepath.Join(dir, FileName+".bad")); err == nil {
		t.Fatal("a save was seen damaged")
	}
}
