package crawler

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestProgressWriterTerminal(t *testing.T) {
	var b bytes.Buffer
	pw := NewProgressWriter(&b, true)
	pw.Update(Progress{Source: "alpha", URL: "http://x/1", Pages: 5, MaxPages: 10, PostsNew: 40, PostsSeen: 2})
	pw.Update(Progress{Source: "b", URL: "http://y/1", Pages: 1, MaxPages: 50, PostsNew: 3})
	pw.Update(Progress{Source: "alpha", Pages: 6, MaxPages: 10, PostsNew: 41, PostsSeen: 2, Errors: 1, Done: true})
	want := "\r\x1b[2Kalpha [############............]   5/10  pages     40 new      2 seen    0 errors\n" +
		"\x1b[1A\r\x1b[2Kalpha [############............]   5/10  pages     40 new      2 seen    0 errors\n" +
		"\r\x1b[2Kb     [........................]   1/50  pages      3 new      0 seen    0 errors\n" +
		"\x1b[2A\r\x1b[2Kalpha [########################]   6/10  pages     41 new      2 seen    1 errors  done\n" +
		"\r\x1b[2Kb     [........................]   1/50  pages      3 new      0 seen    0 errors\n"
	if got := b.String(); got != want {
		t.Errorf("terminal output:\n%q\nwant\n%q", got, want)
	}
}

func TestProgressWriterPlain(t *testing.T) {
	var b bytes.Buffer
	pw := NewProgressWriter(&b, false)
	pw.Update(Progress{Source: "alpha", URL: "http://x/1", Pages: 1, MaxPages: 10, PostsNew: 4})
	pw.Update(Progress{Source: "alpha", Pages: 1, MaxPages: 10, PostsNew: 4, Done: true, Err: errors.New("crawl alpha: no page")})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines: %q", len(lines), b.String())
	}
	for i, want := range []string{
		`level=INFO msg=page source=alpha url=http://x/1 pages=1 new=4 seen=0 errors=0`,
		`level=INFO msg="crawl finished" source=alpha pages=1 new=4 seen=0 errors=0 err="crawl alpha: no page"`,
	} {
		if !strings.HasPrefix(lines[i], "time=") || !strings.HasSuffix(lines[i], want) {
			t.Errorf("line %d = %q, want …%q", i, lines[i], want)
		}
	}
	if strings.Contains(b.String(), "\x1b") {
		t.Error("escape codes without a terminal")
	}
}

func TestWriteSummary(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var b bytes.Buffer
	WriteSummary(&b, []Stats{
		{Source: "channel", Started: t0, Finished: t0.Add(1500 * time.Millisecond), Pages: 12, PostsNew: 200, PostsSeen: 40, Truncated: true, Errors: map[string]int{}},
		{Source: "forum", Started: t0, Finished: t0.Add(time.Second), Pages: 0, Errors: map[string]int{"timeout": 2, "http_404": 1}, LastError: "fetch http://f/x: timeout:\n context deadline exceeded"},
	})
	want := "SOURCE   PAGES  NEW  SEEN  ERRORS                TOOK  LAST ERROR\n" +
		"channel  12+    200  40    0                     1.5s\n" +
		"forum    0      0    0     http_404=1 timeout=2  1s    fetch http://f/x: timeout: context deadline exceeded\n" +
		"total    12     200  40    3\n"
	if got := b.String(); got != want {
		t.Errorf("summary:\n%s\nwant\n%s", got, want)
	}
}
