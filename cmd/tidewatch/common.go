package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"golang.org/x/term"
)

// defaultData is the data directory when --data is not given.
const defaultData = "./data"

// newFlags returns a flag set for a command that reports errors rather
// than exiting, with --data already defined.
func newFlags(name string, s streams) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(s.err)
	data := fs.String("data", defaultData, "data directory (SQLite store, index, WARC evidence)")
	return fs, data
}

// parseFlags parses args and turns a flag error into a usage error. After
// -h it returns flag.ErrHelp, so that the command stops there; run treats
// that as success.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return fmt.Errorf("%w: %s: %v", errUsage, fs.Name(), err)
	}
	return nil
}

// isTerminal reports whether w is a terminal, for progress bars and tables.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// logger logs to w as text; it never receives post text.
func logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
