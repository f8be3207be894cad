package secrets

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestDeferredOpensOnFirstUseAndRetries(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	asked := 0
	d := NewDeferred(Options{Kind: KindVault, Dir: dir, Passphrase: func(bool) (string, error) {
		asked++
		if asked == 1 {
			return "", errors.New("no passphrase yet")
		}
		return "correct horse", nil
	}})
	if asked != 0 {
		t.Fatal("NewDeferred opened the store at once")
	}
	if want := filepath.Join(dir, VaultFileName); !strings.Contains(d.Where(), want) {
		t.Fatalf("Where() = %q, want it to name %s", d.Where(), want)
	}
	if err := d.Set(ctx, "twilio", "twilioAuthToken", "x"); err == nil || !strings.Contains(err.Error(), "no passphrase yet") {
		t.Fatalf("first Set = %v, want the opening error", err)
	}
	if err := d.Set(ctx, "twilio", "twilioAuthToken", "0123456789abcdef0123456789abcdef"); err != nil {
		t.Fatalf("second Set: %v", err)
	}
	if got, err := d.Get(ctx, "twilio", "twilioAuthToken"); err != nil || got != "0123456789abcdef0123456789abcdef" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if err := d.Delete(ctx, "twilio", "twilioAuthToken"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Get(ctx, "twilio", "twilioAuthToken"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete = %v, want ErrNotFound", err)
	}
	if asked != 2 {
		t.Fatalf("the passphrase was asked %d times, want 2 (once failed, once opened)", asked)
	}
}

func TestDeferredKeyringWhere(t *testing.T) {
	d := NewDeferred(Options{})
	if d.Where() == "" || strings.Contains(d.Where(), "vault") {
		t.Fatalf("Where() = %q", d.Where())
	}
}
