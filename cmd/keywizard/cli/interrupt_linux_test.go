package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"keywizard/wizard/outside/ptytest"
)

// TestBinaryCtrlCAtPrompts types nothing at the real binary's prompts on a
// terminal and presses Ctrl-C: each prompt ends with exit 130, nothing is
// stored, and echo is on again after a prompt that hid the typing.
func TestBinaryCtrlCAtPrompts(t *testing.T) {
	bin := buildBinary(t)
	for _, tc := range []struct {
		name   string
		env    []string
		typed  []string // answers to the prompts before the last one
		prompt string
	}{
		{"vault passphrase", nil, nil, "Vault passphrase: "},
		{"a key", []string{"KEYWIZARD_VAULT_PASSPHRASE=correct horse"}, nil, "Client ID"},
		{"a secret", []string{"KEYWIZARD_VAULT_PASSPHRASE=correct horse"}, []string{"1-abc.apps.googleusercontent.com\n"}, "Client secret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			master, tty := ptytest.Open(t)
			cfg := t.TempDir()
			cmd := exec.Command(bin, "keys", "set", "google")
			cmd.Env = append(os.Environ(), append(tc.env, "KEYWIZARD_STORE=vault", "XDG_CONFIG_HOME="+cfg, "HOME="+cfg)...)
			cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
			cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			var seen bytes.Buffer
			deadline := time.Now().Add(30 * time.Second)
			buf := make([]byte, 4096)
			typed := tc.typed
			for !strings.Contains(seen.String(), tc.prompt) {
				if len(typed) > 0 && strings.Contains(seen.String(), "Client ID") {
					_, _ = master.WriteString(typed[0])
					typed = typed[1:]
				}
				if time.Now().After(deadline) {
					t.Fatalf("no prompt %q; saw %q", tc.prompt, seen.String())
				}
				_ = master.SetReadDeadline(time.Now().Add(time.Second))
				n, _ := master.Read(buf)
				seen.Write(buf[:n])
			}
			time.Sleep(100 * time.Millisecond) // the read has begun
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Ctrl-C did not end the prompt")
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != ExitInterrupted {
				t.Fatalf("exit: %v", err)
			}
			if !ptytest.EchoOn(t, int(tty.Fd())) {
				t.Fatal("echo is off after the interrupted prompt")
			}
			if entries, _ := os.ReadDir(cfg + "/keywizard"); len(entries) > 0 {
				for _, e := range entries {
					if strings.HasPrefix(e.Name(), "vault") {
						t.Fatalf("a vault was written: %s", e.Name())
					}
				}
			}
		})
	}
}
