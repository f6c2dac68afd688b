package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tidewatch/demosite"
	"tidewatch/seeds"
)

// cli runs one tidewatch command in-process and returns its output.
func cli(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), streams{strings.NewReader(stdin), &out, &errb}, args)
	return out.String(), errb.String(), err
}

// demoSeeds writes the bundled demo seeds pointed at base, with short
// delays so that a test crawl takes seconds.
func demoSeeds(t *testing.T, base string) string {
	t.Helper()
	y := strings.ReplaceAll(string(seeds.DemoYAML), seeds.DemoBase, base)
	y = strings.ReplaceAll(y, "delay: 100ms", "delay: 5ms")
	path := filepath.Join(t.TempDir(), "seeds.yaml")
	if err := os.WriteFile(path, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

type searchJSON struct {
	Total uint64 `json:"total"`
	Hits  []struct {
		ID         string   `json:"id"`
		URL        string   `json:"url"`
		Platform   string   `json:"platform"`
		Lang       string   `json:"lang"`
		Score      *float64 `json:"score"`
		Label      string   `json:"label"`
		Text       string   `json:"text"`
		Highlights []string `json:"highlights"`
	} `json:"hits"`
	Facets map[string][]struct {
		Term  string `json:"term"`
		Count int    `json:"count"`
	} `json:"facets"`
}

func search(t *testing.T, data string, args ...string) searchJSON {
	t.Helper()
	out, errOut, err := cli(t, "", append([]string{"search", "--data", data, "--json"}, args...)...)
	if err != nil {
		t.Fatalf("search %q: %v\nstderr: %s", args, err, errOut)
	}
	var res searchJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search %q --json printed %q: %v", args, out, err)
	}
	return res
}

// TestCrawlThenSearch is the foundation's spine end to end: crawl every
// demo source through the CLI, crawl again, and find the posts.
func TestCrawlThenSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls demosite")
	}
	site := httptest.NewServer(demosite.New())
	defer site.Close()
	seedsPath := demoSeeds(t, site.URL)
	data := filepath.Join(t.TempDir(), "data")

	out, errOut, err := cli(t, "", "crawl", "--seeds", seedsPath, "--data", data)
	if err != nil {
		t.Fatalf("crawl: %v\nstderr: %s", err, errOut)
	}
	if !strings.Contains(out, "SOURCE") {
		t.Errorf("crawl printed no summary table:\n%s", out)
	}
	if info, err := os.Stat(data); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("data dir mode = %v, %v; want 0700", info.Mode().Perm(), err)
	}
	all := search(t, data, "*")
	if all.Total < 50 {
		t.Fatalf("after one crawl the index holds %d posts; want the demo's ~100", all.Total)
	}
	platforms := map[string]bool{}
	for _, f := range all.Facets["platform"] {
		platforms[f.Term] = f.Count > 0
	}
	for _, p := range []string{"telegram", "forum", "feed", "mastodon"} {
		if !platforms[p] {
			t.Errorf("no %s posts indexed; facets %+v", p, all.Facets["platform"])
		}
	}
	for _, h := range all.Hits {
		if h.ID == "" || h.URL == "" || h.Platform == "" || h.Label == "" || h.Score == nil {
			t.Errorf("hit lacks a field of the contract: %+v", h)
		}
	}

	// Again: nothing new is stored or indexed.
	if _, errOut, err := cli(t, "", "crawl", "--seeds", seedsPath, "--data", data, "--backfill"); err != nil {
		t.Fatalf("second crawl: %v\nstderr: %s", err, errOut)
	}
	if again := search(t, data, ""); again.Total != all.Total {
		t.Errorf("second crawl changed the post count from %d to %d", all.Total, again.Total)
	}

	adverts := search(t, data, "--label", "advert", "--sort", "score", "whatsapp")
	if adverts.Total == 0 {
		t.Fatalf("no advert mentions whatsapp")
	}
	for _, h := range adverts.Hits {
		if h.Label != "advert" || !strings.Contains(strings.ToLower(h.Text), "whatsapp") && len(h.Highlights) == 0 {
			t.Errorf("hit %s (%s) does not match label:advert whatsapp", h.ID, h.Label)
		}
	}

	out, _, err = cli(t, "", "sources", "--seeds", seedsPath, "--data", data)
	if err != nil {
		t.Fatalf("sources: %v", err)
	}
	if !strings.Contains(out, "tg-uk-safe-trip") || strings.Contains(out, "never  never") {
		t.Errorf("sources table lacks a run of every source:\n%s", out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"crawl"}, "crawl needs --seeds FILE"},
		{[]string{"serve"}, "serve needs --seeds FILE"},
		{[]string{"sources"}, "sources needs --seeds FILE"},
		{[]string{"crawl", "--bogus"}, "flag provided but not defined: -bogus"},
	} {
		_, _, err := cli(t, "", tt.args...)
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("tidewatch %q: error %v, want a usage error containing %q", tt.args, err, tt.want)
		}
	}
	_, _, err := cli(t, "", "crawl", "--seeds", "/nonexistent/seeds.yaml")
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/seeds.yaml") {
		t.Errorf("crawl with a missing seeds file: %v, want an error naming the file", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("sources:\n  - name: x\n    kind: gopher\n    urls: [\"https://a.example/\"]\n"), 0o600)
	_, _, err = cli(t, "", "crawl", "--seeds", bad)
	if err == nil || !strings.Contains(err.Error(), bad+":3: sources[0](x).kind") {
		t.Errorf("crawl with a bad seeds file: %v, want file:line: field", err)
	}
}

// TestHelpStops checks that -h prints a command's flags and stops there,
// successfully, instead of running the command without its flags.
func TestHelpStops(t *testing.T) {
	for _, cmd := range []string{"crawl", "serve", "sources", "demo", "reindex", "demosite"} {
		_, errOut, err := cli(t, "", cmd, "-h")
		if err != nil || !strings.Contains(errOut, "-data") {
			t.Errorf("tidewatch %s -h: %v, stderr %q; want nil and the flags", cmd, err, errOut)
		}
	}
}
