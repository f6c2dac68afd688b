package pipeline

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tidewatch/crawler"
)

// BenchmarkPut hands the pipeline pages of 20 new posts, as the crawler
// does: classify, store, index.
func BenchmarkPut(b *testing.B) {
	ctx := context.Background()
	p, err := Open(ctx, b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	texts := []string{
		"Boat from Dunkirk to UK tonight, 100% guaranteed, price 1500 euro, WhatsApp +44 7700 900%03d",
		"Home Secretary announces new customs partnership with France, statement %d",
		"Lorry to England every week, places available, contact on Telegram @crossnow%d",
		"Traversée vers l'Angleterre garantie, départ jeudi, prix 1200 euros, contact %d",
	}
	n := 0
	start := time.Now()
	for b.Loop() {
		page := make([]crawler.Post, 20)
		for i := range page {
			page[i] = testPost(n, fmt.Sprintf(texts[n%len(texts)], n))
			n++
		}
		if _, err := p.Put(ctx, page); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "posts/s")
}

// BenchmarkReindex rebuilds the index of 2000 stored posts.
func BenchmarkReindex(b *testing.B) {
	ctx := context.Background()
	p, err := Open(ctx, b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	for i := 0; i < 2000; i += 100 {
		page := make([]crawler.Post, 100)
		for j := range page {
			page[j] = testPost(i+j, fmt.Sprint("post number ", i+j, " from Calais to Dover"))
		}
		if _, err := p.Put(ctx, page); err != nil {
			b.Fatal(err)
		}
	}
	start, n := time.Now(), 0
	for b.Loop() {
		m, err := p.Reindex(ctx)
		if err != nil {
			b.Fatal(err)
		}
		n += m
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "posts/s")
}
