package portaltest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
)

// FaultKind is what goes wrong.
type FaultKind int

// Fault kinds.
const (
	// Fail500 answers HTTP 500 (the API envelope, or an ASP.NET error page
	// for Workspace's AjaxPro handler).
	Fail500 FaultKind = iota
	// Hang never answers: the request is held until the client gives up.
	Hang
	// Reset closes the connection without an answer (TCP reset).
	Reset
)

// Effect is what a save request did to the keys before the fault struck.
type Effect int

// Effects.
const (
	Nothing Effect = iota // the keys were not touched
	Applied               // the save went through completely
	Cleared               // the consumer was cleared
	Partial               // only the first prop was written
)

// Fault injects a failure into the Nth request whose path contains Path
// (every request when Path is empty) and whose method is Method (any when
// empty). It fires once.
type Fault struct {
	Kind   FaultKind
	N      int
	Path   string
	Method string // only requests with this method, when set
	Effect Effect // only for requests to the save endpoint

	seen  int
	fired bool
}

// Fail adds a fault.
func (s *Server) Fail(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.N <= 0 {
		f.N = 1
	}
	s.faults = append(s.faults, &f)
}

// FailSave injects a fault into the Nth request to the save endpoint.
func (s *Server) FailSave(kind FaultKind, n int, effect Effect) {
	s.Fail(Fault{Kind: kind, N: n, Path: s.SavePath(), Method: http.MethodPost, Effect: effect})
}

// fault returns the fault due for this request, if any. Callers hold mu.
func (s *Server) fault(r *http.Request) *Fault {
	for _, f := range s.faults {
		if f.fired || !strings.Contains(r.URL.Path, f.Path) || f.Method != "" && r.Method != f.Method {
			continue
		}
		f.seen++
		if f.seen == f.N {
			f.fired = true
			return f
		}
	}
	return nil
}

// strike applies the fault's effect, then fails the request.
func (s *Server) strike(w http.ResponseWriter, r *http.Request, f *Fault, body []byte) {
	if r.Method == http.MethodPost && r.URL.Path == s.SavePath() {
		s.effect(r, f.Effect, body)
	}
	switch f.Kind {
	case Fail500:
		if s.cfg.Product == Workspace && strings.HasPrefix(r.URL.Path, "/ajaxpro/") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte("<html><body><h1>Server Error in '/' Application.</h1></body></html>"))
			return
		}
		s.apiError(w, http.StatusInternalServerError, "Internal server error")
	case Hang:
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
	case Reset:
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic("portaltest: cannot hijack the connection")
		}
		conn, _, err := hj.Hijack()
		if err != nil {
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // RST rather than FIN
		}
		_ = conn.Close()
	}
}

func (s *Server) effect(r *http.Request, e Effect, body []byte) {
	switch e {
	case Applied:
		rec := httptest.NewRecorder()
		r2 := r.Clone(r.Context())
		s.handle(rec, r2, body)
	case Cleared, Partial:
		name, props := looseSave(body)
		s.mu.Lock()
		defer s.mu.Unlock()
		c := s.find(name)
		if c == nil {
			return
		}
		if e == Cleared {
			c.clear()
			return
		}
		for _, p := range props {
			if c.managed(p[0]) {
				c.values[p[0]] = p[1]
				return
			}
		}
	}
}
