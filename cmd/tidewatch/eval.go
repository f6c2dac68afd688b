package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"tidewatch/classify"
)

// runEval evaluates the classifier on labelled JSON lines
// {"id","text","label"[,"lang","kind"]} in a file or in every *.jsonl of a
// directory: precision, recall and F1 overall, per language and per kind,
// false-positive rates, language identification and a precision/recall
// curve. --json prints the report as JSON; --plot writes the curve as SVG.
func runEval(ctx context.Context, s streams, args []string) error {
	fs, _ := newFlags("eval", s)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	plot := fs.String("plot", "", "write the precision/recall curve to this SVG file")
	fs.Usage = func() {
		fmt.Fprintln(s.err, "usage: tidewatch eval FILE|DIR [--json] [--plot FILE.svg]")
		fs.PrintDefaults()
	}
	// Flags may follow the file name: parse until every argument is used.
	var paths []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		paths = append(paths, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(paths) != 1 {
		fs.Usage()
		return fmt.Errorf("%w: eval wants one FILE or DIR, got %d", errUsage, len(paths))
	}
	exs, err := classify.ReadExamples(paths[0])
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if len(exs) == 0 {
		return fmt.Errorf("eval: %s: no labelled posts", paths[0])
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := classify.New(classify.Options{})
	if err != nil {
		return err
	}
	rep := classify.Evaluate(c, exs)
	if *plot != "" {
		f, err := os.Create(*plot)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		err = rep.WriteSVG(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("eval: writing %s: %w", *plot, err)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.WriteText(s.out)
}
