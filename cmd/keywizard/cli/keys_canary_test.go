package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"keywizard/wizard"
	"keywizard/wizard/secrets"
)

// canaryToken makes a random Telegram bot token that passes the offline
// check, so that it goes all the way into the store.
func canaryToken(t *testing.T) string {
	t.Helper()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	pick := func(set string, n int) string {
		var b strings.Builder
		for range n {
			i, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
			if err != nil {
				t.Fatal(err)
			}
			b.WriteByte(set[i.Int64()])
		}
		return b.String()
	}
	return pick("123456789", 1) + pick("0123456789", 9) + ":AA" + pick(alphabet, 33)
}

// canaryHome points HOME and the config folder at a temp dir.
func canaryHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("APPDATA", filepath.Join(home, "AppData"))
	return home
}

// assertNoFileHolds walks dir and fails if any file contains secret.
func assertNoFileHolds(t *testing.T, dir, secret string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return nil
		}
		n++
		data, _ := os.ReadFile(path)
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("%s holds the secret", path)
		}
		return nil
	})
	return n
}

// canarySteps runs set, validate with stored values, list, show and
// forget, and returns everything printed.
func canarySteps(t *testing.T, run func(stdin string, args ...string) (string, int), token string) string {
	t.Helper()
	values, _ := json.Marshal(map[string]string{"telegramBotToken": token, "telegramBotName": "canary_test_bot"})
	var all strings.Builder
	steps := []struct {
		stdin string
		args  []string
	}{
		{string(values), []string{"keys", "set", "telegram", "--values", "-"}},
		{"", []string{"validate", "telegram"}},
		{"", []string{"validate", "telegram", "--json"}},
		{"", []string{"keys", "list"}},
		{"", []string{"keys", "show", "telegram"}},
		{"", []string{"keys", "show", "telegram", "--json"}},
		{"", []string{"keys", "forget", "telegram"}},
	}
	for _, s := range steps {
		for _, a := range s.args {
			if strings.Contains(a, token) {
				t.Fatal("the secret is in the arguments")
			}
		}
		out, code := run(s.stdin, s.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", s.args, code, out)
		}
		all.WriteString(out)
	}
	if !strings.Contains(all.String(), "Forgot telegram") || !strings.Contains(all.String(), "look right offline") {
		t.Fatalf("the steps did not all run:\n%s", all.String())
	}
	return all.String()
}

func TestKeysCanaryInProcess(t *testing.T) {
	kinds := []string{secrets.KindVault, secrets.KindKeyring}
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			home := canaryHome(t)
			token := canaryToken(t)
			passFile := filepath.Join(home, "vault-pass")
			os.WriteFile(passFile, []byte("canary vault passphrase\n"), 0o600)
			t.Setenv(secrets.EnvStore, kind)
			t.Setenv(secrets.EnvPassphraseFile, passFile)
			if kind == secrets.KindKeyring {
				keyring.MockInit()
			}
			open := secrets.Lazy(secrets.OptionsFromEnv(os.Getenv, nil))
			storeFn := func(ctx context.Context) (wizard.SecretStore, error) {
				s, err := open(ctx)
				if v, ok := s.(*secrets.Vault); ok {
					v.WorkFactor = 10
				}
				return s, err
			}
			runOut := func(stdin string, args ...string) (string, int) {
				var out bytes.Buffer
				d := Deps{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &out, Store: storeFn}
				code := Run(context.Background(), args, d)
				return out.String(), code
			}
			printed := canarySteps(t, runOut, token)
			if strings.Contains(printed, token) || strings.Contains(printed, token[:20]) {
				t.Fatalf("the secret was printed:\n%s", printed)
			}
			if n := assertNoFileHolds(t, home, token); n == 0 {
				t.Fatal("no file was written: the store did not run")
			}
		})
	}
}

// TestKeysCanaryBinary does the same through the real binary, with the
// vault file as the store.
func TestKeysCanaryBinary(t *testing.T) {
	bin := buildBinary(t)
	home := canaryHome(t)
	token := canaryToken(t)
	passFile := filepath.Join(home, "vault-pass")
	os.WriteFile(passFile, []byte("canary vault passphrase"), 0o600)
	env := append(os.Environ(), secrets.EnvStore+"=vault", secrets.EnvPassphraseFile+"="+passFile)
	for _, e := range env {
		if strings.Contains(e, token) {
			t.Fatal("the secret is in the environment")
		}
	}
	run := func(stdin string, args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if strings.Contains(strings.Join(cmd.Args, " "), token) {
			t.Fatal("the secret is in the process arguments")
		}
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	printed := canarySteps(t, run, token)
	if strings.Contains(printed, token) {
		t.Fatalf("the secret was printed:\n%s", printed)
	}
	if _, err := os.Stat(filepath.Join(home, ".config", "keywizard", secrets.VaultFileName)); err != nil {
		t.Fatalf("the vault file is not where it should be: %v", err)
	}
	assertNoFileHolds(t, home, token)
}
