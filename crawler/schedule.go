package crawler

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"tidewatch/seeds"
)

// ScheduleOptions configure a Scheduler. The zero value works.
type ScheduleOptions struct {
	// Jitter is the upper bound of a random wait before each run, so that
	// sources sharing a schedule ("0 * * * *") do not all start on the
	// minute. 0 means 30s; negative means none.
	Jitter time.Duration
	// OnRun is called after every run, with its stats, from the run's
	// goroutine: the caller records the run (the store keeps them).
	OnRun  func(Stats, error)
	Logger *slog.Logger // nil means the Crawler's
}

// Scheduler runs each source on its cron schedule (UTC). A source is never
// run twice at once: a run still going when the next is due makes that one
// be skipped. Panics are recovered and recorded as failed runs.
type Scheduler struct {
	c       *Crawler
	run     func(ctx context.Context, src *seeds.Source, backfill bool) (Stats, error)
	opts    ScheduleOptions
	cron    *cron.Cron
	entries []*scheduled
	byName  map[string]*scheduled
	ctx     context.Context
	cancel  context.CancelFunc
}

// scheduled is one source under the Scheduler. It is kept small: a
// monitoring deployment may load tens of thousands.
type scheduled struct {
	src     seeds.Source
	sched   cron.Schedule
	running atomic.Bool
}

// NewScheduler prepares sources to run on c. It fails on a source whose
// schedule does not parse.
func NewScheduler(c *Crawler, sources []seeds.Source, opts ScheduleOptions) (*Scheduler, error) {
	if opts.Jitter == 0 {
		opts.Jitter = 30 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = c.opts.Logger
	}
	s := &Scheduler{
		c:      c,
		run:    c.Run,
		opts:   opts,
		cron:   cron.New(cron.WithLocation(time.UTC)),
		byName: make(map[string]*scheduled, len(sources)),
	}
	s.entries = make([]*scheduled, len(sources))
	for i := range sources {
		spec := sources[i].Schedule
		if spec == "" {
			spec = seeds.DefaultSchedule
		}
		sched, err := seeds.ParseSchedule(spec)
		if err != nil {
			return nil, fmt.Errorf("schedule source %s: %q: %w", sources[i].Name, spec, err)
		}
		e := &scheduled{src: sources[i], sched: sched}
		s.entries[i] = e
		s.byName[e.src.Name] = e
	}
	return s, nil
}

// Start begins scheduling. Runs are cancelled when ctx is; to let them
// finish on shutdown, pass a context that outlives the signal and call Stop.
func (s *Scheduler) Start(ctx context.Context) {
	s.ctx, s.cancel = context.WithCancel(ctx)
	now := time.Now().UTC()
	for _, e := range s.entries {
		s.cron.Schedule(e.sched, cron.FuncJob(func() { s.fire(e) }))
		s.c.metrics.nextRun.WithLabelValues(e.src.Name).Set(float64(e.sched.Next(now).Unix()))
	}
	s.cron.Start()
}

// Stop stops scheduling and waits for the runs in flight to finish, until
// ctx is done; then it cancels them and waits for them to wind down (each
// ends at its next request, leaving what it had not stored to the next
// run). It returns ctx's error if runs had to be cancelled.
func (s *Scheduler) Stop(ctx context.Context) error {
	done := s.cron.Stop()
	if s.cancel == nil {
		return nil
	}
	select {
	case <-done.Done():
		s.cancel()
		return nil
	case <-ctx.Done():
		s.cancel()
		<-done.Done()
		return fmt.Errorf("stop scheduler: runs cancelled: %w", ctx.Err())
	}
}

// Next returns when the source called name is next due (before jitter),
// and false for an unknown source.
func (s *Scheduler) Next(name string) (time.Time, bool) {
	e := s.byName[name]
	if e == nil {
		return time.Time{}, false
	}
	return e.sched.Next(time.Now().UTC()), true
}

// Running reports whether a run of the source called name is in progress.
func (s *Scheduler) Running(name string) bool {
	e := s.byName[name]
	return e != nil && e.running.Load()
}

// fire is one scheduled run of e.
func (s *Scheduler) fire(e *scheduled) {
	name := e.src.Name
	if s.ctx.Err() != nil {
		return
	}
	if !e.running.CompareAndSwap(false, true) {
		s.c.metrics.runs.WithLabelValues(name, "skipped").Inc()
		s.opts.Logger.Warn("previous run still going: skipped", "source", name)
		return
	}
	defer e.running.Store(false)
	defer func() {
		s.c.metrics.nextRun.WithLabelValues(name).Set(float64(e.sched.Next(time.Now().UTC()).Unix()))
	}()
	if s.opts.Jitter > 0 {
		if err := sleep(s.ctx, rand.N(s.opts.Jitter)); err != nil {
			return
		}
	}
	stats, err := s.runSafe(e)
	if s.opts.OnRun != nil {
		s.opts.OnRun(stats, err)
	}
}

// runSafe runs e, turning a panic that escaped the run into a failed run.
func (s *Scheduler) runSafe(e *scheduled) (stats Stats, err error) {
	started := time.Now().UTC()
	defer func() {
		if p := recover(); p != nil {
			perr := fmt.Errorf("%w: %v", errPanicked, p)
			s.opts.Logger.Error("run panicked", "source", e.src.Name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			s.c.metrics.runs.WithLabelValues(e.src.Name, "panic").Inc()
			s.c.metrics.errors.WithLabelValues(e.src.Name, reasonPanic).Inc()
			s.c.metrics.running.WithLabelValues(e.src.Name).Set(0)
			stats = Stats{Source: e.src.Name, Started: started, Finished: time.Now().UTC(),
				Errors: map[string]int{reasonPanic: 1}, LastError: perr.Error()}
			err = &RunError{Source: e.src.Name, Err: perr}
		}
	}()
	return s.run(s.ctx, &e.src, false)
}
