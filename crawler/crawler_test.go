package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/prometheus/client_golang/prometheus"

	"tidewatch/demosite"
	"tidewatch/evidence"
	"tidewatch/seeds"
)

// engState is an in-memory State.
type engState struct {
	mu      sync.Mutex
	cursors map[string]string
	retries map[string]map[string]string // source → url → reason
}

func newEngState() *engState {
	return &engState{cursors: map[string]string{}, retries: map[string]map[string]string{}}
}

func (s *engState) Cursor(_ context.Context, src string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursors[src], nil
}

func (s *engState) SetCursor(_ context.Context, src, c string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cursors[src] = c
	return nil
}

func (s *engState) Retries(_ context.Context, src string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for u := range s.retries[src] {
		out = append(out, u)
	}
	slices.Sort(out)
	return out, nil
}

func (s *engState) SetRetry(_ context.Context, src, u, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.retries[src] == nil {
		s.retries[src] = map[string]string{}
	}
	s.retries[src][u] = reason
	return nil
}

func (s *engState) ClearRetry(_ context.Context, src, u string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.retries[src], u)
	return nil
}

// retryMap returns a copy of a source's retries.
func (s *engState) retryMap(src string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for k, v := range s.retries[src] {
		out[k] = v
	}
	return out
}

// engSink keeps posts by ID with their versions, like the store.
type engSink struct {
	mu       sync.Mutex
	text     map[string]string
	versions map[string]int
	puts     int
	put      func(posts []Post) error // optional hook, after storing: an error is returned as Put's
}

func newEngSink() *engSink {
	return &engSink{text: map[string]string{}, versions: map[string]int{}}
}

func (s *engSink) Put(ctx context.Context, posts []Post) ([]bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.puts++
	known := make([]bool, len(posts))
	for i, p := range posts {
		old, ok := s.text[p.ID]
		known[i] = ok && old == p.Text
		if !known[i] {
			s.text[p.ID] = p.Text
			s.versions[p.ID]++
		}
	}
	if s.put != nil {
		if err := s.put(posts); err != nil {
			return nil, err
		}
	}
	return known, nil
}

func (s *engSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.text)
}

func (s *engSink) get(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.text[id]
	return t, ok
}

// engExtract reads the hostile forum markup of demosite and of the test
// servers here: article.post[id] > .body, a.next@href, a.thread@href.
func engExtract(src *seeds.Source, p *Page) (*Extraction, error) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(p.Body)))
	if err != nil {
		return nil, err
	}
	ex := &Extraction{}
	doc.Find("article.post").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		t, _ := time.Parse(time.RFC3339, s.Find("time").AttrOr("datetime", ""))
		ex.Posts = append(ex.Posts, Post{
			ID:        "forum:" + id,
			Platform:  "forum",
			URL:       p.URL.String() + "#" + id,
			Text:      strings.TrimSpace(s.Find(".body").Text()),
			Published: t,
			Fetched:   p.Fetched,
			Capture:   p.Capture,
		})
	})
	ex.Next = doc.Find("a.next").AttrOr("href", "")
	doc.Find("a.thread").Each(func(_ int, s *goquery.Selection) {
		ex.Follow = append(ex.Follow, s.AttrOr("href", ""))
	})
	return ex, nil
}

// engRecorder hands out refs and counts exchanges.
type engRecorder struct {
	mu  sync.Mutex
	exs []evidence.Exchange
}

func (r *engRecorder) Write(ex *evidence.Exchange) (evidence.Ref, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exs = append(r.exs, *ex)
	return evidence.Ref{File: "test.warc.gz", RecordID: fmt.Sprintf("<urn:uuid:%d>", len(r.exs)), Digest: "sha256:" + strconv.Itoa(len(ex.Body)), Captured: ex.Fetched}, nil
}

type engEnv struct {
	c     *Crawler
	state *engState
	sink  *engSink
	rec   *engRecorder
	reg   *prometheus.Registry
}

// newEngCrawler returns a crawler reading the forum markup, with robots
// ignored unless opts says otherwise, and quick timeouts.
func newEngCrawler(t testing.TB, opts Options) *engEnv {
	t.Helper()
	env := &engEnv{state: newEngState(), sink: newEngSink(), rec: &engRecorder{}, reg: prometheus.NewRegistry()}
	if opts.State == nil {
		opts.State = env.state
	}
	if opts.Sink == nil {
		opts.Sink = env.sink
	}
	if opts.Recorder == nil {
		opts.Recorder = env.rec
	}
	if opts.Registerer == nil {
		opts.Registerer = env.reg
	}
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Second
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	c.extract = func(string) extractFunc { return engExtract }
	env.c = c
	return env
}

func engSource(name string, urls ...string) *seeds.Source {
	return &seeds.Source{Name: name, Kind: seeds.HTML, URLs: urls, Schedule: "@hourly", Delay: 0, Parallelism: 1, MaxPages: 50, MaxDepth: 2}
}

// engListing serves a forum board of posts, newest first, ten to a page, at
// /list?page=N, with thread links when threads is set.
type engListing struct {
	mu    sync.Mutex
	posts []engPost   // newest first
	fail  map[int]int // page → status to answer with, once
	hits  map[int]int
}

type engPost struct{ id, text string }

func newEngListing(n int) *engListing {
	l := &engListing{fail: map[int]int{}, hits: map[int]int{}}
	for i := n - 1; i >= 0; i-- {
		l.posts = append(l.posts, engPost{id: "p" + strconv.Itoa(i), text: "post number " + strconv.Itoa(i)})
	}
	return l
}

// add puts n newer posts on top.
func (l *engListing) add(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	base := len(l.posts)
	var fresh []engPost
	for i := base + n - 1; i >= base; i-- {
		fresh = append(fresh, engPost{id: "p" + strconv.Itoa(i), text: "post number " + strconv.Itoa(i)})
	}
	l.posts = append(fresh, l.posts...)
}

func (l *engListing) edit(id, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range l.posts {
		if l.posts[i].id == id {
			l.posts[i].text = text
		}
	}
}

func (l *engListing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	l.mu.Lock()
	l.hits[page]++
	if code, ok := l.fail[page]; ok {
		delete(l.fail, page)
		l.mu.Unlock()
		http.Error(w, "failing", code)
		return
	}
	var b strings.Builder
	b.WriteString("<html><body>")
	for i := page * 10; i < min(len(l.posts), page*10+10); i++ {
		n, _ := strconv.Atoi(strings.TrimPrefix(l.posts[i].id, "p"))
		fmt.Fprintf(&b, `<article class="post" id="%s"><time datetime="%s"></time><div class="body">%s</div></article>`,
			l.posts[i].id, time.Date(2026, 1, 1, 0, n, 0, 0, time.UTC).Format(time.RFC3339), l.posts[i].text)
	}
	if (page+1)*10 < len(l.posts) {
		fmt.Fprintf(&b, `<a class="next" href="/list?page=%d">older</a>`, page+1)
	}
	l.mu.Unlock()
	b.WriteString("</body></html>")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, b.String())
}

func (l *engListing) hitCount(page int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.hits[page]
}

func TestIncrementalStopAndBackfill(t *testing.T) {
	l := newEngListing(45) // pages 0..4
	ts := httptest.NewServer(l)
	defer ts.Close()
	env := newEngCrawler(t, Options{IgnoreRobots: true})
	src := engSource("board", ts.URL+"/list?page=0")
	ctx := context.Background()

	steps := []struct {
		name     string
		before   func()
		backfill bool
		want     Stats
	}{
		{"first backfill reads every page", nil, true, Stats{Pages: 5, PostsNew: 45}},
		{"nothing new: one page", nil, false, Stats{Pages: 1, PostsSeen: 10}},
		{"12 new posts: pages until one is all known", func() { l.add(12) }, false, Stats{Pages: 3, PostsNew: 12, PostsSeen: 18}},
		{"an edited post is new again", func() { l.edit("p50", "post number 50, edited") }, false, Stats{Pages: 2, PostsNew: 1, PostsSeen: 19}},
		{"edited further back: incremental stops before it", func() { l.edit("p3", "edited") }, false, Stats{Pages: 1, PostsSeen: 10}},
		{"backfill finds it", nil, true, Stats{Pages: 6, PostsNew: 1, PostsSeen: 56}},
	}
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		got, err := env.c.Run(ctx, src, st.backfill)
		if err != nil {
			t.Fatalf("%s: Run: %v", st.name, err)
		}
		if got.Pages != st.want.Pages || got.PostsNew != st.want.PostsNew || got.PostsSeen != st.want.PostsSeen || len(got.Errors) != 0 || got.Truncated {
			t.Errorf("%s: got pages=%d new=%d seen=%d errors=%v truncated=%v, want pages=%d new=%d seen=%d, no errors",
				st.name, got.Pages, got.PostsNew, got.PostsSeen, got.Errors, got.Truncated, st.want.Pages, st.want.PostsNew, st.want.PostsSeen)
		}
		if got.Source != "board" || got.Backfill != st.backfill || got.Started.IsZero() || got.Finished.Before(got.Started) {
			t.Errorf("%s: stats header = %+v", st.name, got)
		}
	}
	if n := env.sink.count(); n != 57 {
		t.Errorf("sink holds %d posts, want 57", n)
	}
	if v := env.sink.versions["forum:p3"]; v != 2 {
		t.Errorf("p3 has %d versions, want 2", v)
	}
	if r := env.state.retryMap("board"); len(r) != 0 {
		t.Errorf("retries left: %v", r)
	}
	if c := env.state.cursors["board"]; c != "2026-01-01T00:56:00Z|forum:p56" {
		t.Errorf("cursor = %q, want the newest post forum:p56", c)
	}
}

func TestFailedPageRetriedNextRun(t *testing.T) {
	l := newEngListing(30)
	l.fail[1] = http.StatusInternalServerError
	ts := httptest.NewServer(l)
	defer ts.Close()
	env := newEngCrawler(t, Options{IgnoreRobots: true})
	src := engSource("board", ts.URL+"/list?page=0")
	ctx := context.Background()
	page1 := ts.URL + "/list?page=1"

	st, err := env.c.Run(ctx, src, false)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pages != 1 || st.PostsNew != 10 || st.Errors["http_500"] != 1 || !strings.Contains(st.LastError, "HTTP 500") {
		t.Fatalf("run 1: %+v", st)
	}
	if got := env.state.retryMap("board"); got[page1] != "http_500" || len(got) != 1 {
		t.Fatalf("retries after run 1 = %v, want %s: http_500", got, page1)
	}
	// Run 2: page 0 is all known, but the failed page is fetched again,
	// and the engListing is paged on from there.
	st, err = env.c.Run(ctx, src, false)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pages != 3 || st.PostsNew != 20 || st.PostsSeen != 10 || len(st.Errors) != 0 {
		t.Fatalf("run 2: %+v", st)
	}
	if got := env.state.retryMap("board"); len(got) != 0 {
		t.Fatalf("retries after run 2 = %v", got)
	}
	if env.sink.count() != 30 || l.hitCount(1) != 2 {
		t.Errorf("sink %d posts (want 30), page 1 fetched %d times (want 2)", env.sink.count(), l.hitCount(1))
	}
}

// TestKilledRunResumes stops a run in the middle, as a kill would (the
// context is cancelled inside the Sink, so nothing after it is written),
// and checks that the next run picks the engListing up where it stopped even
// though its first page is all known.
func TestKilledRunResumes(t *testing.T) {
	for _, tt := range []struct {
		killAt int
		putErr bool // killed before the Put returned: the page after it is not yet kept
	}{{1, false}, {2, false}, {4, false}, {1, true}, {3, true}, {5, true}} {
		killAt := tt.killAt
		t.Run(fmt.Sprintf("put %d, before return %v", killAt, tt.putErr), func(t *testing.T) {
			l := newEngListing(50)
			ts := httptest.NewServer(l)
			defer ts.Close()
			env := newEngCrawler(t, Options{IgnoreRobots: true})
			src := engSource("board", ts.URL+"/list?page=0")
			ctx, cancel := context.WithCancel(context.Background())
			puts := 0
			env.sink.put = func([]Post) error {
				if puts++; puts == killAt {
					cancel()
					if tt.putErr {
						return errors.New("killed")
					}
				}
				return nil
			}
			_, err := env.c.Run(ctx, src, false)
			if killAt == 5 && !tt.putErr {
				err = context.Canceled // the run ended before it noticed
			}
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("killed run: err = %v, want context.Canceled", err)
			}
			env.sink.put = nil
			if got := env.sink.count(); got != killAt*10 {
				t.Fatalf("after the kill the sink holds %d posts, want %d", got, killAt*10)
			}
			st, err := env.c.Run(context.Background(), src, false)
			if err != nil {
				t.Fatal(err)
			}
			if env.sink.count() != 50 {
				t.Errorf("after the restart the sink holds %d posts, want 50 (stats %+v)", env.sink.count(), st)
			}
			for id, v := range env.sink.versions {
				if v != 1 {
					t.Errorf("%s stored %d times", id, v)
				}
			}
			if r := env.state.retryMap("board"); len(r) != 0 {
				t.Errorf("retries left: %v", r)
			}
		})
	}
}

func TestPageBudget(t *testing.T) {
	ts := httptest.NewServer(demosite.New())
	defer ts.Close()
	start := ts.URL + "/hostile/endless-posts/0"
	page4 := ts.URL + "/hostile/endless-posts/4"
	for _, tt := range []struct {
		name      string
		backfill  bool
		cursor    string
		wantRetry map[string]string
	}{
		{"first run: the budget is the window", false, "", map[string]string{}},
		{"source with history: the rest is kept", false, "2026-01-01T00:00:00Z|forum:x", map[string]string{page4: "page budget"}},
		{"backfill: the rest is kept", true, "", map[string]string{page4: "page budget"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := newEngCrawler(t, Options{IgnoreRobots: true})
			if tt.cursor != "" {
				env.state.cursors["endless"] = tt.cursor
			}
			src := engSource("endless", start)
			src.MaxPages = 4
			st, err := env.c.Run(context.Background(), src, tt.backfill)
			if err != nil {
				t.Fatal(err)
			}
			if st.Pages != 4 || st.PostsNew != 40 || !st.Truncated || len(st.Errors) != 0 {
				t.Errorf("stats = %+v, want 4 pages, 40 new, truncated, no errors", st)
			}
			if got := env.state.retryMap("endless"); !engMapsEqual(got, tt.wantRetry) {
				t.Errorf("retries = %v, want %v", got, tt.wantRetry)
			}
		})
	}
}

func engMapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestFollowThreads(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/board", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><a class="thread" href="/thread/1">t1</a><a class="thread" href="/thread/2">t2</a><a class="thread" href="/thread/1">again</a><a class="thread" href="mailto:x@y">mail</a></html>`)
	})
	mux.HandleFunc("/thread/{n}", func(w http.ResponseWriter, r *http.Request) {
		n := r.PathValue("n")
		fmt.Fprintf(w, `<html><article class="post" id="t%s-a"><div class="body">a</div></article><article class="post" id="t%s-b"><div class="body">b</div></article><a class="thread" href="/deeper/%s">deeper</a></html>`, n, n, n)
	})
	mux.HandleFunc("/deeper/{n}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<html><article class="post" id="d%s"><div class="body">d</div></article></html>`, r.PathValue("n"))
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	for _, tt := range []struct {
		depth     int
		wantPages int
		wantPosts int
	}{
		{1, 3, 4},
		{2, 5, 6},
	} {
		env := newEngCrawler(t, Options{IgnoreRobots: true})
		src := engSource("forum", ts.URL+"/board")
		src.MaxDepth = tt.depth
		src.Parallelism = 2
		st, err := env.c.Run(context.Background(), src, false)
		if err != nil {
			t.Fatal(err)
		}
		if st.Pages != tt.wantPages || st.PostsNew != tt.wantPosts || len(st.Errors) != 0 {
			t.Errorf("depth %d: stats = %+v, want %d pages, %d posts", tt.depth, st, tt.wantPages, tt.wantPosts)
		}
		if r := env.state.retryMap("forum"); len(r) != 0 {
			t.Errorf("depth %d: retries left: %v", tt.depth, r)
		}
	}
}

func TestEvidenceOnPosts(t *testing.T) {
	ts := httptest.NewServer(demosite.New())
	defer ts.Close()
	env := newEngCrawler(t, Options{IgnoreRobots: true, UserAgent: "tidewatch-test/1.0 (+http://example.invalid/contact)"})
	var posts []Post
	env.sink.put = func(p []Post) error { posts = append(posts, p...); return nil }
	st, err := env.c.Run(context.Background(), engSource("ev", ts.URL+"/hostile/redirect-chain/2"), false)
	if err != nil || st.Pages != 1 || st.PostsNew != 1 {
		t.Fatalf("Run = %+v, %v", st, err)
	}
	// Three exchanges: two redirects and the page, all recorded.
	if len(env.rec.exs) != 3 {
		t.Fatalf("recorded %d exchanges, want 3", len(env.rec.exs))
	}
	for i, ex := range env.rec.exs {
		if ex.Method != "GET" || ex.RequestHeader.Get("User-Agent") != "tidewatch-test/1.0 (+http://example.invalid/contact)" ||
			ex.RequestHeader.Get(tokenHeader) != "" || ex.RemoteAddr == "" || ex.Fetched.IsZero() || ex.Proto != "HTTP/1.1" {
			t.Errorf("exchange %d = %+v", i, ex)
		}
	}
	last := env.rec.exs[2]
	if last.Status != 200 || !strings.HasSuffix(last.URL, "/hostile/redirect-chain/0") || len(last.Body) == 0 {
		t.Errorf("final exchange: status %d url %s body %d bytes", last.Status, last.URL, len(last.Body))
	}
	p := posts[0]
	want := evidence.Ref{File: "test.warc.gz", RecordID: "<urn:uuid:3>", Digest: "sha256:" + strconv.Itoa(len(last.Body)), Captured: last.Fetched}
	if p.Capture != want || p.Source != "ev" || p.Fetched != last.Fetched {
		t.Errorf("post capture = %+v source %q fetched %v, want %+v", p.Capture, p.Source, p.Fetched, want)
	}
}

type engFailingRecorder struct{}

func (engFailingRecorder) Write(*evidence.Exchange) (evidence.Ref, error) {
	return evidence.Ref{}, errors.New("disk full")
}

func TestNoPageWithoutEvidence(t *testing.T) {
	ts := httptest.NewServer(demosite.New())
	defer ts.Close()
	env := newEngCrawler(t, Options{IgnoreRobots: true, Recorder: engFailingRecorder{}})
	u := ts.URL + "/hostile/gzip"
	st, err := env.c.Run(context.Background(), engSource("ev", u), false)
	var re *RunError
	if !errors.As(err, &re) || re.Source != "ev" || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want a RunError saying disk full", err)
	}
	if st.Pages != 0 || st.Errors[reasonEvidence] != 1 || env.sink.count() != 0 {
		t.Errorf("stats = %+v, sink %d: want no page, one evidence error", st, env.sink.count())
	}
	if got := env.state.retryMap("ev"); got[u] != reasonEvidence {
		t.Errorf("retries = %v, want %s kept", got, u)
	}
}

func TestRunErrors(t *testing.T) {
	env := newEngCrawler(t, Options{IgnoreRobots: true})
	env.c.extract = extractorFor
	_, err := env.c.Run(context.Background(), &seeds.Source{Name: "odd", Kind: "gopher", URLs: []string{"http://127.0.0.1:1/"}}, false)
	if !errors.Is(err, ErrNoAdapter) || err.Error() != `crawl odd: kind "gopher": no adapter for this kind of source` {
		t.Errorf("unknown kind: err = %v", err)
	}
	env = newEngCrawler(t, Options{IgnoreRobots: true})
	env.c.extract = func(string) extractFunc {
		return func(*seeds.Source, *Page) (*Extraction, error) { panic("adapter bug") }
	}
	ts := httptest.NewServer(demosite.New())
	defer ts.Close()
	st, err := env.c.Run(context.Background(), engSource("p", ts.URL+"/hostile/gzip"), false)
	if err == nil || err.Error() != "crawl p: no page read: "+st.LastError || st.Errors[reasonPanic] != 1 ||
		st.LastError != "fetch "+ts.URL+"/hostile/gzip: panic: adapter panicked: adapter bug" {
		t.Errorf("panicking adapter: stats %+v, err %v", st, err)
	}
}

// TestSinkPanic checks that a panic in the Sink, on a worker goroutine, is
// recorded and the page kept, not the end of the process.
func TestSinkPanic(t *testing.T) {
	ts := httptest.NewServer(demosite.New())
	defer ts.Close()
	env := newEngCrawler(t, Options{IgnoreRobots: true})
	env.sink.put = func([]Post) error { panic("store bug") }
	u := ts.URL + "/hostile/gzip"
	st, err := env.c.Run(context.Background(), engSource("sp", u), false)
	if err == nil || st.Errors[reasonPanic] != 1 || st.LastError != "fetch "+u+": panic: panicked: store bug" {
		t.Errorf("Run = %+v, %v", st, err)
	}
	if got := env.state.retryMap("sp"); got[u] != reasonPanic {
		t.Errorf("retries = %v, want %s kept", got, u)
	}
}

// TestZeroOptions runs with Options{}: no state, sink, recorder or registry.
func TestZeroOptions(t *testing.T) {
	ts := httptest.NewServer(demosite.New())
	defer ts.Close()
	c, err := New(Options{IgnoreRobots: true})
	if err != nil {
		t.Fatal(err)
	}
	c.extract = func(string) extractFunc { return engExtract }
	st, err := c.Run(context.Background(), engSource("z", ts.URL+"/hostile/gzip"), false)
	if err != nil || st.Pages != 1 || st.PostsNew != 3 {
		t.Errorf("Run = %+v, %v", st, err)
	}
}
