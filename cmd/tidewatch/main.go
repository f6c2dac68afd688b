// Command tidewatch crawls public posts on a schedule, scores those that
// advertise illegal crossings, and serves them to analysts and referral
// officers. See README.md for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// streams are a command's standard input, output and error, so that tests
// can run commands without a process.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

type command struct {
	name, usage string
	run         func(ctx context.Context, s streams, args []string) error
}

// commands is the CLI contract of DESIGN.md; scripts and tests call it.
var commands = []command{
	{"demo", "start demosite, crawl it with the demo seeds, serve the UI", runDemo},
	{"demosite", "serve the platform stand-ins alone", runDemosite},
	{"serve", "scheduler + web UI + JSON API + /metrics + /healthz", runServe},
	{"crawl", "one crawl now", runCrawl},
	{"sources", "each source's schedule, last and next run, counts and errors", runSources},
	{"classify", "JSON lines {id,text} on stdin -> scores on stdout", runClassify},
	{"eval", "precision, recall and F1 of a labelled file", runEval},
	{"search", "search the index", runSearch},
	{"reindex", "rebuild the index from the store", runReindex},
	{"rescore", "score again the posts an older classifier scored", runRescore},
	{"evidence", "evidence verify: recheck every WARC digest", runEvidence},
	{"gen", "synthetic multilingual posts for benchmarks", runGen},
}

// errUsage marks errors that are the caller's to fix; they exit with 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, streams{os.Stdin, os.Stdout, os.Stderr}, os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "tidewatch:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, s streams, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(s.out)
		if len(args) == 0 {
			return fmt.Errorf("%w: name a command", errUsage)
		}
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			if err := c.run(ctx, s, args[1:]); !errors.Is(err, flag.ErrHelp) {
				return err
			}
			return nil // -h printed the command's flags
		}
	}
	printUsage(s.err)
	return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: tidewatch COMMAND [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nEvery command takes --data DIR (default ./data). Run tidewatch COMMAND -h for its flags.")
}
