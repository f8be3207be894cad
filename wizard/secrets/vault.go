package secrets

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"filippo.io/age"

	"keywizard/wizard/state"
)

// VaultFileName is the vault inside the config directory.
const VaultFileName = "vault.age"

// DefaultWorkFactor is age's scrypt cost (2^18): about a second per write
// on a laptop, which is what makes a guessed passphrase expensive.
const DefaultWorkFactor = 18

// Vault keeps secrets in one age file encrypted with a passphrase (scrypt
// recipient), for machines without a usable OS keyring. It is used only
// when the admin chooses it. Writes are atomic and, across processes,
// one at a time (a lock file next to the vault), each re-reading the file
// first; the plain text exists only in memory.
type Vault struct {
	path       string
	passphrase string
	// WorkFactor is the scrypt cost (log2) of writes; DefaultWorkFactor
	// when 0. Tests lower it.
	WorkFactor int

	mu   sync.Mutex
	data vaultData
	sum  [32]byte // checksum of the file data was read from; zero: no file
}

type vaultData struct {
	Version  int                          `json:"version"`
	Services map[string]map[string]string `json:"services"`
}

// OpenVault opens the vault at path with passphrase, reading it when it
// exists (ErrWrongPassphrase when the passphrase does not open it). A
// missing file is created on the first write.
func OpenVault(path, passphrase string) (*Vault, error) {
	if passphrase == "" {
		return nil, errors.New("the vault needs a passphrase")
	}
	v := &Vault{path: path, passphrase: passphrase, data: emptyVault()}
	if err := v.refresh(); err != nil {
		return nil, err
	}
	return v, nil
}

func emptyVault() vaultData {
	return vaultData{Version: 1, Services: map[string]map[string]string{}}
}

// Path is where the vault file lives.
func (v *Vault) Path() string { return v.path }

// Where names the vault file.
func (v *Vault) Where() string { return "the encrypted vault file " + v.path }

// refresh rereads the file when another process changed it since.
func (v *Vault) refresh() error {
	raw, err := os.ReadFile(v.path)
	if errors.Is(err, os.ErrNotExist) {
		v.data, v.sum = emptyVault(), [32]byte{}
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the vault file: %w", err)
	}
	sum := sha256.Sum256(raw)
	if sum == v.sum {
		return nil
	}
	data, err := v.decrypt(raw)
	if err != nil {
		return err
	}
	v.data, v.sum = data, sum
	return nil
}

func (v *Vault) decrypt(raw []byte) (vaultData, error) {
	id, err := age.NewScryptIdentity(v.passphrase)
	if err != nil {
		return vaultData{}, err
	}
	r, err := age.Decrypt(bytes.NewReader(raw), id)
	var nomatch *age.NoIdentityMatchError
	if errors.As(err, &nomatch) || errors.Is(err, age.ErrIncorrectIdentity) {
		return vaultData{}, fmt.Errorf("%w %s", ErrWrongPassphrase, v.path)
	}
	if err != nil {
		return vaultData{}, fmt.Errorf("the vault file %s is damaged or not an age file: %w", v.path, err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		return vaultData{}, fmt.Errorf("the vault file %s is damaged: %w", v.path, err)
	}
	data := emptyVault()
	if err := json.Unmarshal(plain, &data); err != nil || data.Services == nil {
		return vaultData{}, fmt.Errorf("the vault file %s decrypts to something unexpected", v.path)
	}
	return data, nil
}

// save encrypts data and replaces the file atomically (mode 0600).
func (v *Vault) save(data vaultData) error {
	plain, err := json.Marshal(data)
	if err != nil {
		return err
	}
	rcpt, err := age.NewScryptRecipient(v.passphrase)
	if err != nil {
		return err
	}
	if v.WorkFactor > 0 {
		rcpt.SetWorkFactor(v.WorkFactor)
	} else {
		rcpt.SetWorkFactor(DefaultWorkFactor)
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, rcpt)
	if err != nil {
		return fmt.Errorf("encrypt the vault: %w", err)
	}
	if _, err := w.Write(plain); err != nil {
		return fmt.Errorf("encrypt the vault: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("encrypt the vault: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(v.path), 0o700); err != nil {
		return fmt.Errorf("create the vault folder: %w", err)
	}
	if err := state.WriteFile(v.path, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("write the vault: %w", err)
	}
	v.data, v.sum = data, sha256.Sum256(buf.Bytes())
	return nil
}

// Get returns a stored value or ErrNotFound.
func (v *Vault) Get(ctx context.Context, service, field string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.refresh(); err != nil {
		return "", err
	}
	val, ok := v.data.Services[service][field]
	if !ok {
		return "", ErrNotFound
	}
	return val, nil
}

// Set stores a value (one re-encryption of the file).
func (v *Vault) Set(ctx context.Context, service, field, value string) error {
	return v.Update(ctx, service, map[string]string{field: value}, nil)
}

// Delete removes a value; ErrNotFound when there was none.
func (v *Vault) Delete(ctx context.Context, service, field string) error {
	if err := checkName(service, field); err != nil {
		return err
	}
	v.mu.Lock()
	if err := v.refresh(); err != nil {
		v.mu.Unlock()
		return err
	}
	_, ok := v.data.Services[service][field]
	v.mu.Unlock()
	if !ok {
		return ErrNotFound
	}
	return v.Update(ctx, service, nil, []string{field})
}

// Update sets and deletes fields with a single write of the file.
func (v *Vault) Update(ctx context.Context, service string, set map[string]string, del []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for f := range set {
		if err := checkName(service, f); err != nil {
			return err
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	// The file's lock keeps processes sharing the vault (the window, a
	// command) from writing at once; under it the file is read afresh, so
	// that each write keeps what the others stored.
	return state.Locked(v.path, func() error { return v.updateLocked(service, set, del) })
}

func (v *Vault) updateLocked(service string, set map[string]string, del []string) error {
	if err := v.refresh(); err != nil {
		return err
	}
	next := cloneVault(v.data)
	fields := next.Services[service]
	if fields == nil {
		fields = map[string]string{}
	}
	changed := false
	for _, f := range del {
		if _, ok := fields[f]; ok {
			delete(fields, f)
			changed = true
		}
	}
	for f, val := range set {
		if old, ok := fields[f]; !ok || old != val {
			fields[f] = val
			changed = true
		}
	}
	if !changed {
		return nil
	}
	if len(fields) == 0 {
		delete(next.Services, service)
	} else {
		next.Services[service] = fields
	}
	return v.save(next)
}

func cloneVault(d vaultData) vaultData {
	out := emptyVault()
	for s, fields := range d.Services {
		m := make(map[string]string, len(fields))
		for k, val := range fields {
			m[k] = val
		}
		out.Services[s] = m
	}
	return out
}

// List gives the stored field ids of a service.
func (v *Vault) List(ctx context.Context, service string) ([]string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.refresh(); err != nil {
		return nil, err
	}
	return sortedKeys(v.data.Services[service]), nil
}

// Services gives the services with stored fields.
func (v *Vault) Services(ctx context.Context) ([]string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.refresh(); err != nil {
		return nil, err
	}
	return sortedKeys(v.data.Services), nil
}
