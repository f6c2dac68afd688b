package classify

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		{"ascii case", "Boat To UK", "boat to uk"},
		{"nfkc fullwidth", "ＷｈａｔｓＡｐｐ", "whatsapp"},
		{"nfkc math bold", "𝐁𝐨𝐚𝐭", "boat"},
		{"vietnamese decomposed", norm.NFD.String("đi Anh bao đậu"), "đi anh bao đậu"},
		{"zero width", "Wh\u200bats\u200dApp", "whatsapp"},
		{"bidi controls", "\u202eboat\u202c \u2066uk\u2069", "boat uk"},
		{"soft hyphen", "Eng\u00adland", "england"},
		{"arabic yeh kaf", "كي ى", "کي ي"},
		{"persian yeh kaf", "کی", "کي"},
		{"teh marbuta", "رحلة", "رحله"},
		{"hamza forms", "أإآ", "ااا"},
		{"tatweel and harakat", "بـــلَمٌ", "بلم"},
		{"arabic-indic digits", "٠١٢٣٤٥٦٧٨٩", "0123456789"},
		{"persian digits", "۰۱۲۳۴۵۶۷۸۹", "0123456789"},
		{"cyrillic homoglyphs in latin word", "Вoаt", "boat"},
		{"all cyrillic look-alikes in latin text", "ВОАТ to the UK", "boat to the uk"},
		{"russian text kept", "Привет мир", "привет мир"},
		{"greek homoglyph", "Bοat", "boat"},
		{"letter spacing", "W h a t s A p p", "whatsapp"},
		{"dotted spacing", "w.h.a.t.s.a.p.p now", "whatsapp now"},
		{"at for a", "wh@tsapp", "whatsapp"},
		{"zero for o", "b0at", "boat"},
		{"three for e", "t3l3gram", "telegram"},
		{"dotted abbreviation", "U.K", "uk"},
		{"spaced abbreviation", "U. K.", "uk."},
		{"hyphen split", "Eng-land", "england"},
		{"space split", "Whats App", "whatsapp"},
		{"split words that are words stay", "pay on arrival", "pay on arrival"},
		{"handles kept", "@ali_uk", "@ali_uk"},
		{"prices kept", "2500eur", "2500eur"},
		{"emoji kept", "🇬🇧 🚤 ✅ 📞", "🇬🇧 🚤 ✅ 📞"},
		{"skin tone and variation selector dropped", "👍🏽 ✔️", "👍 ✔"},
		{"empty", "", ""},
	} {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("%s: Normalize(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestNormalizeSpans(t *testing.T) {
	for _, in := range []string{
		"W h a t s A p p +44 7911",
		norm.NFD.String("Đi Anh bao đậu, giá ٢٥٠٠ £"),
		"بەلەم\u200cی گەورە 🇬🇧 ﷺ",
		"ﬁne ①②",
		"\xff\xfe broken utf8",
	} {
		for _, mode := range []normMode{modeLight, modeFull} {
			rs := normalizeRunes(in, mode, embeddedJoinWords())
			prevStart := 0
			for _, r := range rs {
				if r.start < 0 || r.end > int32(len(in)) || r.start >= r.end {
					t.Fatalf("normalizeRunes(%q) rune %q has span [%d,%d) outside text of %d bytes", in, r.r, r.start, r.end, len(in))
				}
				if !utf8.ValidString(in[r.start:r.end]) && utf8.ValidString(in) {
					t.Errorf("normalizeRunes(%q) span [%d,%d) splits a character", in, r.start, r.end)
				}
				if int(r.start) < prevStart {
					t.Errorf("normalizeRunes(%q) spans go backwards at %q", in, r.r)
				}
				prevStart = int(r.start)
			}
		}
	}
}

func TestNormalizeSpanOfJoinedWord(t *testing.T) {
	c := newTestClassifier(t)
	text := "Call me on W h a t s A p p"
	r := c.Classify(text)
	for _, in := range r.Indicators {
		if strings.Contains(in.Term, "whatsapp") {
			if got := text[in.Span[0]:in.Span[1]]; !strings.HasSuffix(got, "W h a t s A p p") {
				t.Errorf("span of %q = %q, want it to end with %q", in.Term, got, "W h a t s A p p")
			}
			return
		}
	}
	t.Errorf("Classify(%q) found no whatsapp indicator: %+v", text, r.Indicators)
}

func TestTextHash(t *testing.T) {
	a := TextHash("Boat to UK tonight, WhatsApp")
	for _, variant := range []string{
		"BOAT to UK tonight, WhatsApp",
		"B\u200boat to U.K tonight, W h a t s A p p",
		"Вoat to UK tonight, wh@tsapp",
	} {
		if got := TextHash(variant); got != a {
			t.Errorf("TextHash(%q) = %s, want %s (same as plain text)", variant, got, a)
		}
	}
	if b := TextHash("Boat to Italy tonight, WhatsApp"); b == a {
		t.Errorf("TextHash of different texts are equal: %s", a)
	}
	if len(a) != 64 || strings.Trim(a, "0123456789abcdef") != "" {
		t.Errorf("TextHash = %q, want 64 hex digits", a)
	}
}
