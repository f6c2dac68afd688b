package classify

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pemistahl/lingua-go"
)

// Languages lingua-go is asked about, all in Latin script: the languages
// of posts on the routes that its models know. Sorani, Kurmanji, Pashto,
// Dari, Tigrinya and Amharic it does not know; Arabic-script, Cyrillic and
// Ethiopic text is settled by the rules below, which are both better and
// faster for the few candidates each script has.
var linguaLanguages = []lingua.Language{
	lingua.English, lingua.French, lingua.German, lingua.Italian, lingua.Spanish,
	lingua.Portuguese, lingua.Dutch, lingua.Albanian, lingua.Turkish, lingua.Vietnamese,
	lingua.Somali, lingua.Polish, lingua.Romanian, lingua.Swahili, lingua.Croatian,
}

// Languages lingua-go is asked about so that their text is not taken for
// another, but that few posts on the routes are written in: lingua-go's
// word for them on a short text does not outweigh a function word of
// another language.
var linguaMinor = map[string]bool{"pt": true, "nl": true, "pl": true, "ro": true, "sw": true, "hr": true}

type script uint8

const (
	scriptNone script = iota
	scriptLatin
	scriptArabic
	scriptCyrillic
	scriptGreek
	scriptEthiopic
	scriptDevanagari
	scriptBengali
	scriptGurmukhi
	scriptHan
	scriptKana
	scriptHangul
	scriptHebrew
	scriptThai
	scriptGeorgian
	scriptArmenian
	scriptTamil
	scriptOther
	numScripts
)

func scriptOf(r rune) script {
	switch {
	case r < 0x80:
		if ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return scriptLatin
		}
		return scriptNone
	case !unicode.IsLetter(r):
		return scriptNone
	case r <= 0x24F || (0x1E00 <= r && r <= 0x1EFF):
		return scriptLatin
	case 0x0370 <= r && r <= 0x03FF:
		return scriptGreek
	case 0x0400 <= r && r <= 0x052F:
		return scriptCyrillic
	case 0x0590 <= r && r <= 0x05FF:
		return scriptHebrew
	case (0x0600 <= r && r <= 0x06FF) || (0x0750 <= r && r <= 0x077F) || (0xFB50 <= r && r <= 0xFEFF):
		return scriptArabic
	case 0x0900 <= r && r <= 0x097F:
		return scriptDevanagari
	case 0x0980 <= r && r <= 0x09FF:
		return scriptBengali
	case 0x0A00 <= r && r <= 0x0A7F:
		return scriptGurmukhi
	case 0x0B80 <= r && r <= 0x0BFF:
		return scriptTamil
	case 0x0E00 <= r && r <= 0x0E7F:
		return scriptThai
	case 0x10A0 <= r && r <= 0x10FF:
		return scriptGeorgian
	case 0x0530 <= r && r <= 0x058F:
		return scriptArmenian
	case 0x1200 <= r && r <= 0x139F || (0x2D80 <= r && r <= 0x2DDF) || (0xAB00 <= r && r <= 0xAB2F):
		return scriptEthiopic
	case 0x3040 <= r && r <= 0x30FF:
		return scriptKana
	case 0xAC00 <= r && r <= 0xD7AF || (0x1100 <= r && r <= 0x11FF):
		return scriptHangul
	case unicode.Is(unicode.Han, r):
		return scriptHan
	}
	return scriptOther
}

// langIdent identifies languages. It is immutable and safe for concurrent use.
type langIdent struct {
	lingua  lingua.LanguageDetector
	words   map[string][]string // word → languages that use it
	persian persianVarieties
}

func newLangIdent() *langIdent {
	li := &langIdent{
		lingua: lingua.NewLanguageDetectorBuilder().
			FromLanguages(linguaLanguages...).
			WithLowAccuracyMode().
			WithPreloadedLanguageModels().
			Build(),
		words:   map[string][]string{},
		persian: newPersianVarieties(),
	}
	for lang, ws := range langWords {
		// Arabic ("Arabizi"), Persian, Sorani, Pashto and Urdu in Latin
		// letters, Kurmanji in Arabic letters, count for the language.
		code, _, _ := strings.Cut(lang, "-")
		for _, w := range strings.Fields(ws) {
			k := langKey(w)
			if !slices.Contains(li.words[k], code) {
				li.words[k] = append(li.words[k], code)
			}
		}
	}
	return li
}

// langKey folds a word for function-word lookup: case folded, Arabic
// letter variants unified, Latin diacritics kept.
func langKey(w string) string {
	var b strings.Builder
	for _, r := range w {
		if r, keep := foldRune(r); keep {
			b.WriteRune(unifyArabic(r))
		}
	}
	return b.String()
}

// langWord is one word of light-normalised text and its script.
type langWord struct {
	text   string
	key    string // langKey(text)
	script script
	// miZWNJ is set on words that begin with the Persian verb prefix mi-
	// followed by a zero-width non-joiner in the original ("می‌کنم").
	miZWNJ bool
	// suffix is set on words joined to the word before by an apostrophe
	// ("calais'de", "londra'ya"): Turkish writes case endings so after
	// names.
	suffix bool
}

// splitLangWords returns the words of light-normalised runes by script,
// skipping links, handles and e-mail addresses, whose letters say nothing
// about the language of the post.
func splitLangWords(rs []nrune) (words []langWord, letters [numScripts]int, arabizi int) {
	// The text of a word and its langKey are built in one pass into tb
	// and kb, and all words' strings are cut from one string of each at
	// the end (a string per word was a tenth of Classify's allocations);
	// most words are their own key and share its string. offs holds the
	// ends of each word's text in tb and key in kb, -1 for the text's.
	var tb, kb []byte
	type wordEnds struct{ text, key int }
	var offs []wordEnds
	words = make([]langWord, 0, len(rs)/5+1)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i].r) {
			i++
			continue
		}
		j := i
		skip := false
		for j < len(rs) && !unicode.IsSpace(rs[j].r) {
			switch rs[j].r {
			case '@', '/':
				skip = true
			case '.':
				if j+1 < len(rs) && rs[j+1].r < 0x80 && unicode.IsLetter(rs[j+1].r) && j > i && rs[j-1].r < 0x80 && unicode.IsLetter(rs[j-1].r) {
					skip = true // domain-like: wa.me, example.com
				}
			}
			j++
		}
		if skip {
			i = j
			continue
		}
		// Arabizi: a digit standing for an Arabic letter between letters
		// ("ab3ath") or before at least three ("7arga"), not "2h" or "40cv".
		for k := i + 1; k+1 < j; k++ {
			if isArabiziDigit(rs[k].r) && isLatinLetter(rs[k-1].r) && isLatinLetter(rs[k+1].r) {
				arabizi++
			}
		}
		if j-i > 3 && isArabiziDigit(rs[i].r) && isLatinLetter(rs[i+1].r) && isLatinLetter(rs[i+2].r) && isLatinLetter(rs[i+3].r) {
			arabizi++
		}
		for k := i; k < j; {
			if !isWordRune(rs[k].r) || unicode.IsDigit(rs[k].r) {
				k++
				continue
			}
			m := k
			counts := [numScripts]int{}
			t0, k0 := len(tb), len(kb)
			for m < j && isWordRune(rs[m].r) && !unicode.IsDigit(rs[m].r) {
				s := scriptOf(rs[m].r)
				counts[s]++
				tb = utf8.AppendRune(tb, rs[m].r)
				if r, keep := foldRune(rs[m].r); keep { // as langKey does
					kb = utf8.AppendRune(kb, unifyArabic(r))
				}
				m++
			}
			best := scriptNone
			for s := range numScripts {
				letters[s] += counts[s]
				if s != scriptNone && counts[s] > counts[best] {
					best = s
				}
			}
			switch {
			case best == scriptNone:
				tb, kb = tb[:t0], kb[:k0]
			case string(kb[k0:]) == string(tb[t0:]):
				kb = kb[:k0]
				offs = append(offs, wordEnds{len(tb), -1})
				words = append(words, langWord{script: best, miZWNJ: miZWNJ(rs[k:m]), suffix: afterApostrophe(rs, i, k)})
			default:
				offs = append(offs, wordEnds{len(tb), len(kb)})
				words = append(words, langWord{script: best, miZWNJ: miZWNJ(rs[k:m]), suffix: afterApostrophe(rs, i, k)})
			}
			k = m
		}
		i = j
	}
	texts, keys := string(tb), string(kb)
	t0, k0 := 0, 0
	for i, o := range offs {
		words[i].text = texts[t0:o.text]
		if o.key < 0 {
			words[i].key = words[i].text
		} else {
			words[i].key = keys[k0:o.key]
			k0 = o.key
		}
		t0 = o.text
	}
	return words, letters, arabizi
}

// afterApostrophe reports whether the word at rs[k] follows an apostrophe
// that follows a letter, within the space-delimited chunk starting at i.
func afterApostrophe(rs []nrune, i, k int) bool {
	return k-2 >= i && (rs[k-1].r == '\'' || rs[k-1].r == '’') && unicode.IsLetter(rs[k-2].r)
}

// turkishSuffixes are the case endings Turkish joins to names with an
// apostrophe ("Londra'ya", "Calais'de", "Köln'den"), two letters or more:
// French "jusqu'à" and Italian "po'" leave one.
var turkishSuffixes = map[string]bool{
	"de": true, "da": true, "te": true, "ta": true, "den": true, "dan": true, "ten": true, "tan": true,
	"ye": true, "ya": true, "yi": true, "yı": true, "yu": true, "yü": true, "in": true, "ın": true,
	"un": true, "ün": true, "nin": true, "nın": true, "nun": true, "nün": true, "le": true, "la": true,
	"yle": true, "yla": true, "deki": true, "daki": true, "teki": true, "taki": true, "dir": true, "dır": true,
}

func isArabiziDigit(r rune) bool {
	switch r {
	case '2', '3', '5', '7', '9':
		return true
	}
	return false
}

// langGuess is a language and a confidence in [0, 1].
type langGuess struct {
	code string
	conf float64
}

// detect returns the main language of light-normalised runes and the other
// languages found in scripts other than the main one.
func (li *langIdent) detect(rs []nrune) (main langGuess, others []string) {
	words, letters, arabizi := splitLangWords(rs)
	mainScript := scriptNone
	for s := range numScripts {
		if s != scriptNone && letters[s] > letters[mainScript] {
			mainScript = s
		}
	}
	if mainScript == scriptNone {
		return langGuess{code: "und"}, nil
	}
	// Phone numbers and channel names hint at Afghan or Iranian posters.
	dariHints := phoneVariety(rs) + handleVariety(rs)
	main = li.detectScript(mainScript, words, letters[mainScript], arabizi, dariHints)
	// Shares of other scripts: a handful of Latin letters in an Arabic post
	// ("UK", "VIP") are names, not English.
	for s := range numScripts {
		if s == scriptNone || s == mainScript || letters[s] < 8 {
			continue
		}
		n := 0
		for _, w := range words {
			if w.script == s && !brandWords[strings.ToLower(w.text)] {
				n++
			}
		}
		if n < 2 || (s == scriptLatin && n < 3) {
			continue
		}
		g := li.detectScript(s, words, letters[s], arabizi, dariHints)
		if g.code != "und" && g.code != main.code && g.conf >= 0.5 && !slices.Contains(others, g.code) {
			others = append(others, g.code)
		}
	}
	sort.Strings(others)
	return main, others
}

// Latin words that appear in posts of every language and say nothing about
// the language.
var brandWords = map[string]bool{
	"whatsapp": true, "telegram": true, "signal": true, "viber": true, "imo": true, "uk": true,
	"ok": true, "vip": true, "dm": true, "inbox": true, "tiktok": true, "instagram": true,
	"facebook": true, "messenger": true, "snapchat": true, "calais": true, "dunkirk": true,
	"london": true, "eu": true, "usa": true, "gps": true, "wa": true, "tg": true, "boat": true,
}

func (li *langIdent) detectScript(s script, words []langWord, letters, arabizi int, dariHints float64) langGuess {
	switch s {
	case scriptLatin:
		g := li.detectLatin(words, arabizi)
		// Persian in Latin letters: Dari by the same rules as in Arabic
		// script.
		if g.code == "fa" && li.persian.score(words, scriptLatin).dari(dariHints) {
			g.code = "prs"
		}
		return g
	case scriptArabic:
		return li.detectArabic(words, dariHints)
	case scriptEthiopic:
		return li.detectEthiopic(words)
	case scriptCyrillic:
		return detectCyrillic(words)
	}
	code := map[script]string{
		scriptGreek: "el", scriptDevanagari: "hi", scriptBengali: "bn", scriptGurmukhi: "pa",
		scriptHan: "zh", scriptKana: "ja", scriptHangul: "ko", scriptHebrew: "he", scriptThai: "th",
		scriptGeorgian: "ka", scriptArmenian: "hy", scriptTamil: "ta",
	}[s]
	if code == "" {
		return langGuess{code: "und"}
	}
	return langGuess{code: code, conf: letterConfidence(letters)}
}

// letterConfidence is the confidence of a language that only one language
// writes in its script: it grows with the amount of text.
func letterConfidence(letters int) float64 {
	return round2(math.Min(1, 0.6+float64(letters)/50))
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// wordScores counts the function words of each language among words of
// script s.
func (li *langIdent) wordScores(words []langWord, s script) (map[string]float64, int) {
	scores := map[string]float64{}
	n := 0
	for _, w := range words {
		if w.script != s {
			continue
		}
		n++
		for _, l := range li.words[w.key] {
			scores[l]++
		}
	}
	return scores, n
}

// top returns the best and second-best languages of scores, ties broken by
// code so that results are deterministic.
func top(scores map[string]float64) (best string, s1, s2 float64) {
	codes := make([]string, 0, len(scores))
	for c := range scores {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		v := scores[c]
		switch {
		case v > s1:
			best, s1, s2 = c, v, s1
		case v > s2:
			s2 = v
		}
	}
	return best, s1, s2
}

func ratioConfidence(s1, s2 float64) float64 {
	if s1 <= 0 {
		return 0
	}
	return round2(math.Min(0.99, 0.5+0.5*(s1-s2)/s1*math.Min(1, s1/4)+0.01*s1))
}

func linguaCode(l lingua.Language) string {
	return strings.ToLower(l.IsoCode639_1().String())
}

func (li *langIdent) detectLatin(words []langWord, arabizi int) langGuess {
	var text strings.Builder
	vi, kmrChars, frChars, n := 0, 0, 0, 0
	var marks map[string]float64 // letters and spellings only one language writes
	mark := func(code string, w float64) {
		if marks == nil {
			marks = map[string]float64{}
		}
		marks[code] = math.Min(3, marks[code]+w)
	}
	for _, w := range words {
		if w.script != scriptLatin {
			continue
		}
		n++
		for _, r := range w.text {
			switch {
			case isVietnamese(r):
				vi++
			case r == 'ê' || r == 'î' || r == 'û':
				kmrChars++
			case r == 'é' || r == 'è' || r == 'à' || r == 'ù' || r == 'â' || r == 'ô' || r == 'œ':
				frChars++
			}
			// Dotless ı and ğ are Turkish, ë Albanian, ñ Spanish, ã and õ
			// Portuguese; Kurmanji shares ş and ç with Turkish but not
			// these. No other language of the routes writes ı or ğ, so each
			// counts as two function words. Acute a, i, o and u are Spanish or Portuguese (French
			// has é only, Italian mostly grave accents).
			switch r {
			case 'ı', 'ğ':
				mark("tr", 2)
			case 'ë':
				mark("sq", 1)
			case 'ñ':
				mark("es", 1)
			case 'ã', 'õ':
				mark("pt", 1)
			case 'á', 'í', 'ó', 'ú':
				mark("es", 0.5)
				mark("pt", 0.5)
			case 'ș', 'ț': // Romanian, with the comma below
				mark("ro", 1)
			case 'ł', 'ś', 'ź', 'ż', 'ę', 'ą': // Polish
				mark("pl", 1)
			}
		}
		if w.suffix && turkishSuffixes[w.text] {
			mark("tr", 1)
		}
		// Only Albanian begins words with rr, gj, xh or zh: "rruga",
		// "gjithë", "xhami", "zhvillim".
		if k := w.key; len(k) > 3 && (strings.HasPrefix(k, "rr") || strings.HasPrefix(k, "gj") ||
			strings.HasPrefix(k, "xh") || strings.HasPrefix(k, "zh")) {
			mark("sq", 1)
		}
		// Somali writes long vowels double and x for the pharyngeal h:
		// "xaalad", "waxaan"; Dutch doubles vowels but hardly writes x.
		if strings.ContainsRune(w.text, 'x') && (strings.Contains(w.text, "aa") || strings.Contains(w.text, "oo") ||
			strings.Contains(w.text, "ii") || strings.Contains(w.text, "uu")) {
			mark("so", 1)
		}
		if text.Len() < 240 {
			text.WriteString(w.text)
			text.WriteByte(' ')
		}
	}
	if vi >= 2 {
		return langGuess{code: "vi", conf: round2(math.Min(0.99, 0.8+float64(vi)/50))}
	}
	scores, _ := li.wordScores(words, scriptLatin)
	for l, v := range marks {
		scores[l] += v
	}
	// Kurmanji writes ê, î and û, as French does, but never é, è or à.
	if kmrChars >= 2 && frChars == 0 {
		scores["kmr"] += 3
	} else if kmrChars > 0 && scores["kmr"] > 0 {
		scores["kmr"] += math.Min(2, float64(kmrChars)*0.5)
	}
	// Digits for Arabic letters inside words ("7arga", "ab3ath") are Arabizi.
	scores["ar"] += 1.5 * float64(arabizi)
	best, s1, s2 := top(scores)
	if s1 >= 3 && s1 >= 2*s2 {
		return langGuess{code: best, conf: ratioConfidence(s1, s2)}
	}
	if best == "kmr" && s1 >= 2 && s1 > s2 {
		return langGuess{code: best, conf: ratioConfidence(s1, s2)}
	}
	vals := li.lingua.ComputeLanguageConfidenceValues(text.String())
	if len(vals) == 0 || vals[0].Value() == 0 {
		if best != "" {
			return langGuess{code: best, conf: ratioConfidence(s1, s2)}
		}
		return langGuess{code: "und"}
	}
	code, conf := linguaCode(vals[0].Language()), vals[0].Value()
	// On a few words lingua-go's low-accuracy models can name a language
	// none of whose function words occur ("de madera con motor" as
	// Vietnamese); another language with two more function words or
	// letters of its own outweighs that (lingua-go's Portuguese may have
	// only the acute vowels it shares with Spanish), and one with any
	// does on three words or fewer, where lingua-go's n-grams have little
	// to go on, or against a language seldom written on the routes. Of
	// languages with as many, lingua-go's favourite wins.
	if scores[code] <= s1-2 || (scores[code] == 0 && s1 > 0 && (n <= 3 || linguaMinor[code])) {
		if s1 == s2 {
			for _, v := range vals {
				if c := linguaCode(v.Language()); scores[c] == s1 {
					best = c
					break
				}
			}
		}
		return langGuess{code: best, conf: ratioConfidence(s1, s2)}
	}
	// lingua-go takes Kurmanji for French, Turkish or Albanian; Arabic in
	// Latin letters for anything.
	if s1 > 0 && (best == "kmr" || best == "ar") && scores[best] > scores[code] {
		return langGuess{code: best, conf: ratioConfidence(s1, s2)}
	}
	// A language seldom written on the routes needs a word or letter of
	// its own; without one, lingua-go's next language of the routes wins
	// if lingua-go gives it some weight (0.2).
	if linguaMinor[code] && scores[code] == 0 {
		for _, v := range vals[1:] {
			if c := linguaCode(v.Language()); !linguaMinor[c] {
				if v.Value() >= 0.2 {
					return langGuess{code: c, conf: round2(v.Value())}
				}
				break
			}
		}
	}
	return langGuess{code: code, conf: round2(conf)}
}

func isVietnamese(r rune) bool {
	switch r {
	case 'ơ', 'ư', 'ă', 'đ':
		return true
	}
	return 0x1EA0 <= r && r <= 0x1EF9
}

// Letters only some Arabic-script languages use.
func arabicLetterVotes(r rune, votes map[string]float64) {
	switch r {
	case 'ڕ', 'ڵ': // Sorani
		votes["ckb"] += 2
	case 'ۆ', 'ێ', 'ە': // Kurdish: Sorani, and Kurmanji in Arabic letters (Badini)
		votes["ckb"] += 2
		votes["kmr"] += 2
	case 'ڤ': // Kurmanji v; Sorani and Arabic write it in a few loanwords
		votes["kmr"] += 1
	case 'ټ', 'ډ', 'ړ', 'ښ', 'ږ', 'ځ', 'څ', 'ګ', 'ڼ', 'ۍ', 'ې': // Pashto (isPashtoLetter)
		votes["ps"] += 2
	case 'ٹ', 'ڈ', 'ڑ', 'ں', 'ے', 'ۓ': // Urdu (isUrduLetter)
		votes["ur"] += 2
	case 'ہ', 'ۂ': // Urdu heh goal
		votes["ur"] += 1
	case 'ھ': // do-chashmi heh: Urdu aspirates, some Sorani and Arabic h
		votes["ur"] += 0.5
	case 'پ', 'چ', 'ژ', 'گ': // Persian, and the languages above
		votes["fa"] += 0.5
		votes["ckb"] += 0.3
		votes["ps"] += 0.3
		votes["ur"] += 0.3
	case 'ی', 'ک': // Persian and Urdu
		votes["fa"] += 0.1
		votes["ur"] += 0.1
	case 'ة', 'ى', 'ي', 'ك', 'إ', 'أ':
		votes["ar"] += 0.3
	}
}

// isPashtoLetter reports whether r is a letter of Pashto that Persian and
// Urdu do not write (arabicLetterVotes).
func isPashtoLetter(r rune) bool {
	switch r {
	case 'ټ', 'ډ', 'ړ', 'ښ', 'ږ', 'ځ', 'څ', 'ګ', 'ڼ', 'ۍ', 'ې':
		return true
	}
	return false
}

// isUrduLetter reports whether r is a letter of Urdu that Persian, Pashto
// and Sorani do not write.
func isUrduLetter(r rune) bool {
	switch r {
	case 'ٹ', 'ڈ', 'ڑ', 'ں', 'ے', 'ۓ', 'ہ', 'ۂ':
		return true
	}
	return false
}

// dariHints is the evidence outside the words for Dari against Iranian
// Persian (phoneVariety, handleVariety).
func (li *langIdent) detectArabic(words []langWord, dariHints float64) langGuess {
	scores, _ := li.wordScores(words, scriptArabic)
	votes := map[string]float64{}
	urdu, pashto := 0, 0
	for _, w := range words {
		if w.script != scriptArabic {
			continue
		}
		for _, r := range w.text {
			arabicLetterVotes(r, votes)
			switch {
			case isUrduLetter(r):
				urdu++
			case isPashtoLetter(r):
				pashto++
			}
		}
		if strings.HasPrefix(w.text, "ال") && utf8.RuneCountInString(w.text) > 3 {
			votes["ar"] += 0.5
		}
	}
	// Letter votes saturate: the presence of Sorani letters matters more
	// than their number.
	for l, v := range votes {
		scores[l] += math.Min(v, 6)
	}
	// Dari is Persian with Afghan words, told apart by the markers of each
	// variety; without Afghan markers a post is Persian. Markers of either
	// variety are also evidence for the family. Three Urdu letters and the
	// text is not Persian, whatever Persian words it shares ("فیصد",
	// "جرمنی").
	ev := li.persian.score(words, scriptArabic)
	if urdu >= 3 {
		delete(scores, "fa")
	} else {
		scores["fa"] += math.Min(ev.total, 4)
	}
	// A Pashto letter in a Persian post is an Afghan keyboard or an Afghan
	// name ("ننګرهار"): Iranian writers have neither.
	if best, _, _ := top(scores); best == "fa" && ev.dari(dariHints+math.Min(1.5, float64(pashto))) {
		scores["prs"] = scores["fa"]
		delete(scores, "fa")
	}
	best, s1, s2 := top(scores)
	if best == "" {
		return langGuess{code: "ar", conf: 0.3}
	}
	return langGuess{code: best, conf: ratioConfidence(s1, s2)}
}

func (li *langIdent) detectEthiopic(words []langWord) langGuess {
	scores, _ := li.wordScores(words, scriptEthiopic)
	for _, w := range words {
		if w.script != scriptEthiopic {
			continue
		}
		for _, r := range w.text {
			switch {
			case 0x1250 <= r && r <= 0x125D, 0x12B8 <= r && r <= 0x12BE: // ቐ-series, ኸ-series
				scores["ti"] += 1
			case r == 'ኣ' || r == 'ሓ' || r == 'ዓ':
				scores["ti"] += 0.5
			case r == 'አ' || r == 'ኧ' || (0x12E0 <= r && r <= 0x12E7): // አ, ኧ, ዠ-series
				scores["am"] += 0.5
			}
		}
	}
	// Plurals and prefixes: Amharic -ዎች and የሚ-, Tigrinya -ታት and ዝ-.
	for _, w := range words {
		if w.script != scriptEthiopic {
			continue
		}
		switch {
		case strings.HasSuffix(w.text, "ዎች") || strings.HasSuffix(w.text, "ዎቹ") || strings.HasPrefix(w.text, "የሚ"):
			scores["am"] += 1
		case strings.HasSuffix(w.text, "ችሁ") || strings.HasSuffix(w.text, "ላል") || strings.HasSuffix(w.text, "ለን"):
			// Amharic 2nd person plural -achhu and imperfect -al, -allen.
			scores["am"] += 0.5
		case strings.HasSuffix(w.text, "ኹም") || strings.HasSuffix(w.text, "ኩም"):
			// Tigrinya 2nd person plural -kum.
			scores["ti"] += 0.5
		case strings.HasPrefix(w.text, "የ") && utf8.RuneCountInString(w.text) > 2:
			// The genitive prefix ye- is Amharic; Tigrinya says nay.
			scores["am"] += 0.5
		case strings.HasSuffix(w.text, "ታት") || strings.HasPrefix(w.text, "ዝ"):
			scores["ti"] += 1
		}
	}
	best, s1, s2 := top(scores)
	if best == "" {
		return langGuess{code: "am", conf: 0.5}
	}
	return langGuess{code: best, conf: ratioConfidence(s1, s2)}
}

func detectCyrillic(words []langWord) langGuess {
	scores := map[string]float64{"ru": 0.5}
	n := 0
	for _, w := range words {
		if w.script != scriptCyrillic {
			continue
		}
		for _, r := range w.text {
			n++
			switch r {
			case 'і', 'ї', 'є', 'ґ':
				scores["uk"] += 2
			case 'ы', 'э', 'ё':
				scores["ru"] += 2
			case 'ъ':
				scores["bg"] += 1
			case 'ј', 'љ', 'њ', 'ћ', 'ђ', 'џ':
				scores["sr"] += 2
			case 'ѓ', 'ќ', 'ѕ':
				scores["mk"] += 2
			}
		}
	}
	best, _, s2 := top(scores)
	conf := round2(math.Min(0.99, 0.5+float64(n)/100))
	if s2 > 0 {
		conf = round2(conf * 0.8)
	}
	return langGuess{code: best, conf: conf}
}

// miZWNJ reports whether a word of light-normalised runes begins with the
// verb prefix mi- (or nemi-) followed by a removed zero-width non-joiner:
// a gap in the original spans after the prefix.
func miZWNJ(w []nrune) bool {
	i := 0
	if len(w) > 0 && w[0].r == 'ن' {
		i = 1
	}
	if len(w) < i+3 || w[i].r != 'م' || w[i+1].r != 'ی' {
		return false
	}
	return w[i+2].start > w[i+1].end
}
