// Package web serves the analysts' search pages, the JSON API, /healthz and
// /metrics over HTTP.
package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"tidewatch/index"
	"tidewatch/store"
)

//go:embed templates/*.tmpl static
var assets embed.FS

// searcher is all the server needs from the index.
type searcher interface {
	Search(ctx context.Context, r index.Request) (*index.Result, error)
}

// postStore is all the server needs from the store.
type postStore interface {
	Get(ctx context.Context, id string) (store.Post, error)
	Versions(ctx context.Context, id string) ([]store.Version, error)
}

// Options configure the server. Index and Store are required.
type Options struct {
	Index   searcher
	Store   postStore
	Metrics http.Handler                // served at /metrics when set
	Health  func(context.Context) error // nil means always healthy
	Logger  *slog.Logger                // nil means slog.Default()
}

type server struct {
	opts Options
	tmpl *template.Template
	log  *slog.Logger
}

// NewServer returns the handler for every page and API route, on its own
// ServeMux, with templates parsed once.
func NewServer(opts Options) (http.Handler, error) {
	if opts.Index == nil || opts.Store == nil {
		return nil, errors.New("web: NewServer needs an index and a store")
	}
	t, err := template.New("").Funcs(funcs).ParseFS(assets, "templates/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("web: parsing templates: %w", err)
	}
	s := &server{opts: opts, tmpl: t, log: opts.Logger}
	if s.log == nil {
		s.log = slog.Default()
	}
	static, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleSearchPage)
	mux.HandleFunc("GET /posts/{id...}", s.handlePostPage)
	mux.HandleFunc("GET /api/search", s.handleSearchAPI)
	mux.HandleFunc("GET /api/posts/{id...}", s.handlePostAPI)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	if opts.Metrics != nil {
		mux.Handle("GET /metrics", opts.Metrics)
	}
	return secure(mux), nil
}

// secure sets the headers every response carries: posts are written by
// adversaries, so no inline script runs and nothing is sniffed or framed.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}

func (s *server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if s.opts.Health != nil {
		if err := s.opts.Health(r.Context()); err != nil {
			http.Error(w, "unhealthy: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

func (s *server) handleSearchAPI(w http.ResponseWriter, r *http.Request) {
	req, err := requestFrom(r.URL.Query())
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err)
		return
	}
	req.Facets, req.Highlight = true, true
	res, err := s.opts.Index.Search(r.Context(), req)
	if err != nil {
		s.searchError(w, err, writeJSONError)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *server) searchError(w http.ResponseWriter, err error, write func(http.ResponseWriter, int, error)) {
	switch {
	case errors.Is(err, index.ErrQuery):
		write(w, http.StatusBadRequest, err)
	case errors.Is(err, index.ErrNotFound):
		write(w, http.StatusNotFound, err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		write(w, http.StatusServiceUnavailable, errors.New("search cancelled"))
	default:
		s.log.Error("search failed", "err", err)
		write(w, http.StatusInternalServerError, errors.New("search failed; the server log has the details"))
	}
}

// postView is a post with its classification decoded, for the API and the page.
type postView struct {
	store.Post
	Result   classification  `json:"classification"`
	Versions []store.Version `json:"versions,omitempty"`
}

// classification is the part of the classifier's result the pages show.
type classification struct {
	Indicators []struct {
		Group  string  `json:"group"`
		Term   string  `json:"term"`
		Span   [2]int  `json:"span"`
		Weight float64 `json:"weight"`
	} `json:"indicators"`
	Entities []struct {
		Kind     string  `json:"kind"`
		Value    string  `json:"value"`
		Country  string  `json:"country,omitempty"`
		Currency string  `json:"currency,omitempty"`
		Amount   float64 `json:"amount,omitempty"`
	} `json:"entities"`
	Explanation string `json:"explanation"`
}

func (s *server) post(ctx context.Context, id string) (*postView, error) {
	p, err := s.opts.Store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &postView{Post: p}
	if len(p.Explanation) > 0 {
		if err := json.Unmarshal(p.Explanation, &v.Result); err != nil {
			s.log.Warn("post explanation unreadable", "id", id, "err", err)
		}
	}
	if v.Versions, err = s.opts.Store.Versions(ctx, id); err != nil {
		return nil, err
	}
	return v, nil
}

func (s *server) handlePostAPI(w http.ResponseWriter, r *http.Request) {
	v, err := s.post(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		writeJSONError(w, http.StatusNotFound, fmt.Errorf("no post %q", r.PathValue("id")))
		return
	}
	if err != nil {
		s.log.Error("post lookup failed", "err", err)
		writeJSONError(w, http.StatusInternalServerError, errors.New("lookup failed"))
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		code = http.StatusInternalServerError
		b, _ = json.Marshal(map[string]string{"error": "encoding the response: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}

func writeJSONError(w http.ResponseWriter, code int, err error) {
	writeJSON(w, code, map[string]string{"error": err.Error()})
}

var funcs = template.FuncMap{
	// mark returns a highlight fragment as HTML. The index escapes the
	// original text and adds only <mark> and </mark>; anything else is
	// escaped again here so that a fragment can never carry markup.
	"mark": func(frag string) template.HTML {
		esc := template.HTMLEscapeString(frag)
		esc = strings.ReplaceAll(esc, "&lt;mark&gt;", "<mark>")
		esc = strings.ReplaceAll(esc, "&lt;/mark&gt;", "</mark>")
		// The index escaped entities once already; undo our second escape of them.
		esc = strings.ReplaceAll(esc, "&amp;", "&")
		return template.HTML(esc)
	},
	"pct":  func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"list": func(v ...string) []string { return v },
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
}
