package secrets

import (
	"context"
	"path/filepath"
	"runtime"
)

// Deferred is a store that is opened on first use, so that a window can
// show itself before the keyring is probed or the vault is unlocked. Every
// call that finds the store unreachable returns the reason, and the next
// call tries again.
type Deferred struct {
	open  func(context.Context) (Store, error)
	where string
}

// NewDeferred opens the store o chooses on first use.
func NewDeferred(o Options) *Deferred {
	where := PlatformWhere(runtime.GOOS)
	if o.Kind == KindVault {
		where = "the encrypted vault file"
		if dir := o.Dir; dir != "" {
			where += " " + filepath.Join(dir, VaultFileName)
		} else if dir, err := DefaultDir(); err == nil {
			where += " " + filepath.Join(dir, VaultFileName)
		}
	}
	return &Deferred{open: Lazy(o), where: where}
}

// Where names the store without opening it.
func (d *Deferred) Where() string { return d.where }

// Get reads one field.
func (d *Deferred) Get(ctx context.Context, service, field string) (string, error) {
	s, err := d.open(ctx)
	if err != nil {
		return "", err
	}
	return s.Get(ctx, service, field)
}

// Set writes one field.
func (d *Deferred) Set(ctx context.Context, service, field, value string) error {
	s, err := d.open(ctx)
	if err != nil {
		return err
	}
	return s.Set(ctx, service, field, value)
}

// Delete removes one field.
func (d *Deferred) Delete(ctx context.Context, service, field string) error {
	s, err := d.open(ctx)
	if err != nil {
		return err
	}
	return s.Delete(ctx, service, field)
}
