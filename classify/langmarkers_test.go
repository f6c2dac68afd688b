package classify

import "testing"

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
		text     string
		net, tot float64
	}{
		{"", 0, 0},
		{"قایق امشب از دانکرک", 0, 0},
		{"موتر", 2, 2},
		{"خیلی", -1, 1},
		{"برادر جان", 1.5, 1.5}, // a pair of neutral words
		{"می‌کنم می‌کنی می‌کنه می‌کنیم", -1.5, 1.5}, // ZWNJ after mi-, capped
		{"میکنم", 0, 0},
		{"است است است است", 1.5, 1.5}, // register words, capped
	} {
		words, _, _ := splitLangWords(normalizeRunes(tt.text, modeLight, nil))
		if net, tot := pv.score(words); net != tt.net || tot != tt.tot {
			t.Errorf("score(%q) = %v, %v; want %v, %v", tt.text, net, tot, tt.net, tt.tot)
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
