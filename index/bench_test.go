package index_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"tidewatch/index"
	"tidewatch/synth"
)

// Benchmarks (make bench runs them with -cpu 2 -benchtime 1x):
//
//	BenchmarkIndexThroughput  posts/s through Feed, beside Bleve's default
//	                          usage (default mapping, one Index call per
//	                          post) on the same posts in the same run
//	BenchmarkSearch/100k      build time, bytes/post, segments, p50/p99
//	                          latency of a fixed mix of analyst queries
//	                          with facets, on an index compacted as
//	                          tidewatch reindex leaves it
//	BenchmarkSearch/1M        the same at a million posts, when
//	                          TIDEWATCH_BENCH_1M=1 (several minutes)
//	BenchmarkSearch/<n>-uncompacted  the same before Compact, when
//	                          TIDEWATCH_BENCH_UNCOMPACTED=1
//	BenchmarkQueries/<n>_<q>  each query of the mix on its own, at
//	                          TIDEWATCH_BENCH_POSTS posts
//
// TIDEWATCH_BENCH_CACHE names a directory where BenchmarkSearch and
// BenchmarkQueries keep the indexes they build (by seed and size) and
// reuse them in later runs, so that two versions of the package can be
// compared on one index; unset, every run builds afresh in a temporary
// directory. TIDEWATCH_BENCH_SEARCH_POSTS overrides BenchmarkSearch's
// 100k; TIDEWATCH_BENCH_POSTS the corpus size of
// BenchmarkIndexThroughput and BenchmarkQueries (20000);
// TIDEWATCH_BENCH_BASELINE_POSTS the baseline's (2000: at one fsync'd
// batch per post it manages tens of posts a second, and its rate only
// falls as the index grows, so the smaller run flatters it).

// normalizer imitates classify.Normalize for the obfuscations synth writes,
// so that the norm field holds what it holds in production.
var normalizer = strings.NewReplacer("wh@tsapp", "whatsapp", "w.h.a.t.s.a.p.p", "whatsapp", "b0at", "boat", "te1egram", "telegram", "u.k", "uk", "guarant33d", "guaranteed", "s1gnal", "signal")

func toDoc(p synth.Post, seq int64) index.Doc {
	return index.Doc{
		ID: p.ID, Platform: p.Platform, Source: p.Source, URL: p.URL, Author: p.Author,
		Text: p.Text, NormText: normalizer.Replace(strings.ToLower(p.Text)),
		Lang: p.Lang, Langs: []string{p.Lang}, Score: p.Score, Label: p.Label,
		Groups: p.Groups, Phones: p.Phones, Handles: p.Handles, Links: p.Links,
		Published: p.Published, Fetched: p.Published.Add(time.Hour), Seq: seq,
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// build indexes n synthetic posts into a new index in dir through Feed,
// with the generator running beside it, and returns the time taken
// including Close (everything persisted).
func build(tb testing.TB, dir string, n int) time.Duration {
	tb.Helper()
	start := time.Now()
	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	ch := make(chan index.Doc, 4096)
	go func() {
		defer close(ch)
		g := synth.New(synth.Options{Seed: 42})
		for i := range n {
			ch <- toDoc(g.Next(), int64(i+1))
		}
	}()
	got, err := ix.Feed(context.Background(), ch)
	if err != nil || got != n {
		tb.Fatalf("Feed = %d, %v; want %d", got, err, n)
	}
	if err := ix.Close(); err != nil {
		tb.Fatal(err)
	}
	return time.Since(start)
}

// compact compacts the index in dir, as tidewatch reindex does after
// building, and returns the time taken including Close.
func compact(tb testing.TB, dir string) time.Duration {
	tb.Helper()
	start := time.Now()
	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	before, err := ix.Segments()
	if err != nil {
		tb.Fatal(err)
	}
	if err := ix.Compact(context.Background()); err != nil {
		tb.Fatal(err)
	}
	after, err := ix.Segments()
	if err != nil {
		tb.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		tb.Fatal(err)
	}
	took := time.Since(start)
	tb.Logf("Compact merged %d segments into %d in %v", before, after, took.Round(time.Millisecond))
	return took
}

// builtIndex returns the directory of an index of n posts, compacted or
// not: a fresh one in a temporary directory, or the one kept in
// $TIDEWATCH_BENCH_CACHE (built there the first time; a compacted one is
// a compacted copy of the other). took is the time to build and compact
// it, 0 when reused.
func builtIndex(b *testing.B, n int, compacted bool) (dir string, took time.Duration) {
	cache := os.Getenv("TIDEWATCH_BENCH_CACHE")
	if cache == "" {
		dir = filepath.Join(b.TempDir(), "ix")
		took = build(b, dir, n)
		if compacted {
			took += compact(b, dir)
		}
		return dir, took
	}
	name := "seed42-" + strconv.Itoa(n)
	if compacted {
		name += "-compact"
	}
	keep := filepath.Join(cache, name)
	dir = filepath.Join(keep, "ix")
	done := filepath.Join(keep, "complete") // written once the build is closed
	if _, err := os.Stat(done); err == nil {
		return dir, 0
	}
	if err := os.RemoveAll(keep); err != nil {
		b.Fatal(err)
	}
	if compacted {
		raw, t := builtIndex(b, n, false)
		if err := os.CopyFS(dir, os.DirFS(raw)); err != nil {
			b.Fatal(err)
		}
		took = compact(b, dir)
		if t == 0 { // the build was reused: no build time to report
			took = 0
		} else {
			took += t
		}
	} else {
		took = build(b, dir, n)
	}
	if err := os.WriteFile(done, nil, 0o600); err != nil {
		b.Fatal(err)
	}
	return dir, took
}

func dirSize(tb testing.TB, dir string) int64 {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			total += fi.Size()
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return total
}

func BenchmarkIndexThroughput(b *testing.B) {
	n := envInt("TIDEWATCH_BENCH_POSTS", 20000)
	nBase := min(n, envInt("TIDEWATCH_BENCH_BASELINE_POSTS", 2000))
	posts := make([]synth.Post, n)
	g := synth.New(synth.Options{Seed: 42})
	for i := range posts {
		posts[i] = g.Next()
	}
	for i := 0; i < b.N; i++ {
		tw := build(b, filepath.Join(b.TempDir(), "tw"), n)

		start := time.Now()
		bi, err := bleve.New(filepath.Join(b.TempDir(), "default"), bleve.NewIndexMapping())
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range posts[:nBase] {
			if err := bi.Index(p.ID, p); err != nil {
				b.Fatal(err)
			}
		}
		if err := bi.Close(); err != nil {
			b.Fatal(err)
		}
		base := time.Since(start)

		b.ReportMetric(float64(n)/tw.Seconds(), "posts/s")
		b.ReportMetric(float64(nBase)/base.Seconds(), "default-posts/s")
		b.ReportMetric((float64(n)/tw.Seconds())/(float64(nBase)/base.Seconds()), "speedup")
	}
}

// analystQueries is the fixed mix for latency: text in several languages
// and scripts, phrases, booleans, prefix and fuzzy terms, filters alone,
// pivots and sorts. phone and handle are filled from the corpus.
func analystQueries(phone, handle string) []index.Request {
	min := 0.8
	since := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	return []index.Request{
		{Query: "boat"},
		{Query: "bateau OR camion"},
		{Query: `"half now half after"`},
		{Query: "بەلەم"},
		{Query: "قارب"},
		{Query: "قاچاقچی"},
		{Query: "whatsapp guaranteed"},
		{Query: "gomone Anglia"},
		{Query: "di anh"},
		{Query: "lor*"},
		{Query: "guarnteed~"},
		{Query: "*", Platforms: []string{"telegram"}, Since: since},
		{Phone: phone},
		{Handle: handle},
		{Query: "boat", Labels: []string{"advert"}, MinScore: &min, Sort: "score"},
		{Langs: []string{"ckb"}, Groups: []string{"documents"}},
		{Query: "passport* -fake"},
		{Query: "(calais OR dunkirk) AND lorry"},
		{Query: "ጀልባ"},
		{},
	}
}

func BenchmarkSearch(b *testing.B) {
	type size struct {
		name      string
		n         int
		compacted bool
	}
	n := envInt("TIDEWATCH_BENCH_SEARCH_POSTS", 100_000)
	sizes := []size{{"100k", n, true}}
	if n != 100_000 {
		sizes[0].name = strconv.Itoa(n)
	}
	if os.Getenv("TIDEWATCH_BENCH_1M") == "1" {
		sizes = append(sizes, size{"1M", 1_000_000, true})
	}
	if os.Getenv("TIDEWATCH_BENCH_UNCOMPACTED") == "1" {
		for _, sz := range slices.Clone(sizes) {
			sizes = append(sizes, size{sz.name + "-uncompacted", sz.n, false})
		}
	}
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			dir, took := builtIndex(b, sz.n, sz.compacted)
			size := dirSize(b, dir)

			// Contacts of the most active network, for the pivots.
			var phone, handle string
			g := synth.New(synth.Options{Seed: 42})
			for phone == "" || handle == "" {
				p := g.Next()
				if p.Label == "advert" && len(p.Phones) > 0 && phone == "" {
					phone = p.Phones[0]
				}
				if p.Label == "advert" && len(p.Handles) > 0 && handle == "" {
					handle = p.Handles[0]
				}
			}

			ix, err := index.Open(dir, index.Options{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			segs, err := ix.Segments()
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			qs := analystQueries(phone, handle)
			for _, q := range qs { // warm up: the first search maps segments
				q.Facets, q.Highlight = true, true
				if _, err := ix.Search(ctx, q); err != nil {
					b.Fatalf("%+v: %v", q, err)
				}
			}
			var lat []time.Duration
			perQuery := make([][]time.Duration, len(qs)+1) // the last is MoreLikeThis
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for round := 0; round < 10; round++ {
					for qi, q := range qs {
						q.Facets, q.Highlight = true, true
						start := time.Now()
						if _, err := ix.Search(ctx, q); err != nil {
							b.Fatal(err)
						}
						lat = append(lat, time.Since(start))
						perQuery[qi] = append(perQuery[qi], lat[len(lat)-1])
					}
					start := time.Now()
					if _, err := ix.MoreLikeThis(ctx, "telegram:telegram-en-1/1001", 10); err != nil && !strings.Contains(err.Error(), "not in index") {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(start))
					perQuery[len(qs)] = append(perQuery[len(qs)], lat[len(lat)-1])
				}
			}
			b.StopTimer()
			slices.Sort(lat)
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			// Each query's median and slowest run: with ten rounds of 21
			// searches, the p99 is the third slowest search, so one slow
			// query sets it.
			for i, ls := range perQuery {
				slices.Sort(ls)
				name := "MoreLikeThis"
				if i < len(qs) {
					name = fmt.Sprintf("%d %q", i, qs[i].Query)
				}
				b.Logf("%7.1f ms median %7.1f ms max  %s", ms(ls[len(ls)/2]), ms(ls[len(ls)-1]), name)
			}
			b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
			b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
			b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
			b.ReportMetric(float64(size)/float64(sz.n), "bytes/post")
			b.ReportMetric(float64(segs), "segments")
			if took > 0 {
				b.ReportMetric(float64(sz.n)/took.Seconds(), "build-posts/s")
			}
		})
	}
}

// BenchmarkQueries reports each query of the mix on its own, to find the
// slow ones. It uses TIDEWATCH_BENCH_POSTS posts (20000).
func BenchmarkQueries(b *testing.B) {
	n := envInt("TIDEWATCH_BENCH_POSTS", 20000)
	dir, _ := builtIndex(b, n, true)
	ix, err := index.Open(dir, index.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	qs := analystQueries("+447700900742", "@balam_uk")
	for _, q := range qs { // warm up, as BenchmarkSearch does
		q.Facets, q.Highlight = true, true
		if _, err := ix.Search(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
	for i, q := range qs {
		q.Facets, q.Highlight = true, true
		b.Run(strconv.Itoa(i)+"_"+strings.ReplaceAll(q.Query, " ", "_"), func(b *testing.B) {
			for b.Loop() {
				if _, err := ix.Search(context.Background(), q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
