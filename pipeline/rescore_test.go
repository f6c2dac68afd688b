package pipeline

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"tidewatch/classify"
	"tidewatch/crawler"
	"tidewatch/index"
)

// Posts scored by an older classifier are found at Open (a warning without
// post text), scored again by Rescore, and indexed with their new labels;
// a second Rescore has nothing to do.
func TestRescore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// The "old" classifier: a model that weighs nothing and calls every
	// post not_advert.
	def, err := classify.New(classify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	old, err := classify.New(classify.Options{Model: &classify.Model{Bias: -30}})
	if err != nil {
		t.Fatal(err)
	}
	advert := testPost(1, "UK 🇬🇧 boat from Dunkirk tonight, 100% guaranteed, £1200, WhatsApp +44 7700 900123")
	chatter := testPost(2, "who won the match yesterday")
	p := openTest(t, dir, Options{Classifier: old, BatchSize: 1})
	if _, err := p.Put(ctx, []crawler.Post{advert, chatter}); err != nil {
		t.Fatal(err)
	}
	if r := def.Classify(advert.Text); r.Label != classify.Advert {
		t.Fatalf("test advert scores %v (%s) with the built-in classifier; want advert", r.Score, r.Label)
	}
	got, err := p.Store().Get(ctx, advert.ID)
	if err != nil || got.Label != string(classify.NotAdvert) || got.Model != old.Version() {
		t.Fatalf("stored under the old classifier: label %q model %q, %v", got.Label, got.Model, err)
	}
	p.Close()

	var logs bytes.Buffer
	p = openTest(t, dir, Options{BatchSize: 1, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if !strings.Contains(logs.String(), "another classifier version") || !strings.Contains(logs.String(), "posts=2") {
		t.Errorf("Open did not warn of 2 stale posts: %s", logs.String())
	}
	var seen []RescoreProgress
	changed, err := p.Rescore(ctx, func(pr RescoreProgress) { seen = append(seen, pr) })
	if err != nil || changed < 1 {
		t.Fatalf("Rescore = %d, %v; want the advert changed", changed, err)
	}
	if len(seen) != 2 || seen[1].Done != 2 || seen[1].Total != 2 || seen[1].Changed != changed {
		t.Errorf("progress = %+v; want 2 batches ending at 2 of 2 done, %d changed", seen, changed)
	}
	got, err = p.Store().Get(ctx, advert.ID)
	if err != nil || got.Label != string(classify.Advert) || got.Model != def.Version() || got.Version != 1 {
		t.Errorf("rescored advert: label %q model %q version %d, %v", got.Label, got.Model, got.Version, err)
	}
	res, err := p.Index().Search(ctx, index.Request{Labels: []string{"advert"}})
	if err != nil || res.Total != 1 || res.Hits[0].ID != advert.ID {
		t.Errorf("index after Rescore: %+v, %v; want the advert under label advert", res, err)
	}
	checkInSync(t, p)
	if strings.Contains(logs.String(), secret) {
		t.Errorf("logs hold post text: %s", logs.String())
	}
	if n, err := p.Rescore(ctx, nil); err != nil || n != 0 {
		t.Errorf("second Rescore = %d, %v; want 0", n, err)
	}
	if n, _ := p.Store().CountStale(ctx, def.Version()); n != 0 {
		t.Errorf("%d stale posts after Rescore", n)
	}
}
