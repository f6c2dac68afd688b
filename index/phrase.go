package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Phrases without Bleve's phrase searcher. Bleve finds a phrase as the
// conjunction of its words, with their locations, and then checks every
// post that has all the words by merging their locations into one list,
// turning it into maps (DocumentMatch.Complete) and walking them: at a
// million posts, "half now half after" checked 35 000 posts in two fields
// (text_en and norm) and spent 60% of its 65 ms on the maps. phraseSearcher
// runs the same conjunction, so it finds the same posts with the same
// relevance (Bleve scores a phrase as the conjunction of its words), reads
// a repeated word once and checks positions in place: 15 ms. What remains
// is reading the postings, with positions, of every post that has all the
// words.

// phraseQuery is Bleve's MatchPhraseQuery of text in field, with slop 0
// and no fuzziness: the words, as the field's analyzer makes them, at
// consecutive positions in one value of the field. A word the analyzer
// drops (a stop word) leaves a gap that any word fills, as in Bleve.
type phraseQuery struct {
	text, field string
}

func newPhraseQuery(text, field string) *phraseQuery { return &phraseQuery{text, field} }

// Searcher implements query.Query.
func (q *phraseQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	a := m.AnalyzerNamed(m.AnalyzerNameForPath(q.field))
	if a == nil {
		return nil, fmt.Errorf("phrase in %s: no analyzer", q.field)
	}
	terms := phraseTerms(a.Analyze([]byte(q.text)))
	if len(terms) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	return newPhraseSearcher(ctx, r, terms, q.field, options)
}

// phraseTerms returns the terms of tokens by position, from the first
// token's to the last's; a position without a token is empty. It is
// Bleve's tokenStreamToPhrase.
func phraseTerms(tokens analysis.TokenStream) [][]string {
	first, last := math.MaxInt, 0
	for _, t := range tokens {
		first, last = min(first, t.Position), max(last, t.Position)
	}
	if last-first+1 <= 0 {
		return nil
	}
	out := make([][]string, last-first+1)
	for _, t := range tokens {
		out[t.Position-first] = append(out[t.Position-first], string(t.Term))
	}
	return out
}

// phraseSearcher is Bleve's PhraseSearcher (slop 0, no fuzziness, no
// synonyms) with its conjunction inlined: the words' searchers are built,
// ordered, weighted and optimised as Bleve's conjunction does it, and a
// match scores the sum of their scores in that order, so relevance is
// Bleve's to the bit. Two differences save time: a word twice in the
// phrase ("half now half after") has its postings read once, its score
// counted twice; and the locations are checked where the searchers left
// them, not merged into one list first.
type phraseSearcher struct {
	kids  []search.Searcher // one per phrase position with words, in Bleve's conjunction order
	twin  []int             // kids[i] reads the same postings as kids[twin[i]], the first of its term
	curr  []*search.DocumentMatch
	terms [][]string // by phrase position; empty: any word
	// locate is whether the caller asked for term locations (to
	// highlight); without, a match needs only one occurrence and returns
	// no locations, which nothing reads then.
	locate bool
	found  bool // check found an occurrence
	sorted bool // check sorted locs
	first  int  // the first phrase position with words: leading gaps constrain nothing
	init   bool
	locs   []search.FieldTermLocation // scratch for check
	path   []int                      // scratch for check: indexes in locs
	out    []search.FieldTermLocation
}

func newPhraseSearcher(ctx context.Context, r bindex.IndexReader, terms [][]string, field string, options search.SearcherOptions) (search.Searcher, error) {
	locate := options.IncludeTermVectors
	options.IncludeTermVectors = true
	first := 0
	for first < len(terms) && !hasTerm(terms[first]) {
		first++
	}
	if first == len(terms) { // no words: Bleve's phrase matches nothing
		return searcher.NewMatchNoneSearcher(r)
	}
	var kids []search.Searcher
	fail := func(err error) (search.Searcher, error) {
		for _, k := range kids {
			_ = k.Close()
		}
		return nil, fmt.Errorf("phrase in %s: %w", field, err)
	}
	word := make(map[search.Searcher]string) // kids of one term
	for _, at := range terms {
		switch {
		case len(at) == 1 && at[0] != "":
			ts, err := searcher.NewTermSearcher(ctx, r, at[0], field, 1, options)
			if err != nil {
				return fail(err)
			}
			kids = append(kids, ts)
			word[ts] = at[0]
		case len(at) > 1:
			var alts []search.Searcher
			for _, t := range at {
				if t == "" {
					continue
				}
				ts, err := searcher.NewTermSearcher(ctx, r, t, field, 1, options)
				if err != nil {
					for _, a := range alts {
						_ = a.Close()
					}
					return fail(err)
				}
				alts = append(alts, ts)
			}
			ds, err := searcher.NewDisjunctionSearcher(ctx, r, alts, 1, options)
			if err != nil {
				return fail(err)
			}
			kids = append(kids, ds)
		}
	}
	// As NewConjunctionSearcher: order by count, then let the index AND
	// the postings bitmaps so that each searcher skips to common posts.
	sort.Sort(searcher.OrderedSearcherList(kids))
	if len(kids) > 1 {
		var octx bindex.OptimizableContext
		for _, k := range kids {
			o, ok := k.(bindex.Optimizable)
			if !ok {
				octx = nil
				break
			}
			var err error
			if octx, err = o.Optimize("conjunction", octx); err != nil {
				return fail(err)
			}
			if octx == nil {
				break
			}
		}
		if octx != nil {
			if _, err := octx.Finish(); err != nil {
				return fail(err)
			}
		}
	}
	s := &phraseSearcher{first: first, kids: kids, twin: make([]int, len(kids)), curr: make([]*search.DocumentMatch, len(kids)), terms: terms, locate: locate}
	for i, k := range kids {
		s.twin[i] = i
		if w, ok := word[k]; ok {
			for j := range i {
				if word[kids[j]] == w && s.twin[j] == j {
					s.twin[i] = j
					break
				}
			}
		}
	}
	// Bleve's conjunction and then its phrase searcher set the same norm.
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	return s, nil
}

func (s *phraseSearcher) Weight() float64 {
	var w float64
	for _, k := range s.kids {
		w += k.Weight()
	}
	return w
}

func (s *phraseSearcher) SetQueryNorm(n float64) {
	for _, k := range s.kids {
		k.SetQueryNorm(n)
	}
}

func (s *phraseSearcher) Count() uint64 {
	var c uint64
	for _, k := range s.kids {
		c += k.Count()
	}
	return c
}

func (s *phraseSearcher) Min() int { return 0 }

func (s *phraseSearcher) Close() error {
	var first error
	for _, k := range s.kids {
		if err := k.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *phraseSearcher) DocumentMatchPoolSize() int {
	n := len(s.kids) + 1
	for _, k := range s.kids {
		n += k.DocumentMatchPoolSize()
	}
	return n
}

func (s *phraseSearcher) Size() int {
	n := 64
	for _, k := range s.kids {
		n += k.Size()
	}
	return n
}

// start puts every searcher read on its first match.
func (s *phraseSearcher) start(ctx *search.SearchContext) error {
	s.init = true
	for i, k := range s.kids {
		if s.twin[i] != i {
			continue
		}
		var err error
		if s.curr[i], err = k.Next(ctx); err != nil {
			return err
		}
	}
	return nil
}

// align advances the searchers until all are on one post; false when
// one has no more.
func (s *phraseSearcher) align(ctx *search.SearchContext) (bool, error) {
	for {
		var maxID bindex.IndexInternalID
		for i, c := range s.curr {
			if s.twin[i] != i {
				continue
			}
			if c == nil {
				return false, nil
			}
			if maxID == nil || c.IndexInternalID.Compare(maxID) > 0 {
				maxID = c.IndexInternalID
			}
		}
		behind := false
		for i, c := range s.curr {
			if s.twin[i] != i || c.IndexInternalID.Compare(maxID) == 0 {
				continue
			}
			behind = true
			ctx.DocumentMatchPool.Put(c)
			var err error
			if s.curr[i], err = s.kids[i].Advance(ctx, maxID); err != nil {
				return false, err
			}
			if s.curr[i] == nil {
				return false, nil
			}
		}
		if !behind {
			return true, nil
		}
	}
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.init {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	for {
		ok, err := s.align(ctx)
		if err != nil || !ok {
			return nil, err
		}
		rv := s.check()
		for i, k := range s.kids {
			if s.twin[i] != i {
				continue
			}
			if s.curr[i] != rv {
				ctx.DocumentMatchPool.Put(s.curr[i])
			}
			if s.curr[i], err = k.Next(ctx); err != nil {
				return nil, err
			}
		}
		if rv != nil {
			return rv, nil
		}
	}
}

func (s *phraseSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.init {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	for i, c := range s.curr {
		if s.twin[i] != i || c == nil || c.IndexInternalID.Compare(id) >= 0 {
			continue
		}
		ctx.DocumentMatchPool.Put(c)
		var err error
		if s.curr[i], err = s.kids[i].Advance(ctx, id); err != nil {
			return nil, err
		}
	}
	return s.Next(ctx)
}

// phraseScanMax is the number of locations up to which check scans them;
// beyond, it sorts them and searches, so that a long post repeating the
// words costs n log n, not n².
const phraseScanMax = 48

// check returns the match when the searchers, all on one post, found the
// phrase there, with the score of Bleve's conjunction and in its
// FieldTermLocations the locations of every occurrence of the phrase, as
// Bleve's phrase searcher leaves them; nil otherwise. A match has a few
// locations, so plain scans beat sorting them or building maps; a
// location found twice counts once, as in Bleve, which removes duplicates.
func (s *phraseSearcher) check() *search.DocumentMatch {
	s.locs = s.locs[:0]
	for i, c := range s.curr {
		if s.twin[i] == i {
			s.locs = append(s.locs, c.FieldTermLocations...)
		}
	}
	s.sorted = len(s.locs) > phraseScanMax
	if s.sorted {
		slices.SortFunc(s.locs, compareLocation)
		s.locs = slices.CompactFunc(s.locs, func(a, b search.FieldTermLocation) bool { return compareLocation(a, b) == 0 })
	}
	s.out, s.found = s.out[:0], false
	for i := range s.locs {
		l := &s.locs[i]
		if l.Term == "" || !slices.Contains(s.terms[s.first], l.Term) || !s.sorted && seenBefore(s.locs, i) {
			continue
		}
		s.path = append(s.path[:0], i)
		s.walk(s.first+1, l.Location.Pos+1, l.Location.ArrayPositions)
		if s.found && !s.locate {
			break
		}
	}
	if !s.found {
		return nil
	}
	rv := s.curr[0]
	var sum float64
	for i := range s.kids {
		sum += s.curr[s.twin[i]].Score
	}
	rv.Score = sum
	rv.Expl = nil
	rv.Locations = nil
	rv.FieldTermLocations = append(rv.FieldTermLocations[:0], s.out...)
	return rv
}

// walk extends s.path, the locations of the phrase's words up to
// position i, which is to be at position want in array position ap.
func (s *phraseSearcher) walk(i int, want uint64, ap search.ArrayPositions) {
	if i == len(s.terms) {
		s.found = true
		if !s.locate {
			return
		}
		for _, li := range s.path {
			ftl := s.locs[li]
			if len(ftl.Location.ArrayPositions) > 0 {
				ftl.Location.ArrayPositions = slices.Clone(ftl.Location.ArrayPositions)
			}
			s.out = append(s.out, ftl)
		}
		return
	}
	if !hasTerm(s.terms[i]) {
		s.walk(i+1, want+1, ap)
		return
	}
	for _, t := range s.terms[i] {
		if t == "" {
			continue
		}
		if li := s.find(t, want, ap); li >= 0 {
			s.path = append(s.path, li)
			s.walk(i+1, want+1, ap)
			s.path = s.path[:len(s.path)-1]
		}
	}
}

// find returns the index in s.locs of term t at position pos in array
// position ap, or -1. Any other is a duplicate.
func (s *phraseSearcher) find(t string, pos uint64, ap search.ArrayPositions) int {
	if !s.sorted {
		for i := range s.locs {
			l := &s.locs[i]
			if l.Term == t && l.Location.Pos == pos && l.Location.ArrayPositions.Equals(ap) {
				return i
			}
		}
		return -1
	}
	want := search.FieldTermLocation{Term: t, Location: search.Location{Pos: pos, ArrayPositions: ap}}
	i, found := slices.BinarySearchFunc(s.locs, want, compareLocation)
	if !found {
		return -1
	}
	return i
}

// compareLocation orders locations by term, array positions and position.
func compareLocation(a, b search.FieldTermLocation) int {
	if c := strings.Compare(a.Term, b.Term); c != 0 {
		return c
	}
	if c := a.Location.ArrayPositions.Compare(b.Location.ArrayPositions); c != 0 {
		return c
	}
	return cmp.Compare(a.Location.Pos, b.Location.Pos)
}

// seenBefore reports whether the location ftls[i] is also earlier in ftls.
func seenBefore(ftls []search.FieldTermLocation, i int) bool {
	l := &ftls[i]
	for j := range i {
		o := &ftls[j]
		if o.Term == l.Term && o.Location.Pos == l.Location.Pos && o.Location.ArrayPositions.Equals(l.Location.ArrayPositions) {
			return true
		}
	}
	return false
}

func hasTerm(ts []string) bool {
	for _, t := range ts {
		if t != "" {
			return true
		}
	}
	return false
}
