package index

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"tidewatch/synth"
)

// phraseCorpus is a few posts written to tell a phrase from its words,
// and synthetic posts around them.
func phraseCorpus(t *testing.T) *Index {
	t.Helper()
	ix, err := Open(filepath.Join(t.TempDir(), "ix"), Options{BatchSize: 200})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	docs := []Doc{
		{ID: "p/exact", Lang: "en", Text: "Lorry to UK, 900 pounds, half now half after arrival."},
		{ID: "p/words", Lang: "en", Text: "Pay half after arrival, now or never, the other half never."},
		{ID: "p/split", Lang: "en", Text: "half now. Half after: the punctuation does not split a phrase"},
		{ID: "p/twice", Lang: "en", Text: "half now half after, yes, half now half after"},
		{ID: "p/norm", Lang: "en", Text: "h@lf n0w h@lf after", NormText: "half now half after"},
		{ID: "p/stop", Lang: "en", Text: "half now half of it"}, // "after" is an English stop word
		{ID: "p/values", Lang: "en", Text: "it was half now", NormText: "half after the rest"},
		{ID: "p/fr", Lang: "fr", Text: "moitié avant moitié à l'arrivée, half now half after"},
		{ID: "p/ckb", Lang: "ckb", Text: "نیوەی ئێستا نیوەی دوای گەیشتن"},
		{ID: "p/ckb-words", Lang: "ckb", Text: "دوای گەیشتن نیوەی ئێستا"},
		// Enough locations of the words that check sorts them.
		{ID: "p/long", Lang: "en", Text: strings.Repeat("half now, then half after. ", 40) + "half now half after"},
		{ID: "p/long-words", Lang: "en", Text: strings.Repeat("half now, then half after. ", 40)},
	}
	g := synth.New(synth.Options{Seed: 3, Days: 20})
	for i := range 1500 {
		p := g.Next()
		docs = append(docs, Doc{ID: p.ID, Platform: p.Platform, Lang: p.Lang, Text: p.Text,
			NormText: strings.ToLower(p.Text), Label: p.Label, Score: p.Score, Groups: p.Groups,
			Published: p.Published, Seq: int64(i + 1)})
	}
	for i := range docs[:10] {
		docs[i].Published = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	}
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestPhrases runs the tests of phrases and of the driven scoring on one
// corpus.
func TestPhrases(t *testing.T) {
	ix := phraseCorpus(t)
	t.Run("Exact", func(t *testing.T) { testPhraseExact(t, ix) })
	t.Run("MatchesBleve", func(t *testing.T) { testPhraseMatchesBleve(t, ix) })
	t.Run("MultiPhraseMatchesBleve", func(t *testing.T) { testMultiPhraseMatchesBleve(t, ix) })
	t.Run("DrivenSearcher", func(t *testing.T) { testDrivenSearcher(t, ix) })
}

// testPhraseExact: a phrase finds the posts with its words in order and
// not those with the words elsewhere, in the text or the normalised text
// but not across the two.
func testPhraseExact(t *testing.T, ix *Index) {
	for _, tt := range []struct {
		q    string
		want []string
	}{
		// p/stop matches in text_en, where the analyzer drops the stop
		// word "after" from the end of the phrase, as in Bleve.
		{`"half now half after"`, []string{"p/exact", "p/fr", "p/long", "p/norm", "p/split", "p/stop", "p/twice"}},
		{`"half after arrival"`, []string{"p/exact", "p/words"}},
		{`"now half"`, []string{"p/exact", "p/fr", "p/long", "p/norm", "p/split", "p/stop", "p/twice"}},
		{`"half now" "rest"`, []string{"p/values"}}, // each phrase in one value
		{`"now half after"`, []string{"p/exact", "p/fr", "p/long", "p/norm", "p/split", "p/stop", "p/twice"}},
		{`"نیوەی ئێستا نیوەی"`, []string{"p/ckb"}},
		{`"arrival half"`, []string{}},
		// In English "after half" is "half": the stop word leaves no gap
		// at the start of a phrase. p/norm has no word "half" in its text.
		{`"after half"`, []string{"p/exact", "p/long", "p/long-words", "p/split", "p/stop", "p/twice", "p/values", "p/words"}},
	} {
		res := find(t, ix, Request{Query: tt.q, Size: 100, Highlight: true})
		got := []string{}
		for _, h := range res.Hits {
			if strings.HasPrefix(h.ID, "p/") {
				got = append(got, h.ID)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.q, got, tt.want)
		}
	}
	res := find(t, ix, Request{Query: `"half now half after"`, Size: 100, Highlight: true})
	for _, h := range res.Hits {
		if h.ID == "p/twice" {
			want := "<mark>half</mark> <mark>now</mark> <mark>half</mark> <mark>after</mark>, yes, <mark>half</mark> <mark>now</mark> <mark>half</mark> <mark>after</mark>"
			if len(h.Highlights) != 1 || h.Highlights[0] != want {
				t.Errorf("p/twice highlights %q, want %q", h.Highlights, want)
			}
		}
	}
}

// testPhraseMatchesBleve: phraseQuery finds the posts Bleve's phrase query
// finds, with the same relevance and the same locations, in every field.
func testPhraseMatchesBleve(t *testing.T, ix *Index) {
	phrases := []string{"half now half after", "half after", "now half", "half", "the boys arrived safely",
		"نیوەی ئێستا نیوەی دوای", "نصف الآن ونصف", "moitié avant moitié", "places left", "de la", "to the uk",
		"whatsapp", "kids half price", "قاچاقچی مطمئن"}
	found := 0 // field-phrase pairs with hits, so that the test compares something
	for _, p := range phrases {
		for _, f := range append(textFields(), fieldNorm) {
			text := p
			if f == fieldNorm {
				text = fold(p)
			}
			bq := query.NewMatchPhraseQuery(text)
			bq.SetField(f)
			for _, locate := range []bool{true, false} {
				want := phraseHits(t, ix, bq, locate)
				got := phraseHits(t, ix, newPhraseQuery(text, f), locate)
				if len(want) > 0 && locate {
					found++
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%q in %s, locations %v:\n got %v\nwant %v", text, f, locate, got, want)
				}
			}
		}
	}
	if found < 20 {
		t.Errorf("only %d phrase-field pairs have hits", found)
	}
	// Inside other queries, scored by relevance.
	for _, q := range []string{`"half now half after"`, `boat "places left"`, `"half now" OR lorry`, `lorry -"half now"`} {
		r := Request{Query: q, Size: 50, Facets: true, Highlight: true}
		ix.bleveOnly = true
		want := find(t, ix, r)
		ix.bleveOnly = false
		compareResults(t, q, find(t, ix, r), want, true)
	}
}

// phraseHits returns every hit of q as "id score locations", in ID order,
// with locations when locate is set. (Asked for none, Bleve's phrase
// searcher returns them anyway and phraseSearcher does not: Search reads
// locations only when it asked for them.)
func phraseHits(t *testing.T, ix *Index, q query.Query, locate bool) []string {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 10000, 0, false)
	req.IncludeLocations = locate
	req.SortBy([]string{"_id"})
	res, err := ix.b.SearchInContext(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		if !locate {
			h.Locations = nil
		}
		out = append(out, fmt.Sprintf("%s %v %s", h.ID, h.Score, locationString(h.Locations)))
	}
	return out
}

func locationString(m search.FieldTermLocationMap) string {
	var parts []string
	for f, tlm := range m {
		for term, locs := range tlm {
			for _, l := range locs {
				parts = append(parts, fmt.Sprintf("%s:%s@%v/%d[%d:%d]", f, term, l.ArrayPositions, l.Pos, l.Start, l.End))
			}
		}
	}
	slices.Sort(parts)
	parts = slices.Compact(parts)
	return strings.Join(parts, " ")
}

// multiPhrase is a phrase of given terms by position, as an analyzer
// with synonyms would make them, for comparing with Bleve's
// MultiPhraseQuery.
type multiPhrase struct {
	terms [][]string
	field string
}

func (q multiPhrase) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	return newPhraseSearcher(ctx, r, q.terms, q.field, o)
}

// testMultiPhraseMatchesBleve: positions with several terms, and with
// none, are matched as in Bleve.
func testMultiPhraseMatchesBleve(t *testing.T, ix *Index) {
	for i, terms := range [][][]string{
		{{"half", "whole"}, {"now"}, {"half"}},
		{{"half"}, {"now", "after"}},
		{{"half"}, {}, {"half", "arrival"}},
		{{"now"}, {"half"}, {"after", ""}},
		{{""}, {""}},
	} {
		for _, locate := range []bool{true, false} {
			want := phraseHits(t, ix, query.NewMultiPhraseQuery(terms, fieldNorm), locate)
			got := phraseHits(t, ix, multiPhrase{terms, fieldNorm}, locate)
			if i < 2 && len(want) == 0 {
				t.Errorf("%q: no hits to compare", terms)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%q, locations %v:\n got %v\nwant %v", terms, locate, got, want)
			}
		}
	}
}

// testDrivenSearcher: a searcher driven by doc numbers returns its
// matches at those numbers only, by Next and by Advance.
func testDrivenSearcher(t *testing.T, ix *Index) {
	snap, ok, err := ix.snapshot()
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	defer snap.Close()
	q := termQuery("half", fieldNorm)
	all := func(s search.Searcher, advanceTo uint64) []uint64 {
		sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: snap.IndexSnapshot}
		var out []uint64
		var dm *search.DocumentMatch
		var err error
		if advanceTo > 0 {
			dm, err = s.Advance(sctx, bindex.NewIndexInternalID(nil, advanceTo))
		} else {
			dm, err = s.Next(sctx)
		}
		for ; dm != nil && err == nil; dm, err = s.Next(sctx) {
			out = append(out, dm.IndexInternalID.Value())
		}
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	s, err := q.Searcher(context.Background(), snap.IndexSnapshot, ix.m, search.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	matches := all(s, 0)
	s.Close()
	if len(matches) < 10 {
		t.Fatalf("%d matches", len(matches))
	}
	// Every other match, and numbers that are not matches.
	var nums, want []uint64
	for i, n := range matches {
		if i%2 == 0 {
			nums, want = append(nums, n), append(want, n)
		} else if n > 0 && !slices.Contains(matches, n-1) {
			nums = append(nums, n-1)
		}
	}
	slices.Sort(nums)
	for _, advanceTo := range []uint64{0, want[3]} {
		s, err := q.Searcher(context.Background(), snap.IndexSnapshot, ix.m, search.SearcherOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := all(&drivenSearcher{Searcher: s, nums: slices.Clone(nums)}, advanceTo)
		s.Close()
		w := want
		if advanceTo > 0 {
			w = want[3:]
		}
		if !slices.Equal(got, w) {
			t.Errorf("advance to %d: %v, want %v", advanceTo, got, w)
		}
	}
}
