package index

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tidewatch/synth"
)

var day0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// fixture is a small corpus: each post exists to be found (or not) by
// one of the tests below.
var fixture = []Doc{
	{ID: "telegram:fr/1", Platform: "telegram", Source: "passeurs-fr", URL: "https://t.me/passeurs_fr/1", Lang: "fr",
		Text:  "Traversées garanties vers l'Angleterre ce soir, bateaux neufs. WhatsApp +33 6 12 34 56 78",
		Score: 0.93, Label: "advert", Groups: []string{"destination", "vehicle", "contact"},
		Phones: []string{"+33612345678"}, Published: day0, Seq: 1},
	{ID: "telegram:ar/2", Platform: "telegram", Source: "tahrib", URL: "https://t.me/tahrib/2", Lang: "ar",
		Text:  "نحن المهربين الأفضل إلى بريطانيا، اتصل ٠٧٧٠٠٩٠٠٧٤٢",
		Score: 0.88, Label: "advert", Groups: []string{"destination", "contact"},
		Phones: []string{"+447700900742"}, Handles: []string{"@balam_uk"}, Published: day0.Add(24 * time.Hour), Seq: 2},
	{ID: "mastodon:ckb/3", Platform: "mastodon", Source: "kurd-social", URL: "https://mastodon.example/@a/3", Lang: "ckb",
		Text:  "بەلەمەکان ئەمشەو لە کەلەیس دەڕۆن، واتساپ wa.me/447700900742",
		Score: 0.81, Label: "advert", Groups: []string{"vehicle", "route", "contact"},
		Phones: []string{"+447700900742"}, Links: []string{"https://wa.me/447700900742"}, Published: day0.Add(48 * time.Hour), Seq: 3},
	{ID: "facebook:en/4", Platform: "facebook", Source: "news", URL: "https://facebook.com/news/4", Lang: "en",
		Text:  "Coastguard rescued 40 people from a small boat off Calais; smugglers had promised a safe crossing",
		Score: 0.12, Label: "not_advert", Groups: []string{"vehicle", "counter"}, Published: day0.Add(72 * time.Hour), Seq: 4},
	{ID: "telegram:en/5", Platform: "telegram", Source: "uk-trips", URL: "https://t.me/uk_trips/5", Lang: "en",
		Text:     "Wh@tsApp me for the boat to the UK, small group, guaranteed. t.me/balam_uk",
		NormText: "whatsapp me for the boat to the uk, small group, guaranteed. t.me/balam_uk",
		Score:    0.55, Label: "review", Groups: []string{"vehicle", "offer", "contact"},
		Handles: []string{"@Balam_UK"}, Links: []string{"https://t.me/balam_uk"}, Published: day0.Add(96 * time.Hour), Seq: 5},
	{ID: "forum:fa/6", Platform: "forum", Source: "forum-fa", URL: "https://forum.example/t/6", Lang: "fa",
		Text:  "قاچاقچی مطمئن، بچه‌ها رسیدند به انگلیس، تماس تلگرام",
		Score: 0.77, Label: "advert", Groups: []string{"destination", "contact"}, Published: day0.Add(120 * time.Hour), Seq: 6, CaseID: "case-7", Review: "confirmed"},
	{ID: "telegram:vi/7", Platform: "telegram", Source: "di-anh", URL: "https://t.me/di_anh/7", Lang: "vi",
		Text:  "Đi Anh bao qua, giá 15000 bảng, gọi 07700 900742",
		Score: 0.9, Label: "advert", Groups: []string{"destination", "offer", "contact"},
		Phones: []string{"07700 900742"}, Published: day0.Add(144 * time.Hour), Seq: 7},
	{ID: "bluesky:sq/8", Platform: "bluesky", Source: "sq", URL: "https://bsky.app/8", Lang: "sq",
		Text:  "Gomone për në Angli, kamion nga Belgjika, dokumente origjinale",
		Score: 0.85, Label: "advert", Groups: []string{"vehicle", "documents"}, Published: day0.Add(168 * time.Hour), Seq: 8},
}

func openFixture(t *testing.T) *Index {
	t.Helper()
	ix, err := Open(filepath.Join(t.TempDir(), "index.bleve"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(context.Background(), fixture); err != nil {
		t.Fatal(err)
	}
	return ix
}

func ids(res *Result) []string {
	out := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	slices.Sort(out)
	return out
}

func find(t *testing.T, ix *Index, r Request) *Result {
	t.Helper()
	res, err := ix.Search(context.Background(), r)
	if err != nil {
		t.Fatalf("Search(%+v): %v", r, err)
	}
	return res
}

func TestTextFieldFor(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{
		{"ckb", "text_ckb"}, {"ar", "text_ar"}, {"fa", "text_fa"}, {"fa-AF", "text_fa"}, {"prs", "text_fa"},
		{"fr", "text_fr"}, {"FRA", "text_fr"}, {"en", "text_en"}, {"de", "text_de"}, {"nl", "text_nl"}, {"tr", "text_tr"},
		{"ps", "text_fold_arabic"}, {"ur", "text_fold_arabic"},
		{"so", "text_fold"}, {"sq", "text_fold"}, {"vi", "text_fold"}, {"am", "text_fold"}, {"ti", "text_fold"}, {"", "text_fold"}, {"xx", "text_fold"},
	} {
		if got := textFieldFor(tt.lang); got != tt.want {
			t.Errorf("textFieldFor(%q) = %q, want %q", tt.lang, got, tt.want)
		}
	}
}

// TestAnalyzerPerField proves the mapping deterministic: every text field
// has one analyzer, the one textAnalyzers names, on every lookup, in a new
// index and in one reopened from disk (Bleve's own mapping, read back).
func TestAnalyzerPerField(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(context.Background(), fixture); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	m := ix.b.Mapping()
	if n := len(ix.m.TypeMapping); n != 0 {
		t.Errorf("mapping has %d document types; one default type keeps field names unique", n)
	}
	for _, ta := range textAnalyzers {
		f := "text_" + ta.key
		for range 50 {
			if got := m.AnalyzerNameForPath(f); got != ta.analyzer {
				t.Fatalf("AnalyzerNameForPath(%q) = %q, want %q", f, got, ta.analyzer)
			}
		}
	}
	if got := m.AnalyzerNameForPath(fieldNorm); got != analyzerNorm {
		t.Errorf("AnalyzerNameForPath(norm) = %q, want %q", got, analyzerNorm)
	}
}

// TestStemming: a query in each language finds its post by the stem, in
// another inflection than the one posted.
func TestStemming(t *testing.T) {
	ix := openFixture(t)
	for _, tt := range []struct {
		name, query string
		want        []string
	}{
		{"Sorani plural definite بەلەمەکان by بەلەم", "بەلەم", []string{"mastodon:ckb/3"}},
		{"Arabic المهربين by مهرب", "مهرب", []string{"telegram:ar/2"}},
		{"French traversées by traversée", "traversée", []string{"telegram:fr/1"}},
		{"French bateaux by bateau", "bateau", []string{"telegram:fr/1"}},
		{"English rescued by rescue", "rescue", []string{"facebook:en/4"}},
		{"Persian with ZWNJ", "بچه", []string{"forum:fa/6"}},
		{"French stop word is no constraint", "le bateau", []string{"telegram:fr/1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(find(t, ix, Request{Query: tt.query})); !slices.Equal(got, tt.want) {
				t.Errorf("query %q found %v, want %v", tt.query, got, tt.want)
			}
		})
	}
}

func TestQuerySyntax(t *testing.T) {
	ix := openFixture(t)
	all := ids(&Result{Hits: func() []Hit {
		var hs []Hit
		for _, d := range fixture {
			hs = append(hs, Hit{ID: d.ID})
		}
		return hs
	}()})
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"", all},
		{"*", all},
		{"  ", all},
		{"whatsapp", []string{"telegram:en/5", "telegram:fr/1"}}, // en/5 only through NormText
		{"traversee", []string{"telegram:fr/1"}},                 // folded accents
		{"di anh", []string{"telegram:vi/7"}},                    // folded đ
		{`"small boat"`, []string{"facebook:en/4"}},
		{`"boat small"`, nil},
		{"boat AND calais", []string{"facebook:en/4"}},
		{"boat calais", []string{"facebook:en/4"}},
		{"gomone OR traversée", []string{"bluesky:sq/8", "telegram:fr/1"}},
		{"boat NOT calais", []string{"telegram:en/5"}},
		{"boat -calais", []string{"telegram:en/5"}},
		{"+boat -calais", []string{"telegram:en/5"}},
		{"-boat", []string{"bluesky:sq/8", "forum:fa/6", "mastodon:ckb/3", "telegram:ar/2", "telegram:fr/1", "telegram:vi/7"}},
		{"(gomone OR bateau) AND angleterre", []string{"telegram:fr/1"}},
		{"gomo*", []string{"bluesky:sq/8"}},
		{"Guarant*", []string{"telegram:en/5"}},
		{"coastgaurd~", []string{"facebook:en/4"}},
		{"gomonne~1", []string{"bluesky:sq/8"}},
		{"platform:bluesky", []string{"bluesky:sq/8"}},
		{"boat platform:telegram", []string{"telegram:en/5"}},
		{`phone:"+44 7700 900742"`, []string{"mastodon:ckb/3", "telegram:ar/2", "telegram:vi/7"}},
		{"handle:@balam_uk", []string{"telegram:ar/2", "telegram:en/5"}},
		{"lang:ckb", []string{"mastodon:ckb/3"}},
		{"group:documents", []string{"bluesky:sq/8"}},
		{"label:review", []string{"telegram:en/5"}},
		{"case:case-7", []string{"forum:fa/6"}},
		{"review:confirmed", []string{"forum:fa/6"}},
		{"link:t.me/balam_uk/", []string{"telegram:en/5"}},
		{"https://wa.me/447700900742", []string{"mastodon:ckb/3"}},
		{"nosuchword", nil},
	} {
		got := ids(find(t, ix, Request{Query: tt.query, Size: 100}))
		if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("query %q found %v, want %v", tt.query, got, tt.want)
		}
	}
}

func TestFilters(t *testing.T) {
	ix := openFixture(t)
	f := func(v float64) *float64 { return &v }
	for _, tt := range []struct {
		name string
		r    Request
		want []string
	}{
		{"platform", Request{Platforms: []string{"Telegram"}}, []string{"telegram:ar/2", "telegram:en/5", "telegram:fr/1", "telegram:vi/7"}},
		{"two platforms", Request{Platforms: []string{"forum", "bluesky"}}, []string{"bluesky:sq/8", "forum:fa/6"}},
		{"lang", Request{Langs: []string{"ar", "fa"}}, []string{"forum:fa/6", "telegram:ar/2"}},
		{"label", Request{Labels: []string{"not_advert"}}, []string{"facebook:en/4"}},
		{"group", Request{Groups: []string{"documents"}}, []string{"bluesky:sq/8"}},
		{"source", Request{Sources: []string{"tahrib"}}, []string{"telegram:ar/2"}},
		{"min score", Request{MinScore: f(0.9)}, []string{"telegram:fr/1", "telegram:vi/7"}},
		{"max score", Request{MaxScore: f(0.55)}, []string{"facebook:en/4", "telegram:en/5"}},
		{"score range inclusive", Request{MinScore: f(0.81), MaxScore: f(0.85)}, []string{"bluesky:sq/8", "mastodon:ckb/3"}},
		{"since", Request{Since: day0.Add(144 * time.Hour)}, []string{"bluesky:sq/8", "telegram:vi/7"}},
		{"until exclusive", Request{Until: day0.Add(24 * time.Hour)}, []string{"telegram:fr/1"}},
		{"since and until", Request{Since: day0.Add(24 * time.Hour), Until: day0.Add(72 * time.Hour)}, []string{"mastodon:ckb/3", "telegram:ar/2"}},
		{"phone", Request{Phone: "+33 6 12 34 56 78"}, []string{"telegram:fr/1"}},
		{"handle", Request{Handle: "t.me/BALAM_UK"}, []string{"telegram:ar/2", "telegram:en/5"}},
		{"link", Request{Link: "wa.me/447700900742"}, []string{"mastodon:ckb/3"}},
		{"case", Request{CaseID: "case-7"}, []string{"forum:fa/6"}},
		{"review", Request{Reviews: []string{"confirmed"}}, []string{"forum:fa/6"}},
		{"filters and text", Request{Query: "boat", Platforms: []string{"facebook"}}, []string{"facebook:en/4"}},
		{"filters combine with AND", Request{Platforms: []string{"telegram"}, Labels: []string{"review"}}, []string{"telegram:en/5"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(find(t, ix, tt.r)); !slices.Equal(got, tt.want) {
				t.Errorf("found %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPhoneFormats: however the analyst types the number, the same posts.
func TestPhoneFormats(t *testing.T) {
	ix := openFixture(t)
	want := []string{"mastodon:ckb/3", "telegram:ar/2", "telegram:vi/7"}
	for _, p := range []string{"+447700900742", "+44 7700 900742", "07700 900742", "0044 7700 900 742", "447700900742", "(0)7700-900-742", "٠٧٧٠٠٩٠٠٧٤٢", "wa.me/447700900742"} {
		if got := ids(find(t, ix, Request{Phone: p})); !slices.Equal(got, want) {
			t.Errorf("Phone %q found %v, want %v", p, got, want)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"+44 7700 900742", "+447700900742"},
		{"07700900742", "+447700900742"},
		{"0044 7700 900742", "+447700900742"},
		{"447700900742", "+447700900742"},
		{"06 12 34 56 78", "+33612345678"},
		{"+33 (0)6 12 34 56 78", "+33612345678"},
		{"0033612345678", "+33612345678"},
		{"0470 12 34 56", "+33470123456"}, // valid in FR and BE: FR comes first
		{"0470 12 34 56", "+33470123456"},
		{"۰۷۷۰۰۹۰۰۷۴۲", "+447700900742"},
	} {
		got, err := NormalizePhone(tt.in, nil)
		if err != nil || got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "12345", "call me", "+1234567890123456789"} {
		if got, err := NormalizePhone(in, nil); err == nil {
			t.Errorf("NormalizePhone(%q) = %q, want an error", in, got)
		}
	}
}

func TestNormalizeHandleLink(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"@Balam_UK", "balam_uk"}, {"balam_uk", "balam_uk"}, {"https://t.me/balam_uk", "balam_uk"},
		{"t.me/s/balam_uk/12", "balam_uk"}, {"instagram.com/balam_uk/", "balam_uk"},
	} {
		if got := normalizeHandle(tt.in); got != tt.want {
			t.Errorf("normalizeHandle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"https://www.Example.org/a/", "example.org/a"}, {"http://example.org/a#frag", "example.org/a"}, {"wa.me/4477", "wa.me/4477"},
	} {
		if got := normalizeLink(tt.in); got != tt.want {
			t.Errorf("normalizeLink(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFacets(t *testing.T) {
	ix := openFixture(t)
	res := find(t, ix, Request{Facets: true, Platforms: []string{"telegram"}})
	want := map[string][]FacetCount{
		FacetPlatform: {{"telegram", 4}},
		FacetLang:     {{"ar", 1}, {"en", 1}, {"fr", 1}, {"vi", 1}},
		FacetLabel:    {{"advert", 3}, {"review", 1}},
		FacetGroup:    {{"contact", 4}, {"destination", 3}, {"offer", 2}, {"vehicle", 2}},
		FacetDay:      {{"2025-06-01", 1}, {"2025-06-02", 1}, {"2025-06-05", 1}, {"2025-06-07", 1}},
	}
	for name, w := range want {
		if got := res.Facets[name]; !slices.Equal(got, w) {
			t.Errorf("facet %s = %v, want %v", name, got, w)
		}
	}
	if len(res.Facets) != len(want) {
		t.Errorf("facets %v, want exactly %d", res.Facets, len(want))
	}
	if res := find(t, ix, Request{}); res.Facets != nil {
		t.Errorf("facets without asking: %v", res.Facets)
	}
}

func TestSortAndPages(t *testing.T) {
	ix := openFixture(t)
	order := func(r Request) []string {
		var out []string
		for _, h := range find(t, ix, r).Hits {
			out = append(out, h.ID)
		}
		return out
	}
	if got, want := order(Request{Size: 3}), []string{"bluesky:sq/8", "telegram:vi/7", "forum:fa/6"}; !slices.Equal(got, want) {
		t.Errorf("default (date) order %v, want %v", got, want)
	}
	if got, want := order(Request{Sort: "oldest", Size: 2}), []string{"telegram:fr/1", "telegram:ar/2"}; !slices.Equal(got, want) {
		t.Errorf("oldest %v, want %v", got, want)
	}
	if got, want := order(Request{Sort: "score", Size: 3}), []string{"telegram:fr/1", "telegram:vi/7", "telegram:ar/2"}; !slices.Equal(got, want) {
		t.Errorf("score %v, want %v", got, want)
	}
	if got, want := order(Request{Sort: "date", Size: 3, From: 3}), []string{"telegram:en/5", "facebook:en/4", "mastodon:ckb/3"}; !slices.Equal(got, want) {
		t.Errorf("page 2 %v, want %v", got, want)
	}
	// Relevance: two matching words beat one.
	if got := order(Request{Query: "boat OR calais", Size: 1}); !slices.Equal(got, []string{"facebook:en/4"}) {
		t.Errorf("relevance first %v, want facebook:en/4", got)
	}
	res := find(t, ix, Request{Size: 2, From: 6})
	if res.Total != 8 || len(res.Hits) != 2 {
		t.Errorf("last page: total %d, %d hits; want 8, 2", res.Total, len(res.Hits))
	}
}

func TestHits(t *testing.T) {
	ix := openFixture(t)
	res := find(t, ix, Request{Query: "gomone"})
	if len(res.Hits) != 1 {
		t.Fatalf("hits %v", res.Hits)
	}
	d := fixture[7]
	h := res.Hits[0]
	want := Hit{ID: d.ID, URL: d.URL, Platform: d.Platform, Source: d.Source, Lang: d.Lang, Score: d.Score, Label: d.Label,
		Text: d.Text, Published: d.Published, Groups: d.Groups, Relevance: h.Relevance}
	if h := find(t, ix, Request{Query: "بەلەم"}).Hits[0]; !slices.Equal(h.Phones, []string{"+447700900742"}) ||
		!slices.Equal(h.Links, []string{"wa.me/447700900742"}) {
		t.Errorf("hit phones %v links %v", h.Phones, h.Links)
	}
	if h := find(t, ix, Request{Query: "handle:balam_uk", Sort: "oldest"}).Hits[0]; !slices.Equal(h.Handles, []string{"balam_uk"}) {
		t.Errorf("hit handles %v", h.Handles)
	}
	if h.Relevance <= 0 {
		t.Errorf("relevance %v, want > 0", h.Relevance)
	}
	if !equalHit(h, want) {
		t.Errorf("hit\n got %+v\nwant %+v", h, want)
	}
	if res.Total != 1 || res.Took <= 0 {
		t.Errorf("total %d took %v", res.Total, res.Took)
	}
}

func equalHit(a, b Hit) bool {
	return a.ID == b.ID && a.URL == b.URL && a.Platform == b.Platform && a.Source == b.Source && a.Lang == b.Lang &&
		a.Score == b.Score && a.Label == b.Label && a.Text == b.Text && a.Published.Equal(b.Published) &&
		slices.Equal(a.Groups, b.Groups) && slices.Equal(a.Phones, b.Phones) && slices.Equal(a.Handles, b.Handles)
}

// TestHighlights: fragments are the original text, escaped, with the
// matched words (as written in the post) marked.
func TestHighlights(t *testing.T) {
	ix := openFixture(t)
	for _, tt := range []struct {
		query  string
		id     string
		marked []string
	}{
		{"bateau", "telegram:fr/1", []string{"bateaux"}},
		{"traversee", "telegram:fr/1", []string{"Traversées"}},
		{"بەلەم", "mastodon:ckb/3", []string{"بەلەمەکان"}},
		{"رسیدند", "forum:fa/6", []string{"رسیدند"}}, // after a ZWNJ: offsets must hold
		{"انگلیس", "forum:fa/6", []string{"انگلیس"}},
		{"whatsapp", "telegram:en/5", []string{"Wh@tsApp"}},
		{"gomo*", "bluesky:sq/8", []string{"Gomone"}},
		{"coastgaurd~", "facebook:en/4", []string{"Coastguard"}},
		{`"small boat"`, "facebook:en/4", []string{"small", "boat"}},
		{"di anh", "telegram:vi/7", []string{"Đi", "Anh"}},
	} {
		res := find(t, ix, Request{Query: tt.query, Highlight: true, Size: 100})
		var h *Hit
		for i := range res.Hits {
			if res.Hits[i].ID == tt.id {
				h = &res.Hits[i]
			}
		}
		if h == nil {
			t.Errorf("query %q: %s not found", tt.query, tt.id)
			continue
		}
		if len(h.Highlights) == 0 {
			t.Errorf("query %q: no highlights", tt.query)
			continue
		}
		var marked []string
		for _, frag := range h.Highlights {
			plain := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(frag))
			if !strings.Contains(h.Text, plain) {
				t.Errorf("query %q: fragment %q is not in the original text %q", tt.query, plain, h.Text)
			}
			for rest := frag; ; {
				_, after, ok := strings.Cut(rest, "<mark>")
				if !ok {
					break
				}
				m, after2, _ := strings.Cut(after, "</mark>")
				marked = append(marked, html.UnescapeString(m))
				rest = after2
			}
		}
		if !slices.Equal(marked, tt.marked) {
			t.Errorf("query %q marked %q, want %q (fragments %q)", tt.query, marked, tt.marked, h.Highlights)
		}
	}
	if res := find(t, ix, Request{Query: "*", Highlight: true}); len(res.Hits[0].Highlights) != 0 {
		t.Errorf("match-all highlights %q, want none", res.Hits[0].Highlights)
	}
	if res := find(t, ix, Request{Query: "gomone"}); len(res.Hits[0].Highlights) != 0 {
		t.Errorf("highlights without asking: %q", res.Hits[0].Highlights)
	}
}

func TestMalformed(t *testing.T) {
	ix := openFixture(t)
	f := func(v float64) *float64 { return &v }
	for _, tt := range []struct {
		r    Request
		want string
	}{
		{Request{Query: `"unterminated`}, `bad query: unterminated phrase: missing closing " (at column 1)`},
		{Request{Query: "(boat OR lorry"}, "bad query: unbalanced '(': missing ')' (at column 1)"},
		{Request{Query: "boat)"}, "bad query: unbalanced ')': no '(' to close (at column 5)"},
		{Request{Query: "()"}, "bad query: empty parentheses (at column 2)"},
		{Request{Query: "boat AND"}, "bad query: AND needs a term on its right (at column 6)"},
		{Request{Query: "AND boat"}, "bad query: AND needs a term on its left (at column 1)"},
		{Request{Query: "boat OR"}, "bad query: OR needs a term on its right (at column 6)"},
		{Request{Query: "OR boat"}, "bad query: OR needs a term on its left (at column 1)"},
		{Request{Query: "boat NOT"}, "bad query: nothing after NOT (at column 6)"},
		{Request{Query: "boat -"}, `bad query: nothing after '-' (at column 6)`},
		{Request{Query: `""`}, "bad query: empty phrase (at column 1)"},
		{Request{Query: "*boat"}, `bad query: "*boat": a wildcard can only end a word (at column 1)`},
		{Request{Query: "bo*at"}, `bad query: "bo*at": a wildcard can only end a word (at column 1)`},
		{Request{Query: "b*"}, `bad query: "b*": a prefix needs at least 2 letters (at column 1)`},
		{Request{Query: "boat~3"}, `bad query: "boat~3": fuzziness after ~ must be 1 or 2 (at column 1)`},
		{Request{Query: "bo~"}, `bad query: "bo~": a fuzzy term needs at least 3 letters (at column 1)`},
		{Request{Query: "colour:red"}, `bad query: unknown field "colour" (known: case, group, handle, label, lang, link, phone, platform, review, source) (at column 1)`},
		{Request{Query: "platform:"}, "bad query: platform: needs a value (at column 1)"},
		{Request{Query: "phone:12"}, `bad query: phone "12": not a phone number in any of the known formats`},
		{Request{Phone: "call me"}, `bad query: phone "call me": not a phone number in any of the known formats`},
		{Request{Query: strings.Repeat("a ", 1001)}, "bad query: query too long (2002 bytes, at most 2000)"},
		{Request{Query: strings.Repeat("a ", 65)}, "bad query: too many terms (at most 64) (at column 129)"},
		{Request{Query: "\xff"}, "bad query: query is not valid UTF-8"},
		{Request{Sort: "size"}, `bad query: sort "size": want relevance, date, oldest or score`},
		{Request{Size: -1}, "bad query: size -1: must be between 1 and 1000"},
		{Request{Size: 5000}, "bad query: size 5000: must be between 1 and 1000"},
		{Request{From: 20000}, "bad query: from 20000: must be between 0 and 10000; narrow the query instead of paging this deep"},
		{Request{MinScore: f(2)}, "bad query: score bound 2: must be between 0 and 1"},
		{Request{MinScore: f(0.8), MaxScore: f(0.2)}, "bad query: min score 0.8 is above max score 0.2"},
		{Request{Since: day0, Until: day0}, "bad query: since 2025-06-01T12:00:00Z is not before until 2025-06-01T12:00:00Z"},
		{Request{Query: "boat", Like: "telegram:fr/1"}, "bad query: a query and Like (more like this) cannot be combined"},
	} {
		_, err := ix.Search(context.Background(), tt.r)
		if err == nil {
			t.Errorf("Search(%+v) succeeded, want %q", tt.r, tt.want)
			continue
		}
		if !errors.Is(err, ErrQuery) {
			t.Errorf("Search(%+v) error %v does not wrap ErrQuery", tt.r, err)
		}
		if err.Error() != tt.want {
			t.Errorf("Search(%q…) error\n got %q\nwant %q", tt.r.Query, err, tt.want)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "*", `"a b"`, "a AND (b OR -c)", "phone:\"+44 1\"", "a~2", "ab*", "((", "NOT NOT a", "+-a", ":", "a:b:c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseQuery(s)
		if err != nil {
			if !errors.Is(err, ErrQuery) {
				t.Errorf("parseQuery(%q) error %v does not wrap ErrQuery", s, err)
			}
			return
		}
		if n == nil {
			t.Errorf("parseQuery(%q) = nil, nil", s)
		}
	})
}

func TestMoreLikeThis(t *testing.T) {
	ix := openFixture(t)
	extra := []Doc{
		{ID: "facebook:fr/9", Platform: "facebook", Lang: "fr", Text: "Bateaux neufs vers l'Angleterre, traversées chaque soir", Label: "advert", Published: day0, Seq: 9},
		{ID: "forum:en/10", Platform: "forum", Lang: "en", Text: "Unrelated cooking recipe with tomatoes", Phones: []string{"+447700900742"}, Label: "not_advert", Published: day0, Seq: 10},
	}
	if err := ix.Put(context.Background(), extra); err != nil {
		t.Fatal(err)
	}
	res, err := ix.MoreLikeThis(context.Background(), "telegram:fr/1", 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); !slices.Equal(got, []string{"facebook:fr/9"}) {
		t.Errorf("like telegram:fr/1 = %v, want [facebook:fr/9]", got)
	}
	// Across platforms and languages by the shared phone number.
	res, err = ix.MoreLikeThis(context.Background(), "mastodon:ckb/3", 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); !slices.Equal(got, []string{"forum:en/10", "telegram:ar/2", "telegram:vi/7"}) {
		t.Errorf("like mastodon:ckb/3 = %v, want the three other posts with +447700900742", got)
	}
	// Filters narrow it.
	res = find(t, ix, Request{Like: "mastodon:ckb/3", Platforms: []string{"telegram"}})
	if got := ids(res); !slices.Equal(got, []string{"telegram:ar/2", "telegram:vi/7"}) {
		t.Errorf("like mastodon:ckb/3 on telegram = %v", got)
	}
	_, err = ix.MoreLikeThis(context.Background(), "nope:1", 10)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("MoreLikeThis(unknown) error %v, want ErrNotFound", err)
	}
}

func TestWatermarkAndCatchUp(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Open(dir, Options{BatchSize: 2, Writers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if w, _ := ix.Watermark(); w != 0 {
		t.Errorf("new index watermark %d, want 0", w)
	}
	// The index lags the store: it has posts 1-5 of 8, out of order.
	lag := slices.Clone(fixture[:5])
	slices.Reverse(lag)
	if err := ix.Put(ctx, lag); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, Options{BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	w, err := ix.Watermark()
	if err != nil || w != 5 {
		t.Fatalf("watermark after reopen = %d, %v; want 5", w, err)
	}
	// Catching up from the watermark, with an overlap, leaves no duplicates.
	if err := ix.Put(ctx, fixture[3:]); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != uint64(len(fixture)) {
		t.Errorf("count %d after catch-up, want %d", n, len(fixture))
	}
	if res := find(t, ix, Request{}); res.Total != uint64(len(fixture)) {
		t.Errorf("search total %d, want %d", res.Total, len(fixture))
	}
	if w, _ := ix.Watermark(); w != 8 {
		t.Errorf("watermark %d, want 8", w)
	}
	// An older post re-put (an edit) does not move the watermark back.
	edited := fixture[0]
	edited.Text = "texte modifié"
	if err := ix.Put(ctx, []Doc{edited}); err != nil {
		t.Fatal(err)
	}
	if w, _ := ix.Watermark(); w != 8 {
		t.Errorf("watermark %d after re-put of seq 1, want 8", w)
	}
	if got := ids(find(t, ix, Request{Query: "modifié"})); !slices.Equal(got, []string{"telegram:fr/1"}) {
		t.Errorf("edited post: %v", got)
	}
	if n, _ := ix.Count(); n != uint64(len(fixture)) {
		t.Errorf("count %d after edit, want %d", n, len(fixture))
	}
	if err := ix.Put(ctx, []Doc{{Text: "no id"}}); err == nil || !strings.Contains(err.Error(), "post 1 of 1 has no ID") {
		t.Errorf("Put without ID: %v", err)
	}
}

func TestDelete(t *testing.T) {
	ix := openFixture(t)
	if err := ix.Delete(context.Background(), []string{"telegram:fr/1", "no-such-post"}); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != uint64(len(fixture)-1) {
		t.Errorf("count %d, want %d", n, len(fixture)-1)
	}
	if res := find(t, ix, Request{Query: "bateau"}); res.Total != 0 {
		t.Errorf("deleted post still found: %v", ids(res))
	}
}

func TestFeed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Open(dir, Options{BatchSize: 3, FlushInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ch := make(chan Doc, 2)
	done := make(chan error)
	var n int
	go func() {
		var err error
		n, err = ix.Feed(context.Background(), ch)
		done <- err
	}()
	ch <- fixture[0]
	// A lone post is flushed after FlushInterval, before the channel closes.
	deadline := time.Now().Add(5 * time.Second)
	for {
		if c, _ := ix.Count(); c == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a lone post was not flushed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	for _, d := range fixture[1:] {
		ch <- d
	}
	close(ch)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n != len(fixture) {
		t.Errorf("Feed = %d, want %d", n, len(fixture))
	}
	if c, _ := ix.Count(); c != uint64(len(fixture)) {
		t.Errorf("count %d, want %d", c, len(fixture))
	}
	if w, _ := ix.Watermark(); w != 8 {
		t.Errorf("watermark %d, want 8", w)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Feed(ctx, make(chan Doc)); !errors.Is(err, context.Canceled) {
		t.Errorf("Feed with a cancelled context: %v", err)
	}
}

// TestCorrupt: an index left unopenable is reported as ErrCorrupt, and
// after moving it aside Open builds a new one.
func TestCorrupt(t *testing.T) {
	for _, tt := range []struct {
		name   string
		break_ func(t *testing.T, dir string)
	}{
		{"meta garbage", func(t *testing.T, dir string) { write(t, filepath.Join(dir, "index_meta.json"), "{not json") }},
		{"meta missing", func(t *testing.T, dir string) { remove(t, filepath.Join(dir, "index_meta.json")) }},
		{"root.bolt truncated", func(t *testing.T, dir string) { write(t, filepath.Join(dir, "store", "root.bolt"), "") }},
		{"root.bolt garbage", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "store", "root.bolt"), strings.Repeat("x", 8192))
		}},
		{"segment truncated", func(t *testing.T, dir string) {
			zaps, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
			for _, z := range zaps {
				write(t, z, "zap")
			}
		}},
		{"a file, not a directory", func(t *testing.T, dir string) {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			write(t, dir, "oops")
		}},
		{"other mapping version", func(t *testing.T, dir string) {
			ix, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			batch := ix.b.NewBatch()
			batch.SetInternal([]byte(keyMapping), []byte("tidewatch-index-0"))
			if err := ix.apply(batch); err != nil {
				t.Fatal(err)
			}
			ix.Close()
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index.bleve")
			ix, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := ix.Put(context.Background(), fixture); err != nil {
				t.Fatal(err)
			}
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			tt.break_(t, dir)
			_, err = Open(dir, Options{LockWait: 100 * time.Millisecond})
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open of a broken index: %v, want ErrCorrupt", err)
			}
			if !strings.HasPrefix(err.Error(), "index: open "+dir+": index corrupt or unreadable") {
				t.Errorf("error %q does not name the operation and directory", err)
			}
			// What the pipeline does: move it aside, open anew, rebuild.
			if err := os.Rename(dir, dir+".broken"); err != nil {
				t.Fatal(err)
			}
			ix, err = Open(dir, Options{})
			if err != nil {
				t.Fatalf("Open after moving the broken index aside: %v", err)
			}
			defer ix.Close()
			if err := ix.Put(context.Background(), fixture); err != nil {
				t.Fatal(err)
			}
			if n, _ := ix.Count(); n != uint64(len(fixture)) {
				t.Errorf("rebuilt count %d", n)
			}
		})
	}
}

// TestSegmentMissing: when a segment file is gone, Bleve falls back to an
// earlier snapshot. The index opens lagging but consistent: its watermark
// is that of the snapshot, so catching up from it restores every post.
func TestSegmentMissing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index.bleve")
	ix, err := Open(dir, Options{BatchSize: 2, Writers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(context.Background(), fixture); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	zaps, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if len(zaps) == 0 {
		t.Fatal("no segment files")
	}
	slices.Sort(zaps)
	remove(t, zaps[len(zaps)-1])
	ix, err = Open(dir, Options{})
	if errors.Is(err, ErrCorrupt) {
		return // also fine: the pipeline rebuilds
	}
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	w, _ := ix.Watermark()
	for _, d := range fixture {
		if d.Seq > w {
			continue
		}
		if res := find(t, ix, Request{Query: "*", Sources: []string{d.Source}}); res.Total != 1 {
			t.Errorf("post %s (seq %d) missing below watermark %d", d.ID, d.Seq, w)
		}
	}
	var rest []Doc
	for _, d := range fixture {
		if d.Seq > w {
			rest = append(rest, d)
		}
	}
	if err := ix.Put(context.Background(), rest); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != uint64(len(fixture)) {
		t.Errorf("after catch-up from %d: %d posts, want %d", w, n, len(fixture))
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

func TestOpenModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	_, err := Open(dir, Options{ReadOnly: true})
	if !errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrCorrupt) {
		t.Errorf("ReadOnly Open of nothing: %v, want fs.ErrNotExist", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	w, err := Open(dir, Options{}) // an empty directory is created in
	if err != nil {
		t.Fatalf("Open of an empty directory: %v", err)
	}
	if err := w.Put(context.Background(), fixture); err != nil {
		t.Fatal(err)
	}
	// Held by a writer: busy, not corrupt (the pipeline must not move it).
	_, err = Open(dir, Options{ReadOnly: true, LockWait: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) || errors.Is(err, ErrCorrupt) {
		t.Errorf("Open of a held index: %v, want ErrLocked", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if res := find(t, r, Request{Query: "gomone"}); res.Total != 1 {
		t.Errorf("read-only search total %d", res.Total)
	}
	if err := r.Put(context.Background(), fixture); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Put on read-only: %v", err)
	}
	if err := r.Delete(context.Background(), []string{"x"}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Delete on read-only: %v", err)
	}
}

// TestAllPostsFastPath: every post, newest or oldest first, with facets,
// is answered from term counts; it must equal Bleve's own answer, which a
// filter matching every post forces.
func TestAllPostsFastPath(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "ix"), Options{BatchSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	g := synth.New(synth.Options{Seed: 9, Days: 60})
	var docs []Doc
	for i := range 1500 {
		p := g.Next()
		docs = append(docs, Doc{ID: p.ID, Platform: p.Platform, Lang: p.Lang, Text: p.Text, Label: p.Label,
			Score: p.Score, Groups: p.Groups, Published: p.Published, Seq: int64(i + 1)})
	}
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	// Replace some, delete some: counts must not include the old versions.
	if err := ix.Put(context.Background(), docs[:100]); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(context.Background(), []string{docs[200].ID, docs[201].ID}); err != nil {
		t.Fatal(err)
	}
	zero := 0.0
	for _, r := range []Request{
		{Facets: true}, {Facets: true, Size: 50, From: 100}, {Sort: "oldest", Size: 7, From: 3}, {Sort: "date", Size: 1000},
		{Size: 1000, From: 1000},
	} {
		fast := find(t, ix, r)
		r.MinScore = &zero
		slow := find(t, ix, r)
		if fast.Total != 1498 || fast.Total != slow.Total {
			t.Errorf("%+v: total %d, Bleve %d, want 1498", r, fast.Total, slow.Total)
		}
		if !slices.EqualFunc(fast.Hits, slow.Hits, func(a, b Hit) bool { return a.ID == b.ID }) {
			t.Errorf("%+v: hits differ from Bleve's", r)
		}
		for name, want := range slow.Facets {
			if got := fast.Facets[name]; !slices.Equal(got, want) {
				t.Errorf("%+v: facet %s\n got %v\nwant %v", r, name, got, want)
			}
		}
	}
	// The cached counts follow writes.
	extra := docs[0]
	extra.ID, extra.Platform = "new:1", "newplatform"
	if err := ix.Put(context.Background(), []Doc{extra}); err != nil {
		t.Fatal(err)
	}
	res := find(t, ix, Request{Facets: true})
	if res.Total != 1499 || !slices.Contains(res.Facets[FacetPlatform], FacetCount{"newplatform", 1}) {
		t.Errorf("after a put: total %d, platforms %v", res.Total, res.Facets[FacetPlatform])
	}
}

// TestColumnsMatchBleve: facets, totals, pages and relevance computed from
// the decoded columns equal Bleve's own answer for the benchmark's query
// mix, in every sort, over several segments with replaced and deleted
// posts.
func TestColumnsMatchBleve(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Open(dir, Options{BatchSize: 250})
	if err != nil {
		t.Fatal(err)
	}
	g := synth.New(synth.Options{Seed: 5, Days: 40})
	var docs []Doc
	for i := range 2500 {
		p := g.Next()
		docs = append(docs, Doc{ID: p.ID, Platform: p.Platform, Lang: p.Lang, Langs: []string{p.Lang}, Text: p.Text,
			NormText: strings.ToLower(p.Text), Label: p.Label, Score: p.Score, Groups: p.Groups, Phones: p.Phones,
			Handles: p.Handles, Published: p.Published, Seq: int64(i + 1)})
	}
	docs[7].Published = time.Time{} // sorts last either way
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(context.Background(), docs[300:400]); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(context.Background(), []string{docs[10].ID, docs[500].ID}); err != nil {
		t.Fatal(err)
	}
	// Read-only, so that no merge renumbers posts between the two
	// searches: Bleve breaks ties in relevance by doc number.
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if ix, err = Open(dir, Options{ReadOnly: true}); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	min := 0.5
	since := docs[0].Published.AddDate(0, 0, -20)
	phone := ""
	for _, d := range docs {
		if len(d.Phones) > 0 {
			phone = d.Phones[0]
			break
		}
	}
	var rs []Request
	for _, q := range []Request{
		{Query: "boat"}, {Query: "bateau OR camion"}, {Query: `"half now half after"`}, {Query: "بەلەم"},
		{Query: "whatsapp guaranteed"}, {Query: "lor*"}, {Query: "guarnteed~"}, {Query: "passport* -fake"},
		{Query: "(calais OR dunkirk) AND lorry"}, {Platforms: []string{"telegram"}, Since: since},
		{Query: "boat", Labels: []string{"advert"}, MinScore: &min}, {Phone: phone},
		{Langs: []string{"ckb"}, Groups: []string{"documents"}}, {Query: "nothingmatchesthis"}, {MinScore: &min},
		// Bounds on a post's exact time and score: Since and scores inclusive, Until exclusive.
		{Query: "boat", Until: since, MaxScore: &min}, {Labels: []string{"advert"}, MinScore: &docs[1].Score, MaxScore: &docs[1].Score},
		{Platforms: []string{docs[2].Platform}, Since: docs[2].Published, Until: docs[4].Published},
		{Platforms: []string{docs[4].Platform}, Since: docs[2].Published, Until: docs[4].Published},
	} {
		for _, sort := range []string{"", "relevance", "date", "oldest", "score"} {
			for _, pg := range []struct{ size, from int }{{0, 0}, {7, 5}, {50, 0}} {
				r := q
				r.Sort, r.Size, r.From, r.Facets, r.Highlight = sort, pg.size, pg.from, true, true
				rs = append(rs, r)
			}
		}
	}
	for _, r := range rs {
		ix.bleveOnly = true
		want := find(t, ix, r)
		ix.bleveOnly = false
		byRelevance := r.Sort == "relevance" || r.Sort == "" && r.Query != ""
		got := find(t, ix, r)
		compareResults(t, fmt.Sprintf("%+v", r), got, want, byRelevance)
	}
}

// compareResults reports how got differs from want, Bleve's own answer.
func compareResults(t *testing.T, name string, got, want *Result, byRelevance bool) {
	t.Helper()
	if got.Total != want.Total {
		t.Errorf("%s: total %d, Bleve %d", name, got.Total, want.Total)
	}
	if !slices.EqualFunc(got.Hits, want.Hits, func(a, b Hit) bool {
		return equalHit(a, b) && slices.Equal(a.Highlights, b.Highlights) &&
			(!byRelevance || a.Relevance == b.Relevance)
	}) {
		t.Errorf("%s: hits\n got %v\nwant %v", name, ids(got), ids(want))
	}
	for f, w := range want.Facets {
		if g := got.Facets[f]; !slices.Equal(g, w) {
			t.Errorf("%s: facet %s\n got %v\nwant %v", name, f, g, w)
		}
	}
	if len(got.Facets) != len(want.Facets) {
		t.Errorf("%s: %d facets, Bleve %d", name, len(got.Facets), len(want.Facets))
	}
}

// TestFacetRows: facet terms packed in fixed rows count as the
// variable-length lists they replace, which stay when a post has more
// terms than a row holds.
func TestFacetRows(t *testing.T) {
	for _, tt := range []struct {
		name string
		docs [][]uint32 // facet term ids by doc
		want []int      // count by term id, all docs matching
		rows bool
	}{
		{"rows", [][]uint32{{0, 1}, {}, {2, 1, 0}}, []int{2, 2, 1}, true},
		{"no terms", [][]uint32{{}, {}}, []int{}, false},
		{"too many for a row", [][]uint32{{0}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}}, []int{2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, false},
	} {
		c := &segColumns{facetStart: []uint32{0}}
		for _, ids := range tt.docs {
			c.facetIDs = append(c.facetIDs, ids...)
			c.facetStart = append(c.facetStart, uint32(len(c.facetIDs)))
		}
		for i := range tt.want {
			c.terms = append(c.terms, fmt.Sprintf("g:%d", i))
		}
		c.packRows()
		if got := c.stride > 0; got != tt.rows {
			t.Errorf("%s: packed %v, want %v", tt.name, got, tt.rows)
		}
		snap := &snapshot{cols: []*segColumns{c}, offsets: []uint64{0, uint64(len(tt.docs))}}
		f := newFacetCounter(snap)
		for d := range tt.docs {
			f.add(uint64(d))
		}
		f.flush()
		got := f.counts[0]
		if len(tt.want) == 0 && len(got) == 0 {
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: counts %v, want %v", tt.name, got, tt.want)
		}
	}
}
