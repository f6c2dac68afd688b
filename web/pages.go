package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tidewatch/index"
	"tidewatch/store"
)

// requestFrom reads a search from URL parameters. The names match the
// flags of `tidewatch search`: q, platform, lang, label, group, source,
// min_score, max_score, since, until, phone, handle, link, like, sort,
// size, page.
func requestFrom(v url.Values) (index.Request, error) {
	r := index.Request{
		Query:     strings.TrimSpace(v.Get("q")),
		Like:      v.Get("like"),
		Platforms: list(v, "platform"),
		Langs:     list(v, "lang"),
		Labels:    list(v, "label"),
		Groups:    list(v, "group"),
		Sources:   list(v, "source"),
		Phone:     v.Get("phone"),
		Handle:    v.Get("handle"),
		Link:      v.Get("link"),
		Sort:      v.Get("sort"),
	}
	var err error
	if r.MinScore, err = score(v, "min_score"); err != nil {
		return r, err
	}
	if r.MaxScore, err = score(v, "max_score"); err != nil {
		return r, err
	}
	if r.Since, err = day(v, "since", false); err != nil {
		return r, err
	}
	if r.Until, err = day(v, "until", true); err != nil {
		return r, err
	}
	if r.Size, err = number(v, "size", 20); err != nil {
		return r, err
	}
	page, err := number(v, "page", 1)
	if err != nil {
		return r, err
	}
	if page < 1 {
		return r, errors.New("page: want 1 or more")
	}
	r.From = (page - 1) * r.Size
	return r, nil
}

// list reads a parameter given repeatedly or comma-separated.
func list(v url.Values, key string) []string {
	var out []string
	for _, s := range v[key] {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func score(v url.Values, key string) (*float64, error) {
	s := strings.TrimSpace(v.Get(key))
	if s == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1 {
		return nil, fmt.Errorf("%s: %q is not a score between 0 and 1", key, s)
	}
	return &f, nil
}

func number(v url.Values, key string, def int) (int, error) {
	s := strings.TrimSpace(v.Get(key))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s: %q is not a whole number", key, s)
	}
	return n, nil
}

// day reads a since or until parameter (see index.ParseDay).
func day(v url.Values, key string, end bool) (time.Time, error) {
	s := strings.TrimSpace(v.Get(key))
	if s == "" {
		return time.Time{}, nil
	}
	t, ok := index.ParseDay(s, end)
	if !ok {
		return time.Time{}, fmt.Errorf("%s: %q is not a date (want YYYY-MM-DD or RFC 3339)", key, s)
	}
	return t, nil
}

type searchPage struct {
	Form   url.Values
	Req    index.Request
	Res    *index.Result
	Error  string
	Page   int
	Prev   string
	Next   string
	Facets []facetGroup
}

type facetGroup struct {
	Name  string
	Param string
	Terms []facetTerm
}

type facetTerm struct {
	Term   string
	Count  int
	Href   string
	Active bool
}

func (s *server) handleSearchPage(w http.ResponseWriter, r *http.Request) {
	form := r.URL.Query()
	p := searchPage{Form: form, Page: 1}
	req, err := requestFrom(form)
	if err != nil {
		p.Error = err.Error()
		s.render(w, http.StatusBadRequest, "search.tmpl", p)
		return
	}
	req.Facets, req.Highlight = true, true
	p.Req = req
	p.Page = req.From/max(req.Size, 1) + 1
	res, err := s.opts.Index.Search(r.Context(), req)
	if err != nil {
		s.searchError(w, err, func(w http.ResponseWriter, code int, err error) {
			p.Error = err.Error()
			s.render(w, code, "search.tmpl", p)
		})
		return
	}
	p.Res = res
	if p.Page > 1 {
		p.Prev = withParam(form, "page", strconv.Itoa(p.Page-1))
	}
	if uint64(req.From+len(res.Hits)) < res.Total {
		p.Next = withParam(form, "page", strconv.Itoa(p.Page+1))
	}
	for _, f := range []struct{ name, key, param string }{
		{"Label", index.FacetLabel, "label"},
		{"Platform", index.FacetPlatform, "platform"},
		{"Language", index.FacetLang, "lang"},
		{"Indicator group", index.FacetGroup, "group"},
	} {
		g := facetGroup{Name: f.name, Param: f.param}
		for _, t := range res.Facets[f.key] {
			active := form.Get(f.param) == t.Term
			href := withParam(form, f.param, t.Term)
			if active {
				href = withParam(form, f.param, "")
			}
			g.Terms = append(g.Terms, facetTerm{t.Term, t.Count, href, active})
		}
		if len(g.Terms) > 0 {
			p.Facets = append(p.Facets, g)
		}
	}
	s.render(w, http.StatusOK, "search.tmpl", p)
}

// withParam is the current search with one parameter set (or removed when
// val is empty), back at page one unless the page is what changes.
func withParam(form url.Values, key, val string) string {
	v := url.Values{}
	for k, vs := range form {
		v[k] = append([]string(nil), vs...)
	}
	if key != "page" {
		v.Del("page")
	}
	if val == "" {
		v.Del(key)
	} else {
		v.Set(key, val)
	}
	return "/?" + v.Encode()
}

func (s *server) handlePostPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v, err := s.post(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.render(w, http.StatusNotFound, "error.tmpl", fmt.Sprintf("No post %q.", id))
		return
	}
	if err != nil {
		s.log.Error("post lookup failed", "err", err)
		s.render(w, http.StatusInternalServerError, "error.tmpl", "Lookup failed; the server log has the details.")
		return
	}
	s.render(w, http.StatusOK, "post.tmpl", v)
}

func (s *server) render(w http.ResponseWriter, code int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	if err := s.tmpl.ExecuteTemplate(w, name, data); err != nil {
		s.log.Error("rendering page", "template", name, "err", err)
	}
}
