package main

import (
	"context"
	"fmt"
	"time"

	"tidewatch/pipeline"
)

// runReindex rebuilds the search index from the store.
func runReindex(ctx context.Context, s streams, args []string) error {
	fs, data := newFlags("reindex", s)
	fs.Usage = func() {
		fmt.Fprintln(s.err, "usage: tidewatch reindex [--data DIR]\n\nRebuilds the search index from the store; the old index serves until the new one is complete.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: reindex takes no arguments, got %q", errUsage, fs.Args())
	}
	start := time.Now()
	p, err := pipeline.Open(ctx, *data, pipeline.Options{SkipCatchUp: true})
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	n, err := p.Reindex(ctx)
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	fmt.Fprintf(s.out, "indexed %d posts in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
