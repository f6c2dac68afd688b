package classify

import (
	"math"
	"strings"
	"testing"
)

// TestFeatureNames checks that the hashes the extractor computes piece by
// piece are the hashes of the names written to model.json.
func TestFeatureNames(t *testing.T) {
	for _, text := range []string{
		"Boat tonight from Dunkirk, 6 seats left. £1300 per person",
		"طلعة بلم الليلة من دنكيرك ١٢٠٠ باوند",
		"ጀልባ ሰኞ እና ሐሙስ አለ",
		"Đi Anh bao đậu 100%",
		"",
	} {
		toks := tokenize(normalizeRunes(text, modeFull, nil))
		names := map[uint64]string{}
		fs, n := learnedFeatures(toks, names)
		if len(fs) > n {
			t.Errorf("%q: %d distinct features of %d occurrences", text, len(fs), n)
		}
		for _, f := range fs {
			name, ok := names[f.hash()]
			if !ok {
				t.Fatalf("%q: feature %x has no name", text, f.hash())
			}
			if got := featureHash(name); got != f.hash() {
				t.Errorf("%q: featureHash(%q) = %x, extractor computed %x", text, name, got, f.hash())
			}
			if f.tok() < 0 || f.tok() >= len(toks) {
				t.Errorf("%q: feature %q on token %d of %d", text, name, f.tok(), len(toks))
			}
		}
	}
	toks := tokenize(normalizeRunes("boat 2500 boat", modeFull, nil))
	names := map[uint64]string{}
	learnedFeatures(toks, names)
	for _, want := range []string{"w:boat", "w:#4", "b:boat #4", "b:#4 boat", "c:^bo", "c:oat$", "c:^boa", "c:boat$"} {
		if _, ok := names[featureHash(want)]; !ok {
			t.Errorf("features of %q lack %q", "boat 2500 boat", want)
		}
	}
	for _, not := range []string{"c:^boat$", "w:2500"} {
		if _, ok := names[featureHash(not)]; ok {
			t.Errorf("features of %q include %q", "boat 2500 boat", not)
		}
	}
}

func TestLearnedContributions(t *testing.T) {
	lm := compileLearned(map[string]float64{"w:boat": 2, "c:^bo": 1, "b:boat tonight": -1})
	toks := tokenize(normalizeRunes("boat tonight boat", modeFull, nil))
	per := make([]float64, len(toks))
	z := lm.contributions(toks, per)
	// Each feature counts once, on its first token.
	_, n := learnedFeatures(toks, nil)
	want := (2 + 1 - 1) / math.Sqrt(float64(n))
	if math.Abs(z-want) > 1e-12 || math.Abs(per[0]-want) > 1e-12 || per[1] != 0 || per[2] != 0 {
		t.Errorf("contributions = %v, per token %v; want %v all on token 0", z, per, want)
	}
	if z := (learnedModel{}).contributions(toks, per); z != 0 {
		t.Errorf("empty model contributions = %v, want 0", z)
	}
}

func TestLearnedIndicators(t *testing.T) {
	c := newTestClassifier(t)
	text := "Boat tonight from Dunkirk to the UK, 6 seats left, £1300 per person, WhatsApp +33 7 59 04 81 26"
	r := c.Classify(text)
	n := 0
	for _, in := range r.Indicators {
		if in.Group != Learned {
			continue
		}
		n++
		if in.Span[0] < 0 || in.Span[1] > len(text) || in.Span[0] >= in.Span[1] {
			t.Errorf("learned indicator %+v: span outside the text", in)
		}
		if got := strings.ToLower(text[in.Span[0]:in.Span[1]]); got != in.Term && !strings.Contains(got, in.Term) {
			t.Errorf("learned indicator %+v covers %q", in, got)
		}
		if math.Abs(in.Weight) < minLearned {
			t.Errorf("learned indicator %+v: weight below %v", in, minLearned)
		}
	}
	if n == 0 || n > maxLearned {
		t.Errorf("Classify(%q) has %d learned indicators, want 1 to %d: %+v", text, n, maxLearned, r.Indicators)
	}
}

func TestFitSparse(t *testing.T) {
	// Column 0 marks positives, column 1 negatives; the dense feature is noise.
	var rows []sparseRow
	var ys []float64
	for i := range 40 {
		y := float64(i % 2)
		rows = append(rows, sparseRow{dense: []float64{float64(i%3) / 2}, cols: []int32{int32(1 - i%2), 2}, val: 1})
		ys = append(ys, y)
	}
	b1, d1, s1 := fitSparse(rows, ys, 3, 1, 0.1)
	b2, d2, s2 := fitSparse(rows, ys, 3, 1, 0.1)
	if b1 != b2 || d1[0] != d2[0] || s1[0] != s2[0] || s1[1] != s2[1] {
		t.Errorf("fitSparse is not deterministic: %v %v %v vs %v %v %v", b1, d1, s1, b2, d2, s2)
	}
	if !(s1[0] > 1 && s1[1] < -1) {
		t.Errorf("fitSparse weights %v: want column 0 > 1 and column 1 < -1", s1)
	}
	for i, r := range rows {
		z := b1 + d1[0]*r.dense[0] + s1[r.cols[0]] + s1[2]
		if (sigmoid(z) >= 0.5) != (ys[i] == 1) {
			t.Errorf("row %d: score %v, label %v", i, sigmoid(z), ys[i])
		}
	}
}

// TestLearnedGate checks when learned words stand in for the missing half
// of the gate: two different words outside every lexicon term, with an
// offer or contact (or a destination) from the lexicons, never one word.
func TestLearnedGate(t *testing.T) {
	model := func(gate float64) *Model {
		return &Model{
			Weights:     map[string]float64{},
			Learned:     map[string]float64{"w:zorblat": 4, "w:quindle": 4, "w:pohanch": 4, "w:ke": 4},
			LearnedGate: gate,
		}
	}
	th := &Thresholds{Review: 0.3, Advert: 0.6}
	for _, tt := range []struct {
		text string
		gate float64
		open bool
	}{
		{"zorblat quindle payment", 0.5, true},
		{"zorblat quindle payment", 0, false},      // no learned gate
		{"zorblat quindle payment", 20, false},     // evidence below it
		{"zorblat payment", 0.5, false},            // one word
		{"zorblat zorblat payment", 0.5, false},    // one word twice
		{"zorblat quindle", 0.5, false},            // neither half from the lexicons
		{"pohanch ke payment", 0.5, false},         // one Urdu term, whatever the language read
		{"zorblat quindle whatsapp me", 0.5, true}, // contact
	} {
		c, err := New(Options{Model: model(tt.gate), Thresholds: th})
		if err != nil {
			t.Fatal(err)
		}
		r := c.Classify(tt.text)
		const why = "learned words standing in for the missing offer or destination"
		if tt.open {
			if r.Score <= gateCap || !strings.Contains(r.Explanation, why+" (+") {
				t.Errorf("learned gate %v: Classify(%q) = %.3f %q, want above %v, explained by %q", tt.gate, tt.text, r.Score, r.Explanation, gateCap, why)
			}
			continue
		}
		if r.Score > gateCap || !strings.Contains(r.Explanation, "held at most") {
			t.Errorf("learned gate %v: Classify(%q) = %.3f %q, want held at %v", tt.gate, tt.text, r.Score, r.Explanation, gateCap)
		}
	}
}
