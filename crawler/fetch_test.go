package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"tidewatch/demosite"
)

// engArrivals records when each request reached a test server.
type engArrivals struct {
	mu    sync.Mutex
	times []time.Time
	paths []string
}

func (a *engArrivals) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.times = append(a.times, time.Now())
		a.paths = append(a.paths, r.URL.RequestURI())
		a.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// minGap is the smallest gap between two engArrivals.
func (a *engArrivals) minGap() (time.Duration, int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	gap := time.Duration(1<<63 - 1)
	for i := 1; i < len(a.times); i++ {
		gap = min(gap, a.times[i].Sub(a.times[i-1]))
	}
	return gap, len(a.times)
}

// TestPolitenessGap measures, at the server, the gap between requests to
// one host: never below the configured delay, with one source, with
// parallelism, and with two sources on the same host at once.
func TestPolitenessGap(t *testing.T) {
	const delay = 40 * time.Millisecond
	for _, tt := range []struct {
		name        string
		sources     int
		parallelism int
		chains      int
	}{
		{"one source", 1, 1, 1},
		{"parallelism 3", 1, 3, 3},
		{"two sources, one host", 2, 1, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var a engArrivals
			ts := httptest.NewServer(a.wrap(demosite.New()))
			defer ts.Close()
			env := newEngCrawler(t, Options{})
			var wg sync.WaitGroup
			for s := range tt.sources {
				var urls []string
				for c := range tt.chains {
					urls = append(urls, fmt.Sprintf("%s/hostile/endless-posts/0?chain=%d", ts.URL, s*10+c))
				}
				src := engSource(fmt.Sprintf("s%d", s), urls...)
				src.Delay, src.Parallelism, src.MaxPages = delay, tt.parallelism, 4
				wg.Go(func() {
					st, err := env.c.Run(context.Background(), src, false)
					if err != nil || st.Pages != 4 {
						t.Errorf("Run %s = %+v, %v", src.Name, st, err)
					}
				})
			}
			wg.Wait()
			gap, n := a.minGap()
			want := 1 + tt.sources*4 // robots.txt once, then the pages
			if n != want {
				t.Errorf("server saw %d requests, want %d: %v", n, want, a.paths)
			}
			if gap < delay {
				a.mu.Lock()
				var b strings.Builder
				for i := range a.times {
					fmt.Fprintf(&b, "\n%v %s", a.times[i].Sub(a.times[0]), a.paths[i])
				}
				a.mu.Unlock()
				t.Errorf("smallest gap between requests = %v, want >= %v; requests:%s", gap, delay, b.String())
			}
		})
	}
}

// TestRetryAfter checks that a 429 or 503 holds the host back for
// Retry-After (or the backoff), retries within the run, and that a wait
// beyond MaxBackoff defers the URL to the next run without another request.
func TestRetryAfter(t *testing.T) {
	type answer struct {
		status     int
		retryAfter string
	}
	for _, tt := range []struct {
		name       string
		answers    []answer // then 200
		opts       Options
		wantPages  int
		wantReason string
		wantGap    time.Duration // at least, between the first two requests
		wantMaxRun time.Duration
		wantHits   int
	}{
		{"Retry-After seconds honoured", []answer{{429, "1"}}, Options{}, 1, "", time.Second, 3 * time.Second, 2},
		{"503 with backoff doubling", []answer{{503, ""}, {503, ""}}, Options{Backoff: 60 * time.Millisecond}, 1, "", 60 * time.Millisecond, 2 * time.Second, 3},
		{"Retry-After date honoured", []answer{{503, "DATE+1"}}, Options{}, 1, "", 900 * time.Millisecond, 3 * time.Second, 2},
		{"attempts exhausted", []answer{{429, "0"}, {429, "0"}, {429, "0"}}, Options{}, 0, reasonRateLimited, 0, 2 * time.Second, 3},
		{"Retry-After beyond the cap", []answer{{429, "3600"}}, Options{MaxBackoff: 100 * time.Millisecond}, 0, reasonRateLimited, 0, time.Second, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var a engArrivals
			var mu sync.Mutex
			n := 0
			ts := httptest.NewServer(a.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				i := n
				n++
				mu.Unlock()
				if i < len(tt.answers) {
					ra := tt.answers[i].retryAfter
					if ra == "DATE+1" {
						ra = time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) // second resolution: 1–2 s
					}
					if ra != "" {
						w.Header().Set("Retry-After", ra)
					}
					w.WriteHeader(tt.answers[i].status)
					return
				}
				fmt.Fprint(w, `<article class="post" id="ok"><div class="body">ok</div></article>`)
			})))
			defer ts.Close()
			env := newEngCrawler(t, Options{IgnoreRobots: true, Backoff: tt.opts.Backoff, MaxBackoff: tt.opts.MaxBackoff})
			src := engSource("rl", ts.URL+"/x")
			began := time.Now()
			st, _ := env.c.Run(context.Background(), src, false)
			took := time.Since(began)
			if st.Pages != tt.wantPages {
				t.Errorf("pages = %d, want %d (stats %+v)", st.Pages, tt.wantPages, st)
			}
			if tt.wantReason != "" && st.Errors[tt.wantReason] != 1 {
				t.Errorf("errors = %v, want one %s", st.Errors, tt.wantReason)
			}
			if tt.wantReason == "" && len(st.Errors) != 0 {
				t.Errorf("errors = %v, want none", st.Errors)
			}
			if took > tt.wantMaxRun {
				t.Errorf("run took %v, want at most %v", took, tt.wantMaxRun)
			}
			a.mu.Lock()
			hits := len(a.times)
			var gap time.Duration
			if hits > 1 {
				gap = a.times[1].Sub(a.times[0])
			}
			a.mu.Unlock()
			if hits != tt.wantHits {
				t.Errorf("server saw %d requests, want %d", hits, tt.wantHits)
			}
			if gap < tt.wantGap {
				t.Errorf("gap after the 429/503 = %v, want >= %v", gap, tt.wantGap)
			}
			if tt.wantReason != "" {
				if r := env.state.retryMap("rl"); r[ts.URL+"/x"] != reasonRateLimited {
					t.Errorf("retries = %v, want the URL kept as rate_limited", r)
				}
			}
			if tt.name == "Retry-After beyond the cap" {
				// The host is still paused: the next run asks nothing of it.
				st, _ := env.c.Run(context.Background(), src, false)
				a.mu.Lock()
				hits := len(a.times)
				a.mu.Unlock()
				if hits != 1 || st.Errors[reasonRateLimited] != 1 || !strings.Contains(st.LastError, "longer than the backoff cap") {
					t.Errorf("second run: %d requests, stats %+v", hits, st)
				}
			}
		})
	}
}

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"120", 2 * time.Minute, true},
		{" 0 ", 0, true},
		{"-5", 0, false},
		{"", 0, false},
		{"soon", 0, false},
		{"99999999999", 24 * time.Hour, true},
		{"Sun, 01 Mar 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Sun, 01 Mar 2026 11:00:00 GMT", 0, true},
	} {
		got, ok := retryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestHostile runs every hostile route of demosite and checks the reason
// recorded, the pages read, and that the run ends quickly.
func TestHostile(t *testing.T) {
	ts := httptest.NewServer(demosite.New())
	defer ts.Close()
	for _, tt := range []struct {
		path      string
		reason    string // "" for none
		pages     int
		posts     int
		truncated bool
	}{
		{"/hostile/slow?delay=5s", reasonTimeout, 0, 0, false},
		{"/hostile/trickle", reasonTimeout, 0, 0, false},
		{"/hostile/huge", reasonTooLarge, 0, 0, false},
		{"/hostile/huge-declared", reasonTooLarge, 0, 0, false},
		{"/hostile/huge?chunked=1", reasonTooLarge, 0, 0, false},
		{"/hostile/gzip", "", 1, 3, false},
		{"/hostile/gzip-bomb", reasonGzipBomb, 0, 0, false},
		{"/hostile/gzip-bomb-xgzip", reasonGzipBomb, 0, 0, false},
		{"/hostile/gzip-bomb-type", reasonGzipBomb, 0, 0, false},
		{"/hostile/redirect-loop/a", reasonRedirects, 0, 0, false},
		{"/hostile/redirect-chain/9", reasonRedirects, 0, 0, false},
		{"/hostile/redirect-chain/3", "", 1, 1, false},
		{"/hostile/loop/1", reasonLoop, 3, 6, false},
		{"/hostile/repeat/0", reasonLoop, 2, 3, false},
		{"/hostile/endless/0", reasonEndless, 3, 0, false},
		{"/hostile/endless-posts/0", "", 5, 50, true},
		{"/hostile/broken", "", 1, 2, false},
		{"/hostile/deep", reasonExtract, 0, 0, false},
		{"/hostile/status/404", "http_404", 0, 0, false},
		{"/hostile/status/410", "http_410", 0, 0, false},
		{"/hostile/status/500", "http_500", 0, 0, false},
		{"/hostile/binary", reasonContentType, 0, 0, false},
		{"/hostile/not-found", "", 1, 0, false},
	} {
		t.Run(tt.path, func(t *testing.T) {
			env := newEngCrawler(t, Options{IgnoreRobots: true, Timeout: time.Second, MaxBodySize: 1 << 20, MaxRedirects: 5})
			src := engSource("hostile", ts.URL+tt.path)
			src.MaxPages = 5
			began := time.Now()
			st, err := env.c.Run(context.Background(), src, true)
			if took := time.Since(began); took > 5*time.Second {
				t.Errorf("took %v", took)
			}
			want := map[string]int{}
			if tt.reason != "" {
				want[tt.reason] = 1
			}
			if fmt.Sprint(st.Errors) != fmt.Sprint(want) || st.Pages != tt.pages || st.PostsNew != tt.posts || st.Truncated != tt.truncated {
				t.Errorf("stats: errors %v pages %d posts %d truncated %v; want errors %v pages %d posts %d truncated %v (last error %q)",
					st.Errors, st.Pages, st.PostsNew, st.Truncated, want, tt.pages, tt.posts, tt.truncated, st.LastError)
			}
			if (err != nil) != (tt.pages == 0) {
				t.Errorf("err = %v; want an error only when no page was read", err)
			}
			if tt.reason != "" && !strings.Contains(st.LastError, "") {
				t.Errorf("LastError empty")
			}
			retries := env.state.retryMap("hostile")
			if keep := tt.reason != "" && transient(tt.reason); keep != (retries[ts.URL+tt.path] != "") {
				t.Errorf("retries = %v; kept for retry: %v, want %v", retries, !keep, keep)
			}
		})
	}
}

// TestGzipBombMemory checks that inflating a 1 GiB bomb stops at the limit:
// the bytes allocated during the run stay a small multiple of it.
func TestGzipBombMemory(t *testing.T) {
	ts := httptest.NewServer(demosite.New())
	defer ts.Close()
	env := newEngCrawler(t, Options{IgnoreRobots: true, MaxBodySize: 4 << 20})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	st, _ := env.c.Run(context.Background(), engSource("bomb", ts.URL+"/hostile/gzip-bomb-xgzip"), false)
	runtime.ReadMemStats(&after)
	if st.Errors[reasonGzipBomb] != 1 {
		t.Errorf("errors = %v, want gzip_bomb", st.Errors)
	}
	// The server compresses in this process too; 1 GiB inflated would
	// allocate far more than this.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
		t.Errorf("allocated %d MiB during the run", alloc>>20)
	}
}

func TestTextual(t *testing.T) {
	for _, tt := range []struct {
		ct   string
		want bool
	}{
		{"", true},
		{"text/html; charset=utf-8", true},
		{"application/rss+xml", true},
		{"application/atom+xml; charset=UTF-8", true},
		{"application/json", true},
		{"application/activity+json", true},
		{"application/xml", true},
		{"image/png", false},
		{"application/gzip", false},
		{"video/mp4", false},
		{"application/zip", false},
	} {
		if got := textual(tt.ct); got != tt.want {
			t.Errorf("textual(%q) = %v, want %v", tt.ct, got, tt.want)
		}
	}
}

func TestAbsolute(t *testing.T) {
	base, _ := http.NewRequest("GET", "https://forum.example/board/12?page=2", nil)
	for _, tt := range []struct{ ref, want string }{
		{"", ""},
		{"?page=3", "https://forum.example/board/12?page=3"},
		{"/t/5#reply", "https://forum.example/t/5"},
		{"https://other.example/x", "https://other.example/x"},
		{"javascript:alert(1)", ""},
		{"mailto:a@b", ""},
		{"http://[::1", ""},
		{"  /spaced  ", "https://forum.example/spaced"},
	} {
		if got := absolute(base.URL, tt.ref); got != tt.want {
			t.Errorf("absolute(%q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}
