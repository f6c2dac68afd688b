package index

import (
	"context"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// The analysts' start page is every post, newest first, with facets. Bleve
// answers it by visiting the doc values of every post (about 3 µs a post
// for the five facets and the sort: seconds at a million posts). Without
// a query or filter that work is unnecessary: a facet count is the length
// of a term's postings list, and the newest posts lie in the newest days,
// whose sizes those counts give. allPosts answers such requests from the
// term dictionaries and one search over as few days as hold the page.

// facetFields are the facet names, their fields and how many terms each
// reports.
var facetFields = []struct {
	name, field, prefix string
	size                int
}{
	{FacetPlatform, fieldPlatform, "p:", 20},
	{FacetLang, fieldLang, "l:", 40},
	{FacetLabel, fieldLabel, "b:", 5},
	{FacetGroup, fieldGroup, "g:", 20},
	{FacetDay, fieldDay, "d:", 400},
}

// facetTerms is how many fieldFacet terms Search asks Bleve for: every
// platform, language, label and group, and a year and more of days.
const facetTerms = 600

// allPosts answers a request without query, filters or Like, sorted by
// date; ok is false when it cannot (then Search goes the general way).
func (ix *Index) allPosts(ctx context.Context, r Request, sortBy []string) (res *Result, ok bool, err error) {
	desc := r.Sort == "date" || r.Sort == ""
	if !desc && r.Sort != "oldest" {
		return nil, false, nil
	}
	counts, total, err := ix.termCounts(ctx)
	if err != nil {
		return nil, false, err
	}
	days := counts[FacetDay]
	slices.SortFunc(days, func(a, b FacetCount) int { return strings.Compare(a.Term, b.Term) })
	if desc {
		slices.Reverse(days)
	}
	need := r.From + r.Size
	covered := 0
	var window []query.Query // the days that hold the page, as day terms
	for _, d := range days {
		covered += d.Count
		window = append(window, termQuery(d.Term, fieldDay))
		if covered >= need {
			break
		}
	}
	if covered < need || uint64(covered) > total {
		return nil, false, nil // posts without a date, or fewer than a page: the general way
	}
	// Day terms, not a range of published times: Bleve's range query
	// looks up the prefix-coded terms of the range in every segment,
	// which took most of this search's 14 ms at 1M posts (86 segments).
	var page query.Query = query.NewDisjunctionQuery(window)
	if col, ok, err := ix.collect(ctx, page, nil, false, sortModeOf(sortBy), need); err != nil {
		return nil, false, ix.searchError(ctx, err)
	} else if ok {
		page = query.NewDocIDQuery(col.ids) // Bleve sorts the candidates only
	}
	req := bleve.NewSearchRequestOptions(page, r.Size, r.From, false)
	req.Fields = append(slices.Clone(storedFields), textFields()...)
	req.SortBy(sortBy)
	sr, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		return nil, false, &Error{"search", ix.dir, err}
	}
	res = &Result{Total: total, Hits: make([]Hit, 0, len(sr.Hits))}
	for _, h := range sr.Hits {
		res.Hits = append(res.Hits, toHit(h))
	}
	if r.Facets {
		res.Facets = make(map[string][]FacetCount, len(facetFields))
		for _, f := range facetFields {
			res.Facets[f.name] = topFacet(counts[f.name], f.name, f.size)
		}
	}
	return res, true, nil
}

type termCountsCache struct {
	generation uint64
	counts     map[string][]FacetCount
	total      uint64
}

// termCounts returns, for every facet field, each term with the number of
// live posts that have it, and the number of posts. Counting reads a
// postings list per term (some 400 for a year of days: 20 ms at 100k
// posts), so the counts are kept until the next batch.
func (ix *Index) termCounts(ctx context.Context) (map[string][]FacetCount, uint64, error) {
	gen := ix.generation.Load()
	ix.countsMu.Lock()
	defer ix.countsMu.Unlock()
	if c := ix.counts; c != nil && c.generation == gen {
		return cloneCounts(c.counts), c.total, nil
	}
	counts, total, err := ix.countTerms(ctx)
	if err != nil {
		return nil, 0, err
	}
	ix.counts = &termCountsCache{gen, counts, total}
	return cloneCounts(counts), total, nil
}

func cloneCounts(m map[string][]FacetCount) map[string][]FacetCount {
	out := make(map[string][]FacetCount, len(m))
	for k, v := range m {
		out[k] = slices.Clone(v)
	}
	return out
}

func (ix *Index) countTerms(ctx context.Context) (map[string][]FacetCount, uint64, error) {
	adv, err := ix.b.Advanced()
	if err != nil {
		return nil, 0, &Error{"search", ix.dir, err}
	}
	rd, err := adv.Reader()
	if err != nil {
		return nil, 0, &Error{"search", ix.dir, err}
	}
	defer rd.Close()
	total, err := rd.DocCount()
	if err != nil {
		return nil, 0, &Error{"search", ix.dir, err}
	}
	out := make(map[string][]FacetCount, len(facetFields))
	for _, f := range facetFields {
		dict, err := rd.FieldDict(f.field)
		if err != nil {
			return nil, 0, &Error{"search", ix.dir, err}
		}
		var terms []string
		for {
			e, err := dict.Next()
			if err != nil {
				dict.Close()
				return nil, 0, &Error{"search", ix.dir, err}
			}
			if e == nil {
				break
			}
			terms = append(terms, e.Term)
		}
		dict.Close()
		cs := make([]FacetCount, 0, len(terms))
		for _, t := range terms {
			// The dictionary's counts include replaced and deleted posts
			// until segments merge; a postings reader's do not.
			tfr, err := rd.TermFieldReader(ctx, []byte(t), f.field, false, false, false)
			if err != nil {
				return nil, 0, &Error{"search", ix.dir, err}
			}
			n := tfr.Count()
			tfr.Close()
			if n > 0 {
				cs = append(cs, FacetCount{Term: t, Count: int(n)})
			}
		}
		out[f.name] = cs
	}
	return out, total, nil
}

// topFacet orders counts as Search reports facets (days by date, the rest
// by count) and keeps the size Bleve would.
func topFacet(cs []FacetCount, name string, size int) []FacetCount {
	cs = slices.Clone(cs)
	slices.SortStableFunc(cs, func(a, b FacetCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Term, b.Term)
	})
	if len(cs) > size {
		cs = cs[:size]
	}
	if name == FacetDay {
		slices.SortFunc(cs, func(a, b FacetCount) int { return strings.Compare(a.Term, b.Term) })
	}
	return cs
}
