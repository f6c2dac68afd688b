package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"tidewatch/crawler"
	"tidewatch/index"
	"tidewatch/pipeline"
	"tidewatch/seeds"
	"tidewatch/web"
)

// runServe is `tidewatch serve --seeds FILE`: the scheduler, the web UI,
// the JSON API, /metrics and /healthz, until SIGINT or SIGTERM.
func runServe(ctx context.Context, s streams, args []string) error {
	fs, data := newFlags("serve", s)
	seedsFile := fs.String("seeds", "", "seeds file (YAML) naming the sources to crawl on their schedules")
	addr := fs.String("addr", "127.0.0.1:8080", "address to serve the UI and API on")
	retention := fs.Duration("retention", 0, "delete posts last seen longer ago than this (e.g. 2160h); 0 keeps them")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *seedsFile == "" {
		return fmt.Errorf("%w: serve needs --seeds FILE", errUsage)
	}
	f, err := seeds.Load(*seedsFile)
	if err != nil {
		return err
	}
	reg := newRegistry()
	log := logger(s.err)
	p, err := pipeline.Open(ctx, *data, pipeline.Options{Logger: log, Registerer: reg, Retention: *retention})
	if err != nil {
		return err
	}
	defer p.Close()
	// Posts an older classifier scored are scored again in the background
	// while the UI serves; a crawl's batches wait for the batch in hand.
	var bg sync.WaitGroup
	defer bg.Wait() // before p.Close
	// If serving ends (or fails to start), the rescore stops with it
	// rather than holding the exit for its whole run.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // before bg.Wait
	bg.Go(func() {
		if _, err := p.Rescore(ctx, nil); err != nil && ctx.Err() == nil {
			log.Error("scoring stored posts again failed; tidewatch rescore retries", "error", err)
		}
	})
	return serveUI(ctx, s, p, reg, f, *addr)
}

func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// liveIndex searches whichever index the pipeline holds now: reindex swaps it.
type liveIndex struct{ p *pipeline.Pipeline }

func (l liveIndex) Search(ctx context.Context, r index.Request) (*index.Result, error) {
	return l.p.Index().Search(ctx, r)
}

// serveUI runs the scheduler for f's sources and serves the UI on addr
// until ctx is done; then it stops taking requests, lets crawl runs in
// flight finish for a while, and returns.
func serveUI(ctx context.Context, s streams, p *pipeline.Pipeline, reg *prometheus.Registry, f *seeds.File, addr string) error {
	h, err := web.NewServer(web.Options{
		Index:   liveIndex{p},
		Store:   p.Store(),
		Metrics: promhttp.HandlerFor(reg, promhttp.HandlerOpts{}),
		// A cheap read: COUNT(*) over millions of posts is no health check.
		Health: func(ctx context.Context) error { _, err := p.Store().SchemaVersion(ctx); return err },
		Logger: logger(s.err),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	url := "http://" + ln.Addr().String() + "/"

	sched, err := p.Scheduler(f, crawler.ScheduleOptions{})
	if err != nil {
		ln.Close()
		return err
	}
	runs := context.WithoutCancel(ctx) // runs finish on shutdown; Stop bounds the wait
	sched.Start(runs)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(s.out, "tidewatch serving %s (metrics at %smetrics, health at %shealthz)\n", url, url, url)
	select {
	case <-ctx.Done():
	case err := <-errc:
		sched.Stop(context.Background())
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(s.err, "shutting down: finishing crawl runs in flight (up to 30 s)")
	shut, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = errors.Join(srv.Shutdown(shut), sched.Stop(shut))
	if err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	return nil
}
