package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"

	"tidewatch/classify"
)

// classifyInput is one line of `tidewatch classify` input.
type classifyInput struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// classifyOutput is one line of `tidewatch classify` output: the input's
// id and the classification.
type classifyOutput struct {
	ID string `json:"id"`
	classify.Result
}

// maxLine bounds one input line; posts are far shorter.
const maxLine = 16 << 20

// runClassify reads JSON lines {"id","text"} and writes one JSON line per
// input with the language, score, label, indicators and entities. A line
// that is not a JSON object is reported on stderr with its number and
// skipped; the rest are still classified, and the command then fails.
func runClassify(ctx context.Context, s streams, args []string) error {
	fs, _ := newFlags("classify", s)
	fs.Usage = func() {
		fmt.Fprintln(s.err, "usage: tidewatch classify [--data DIR] < posts.jsonl > results.jsonl")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: classify takes no arguments, reads stdin", errUsage)
	}
	c, err := classify.New(classify.Options{})
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(s.in)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	w := bufio.NewWriter(s.out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	bad := 0
	for n := 1; sc.Scan(); n++ {
		if err := ctx.Err(); err != nil {
			w.Flush()
			return err
		}
		line := sc.Bytes()
		if len(trimSpace(line)) == 0 {
			continue
		}
		var in classifyInput
		if err := json.Unmarshal(line, &in); err != nil {
			fmt.Fprintf(s.err, "classify: line %d: not a JSON object {\"id\",\"text\"}: %v\n", n, err)
			bad++
			continue
		}
		if err := enc.Encode(classifyOutput{ID: in.ID, Result: c.Classify(in.Text)}); err != nil {
			return fmt.Errorf("classify: writing line %d: %w", n, err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("classify: writing: %w", err)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("classify: reading stdin: %w", err)
	}
	if bad > 0 {
		return fmt.Errorf("classify: %d input line(s) were not valid JSON (see above)", bad)
	}
	return nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
