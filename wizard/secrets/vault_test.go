package secrets

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

func testVault(t *testing.T, path, pass string) *Vault {
	t.Helper()
	v, err := OpenVault(path, pass)
	if err != nil {
		t.Fatal(err)
	}
	v.WorkFactor = 10 // fast tests; the default is 18
	return v
}

func TestMemoryContract(t *testing.T) { contract(t, NewMemory()) }

func TestVaultContract(t *testing.T) {
	contract(t, testVault(t, filepath.Join(t.TempDir(), "vault.age"), "correct horse"))
}

func TestVaultFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "keywizard", "vault.age")
	v := testVault(t, path, "correct horse")
	sa, secret := serviceAccountJSON(t, 2048), randomSecret()
	if err := v.Update(ctx, "googlecloud", map[string]string{"json": sa}, nil); err != nil {
		t.Fatal(err)
	}
	if err := v.Set(ctx, "telegram", "telegramBotToken", secret); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("age-encryption.org/v1")) {
		t.Fatal("not an age file")
	}
	for _, plain := range []string{secret, "service_account", "telegramBotToken", "googlecloud"} {
		if bytes.Contains(raw, []byte(plain)) {
			t.Fatalf("the vault file shows %q in plain text", plain)
		}
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Fatalf("mode %v, want 0600", fi.Mode().Perm())
		}
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp")); len(left) > 0 {
		t.Fatalf("temp files left: %v", left)
	}

	// Another process (here: another Vault) sees the values and its
	// writes are seen back.
	w := testVault(t, path, "correct horse")
	if got, _ := w.Get(ctx, "googlecloud", "json"); got != sa {
		t.Fatal("reopened vault lost the service-account JSON")
	}
	if err := w.Delete(ctx, "telegram", "telegramBotToken"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Get(ctx, "telegram", "telegramBotToken"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("first vault still sees a value deleted by the second: %v", err)
	}
}

func TestVaultWrongPassphrase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "vault.age")
	v := testVault(t, path, "right one")
	if err := v.Set(ctx, "s", "f", "value"); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	fi, _ := os.Stat(path)
	time.Sleep(10 * time.Millisecond)

	_, err := OpenVault(path, "wrong one")
	if !errors.Is(err, ErrWrongPassphrase) || !strings.Contains(err.Error(), path) {
		t.Fatalf("got %v, want ErrWrongPassphrase naming the file", err)
	}
	// A vault opened right whose file is then replaced by one with
	// another passphrase refuses to write over it.
	other := filepath.Join(t.TempDir(), "other.age")
	o := testVault(t, other, "another")
	o.Set(ctx, "x", "y", "z")
	w := testVault(t, path, "right one")
	data, _ := os.ReadFile(other)
	os.WriteFile(path, data, 0o600)
	if err := w.Set(ctx, "s", "f", "new"); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("write over a foreign vault: %v", err)
	}
	os.WriteFile(path, before, 0o600)
	os.Chtimes(path, fi.ModTime(), fi.ModTime())
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("the vault file changed")
	}
	if _, err := OpenVault(path, ""); err == nil {
		t.Fatal("an empty passphrase must be refused")
	}
	os.WriteFile(path, []byte("plain text"), 0o600)
	if _, err := OpenVault(path, "right one"); err == nil || errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("a damaged file: %v", err)
	}
}

func TestPassphraseSources(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pass")
	os.WriteFile(file, []byte("from-file\n"), 0o600)
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	asked := 0
	ask := func(string) (string, error) { asked++; return "typed", nil }
	cases := []struct {
		name   string
		env    map[string]string
		ask    PassphraseAsker
		create bool
		want   string
		asks   int
	}{
		{"env first", map[string]string{EnvPassphrase: "from-env", EnvPassphraseFile: file}, ask, false, "from-env", 0},
		{"file", map[string]string{EnvPassphraseFile: file}, ask, false, "from-file", 0},
		{"terminal", nil, ask, false, "typed", 1},
		{"terminal, new vault asks twice", nil, ask, true, "typed", 2},
		{"nothing", nil, nil, false, "", 0},
		{"missing file", map[string]string{EnvPassphraseFile: filepath.Join(dir, "nope")}, ask, false, "", 0},
	}
	for _, c := range cases {
		asked = 0
		got, err := OptionsFromEnv(env(c.env), c.ask).Passphrase(c.create)
		if got != c.want || asked != c.asks || (c.want == "") != (err != nil) {
			t.Errorf("%s: %q, %v, asked %d", c.name, got, err, asked)
		}
	}
	_, err := OptionsFromEnv(env(nil), nil).Passphrase(false)
	if err == nil || !strings.Contains(err.Error(), EnvPassphraseFile) {
		t.Fatalf("the error must name %s: %v", EnvPassphraseFile, err)
	}
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pass := func(bool) (string, error) { return "pw", nil }

	keyring.MockInit()
	s, err := Open(ctx, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*Keyring); !ok {
		t.Fatalf("default store is %T", s)
	}

	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	_, err = Open(ctx, Options{Dir: dir, Kind: KindKeyring})
	var u *UnreachableError
	if !errors.As(err, &u) || u.VaultPath != filepath.Join(dir, VaultFileName) || !strings.Contains(err.Error(), u.VaultPath) {
		t.Fatalf("unreachable keyring: %v", err)
	}
	if _, statErr := os.Stat(u.VaultPath); statErr == nil {
		t.Fatal("no vault may be created without the admin choosing it")
	}

	s, err = Open(ctx, Options{Dir: dir, Kind: KindVault, Passphrase: pass})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.Where(), "the encrypted vault file ") {
		t.Fatalf("where = %q", s.Where())
	}
	if _, err := Open(ctx, Options{Dir: dir, Kind: "plain"}); err == nil {
		t.Fatal("unknown kind accepted")
	}
	keyring.MockInit()

	calls := 0
	lazy := Lazy(Options{Dir: dir, Kind: KindVault, Passphrase: func(bool) (string, error) { calls++; return "pw", nil }})
	a, _ := lazy(ctx)
	b, _ := lazy(ctx)
	if a != b || calls != 1 {
		t.Fatalf("lazy opened %d times", calls)
	}
}

func TestKeyringTimeoutFromEnv(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == EnvTimeout {
				return v
			}
			return ""
		}
	}
	if o := OptionsFromEnv(env("2m"), nil); o.Timeout != 2*time.Minute || o.Err != nil {
		t.Fatalf("2m: %v, %v", o.Timeout, o.Err)
	}
	if o := OptionsFromEnv(env(""), nil); o.Timeout != 0 || o.Err != nil {
		t.Fatalf("unset: %v, %v", o.Timeout, o.Err)
	}
	for _, bad := range []string{"soon", "-5s", "0"} {
		o := OptionsFromEnv(env(bad), nil)
		_, err := Open(context.Background(), o)
		if err == nil || !strings.Contains(err.Error(), EnvTimeout) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
