package crawler

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the crawler's Prometheus series. Per-source series are
// created on a source's first run, so idle sources cost nothing here.
type metrics struct {
	pagesTotal    *prometheus.CounterVec // source
	posts         *prometheus.CounterVec // source, status=new|seen
	errors        *prometheus.CounterVec // source, reason
	runs          *prometheus.CounterVec // source, outcome=ok|failed|panic|skipped
	lastSuccess   *prometheus.GaugeVec   // source
	nextRun       *prometheus.GaugeVec   // source
	running       *prometheus.GaugeVec   // source
	requests      prometheus.Counter
	robotsFetches prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		pagesTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tidewatch_crawl_pages_total", Help: "Pages fetched, by source.",
		}, []string{"source"}),
		posts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tidewatch_crawl_posts_total", Help: "Posts found, by source and whether they were new (or edited) or already stored.",
		}, []string{"source", "status"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tidewatch_crawl_errors_total", Help: "Failed fetches and pages, by source and reason.",
		}, []string{"source", "reason"}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tidewatch_crawl_runs_total", Help: "Runs, by source and outcome (ok, failed, panic, skipped).",
		}, []string{"source", "outcome"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "tidewatch_crawl_last_success_timestamp_seconds", Help: "End of the last run that fetched at least one page, Unix time.",
		}, []string{"source"}),
		nextRun: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "tidewatch_crawl_next_run_timestamp_seconds", Help: "Next scheduled run, Unix time.",
		}, []string{"source"}),
		running: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "tidewatch_crawl_running", Help: "1 while a run of the source is in progress.",
		}, []string{"source"}),
		requests: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tidewatch_crawl_requests_total", Help: "HTTP requests sent, robots.txt and redirects included.",
		}),
		robotsFetches: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tidewatch_crawl_robots_fetches_total", Help: "robots.txt files fetched (each is cached for a day).",
		}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.pagesTotal, m.posts, m.errors, m.runs, m.lastSuccess, m.nextRun, m.running, m.requests, m.robotsFetches} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("crawler metrics: %w", err)
		}
	}
	return m, nil
}

func (m *metrics) pages(source string) prometheus.Counter {
	return m.pagesTotal.WithLabelValues(source)
}
