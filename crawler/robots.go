package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// How long a robots.txt answer is trusted. RFC 9309 section 2.4: a crawler
// should not use a cached robots.txt for more than 24 hours. A failure
// (5xx or no connection, which RFC 9309 treats as "disallow everything") is
// kept for a short while only, so that the next run asks again.
const (
	robotsTTL      = 24 * time.Hour
	robotsErrorTTL = time.Minute
	robotsMaxBody  = 500 << 10 // RFC 9309 section 2.5: at least 500 KiB must be parsed
	// A Crawl-delay (not in RFC 9309, but common) raises the host's delay
	// up to this; beyond it a host would starve its sources.
	maxCrawlDelay = time.Minute
)

// robotsCache holds each host's robots.txt across runs. A fresh colly
// collector per run would fetch it again every run; colly's cache lives
// and dies with its collector.
type robotsCache struct {
	mu    sync.Mutex
	hosts map[string]*robotsEntry // by scheme://host[:port]
}

type robotsEntry struct {
	mu      sync.Mutex // held while fetching, so one run fetches and the others wait
	data    *robotstxt.RobotsData
	err     error // why robots.txt could not be read
	expires time.Time
}

func newRobotsCache() *robotsCache {
	return &robotsCache{hosts: make(map[string]*robotsEntry)}
}

func (rc *robotsCache) entry(key string) *robotsEntry {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e := rc.hosts[key]
	if e == nil {
		e = &robotsEntry{}
		rc.hosts[key] = e
	}
	return e
}

// allowed reports whether robots.txt lets the crawler fetch u. It returns
// ErrDisallowed, or a *FetchError with reasonRobotsFailed when robots.txt
// could not be read.
func (r *run) allowed(ctx context.Context, u *url.URL) error {
	key := strings.ToLower(u.Scheme + "://" + u.Host)
	e := r.c.robots.entry(key)
	e.mu.Lock()
	if time.Now().After(e.expires) {
		e.data, e.err = r.fetchRobots(ctx, key+"/robots.txt")
		if e.err != nil && errors.Is(e.err, context.Canceled) {
			e.expires = time.Time{} // not the host's fault: ask again
		} else if e.err != nil {
			e.expires = time.Now().Add(robotsErrorTTL)
		} else {
			e.expires = time.Now().Add(robotsTTL)
		}
	}
	data, err := e.data, e.err
	e.mu.Unlock()
	if err != nil {
		return &FetchError{URL: u.String(), Reason: reasonRobotsFailed, Err: err}
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	group := data.FindGroup(r.c.productToken())
	if group.CrawlDelay > 0 {
		r.c.gate(u.Host).setMinDelay(min(group.CrawlDelay, maxCrawlDelay))
	}
	if !group.Test(path) {
		return ErrDisallowed
	}
	return nil
}

// fetchRobots gets and parses one robots.txt through the run's transport,
// so that it waits at the host's gate and is kept as evidence like any
// other request.
func (r *run) fetchRobots(ctx context.Context, robotsURL string) (*robotstxt.RobotsData, error) {
	r.c.metrics.robotsFetches.Inc()
	client := &http.Client{
		Transport: &transport{r: r},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 { // RFC 9309 section 2.3.1.2: follow at least five
				return errRedirects
			}
			return nil
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, robotsURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", r.c.opts.UserAgent)
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body := make([]byte, 0, 1024)
	buf := make([]byte, 32<<10)
	for len(body) < robotsMaxBody {
		n, rerr := resp.Body.Read(buf)
		body = append(body, buf[:n]...)
		if rerr != nil {
			break
		}
	}
	if len(body) > robotsMaxBody {
		body = body[:robotsMaxBody]
	}
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
		return nil, fmt.Errorf("robots.txt: HTTP %d", resp.StatusCode)
	}
	data, err := robotstxt.FromStatusAndBytes(resp.StatusCode, body)
	if err != nil {
		return nil, fmt.Errorf("robots.txt: %w", err)
	}
	return data, nil
}

// productToken is the name robots.txt groups are matched against: the
// User-Agent up to its first '/' or space ("tidewatch" for
// "tidewatch/1.0 (+https://…)").
func (c *Crawler) productToken() string {
	ua := c.opts.UserAgent
	if i := strings.IndexAny(ua, "/ "); i > 0 {
		ua = ua[:i]
	}
	return strings.ToLower(ua)
}
