package store

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
)

// Posts scored by another classifier version are found, page by page, and
// a new classification replaces the old one: a changed one with a new seq
// (so the index picks it up), an unchanged one keeping its seq, one whose
// text changed meanwhile not at all.
func TestReclassify(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	var posts []Post
	for _, id := range []string{"telegram:c/1", "telegram:c/2", "telegram:c/3", "telegram:c/4"} {
		p := samplePost(id, "text of "+id)
		p.Model = "1-old"
		posts = append(posts, p)
	}
	posts[3].Model = "2-new"
	if _, err := s.Upsert(ctx, posts); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountStale(ctx, "2-new"); err != nil || n != 3 {
		t.Fatalf("CountStale = %d, %v; want 3", n, err)
	}
	page1, err := s.Stale(ctx, "2-new", "", 2)
	if err != nil || !slices.Equal(ids(page1), []string{"telegram:c/1", "telegram:c/2"}) {
		t.Fatalf("Stale page 1 = %v, %v", ids(page1), err)
	}
	page2, err := s.Stale(ctx, "2-new", page1[1].ID, 2)
	if err != nil || !slices.Equal(ids(page2), []string{"telegram:c/3"}) {
		t.Fatalf("Stale page 2 = %v, %v", ids(page2), err)
	}
	if page1[0].Model != "1-old" {
		t.Errorf("Stale post Model = %q, want 1-old", page1[0].Model)
	}
	maxSeq, _ := s.MaxSeq(ctx)

	// 1: rescored as review, with other entities; 2: same result; 3: its
	// text changed after it was read.
	one, two, three := page1[0], page1[1], page2[0]
	one.Score, one.Label, one.Lang, one.Langs = 0.4, "review", "fr", []string{"en"}
	one.Explanation = json.RawMessage(`{"indicators":[],"entities":[],"explanation":"weaker"}`)
	one.Entities = []Entity{{"phone", "+447700900001"}}
	newer := samplePost(three.ID, "edited text")
	newer.Model = "1-old"
	if _, err := s.Upsert(ctx, []Post{newer}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*Post{&one, &two, &three} {
		p.Model = "2-new"
	}
	changed, err := s.Reclassify(ctx, []Post{one, two, three, {ID: "telegram:gone", TextHash: "x", Model: "2-new"}})
	if err != nil || changed != 1 {
		t.Fatalf("Reclassify = %d, %v; want 1 changed", changed, err)
	}
	got, err := s.Get(ctx, one.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Score != 0.4 || got.Label != "review" || got.Lang != "fr" || !slices.Equal(got.Langs, []string{"en"}) ||
		got.Model != "2-new" || string(got.Explanation) != string(one.Explanation) ||
		!slices.Equal(got.Entities, []Entity{{"phone", "+447700900001"}}) {
		t.Errorf("rescored post = %+v", got)
	}
	if got.Text != one.Text || got.Version != 1 || got.Capture != one.Capture || got.Seq <= maxSeq+1 {
		t.Errorf("rescoring touched text/version/capture or kept seq: %+v (max seq before %d)", got, maxSeq)
	}
	got2, _ := s.Get(ctx, two.ID)
	if got2.Model != "2-new" || got2.Seq != two.Seq || got2.Score != two.Score {
		t.Errorf("unchanged post: model %q seq %d score %v; want 2-new, seq %d kept", got2.Model, got2.Seq, got2.Score, two.Seq)
	}
	got3, _ := s.Get(ctx, three.ID)
	if got3.Model != "1-old" || got3.Text != "edited text" {
		t.Errorf("post edited meanwhile: model %q text %q; want it left for the next pass", got3.Model, got3.Text)
	}
	if n, _ := s.CountStale(ctx, "2-new"); n != 1 {
		t.Errorf("CountStale after = %d, want 1 (the edited post)", n)
	}
	if vs, _ := s.Versions(ctx, one.ID); len(vs) != 0 {
		t.Errorf("rescoring made versions: %+v", vs)
	}
}
