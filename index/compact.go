package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// Compact merges the index's segments into as few as Bleve's single-segment
// merge policy allows, and waits until the merged index is on disk. Bleve
// merges in the background, but an index built in one go (reindex) closes
// long before that catches up: a million posts left 86 segments, and every
// search pays a setup cost per segment. Searches and writes go on during
// Compact; posts written meanwhile may stay in segments of their own.
// When ctx is done Compact abandons the merge in progress, leaving the
// index searchable with the same posts (merges Bleve finished stay), and
// returns an error wrapping ctx's.
func (ix *Index) Compact(ctx context.Context) error {
	if ix.opts.ReadOnly {
		return &Error{"compact", ix.dir, ErrReadOnly}
	}
	ix.compactMu.Lock()
	defer ix.compactMu.Unlock()
	// Bleve merges only persisted segments.
	if err := ix.flush(ctx); err != nil {
		return &Error{"compact", ix.dir, err}
	}
	adv, err := ix.b.Advanced()
	if err != nil {
		return &Error{"compact", ix.dir, err}
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return &Error{"compact", ix.dir, fmt.Errorf("index type %T cannot force a merge", adv)}
	}
	// One round merges up to SegmentsPerMergeTask segments per task, so
	// repeat while it still reduces the count.
	n, err := ix.segments()
	if err != nil {
		return &Error{"compact", ix.dir, err}
	}
	for n > 1 {
		if err := forceMerge(ctx, sc); err != nil {
			return &Error{"compact", ix.dir, err}
		}
		after, err := ix.segments()
		if err != nil {
			return &Error{"compact", ix.dir, err}
		}
		if after >= n {
			break
		}
		n = after
	}
	// The merged snapshot is persisted in the background, and Close does
	// not wait for it; a batch applied after it is persisted after it, so
	// flushing one puts the merged index on disk. Bleve keeps the snapshot
	// before the latest one for rollback (scorch.NumSnapshotsToKeep), and
	// with it the segments merged away — as much again on disk — until a
	// later snapshot pushes it out: the second batch does that.
	for range 2 {
		batch := ix.b.NewBatch()
		batch.SetInternal([]byte(keyMapping), []byte(mappingVersion))
		if err := ix.apply(batch); err != nil {
			return &Error{"compact", ix.dir, err}
		}
		if err := ix.flush(ctx); err != nil {
			return &Error{"compact", ix.dir, err}
		}
	}
	return nil
}

// forceMerge runs one round of Bleve's force merge to a single segment.
// Bleve takes the request once its merger is free (after a background
// merge in progress) and abandons it when ctx is done, returning nil; so
// ctx's error is returned here.
func forceMerge(ctx context.Context, sc *scorch.Scorch) error {
	opts := mergeplan.SingleSegmentMergePlanOptions
	if err := sc.ForceMerge(ctx, &opts); err != nil {
		return fmt.Errorf("force merge: %w", err)
	}
	return ctx.Err()
}

// Segments returns the number of segments of the current snapshot: each
// costs every search a setup, and Compact reduces them.
func (ix *Index) Segments() (int, error) {
	n, err := ix.segments()
	if err != nil {
		return 0, &Error{"segments", ix.dir, err}
	}
	return n, nil
}

func (ix *Index) segments() (int, error) {
	adv, err := ix.b.Advanced()
	if err != nil {
		return 0, err
	}
	rd, err := adv.Reader()
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	is, ok := rd.(*scorch.IndexSnapshot)
	if !ok {
		return 0, fmt.Errorf("index type %T has no segments", rd)
	}
	return len(is.Segments()), nil
}
