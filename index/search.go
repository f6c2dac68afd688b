package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Request is an analyst's search. Every filter narrows the result; values
// inside one list filter are alternatives (Platforms: telegram OR mastodon).
// The zero Request returns the newest posts.
type Request struct {
	Query string // the query language of README "Search syntax"; "" or "*" matches every post
	Like  string // post ID: posts like this one (more like this), narrowed by the filters

	Platforms, Langs, Labels, Groups, Sources, Reviews []string
	CaseID                                             string
	MinScore, MaxScore                                 *float64  // inclusive, classifier score
	Since, Until                                       time.Time // published: Since <= t < Until
	Phone                                              string    // any format; see NormalizePhone
	Handle                                             string    // "@name", "name" or a profile link
	Link                                               string    // a URL, with or without scheme

	Sort string // "relevance", "date" (newest first), "oldest", "score"; "" is relevance for a text query, else date
	Size int    // hits per page; 0 means 20, at most 1000
	From int    // hits to skip, at most 10000

	Facets    bool // count platform, lang, label, group and day over all matches
	Highlight bool // fragments of the original text with <mark>ed matches
}

// Result is a page of hits.
type Result struct {
	Total  uint64                  `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetCount `json:"facets,omitempty"`
	Took   time.Duration           `json:"-"`
}

// Hit is one post in a Result.
type Hit struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Platform  string    `json:"platform"`
	Source    string    `json:"source,omitempty"`
	Author    string    `json:"author,omitempty"`
	Lang      string    `json:"lang"`
	Score     float64   `json:"score"`     // the classifier's score
	Relevance float64   `json:"relevance"` // the search engine's score for this query
	Label     string    `json:"label"`
	Text      string    `json:"text"`
	Published time.Time `json:"published"`
	CaseID    string    `json:"case_id,omitempty"`
	Review    string    `json:"review,omitempty"`
	// Highlights are fragments of the original text, HTML-escaped, with
	// matched words in <mark></mark>.
	Highlights []string `json:"highlights,omitempty"`
	Groups     []string `json:"groups,omitempty"`
	Phones     []string `json:"phones,omitempty"`
	Handles    []string `json:"handles,omitempty"`
	Links      []string `json:"links,omitempty"`
}

// FacetCount is the number of matching posts with a value.
type FacetCount struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// Facet names in Result.Facets.
const (
	FacetPlatform = "platform"
	FacetLang     = "lang"
	FacetLabel    = "label"
	FacetGroup    = "group"
	FacetDay      = "day" // YYYY-MM-DD, in date order
)

const (
	defaultSize = 20
	maxSize     = 1000
	maxFrom     = 10000
)

// storedFields are loaded for each hit.
var storedFields = []string{fieldPlatform, fieldSource, fieldURL, fieldAuthor, fieldLang, fieldTextField,
	fieldScore, fieldLabel, fieldPublished, fieldCase, fieldReview, fieldGroup, fieldPhone, fieldHandle, fieldLink}

// Search runs r. A malformed query or filter gives an error wrapping
// ErrQuery whose message says what to fix.
func (ix *Index) Search(ctx context.Context, r Request) (*Result, error) {
	start := time.Now()
	if r.Size == 0 {
		r.Size = defaultSize
	}
	if r.Size < 0 || r.Size > maxSize {
		return nil, &QueryError{Query: r.Query, Msg: fmt.Sprintf("size %d: must be between 1 and %d", r.Size, maxSize)}
	}
	if r.From < 0 || r.From > maxFrom {
		return nil, &QueryError{Query: r.Query, Msg: fmt.Sprintf("from %d: must be between 0 and %d; narrow the query instead of paging this deep", r.From, maxFrom)}
	}
	sortBy, err := sortOrder(r)
	if err != nil {
		return nil, err
	}

	var (
		text  query.Query
		marks []termNode // for highlights bleve cannot make
	)
	switch {
	case r.Like != "":
		if strings.TrimSpace(r.Query) != "" && strings.TrimSpace(r.Query) != "*" {
			return nil, &QueryError{Query: r.Query, Msg: "a query and Like (more like this) cannot be combined"}
		}
		text, err = ix.likeQuery(ctx, r.Like)
		if err != nil {
			return nil, err
		}
	default:
		n, err := parseQuery(r.Query)
		if err != nil {
			return nil, err
		}
		marks = positiveTerms(n, false, nil)
		c := compiler{ix: ix, q: r.Query}
		text, err = c.compile(n)
		if err != nil {
			return nil, err
		}
	}
	filters, err := ix.filters(r)
	if err != nil {
		return nil, err
	}

	var q query.Query
	_, all := text.(*query.MatchAllQuery)
	if all && len(filters) == 0 && r.Like == "" {
		res, ok, err := ix.allPosts(ctx, r, sortBy)
		if err != nil {
			return nil, err
		}
		if ok {
			res.Took = time.Since(start)
			return res, nil
		}
	}
	switch {
	case all && len(filters) == 0:
		q = text
	case all:
		q = query.NewConjunctionQuery(filters)
	case len(filters) == 0:
		q = text
	default:
		b := query.NewBooleanQuery([]query.Query{text}, nil, nil)
		b.AddFilter(query.NewConjunctionQuery(filters))
		q = b
	}

	// Facets and field sorts come from decoded doc values (columns.go):
	// sorting by a field, collect picks the posts that can be on the page
	// and Bleve sorts and loads only those; sorting by relevance, scored
	// counts facets in the pass that scores. The two passes of a field
	// sort read two snapshots, so a post replaced in between shows as it
	// is now, and one deleted in between leaves the page a hit short
	// until the next search.
	mode := sortModeOf(sortBy)
	var (
		hits      search.DocumentMatchCollection
		total     uint64
		facetsOut map[string][]FacetCount
		done      bool // hits, total and facets are set
	)
	page := q
	switch {
	case mode != byRelevance:
		cq, cut := collectQuery(text, all, filters, r)
		col, ok, err := ix.collect(ctx, cq, cut, r.Facets, mode, r.From+r.Size)
		if err != nil {
			return nil, ix.searchError(ctx, err)
		}
		if ok {
			total, facetsOut = col.total, col.facets
			page = query.NewDocIDQuery(col.ids)
			if !all {
				// The text query too, for the locations highlights are
				// made of; the candidates passed the filters already.
				page = query.NewConjunctionQuery([]query.Query{page, text})
			}
		}
	case r.Facets:
		hs, n, fs, ok, err := ix.scored(ctx, q, r, sortBy)
		if err != nil {
			return nil, ix.searchError(ctx, err)
		}
		if ok {
			hits, total, facetsOut, done = hs, n, fs, true
		}
	}
	// Highlights are made below from the term locations in the text
	// fields, plus the words only the norm field matched. Sorting by
	// relevance, they are fetched for the page only: reading the
	// locations of every match cost a third of a broad text search.
	highlight := r.Highlight && !all
	if !done {
		req := bleve.NewSearchRequestOptions(page, r.Size, r.From, false)
		req.Fields = append(slices.Clone(storedFields), textFields()...)
		req.SortBy(sortBy)
		if r.Facets && facetsOut == nil {
			req.AddFacet(fieldFacet, bleve.NewFacetRequest(fieldFacet, facetTerms))
		}
		req.IncludeLocations = highlight && page != q
		res, err := ix.b.SearchInContext(ctx, req)
		if err != nil {
			return nil, ix.searchError(ctx, err)
		}
		hits = res.Hits
		if page == q {
			total = res.Total
		}
		if r.Facets && facetsOut == nil {
			facetsOut = facets(res.Facets)
		}
		if page != q {
			highlight = false // located already
		}
	}
	if highlight && len(hits) > 0 {
		if err := ix.locate(ctx, q, hits); err != nil {
			return nil, ix.searchError(ctx, err)
		}
	}
	out := &Result{Total: total, Hits: make([]Hit, 0, len(hits)), Facets: facetsOut}
	for _, h := range hits {
		hit := toHit(h)
		if r.Highlight && !all {
			var spans []span
			for _, locs := range h.Locations[textFieldFor(hit.Lang)] {
				for _, l := range locs {
					spans = append(spans, span{int(l.Start), int(l.End)})
				}
			}
			hit.Highlights = markText(hit.Text, marks, spans)
		}
		out.Hits = append(out.Hits, hit)
	}
	out.Took = time.Since(start)
	return out, nil
}

// collectQuery returns a query matching what text and filters match
// together, fit for an unscored walk, and the score filter left to test
// on the columns (nil when none): a conjunction, which skips through the
// rarest postings, rather than a filter applied to every text match; and
// the score bounds tested on the columns when something else narrows the
// walk. (Testing a date range there too made "telegram since a month
// ago" 2-3x slower at 1M posts: a date range is usually the narrowest
// clause, and Bleve's conjunction skips by it.)
func collectQuery(text query.Query, all bool, filters []query.Query, r Request) (query.Query, *rangeCut) {
	var parts, keywords []query.Query
	if !all {
		parts = append(parts, text)
	}
	for _, f := range filters {
		switch f.(type) {
		case *query.NumericRangeQuery:
		default:
			keywords = append(keywords, f)
		}
	}
	var cut *rangeCut
	if c, ok := rangeCutOf(r); ok && len(parts)+len(keywords) > 0 {
		parts, cut = append(parts, keywords...), &c
	} else {
		parts = append(parts, filters...)
	}
	switch len(parts) {
	case 0:
		return query.NewMatchAllQuery(), cut
	case 1:
		return parts[0], cut
	}
	return query.NewConjunctionQuery(parts), cut
}

// locate fills in the term locations of hits, which a search for q found
// without them.
func (ix *Index) locate(ctx context.Context, q query.Query, hits search.DocumentMatchCollection) error {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), q}), len(ids), 0, false)
	req.IncludeLocations = true
	res, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		return err
	}
	locs := make(map[string]search.FieldTermLocationMap, len(res.Hits))
	for _, h := range res.Hits {
		locs[h.ID] = h.Locations
	}
	for _, h := range hits {
		h.Locations = locs[h.ID]
	}
	return nil
}

// searchError wraps err from a search, or the context's error when that
// is why it failed.
func (ix *Index) searchError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return &Error{"search", ix.dir, ctx.Err()}
	}
	return &Error{"search", ix.dir, err}
}

// MoreLikeThis returns up to n posts most like the post with this ID: the
// same distinctive words in its language, or the same phone numbers,
// handles or links on any platform. The post itself is not included.
func (ix *Index) MoreLikeThis(ctx context.Context, id string, n int) (*Result, error) {
	return ix.Search(ctx, Request{Like: id, Size: n, Highlight: true})
}

func sortOrder(r Request) ([]string, error) {
	s := r.Sort
	if s == "" {
		s = "date"
		if r.Like != "" {
			s = "relevance"
		} else if q := strings.TrimSpace(r.Query); q != "" && q != "*" {
			s = "relevance"
		}
	}
	switch s {
	case "relevance":
		// No tie-break on date: it would read doc values for every hit.
		return []string{"-_score"}, nil
	case "date":
		return []string{"-" + fieldPublished, "_id"}, nil
	case "oldest":
		return []string{fieldPublished, "_id"}, nil
	case "score":
		return []string{"-" + fieldScore, "-" + fieldPublished, "_id"}, nil
	}
	return nil, &QueryError{Query: r.Query, Msg: fmt.Sprintf("sort %q: want relevance, date, oldest or score", s)}
}

// filters returns one query per filter of r.
func (ix *Index) filters(r Request) ([]query.Query, error) {
	var fs []query.Query
	anyOf := func(field string, vs []string, norm func(string) string) {
		var qs []query.Query
		for _, v := range vs {
			if v = norm(v); v != "" {
				qs = append(qs, termQuery(v, field))
			}
		}
		switch len(qs) {
		case 0:
		case 1:
			fs = append(fs, qs[0])
		default:
			fs = append(fs, query.NewDisjunctionQuery(qs))
		}
	}
	lower := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	same := strings.TrimSpace
	anyOf(fieldPlatform, r.Platforms, lower)
	anyOf(fieldLang, r.Langs, lower)
	anyOf(fieldLabel, r.Labels, lower)
	anyOf(fieldGroup, r.Groups, lower)
	anyOf(fieldSource, r.Sources, same)
	anyOf(fieldReview, r.Reviews, same)
	if r.CaseID != "" {
		fs = append(fs, termQuery(r.CaseID, fieldCase))
	}
	if r.MinScore != nil || r.MaxScore != nil {
		for _, v := range []*float64{r.MinScore, r.MaxScore} {
			if v != nil && (math.IsNaN(*v) || *v < 0 || *v > 1) {
				return nil, &QueryError{Query: r.Query, Msg: fmt.Sprintf("score bound %v: must be between 0 and 1", *v)}
			}
		}
		if r.MinScore != nil && r.MaxScore != nil && *r.MinScore > *r.MaxScore {
			return nil, &QueryError{Query: r.Query, Msg: fmt.Sprintf("min score %v is above max score %v", *r.MinScore, *r.MaxScore)}
		}
		inc := true
		nq := query.NewNumericRangeInclusiveQuery(r.MinScore, r.MaxScore, &inc, &inc)
		nq.SetField(fieldScore)
		fs = append(fs, nq)
	}
	if !r.Since.IsZero() || !r.Until.IsZero() {
		if !r.Since.IsZero() && !r.Until.IsZero() && !r.Since.Before(r.Until) {
			return nil, &QueryError{Query: r.Query, Msg: fmt.Sprintf("since %s is not before until %s", r.Since.Format(time.RFC3339), r.Until.Format(time.RFC3339))}
		}
		inc, exc := true, false
		dq := query.NewDateRangeInclusiveQuery(r.Since, r.Until, &inc, &exc)
		dq.SetField(fieldPublished)
		fs = append(fs, dq)
	}
	for _, f := range []struct{ field, v string }{{fieldPhone, r.Phone}, {fieldHandle, r.Handle}, {fieldLink, r.Link}} {
		if strings.TrimSpace(f.v) == "" {
			continue
		}
		q, err := ix.keywordQuery(r.Query, f.field, f.v)
		if err != nil {
			return nil, err
		}
		fs = append(fs, q)
	}
	return fs, nil
}

// keywordQuery matches v in a keyword field, normalised as Put normalises it.
func (ix *Index) keywordQuery(q, field, v string) (query.Query, error) {
	switch field {
	case fieldPhone:
		e, err := NormalizePhone(v, ix.opts.PhoneRegions)
		if err != nil {
			return nil, &QueryError{Query: q, Msg: err.Error()}
		}
		v = e
	case fieldHandle:
		v = normalizeHandle(v)
	case fieldLink:
		v = normalizeLink(v)
	case fieldPlatform, fieldLang, fieldLabel, fieldGroup:
		v = strings.ToLower(strings.TrimSpace(v))
	}
	if v == "" {
		return nil, &QueryError{Query: q, Msg: fmt.Sprintf("%s: empty value", field)}
	}
	return termQuery(v, field), nil
}

func termQuery(v, field string) query.Query {
	t := query.NewTermQuery(v)
	t.SetField(field)
	return t
}

func toHit(h *search.DocumentMatch) Hit {
	str := func(k string) string { s, _ := h.Fields[k].(string); return s }
	strs := func(k string) []string {
		switch v := h.Fields[k].(type) {
		case string:
			return []string{v}
		case []any:
			out := make([]string, 0, len(v))
			for _, x := range v {
				if s, ok := x.(string); ok {
					out = append(out, s)
				}
			}
			return out
		}
		return nil
	}
	hit := Hit{
		ID: h.ID, URL: str(fieldURL), Platform: str(fieldPlatform), Source: str(fieldSource),
		Author: str(fieldAuthor), Lang: str(fieldLang), Label: str(fieldLabel),
		CaseID: str(fieldCase), Review: str(fieldReview), Relevance: h.Score,
		Groups: strs(fieldGroup), Phones: strs(fieldPhone), Handles: strs(fieldHandle), Links: strs(fieldLink),
	}
	if tf := str(fieldTextField); tf != "" {
		hit.Text = str(tf)
	}
	hit.Score, _ = h.Fields[fieldScore].(float64)
	if math.IsNaN(hit.Relevance) || math.IsInf(hit.Relevance, 0) {
		hit.Relevance = 0 // Bleve scores nothing when sorting by a field
	}
	if p, ok := h.Fields[fieldPublished].(string); ok {
		hit.Published, _ = time.Parse(time.RFC3339, p)
	}
	return hit
}

func facets(fr search.FacetResults) map[string][]FacetCount {
	byPrefix := make(map[string][]FacetCount, len(facetFields))
	if f := fr[fieldFacet]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			for _, ff := range facetFields {
				if v, ok := strings.CutPrefix(t.Term, ff.prefix); ok {
					byPrefix[ff.name] = append(byPrefix[ff.name], FacetCount{Term: v, Count: t.Count})
				}
			}
		}
	}
	out := make(map[string][]FacetCount, len(facetFields))
	for _, ff := range facetFields {
		cs := topFacet(byPrefix[ff.name], ff.name, ff.size)
		if cs == nil {
			cs = []FacetCount{}
		}
		out[ff.name] = cs
	}
	return out
}

// ParseDay reads a date for Request.Since or Until as analysts type it:
// YYYY-MM-DD or RFC 3339. With end set (for an inclusive "until"), a bare
// date means the end of that day, since Until is exclusive.
func ParseDay(s string, end bool) (time.Time, bool) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, true
	}
	t, err := time.Parse(time.RFC3339, s)
	return t.UTC(), err == nil
}
