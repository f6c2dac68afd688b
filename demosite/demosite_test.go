package demosite

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, rawURL string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestContent(t *testing.T) {
	c, err := loadContent()
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	langs := map[string]bool{}
	check := func(where string, l labels) {
		if l.Label != "advert" && l.Label != "not_advert" {
			t.Errorf("%s: label %q, want advert or not_advert", where, l.Label)
		}
		count[l.Label]++
		if l.Lang != "" {
			langs[l.Lang] = true
		}
	}
	total := 0
	for _, ch := range c.Telegram.Channels {
		for _, m := range ch.Messages {
			check("telegram "+ch.Username, m.labels)
			total++
		}
	}
	for _, b := range c.Forum.Boards {
		for _, th := range b.Threads {
			for _, p := range th.Posts {
				check("forum "+b.Slug, p.labels)
				total++
			}
		}
	}
	for _, it := range c.Feeds.RSS.Items {
		check("rss "+it.GUID, it.labels)
		total++
	}
	for _, e := range c.Feeds.Atom.Entries {
		check("atom "+e.ID, e.labels)
		total++
	}
	for _, s := range c.Mastodon.Statuses {
		check("mastodon "+s.ID, s.labels)
		total++
	}
	// The brief: 80–120 demo posts in many languages, adverts and hard
	// negatives both well represented.
	if total < 80 || total > 120 {
		t.Errorf("%d demo posts, want 80–120", total)
	}
	if count["advert"] < 30 || count["not_advert"] < 30 {
		t.Errorf("%d adverts and %d others, want at least 30 of each", count["advert"], count["not_advert"])
	}
	for _, lang := range []string{"en", "fr", "ar", "ku", "fa", "ps", "vi", "sq", "ti"} {
		if !langs[lang] {
			t.Errorf("no demo post in %q", lang)
		}
	}
	if len(c.Telegram.Channels[0].Messages) <= telegramPageSize {
		t.Errorf("the first channel has %d messages, want more than a page (%d) so that ?before= is exercised", len(c.Telegram.Channels[0].Messages), telegramPageSize)
	}
}

func TestRoutes(t *testing.T) {
	srv := httptest.NewServer(New())
	defer srv.Close()
	for _, tt := range []struct {
		path, contentType string
		code              int
		contains          string
	}{
		{"/", "text/html; charset=utf-8", 200, "tidewatch demosite"},
		{"/s/uk_safe_trip", "text/html; charset=utf-8", 200, `data-post="uk_safe_trip/1207"`},
		{"/s/UK_SAFE_TRIP", "text/html; charset=utf-8", 200, `data-post="uk_safe_trip/1207"`},
		{"/s/nosuchchannel", "text/plain; charset=utf-8", 404, ""},
		{"/uk_safe_trip/1181", "text/html; charset=utf-8", 200, `data-post="uk_safe_trip/1181"`},
		{"/uk_safe_trip/1182", "text/plain; charset=utf-8", 404, ""}, // a deleted message
		{"/uk_safe_trip/x", "text/plain; charset=utf-8", 404, ""},
		{"/a/b/c", "text/plain; charset=utf-8", 404, ""},
		{"/forum/", "text/html; charset=utf-8", 200, `href="/forum/board/uk-routes"`},
		{"/forum/board/uk-routes", "text/html; charset=utf-8", 200, `class="thread-link" href="/forum/thread/7701"`},
		{"/forum/board/uk-routes?page=9", "text/plain; charset=utf-8", 404, ""},
		{"/forum/board/nope", "text/plain; charset=utf-8", 404, ""},
		{"/forum/thread/7802", "text/html; charset=utf-8", 200, `id="post-90211"`},
		{"/forum/thread/1", "text/plain; charset=utf-8", 404, ""},
		{"/forum/user/samir_lille", "text/html; charset=utf-8", 200, "samir_lille"},
		{"/feeds/classifieds.rss", "application/rss+xml; charset=utf-8", 200, "<guid isPermaLink=\"false\">classifieds-cote-opale:ann-55120</guid>"},
		{"/feeds/news.atom", "application/atom+xml; charset=utf-8", 200, `rel="next"`},
		{"/feeds/news.atom?page=3", "text/plain; charset=utf-8", 404, ""},
		{"/classifieds/ann-55120", "text/html; charset=utf-8", 200, "Passage Angleterre garanti"},
		{"/news/entry-2026-09-07-ar", "text/html; charset=utf-8", 200, "تحذير من المهربين"},
		{"/news/nope", "text/plain; charset=utf-8", 404, ""},
		{"/api/v1/timelines/tag/smallboats", "application/json; charset=utf-8", 200, `"id":"113150000000000120"`},
		{"/api/v1/timelines/tag/nothing", "application/json; charset=utf-8", 200, "[]"},
		{"/api/v1/statuses/113150000000000119", "application/json; charset=utf-8", 200, `"reblog":{"id":"113150000000000102"`},
		{"/api/v1/statuses/1", "application/json; charset=utf-8", 404, `{"error":"Record not found"}`},
		{"/@ukroute_offers/113150000000000102", "text/html; charset=utf-8", 200, "Arrived safe in UK today"},
		{"/@ukroute_offers/113150000000000105", "text/plain; charset=utf-8", 404, ""}, // someone else's status
		{"/media/tg/uk_safe_trip-1181-1.jpg", "image/png", 200, "\x89PNG"},
		{"/media/tg/uk_safe_trip-1194.mp4", "video/mp4", 200, "ftypmp42"},
	} {
		resp, body := get(t, srv.URL+tt.path)
		if resp.StatusCode != tt.code || resp.Header.Get("Content-Type") != tt.contentType || !strings.Contains(body, tt.contains) {
			t.Errorf("GET %s: %d %q, body has %q: %v; want %d %q", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"),
				tt.contains, strings.Contains(body, tt.contains), tt.code, tt.contentType)
		}
	}
	resp, err := http.Post(srv.URL+"/uk_safe_trip/1181", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST a permalink: %s, want 405", resp.Status)
	}
}

var dataPost = regexp.MustCompile(`data-post="([a-z0-9_]+)/([0-9]+)"`)

func TestTelegramPaging(t *testing.T) {
	srv := httptest.NewServer(New())
	defer srv.Close()
	ids := func(body string) []string {
		var out []string
		for _, m := range dataPost.FindAllStringSubmatch(body, -1) {
			out = append(out, m[2])
		}
		return out
	}
	_, newest := get(t, srv.URL+"/s/uk_safe_trip")
	got := ids(newest)
	if len(got) != 20 || got[0] != "1186" || got[19] != "1207" {
		t.Fatalf("newest page: %v, want 20 ids 1186…1207, oldest first", got)
	}
	if !strings.Contains(newest, `<a href="/s/uk_safe_trip?before=1186" class="tme_messages_more js-messages_more" data-before="1186"></a>`) ||
		!strings.Contains(newest, `<link rel="prev" href="/s/uk_safe_trip?before=1186">`) || strings.Contains(newest, "data-after") {
		t.Error("newest page: want a load-more link and rel=prev to ?before=1186, and nothing newer")
	}
	_, older := get(t, srv.URL+"/s/uk_safe_trip?before=1186")
	if got := ids(older); !slices.Equal(got, []string{"1180", "1181", "1183", "1184", "1185"}) {
		t.Errorf("?before=1186: %v", got)
	}
	if strings.Contains(older, "data-before") || !strings.Contains(older, `data-after="1185"`) {
		t.Error("?before=1186: want no older link and a newer one after 1185")
	}
	_, after := get(t, srv.URL+"/s/uk_safe_trip?after=1185")
	if got := ids(after); len(got) != 20 || got[0] != "1186" {
		t.Errorf("?after=1185: %v", got)
	}
	_, none := get(t, srv.URL+"/s/uk_safe_trip?before=1")
	if got := ids(none); len(got) != 0 || strings.Contains(none, "tme_messages_more") {
		t.Errorf("?before=1: %v, want an empty history", got)
	}
	// Every kind of message the real preview shows is on the demo pages.
	_, all := get(t, srv.URL+"/s/uk_safe_trip?before=1200")
	for _, class := range []string{"tgme_widget_message_forwarded_from_name", "tgme_widget_message_grouped_wrap", "tgme_widget_message_photo_wrap",
		"tgme_widget_message_sticker", "tgme_widget_message_poll_question", "tgme_widget_message_link_preview",
		"tgme_widget_message_video", "tgme_widget_message_from_author", "tgme_widget_message_views", "tgme_widget_message_date"} {
		if !strings.Contains(all, class) {
			t.Errorf("no %s on the demo channel", class)
		}
	}
}

func TestFeedsAreXML(t *testing.T) {
	srv := httptest.NewServer(New())
	defer srv.Close()
	for _, path := range []string{"/feeds/classifieds.rss", "/feeds/news.atom", "/feeds/news.atom?page=2"} {
		_, body := get(t, srv.URL+path)
		var v struct {
			XMLName xml.Name
			Items   []struct {
				Title string `xml:"title"`
			} `xml:"channel>item"`
			Entries []struct {
				Title string `xml:"title"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal([]byte(body), &v); err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if n := len(v.Items) + len(v.Entries); n == 0 || n > 8 {
			t.Errorf("%s: root %s, %d items, want 1–8", path, v.XMLName.Local, n)
		}
	}
}

func TestMastodonTimeline(t *testing.T) {
	srv := httptest.NewServer(New())
	defer srv.Close()
	type status struct {
		ID       string  `json:"id"`
		Language *string `json:"language"`
		URL      string  `json:"url"`
		Content  string  `json:"content"`
		Reblog   *status `json:"reblog"`
		Account  struct {
			Acct string `json:"acct"`
		} `json:"account"`
		Media []struct {
			Type string `json:"type"`
			URL  string `json:"url"`
		} `json:"media_attachments"`
	}
	page := func(query string) ([]status, string) {
		resp, body := get(t, srv.URL+"/api/v1/timelines/tag/smallboats"+query)
		var out []status
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return out, resp.Header.Get("Link")
	}
	first, link := page("?limit=5")
	base := srv.URL + "/api/v1/timelines/tag/smallboats"
	if want := `<` + base + `?limit=5&max_id=113150000000000111>; rel="next", <` + base + `?limit=5&min_id=113150000000000120>; rel="prev"`; link != want {
		t.Errorf("Link = %q\nwant %q", link, want)
	}
	if len(first) != 5 || first[0].ID != "113150000000000120" || first[1].Reblog == nil || first[1].Reblog.ID != "113150000000000102" {
		t.Fatalf("first page: %+v", first)
	}
	if first[1].Content != "" || first[1].Language != nil || !strings.HasSuffix(first[1].URL, "/activity") {
		t.Errorf("a boost wrapper has no content or language and an /activity URL: %+v", first[1])
	}
	last, link := page("?limit=5&max_id=113150000000000103")
	if len(last) != 2 || strings.Contains(link, `rel="next"`) {
		t.Errorf("last page: %d statuses, Link %q; want 2 and no next", len(last), link)
	}
	empty, link := page("?max_id=113150000000000101")
	if len(empty) != 0 || link != "" {
		t.Errorf("past the end: %d statuses, Link %q", len(empty), link)
	}
	newer, _ := page("?min_id=113150000000000115&limit=2")
	if len(newer) != 2 || newer[0].ID != "113150000000000119" || newer[1].ID != "113150000000000117" {
		t.Errorf("min_id: %+v, want the 2 statuses just after it, newest first", newer)
	}
	all, _ := page("?limit=40")
	noLang := 0
	for _, s := range all {
		if s.Reblog == nil && s.Language == nil {
			noLang++
		}
	}
	if len(all) != 12 || noLang != 1 {
		t.Errorf("%d statuses, %d without a language; want 12 and 1", len(all), noLang)
	}
}

func TestListen(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	base, stop, err := Listen(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("base = %q", base)
	}
	if resp, _ := get(t, base+"/"); resp.StatusCode != 200 {
		t.Errorf("GET /: %s", resp.Status)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := http.Get(base + "/"); err != nil {
			break // closed
		}
		if time.Now().After(deadline) {
			t.Fatal("still serving after ctx was cancelled")
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop() // again: no effect, no panic

	if _, _, err := Listen(context.Background(), "256.0.0.1:x"); err == nil || !strings.HasPrefix(err.Error(), "demosite: listen 256.0.0.1:x: ") {
		t.Errorf("bad address: %v", err)
	}
}
