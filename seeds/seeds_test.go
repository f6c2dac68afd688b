package seeds

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// src is a valid source to build failing files from.
const src = `  - name: a
    kind: feed
    urls: ["https://example.org/feed"]
`

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		want []string // each error, "line field: message", in order
		bug  string   // a known bug in Parse: skip, saying why, until fixed
	}{
		{"syntax", "sources: [\n", []string{"1 (syntax): did not find expected node content"}, ""},
		{"tab", "sources:\n\t- name: a\n", []string{"2 (syntax): found character that cannot start any token"}, ""},
		{"empty", "", []string{"1 sources: file is empty"}, ""},
		{"only comments", "# nothing yet\n", []string{"1 sources: file is empty"}, ""},
		{"top level list", "- a\n", []string{"1 (top level): want a mapping with user_agent and sources"}, ""},
		{"user_agent list", "user_agent: [a]\nsources:\n" + src, []string{"1 user_agent: want a string"}, ""},
		{"unknown top field", "sauces:\n" + src + "sources:\n" + src, []string{"1 sauces: unknown field (want user_agent or sources)"}, ""},
		{"no sources", "user_agent: x\n", []string{"1 sources: missing: a seeds file lists at least one source"}, ""},
		{"sources null", "sources:\n", []string{"1 sources: want a list of sources"}, ""},
		{"sources mapping", "sources: {a: 1}\n", []string{"1 sources: want a list of sources"}, ""},
		{"sources empty", "sources: []\n", []string{"1 sources: empty: list at least one source"}, ""},
		{"source not a mapping", "sources:\n  - just a string\n", []string{"2 sources[0]: want a mapping with name, kind, urls, schedule"}, ""},
		{"unknown source field", "sources:\n" + src + "    colour: red\n", []string{"5 sources[0].colour: unknown field"}, ""},
		{"no name", "sources:\n  - kind: feed\n    urls: [\"https://e.org/\"]\n", []string{"2 sources[0].name: missing: every source needs a name"}, ""},
		{"name with space", "sources:\n  - name: my feed\n    kind: feed\n    urls: [\"https://e.org/\"]\n",
			[]string{`2 sources[0].name: "my feed": use letters, digits, '-' and '_' only`}, ""},
		{"name with a colon", "sources:\n  - name: a:b\n    kind: feed\n    urls: [\"https://e.org/\"]\n",
			[]string{`2 sources[0].name: "a:b": use letters, digits, '-' and '_' only`}, ""},
		{"name a list", "sources:\n  - name: [a]\n    kind: feed\n    urls: [\"https://e.org/\"]\n",
			[]string{"2 sources[0].name: want a string", "2 sources[0].name: missing: every source needs a name"}, ""},
		{"duplicate name", "sources:\n" + src + src, []string{`5 sources[1].name: "a" already names the source at line 2`}, ""},
		{"no kind", "sources:\n  - name: a\n    urls: [\"https://e.org/\"]\n", []string{"2 sources[0](a).kind: missing: want telegram, html, feed or mastodon"}, ""},
		{"bad kind", "sources:\n  - name: a\n    kind: rss\n    urls: [\"https://e.org/\"]\n",
			[]string{`3 sources[0](a).kind: "rss" is not a kind: want telegram, html, feed or mastodon`}, ""},
		{"no urls", "sources:\n  - name: a\n    kind: feed\n", []string{"2 sources[0](a).urls: missing: list at least one start URL"}, ""},
		{"urls empty", "sources:\n  - name: a\n    kind: feed\n    urls: []\n", []string{"4 sources[0](a).urls: want a non-empty list of URLs"}, ""},
		{"urls a string", "sources:\n  - name: a\n    kind: feed\n    urls: https://e.org/\n", []string{"4 sources[0](a).urls: want a non-empty list of URLs"}, ""},
		{"bad urls", "sources:\n  - name: a\n    kind: feed\n    urls:\n      - ftp://e.org/\n      - \"::\"\n      - http://\n",
			[]string{`5 sources[0](a).urls[0]: "ftp://e.org/": want an http or https URL`,
				`6 sources[0](a).urls[1]: "::" is not a URL: parse "::": missing protocol scheme`,
				`7 sources[0](a).urls[2]: "http://" has no host`}, ""},
		{"bad schedule", "sources:\n" + src + "    schedule: every day\n",
			[]string{`5 sources[0](a).schedule: "every day" is not a cron schedule: expected exactly 5 fields, found 2: [every day]`}, ""},
		{"six-field schedule", "sources:\n" + src + "    schedule: \"0 0 * * * *\"\n",
			[]string{`5 sources[0](a).schedule: "0 0 * * * *" is not a cron schedule: expected exactly 5 fields, found 6: [0 0 * * * *]`}, ""},
		{"bad delay", "sources:\n" + src + "    delay: 2\n", []string{`5 sources[0](a).delay: "2" is not a duration (e.g. 2s, 500ms)`}, ""},
		{"negative delay", "sources:\n" + src + "    delay: -1s\n", []string{`5 sources[0](a).delay: "-1s" is negative`}, ""},
		{"zero parallelism", "sources:\n" + src + "    parallelism: 0\n", []string{`5 sources[0](a).parallelism: want a whole number of at least 1, got "0"`}, ""},
		{"bad max_pages", "sources:\n" + src + "    max_pages: lots\n", []string{`5 sources[0](a).max_pages: want a whole number of at least 1, got "lots"`}, ""},
		{"fractional max_depth", "sources:\n" + src + "    max_depth: 1.5\n", []string{`5 sources[0](a).max_depth: want a whole number of at least 1, got "1.5"`}, ""},
		{"html without selectors", "sources:\n  - name: a\n    kind: html\n    urls: [\"https://e.org/\"]\n",
			[]string{"2 sources[0](a).selectors.post: missing: an html source needs a CSS selector for each post",
				"2 sources[0](a).selectors.text: missing: an html source needs a CSS selector for the post text"}, ""},
		{"selectors a list", "sources:\n  - name: a\n    kind: html\n    urls: [\"https://e.org/\"]\n    selectors: [a]\n",
			[]string{"5 sources[0](a).selectors: want a mapping of post, text, author, date, permalink, next",
				"2 sources[0](a).selectors.post: missing: an html source needs a CSS selector for each post",
				"2 sources[0](a).selectors.text: missing: an html source needs a CSS selector for the post text"}, ""},
		{"unknown selector", "sources:\n  - name: a\n    kind: html\n    urls: [\"https://e.org/\"]\n    selectors:\n      post: p\n      text: p\n      body: p\n",
			[]string{"8 sources[0](a).selectors.body: unknown selector (want post, text, author, date, permalink, next, thread)"}, ""},
		{"selectors on a feed", "sources:\n" + src + "    selectors:\n      post: p\n",
			[]string{"6 sources[0](a).selectors: only html sources take selectors, this one is feed"}, ""},
		{"several sources, several errors", "sources:\n" + src + "  - name: b\n    kind: feed\n    urls: [\"https://e.org/\"]\n    delay: soon\n  - name: a\n    kind: x\n    urls: [\"https://e.org/\"]\n",
			[]string{`8 sources[1](b).delay: "soon" is not a duration (e.g. 2s, 500ms)`,
				`10 sources[2](a).kind: "x" is not a kind: want telegram, html, feed or mastodon`,
				`9 sources[2].name: "a" already names the source at line 2`}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("f.yaml", []byte(tt.in))
			got := describe(err)
			if f != nil || strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				if tt.bug != "" {
					t.Skipf("known bug: %s (got %q)", tt.bug, got)
				}
				t.Errorf("Parse(%q) = %v, errors:\n%s\nwant:\n%s", tt.in, f, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if tt.bug != "" {
				t.Errorf("bug %q is fixed: drop the bug note", tt.bug)
			}
			// The message a user reads names the file, the line and the field.
			if err != nil && !strings.HasPrefix(err.Error(), "f.yaml:") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
}

// describe lists each *Error in err as "line field: message", checking
// that every one names the file.
func describe(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	var es Errors
	var e *Error
	switch {
	case errors.As(err, &es):
		for _, e := range es {
			out = append(out, line(e))
		}
	case errors.As(err, &e):
		out = append(out, line(e))
	default:
		out = append(out, "not an *Error: "+err.Error())
	}
	return out
}

func line(e *Error) string {
	s := fmt.Sprintf("%d %s: %v", e.Line, e.Field, e.Err)
	if e.File != "f.yaml" {
		s = "wrong file " + e.File + ": " + s
	}
	if want := fmt.Sprintf("%s:%d: %s: %v", e.File, e.Line, e.Field, e.Err); e.Error() != want {
		s += " (Error() = " + e.Error() + ")"
	}
	return s
}

func TestParseDefaults(t *testing.T) {
	in := `sources:
  - name: bare
    kind: telegram
    urls: ["https://t.me/s/somechannel"]
  - name: full
    kind: html
    urls: ["https://forum.example/board/12", "http://forum.example/board/13"]
    schedule: "@hourly"
    delay: 500ms
    parallelism: 2
    max_pages: 7
    max_depth: 3
    selectors:
      post: "article.post"
      text: ".body"
      author: ".author"
      date: "time@datetime"
      permalink: "a.permalink@href"
      next: "a.next@href"
      thread: "a.thread@href"
`
	f, err := Parse("ok.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if f.Path != "ok.yaml" || f.UserAgent != DefaultUserAgent || len(f.Sources) != 2 {
		t.Fatalf("Path %q UserAgent %q, %d sources", f.Path, f.UserAgent, len(f.Sources))
	}
	bare := f.Sources[0]
	if bare.Name != "bare" || bare.Kind != Telegram || len(bare.URLs) != 1 || bare.Schedule != DefaultSchedule ||
		bare.Delay != DefaultDelay || bare.Parallelism != DefaultParallelism || bare.MaxPages != DefaultMaxPages ||
		bare.MaxDepth != DefaultMaxDepth || bare.Selectors != (Selectors{}) || bare.Line != 2 {
		t.Errorf("defaults: %+v", bare)
	}
	full := f.Sources[1]
	want := Source{Name: "full", Kind: HTML, URLs: []string{"https://forum.example/board/12", "http://forum.example/board/13"},
		Schedule: "@hourly", Delay: 500 * time.Millisecond, Parallelism: 2, MaxPages: 7, MaxDepth: 3, Line: 5,
		Selectors: Selectors{Post: "article.post", Text: ".body", Author: ".author", Date: "time@datetime",
			Permalink: "a.permalink@href", Next: "a.next@href", Thread: "a.thread@href"}}
	if full.Name != want.Name || full.Kind != want.Kind || strings.Join(full.URLs, " ") != strings.Join(want.URLs, " ") ||
		full.Schedule != want.Schedule || full.Delay != want.Delay || full.Parallelism != want.Parallelism ||
		full.MaxPages != want.MaxPages || full.MaxDepth != want.MaxDepth || full.Selectors != want.Selectors || full.Line != want.Line {
		t.Errorf("got  %+v\nwant %+v", full, want)
	}
	if s, ok := f.Find("full"); !ok || s.Name != "full" {
		t.Errorf("Find(full) = %v, %v", s, ok)
	}
	if _, ok := f.Find("nope"); ok {
		t.Error("Find(nope) found something")
	}
	if f, err := Parse("ua.yaml", []byte("user_agent: \"me/1.0\"\nsources:\n"+src)); err != nil || f.UserAgent != "me/1.0" {
		t.Errorf("user_agent: %v, %v", f, err)
	}
}

func TestParseSchedule(t *testing.T) {
	for _, tt := range []struct {
		spec string
		ok   bool
	}{
		{"*/15 * * * *", true}, {"0 * * * *", true}, {"@hourly", true}, {"@daily", true},
		{"", false}, {"* * * *", false}, {"0 0 * * * *", false}, {"61 * * * *", false}, {"@sometimes", false},
	} {
		s, err := ParseSchedule(tt.spec)
		if (err == nil) != tt.ok {
			t.Errorf("ParseSchedule(%q) error = %v, want ok %v", tt.spec, err, tt.ok)
		}
		if err == nil {
			from := time.Date(2026, 1, 1, 0, 0, 30, 0, time.UTC)
			if next := s.Next(from); !next.After(from) {
				t.Errorf("ParseSchedule(%q).Next(%v) = %v", tt.spec, from, next)
			}
		}
	}
}

func TestLoad(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.yaml"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "seeds: open ") {
		t.Errorf("Load(missing) = %v, want a not-exist error", err)
	}
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte("sources:\n  - name: a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(path)
	var e *Error
	if !errors.As(err, &e) || e.File != path || !strings.HasPrefix(err.Error(), path+":2: sources[0](a).kind: missing") {
		t.Errorf("Load(bad) = %v, want errors naming %s", err, path)
	}
}

// The bundled demo seeds load, and every source points at demosite's
// default address, which the demo rewrites.
func TestDemoSeeds(t *testing.T) {
	f, err := Load("demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, s := range f.Sources {
		kinds[s.Kind]++
		for _, u := range s.URLs {
			if !strings.HasPrefix(u, "http://127.0.0.1:8081/") {
				t.Errorf("%s: URL %q is not on http://127.0.0.1:8081", s.Name, u)
			}
		}
		if s.Kind == HTML && (s.Selectors.Thread == "" || s.Selectors.Next == "" || s.Selectors.Permalink == "") {
			t.Errorf("%s: want thread, next and permalink selectors for the demo forum", s.Name)
		}
	}
	for _, k := range []string{Telegram, HTML, Feed, Mastodon} {
		if kinds[k] == 0 {
			t.Errorf("no %s source in demo.yaml", k)
		}
	}
}
