package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tidewatch/classify"
	"tidewatch/crawler"
	"tidewatch/demosite"
	"tidewatch/evidence"
	"tidewatch/index"
	"tidewatch/seeds"
	"tidewatch/store"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// secret is in every test post's text; logs must never contain it.
const secret = "zqxj-secret-text"

func openTest(t *testing.T, dir string, opts Options) *Pipeline {
	t.Helper()
	p, err := Open(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func testPost(i int, text string) crawler.Post {
	return crawler.Post{
		ID:        fmt.Sprintf("telegram:boats/%d", i),
		Platform:  "telegram",
		Source:    "boats",
		URL:       fmt.Sprintf("https://t.me/boats/%d", i),
		Author:    "Boats",
		AuthorURL: "https://t.me/boats",
		Text:      text + " " + secret,
		Published: t0.Add(-time.Duration(i) * time.Minute),
		Fetched:   t0,
		Links:     []string{"https://wa.me/447700900123"},
		Media:     []string{"https://cdn.example/p.jpg"},
		Capture: evidence.Ref{File: "x.warc.gz", RecordID: "<urn:uuid:00000000-0000-0000-0000-000000000001>",
			Digest: "sha256:00", Captured: t0},
	}
}

// checkInSync asserts the index holds exactly the stored posts.
func checkInSync(t *testing.T, p *Pipeline) {
	t.Helper()
	ctx := context.Background()
	n, err := p.Store().Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	max, err := p.Store().MaxSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Index().Count()
	if err != nil {
		t.Fatal(err)
	}
	wm, err := p.Index().Watermark()
	if err != nil {
		t.Fatal(err)
	}
	if got != uint64(n) || wm != max {
		t.Errorf("index count %d watermark %d; store count %d max seq %d", got, wm, n, max)
	}
	if lag, err := p.IndexLag(ctx); err != nil || lag != 0 {
		t.Errorf("IndexLag = %d, %v; want 0", lag, err)
	}
}

func TestOpenDataDir(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	p := openTest(t, dir, Options{})
	for _, tt := range []struct {
		name string
		dir  bool
		mode os.FileMode
	}{
		{"", true, 0o700},
		{DBFile, false, 0o600},
		{WARCDir, true, 0o700},
		{IndexDir, true, 0},
	} {
		fi, err := os.Stat(filepath.Join(dir, tt.name))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if fi.IsDir() != tt.dir {
			t.Errorf("%s: IsDir = %v, want %v", tt.name, fi.IsDir(), tt.dir)
		}
		if tt.mode != 0 && fi.Mode().Perm() != tt.mode {
			t.Errorf("%s: mode %v, want %v", tt.name, fi.Mode().Perm(), tt.mode)
		}
	}
	if p.Dir() != dir || p.Store() == nil || p.Index() == nil || p.Classifier() == nil || p.Evidence() == nil {
		t.Errorf("accessors: dir %q store %v index %v", p.Dir(), p.Store(), p.Index())
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}

	// An existing directory open to others is narrowed, and says so.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	p = openTest(t, dir, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("re-opened data dir mode %v, want 0700", fi.Mode().Perm())
	}
	if !strings.Contains(logs.String(), "data directory was open to other users; narrowed") || !strings.Contains(logs.String(), "was=-rwxr-xr-x") {
		t.Errorf("logs = %q, want a warning about the mode", logs.String())
	}
	p.Close()

	file := filepath.Join(root, "file")
	os.WriteFile(file, nil, 0o600)
	if _, err := Open(context.Background(), file, Options{}); err == nil ||
		err.Error() != "pipeline: open "+file+": "+file+" is not a directory" {
		t.Errorf("Open(file) = %v", err)
	}
}

func TestPutNewKnownChanged(t *testing.T) {
	ctx := context.Background()
	var logs bytes.Buffer
	p := openTest(t, t.TempDir(), Options{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	texts := []string{
		"Boat from Dunkirk to UK tonight, 100% guaranteed, price 1500 euro, WhatsApp +44 7700 900123",
		"Home Secretary announces new customs partnership with France",
		"Lorry to England every week, places available, contact on Telegram @crossnow",
	}
	var posts []crawler.Post
	for i, text := range texts {
		posts = append(posts, testPost(i, text))
	}
	known, err := p.Put(ctx, posts)
	if err != nil || !reflect.DeepEqual(known, []bool{false, false, false}) {
		t.Fatalf("Put new = %v, %v", known, err)
	}
	for _, cp := range posts {
		sp, err := p.Store().Get(ctx, cp.ID)
		if err != nil {
			t.Fatal(err)
		}
		r := p.Classifier().Classify(cp.Text)
		if sp.Text != cp.Text || sp.URL != cp.URL || sp.Author != cp.Author || sp.AuthorURL != cp.AuthorURL ||
			!sp.Published.Equal(cp.Published) || !sp.Fetched.Equal(cp.Fetched) ||
			!reflect.DeepEqual(sp.Links, cp.Links) || !reflect.DeepEqual(sp.Media, cp.Media) {
			t.Errorf("%s: stored post %+v does not match crawled %+v", cp.ID, sp, cp)
		}
		want := store.Capture{File: cp.Capture.File, Record: cp.Capture.RecordID, Digest: cp.Capture.Digest, Captured: cp.Capture.Captured}
		if sp.Capture != want {
			t.Errorf("%s: capture %+v, want %+v", cp.ID, sp.Capture, want)
		}
		if sp.Score != r.Score || sp.Label != string(r.Label) || sp.Lang != r.Lang ||
			sp.LangConfidence != r.LangConfidence || !slices.Equal(sp.Langs, r.Langs) {
			t.Errorf("%s: classification %v %q %q %v %v, want %v %q %q %v %v", cp.ID,
				sp.Score, sp.Label, sp.Lang, sp.LangConfidence, sp.Langs, r.Score, r.Label, r.Lang, r.LangConfidence, r.Langs)
		}
		if sp.TextHash == "" || sp.Version != 1 {
			t.Errorf("%s: text hash %q version %d", cp.ID, sp.TextHash, sp.Version)
		}
		var expl map[string]json.RawMessage
		if err := json.Unmarshal(sp.Explanation, &expl); err != nil {
			t.Fatalf("%s: explanation %s: %v", cp.ID, sp.Explanation, err)
		}
		for _, k := range []string{"indicators", "entities", "explanation"} {
			if _, ok := expl[k]; !ok {
				t.Errorf("%s: explanation has no %q: %s", cp.ID, k, sp.Explanation)
			}
		}
		if len(sp.Entities) != len(dedupEntities(r)) {
			t.Errorf("%s: %d entities stored, classifier found %v", cp.ID, len(sp.Entities), r.Entities)
		}
	}
	checkInSync(t, p)

	// Again, with post 1 edited.
	posts[1].Text = "Home Secretary announces a customs partnership, updated " + secret
	posts[1].Fetched = t0.Add(time.Hour)
	known, err = p.Put(ctx, posts)
	if err != nil || !reflect.DeepEqual(known, []bool{true, false, true}) {
		t.Fatalf("Put again = %v, %v; want [true false true]", known, err)
	}
	sp, _ := p.Store().Get(ctx, posts[1].ID)
	if sp.Version != 2 || sp.Seq != 4 || sp.Text != posts[1].Text {
		t.Errorf("changed post: version %d seq %d", sp.Version, sp.Seq)
	}
	if vs, _ := p.Store().Versions(ctx, posts[1].ID); len(vs) != 1 || vs[0].Text != texts[1]+" "+secret {
		t.Errorf("versions = %+v", vs)
	}
	checkInSync(t, p)

	if known, err := p.Put(ctx, nil); err != nil || known != nil {
		t.Errorf("Put(nil) = %v, %v", known, err)
	}
	bad := testPost(9, "x")
	bad.Fetched = time.Time{}
	if _, err := p.Put(ctx, []crawler.Post{bad}); err == nil ||
		err.Error() != "pipeline: put: store.Upsert telegram:boats/9: missing fetched time" {
		t.Errorf("Put without fetched time = %v", err)
	}
	if strings.Contains(logs.String(), secret) {
		t.Errorf("logs contain post text:\n%s", logs.String())
	}
}

func dedupEntities(r interface{}) []string {
	b, _ := json.Marshal(r)
	var x struct {
		Entities []struct{ Kind, Value string }
	}
	json.Unmarshal(b, &x)
	seen := map[string]bool{}
	var out []string
	for _, e := range x.Entities {
		k := e.Kind + "\x00" + e.Value
		if e.Kind != "" && e.Value != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// Posts stored while the index was not looking (a kill between commit and
// index write) are indexed by the next Open.
func TestOpenCatchesUp(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p := openTest(t, dir, Options{BatchSize: 3})
	if _, err := p.Put(ctx, []crawler.Post{testPost(0, "a"), testPost(1, "b")}); err != nil {
		t.Fatal(err)
	}
	var more []store.Post
	for i := 2; i < 12; i++ {
		more = append(more, store.Post{ID: fmt.Sprint("feed:", i), Platform: "feed", Source: "f",
			URL: fmt.Sprint("https://f.example/", i), Text: fmt.Sprint("text ", i), Fetched: t0})
	}
	if _, err := p.Store().Upsert(ctx, more); err != nil {
		t.Fatal(err)
	}
	if lag, err := p.IndexLag(ctx); err != nil || lag != 10 {
		t.Errorf("IndexLag = %d, %v; want 10", lag, err)
	}
	p.Close()
	p = openTest(t, dir, Options{BatchSize: 3})
	checkInSync(t, p)
	if n, _ := p.Index().Count(); n != 12 {
		t.Errorf("index count %d, want 12", n)
	}
}

func TestOpenRebuildsBadIndex(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		break_ func(t *testing.T, dir string)
		log    string
	}{
		{"garbage", func(t *testing.T, dir string) {
			idx := filepath.Join(dir, IndexDir)
			os.RemoveAll(idx)
			os.MkdirAll(idx, 0o700)
			os.WriteFile(filepath.Join(idx, "index_meta.json"), []byte("{not json"), 0o600)
		}, "index unreadable; moved aside and rebuilding from the store"},
		{"a file", func(t *testing.T, dir string) {
			idx := filepath.Join(dir, IndexDir)
			os.RemoveAll(idx)
			os.WriteFile(idx, []byte("x"), 0o600)
		}, "index unreadable; moved aside and rebuilding from the store"},
		{"from another store", func(t *testing.T, dir string) {
			for _, f := range []string{DBFile, DBFile + "-wal", DBFile + "-shm"} {
				os.Remove(filepath.Join(dir, f))
			}
			st, err := store.Open(ctx, filepath.Join(dir, DBFile))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if _, err := st.Upsert(ctx, []store.Post{{ID: "feed:1", Platform: "feed", Source: "f", URL: "https://f.example/1", Text: "one", Fetched: t0}}); err != nil {
				t.Fatal(err)
			}
		}, "index does not match the store; moved aside and rebuilding"},
		{"holding purged posts", func(t *testing.T, dir string) {
			st, err := store.Open(ctx, filepath.Join(dir, DBFile))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if _, err := st.Purge(ctx, t0.Add(time.Second)); err != nil { // purges all three, behind the index's back
				t.Fatal(err)
			}
			if _, err := st.Upsert(ctx, []store.Post{{ID: "feed:1", Platform: "feed", Source: "f", URL: "https://f.example/1", Text: "one", Fetched: t0.Add(time.Hour)}}); err != nil {
				t.Fatal(err)
			}
		}, "index does not match the store; moved aside and rebuilding"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := openTest(t, dir, Options{})
			if _, err := p.Put(ctx, []crawler.Post{testPost(0, "a"), testPost(1, "b"), testPost(2, "c")}); err != nil {
				t.Fatal(err)
			}
			p.Close()
			tt.break_(t, dir)
			var logs bytes.Buffer
			p = openTest(t, dir, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if !strings.Contains(logs.String(), tt.log) {
				t.Errorf("logs = %q, want %q", logs.String(), tt.log)
			}
			checkInSync(t, p)
			aside, _ := filepath.Glob(filepath.Join(dir, IndexDir+".broken-*"))
			if len(aside) != 1 {
				t.Errorf("moved-aside indexes: %v, want one", aside)
			}
		})
	}
}

func TestReindex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p := openTest(t, dir, Options{BatchSize: 2})
	var posts []crawler.Post
	for i := range 5 {
		posts = append(posts, testPost(i, fmt.Sprint("post ", i)))
	}
	if _, err := p.Put(ctx, posts); err != nil {
		t.Fatal(err)
	}
	old := p.Index()
	n, err := p.Reindex(ctx)
	if err != nil || n != 5 {
		t.Fatalf("Reindex = %d, %v; want 5", n, err)
	}
	if p.Index() == old {
		t.Error("Reindex kept the old index")
	}
	if segs, err := p.Index().Segments(); err != nil || segs != 1 {
		t.Errorf("after Reindex the index has %d segments, %v; want 1 (compacted)", segs, err)
	}
	checkInSync(t, p)
	// Nothing left beside the index.
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{IndexDir, DBFile, DBFile + "-shm", DBFile + "-wal", WARCDir}; !reflect.DeepEqual(names, want) {
		t.Errorf("data dir holds %v, want %v", names, want)
	}
	// The rebuilt index keeps catching up.
	if _, err := p.Put(ctx, []crawler.Post{testPost(7, "later")}); err != nil {
		t.Fatal(err)
	}
	checkInSync(t, p)

	ctx2, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := p.Reindex(ctx2); !errors.Is(err, context.Canceled) {
		t.Errorf("Reindex with cancelled ctx = %v, want context.Canceled", err)
	}
	checkInSync(t, p)
	if _, err := os.Stat(filepath.Join(dir, IndexDir+rebuildSuffix)); !os.IsNotExist(err) {
		t.Errorf("failed rebuild left its directory: %v", err)
	}
}

func TestPurge(t *testing.T) {
	ctx := context.Background()
	now := t0.Add(48 * time.Hour)
	p := openTest(t, t.TempDir(), Options{Retention: 24 * time.Hour, Now: func() time.Time { return now }})
	old, fresh := testPost(0, "old"), testPost(1, "fresh")
	fresh.Fetched = now.Add(-time.Hour)
	if _, err := p.Put(ctx, []crawler.Post{old, fresh}); err != nil {
		t.Fatal(err)
	}
	n, err := p.Purge(ctx)
	if err != nil || n != 1 {
		t.Fatalf("Purge = %d, %v; want 1", n, err)
	}
	if _, err := p.Store().Get(ctx, old.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("purged post still stored: %v", err)
	}
	checkInSync(t, p)
	if n, _ := p.Index().Count(); n != 1 {
		t.Errorf("index count %d, want 1", n)
	}

	keep := openTest(t, t.TempDir(), Options{Now: func() time.Time { return now }})
	if _, err := keep.Put(ctx, []crawler.Post{old}); err != nil {
		t.Fatal(err)
	}
	if n, err := keep.Purge(ctx); err != nil || n != 0 {
		t.Errorf("Purge without retention = %d, %v; want 0", n, err)
	}
}

func TestCrawlUnknownSource(t *testing.T) {
	p := openTest(t, t.TempDir(), Options{})
	f := &seeds.File{Sources: []seeds.Source{{Name: "a"}, {Name: "b"}}}
	_, err := p.Crawl(context.Background(), f, CrawlOptions{Source: "c"})
	if !errors.Is(err, ErrUnknownSource) || err.Error() != `pipeline: crawl "c": no such source in the seeds file (have a, b)` {
		t.Errorf("Crawl unknown source = %v", err)
	}
}

// The index doc carries what the store holds, with entities sorted into
// phones, handles and links.
func TestDoc(t *testing.T) {
	p := &Pipeline{}
	sp := store.Post{
		ID: "telegram:c/1", Platform: "telegram", Source: "s", URL: "https://t.me/c/1", Author: "a",
		Text: "Call ME", Lang: "en", Langs: []string{"en"}, Score: 0.9, Label: "advert",
		Explanation: json.RawMessage(`{"indicators":[{"group":"price"},{"group":"contact"},{"group":"price"}]}`),
		Links:       []string{"https://wa.me/1"},
		Entities: []store.Entity{{Kind: "phone", Value: "+447700900123"}, {Kind: "whatsapp", Value: "+447700900123"}, {Kind: "telegram", Value: "@x"},
			{Kind: "handle", Value: "@y"}, {Kind: "link", Value: "https://wa.me/1"}, {Kind: "link", Value: "https://z.example"}, {Kind: "price", Value: "1500 EUR"}},
		Published: t0, Fetched: t0, Seq: 9,
	}
	got := p.doc(&sp)
	want := index.Doc{
		ID: sp.ID, Platform: "telegram", Source: "s", URL: sp.URL, Author: "a", Text: "Call ME",
		NormText: classify.Normalize("Call ME"), Lang: "en", Langs: []string{"en"}, Score: 0.9, Label: "advert",
		Groups: []string{"price", "contact"}, Phones: []string{"+447700900123"}, Handles: []string{"@x", "@y"},
		Links: []string{"https://wa.me/1", "https://z.example"}, Published: t0, Fetched: t0, Seq: 9,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("doc:\n got %+v\nwant %+v", got, want)
	}
	if sp.Links[0] != "https://wa.me/1" || len(sp.Links) != 1 {
		t.Errorf("doc changed the post's links: %v", sp.Links)
	}
	if g := groups(json.RawMessage("{bad")); g != nil {
		t.Errorf("groups of bad JSON = %v", g)
	}
}

func demoSeeds(t *testing.T, site string) *seeds.File {
	t.Helper()
	f, err := crashSeeds(site)
	if err != nil {
		t.Fatal(err)
	}
	for i := range f.Sources {
		f.Sources[i].Delay = 5 * time.Millisecond
	}
	return f
}

// A crawl of demosite stores, classifies and indexes its posts, records one
// run per source, and a second crawl finds them known.
func TestCrawlDemosite(t *testing.T) {
	ctx := context.Background()
	site := httptest.NewServer(demosite.New())
	defer site.Close()
	var logs syncBuffer
	p := openTest(t, t.TempDir(), Options{IgnoreRobots: true, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	f := demoSeeds(t, site.URL)

	var progress []crawler.Progress
	stats, err := p.Crawl(ctx, f, CrawlOptions{Progress: func(pr crawler.Progress) { progress = append(progress, pr) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != len(f.Sources) {
		t.Fatalf("%d stats for %d sources", len(stats), len(f.Sources))
	}
	if len(progress) == 0 || !progress[len(progress)-1].Done {
		t.Errorf("progress: %d reports, last %+v", len(progress), progress[len(progress)-1:])
	}
	total := 0
	for _, st := range stats {
		total += st.PostsNew
	}
	n, _ := p.Store().Count(ctx)
	if n == 0 || n != total {
		t.Errorf("store holds %d posts, the runs counted %d new", n, total)
	}
	checkInSync(t, p)
	runs, err := p.Store().Runs(ctx, "", 100)
	if err != nil || len(runs) != len(f.Sources) {
		t.Fatalf("runs = %d, %v; want %d", len(runs), err, len(f.Sources))
	}
	for _, r := range runs {
		st := statsFor(stats, r.Source)
		if !r.Completed || r.Pages != st.Pages || r.PostsNew != st.PostsNew || r.PostsSeen != st.PostsSeen || r.PostsChanged != 0 {
			t.Errorf("run %+v does not match stats %+v", r, st)
		}
	}
	// Adverts are found: demosite is mostly adverts.
	ads, err := p.Index().Search(ctx, index.Request{Labels: []string{"advert"}})
	if err != nil || ads.Total == 0 {
		t.Errorf("search for adverts: %v, %v", ads, err)
	}

	// Again, only the Telegram source: everything is known.
	stats, err = p.Crawl(ctx, f, CrawlOptions{Source: "tg-uk-safe-trip"})
	if err != nil || len(stats) != 1 || stats[0].PostsNew != 0 || stats[0].PostsSeen == 0 {
		t.Errorf("second crawl = %+v, %v; want only known posts", stats, err)
	}
	if m, _ := p.Store().Count(ctx); m != n {
		t.Errorf("second crawl changed the count %d -> %d", n, m)
	}
	sums, err := p.Store().SourceSummaries(ctx)
	if err != nil || len(sums) != len(f.Sources) {
		t.Fatalf("SourceSummaries = %d, %v", len(sums), err)
	}
	for _, s := range sums {
		if s.Source == "tg-uk-safe-trip" && s.Runs != 2 {
			t.Errorf("summary %+v, want 2 runs", s)
		}
	}
	// No post text in the logs.
	texts, _ := p.Store().Since(ctx, 0, 1000)
	for _, sp := range texts {
		if len(sp.Text) > 20 && strings.Contains(logs.String(), sp.Text[:20]) {
			t.Errorf("logs contain the text of %s", sp.ID)
		}
	}
	if !strings.Contains(logs.String(), "crawl run finished") {
		t.Errorf("logs have no run summary: %s", logs.String())
	}
}

func statsFor(stats []crawler.Stats, source string) crawler.Stats {
	for _, st := range stats {
		if st.Source == source {
			return st
		}
	}
	return crawler.Stats{}
}

// The scheduler records each run and calls the caller's OnRun after.
func TestScheduler(t *testing.T) {
	site := httptest.NewServer(demosite.New())
	defer site.Close()
	p := openTest(t, t.TempDir(), Options{IgnoreRobots: true})
	f := demoSeeds(t, site.URL)
	f.Sources = f.Sources[:1]
	f.Sources[0].Schedule = "@every 1s"
	done := make(chan crawler.Stats, 10)
	s, err := p.Scheduler(f, crawler.ScheduleOptions{Jitter: -1, OnRun: func(st crawler.Stats, err error) {
		if err != nil {
			t.Errorf("scheduled run: %v", err)
		}
		done <- st
	}})
	if err != nil {
		t.Fatal(err)
	}
	s.Start(context.Background())
	var st crawler.Stats
	select {
	case st = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("no scheduled run within 20s")
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	runs, err := p.Store().Runs(context.Background(), f.Sources[0].Name, 10)
	if err != nil || len(runs) == 0 {
		t.Fatalf("runs = %v, %v", runs, err)
	}
	if r := runs[len(runs)-1]; r.Pages != st.Pages || r.PostsNew != st.PostsNew || !r.Completed {
		t.Errorf("recorded run %+v, stats %+v", r, st)
	}
	checkInSync(t, p)

	bad := &seeds.File{Sources: []seeds.Source{{Name: "x", Schedule: "not cron"}}}
	if _, err := p.Scheduler(bad, crawler.ScheduleOptions{}); err == nil || !strings.HasPrefix(err.Error(), `pipeline: scheduler: schedule source x: "not cron"`) {
		t.Errorf("Scheduler with a bad schedule = %v", err)
	}
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Only the latest index moved aside is kept.
func TestMoveAside(t *testing.T) {
	dir := filepath.Join(t.TempDir(), IndexDir)
	var last string
	for i := range 3 {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "f"), []byte{byte(i)}, 0o600)
		aside, err := moveAside(dir)
		if err != nil {
			t.Fatal(err)
		}
		last = aside
	}
	all, _ := filepath.Glob(dir + ".broken-*")
	if len(all) != 1 || all[0] != last {
		t.Errorf("moved aside: %v, want only %s", all, last)
	}
	if b, _ := os.ReadFile(filepath.Join(last, "f")); len(b) != 1 || b[0] != 2 {
		t.Errorf("the kept copy is not the latest: %v", b)
	}
	if _, err := moveAside(dir); err == nil || !strings.HasPrefix(err.Error(), "moving the index aside: ") {
		t.Errorf("moveAside of a missing dir = %v", err)
	}
	if _, err := os.Stat(last); err != nil {
		t.Errorf("a failed moveAside removed the kept copy: %v", err)
	}
}

// The language the platform declares is kept where the text says too
// little to tell.
func TestPutDeclaredLanguage(t *testing.T) {
	ctx := context.Background()
	p := openTest(t, t.TempDir(), Options{})
	post := func(id int, text, lang string) crawler.Post {
		cp := testPost(id, "")
		cp.Text, cp.Lang = text, lang
		return cp
	}
	posts := []crawler.Post{
		post(1, "🇬🇧🇬🇧 ✅", "fr"),
		post(2, "🇬🇧🇬🇧 ✅", ""),
		post(3, "The boys arrived safely this morning, next trip on Thursday from the beach", "de"),
	}
	if _, err := p.Put(ctx, posts); err != nil {
		t.Fatal(err)
	}
	und := p.Classifier().Classify(posts[0].Text).Lang
	declared := "fr"
	if und != "" && und != "und" {
		declared = und // the classifier does tell: it wins
	}
	for i, want := range []string{declared, und, p.Classifier().Classify(posts[2].Text).Lang} {
		sp, err := p.Store().Get(ctx, posts[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if sp.Lang != want {
			t.Errorf("%s: lang %q, want %q", sp.ID, sp.Lang, want)
		}
	}
}
