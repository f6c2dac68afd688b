package index

import (
	"context"
	"fmt"
	"html"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// compiler turns a parsed query into a Bleve query. A word is searched in
// every text field, each with the analyzer of that field (so "بەلەمەکان"
// meets the Sorani stem in text_ckb and "traversées" the French one in
// text_fr), and folded in the norm field (so "traversee" and the
// de-obfuscated spellings match too).
type compiler struct {
	ix *Index
	q  string
}

func (c *compiler) compile(n node) (query.Query, error) {
	switch n := n.(type) {
	case allNode:
		return query.NewMatchAllQuery(), nil
	case termNode:
		return c.term(n), nil
	case phraseNode:
		return c.phrase(n), nil
	case fieldNode:
		return c.ix.keywordQuery(c.q, n.field, n.value)
	case notNode:
		kid, err := c.compile(n.kid)
		if err != nil {
			return nil, err
		}
		return query.NewBooleanQuery([]query.Query{query.NewMatchAllQuery()}, nil, []query.Query{kid}), nil
	case orNode:
		kids := make([]query.Query, 0, len(n.kids))
		for _, k := range n.kids {
			q, err := c.compile(k)
			if err != nil {
				return nil, err
			}
			kids = append(kids, q)
		}
		return query.NewDisjunctionQuery(kids), nil
	case andNode:
		var must, mustNot []query.Query
		for _, k := range n.kids {
			if not, ok := k.(notNode); ok {
				q, err := c.compile(not.kid)
				if err != nil {
					return nil, err
				}
				mustNot = append(mustNot, q)
				continue
			}
			if _, ok := k.(allNode); ok {
				continue
			}
			q, err := c.compile(k)
			if err != nil {
				return nil, err
			}
			must = append(must, q)
		}
		if len(must) == 0 {
			must = []query.Query{query.NewMatchAllQuery()}
		}
		if len(mustNot) == 0 {
			if len(must) == 1 {
				return must[0], nil
			}
			return query.NewConjunctionQuery(must), nil
		}
		return query.NewBooleanQuery(must, nil, mustNot), nil
	}
	return nil, fmt.Errorf("index: unknown query node %T", n)
}

// analyze returns the terms the analyzer of field makes of s.
func (ix *Index) analyze(field, s string) []string {
	a := ix.analyzers[field]
	if a == nil {
		return nil
	}
	var out []string
	for _, t := range a.Analyze([]byte(s)) {
		out = append(out, string(t.Term))
	}
	return out
}

// term searches one word. Where a text field's analyzer drops the word
// (a stop word: "le" in French), the word is no constraint on posts in
// that language, as the analyst would expect of "le bateau".
func (c *compiler) term(n termNode) query.Query {
	if l := normalizeLink(n.text); n.fuzzy == 0 && !n.prefix && strings.Contains(n.text, "://") && l != "" {
		// A pasted URL: the post's links, or the URL in its text.
		text := c.term(termNode{text: l})
		return query.NewDisjunctionQuery([]query.Query{termQuery(l, fieldLink), text})
	}
	folded := fold(n.text)
	if n.prefix {
		p := query.NewPrefixQuery(folded)
		p.SetField(fieldNorm)
		return p
	}
	var qs []query.Query
	anyTerms := false
	for _, f := range textFields() {
		terms := c.ix.analyze(f, n.text)
		if len(terms) > 0 {
			anyTerms = true
		}
		switch {
		case len(terms) == 0 && n.fuzzy == 0:
			qs = append(qs, termQuery(f, fieldTextField))
		case len(terms) == 1:
			qs = append(qs, termQuery(terms[0], f))
		case len(terms) > 1:
			qs = append(qs, allTerms(terms, f))
		}
	}
	normTerms := c.ix.analyze(fieldNorm, folded)
	if len(normTerms) > 0 {
		anyTerms = true
	}
	if !anyTerms {
		return query.NewMatchAllQuery() // punctuation only: no constraint
	}
	if n.fuzzy > 0 && len(normTerms) == 1 {
		fq := query.NewFuzzyQuery(normTerms[0])
		fq.SetFuzziness(n.fuzzy)
		fq.SetField(fieldNorm)
		qs = append(qs, fq)
	} else if len(normTerms) > 0 {
		qs = append(qs, allTerms(normTerms, fieldNorm))
	}
	return query.NewDisjunctionQuery(qs)
}

func allTerms(terms []string, field string) query.Query {
	if len(terms) == 1 {
		return termQuery(terms[0], field)
	}
	qs := make([]query.Query, len(terms))
	for i, t := range terms {
		qs[i] = termQuery(t, field)
	}
	return query.NewConjunctionQuery(qs)
}

// phrase searches the words in order, in every text field and folded in
// the norm field.
func (c *compiler) phrase(n phraseNode) query.Query {
	var qs []query.Query
	for _, f := range textFields() {
		if len(c.ix.analyze(f, n.text)) == 0 {
			continue
		}
		qs = append(qs, c.phraseIn(n.text, f))
	}
	folded := fold(n.text)
	if len(c.ix.analyze(fieldNorm, folded)) > 0 {
		qs = append(qs, c.phraseIn(folded, fieldNorm))
	}
	if len(qs) == 0 {
		return query.NewMatchAllQuery()
	}
	return query.NewDisjunctionQuery(qs)
}

// phraseIn is the phrase query for text in field: phraseQuery, or
// Bleve's own when a test compares the two.
func (c *compiler) phraseIn(text, field string) query.Query {
	if c.ix.bleveOnly {
		p := query.NewMatchPhraseQuery(text)
		p.SetField(field)
		return p
	}
	return newPhraseQuery(text, field)
}

// positiveTerms returns the words a hit matched, for highlighting: the
// terms and phrase words not under a NOT.
func positiveTerms(n node, negated bool, acc []termNode) []termNode {
	switch n := n.(type) {
	case termNode:
		if !negated {
			acc = append(acc, n)
		}
	case phraseNode:
		if !negated {
			for _, w := range strings.FieldsFunc(n.text, notWordRune) {
				acc = append(acc, termNode{text: w})
			}
		}
	case notNode:
		acc = positiveTerms(n.kid, !negated, acc)
	case andNode:
		for _, k := range n.kids {
			acc = positiveTerms(k, negated, acc)
		}
	case orNode:
		for _, k := range n.kids {
			acc = positiveTerms(k, negated, acc)
		}
	}
	return acc
}

func notWordRune(r rune) bool {
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '_')
}

const (
	fragmentBytes = 200
	maxFragments  = 3
)

type span struct{ start, end int }

// markText returns up to three fragments of text, HTML-escaped, with the
// matched words in <mark></mark>. spans are the matches Bleve located in
// the text field (stems included); to them markText adds the words that
// matched in the norm field, which keeps no offsets into the original: a
// word matches a term when, folded and with look-alike characters undone
// ("Wh@tsApp", "W.h.a.t.s.a.p.p"), it equals the term, starts with a term
// of four letters or more (a rough stemmer), starts with a prefix term,
// or is within a fuzzy term's edit distance.
func markText(text string, terms []termNode, spans []span) []string {
	folded := make([]string, len(terms))
	for i, t := range terms {
		folded[i] = canonical(t.text)
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if notMarkable(r) {
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if notMarkable(r) {
				break
			}
			j += size
		}
		// Trim trailing dots and the like: "UK." is the word "UK".
		for j > i && strings.ContainsRune(".-_@", rune(text[j-1])) {
			j--
		}
		w := canonical(text[i:j])
		for k, t := range terms {
			ft := folded[k]
			if ft == "" || w == "" {
				continue
			}
			if w == ft ||
				(t.prefix || utf8.RuneCountInString(ft) >= 4) && strings.HasPrefix(w, ft) ||
				t.fuzzy > 0 && editDistance(w, ft) <= t.fuzzy {
				spans = append(spans, span{i, j})
				break
			}
		}
		if j == i {
			j += size
		}
		i = j
	}
	if len(spans) == 0 {
		return nil
	}
	// Sort, and drop spans inside or overlapping an earlier one.
	slices.SortFunc(spans, func(a, b span) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	clean := spans[:0]
	for _, s := range spans {
		if s.start < 0 || s.end > len(text) || s.start >= s.end {
			continue
		}
		if len(clean) > 0 && s.start < clean[len(clean)-1].end {
			continue
		}
		clean = append(clean, s)
	}
	spans = clean

	var frags []string
	for len(spans) > 0 && len(frags) < maxFragments {
		first := spans[0]
		start := max(0, first.start-fragmentBytes/4)
		for start > 0 && !utf8.RuneStart(text[start]) {
			start--
		}
		end := min(len(text), start+fragmentBytes)
		for end < len(text) && !utf8.RuneStart(text[end]) {
			end++
		}
		end = max(end, first.end)
		var b strings.Builder
		cur := start
		for len(spans) > 0 && spans[0].end <= end {
			s := spans[0]
			spans = spans[1:]
			b.WriteString(html.EscapeString(text[cur:s.start]))
			b.WriteString("<mark>")
			b.WriteString(html.EscapeString(text[s.start:s.end]))
			b.WriteString("</mark>")
			cur = s.end
		}
		b.WriteString(html.EscapeString(text[cur:end]))
		frags = append(frags, b.String())
	}
	return frags
}

// notMarkable separates words for markText: spaces and punctuation other
// than the characters evaders put inside words.
func notMarkable(r rune) bool {
	if unicode.IsSpace(r) {
		return true
	}
	if strings.ContainsRune("@._-$", r) {
		return false
	}
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// leet undoes look-alike spellings, for highlighting only.
var leet = strings.NewReplacer("@", "a", "0", "o", "1", "i", "3", "e", "$", "s", ".", "", "-", "", "_", "")

// canonical folds w and, when it mixes letters with look-alikes, undoes
// them; a word of digits ("0612") stays as it is.
func canonical(w string) string {
	f := fold(w)
	hasLetter := strings.IndexFunc(f, unicode.IsLetter) >= 0
	if !hasLetter {
		return f
	}
	return leet.Replace(f)
}

// editDistance is the optimal-string-alignment distance between a and b
// in runes (Levenshtein plus transpositions, as Bleve's fuzzy terms count).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) > 2 {
		return 3 // more than any fuzziness allowed
	}
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// likeQuery builds "more like this" for the post id: its most distinctive
// words (by tf·idf, among words other posts share) in its own text field,
// and its phone numbers, handles and links on any platform, which weigh
// more than any one word. The post itself is excluded.
func (ix *Index) likeQuery(ctx context.Context, id string) (query.Query, error) {
	doc, err := ix.get(ctx, id)
	if err != nil {
		return nil, err
	}
	var qs []query.Query
	for _, e := range []struct {
		field string
		vs    []string
	}{{fieldPhone, doc.Phones}, {fieldHandle, doc.Handles}, {fieldLink, doc.Links}} {
		for _, v := range e.vs {
			t := query.NewTermQuery(v)
			t.SetField(e.field)
			t.SetBoost(5)
			qs = append(qs, t)
		}
	}
	tf := textFieldFor(doc.Lang)
	terms, err := ix.distinctiveTerms(tf, doc.Text, 20)
	if err != nil {
		return nil, &Error{"like", ix.dir, err}
	}
	for _, t := range terms {
		q := query.NewTermQuery(t.term)
		q.SetField(tf)
		q.SetBoost(t.weight)
		qs = append(qs, q)
	}
	if len(qs) == 0 {
		return query.NewMatchNoneQuery(), nil
	}
	self := query.NewDocIDQuery([]string{id})
	return query.NewBooleanQuery(nil, qs, []query.Query{self}), nil
}

// get returns the stored fields of one post.
func (ix *Index) get(ctx context.Context, id string) (*Hit, error) {
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery([]string{id}), 1, 0, false)
	req.Fields = append(slices.Clone(storedFields), textFields()...)
	res, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		return nil, &Error{"get", ix.dir, err}
	}
	if len(res.Hits) == 0 {
		return nil, &Error{"get", ix.dir, fmt.Errorf("%s: %w", id, ErrNotFound)}
	}
	h := toHit(res.Hits[0])
	return &h, nil
}

type weightedTerm struct {
	term   string
	weight float64
}

// distinctiveTerms returns up to n terms of text, as analysed for field,
// weighted by tf·idf; terms in no other post cannot find anything and are
// left out, as are terms in more than half the posts.
func (ix *Index) distinctiveTerms(field, text string, n int) ([]weightedTerm, error) {
	tf := make(map[string]int)
	for _, t := range ix.analyze(field, text) {
		if utf8.RuneCountInString(t) >= 2 {
			tf[t]++
		}
	}
	if len(tf) == 0 {
		return nil, nil
	}
	adv, err := ix.b.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	total, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	var out []weightedTerm
	for t, f := range tf {
		tfr, err := r.TermFieldReader(context.Background(), []byte(t), field, false, false, false)
		if err != nil {
			return nil, err
		}
		df := tfr.Count()
		tfr.Close()
		if df < 2 || df > total/2+1 {
			continue
		}
		idf := 1 + math.Log(float64(total)/float64(df+1))
		out = append(out, weightedTerm{t, math.Sqrt(float64(f)) * idf})
	}
	slices.SortFunc(out, func(a, b weightedTerm) int {
		if a.weight != b.weight {
			if a.weight > b.weight {
				return -1
			}
			return 1
		}
		return strings.Compare(a.term, b.term)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// fieldAnalyzers resolves the analyzer of every text field and the norm
// field once, from the mapping.
func fieldAnalyzers(m interface {
	AnalyzerNameForPath(string) string
	AnalyzerNamed(string) analysis.Analyzer
}) (map[string]analysis.Analyzer, error) {
	out := make(map[string]analysis.Analyzer)
	for _, f := range append(textFields(), fieldNorm) {
		name := m.AnalyzerNameForPath(f)
		a := m.AnalyzerNamed(name)
		if a == nil {
			return nil, fmt.Errorf("field %s: analyzer %q not found", f, name)
		}
		out[f] = a
	}
	return out, nil
}
