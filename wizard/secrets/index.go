package secrets

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"

	"keywizard/wizard/state"
)

// IndexFileName is the keyring index inside the config directory.
const IndexFileName = "keyring-index.json"

// Index remembers which service and field names the OS keyring holds,
// because keyrings cannot list entries portably. It holds names only,
// never values, so it is a plain JSON file.
type Index struct {
	Path string
	mu   sync.Mutex
}

type indexFile struct {
	Version  int                 `json:"version"`
	Services map[string][]string `json:"services"`
}

// NewIndex uses the index file at path.
func NewIndex(path string) *Index { return &Index{Path: path} }

func (x *Index) load() (indexFile, error) {
	f := indexFile{Version: 1, Services: map[string][]string{}}
	data, err := os.ReadFile(x.Path)
	if errors.Is(err, os.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("read the keyring index: %w", err)
	}
	if err := json.Unmarshal(data, &f); err != nil || f.Services == nil {
		// Names only: rebuilding it from later writes is better than
		// refusing to work.
		return indexFile{Version: 1, Services: map[string][]string{}}, nil
	}
	return f, nil
}

func (x *Index) save(f indexFile) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := state.WriteFile(x.Path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("update the keyring index: %w", err)
	}
	return nil
}

// change adds the fields in add and removes those in del. It holds the
// index file's cross-process lock and reads the file afresh, so that
// processes sharing the keyring never drop each other's names.
func (x *Index) change(service string, add, del []string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return state.Locked(x.Path, func() error { return x.changeLocked(service, add, del) })
}

func (x *Index) changeLocked(service string, add, del []string) error {
	f, err := x.load()
	if err != nil {
		return err
	}
	before := slices.Clone(f.Services[service])
	fields := slices.DeleteFunc(slices.Clone(before), func(s string) bool { return slices.Contains(del, s) })
	for _, a := range add {
		if !slices.Contains(fields, a) {
			fields = append(fields, a)
		}
	}
	slices.Sort(fields)
	if slices.Equal(fields, before) {
		return nil
	}
	if len(fields) == 0 {
		delete(f.Services, service)
	} else {
		f.Services[service] = fields
	}
	return x.save(f)
}

// Fields lists the indexed fields of service.
func (x *Index) Fields(service string) ([]string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	f, err := x.load()
	if err != nil {
		return nil, err
	}
	out := slices.Clone(f.Services[service])
	if out == nil {
		out = []string{}
	}
	return out, nil
}

// Services lists the indexed services.
func (x *Index) Services() ([]string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	f, err := x.load()
	if err != nil {
		return nil, err
	}
	return sortedKeys(f.Services), nil
}
