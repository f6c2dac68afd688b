package main

import (
	"context"
	"fmt"
	"strings"

	"tidewatch/crawler"
	"tidewatch/demosite"
	"tidewatch/pipeline"
	"tidewatch/seeds"
)

// runDemo is `tidewatch demo [--addr]`: it starts demosite on loopback,
// crawls it with the bundled demo seeds (seeds/demo.yaml), and serves the
// UI, printing its URL.
func runDemo(ctx context.Context, s streams, args []string) error {
	fs, data := newFlags("demo", s)
	addr := fs.String("addr", "127.0.0.1:8080", "address to serve the UI on")
	// A fixed address keeps the demo posts' IDs (some platforms' IDs include the host)
	// the same from one demo to the next, so a second demo stores no duplicate.
	siteAddr := fs.String("site-addr", "127.0.0.1:8081", "address for demosite")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	base, stop, err := demosite.Listen(ctx, *siteAddr)
	if err != nil {
		return err
	}
	defer stop()
	f, err := seeds.Parse("seeds/demo.yaml", []byte(strings.ReplaceAll(string(seeds.DemoYAML), seeds.DemoBase, strings.TrimSuffix(base, "/"))))
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "demosite (platform stand-ins) at %s\n", base)

	reg := newRegistry()
	p, err := pipeline.Open(ctx, *data, pipeline.Options{Logger: logger(s.err), Registerer: reg})
	if err != nil {
		return err
	}
	defer p.Close()
	pw := crawler.NewProgressWriter(s.err, isTerminal(s.err))
	stats, err := p.Crawl(ctx, f, pipeline.CrawlOptions{Backfill: true, Progress: pw.Update})
	crawler.WriteSummary(s.out, stats)
	if err != nil {
		fmt.Fprintf(s.err, "demo: some sources failed (see the summary): %v\n", err)
	}
	if ctx.Err() != nil {
		return nil
	}
	n, _ := p.Store().Count(ctx)
	fmt.Fprintf(s.out, "%d posts stored and indexed. Try: http://%s/?q=whatsapp&sort=score\n", n, hostOf(*addr))
	return serveUI(ctx, s, p, reg, f, *addr)
}

func hostOf(addr string) string {
	if strings.HasPrefix(addr, ":") {
		return "127.0.0.1" + addr
	}
	return addr
}
