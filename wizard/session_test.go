package wizard

import (
	"errors"
	"strings"
	"testing"

	"keywizard/providers"
)

func google(t *testing.T) providers.Provider {
	t.Helper()
	p, ok := providers.Lookup("google")
	if !ok {
		t.Fatal("google missing from the catalogue")
	}
	return p
}

func TestSessionTransitions(t *testing.T) {
	p := google(t)
	last := len(p.Steps)
	cases := []struct {
		name    string
		start   int
		act     func(*Session) error
		want    int
		wantErr error
	}{
		{"next from first", 0, (*Session).Next, 1, nil},
		{"back from first", 0, (*Session).Back, 0, ErrFirstStep},
		{"back from second", 1, (*Session).Back, 0, nil},
		{"next into form", last - 1, (*Session).Next, last, nil},
		{"next at form", last, (*Session).Next, last, ErrLastStep},
		{"back from form", last, (*Session).Back, last - 1, nil},
		{"jump to form", 0, func(s *Session) error { return s.GoTo(s.FormStep()) }, last, nil},
		{"jump out of range", 1, func(s *Session) error { return s.GoTo(last + 1) }, 1, errors.New("any")},
		{"jump negative", 1, func(s *Session) error { return s.GoTo(-1) }, 1, errors.New("any")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := NewSession(p)
			s.Step = c.start
			err := c.act(s)
			if (err == nil) != (c.wantErr == nil) || (c.wantErr != nil && c.wantErr.Error() != "any" && !errors.Is(err, c.wantErr)) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			if s.Step != c.want {
				t.Fatalf("step = %d, want %d", s.Step, c.want)
			}
			if s.AtForm() != (s.Step == last) {
				t.Fatalf("AtForm wrong at %d", s.Step)
			}
		})
	}
}

func TestSessionStatus(t *testing.T) {
	p := google(t)
	id := p.Fields[0].Example
	secret := p.Fields[1].Example
	cases := []struct {
		name string
		prep func(*Session)
		want Status
	}{
		{"fresh", func(*Session) {}, NotStarted},
		{"moved on", func(s *Session) { s.Next() }, InProgress},
		{"half filled", func(s *Session) { s.Set("googleClientId", id) }, InProgress},
		{"bad value", func(s *Session) { s.Set("googleClientId", "nope"); s.Set("googleClientSecret", secret) }, InProgress},
		{"valid", func(s *Session) { s.Set("googleClientId", id); s.Set("googleClientSecret", secret) }, Valid},
		{"verified", func(s *Session) {
			s.Set("googleClientId", id)
			s.Set("googleClientSecret", secret)
			s.Checked = &CheckResult{OK: true}
		}, Verified},
		{"check rejected", func(s *Session) {
			s.Set("googleClientId", id)
			s.Checked = &CheckResult{OK: false}
		}, Problem},
		{"unreachable is no verdict", func(s *Session) {
			s.Set("googleClientId", id)
			s.Set("googleClientSecret", secret)
			s.Checked = &CheckResult{Unreachable: true}
		}, Valid},
		{"on portal", func(s *Session) {
			s.Set("googleClientId", id)
			s.Set("googleClientSecret", secret)
			s.OnPortal = true
		}, OnPortal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := NewSession(p)
			c.prep(s)
			if got := s.Status(); got != c.want {
				t.Fatalf("status %q, want %q", got, c.want)
			}
		})
	}
}

func TestSessionSetForgetsOldVerdicts(t *testing.T) {
	s := NewSession(google(t))
	s.Set("googleClientId", s.Provider.Fields[0].Example)
	s.Checked = &CheckResult{OK: true}
	s.SignedIn = &SignInResult{OK: true}
	s.OnPortal = true
	s.Set("googleClientId", s.Provider.Fields[0].Example) // same value: kept
	if s.Checked == nil {
		t.Fatal("an unchanged value must keep the verdict")
	}
	s.Set("googleClientId", "other")
	if s.Checked != nil || s.SignedIn != nil || s.OnPortal {
		t.Fatal("a changed value must forget verdicts about the old keys")
	}
	if err := s.Set("nosuch", "x"); err == nil {
		t.Fatal("unknown field accepted")
	}
	s.Set("googleClientId", "")
	if _, ok := s.Values["googleClientId"]; ok {
		t.Fatal("an emptied field must be removed")
	}
}

func TestSessionNeverPrintsSecrets(t *testing.T) {
	s := NewSession(google(t))
	secret := s.Provider.Fields[1].Example
	s.Set("googleClientSecret", secret)
	s.Set("googleClientId", s.Provider.Fields[0].Example)
	for _, out := range []string{s.Redacted(), s.String()} {
		if strings.Contains(out, secret) || strings.Contains(out, secret[4:]) {
			t.Fatalf("secret printed: %s", out)
		}
		if !strings.Contains(out, "googleClientId=") {
			t.Fatalf("filled fields should be listed: %s", out)
		}
	}
	if got := s.Filled(); len(got) != 2 {
		t.Fatalf("filled = %v", got)
	}
}

func TestIdentityString(t *testing.T) {
	cases := map[Identity]string{
		{Name: "Ada", Email: "ada@example.com"}: "Ada <ada@example.com>",
		{Name: "Ada"}:                           "Ada",
		{Email: "ada@example.com"}:              "ada@example.com",
		{ID: "arn:aws:iam::1:user/ada"}:         "arn:aws:iam::1:user/ada",
	}
	for in, want := range cases {
		if got := in.String(); got != want {
			t.Errorf("%+v: %q, want %q", in, got, want)
		}
	}
}
