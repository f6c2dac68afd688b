package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// The methods in this file are what the crawler remembers between runs
// (crawler.State).

// Cursor is the newest post position seen for a source, "" if none.
func (s *Store) Cursor(ctx context.Context, source string) (string, error) {
	var c string
	err := s.r.QueryRowContext(ctx, "SELECT cursor FROM source_state WHERE source = ?", source).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return c, wrap("store.Cursor", source, err)
}

// SetCursor records the newest post position seen for a source.
func (s *Store) SetCursor(ctx context.Context, source, cursor string) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO source_state (source, cursor, updated) VALUES (?, ?, ?)
		ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated = excluded.updated`,
		source, cursor, formatTime(time.Now()))
	return wrap("store.SetCursor", source, err)
}

// Retries lists the URLs of a source whose fetch failed and must be tried
// again, oldest failure first.
func (s *Store) Retries(ctx context.Context, source string) ([]string, error) {
	const op = "store.Retries"
	rows, err := s.r.QueryContext(ctx, "SELECT url FROM retries WHERE source = ? ORDER BY first_failed, url", source)
	if err != nil {
		return nil, wrap(op, source, err)
	}
	defer rows.Close()
	var urls []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, wrap(op, source, err)
		}
		urls = append(urls, u)
	}
	return urls, wrap(op, source, rows.Err())
}

// SetRetry records a failed fetch; a URL that failed before has its attempts
// counted up and its reason replaced.
func (s *Store) SetRetry(ctx context.Context, source, url, reason string) error {
	now := formatTime(time.Now())
	_, err := s.w.ExecContext(ctx, `INSERT INTO retries (source, url, reason, first_failed, last_failed, attempts)
		VALUES (?, ?, ?, ?, ?, 1)
		ON CONFLICT (source, url) DO UPDATE SET reason = excluded.reason,
			last_failed = excluded.last_failed, attempts = attempts + 1`,
		source, url, reason, now, now)
	return wrap("store.SetRetry", source+" "+url, err)
}

// ClearRetry forgets a failed fetch once it has succeeded.
func (s *Store) ClearRetry(ctx context.Context, source, url string) error {
	_, err := s.w.ExecContext(ctx, "DELETE FROM retries WHERE source = ? AND url = ?", source, url)
	return wrap("store.ClearRetry", source+" "+url, err)
}

// Retry is a failed fetch waiting to be tried again.
type Retry struct {
	Source      string
	URL         string
	Reason      string
	FirstFailed time.Time
	LastFailed  time.Time
	Attempts    int
}

// RetryDetails lists a source's failed fetches with their reasons and
// attempts, for `tidewatch sources`.
func (s *Store) RetryDetails(ctx context.Context, source string) ([]Retry, error) {
	const op = "store.RetryDetails"
	rows, err := s.r.QueryContext(ctx, `SELECT source, url, reason, first_failed, last_failed, attempts
		FROM retries WHERE source = ? ORDER BY first_failed, url`, source)
	if err != nil {
		return nil, wrap(op, source, err)
	}
	defer rows.Close()
	var rs []Retry
	for rows.Next() {
		var r Retry
		var first, last sql.NullString
		if err := rows.Scan(&r.Source, &r.URL, &r.Reason, &first, &last, &r.Attempts); err != nil {
			return nil, wrap(op, source, err)
		}
		if r.FirstFailed, err = parseTime(first); err != nil {
			return nil, wrap(op, source, err)
		}
		if r.LastFailed, err = parseTime(last); err != nil {
			return nil, wrap(op, source, err)
		}
		rs = append(rs, r)
	}
	return rs, wrap(op, source, rows.Err())
}
