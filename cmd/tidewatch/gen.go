package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"tidewatch/synth"
)

// runGen writes synthetic posts as JSON lines, for benchmarks.
func runGen(ctx context.Context, s streams, args []string) error {
	fs, _ := newFlags("gen", s) // --data is accepted and unused
	posts := fs.Int("posts", 1000, "number of posts")
	seed := fs.Uint64("seed", 1, "random seed; the same seed writes the same posts")
	out := fs.String("out", "", "output file (default standard output)")
	fs.Usage = func() {
		fmt.Fprintln(s.err, "usage: tidewatch gen --posts N [--seed S] [--out FILE]\n\nWrites synthetic multilingual posts as JSON lines.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("gen: %w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("gen: %w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if *posts < 0 {
		return fmt.Errorf("gen: %w: --posts %d: must not be negative", errUsage, *posts)
	}
	w := s.out
	var f *os.File
	if *out != "" {
		var err error
		f, err = os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return fmt.Errorf("gen: %w", err)
		}
		defer f.Close()
		w = f
	}
	if err := writePosts(ctx, w, synth.New(synth.Options{Seed: *seed}), *posts); err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return fmt.Errorf("gen: %w", err)
		}
	}
	return nil
}

func writePosts(ctx context.Context, w io.Writer, g *synth.Generator, n int) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range n {
		if i%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := enc.Encode(g.Next()); err != nil {
			return err
		}
	}
	return bw.Flush()
}
