package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

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

const crashDelay = 50 * time.Millisecond

// TestHelperCrawl is not a test: it is the child process of
// TestKillAndRestart, which runs the test binary again with the
// environment set. It opens the data directory, says "ready", crawls every
// source once and exits.
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
	if _, err := p.Crawl(ctx, f, CrawlOptions{Backfill: false}); err != nil {
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
// nothing stored before a kill was lost, that the store is sound, and that
// the index holds every stored post exactly once.
func TestKillAndRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary several times")
	}
	site := httptest.NewServer(demosite.New())
	defer site.Close()

	// A clean crawl, to know what a whole one stores.
	clean := filepath.Join(t.TempDir(), "clean")
	c := startChild(t, clean, site.URL)
	c.waitFor(t, "ready", 30*time.Second)
	start := time.Now()
	c.waitFor(t, "done", 60*time.Second)
	c.cmd.Wait()
	want := storedIDs(t, clean)
	t.Logf("a clean crawl stored %d posts in %v", len(want), time.Since(start).Round(time.Millisecond))
	if len(want) == 0 {
		t.Fatal("a clean crawl of demosite stored no posts")
	}

	data := filepath.Join(t.TempDir(), "data")
	before := map[string]bool{}
	for _, after := range []time.Duration{200 * time.Millisecond, 500 * time.Millisecond, time.Second, 1500 * time.Millisecond} {
		c := startChild(t, data, site.URL)
		c.waitFor(t, "ready", 30*time.Second)
		time.Sleep(after)
		c.kill(t)
		got := storedIDs(t, data)
		for id := range before {
			if !got[id] {
				t.Errorf("kill %v after ready: %s, stored before, is gone", after, id)
			}
		}
		t.Logf("killed %v after ready: %d posts stored", after, len(got))
		before = got
	}

	c = startChild(t, data, site.URL)
	c.waitFor(t, "ready", 30*time.Second)
	c.waitFor(t, "done", 60*time.Second)
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("final run: %v", err)
	}

	got := storedIDs(t, data)
	for id := range before {
		if !got[id] {
			t.Errorf("after the final run: %s, stored before a kill, is gone", id)
		}
	}
	if missing := diff(want, got); len(missing) > 0 {
		t.Errorf("after the final run, %d posts of a clean crawl are missing: %v", len(missing), missing)
	}
	if extra := diff(got, want); len(extra) > 0 {
		t.Errorf("after the final run, %d posts a clean crawl does not have: %v", len(extra), extra)
	}

	// The store and index as the last process left them, not as Open
	// would repair them.
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(data, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	n, _ := st.Count(ctx)
	maxSeq, _ := st.MaxSeq(ctx)
	ix, err := index.Open(filepath.Join(data, IndexDir), index.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
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
}

// diff lists the keys of a that are not in b, sorted.
func diff(a, b map[string]bool) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(a)) {
		if !b[k] {
			out = append(out, k)
		}
	}
	return out
}
