// Package crawler fetches the public pages named by the seeds, politely and
// on a schedule, keeps the raw exchanges as evidence, and hands the posts it
// finds to a Sink.
//
// A Crawler runs one source at a time through Run: it checks robots.txt
// (cached per host), waits its turn at the host (a minimum gap between
// requests and a cap on requests in flight, shared by every source on that
// host), fetches with colly under a timeout, a body limit and a bounded
// number of redirects, decodes the body to UTF-8, records the exchange,
// passes the page to the platform adapter and the posts to the Sink.
// Paging back stops where the Sink already knows every post of a page,
// unless the run is a backfill.
//
// Every URL whose fetch failed, and every page still to be fetched, is kept
// in State as a retry before it is needed, so that a run killed at any point
// resumes where it stopped: nothing stored is lost and, since the Sink
// deduplicates by post ID, nothing is stored twice.
//
// A Scheduler runs each source on its cron schedule; Check re-fetches one
// post to see whether it is still online.
package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/prometheus/client_golang/prometheus"

	"tidewatch/evidence"
	"tidewatch/seeds"
)

// recorder keeps the raw HTTP exchanges: the evidence package's WARC writer.
type recorder interface {
	Write(ex *evidence.Exchange) (evidence.Ref, error)
}

// Options configure a Crawler. The zero value works: it remembers nothing
// between runs, keeps no evidence and discards the posts, which suits tests.
type Options struct {
	UserAgent    string        // identifies the crawler with a contact URL; "" means seeds.DefaultUserAgent
	Recorder     recorder      // keeps every exchange as evidence; nil keeps none
	State        State         // cursors and retries between runs; nil remembers nothing
	Sink         Sink          // receives the posts; nil counts them as new and drops them
	Timeout      time.Duration // for one whole exchange, body included; 0 means 30s
	MaxBodySize  int64         // bytes of (decompressed) body; 0 means 10 MiB
	MaxRedirects int           // redirects followed per fetch; 0 means 5
	Attempts     int           // tries per URL in one run when the host answers 429 or 503; 0 means 3
	Backoff      time.Duration // first wait after a 429 or 503 without Retry-After, doubled each time; 0 means 10s
	MaxBackoff   time.Duration // longest a run waits on a host; a longer Retry-After defers the URL to the next run; 0 means 5m
	IgnoreRobots bool          // skip robots.txt: tests and benchmarks only
	Registerer   prometheus.Registerer
	Logger       *slog.Logger     // nil logs nothing
	Progress     func(Progress)   // called after every page and at the end of each run; must be quick
	Now          func() time.Time // nil means time.Now
}

func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = seeds.DefaultUserAgent
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxBodySize <= 0 {
		o.MaxBodySize = 10 << 20
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = 5
	}
	if o.Attempts <= 0 {
		o.Attempts = 3
	}
	if o.Backoff <= 0 {
		o.Backoff = 10 * time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 5 * time.Minute
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Crawler fetches sources. It is safe for concurrent use: runs of different
// sources share the per-host politeness gates and the robots.txt cache.
type Crawler struct {
	opts    Options
	base    http.RoundTripper // the network; tests may replace it
	extract func(kind string) extractFunc
	metrics *metrics
	robots  *robotsCache

	mu    sync.Mutex
	gates map[string]*hostGate // by host[:port]
}

// New returns a Crawler. It fails only when the metrics cannot be
// registered with opts.Registerer.
func New(opts Options) (*Crawler, error) {
	opts = opts.withDefaults()
	m, err := newMetrics(opts.Registerer)
	if err != nil {
		return nil, err
	}
	return &Crawler{
		opts:    opts,
		base:    newBaseTransport(),
		extract: extractorFor,
		metrics: m,
		robots:  newRobotsCache(),
		gates:   make(map[string]*hostGate),
	}, nil
}

// Stats describe one run of one source.
type Stats struct {
	Source    string
	Backfill  bool
	Started   time.Time // UTC
	Finished  time.Time // UTC
	Pages     int       // pages fetched and read
	PostsNew  int       // posts the Sink did not know (new, or edited since stored)
	PostsSeen int       // posts the Sink already had, unchanged
	Errors    map[string]int
	LastError string // the last failure, "" if none
	Truncated bool   // the page budget ran out before the listing did
}

// ErrorCount is the number of failures of any reason.
func (s *Stats) ErrorCount() int {
	n := 0
	for _, c := range s.Errors {
		n += c
	}
	return n
}

// RunError is a run that could not do its work at all.
type RunError struct {
	Source string
	Err    error
}

func (e *RunError) Error() string { return "crawl " + e.Source + ": " + e.Err.Error() }
func (e *RunError) Unwrap() error { return e.Err }

// ErrNoAdapter is returned for a source whose kind has no adapter.
var ErrNoAdapter = errors.New("no adapter for this kind of source")

// errPanicked marks a run ended by a recovered panic.
var errPanicked = errors.New("panicked")

// Run crawls src once: its start URLs and the URLs left to retry by earlier
// runs. A scheduled run stops paging back at the first page whose posts are
// all known; a backfill pages to the end of each listing, within the page
// budget. Failures of single pages, panics included, are counted in Stats
// and the pages kept for the next run; Run returns an error only when the
// run was cancelled, when State could not be read, or when no page at all
// could be read (the error says why).
func (c *Crawler) Run(ctx context.Context, src *seeds.Source, backfill bool) (stats Stats, err error) {
	r := c.newRun(src, backfill)
	defer func() {
		if p := recover(); p != nil {
			perr := fmt.Errorf("%w: %v", errPanicked, p)
			r.fail("", reasonPanic, perr)
			c.opts.Logger.Error("crawl panicked", "source", src.Name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = &RunError{Source: src.Name, Err: perr}
		}
		stats = r.finish(err)
	}()
	extract := c.extract(src.Kind)
	if extract == nil {
		return stats, &RunError{Source: src.Name, Err: fmt.Errorf("kind %q: %w", src.Kind, ErrNoAdapter)}
	}
	r.extractPage = extract
	if err := r.crawl(ctx); err != nil {
		return stats, &RunError{Source: src.Name, Err: err}
	}
	if r.pagesRead() == 0 && r.errorCount() > 0 {
		return stats, &RunError{Source: src.Name, Err: fmt.Errorf("no page read: %s", r.lastError())}
	}
	return stats, nil
}

// gate returns the politeness gate of a host, creating it on first use.
func (c *Crawler) gate(host string) *hostGate {
	host = strings.ToLower(host)
	c.mu.Lock()
	defer c.mu.Unlock()
	g := c.gates[host]
	if g == nil {
		g = newHostGate()
		c.gates[host] = g
	}
	return g
}

// maxEmptyPages is how many pages in a row with neither posts nor links may
// follow each other before a listing counts as endless: real listings end,
// or at least show something.
const maxEmptyPages = 3

// run is the state of one Run.
type run struct {
	c           *Crawler
	src         *seeds.Source
	backfill    bool
	delay       time.Duration
	parallelism int
	maxPages    int
	maxDepth    int
	extractPage extractFunc
	state       State
	sink        Sink
	col         *colly.Collector
	captures    sync.Map // fetch token → *capture
	tokens      atomic.Uint64
	hadCursor   bool

	mu        sync.Mutex
	stats     Stats
	reserved  int                  // pages the budget has handed out
	seenURL   map[string]claimKind // URLs fetched or queued in this run
	seenPost  map[string]bool      // post IDs read in this run
	newest    cursorPos
	lastErrAt string
}

func (c *Crawler) newRun(src *seeds.Source, backfill bool) *run {
	r := &run{
		c:           c,
		src:         src,
		backfill:    backfill,
		delay:       max(src.Delay, 0),
		parallelism: src.Parallelism,
		maxPages:    src.MaxPages,
		maxDepth:    src.MaxDepth,
		state:       c.opts.State,
		sink:        c.opts.Sink,
		seenURL:     make(map[string]claimKind),
		seenPost:    make(map[string]bool),
	}
	if r.parallelism <= 0 {
		r.parallelism = seeds.DefaultParallelism
	}
	if r.maxPages <= 0 {
		r.maxPages = seeds.DefaultMaxPages
	}
	if r.maxDepth <= 0 {
		r.maxDepth = seeds.DefaultMaxDepth
	}
	if r.state == nil {
		r.state = noState{}
	}
	if r.sink == nil {
		r.sink = noSink{}
	}
	r.stats = Stats{Source: src.Name, Backfill: backfill, Started: c.opts.Now().UTC(), Errors: map[string]int{}}
	c.metrics.running.WithLabelValues(src.Name).Set(1)
	return r
}

// job is a listing to page through, from its first URL.
type job struct {
	url     string
	depth   int
	start   bool // one of the source's start URLs
	pending bool // in State's retries: clear it once read
	resume  bool // taken up from an earlier run: its first page does not stop the paging
}

// crawl runs the jobs of the source on parallelism workers.
func (r *run) crawl(ctx context.Context) error {
	name := r.src.Name
	retries, err := r.state.Retries(ctx, name)
	if err != nil {
		return fmt.Errorf("read retries: %w", err)
	}
	cursor, err := r.state.Cursor(ctx, name)
	if err != nil {
		return fmt.Errorf("read cursor: %w", err)
	}
	r.hadCursor = cursor != ""
	r.newest = parseCursor(cursor)
	r.col = r.collector(ctx)

	q := newQueue()
	pending := make(map[string]bool, len(retries))
	for _, u := range retries {
		pending[u] = true
	}
	for _, u := range r.src.URLs {
		if r.claim(u, claimStart) == claimNone {
			q.push(job{url: u, start: true, pending: pending[u], resume: pending[u]})
		}
	}
	for _, u := range retries {
		if r.claim(u, claimRetry) == claimNone {
			q.push(job{url: u, pending: true, resume: true})
		}
	}
	var wg sync.WaitGroup
	for range r.parallelism {
		wg.Go(func() {
			for {
				j, ok := q.pop()
				if !ok {
					return
				}
				r.pageSafe(ctx, q, j)
			}
		})
	}
	wg.Wait()

	if ctx.Err() != nil {
		return ctx.Err()
	}
	r.mu.Lock()
	newest := r.newest
	r.mu.Unlock()
	if c := newest.String(); c != cursor && c != "" {
		if err := r.state.SetCursor(ctx, name, c); err != nil {
			return fmt.Errorf("save cursor: %w", err)
		}
	}
	return nil
}

// page reads the pages of one listing, from j.url back through its next
// links, and queues the pages it links to one level down.
//
// The order of writes makes a kill at any point harmless: a page is kept
// as a retry before its posts go to the Sink, the page after it (and the
// pages it links to) are kept before it is cleared. A run after a kill
// finds the page it was on among the retries and reads on from there; the
// posts it had stored are known to the Sink, so nothing is stored twice.
func (r *run) page(ctx context.Context, q *queue, j job) {
	name := r.src.Name
	u, pending, first, empty := j.url, j.pending, true, 0
	for u != "" {
		if ctx.Err() != nil {
			return // what is pending stays pending for the next run
		}
		if !r.reserve() {
			r.mu.Lock()
			r.stats.Truncated = true
			r.mu.Unlock()
			if !j.start || !first {
				// Keep the rest of the listing for the next run where the
				// source has history, so a busy week leaves no gap; on a first
				// run the budget is the window, and backfill goes further.
				if r.backfill || r.hadCursor {
					r.setRetry(ctx, u, "page budget")
				} else if pending {
					r.clearRetry(ctx, u)
				}
			}
			return
		}
		p, err := r.fetch(ctx, u, j.depth)
		if err != nil {
			reason := reasonOf(err)
			if reason == reasonCanceled {
				return
			}
			r.fail(u, reason, err)
			if transient(reason) {
				r.setRetry(ctx, u, reason)
			} else if pending {
				r.clearRetry(ctx, u)
			}
			return
		}
		ex, err := r.extractSafe(p)
		if err != nil {
			reason := reasonOf(err)
			r.fail(u, reason, err)
			if transient(reason) {
				r.setRetry(ctx, u, reason)
			} else if pending {
				r.clearRetry(ctx, u)
			}
			return
		}
		posts := ex.Posts
		for i := range posts {
			posts[i].Source = name
			if posts[i].Capture == (evidence.Ref{}) {
				posts[i].Capture = p.Capture
			}
			if posts[i].Fetched.IsZero() {
				posts[i].Fetched = p.Fetched
			}
		}
		var known []bool
		if len(posts) > 0 {
			if !pending {
				r.setRetry(ctx, u, "pending")
				pending = true
			}
			known, err = r.sink.Put(ctx, posts)
			if err == nil && len(known) != len(posts) {
				err = fmt.Errorf("sink answered for %d of %d posts", len(known), len(posts))
			}
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				r.fail(u, reasonSink, &FetchError{URL: u, Reason: reasonSink, Err: err})
				r.setRetry(ctx, u, reasonSink)
				return
			}
		}
		allKnown, repeated := r.count(posts, known)
		r.progress(u)

		next := absolute(p.URL, ex.Next)
		switch {
		case next == "":
		case allKnown && !r.backfill && !(j.resume && first):
			next = "" // the incremental stop: the rest is known
		case repeated && !first:
			r.fail(u, reasonLoop, &FetchError{URL: u, Reason: reasonLoop, Err: errors.New("the page repeats posts already read in this run")})
			next = ""
		case len(posts) == 0 && len(ex.Follow) == 0:
			if empty++; empty >= maxEmptyPages {
				r.fail(next, reasonEndless, &FetchError{URL: next, Reason: reasonEndless, Err: fmt.Errorf("%d empty pages in a row", empty)})
				next = ""
			}
		default:
			empty = 0
		}
		if next != "" {
			switch prev := r.claim(next, claimNext); prev {
			case claimNone:
			case claimStart, claimNext:
				r.fail(next, reasonLoop, &FetchError{URL: next, Reason: reasonLoop, Err: errors.New("next link leads back to a page already read in this run")})
				next = ""
			default:
				next = "" // another job of this run has it
			}
		}
		if j.depth < r.maxDepth {
			for _, f := range ex.Follow {
				if f = absolute(p.URL, f); f != "" && r.claim(f, claimFollow) == claimNone {
					r.setRetry(ctx, f, "pending")
					q.push(job{url: f, depth: j.depth + 1, pending: true})
				}
			}
		}
		if next != "" {
			r.setRetry(ctx, next, "pending")
		}
		if pending {
			r.clearRetry(ctx, u)
		}
		u, pending, first = next, next != "", false
	}
}

// pageSafe runs page, turning a panic (in the Sink, say) into a failure
// of the job, with the page kept to retry: a worker goroutine's panic
// would otherwise end the process.
func (r *run) pageSafe(ctx context.Context, q *queue, j job) {
	defer q.done()
	defer func() {
		if v := recover(); v != nil {
			err := &FetchError{URL: j.url, Reason: reasonPanic, Err: fmt.Errorf("%w: %v", errPanicked, v)}
			r.c.opts.Logger.Error("crawl panicked", "source", r.src.Name, "url", j.url, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			r.fail(j.url, reasonPanic, err)
			r.setRetry(ctx, j.url, reasonPanic)
		}
	}()
	r.page(ctx, q, j)
}

// extractSafe runs the adapter, turning a panic into an error.
func (r *run) extractSafe(p *Page) (ex *Extraction, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &FetchError{URL: p.URL.String(), Reason: reasonPanic, Err: fmt.Errorf("adapter panicked: %v", v)}
			r.c.opts.Logger.Error("adapter panicked", "source", r.src.Name, "url", p.URL.String(), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		}
	}()
	ex, err = r.extractPage(r.src, p)
	if err != nil {
		return nil, &FetchError{URL: p.URL.String(), Reason: reasonExtract, Err: err}
	}
	if ex == nil {
		ex = &Extraction{}
	}
	return ex, nil
}

// count adds a page's posts to the stats. It reports whether every post
// was known to the Sink, and whether every post was already read earlier
// in this run (a listing going round in circles).
func (r *run) count(posts []Post, known []bool) (allKnown, repeated bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	allKnown, repeated = len(posts) > 0, len(posts) > 0
	nw := 0
	for i, p := range posts {
		if known[i] {
			r.stats.PostsSeen++
		} else {
			r.stats.PostsNew++
			nw++
			allKnown = false
		}
		if !r.seenPost[p.ID] {
			repeated = false
			r.seenPost[p.ID] = true
		}
		if pos := (cursorPos{t: p.Published.UTC(), id: p.ID}); pos.after(r.newest) {
			r.newest = pos
		}
	}
	r.stats.Pages++
	m := r.c.metrics
	m.pages(r.src.Name).Inc()
	m.posts.WithLabelValues(r.src.Name, "new").Add(float64(nw))
	m.posts.WithLabelValues(r.src.Name, "seen").Add(float64(len(posts) - nw))
	return allKnown, repeated
}

// How a URL came into a run: a loop is a next link back to a start URL or
// to another next link; a next link to a page another job holds (a retry,
// a thread) is only a hand-over.
type claimKind uint8

const (
	claimNone claimKind = iota
	claimStart
	claimNext
	claimRetry
	claimFollow
)

// claim marks u as taken by this run and returns who had it before, or
// claimNone if nobody did.
func (r *run) claim(u string, kind claimKind) claimKind {
	r.mu.Lock()
	defer r.mu.Unlock()
	if prev := r.seenURL[u]; prev != claimNone {
		return prev
	}
	r.seenURL[u] = kind
	return claimNone
}

// reserve takes one page from the budget.
func (r *run) reserve() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reserved >= r.maxPages {
		return false
	}
	r.reserved++
	return true
}

func (r *run) setRetry(ctx context.Context, u, reason string) {
	if err := r.state.SetRetry(context.WithoutCancel(ctx), r.src.Name, u, reason); err != nil {
		r.fail(u, reasonState, fmt.Errorf("keep %s for retry: %w", u, err))
	}
}

func (r *run) clearRetry(ctx context.Context, u string) {
	if err := r.state.ClearRetry(context.WithoutCancel(ctx), r.src.Name, u); err != nil {
		r.fail(u, reasonState, fmt.Errorf("clear retry of %s: %w", u, err))
	}
}

// fail counts a failure.
func (r *run) fail(u, reason string, err error) {
	r.mu.Lock()
	r.stats.Errors[reason]++
	r.stats.LastError = err.Error()
	r.mu.Unlock()
	r.c.metrics.errors.WithLabelValues(r.src.Name, reason).Inc()
	r.c.opts.Logger.Warn("crawl failure", "source", r.src.Name, "url", u, "reason", reason, "err", err)
}

func (r *run) pagesRead() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats.Pages
}

func (r *run) errorCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats.ErrorCount()
}

func (r *run) lastError() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats.LastError
}

// progress reports the run so far.
func (r *run) progress(u string) {
	if r.c.opts.Progress == nil {
		return
	}
	r.mu.Lock()
	p := Progress{Source: r.src.Name, URL: u, Pages: r.stats.Pages, MaxPages: r.maxPages,
		PostsNew: r.stats.PostsNew, PostsSeen: r.stats.PostsSeen, Errors: r.stats.ErrorCount()}
	r.mu.Unlock()
	r.c.opts.Progress(p)
}

// finish closes the run and returns its stats.
func (r *run) finish(err error) Stats {
	m := r.c.metrics
	name := r.src.Name
	m.running.WithLabelValues(name).Set(0)
	r.mu.Lock()
	r.stats.Finished = r.c.opts.Now().UTC()
	if err != nil && r.stats.LastError == "" {
		r.stats.LastError = err.Error()
	}
	st := r.stats
	st.Errors = maps.Clone(r.stats.Errors)
	r.mu.Unlock()
	switch {
	case errors.Is(err, errPanicked):
		m.runs.WithLabelValues(name, "panic").Inc()
	case err != nil:
		m.runs.WithLabelValues(name, "failed").Inc()
	default:
		m.runs.WithLabelValues(name, "ok").Inc()
	}
	if st.Pages > 0 {
		m.lastSuccess.WithLabelValues(name).Set(float64(st.Finished.Unix()))
	}
	r.c.opts.Logger.Info("crawl finished", "source", name, "pages", st.Pages, "new", st.PostsNew, "seen", st.PostsSeen,
		"errors", st.ErrorCount(), "truncated", st.Truncated, "took", st.Finished.Sub(st.Started).Round(time.Millisecond))
	if r.c.opts.Progress != nil {
		r.c.opts.Progress(Progress{Source: name, Pages: st.Pages, MaxPages: r.maxPages, PostsNew: st.PostsNew,
			PostsSeen: st.PostsSeen, Errors: st.ErrorCount(), Done: true, Stats: &st, Err: err})
	}
	return st
}

// absolute resolves a link against the page it is on, without its
// fragment; "" for anything but http(s).
func absolute(base *url.URL, ref string) string {
	s := resolve(base, ref)
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	return s
}

// cursorPos is the newest post a source has shown: its publication time
// and ID, kept in State as "RFC 3339 time|ID".
type cursorPos struct {
	t  time.Time
	id string
}

func parseCursor(s string) cursorPos {
	ts, id, ok := strings.Cut(s, "|")
	if !ok {
		return cursorPos{id: s}
	}
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return cursorPos{id: s}
	}
	return cursorPos{t: t, id: id}
}

func (p cursorPos) String() string {
	if p.id == "" {
		return ""
	}
	return p.t.UTC().Format(time.RFC3339Nano) + "|" + p.id
}

// after reports whether p is newer than q. A post without a date is
// newer only than nothing.
func (p cursorPos) after(q cursorPos) bool {
	if p.id == "" {
		return false
	}
	if q.id == "" {
		return true
	}
	return p.t.After(q.t)
}

// queue is the run's work list: workers pop until it is empty and no
// worker can add to it any more.
type queue struct {
	mu      sync.Mutex
	cond    *sync.Cond
	jobs    []job
	working int
}

func newQueue() *queue {
	q := &queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *queue) push(j job) {
	q.mu.Lock()
	q.jobs = append(q.jobs, j)
	q.mu.Unlock()
	q.cond.Signal()
}

// pop returns the next job, waiting while other workers may still add
// some; false when all is done.
func (q *queue) pop() (job, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.jobs) == 0 {
		if q.working == 0 {
			q.cond.Broadcast()
			return job{}, false
		}
		q.cond.Wait()
	}
	j := q.jobs[0]
	q.jobs = q.jobs[1:]
	q.working++
	return j, true
}

// done ends a popped job.
func (q *queue) done() {
	q.mu.Lock()
	q.working--
	q.mu.Unlock()
	q.cond.Broadcast()
}

// noState remembers nothing.
type noState struct{}

func (noState) Cursor(context.Context, string) (string, error)         { return "", nil }
func (noState) SetCursor(context.Context, string, string) error        { return nil }
func (noState) Retries(context.Context, string) ([]string, error)      { return nil, nil }
func (noState) SetRetry(context.Context, string, string, string) error { return nil }
func (noState) ClearRetry(context.Context, string, string) error       { return nil }

// noSink keeps nothing: every post is new.
type noSink struct{}

func (noSink) Put(_ context.Context, posts []Post) ([]bool, error) {
	return make([]bool, len(posts)), nil
}
