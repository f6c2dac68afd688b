package classify

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestPhoneVariety(t *testing.T) {
	for _, tt := range []struct {
		text string
		want float64
	}{
		{"+93 79 000 1122", 1.5},
		{"0093 79 000 1122", 1.5},
		{"۰۷۸۸ ۴۴۵ ۱۲۹", 1.5},
		{"+98 912 345 6789", -1.5},
		{"09123456789", -1.5},
		{"07 53 18 42 06", 0}, // French mobile, written in pairs
		{"+33 7 53 18 42 06", 0},
		{"07812 930 447", 0}, // UK mobile: eleven digits
		{"۰۷۸۸ ۴۴۵ ۱۲۹ و ۰۷۹۹ ۵۵۵ ۰۹۹ و +93 79 000 1122", 2},
		{"", 0},
	} {
		if got := phoneVariety(normalizeRunes(tt.text, modeLight, nil)); got != tt.want {
			t.Errorf("phoneVariety(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestPersianVarieties(t *testing.T) {
	pv := newPersianVarieties()
	for _, tt := range []struct {
		text   string
		s      script
		want   varietyEvidence
		isDari bool // without hints
	}{
		{"", scriptArabic, varietyEvidence{}, false},
		{"قایق امشب از دانکرک", scriptArabic, varietyEvidence{}, false},
		{"موتر", scriptArabic, varietyEvidence{words: 2, total: 2}, true},
		{"خیلی", scriptArabic, varietyEvidence{words: -1, total: 1}, false},
		{"برادر جان", scriptArabic, varietyEvidence{words: 1.5, total: 1.5}, true},                         // a pair of neutral words
		{"می‌کنم می‌کنی می‌کنه می‌کنیم", scriptArabic, varietyEvidence{register: -1.5, total: 1.5}, false}, // ZWNJ after mi-, capped
		{"میکنم", scriptArabic, varietyEvidence{}, false},
		// One register word does not make Dari: formal Iranian writing
		// has it; two do.
		{"مهاجر را نجات داد", scriptArabic, varietyEvidence{register: 0.5, total: 0.5}, false},
		{"او در لندن است و کار را", scriptArabic, varietyEvidence{register: 1, total: 1}, true},
		{"است است است است", scriptArabic, varietyEvidence{register: 1.5, total: 1.5}, true},
		{"دیگه است را", scriptArabic, varietyEvidence{words: -0.5, register: 1, total: 1.5}, true},
		{"بسیار است را", scriptArabic, varietyEvidence{words: 0.5, register: 1, total: 1.5}, true},
		// The Iranian progressive: daštan before a verb in mi-.
		{"داره میاد", scriptArabic, varietyEvidence{words: -2, total: 2}, false},
		{"کشتی داره میره", scriptArabic, varietyEvidence{words: -1, total: 1}, false},
		{"جا داریم میتوانید", scriptArabic, varietyEvidence{}, false},
		// Afghan and Iranian months.
		{"۱۵ سنبله", scriptArabic, varietyEvidence{words: 2, total: 2}, true},
		{"۱۵ شهریور", scriptArabic, varietyEvidence{words: -2, total: 2}, false},
		// Latin letters count only for scriptLatin.
		{"tashakor az hama, biradaram rasid", scriptLatin, varietyEvidence{words: 4, total: 4}, true},
		{"mersi az hame, dadasham resid", scriptLatin, varietyEvidence{words: -4, total: 4}, false},
		{"tashakor az hama", scriptArabic, varietyEvidence{}, false},
	} {
		words, _, _ := splitLangWords(normalizeRunes(tt.text, modeLight, nil))
		got := pv.score(words, tt.s)
		if got != tt.want {
			t.Errorf("score(%q) = %+v, want %+v", tt.text, got, tt.want)
		}
		if d := got.dari(0); d != tt.isDari {
			t.Errorf("score(%q).dari(0) = %v, want %v", tt.text, d, tt.isDari)
		}
	}
}

func TestVarietyEvidenceDari(t *testing.T) {
	for _, tt := range []struct {
		e     varietyEvidence
		hints float64
		want  bool
	}{
		{varietyEvidence{}, 0, false},
		{varietyEvidence{}, 1.5, true}, // an Afghan phone number
		{varietyEvidence{}, -1.5, false},
		{varietyEvidence{words: 0.5}, 0, true},
		{varietyEvidence{words: 0.5, register: -0.5}, 0, false},
		{varietyEvidence{words: 0.25, register: 0.5}, 0, true},
		{varietyEvidence{register: 0.5}, 0, false},
		{varietyEvidence{register: 1}, 0, true},
		{varietyEvidence{words: -1, register: 1}, 0, false},
		{varietyEvidence{words: 2}, -2, false},
	} {
		if got := tt.e.dari(tt.hints); got != tt.want {
			t.Errorf("%+v.dari(%v) = %v, want %v", tt.e, tt.hints, got, tt.want)
		}
	}
}

func TestHandleVariety(t *testing.T) {
	for _, tt := range []struct {
		text string
		want float64
	}{
		{"@brp_dari", 1},
		{"@nerkh_uk_af", 1},
		{"t.me/kabul_uk", 1},
		{"t.me/vip_safar_uk_ir", -1},
		{"@brp_farsi", -1},
		{"@safari_boat", 0}, // dari only as a whole segment
		{"dari farsi", 0},   // words, not handles
		{"@af @afg @dari @kabul", 1.5},
		{"", 0},
	} {
		if got := handleVariety(normalizeRunes(tt.text, modeLight, nil)); got != tt.want {
			t.Errorf("handleVariety(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestPersianMarkersDistinct checks that no word is a marker twice: in both
// varieties its weights would cancel, in one list they would add up.
func TestPersianMarkersDistinct(t *testing.T) {
	seen := map[string]string{}
	check := func(list string, words string) {
		for _, w := range strings.Fields(words) {
			k := langKey(w)
			if prev, ok := seen[k]; ok {
				t.Errorf("marker %q (key %q) in %s and %s", w, k, prev, list)
			}
			seen[k] = list
		}
	}
	for _, lists := range []struct {
		name  string
		lists map[float64]string
	}{{"dari", dariMarkers}, {"iranian", iranianMarkers}} {
		for w, ws := range lists.lists {
			check(fmt.Sprintf("%s %v", lists.name, w), ws)
		}
	}
	pairs := map[string]bool{}
	for _, p := range append(slices.Clone(dariPairs), iranianPairs...) {
		if pairs[pairKey(p)] {
			t.Errorf("pair %q twice", p)
		}
		pairs[pairKey(p)] = true
	}
}
