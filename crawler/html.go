package crawler

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"tidewatch/seeds"
)

// The html adapter reads any forum or classifieds site whose posts the
// seeds file describes with CSS selectors: post (one element per post),
// text, author, date and permalink inside it, and, on the whole page, next
// (the older page of the list) and thread (links from a board to its
// threads). "sel@attr" reads an attribute instead of the text; "@attr"
// alone reads it from the post element itself.

// field is one parsed selector.
type field struct {
	name string // for messages: "post", "text", …
	css  string // "" means the element itself
	attr string // "" means the text
	sel  cascadia.Selector
}

// attrName is what may follow the last '@' of a selector.
var attrName = regexp.MustCompile(`^[A-Za-z_:][-A-Za-z0-9_:.]*$`)

// parseField splits "sel@attr" and compiles the CSS.
func parseField(name, spec string) (field, error) {
	f := field{name: name}
	spec = strings.TrimSpace(spec)
	if i := strings.LastIndexByte(spec, '@'); i >= 0 && attrName.MatchString(spec[i+1:]) &&
		strings.Count(spec[:i], "[") == strings.Count(spec[:i], "]") {
		f.css, f.attr = strings.TrimSpace(spec[:i]), spec[i+1:]
	} else {
		f.css = spec
	}
	if f.css != "" {
		sel, err := cascadia.Compile(f.css)
		if err != nil {
			return f, fmt.Errorf("selector %s %q: %w", name, spec, err)
		}
		f.sel = sel
	}
	return f, nil
}

// find returns the elements the field selects within s (s itself for an
// empty selector).
func (f field) find(s *goquery.Selection) *goquery.Selection {
	if f.sel == nil {
		return s
	}
	return s.FindMatcher(f.sel)
}

// value is the field's text or attribute on the first match.
func (f field) value(s *goquery.Selection) string {
	m := f.find(s).First()
	if f.attr != "" {
		return strings.TrimSpace(m.AttrOr(f.attr, ""))
	}
	return oneLine(htmlText(m.Nodes...))
}

// href is the field's URL on the first match: the attribute when one is
// named, else the element's href, else the href of a link inside it.
func (f field) href(base *url.URL, s *goquery.Selection) string {
	return hrefOf(base, f.find(s).First(), f.attr)
}

func hrefOf(base *url.URL, m *goquery.Selection, attr string) string {
	if attr != "" {
		return resolve(base, m.AttrOr(attr, ""))
	}
	if h, ok := m.Attr("href"); ok {
		return resolve(base, h)
	}
	return resolve(base, m.Find("a[href]").First().AttrOr("href", ""))
}

// htmlSelectors are a source's compiled selectors.
type htmlSelectors struct {
	post, text, author, date, permalink, next, thread field
}

func compileSelectors(s seeds.Selectors) (*htmlSelectors, error) {
	var hs htmlSelectors
	for _, f := range []struct {
		dst        *field
		name, spec string
		required   bool
	}{
		{&hs.post, "post", s.Post, true},
		{&hs.text, "text", s.Text, true},
		{&hs.author, "author", s.Author, false},
		{&hs.date, "date", s.Date, false},
		{&hs.permalink, "permalink", s.Permalink, false},
		{&hs.next, "next", s.Next, false},
		{&hs.thread, "thread", s.Thread, false},
	} {
		if strings.TrimSpace(f.spec) == "" {
			if f.required {
				return nil, fmt.Errorf("selector %s: missing", f.name)
			}
			continue
		}
		pf, err := parseField(f.name, f.spec)
		if err != nil {
			return nil, err
		}
		*f.dst = pf
	}
	if hs.post.sel == nil {
		return nil, fmt.Errorf("selector post %q: want a CSS selector", s.Post)
	}
	return &hs, nil
}

// set reports whether the seeds gave this selector.
func (f field) set() bool { return f.sel != nil || f.attr != "" }

func extractHTML(src *seeds.Source, p *Page) (*Extraction, error) {
	if err := checkPage(seeds.HTML, src, p); err != nil {
		return nil, err
	}
	sel, err := compileSelectors(src.Selectors)
	if err != nil {
		return nil, pageError(seeds.HTML, p, "%w", err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.Body))
	if err != nil {
		return nil, pageError(seeds.HTML, p, "parse HTML: %w", err)
	}
	doc.Find("script, style, noscript, template").Remove()

	ex := &Extraction{}
	seen := map[string]bool{}
	doc.FindMatcher(sel.post.sel).EachWithBreak(func(_ int, el *goquery.Selection) bool {
		post, ok := htmlPost(src, p, sel, el)
		if ok && !seen[post.ID] {
			seen[post.ID] = true
			ex.Posts = append(ex.Posts, post)
		}
		return len(ex.Posts) < maxPagePosts
	})
	if sel.next.set() {
		if next := hrefOf(p.URL, sel.next.find(doc.Selection).First(), sel.next.attr); next != p.URL.String() {
			ex.Next = next
		}
	}
	if sel.thread.set() {
		follow := urlList{max: maxPageFollow, seen: map[string]bool{p.URL.String(): true}}
		sel.thread.find(doc.Selection).Each(func(_ int, a *goquery.Selection) {
			follow.add(p.URL, hrefOf(p.URL, a, sel.thread.attr))
		})
		ex.Follow = follow.urls
	}
	return ex, nil
}

// htmlPost reads one post element. ok is false for an element with no
// text, author or permalink: page furniture that happens to match.
func htmlPost(src *seeds.Source, p *Page, sel *htmlSelectors, el *goquery.Selection) (Post, bool) {
	post := newPost("forum", src, p)
	texts := sel.text.find(el)
	if sel.text.attr != "" {
		var parts []string
		texts.Each(func(_ int, t *goquery.Selection) {
			parts = append(parts, t.AttrOr(sel.text.attr, ""))
		})
		post.Text = normalizeText(strings.Join(parts, "\n"))
	} else {
		post.Text = htmlText(texts.Nodes...)
	}
	if sel.author.set() {
		post.Author = sel.author.value(el)
		if sel.author.attr == "" {
			post.AuthorURL = hrefOf(p.URL, sel.author.find(el).First(), "")
		}
	}
	if sel.date.set() {
		post.Published = parseTime(sel.date.value(el))
	}
	permalink := ""
	if sel.permalink.set() {
		permalink = sel.permalink.href(p.URL, el)
	}
	if post.Text == "" && post.Author == "" && permalink == "" {
		return post, false
	}

	switch {
	case permalink != "":
		post.URL = permalink
	case el.AttrOr("id", "") != "":
		u := *p.URL
		u.Fragment = el.AttrOr("id", "")
		post.URL = u.String()
	}
	switch {
	case post.URL == "":
		// Nothing names this post: identify it by where it is and what it says.
		post.URL = p.URL.String()
		post.ID = "forum:" + hashID(post.URL+"\x00"+post.Author+"\x00"+post.Published.String()+"\x00"+post.Text)
	case forumNativeID(post.URL) != "":
		post.ID = "forum:" + forumNativeID(post.URL)
	default:
		post.ID = "forum:" + hashID(post.URL)
	}

	links := urlList{max: maxPostLinks}
	media := urlList{max: maxPostMedia}
	texts.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		links.add(p.URL, a.AttrOr("href", ""))
	})
	texts.Find("img[src]").Each(func(_ int, img *goquery.Selection) {
		media.add(p.URL, img.AttrOr("src", ""))
	})
	post.Links = links.urls
	post.Media = media.urls
	clampPost(&post)
	return post, true
}

// Where forum software puts a post's own number in its permalink:
// #post-1042, #p1042, ?p=1042, /posts/1042, /comment/1042 …
var (
	idFragment = regexp.MustCompile(`^(?i:post|p|msg|message|comment|reply|entry)[-_]?([0-9]{1,18})$`)
	idPath     = regexp.MustCompile(`/(?i:post|posts|p|comment|comments|msg|message|messages)/([0-9]{1,18})/?$`)
	idParams   = []string{"p", "pid", "post", "postid", "post_id", "msg", "comment"}
)

// forumNativeID is "<host>/<post number>" when the permalink carries an
// obvious post number, or "".
func forumNativeID(permalink string) string {
	u, err := url.Parse(permalink)
	if err != nil || u.Host == "" {
		return ""
	}
	if m := idFragment.FindStringSubmatch(u.Fragment); m != nil {
		return u.Host + "/" + m[1]
	}
	q := u.Query()
	for _, k := range idParams {
		if v := q.Get(k); v != "" && len(v) <= 18 && strings.Trim(v, "0123456789") == "" {
			return u.Host + "/" + v
		}
	}
	if m := idPath.FindStringSubmatch(u.Path); m != nil {
		return u.Host + "/" + m[1]
	}
	return ""
}
