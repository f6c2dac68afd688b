package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
)

// Stale returns up to limit posts, in ID order after afterID, that were
// scored by a classifier version other than model: the posts to score
// again after the classifier changed. Page with the last ID returned.
func (s *Store) Stale(ctx context.Context, model, afterID string, limit int) ([]Post, error) {
	const op = "store.Stale"
	rows, err := s.r.QueryContext(ctx, "SELECT "+postColumns+
		" FROM posts WHERE model <> ? AND id > ? ORDER BY id LIMIT ?", model, afterID, limit)
	if err != nil {
		return nil, wrap(op, model, err)
	}
	posts, err := s.collect(ctx, rows)
	if err != nil {
		return nil, wrap(op, model, err)
	}
	return posts, nil
}

// CountStale returns the number of posts scored by a classifier version
// other than model.
func (s *Store) CountStale(ctx context.Context, model string) (int, error) {
	// Two ranges rather than <>, so that posts_model serves the count: it
	// runs at every Open, and after a rescore there is nothing in either.
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM posts WHERE model < ? OR model > ?", model, model).Scan(&n); err != nil {
		return 0, wrap("store.CountStale", model, err)
	}
	return n, nil
}

// Reclassify stores a new classification of posts already stored: their
// language, languages, score, label, explanation, entities and model, in one
// transaction. Every other field is left as stored. A post whose text hash
// is no longer TextHash (the crawler stored a new text meanwhile, classified
// then) or that was purged is skipped. A post whose classification changed
// gets a new seq, so that the index picks it up again; one that only
// changed model keeps its seq. It returns the number of posts whose
// classification changed.
func (s *Store) Reclassify(ctx context.Context, posts []Post) (int, error) {
	const op = "store.Reclassify"
	changed := 0
	var subject string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		changed = 0
		seq, err := loadSeq(ctx, tx)
		if err != nil {
			return err
		}
		for i := range posts {
			p := &posts[i]
			subject = p.ID
			var old Post
			var langs, expl string
			err := tx.QueryRowContext(ctx, `SELECT lang, lang_confidence, langs, score, label, explanation
				FROM posts WHERE id = ? AND text_hash = ?`, p.ID, p.TextHash).
				Scan(&old.Lang, &old.LangConfidence, &langs, &old.Score, &old.Label, &expl)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			oldEnts, err := entitiesOf(ctx, tx, p.ID)
			if err != nil {
				return err
			}
			same := old.Lang == p.Lang && old.LangConfidence == p.LangConfidence && langs == jsonList(p.Langs) &&
				old.Score == p.Score && old.Label == p.Label && expl == explanation(p) &&
				slices.Equal(oldEnts, sortedEntities(p.Entities))
			if same {
				if _, err := tx.ExecContext(ctx, "UPDATE posts SET model = ? WHERE id = ?", p.Model, p.ID); err != nil {
					return err
				}
				continue
			}
			changed++
			if _, err := tx.ExecContext(ctx, `UPDATE posts SET lang = ?, lang_confidence = ?, langs = ?,
				score = ?, label = ?, explanation = ?, model = ?, seq = ? WHERE id = ?`,
				p.Lang, p.LangConfidence, jsonList(p.Langs), p.Score, p.Label, explanation(p), p.Model, seq.next(), p.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM post_entities WHERE post_id = ?", p.ID); err != nil {
				return err
			}
			if err := insertEntities(ctx, tx, p.ID, p.Entities); err != nil {
				return err
			}
		}
		subject = ""
		return seq.save(ctx, tx)
	})
	if err != nil {
		return 0, wrap(op, subject, err)
	}
	return changed, nil
}

// entitiesOf returns a post's stored entities in (kind, value) order.
func entitiesOf(ctx context.Context, tx *sql.Tx, id string) ([]Entity, error) {
	rows, err := tx.QueryContext(ctx, "SELECT kind, value FROM post_entities WHERE post_id = ? ORDER BY kind, value", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var es []Entity
	for rows.Next() {
		var e Entity
		if err := rows.Scan(&e.Kind, &e.Value); err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, rows.Err()
}

// sortedEntities returns the distinct non-empty entities of es in (kind,
// value) order, as post_entities holds them.
func sortedEntities(es []Entity) []Entity {
	var out []Entity
	for _, e := range es {
		if e.Kind != "" && e.Value != "" {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b Entity) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Value, b.Value))
	})
	return slices.Compact(out)
}
