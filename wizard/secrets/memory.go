package secrets

import (
	"context"
	"sort"
	"sync"
)

// Memory is an in-memory Store for tests of other packages. It is safe for
// concurrent use and forgets everything when dropped.
type Memory struct {
	mu sync.Mutex
	m  map[string]map[string]string
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory { return &Memory{m: map[string]map[string]string{}} }

// Get returns a stored value or ErrNotFound.
func (s *Memory) Get(ctx context.Context, service, field string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[service][field]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set stores a value.
func (s *Memory) Set(ctx context.Context, service, field, value string) error {
	return s.Update(ctx, service, map[string]string{field: value}, nil)
}

// Delete removes a value; ErrNotFound when there was none.
func (s *Memory) Delete(ctx context.Context, service, field string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkName(service, field); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[service][field]; !ok {
		return ErrNotFound
	}
	s.remove(service, field)
	return nil
}

func (s *Memory) remove(service, field string) {
	delete(s.m[service], field)
	if len(s.m[service]) == 0 {
		delete(s.m, service)
	}
}

// Update sets and deletes fields of a service at once.
func (s *Memory) Update(ctx context.Context, service string, set map[string]string, del []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for f := range set {
		if err := checkName(service, f); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range del {
		s.remove(service, f)
	}
	for f, v := range set {
		if s.m[service] == nil {
			s.m[service] = map[string]string{}
		}
		s.m[service][f] = v
	}
	return nil
}

// List gives the stored field ids of a service.
func (s *Memory) List(ctx context.Context, service string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sortedKeys(s.m[service]), nil
}

// Services gives the services with stored fields.
func (s *Memory) Services(ctx context.Context) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sortedKeys(s.m), nil
}

// Where says the values live in memory only.
func (s *Memory) Where() string { return "memory (nothing is kept)" }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
