// Package state keeps the non-secret progress of every service (step,
// which fields are filled, status, the last check, sign-in and push
// outcomes) and the app settings in a JSON file, so that closing the window
// mid-way loses nothing. Values never go here: they live in wizard/secrets.
package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"keywizard/wizard"
	"keywizard/wizard/atomicfile"
)

// FileName is the progress file inside the config directory.
const FileName = "progress.json"

// version is the file format written by Save.
const version = 1

// ErrCorrupt means the progress file could not be read as progress; it was
// moved aside and Load returned a fresh Progress.
var ErrCorrupt = errors.New("the progress file was damaged")

// Progress is everything the file holds.
type Progress struct {
	Version  int                 `json:"version"`
	Settings Settings            `json:"settings"`
	Services map[string]*Service `json:"services"`
}

// Settings are the app's non-secret preferences.
type Settings struct {
	PortalRedirect string `json:"portal_redirect,omitempty"` // the portal's OAuth redirect URL
	LastService    string `json:"last_service,omitempty"`    // reopened on start
	Plan           *Plan  `json:"plan,omitempty"`            // the first run's choices; nil until made
}

// Plan is what the admin chose on the first run or with 'keywizard plan
// --want': the goals, and the product when no portal is remembered.
type Plan struct {
	Goals   []string  `json:"goals"`             // goal ids: "signin:google"
	Product string    `json:"product,omitempty"` // "docspace" or "workspace", when chosen without a portal
	Version string    `json:"version,omitempty"`
	Chosen  time.Time `json:"chosen"`
}

// Service is where one service's set-up stands. It names fields, never
// holds their values.
type Service struct {
	Step    int           `json:"step"`
	Filled  []string      `json:"filled,omitempty"` // field ids holding a value
	Status  wizard.Status `json:"status"`
	Check   *Outcome      `json:"check,omitempty"`
	SignIn  *Outcome      `json:"sign_in,omitempty"`
	Push    *Outcome      `json:"push,omitempty"`
	Message string        `json:"message,omitempty"` // the window's last verdict, in words
	Updated time.Time     `json:"updated"`
	// Keys are the expiry watch's facts about the stored keys.
	Keys *wizard.KeyFacts `json:"keys,omitempty"`
	// Portal is what the portal held when 'keywizard status' last read it
	// (OK: it holds keys; Message: "set", "not set", "differs", ...).
	Portal *Outcome `json:"portal,omitempty"`
}

// Outcome is the result of one check, test sign-in or push.
type Outcome struct {
	OK      bool      `json:"ok"`
	Message string    `json:"message"`
	At      time.Time `json:"at"`
}

// New returns empty progress.
func New() *Progress {
	return &Progress{Version: version, Services: map[string]*Service{}}
}

// Service returns the progress of a service, creating it when absent.
func (p *Progress) Service(id string) *Service {
	if p.Services == nil {
		p.Services = map[string]*Service{}
	}
	s := p.Services[id]
	if s == nil {
		s = &Service{Status: wizard.NotStarted}
		p.Services[id] = s
	}
	return s
}

// File is the progress file in a directory.
type File struct {
	Dir string // "" means DefaultDir
}

// DefaultDir is Keywizard's folder in the user's config directory.
func DefaultDir() (string, error) { return wizard.ConfigDir() }

// Path is where the file lives.
func (f File) Path() (string, error) {
	dir := f.Dir
	if dir == "" {
		var err error
		if dir, err = DefaultDir(); err != nil {
			return "", err
		}
	}
	return filepath.Join(dir, FileName), nil
}

// Load reads the progress. A missing file is empty progress. A damaged one
// is moved to progress.json.bad and Load returns empty progress with an
// error wrapping ErrCorrupt that says so: the returned Progress is usable
// whenever it is not nil.
func (f File) Load() (*Progress, error) {
	path, err := f.Path()
	if err != nil {
		return New(), err
	}
	atomicfile.RemoveStale(path, time.Hour)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return New(), nil
	}
	if err != nil {
		return New(), fmt.Errorf("read the progress file: %w", err)
	}
	p := &Progress{}
	if err := json.Unmarshal(data, p); err != nil || p.Version < 1 {
		bad := path + ".bad"
		if rerr := os.Rename(path, bad); rerr != nil {
			return New(), fmt.Errorf("%w (%s) and could not be moved aside: %v", ErrCorrupt, path, rerr)
		}
		return New(), fmt.Errorf("%w: it was moved to %s and the progress starts afresh", ErrCorrupt, bad)
	}
	if p.Services == nil {
		p.Services = map[string]*Service{}
	}
	return p, nil
}

// Save writes the progress atomically: after a crash the file holds either
// this state or the one before. It replaces what is there: to change part
// of the progress while other processes may be writing too, use Update.
func (f File) Save(p *Progress) error {
	path, err := f.Path()
	if err != nil {
		return err
	}
	return Locked(path, func() error { return save(path, p) })
}

// Update changes the progress under the file's lock, so that the window
// and a command run side by side never lose each other's changes: it takes
// the exclusive lock shared by every process, reads the file afresh, runs
// fn on it and writes the result atomically. When fn returns an error
// nothing is written and Update returns it. A damaged file is moved aside
// as by Load; fn then runs on fresh progress, the result is written, and
// Update returns the error wrapping ErrCorrupt.
func (f File) Update(fn func(p *Progress) error) error {
	path, err := f.Path()
	if err != nil {
		return err
	}
	return Locked(path, func() error {
		p, lerr := f.Load()
		if lerr != nil && !errors.Is(lerr, ErrCorrupt) {
			return lerr
		}
		if err := fn(p); err != nil {
			return err
		}
		if err := save(path, p); err != nil {
			return err
		}
		return lerr
	})
}

func save(path string, p *Progress) error {
	out := *p
	out.Version = version
	data, err := json.MarshalIndent(&out, "", "  ")
	if err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	return WriteFile(path, append(data, '\n'), 0o600)
}
