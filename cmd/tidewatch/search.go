package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"tidewatch/index"
)

const searchUsage = `usage: tidewatch search [flags] [QUERY]

Searches the index. An empty QUERY or * matches every post, so that the
filters alone narrow the set. QUERY syntax (see README "Search syntax"):
  boat calais          both words (in any language's inflection)
  boat OR lorry        either;  NOT or -word excludes;  ( ) group
  "small boat"         a phrase
  guarant*  gomone~1   a prefix; a fuzzy word (1 or 2 edits)
  platform:telegram phone:"+44 7700 900742" handle:@name lang:ckb group:documents
Flags may come before or after the query.
`

// listFlag collects a repeatable, comma-separated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// scoreFlag is an optional float.
type scoreFlag struct{ v *float64 }

func (f *scoreFlag) String() string {
	if f.v == nil {
		return ""
	}
	return strconv.FormatFloat(*f.v, 'g', -1, 64)
}
func (f *scoreFlag) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("%q is not a number", s)
	}
	f.v = &v
	return nil
}

// dateFlag is a YYYY-MM-DD date or an RFC 3339 time; end makes a bare
// date mean the end of that day (for --until, which is inclusive).
type dateFlag struct {
	t   time.Time
	end bool
}

func (f *dateFlag) String() string {
	if f.t.IsZero() {
		return ""
	}
	return f.t.Format(time.RFC3339)
}
func (f *dateFlag) Set(s string) error {
	t, ok := index.ParseDay(s, f.end)
	if !ok {
		return fmt.Errorf("%q: want YYYY-MM-DD or RFC 3339 (2025-06-01T12:00:00Z)", s)
	}
	f.t = t
	return nil
}

// runSearch is `tidewatch search [filters] [QUERY]`.
func runSearch(ctx context.Context, s streams, args []string) error {
	fl, data := newFlags("search", s)
	asJSON := fl.Bool("json", false, "print JSON (total, hits, facets) instead of a table")
	var platforms, langs, labels, groups, sources listFlag
	fl.Var(&platforms, "platform", "only these platforms (repeat or comma-separate)")
	fl.Var(&langs, "lang", "only these languages (ISO codes: ckb, ar, fr, …)")
	fl.Var(&labels, "label", "only these labels: advert, review, not_advert")
	fl.Var(&groups, "group", "only posts with one of these indicator groups")
	fl.Var(&sources, "source", "only these sources")
	var minScore, maxScore scoreFlag
	fl.Var(&minScore, "min-score", "lowest classifier score, 0-1")
	fl.Var(&maxScore, "max-score", "highest classifier score, 0-1")
	since := dateFlag{}
	until := dateFlag{end: true}
	fl.Var(&since, "since", "published on or after (YYYY-MM-DD or RFC 3339)")
	fl.Var(&until, "until", "published on or before this day (YYYY-MM-DD), or before this time (RFC 3339)")
	phone := fl.String("phone", "", "posts with this phone number, in any format (+44 7700 900742, 07700900742, 0044…)")
	handle := fl.String("handle", "", "posts with this handle (@name, t.me/name)")
	link := fl.String("link", "", "posts with this link")
	like := fl.String("like", "", "posts like the post with this ID (more like this)")
	sortBy := fl.String("sort", "", "relevance, date, oldest or score (default: relevance with a query, else date)")
	size := fl.Int("size", 20, "hits per page (1-1000)")
	page := fl.Int("page", 1, "page number, from 1")
	from := fl.Int("from", -1, "hits to skip (instead of --page)")
	fl.Usage = func() {
		fmt.Fprint(s.err, searchUsage, "\nflags:\n")
		fl.PrintDefaults()
	}

	// Flags may follow the query: parse, take one word, parse the rest.
	// Everything after "--" is query.
	var words, tail []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, tail = args[:i], args[i+1:]
	}
	for rest := args; ; {
		if err := fl.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return fmt.Errorf("%w: search: %v", errUsage, err)
		}
		rest = fl.Args()
		if len(rest) == 0 {
			break
		}
		words = append(words, rest[0])
		rest = rest[1:]
	}
	words = append(words, tail...)
	if *page < 1 {
		return fmt.Errorf("%w: search: --page %d: pages start at 1", errUsage, *page)
	}
	req := index.Request{
		Query: strings.Join(words, " "), Like: *like,
		Platforms: platforms, Langs: langs, Labels: labels, Groups: groups, Sources: sources,
		MinScore: minScore.v, MaxScore: maxScore.v, Since: since.t, Until: until.t,
		Phone: *phone, Handle: *handle, Link: *link,
		Sort: *sortBy, Size: *size, From: (*page - 1) * *size,
		Facets: true, Highlight: true,
	}
	if *from >= 0 {
		req.From = *from
	}

	dir := filepath.Join(*data, "index.bleve")
	ix, err := index.Open(dir, index.Options{ReadOnly: true})
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("search: no index in %s (run tidewatch crawl or tidewatch reindex first)", *data)
	}
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	defer ix.Close()
	res, err := ix.Search(ctx, req)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if *asJSON {
		return writeSearchJSON(s.out, res, req)
	}
	return writeSearchTable(s.out, res, req, isTerminal(s.out))
}

// searchOutput is the --json output.
type searchOutput struct {
	Total  uint64                        `json:"total"`
	TookMS float64                       `json:"took_ms"`
	From   int                           `json:"from"`
	Size   int                           `json:"size"`
	Hits   []index.Hit                   `json:"hits"`
	Facets map[string][]index.FacetCount `json:"facets"`
}

func writeSearchJSON(w io.Writer, res *index.Result, req index.Request) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	hits := res.Hits
	if hits == nil {
		hits = []index.Hit{}
	}
	return enc.Encode(searchOutput{
		Total: res.Total, TookMS: float64(res.Took.Microseconds()) / 1000,
		From: req.From, Size: req.Size, Hits: hits, Facets: res.Facets,
	})
}

func writeSearchTable(w io.Writer, res *index.Result, req index.Request, tty bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCORE\tLABEL\tPLATFORM\tLANG\tPUBLISHED\tID\tURL")
	for _, h := range res.Hits {
		pub := ""
		if !h.Published.IsZero() {
			pub = h.Published.UTC().Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%.2f\t%s\t%s\t%s\t%s\t%s\t%s\n", h.Score, h.Label, h.Platform, h.Lang, pub, h.ID, h.URL)
		fmt.Fprintf(tw, "    %s\n", snippet(h, tty))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	shown := ""
	if len(res.Hits) > 0 {
		shown = fmt.Sprintf(", %d-%d shown", req.From+1, req.From+len(res.Hits))
	}
	fmt.Fprintf(w, "%d posts%s (%s)\n", res.Total, shown, res.Took.Round(time.Microsecond))
	for _, name := range []string{index.FacetPlatform, index.FacetLang, index.FacetLabel, index.FacetGroup} {
		cs := res.Facets[name]
		if len(cs) == 0 {
			continue
		}
		parts := make([]string, len(cs))
		for i, c := range cs {
			parts[i] = fmt.Sprintf("%s %d", c.Term, c.Count)
		}
		fmt.Fprintf(w, "%s: %s\n", name, strings.Join(parts, ", "))
	}
	return nil
}

const snippetRunes = 160

// snippet is the first highlight, or the start of the text, on one line;
// marks become bold on a terminal and «» elsewhere.
func snippet(h index.Hit, tty bool) string {
	text := ""
	if len(h.Highlights) > 0 {
		open, shut := "«", "»"
		if tty {
			open, shut = "\x1b[1m", "\x1b[0m"
		}
		text = html.UnescapeString(strings.NewReplacer("<mark>", open, "</mark>", shut).Replace(h.Highlights[0]))
	} else {
		text = h.Text
		if utf8.RuneCountInString(text) > snippetRunes {
			text = string([]rune(text)[:snippetRunes]) + "…"
		}
	}
	return strings.Join(strings.Fields(text), " ")
}
