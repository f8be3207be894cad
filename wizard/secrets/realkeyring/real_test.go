package realkeyring

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"keywizard/wizard/secrets"
)

// testApp keeps these entries apart from the admin's real ones when the
// tests run on a desktop.
const testApp = "io.keywizard.app.test"

func needReal(t *testing.T) {
	t.Helper()
	if os.Getenv("KEYRING_REAL") != "1" {
		t.Skip("set KEYRING_REAL=1 inside a D-Bus session with an unlocked keyring (make test does) to test the real OS keyring")
	}
}

func store(t *testing.T, limit int) *secrets.Keyring {
	t.Helper()
	k := secrets.NewKeyring(secrets.NewIndex(filepath.Join(t.TempDir(), secrets.IndexFileName)))
	k.App = testApp
	k.Limit = limit
	k.Timeout = 10 * time.Second
	return k
}

func random(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

func TestRealProbe(t *testing.T) {
	needReal(t)
	start := time.Now()
	if err := secrets.Probe(context.Background(), 10*time.Second); err != nil {
		t.Fatalf("probe: %v", err)
	}
	t.Logf("probe took %s", time.Since(start))
}

func TestRealSetGetDelete(t *testing.T) {
	needReal(t)
	ctx := context.Background()
	k := store(t, secrets.NoLimit)
	secret := "GOCSPX-" + random(21)
	start := time.Now()
	if err := k.Set(ctx, "google", "googleClientSecret", secret); err != nil {
		t.Fatal(err)
	}
	got, err := k.Get(ctx, "google", "googleClientSecret")
	if err != nil || got != secret {
		t.Fatalf("get = %v", err)
	}
	if err := k.Set(ctx, "google", "googleClientSecret", "changed"); err != nil {
		t.Fatal(err)
	}
	if got, _ := k.Get(ctx, "google", "googleClientSecret"); got != "changed" {
		t.Fatal("overwrite failed")
	}
	if l, _ := k.List(ctx, "google"); !slices.Equal(l, []string{"googleClientSecret"}) {
		t.Fatalf("list = %v", l)
	}
	if err := k.Delete(ctx, "google", "googleClientSecret"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(ctx, "google", "googleClientSecret"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	if err := k.Delete(ctx, "google", "googleClientSecret"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	t.Logf("set, get, overwrite, get, delete, get, delete took %s", time.Since(start))
}

// TestRealChunks stores values larger than Windows' limit on the real
// backend, checking the entries it leaves with go-keyring directly.
func TestRealChunks(t *testing.T) {
	needReal(t)
	ctx := context.Background()
	k := store(t, secrets.WindowsLimit)
	long := strings.Repeat(random(1500), 3) // about 6 KB: 3 chunks
	start := time.Now()
	if err := k.Set(ctx, "googlecloud", "json", long); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(ctx, "googlecloud", "json"); err != nil || got != long {
		t.Fatalf("round trip: %v", err)
	}
	t.Logf("a %d-byte value in chunks: set and get took %s", len(long), time.Since(start))
	for i := 1; i <= 3; i++ {
		part, err := keyring.Get(testApp, fmt.Sprintf("googlecloud/json#%d", i))
		if err != nil || len(part) > secrets.WindowsLimit {
			t.Fatalf("chunk %d: %d bytes, %v", i, len(part), err)
		}
	}
	if err := k.Set(ctx, "googlecloud", "json", "short"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if _, err := keyring.Get(testApp, fmt.Sprintf("googlecloud/json#%d", i)); !errors.Is(err, keyring.ErrNotFound) {
			t.Fatalf("stale chunk %d after a short value: %v", i, err)
		}
	}
	if err := k.Set(ctx, "googlecloud", "json", long); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete(ctx, "googlecloud", "json"); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"googlecloud/json", "googlecloud/json#1", "googlecloud/json#3"} {
		if _, err := keyring.Get(testApp, u); !errors.Is(err, keyring.ErrNotFound) {
			t.Fatalf("%s survived the delete: %v", u, err)
		}
	}
}

func TestRealOpenAndVault(t *testing.T) {
	needReal(t)
	ctx := context.Background()
	dir := t.TempDir()
	s, err := secrets.Open(ctx, secrets.Options{Dir: dir})
	if err != nil {
		t.Fatalf("open the keyring store: %v", err)
	}
	if s.Where() != secrets.PlatformWhere("linux") && !strings.Contains(s.Where(), "Keychain") && !strings.Contains(s.Where(), "Credential") {
		t.Fatalf("where = %q", s.Where())
	}
	v, err := secrets.Open(ctx, secrets.Options{Dir: dir, Kind: secrets.KindVault, Passphrase: func(bool) (string, error) { return "ci-vault", nil }})
	if err != nil {
		t.Fatal(err)
	}
	v.(*secrets.Vault).WorkFactor = 10
	secret := random(30)
	if err := v.Set(ctx, "twilio", "twilioAuthToken", secret); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, secrets.VaultFileName))
	if strings.Contains(string(raw), secret) {
		t.Fatal("the vault holds the value in plain text")
	}
	if _, err := secrets.OpenVault(filepath.Join(dir, secrets.VaultFileName), "wrong"); !errors.Is(err, secrets.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	// The keyring store never fell back to the vault.
	if _, err := s.Get(ctx, "twilio", "twilioAuthToken"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("keyring sees a vault value: %v", err)
	}
}

const childEnv = "KEYWIZARD_REAL_CHILD"

// TestRealChild is one of the processes of TestRealSideBySide: it opens
// the store (which probes the keyring) and stores a field of its own
// service, the way `keys set` does.
func TestRealChild(t *testing.T) {
	spec := strings.Fields(os.Getenv(childEnv))
	if len(spec) != 2 {
		t.Skip("run by TestRealSideBySide")
	}
	dir, who := spec[0], spec[1]
	ctx := context.Background()
	for range 3 {
		if _, err := secrets.Open(ctx, secrets.Options{Dir: dir, Timeout: 20 * time.Second}); err != nil {
			t.Fatalf("open while other processes open too: %v", err)
		}
	}
	k := secrets.NewKeyring(secrets.NewIndex(filepath.Join(dir, secrets.IndexFileName)))
	k.App = testApp
	if err := k.Update(ctx, who, map[string]string{"a": "value of " + who, "b": random(12)}, nil); err != nil {
		t.Fatal(err)
	}
}

// TestRealSideBySide runs several processes on one real keyring at once:
// each probe must pass, and the index must name every stored field.
func TestRealSideBySide(t *testing.T) {
	needReal(t)
	dir := t.TempDir()
	const procs = 4
	var cmds []*exec.Cmd
	for i := range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRealChild$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s side%d", childEnv, dir, i))
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
		t.Cleanup(func() {
			if t.Failed() {
				t.Log(out.String())
			}
		})
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("a process failed: %v", err)
		}
	}
	ctx := context.Background()
	k := store(t, secrets.NoLimit)
	k.Index = secrets.NewIndex(filepath.Join(dir, secrets.IndexFileName))
	for i := range procs {
		who := fmt.Sprintf("side%d", i)
		if got, _ := k.List(ctx, who); !slices.Equal(got, []string{"a", "b"}) {
			t.Errorf("%s: index lists %v", who, got)
		}
		if v, err := k.Get(ctx, who, "a"); err != nil || v != "value of "+who {
			t.Errorf("%s: get = %q, %v", who, v, err)
		}
		k.Update(ctx, who, nil, []string{"a", "b"})
	}
}
