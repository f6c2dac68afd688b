package main

import (
	"context"
	"fmt"
	"time"

	"tidewatch/pipeline"
)

// runRescore scores again the stored posts that another classifier version
// scored, and indexes those whose classification changed.
func runRescore(ctx context.Context, s streams, args []string) error {
	fs, data := newFlags("rescore", s)
	fs.Usage = func() {
		fmt.Fprintln(s.err, "usage: tidewatch rescore [--data DIR]\n\nScores again every stored post that an older classifier (lexicons, model, thresholds or code) scored,\nand indexes the posts whose language, score, label or entities changed. Text and evidence are untouched.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: rescore takes no arguments, got %q", errUsage, fs.Args())
	}
	start := time.Now()
	p, err := pipeline.Open(ctx, *data, pipeline.Options{})
	if err != nil {
		return fmt.Errorf("rescore: %w", err)
	}
	var last pipeline.RescoreProgress
	_, err = p.Rescore(ctx, func(pr pipeline.RescoreProgress) { last = pr })
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("rescore: %w", err)
	}
	fmt.Fprintf(s.out, "scored %d posts again (classifier %s): %d changed, in %s\n",
		last.Done, p.Classifier().Version(), last.Changed, time.Since(start).Round(time.Millisecond))
	return nil
}
