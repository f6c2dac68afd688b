package classify

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

func TestClassifyLabels(t *testing.T) {
	c := newTestClassifier(t)
	for _, tt := range []struct {
		text string
		want Label
	}{
		{"Dunkirk to UK tonight, 100% safe, WhatsApp +33 6 12 34 56 78", Advert},
		{"🚤🇬🇧 balam from Calais every night, pay on arrival, £2,500, t.me/uk_balam", Advert},
		{"رحلات تهريب إلى بريطانيا كل ليلة من كاليه، مضمون ١٠٠٪، الدفع عند الوصول، واتساب ٠٠٤٤٧٧٠٠٩٠٠١٢٣", Advert},
		{"Lorry to London every week, hidden compartment, pay on arrival, £4000, call +33 6 12 34 56 78", Advert},
		{"Home Secretary announces customs partnership", NotAdvert},
		{"Police arrested two men in Calais after a dinghy was found on the beach, the Home Office said", NotAdvert},
		{"P&O Ferries Dover to Calais, tickets from £45, book online", NotAdvert},
		{"Do not trust smugglers who promise a guaranteed crossing to the UK: the sea kills. Please share", NotAdvert},
		{"Outboard engine for sale, Yamaha 40hp, good condition, used for fishing on the lake, £900", NotAdvert},
		{"Free consultation with an immigration lawyer about asylum claims and appeals, call 020 7946 0812", NotAdvert},
		{"", NotAdvert},
		{"boat", NotAdvert},
	} {
		if got := c.Classify(tt.text).Label; got != tt.want {
			r := c.Classify(tt.text)
			t.Errorf("Classify(%q).Label = %v (score %.3f: %s), want %v", tt.text, got, r.Score, r.Explanation, tt.want)
		}
	}
}

func TestClassifyResult(t *testing.T) {
	c := newTestClassifier(t)
	text := "Boat to UK tonight, WhatsApp +44 7700 900123"
	r := c.Classify(text)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"lang", "lang_confidence", "langs", "score", "label", "indicators", "entities", "explanation"} {
		if _, ok := m[k]; !ok {
			t.Errorf("Result JSON %s has no %q", b, k)
		}
	}
	if r.Score < 0 || r.Score > 1 || r.Label != c.Label(r.Score) {
		t.Errorf("score %v, label %v: want in [0,1] and the label of the score", r.Score, r.Label)
	}
	for _, in := range r.Indicators {
		if in.Span[0] < 0 || in.Span[1] > len(text) || in.Span[0] >= in.Span[1] || in.Weight == 0 || in.Term == "" {
			t.Errorf("indicator %+v: bad span, term or weight", in)
		}
	}
	for _, want := range []string{"advert", "score", "For:", "phone +447700900123"} {
		if !strings.Contains(r.Explanation, want) {
			t.Errorf("explanation %q lacks %q", r.Explanation, want)
		}
	}
	long := strings.Repeat("boat ", 20000)
	if r := c.Classify(long); r.Score > gateCap {
		t.Errorf("long single-word post scored %v", r.Score)
	}
}

func TestThresholdOverride(t *testing.T) {
	c, err := New(Options{Thresholds: &Thresholds{Review: 0.3, Advert: 0.9}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		score float64
		want  Label
	}{{0.95, Advert}, {0.9, Advert}, {0.5, Review}, {0.3, Review}, {0.29, NotAdvert}} {
		if got := c.Label(tt.score); got != tt.want {
			t.Errorf("Label(%v) = %v, want %v", tt.score, got, tt.want)
		}
	}
	if th := c.Thresholds(); th.Review != 0.3 || th.Advert != 0.9 {
		t.Errorf("Thresholds() = %+v", th)
	}
}

// TestConcurrentClassify runs Classify from many goroutines; with -race it
// checks that the classifier is safe for concurrent use.
func TestConcurrentClassify(t *testing.T) {
	c := newTestClassifier(t)
	want := make([]Result, len(benchPosts))
	for i, p := range benchPosts {
		want[i] = c.Classify(p)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range benchPosts {
				k := (i + g) % len(benchPosts)
				if got := c.Classify(benchPosts[k]); got.Score != want[k].Score || got.Lang != want[k].Lang || len(got.Indicators) != len(want[k].Indicators) {
					t.Errorf("concurrent Classify(post %d) = %v %v, want %v %v", k, got.Lang, got.Score, want[k].Lang, want[k].Score)
				}
			}
		}()
	}
	wg.Wait()
}

// TestExplanationShape checks that the features of a post's shape, which
// weigh like any indicator, are named in the explanation with their weights.
func TestExplanationShape(t *testing.T) {
	m := &Model{Weights: map[string]float64{"counter": -2, "question": -1, "breadth": 0.9}}
	c, err := New(Options{Model: m, Thresholds: &Thresholds{Review: 0.3, Advert: 0.6}})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Classify("Warning! is there a boat to the UK tonight? WhatsApp")
	for _, want := range []string{"counter-indicators present (-2.00)", "asks a question (-1.00)", " advert groups together (+"} {
		if !strings.Contains(r.Explanation, want) {
			t.Errorf("explanation %q lacks %q", r.Explanation, want)
		}
	}
	r = c.Classify("Boat to the UK tonight, WhatsApp")
	for _, not := range []string{"counter-indicators", "asks a question"} {
		if strings.Contains(r.Explanation, not) {
			t.Errorf("explanation %q names %q", r.Explanation, not)
		}
	}
}
