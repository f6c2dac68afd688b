package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tidewatch/index"
	"tidewatch/store"
)

// storeWith returns a new data directory whose store holds one feed post
// per text (feed:0, feed:1, …), unclassified, and no index.
func storeWith(t *testing.T, texts ...string) string {
	t.Helper()
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(data, "tidewatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	var posts []store.Post
	for i, text := range texts {
		posts = append(posts, store.Post{
			ID: fmt.Sprintf("feed:%d", i), Platform: "feed", Source: "f", URL: fmt.Sprintf("https://f.example/%d", i),
			Text: text, Fetched: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), Label: "not_advert",
		})
	}
	if _, err := st.Upsert(ctx, posts); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return data
}

func TestReindexCommand(t *testing.T) {
	ctx := context.Background()
	var texts []string
	for i := range 7 {
		texts = append(texts, fmt.Sprintf("post number %d", i))
	}
	data := storeWith(t, texts...)

	var out, errOut bytes.Buffer
	if err := run(ctx, streams{strings.NewReader(""), &out, &errOut}, []string{"reindex", "--data", data}); err != nil {
		t.Fatalf("reindex: %v (stderr %q)", err, errOut.String())
	}
	if !regexp.MustCompile(`^indexed 7 posts in [0-9.]+m?s\n$`).MatchString(out.String()) {
		t.Errorf("reindex output = %q, want \"indexed 7 posts in <duration>\"", out.String())
	}
	ix, err := index.Open(filepath.Join(data, "index.bleve"), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, err := ix.Count(); err != nil || n != 7 {
		t.Errorf("index count = %d, %v; want 7", n, err)
	}
	if wm, err := ix.Watermark(); err != nil || wm != 7 {
		t.Errorf("index watermark = %d, %v; want 7", wm, err)
	}
}

func TestReindexUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"reindex", "extra"}, `usage: reindex takes no arguments, got ["extra"]`},
		{[]string{"reindex", "--nope"}, "usage: reindex: flag provided but not defined: -nope"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), streams{strings.NewReader(""), &out, &errOut}, tt.args)
		if !errors.Is(err, errUsage) || err.Error() != tt.want {
			t.Errorf("run(%q) = %v, want usage error %q", tt.args, err, tt.want)
		}
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), streams{strings.NewReader(""), &out, &errOut}, []string{"reindex", "-h"}); err != nil {
		t.Errorf("reindex -h = %v, want nil", err)
	}
	if !strings.Contains(errOut.String(), "usage: tidewatch reindex [--data DIR]") || !strings.Contains(errOut.String(), "-data") {
		t.Errorf("reindex -h printed %q", errOut.String())
	}
}

// Posts stored without a classifier version (before migration 3) are
// scored again by rescore, and the advert among them is found by label.
func TestRescoreCommand(t *testing.T) {
	ctx := context.Background()
	data := storeWith(t,
		"UK 🇬🇧 boat from Dunkirk tonight, 100% guaranteed, £1200, WhatsApp +44 7700 900123",
		"who won the match yesterday",
		"ferry tickets Calais to Dover booked for the school trip",
	)
	var out, errOut bytes.Buffer
	if err := run(ctx, streams{strings.NewReader(""), &out, &errOut}, []string{"rescore", "--data", data}); err != nil {
		t.Fatalf("rescore: %v (stderr %q)", err, errOut.String())
	}
	if !regexp.MustCompile(`^scored 3 posts again \(classifier [0-9]+-[0-9a-f]{16}\): [1-3] changed, in [0-9.]+m?s\n$`).MatchString(out.String()) {
		t.Errorf("rescore output = %q", out.String())
	}
	out.Reset()
	if err := run(ctx, streams{strings.NewReader(""), &out, &errOut}, []string{"search", "--data", data, "--json", "--label", "advert"}); err != nil {
		t.Fatalf("search: %v (stderr %q)", err, errOut.String())
	}
	var res struct {
		Hits []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || len(res.Hits) != 1 || res.Hits[0].ID != "feed:0" {
		t.Errorf("search --label advert after rescore = %s (%v); want feed:0 only", out.String(), err)
	}
	out.Reset()
	if err := run(ctx, streams{strings.NewReader(""), &out, &errOut}, []string{"rescore", "--data", data}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "scored 0 posts again") {
		t.Errorf("second rescore = %q, want nothing to do", out.String())
	}
	if err := run(ctx, streams{strings.NewReader(""), &out, &errOut}, []string{"rescore", "--data", data, "extra"}); !errors.Is(err, errUsage) {
		t.Errorf("rescore extra = %v, want a usage error", err)
	}
}
