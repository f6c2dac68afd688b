package classify

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// langReportEnv makes TestLangReport print lang-ID accuracy per language on
// the train files; the misidentified posts too when it is "v".
const langReportEnv = "TIDEWATCH_LANG_REPORT"

// prefixLens are the lengths, in characters, of the beginnings of train
// posts that TestLangReport identifies too: short posts are common, and a
// post's first words are what a short one has.
var prefixLens = [...]int{30, 50, 80}

// TestLangReport prints the share of the train posts of each language that
// are identified as it, and of their first 30, 50 and 80 characters (of
// posts longer than that). It is a measuring tool, not a test: it runs
// only when TIDEWATCH_LANG_REPORT is set.
func TestLangReport(t *testing.T) {
	mode := os.Getenv(langReportEnv)
	if mode == "" {
		t.Skip(langReportEnv + " not set")
	}
	c := newTestClassifier(t)
	files, err := filepath.Glob("../testdata/corpus/train/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Skip("no train files")
	}
	type tally struct {
		n, right int
		as       map[string]int
		// prefix counts the beginnings of posts by prefixLens.
		prefix [len(prefixLens)]struct{ n, right int }
	}
	per := map[string]*tally{}
	var misses []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var ex struct{ ID, Text, Lang string }
			if json.Unmarshal(sc.Bytes(), &ex) != nil || ex.Lang == "" {
				continue
			}
			tl := per[ex.Lang]
			if tl == nil {
				tl = &tally{as: map[string]int{}}
				per[ex.Lang] = tl
			}
			tl.n++
			got := c.Classify(ex.Text).Lang
			if got == ex.Lang {
				tl.right++
			} else {
				tl.as[got]++
				misses = append(misses, fmt.Sprintf("%s %s→%s %q", ex.ID, ex.Lang, got, ex.Text))
			}
			rs := []rune(ex.Text)
			for i, n := range prefixLens {
				if len(rs) <= n {
					continue
				}
				tl.prefix[i].n++
				if got := c.Classify(string(rs[:n])).Lang; got == ex.Lang {
					tl.prefix[i].right++
				} else if mode == "v" {
					misses = append(misses, fmt.Sprintf("%s first %d: %s→%s %q", ex.ID, n, ex.Lang, got, string(rs[:n])))
				}
			}
		}
		fh.Close()
	}
	langs := make([]string, 0, len(per))
	for l := range per {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	var b strings.Builder
	pct := func(right, n int) string {
		if n == 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(right)/float64(n))
	}
	fmt.Fprintf(&b, "\n| lang | posts | lang-id | first %d chars | first %d | first %d | misread as |\n|---|---:|---:|---:|---:|---:|---|\n", prefixLens[0], prefixLens[1], prefixLens[2])
	var all tally
	for _, l := range langs {
		tl := per[l]
		var as []string
		for k, v := range tl.as {
			as = append(as, fmt.Sprintf("%s %d", k, v))
		}
		sort.Strings(as)
		fmt.Fprintf(&b, "| %s | %d | %s |", l, tl.n, pct(tl.right, tl.n))
		all.n, all.right = all.n+tl.n, all.right+tl.right
		for i, p := range tl.prefix {
			fmt.Fprintf(&b, " %s |", pct(p.right, p.n))
			all.prefix[i].n += p.n
			all.prefix[i].right += p.right
		}
		fmt.Fprintf(&b, " %s |\n", strings.Join(as, ", "))
	}
	fmt.Fprintf(&b, "| all | %d | %s |", all.n, pct(all.right, all.n))
	for _, p := range all.prefix {
		fmt.Fprintf(&b, " %s |", pct(p.right, p.n))
	}
	b.WriteString(" |\n")
	t.Log(b.String())
	if mode == "v" {
		for _, m := range misses {
			t.Log(m)
		}
	}
}

// BenchmarkLangDetect identifies the language of the benchmark posts, the
// part of BenchmarkClassify that langIdent takes.
func BenchmarkLangDetect(b *testing.B) {
	c := newTestClassifier(b)
	light := make([][]nrune, len(benchPosts))
	for i, p := range benchPosts {
		light[i] = normalizeRunes(p, modeLight, nil)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c.lang.detect(light[i%len(light)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}
