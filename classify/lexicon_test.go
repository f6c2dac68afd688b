package classify

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestIndicatorGroups checks one term of each group in each language's
// lexicon, and that its span covers the words in the original text.
func TestIndicatorGroups(t *testing.T) {
	c := newTestClassifier(t)
	for _, tt := range []struct {
		text  string
		group Group
		span  string // original text the indicator covers
	}{
		{"Boat to UK tonight", Destination, "to UK"},
		{"pickup from Calais beach", Route, "from Calais"},
		{"taxi boat every night", Crossing, "taxi boat"},
		{"big dinghy, strong engine", Vehicle, "dinghy"},
		{"100% guaranteed, pay on arrival", Offer, "pay on arrival"},
		{"message me on WhatsApp", Contact, "on WhatsApp"},
		{"real passports, your photo", Documents, "real passports"},
		{"police arrested three men", News, "arrested"},
		{"do not trust smugglers", Warning, "do not trust"},
		{"P&O Ferries tickets from £45", Ferry, "tickets"},
		{"Outboard for sale, 40hp, used for one summer, collection only", Sale, "for sale"},
		{"free consultation with an immigration lawyer", Legal, "immigration lawyer"},
		{"waiter wanted, £12 per hour", Job, "per hour"},
		{"my brother is missing, please help", Personal, "my brother"},
		{"Départ ce soir pour l'Angleterre", Destination, "Angleterre"},
		{"bateau pneumatique", Vehicle, "bateau"},
		{"LKW nach England, Zahlung bei Ankunft", Offer, "Zahlung bei Ankunft"},
		{"رحلات تهريب إلى بريطانيا", Crossing, "تهريب"},
		{"البلم جاهز", Vehicle, "البلم"},
		{"سعر مضمون", Offer, "مضمون"},
		{"بەلەم بۆ بەریتانیا", Vehicle, "بەلەم"},
		{"قاچاقبر ها", Crossing, "قاچاقبر"},
		{"کښتۍ ته", Vehicle, "کښتۍ"},
		{"ጀልባ ናብ እንግሊዝ", Destination, "እንግሊዝ"},
		{"ወደ እንግሊዝ ጀልባ አለ ዋስትና", Offer, "ዋስትና"},
		{"đi Anh bao đậu", Offer, "bao đậu"},
		{"Gomone për në Angli", Vehicle, "Gomone"},
		{"İngiltere'ye garantili geçiş", Offer, "garantili geçiş"},
		{"tahriib Ingiriiska", Crossing, "tahriib"},
		{"ڈنکی لگا کر یورپ", Crossing, "ڈنکی"},
		{"Belem bi garantî diçe Îngilîstanê", Destination, "Îngilîstanê"},
		{"Tahrib to UK, balam ready", Vehicle, "balam"},
		{"🚤🇬🇧", Destination, "🇬🇧"},
		// Emoji scattered between the words of a phrase do not break it.
		{"đi 🔥 Anh ⭐ bao 👉 đậu", Offer, "bao 👉 đậu"},
		{"pay 💥 on 🇬🇧 arrival", Offer, "pay 💥 on 🇬🇧 arrival"},
		{"pay 💥 on 🇬🇧 arrival", Destination, "🇬🇧"}, // and the flag inside still counts
	} {
		r := c.Classify(tt.text)
		var found []string
		ok := false
		for _, in := range r.Indicators {
			got := tt.text[in.Span[0]:in.Span[1]]
			found = append(found, string(in.Group)+":"+got)
			if in.Group == tt.group && got == tt.span {
				ok = true
			}
		}
		if !ok {
			t.Errorf("Classify(%q): no %s indicator over %q; found %q", tt.text, tt.group, tt.span, found)
		}
	}
}

// TestNoSingleWordIsEnough classifies every lexicon term on its own and
// with itself repeated: none may reach the review band.
func TestNoSingleWordIsEnough(t *testing.T) {
	c := newTestClassifier(t)
	for _, tm := range c.lex.terms {
		text := strings.ReplaceAll(tm.text, "*", "")
		for _, s := range []string{text, text + " " + text + " " + text} {
			if r := c.Classify(s); r.Score > gateCap || r.Label != NotAdvert {
				t.Errorf("Classify(%q) (term of %s/%s) = %v %.3f, want not_advert ≤ %v", s, tm.lang, tm.group, r.Label, r.Score, gateCap)
			}
		}
	}
}

func TestLexiconErrors(t *testing.T) {
	for _, tt := range []struct {
		name, file, want string
	}{
		{"unknown group", "[bogus]\nboat\n", "lexicon xx.txt:1: unknown group \"bogus\""},
		{"term before group", "boat\n", "lexicon xx.txt:1: term \"boat\" before any [group]"},
		{"unclosed header", "[offer\n", "lexicon xx.txt:1: unclosed group header \"[offer\""},
		{"bad weight", "[offer]\nsafe | lots\n", "lexicon xx.txt:2: bad weight \"lots\" (want a number in (0,5])"},
		{"weight out of range", "[offer]\nsafe | 9\n", "lexicon xx.txt:2: bad weight \"9\" (want a number in (0,5])"},
		{"no words", "[offer]\n... | 1\n", "lexicon xx.txt:2: term \"...\" has no words"},
		{"repeated term", "# c\n[offer]\nsafe\n\nsafe\n", "lexicon xx.txt:5: term \"safe\" repeats line 3"},
	} {
		_, err := loadLexicon(fstest.MapFS{"xx.txt": {Data: []byte(tt.file)}})
		var le *LexiconError
		if !errors.As(err, &le) || err.Error() != tt.want {
			t.Errorf("%s: loadLexicon error = %v, want %s", tt.name, err, tt.want)
		}
	}
	if _, err := loadLexicon(fstest.MapFS{}); err == nil || err.Error() != "lexicon: no *.txt files" {
		t.Errorf("loadLexicon(empty) error = %v, want lexicon: no *.txt files", err)
	}
}

func TestNewErrors(t *testing.T) {
	lex := fstest.MapFS{"en.txt": {Data: []byte("[offer]\nsafe\n")}}
	for _, tt := range []struct {
		name string
		opts Options
		want string
	}{
		{"missing model", Options{Lexicons: lex}, "classify: reading model.json: open model.json: file does not exist"},
		{"bad thresholds", Options{Lexicons: lex, Model: &Model{}, Thresholds: &Thresholds{Review: 0.9, Advert: 0.5}},
			"classify: thresholds review 0.9, advert 0.5: want 0.2 < review ≤ advert ≤ 1"},
		{"thresholds at the gate", Options{Lexicons: lex, Model: &Model{}, Thresholds: &Thresholds{Review: 0.1, Advert: 0.5}},
			"classify: thresholds review 0.1, advert 0.5: want 0.2 < review ≤ advert ≤ 1"},
		{"bad lexicon", Options{Lexicons: fstest.MapFS{"en.txt": {Data: []byte("[x]\n")}}, Model: &Model{}, Thresholds: &Thresholds{Review: 0.5, Advert: 0.6}},
			"lexicon en.txt:1: unknown group \"x\""},
	} {
		_, err := New(tt.opts)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: New error = %v, want %s", tt.name, err, tt.want)
		}
	}
	if _, err := New(Options{Lexicons: lex}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("New without model.json: error %v does not wrap fs.ErrNotExist", err)
	}
}

func TestEmbeddedLexiconsCoverLanguages(t *testing.T) {
	names, err := fs.Glob(embedded, "lexicons/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"en", "fr", "de", "it", "es", "ar", "ckb", "kmr", "fa", "ps", "ur", "ti", "am", "so", "sq", "tr", "vi", "names", "emoji", "arabizi"} {
		if !slices.Contains(names, "lexicons/"+want+".txt") {
			t.Errorf("no lexicons/%s.txt among %q", want, names)
		}
	}
}

// In a Vietnamese post, words with tone marks are Vietnamese: "vẫn"
// (still) does not match the English vehicle "van", nor "bạn" (friend)
// anything spelled "ban"; the same letters without marks still match, and
// in other languages nothing changes.
func TestVietnameseToneMarkedWordsStayVietnamese(t *testing.T) {
	c := newTestClassifier(t)
	has := func(text, term string) bool {
		for _, in := range c.Classify(text).Indicators {
			if in.Group != Learned && in.Term == term {
				return true
			}
		}
		return false
	}
	for _, tt := range []struct {
		text, term string
		want       bool
	}{
		{"Mình vẫn ở nhà với gia đình, trời hôm nay đẹp quá các bạn ơi", "van", false},
		{"xe van đi Anh tuần này, còn 2 chỗ, ib", "van", true},
		{"Van to UK tonight, 2 places left", "van", true},
		// Vietnamese terms with tone marks need the same marks: "gia"
		// (family) is not "giá" (price), but unmarked typing still matches.
		{"cả gia đình em khỏe, mẹ đừng lo", "giá", false},
		{"giá 3000 bảng, đi Anh, ib", "giá", true},
		{"gia 3000 bang, di anh, ib", "giá", true},
	} {
		if r := c.Classify(tt.text); has(tt.text, tt.term) != tt.want {
			t.Errorf("%q (lang %s): indicator %q = %v, want %v", tt.text, r.Lang, tt.term, !tt.want, tt.want)
		}
	}
}
