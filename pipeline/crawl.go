package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"tidewatch/crawler"
	"tidewatch/seeds"
	"tidewatch/store"
)

// CrawlOptions select what Crawl does. The zero value crawls every source
// of the file once, as a scheduled run would.
type CrawlOptions struct {
	Source   string                 // only this source; "" means every source
	Backfill bool                   // page to the end of each listing, not only to the first known page
	Progress func(crawler.Progress) // called after every page; must be quick
}

// ErrUnknownSource is returned by Crawl for a source the seeds file does
// not define.
var ErrUnknownSource = errors.New("no such source in the seeds file")

// Crawl runs each selected source once, one after the other, and records
// each run in the store. A source that fails does not stop the others; the
// error returned joins every failure, and the stats of every run are
// returned either way.
func (p *Pipeline) Crawl(ctx context.Context, f *seeds.File, opts CrawlOptions) ([]crawler.Stats, error) {
	srcs := f.Sources
	if opts.Source != "" {
		s, ok := f.Find(opts.Source)
		if !ok {
			names := make([]string, len(f.Sources))
			for i, s := range f.Sources {
				names[i] = s.Name
			}
			return nil, fmt.Errorf("pipeline: crawl %q: %w (have %s)", opts.Source, ErrUnknownSource, strings.Join(names, ", "))
		}
		srcs = []seeds.Source{*s}
	}
	c, err := p.crawler(f.UserAgent)
	if err != nil {
		return nil, fmt.Errorf("pipeline: crawl: %w", err)
	}
	p.mu.Lock()
	p.progress = opts.Progress
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.progress = nil
		p.mu.Unlock()
	}()

	var all []crawler.Stats
	var errs []error
	for i := range srcs {
		if ctx.Err() != nil {
			errs = append(errs, ctx.Err())
			break
		}
		st, err := p.runSource(ctx, c, &srcs[i], opts.Backfill)
		all = append(all, st)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return all, errors.Join(errs...)
}

// runSource runs one source with c and records the run in the store.
func (p *Pipeline) runSource(ctx context.Context, c *crawler.Crawler, src *seeds.Source, backfill bool) (crawler.Stats, error) {
	start := time.Now().UTC()
	st, err := c.Run(ctx, src, backfill)
	if st.Source == "" {
		st.Source = src.Name
	}
	if st.Started.IsZero() {
		st.Started = start
	}
	// Record the run even when ctx was cancelled: an interrupted run is
	// worth knowing about.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if rerr := p.record(rctx, st, err); rerr != nil {
		err = errors.Join(err, rerr)
	}
	return st, err
}

// record stores the record of a finished run and logs it.
func (p *Pipeline) record(ctx context.Context, st crawler.Stats, runErr error) error {
	// The crawler counts a changed post as new; the pipeline knows which
	// were changes. A source is never run twice at once, so the changes
	// since its last recorded run are this run's.
	p.mu.Lock()
	changed := p.changed[st.Source] - p.accounted[st.Source]
	p.accounted[st.Source] = p.changed[st.Source]
	p.mu.Unlock()

	run := store.Run{
		Source:       st.Source,
		Started:      st.Started,
		Finished:     st.Finished,
		Completed:    runErr == nil,
		Pages:        st.Pages,
		PostsNew:     max(0, st.PostsNew-changed),
		PostsSeen:    st.PostsSeen,
		PostsChanged: changed,
		Errors:       st.Errors,
		LastError:    st.LastError,
	}
	if run.Started.IsZero() {
		run.Started = time.Now()
	}
	if run.Finished.IsZero() {
		run.Finished = time.Now()
	}
	if runErr != nil && run.LastError == "" {
		run.LastError = runErr.Error()
	}
	p.log.Info("crawl run finished", "source", run.Source, "backfill", st.Backfill,
		"pages", run.Pages, "new", run.PostsNew, "changed", run.PostsChanged, "seen", run.PostsSeen,
		"errors", st.ErrorCount(), "took", run.Finished.Sub(run.Started).Round(time.Millisecond), "completed", run.Completed)
	if err := p.store.RecordRun(ctx, run); err != nil {
		return fmt.Errorf("pipeline: record run: %w", err)
	}
	return nil
}

// Scheduler returns a scheduler that runs each source of f on its cron
// schedule, records every run in the store and then, with a retention set,
// purges the posts past it. opts.OnRun, if set, is called after that.
func (p *Pipeline) Scheduler(f *seeds.File, opts crawler.ScheduleOptions) (*crawler.Scheduler, error) {
	c, err := p.crawler(f.UserAgent)
	if err != nil {
		return nil, fmt.Errorf("pipeline: scheduler: %w", err)
	}
	then := opts.OnRun
	opts.OnRun = func(st crawler.Stats, err error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if rerr := p.record(ctx, st, err); rerr != nil {
			p.log.Error("recording a run failed", "source", st.Source, "error", rerr)
		}
		if _, perr := p.Purge(ctx); perr != nil {
			p.log.Error("retention purge failed", "error", perr)
		}
		if then != nil {
			then(st, err)
		}
	}
	s, err := crawler.NewScheduler(c, f.Sources, opts)
	if err != nil {
		return nil, fmt.Errorf("pipeline: scheduler: %w", err)
	}
	return s, nil
}

// crawler returns the pipeline's crawler for a user agent, making it on
// first use. Crawlers share nothing, so one per user agent keeps one set of
// per-host politeness gates for every run that identifies the same way.
func (p *Pipeline) crawler(userAgent string) (*crawler.Crawler, error) {
	if p.opts.UserAgent != "" {
		userAgent = p.opts.UserAgent
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.crawlers[userAgent]; ok {
		return c, nil
	}
	reg := p.opts.Registerer
	if len(p.crawlers) > 0 {
		reg = nil // the metrics are registered once, by the first crawler
	}
	c, err := crawler.New(crawler.Options{
		UserAgent:    userAgent,
		Recorder:     p.warc,
		State:        p.store,
		Sink:         p,
		IgnoreRobots: p.opts.IgnoreRobots,
		Registerer:   reg,
		Logger:       p.log,
		Progress:     p.report,
	})
	if err != nil {
		return nil, err
	}
	p.crawlers[userAgent] = c
	return c, nil
}

// report passes crawler progress to the current Crawl's callback.
func (p *Pipeline) report(pr crawler.Progress) {
	p.mu.Lock()
	f := p.progress
	p.mu.Unlock()
	if f != nil {
		f(pr)
	}
}
