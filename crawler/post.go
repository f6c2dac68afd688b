package crawler

import (
	"context"
	"time"

	"tidewatch/evidence"
)

// Post is one public post as the crawler found it, before classification.
type Post struct {
	ID        string    // stable: "platform:native-id", or "platform:sha256(canonical URL)[:16]" where the platform gives none
	Platform  string    // telegram, forum, feed, mastodon
	Source    string    // seeds source name
	URL       string    // canonical permalink
	Author    string    // display name or handle
	AuthorURL string    // profile URL, if known
	Text      string    // plain text, UTF-8, markup removed
	Lang      string    // language the platform declares, if any (Mastodon "language")
	Published time.Time // UTC; zero when the page does not say
	Fetched   time.Time // UTC
	Links     []string  // absolute URLs linked from the post
	Media     []string  // absolute URLs of images, video, files
	Forwarded string    // where the post was forwarded or boosted from, if anywhere
	Views     int64     // view count the platform shows (Telegram), -1 when it shows none
	Capture   evidence.Ref
}

// Sink receives the posts of each page as the crawl goes. Put reports, for
// each post, whether it was already known with the same text: a scheduled
// run stops paging back once a page holds nothing new.
type Sink interface {
	Put(ctx context.Context, posts []Post) (known []bool, err error)
}

// State is what the crawler remembers between runs, kept by the store.
type State interface {
	// Cursor is the newest post position seen for a source ("" if none).
	Cursor(ctx context.Context, source string) (string, error)
	SetCursor(ctx context.Context, source, cursor string) error
	// Retries lists URLs whose fetch failed and must be tried again.
	Retries(ctx context.Context, source string) ([]string, error)
	SetRetry(ctx context.Context, source, url, reason string) error
	ClearRetry(ctx context.Context, source, url string) error
}
