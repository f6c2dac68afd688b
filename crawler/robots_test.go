package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestRobots(t *testing.T) {
	for _, tt := range []struct {
		name       string
		status     int
		robots     string
		wantPages  int
		wantErrors map[string]int
		wantRetry  bool // the private URL is kept to retry
	}{
		{"disallow for our product token", 200, "User-agent: *\nAllow: /\n\nUser-agent: tidewatch\nDisallow: /private/\n", 1, map[string]int{reasonRobots: 1}, false},
		{"disallow for everyone", 200, "User-agent: *\nDisallow: /private\n", 1, map[string]int{reasonRobots: 1}, false},
		{"another crawler's rule", 200, "User-agent: otherbot\nDisallow: /\n", 2, map[string]int{}, false},
		{"no robots.txt", 404, "", 2, map[string]int{}, false},
		{"server error: disallow all for now", 503, "", 0, map[string]int{reasonRobotsFailed: 2}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var robotsHits, privateHits atomic.Int32
			mux := http.NewServeMux()
			mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
				robotsHits.Add(1)
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.robots)
			})
			mux.HandleFunc("/private/x", func(w http.ResponseWriter, r *http.Request) {
				privateHits.Add(1)
				fmt.Fprint(w, `<article class="post" id="secret"><div class="body">s</div></article>`)
			})
			mux.HandleFunc("/public", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, `<article class="post" id="pub"><div class="body">p</div></article>`)
			})
			ts := httptest.NewServer(mux)
			defer ts.Close()
			env := newEngCrawler(t, Options{})
			src := engSource("robots", ts.URL+"/private/x", ts.URL+"/public")
			for run := 1; run <= 2; run++ {
				st, _ := env.c.Run(context.Background(), src, false)
				if st.Pages != tt.wantPages || fmt.Sprint(st.Errors) != fmt.Sprint(tt.wantErrors) {
					t.Errorf("run %d: pages %d errors %v, want %d %v", run, st.Pages, st.Errors, tt.wantPages, tt.wantErrors)
				}
				_, kept := env.state.retryMap("robots")[ts.URL+"/private/x"]
				if kept != tt.wantRetry {
					t.Errorf("run %d: private URL kept for retry = %v, want %v", run, kept, tt.wantRetry)
				}
			}
			if tt.wantErrors[reasonRobots] > 0 && privateHits.Load() != 0 {
				t.Errorf("disallowed page fetched %d times", privateHits.Load())
			}
			// Cached across runs: fetched once, except a server error, which
			// is kept only a minute — still one fetch for two quick runs.
			if got := robotsHits.Load(); got != 1 {
				t.Errorf("robots.txt fetched %d times, want 1", got)
			}
			if got := testutil.ToFloat64(env.c.metrics.robotsFetches); got != 1 {
				t.Errorf("robots fetch metric = %v, want 1", got)
			}
		})
	}
}

func TestProductToken(t *testing.T) {
	for _, tt := range []struct{ ua, want string }{
		{"tidewatch/1.0 (+https://example.org/contact)", "tidewatch"},
		{"Tidewatch", "tidewatch"},
		{"tidewatch-test/2 (x)", "tidewatch-test"},
	} {
		c, err := New(Options{UserAgent: tt.ua})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.productToken(); got != tt.want {
			t.Errorf("productToken(%q) = %q, want %q", tt.ua, got, tt.want)
		}
	}
}

// TestRobotsCrawlDelay checks that a Crawl-delay raises the gap between
// requests above a source's own delay.
func TestRobotsCrawlDelay(t *testing.T) {
	var a engArrivals
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nCrawl-delay: 0.1\n")
	})
	mux.HandleFunc("/p/{n}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<article class="post" id="%s"><div class="body">x</div></article>`, r.PathValue("n"))
	})
	ts := httptest.NewServer(a.wrap(mux))
	defer ts.Close()
	env := newEngCrawler(t, Options{})
	src := engSource("cd", ts.URL+"/p/1", ts.URL+"/p/2", ts.URL+"/p/3")
	src.Delay = 0
	st, err := env.c.Run(context.Background(), src, false)
	if err != nil || st.Pages != 3 {
		t.Fatalf("Run = %+v, %v", st, err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	// The first gap is robots.txt → first page, before the delay is known.
	for i := 2; i < len(a.times); i++ {
		if gap := a.times[i].Sub(a.times[i-1]); gap < 100*time.Millisecond {
			t.Errorf("gap before %s = %v, want >= 100ms (Crawl-delay)", a.paths[i], gap)
		}
	}
}

// TestRobotsOnRedirect checks that a redirect into a disallowed path is not
// followed.
func TestRobotsOnRedirect(t *testing.T) {
	var privateHits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/go", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/private/x", http.StatusFound)
	})
	mux.HandleFunc("/private/x", func(w http.ResponseWriter, r *http.Request) { privateHits.Add(1) })
	ts := httptest.NewServer(mux)
	defer ts.Close()
	env := newEngCrawler(t, Options{})
	st, _ := env.c.Run(context.Background(), engSource("r", ts.URL+"/go"), false)
	if st.Errors[reasonRobots] != 1 || len(st.Errors) != 1 || privateHits.Load() != 0 {
		t.Errorf("errors = %v, private fetched %d times; want robots_disallowed, none", st.Errors, privateHits.Load())
	}
}
