package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sync/errgroup"

	"tidewatch/classify"
	"tidewatch/index"
	"tidewatch/store"
)

// openIndex opens the index in the data directory. One that cannot be read
// (torn by a crash, written by another mapping version) is moved aside and
// a new one is built from the store by the catch-up that follows. So is one
// that does not match the store: a watermark above anything the store gave
// out (the database was replaced), or more posts than the store holds (a
// purge was interrupted between store and index).
func (p *Pipeline) openIndex(ctx context.Context) error {
	dir := filepath.Join(p.dir, IndexDir)
	// A rebuild killed half-way leaves its directory; it is of no use.
	if err := os.RemoveAll(dir + rebuildSuffix); err != nil {
		return err
	}
	idx, err := index.Open(dir, index.Options{BatchSize: p.opts.BatchSize})
	if errors.Is(err, index.ErrCorrupt) {
		aside, merr := moveAside(dir)
		if merr != nil {
			return errors.Join(err, merr)
		}
		p.log.Warn("index unreadable; moved aside and rebuilding from the store", "moved_to", aside, "error", err)
		idx, err = index.Open(dir, index.Options{BatchSize: p.opts.BatchSize})
	}
	if err != nil {
		return err
	}
	reason, err := p.mismatch(ctx, idx)
	if err != nil {
		idx.Close()
		return err
	}
	if reason != "" {
		idx.Close()
		aside, err := moveAside(dir)
		if err != nil {
			return err
		}
		p.log.Warn("index does not match the store; moved aside and rebuilding", "reason", reason, "moved_to", aside)
		if idx, err = index.Open(dir, index.Options{BatchSize: p.opts.BatchSize}); err != nil {
			return err
		}
	}
	p.idxMu.Lock()
	p.idx = idx
	p.idxMu.Unlock()
	return nil
}

// mismatch says why idx cannot be caught up with the store, "" if it can.
func (p *Pipeline) mismatch(ctx context.Context, idx *index.Index) (string, error) {
	wm, err := idx.Watermark()
	if err != nil {
		return "", err
	}
	last, err := p.store.LastSeq(ctx)
	if err != nil {
		return "", err
	}
	if wm > last {
		return fmt.Sprintf("index watermark %d is above the store's last seq %d", wm, last), nil
	}
	indexed, err := idx.Count()
	if err != nil {
		return "", err
	}
	stored, err := p.store.Count(ctx)
	if err != nil {
		return "", err
	}
	if indexed > uint64(stored) {
		return fmt.Sprintf("index holds %d posts, the store %d", indexed, stored), nil
	}
	return "", nil
}

const rebuildSuffix = ".rebuild"

// moveAside renames dir to dir.broken-<time>, keeping it for inspection
// until the next one is moved aside: only the latest is kept, so that an
// index that keeps failing does not fill the disk.
func moveAside(dir string) (string, error) {
	old, _ := filepath.Glob(dir + ".broken-*") // the pattern is well formed
	aside := dir + ".broken-" + time.Now().UTC().Format("20060102T150405.000000000")
	if err := os.Rename(dir, aside); err != nil {
		return "", fmt.Errorf("moving the index aside: %w", err)
	}
	for _, o := range old {
		if err := os.RemoveAll(o); err != nil {
			return aside, fmt.Errorf("removing an older index moved aside: %w", err)
		}
	}
	return aside, nil
}

// catchUp indexes every post with a seq above the index's watermark, in seq
// order, and returns how many. A reader goroutine pages through the store
// while the index writes the previous batch; the channel between them holds
// at most Options.Queue batches, so memory stays bounded however far behind
// the index is.
func (p *Pipeline) catchUp(ctx context.Context) (int, error) {
	p.catchMu.Lock()
	defer p.catchMu.Unlock()
	idx := p.Index()
	if idx == nil {
		return 0, errors.New("index closed")
	}
	return p.catchUpLocked(ctx, idx)
}

func (p *Pipeline) catchUpLocked(ctx context.Context, idx *index.Index) (int, error) {
	wm, err := idx.Watermark()
	if err != nil {
		return 0, err
	}
	// The store is read ahead into the index's own bounded queue: Feed
	// batches the documents, and each batch records its watermark.
	docs := make(chan index.Doc, p.opts.Queue*p.opts.BatchSize)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(docs)
		after := wm
		for {
			posts, err := p.store.Since(ctx, after, p.opts.BatchSize)
			if err != nil {
				return err
			}
			if len(posts) == 0 {
				return nil
			}
			for i := range posts {
				select {
				case docs <- p.doc(&posts[i]):
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			after = posts[len(posts)-1].Seq
		}
	})
	n := 0
	g.Go(func() error {
		var err error
		n, err = idx.Feed(ctx, docs)
		return err
	})
	if err := g.Wait(); err != nil {
		return n, fmt.Errorf("index catch-up: %w", err)
	}
	return n, nil
}

// Reindex builds a new index from every post in the store, compacts it
// (Index.Compact) and returns how many posts it indexed. The new index
// is built beside the old one, which serves searches meanwhile and is only
// replaced once the new one is complete.
func (p *Pipeline) Reindex(ctx context.Context) (int, error) {
	p.catchMu.Lock()
	defer p.catchMu.Unlock()
	dir := filepath.Join(p.dir, IndexDir)
	tmp := dir + rebuildSuffix
	if err := os.RemoveAll(tmp); err != nil {
		return 0, fmt.Errorf("pipeline: reindex: %w", err)
	}
	fresh, err := index.Open(tmp, index.Options{BatchSize: p.opts.BatchSize})
	if err != nil {
		return 0, fmt.Errorf("pipeline: reindex: %w", err)
	}
	n, err := p.catchUpLocked(ctx, fresh)
	if err == nil {
		// A fresh build closes long before Bleve's background merging
		// catches up (86 segments at a million posts), and every search
		// pays per segment. A failed compaction leaves a complete index.
		switch cerr := fresh.Compact(ctx); {
		case cerr == nil:
		case ctx.Err() != nil:
			err = cerr
		default:
			p.log.Warn("compacting the new index", "error", cerr)
		}
	}
	if err == nil {
		err = fresh.Close()
	} else {
		fresh.Close()
	}
	if err != nil {
		os.RemoveAll(tmp)
		return n, fmt.Errorf("pipeline: reindex: %w", err)
	}

	p.idxMu.Lock()
	defer p.idxMu.Unlock()
	var old string
	if p.idx != nil {
		if err := p.idx.Close(); err != nil {
			p.log.Warn("closing the old index", "error", err)
		}
		p.idx = nil
	}
	if ok, _ := exists(dir); ok {
		if old, err = moveAside(dir); err != nil {
			return n, fmt.Errorf("pipeline: reindex: %w", err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		return n, fmt.Errorf("pipeline: reindex: %w", err)
	}
	if p.idx, err = index.Open(dir, index.Options{BatchSize: p.opts.BatchSize}); err != nil {
		return n, fmt.Errorf("pipeline: reindex: %w", err)
	}
	// Whatever the reopened index lacks (posts stored meanwhile, or batches
	// not yet on disk at Close) is caught up as at Open.
	if _, err := p.catchUpLocked(ctx, p.idx); err != nil {
		return n, fmt.Errorf("pipeline: reindex: %w", err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			p.log.Warn("removing the old index", "dir", old, "error", err)
		}
	}
	return n, nil
}

// IndexLag is how many stored posts the index does not hold yet.
func (p *Pipeline) IndexLag(ctx context.Context) (int, error) {
	idx := p.Index()
	if idx == nil {
		return 0, errors.New("pipeline: index closed")
	}
	wm, err := idx.Watermark()
	if err != nil {
		return 0, fmt.Errorf("pipeline: index lag: %w", err)
	}
	n, err := p.store.CountAfter(ctx, wm)
	if err != nil {
		return 0, fmt.Errorf("pipeline: index lag: %w", err)
	}
	return n, nil
}

// doc turns a stored post into what the index holds.
func (p *Pipeline) doc(sp *store.Post) index.Doc {
	d := index.Doc{
		ID:        sp.ID,
		Platform:  sp.Platform,
		Source:    sp.Source,
		URL:       sp.URL,
		Author:    sp.Author,
		Text:      sp.Text,
		NormText:  classify.Normalize(sp.Text),
		Lang:      sp.Lang,
		Langs:     sp.Langs,
		Score:     sp.Score,
		Label:     sp.Label,
		Groups:    groups(sp.Explanation),
		Links:     sp.Links,
		Published: sp.Published,
		Fetched:   sp.Fetched,
		Seq:       sp.Seq,
	}
	for _, e := range sp.Entities {
		switch e.Kind {
		case "phone", "whatsapp":
			d.Phones = appendNew(d.Phones, e.Value)
		case "telegram", "handle":
			d.Handles = appendNew(d.Handles, e.Value)
		case "link":
			d.Links = appendNew(d.Links, e.Value)
		}
	}
	return d
}

func appendNew(l []string, v string) []string {
	for _, x := range l {
		if x == v {
			return l
		}
	}
	return append(l[:len(l):len(l)], v)
}
