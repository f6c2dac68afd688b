package crawler

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tidewatch/seeds"
)

// forumSource has the selectors of seeds/demo.yaml for demosite's forum.
func forumSource() *seeds.Source {
	return &seeds.Source{Name: "test-html", Kind: seeds.HTML, Selectors: seeds.Selectors{
		Post:      "article.post",
		Text:      ".post-body",
		Author:    "a.author",
		Date:      "time@datetime",
		Permalink: "a.permalink@href",
		Next:      "a.next@href",
		Thread:    "a.thread-link@href",
	}}
}

func TestHTMLDemositeBoard(t *testing.T) {
	srv := demositeServer(t)
	src := forumSource()
	base := srv.URL
	for _, tt := range []struct {
		page   string
		follow []string
		next   string
	}{
		{"/forum/board/uk-routes", []string{"/forum/thread/7701", "/forum/thread/7702", "/forum/thread/7703"}, "/forum/board/uk-routes?page=2"},
		{"/forum/board/uk-routes?page=2", []string{"/forum/thread/7704", "/forum/thread/7705", "/forum/thread/7706"}, "/forum/board/uk-routes?page=3"},
		{"/forum/board/uk-routes?page=3", []string{"/forum/thread/7707"}, ""},
		{"/forum/board/boats-for-sale", []string{"/forum/thread/7801", "/forum/thread/7802", "/forum/thread/7803"}, ""},
	} {
		ex, err := extractHTML(src, fetchPage(t, base+tt.page))
		if err != nil {
			t.Fatal(err)
		}
		var follow []string
		for _, f := range ex.Follow {
			follow = append(follow, strings.TrimPrefix(f, base))
		}
		next := strings.TrimPrefix(ex.Next, base)
		if len(ex.Posts) != 0 || !slices.Equal(follow, tt.follow) || next != tt.next {
			t.Errorf("%s: %d posts, Follow %q, Next %q; want 0, %q, %q", tt.page, len(ex.Posts), follow, next, tt.follow, tt.next)
		}
	}
}

func TestHTMLDemositeThread(t *testing.T) {
	srv := demositeServer(t)
	src := forumSource()
	base := srv.URL
	host := strings.TrimPrefix(base, "http://")
	ex, err := extractHTML(src, fetchPage(t, base+"/forum/thread/7701"))
	if err != nil {
		t.Fatal(err)
	}
	checkPosts(t, "forum", src, ex.Posts)
	if ex.Next != "" || len(ex.Follow) != 0 {
		t.Errorf("thread: Next %q, Follow %q; want none", ex.Next, ex.Follow)
	}
	want := []Post{
		{ID: "forum:" + host + "/90101", URL: base + "/forum/thread/7701#post-90101",
			Author: "fast_uk_travel", AuthorURL: base + "/forum/user/fast_uk_travel",
			Published: time.Date(2026, 9, 14, 19, 2, 0, 0, time.UTC),
			Text:      "Places available this week from Dunkirk to UK 🇬🇧 by boat.\nGood engine, life jackets included, captain with experience.\n£1500 per person, children £800. Pay after arrival through our office.\nWhatsApp +44 7700 900201"},
		{ID: "forum:" + host + "/90102", URL: base + "/forum/thread/7701#post-90102",
			Author: "samir_lille", AuthorURL: base + "/forum/user/samir_lille",
			Published: time.Date(2026, 9, 14, 20, 15, 0, 0, time.UTC),
			Text:      "Don't trust this. My cousin paid this kind of people and the boat was full of water after 1 hour. Coastguard saved them."},
		{ID: "forum:" + host + "/90103", URL: base + "/forum/thread/7701#post-90103",
			Author: "fast_uk_travel", AuthorURL: base + "/forum/user/fast_uk_travel",
			Published: time.Date(2026, 9, 14, 20, 40, 0, 0, time.UTC),
			Text:      "Brother our boats are safe, 37 people arrived last Tuesday. Look our channel https://t.me/uk_safe_trip",
			Links:     []string{"https://t.me/uk_safe_trip"}},
	}
	if len(ex.Posts) != len(want) {
		t.Fatalf("got %d posts, want %d", len(ex.Posts), len(want))
	}
	for i, w := range want {
		w.Platform, w.Source, w.Fetched = "forum", src.Name, testFetched
		if !equalPost(ex.Posts[i], noViews(w)) {
			t.Errorf("post %d:\n got %+v\nwant %+v", i, ex.Posts[i], w)
		}
	}
}

// Crawling the whole forum as the crawler would: boards, their next pages,
// and the threads they link to.
func TestHTMLDemositeCrawl(t *testing.T) {
	srv := demositeServer(t)
	src := forumSource()
	queue := []string{srv.URL + "/forum/board/uk-routes", srv.URL + "/forum/board/boats-for-sale"}
	seen := map[string]bool{}
	posts := map[string]Post{}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if seen[u] {
			continue
		}
		seen[u] = true
		ex, err := extractHTML(src, fetchPage(t, u))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ex.Posts {
			posts[p.ID] = p
		}
		queue = append(queue, ex.Follow...)
		if ex.Next != "" {
			queue = append(queue, ex.Next)
		}
	}
	if len(seen) != 14 || len(posts) != 20 {
		t.Errorf("fetched %d pages, found %d posts; want 14 (4 board pages, 10 threads) and 20", len(seen), len(posts))
	}
	for id, p := range posts {
		if p.Author == "" || p.Text == "" || p.Published.IsZero() || !strings.Contains(p.URL, "#post-") || strings.Contains(p.Text, "Sent from my phone") {
			t.Errorf("%s: incomplete or with the signature: %+v", id, p)
		}
	}
}

func TestParseField(t *testing.T) {
	for _, tt := range []struct {
		spec, css, attr, err string
	}{
		{"a.permalink@href", "a.permalink", "href", ""},
		{"time@datetime", "time", "datetime", ""},
		{"@data-id", "", "data-id", ""},
		{".body", ".body", "", ""},
		{`a[href^="mailto:x@y.example"]`, `a[href^="mailto:x@y.example"]`, "", ""},
		{`a[title="a@b"]@href`, `a[title="a@b"]`, "href", ""},
		{"div > p:nth-child(2)", "div > p:nth-child(2)", "", ""},
		{"div[[", "", "", `selector text "div[[": `},
		{"@", "@", "", `selector text "@": `},
	} {
		f, err := parseField("text", tt.spec)
		switch {
		case tt.err != "":
			if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
				t.Errorf("parseField(%q) error = %v, want prefix %q", tt.spec, err, tt.err)
			}
		case err != nil || f.css != tt.css || f.attr != tt.attr:
			t.Errorf("parseField(%q) = css %q attr %q, %v; want %q %q", tt.spec, f.css, f.attr, err, tt.css, tt.attr)
		}
	}
}

func TestForumNativeID(t *testing.T) {
	for _, tt := range []struct{ permalink, want string }{
		{"https://forum.example/t/77#post-1042", "forum.example/1042"},
		{"https://forum.example/t/77#p1042", "forum.example/1042"},
		{"https://forum.example/viewtopic.php?t=5&p=1042#p1042", "forum.example/1042"},
		{"https://forum.example/showpost.php?postid=99", "forum.example/99"},
		{"https://forum.example/posts/31337", "forum.example/31337"},
		{"https://forum.example/comment/8/", "forum.example/8"},
		{"https://forum.example/t/slug/57", ""},                  // a thread, not a post
		{"https://forum.example/t/77#reply", ""},                 // no number
		{"https://forum.example/t?p=12abc", ""},                  // not a number
		{"https://forum.example/t?id=12", ""},                    // id is too generic to trust
		{"/relative#post-1", ""},                                 // no host
		{"https://forum.example/t#post-1234567890123456789", ""}, // longer than any real id
	} {
		if got := forumNativeID(tt.permalink); got != tt.want {
			t.Errorf("forumNativeID(%q) = %q, want %q", tt.permalink, got, tt.want)
		}
	}
}

func TestHTMLHandmade(t *testing.T) {
	page := func(t *testing.T, name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "html", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	src := &seeds.Source{Name: "test-html", Kind: seeds.HTML, Selectors: seeds.Selectors{
		Post:   "li.ad",
		Text:   ".title, .desc",
		Author: "@data-seller",
		Date:   ".posted",
	}}
	ex, err := extractHTML(src, testPage(t, "https://ads.example/list", page(t, "classifieds.html"), nil))
	if err != nil {
		t.Fatal(err)
	}
	checkPosts(t, "forum", src, ex.Posts)
	want := []Post{
		// An element id gives the permalink; no number in it, so the ID is a hash.
		{ID: "forum:" + hashOf("https://ads.example/list#ad-blue"), URL: "https://ads.example/list#ad-blue", Author: "marie",
			Published: time.Date(2026, 9, 20, 9, 30, 0, 0, time.UTC),
			Text:      "Dinghy 3 m, good state\n\nWith pump and oars. 350 €.",
			Media:     []string{"https://ads.example/img/dinghy.jpg"}},
		// Nothing names it: a hash of the page, author, date and text.
		{ID: "forum:" + hashOf("https://ads.example/list\x00karim\x00"+time.Time{}.String()+"\x00UK trip guaranteed\n\nCall +44 7700 900999"),
			URL: "https://ads.example/list", Author: "karim",
			Text: "UK trip guaranteed\n\nCall +44 7700 900999", Links: []string{"https://wa.me/447700900999"}},
	}
	if len(ex.Posts) != len(want) {
		t.Fatalf("got %d posts %+v, want %d (the empty ad skipped)", len(ex.Posts), ex.Posts, len(want))
	}
	for i, w := range want {
		w.Platform, w.Source, w.Fetched = "forum", src.Name, testFetched
		if !equalPost(ex.Posts[i], noViews(w)) {
			t.Errorf("post %d:\n got %+v\nwant %+v", i, ex.Posts[i], w)
		}
	}
}

func hashOf(s string) string { return hashID(s) }

func TestHTMLSelectorErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		sel  seeds.Selectors
		want string
	}{
		{"no post", seeds.Selectors{Text: "p"}, "selector post: missing"},
		{"no text", seeds.Selectors{Post: "div"}, "selector text: missing"},
		{"bad post", seeds.Selectors{Post: "div[", Text: "p"}, `selector post "div[": `},
		{"post is only an attribute", seeds.Selectors{Post: "@id", Text: "p"}, `selector post "@id": want a CSS selector`},
		{"bad next", seeds.Selectors{Post: "div", Text: "p", Next: "a..next@href"}, `selector next "a..next@href": `},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := &seeds.Source{Name: "s", Kind: seeds.HTML, Selectors: tt.sel}
			ex, err := extractHTML(src, testPage(t, "https://forum.example/b", []byte("<div><p>x</p></div>"), nil))
			var xe *ExtractError
			if ex != nil || !errors.As(err, &xe) || !strings.HasPrefix(err.Error(), "extract html https://forum.example/b: "+tt.want) {
				t.Errorf("got (%v, %v), want an *ExtractError starting %q", ex, err, tt.want)
			}
		})
	}
}

func FuzzHTML(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "html", "classifieds.html")); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`<article class="post" id="post-1"><a class="author" href="/u/a">a</a><time datetime="2026-01-01T00:00:00Z"></time><a class="permalink" href="#post-1">#</a><div class="post-body"><p>x<br>y</p><script>z</script></div></article><a class="next" href="?page=2"></a><a class="thread-link" href="/t/1"></a>`))
	f.Add([]byte(`<article class="post"><div class="post-body"><a href="javascript:x">j</a><img src="data:x"></div><a class="permalink" href="http://[::1">bad</a></article>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		src := forumSource()
		ex, err := extractHTML(src, testPage(t, "https://forum.example/board?page=1", body, nil))
		if err != nil {
			t.Fatalf("extractHTML: %v", err) // valid selectors: any page is readable
		}
		checkPosts(t, "forum", src, ex.Posts)
		if len(ex.Follow) > maxPageFollow {
			t.Errorf("%d links to follow, over the limit", len(ex.Follow))
		}
	})
}
