package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tidewatch/index"
)

// searchData writes a small index into a new data directory.
func searchData(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	ix, err := index.Open(filepath.Join(data, "index.bleve"), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	docs := []index.Doc{
		{ID: "telegram:fr/1", Platform: "telegram", URL: "https://t.me/x/1", Lang: "fr", Label: "advert", Score: 0.93,
			Text: "Traversées garanties vers l'Angleterre, bateaux neufs <b>", Groups: []string{"vehicle"},
			Phones: []string{"+33612345678"}, Published: day, Seq: 1},
		{ID: "mastodon:ckb/2", Platform: "mastodon", URL: "https://m.example/2", Lang: "ckb", Label: "advert", Score: 0.81,
			Text: "بەلەمەکان ئەمشەو دەڕۆن، واتساپ wa.me/447700900742", Groups: []string{"vehicle", "contact"},
			Phones: []string{"+447700900742"}, Handles: []string{"@balam_uk"}, Published: day.AddDate(0, 0, 1), Seq: 2},
		{ID: "facebook:en/3", Platform: "facebook", URL: "https://f.example/3", Lang: "en", Label: "not_advert", Score: 0.1,
			Text: "Coastguard rescued 40 people from a small boat", Groups: []string{"counter"}, Published: day.AddDate(0, 0, 2), Seq: 3},
		{ID: "telegram:ar/4", Platform: "telegram", URL: "https://t.me/y/4", Lang: "ar", Label: "review", Score: 0.6,
			Text: "نحن المهربين الأفضل، اتصل ٠٧٧٠٠٩٠٠٧٤٢", Phones: []string{"+447700900742"}, Published: day.AddDate(0, 0, 3), Seq: 4},
	}
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return data
}

func runSearchJSON(t *testing.T, data string, args ...string) searchOutput {
	t.Helper()
	var out, errb bytes.Buffer
	err := runSearch(context.Background(), streams{strings.NewReader(""), &out, &errb}, append([]string{"--data", data, "--json"}, args...))
	if err != nil {
		t.Fatalf("search %q: %v (stderr %q)", args, err, errb.String())
	}
	var res searchOutput
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("search %q printed %q: %v", args, out.String(), err)
	}
	return res
}

func hitIDs(res searchOutput) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestRunSearchFilters(t *testing.T) {
	data := searchData(t)
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"telegram:ar/4", "facebook:en/3", "mastodon:ckb/2", "telegram:fr/1"}},
		{[]string{"*"}, []string{"telegram:ar/4", "facebook:en/3", "mastodon:ckb/2", "telegram:fr/1"}},
		{[]string{"bateau"}, []string{"telegram:fr/1"}},
		{[]string{"بەلەم"}, []string{"mastodon:ckb/2"}},
		{[]string{"small", "boat"}, []string{"facebook:en/3"}},
		{[]string{"small", "--platform", "facebook", "boat"}, []string{"facebook:en/3"}},
		{[]string{"--platform", "telegram,mastodon", "--sort", "oldest"}, []string{"telegram:fr/1", "mastodon:ckb/2", "telegram:ar/4"}},
		{[]string{"--platform", "telegram", "--platform", "facebook", "--sort", "oldest"}, []string{"telegram:fr/1", "facebook:en/3", "telegram:ar/4"}},
		{[]string{"--lang", "ckb"}, []string{"mastodon:ckb/2"}},
		{[]string{"--label", "review"}, []string{"telegram:ar/4"}},
		{[]string{"--group", "contact"}, []string{"mastodon:ckb/2"}},
		{[]string{"--min-score", "0.8", "--sort", "score"}, []string{"telegram:fr/1", "mastodon:ckb/2"}},
		{[]string{"--max-score", "0.6", "--sort", "score"}, []string{"telegram:ar/4", "facebook:en/3"}},
		{[]string{"--since", "2025-06-02", "--until", "2025-06-03", "--sort", "oldest"}, []string{"mastodon:ckb/2", "facebook:en/3"}},
		{[]string{"--since", "2025-06-03T12:00:00Z", "--sort", "oldest"}, []string{"facebook:en/3", "telegram:ar/4"}},
		{[]string{"--phone", "07700 900742"}, []string{"telegram:ar/4", "mastodon:ckb/2"}},
		{[]string{"--phone", "+44 7700 900742"}, []string{"telegram:ar/4", "mastodon:ckb/2"}},
		{[]string{"--phone", "447700900742"}, []string{"telegram:ar/4", "mastodon:ckb/2"}},
		{[]string{"--handle", "@BALAM_UK"}, []string{"mastodon:ckb/2"}},
		{[]string{"--sort", "oldest", "--size", "1", "--page", "2"}, []string{"mastodon:ckb/2"}},
		{[]string{"--sort", "oldest", "--size", "2", "--from", "3"}, []string{"telegram:ar/4"}},
		{[]string{"--like", "mastodon:ckb/2"}, []string{"telegram:ar/4"}},
		{[]string{"--", "bateau", "--sort"}, []string{"telegram:fr/1"}}, // after --, words only: "--sort" is NOT "-sort"
	} {
		got := hitIDs(runSearchJSON(t, data, tt.args...))
		if !slices.Equal(got, tt.want) {
			t.Errorf("search %q = %v, want %v", tt.args, got, tt.want)
		}
	}
}

func TestRunSearchJSON(t *testing.T) {
	data := searchData(t)
	res := runSearchJSON(t, data, "bateau")
	if res.Total != 1 || len(res.Hits) != 1 || res.Size != 20 || res.From != 0 {
		t.Fatalf("result %+v", res)
	}
	h := res.Hits[0]
	if h.ID != "telegram:fr/1" || h.URL != "https://t.me/x/1" || h.Platform != "telegram" || h.Lang != "fr" ||
		h.Score != 0.93 || h.Label != "advert" || !strings.HasPrefix(h.Text, "Traversées") {
		t.Errorf("hit %+v", h)
	}
	if want := []string{"Traversées garanties vers l&#39;Angleterre, <mark>bateaux</mark> neufs &lt;b&gt;"}; !slices.Equal(h.Highlights, want) {
		t.Errorf("highlights %q, want %q", h.Highlights, want)
	}
	if f := res.Facets["platform"]; len(f) != 1 || f[0].Term != "telegram" || f[0].Count != 1 {
		t.Errorf("platform facet %v", f)
	}
	for _, name := range []string{"platform", "lang", "label", "group", "day"} {
		if _, ok := res.Facets[name]; !ok {
			t.Errorf("no %s facet in %v", name, res.Facets)
		}
	}
	if empty := runSearchJSON(t, data, "nosuchword"); empty.Total != 0 || empty.Hits == nil {
		t.Errorf("no match: %+v (hits must be [] not null)", empty)
	}
}

func TestRunSearchTable(t *testing.T) {
	data := searchData(t)
	var out bytes.Buffer
	if err := runSearch(context.Background(), streams{nil, &out, &bytes.Buffer{}}, []string{"--data", data, "bateau"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	for i, want := range []string{
		"SCORE  LABEL   PLATFORM  LANG  PUBLISHED   ID             URL",
		"0.93   advert  telegram  fr    2025-06-01  telegram:fr/1  https://t.me/x/1",
		"    Traversées garanties vers l'Angleterre, «bateaux» neufs <b>",
	} {
		if i >= len(lines) || lines[i] != want {
			t.Errorf("line %d = %q, want %q\n%s", i, lines[i], want, out.String())
		}
	}
	for _, want := range []string{"1 posts, 1-1 shown (", "platform: telegram 1\n", "label: advert 1\n", "group: vehicle 1\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRunSearchErrors(t *testing.T) {
	data := searchData(t)
	for _, tt := range []struct {
		args  []string
		want  string
		usage bool
	}{
		{[]string{`"unterminated`}, `search: bad query: unterminated phrase: missing closing " (at column 1)`, false},
		{[]string{"boat", "AND"}, "search: bad query: AND needs a term on its right (at column 6)", false},
		{[]string{"--phone", "call me"}, `search: bad query: phone "call me": not a phone number in any of the known formats`, false},
		{[]string{"--sort", "size"}, `search: bad query: sort "size": want relevance, date, oldest or score`, false},
		{[]string{"--since", "June"}, `usage: search: invalid value "June" for flag -since: "June": want YYYY-MM-DD or RFC 3339 (2025-06-01T12:00:00Z)`, true},
		{[]string{"--min-score", "high"}, `usage: search: invalid value "high" for flag -min-score: "high" is not a number`, true},
		{[]string{"--page", "0"}, "usage: search: --page 0: pages start at 1", true},
		{[]string{"--nope"}, "usage: search: flag provided but not defined: -nope", true},
		{[]string{"--like", "nope:1"}, "search: index: get " + filepath.Join(data, "index.bleve") + ": nope:1: post not in index", false},
	} {
		var out, errb bytes.Buffer
		err := runSearch(context.Background(), streams{nil, &out, &errb}, append([]string{"--data", data}, tt.args...))
		if err == nil || err.Error() != tt.want {
			t.Errorf("search %q: error %v, want %q", tt.args, err, tt.want)
			continue
		}
		if errors.Is(err, errUsage) != tt.usage {
			t.Errorf("search %q: usage error = %v, want %v", tt.args, !tt.usage, tt.usage)
		}
	}
	err := runSearch(context.Background(), streams{nil, &bytes.Buffer{}, &bytes.Buffer{}}, []string{"--data", t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "search: no index in ") || !strings.Contains(err.Error(), "run tidewatch crawl or tidewatch reindex first") {
		t.Errorf("search without an index: %v", err)
	}
	var help bytes.Buffer
	if err := runSearch(context.Background(), streams{nil, &bytes.Buffer{}, &help}, []string{"-h"}); err != nil || !strings.Contains(help.String(), "usage: tidewatch search") {
		t.Errorf("search -h: %v, %q", err, help.String())
	}
}

func TestRunGen(t *testing.T) {
	var a, b bytes.Buffer
	if err := runGen(context.Background(), streams{nil, &a, &bytes.Buffer{}}, []string{"--posts", "50", "--seed", "3"}); err != nil {
		t.Fatal(err)
	}
	if err := runGen(context.Background(), streams{nil, &b, &bytes.Buffer{}}, []string{"--posts", "50", "--seed", "3"}); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("the same seed wrote different posts")
	}
	lines := strings.Split(strings.TrimSpace(a.String()), "\n")
	if len(lines) != 50 {
		t.Fatalf("%d lines, want 50", len(lines))
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		for _, k := range []string{"id", "platform", "source", "url", "author", "text", "lang", "published", "score", "label", "groups", "phones", "handles"} {
			if _, ok := m[k]; !ok {
				t.Errorf("line lacks %q: %s", k, l)
			}
		}
	}
	out := filepath.Join(t.TempDir(), "posts.jsonl")
	if err := runGen(context.Background(), streams{nil, &bytes.Buffer{}, &bytes.Buffer{}}, []string{"--posts", "5", "--out", out}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--posts", "-1"}, "gen: usage: --posts -1: must not be negative"},
		{[]string{"extra"}, `gen: usage: unexpected argument "extra"`},
		{[]string{"--out", filepath.Join(t.TempDir(), "no", "such", "dir.jsonl")}, "gen: open "},
	} {
		err := runGen(context.Background(), streams{nil, &bytes.Buffer{}, &bytes.Buffer{}}, tt.args)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("gen %q: %v, want %q", tt.args, err, tt.want)
		}
	}
}
