package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// built is the binary the tests share: it is built once per test run.
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// TestMain removes the shared binary when the tests end.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// buildBinary builds the real keywizard binary, once, into a temporary
// folder. It needs cgo (the window's toolkit does); with CGO_ENABLED=0 the
// test is skipped, and the in-process tests cover the commands. Under
// -race the binary is built with -race too, so the packages already
// compiled for the tests are reused.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	out, err := exec.Command("go", "env", "CGO_ENABLED").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	if strings.TrimSpace(string(out)) != "1" {
		t.Skip("CGO_ENABLED=0: the binary needs cgo for its window; make test builds it")
	}
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "keywizard-bin"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "keywizard")
		args := []string{"build", "-o", built.bin}
		if raceBuild {
			args = append(args, "-race")
		}
		if out, err := exec.Command("go", append(args, "keywizard/cmd/keywizard")...).CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

// TestBinaryQuietUnderCLocale: servers and containers often run with
// LANG=C.UTF-8; the toolkit must not complain about it on every command.
func TestBinaryQuietUnderCLocale(t *testing.T) {
	bin := buildBinary(t)
	var env []string
	for _, e := range os.Environ() {
		k, _, _ := strings.Cut(e, "=")
		switch k {
		case "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG":
			continue
		}
		env = append(env, e)
	}
	for _, lang := range []string{"C.UTF-8", "C", "POSIX", "en_US.UTF-8"} {
		cmd := exec.Command(bin, "version")
		cmd.Env = append(env, "LANG="+lang)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("LANG=%s: %v\n%s", lang, err, stderr.String())
		}
		if !strings.HasPrefix(string(out), "keywizard ") || stderr.Len() != 0 {
			t.Errorf("LANG=%s: stdout %q, stderr %q", lang, out, stderr.String())
		}
	}
}
