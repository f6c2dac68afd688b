package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"

	"tidewatch/demosite"
	"tidewatch/evidence"
	"tidewatch/seeds"
)

// hostileSelectors read demosite's hostile forum markup with the real
// html adapter.
var hostileSelectors = seeds.Selectors{
	Post: "article.post", Text: ".body", Author: ".author", Date: "time@datetime",
	Permalink: "a.permalink@href", Next: "a.next@href",
}

// nopRecorder stands in for the WARC writer: the benchmark measures the
// crawler, not the disk.
type nopRecorder struct{}

func (nopRecorder) Write(ex *evidence.Exchange) (evidence.Ref, error) {
	return evidence.Ref{File: "bench.warc.gz", RecordID: "<urn:uuid:bench>", Captured: ex.Fetched}, nil
}

// BenchmarkCrawl measures pages per second against demosite on loopback
// with politeness off (no delay, 16 in flight, robots ignored), through the
// whole engine — gate, colly, body limit, evidence call, charset, the html
// adapter, the Sink — next to a bare colly collector doing the same pages
// with goquery in the same run.
func BenchmarkCrawl(b *testing.B) {
	const chains = 16
	ts := httptest.NewServer(demosite.New())
	defer ts.Close()
	var urls []string
	for i := range chains {
		urls = append(urls, fmt.Sprintf("%s/hostile/endless-posts/0?chain=%d", ts.URL, i))
	}
	pages := max(b.N, chains)

	c, err := New(Options{IgnoreRobots: true, Recorder: nopRecorder{}})
	if err != nil {
		b.Fatal(err)
	}
	src := &seeds.Source{Name: "bench", Kind: seeds.HTML, URLs: urls, Parallelism: chains, MaxPages: pages, MaxDepth: 1, Selectors: hostileSelectors}
	b.ResetTimer()
	began := time.Now()
	st, err := c.Run(context.Background(), src, true)
	ours := time.Since(began)
	b.StopTimer()
	if err != nil || st.Pages != pages || st.ErrorCount() != 0 || st.PostsNew != pages*10 {
		b.Fatalf("Run = %d pages, %d posts, errors %v, %v", st.Pages, st.PostsNew, st.Errors, err)
	}

	// Bare colly over the same kind of pages (fresh chains, so nothing is
	// cached by the server), same parallelism, same page count.
	var got, posts atomic.Int64
	col := colly.NewCollector(colly.Async(true), colly.MaxRequests(uint32(pages)))
	col.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: chains})
	col.OnHTML("body", func(e *colly.HTMLElement) {
		got.Add(1)
		posts.Add(int64(e.DOM.Find("article.post").Length()))
		if next, ok := e.DOM.Find("a.next").Attr("href"); ok {
			e.Request.Visit(next)
		}
	})
	began = time.Now()
	for i := range chains {
		col.Visit(fmt.Sprintf("%s/hostile/endless-posts/0?chain=%d", ts.URL, 100+i))
	}
	col.Wait()
	bare := time.Since(began)
	if got.Load() < int64(pages) || posts.Load() < int64(pages*10) {
		b.Fatalf("colly read %d pages, %d posts; want %d, %d", got.Load(), posts.Load(), pages, pages*10)
	}
	oursRate := float64(pages) / ours.Seconds()
	bareRate := float64(got.Load()) / bare.Seconds()
	b.ReportMetric(oursRate, "pages/s")
	b.ReportMetric(bareRate, "colly-pages/s")
	b.ReportMetric(oursRate/bareRate, "ratio")
}

// BenchmarkSchedulerMemory measures the heap held per scheduled source
// with 10,000 sources loaded and idle (their schedules never due in the run).
func BenchmarkSchedulerMemory(b *testing.B) {
	const n = 10000
	sources := make([]seeds.Source, n)
	for i := range sources {
		sources[i] = seeds.Source{
			Name: fmt.Sprintf("source-%05d", i), Kind: seeds.Telegram,
			URLs:     []string{fmt.Sprintf("https://t.me/s/channel%05d", i)},
			Schedule: fmt.Sprintf("%d %d 1 1 *", i%60, i%24), Delay: 2 * time.Second, Parallelism: 1, MaxPages: 50, MaxDepth: 2,
		}
	}
	c, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	var perSource float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, err := NewScheduler(c, sources, ScheduleOptions{})
		if err != nil {
			b.Fatal(err)
		}
		s.Start(context.Background())
		runtime.GC()
		runtime.ReadMemStats(&after)
		perSource = float64(after.HeapAlloc-before.HeapAlloc) / n
		s.Stop(context.Background())
		runtime.KeepAlive(s)
	}
	b.ReportMetric(perSource, "B/source")
}

// BenchmarkHostGap measures, at the server, the gap between requests to one
// host against the configured delay.
func BenchmarkHostGap(b *testing.B) {
	const delay = 10 * time.Millisecond
	var a engArrivals
	ts := httptest.NewServer(a.wrap(demosite.New()))
	defer ts.Close()
	c, err := New(Options{IgnoreRobots: true})
	if err != nil {
		b.Fatal(err)
	}
	c.extract = func(string) extractFunc { return engExtract }
	pages := max(b.N, 10)
	src := &seeds.Source{Name: "gap", Kind: seeds.HTML, URLs: []string{ts.URL + "/hostile/endless-posts/0?chain=1", ts.URL + "/hostile/endless-posts/0?chain=2"},
		Delay: delay, Parallelism: 2, MaxPages: pages, MaxDepth: 1}
	b.ResetTimer()
	if _, err := c.Run(context.Background(), src, true); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	minGap, n := a.minGap()
	a.mu.Lock()
	mean := a.times[n-1].Sub(a.times[0]) / time.Duration(n-1)
	a.mu.Unlock()
	if minGap < delay {
		b.Errorf("gap %v below the delay %v", minGap, delay)
	}
	b.ReportMetric(float64(delay)/float64(time.Millisecond), "delay-ms")
	b.ReportMetric(float64(minGap)/float64(time.Millisecond), "min-gap-ms")
	b.ReportMetric(float64(mean)/float64(time.Millisecond), "mean-gap-ms")
}

var _ http.RoundTripper = (*transport)(nil)
