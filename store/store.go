// Package store keeps tidewatch's posts, their earlier versions and
// entities, the crawler's state between runs and the record of each run, in
// one SQLite file. The store is the source of truth; the search index is
// derived from it.
//
// The posts table is a public contract: analysts query the file directly.
// Times are TEXT in UTC RFC 3339 ("2006-01-02T15:04:05Z"), so they sort as
// strings and SQLite's date functions read them; lists are JSON arrays.
//
// A Store has one writer connection (SQLite allows one writer at a time, and
// serialising in the process avoids SQLITE_BUSY) and a small pool of
// read-only connections; in WAL mode readers never block the writer.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // driver "sqlite"
)

// ErrNotFound is returned by Get for an id the store does not hold.
var ErrNotFound = errors.New("store: not found")

// Error is a failed store operation.
type Error struct {
	Op      string // "store.Upsert"
	Subject string // a post id, source or path; may be empty
	Err     error
}

func (e *Error) Error() string {
	if e.Subject == "" {
		return e.Op + ": " + e.Err.Error()
	}
	return e.Op + " " + e.Subject + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

func wrap(op, subject string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Op: op, Subject: subject, Err: err}
}

// Store is an open tidewatch database. Its methods are safe for concurrent use.
type Store struct {
	path string
	w    *sql.DB // the one writer connection
	r    *sql.DB // read-only pool
}

// busyTimeout is how long a connection waits for another process's lock
// (an analyst's long query, a reindex) before failing with SQLITE_BUSY.
const busyTimeout = 10 * time.Second

// Open opens the database at path, creating it with mode 0600 if absent
// (an existing file is narrowed to 0600), and migrates its schema.
//
// WAL with synchronous=NORMAL: a committed transaction survives the process
// being killed at any point; only an OS crash or power loss can roll back the
// last few commits, never corrupt the file (https://sqlite.org/wal.html).
func Open(ctx context.Context, path string) (*Store, error) {
	const op = "store.Open"
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, wrap(op, path, errors.New("want a file path without '?' or '#'"))
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, wrap(op, path, err)
	}
	err = f.Chmod(0o600)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, wrap(op, path, err)
	}

	params := fmt.Sprintf("_busy_timeout=%d&_foreign_keys=1&_journal_mode=WAL&_synchronous=NORMAL",
		busyTimeout.Milliseconds())
	w, err := sql.Open("sqlite", path+"?"+params+"&_txlock=immediate")
	if err != nil {
		return nil, wrap(op, path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	s := &Store{path: path, w: w}
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, wrap(op, path, err)
	}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, wrap(op, path, err)
	}
	r, err := sql.Open("sqlite", path+"?"+params+"&_query_only=1")
	if err != nil {
		w.Close()
		return nil, wrap(op, path, err)
	}
	n := max(2, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s.r = r
	return s, nil
}

// Close closes the database. A checkpoint folds the WAL back into the file,
// so that a copy of tidewatch.db alone is complete.
func (s *Store) Close() error {
	_, cerr := s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	err := errors.Join(s.r.Close(), s.w.Close())
	if err == nil && cerr != nil {
		err = cerr
	}
	return wrap("store.Close", s.path, err)
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// SchemaVersion is the number of migrations applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.r.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_version").Scan(&v)
	return v, wrap("store.SchemaVersion", s.path, err)
}

// IntegrityCheck runs SQLite's integrity_check and returns nil when it
// reports "ok".
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.r.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return wrap("store.IntegrityCheck", s.path, err)
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return wrap("store.IntegrityCheck", s.path, err)
		}
		msgs = append(msgs, m)
	}
	if err := rows.Err(); err != nil {
		return wrap("store.IntegrityCheck", s.path, err)
	}
	if len(msgs) == 1 && msgs[0] == "ok" {
		return nil
	}
	return wrap("store.IntegrityCheck", s.path, errors.New(strings.Join(msgs, "; ")))
}

// migrate applies the migrations the database has not seen, in order, each
// in its own transaction with its schema_version row.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version INTEGER PRIMARY KEY,
		applied TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var have int
	if err := s.w.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_version").Scan(&have); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if have > len(migrations) {
		return fmt.Errorf("migrate: database schema version %d is newer than this tidewatch (%d)", have, len(migrations))
	}
	for v := have + 1; v <= len(migrations); v++ {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations[v-1]); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_version (version, applied) VALUES (?, ?)",
				v, formatTime(time.Now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %d: %w", v, err)
		}
	}
	return nil
}

// tx runs f in a write transaction, committing if it returns nil.
func (s *Store) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// timeFormat is RFC 3339 in UTC with whole seconds: fixed width, so that
// times sort as strings, and read by SQLite's date functions.
const timeFormat = "2006-01-02T15:04:05Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// nullTime is NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad time %q: %w", s.String, err)
	}
	return t.UTC(), nil
}
