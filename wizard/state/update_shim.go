package state

import "sync"

// shimMu stands in for the cross-process lock until File.Update lands.
var shimMu sync.Mutex

// Update reads the progress afresh, applies fn and saves the result.
func (f File) Update(fn func(p *Progress) error) error {
	shimMu.Lock()
	defer shimMu.Unlock()
	p, err := f.Load()
	if p == nil {
		return err
	}
	if err := fn(p); err != nil {
		return err
	}
	return f.Save(p)
}
