package classify

import (
	"encoding/json"
	"testing"
)

var fuzzSeeds = []string{
	"W h a t s A p p +44 7700 900123",
	"boat to UK, they call it a 'boat to UK' «boat»",
	"wh@tsapp b0at U.K Eng-land",
	"بەلەم بۆ بەریتانیا ٠٠٤٤٧٧٠٠٩٠٠١٢٣ 🇬🇧",
	"ﷺ ﬁ ①② 𝐁𝐨𝐚𝐭",
	"Đi Anh bao đậu",
	"£2,500 3k€ ۲۵۰۰ پوند wa.me/447700900123 t.me/x_y @handle",
	"\u202eboat\u200b\u2066",
	"\xff\xfe\xfd",
	"+33 6 12 📞 34 56 78",
	"",
}

// FuzzNormalize checks that normalisation never panics, that every span
// lies inside the text on character boundaries and in order, and that
// Normalize is idempotent.
func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	join := embeddedJoinWords()
	f.Fuzz(func(t *testing.T, s string) {
		for _, mode := range []normMode{modeLight, modeFull} {
			prev := int32(0)
			for _, r := range normalizeRunes(s, mode, join) {
				if r.start < 0 || r.start >= r.end || int(r.end) > len(s) {
					t.Fatalf("span [%d,%d) of %q outside text of %d bytes", r.start, r.end, r.r, len(s))
				}
				if r.start < prev {
					t.Fatalf("span [%d,%d) of %q starts before the previous one at %d", r.start, r.end, r.r, prev)
				}
				prev = r.start
				if charStart(s, int(r.start)) != int(r.start) || (int(r.end) < len(s) && charStart(s, int(r.end)) != int(r.end)) {
					t.Fatalf("span [%d,%d) of %q splits a character", r.start, r.end, r.r)
				}
			}
		}
		n := Normalize(s)
		if nn := Normalize(n); nn != n {
			t.Fatalf("Normalize not idempotent: %q → %q → %q", s, n, nn)
		}
	})
}

// FuzzEntities checks that entity extraction never panics and that every
// entity's span lies inside the text.
func FuzzEntities(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, e := range extractEntities(newLightText(s, normalizeRunes(s, modeLight, nil)), []string{"GB"}) {
			if e.Span[0] < 0 || e.Span[0] >= e.Span[1] || e.Span[1] > len(s) {
				t.Fatalf("entity %+v: span outside text of %d bytes", e, len(s))
			}
			if e.Value == "" || e.Kind == "" {
				t.Fatalf("entity %+v has no kind or value", e)
			}
		}
	})
}

// FuzzClassify checks that classification never panics and that every
// indicator span lies inside the text.
func FuzzClassify(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	c := newTestClassifier(f)
	f.Fuzz(func(t *testing.T, s string) {
		r := c.Classify(s)
		if r.Score < 0 || r.Score > 1 {
			t.Fatalf("score %v outside [0,1]", r.Score)
		}
		for _, in := range r.Indicators {
			if in.Span[0] < 0 || in.Span[0] >= in.Span[1] || in.Span[1] > len(s) {
				t.Fatalf("indicator %+v: span outside text of %d bytes", in, len(s))
			}
		}
		// What classify writes and the store keeps must encode: a NaN
		// weight made json.Marshal fail.
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("result does not encode: %v", err)
		}
	})
}
