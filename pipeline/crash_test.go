package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tidewatch/crawler"
	"tidewatch/demosite"
	"tidewatch/index"
	"tidewatch/seeds"
	"tidewatch/store"
)

// The helper process reads its work from these.
const (
	envCrashData = "TIDEWATCH_TEST_CRASH_DATA"
	envCrashSite = "TIDEWATCH_TEST_CRASH_SITE"
)

// crashSeeds are the bundled demo seeds, pointed at site: every kind of
// source demosite serves. The sources are all on one host and share its
// politeness gate, so with the delay a whole crawl takes a few seconds,
// long enough to be killed in the middle of.
func crashSeeds(site string) (*seeds.File, error) {
	f, err := seeds.Parse("demo.yaml", bytes.ReplaceAll(seeds.DemoYAML, []byte(seeds.DemoBase), []byte(site)))
	if err != nil {
		return nil, err
	}
	for i := range f.Sources {
		f.Sources[i].Delay = crashDelay
	}
	return f, nil
}

const crashDelay = 20 * time.Millisecond

// TestHelperCrawl is not a test: it is the child process of
// TestKillAndRestart, which runs the test binary again with the
// environment set. It opens the data directory, says "ready", crawls every
// source once as a scheduled run would, saying "page" after each page that
// held new posts, and says "done".
func TestHelperCrawl(t *testing.T) {
	data, site := os.Getenv(envCrashData), os.Getenv(envCrashSite)
	if data == "" || site == "" {
		t.Skip("helper process for TestKillAndRestart")
	}
	ctx := context.Background()
	p, err := Open(ctx, data, Options{IgnoreRobots: true, BatchSize: 7})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	f, err := crashSeeds(site)
	if err != nil {
		fmt.Println("seeds:", err)
		os.Exit(3)
	}
	fmt.Println("ready")
	// A line for each page that held new posts, for the parent to time
	// its kill by.
	last := map[string]int{}
	progress := func(pr crawler.Progress) {
		if !pr.Done && pr.PostsNew > last[pr.Source] {
			fmt.Println("page")
		}
		last[pr.Source] = pr.PostsNew
	}
	if _, err := p.Crawl(ctx, f, CrawlOptions{Progress: progress}); err != nil {
		fmt.Println("crawl:", err)
		os.Exit(4)
	}
	if err := p.Close(); err != nil {
		fmt.Println("close:", err)
		os.Exit(5)
	}
	fmt.Println("done")
}

// child is one run of the helper process.
type child struct {
	cmd   *exec.Cmd
	lines chan string // its standard output, closed at EOF
}

func startChild(t *testing.T, data, site string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCrawl$", "-test.count=1")
	cmd.Env = append(os.Environ(), envCrashData+"="+data, envCrashSite+"="+site)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, lines: make(chan string, 100)}
	go func() {
		defer close(c.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		io.Copy(io.Discard, out)
	}()
	return c
}

// waitFor reads the child's output until a line equal to want, and fails
// the test on anything else that ends the output first.
func (c *child) waitFor(t *testing.T, want string, timeout time.Duration) {
	t.Helper()
	deadline := time.After(timeout)
	var seen []string
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				c.cmd.Wait()
				t.Fatalf("child exited (%v) before %q; output %q", c.cmd.ProcessState, want, seen)
			}
			if l == want {
				return
			}
			seen = append(seen, l)
		case <-deadline:
			c.cmd.Process.Kill()
			c.cmd.Wait()
			t.Fatalf("child did not say %q within %v; output %q", want, timeout, seen)
		}
	}
}

func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Logf("kill: %v (the child had finished)", err)
	}
	c.cmd.Wait()
	for range c.lines {
	}
}

// storedIDs lists the posts in the store of data, opened as a crash
// leaves it.
func storedIDs(t *testing.T, data string) map[string]bool {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(data, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ids := map[string]bool{}
	var after int64
	for {
		ps, err := st.Since(ctx, after, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) == 0 {
			return ids
		}
		for _, p := range ps {
			if ids[p.ID] {
				t.Errorf("post %s returned twice by Since", p.ID)
			}
			ids[p.ID] = true
		}
		after = ps[len(ps)-1].Seq
	}
}

// TestKillAndRestart kills a crawling process with SIGKILL at several
// points, restarts it each time, finally lets it finish, and checks that
// nothing stored before a kill was lost, that the store is sound, that the
// index holds every stored post exactly once, and that a backfill finds
// nothing the interrupted crawls missed.
//
// Kills are timed by pages of new posts, not by the clock, so that they
// land in the middle of the crawl however slow the machine (the race
// detector makes it several times slower); the extra wait after the page
// moves the kill between fetching, classifying, storing and indexing.
func TestKillAndRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary several times")
	}
	site := httptest.NewServer(demosite.New())
	defer site.Close()
	data := filepath.Join(t.TempDir(), "data")

	before := map[string]bool{}
	for _, k := range []struct {
		pages int
		wait  time.Duration
	}{
		{0, 0},                     // catching up, robots, the first fetch
		{1, 0},                     // just after new posts were stored
		{2, 25 * time.Millisecond}, // inside the next page
	} {
		c := startChild(t, data, site.URL)
		c.waitFor(t, "ready", 60*time.Second)
		for range k.pages {
			c.waitFor(t, "page", 60*time.Second)
		}
		time.Sleep(k.wait)
		c.kill(t)
		got := storedIDs(t, data)
		for id := range before {
			if !got[id] {
				t.Errorf("kill after %d pages + %v: %s, stored before, is gone", k.pages, k.wait, id)
			}
		}
		t.Logf("killed after %d pages + %v: %d posts stored", k.pages, k.wait, len(got))
		before = got
	}

	c := startChild(t, data, site.URL)
	c.waitFor(t, "ready", 60*time.Second)
	c.waitFor(t, "done", 120*time.Second)
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("final run: %v", err)
	}
	got := storedIDs(t, data)
	for id := range before {
		if !got[id] {
			t.Errorf("after the final run: %s, stored before a kill, is gone", id)
		}
	}
	if len(got) == 0 {
		t.Fatal("nothing stored")
	}

	// The store and index as the last process left them, not as Open
	// would repair them.
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(data, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	n, _ := st.Count(ctx)
	maxSeq, _ := st.MaxSeq(ctx)
	st.Close()
	ix, err := index.Open(filepath.Join(data, IndexDir), index.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	indexed, _ := ix.Count()
	wm, _ := ix.Watermark()
	if indexed != uint64(n) || wm != maxSeq {
		t.Errorf("index: %d posts, watermark %d; store: %d posts, max seq %d", indexed, wm, n, maxSeq)
	}
	inIndex := map[string]int{}
	for from := 0; ; from += 1000 {
		res, err := ix.Search(ctx, index.Request{Query: "*", Size: 1000, From: from, Sort: "oldest"})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			inIndex[h.ID]++
		}
		if len(res.Hits) < 1000 {
			break
		}
	}
	ix.Close()
	for id := range got {
		if inIndex[id] != 1 {
			t.Errorf("stored post %s is in the index %d times, want once", id, inIndex[id])
		}
	}
	for id := range inIndex {
		if !got[id] {
			t.Errorf("index holds %s, which is not stored", id)
		}
	}

	// A backfill reads every listing to the end: it must find nothing new.
	p, err := Open(ctx, data, Options{IgnoreRobots: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	f, err := crashSeeds(site.URL)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := p.Crawl(ctx, f, CrawlOptions{Backfill: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stats {
		if s.PostsNew != 0 {
			t.Errorf("backfill of %s found %d posts the interrupted crawls missed", s.Source, s.PostsNew)
		}
	}
	if all := storedIDs(t, data); len(all) != len(got) {
		t.Errorf("backfill: %d posts stored, %d before", len(all), len(got))
	}
}
