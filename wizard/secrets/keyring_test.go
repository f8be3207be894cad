package secrets

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/zalando/go-keyring"
)

// These tests swap go-keyring's global provider for its mock: none may
// run in parallel, and the real-keyring tests live in another package.

func TestKeyringContract(t *testing.T) {
	contract(t, mockKeyring(t, WindowsLimit))
}

func TestChunkingPerPlatform(t *testing.T) {
	sa := serviceAccountJSON(t, 2048)
	if n := len(sa); n < 2000 || n > 2600 {
		t.Fatalf("service-account JSON is %d bytes, want about 2.3 KB", n)
	}
	big := serviceAccountJSON(t, 4096)
	p8 := appleP8(t)
	platforms := []struct {
		name  string
		limit int
	}{
		{"windows", WindowsLimit},
		{"macos", MacOSLimit},
		{"linux", NoLimit},
		{"tiny", 100}, // many chunks
	}
	values := map[string]string{"googlecloud/json": sa, "googlecloud/big": big, "appleid/p8": p8}
	for _, pl := range platforms {
		t.Run(pl.name, func(t *testing.T) {
			k := mockKeyring(t, pl.limit)
			ctx := context.Background()
			for name, v := range values {
				svc, field, _ := strings.Cut(name, "/")
				if err := k.Set(ctx, svc, field, v); err != nil {
					t.Fatalf("set %s (%d bytes): %v", name, len(v), err)
				}
				got, err := k.Get(ctx, svc, field)
				if err != nil || got != v {
					t.Fatalf("round trip of %s (%d bytes) failed: %v", name, len(v), err)
				}
				n := chunksOf(t, k, name)
				wantChunked := pl.limit > 0 && len(v) > pl.limit
				if (n > 0) != wantChunked {
					t.Fatalf("%s (%d bytes, limit %d): %d chunks", name, len(v), pl.limit, n)
				}
			}
		})
	}
}

// chunksOf counts the chunk entries of user in the mock, checking the
// header agrees.
func chunksOf(t *testing.T, k *Keyring, user string) int {
	t.Helper()
	n := 0
	for ; ; n++ {
		if _, err := keyring.Get(k.App, chunkUser(user, n+1)); err != nil {
			break
		}
	}
	head, err := keyring.Get(k.App, user)
	if err != nil {
		if n > 0 {
			t.Fatalf("%s: %d chunks without a header", user, n)
		}
		return 0
	}
	h, ok := parseHeader(head)
	if ok != (n > 0) || h.n != n {
		t.Fatalf("%s: header %q but %d chunks", user, head, n)
	}
	return n
}

func TestChunkStaleAndDelete(t *testing.T) {
	k := mockKeyring(t, WindowsLimit)
	ctx := context.Background()
	long := serviceAccountJSON(t, 8192) // about 7 KB: 3 chunks
	if err := k.Set(ctx, "googlecloud", "json", long); err != nil {
		t.Fatal(err)
	}
	if n := chunksOf(t, k, "googlecloud/json"); n != 3 {
		t.Fatalf("%d chunks, want 3", n)
	}
	medium := serviceAccountJSON(t, 4096)
	if err := k.Set(ctx, "googlecloud", "json", medium); err != nil {
		t.Fatal(err)
	}
	if n := chunksOf(t, k, "googlecloud/json"); n != 2 {
		t.Fatalf("after a shorter value: %d chunks, want 2", n)
	}
	if err := k.Set(ctx, "googlecloud", "json", "short"); err != nil {
		t.Fatal(err)
	}
	if n := chunksOf(t, k, "googlecloud/json"); n != 0 {
		t.Fatalf("after a short value: %d chunks left", n)
	}
	if got, _ := k.Get(ctx, "googlecloud", "json"); got != "short" {
		t.Fatalf("got %q", got)
	}
	if err := k.Set(ctx, "googlecloud", "json", long); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete(ctx, "googlecloud", "json"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 4; i++ {
		if _, err := keyring.Get(k.App, chunkUser("googlecloud/json", i)); !errors.Is(err, keyring.ErrNotFound) {
			t.Fatalf("chunk %d survived the delete", i)
		}
	}
	if _, err := k.Get(ctx, "googlecloud", "json"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestChunkEdgeCases(t *testing.T) {
	ctx := context.Background()
	t.Run("value that looks like a header", func(t *testing.T) {
		k := mockKeyring(t, NoLimit)
		v := headerPrefix + "n=1 len=3 sha256=0000000000000000"
		if err := k.Set(ctx, "s", "f", v); err != nil {
			t.Fatal(err)
		}
		if got, err := k.Get(ctx, "s", "f"); err != nil || got != v {
			t.Fatalf("got %q, %v", got, err)
		}
	})
	t.Run("multibyte runes stay whole", func(t *testing.T) {
		k := mockKeyring(t, 71)
		v := strings.Repeat("ключ", 75)
		if err := k.Set(ctx, "s", "f", v); err != nil {
			t.Fatal(err)
		}
		for i := 1; ; i++ {
			part, err := keyring.Get(k.App, chunkUser("s/f", i))
			if err != nil {
				break
			}
			if !utf8.ValidString(part) {
				t.Fatalf("chunk %d cuts a rune", i)
			}
		}
		if got, _ := k.Get(ctx, "s", "f"); got != v {
			t.Fatal("round trip failed")
		}
	})
	t.Run("a lost chunk is an error, not a shorter value", func(t *testing.T) {
		k := mockKeyring(t, 100)
		if err := k.Set(ctx, "s", "f", strings.Repeat("a", 350)); err != nil {
			t.Fatal(err)
		}
		keyring.Delete(k.App, chunkUser("s/f", 2))
		if _, err := k.Get(ctx, "s", "f"); err == nil || errors.Is(err, ErrNotFound) {
			t.Fatalf("got %v, want a clear error", err)
		}
		keyring.Set(k.App, chunkUser("s/f", 2), strings.Repeat("b", 100))
		if _, err := k.Get(ctx, "s", "f"); err == nil {
			t.Fatal("a changed chunk must fail the checksum")
		}
	})
	t.Run("too big", func(t *testing.T) {
		k := mockKeyring(t, 10)
		err := k.Set(ctx, "s", "f", strings.Repeat("a", 10*maxChunks+1))
		if !errors.Is(err, ErrTooBig) {
			t.Fatalf("got %v, want ErrTooBig", err)
		}
	})
	t.Run("backend refuses the size", func(t *testing.T) {
		k := mockKeyring(t, 0)
		k.kr = &limited{limit: 50} // the store believes there is no limit
		if err := k.Set(ctx, "s", "f", strings.Repeat("a", 51)); !errors.Is(err, ErrTooBig) {
			t.Fatalf("got %v, want ErrTooBig", err)
		}
	})
}

func TestKeyringIndexHoldsNamesOnly(t *testing.T) {
	k := mockKeyring(t, WindowsLimit)
	ctx := context.Background()
	secret := randomSecret()
	if err := k.Set(ctx, "telegram", "telegramBotToken", secret); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(k.Index.Path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), secret) || !strings.Contains(string(data), "telegramBotToken") {
		t.Fatalf("index = %s", data)
	}
	// A damaged index is rebuilt, not fatal.
	os.WriteFile(k.Index.Path, []byte("{not json"), 0o600)
	if got, err := k.List(ctx, "telegram"); err != nil || len(got) != 0 {
		t.Fatalf("list with a damaged index = %v, %v", got, err)
	}
	if err := k.Set(ctx, "telegram", "telegramBotToken", secret); err != nil {
		t.Fatal(err)
	}
	if got, _ := k.List(ctx, "telegram"); len(got) != 1 {
		t.Fatalf("list = %v", got)
	}
}

// hang is a backend whose calls never return until released.
type hang struct{ release chan struct{} }

func (h hang) Set(s, u, p string) error        { <-h.release; return nil }
func (h hang) Get(s, u string) (string, error) { <-h.release; return "", keyring.ErrNotFound }
func (h hang) Delete(s, u string) error        { <-h.release; return nil }

func TestKeyringTimeout(t *testing.T) {
	h := hang{release: make(chan struct{})}
	defer close(h.release)
	k := mockKeyring(t, NoLimit)
	k.kr = h
	k.Timeout = 150 * time.Millisecond

	start := time.Now()
	_, err := k.Get(context.Background(), "s", "f")
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "150ms") {
		t.Fatalf("got %v, want a timeout naming 150ms", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %s", d)
	}

	ctx, cancel := context.WithCancel(context.Background())
	k.Timeout = time.Hour
	time.AfterFunc(50*time.Millisecond, cancel)
	start = time.Now()
	if err := k.Set(ctx, "s", "f", "v"); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("cancel took %s", d)
	}
	if r := Reason(fmt.Errorf("x: %w", ErrTimeout)); !strings.Contains(r, "unlock prompt") {
		t.Fatalf("reason = %q", r)
	}
}

func TestProbe(t *testing.T) {
	keyring.MockInit()
	if err := Probe(context.Background(), time.Second); err != nil {
		t.Fatalf("probe on a working keyring: %v", err)
	}
	cases := []struct{ lib, want string }{
		{"The name org.freedesktop.secrets was not provided by any .service files", "no Secret Service on the session bus (install gnome-keyring or KeePassXC)"},
		{`exec: "dbus-launch": executable file not found in $PATH`, "no D-Bus session bus"},
		{"failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'", "the login keyring is locked"},
		{"unsupported platform: plan9", "no keyring Keywizard can use"},
		{"something new", "the OS keyring answered with an error: store keywizard probe/probe-"},
	}
	for _, c := range cases {
		lib := errors.New(c.lib)
		if c.lib == "unsupported platform: plan9" {
			lib = keyring.ErrUnsupportedPlatform
		}
		keyring.MockInitWithError(lib)
		err := Probe(context.Background(), time.Second)
		var u *UnreachableError
		if !errors.As(err, &u) || !errors.Is(err, ErrUnreachable) {
			t.Fatalf("%s: got %v", c.lib, err)
		}
		if !strings.Contains(u.Reason, c.want) {
			t.Errorf("%s: reason %q, want %q", c.lib, u.Reason, c.want)
		}
		if !strings.Contains(err.Error(), EnvStore+"=vault") {
			t.Errorf("the error must explain the vault option: %v", err)
		}
	}
	keyring.MockInit()
}

func TestPlatformNames(t *testing.T) {
	for goos, want := range map[string]string{
		"linux": "the OS keyring (Secret Service)", "windows": "Windows Credential Manager", "darwin": "macOS Keychain",
	} {
		if got := PlatformWhere(goos); got != want {
			t.Errorf("%s: %q", goos, got)
		}
	}
	if PlatformLimit("windows") != 2560 || PlatformLimit("linux") != 0 || PlatformLimit("darwin") > 3000 {
		t.Fatal("limits")
	}
}
