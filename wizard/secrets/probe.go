package secrets

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// probeService is the service of the entries Probe writes and deletes;
// its name cannot clash with a catalogue service because ids have no
// spaces.
const probeService = "keywizard probe"

// probeCleanup bounds the removal of the probe entry, which runs even when
// the caller's context has ended.
const probeCleanup = 10 * time.Second

// probeField names this probe's own entry: the process id and a random
// part, so that probes of processes (and goroutines) sharing one keyring
// never touch each other's entry.
func probeField() string {
	b := make([]byte, 6)
	rand.Read(b)
	return fmt.Sprintf("probe-%d-%s", os.Getpid(), hex.EncodeToString(b))
}

// UnreachableError says why the OS keyring cannot be used, in plain words,
// and where the vault file would go if the admin chooses it.
type UnreachableError struct {
	Reason    string // "the login keyring is locked", ...
	VaultPath string // "" when unknown
	Err       error  // what the keyring library said
}

func (e *UnreachableError) Error() string {
	msg := fmt.Sprintf("%v: %s. Keywizard does not fall back to a plain file. To keep the keys in a passphrase-encrypted vault file instead, set %s=vault and give the passphrase in %s (a file) or %s, or type it when asked",
		ErrUnreachable, e.Reason, EnvStore, EnvPassphraseFile, EnvPassphrase)
	if e.VaultPath != "" {
		msg += "; the vault is " + e.VaultPath
	}
	return msg
}

// Unwrap gives ErrUnreachable and the library's error.
func (e *UnreachableError) Unwrap() []error { return []error{ErrUnreachable, e.Err} }

// Probe tells whether the OS keyring works: it writes, reads back and
// deletes an entry, each call bounded by timeout (DefaultTimeout when 0).
// It returns nil or an *UnreachableError.
func Probe(ctx context.Context, timeout time.Duration) error {
	k := NewKeyring(nil)
	k.Timeout = timeout
	return probe(ctx, k)
}

// probe writes, reads back and deletes an entry of its own through k's
// backend, bypassing k's index (the probe is no secret to list). The
// delete is sent whatever happened before, even when ctx has ended: after
// a write given up on, which may still land, it is queued behind it
// without waiting.
func probe(ctx context.Context, k *Keyring) error {
	p := &Keyring{App: k.App, Timeout: k.Timeout, Limit: k.Limit, where: k.where, kr: k.kr}
	field := probeField()
	b := make([]byte, 8)
	rand.Read(b)
	want := hex.EncodeToString(b)
	err := p.Set(ctx, probeService, field, want)
	if err == nil {
		var got string
		got, err = p.Get(ctx, probeService, field)
		if err == nil && got != want {
			err = errors.New("the keyring returned another value than the one written")
		}
	}
	cleanup := func() error {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), probeCleanup)
		defer cancel()
		return p.Delete(cctx, probeService, field)
	}
	if gaveUp(err) {
		// The keyring still works on the write (or the read): the delete
		// can only run after it, so it is left to run then.
		go cleanup()
	} else if derr := cleanup(); err == nil && derr != nil && !errors.Is(derr, ErrNotFound) {
		err = derr
	}
	if err != nil {
		return &UnreachableError{Reason: Reason(err), Err: err}
	}
	return nil
}

// gaveUp reports an error of a call Keywizard stopped waiting for.
func gaveUp(err error) bool {
	return errors.Is(err, ErrTimeout) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// reasons map what go-keyring and D-Bus say to advice, first match wins.
var reasons = []struct{ text, reason string }{
	{"was not provided by any .service files", "no Secret Service on the session bus (install gnome-keyring or KeePassXC)"},
	{"ServiceUnknown", "no Secret Service on the session bus (install gnome-keyring or KeePassXC)"},
	{"dbus-launch", "no D-Bus session bus (this is not a desktop session; run inside one, or start one with dbus-run-session)"},
	{"couldn't determine address of session bus", "no D-Bus session bus (this is not a desktop session; run inside one, or start one with dbus-run-session)"},
	{"DBUS_SESSION_BUS_ADDRESS", "no D-Bus session bus (this is not a desktop session; run inside one, or start one with dbus-run-session)"},
	{"failed to unlock correct collection", "the login keyring is locked, or its unlock prompt was dismissed (unlock it in the desktop's password manager, or start gnome-keyring-daemon --unlock)"},
	{"Algorithm", "the Secret Service refused an unencrypted session (KWallet does this: use gnome-keyring or KeePassXC)"},
	{"NotSupported", "the Secret Service refused an unencrypted session (KWallet does this: use gnome-keyring or KeePassXC)"},
	{"The user name or passphrase you entered is not correct", "the macOS keychain is locked"},
	{"could not be found", "no default macOS keychain"},
}

// Reason turns a keyring failure into plain words.
func Reason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrTimeout):
		return "the OS keyring did not answer in time (an unlock prompt may be waiting on the desktop)"
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		return "this system has no keyring Keywizard can use"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "the check of the OS keyring was cancelled"
	}
	msg := err.Error()
	for _, r := range reasons {
		if strings.Contains(msg, r.text) {
			return r.reason
		}
	}
	return "the OS keyring answered with an error: " + oneLine(msg)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
