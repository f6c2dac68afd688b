package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"tidewatch/pipeline"
	"tidewatch/seeds"
	"tidewatch/store"
)

// sourceRow is one line of `tidewatch sources`.
type sourceRow struct {
	Name         string    `json:"name"`
	Kind         string    `json:"kind"`
	Schedule     string    `json:"schedule"`
	LastRun      time.Time `json:"last_run,omitzero"`
	LastSuccess  time.Time `json:"last_success,omitzero"`
	NextRun      time.Time `json:"next_run"`
	Runs         int       `json:"runs"`
	Pages        int       `json:"pages"`
	Posts        int       `json:"posts"`
	PostsNew     int       `json:"posts_new"`
	PostsChanged int       `json:"posts_changed"`
	Errors       int       `json:"errors"`
	PendingRetry int       `json:"pending_retry"`
	LastError    string    `json:"last_error,omitempty"`
}

// runSources is `tidewatch sources --seeds FILE`: each source's schedule,
// last run, next run, counts and errors, read from the store.
func runSources(ctx context.Context, s streams, args []string) error {
	fset, data := newFlags("sources", s)
	seedsFile := fset.String("seeds", "", "seeds file (YAML) naming the sources")
	asJSON := fset.Bool("json", false, "print JSON instead of a table")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if *seedsFile == "" {
		return fmt.Errorf("%w: sources needs --seeds FILE", errUsage)
	}
	f, err := seeds.Load(*seedsFile)
	if err != nil {
		return err
	}
	sums := map[string]store.SourceSummary{}
	db := filepath.Join(*data, pipeline.DBFile)
	if _, err := os.Stat(db); err == nil {
		st, err := store.Open(ctx, db)
		if err != nil {
			return err
		}
		defer st.Close()
		list, err := st.SourceSummaries(ctx)
		if err != nil {
			return err
		}
		for _, sum := range list {
			sums[sum.Source] = sum
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	now := time.Now().UTC()
	rows := make([]sourceRow, 0, len(f.Sources))
	for _, src := range f.Sources {
		r := sourceRow{Name: src.Name, Kind: src.Kind, Schedule: src.Schedule}
		if sched, err := seeds.ParseSchedule(src.Schedule); err == nil {
			r.NextRun = sched.Next(now)
		}
		if sum, ok := sums[src.Name]; ok {
			if sum.LastRun != nil {
				r.LastRun = sum.LastRun.Started
			}
			r.LastSuccess = sum.LastSuccess
			r.Runs, r.Pages, r.Posts = sum.Runs, sum.Pages, sum.Posts
			r.PostsNew, r.PostsChanged, r.Errors = sum.PostsNew, sum.PostsChanged, sum.Errors
			r.PendingRetry, r.LastError = sum.PendingRetry, sum.LastError
		}
		rows = append(rows, r)
	}
	if *asJSON {
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tKIND\tSCHEDULE\tLAST RUN\tLAST SUCCESS\tNEXT RUN\tRUNS\tPAGES\tPOSTS\tERRORS\tRETRY\tLAST ERROR")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", r.Name, r.Kind, r.Schedule,
			when(r.LastRun), when(r.LastSuccess), when(r.NextRun), r.Runs, r.Pages, r.Posts, r.Errors, r.PendingRetry, clip(r.LastError, 60))
	}
	return tw.Flush()
}

func when(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
