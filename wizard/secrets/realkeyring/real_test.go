package realkeyring

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
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
