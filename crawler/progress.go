package crawler

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// Progress is a run's state after a page, and once more at its end with
// Done set.
type Progress struct {
	Source    string
	URL       string // the page just read
	Pages     int
	MaxPages  int // the page budget
	PostsNew  int
	PostsSeen int
	Errors    int
	Done      bool
	Stats     *Stats // at the end only
	Err       error  // at the end only: why the run failed, if it did
}

// ProgressWriter shows the progress of crawls: on a terminal, a live bar
// per source redrawn in place; elsewhere, one log line per page and per
// finished run. Pass its Update as Options.Progress.
type ProgressWriter struct {
	w    io.Writer
	term bool
	log  *slog.Logger

	mu    sync.Mutex
	order []string
	last  map[string]Progress
	drawn int // lines drawn last time, to move back over
}

// NewProgressWriter writes to w; isTerminal chooses bars or log lines.
func NewProgressWriter(w io.Writer, isTerminal bool) *ProgressWriter {
	return &ProgressWriter{
		w:    w,
		term: isTerminal,
		log:  slog.New(slog.NewTextHandler(w, nil)),
		last: make(map[string]Progress),
	}
}

// Update records p and shows it.
func (pw *ProgressWriter) Update(p Progress) {
	pw.mu.Lock()
	defer pw.mu.Unlock()
	if _, ok := pw.last[p.Source]; !ok {
		pw.order = append(pw.order, p.Source)
	}
	pw.last[p.Source] = p
	if !pw.term {
		if p.Done {
			args := []any{"source", p.Source, "pages", p.Pages, "new", p.PostsNew, "seen", p.PostsSeen, "errors", p.Errors}
			if p.Err != nil {
				args = append(args, "err", p.Err.Error())
			}
			pw.log.Info("crawl finished", args...)
		} else {
			pw.log.Info("page", "source", p.Source, "url", p.URL, "pages", p.Pages, "new", p.PostsNew, "seen", p.PostsSeen, "errors", p.Errors)
		}
		return
	}
	var b strings.Builder
	if pw.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", pw.drawn) // back to the first bar
	}
	width := 0
	for _, name := range pw.order {
		width = max(width, len(name))
	}
	for _, name := range pw.order {
		b.WriteString("\r\x1b[2K")
		b.WriteString(bar(pw.last[name], width))
		b.WriteByte('\n')
	}
	pw.drawn = len(pw.order)
	io.WriteString(pw.w, b.String())
}

// bar renders one source's line.
func bar(p Progress, width int) string {
	const cells = 24
	filled := cells
	if !p.Done && p.MaxPages > 0 {
		filled = min(p.Pages*cells/p.MaxPages, cells)
	}
	state := ""
	switch {
	case p.Done && p.Err != nil:
		state = "  failed"
	case p.Done:
		state = "  done"
	}
	return fmt.Sprintf("%-*s [%s%s] %3d/%-3d pages  %5d new  %5d seen  %3d errors%s",
		width, p.Source, strings.Repeat("#", filled), strings.Repeat(".", cells-filled),
		p.Pages, p.MaxPages, p.PostsNew, p.PostsSeen, p.Errors, state)
}

// Summary writes a table of finished runs.
func (pw *ProgressWriter) Summary(stats []Stats) {
	pw.mu.Lock()
	defer pw.mu.Unlock()
	WriteSummary(pw.w, stats)
}

// WriteSummary writes a table of runs: one row per source with its
// counts, its errors by reason and the last error.
func WriteSummary(w io.Writer, stats []Stats) {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tPAGES\tNEW\tSEEN\tERRORS\tTOOK\tLAST ERROR")
	var pages, nw, seen, errs int
	for _, s := range stats {
		took := s.Finished.Sub(s.Started).Round(time.Millisecond)
		pagesCol := strconv.Itoa(s.Pages)
		if s.Truncated {
			pagesCol += "+"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\n", s.Source, pagesCol, s.PostsNew, s.PostsSeen,
			errorsByReason(s.Errors), took, oneLineError(s.LastError))
		pages += s.Pages
		nw += s.PostsNew
		seen += s.PostsSeen
		errs += s.ErrorCount()
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%d\t\t\n", pages, nw, seen, errs)
	tw.Flush()
	for line := range strings.Lines(buf.String()) {
		io.WriteString(w, strings.TrimRight(line, " \n")+"\n")
	}
}

// errorsByReason renders {"timeout":2,"http_404":1} as "http_404=1 timeout=2".
func errorsByReason(m map[string]int) string {
	if len(m) == 0 {
		return "0"
	}
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strconv.Itoa(m[k])
	}
	return strings.Join(parts, " ")
}

func oneLineError(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = strings.ToValidUTF8(s[:117], "") + "..."
	}
	return s
}
