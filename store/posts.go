package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Post is one stored post: what the crawler found, its capture, and how it
// was classified. Seq, Version, FirstSeen and LastSeen are set by the store.
// The JSON names are the posts table's column names.
type Post struct {
	ID        string    `json:"id"` // "platform:native-id"
	Platform  string    `json:"platform"`
	Source    string    `json:"source"` // seeds source name
	URL       string    `json:"url"`    // canonical permalink
	Author    string    `json:"author,omitempty"`
	AuthorURL string    `json:"author_url,omitempty"`
	Text      string    `json:"text"`
	Published time.Time `json:"published,omitzero"`  // zero when unknown (NULL in the table)
	Fetched   time.Time `json:"fetched"`             // fetch of the current text
	FirstSeen time.Time `json:"first_seen,omitzero"` // first fetch of any version
	LastSeen  time.Time `json:"last_seen,omitzero"`  // latest fetch, whether or not the text changed

	Lang           string          `json:"lang"`
	LangConfidence float64         `json:"lang_confidence"`
	Langs          []string        `json:"langs,omitempty"`
	Score          float64         `json:"score"`
	Label          string          `json:"label"`
	Explanation    json.RawMessage `json:"explanation,omitempty"` // JSON of the classification: indicators, entities, explanation
	Model          string          `json:"model,omitempty"`       // version of the classifier that scored the post
	TextHash       string          `json:"text_hash"`             // hash of the normalised text; the store hashes Text when empty

	Version   int      `json:"version"` // 1 for a new post, +1 on each change of text
	Capture   Capture  `json:"capture"`
	Links     []string `json:"links,omitempty"`
	Media     []string `json:"media,omitempty"`
	Forwarded string   `json:"forwarded,omitempty"`
	Views     int64    `json:"views"`              // view count the platform shows; -1 (NULL in the table) when it shows none
	Entities  []Entity `json:"entities,omitempty"` // for pivots; kept in post_entities
	Seq       int64    `json:"seq"`                // store-wide, bumped on every insert or change
}

// Capture locates the WARC record of a post's page.
type Capture struct {
	File     string    `json:"warc_file"`   // WARC file name, relative to the WARC directory
	Record   string    `json:"warc_record"` // WARC-Record-ID
	Digest   string    `json:"digest"`      // "sha256:<hex>" of the payload
	Captured time.Time `json:"captured,omitzero"`
}

// Entity is something a post names that analysts pivot on: a phone number
// in E.164, a WhatsApp or Telegram contact, a link, a handle, a price.
type Entity struct {
	Kind  string `json:"kind"` // phone, whatsapp, telegram, link, handle, price
	Value string `json:"value"`
}

// Version is an earlier text of a post.
type Version struct {
	ID       string    `json:"id"`
	Version  int       `json:"version"`
	Text     string    `json:"text"`
	TextHash string    `json:"text_hash"`
	Fetched  time.Time `json:"fetched"`
	Capture  Capture   `json:"capture"`
}

// Outcome is what Upsert did with one post.
type Outcome int

const (
	New     Outcome = iota // stored as version 1
	Known                  // already stored with the same text; only last_seen moved
	Changed                // text changed: the old text went to post_versions
)

func (o Outcome) String() string {
	switch o {
	case New:
		return "new"
	case Known:
		return "known"
	case Changed:
		return "changed"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

const postColumns = `id, platform, source, url, author, author_url, text, published, fetched,
	first_seen, last_seen, lang, lang_confidence, langs, score, label, explanation, text_hash,
	version, warc_file, warc_record, digest, captured, links, media, forwarded, seq, views, model`

// Upsert stores posts in one transaction and reports, for each, whether it
// was already known with the same text (crawler.Sink's contract).
func (s *Store) Upsert(ctx context.Context, posts []Post) (known []bool, err error) {
	out, err := s.UpsertOutcomes(ctx, posts)
	if err != nil {
		return nil, err
	}
	known = make([]bool, len(out))
	for i, o := range out {
		known[i] = o == Known
	}
	return known, nil
}

// UpsertOutcomes stores posts in one transaction and reports what happened
// to each. A new post is stored as version 1. A post whose text hash is
// unchanged is left as it is but for last_seen. A post whose text changed
// has its old text copied to post_versions, and is rewritten with version+1
// and a new seq, so that the index picks it up again.
func (s *Store) UpsertOutcomes(ctx context.Context, posts []Post) ([]Outcome, error) {
	const op = "store.Upsert"
	for i := range posts {
		if err := validate(&posts[i]); err != nil {
			return nil, wrap(op, posts[i].ID, err)
		}
	}
	out := make([]Outcome, len(posts))
	var subject string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		seq, err := loadSeq(ctx, tx)
		if err != nil {
			return err
		}
		for i := range posts {
			p := &posts[i]
			subject = p.ID
			hash := p.TextHash
			if hash == "" {
				hash = hashText(p.Text)
			}
			var oldHash string
			err := tx.QueryRowContext(ctx, "SELECT text_hash FROM posts WHERE id = ?", p.ID).Scan(&oldHash)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if err := insertPost(ctx, tx, p, hash, seq.next()); err != nil {
					return err
				}
				out[i] = New
			case err != nil:
				return err
			case oldHash == hash:
				if _, err := tx.ExecContext(ctx, "UPDATE posts SET last_seen = MAX(last_seen, ?) WHERE id = ?",
					formatTime(p.Fetched), p.ID); err != nil {
					return err
				}
				out[i] = Known
			default:
				if err := updatePost(ctx, tx, p, hash, seq.next()); err != nil {
					return err
				}
				out[i] = Changed
			}
		}
		subject = ""
		return seq.save(ctx, tx)
	})
	if err != nil {
		return nil, wrap(op, subject, err)
	}
	return out, nil
}

// seqCounter hands out store-wide sequence numbers (posts.seq) inside one
// transaction: loadSeq reads the counter, next bumps it, save writes it
// back if it moved.
type seqCounter struct{ loaded, last int64 }

func loadSeq(ctx context.Context, tx *sql.Tx) (*seqCounter, error) {
	var seq int64
	if err := tx.QueryRowContext(ctx, "SELECT value FROM counters WHERE name = 'seq'").Scan(&seq); err != nil {
		return nil, err
	}
	return &seqCounter{seq, seq}, nil
}

func (c *seqCounter) next() int64 {
	c.last++
	return c.last
}

func (c *seqCounter) save(ctx context.Context, tx *sql.Tx) error {
	if c.last == c.loaded {
		return nil
	}
	_, err := tx.ExecContext(ctx, "UPDATE counters SET value = ? WHERE name = 'seq'", c.last)
	return err
}

func validate(p *Post) error {
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"id", p.ID}, {"platform", p.Platform}, {"source", p.Source}, {"url", p.URL},
	} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	if p.Fetched.IsZero() {
		return errors.New("missing fetched time")
	}
	if len(p.Explanation) > 0 && !json.Valid(p.Explanation) {
		return errors.New("explanation is not valid JSON")
	}
	return nil
}

// hashText is the fallback text hash when the caller gives none.
func hashText(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "sha256:" + hex.EncodeToString(sum[:])
}

func jsonList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l) // []string always marshals
	return string(b)
}

func explanation(p *Post) string {
	if len(p.Explanation) == 0 {
		return "{}"
	}
	return string(p.Explanation)
}

func insertPost(ctx context.Context, tx *sql.Tx, p *Post, hash string, seq int64) error {
	fetched := formatTime(p.Fetched)
	_, err := tx.ExecContext(ctx, `INSERT INTO posts (`+postColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.Platform, p.Source, p.URL, p.Author, p.AuthorURL, p.Text, nullTime(p.Published), fetched,
		fetched, fetched, p.Lang, p.LangConfidence, jsonList(p.Langs), p.Score, p.Label, explanation(p), hash,
		p.Capture.File, p.Capture.Record, p.Capture.Digest, nullTime(p.Capture.Captured),
		jsonList(p.Links), jsonList(p.Media), p.Forwarded, seq, nullViews(p.Views), p.Model)
	if err != nil {
		return err
	}
	return insertEntities(ctx, tx, p.ID, p.Entities)
}

func updatePost(ctx context.Context, tx *sql.Tx, p *Post, hash string, seq int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO post_versions
		(post_id, version, text, text_hash, fetched, warc_file, warc_record, digest, captured)
		SELECT id, version, text, text_hash, fetched, warc_file, warc_record, digest, captured
		FROM posts WHERE id = ?`, p.ID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE posts SET
		platform = ?, source = ?, url = ?, author = ?, author_url = ?, text = ?, published = ?,
		fetched = ?, last_seen = MAX(last_seen, ?), lang = ?, lang_confidence = ?, langs = ?,
		score = ?, label = ?, explanation = ?, text_hash = ?, version = version + 1,
		warc_file = ?, warc_record = ?, digest = ?, captured = ?, links = ?, media = ?,
		forwarded = ?, seq = ?, views = ?, model = ?
		WHERE id = ?`,
		p.Platform, p.Source, p.URL, p.Author, p.AuthorURL, p.Text, nullTime(p.Published),
		formatTime(p.Fetched), formatTime(p.Fetched), p.Lang, p.LangConfidence, jsonList(p.Langs),
		p.Score, p.Label, explanation(p), hash,
		p.Capture.File, p.Capture.Record, p.Capture.Digest, nullTime(p.Capture.Captured),
		jsonList(p.Links), jsonList(p.Media), p.Forwarded, seq, nullViews(p.Views), p.Model, p.ID)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM post_entities WHERE post_id = ?", p.ID); err != nil {
		return err
	}
	return insertEntities(ctx, tx, p.ID, p.Entities)
}

// nullViews stores an unknown view count (negative) as NULL.
func nullViews(v int64) any {
	if v < 0 {
		return nil
	}
	return v
}

func insertEntities(ctx context.Context, tx *sql.Tx, id string, es []Entity) error {
	for _, e := range es {
		if e.Kind == "" || e.Value == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx,
			"INSERT OR IGNORE INTO post_entities (post_id, kind, value) VALUES (?, ?, ?)",
			id, e.Kind, e.Value); err != nil {
			return err
		}
	}
	return nil
}

// Get returns the post with id, or an error wrapping ErrNotFound.
func (s *Store) Get(ctx context.Context, id string) (Post, error) {
	const op = "store.Get"
	rows, err := s.r.QueryContext(ctx, "SELECT "+postColumns+" FROM posts WHERE id = ?", id)
	if err != nil {
		return Post{}, wrap(op, id, err)
	}
	posts, err := s.collect(ctx, rows)
	if err != nil {
		return Post{}, wrap(op, id, err)
	}
	if len(posts) == 0 {
		return Post{}, wrap(op, id, ErrNotFound)
	}
	return posts[0], nil
}

// Since returns up to limit posts with seq > afterSeq, in seq order: the
// index catches up from its watermark with it.
func (s *Store) Since(ctx context.Context, afterSeq int64, limit int) ([]Post, error) {
	const op = "store.Since"
	if limit <= 0 {
		return nil, wrap(op, "", fmt.Errorf("limit %d: want at least 1", limit))
	}
	rows, err := s.r.QueryContext(ctx, "SELECT "+postColumns+" FROM posts WHERE seq > ? ORDER BY seq LIMIT ?",
		afterSeq, limit)
	if err != nil {
		return nil, wrap(op, "", err)
	}
	posts, err := s.collect(ctx, rows)
	return posts, wrap(op, "", err)
}

// PostsByEntity returns the posts naming an entity, most recently stored first.
func (s *Store) PostsByEntity(ctx context.Context, kind, value string) ([]Post, error) {
	const op = "store.PostsByEntity"
	rows, err := s.r.QueryContext(ctx, "SELECT "+postColumns+` FROM posts
		WHERE id IN (SELECT post_id FROM post_entities WHERE kind = ? AND value = ?)
		ORDER BY seq DESC`, kind, value)
	if err != nil {
		return nil, wrap(op, kind+":"+value, err)
	}
	posts, err := s.collect(ctx, rows)
	return posts, wrap(op, kind+":"+value, err)
}

// MaxSeq is the highest seq of any stored post, 0 when there are none.
func (s *Store) MaxSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := s.r.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM posts").Scan(&seq)
	return seq, wrap("store.MaxSeq", "", err)
}

// TextHashes returns the stored text hash of each id the store holds, so
// that a caller can skip re-classifying posts it already has.
func (s *Store) TextHashes(ctx context.Context, ids []string) (map[string]string, error) {
	const op = "store.TextHashes"
	hashes := make(map[string]string, len(ids))
	const chunk = 500
	for lo := 0; lo < len(ids); lo += chunk {
		part := ids[lo:min(lo+chunk, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := s.r.QueryContext(ctx, "SELECT id, text_hash FROM posts WHERE id IN (?"+
			strings.Repeat(", ?", len(part)-1)+")", args...)
		if err != nil {
			return nil, wrap(op, "", err)
		}
		for rows.Next() {
			var id, h string
			if err := rows.Scan(&id, &h); err != nil {
				rows.Close()
				return nil, wrap(op, "", err)
			}
			hashes[id] = h
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, wrap(op, "", err)
		}
	}
	return hashes, nil
}

// LastSeq is the highest seq the store has ever given out. It is at least
// MaxSeq, and more once the newest posts have been purged; an index whose
// watermark is above it was built from another store.
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := s.r.QueryRowContext(ctx, "SELECT value FROM counters WHERE name = 'seq'").Scan(&seq)
	return seq, wrap("store.LastSeq", "", err)
}

// CountAfter is the number of stored posts with seq > afterSeq: how far an
// index with that watermark is behind.
func (s *Store) CountAfter(ctx context.Context, afterSeq int64) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM posts WHERE seq > ?", afterSeq).Scan(&n)
	return n, wrap("store.CountAfter", "", err)
}

// Count is the number of stored posts.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM posts").Scan(&n)
	return n, wrap("store.Count", "", err)
}

// Versions returns the earlier texts of a post, oldest first; the current
// text is the post itself (Get).
func (s *Store) Versions(ctx context.Context, id string) ([]Version, error) {
	const op = "store.Versions"
	rows, err := s.r.QueryContext(ctx, `SELECT post_id, version, text, text_hash, fetched,
		warc_file, warc_record, digest, captured
		FROM post_versions WHERE post_id = ? ORDER BY version`, id)
	if err != nil {
		return nil, wrap(op, id, err)
	}
	defer rows.Close()
	var vs []Version
	for rows.Next() {
		var v Version
		var fetched, captured sql.NullString
		if err := rows.Scan(&v.ID, &v.Version, &v.Text, &v.TextHash, &fetched,
			&v.Capture.File, &v.Capture.Record, &v.Capture.Digest, &captured); err != nil {
			return nil, wrap(op, id, err)
		}
		if v.Fetched, err = parseTime(fetched); err != nil {
			return nil, wrap(op, id, err)
		}
		if v.Capture.Captured, err = parseTime(captured); err != nil {
			return nil, wrap(op, id, err)
		}
		vs = append(vs, v)
	}
	return vs, wrap(op, id, rows.Err())
}

// Purge deletes the posts last seen before a time, with their versions and
// entities, in one transaction, and returns their ids so that the index can
// drop them.
func (s *Store) Purge(ctx context.Context, before time.Time) ([]string, error) {
	var ids []string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "DELETE FROM posts WHERE last_seen < ? RETURNING id", formatTime(before))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap("store.Purge", "", err)
	}
	return ids, nil
}

// collect scans rows of postColumns and loads the posts' entities.
func (s *Store) collect(ctx context.Context, rows *sql.Rows) ([]Post, error) {
	var posts []Post
	byID := map[string]int{}
	err := func() error {
		defer rows.Close()
		for rows.Next() {
			p, err := scanPost(rows)
			if err != nil {
				return err
			}
			byID[p.ID] = len(posts)
			posts = append(posts, p)
		}
		return rows.Err()
	}()
	if err != nil || len(posts) == 0 {
		return posts, err
	}
	// Entities in chunks well below SQLite's variable limit.
	const chunk = 500
	for lo := 0; lo < len(posts); lo += chunk {
		hi := min(lo+chunk, len(posts))
		args := make([]any, 0, hi-lo)
		for _, p := range posts[lo:hi] {
			args = append(args, p.ID)
		}
		q := "SELECT post_id, kind, value FROM post_entities WHERE post_id IN (?" +
			strings.Repeat(", ?", len(args)-1) + ") ORDER BY post_id, kind, value"
		erows, err := s.r.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		for erows.Next() {
			var id string
			var e Entity
			if err := erows.Scan(&id, &e.Kind, &e.Value); err != nil {
				erows.Close()
				return nil, err
			}
			if i, ok := byID[id]; ok {
				posts[i].Entities = append(posts[i].Entities, e)
			}
		}
		err = erows.Err()
		erows.Close()
		if err != nil {
			return nil, err
		}
	}
	return posts, nil
}

func scanPost(rows *sql.Rows) (Post, error) {
	var p Post
	var published, fetched, firstSeen, lastSeen, captured sql.NullString
	var langs, expl, links, media string
	var views sql.NullInt64
	err := rows.Scan(&p.ID, &p.Platform, &p.Source, &p.URL, &p.Author, &p.AuthorURL, &p.Text,
		&published, &fetched, &firstSeen, &lastSeen, &p.Lang, &p.LangConfidence, &langs,
		&p.Score, &p.Label, &expl, &p.TextHash, &p.Version,
		&p.Capture.File, &p.Capture.Record, &p.Capture.Digest, &captured,
		&links, &media, &p.Forwarded, &p.Seq, &views, &p.Model)
	if err != nil {
		return p, err
	}
	p.Views = -1
	if views.Valid {
		p.Views = views.Int64
	}
	for _, t := range []struct {
		dst *time.Time
		src sql.NullString
	}{
		{&p.Published, published}, {&p.Fetched, fetched}, {&p.FirstSeen, firstSeen},
		{&p.LastSeen, lastSeen}, {&p.Capture.Captured, captured},
	} {
		if *t.dst, err = parseTime(t.src); err != nil {
			return p, fmt.Errorf("post %s: %w", p.ID, err)
		}
	}
	for _, l := range []struct {
		dst *[]string
		src string
	}{{&p.Langs, langs}, {&p.Links, links}, {&p.Media, media}} {
		if err := json.Unmarshal([]byte(l.src), l.dst); err != nil {
			return p, fmt.Errorf("post %s: bad JSON list %q: %w", p.ID, l.src, err)
		}
		if len(*l.dst) == 0 {
			*l.dst = nil
		}
	}
	if expl != "" && expl != "{}" {
		p.Explanation = json.RawMessage(expl)
	}
	return p, nil
}
