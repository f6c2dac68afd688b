package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkUpsert stores pages of 20 new posts, as the crawler hands them on.
func BenchmarkUpsert(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "tidewatch.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const page = 20
	n := 0
	start := time.Now()
	for b.Loop() {
		ps := make([]Post, page)
		for i := range ps {
			ps[i] = samplePost(fmt.Sprintf("telegram:c/%d", n), fmt.Sprint("text ", n))
			n++
		}
		if _, err := s.Upsert(ctx, ps); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "posts/s")
}

// BenchmarkUpsertKnown re-stores a page of 20 posts the store already has:
// a scheduled run's common case.
func BenchmarkUpsertKnown(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "tidewatch.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ps := make([]Post, 20)
	for i := range ps {
		ps[i] = samplePost(fmt.Sprintf("telegram:c/%d", i), fmt.Sprint("text ", i))
	}
	if _, err := s.Upsert(ctx, ps); err != nil {
		b.Fatal(err)
	}
	start, n := time.Now(), 0
	for b.Loop() {
		if _, err := s.Upsert(ctx, ps); err != nil {
			b.Fatal(err)
		}
		n += len(ps)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "posts/s")
}

// BenchmarkSince reads 500 posts in seq order, an index catch-up batch.
func BenchmarkSince(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "tidewatch.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ps := make([]Post, 5000)
	for i := range ps {
		ps[i] = samplePost(fmt.Sprintf("telegram:c/%d", i), fmt.Sprint("text ", i))
	}
	if _, err := s.Upsert(ctx, ps); err != nil {
		b.Fatal(err)
	}
	start, n := time.Now(), 0
	for b.Loop() {
		got, err := s.Since(ctx, int64(n%4500), 500)
		if err != nil || len(got) != 500 {
			b.Fatal(len(got), err)
		}
		n += len(got)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "posts/s")
}
