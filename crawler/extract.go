package crawler

import (
	"net/http"
	"net/url"
	"time"

	"tidewatch/evidence"
	"tidewatch/seeds"
)

// Page is one fetched response with its body decoded to UTF-8.
type Page struct {
	URL     *url.URL // final URL after redirects
	Status  int
	Header  http.Header
	Body    []byte // UTF-8
	Depth   int    // link hops from a start URL
	Fetched time.Time
	Capture evidence.Ref
}

// Extraction is what an adapter finds on one page.
type Extraction struct {
	Posts  []Post   // in page order
	Next   string   // the next (older) page of the same listing, "" at the end
	Follow []string // pages one level deeper (e.g. forum threads from a board)
}

// extractFunc turns one fetched page into posts and the links to follow.
// It never panics on hostile input; an error says what was wrong with the page.
type extractFunc func(src *seeds.Source, p *Page) (*Extraction, error)
