package ui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"keywizard/providers"
	"keywizard/wizard"
	"keywizard/wizard/secrets"
)

// memStore is a secret store in a map.
type memStore struct {
	mu sync.Mutex
	m  map[string]string
}

func newMemStore() *memStore { return &memStore{m: map[string]string{}} }

func (s *memStore) Get(_ context.Context, svc, f string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[svc+"/"+f]
	if !ok {
		return "", secrets.ErrNotFound
	}
	return v, nil
}

func (s *memStore) Set(_ context.Context, svc, f, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[svc+"/"+f] = v
	return nil
}

func (s *memStore) Delete(_ context.Context, svc, f string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[svc+"/"+f]; !ok {
		return secrets.ErrNotFound
	}
	delete(s.m, svc+"/"+f)
	return nil
}

func (s *memStore) Where() string { return "the test keyring" }

func (s *memStore) get(svc, f string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[svc+"/"+f]
}

func (s *memStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

// fakeChecker answers with res; with block set it waits for the context.
type fakeChecker struct {
	mu     sync.Mutex
	res    wizard.CheckResult
	block  bool
	calls  []string
	ctxErr error
}

func (c *fakeChecker) Check(ctx context.Context, svc string, _ map[string]string) wizard.CheckResult {
	c.mu.Lock()
	c.calls = append(c.calls, svc)
	block, res := c.block, c.res
	c.mu.Unlock()
	if block {
		<-ctx.Done()
		c.mu.Lock()
		c.ctxErr = ctx.Err()
		c.mu.Unlock()
		return wizard.CheckResult{Service: svc, Message: "cancelled"}
	}
	res.Service = svc
	return res
}

func (c *fakeChecker) cancelled() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ctxErr
}

// fakeSignIn reports its URL, then waits for release (or the context).
type fakeSignIn struct {
	shown   chan struct{}
	release chan struct{}
	res     wizard.SignInResult
	mu      sync.Mutex
	ctxErr  error
	product string // the product the window asked for
}

func newFakeSignIn(res wizard.SignInResult) *fakeSignIn {
	return &fakeSignIn{shown: make(chan struct{}), release: make(chan struct{}), res: res}
}

const fakeAuthURL = "https://accounts.example.com/auth?client_id=123&state=xyz"

func (f *fakeSignIn) Test(ctx context.Context, svc string, _ map[string]string, opts wizard.SignInOptions) wizard.SignInResult {
	f.mu.Lock()
	f.product = opts.Product
	f.mu.Unlock()
	opts.OnURL(fakeAuthURL, "http://127.0.0.1:53682/callback")
	close(f.shown)
	select {
	case <-f.release:
		return f.res
	case <-ctx.Done():
		f.mu.Lock()
		f.ctxErr = ctx.Err()
		f.mu.Unlock()
		return wizard.SignInResult{Service: svc}
	}
}

// memProgress keeps progress in a map.
type memProgress struct {
	mu sync.Mutex
	m  map[string]Saved
}

func (p *memProgress) Load(id string) (Saved, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.m[id]
	return s, ok, nil
}

func (p *memProgress) Save(id string, s Saved) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m[id] = s
	return nil
}

func (p *memProgress) get(id string) Saved {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[id]
}

// pemService is a made-up service with the kinds of fields the catalogue
// has: a multiline secret, an optional field with a warning, a local one.
func pemService() providers.Provider {
	return providers.Provider{
		ID: "pemsvc", Title: "Pem Service", Category: providers.DocumentStorage,
		Purpose: "A made-up service for tests.",
		Fields: []providers.Field{
			{ID: "key", Label: "Private key", Secret: true, Multiline: true,
				Check: providers.Match(`^-----BEGIN`, "paste the whole key, from -----BEGIN")},
			{ID: "region", Label: "Region", Optional: true,
				Check: providers.Expect(`^[a-z]{2}-[a-z]+-[0-9]$`, "this region name is unusual: check it")},
			{ID: "account", Label: "Account", Local: true},
		},
		Steps:  []providers.Step{{Title: "Get the key", Lines: []string{"Download it."}, Warning: "Keys expire after a year."}},
		OAuth:  &providers.OAuth{Loopback: providers.LoopbackNone},
		Online: "none",
	}
}

func testCatalogue(t *testing.T) []providers.Provider {
	t.Helper()
	g, ok := providers.Lookup("google")
	if !ok {
		t.Fatal("google is not in the catalogue")
	}
	return []providers.Provider{g, pemService()}
}

// newTestWindow opens the window on a test app with d and waits for the
// stored keys to load.
func newTestWindow(t *testing.T, d Deps, opts Options, cat []providers.Provider) *window {
	t.Helper()
	a := test.NewTempApp(t)
	w := newWindow(a, d, opts, cat, func(r *runner) { r.queue() })
	w.copiedFor = time.Millisecond
	w.win.Resize(fyne.NewSize(1200, 800))
	w.win.Show()
	w.run.wait()
	t.Cleanup(func() { w.run.close(); w.run.wait() })
	return w
}

// objects walks everything under o, hidden parts included.
func objects(o fyne.CanvasObject) []fyne.CanvasObject {
	out := []fyne.CanvasObject{o}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			out = append(out, objects(c)...)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			out = append(out, objects(c)...)
		}
	}
	return out
}

// windowObjects walks the content and the dialogs on top of it.
func windowObjects(w *window) []fyne.CanvasObject {
	out := objects(w.win.Canvas().Content())
	for _, o := range w.win.Canvas().Overlays().List() {
		out = append(out, objects(o)...)
	}
	return out
}

// texts lists every text shown: labels, buttons and drawn text.
func texts(w *window) []string {
	var out []string
	for _, o := range windowObjects(w) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *canvas.Text:
			out = append(out, x.Text)
		}
	}
	return out
}

func hasText(w *window, sub string) bool {
	for _, s := range texts(w) {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func mustText(t *testing.T, w *window, sub string) {
	t.Helper()
	if !hasText(w, sub) {
		t.Fatalf("no text contains %q; shown:\n%s", sub, strings.Join(texts(w), "\n"))
	}
}

func button(t *testing.T, w *window, text string) *widget.Button {
	t.Helper()
	for _, o := range windowObjects(w) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

// noSecretShown fails if any text of the window holds a secret value.
func noSecretShown(t *testing.T, w *window, secrets ...string) {
	t.Helper()
	for _, s := range texts(w) {
		for _, sec := range secrets {
			if strings.Contains(s, sec) {
				t.Fatalf("a secret is shown in %q", s)
			}
		}
	}
}

var errBrowser = errors.New("no browser here")
