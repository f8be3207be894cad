package secrets

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"keywizard/wizard/outside"
)

// Environment variables that choose the store.
const (
	EnvStore          = "KEYWIZARD_STORE"                 // "keyring" (default) or "vault"
	EnvPassphrase     = "KEYWIZARD_VAULT_PASSPHRASE"      // the vault passphrase itself
	EnvPassphraseFile = "KEYWIZARD_VAULT_PASSPHRASE_FILE" // a file holding it
	EnvTimeout        = "KEYWIZARD_KEYRING_TIMEOUT"       // bound on each keyring call: 45s, 2m
)

// Store kinds.
const (
	KindKeyring = "keyring"
	KindVault   = "vault"
)

// Options choose and configure the store.
type Options struct {
	Kind    string        // KindKeyring ("" too) or KindVault
	Dir     string        // config folder; "" means DefaultDir
	Timeout time.Duration // keyring calls; DefaultTimeout when 0
	// Err is a setting that could not be read; Open returns it.
	Err error
	// Passphrase gives the vault passphrase; create is true when the vault
	// file does not exist yet (ask twice). Only called for the vault.
	Passphrase func(create bool) (string, error)
}

// PassphraseAsker reads a passphrase without echo, showing prompt; nil
// when there is no terminal.
type PassphraseAsker func(prompt string) (string, error)

// OptionsFromEnv reads KEYWIZARD_STORE, KEYWIZARD_KEYRING_TIMEOUT and the
// passphrase variables. Without a passphrase in the environment, ask is
// used (nil: none).
func OptionsFromEnv(getenv func(string) string, ask PassphraseAsker) Options {
	o := Options{
		Kind: strings.ToLower(strings.TrimSpace(getenv(EnvStore))),
		Passphrase: func(create bool) (string, error) {
			return passphrase(getenv, ask, create)
		},
	}
	if v := strings.TrimSpace(getenv(EnvTimeout)); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			o.Err = fmt.Errorf("%s=%q: give a duration such as 45s or 2m", EnvTimeout, v)
		}
		o.Timeout = d
	}
	return o
}

func passphrase(getenv func(string) string, ask PassphraseAsker, create bool) (string, error) {
	if p := getenv(EnvPassphrase); p != "" {
		return p, nil
	}
	if path := getenv(EnvPassphraseFile); path != "" {
		// Bounded: the variable may name a device or a FIFO that never ends.
		b, err := outside.ReadFile(context.Background(), path, outside.MaxLine, "the passphrase file")
		if errors.Is(err, outside.ErrTooLarge) {
			return "", fmt.Errorf("read the vault passphrase from %s: %w", EnvPassphraseFile, err)
		}
		if err != nil {
			return "", fmt.Errorf("read the vault passphrase from %s: %w", EnvPassphraseFile, errors.Unwrap(err))
		}
		p := strings.TrimRight(string(b), "\r\n")
		if p == "" {
			return "", fmt.Errorf("the file in %s is empty", EnvPassphraseFile)
		}
		return p, nil
	}
	if ask == nil {
		return "", fmt.Errorf("the vault needs a passphrase: put it in a file named by %s (or in %s), or run on a terminal to type it", EnvPassphraseFile, EnvPassphrase)
	}
	p, err := ask("Vault passphrase: ")
	if err != nil {
		return "", err
	}
	if p == "" {
		return "", errors.New("the vault passphrase is empty")
	}
	if create {
		again, err := ask("The vault is new; type the passphrase again: ")
		if err != nil {
			return "", err
		}
		if again != p {
			return "", errors.New("the two passphrases differ; nothing was created")
		}
	}
	return p, nil
}

// Open returns the store the options choose. The keyring is probed first:
// when it does not work the error (an *UnreachableError) explains why and
// how to use the vault instead. There is never a silent fallback.
func Open(ctx context.Context, o Options) (Store, error) {
	if o.Err != nil {
		return nil, o.Err
	}
	dir := o.Dir
	if dir == "" {
		var err error
		if dir, err = DefaultDir(); err != nil {
			return nil, err
		}
	}
	vaultPath := filepath.Join(dir, VaultFileName)
	switch o.Kind {
	case "", KindKeyring:
		k := NewKeyring(NewIndex(filepath.Join(dir, IndexFileName)))
		if o.Timeout > 0 {
			k.Timeout = o.Timeout
		}
		if err := probe(ctx, k); err != nil {
			var u *UnreachableError
			if errors.As(err, &u) {
				u.VaultPath = vaultPath
			}
			return nil, err
		}
		return k, nil
	case KindVault:
		if o.Passphrase == nil {
			return nil, errors.New("the vault needs a passphrase")
		}
		_, statErr := os.Stat(vaultPath)
		p, err := o.Passphrase(errors.Is(statErr, os.ErrNotExist))
		if err != nil {
			return nil, err
		}
		v, err := OpenVault(vaultPath, p)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
	return nil, fmt.Errorf("%s=%q: use %q or %q", EnvStore, o.Kind, KindKeyring, KindVault)
}

// Lazy opens the store on first use and keeps it; a failed open is tried
// again on the next call.
func Lazy(o Options) func(context.Context) (Store, error) {
	var mu sync.Mutex
	var s Store
	return func(ctx context.Context) (Store, error) {
		mu.Lock()
		defer mu.Unlock()
		if s != nil {
			return s, nil
		}
		var err error
		s, err = Open(ctx, o)
		if err != nil {
			s = nil
		}
		return s, err
	}
}
