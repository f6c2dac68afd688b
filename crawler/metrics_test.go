package crawler

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"tidewatch/demosite"
)

func TestMetrics(t *testing.T) {
	ts := httptest.NewServer(demosite.New())
	defer ts.Close()
	env := newEngCrawler(t, Options{IgnoreRobots: true})
	src := engSource("m", ts.URL+"/hostile/loop/1", ts.URL+"/hostile/status/404")
	if _, err := env.c.Run(context.Background(), src, false); err != nil {
		t.Fatal(err)
	}
	if _, err := env.c.Run(context.Background(), src, false); err != nil {
		t.Fatal(err)
	}
	// Run 1: three loop pages (6 new posts, then the loop), one 404.
	// Run 2: the first loop page is all known, the 404 again.
	want := `
# HELP tidewatch_crawl_errors_total Failed fetches and pages, by source and reason.
# TYPE tidewatch_crawl_errors_total counter
tidewatch_crawl_errors_total{reason="http_404",source="m"} 2
tidewatch_crawl_errors_total{reason="pagination_loop",source="m"} 1
# HELP tidewatch_crawl_pages_total Pages fetched, by source.
# TYPE tidewatch_crawl_pages_total counter
tidewatch_crawl_pages_total{source="m"} 4
# HELP tidewatch_crawl_posts_total Posts found, by source and whether they were new (or edited) or already stored.
# TYPE tidewatch_crawl_posts_total counter
tidewatch_crawl_posts_total{source="m",status="new"} 6
tidewatch_crawl_posts_total{source="m",status="seen"} 2
# HELP tidewatch_crawl_runs_total Runs, by source and outcome (ok, failed, panic, skipped).
# TYPE tidewatch_crawl_runs_total counter
tidewatch_crawl_runs_total{outcome="ok",source="m"} 2
# HELP tidewatch_crawl_running 1 while a run of the source is in progress.
# TYPE tidewatch_crawl_running gauge
tidewatch_crawl_running{source="m"} 0
# HELP tidewatch_crawl_requests_total HTTP requests sent, robots.txt and redirects included.
# TYPE tidewatch_crawl_requests_total counter
tidewatch_crawl_requests_total 6
`
	if err := testutil.GatherAndCompare(env.reg, strings.NewReader(want),
		"tidewatch_crawl_errors_total", "tidewatch_crawl_pages_total", "tidewatch_crawl_posts_total",
		"tidewatch_crawl_runs_total", "tidewatch_crawl_running", "tidewatch_crawl_requests_total"); err != nil {
		t.Error(err)
	}
	if v := testutil.ToFloat64(env.c.metrics.lastSuccess.WithLabelValues("m")); v < 1.7e9 {
		t.Errorf("last success = %v", v)
	}
}

func TestMetricsRegisterTwice(t *testing.T) {
	reg := prometheus.NewRegistry()
	if _, err := New(Options{Registerer: reg}); err != nil {
		t.Fatal(err)
	}
	_, err := New(Options{Registerer: reg})
	if err == nil || !strings.HasPrefix(err.Error(), "crawler metrics: ") {
		t.Errorf("second New on one registry: err = %v", err)
	}
}
