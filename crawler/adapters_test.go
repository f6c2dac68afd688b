package crawler

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"tidewatch/demosite"
	"tidewatch/seeds"
)

// fixturesRoot holds the real, third-party pages the adapters are tested
// on, read in place: their text is never copied into this repository, so
// tests compare it by hash (textSum).
const fixturesRoot = "../../shared/fixtures"

// testFetched is the fetch time every test page carries.
var testFetched = time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)

// fixture reads a shared fixture, skipping the test when the folder is
// absent (a checkout without /work/shared).
func fixture(t testing.TB, parts ...string) []byte {
	t.Helper()
	dir := filepath.Join(fixturesRoot, parts[0])
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared fixtures not found at %s (%v): skipping tests on real pages", dir, err)
	}
	b, err := os.ReadFile(filepath.Join(append([]string{fixturesRoot}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testSource(kind string) *seeds.Source {
	return &seeds.Source{Name: "test-" + kind, Kind: kind}
}

func testPage(t testing.TB, rawURL string, body []byte, header http.Header) *Page {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	if header == nil {
		header = http.Header{}
	}
	return &Page{URL: u, Status: 200, Header: header, Body: body, Fetched: testFetched}
}

// textSum is a short digest of a text, so that tests can pin the text of a
// third-party page without quoting it.
func textSum(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:12]
}

// demositeServer serves demosite.New() for the length of the test.
func demositeServer(t testing.TB) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(demosite.New())
	t.Cleanup(srv.Close)
	return srv
}

// fetchPage GETs rawURL and wraps the response as the crawler would.
func fetchPage(t testing.TB, rawURL string) *Page {
	t.Helper()
	resp, err := http.Get(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", rawURL, resp.Status)
	}
	return &Page{URL: resp.Request.URL, Status: resp.StatusCode, Header: resp.Header, Body: body, Fetched: testFetched}
}

// checkPosts asserts what must hold for every post any adapter returns.
func checkPosts(t testing.TB, platform string, src *seeds.Source, posts []Post) {
	t.Helper()
	seen := map[string]bool{}
	for i, p := range posts {
		switch {
		case !strings.HasPrefix(p.ID, platform+":") || len(p.ID) <= len(platform)+1:
			t.Errorf("post %d: ID %q, want %s:<id>", i, p.ID, platform)
		case seen[p.ID]:
			t.Errorf("post %d: ID %q twice on one page", i, p.ID)
		}
		seen[p.ID] = true
		if p.Platform != platform || p.Source != src.Name || !p.Fetched.Equal(testFetched) {
			t.Errorf("post %s: Platform %q Source %q Fetched %v, want %q %q %v", p.ID, p.Platform, p.Source, p.Fetched, platform, src.Name, testFetched)
		}
		if platform != "telegram" && p.Views != -1 {
			t.Errorf("post %s: Views %d, want -1: %s shows no view counts", p.ID, p.Views, platform)
		}
		if !p.Published.IsZero() && p.Published.Location() != time.UTC {
			t.Errorf("post %s: Published %v not in UTC", p.ID, p.Published)
		}
		if len(p.Text) > maxPostText || len(p.ID) > maxPostField || len(p.URL) > maxPostField ||
			len(p.Author) > maxPostField || len(p.Links) > maxPostLinks || len(p.Media) > maxPostMedia {
			t.Errorf("post %s: outside limits: text %d, url %d, author %d, links %d, media %d",
				p.ID, len(p.Text), len(p.URL), len(p.Author), len(p.Links), len(p.Media))
		}
		if !utf8.ValidString(p.Text) || !utf8.ValidString(p.Author) {
			t.Errorf("post %s: text or author is not UTF-8", p.ID)
		}
		for _, u := range append(append([]string{p.URL}, p.Links...), p.Media...) {
			if u == "" {
				continue // a post may lack a permalink; the callers check where one is due
			}
			if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
				t.Errorf("post %s: URL %q is not absolute http(s)", p.ID, u)
			}
		}
	}
}

func TestExtractorFor(t *testing.T) {
	for _, kind := range []string{seeds.Telegram, seeds.HTML, seeds.Feed, seeds.Mastodon} {
		if extractorFor(kind) == nil {
			t.Errorf("extractorFor(%q) = nil", kind)
		}
	}
	for _, kind := range []string{"", "bluesky", "TELEGRAM"} {
		if extractorFor(kind) != nil {
			t.Errorf("extractorFor(%q) != nil", kind)
		}
	}
}

func TestExtractNoPage(t *testing.T) {
	page := testPage(t, "https://example.org/", nil, nil)
	for _, kind := range []string{seeds.Telegram, seeds.HTML, seeds.Feed, seeds.Mastodon} {
		for _, tt := range []struct {
			name string
			src  *seeds.Source
			p    *Page
		}{
			{"no source", nil, page},
			{"no page", testSource(kind), nil},
			{"no URL", testSource(kind), &Page{}},
		} {
			ex, err := extractorFor(kind)(tt.src, tt.p)
			var xe *ExtractError
			if ex != nil || !errors.As(err, &xe) || xe.Kind != kind || !errors.Is(err, errNoPage) {
				t.Errorf("%s, %s: got (%v, %v), want an *ExtractError wrapping errNoPage", kind, tt.name, ex, err)
			}
		}
	}
}

func TestHTMLText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"  a \n\t b  ", "a\nb"},   // no markup: plain text keeps its line breaks
		{"<b>a</b> \n\t b", "a b"}, // markup: HTML white space
		{"line one<br>line two<br/>line three", "line one\nline two\nline three"},
		{"a<br><br><br><br>b", "a\n\nb"},
		{"<p>one</p><p>two</p>", "one\n\ntwo"},
		{"<div>x</div><div>y</div>", "x\ny"},
		{"<b>bold</b> and <i>it</i>alic", "bold and italic"},
		{"before<script>alert('x')</script>after", "beforeafter"},
		{"a<style>p{color:red}</style> b", "a b"},
		{"<ul><li>one</li><li>two</li></ul>", "one\ntwo"},
		{`<span class="invisible">https://</span><span>wa.me/1</span>`, "https://wa.me/1"},
		{`hi <img class="emoji" alt="🔥" src="x.png"> <img alt="a photo" src="y.jpg">`, "hi 🔥"},
		{"&amp; &lt;b&gt; &#x0024;5", "& <b> $5"},
		{"<p>x</p>\n\n   \n<p>y</p>", "x\n\ny"},
		{"tab\u00a0nbsp", "tab nbsp"},
	} {
		if got := htmlFragmentText(tt.in); got != tt.want {
			t.Errorf("htmlFragmentText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHTMLTextDeep(t *testing.T) {
	// A page nested far deeper than any real one must neither crash nor
	// lose its text (past its depth limit the HTML parser keeps the rest
	// as text).
	in := strings.Repeat("<div>", 100000) + "deep" + strings.Repeat("</div>", 100000)
	if got := htmlFragmentText(in); !strings.Contains(got, "deep") {
		t.Errorf("deeply nested text: %d bytes without %q", len(got), "deep")
	}
}

func TestResolve(t *testing.T) {
	base, _ := url.Parse("https://forum.example/board/12?page=2")
	for _, tt := range []struct{ ref, want string }{
		{"", ""},
		{"/t/5", "https://forum.example/t/5"},
		{"t/5#post-9", "https://forum.example/board/t/5#post-9"},
		{"?page=3", "https://forum.example/board/12?page=3"},
		{"//cdn.example/a.jpg", "https://cdn.example/a.jpg"},
		{"http://other.example/x", "http://other.example/x"},
		{"javascript:alert(1)", ""},
		{"data:image/png;base64,AAAA", ""},
		{"mailto:a@b.example", ""},
		{"http://[::1", ""},
		{" /spaced ", "https://forum.example/spaced"},
		{"/" + strings.Repeat("a", maxPostField), ""},
	} {
		if got := resolve(base, tt.ref); got != tt.want {
			t.Errorf("resolve(%q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

func TestClampPost(t *testing.T) {
	long := strings.Repeat("é", maxPostText) // 2 bytes a rune
	p := Post{ID: "x:1", Text: long, Author: strings.Repeat("a", 3*maxPostField), Links: make([]string, 2*maxPostLinks), Media: make([]string, 2*maxPostMedia), Lang: "\xff"}
	clampPost(&p)
	if len(p.Text) != maxPostText || !utf8.ValidString(p.Text) {
		t.Errorf("Text: %d bytes, valid %v; want %d valid", len(p.Text), utf8.ValidString(p.Text), maxPostText)
	}
	if len(p.Author) != maxPostField || len(p.Links) != maxPostLinks || len(p.Media) != maxPostMedia {
		t.Errorf("Author %d, Links %d, Media %d: want %d, %d, %d", len(p.Author), len(p.Links), len(p.Media), maxPostField, maxPostLinks, maxPostMedia)
	}
	if p.Lang != "\uFFFD" {
		t.Errorf("Lang = %q, want the replacement character", p.Lang)
	}
}

func TestParseTime(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Time
	}{
		{"2023-02-28T08:48:01+00:00", time.Date(2023, 2, 28, 8, 48, 1, 0, time.UTC)},
		{"2026-09-14T21:02:00+02:00", time.Date(2026, 9, 14, 19, 2, 0, 0, time.UTC)},
		{"2026-08-01T13:55:46.609Z", time.Date(2026, 8, 1, 13, 55, 46, 609e6, time.UTC)},
		{"2026-09-14 19:02", time.Date(2026, 9, 14, 19, 2, 0, 0, time.UTC)},
		{"Wed, 31 Jan 2018 20:15:15 GMT", time.Date(2018, 1, 31, 20, 15, 15, 0, time.UTC)},
		{"Seg, 24 Set 2018 19:42:40 -0300", time.Time{}}, // localised: left out, not guessed
		{"yesterday", time.Time{}},
		{"", time.Time{}},
	} {
		if got := parseTime(tt.in); !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, want %v UTC", tt.in, got, tt.want)
		}
	}
}

// readFixture reads a shared fixture for a fuzz seed; absent is fine.
func readFixture(parts ...string) ([]byte, error) {
	return os.ReadFile(filepath.Join(append([]string{fixturesRoot}, parts...)...))
}

// BenchmarkExtract measures each adapter on a demosite page: pages and
// posts per second of parsing, no network.
func BenchmarkExtract(b *testing.B) {
	srv := demositeServer(b)
	for _, bb := range []struct {
		name string
		src  *seeds.Source
		path string
	}{
		{"telegram", testSource(seeds.Telegram), "/s/uk_safe_trip"},
		{"html", forumSource(), "/forum/thread/7706"},
		{"feed", testSource(seeds.Feed), "/feeds/classifieds.rss"},
		{"mastodon", testSource(seeds.Mastodon), "/api/v1/timelines/tag/uk?limit=40"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			page := fetchPage(b, srv.URL+bb.path)
			extract := extractorFor(bb.src.Kind)
			posts := 0
			b.SetBytes(int64(len(page.Body)))
			b.ResetTimer()
			for b.Loop() {
				ex, err := extract(bb.src, page)
				if err != nil {
					b.Fatal(err)
				}
				posts += len(ex.Posts)
			}
			b.ReportMetric(float64(posts)/b.Elapsed().Seconds(), "posts/s")
		})
	}
}
