package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"tidewatch/evidence"
)

const evidenceUsage = `usage: tidewatch evidence verify [--data DIR]

Reads every WARC file in DIR/warc and recomputes the block and payload
digest of every record. Exits 1 if a digest does not match or a file
cannot be read to its end (as after a crash while writing).`

// runEvidence runs "evidence verify".
func runEvidence(ctx context.Context, s streams, args []string) error {
	flags := flag.NewFlagSet("evidence verify", flag.ContinueOnError)
	flags.SetOutput(s.err)
	data := flags.String("data", "./data", "data directory")
	flags.Usage = func() {
		fmt.Fprintln(s.err, evidenceUsage)
		flags.PrintDefaults()
	}
	// The subcommand may come before or after the flags.
	var sub string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("%w: evidence: %v", errUsage, err)
	}
	rest := flags.Args()
	if sub == "" && len(rest) > 0 {
		sub = rest[0]
		if err := flags.Parse(rest[1:]); err != nil {
			return fmt.Errorf("%w: evidence: %v", errUsage, err)
		}
		rest = flags.Args()
	}
	switch {
	case sub == "":
		flags.Usage()
		return fmt.Errorf("%w: evidence: name a subcommand (verify)", errUsage)
	case sub != "verify":
		return fmt.Errorf("%w: evidence: unknown subcommand %q (want verify)", errUsage, sub)
	case len(rest) > 0:
		return fmt.Errorf("%w: evidence verify takes no arguments, got %q", errUsage, rest)
	}

	dir := filepath.Join(*data, "warc")
	rep, err := evidence.Verify(ctx, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("evidence verify: no WARC directory %s (nothing captured yet, or the wrong --data)", dir)
	}
	if err != nil {
		return fmt.Errorf("evidence verify: %w", err)
	}

	// plural formats n and noun, adding "s" or "es" when n is not 1.
	plural := func(n int, noun string) string {
		switch {
		case n == 1:
			return "1 " + noun
		case strings.HasSuffix(noun, "ch"):
			return fmt.Sprintf("%d %ses", n, noun)
		}
		return fmt.Sprintf("%d %ss", n, noun)
	}
	unreadable := 0
	for _, f := range rep.Files {
		if f.Err != nil {
			unreadable++
		}
	}
	fmt.Fprintf(s.out, "%s: %s, %s: %d OK, %s, %s",
		dir, plural(len(rep.Files), "file"), plural(rep.Records, "record"), rep.OK,
		plural(len(rep.Mismatches), "mismatch"), plural(unreadable, "unreadable file"))
	if rep.Unchecked > 0 {
		fmt.Fprintf(s.out, ", %d without a digest to check", rep.Unchecked)
	}
	fmt.Fprintln(s.out)
	for _, m := range rep.Mismatches {
		url := m.URL
		if url == "" {
			url = "-"
		}
		fmt.Fprintf(s.out, "MISMATCH %s %s %s\n  %s expected %s\n  %*s actual   %s\n",
			m.File, m.RecordID, url, m.Field, m.Want, len(m.Field), "", m.Got)
	}
	for _, f := range rep.Files {
		if f.Err != nil {
			fmt.Fprintf(s.out, "UNREADABLE %s after %s: %v\n", f.Name, plural(f.Records, "record"), f.Err)
		}
	}
	if len(rep.Mismatches) > 0 || unreadable > 0 {
		return fmt.Errorf("evidence verify: %s, %s", plural(len(rep.Mismatches), "digest mismatch"), plural(unreadable, "unreadable file"))
	}
	return nil
}
