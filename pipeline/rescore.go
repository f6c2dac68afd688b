package pipeline

import (
	"context"
	"fmt"
)

// RescoreProgress is how far a Rescore has gone.
type RescoreProgress struct {
	Done, Total int // posts scored again, of those stale when it started
	Changed     int // posts whose classification changed
}

// Rescore scores again every stored post that another classifier version
// scored (after a refit, a lexicon edit or an upgrade), on every core, and
// stores the new language, score, label, explanation and entities; posts
// whose classification changed are then indexed again. Text, versions and
// evidence are untouched. Crawls may run meanwhile: a post whose text
// changes under it keeps the classification of its new text. progress, if
// not nil, is called after each batch. It returns the number of posts whose
// classification changed.
func (p *Pipeline) Rescore(ctx context.Context, progress func(RescoreProgress)) (int, error) {
	version := p.cls.Version()
	total, err := p.store.CountStale(ctx, version)
	if err != nil {
		return 0, fmt.Errorf("pipeline: rescore: %w", err)
	}
	if total == 0 {
		// Stale would walk the whole table to find nothing, holding up
		// crawls: nothing stale is the usual start.
		return 0, nil
	}
	var pr RescoreProgress
	pr.Total = total
	after := ""
	for {
		n, changed, last, err := p.rescoreBatch(ctx, version, after)
		if err != nil {
			return pr.Changed, fmt.Errorf("pipeline: rescore: %w", err)
		}
		if n == 0 {
			break
		}
		after = last
		pr.Done += n
		pr.Changed += changed
		if changed > 0 {
			if _, err := p.catchUp(ctx); err != nil {
				return pr.Changed, fmt.Errorf("pipeline: rescore: %w", err)
			}
		}
		if progress != nil {
			progress(pr)
		}
	}
	p.log.Info("posts scored again", "posts", pr.Done, "changed", pr.Changed, "classifier", version)
	return pr.Changed, nil
}

// rescoreBatch scores one batch of stale posts after the ID after and
// stores the results. It returns how many it read, how many changed, and
// the last ID read.
func (p *Pipeline) rescoreBatch(ctx context.Context, version, after string) (n, changed int, last string, err error) {
	p.putMu.Lock() // no Put classifies these posts meanwhile
	defer p.putMu.Unlock()
	posts, err := p.store.Stale(ctx, version, after, p.opts.BatchSize)
	if err != nil || len(posts) == 0 {
		return 0, 0, "", err
	}
	if err := eachParallel(ctx, len(posts), func(i int) error { return p.classifyInto(&posts[i]) }); err != nil {
		return 0, 0, "", err
	}
	changed, err = p.store.Reclassify(ctx, posts)
	if err != nil {
		return 0, 0, "", err
	}
	return len(posts), changed, posts[len(posts)-1].ID, nil
}
