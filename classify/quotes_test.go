package classify

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// What stands inside quotation marks, double or single, and what does not:
// apostrophes inside words are no quotation marks.
func TestQuotes(t *testing.T) {
	for _, tt := range []struct {
		text   string
		quoted []string // words inside a quotation
		not    []string // words outside
	}{
		{`they promise "100% guaranteed" trips`, []string{"100", "guaranteed"}, []string{"they", "trips"}},
		{`offers a '100% guaranteed boat to UK' for £1,500 – it is a lie`, []string{"guaranteed", "boat", "uk"}, []string{"offers", "lie"}},
		{`«bateau garanti» disent-ils`, []string{"bateau", "garanti"}, []string{"disent"}},
		{`don't trust l'agent, it's a scam`, nil, []string{"don", "trust", "agent", "scam"}},
		{`the boys' boat leaves tonight`, nil, []string{"boys", "boat", "tonight"}},
		{`‘pay on arrival’, they said`, []string{"pay", "arrival"}, []string{"they", "said"}},
		{`an unclosed "quote about boats`, nil, []string{"quote", "boats"}},
		{`no quotes at all`, nil, []string{"no", "quotes", "all"}},
	} {
		full := normalizeRunes(tt.text, modeFull, nil)
		toks := tokenize(full)
		q := newQuotes(full, toks)
		inside := map[string]bool{}
		for i, tok := range toks {
			inside[tok.key] = q.match(match{start: i, end: i + 1})
		}
		for _, w := range tt.quoted {
			if !inside[w] {
				t.Errorf("%q: %q not inside a quotation (%v)", tt.text, w, inside)
			}
		}
		for _, w := range tt.not {
			if v, ok := inside[w]; !ok || v {
				t.Errorf("%q: %q inside a quotation or missing (%v)", tt.text, w, inside)
			}
		}
	}
}

// A warning that quotes a whole advert, number included, is not an advert:
// the quoted words and number are reported speech and do not open the gate.
// The same words unquoted are an advert.
func TestQuotedAdvertIsReported(t *testing.T) {
	c := newTestClassifier(t)
	ad := `Boat to UK from Dunkirk tonight, 100% guaranteed, pay on arrival, WhatsApp +44 7700 900123`
	if r := c.Classify(ad); r.Label != Advert {
		t.Fatalf("the advert itself: %s %v", r.Label, r.Score)
	}
	warning := `Reported to the police: '` + ad + `'. It is a lie.`
	r := c.Classify(warning)
	if r.Score > gateCap {
		t.Errorf("warning quoting the advert: score %v, want ≤ %v (%s)", r.Score, gateCap, r.Explanation)
	}
	for _, in := range r.Indicators {
		if in.Group.advert() && !strings.Contains(ad, warning[in.Span[0]:in.Span[1]]) {
			t.Errorf("advert indicator %+v outside the quotation", in)
		}
	}
	for _, e := range r.Entities {
		if e.Weight != 0 {
			t.Errorf("quoted entity %+v has weight %v, want 0", e, e.Weight)
		}
	}
}

// A term both inside and outside a quotation counts once; neither
// occurrence may get a weight that is not a number (it broke the JSON of
// classify's output).
func TestQuotedAndUnquotedTerm(t *testing.T) {
	c := newTestClassifier(t)
	for _, text := range []string{
		`boat to UK, they call it a 'boat to UK'`,
		`'boat to UK' they say, boat to UK`,
	} {
		r := c.Classify(text)
		for _, in := range r.Indicators {
			if math.IsNaN(in.Weight) || math.IsInf(in.Weight, 0) {
				t.Errorf("%q: indicator %+v has weight %v", text, in, in.Weight)
			}
		}
		if _, err := json.Marshal(r); err != nil {
			t.Errorf("%q: %v", text, err)
		}
	}
}
