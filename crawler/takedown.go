package crawler

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"tidewatch/evidence"
	"tidewatch/seeds"
)

// Verdict is what a takedown check found.
type Verdict int

const (
	Unreachable Verdict = iota // could not tell: no answer, a server error, rate limiting, a login wall
	Present                    // the post is still online
	Removed                    // 404, 410, 451, or the platform's "not found" page
)

func (v Verdict) String() string {
	switch v {
	case Present:
		return "present"
	case Removed:
		return "removed"
	}
	return "unreachable"
}

// Presence is the outcome of a takedown check.
type Presence struct {
	Verdict Verdict
	Status  int    // HTTP status of the final response, 0 if none
	Reason  string // why: "HTTP 410 Gone", `page says "Post not found"`, "timeout: …"
	Checked time.Time
	Capture evidence.Ref // the response as evidence, when checked through a Crawler with a Recorder
}

// notFoundMarkers are what platforms answer with 200 OK for a post that is
// gone. Each is page markup, not a phrase, so that a live post quoting
// "post not found" is not taken for a removed one.
var notFoundMarkers = [][]byte{
	[]byte("tgme_widget_message_error"),            // Telegram: t.me/<channel>/<id>?embed=1 of a deleted message, "Post not found"
	[]byte(`"error":"Record not found"`),           // Mastodon API behind a proxy that rewrites 404 to 200
	[]byte("The page you requested doesn't exist"), // Discourse
}

// checkBodyLimit is how much of a page a check reads for the markers.
const checkBodyLimit = 2 << 20

// Check fetches postURL with client (nil means a client with a 30-second
// timeout) and decides whether the post is still online. It returns an
// error only when postURL is not an absolute http(s) URL; a post that
// cannot be reached has the verdict Unreachable and says why.
func Check(ctx context.Context, client *http.Client, postURL string) (Presence, error) {
	u, err := url.Parse(postURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Presence{}, fmt.Errorf("check %q: not an absolute http(s) URL", postURL)
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, postURL, nil)
	if err != nil {
		return Presence{}, fmt.Errorf("check %q: %w", postURL, err)
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", seeds.DefaultUserAgent)
	}
	resp, err := client.Do(req)
	if err != nil {
		return Presence{Verdict: Unreachable, Reason: reasonOf(err) + ": " + err.Error(), Checked: time.Now().UTC()}, nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, checkBodyLimit))
	if err != nil {
		return Presence{Verdict: Unreachable, Status: resp.StatusCode, Reason: reasonOf(err) + ": " + err.Error(), Checked: time.Now().UTC()}, nil
	}
	p := judge(resp.StatusCode, body)
	p.Checked = time.Now().UTC()
	return p, nil
}

// judge decides from a final status and body.
func judge(status int, body []byte) Presence {
	reason := "HTTP " + strconv.Itoa(status) + " " + http.StatusText(status)
	switch {
	case status == http.StatusNotFound, status == http.StatusGone, status == http.StatusUnavailableForLegalReasons:
		return Presence{Verdict: Removed, Status: status, Reason: reason}
	case status >= 200 && status < 300:
		for _, m := range notFoundMarkers {
			if bytes.Contains(body, m) {
				return Presence{Verdict: Removed, Status: status, Reason: fmt.Sprintf("page says %q", m)}
			}
		}
		return Presence{Verdict: Present, Status: status, Reason: reason}
	}
	return Presence{Verdict: Unreachable, Status: status, Reason: reason}
}

// Check re-fetches postURL as a crawl would: waiting its turn at the host,
// obeying robots.txt, with the crawler's User-Agent, limits and evidence
// recorder, so that the answer is kept as proof of removal.
func (c *Crawler) Check(ctx context.Context, postURL string) (Presence, error) {
	u, err := url.Parse(postURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Presence{}, fmt.Errorf("check %q: not an absolute http(s) URL", postURL)
	}
	r := &run{
		c:           c,
		src:         &seeds.Source{Name: "takedown-check"},
		delay:       seeds.DefaultDelay,
		parallelism: seeds.DefaultParallelism,
	}
	if !c.opts.IgnoreRobots {
		if err := r.allowed(ctx, u); err != nil {
			return Presence{Verdict: Unreachable, Reason: reasonOf(err) + ": " + err.Error(), Checked: c.opts.Now().UTC()}, nil
		}
	}
	client := &http.Client{
		Transport: &transport{r: r},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > c.opts.MaxRedirects {
				return fmt.Errorf("%w (%d)", errRedirects, len(via))
			}
			return nil
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, postURL, nil)
	if err != nil {
		return Presence{}, fmt.Errorf("check %q: %w", postURL, err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set(tokenHeader, "check")
	resp, err := client.Do(req)
	if err != nil {
		return Presence{Verdict: Unreachable, Reason: reasonOf(err) + ": " + err.Error(), Checked: c.opts.Now().UTC()}, nil
	}
	resp.Body.Close()
	v, _ := r.captures.LoadAndDelete("check")
	cp, _ := v.(*capture)
	if cp == nil {
		return Presence{Verdict: Unreachable, Status: resp.StatusCode, Reason: "no response captured", Checked: c.opts.Now().UTC()}, nil
	}
	p := judge(cp.status, cp.body)
	p.Checked = cp.fetched
	p.Capture = cp.ref
	return p, nil
}
