package demosite

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// site serves the four platform stand-ins from the embedded content.
type site struct {
	c    *content
	tmpl *template.Template
}

// registerPlatforms adds the stand-ins' routes to mux:
//
//	/                             index of the stand-ins
//	/s/{channel}                  Telegram channel preview (?before=, ?after=)
//	/{channel}/{id}               Telegram message permalink
//	/forum/, /forum/board/{slug}  forum boards (?page=), /forum/thread/{id}
//	/feeds/classifieds.rss        RSS 2.0, items at /classifieds/{guid}
//	/feeds/news.atom              Atom (?page=, rel="next"), entries at /news/{id}
//	/api/v1/timelines/tag/{tag}   Mastodon tag timeline (max_id, since_id, min_id, limit)
//	/api/v1/statuses/{id}         one Mastodon status; its page is /@{user}/{id}
//	/media/{kind}/{file}          placeholder images, video and audio
//
// Message and status permalinks hang off a catch-all "/" rather than a
// "/{a}/{b}" pattern, which would conflict with any subtree another file
// registers (net/http panics on patterns that overlap with neither more
// specific).
func registerPlatforms(mux *http.ServeMux) {
	c, err := loadContent()
	if err != nil {
		panic(err) // the content is compiled in; the tests load it
	}
	tmpl, err := template.New("demosite").Funcs(templateFuncs).ParseFS(files, "testdata/templates/*.tmpl")
	if err != nil {
		panic(fmt.Errorf("demosite: templates: %w", err))
	}
	s := &site{c: c, tmpl: tmpl}
	mux.HandleFunc("/", s.handleRoot)
	mux.HandleFunc("GET /s/{channel}", s.handleChannel)
	mux.HandleFunc("GET /forum/{$}", s.handleForumIndex)
	mux.HandleFunc("GET /forum/board/{slug}", s.handleBoard)
	mux.HandleFunc("GET /forum/thread/{id}", s.handleThread)
	mux.HandleFunc("GET /forum/user/{name}", s.handleForumUser)
	mux.HandleFunc("GET /feeds/classifieds.rss", s.handleRSS)
	mux.HandleFunc("GET /feeds/news.atom", s.handleAtom)
	mux.HandleFunc("GET /classifieds/{guid}", s.handleClassified)
	mux.HandleFunc("GET /news/{id}", s.handleNews)
	mux.HandleFunc("GET /api/v1/timelines/tag/{hashtag}", s.handleTagTimeline)
	mux.HandleFunc("GET /api/v1/statuses/{id}", s.handleStatus)
	mux.HandleFunc("GET /media/{kind}/{file}", handleMedia)
}

// handleRoot serves the index at "/", and the permalinks whose first path
// segment is a name: /{channel}/{id} (Telegram) and /@{user}/{id}
// (Mastodon).
func (s *site) handleRoot(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path == "/" {
		s.render(w, "index", map[string]any{"Telegram": s.c.Telegram, "Forum": s.c.Forum, "Tags": s.tags()})
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) == 2 {
		if user, ok := strings.CutPrefix(parts[0], "@"); ok {
			s.handleStatusPage(w, r, user, parts[1])
			return
		}
		s.handleMessage(w, r, parts[0], parts[1])
		return
	}
	http.NotFound(w, r)
}

// render executes a template into a buffer first, so that a failure is a
// clean 500 rather than half a page.
func (s *site) render(w http.ResponseWriter, name string, data any) {
	var b bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, "demosite: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}

// baseURL is the scheme and host the request came to: the stand-ins link
// to themselves wherever they listen.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// atoiParam reads a positive integer query parameter; 0 when absent or bad.
func atoiParam(r *http.Request, key string) int64 {
	n, err := strconv.ParseInt(r.URL.Query().Get(key), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

var templateFuncs = template.FuncMap{
	"rfc3339": func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05-07:00") },
	"clock":   func(t time.Time) string { return t.UTC().Format("15:04") },
	"human":   func(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04") },
	"initial": func(s string) string {
		r, _ := utf8.DecodeRuneInString(s)
		return string(r)
	},
	"richText":   richText,
	"paragraphs": paragraphs,
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i + 1
		}
		return out
	},
	"plus1":  func(n int) int { return n + 1 },
	"minus1": func(n int) int { return n - 1 },
	"last":   func(ps []*forumPost) *forumPost { return ps[len(ps)-1] },
}

// richToken finds what a Telegram message turns into links: URLs, @handles
// and #hashtags.
var richToken = regexp.MustCompile(`https?://[^\s<>"]+|@[A-Za-z0-9_]{4,32}|#[\p{L}\p{N}_]+`)

// richText renders plain text as Telegram does: escaped, with line breaks
// as <br/>, URLs and @handles as links, #hashtags as channel searches.
func richText(text string) template.HTML {
	text = strings.TrimRight(text, "\n")
	var b strings.Builder
	last := 0
	for _, m := range richToken.FindAllStringIndex(text, -1) {
		b.WriteString(template.HTMLEscapeString(text[last:m[0]]))
		tok := text[m[0]:m[1]]
		switch tok[0] {
		case '@':
			fmt.Fprintf(&b, `<a href="https://t.me/%s" target="_blank">%s</a>`, tok[1:], tok)
		case '#':
			fmt.Fprintf(&b, `<a href="?q=%%23%s">%s</a>`, template.URLQueryEscaper(tok[1:]), template.HTMLEscapeString(tok))
		default:
			e := template.HTMLEscapeString(tok)
			fmt.Fprintf(&b, `<a href="%s" target="_blank" rel="noopener">%s</a>`, e, e)
		}
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(strings.ReplaceAll(b.String(), "\n", "<br/>"))
}

// urlToken finds URLs in forum and feed text.
var urlToken = regexp.MustCompile(`https?://[^\s<>"]+`)

// paragraphs renders plain text as <p> paragraphs (split at blank lines),
// with <br> for single line breaks and URLs as links.
func paragraphs(text string) template.HTML {
	var b strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		b.WriteString("<p>")
		last := 0
		for _, m := range urlToken.FindAllStringIndex(para, -1) {
			b.WriteString(escapeLines(para[last:m[0]], "<br>\n"))
			e := template.HTMLEscapeString(para[m[0]:m[1]])
			fmt.Fprintf(&b, `<a href="%s" rel="nofollow">%s</a>`, e, e)
			last = m[1]
		}
		b.WriteString(escapeLines(para[last:], "<br>\n"))
		b.WriteString("</p>\n")
	}
	return template.HTML(b.String())
}

// escapeLines escapes text for HTML and marks its line breaks with br.
func escapeLines(text, br string) string {
	return strings.ReplaceAll(template.HTMLEscapeString(text), "\n", br)
}

// handleMedia serves a placeholder for any photo, sticker, video or voice
// note: a small PNG coloured after its name, or a few bytes of the right
// type. Enough for a crawler to record; nothing to look at.
func handleMedia(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	sum := sha256.Sum256([]byte(r.PathValue("kind") + "/" + file))
	switch path.Ext(file) {
	case ".mp4":
		w.Header().Set("Content-Type", "video/mp4")
		w.Write(append([]byte("\x00\x00\x00\x18ftypmp42"), sum[:]...))
		return
	case ".ogg":
		w.Header().Set("Content-Type", "audio/ogg")
		w.Write(append([]byte("OggS"), sum[:]...))
		return
	}
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for y := range 8 {
		for x := range 8 {
			img.Set(x, y, color.RGBA{sum[0], sum[1] ^ uint8(x*16), sum[2] ^ uint8(y*16), 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(b.Bytes())
}
