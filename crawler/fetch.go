package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"tidewatch/evidence"
)

// Reasons a fetch or a page fails, as counted in Stats.Errors and in the
// errors metric. A failure with a transient reason is retried on the next
// run; the others are recorded and dropped.
const (
	reasonTimeout      = "timeout"            // no complete answer within Options.Timeout
	reasonNetwork      = "network"            // connection refused, reset, DNS, TLS
	reasonRateLimited  = "rate_limited"       // 429/503 beyond the attempts, or a Retry-After longer than MaxBackoff
	reasonTooLarge     = "too_large"          // body longer than MaxBodySize
	reasonGzipBomb     = "gzip_bomb"          // compressed body inflating beyond MaxBodySize
	reasonRedirects    = "too_many_redirects" // more than MaxRedirects, or a redirect loop
	reasonRobots       = "robots_disallowed"  // robots.txt forbids the URL
	reasonRobotsFailed = "robots_unavailable" // robots.txt could not be read (5xx, network): nothing is fetched
	reasonContentType  = "content_type"       // not text: images, archives, media
	reasonEvidence     = "evidence"           // the exchange could not be recorded; the page is not used without it
	reasonExtract      = "extract"            // the adapter could not read the page
	reasonSink         = "sink"               // the posts could not be stored
	reasonLoop         = "pagination_loop"    // a next link back to a page already read in this run
	reasonEndless      = "endless_pagination" // page after page with nothing on it
	reasonPanic        = "panic"              // a bug, recovered
	reasonCanceled     = "canceled"           // the run was stopped
	reasonBadURL       = "bad_url"            // not an absolute http(s) URL
	reasonState        = "state"              // a retry could not be kept or cleared in State
)

// transient reports whether a failure with this reason may go away by
// itself, so that the URL is worth trying again on the next run.
func transient(reason string) bool {
	switch reason {
	case reasonTimeout, reasonNetwork, reasonRateLimited, reasonRobotsFailed, reasonEvidence, reasonSink, reasonPanic:
		return true
	}
	return strings.HasPrefix(reason, "http_5") || reason == "http_408" || reason == "http_429"
}

// FetchError is a URL that could not be fetched or read.
type FetchError struct {
	URL    string
	Reason string // one of the reasons counted in Stats.Errors
	Err    error
}

func (e *FetchError) Error() string {
	return "fetch " + e.URL + ": " + e.Reason + ": " + e.Err.Error()
}

func (e *FetchError) Unwrap() error { return e.Err }

// ErrDisallowed is returned for a URL robots.txt forbids.
var ErrDisallowed = errors.New("disallowed by robots.txt")

var (
	errTooLarge  = errors.New("body exceeds the size limit")
	errGzipBomb  = errors.New("compressed body inflates beyond the size limit")
	errRedirects = errors.New("too many redirects")
	errBackoff   = errors.New("host asked us to wait longer than the backoff cap")
	errNotText   = errors.New("not a text document")
)

// reasonOf classifies an error from a fetch.
func reasonOf(err error) string {
	var fe *FetchError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &fe):
		return fe.Reason
	case errors.Is(err, errGzipBomb):
		return reasonGzipBomb
	case errors.Is(err, errTooLarge):
		return reasonTooLarge
	case errors.Is(err, errRedirects):
		return reasonRedirects
	case errors.Is(err, errBackoff):
		return reasonRateLimited
	case errors.Is(err, errNotText):
		return reasonContentType
	case errors.Is(err, ErrDisallowed):
		return reasonRobots
	case errors.Is(err, context.DeadlineExceeded):
		return reasonTimeout
	case errors.Is(err, context.Canceled):
		return reasonCanceled
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return reasonTimeout
	}
	return reasonNetwork
}

func newBaseTransport() http.RoundTripper {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ForceAttemptHTTP2:     true,
	}
}

// hostGate keeps the requests to one host polite: no more than
// parallelism in flight, none before a Retry-After has passed, and, when
// there is a delay, no request starts sooner than delay after the previous
// one was answered (its response headers arrived) or ended. Counting from
// the answer, not from the start, keeps the gap as the server sees it: a
// request still dialling a new connection cannot arrive late and bunch up
// with the next, since the server has read a request before it answers it.
// With a delay, parallelism therefore overlaps only the reading of bodies.
// All sources on a host share its gate: twenty Telegram channels are still
// one host.
type hostGate struct {
	mu        sync.Mutex
	inflight  int
	waiting   uint64        // ticket of the request not yet answered, 0 if none
	tickets   uint64        // last ticket handed out
	last      time.Time     // latest start, answer or end of a request
	notBefore time.Time     // from Retry-After or backoff
	strikes   int           // 429/503 answers in a row, for the backoff
	minDelay  time.Duration // robots.txt Crawl-delay, if any
	wake      chan struct{}
}

func newHostGate() *hostGate { return &hostGate{wake: make(chan struct{})} }

// setMinDelay raises the host's delay to at least d, whatever the sources say.
func (g *hostGate) setMinDelay(d time.Duration) {
	g.mu.Lock()
	g.minDelay = d
	g.mu.Unlock()
}

// acquire waits for a turn and returns a ticket for answered and release.
// It fails at once when the host asked for a pause longer than maxWait:
// the run should not sit idle that long.
func (g *hostGate) acquire(ctx context.Context, delay time.Duration, parallelism int, maxWait time.Duration) (uint64, error) {
	for {
		g.mu.Lock()
		now := time.Now()
		if g.inflight >= parallelism || g.waiting != 0 {
			wake := g.wake
			g.mu.Unlock()
			select {
			case <-wake:
				continue
			case <-ctx.Done():
				return 0, ctx.Err()
			}
		}
		if g.notBefore.Sub(now) > maxWait {
			until := g.notBefore
			g.mu.Unlock()
			return 0, fmt.Errorf("%w (until %s)", errBackoff, until.UTC().Format(time.RFC3339))
		}
		delay = max(delay, g.minDelay)
		start := g.last.Add(delay)
		if g.notBefore.After(start) {
			start = g.notBefore
		}
		wait := start.Sub(now)
		if wait <= 0 {
			g.inflight++
			g.tickets++
			if delay > 0 {
				g.waiting = g.tickets
			}
			g.last = now
			t := g.tickets
			g.mu.Unlock()
			return t, nil
		}
		g.mu.Unlock()
		if err := sleep(ctx, wait); err != nil {
			return 0, err
		}
	}
}

// answered records that the request with ticket t has its response headers.
func (g *hostGate) answered(t uint64) {
	g.mu.Lock()
	if g.waiting == t {
		g.waiting = 0
		g.mark()
	}
	g.mu.Unlock()
}

// release ends the request with ticket t.
func (g *hostGate) release(t uint64) {
	g.mu.Lock()
	g.inflight--
	if g.waiting == t {
		g.waiting = 0
	}
	g.mark()
	g.mu.Unlock()
}

// mark moves last to now and wakes the waiters.
func (g *hostGate) mark() {
	if now := time.Now(); now.After(g.last) {
		g.last = now
	}
	close(g.wake)
	g.wake = make(chan struct{})
}

// pause records a 429 or 503 and returns how long the host must be left
// alone: Retry-After when given (at most a day), else base doubled per
// answer in a row.
func (g *hostGate) pause(h http.Header, base time.Duration) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := time.Now()
	g.strikes++
	wait, ok := retryAfter(h.Get("Retry-After"), now)
	if !ok {
		wait = base << min(g.strikes-1, 10)
	}
	wait = min(wait, 24*time.Hour)
	if until := now.Add(wait); until.After(g.notBefore) {
		g.notBefore = until
	}
	return wait
}

// ok records a normal answer, ending a run of 429s.
func (g *hostGate) ok() {
	g.mu.Lock()
	g.strikes = 0
	g.mu.Unlock()
}

// retryAfter parses a Retry-After value: seconds or an HTTP date
// (RFC 9110 section 10.2.3).
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		n = min(n, int64(24*time.Hour/time.Second))
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// capture is one exchange as the transport saw it.
type capture struct {
	url     *url.URL
	status  int
	header  http.Header
	body    []byte // as delivered, after content decoding, before charset decoding
	fetched time.Time
	ref     evidence.Ref
}

// tokenHeader carries a fetch's token from colly to the transport, which
// removes it before the request leaves.
const tokenHeader = "X-Tidewatch-Fetch"

// transport is the RoundTripper under a run's collector. Every request,
// redirects and robots.txt included, waits at its host's gate, runs under
// the timeout, has its body read whole up to the size limit (decompressing
// gzip itself, so that the limit counts inflated bytes) and is recorded as
// evidence before colly sees it.
type transport struct {
	r *run
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := t.r
	o := &r.c.opts
	tok := req.Header.Get(tokenHeader)
	if tok != "" {
		req = req.Clone(req.Context())
		req.Header.Del(tokenHeader)
	}
	g := r.c.gate(req.URL.Host)
	ticket, err := g.acquire(req.Context(), r.delay, r.parallelism, o.MaxBackoff)
	if err != nil {
		return nil, err
	}
	defer g.release(ticket)

	ctx, cancel := context.WithTimeout(req.Context(), o.Timeout)
	defer cancel()
	var remote string
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(ci httptrace.GotConnInfo) {
			if ci.Conn != nil {
				remote = ci.Conn.RemoteAddr().String()
			}
		},
		GotFirstResponseByte: func() { g.answered(ticket) },
	})
	req = req.WithContext(ctx)
	r.c.metrics.requests.Inc()
	resp, err := r.c.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := readBody(resp, o.MaxBodySize)
	if err != nil {
		return nil, err
	}
	fetched := o.Now().UTC()
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		g.pause(resp.Header, o.Backoff)
	} else if resp.StatusCode < 500 {
		g.ok()
	}
	var ref evidence.Ref
	if o.Recorder != nil {
		ref, err = o.Recorder.Write(&evidence.Exchange{
			Method:         req.Method,
			URL:            req.URL.String(),
			RequestHeader:  req.Header.Clone(),
			Proto:          resp.Proto,
			Status:         resp.StatusCode,
			ResponseHeader: resp.Header.Clone(),
			Body:           body,
			RemoteAddr:     remote,
			Fetched:        fetched,
		})
		if err != nil {
			return nil, &FetchError{URL: req.URL.String(), Reason: reasonEvidence, Err: err}
		}
	}
	if tok != "" {
		r.captures.Store(tok, &capture{url: req.URL, status: resp.StatusCode, header: resp.Header, body: body, fetched: fetched, ref: ref})
	}
	out := *resp
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.ContentLength = int64(len(body))
	out.Uncompressed = true // so that colly does not gunzip again, without a limit
	out.Header = resp.Header.Clone()
	out.Header.Del("Content-Encoding")
	return &out, nil
}

// readBody reads a response body whole, refusing more than limit bytes.
// Go's transport inflates "Content-Encoding: gzip" itself; anything else
// gzipped (x-gzip, a gzip content type, a .gz path) is inflated here, since
// colly would otherwise inflate it after the limit, without one.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: Content-Length %d > %d", errTooLarge, resp.ContentLength, limit)
	}
	inflated := resp.Uncompressed
	var rd io.Reader = resp.Body
	if !resp.Uncompressed && gzipped(resp) {
		gz, err := gzip.NewReader(io.LimitReader(resp.Body, limit+1))
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer gz.Close()
		rd, inflated = gz, true
	}
	body, err := io.ReadAll(io.LimitReader(rd, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		if inflated {
			return nil, fmt.Errorf("%w (%d bytes)", errGzipBomb, limit)
		}
		return nil, fmt.Errorf("%w (%d bytes)", errTooLarge, limit)
	}
	return body, nil
}

func gzipped(resp *http.Response) bool {
	ce := strings.ToLower(resp.Header.Get("Content-Encoding"))
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	return strings.Contains(ce, "gzip") ||
		(ce == "" && strings.Contains(ct, "gzip")) ||
		(resp.Request != nil && strings.HasSuffix(strings.ToLower(resp.Request.URL.Path), ".gz"))
}

// collector returns the run's colly collector: built without
// colly.NewCollector, which lets COLLY_* environment variables override the
// settings, with robots.txt handled by the run (colly's cache would not
// outlive the collector) and revisits allowed (a fresh collector per run
// forgets failed URLs; within the run, loops are caught by the run).
func (r *run) collector(ctx context.Context) *colly.Collector {
	o := &r.c.opts
	c := &colly.Collector{}
	c.Init()
	c.UserAgent = o.UserAgent
	c.AllowURLRevisit = true
	c.IgnoreRobotsTxt = true
	c.MaxBodySize = 0 // the transport enforces the limit, on inflated bytes
	c.ParseHTTPErrorResponse = true
	c.Context = ctx
	c.WithTransport(&transport{r: r})
	c.SetRequestTimeout(o.Timeout + time.Second) // the transport's own timeout fires first
	c.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) > o.MaxRedirects {
			return fmt.Errorf("%w (%d)", errRedirects, len(via))
		}
		for _, v := range via {
			if v.URL.String() == req.URL.String() && len(via) > 1 {
				return fmt.Errorf("%w: loop back to %s", errRedirects, req.URL)
			}
		}
		if !o.IgnoreRobots {
			if err := r.allowed(req.Context(), req.URL); err != nil {
				return err
			}
		}
		return nil
	})
	return c
}

// fetch gets one page, waiting out 429 and 503 answers up to
// Options.Attempts, and returns it decoded to UTF-8.
func (r *run) fetch(ctx context.Context, rawURL string, depth int) (*Page, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &FetchError{URL: rawURL, Reason: reasonBadURL, Err: fmt.Errorf("not an absolute http(s) URL")}
	}
	if !r.c.opts.IgnoreRobots {
		if err := r.allowed(ctx, u); err != nil {
			return nil, &FetchError{URL: rawURL, Reason: reasonOf(err), Err: err}
		}
	}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, &FetchError{URL: rawURL, Reason: reasonCanceled, Err: err}
		}
		tok := strconv.FormatUint(r.tokens.Add(1), 10)
		err := r.col.Request(http.MethodGet, rawURL, nil, nil, http.Header{tokenHeader: {tok}})
		v, _ := r.captures.LoadAndDelete(tok)
		cp, _ := v.(*capture)
		// colly reports status codes through the capture (with
		// ParseHTTPErrorResponse); an error beside a redirect response is
		// why the redirect was not followed; an error beside a 2xx comes
		// from colly's own charset pass, which is not used.
		if cp == nil || (err != nil && cp.status >= 300 && cp.status < 400) {
			if err == nil {
				err = errors.New("no response")
			}
			return nil, &FetchError{URL: rawURL, Reason: reasonOf(err), Err: err}
		}
		switch {
		case cp.status == http.StatusTooManyRequests || cp.status == http.StatusServiceUnavailable:
			if attempt < r.c.opts.Attempts {
				r.c.opts.Logger.Info("host asks to slow down", "source", r.src.Name, "url", rawURL, "status", cp.status, "attempt", attempt)
				continue // the gate holds the next try back
			}
			return nil, &FetchError{URL: rawURL, Reason: reasonRateLimited, Err: fmt.Errorf("HTTP %d after %d attempts", cp.status, attempt)}
		case cp.status >= 400:
			return nil, &FetchError{URL: rawURL, Reason: "http_" + strconv.Itoa(cp.status), Err: fmt.Errorf("HTTP %d %s", cp.status, http.StatusText(cp.status))}
		case cp.status >= 300:
			return nil, &FetchError{URL: rawURL, Reason: reasonRedirects, Err: fmt.Errorf("HTTP %d without a usable Location", cp.status)}
		}
		ct := cp.header.Get("Content-Type")
		if !textual(ct) {
			return nil, &FetchError{URL: rawURL, Reason: reasonContentType, Err: fmt.Errorf("%w: %q", errNotText, ct)}
		}
		body, _ := toUTF8(cp.body, ct)
		return &Page{
			URL:     cp.url,
			Status:  cp.status,
			Header:  cp.header,
			Body:    body,
			Depth:   depth,
			Fetched: cp.fetched,
			Capture: cp.ref,
		}, nil
	}
}

// textual reports whether a Content-Type names something an adapter can
// read: markup, feeds, JSON, text, or nothing said.
func textual(ct string) bool {
	ct = strings.ToLower(strings.TrimSpace(ct))
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = strings.TrimSpace(ct[:i])
	}
	switch {
	case ct == "", strings.HasPrefix(ct, "text/"), strings.HasSuffix(ct, "+xml"), strings.HasSuffix(ct, "/xml"),
		strings.HasSuffix(ct, "/json"), strings.HasSuffix(ct, "+json"), ct == "application/xhtml+xml",
		ct == "application/octet-stream", ct == "application/javascript":
		return true
	}
	return false
}
