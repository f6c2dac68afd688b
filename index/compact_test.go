package index

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"tidewatch/synth"
)

// compactCorpus writes 400 synthetic posts in batches of 25, re-puts and
// deletes some, and returns the open index and its directory. The caller
// closes the index.
func compactCorpus(t *testing.T) (*Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Open(dir, Options{BatchSize: 25, Writers: 1})
	if err != nil {
		t.Fatal(err)
	}
	g := synth.New(synth.Options{Seed: 9, Days: 30})
	docs := make([]Doc, 400)
	for i := range docs {
		p := g.Next()
		docs[i] = Doc{ID: p.ID, Platform: p.Platform, Lang: p.Lang, Langs: []string{p.Lang}, Text: p.Text,
			NormText: strings.ToLower(p.Text), Label: p.Label, Score: p.Score, Groups: p.Groups, Phones: p.Phones,
			Handles: p.Handles, Published: p.Published, Seq: int64(i + 1)}
	}
	ctx := context.Background()
	if err := ix.Put(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(ctx, docs[100:150]); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(ctx, []string{docs[3].ID, docs[300].ID}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	return ix, dir
}

// compactRequests are searches whose answers do not depend on how posts
// are spread over segments: sorted by date or score (ties by ID), or by
// relevance compared as sets.
func compactRequests() []Request {
	min := 0.5
	var rs []Request
	for _, q := range []Request{
		{Query: "boat"}, {Query: "bateau OR camion"}, {Query: "lor*"}, {Query: "guarnteed~"},
		{Query: "passport* -fake"}, {Platforms: []string{"telegram"}}, {Labels: []string{"advert"}, MinScore: &min}, {},
	} {
		for _, sort := range []string{"date", "score", "relevance"} {
			r := q
			r.Sort, r.Size, r.Facets = sort, 1000, true
			rs = append(rs, r)
		}
	}
	return rs
}

type answer struct {
	total  uint64
	ids    []string
	facets map[string][]FacetCount
}

func answers(t *testing.T, ix *Index) []answer {
	t.Helper()
	var out []answer
	for _, r := range compactRequests() {
		res := find(t, ix, r)
		a := answer{total: res.Total, facets: res.Facets}
		for _, h := range res.Hits {
			a.ids = append(a.ids, h.ID)
		}
		if r.Sort == "relevance" {
			slices.Sort(a.ids)
		}
		out = append(out, a)
	}
	return out
}

func sameAnswers(t *testing.T, got, want []answer) {
	t.Helper()
	for i, r := range compactRequests() {
		g, w := got[i], want[i]
		if g.total != w.total {
			t.Errorf("%+v: total %d, before %d", r, g.total, w.total)
		}
		if !slices.Equal(g.ids, w.ids) {
			t.Errorf("%+v: hits differ\n got %v\nwant %v", r, g.ids, w.ids)
		}
		if len(g.facets) != len(w.facets) {
			t.Errorf("%+v: %d facets, before %d", r, len(g.facets), len(w.facets))
		}
		for name, wf := range w.facets {
			if gf := g.facets[name]; !slices.Equal(gf, wf) {
				t.Errorf("%+v: facet %s\n got %v\nwant %v", r, name, gf, wf)
			}
		}
	}
}

func TestCompact(t *testing.T) {
	ix, dir := compactCorpus(t)
	before := answers(t, ix)
	count, _ := ix.Count()
	wm, _ := ix.Watermark()
	if count != 398 || wm != 400 {
		t.Fatalf("before: count %d, watermark %d; want 398, 400", count, wm)
	}
	// Usually several; Bleve's background merger may have got there first.
	n, err := ix.Segments()
	if err != nil {
		t.Fatal(err)
	}
	zaps, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	t.Logf("%d segments before Compact, %d files", n, len(zaps))
	if err := ix.Compact(context.Background()); err != nil {
		t.Fatalf("Compact: %v", err)
	}
	check := func(ix *Index, when string) {
		t.Helper()
		if n, err := ix.Segments(); err != nil || n != 1 {
			t.Errorf("%s: Segments() = %d, %v; want 1", when, n, err)
		}
		if c, err := ix.Count(); err != nil || c != count {
			t.Errorf("%s: Count() = %d, %v; want %d", when, c, err, count)
		}
		if w, err := ix.Watermark(); err != nil || w != wm {
			t.Errorf("%s: Watermark() = %d, %v; want %d", when, w, err, wm)
		}
		sameAnswers(t, answers(t, ix), before)
	}
	check(ix, "after Compact")
	// The segments merged away are gone from disk, not kept for rollback.
	if zaps, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap")); len(zaps) != 1 {
		t.Errorf("after Compact the store holds %d segment files %v, want 1", len(zaps), zaps)
	}
	// A second Compact has nothing to merge.
	if err := ix.Compact(context.Background()); err != nil {
		t.Fatalf("second Compact: %v", err)
	}
	// The merged index is what is on disk.
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	check(ro, "reopened")
	if err := ro.Compact(context.Background()); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Compact on a read-only index = %v, want ErrReadOnly", err)
	}
}

// TestCompactCancel: a cancelled Compact, or force merge, returns the
// context's error and leaves the index whole and compactable.
func TestCompactCancel(t *testing.T) {
	ix, _ := compactCorpus(t)
	defer ix.Close()
	before := answers(t, ix)
	segs, err := ix.Segments()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = ix.Compact(ctx)
	var ie *Error
	if !errors.Is(err, context.Canceled) || !errors.As(err, &ie) || ie.Op != "compact" || ie.Dir != ix.Dir() {
		t.Errorf("Compact(cancelled) = %v, want a compact *Error wrapping context.Canceled", err)
	}
	adv, err := ix.b.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	// The merge itself, past Flush: Bleve takes the request and abandons it.
	if err := forceMerge(ctx, adv.(*scorch.Scorch)); !errors.Is(err, context.Canceled) {
		t.Errorf("forceMerge(cancelled) = %v, want context.Canceled", err)
	}
	if n, err := ix.Segments(); err != nil || n > segs {
		t.Errorf("after cancel: Segments() = %d, %v; want at most %d", n, err, segs)
	}
	sameAnswers(t, answers(t, ix), before)
	if err := ix.Compact(context.Background()); err != nil {
		t.Fatalf("Compact after a cancelled one: %v", err)
	}
	if n, err := ix.Segments(); err != nil || n != 1 {
		t.Errorf("Segments() = %d, %v; want 1", n, err)
	}
	sameAnswers(t, answers(t, ix), before)
}
