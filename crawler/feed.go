package crawler

import (
	"bytes"
	"encoding/xml"
	"io"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"

	"tidewatch/seeds"
)

// The feed adapter reads RSS 2.0, RSS 1.0 (RDF) and Atom with gofeed, and
// the few things gofeed leaves out (an RDF item's rdf:about, a feed's
// rel="next" link) with a second, shallow pass over the XML.

// xmlEncoding finds the encoding declared in an XML prolog.
var xmlEncoding = regexp.MustCompile(`^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])`)

func extractFeed(src *seeds.Source, p *Page) (*Extraction, error) {
	if err := checkPage(seeds.Feed, src, p); err != nil {
		return nil, err
	}
	body := feedUTF8(p.Body, p.Header.Get("Content-Type"))
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, pageError(seeds.Feed, p, "parse feed: %w", err)
	}
	scan := scanFeed(body)
	ex := &Extraction{Next: resolve(p.URL, scan.next)}
	if ex.Next == p.URL.String() {
		ex.Next = ""
	}
	seen := map[string]bool{}
	for i, item := range feed.Items {
		if item == nil {
			continue
		}
		about := ""
		if len(scan.abouts) == len(feed.Items) {
			about = scan.abouts[i]
		}
		post := feedPost(src, p, feed, item, about)
		if seen[post.ID] {
			continue
		}
		seen[post.ID] = true
		ex.Posts = append(ex.Posts, post)
		if len(ex.Posts) >= maxPagePosts {
			break
		}
	}
	return ex, nil
}

// feedPost reads one item or entry.
func feedPost(src *seeds.Source, p *Page, feed *gofeed.Feed, item *gofeed.Item, about string) Post {
	post := newPost("feed", src, p)

	// Identity: guid (RSS) or id (Atom, which gofeed puts in GUID), then
	// rdf:about (RSS 1.0), then the link.
	identity := firstNonEmpty(item.GUID, about, item.Link)
	if identity == "" {
		identity = p.URL.String() + "\x00" + item.Title + "\x00" + item.Published
	}
	post.ID = "feed:" + hashID(strings.TrimSpace(identity))

	// The permalink: FeedBurner's origLink is the article itself, where
	// <link> is a FeedBurner redirect.
	post.URL = resolve(p.URL, extValue(item, "feedburner", "origLink"))
	for _, cand := range []string{item.Link, about, item.GUID} {
		if post.URL == "" {
			post.URL = resolve(p.URL, cand)
		}
	}

	for _, a := range item.Authors {
		if a != nil && (a.Name != "" || a.Email != "") {
			post.Author = oneLine(firstNonEmpty(a.Name, a.Email))
			break
		}
	}
	switch {
	case item.PublishedParsed != nil:
		post.Published = item.PublishedParsed.UTC()
	case item.UpdatedParsed != nil:
		post.Published = item.UpdatedParsed.UTC()
	}
	post.Lang = strings.TrimSpace(feed.Language)
	if dc := item.DublinCoreExt; dc != nil && len(dc.Language) > 0 {
		post.Lang = strings.TrimSpace(dc.Language[0])
	}

	title := oneLine(htmlFragmentText(item.Title))
	bodyHTML := firstNonEmpty(item.Content, item.Description)
	text := htmlFragmentText(bodyHTML)
	if title != "" && !strings.HasPrefix(text, title) {
		text = strings.TrimSpace(title + "\n\n" + text)
	}
	post.Text = text

	links := urlList{max: maxPostLinks}
	media := urlList{max: maxPostMedia}
	pixels := map[string]bool{}
	if strings.Contains(bodyHTML, "<") {
		if doc, err := goquery.NewDocumentFromReader(strings.NewReader(bodyHTML)); err == nil {
			doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
				if u := resolve(p.URL, a.AttrOr("href", "")); u != post.URL {
					links.add(nil, u) // not the item's own permalink
				}
			})
			doc.Find("img[src]").Each(func(_ int, img *goquery.Selection) {
				if img.AttrOr("width", "") == "1" || img.AttrOr("height", "") == "1" {
					pixels[resolve(p.URL, img.AttrOr("src", ""))] = true
					return // a tracking pixel (FeedBurner adds one to every item)
				}
				media.add(p.URL, img.AttrOr("src", ""))
			})
		}
	}
	for _, e := range item.Enclosures {
		if e != nil {
			media.add(p.URL, e.URL)
		}
	}
	if item.Image != nil && !pixels[resolve(p.URL, item.Image.URL)] {
		media.add(p.URL, item.Image.URL) // gofeed's pick, often the first <img> again
	}
	for _, e := range extList(item, "media", "content") {
		media.add(p.URL, e.Attrs["url"])
	}
	for _, e := range extList(item, "media", "thumbnail") {
		media.add(p.URL, e.Attrs["url"])
	}
	for _, e := range extList(item, "enc", "enclosure") {
		media.add(p.URL, e.Attrs["resource"]) // RSS 1.0 enclosure module
	}
	post.Links = links.urls
	post.Media = media.urls
	clampPost(&post)
	return post
}

// extList returns the item's extension elements ns:name.
func extList(item *gofeed.Item, ns, name string) []ext.Extension {
	return item.Extensions[ns][name]
}

// extValue is the text of the first extension element ns:name.
func extValue(item *gofeed.Item, ns, name string) string {
	if l := extList(item, ns, name); len(l) > 0 {
		return strings.TrimSpace(l[0].Value)
	}
	return ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// feedUTF8 returns the feed as UTF-8 with its prolog saying so. The body
// may come already decoded by the fetcher (then it is valid UTF-8, whatever
// the prolog still declares) or raw: then the prolog's encoding is used,
// else the Content-Type charset, else Windows-1252, which covers the
// Latin-1 feeds that declare nothing (shared/fixtures/feeds/uolNoticias.rss).
func feedUTF8(body []byte, contentType string) []byte {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	head := body[:min(len(body), 512)]
	declared := ""
	if m := xmlEncoding.FindSubmatch(head); m != nil {
		declared = string(m[2])
	}
	if !utf8.Valid(body) {
		enc := lookupCharset(declared)
		if enc == nil {
			if _, params, err := mime.ParseMediaType(contentType); err == nil {
				enc = lookupCharset(params["charset"])
			}
		}
		if enc == nil {
			enc = charmap.Windows1252
		}
		if dec, err := enc.NewDecoder().Bytes(body); err == nil {
			body = dec
		} else {
			body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
		}
	}
	if declared != "" && !strings.EqualFold(declared, "utf-8") {
		body = xmlEncoding.ReplaceAll(body, []byte("${1}UTF-8${3}"))
	}
	return body
}

// lookupCharset finds a non-UTF-8 encoding by its label; nil for UTF-8,
// unknown or empty labels.
func lookupCharset(label string) encoding.Encoding {
	label = strings.TrimSpace(label)
	if label == "" || strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "utf8") {
		return nil
	}
	enc, name := charset.Lookup(label)
	if enc == nil || name == "utf-8" {
		return nil
	}
	return enc
}

// feedScan is what the second pass over the XML finds.
type feedScan struct {
	abouts []string // rdf:about of each item, in document order
	next   string   // the feed's rel="next" link
}

// scanFeed walks the XML elements once, without building a tree.
func scanFeed(body []byte) feedScan {
	var s feedScan
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = func(string, io.Reader) (io.Reader, error) {
		return nil, io.EOF // feedUTF8 has made it UTF-8 already
	}
	depthInItem := 0 // >0 inside an item or entry
	for tokens := 0; tokens < 1_000_000; tokens++ {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if depthInItem > 0 {
				depthInItem++
				continue
			}
			switch name {
			case "item", "entry":
				depthInItem = 1
				about := ""
				for _, a := range t.Attr {
					if a.Name.Local == "about" {
						about = strings.TrimSpace(a.Value)
					}
				}
				if len(s.abouts) < maxPagePosts*2 {
					s.abouts = append(s.abouts, about)
				}
			case "link":
				rel, href := "", ""
				for _, a := range t.Attr {
					switch strings.ToLower(a.Name.Local) {
					case "rel":
						rel = strings.ToLower(strings.TrimSpace(a.Value))
					case "href":
						href = a.Value
					}
				}
				if rel == "next" && s.next == "" {
					s.next = strings.TrimSpace(href)
				}
			}
		case xml.EndElement:
			if depthInItem > 0 {
				depthInItem--
			}
		}
	}
	return s
}
