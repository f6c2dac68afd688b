package crawler

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"tidewatch/seeds"
)

func engSources(names ...string) []seeds.Source {
	var out []seeds.Source
	for _, n := range names {
		out = append(out, seeds.Source{Name: n, Kind: seeds.HTML, URLs: []string{"http://127.0.0.1:1/"}, Schedule: "*/15 * * * *"})
	}
	return out
}

func newEngScheduler(t *testing.T, sources []seeds.Source, opts ScheduleOptions) (*Scheduler, *engEnv) {
	t.Helper()
	env := newEngCrawler(t, Options{IgnoreRobots: true})
	if opts.Jitter == 0 {
		opts.Jitter = -1
	}
	s, err := NewScheduler(env.c, sources, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, env
}

// TestSchedulerNoOverlap fires a source while its previous run is still
// going: the second firing is skipped and counted.
func TestSchedulerNoOverlap(t *testing.T) {
	var mu sync.Mutex
	var runs []Stats
	s, env := newEngScheduler(t, engSources("a", "b"), ScheduleOptions{OnRun: func(st Stats, err error) {
		mu.Lock()
		runs = append(runs, st)
		mu.Unlock()
	}})
	var inFlight, maxInFlight atomic.Int32
	release := make(chan struct{})
	started := make(chan string, 10)
	s.run = func(ctx context.Context, src *seeds.Source, backfill bool) (Stats, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		started <- src.Name
		<-release
		return Stats{Source: src.Name}, nil
	}
	s.Start(context.Background())
	defer s.Stop(context.Background())
	a, b := s.byName["a"], s.byName["b"]
	go s.fire(a)
	<-started
	if !s.Running("a") || s.Running("b") {
		t.Fatalf("Running(a) = %v, Running(b) = %v", s.Running("a"), s.Running("b"))
	}
	s.fire(a) // returns at once: skipped
	go s.fire(b)
	<-started // another source runs alongside
	close(release)
	for s.Running("a") || s.Running("b") {
		time.Sleep(time.Millisecond)
	}
	if got := testutil.ToFloat64(env.c.metrics.runs.WithLabelValues("a", "skipped")); got != 1 {
		t.Errorf("skipped runs of a = %v, want 1", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(runs) != 2 || maxInFlight.Load() != 2 {
		t.Errorf("OnRun called %d times (want 2), at most %d in flight (want 2: one per source)", len(runs), maxInFlight.Load())
	}
}

func TestSchedulerPanicRecorded(t *testing.T) {
	var got Stats
	var gotErr error
	s, env := newEngScheduler(t, engSources("p"), ScheduleOptions{OnRun: func(st Stats, err error) { got, gotErr = st, err }})
	s.run = func(context.Context, *seeds.Source, bool) (Stats, error) { panic("boom") }
	s.Start(context.Background())
	defer s.Stop(context.Background())
	s.fire(s.byName["p"])
	var re *RunError
	if !errors.As(gotErr, &re) || re.Source != "p" || !errors.Is(gotErr, errPanicked) || gotErr.Error() != "crawl p: panicked: boom" {
		t.Errorf("err = %v, want a RunError for p wrapping the panic", gotErr)
	}
	if got.Source != "p" || got.Errors[reasonPanic] != 1 || got.LastError != "panicked: boom" || got.Finished.Before(got.Started) {
		t.Errorf("stats = %+v", got)
	}
	if v := testutil.ToFloat64(env.c.metrics.runs.WithLabelValues("p", "panic")); v != 1 {
		t.Errorf("panic runs = %v, want 1", v)
	}
	if s.Running("p") {
		t.Error("still marked running after the panic")
	}
	// And it runs again next time.
	s.run = func(_ context.Context, src *seeds.Source, _ bool) (Stats, error) {
		return Stats{Source: src.Name, Pages: 1}, nil
	}
	s.fire(s.byName["p"])
	if got.Pages != 1 || gotErr != nil {
		t.Errorf("next run: %+v, %v", got, gotErr)
	}
}

// TestSchedulerStop checks both ways of stopping: in-flight runs finish
// within the grace period, or are cancelled after it.
func TestSchedulerStop(t *testing.T) {
	for _, tt := range []struct {
		name      string
		runTakes  time.Duration
		grace     time.Duration
		wantErr   bool
		wantCtxOK bool // the run finished without seeing its context cancelled
	}{
		{"finishes within grace", 20 * time.Millisecond, time.Second, false, true},
		{"cancelled after grace", time.Hour, 50 * time.Millisecond, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newEngScheduler(t, engSources("x"), ScheduleOptions{})
			started := make(chan struct{}, 100)
			var ctxOK atomic.Bool
			done := make(chan struct{}, 100)
			s.run = func(ctx context.Context, _ *seeds.Source, _ bool) (Stats, error) {
				defer func() { done <- struct{}{} }()
				started <- struct{}{}
				select {
				case <-time.After(tt.runTakes):
					ctxOK.Store(true)
					return Stats{}, nil
				case <-ctx.Done():
					return Stats{}, ctx.Err()
				}
			}
			s.Start(context.Background())
			// Fire through cron's own wrapper, so that Stop waits for it.
			s.cron.Schedule(engEveryMs{}, engCronFunc(func() { s.fire(s.byName["x"]) }))
			<-started
			ctx, cancel := context.WithTimeout(context.Background(), tt.grace)
			defer cancel()
			err := s.Stop(ctx)
			select {
			case <-done:
			default:
				t.Fatal("Stop returned before the run ended")
			}
			if (err != nil) != tt.wantErr || ctxOK.Load() != tt.wantCtxOK {
				t.Errorf("Stop = %v, run finished normally = %v; want error %v, normal %v", err, ctxOK.Load(), tt.wantErr, tt.wantCtxOK)
			}
			if tt.wantErr && !strings.Contains(err.Error(), "stop scheduler: runs cancelled: context deadline exceeded") {
				t.Errorf("Stop error = %v", err)
			}
		})
	}
}

type engEveryMs struct{}

func (engEveryMs) Next(t time.Time) time.Time { return t.Add(time.Millisecond) }

type engCronFunc func()

func (f engCronFunc) Run() { f() }

func TestSchedulerNext(t *testing.T) {
	srcs := engSources("q")
	srcs[0].Schedule = "0 3 * * *"
	s, env := newEngScheduler(t, srcs, ScheduleOptions{})
	next, ok := s.Next("q")
	now := time.Now().UTC()
	if !ok || next.Hour() != 3 || next.Minute() != 0 || next.Location() != time.UTC || !next.After(now) || next.Sub(now) > 24*time.Hour {
		t.Errorf("Next(q) = %v, %v", next, ok)
	}
	if _, ok := s.Next("nope"); ok {
		t.Error("Next(nope) found a source")
	}
	s.Start(context.Background())
	defer s.Stop(context.Background())
	if got := testutil.ToFloat64(env.c.metrics.nextRun.WithLabelValues("q")); got != float64(next.Unix()) {
		t.Errorf("next run metric = %v, want %v", got, next.Unix())
	}

	bad := engSources("bad")
	bad[0].Schedule = "every tuesday"
	if _, err := NewScheduler(env.c, bad, ScheduleOptions{}); err == nil || !strings.Contains(err.Error(), `schedule source bad: "every tuesday"`) {
		t.Errorf("bad schedule: err = %v", err)
	}
}

// TestSchedulerFires lets cron fire a real schedule once.
func TestSchedulerFires(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a cron tick")
	}
	srcs := engSources("tick")
	srcs[0].Schedule = "@every 1s"
	ran := make(chan Stats, 4)
	s, _ := newEngScheduler(t, srcs, ScheduleOptions{OnRun: func(st Stats, _ error) { ran <- st }})
	s.run = func(_ context.Context, src *seeds.Source, backfill bool) (Stats, error) {
		return Stats{Source: src.Name, Backfill: backfill}, nil
	}
	s.Start(context.Background())
	defer s.Stop(context.Background())
	select {
	case st := <-ran:
		if st.Source != "tick" || st.Backfill {
			t.Errorf("ran %+v", st)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("no run within 3s of an @every 1s schedule")
	}
}
