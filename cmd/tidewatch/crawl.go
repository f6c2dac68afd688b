package main

import (
	"context"
	"fmt"

	"tidewatch/crawler"
	"tidewatch/pipeline"
	"tidewatch/seeds"
)

// runCrawl is `tidewatch crawl --seeds FILE [--source NAME] [--backfill]`:
// one crawl now, a progress bar per source on a terminal (plain log lines
// otherwise), and a summary table at the end.
func runCrawl(ctx context.Context, s streams, args []string) error {
	fs, data := newFlags("crawl", s)
	seedsFile := fs.String("seeds", "", "seeds file (YAML) naming the sources")
	source := fs.String("source", "", "crawl only this source")
	backfill := fs.Bool("backfill", false, "page to the end of every listing, not only to the first known page")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *seedsFile == "" {
		return fmt.Errorf("%w: crawl needs --seeds FILE", errUsage)
	}
	f, err := seeds.Load(*seedsFile)
	if err != nil {
		return err
	}
	p, err := pipeline.Open(ctx, *data, pipeline.Options{Logger: logger(s.err)})
	if err != nil {
		return err
	}
	defer p.Close()
	pw := crawler.NewProgressWriter(s.err, isTerminal(s.err))
	stats, err := p.Crawl(ctx, f, pipeline.CrawlOptions{Source: *source, Backfill: *backfill, Progress: pw.Update})
	crawler.WriteSummary(s.out, stats)
	return err
}
