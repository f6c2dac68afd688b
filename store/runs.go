package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Run is the record of one crawl of one source.
type Run struct {
	ID           int64 // set by the store
	Source       string
	Started      time.Time
	Finished     time.Time
	Completed    bool // false when the run stopped on an error (LastError says which)
	Pages        int
	PostsNew     int
	PostsSeen    int // already known, same text
	PostsChanged int
	Errors       map[string]int // page errors by reason
	LastError    string
}

// RecordRun stores the record of a finished run.
func (s *Store) RecordRun(ctx context.Context, r Run) error {
	const op = "store.RecordRun"
	if r.Source == "" {
		return wrap(op, "", errors.New("missing source"))
	}
	if r.Started.IsZero() || r.Finished.IsZero() {
		return wrap(op, r.Source, errors.New("missing started or finished time"))
	}
	errs := []byte("{}")
	if len(r.Errors) > 0 {
		errs, _ = json.Marshal(r.Errors) // map[string]int always marshals
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO runs (source, started, finished, completed, pages,
		posts_new, posts_seen, posts_changed, errors, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Source, formatTime(r.Started), formatTime(r.Finished), r.Completed, r.Pages,
		r.PostsNew, r.PostsSeen, r.PostsChanged, string(errs), r.LastError)
	return wrap(op, r.Source, err)
}

const runColumns = `id, source, started, finished, completed, pages, posts_new, posts_seen,
	posts_changed, errors, last_error`

// Runs returns up to limit runs of a source ("" for every source), newest first.
func (s *Store) Runs(ctx context.Context, source string, limit int) ([]Run, error) {
	const op = "store.Runs"
	if limit <= 0 {
		return nil, wrap(op, source, fmt.Errorf("limit %d: want at least 1", limit))
	}
	rows, err := s.r.QueryContext(ctx, "SELECT "+runColumns+` FROM runs
		WHERE ? = '' OR source = ? ORDER BY started DESC, id DESC LIMIT ?`, source, source, limit)
	if err != nil {
		return nil, wrap(op, source, err)
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, wrap(op, source, err)
		}
		runs = append(runs, r)
	}
	return runs, wrap(op, source, rows.Err())
}

type scanner interface{ Scan(dest ...any) error }

func scanRun(row scanner) (Run, error) {
	var r Run
	var started, finished sql.NullString
	var errs string
	if err := row.Scan(&r.ID, &r.Source, &started, &finished, &r.Completed, &r.Pages,
		&r.PostsNew, &r.PostsSeen, &r.PostsChanged, &errs, &r.LastError); err != nil {
		return r, err
	}
	var err error
	if r.Started, err = parseTime(started); err != nil {
		return r, err
	}
	if r.Finished, err = parseTime(finished); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(errs), &r.Errors); err != nil {
		return r, fmt.Errorf("run %d: bad errors JSON %q: %w", r.ID, errs, err)
	}
	if len(r.Errors) == 0 {
		r.Errors = nil
	}
	return r, nil
}

// SourceSummary is what `tidewatch sources` shows for one source.
type SourceSummary struct {
	Source        string
	LastRun       *Run      // nil if never run
	LastSuccess   time.Time // finish of the last completed run; zero if none
	LastError     string    // the newest non-empty last_error of any run
	LastErrorAt   time.Time
	Runs          int
	Pages         int
	PostsNew      int
	PostsSeen     int
	PostsChanged  int
	Errors        int // page errors, all reasons
	Posts         int // posts from this source now in the store
	PendingRetry  int // URLs waiting to be tried again
	Cursor        string
	CursorUpdated time.Time
}

// SourceSummaries summarises every source that has run, holds posts or
// has state, sorted by name.
func (s *Store) SourceSummaries(ctx context.Context) ([]SourceSummary, error) {
	const op = "store.SourceSummaries"
	rows, err := s.r.QueryContext(ctx, `
		WITH names AS (
			SELECT source FROM runs UNION SELECT source FROM posts
			UNION SELECT source FROM source_state UNION SELECT source FROM retries
		)
		SELECT n.source,
			COALESCE(r.runs, 0), COALESCE(r.pages, 0), COALESCE(r.posts_new, 0),
			COALESCE(r.posts_seen, 0), COALESCE(r.posts_changed, 0),
			(SELECT MAX(finished) FROM runs WHERE source = n.source AND completed),
			(SELECT COUNT(*) FROM posts WHERE source = n.source),
			(SELECT COUNT(*) FROM retries WHERE source = n.source),
			COALESCE(st.cursor, ''), st.updated
		FROM names n
		LEFT JOIN (SELECT source, COUNT(*) AS runs, SUM(pages) AS pages, SUM(posts_new) AS posts_new,
			SUM(posts_seen) AS posts_seen, SUM(posts_changed) AS posts_changed
			FROM runs GROUP BY source) r ON r.source = n.source
		LEFT JOIN source_state st ON st.source = n.source
		ORDER BY n.source`)
	if err != nil {
		return nil, wrap(op, "", err)
	}
	var sums []SourceSummary
	err = func() error {
		defer rows.Close()
		for rows.Next() {
			var m SourceSummary
			var success, updated sql.NullString
			if err := rows.Scan(&m.Source, &m.Runs, &m.Pages, &m.PostsNew, &m.PostsSeen, &m.PostsChanged,
				&success, &m.Posts, &m.PendingRetry, &m.Cursor, &updated); err != nil {
				return err
			}
			var err error
			if m.LastSuccess, err = parseTime(success); err != nil {
				return err
			}
			if m.CursorUpdated, err = parseTime(updated); err != nil {
				return err
			}
			sums = append(sums, m)
		}
		return rows.Err()
	}()
	if err != nil {
		return nil, wrap(op, "", err)
	}
	// Per source: the last run, the newest error, and the page errors,
	// which are JSON and summed here rather than in SQL.
	for i := range sums {
		m := &sums[i]
		last, err := s.Runs(ctx, m.Source, 1)
		if err != nil {
			return nil, err
		}
		if len(last) == 1 {
			m.LastRun = &last[0]
		}
		var at sql.NullString
		err = s.r.QueryRowContext(ctx, `SELECT last_error, finished FROM runs
			WHERE source = ? AND last_error != '' ORDER BY started DESC, id DESC LIMIT 1`, m.Source).
			Scan(&m.LastError, &at)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, wrap(op, m.Source, err)
		}
		if m.LastErrorAt, err = parseTime(at); err != nil {
			return nil, wrap(op, m.Source, err)
		}
		err = s.r.QueryRowContext(ctx, `SELECT COALESCE(SUM(e.value), 0)
			FROM runs, json_each(runs.errors) e WHERE runs.source = ?`, m.Source).Scan(&m.Errors)
		if err != nil {
			return nil, wrap(op, m.Source, err)
		}
	}
	return sums, nil
}
