package crawler

import (
	"context"
	"net/http/httptest"
	"testing"

	"tidewatch/demosite"
	"tidewatch/seeds"
)

// TestPlatformsEndToEnd crawls demosite's platform stand-ins with the real
// adapters: a backfill reads every page without an error, and the
// scheduled run after it stops at the first page, all of it known.
func TestPlatformsEndToEnd(t *testing.T) {
	ts := httptest.NewServer(demosite.New())
	defer ts.Close()
	for _, src := range []*seeds.Source{
		{Name: "tg", Kind: seeds.Telegram, URLs: []string{ts.URL + "/s/uk_safe_trip"}},
		{Name: "rss", Kind: seeds.Feed, URLs: []string{ts.URL + "/feeds/classifieds.rss"}},
		{Name: "atom", Kind: seeds.Feed, URLs: []string{ts.URL + "/feeds/news.atom"}},
		{Name: "masto", Kind: seeds.Mastodon, URLs: []string{ts.URL + "/api/v1/timelines/tag/smallboats"}},
	} {
		t.Run(src.Name, func(t *testing.T) {
			env := newEngCrawler(t, Options{})
			env.c.extract = extractorFor
			src.Parallelism, src.MaxPages, src.MaxDepth = 1, 50, 2
			back, err := env.c.Run(context.Background(), src, true)
			if err != nil || back.Pages < 1 || back.PostsNew < 1 || back.ErrorCount() != 0 || back.Truncated {
				t.Fatalf("backfill = %+v, %v", back, err)
			}
			if env.sink.count() != back.PostsNew {
				t.Errorf("sink holds %d posts, the run reported %d new", env.sink.count(), back.PostsNew)
			}
			again, err := env.c.Run(context.Background(), src, false)
			if err != nil || again.Pages != 1 || again.PostsNew != 0 || again.PostsSeen < 1 || again.ErrorCount() != 0 {
				t.Errorf("scheduled run after the backfill = %+v, %v; want one page, all known", again, err)
			}
			if r := env.state.retryMap(src.Name); len(r) != 0 {
				t.Errorf("retries left: %v", r)
			}
			t.Logf("%s: backfill %d pages, %d posts", src.Name, back.Pages, back.PostsNew)
		})
	}
}
