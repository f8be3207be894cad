package ui

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
)

// runner is the one place that starts goroutines. Every slow action (keyring,
// online check, test sign-in, a pause before a label changes back) goes
// through start, so that it runs off the UI thread, can be cancelled, and
// touches widgets only through fyne.Do.
type runner struct {
	ctx     context.Context
	stop    context.CancelFunc
	pending atomic.Int32 // jobs whose done callback is not handed over yet

	// deliver hands a callback to the UI thread: fyne.Do, or in tests a
	// queue that wait runs on the test's goroutine, as the real driver's
	// main loop would.
	deliver func(func())
	mu      sync.Mutex
	queued  []func()
}

func newRunner() *runner {
	ctx, stop := context.WithCancel(context.Background())
	return &runner{ctx: ctx, stop: stop, deliver: fyne.Do}
}

// job is one piece of slow work in flight.
type job struct {
	cancel context.CancelFunc
}

// Cancel asks the work to stop; its done callback still runs, with the
// context's error.
func (j *job) Cancel() {
	if j != nil {
		j.cancel()
	}
}

// start runs work in its own goroutine. Each report(p) made by work reaches
// onReport on the UI thread; when work returns, done runs on the UI thread
// with its result and nil, or the context's error when the job was cancelled
// (by Cancel or by closing the window).
func start[P, R any](r *runner, work func(ctx context.Context, report func(P)) R, onReport func(P), done func(R, error)) *job {
	ctx, cancel := context.WithCancel(r.ctx)
	report := func(p P) {
		if onReport != nil && ctx.Err() == nil {
			r.deliver(func() { onReport(p) })
		}
	}
	r.pending.Add(1)
	go func() {
		defer r.pending.Add(-1)
		defer cancel()
		res := work(ctx, report)
		err := ctx.Err()
		if done != nil {
			r.deliver(func() { done(res, err) })
		}
	}()
	return &job{cancel: cancel}
}

// queue makes the runner hand callbacks to wait and drain instead of
// fyne.Do. Tests use it to run callbacks on their own goroutine.
func (r *runner) queue() {
	r.deliver = func(f func()) {
		r.mu.Lock()
		r.queued = append(r.queued, f)
		r.mu.Unlock()
	}
}

// drain runs the callbacks queued so far.
func (r *runner) drain() {
	for {
		r.mu.Lock()
		q := r.queued
		r.queued = nil
		r.mu.Unlock()
		if len(q) == 0 {
			return
		}
		for _, f := range q {
			f()
		}
	}
}

// wait runs queued callbacks until every job started has handed back its
// result, including jobs those callbacks start.
func (r *runner) wait() {
	for {
		r.drain()
		if r.pending.Load() == 0 {
			r.drain()
			if r.pending.Load() == 0 {
				return
			}
		}
		time.Sleep(time.Millisecond)
	}
}

// close cancels every job, for when the window closes.
func (r *runner) close() { r.stop() }
