package demosite

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"html"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// The hostile routes, under /hostile/, are what a crawler meets on the open
// web when it is unlucky: each one breaks one rule, so that a test can check
// that the crawler records the right reason, does not panic and keeps its
// memory bounded. The pages that carry posts use one simple forum markup,
// read with the selectors
//
//	post: "article.post"   text: ".body"   author: ".author"
//	date: "time@datetime"  permalink: "a.permalink@href"   next: "a.next@href"
//
// Routes (all GET):
//
//	/hostile/                        this list
//	/hostile/slow?delay=5s           waits before answering (at most 10 minutes)
//	/hostile/trickle                 headers at once, then one byte every 100 ms, forever
//	/hostile/huge?size=67108864      a page of that many bytes, streamed (&chunked=1: without Content-Length)
//	/hostile/huge-declared           Content-Length of 1 GiB, then nothing
//	/hostile/gzip                    a proper gzip-encoded page with posts
//	/hostile/gzip-bomb?size=1073741824   Content-Encoding: gzip inflating to size bytes
//	/hostile/gzip-bomb-xgzip         the same, labelled x-gzip (Go's client leaves it compressed)
//	/hostile/gzip-bomb-type          the same, undeclared, as Content-Type: application/gzip
//	/hostile/redirect-loop/{a|b}     a → b → a …
//	/hostile/redirect-chain/{n}      n redirects, then a page
//	/hostile/loop/{n}                pages 1 → 2 → 3 → 1 by their next links
//	/hostile/repeat/{n}              new URLs for ever, the same posts on each
//	/hostile/endless/{n}             empty pages, each with a next link, for ever
//	/hostile/endless-posts/{n}?chain=c   ten new posts and a next link per page, for ever
//	/hostile/broken                  malformed markup, NUL bytes, invalid UTF-8
//	/hostile/deep                    100,000 nested <div>s (HTML parsers refuse more than 512 open elements)
//	/hostile/charset/{name}          one post in a non-UTF-8 encoding; names below
//	/hostile/status/{code}?retry-after=v   that status (Retry-After on 429 and 503 if given)
//	/hostile/not-found               200 with a "Post not found" page, as Telegram shows a deleted post
//	/hostile/binary                  an image
//
// Charset names: windows-1256-header, windows-1256-meta, windows-1256-none,
// windows-1252-header, windows-1252-meta, windows-1252-none, utf-16le-bom,
// utf-16be-bom, bogus-label (UTF-8 sent as "charset=x-klingon"),
// xml-windows-1256 (an RSS feed declaring it only in <?xml?>).
func registerHostile(mux *http.ServeMux) {
	mux.HandleFunc("GET /hostile/{$}", hostileIndex)
	mux.HandleFunc("GET /hostile/slow", hostileSlow)
	mux.HandleFunc("GET /hostile/trickle", hostileTrickle)
	mux.HandleFunc("GET /hostile/huge", hostileHuge)
	mux.HandleFunc("GET /hostile/huge-declared", hostileHugeDeclared)
	mux.HandleFunc("GET /hostile/gzip", hostileGzip)
	mux.HandleFunc("GET /hostile/gzip-bomb", hostileBomb("gzip", "text/html; charset=utf-8"))
	mux.HandleFunc("GET /hostile/gzip-bomb-xgzip", hostileBomb("x-gzip", "text/html; charset=utf-8"))
	mux.HandleFunc("GET /hostile/gzip-bomb-type", hostileBomb("", "application/gzip"))
	mux.HandleFunc("GET /hostile/redirect-loop/{step}", hostileRedirectLoop)
	mux.HandleFunc("GET /hostile/redirect-chain/{n}", hostileRedirectChain)
	mux.HandleFunc("GET /hostile/loop/{n}", hostileLoop)
	mux.HandleFunc("GET /hostile/repeat/{n}", hostileRepeat)
	mux.HandleFunc("GET /hostile/endless/{n}", hostileEndless)
	mux.HandleFunc("GET /hostile/endless-posts/{n}", hostileEndlessPosts)
	mux.HandleFunc("GET /hostile/broken", hostileBroken)
	mux.HandleFunc("GET /hostile/deep", hostileDeep)
	mux.HandleFunc("GET /hostile/charset/{name}", hostileCharset)
	mux.HandleFunc("GET /hostile/status/{code}", hostileStatus)
	mux.HandleFunc("GET /hostile/not-found", hostileNotFound)
	mux.HandleFunc("GET /hostile/binary", hostileBinary)
}

// hostilePost is one post of the hostile forum markup.
type hostilePost struct {
	ID, Author, Text string
	Published        time.Time
}

// forumPage renders posts and an optional next link in the hostile forum
// markup.
func forumPage(title string, posts []hostilePost, next string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html><head><title>%s</title></head><body>\n<h1>%s</h1>\n", html.EscapeString(title), html.EscapeString(title))
	for _, p := range posts {
		fmt.Fprintf(&b, "<article class=\"post\" id=\"%s\">\n <span class=\"author\">%s</span>\n <time datetime=\"%s\">%s</time>\n <div class=\"body\">%s</div>\n <a class=\"permalink\" href=\"#%s\">link</a>\n</article>\n",
			html.EscapeString(p.ID), html.EscapeString(p.Author), p.Published.UTC().Format(time.RFC3339),
			p.Published.UTC().Format("2 Jan 2006"), html.EscapeString(p.Text), html.EscapeString(p.ID))
	}
	if next != "" {
		fmt.Fprintf(&b, "<a class=\"next\" href=\"%s\">older</a>\n", html.EscapeString(next))
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

// hostileEpoch dates the hostile posts: fixed, so pages are the same on
// every request.
var hostileEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func numberedPosts(prefix string, from, n int) []hostilePost {
	posts := make([]hostilePost, n)
	for i := range posts {
		k := from + i
		posts[i] = hostilePost{
			ID:        fmt.Sprintf("%s-%d", prefix, k),
			Author:    "user" + strconv.Itoa(k%7),
			Text:      fmt.Sprintf("Message %d of the %s listing.", k, prefix),
			Published: hostileEpoch.Add(-time.Duration(k) * time.Minute),
		}
	}
	return posts
}

func writeHTML(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func pathInt(r *http.Request, name string, lo, hi int) (int, bool) {
	n, err := strconv.Atoi(r.PathValue(name))
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

func hostileIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "hostile routes: slow trickle huge huge-declared gzip gzip-bomb gzip-bomb-xgzip gzip-bomb-type\n"+
		"redirect-loop/a redirect-chain/N loop/N repeat/N endless/N endless-posts/N broken deep charset/NAME status/CODE not-found binary\n")
}

func hostileSlow(w http.ResponseWriter, r *http.Request) {
	d, err := time.ParseDuration(r.URL.Query().Get("delay"))
	if err != nil || d < 0 {
		d = 5 * time.Second
	}
	d = min(d, 10*time.Minute)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
		return
	}
	writeHTML(w, http.StatusOK, forumPage("Slow", numberedPosts("slow", 0, 1), ""))
}

func hostileTrickle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	io.WriteString(w, "<html><body>")
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			if _, err := io.WriteString(w, " "); err != nil {
				return
			}
			rc.Flush()
		}
	}
}

// sizeParam reads ?size=, between 1 KiB and 4 GiB.
func sizeParam(r *http.Request, def int64) int64 {
	n, err := strconv.ParseInt(r.URL.Query().Get("size"), 10, 64)
	if err != nil || n < 1<<10 || n > 4<<30 {
		return def
	}
	return n
}

func hostileHuge(w http.ResponseWriter, r *http.Request) {
	size := sizeParam(r, 64<<20)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.URL.Query().Get("chunked") == "" {
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	}
	head := "<html><body><p>"
	io.WriteString(w, head)
	chunk := []byte(strings.Repeat("huge ", 64<<10/5))
	left := size - int64(len(head))
	for left > 0 {
		n := min(left, int64(len(chunk)))
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		left -= n
	}
}

func hostileHugeDeclared(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.FormatInt(1<<30, 10))
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, "<html>")
}

func hostileGzip(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Encoding", "gzip")
	gz := gzip.NewWriter(w)
	io.WriteString(gz, forumPage("Gzipped", numberedPosts("gzip", 0, 3), ""))
	gz.Close()
}

// hostileBomb streams gzip that inflates to ?size= bytes (1 GiB by
// default): one small gzip member of 256 KiB of zeros, compressed once per
// handler, sent again and again. Readers take concatenated members as one
// stream (RFC 1952 section 2.2), and the server spends nothing per byte.
func hostileBomb(contentEncoding, contentType string) http.HandlerFunc {
	const memberSize = 256 << 10
	member := sync.OnceValue(func() []byte {
		var b bytes.Buffer
		gz, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		gz.Write(make([]byte, memberSize))
		gz.Close()
		return b.Bytes()
	})
	return func(w http.ResponseWriter, r *http.Request) {
		size := sizeParam(r, 1<<30)
		w.Header().Set("Content-Type", contentType)
		if contentEncoding != "" {
			w.Header().Set("Content-Encoding", contentEncoding)
		}
		m := member()
		for left := size; left > 0; left -= memberSize {
			if _, err := w.Write(m); err != nil || r.Context().Err() != nil {
				return
			}
		}
	}
}

func hostileRedirectLoop(w http.ResponseWriter, r *http.Request) {
	next := "b"
	if r.PathValue("step") == "b" {
		next = "a"
	}
	http.Redirect(w, r, "/hostile/redirect-loop/"+next, http.StatusFound)
}

func hostileRedirectChain(w http.ResponseWriter, r *http.Request) {
	n, ok := pathInt(r, "n", 0, 1000)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if n > 0 {
		http.Redirect(w, r, "/hostile/redirect-chain/"+strconv.Itoa(n-1), http.StatusMovedPermanently)
		return
	}
	writeHTML(w, http.StatusOK, forumPage("End of the chain", numberedPosts("chain", 0, 1), ""))
}

func hostileLoop(w http.ResponseWriter, r *http.Request) {
	n, ok := pathInt(r, "n", 1, 3)
	if !ok {
		http.NotFound(w, r)
		return
	}
	next := "/hostile/loop/" + strconv.Itoa(n%3+1)
	writeHTML(w, http.StatusOK, forumPage("Loop page "+strconv.Itoa(n), numberedPosts("loop", n*10, 2), next))
}

func hostileRepeat(w http.ResponseWriter, r *http.Request) {
	n, ok := pathInt(r, "n", 0, 1<<30)
	if !ok {
		http.NotFound(w, r)
		return
	}
	next := "/hostile/repeat/" + strconv.Itoa(n+1)
	writeHTML(w, http.StatusOK, forumPage("Repeat page "+strconv.Itoa(n), numberedPosts("repeat", 0, 3), next))
}

func hostileEndless(w http.ResponseWriter, r *http.Request) {
	n, ok := pathInt(r, "n", 0, 1<<30)
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeHTML(w, http.StatusOK, forumPage("Endless page "+strconv.Itoa(n), nil, "/hostile/endless/"+strconv.Itoa(n+1)))
}

func hostileEndlessPosts(w http.ResponseWriter, r *http.Request) {
	n, ok := pathInt(r, "n", 0, 1<<30)
	if !ok {
		http.NotFound(w, r)
		return
	}
	chain := r.URL.Query().Get("chain")
	prefix, q := "endless", ""
	if chain != "" {
		if _, err := strconv.Atoi(chain); err != nil {
			http.NotFound(w, r)
			return
		}
		prefix, q = "endless"+chain, "?chain="+chain
	}
	next := "/hostile/endless-posts/" + strconv.Itoa(n+1) + q
	writeHTML(w, http.StatusOK, forumPage("Page "+strconv.Itoa(n), numberedPosts(prefix, n*10, 10), next))
}

func hostileDeep(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, "<html><body>"+strings.Repeat("<div>", 100000)+`<article class="post" id="deep"><div class="body">too deep</div></article>`)
}

func hostileBroken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, "<html><head><title>Broken</title><body><article class=\"post\" id=\"broken-1\"><div class=\"body\">Unclosed <b><i>tags</b></i> and \x00 a NUL, \xff\xfe invalid UTF-8, <p>a <table><tr><td>table <article class=\"post\" id=\"broken-2\"><div class=\"body\">nested post &#0; &#xD800; &bogus; <script>if (a < b) { document.write('</div>') }</script>"+
		"<a class=\"next\" href=\"javascript:alert(1)\">next</a><a class=\"next\" href=\"http://[::1\">bad</a>"+
		strings.Repeat("<div>", 400)+"deep"+"<!-- unterminated comment")
}

// Texts for the charset pages, written for these tests.
const (
	arabicText = "مرحبا بكم في المنتدى. هذه رسالة تجريبية باللغة العربية لاختبار الترميز، وهي تحتوي على جمل كاملة وكلمات كثيرة حتى يمكن التعرف على اللغة والترميز من النص وحده."
	frenchText = "Café crème à 3 € — déjà vu, naïve façade, « garçon » ! Où est l’hôtel ? Ça coûte cher, très cher."
	mixedText  = "UTF-16: English, Ελληνικά, Русский, العربية, Tiếng Việt."
)

func hostileCharset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	var enc encoding.Encoding
	var label, text, where string
	switch name {
	case "windows-1256-header", "windows-1256-meta", "windows-1256-none":
		enc, label, text, where = charmap.Windows1256, "windows-1256", strings.Repeat(arabicText+" ", 3), strings.TrimPrefix(name, "windows-1256-")
	case "windows-1252-header", "windows-1252-meta", "windows-1252-none":
		enc, label, text, where = charmap.Windows1252, "windows-1252", frenchText, strings.TrimPrefix(name, "windows-1252-")
	case "bogus-label":
		enc, label, text, where = unicode.UTF8, "x-klingon", mixedText, "header"
	case "utf-16le-bom":
		enc, label, text, where = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "", mixedText, "bom"
	case "utf-16be-bom":
		enc, label, text, where = unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "", mixedText, "bom"
	case "xml-windows-1256":
		feed := `<?xml version="1.0" encoding="windows-1256"?>` + "\n" +
			`<rss version="2.0"><channel><title>Charset feed</title><link>http://example.invalid/</link><description>d</description>` +
			`<item><guid>charset-1</guid><title>` + "رسالة تجريبية" + `</title><link>http://example.invalid/1</link><description>` +
			html.EscapeString(arabicText) + `</description><pubDate>Thu, 01 Jan 2026 00:00:00 GMT</pubDate></item></channel></rss>` + "\n"
		b, err := charmap.Windows1256.NewEncoder().String(feed)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, b)
		return
	default:
		http.NotFound(w, r)
		return
	}
	page := forumPage("Charset "+name, []hostilePost{{ID: "charset-" + name, Author: "charset", Text: text, Published: hostileEpoch}}, "")
	if where == "meta" {
		page = strings.Replace(page, "<head>", `<head><meta http-equiv="Content-Type" content="text/html; charset=`+label+`">`, 1)
	}
	b, err := enc.NewEncoder().String(page)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	ct := "text/html"
	if where == "header" {
		ct += "; charset=" + label
	}
	w.Header().Set("Content-Type", ct)
	io.WriteString(w, b)
}

func hostileStatus(w http.ResponseWriter, r *http.Request) {
	code, ok := pathInt(r, "code", 200, 599)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if ra := r.URL.Query().Get("retry-after"); ra != "" && (code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable) {
		w.Header().Set("Retry-After", ra)
	}
	writeHTML(w, code, forumPage(fmt.Sprintf("%d %s", code, http.StatusText(code)), nil, ""))
}

func hostileNotFound(w http.ResponseWriter, r *http.Request) {
	writeHTML(w, http.StatusOK, `<!DOCTYPE html><html><head><title>Telegram Widget</title></head><body>`+
		`<div class="tgme_widget_message_error">Post not found</div></body></html>`)
}

// onePixelPNG is a 1×1 transparent PNG.
const onePixelPNG = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"

func hostileBinary(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "image/png")
	io.WriteString(w, onePixelPNG)
}
