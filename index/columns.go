package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Facets and field sorts without Bleve's collector. Bleve computes them by
// visiting the doc values of every match, and doc values are stored in
// snappy-compressed chunks that each search decompresses afresh: at 300k
// posts that was three quarters of the time of a faceted search (1.9 s of
// 3.7 s of CPU in a profile of the query mix, mostly snappy.decode), and it
// grows with the number of matches, to 150 ms for a broad filter. Segments
// never change once written, so their doc values are decoded once into
// columns kept beside them: the facet terms of every post, and its
// published time and score as sortable integers. collect then walks the
// matches of a query unscored (which lets Bleve OR and AND the postings
// bitmaps of term queries directly), counts facets from the columns and
// picks the candidates for the page; Bleve sorts and loads only those.

// segColumns are the decoded doc values of one segment, by local doc number.
type segColumns struct {
	terms      []string // facet terms ("p:telegram") by id
	facetStart []uint32 // the facet term ids of doc d are facetIDs[facetStart[d]:facetStart[d+1]]
	facetIDs   []uint32
	// rows replace facetStart and facetIDs when every doc has at most
	// maxStride terms and there are fewer than noTerm: doc d's ids are
	// rows[d*stride:(d+1)*stride], padded with noTerm. A match then costs
	// one cache miss rather than two; counting facets of a broad query at
	// 1M posts was half cache misses.
	rows      []uint16
	stride    int
	published []int64 // numeric.PrefixCoded value at shift 0 (sorts as the time); missingKey when absent
	score     []int64 // likewise, sorts as the float
}

// missingKey sorts a post without a value last, as Bleve does in both
// directions.
const missingKey = int64(-1 << 63)

// columnCache keeps the columns of the segments of recent snapshots. It
// drops those of segments no longer in the snapshot being searched.
type columnCache struct {
	mu   sync.Mutex
	segs map[segment.Segment]*segColumns
}

// get returns the columns of every segment of snap, decoding those not yet
// cached (about 1 s per million posts; the first search after a merge
// pays it).
func (cc *columnCache) get(snap *scorch.IndexSnapshot) ([]*segColumns, error) {
	ss := snap.Segments()
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.segs == nil {
		cc.segs = make(map[segment.Segment]*segColumns)
	}
	out := make([]*segColumns, len(ss))
	live := make(map[segment.Segment]bool, len(ss))
	for i, s := range ss {
		seg := s.Segment()
		live[seg] = true
		c := cc.segs[seg]
		if c == nil {
			var err error
			if c, err = decodeColumns(seg); err != nil {
				return nil, err
			}
			cc.segs[seg] = c
		}
		out[i] = c
	}
	// Keep the columns of segments other snapshots may still search only
	// while they are few: a merge replaces many small segments by one.
	if len(cc.segs) > 2*len(ss)+16 {
		for seg := range cc.segs {
			if !live[seg] {
				delete(cc.segs, seg)
			}
		}
	}
	return out, nil
}

func decodeColumns(seg segment.Segment) (*segColumns, error) {
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("segment %T has no doc values", seg)
	}
	n := seg.Count()
	c := &segColumns{
		facetStart: make([]uint32, n+1),
		facetIDs:   make([]uint32, 0, 6*n),
		published:  make([]int64, n),
		score:      make([]int64, n),
	}
	ids := make(map[string]uint32)
	fields := []string{fieldFacet, fieldPublished, fieldScore}
	var (
		dvs segment.DocVisitState
		err error
		d   uint64
	)
	visit := func(field string, term []byte) {
		switch field {
		case fieldFacet:
			id, ok := ids[string(term)]
			if !ok {
				id = uint32(len(c.terms))
				ids[string(term)] = id
				c.terms = append(c.terms, string(term))
			}
			c.facetIDs = append(c.facetIDs, id)
		case fieldPublished, fieldScore:
			pc := numeric.PrefixCoded(term)
			if shift, err := pc.Shift(); err != nil || shift != 0 {
				return
			}
			v, err := pc.Int64()
			if err != nil {
				return
			}
			if field == fieldPublished {
				c.published[d] = v
			} else {
				c.score[d] = v
			}
		}
	}
	for d = 0; d < n; d++ {
		c.published[d], c.score[d] = missingKey, missingKey
		if dvs, err = dv.VisitDocValues(d, fields, visit, dvs); err != nil {
			return nil, fmt.Errorf("doc values of doc %d: %w", d, err)
		}
		c.facetStart[d+1] = uint32(len(c.facetIDs))
	}
	c.packRows()
	return c, nil
}

const (
	noTerm    = 1<<16 - 1
	maxStride = 16
)

func (c *segColumns) packRows() {
	stride := 0
	for d := 0; d+1 < len(c.facetStart); d++ {
		stride = max(stride, int(c.facetStart[d+1]-c.facetStart[d]))
	}
	if stride == 0 || stride > maxStride || len(c.terms) >= noTerm {
		return
	}
	n := len(c.facetStart) - 1
	rows := make([]uint16, n*stride)
	for d := range n {
		row := rows[d*stride : (d+1)*stride]
		ids := c.facetIDs[c.facetStart[d]:c.facetStart[d+1]]
		for i := range row {
			if i < len(ids) {
				row[i] = uint16(ids[i])
			} else {
				row[i] = noTerm
			}
		}
	}
	c.rows, c.stride, c.facetStart, c.facetIDs = rows, stride, nil, nil
}

// sortMode is the order collect picks page candidates in.
type sortMode int

const (
	byRelevance sortMode = iota // no candidates: Bleve scores
	byDate                      // newest first
	byOldest
	byScore // classifier score, then newest
)

func sortModeOf(sortBy []string) sortMode {
	switch sortBy[0] {
	case "-" + fieldPublished:
		return byDate
	case fieldPublished:
		return byOldest
	case "-" + fieldScore:
		return byScore
	}
	return byRelevance
}

// rank is a post's place in a field sort: greater comes first. Ties are
// for Bleve to break (by _id).
type rank struct{ a, b int64 }

func (r rank) less(o rank) bool { return r.a < o.a || r.a == o.a && r.b < o.b }

func (c *segColumns) rank(d uint64, m sortMode) rank {
	switch m {
	case byDate:
		return rank{0, c.published[d]}
	case byOldest:
		p := c.published[d]
		if p != missingKey {
			p = -p
		}
		return rank{0, p}
	case byScore:
		return rank{c.score[d], c.published[d]}
	}
	return rank{}
}

// collected is what collect found.
type collected struct {
	total  uint64
	facets map[string][]FacetCount // when asked for
	// ids are the posts that can be on the first k hits in the sort: the k
	// best and every post tied with the k-th. Bleve orders them.
	ids []string
}

// snapshot is an open Bleve snapshot with the columns of its segments.
type snapshot struct {
	*scorch.IndexSnapshot
	segs    []*scorch.SegmentSnapshot
	cols    []*segColumns
	offsets []uint64 // segment i holds doc numbers offsets[i] to offsets[i+1]-1
}

// snapshot opens the current snapshot; ok is false when the index is not
// one whose segments columns can read (then Search leaves everything to
// Bleve). The caller closes it.
func (ix *Index) snapshot() (snap *snapshot, ok bool, err error) {
	if ix.bleveOnly {
		return nil, false, nil
	}
	adv, err := ix.b.Advanced()
	if err != nil {
		return nil, false, err
	}
	rd, err := adv.Reader()
	if err != nil {
		return nil, false, err
	}
	is, ok := rd.(*scorch.IndexSnapshot)
	if !ok {
		rd.Close()
		return nil, false, nil
	}
	cols, err := ix.columns.get(is)
	if err != nil {
		rd.Close()
		return nil, false, err
	}
	segs := is.Segments()
	offsets := make([]uint64, len(segs)+1)
	for i, s := range segs {
		offsets[i+1] = offsets[i] + s.Segment().Count()
	}
	return &snapshot{is, segs, cols, offsets}, true, nil
}

// segmentOf returns the segment holding doc number num and num in it.
func (s *snapshot) segmentOf(num uint64) (int, uint64) {
	i, _ := slices.BinarySearch(s.offsets, num+1)
	return i - 1, num - s.offsets[i-1]
}

// facetCounter counts the facet terms of the docs it is given. Counting
// a doc reads its row, usually a cache miss; done as the searcher finds
// each match, between its own memory accesses, that took 130 ns a match
// ("بەلەم" at a million posts spent 40% of its time there). So add only
// notes the doc, and the rows of a batch are read in one tight loop,
// where the processor overlaps the misses: 50 ns a match.
type facetCounter struct {
	snap   *snapshot
	counts [][]int // by segment, by facet term id
	seg    int     // the segment of the last doc, where the next usually is
	batch  []uint32
}

// facetBatch is the number of docs facetCounter notes before counting.
const facetBatch = 512

func newFacetCounter(snap *snapshot) *facetCounter {
	return &facetCounter{snap: snap, counts: make([][]int, len(snap.cols))}
}

func (f *facetCounter) add(num uint64) {
	o := f.snap.offsets
	if num < o[f.seg] || num >= o[f.seg+1] {
		f.flush()
		f.seg, _ = f.snap.segmentOf(num)
	}
	if f.batch == nil {
		f.batch = make([]uint32, 0, facetBatch)
	}
	f.batch = append(f.batch, uint32(num-o[f.seg]))
	if len(f.batch) == facetBatch {
		f.flush()
	}
}

// flush counts the noted docs, all of segment f.seg.
func (f *facetCounter) flush() {
	if len(f.batch) == 0 {
		return
	}
	c := f.snap.cols[f.seg]
	if f.counts[f.seg] == nil {
		f.counts[f.seg] = make([]int, len(c.terms))
	}
	cs := f.counts[f.seg]
	if c.stride > 0 {
		for _, d := range f.batch {
			for _, id := range c.rows[int(d)*c.stride : int(d+1)*c.stride] {
				if id == noTerm {
					break
				}
				cs[id]++
			}
		}
	} else {
		for _, d := range f.batch {
			for _, id := range c.facetIDs[c.facetStart[d]:c.facetStart[d+1]] {
				cs[id]++
			}
		}
	}
	f.batch = f.batch[:0]
}

func (f *facetCounter) result() map[string][]FacetCount {
	f.flush()
	return mergeFacets(f.snap.cols, f.counts)
}

// countingSearcher counts the facets of the matches its Searcher returns,
// so that Bleve's collector counts them in the same pass as it scores.
type countingSearcher struct {
	search.Searcher
	f *facetCounter
}

func (s *countingSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	if dm != nil {
		s.f.add(dm.IndexInternalID.Value())
	}
	return dm, err
}

func (s *countingSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	if dm != nil {
		s.f.add(dm.IndexInternalID.Value())
	}
	return dm, err
}

// scored is Bleve's search for q sorted by relevance, with facets counted
// in the same pass from the columns rather than from doc values. It
// returns the page of hits with fields loaded, the total and the facets.
//
// (Scoring the two halves of the doc numbers on two goroutines, and
// merging the pages, gained nothing in BenchmarkSearch at 1M posts on a
// 2-core machine shared with other work, and cost 5-10% more CPU; on an
// idle machine it would nearly halve a broad search.)
func (ix *Index) scored(ctx context.Context, q query.Query, r Request, sortBy []string) (hits search.DocumentMatchCollection, total uint64, facets map[string][]FacetCount, ok bool, err error) {
	snap, ok, err := ix.snapshot()
	if err != nil || !ok {
		return nil, 0, nil, ok, err
	}
	defer snap.Close()
	s, err := q.Searcher(ctx, snap.IndexSnapshot, ix.m, search.SearcherOptions{})
	if err != nil {
		return nil, 0, nil, false, err
	}
	defer s.Close()
	fc := newFacetCounter(snap)
	var walk search.Searcher = &countingSearcher{s, fc}
	nums, driven, err := ix.matches(ctx, snap, q, s.Count(), fc)
	if err != nil {
		return nil, 0, nil, false, err
	}
	if driven {
		walk = &drivenSearcher{Searcher: s, nums: nums}
	}
	coll := collector.NewTopNCollector(r.Size, r.From, search.ParseSortOrderStrings(sortBy))
	if err := coll.Collect(ctx, walk, snap.IndexSnapshot); err != nil {
		return nil, 0, nil, false, err
	}
	hits = coll.Results()
	req := &bleve.SearchRequest{Fields: append(slices.Clone(storedFields), textFields()...)}
	for _, h := range hits {
		if err, _ := bleve.LoadAndHighlightFields(h, req, "", snap.IndexSnapshot, nil); err != nil {
			return nil, 0, nil, false, err
		}
	}
	return hits, coll.Total(), fc.result(), true, nil
}

// Relevance needs every match scored, and Bleve's scoring searchers walk
// the postings of every word with their frequencies: a conjunction
// advances each of its clauses to every post its rarest clause matches,
// and a word is a disjunction over sixteen fields. For "(calais OR
// dunkirk) AND lorry" at a million posts that is 9 800 posts with
// "lorry", each advancing 30 postings lists, for 1 080 matches: 40 ms.
// Unscored, Bleve ANDs and ORs the postings bitmaps of term queries
// instead, in well under a millisecond. So when the unscored query is one
// bitmap with far fewer posts than the scoring searcher would visit,
// scored takes the matches (and their facets) from the bitmap and
// advances the scoring searcher only to those: the same posts, scored by
// the same searchers, so the same relevance.

// driveRatio is how many times more postings the scoring searcher must
// count than the query matches before matches are taken from the bitmap:
// below that, walking the bitmap as well costs more than it saves ("boat"
// matches 46 000 posts of 65 000 postings).
const driveRatio = 4

// matches returns the doc numbers of the posts q matches, in order, and
// counts their facets into fc, when q unscored is a single bitmap of at
// most a driveRatio-th of scoring postings (the Count of its scoring
// searcher); ok is false otherwise, and fc is untouched.
func (ix *Index) matches(ctx context.Context, snap *snapshot, q query.Query, scoring uint64, fc *facetCounter) (nums []uint64, ok bool, err error) {
	if !termsOnly(q) {
		return nil, false, nil
	}
	u, err := q.Searcher(ctx, snap.IndexSnapshot, ix.m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, false, err
	}
	defer u.Close()
	if _, bitmap := u.(*searcher.TermSearcher); !bitmap {
		return nil, false, nil
	}
	sctx := &search.SearchContext{
		DocumentMatchPool: search.NewDocumentMatchPool(u.DocumentMatchPoolSize(), 0),
		IndexReader:       snap.IndexSnapshot,
	}
	// The bitmap's searcher does not know its count: walk it until it
	// has too many. Giving up costs at most a driveRatio-th of the
	// scoring walk, in steps far cheaper than a scoring step.
	limit := int(scoring / driveRatio)
	for {
		if len(nums) > limit {
			return nil, false, nil
		}
		dm, err := u.Next(sctx)
		if err != nil {
			return nil, false, err
		}
		if dm == nil {
			break
		}
		nums = append(nums, dm.IndexInternalID.Value())
		sctx.DocumentMatchPool.Put(dm)
		if len(nums)%4096 == 0 && ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
	}
	for _, n := range nums {
		fc.add(n)
	}
	return nums, true, nil
}

// termsOnly reports whether q is made of term queries (one term or
// several: prefix, fuzzy) with AND and OR, which Bleve can evaluate
// unscored as bitmaps; other queries (phrases, NOT) are not worth
// building twice.
func termsOnly(q query.Query) bool {
	switch q := q.(type) {
	case *query.TermQuery, *query.PrefixQuery, *query.FuzzyQuery, *query.MatchNoneQuery:
		return true
	case *query.ConjunctionQuery:
		return !slices.ContainsFunc(q.Conjuncts, func(k query.Query) bool { return !termsOnly(k) })
	case *query.DisjunctionQuery:
		return !slices.ContainsFunc(q.Disjuncts, func(k query.Query) bool { return !termsOnly(k) })
	}
	return false
}

// drivenSearcher returns the matches of its Searcher at the doc numbers
// nums only, which must hold every match: it advances the Searcher to
// each in turn rather than stepping through every post its clauses have.
type drivenSearcher struct {
	search.Searcher
	nums []uint64 // ascending; the next doc number to visit is nums[0]
}

func (s *drivenSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for len(s.nums) > 0 {
		dm, err := s.Searcher.Advance(ctx, bindex.NewIndexInternalID(nil, s.nums[0]))
		if err != nil || dm == nil {
			s.nums = nil
			return nil, err
		}
		num := dm.IndexInternalID.Value()
		for len(s.nums) > 0 && s.nums[0] < num {
			s.nums = s.nums[1:]
		}
		if len(s.nums) > 0 && s.nums[0] == num {
			s.nums = s.nums[1:]
			return dm, nil
		}
		ctx.DocumentMatchPool.Put(dm) // not a match after all: cannot happen with the same query
	}
	return nil, nil
}

func (s *drivenSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	for len(s.nums) > 0 && s.nums[0] < id.Value() {
		s.nums = s.nums[1:]
	}
	return s.Next(ctx)
}

func (s *drivenSearcher) Count() uint64 { return uint64(len(s.nums)) }

// collect walks every match of q that passes cut (nil: every match) once,
// counting facets when facets is set and, unless m is byRelevance, keeping the candidates for the first k
// hits. ok is false when the index is not one collect can read.
func (ix *Index) collect(ctx context.Context, q query.Query, cut *rangeCut, facets bool, m sortMode, k int) (col *collected, ok bool, err error) {
	snap, ok, err := ix.snapshot()
	if err != nil || !ok {
		return nil, ok, err
	}
	defer snap.Close()
	s, err := q.Searcher(ctx, snap.IndexSnapshot, ix.m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, false, err
	}
	defer s.Close()
	sctx := &search.SearchContext{
		DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0),
		IndexReader:       snap.IndexSnapshot,
	}

	var fc *facetCounter
	if facets {
		fc = newFacetCounter(snap)
	}
	type cand struct {
		r   rank
		num uint64
	}
	var (
		all       []cand
		best      rankHeap // the k best ranks seen
		seg       = 0
		n, walked uint64
	)
	for {
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, false, err
		}
		if dm == nil {
			break
		}
		num := dm.IndexInternalID.Value()
		sctx.DocumentMatchPool.Put(dm)
		if walked++; walked%4096 == 0 && ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		for seg < len(snap.segs) && num >= snap.offsets[seg+1] {
			seg++ // matches come in doc number order
		}
		if seg == len(snap.segs) {
			return nil, false, fmt.Errorf("doc number %d beyond the snapshot", num)
		}
		cols, d := snap.cols[seg], num-snap.offsets[seg]
		if cut != nil && !cut.keep(cols, d) {
			continue
		}
		n++
		if fc != nil {
			fc.add(num)
		}
		if m == byRelevance || k <= 0 {
			continue
		}
		r := cols.rank(d, m)
		if len(best) < k {
			best.push(r)
		} else if best[0].less(r) {
			best.replaceMin(r)
		} else if r.less(best[0]) {
			continue
		}
		all = append(all, cand{r, num})
	}

	col = &collected{total: n}
	if fc != nil {
		col.facets = fc.result()
	}
	if len(best) > 0 {
		edge := best[0]
		for _, cd := range all {
			if cd.r.less(edge) {
				continue
			}
			si, d := snap.segmentOf(cd.num)
			id, err := snap.segs[si].DocID(d)
			if err != nil {
				return nil, false, err
			}
			col.ids = append(col.ids, string(id))
		}
	}
	return col, true, nil
}

// mergeFacets sums the per-segment counts by term and reports them as
// Search does.
func mergeFacets(cols []*segColumns, counts [][]int) map[string][]FacetCount {
	sum := make(map[string]int)
	for i, cs := range counts {
		for id, n := range cs {
			if n > 0 {
				sum[cols[i].terms[id]] += n
			}
		}
	}
	byName := make(map[string][]FacetCount, len(facetFields))
	for t, n := range sum {
		for _, ff := range facetFields {
			if v, ok := strings.CutPrefix(t, ff.prefix); ok {
				byName[ff.name] = append(byName[ff.name], FacetCount{Term: v, Count: n})
			}
		}
	}
	out := make(map[string][]FacetCount, len(facetFields))
	for _, ff := range facetFields {
		cs := topFacet(byName[ff.name], ff.name, ff.size)
		if cs == nil {
			cs = []FacetCount{}
		}
		out[ff.name] = cs
	}
	return out
}

// rankHeap is a min-heap of ranks.
type rankHeap []rank

func (h *rankHeap) push(r rank) {
	*h = append(*h, r)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !s[i].less(s[p]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h rankHeap) replaceMin(r rank) {
	h[0] = r
	for i := 0; ; {
		l, small := 2*i+1, i
		if l < len(h) && h[l].less(h[small]) {
			small = l
		}
		if l+1 < len(h) && h[l+1].less(h[small]) {
			small = l + 1
		}
		if small == i {
			return
		}
		h[i], h[small] = h[small], h[i]
		i = small
	}
}

// rangeCut is the score filter of a request, tested on the columns:
// Bleve's numeric range query searches a disjunction of the many
// prefix-coded terms the bounds span (0.8 to 1 is broad), which cost more
// than the rest of a filtered search. The bounds are the values Bleve's
// query compares.
type rangeCut struct {
	scoreMin, scoreMax int64 // inclusive
}

// rangeCutOf returns the cut for r's score filter; ok is false when r has
// none. filters has validated r.
func rangeCutOf(r Request) (c rangeCut, ok bool) {
	if r.MinScore == nil && r.MaxScore == nil {
		return rangeCut{}, false
	}
	c.scoreMin, c.scoreMax = numeric.Float64ToInt64(math.Inf(-1)), numeric.Float64ToInt64(math.Inf(1))
	if r.MinScore != nil {
		c.scoreMin = numeric.Float64ToInt64(*r.MinScore)
	}
	if r.MaxScore != nil {
		c.scoreMax = numeric.Float64ToInt64(*r.MaxScore)
	}
	return c, true
}

// keep reports whether doc d of the segment passes the cut. A post
// without a score fails it, as in Bleve.
func (c *rangeCut) keep(cols *segColumns, d uint64) bool {
	v := cols.score[d]
	return v != missingKey && v >= c.scoreMin && v <= c.scoreMax
}
