package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "tidewatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func samplePost(id, text string) Post {
	return Post{
		ID:             id,
		Platform:       "telegram",
		Source:         "crossings",
		URL:            "https://t.me/" + strings.TrimPrefix(id, "telegram:"),
		Author:         "Channel",
		AuthorURL:      "https://t.me/channel",
		Text:           text,
		Published:      t0.Add(-time.Hour),
		Fetched:        t0,
		Lang:           "en",
		LangConfidence: 0.93,
		Langs:          []string{"en", "fr"},
		Score:          0.81,
		Label:          "advert",
		Explanation:    json.RawMessage(`{"indicators":[{"group":"price","term":"£"}],"entities":[],"explanation":"price"}`),
		TextHash:       "h:" + text,
		Capture:        Capture{File: "a.warc.gz", Record: "<urn:uuid:1>", Digest: "sha256:ab", Captured: t0},
		Links:          []string{"https://wa.me/447700900000"},
		Media:          []string{"https://cdn.example/1.jpg"},
		Forwarded:      "other",
		Entities:       []Entity{{"phone", "+447700900000"}, {"whatsapp", "+447700900000"}},
	}
}

func TestOpenCreatesPrivateFileAndMigrates(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tidewatch.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Upsert(ctx, []Post{samplePost("telegram:c/1", "one")}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if m := fi.Mode().Perm(); m&0o077 != 0 {
			t.Errorf("%s mode = %v, want no group or other bits", filepath.Base(name), m)
		}
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(migrations) {
		t.Errorf("SchemaVersion = %d, %v; want %d", v, err, len(migrations))
	}
	var mode string
	if err := s.r.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var fk int
	if err := s.w.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v; want 1", fk, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Re-open: migrations are not applied twice, data stays.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("re-opened file mode = %v, want 0600", fi.Mode().Perm())
	}
	var rows int
	if err := s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_version").Scan(&rows); err != nil || rows != len(migrations) {
		t.Errorf("schema_version rows = %d, %v; want %d", rows, err, len(migrations))
	}
	if n, err := s.Count(ctx); err != nil || n != 1 {
		t.Errorf("Count after re-open = %d, %v; want 1", n, err)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	newer := filepath.Join(dir, "newer.db")
	s, err := Open(ctx, newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec("INSERT INTO schema_version (version, applied) VALUES (?, 'x')", len(migrations)+1); err != nil {
		t.Fatal(err)
	}
	s.Close()

	notDB := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("not a database\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		path, want string
	}{
		{"", `store.Open: want a file path without '?' or '#'`},
		{filepath.Join(dir, "a?b.db"), "want a file path without '?' or '#'"},
		{filepath.Join(dir, "missing", "x.db"), "no such file or directory"},
		{newer, fmt.Sprintf("database schema version %d is newer than this tidewatch (%d)", len(migrations)+1, len(migrations))},
		{notDB, "file is not a database"},
	} {
		s, err := Open(ctx, tt.path)
		if err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded, want error containing %q", tt.path, tt.want)
			continue
		}
		var se *Error
		if !errors.As(err, &se) || se.Op != "store.Open" {
			t.Errorf("Open(%q) error %v is not a *store.Error with Op store.Open", tt.path, err)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%q) error = %q, want it to contain %q", tt.path, err, tt.want)
		}
	}
}

func TestUpsertTransitions(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)

	// New.
	p1 := samplePost("telegram:c/1", "first text")
	p2 := samplePost("telegram:c/2", "second text")
	out, err := s.UpsertOutcomes(ctx, []Post{p1, p2})
	if err != nil {
		t.Fatal(err)
	}
	if want := []Outcome{New, New}; !reflect.DeepEqual(out, want) {
		t.Fatalf("first upsert = %v, want %v", out, want)
	}
	got, err := s.Get(ctx, p1.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := p1
	want.Version, want.Seq, want.FirstSeen, want.LastSeen = 1, 1, t0, t0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Get after insert:\n got %+v\nwant %+v", got, want)
	}

	// Known: same text hash; only last_seen moves, even when other fields differ.
	again := p1
	again.Fetched = t0.Add(time.Hour)
	again.Score = 0.1
	again.Author = "renamed"
	known, err := s.Upsert(ctx, []Post{again})
	if err != nil || !reflect.DeepEqual(known, []bool{true}) {
		t.Fatalf("Upsert same text = %v, %v; want [true]", known, err)
	}
	got, _ = s.Get(ctx, p1.ID)
	want.LastSeen = t0.Add(time.Hour)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Get after known:\n got %+v\nwant %+v", got, want)
	}
	// An older fetch does not move last_seen back.
	older := p1
	older.Fetched = t0.Add(-time.Hour)
	if _, err := s.Upsert(ctx, []Post{older}); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Get(ctx, p1.ID); !got.LastSeen.Equal(t0.Add(time.Hour)) {
		t.Errorf("LastSeen after older fetch = %v, want %v", got.LastSeen, t0.Add(time.Hour))
	}

	// Changed: the old text goes to post_versions, version+1, seq bumped.
	edit := samplePost("telegram:c/1", "first text, edited")
	edit.Fetched = t0.Add(2 * time.Hour)
	edit.Capture = Capture{File: "b.warc.gz", Record: "<urn:uuid:2>", Digest: "sha256:cd", Captured: edit.Fetched}
	edit.Entities = []Entity{{"telegram", "@boats"}}
	edit.Score, edit.Label = 0.4, "review"
	out, err = s.UpsertOutcomes(ctx, []Post{edit})
	if err != nil || !reflect.DeepEqual(out, []Outcome{Changed}) {
		t.Fatalf("Upsert edited = %v, %v; want [changed]", out, err)
	}
	got, _ = s.Get(ctx, p1.ID)
	wantEdit := edit
	wantEdit.Version, wantEdit.Seq, wantEdit.FirstSeen, wantEdit.LastSeen = 2, 3, t0, edit.Fetched
	if !reflect.DeepEqual(got, wantEdit) {
		t.Errorf("Get after change:\n got %+v\nwant %+v", got, wantEdit)
	}
	vs, err := s.Versions(ctx, p1.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantVs := []Version{{ID: p1.ID, Version: 1, Text: "first text", TextHash: "h:first text", Fetched: t0, Capture: p1.Capture}}
	if !reflect.DeepEqual(vs, wantVs) {
		t.Errorf("Versions:\n got %+v\nwant %+v", vs, wantVs)
	}
	// Entities were replaced.
	if ps, _ := s.PostsByEntity(ctx, "phone", "+447700900000"); len(ps) != 1 || ps[0].ID != p2.ID {
		t.Errorf("PostsByEntity(phone) = %v, want only %s", ids(ps), p2.ID)
	}
	if ps, _ := s.PostsByEntity(ctx, "telegram", "@boats"); len(ps) != 1 || ps[0].ID != p1.ID {
		t.Errorf("PostsByEntity(telegram) = %v, want only %s", ids(ps), p1.ID)
	}

	// Changed twice more, in one batch with a new post and a known one.
	e3 := edit
	e3.Text, e3.TextHash = "third", "h:third"
	p3 := samplePost("telegram:c/3", "three")
	out, err = s.UpsertOutcomes(ctx, []Post{e3, p3, p2})
	if want := []Outcome{Changed, New, Known}; err != nil || !reflect.DeepEqual(out, want) {
		t.Fatalf("mixed batch = %v, %v; want %v", out, err, want)
	}
	if vs, _ = s.Versions(ctx, p1.ID); len(vs) != 2 || vs[1].Version != 2 || vs[1].Text != "first text, edited" {
		t.Errorf("Versions after second change = %+v", vs)
	}
	if n, _ := s.MaxSeq(ctx); n != 5 {
		t.Errorf("MaxSeq = %d, want 5", n)
	}
	if n, _ := s.Count(ctx); n != 3 {
		t.Errorf("Count = %d, want 3", n)
	}
}

func TestUpsertDefaultsAndDuplicatesInBatch(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	p := Post{ID: "feed:x", Platform: "feed", Source: "f", URL: "https://f.example/x", Text: "hello", Fetched: t0}
	dup := p
	out, err := s.UpsertOutcomes(ctx, []Post{p, dup})
	if err != nil || !reflect.DeepEqual(out, []Outcome{New, Known}) {
		t.Fatalf("UpsertOutcomes = %v, %v; want [new known]", out, err)
	}
	got, err := s.Get(ctx, "feed:x")
	if err != nil {
		t.Fatal(err)
	}
	if got.TextHash != hashText("hello") || !got.Published.IsZero() || got.Explanation != nil ||
		got.Langs != nil || got.Links != nil || got.Entities != nil || got.Capture.Captured.IsZero() == false {
		t.Errorf("defaults: %+v", got)
	}
	// What analysts see: NULL published, JSON lists, RFC 3339 times.
	var published sql.NullString
	var fetched, langs, expl string
	if err := s.r.QueryRow("SELECT published, fetched, langs, explanation FROM posts WHERE id = 'feed:x'").
		Scan(&published, &fetched, &langs, &expl); err != nil {
		t.Fatal(err)
	}
	if published.Valid || fetched != "2026-03-01T12:00:00Z" || langs != "[]" || expl != "{}" {
		t.Errorf("columns: published=%v fetched=%q langs=%q explanation=%q", published, fetched, langs, expl)
	}
}

func TestUpsertRejects(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	good := samplePost("telegram:c/1", "x")
	for _, tt := range []struct {
		name string
		edit func(*Post)
		want string
	}{
		{"no id", func(p *Post) { p.ID = "" }, "store.Upsert: missing id"},
		{"blank fields", func(p *Post) { p.Platform, p.Source, p.URL = " ", "", "" }, "store.Upsert telegram:c/1: missing platform, source, url"},
		{"no fetched", func(p *Post) { p.Fetched = time.Time{} }, "store.Upsert telegram:c/1: missing fetched time"},
		{"bad json", func(p *Post) { p.Explanation = json.RawMessage("{nope") }, "store.Upsert telegram:c/1: explanation is not valid JSON"},
	} {
		bad := good
		tt.edit(&bad)
		_, err := s.Upsert(ctx, []Post{good, bad})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: Upsert error = %v, want %q", tt.name, err, tt.want)
		}
	}
	if n, _ := s.Count(ctx); n != 0 {
		t.Errorf("Count after rejected batches = %d, want 0", n)
	}
}

// A failure half-way through a batch stores none of it.
func TestUpsertIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.w.Exec(`CREATE TRIGGER boom BEFORE INSERT ON posts WHEN NEW.id = 'telegram:c/bad'
		BEGIN SELECT RAISE(ABORT, 'boom'); END`); err != nil {
		t.Fatal(err)
	}
	_, err := s.Upsert(ctx, []Post{samplePost("telegram:c/1", "a"), samplePost("telegram:c/bad", "b")})
	if err == nil || !strings.Contains(err.Error(), "store.Upsert telegram:c/bad: ") || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("Upsert error = %v, want one naming telegram:c/bad and boom", err)
	}
	if n, _ := s.Count(ctx); n != 0 {
		t.Errorf("Count = %d, want 0", n)
	}
	var seq int64
	if err := s.r.QueryRow("SELECT value FROM counters WHERE name = 'seq'").Scan(&seq); err != nil || seq != 0 {
		t.Errorf("seq counter = %d, %v; want 0", seq, err)
	}
	if _, err := s.Upsert(ctx, []Post{samplePost("telegram:c/1", "a")}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, "telegram:c/1"); got.Seq != 1 {
		t.Errorf("Seq after rollback = %d, want 1", got.Seq)
	}
}

func TestTextHashes(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	var batch []Post
	var ids []string
	for i := range 1203 {
		p := samplePost(fmt.Sprintf("telegram:c/%d", i), fmt.Sprint("text ", i))
		p.Entities = nil
		batch = append(batch, p)
		ids = append(ids, p.ID)
	}
	if _, err := s.Upsert(ctx, batch); err != nil {
		t.Fatal(err)
	}
	hs, err := s.TextHashes(ctx, append(ids, "telegram:none"))
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != len(ids) || hs["telegram:c/1202"] != "h:text 1202" || hs["telegram:c/0"] != "h:text 0" {
		t.Errorf("TextHashes: %d hashes, c/1202 %q", len(hs), hs["telegram:c/1202"])
	}
	if _, ok := hs["telegram:none"]; ok {
		t.Error("TextHashes has an unknown id")
	}
	if hs, err := s.TextHashes(ctx, nil); err != nil || len(hs) != 0 {
		t.Errorf("TextHashes(nil) = %v, %v", hs, err)
	}
}

func TestGetNotFound(t *testing.T) {
	s := openTest(t)
	_, err := s.Get(context.Background(), "telegram:none")
	if !errors.Is(err, ErrNotFound) || err.Error() != "store.Get telegram:none: store: not found" {
		t.Errorf("Get missing = %v, want ErrNotFound with op and id", err)
	}
	vs, err := s.Versions(context.Background(), "telegram:none")
	if err != nil || vs != nil {
		t.Errorf("Versions missing = %v, %v; want nil, nil", vs, err)
	}
}

func TestSinceAndMaxSeq(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if n, err := s.MaxSeq(ctx); err != nil || n != 0 {
		t.Errorf("MaxSeq empty = %d, %v", n, err)
	}
	var batch []Post
	for i := range 10 {
		batch = append(batch, samplePost(fmt.Sprintf("telegram:c/%d", i), fmt.Sprint("text ", i)))
	}
	if _, err := s.Upsert(ctx, batch); err != nil {
		t.Fatal(err)
	}
	// Change post 2: it moves to the end of the seq order.
	ch := batch[2]
	ch.Text, ch.TextHash = "changed", "h:changed"
	if _, err := s.Upsert(ctx, []Post{ch}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		after int64
		limit int
		want  []string
	}{
		{0, 3, []string{"telegram:c/0", "telegram:c/1", "telegram:c/3"}},
		{8, 5, []string{"telegram:c/8", "telegram:c/9", "telegram:c/2"}},
		{11, 5, nil},
	} {
		ps, err := s.Since(ctx, tt.after, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(ps); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Since(%d, %d) = %v, want %v", tt.after, tt.limit, got, tt.want)
		}
		for _, p := range ps {
			if len(p.Entities) != 2 {
				t.Errorf("Since: %s has entities %v, want 2", p.ID, p.Entities)
			}
		}
	}
	if _, err := s.Since(ctx, 0, 0); err == nil || err.Error() != "store.Since: limit 0: want at least 1" {
		t.Errorf("Since limit 0 error = %v", err)
	}
	if n, _ := s.MaxSeq(ctx); n != 11 {
		t.Errorf("MaxSeq = %d, want 11", n)
	}
	for after, want := range map[int64]int{0: 10, 8: 3, 11: 0} {
		if n, err := s.CountAfter(ctx, after); err != nil || n != want {
			t.Errorf("CountAfter(%d) = %d, %v; want %d", after, n, err, want)
		}
	}
}

func TestCrawlerState(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if c, err := s.Cursor(ctx, "a"); err != nil || c != "" {
		t.Errorf("Cursor unset = %q, %v", c, err)
	}
	for _, c := range []string{"100", "120"} {
		if err := s.SetCursor(ctx, "a", c); err != nil {
			t.Fatal(err)
		}
	}
	if c, err := s.Cursor(ctx, "a"); err != nil || c != "120" {
		t.Errorf("Cursor = %q, %v; want 120", c, err)
	}
	if c, _ := s.Cursor(ctx, "b"); c != "" {
		t.Errorf("Cursor of other source = %q", c)
	}

	if err := s.SetRetry(ctx, "a", "https://x/1", "timeout"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRetry(ctx, "a", "https://x/2", "status 503"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRetry(ctx, "a", "https://x/1", "status 502"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRetry(ctx, "b", "https://y/1", "timeout"); err != nil {
		t.Fatal(err)
	}
	if urls, err := s.Retries(ctx, "a"); err != nil || !reflect.DeepEqual(urls, []string{"https://x/1", "https://x/2"}) {
		t.Errorf("Retries(a) = %v, %v", urls, err)
	}
	rs, err := s.RetryDetails(ctx, "a")
	if err != nil || len(rs) != 2 {
		t.Fatalf("RetryDetails = %v, %v", rs, err)
	}
	if rs[0].Reason != "status 502" || rs[0].Attempts != 2 || rs[1].Attempts != 1 || rs[0].FirstFailed.IsZero() || rs[0].LastFailed.Before(rs[0].FirstFailed) {
		t.Errorf("RetryDetails = %+v", rs)
	}
	if err := s.ClearRetry(ctx, "a", "https://x/1"); err != nil {
		t.Fatal(err)
	}
	if err := s.ClearRetry(ctx, "a", "https://never"); err != nil {
		t.Errorf("ClearRetry of unknown URL = %v, want nil", err)
	}
	if urls, _ := s.Retries(ctx, "a"); !reflect.DeepEqual(urls, []string{"https://x/2"}) {
		t.Errorf("Retries(a) after clear = %v", urls)
	}
	if urls, _ := s.Retries(ctx, "none"); urls != nil {
		t.Errorf("Retries(none) = %v, want nil", urls)
	}
}

func TestRunsAndSummaries(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	runs := []Run{
		{Source: "a", Started: t0, Finished: t0.Add(time.Minute), Completed: true, Pages: 3, PostsNew: 10, PostsSeen: 2},
		{Source: "a", Started: t0.Add(time.Hour), Finished: t0.Add(time.Hour + time.Minute), Completed: true, Pages: 2,
			PostsSeen: 5, PostsChanged: 1, Errors: map[string]int{"status 503": 2, "timeout": 1}, LastError: "timeout: https://x/2"},
		{Source: "a", Started: t0.Add(2 * time.Hour), Finished: t0.Add(2*time.Hour + time.Second), Completed: false,
			Errors: map[string]int{"robots": 1}, LastError: "disallowed by robots.txt"},
		{Source: "b", Started: t0, Finished: t0.Add(time.Second), Completed: true, Pages: 1, PostsNew: 1},
	}
	for _, r := range runs {
		if err := s.RecordRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordRun(ctx, Run{Started: t0, Finished: t0}); err == nil || err.Error() != "store.RecordRun: missing source" {
		t.Errorf("RecordRun without source = %v", err)
	}
	if err := s.RecordRun(ctx, Run{Source: "a"}); err == nil || err.Error() != "store.RecordRun a: missing started or finished time" {
		t.Errorf("RecordRun without times = %v", err)
	}
	got, err := s.Runs(ctx, "a", 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []Run{runs[2], runs[1], runs[0]}
	for i := range want {
		want[i].ID = int64(3 - i)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Runs(a):\n got %+v\nwant %+v", got, want)
	}
	if all, _ := s.Runs(ctx, "", 2); len(all) != 2 || all[0].ID != 3 {
		t.Errorf("Runs(all, 2) = %+v", all)
	}
	if _, err := s.Runs(ctx, "a", 0); err == nil || err.Error() != "store.Runs a: limit 0: want at least 1" {
		t.Errorf("Runs limit 0 = %v", err)
	}

	p := samplePost("telegram:c/1", "x")
	p.Source = "c" // posts but no runs
	if _, err := s.Upsert(ctx, []Post{p}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRetry(ctx, "a", "https://x/9", "timeout"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCursor(ctx, "a", "77"); err != nil {
		t.Fatal(err)
	}
	sums, err := s.SourceSummaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 3 || sums[0].Source != "a" || sums[1].Source != "b" || sums[2].Source != "c" {
		t.Fatalf("SourceSummaries sources = %+v", sums)
	}
	a := sums[0]
	if a.LastRun == nil || !reflect.DeepEqual(*a.LastRun, want[0]) {
		t.Errorf("a.LastRun = %+v, want %+v", a.LastRun, want[0])
	}
	if !a.LastSuccess.Equal(runs[1].Finished) || a.LastError != "disallowed by robots.txt" || !a.LastErrorAt.Equal(runs[2].Finished) ||
		a.Runs != 3 || a.Pages != 5 || a.PostsNew != 10 || a.PostsSeen != 7 || a.PostsChanged != 1 || a.Errors != 4 ||
		a.Posts != 0 || a.PendingRetry != 1 || a.Cursor != "77" || a.CursorUpdated.IsZero() {
		t.Errorf("summary a = %+v", a)
	}
	if b := sums[1]; b.Runs != 1 || b.LastError != "" || !b.LastErrorAt.IsZero() || b.Errors != 0 || !b.LastSuccess.Equal(runs[3].Finished) {
		t.Errorf("summary b = %+v", b)
	}
	if c := sums[2]; c.LastRun != nil || c.Runs != 0 || c.Posts != 1 || !c.LastSuccess.IsZero() {
		t.Errorf("summary c = %+v", c)
	}
}

func TestPurge(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	old := samplePost("telegram:c/old", "old")
	old.Fetched = t0.Add(-48 * time.Hour)
	seenAgain := samplePost("telegram:c/seen", "seen")
	seenAgain.Fetched = t0.Add(-48 * time.Hour)
	fresh := samplePost("telegram:c/fresh", "fresh")
	if _, err := s.Upsert(ctx, []Post{old, seenAgain, fresh}); err != nil {
		t.Fatal(err)
	}
	// An edit of the old post: it has a version and entities to remove.
	edit := old
	edit.Text, edit.TextHash, edit.Fetched = "old, edited", "h:old2", t0.Add(-47*time.Hour)
	seenAgain.Fetched = t0 // seen again recently, unchanged: kept
	if _, err := s.Upsert(ctx, []Post{edit, seenAgain}); err != nil {
		t.Fatal(err)
	}
	ids, err := s.Purge(ctx, t0.Add(-24*time.Hour))
	if err != nil || !reflect.DeepEqual(ids, []string{"telegram:c/old"}) {
		t.Fatalf("Purge = %v, %v; want [telegram:c/old]", ids, err)
	}
	if _, err := s.Get(ctx, "telegram:c/old"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get purged = %v, want ErrNotFound", err)
	}
	for _, q := range []string{
		"SELECT COUNT(*) FROM post_versions WHERE post_id = 'telegram:c/old'",
		"SELECT COUNT(*) FROM post_entities WHERE post_id = 'telegram:c/old'",
	} {
		var n int
		if err := s.r.QueryRow(q).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s = %d, %v; want 0", q, n, err)
		}
	}
	if n, _ := s.Count(ctx); n != 2 {
		t.Errorf("Count after purge = %d, want 2", n)
	}
	if n, _ := s.LastSeq(ctx); n != 4 {
		t.Errorf("LastSeq after purge = %d, want 4", n)
	}
	if ids, err := s.Purge(ctx, t0.Add(-24*time.Hour)); err != nil || ids != nil {
		t.Errorf("second Purge = %v, %v; want nothing", ids, err)
	}
	// Seq keeps counting past purged posts: a re-crawled post gets a new one.
	if _, err := s.Upsert(ctx, []Post{old}); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.LastSeq(ctx); n != 5 {
		t.Errorf("LastSeq = %d, want 5", n)
	}
	if got, _ := s.Get(ctx, old.ID); got.Seq != 5 || got.Version != 1 {
		t.Errorf("re-crawled purged post: seq %d version %d, want 5 and 1", got.Seq, got.Version)
	}
}

// Readers run while the one writer commits; every reader sees a consistent
// snapshot (Count and MaxSeq never go backwards, seq is dense per batch).
func TestConcurrentReadersOneWriter(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	const batches, size = 40, 25
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		for b := range batches {
			var ps []Post
			for i := range size {
				ps = append(ps, samplePost(fmt.Sprintf("telegram:c/%d", b*size+i), fmt.Sprint(b, i)))
			}
			if _, err := s.Upsert(ctx, ps); err != nil {
				errc <- err
				return
			}
		}
	}()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := 0
			for {
				select {
				case <-done:
					return
				default:
				}
				n, err := s.Count(ctx)
				if err != nil {
					errc <- err
					return
				}
				if n < last || n%size != 0 {
					errc <- fmt.Errorf("Count went %d -> %d (not a whole batch)", last, n)
					return
				}
				last = n
				ps, err := s.Since(ctx, 0, batches*size)
				if err != nil {
					errc <- err
					return
				}
				for i, p := range ps {
					if p.Seq != int64(i+1) {
						errc <- fmt.Errorf("Since: post %d has seq %d", i, p.Seq)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	if n, _ := s.Count(ctx); n != batches*size {
		t.Errorf("Count = %d, want %d", n, batches*size)
	}
}

func TestOutcomeString(t *testing.T) {
	for o, want := range map[Outcome]string{New: "new", Known: "known", Changed: "changed", Outcome(9): "Outcome(9)"} {
		if got := o.String(); got != want {
			t.Errorf("Outcome(%d).String() = %q, want %q", int(o), got, want)
		}
	}
}

func ids(ps []Post) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

// The JSON of a post uses the column names of the posts table.
func TestPostJSON(t *testing.T) {
	p := samplePost("telegram:c/1", "x")
	p.Published = time.Time{}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "platform", "source", "url", "author", "author_url", "text", "fetched",
		"lang", "lang_confidence", "langs", "score", "label", "explanation", "text_hash", "version",
		"capture", "links", "media", "forwarded", "entities", "seq"} {
		if _, ok := m[k]; !ok {
			t.Errorf("post JSON has no %q: %s", k, b)
		}
	}
	if _, ok := m["published"]; ok {
		t.Errorf("post JSON has a zero published time: %s", b)
	}
	if got := string(m["capture"]); got != `{"warc_file":"a.warc.gz","warc_record":"\u003curn:uuid:1\u003e","digest":"sha256:ab","captured":"2026-03-01T12:00:00Z"}` {
		t.Errorf("capture JSON = %s", got)
	}
}

// A later migration is applied once, in its own transaction: one that fails
// leaves the schema as it was, and says which it was.
func TestMigrationsApplyInOrder(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tidewatch.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Upsert(ctx, []Post{samplePost("telegram:c/1", "x")}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	saved := migrations
	t.Cleanup(func() { migrations = saved })
	n := len(saved)
	migrations = append(saved[:n:n],
		"ALTER TABLE posts ADD COLUMN reviewed TEXT NOT NULL DEFAULT ''",
		"CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1)",
	)
	_, err = Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("migration %d: ", n+2)) || !strings.Contains(err.Error(), "no such table: nowhere") {
		t.Fatalf("Open with a failing migration = %v", err)
	}
	migrations = migrations[:n+1]
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v != n+1 {
		t.Errorf("SchemaVersion = %d, want %d", v, n+1)
	}
	var reviewed string
	if err := s.r.QueryRow("SELECT reviewed FROM posts WHERE id = 'telegram:c/1'").Scan(&reviewed); err != nil || reviewed != "" {
		t.Errorf("new column: %q, %v", reviewed, err)
	}
	var tables int
	if err := s.r.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'").Scan(&tables); err != nil || tables != 0 {
		t.Errorf("the failed migration left table half behind (%d, %v)", tables, err)
	}
}

func TestViews(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "tidewatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	shown, none := samplePost("telegram:c/1", "a"), samplePost("telegram:c/2", "b")
	shown.Views, none.Views = 37200, -1
	if _, err := s.Upsert(ctx, []Post{shown, none}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id      string
		want    int64
		wantSQL any
	}{{shown.ID, 37200, int64(37200)}, {none.ID, -1, nil}} {
		p, err := s.Get(ctx, tt.id)
		if err != nil || p.Views != tt.want {
			t.Errorf("Get(%s).Views = %d, %v; want %d", tt.id, p.Views, err, tt.want)
		}
		var col any
		if err := s.r.QueryRowContext(ctx, "SELECT views FROM posts WHERE id = ?", tt.id).Scan(&col); err != nil || col != tt.wantSQL {
			t.Errorf("posts.views of %s = %v (%T), %v; want %v", tt.id, col, col, err, tt.wantSQL)
		}
	}
	// An edit carries the new count.
	shown.Text, shown.TextHash, shown.Views = "a, edited", "", 40000
	if _, err := s.Upsert(ctx, []Post{shown}); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Get(ctx, shown.ID); p.Views != 40000 || p.Version != 2 {
		t.Errorf("after an edit: Views %d, Version %d; want 40000, 2", p.Views, p.Version)
	}
}
