package main

import (
	"context"
	"fmt"

	"tidewatch/demosite"
)

// runDemosite serves the platform stand-ins alone until ctx is cancelled:
// tidewatch demosite [--addr 127.0.0.1:8081].
func runDemosite(ctx context.Context, s streams, args []string) error {
	fs, _ := newFlags("demosite", s) // --data is accepted and ignored: demosite keeps no data
	addr := fs.String("addr", "127.0.0.1:8081", "address to listen on (port 0 picks a free one)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: tidewatch demosite [--addr HOST:PORT]\n\nServes local stand-ins of a Telegram channel preview, a forum, RSS and Atom feeds\nand a Mastodon API, for the demo, tests and benchmarks.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: demosite takes no arguments, got %q", errUsage, fs.Args())
	}
	base, stop, err := demosite.Listen(ctx, *addr)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(s.out, "demosite: serving on %s (Ctrl-C to stop)\n", base)
	fmt.Fprintf(s.out, "  telegram  %s/s/uk_safe_trip\n  forum     %s/forum/\n  feeds     %s/feeds/classifieds.rss %s/feeds/news.atom\n  mastodon  %s/api/v1/timelines/tag/smallboats\n",
		base, base, base, base, base)
	<-ctx.Done()
	return nil
}
