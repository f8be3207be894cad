package check

import (
	"context"
	"sync"

	"keywizard/wizard"
)

// Settings is a Checker that follows the shared settings: every check uses
// the portal's Redirect URL as Redirect reports it at that moment, so that
// a change made in the window reaches the next check of either face.
type Settings struct {
	Redirect func() string // the portal's Redirect URL; "" for the default
	Options  []Option      // further options for every Checker it makes

	mu  sync.Mutex
	url string
	k   *Checker
}

var _ wizard.Checker = (*Settings)(nil)

func (s *Settings) current() *Checker {
	u := ""
	if s.Redirect != nil {
		u = s.Redirect()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.k == nil || u != s.url {
		opts := s.Options
		if u != "" {
			opts = append(append([]Option{}, opts...), WithRedirectURL(u))
		}
		s.k, s.url = New(opts...), u
	}
	return s.k
}

// Check runs one service's check with the current settings.
func (s *Settings) Check(ctx context.Context, service string, values map[string]string) wizard.CheckResult {
	return s.current().Check(ctx, service, values)
}

// CheckAll runs several services' checks at once with the current settings.
func (s *Settings) CheckAll(ctx context.Context, services map[string]map[string]string) []wizard.CheckResult {
	return s.current().CheckAll(ctx, services)
}
