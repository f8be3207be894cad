package secrets

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// DefaultTimeout bounds every keyring call. It is long because the first
// call of a session may wait for the admin to type the keyring password in
// an unlock prompt.
const DefaultTimeout = 30 * time.Second

// Per-entry size limits of the OS keyrings, in bytes of value.
const (
	// WindowsLimit is Credential Manager's limit on a credential blob.
	WindowsLimit = 2560
	// MacOSLimit keeps go-keyring's `security -i` command under 4096
	// bytes: the value is base64-encoded (4/3) behind an 18-byte prefix,
	// next to the quoted service and user names. 2800 bytes leave room for
	// a 250-character portal host name in the user.
	MacOSLimit = 2800
	// NoLimit is the Secret Service's: no practical limit.
	NoLimit = 0
)

// maxChunks caps how many entries one value may take (160 KB on Windows).
const maxChunks = 64

// PlatformLimit gives the per-entry limit of goos's keyring.
func PlatformLimit(goos string) int {
	switch goos {
	case "windows":
		return WindowsLimit
	case "darwin", "ios":
		return MacOSLimit
	}
	return NoLimit
}

// PlatformWhere names goos's keyring in plain words.
func PlatformWhere(goos string) string {
	switch goos {
	case "windows":
		return "Windows Credential Manager"
	case "darwin", "ios":
		return "macOS Keychain"
	}
	return "the OS keyring (Secret Service)"
}

// backend is the part of go-keyring the store uses; tests swap it for one
// that hangs.
type backend interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

type goKeyring struct{}

func (goKeyring) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (goKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (goKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

func keyringUser(service, field string) string { return service + "/" + field }

// Keyring stores secrets in the OS keyring through go-keyring: one entry
// per field, named SERVICE/FIELD under AppID, split in chunks
// SERVICE/FIELD#1..n when a value is larger than Limit.
type Keyring struct {
	App     string        // keyring service name; AppID
	Timeout time.Duration // bound on each call, DefaultTimeout when 0
	Limit   int           // bytes per entry; 0 means no limit
	Index   *Index        // names of stored entries; nil: List and Services see nothing
	where   string
	kr      backend
	mu      sync.Mutex // one operation at a time: chunked writes are several calls
	calls   sync.WaitGroup
}

// NewKeyring returns the store for this platform, keeping its index in
// index (nil for none).
func NewKeyring(index *Index) *Keyring {
	return &Keyring{
		App: AppID, Timeout: DefaultTimeout, Limit: PlatformLimit(runtime.GOOS),
		Index: index, where: PlatformWhere(runtime.GOOS), kr: goKeyring{},
	}
}

// Where names the keyring.
func (k *Keyring) Where() string {
	if k.where == "" {
		return PlatformWhere(runtime.GOOS)
	}
	return k.where
}

func (k *Keyring) backend() backend {
	if k.kr == nil {
		return goKeyring{}
	}
	return k.kr
}

// call runs f in a goroutine and gives up when the timeout passes or ctx
// ends, so that a hung D-Bus call or an unanswered unlock prompt never
// blocks the caller. A call given up on may still finish later.
func (k *Keyring) call(ctx context.Context, what string, f func(backend) error) error {
	_, err := k.run(ctx, what, f)
	return err
}

// change is call for a write: when it gives up on a call already started,
// the error also wraps ErrMayFinish.
func (k *Keyring) change(ctx context.Context, what string, f func(backend) error) error {
	gaveUp, err := k.run(ctx, what, f)
	if gaveUp {
		return fmt.Errorf("%w; %w", err, ErrMayFinish)
	}
	return err
}

func (k *Keyring) run(ctx context.Context, what string, f func(backend) error) (gaveUp bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("%s: %w", what, err)
	}
	limit := k.Timeout
	if limit <= 0 {
		limit = DefaultTimeout
	}
	timer := time.NewTimer(limit)
	defer timer.Stop()
	done := make(chan error, 1)
	kr := k.backend()
	k.calls.Add(1)
	go func() {
		defer k.calls.Done()
		k.mu.Lock()
		defer k.mu.Unlock()
		done <- f(kr)
	}()
	select {
	case err := <-done:
		return false, err
	case <-timer.C:
		return true, fmt.Errorf("%s: %w after %s: an unlock prompt may be waiting on the desktop, or the keyring service hangs", what, ErrTimeout, limit)
	case <-ctx.Done():
		return true, fmt.Errorf("%s: %w", what, ctx.Err())
	}
}

// wait returns once every call, also those given up on, has finished.
func (k *Keyring) wait() { k.calls.Wait() }

// Get reads a value, joining its chunks.
func (k *Keyring) Get(ctx context.Context, service, field string) (string, error) {
	if err := checkName(service, field); err != nil {
		return "", err
	}
	var v string
	err := k.call(ctx, "read "+keyringUser(service, field), func(kr backend) error {
		var err error
		v, err = k.read(kr, keyringUser(service, field))
		return err
	})
	if err != nil {
		return "", err
	}
	return v, nil
}

// Set stores a value, in chunks when it is larger than Limit, and removes
// chunks left by a longer earlier value.
func (k *Keyring) Set(ctx context.Context, service, field, value string) error {
	return k.Update(ctx, service, map[string]string{field: value}, nil)
}

// Delete removes a value and its chunks; ErrNotFound when there was none.
func (k *Keyring) Delete(ctx context.Context, service, field string) error {
	if err := checkName(service, field); err != nil {
		return err
	}
	return k.change(ctx, "delete "+keyringUser(service, field), func(kr backend) error {
		err := k.remove(kr, keyringUser(service, field))
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if ierr := k.reindex(service, nil, []string{field}); ierr != nil {
			return ierr
		}
		return err
	})
}

// Update sets and deletes several fields of a service.
//
// The index follows what the keyring really holds, also when the caller
// gives up first (a timeout, a cancelled context) and the write finishes
// later: it is changed by the same background call as the keyring, after
// the keyring. The fields being written are listed before the first
// write, and those that did not make it (and were not there before) are
// taken out after, so that a write cut short by a crash leaves a field
// listed that may be absent, never a stored one unlisted.
func (k *Keyring) Update(ctx context.Context, service string, set map[string]string, del []string) error {
	for f := range set {
		if err := checkName(service, f); err != nil {
			return err
		}
	}
	for _, f := range del {
		if err := checkName(service, f); err != nil {
			return err
		}
	}
	return k.change(ctx, "write "+service, func(kr backend) error {
		fields := sortedKeys(set)
		var before []string
		if k.Index != nil {
			var err error
			if before, err = k.Index.Fields(service); err != nil {
				return err
			}
			if err := k.Index.change(service, fields, nil); err != nil {
				return err
			}
		}
		var werr error
		var gone, failed []string
		for i, f := range fields {
			if err := k.write(kr, keyringUser(service, f), set[f]); err != nil {
				werr = fmt.Errorf("store %s: %w", keyringUser(service, f), err)
				failed = fields[i:]
				break
			}
		}
		for _, f := range del {
			if werr != nil {
				break
			}
			if err := k.remove(kr, keyringUser(service, f)); err != nil && !errors.Is(err, ErrNotFound) {
				werr = fmt.Errorf("delete %s: %w", keyringUser(service, f), err)
				break
			}
			gone = append(gone, f)
		}
		failed = slices.DeleteFunc(slices.Clone(failed), func(f string) bool { return slices.Contains(before, f) })
		if ierr := k.reindex(service, nil, append(gone, failed...)); ierr != nil && werr == nil {
			werr = ierr
		}
		return werr
	})
}

// reindex changes the index, when there is one.
func (k *Keyring) reindex(service string, add, del []string) error {
	if k.Index == nil {
		return nil
	}
	return k.Index.change(service, add, del)
}

// List gives the indexed fields of a service.
func (k *Keyring) List(ctx context.Context, service string) ([]string, error) {
	if k.Index == nil {
		return []string{}, nil
	}
	return k.Index.Fields(service)
}

// Services gives the indexed services.
func (k *Keyring) Services(ctx context.Context) ([]string, error) {
	if k.Index == nil {
		return []string{}, nil
	}
	return k.Index.Services()
}
