package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime"

	"golang.org/x/sync/errgroup"

	"tidewatch/classify"
	"tidewatch/crawler"
	"tidewatch/store"
)

// Put is the crawler's Sink. It classifies each post, stores the batch in
// one transaction and then brings the index up to date from the store. It
// reports, for each post, whether it was already stored with the same text.
//
// Posts already stored with the same text are not classified again: a
// scheduled run mostly re-reads posts it has. putMu keeps another Put from
// changing a post between that check and the store's transaction.
//
// Once the store has committed, the posts are safe: an index failure is
// logged, not returned, since the next catch-up (the next Put, or Open)
// indexes whatever the index missed.
func (p *Pipeline) Put(ctx context.Context, posts []crawler.Post) ([]bool, error) {
	if len(posts) == 0 {
		return nil, nil
	}
	out, sps, err := p.put(ctx, posts)
	if err != nil {
		return nil, fmt.Errorf("pipeline: put: %w", err)
	}
	known := make([]bool, len(out))
	p.mu.Lock()
	for i, o := range out {
		known[i] = o == store.Known
		if o == store.Changed {
			p.changed[sps[i].Source]++
		}
	}
	p.mu.Unlock()
	if _, err := p.catchUp(ctx); err != nil {
		level := slog.LevelError
		if ctx.Err() != nil {
			level = slog.LevelWarn // shutting down
		}
		p.log.Log(ctx, level, "indexing stored posts failed; the next catch-up retries", "error", err)
	}
	return known, nil
}

func (p *Pipeline) put(ctx context.Context, posts []crawler.Post) ([]store.Outcome, []store.Post, error) {
	p.putMu.Lock()
	defer p.putMu.Unlock()
	ids := make([]string, len(posts))
	for i := range posts {
		ids[i] = posts[i].ID
	}
	stored, err := p.store.TextHashes(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	sps, err := p.prepare(ctx, posts, stored)
	if err != nil {
		return nil, nil, err
	}
	out, err := p.store.UpsertOutcomes(ctx, sps)
	return out, sps, err
}

// prepare turns posts into store posts, classifying those the store does
// not hold with the same text, on every core.
func (p *Pipeline) prepare(ctx context.Context, posts []crawler.Post, stored map[string]string) ([]store.Post, error) {
	sps := make([]store.Post, len(posts))
	err := eachParallel(ctx, len(posts), func(i int) error {
		cp := &posts[i]
		hash := classify.TextHash(cp.Text)
		if h, ok := stored[cp.ID]; ok && h == hash {
			sps[i] = basePost(cp, hash) // known: the store keeps what it has
			return nil
		}
		sp, err := p.storePost(cp, hash)
		if err != nil {
			return err
		}
		sps[i] = sp
		return nil
	})
	return sps, err
}

// eachParallel runs f(0) … f(n-1) on every core and returns the first
// error; once one fails, or ctx is done, the rest do not start.
func eachParallel(ctx context.Context, n int, f func(i int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range n {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return f(i)
		})
	}
	return g.Wait()
}

// explanation is what the posts.explanation column holds: the parts of the
// classification that have no column of their own.
type explanation struct {
	Indicators  any `json:"indicators"`
	Entities    any `json:"entities"`
	Explanation any `json:"explanation"`
}

// basePost is what the crawler found, before classification.
func basePost(cp *crawler.Post, hash string) store.Post {
	return store.Post{
		ID:        cp.ID,
		Platform:  cp.Platform,
		Source:    cp.Source,
		URL:       cp.URL,
		Author:    cp.Author,
		AuthorURL: cp.AuthorURL,
		Text:      cp.Text,
		Published: cp.Published,
		Fetched:   cp.Fetched,
		Lang:      cp.Lang,
		TextHash:  hash,
		Capture: store.Capture{
			File:     cp.Capture.File,
			Record:   cp.Capture.RecordID,
			Digest:   cp.Capture.Digest,
			Captured: cp.Capture.Captured,
		},
		Links:     cp.Links,
		Media:     cp.Media,
		Forwarded: cp.Forwarded,
		Views:     cp.Views,
	}
}

// storePost classifies a post and returns it as the store keeps it.
func (p *Pipeline) storePost(cp *crawler.Post, hash string) (store.Post, error) {
	sp := basePost(cp, hash)
	if err := p.classifyInto(&sp); err != nil {
		return store.Post{}, err
	}
	return sp, nil
}

// classifyInto classifies sp's text and sets its classification fields:
// language (unless the text says too little and sp has one the platform
// declared), languages, score, label, explanation, entities and model.
func (p *Pipeline) classifyInto(sp *store.Post) error {
	r := p.cls.Classify(sp.Text)
	expl, err := json.Marshal(explanation{r.Indicators, r.Entities, r.Explanation})
	if err != nil {
		return fmt.Errorf("post %s: explanation: %w", sp.ID, err)
	}
	if (r.Lang != "" && r.Lang != "und") || sp.Lang == "" {
		sp.Lang = r.Lang // else what the platform declares, when the text says too little
	}
	sp.LangConfidence = r.LangConfidence
	sp.Langs = r.Langs
	sp.Score = r.Score
	sp.Label = string(r.Label)
	sp.Explanation = expl
	sp.Entities = sp.Entities[:0]
	for _, e := range r.Entities {
		sp.Entities = append(sp.Entities, store.Entity{Kind: string(e.Kind), Value: e.Value})
	}
	sp.Model = p.cls.Version()
	return nil
}

// groups reads the indicator groups back out of a stored explanation.
func groups(expl json.RawMessage) []string {
	if len(expl) == 0 {
		return nil
	}
	var e struct {
		Indicators []struct {
			Group string `json:"group"`
		} `json:"indicators"`
	}
	if err := json.Unmarshal(expl, &e); err != nil {
		return nil
	}
	var gs []string
	for _, in := range e.Indicators {
		// Learned word features explain a score but are no indicator
		// group an analyst filters by.
		if in.Group != "" && in.Group != string(classify.Learned) {
			gs = appendNew(gs, in.Group)
		}
	}
	return gs
}
