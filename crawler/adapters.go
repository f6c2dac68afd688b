package crawler

// The platform adapters: each turns one fetched page into posts (telegram.go,
// html.go, feed.go, mastodon.go). This file maps seeds kinds to them and holds
// what they share: HTML-to-text, URL resolution, stable IDs and the limits
// that keep a hostile page from producing unbounded posts.

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"tidewatch/seeds"
)

// Limits on what one page may yield. A real channel page holds 20
// messages and a real feed rarely more than 100 items; a page that claims
// more is broken or hostile, and the rest of it is dropped, not an error.
const (
	maxPagePosts  = 1000     // posts taken from one page
	maxPostText   = 64 << 10 // bytes of text per post (a Telegram message is at most 4096 characters)
	maxPostField  = 2048     // bytes of ID, URL, author, forwarded-from
	maxPostLinks  = 100      // links per post
	maxPostMedia  = 100      // media URLs per post
	maxPageFollow = 500      // thread links taken from one board page
)

// errNoPage is returned when an adapter is called without a page or source.
var errNoPage = errors.New("no page or no source")

// extractorFor returns the adapter for a seeds kind, or nil for a kind
// without one.
func extractorFor(kind string) extractFunc {
	switch kind {
	case seeds.Telegram:
		return extractTelegram
	case seeds.HTML:
		return extractHTML
	case seeds.Feed:
		return extractFeed
	case seeds.Mastodon:
		return extractMastodon
	}
	return nil
}

// ExtractError is a page an adapter could not read.
type ExtractError struct {
	Kind string // seeds kind: telegram, html, feed, mastodon
	URL  string
	Err  error
}

func (e *ExtractError) Error() string {
	return "extract " + e.Kind + " " + e.URL + ": " + e.Err.Error()
}

func (e *ExtractError) Unwrap() error { return e.Err }

// checkPage reports an *ExtractError when the adapter has nothing to work on.
func checkPage(kind string, src *seeds.Source, p *Page) error {
	if src == nil || p == nil || p.URL == nil {
		u := ""
		if p != nil && p.URL != nil {
			u = p.URL.String()
		}
		return &ExtractError{Kind: kind, URL: u, Err: errNoPage}
	}
	return nil
}

// newPost starts a post with what every adapter fills the same way.
func newPost(platform string, src *seeds.Source, p *Page) Post {
	return Post{
		Platform: platform,
		Source:   src.Name,
		Fetched:  p.Fetched.UTC(),
		Capture:  p.Capture,
		Views:    -1,
	}
}

// hashID is the first 16 hex digits of the SHA-256 of s: the ID of a post
// whose platform gives it none.
func hashID(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:16]
}

// resolve makes ref absolute against base. It returns "" for anything that
// is not an http(s) URL once resolved (javascript:, data:, mailto:, junk),
// so that nothing but web addresses leaves an adapter.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || len(ref) > maxPostField {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// urlList collects distinct absolute URLs, in order, up to a limit.
type urlList struct {
	max  int
	urls []string
	seen map[string]bool
}

func (l *urlList) add(base *url.URL, ref string) {
	u := resolve(base, ref)
	if u == "" || len(l.urls) >= l.max || l.seen[u] {
		return
	}
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	l.seen[u] = true
	l.urls = append(l.urls, u)
}

// clampPost holds a post inside the limits, cutting at rune boundaries.
func clampPost(p *Post) {
	p.ID = truncate(p.ID, maxPostField)
	p.URL = truncate(p.URL, maxPostField)
	p.Author = truncate(p.Author, maxPostField)
	p.AuthorURL = truncate(p.AuthorURL, maxPostField)
	p.Forwarded = truncate(p.Forwarded, maxPostField)
	p.Lang = truncate(p.Lang, 32)
	p.Text = truncate(p.Text, maxPostText)
	if len(p.Links) > maxPostLinks {
		p.Links = p.Links[:maxPostLinks]
	}
	if len(p.Media) > maxPostMedia {
		p.Media = p.Media[:maxPostMedia]
	}
}

// truncate cuts s to at most n bytes without splitting a rune, and makes it
// valid UTF-8.
func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// oneLine collapses all white space in s to single spaces: for names,
// titles and other one-line fields.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// htmlText renders the text of n and its descendants as a reader would see
// it: white space in the markup collapses to one space, <br> and block
// elements break lines, paragraphs are separated by a blank line, and
// scripts, styles and other invisible elements are dropped. Nothing is ever
// executed.
func htmlText(nodes ...*html.Node) string {
	var t textWriter
	for _, n := range nodes {
		t.walk(n)
		t.block()
	}
	return t.String()
}

// htmlFragmentText parses s as an HTML fragment (a Mastodon content field, a
// feed description) and renders its text.
func htmlFragmentText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return normalizeText(s)
	}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), body)
	if err != nil {
		return normalizeText(s)
	}
	for _, n := range nodes {
		body.AppendChild(n)
	}
	return htmlText(body)
}

// normalizeText tidies plain text: trims each line, keeps at most one blank
// line in a row.
func normalizeText(s string) string {
	var t textWriter
	for i, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if i > 0 {
			t.newline()
		}
		t.text(line)
	}
	return t.String()
}

// textWriter builds text from a stream of words, spaces and line breaks.
type textWriter struct {
	b        strings.Builder
	space    bool // a space is pending before the next word
	newlines int  // line breaks pending before the next word (at most 2)
	started  bool // some word has been written
}

func (t *textWriter) text(s string) {
	if s == "" {
		return
	}
	if r, _ := utf8.DecodeRuneInString(s); unicode.IsSpace(r) {
		t.space = true
	}
	for i, w := range strings.Fields(s) {
		if i > 0 {
			t.space = true
		}
		t.word(w)
	}
	if r, _ := utf8.DecodeLastRuneInString(s); unicode.IsSpace(r) {
		t.space = true
	}
}

func (t *textWriter) word(w string) {
	if t.b.Len() >= maxPostText {
		return
	}
	if t.started {
		switch {
		case t.newlines > 0:
			t.b.WriteString(strings.Repeat("\n", t.newlines))
		case t.space:
			t.b.WriteByte(' ')
		}
	}
	t.b.WriteString(w)
	t.started = true
	t.space = false
	t.newlines = 0
}

func (t *textWriter) newline() {
	if t.newlines < 2 {
		t.newlines++
	}
	t.space = false
}

// block ends a line unless one has just ended.
func (t *textWriter) block() {
	if t.newlines == 0 {
		t.newlines = 1
	}
	t.space = false
}

// paragraph leaves a blank line.
func (t *textWriter) paragraph() {
	t.newlines = 2
	t.space = false
}

func (t *textWriter) String() string { return t.b.String() }

// invisible are elements whose content a reader never sees as text.
var invisible = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Title: true, atom.Svg: true, atom.Math: true, atom.Iframe: true,
	atom.Object: true, atom.Canvas: true, atom.Audio: true, atom.Video: true, atom.Picture: true,
	atom.Select: true, atom.Textarea: true, atom.Button: true,
}

// blocks are elements that start and end a line.
var blocks = map[atom.Atom]bool{
	atom.Div: true, atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Tr: true, atom.Table: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Pre: true, atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Figure: true, atom.Figcaption: true, atom.Hr: true,
	atom.Address: true, atom.Aside: true, atom.Nav: true, atom.Main: true, atom.Form: true,
}

// paragraphs are blocks separated by a blank line.
var paragraphs = map[atom.Atom]bool{atom.P: true, atom.Blockquote: true}

func (t *textWriter) walk(n *html.Node) {
	// An explicit stack instead of recursion: a hostile page nested a
	// million deep must not exhaust the goroutine stack.
	type frame struct {
		n    *html.Node
		exit bool
	}
	stack := []frame{{n: n}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := f.n
		if f.exit {
			t.leave(n)
			continue
		}
		switch n.Type {
		case html.TextNode:
			t.text(n.Data)
			continue
		case html.ElementNode:
			if invisible[n.DataAtom] || (n.DataAtom == 0 && (n.Data == "svg" || n.Data == "math")) {
				continue
			}
			t.enter(n)
			stack = append(stack, frame{n: n, exit: true})
		case html.DocumentNode:
		default:
			continue
		}
		// Push children in reverse so the first is handled first.
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, frame{n: c})
		}
	}
}

func (t *textWriter) enter(n *html.Node) {
	switch {
	case n.DataAtom == atom.Br:
		t.newline()
	case paragraphs[n.DataAtom]:
		if t.started {
			t.paragraph()
		}
	case blocks[n.DataAtom]:
		if t.started {
			t.block()
		}
	case n.DataAtom == atom.Img:
		// An emoji drawn as an image keeps its alt text (Mastodon custom
		// emoji); other images are not text.
		if alt := attr(n, "alt"); alt != "" && strings.Contains(attr(n, "class"), "emoji") && utf8.RuneCountInString(alt) <= 64 {
			t.word(alt)
		}
	case n.DataAtom == atom.Td || n.DataAtom == atom.Th:
		t.space = true
	}
}

func (t *textWriter) leave(n *html.Node) {
	switch {
	case paragraphs[n.DataAtom]:
		if t.started {
			t.paragraph()
		}
	case blocks[n.DataAtom]:
		if t.started {
			t.block()
		}
	}
}

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// pageError wraps err as an *ExtractError for the page.
func pageError(kind string, p *Page, format string, args ...any) error {
	return &ExtractError{Kind: kind, URL: p.URL.String(), Err: fmt.Errorf(format, args...)}
}
