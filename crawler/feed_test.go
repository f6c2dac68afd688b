package crawler

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"tidewatch/seeds"
)

// feedID is the post ID of a feed item with the given identity, computed
// here independently of the adapter.
func feedID(identity string) string {
	sum := sha256.Sum256([]byte(identity))
	return "feed:" + hex.EncodeToString(sum[:])[:16]
}

func TestFeedFixtures(t *testing.T) {
	for _, tt := range []struct {
		file        string
		contentType string
		posts       int
		next        string
		zeroDates   int    // items whose date cannot be read
		first       Post   // every field but Text, Platform, Source, Fetched
		textSum     string // of the first item's text
		textLines   int
	}{
		{
			file: "guardian.rss", contentType: "application/rss+xml; charset=utf-8", posts: 55,
			first: Post{ID: feedID("https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord"),
				URL:       "https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord",
				Author:    "David Smith in Washington", // dc:creator
				Lang:      "en-gb",
				Published: time.Date(2018, 1, 31, 7, 26, 5, 0, time.UTC),
				Links:     []string{"https://www.theguardian.com/us-news/2018/jan/30/state-of-the-union-fact-check-trumps-address-analyzed"},
				Media: []string{ // media:content, two sizes
					"https://i.guim.co.uk/img/media/b73c8752cd4667c923dff7f1542f1fb20089e421/0_108_3000_1799/master/3000.jpg?w=140&q=55&auto=format&usm=12&fit=max&s=0a4f729a1784060437ae689bc8d26534",
					"https://i.guim.co.uk/img/media/b73c8752cd4667c923dff7f1542f1fb20089e421/0_108_3000_1799/master/3000.jpg?w=460&q=55&auto=format&usm=12&fit=max&s=a606a273a90104e57b1e09bc4c0a1e11"}},
			textSum: "b889f745b609", textLines: 9,
		},
		{
			file: "heise.atom", contentType: "application/atom+xml", posts: 15,
			first: Post{ID: feedID("http://heise.de/-3088438"),
				URL:       "http://www.heise.de/developer/meldung/Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html?wt_mc=rss.developer.beitrag.atom",
				Published: time.Date(2016, 2, 1, 16, 22, 0, 0, time.UTC), // 17:22 +01:00
				Media:     []string{"http://www.heise.de/scale/geometry/264/q80/imgs/18/1/7/3/9/9/2/1/wildfly-2bf4ffd2935e38b6-90200def80b152e9-5ba35d3770232d92.jpeg"}},
			textSum: "c05608d4c374", textLines: 3,
		},
		{
			file: "encoding.rss", contentType: "application/rss+xml", posts: 40, // ISO-8859-1, declared in the prolog
			first: Post{ID: feedID("http://feeds.jn.pt/~r/JN-ULTIMAS/~3/UBnb8Ra3Q1U/sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html"),
				URL:       "https://www.jn.pt/nacional/interior/sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html", // feedburner:origLink
				Lang:      "pt-pt",
				Published: time.Date(2018, 1, 3, 13, 47, 0, 0, time.UTC)},
			textSum: "e85a365d5757", textLines: 3,
		},
		{
			file: "uolNoticias.rss", contentType: "application/rss+xml", posts: 15, zeroDates: 15, // Latin-1, undeclared; Portuguese dates
			first: Post{ID: feedID("https://noticias.uol.com.br/politica/eleicoes/2018/noticias/2018/09/24/ibope-bolsonaro-perde-de-haddad-ciro-e-alckmin-em-simulacoes-de-2-turno.htm"),
				URL:   "https://noticias.uol.com.br/politica/eleicoes/2018/noticias/2018/09/24/ibope-bolsonaro-perde-de-haddad-ciro-e-alckmin-em-simulacoes-de-2-turno.htm",
				Media: []string{"https://conteudo.imguol.com.br/c/noticias/5f/2018/09/17/presidenciaveis-1537211917356_142x100.jpg"}},
			textSum: "e23882179eab", textLines: 3,
		},
		{
			file: "craigslist.rss", contentType: "application/rss+xml", posts: 25, // RSS 1.0: identity from rdf:about
			first: Post{ID: feedID("http://sfbay.craigslist.org/eby/apa/6186664607.html"),
				URL:       "http://sfbay.craigslist.org/eby/apa/6186664607.html",
				Lang:      "en-us",
				Published: time.Date(2017, 6, 21, 17, 33, 10, 0, time.UTC),                          // dc:date, -07:00
				Media:     []string{"https://images.craigslist.org/00l0l_fbVZikCjEKO_300x300.jpg"}}, // enc:enclosure
			textSum: "8413b088bcf5", textLines: 3,
		},
		{
			file: "feedburner.atom", contentType: "application/atom+xml", posts: 25,
			next: "http://www.blogger.com/feeds/7815614485808579332/posts/default/-/adwords_api/-/adwords_api?start-index=26&max-results=25",
			first: Post{ID: feedID("tag:blogger.com,1999:blog-7815614485808579332.post-8394866751819460570"),
				URL:       "http://googleadsdeveloper.blogspot.com/2016/06/adwords-and-dfp-java-client-library.html", // origLink
				Author:    "Google Ads Developer Advisor",
				Published: time.Date(2016, 6, 3, 14, 38, 0, 0, time.UTC),
				Links: []string{"https://github.com/googleads/googleads-java-lib",
					"http://www.oracle.com/technetwork/java/eol-135779.html#java-commercial-offerings",
					"http://www.oracle.com/technetwork/java/javase/jdk7-relnotes-418459.html",
					"http://docs.oracle.com/javase/7/docs/webnotes/adoptionGuide/",
					"https://github.com/googleads/googleads-java-lib/issues",
					"https://plus.google.com/115658573333388777174/posts",
					"https://plus.google.com/100205313733177937765/posts"},
				Media: []string{"https://lh6.googleusercontent.com/OARJJ1a0J4Mw11dlC-Wl_OuLl2eKtEjhYQw8DiRxq19R_N38Vu5xICRd6D5WE66ibQklt5BWyquFuRLThvI6V067SGVhE-vW_5IiKq_G1tn8cDcZRAdHXE-8UegB_UryQ9dw5N7K"}},
			textSum: "cdf35e4cab16", textLines: 18,
		},
	} {
		t.Run(tt.file, func(t *testing.T) {
			src := testSource(seeds.Feed)
			h := http.Header{"Content-Type": {tt.contentType}}
			ex, err := extractFeed(src, testPage(t, "https://feeds.example/"+tt.file, fixture(t, "feeds", tt.file), h))
			if err != nil {
				t.Fatal(err)
			}
			checkPosts(t, "feed", src, ex.Posts)
			if len(ex.Posts) != tt.posts || ex.Next != tt.next {
				t.Errorf("got %d posts, Next %q; want %d, %q", len(ex.Posts), ex.Next, tt.posts, tt.next)
			}
			zero := 0
			for _, p := range ex.Posts {
				if p.Published.IsZero() {
					zero++
				}
				if p.URL == "" || strings.ContainsRune(p.Text, utf8.RuneError) || strings.Contains(p.Text, "<p>") {
					t.Errorf("%s: URL %q, text with U+FFFD or markup: %q", p.ID, p.URL, p.Text)
				}
				for _, l := range p.Links {
					if l == p.URL {
						t.Errorf("%s: its own permalink among Links", p.ID)
					}
				}
				for _, m := range p.Media {
					if strings.Contains(m, "feeds.feedburner.com/~r/") {
						t.Errorf("%s: tracking pixel %q among Media", p.ID, m)
					}
				}
			}
			if zero != tt.zeroDates {
				t.Errorf("%d items without a date, want %d", zero, tt.zeroDates)
			}
			if len(ex.Posts) == 0 {
				return
			}
			got, want := ex.Posts[0], tt.first
			want.Platform, want.Source, want.Fetched, want.Text = "feed", src.Name, testFetched, got.Text
			if !equalPost(got, noViews(want)) {
				t.Errorf("first post:\n got %+v\nwant %+v", got, want)
			}
			if textSum(got.Text) != tt.textSum || strings.Count(got.Text, "\n")+1 != tt.textLines {
				t.Errorf("first text (sum %s, %d lines) = %q\nwant sum %s, %d lines", textSum(got.Text), strings.Count(got.Text, "\n")+1, got.Text, tt.textSum, tt.textLines)
			}
		})
	}
}

// The fetcher may hand over a feed already decoded to UTF-8, its prolog
// still naming ISO-8859-1, or the raw bytes: the same posts either way.
func TestFeedCharsets(t *testing.T) {
	raw := fixture(t, "feeds", "encoding.rss")
	decoded, err := charmap.ISO8859_1.NewDecoder().Bytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	src := testSource(seeds.Feed)
	a, err := extractFeed(src, testPage(t, "https://feeds.example/jn", raw, nil))
	if err != nil {
		t.Fatal(err)
	}
	b, err := extractFeed(src, testPage(t, "https://feeds.example/jn", decoded, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Posts) != 40 || len(a.Posts) != len(b.Posts) {
		t.Fatalf("raw: %d posts, decoded: %d; want 40 each", len(a.Posts), len(b.Posts))
	}
	for i := range a.Posts {
		if !equalPost(a.Posts[i], b.Posts[i]) {
			t.Errorf("post %d differs:\n raw     %+v\n decoded %+v", i, a.Posts[i], b.Posts[i])
		}
	}

	// An undeclared Latin-1 feed whose Content-Type names the charset.
	uol := fixture(t, "feeds", "uolNoticias.rss")
	h := http.Header{"Content-Type": {"text/xml; charset=ISO-8859-1"}}
	c, err := extractFeed(src, testPage(t, "https://feeds.example/uol", uol, h))
	if err != nil || len(c.Posts) != 15 {
		t.Fatalf("uol with charset header: %v, %v", c, err)
	}
	if !strings.Contains(c.Posts[0].Text, "ç") || !strings.Contains(c.Posts[0].Text, "º") {
		t.Errorf("Latin-1 not decoded: %q", c.Posts[0].Text)
	}
}

func TestFeedDemosite(t *testing.T) {
	srv := demositeServer(t)
	src := testSource(seeds.Feed)
	base := srv.URL

	rss, err := extractFeed(src, fetchPage(t, base+"/feeds/classifieds.rss"))
	if err != nil {
		t.Fatal(err)
	}
	checkPosts(t, "feed", src, rss.Posts)
	if len(rss.Posts) != 7 || rss.Next != "" {
		t.Errorf("classifieds: %d posts, Next %q; want 7 and none", len(rss.Posts), rss.Next)
	}
	wantRSS := []Post{
		{ID: feedID("classifieds-cote-opale:ann-55120"), URL: base + "/classifieds/ann-55120", Author: "passage_uk", Lang: "fr",
			Published: time.Date(2026, 9, 14, 18, 20, 0, 0, time.UTC),
			Text:      "Passage Angleterre garanti — départ cette semaine\n\nPassage garanti vers l'Angleterre depuis Dunkerque, départ cette semaine.\n\n1500 € par personne, enfants moitié prix. Contact Telegram @passage_uk ou WhatsApp +33 6 39 98 45 67",
			Links:     []string{"https://t.me/passage_uk"}},
		{ID: feedID("classifieds-cote-opale:ann-55118"), URL: base + "/classifieds/ann-55118", Author: "jp_marine", Lang: "fr",
			Published: time.Date(2026, 9, 14, 11, 0, 0, 0, time.UTC),
			Text:      "Vends bateau pneumatique 4,2 m avec moteur 20 cv\n\nPneumatique 4,20 m, plancher alu, moteur 20 cv 4 temps, remorque. 2 200 €. Visible à Calais.",
			Media:     []string{base + "/media/ads/boat-55118.jpg"}},
	}
	for i, want := range wantRSS {
		want.Platform, want.Source, want.Fetched = "feed", src.Name, testFetched
		if !equalPost(rss.Posts[i], noViews(want)) {
			t.Errorf("classifieds post %d:\n got %+v\nwant %+v", i, rss.Posts[i], want)
		}
	}

	page1, err := extractFeed(src, fetchPage(t, base+"/feeds/news.atom"))
	if err != nil {
		t.Fatal(err)
	}
	checkPosts(t, "feed", src, page1.Posts)
	if len(page1.Posts) != 4 || page1.Next != base+"/feeds/news.atom?page=2" {
		t.Fatalf("news page 1: %d posts, Next %q; want 4 and page 2", len(page1.Posts), page1.Next)
	}
	want := Post{ID: feedID("tag:channelwatch.demo,2026:entry-2026-09-14-arrivals"), URL: base + "/news/entry-2026-09-14-arrivals",
		Author: "Channel Watch", Published: time.Date(2026, 9, 14, 21, 0, 0, 0, time.UTC),
		Text:     "Home Office: 780 people crossed in small boats on Saturday\n\nThe Home Office said 780 people crossed the Channel in 14 small boats on Saturday, the highest daily figure this year.\n\nCharities warned that boats are more overcrowded than ever, with up to 70 people in one dinghy.",
		Platform: "feed", Source: src.Name, Fetched: testFetched}
	if !equalPost(page1.Posts[0], noViews(want)) {
		t.Errorf("news post 0:\n got %+v\nwant %+v", page1.Posts[0], want)
	}
	page2, err := extractFeed(src, fetchPage(t, page1.Next))
	if err != nil {
		t.Fatal(err)
	}
	checkPosts(t, "feed", src, page2.Posts)
	if len(page2.Posts) != 4 || page2.Next != "" {
		t.Errorf("news page 2: %d posts, Next %q; want 4 and the end", len(page2.Posts), page2.Next)
	}
}

func TestFeedErrors(t *testing.T) {
	for _, tt := range []struct{ name, body string }{
		{"empty", ""},
		{"HTML", "<!DOCTYPE html><html><body>Not a feed</body></html>"},
		{"JSON garbage", `{"items": 5`},
		{"broken XML", `<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</ti`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := extractFeed(testSource(seeds.Feed), testPage(t, "https://feeds.example/f", []byte(tt.body), nil))
			var xe *ExtractError
			if ex != nil || !errors.As(err, &xe) || !strings.HasPrefix(err.Error(), "extract feed https://feeds.example/f: parse feed: ") {
				t.Errorf("got (%v, %v), want an *ExtractError from parsing", ex, err)
			}
		})
	}
}

func TestFeedIdentity(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>`
	for _, tt := range []struct {
		name, item, wantID, wantURL string
	}{
		{"guid", `<item><guid>g-1</guid><link>https://a.example/1</link></item>`, feedID("g-1"), "https://a.example/1"},
		{"link only", `<item><link>https://a.example/2</link></item>`, feedID("https://a.example/2"), "https://a.example/2"},
		{"relative link", `<item><link>/3</link></item>`, feedID("/3"), "https://feeds.example/3"},
		{"guid as permalink", `<item><guid isPermaLink="true">https://a.example/4</guid></item>`, feedID("https://a.example/4"), "https://a.example/4"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := extractFeed(testSource(seeds.Feed), testPage(t, "https://feeds.example/f", []byte(head+tt.item+"</channel></rss>"), nil))
			if err != nil {
				t.Fatal(err)
			}
			if len(ex.Posts) != 1 || ex.Posts[0].ID != tt.wantID || ex.Posts[0].URL != tt.wantURL {
				t.Errorf("got %+v, want ID %q URL %q", ex.Posts, tt.wantID, tt.wantURL)
			}
		})
	}
	// Two items, one identity: one post.
	ex, err := extractFeed(testSource(seeds.Feed), testPage(t, "https://feeds.example/f",
		[]byte(head+`<item><guid>same</guid></item><item><guid>same</guid></item></channel></rss>`), nil))
	if err != nil || len(ex.Posts) != 1 {
		t.Errorf("duplicate guid: %v, %v; want one post", ex, err)
	}
	if ex != nil && !slices.Equal([]string{ex.Posts[0].ID}, []string{feedID("same")}) {
		t.Errorf("ID = %q", ex.Posts[0].ID)
	}
}

func FuzzFeed(f *testing.F) {
	// Seeds stay small: the fuzzer minimises every input that finds new
	// code, and minimising a 150 KB feed takes a minute a time.
	if b, err := readFixture("feeds", "uolNoticias.rss"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item rdf:about="https://a.example/1"><title>t</title><dc:date>2017-06-21T10:33:10-07:00</dc:date></item></rdf:RDF>`))
	f.Add([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><item><title>caf` + "\xe9" + `</title></item></channel></rss>`))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><link rel="next" href="?p=2"/><entry><id>x</id><content type="html">&lt;script&gt;x&lt;/script&gt;</content></entry></feed>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		src := testSource(seeds.Feed)
		ex, err := extractFeed(src, testPage(t, "https://feeds.example/f", body, nil))
		if err != nil {
			return
		}
		checkPosts(t, "feed", src, ex.Posts)
	})
}
