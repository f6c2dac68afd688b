package classify

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nrune is one rune of normalised text with the byte span [start, end) of
// the original text it came from. Every rune produced from one NFKC segment
// carries the whole segment's span, so spans never split a character.
type nrune struct {
	r          rune
	start, end int32
}

// normMode selects how far normalisation goes.
type normMode uint8

const (
	// modeLight applies NFKC, case folding, removal of invisible characters
	// and Arabic marks, and maps digits to ASCII. Language identification and
	// entity extraction read this form: it keeps the letters that tell Arabic
	// from Persian from Kurdish, and the punctuation of links and handles.
	modeLight normMode = iota
	// modeFull adds what matching needs: Arabic-script letter variants
	// unified, homoglyphs and leetspeak folded, and letter spacing and
	// punctuation splitting undone.
	modeFull
)

// Normalize returns text in the canonical form the classifier matches
// against and the index stores beside the original: Unicode NFKC, lower
// case, without zero-width and bidi controls, with Arabic and Persian letter
// variants unified and their digits in ASCII, Cyrillic and Greek look-alikes
// inside Latin words folded to Latin, and spaced-out or punctuated words
// ("W h a t s A p p", "wh@tsapp", "U.K", "Eng-land") joined. Emoji are kept.
func Normalize(text string) string {
	return runesString(normalizeRunes(text, modeFull, embeddedJoinWords()))
}

// TextHash returns the hex SHA-256 of Normalize(text). Two posts with the
// same hash say the same thing up to obfuscation, so it detects cross-posts
// and tells real edits from cosmetic ones.
func TextHash(text string) string {
	sum := sha256.Sum256([]byte(Normalize(text)))
	return hex.EncodeToString(sum[:])
}

func runesString(rs []nrune) string {
	b := make([]byte, 0, len(rs)*2)
	for _, r := range rs {
		b = utf8.AppendRune(b, r.r)
	}
	return string(b)
}

// Flags of the join map: a folded key is a single-word lexicon term, or a
// word of a Latin-script phrase.
const (
	joinTerm uint8 = 1 << iota
	joinWord
)

// normalizeRunes normalises text rune by rune, keeping for each output rune
// the span of the original it came from. join holds the folded words that
// split words may be joined into (modeFull only; may be nil).
func normalizeRunes(text string, mode normMode, join map[string]uint8) []nrune {
	return appendNormalized(nil, text, mode, join)
}

// appendNormalized is normalizeRunes writing into dst[:0] when it has room.
func appendNormalized(dst []nrune, text string, mode normMode, join map[string]uint8) []nrune {
	out := dst[:0]
	if cap(out) < len(text) {
		out = make([]nrune, 0, len(text))
	}
	var it norm.Iter
	it.InitString(norm.NFKC, text)
	for !it.Done() {
		start := it.Pos()
		seg := it.Next()
		end := it.Pos()
		// A character that expands to many ("ﬁ", "ﷺ") can come out in
		// pieces whose positions fall inside it: widen spans to whole
		// characters of the original.
		start = charStart(text, start)
		if end <= start {
			_, n := utf8.DecodeRuneInString(text[start:])
			end = start + n
		}
		if end < len(text) {
			if p := charStart(text, end); p != end {
				_, n := utf8.DecodeRuneInString(text[p:])
				end = p + n
			}
		}
		for i := 0; i < len(seg); {
			r, n := utf8.DecodeRune(seg[i:])
			i += n
			r, keep := foldRune(r)
			if keep {
				out = append(out, nrune{r: r, start: int32(start), end: int32(end)})
			}
		}
	}
	out = recompose(out)
	if mode == modeFull {
		out = fullFromLight(out, join)
	}
	return out
}

// fullFromLight turns light-normalised runes (which it may modify) into
// fully normalised ones.
func fullFromLight(rs []nrune, join map[string]uint8) []nrune {
	for i := range rs {
		rs[i].r = unifyArabic(rs[i].r)
	}
	return recompose(undoObfuscation(rs, join))
}

// undoObfuscation folds homoglyphs and leetspeak and joins split words
// until none of them changes anything more: each can make work for the
// others (joining letters makes mixed words; folding a Greek ι next to
// "!a" makes leetspeak of the "!"), and normalising twice must change
// nothing. Most posts need one round.
func undoObfuscation(rs []nrune, join map[string]uint8) []nrune {
	foldHomoglyphs(rs)
	for range 8 {
		rs = foldLeet(rs)
		rs = joinAllSplitWords(rs, join)
		if !foldHomoglyphs(rs) {
			break
		}
	}
	return rs
}

// identFromLight turns light-normalised runes (which it may modify) into
// the form language identification reads: homoglyphs and leetspeak folded
// and split words joined, as in the full form, but with the Arabic-script
// letters that tell Arabic, Persian, Kurdish, Pashto and Urdu apart kept.
func identFromLight(rs []nrune, join map[string]uint8) []nrune {
	return recompose(undoObfuscation(rs, join))
}

// recompose applies NFC again where dropping a character or folding a
// letter left a base letter and a combining mark apart ("a\u200b\u0308"),
// so that normalising twice changes nothing. Each composed rune spans the
// runes it was made of.
func recompose(rs []nrune) []nrune {
	// Text made only of characters that are NFC on their own, start a
	// segment and never combine with what comes before (NFC quick check
	// "yes", combining class 0) is NFC: nothing to do. The check and the
	// buffer below took a twentieth of Classify's time.
	stable := true
	for _, r := range rs {
		if r.r >= 1<<16 || nfcStable[r.r>>6]&(1<<(r.r&63)) == 0 {
			stable = false
			break
		}
	}
	if stable {
		return rs
	}
	b := make([]byte, 0, len(rs))
	for _, r := range rs {
		b = utf8.AppendRune(b, r.r)
	}
	if norm.NFC.IsNormal(b) {
		return rs
	}
	idx := make([]int, 0, len(b)+1) // byte → rune index
	for i, r := range rs {
		for range utf8.RuneLen(r.r) {
			idx = append(idx, i)
		}
	}
	out := make([]nrune, 0, len(rs))
	var it norm.Iter
	it.Init(norm.NFC, b)
	for !it.Done() {
		p0 := it.Pos()
		seg := it.Next()
		p1 := it.Pos()
		if p1 <= p0 || p1 > len(b) {
			continue
		}
		first, last := rs[idx[p0]], rs[idx[p1-1]]
		for i := 0; i < len(seg); {
			r, n := utf8.DecodeRune(seg[i:])
			i += n
			out = append(out, nrune{r: r, start: first.start, end: max(first.end, last.end)})
		}
	}
	return out
}

// nfcStable has a bit set for each rune below U+10000 that is NFC on its
// own, has combining class 0 and never combines with a character before it.
var nfcStable = func() *[1 << 16 / 64]uint64 {
	var t [1 << 16 / 64]uint64
	var buf [utf8.UTFMax]byte
	for r := rune(0); r < 1<<16; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		b := buf[:utf8.EncodeRune(buf[:], r)]
		p := norm.NFC.Properties(b)
		if p.CCC() == 0 && p.BoundaryBefore() && norm.NFC.IsNormal(b) {
			t[r>>6] |= 1 << (r & 63)
		}
	}
	return &t
}()

// charStart returns the start of the character that byte i of text is
// part of, decoding as utf8.DecodeRuneInString does: a byte of invalid
// UTF-8 is a character of its own.
func charStart(text string, i int) int {
	for p := i; p >= 0 && p > i-utf8.UTFMax; p-- {
		if utf8.RuneStart(text[p]) {
			if _, n := utf8.DecodeRuneInString(text[p:]); p+n > i {
				return p
			}
			return i
		}
	}
	return i
}

// foldRune maps one NFKC rune as light normalisation does; keep is false
// for runes that are dropped.
func foldRune(r rune) (rune, bool) {
	switch {
	case r == utf8.RuneError:
		return 0, false
	case r < 0x80:
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A'), true
		}
		if r < 0x20 && r != '\n' && r != '\t' {
			return ' ', true
		}
		return r, true
	case isInvisible(r):
		return 0, false
	case isArabicMark(r):
		return 0, false
	}
	if d, ok := digitValue(r); ok {
		return '0' + rune(d), true
	}
	switch r {
	case '،': // Arabic comma
		return ',', true
	case '؛':
		return ';', true
	case '؟':
		return '?', true
	case '٪':
		return '%', true
	case '٫':
		return '.', true
	case '٬':
		return ',', true
	case '۔': // Urdu full stop
		return '.', true
	case 'ς':
		return 'σ', true
	}
	return unicode.ToLower(r), true
}

// isInvisible reports format and filler characters that render as nothing:
// zero-width spaces and joiners, bidi controls, soft hyphens, variation
// selectors, emoji skin-tone modifiers and keycap marks.
func isInvisible(r rune) bool {
	switch {
	case unicode.Is(unicode.Cf, r):
		return true
	case 0xFE00 <= r && r <= 0xFE0F, 0xE0100 <= r && r <= 0xE01EF: // variation selectors
		return true
	case 0x1F3FB <= r && r <= 0x1F3FF: // skin tones
		return true
	case r == 0x20E3 || r == 0x034F || r == 0x115F || r == 0x1160 || r == 0x3164 || r == 0xFFA0 || r == 0x2800:
		return true
	}
	return false
}

// isArabicMark reports Arabic vowel marks, Quranic marks and tatweel, which
// writers add or leave out freely.
func isArabicMark(r rune) bool {
	return (0x064B <= r && r <= 0x065F) || r == 0x0670 || r == 0x0640 ||
		(0x06D6 <= r && r <= 0x06ED && r != 0x06D5)
}

// digitValue returns the value of a decimal digit from any script.
func digitValue(r rune) (int, bool) {
	if !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	zero := r
	for zero > r-9 && unicode.Is(unicode.Nd, zero-1) {
		zero--
	}
	// Blocks of digits are ten long and start at a code point ending in 0 or 6
	// (U+0660, U+06F0, U+0966, U+09E6, ...); adjacent blocks (mathematical
	// digits) are folded by NFKC before they get here.
	return int(r-zero) % 10, true
}

// unifyArabic maps Arabic-script letter variants to one form: the yeh and
// kaf of Arabic and Persian keyboards, teh marbuta and the heh family,
// alef and waw with hamza. Kurdish and Pashto letters that carry meaning of
// their own are kept.
func unifyArabic(r rune) rune {
	switch r {
	case 'ى', 'ی', 'ئ', 'ێ', 'ې', 'ۍ', 'ے': // yeh forms (ئ: hamza seat)
		return 'ي'
	case 'ك', 'ڪ':
		return 'ک'
	case 'ګ':
		return 'گ'
	case 'ة', 'ە', 'ۀ', 'ھ', 'ہ', 'ۃ':
		return 'ه'
	case 'أ', 'إ', 'آ', 'ٱ', 'ٲ', 'ٳ':
		return 'ا'
	case 'ؤ':
		return 'و'
	case 'ۆ', 'ۊ', 'ۇ', 'ۈ':
		return 'و'
	case 'ڵ':
		return 'ل'
	case 'ڕ', 'ړ', 'ڑ':
		return 'ر'
	case 'ڤ':
		return 'ف'
	}
	return r
}

// Cyrillic and Greek letters that look like Latin ones, after case folding.
var homoglyphs = map[rune]rune{
	'а': 'a', 'в': 'b', 'с': 'c', 'ԁ': 'd', 'е': 'e', 'ё': 'e', 'һ': 'h', 'н': 'h',
	'і': 'i', 'ї': 'i', 'ј': 'j', 'к': 'k', 'ӏ': 'l', 'м': 'm', 'п': 'n', 'о': 'o',
	'р': 'p', 'ԛ': 'q', 'г': 'r', 'ѕ': 's', 'т': 't', 'ц': 'u', 'у': 'y', 'ԝ': 'w',
	'х': 'x', 'ү': 'y', 'з': '3', 'ь': 'b',
	'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'μ': 'u', 'ν': 'v',
	'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'γ': 'y', 'ω': 'w', 'ζ': 'z',
	'σ': 'o',
}

func isLatinLetter(r rune) bool {
	return ('a' <= r && r <= 'z') || (r >= 0xC0 && r <= 0x24F && unicode.IsLetter(r)) ||
		(r >= 0x1E00 && r <= 0x1EFF)
}

func isCyrGreek(r rune) bool {
	return (0x0370 <= r && r <= 0x03FF) || (0x0400 <= r && r <= 0x052F)
}

// isWordRune reports letters, digits and the marks that go with them. The
// answers for the Basic Multilingual Plane are looked up in wordRunes:
// the unicode tables took a tenth of Classify's time.
func isWordRune(r rune) bool {
	if 0 <= r && r < 1<<16 {
		return wordRunes[r>>6]&(1<<(r&63)) != 0
	}
	return isWordRuneSlow(r)
}

func isWordRuneSlow(r rune) bool {
	if r < 0x80 {
		return ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') || ('A' <= r && r <= 'Z')
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

// wordRunes is isWordRuneSlow for the runes below U+10000, a bit each.
var wordRunes = func() *[1 << 16 / 64]uint64 {
	var t [1 << 16 / 64]uint64
	for r := rune(0); r < 1<<16; r++ {
		if isWordRuneSlow(r) {
			t[r>>6] |= 1 << (r & 63)
		}
	}
	return &t
}()

// foldHomoglyphs replaces Cyrillic and Greek look-alikes with Latin letters
// in words that mix them with Latin letters, and in all-look-alike words of
// a text that is mostly Latin ("Воаt", "ВОАТ to UK"), in place, and
// reports whether it replaced any.
func foldHomoglyphs(rs []nrune) (changed bool) {
	count := func() (latin, other int) {
		for _, r := range rs {
			if isLatinLetter(r.r) {
				latin++
			} else if isCyrGreek(r.r) {
				other++
			}
		}
		return latin, other
	}
	if _, other := count(); other == 0 {
		return changed
	}
	// First words that mix scripts, then, counting again so that a second
	// Normalize finds nothing more to do, all-look-alike words.
	for pass := 0; pass < 2; pass++ {
		latin, other := count()
		if latin == 0 || (pass == 1 && latin <= other) {
			return changed
		}
		for i := 0; i < len(rs); {
			if !unicode.IsLetter(rs[i].r) {
				i++
				continue
			}
			j := i
			hasLatin, allConfusable, hasOther := false, true, false
			for ; j < len(rs) && (unicode.IsLetter(rs[j].r) || unicode.IsDigit(rs[j].r)); j++ {
				r := rs[j].r
				switch {
				case isLatinLetter(r):
					hasLatin = true
				case isCyrGreek(r):
					hasOther = true
					if _, ok := homoglyphs[r]; !ok {
						allConfusable = false
					}
				case unicode.IsDigit(r):
				default:
					allConfusable = false
				}
			}
			if hasOther && allConfusable && (pass == 0 && hasLatin || pass == 1) {
				for k := i; k < j; k++ {
					if l, ok := homoglyphs[rs[k].r]; ok {
						rs[k].r = l
						changed = true
					}
				}
			}
			i = j
		}
	}
	return changed
}

// leet returns the letter a character stands for inside words ("b0at",
// "wh@tsapp"). A switch, not a map: foldLeet asks about every rune.
func leet(r rune) (rune, bool) {
	switch r {
	case '0':
		return 'o', true
	case '1', '!':
		return 'i', true
	case '3', '€':
		return 'e', true
	case '4', '@':
		return 'a', true
	case '5', '$':
		return 's', true
	case '7':
		return 't', true
	case '|':
		return 'l', true
	}
	return 0, false
}

func isLeet(r rune) bool {
	_, ok := leet(r)
	return ok
}

// foldLeet replaces runs of at most two leet characters that have a Latin
// letter on both sides, and a single leet digit at either end of a word of
// at least two other letters ("0gni", "tutt0"). Numbers, prices ("2500eur")
// and handles ("@name") are left alone.
func foldLeet(rs []nrune) []nrune {
	for i := 1; i < len(rs)-1; i++ {
		if _, ok := leet(rs[i].r); !ok || !isLatinLetter(rs[i-1].r) {
			continue
		}
		n := 1
		if _, ok := leet(rs[i+1].r); ok && i+2 < len(rs) {
			n = 2
		}
		if !isLatinLetter(rs[i+n].r) {
			continue
		}
		for k := i; k < i+n; k++ {
			rs[k].r, _ = leet(rs[k].r)
		}
		i += n - 1
	}
	for _, w := range wordSpans(rs) {
		n := w.end - w.start
		if n < 3 {
			continue
		}
		digits, letters := 0, 0
		for k := w.start; k < w.end; k++ {
			switch {
			case unicode.IsDigit(rs[k].r):
				digits++
			case isLatinLetter(rs[k].r):
				letters++
			}
		}
		// Next to a leet symbol ("a0!0a") the inner rule may apply on the
		// next pass: leave such words be, so Normalize stays idempotent.
		if digits != 1 || letters != n-1 || (w.start > 0 && isLeet(rs[w.start-1].r)) || (w.end < len(rs) && isLeet(rs[w.end].r)) {
			continue
		}
		for _, k := range []int{w.start, w.end - 1} {
			if l, ok := leet(rs[k].r); ok && unicode.IsDigit(rs[k].r) {
				rs[k].r = l
			}
		}
	}
	return rs
}

// segmentRun splits n letters into the fewest words of at least two
// letters for which isWord(p, q) holds, returning the cut points (0, …, n),
// or nil if there is no such split. Runs longer than 40 letters are not
// split.
func segmentRun(n int, isWord func(p, q int) bool) []int {
	if n > 40 {
		return nil
	}
	best := make([]int, n+1) // fewest words covering the first i letters; -1: none
	prev := make([]int, n+1)
	for i := 1; i <= n; i++ {
		best[i] = -1
		for p := i - 2; p >= 0; p-- {
			if best[p] >= 0 && (best[i] < 0 || best[p]+1 < best[i]) && isWord(p, i) {
				best[i], prev[i] = best[p]+1, p
			}
		}
	}
	if best[n] < 0 {
		return nil
	}
	var cuts []int
	for i := n; i > 0; i = prev[i] {
		cuts = append(cuts, i)
	}
	cuts = append(cuts, 0)
	slices.Reverse(cuts)
	return cuts
}

// isJoinSep reports separators that obfuscators put inside words.
func isJoinSep(r rune) bool {
	switch r {
	case ' ', '.', '-', '_', '*', '·', '|', '/', '\'', '~', '+', '•', '‧', ':':
		return true
	}
	return false
}

type span struct{ start, end int } // indexes into a rune slice

// wordSpans returns the runs of word runes in rs.
func wordSpans(rs []nrune) []span {
	ws := make([]span, 0, len(rs)/4+1)
	for i := 0; i < len(rs); {
		if !isWordRune(rs[i].r) {
			i++
			continue
		}
		j := i + 1
		for j < len(rs) && isWordRune(rs[j].r) {
			j++
		}
		ws = append(ws, span{i, j})
		i = j
	}
	return ws
}

// joinSplitWords undoes letter spacing and punctuation splitting. A run of
// three or more single letters separated by single separators is joined
// ("W h a t s A p p", "w.h.a.t.s"); two or three pieces separated by one or
// two separators are joined when the result is a lexicon word and the
// pieces are not ("Whats App", "U.K", "Eng-land", "tele gram").
// joinAllSplitWords applies joinSplitWords until it joins nothing more: a
// join can make a word that joins with the next ("w ts a p" → "wts a p" →
// "wtsap"), and normalising twice must change nothing. Each pass that
// joins removes at least one separator, so it ends.
func joinAllSplitWords(rs []nrune, join map[string]uint8) []nrune {
	for {
		n := len(rs)
		if rs = joinSplitWords(rs, join); len(rs) == n {
			return rs
		}
	}
}

func joinSplitWords(rs []nrune, join map[string]uint8) []nrune {
	ws := wordSpans(rs)
	if len(ws) < 2 {
		return rs
	}
	drop := make([]bool, len(rs))
	sepOK := func(a, b span, max int) bool { // separator between two words
		if b.start-a.end > max {
			return false
		}
		for k := a.end; k < b.start; k++ {
			if !isJoinSep(rs[k].r) {
				return false
			}
		}
		return true
	}
	// Only Latin words are joined: the obfuscations are of Latin words, and
	// in Arabic script short words side by side often spell another word
	// ("تا وان", "to Van", is not "تاوان", ransom).
	isLetterSpan := func(s span) bool { // separators already dropped do not count
		for k := s.start; k < s.end; k++ {
			if !drop[k] && !isLatinLetter(rs[k].r) {
				return false
			}
		}
		return true
	}
	single := func(s span) bool { return s.end-s.start == 1 && unicode.IsLetter(rs[s.start].r) }
	var buf []byte
	inJoin := func(want uint8, spans ...span) bool {
		buf = buf[:0]
		for _, s := range spans {
			for k := s.start; k < s.end; k++ {
				if !drop[k] {
					buf = appendKey(buf, rs[k:k+1])
				}
			}
		}
		return join[string(buf)]&want != 0 // no allocation for the lookup
	}
	glue := func(parts []span) span { // joins parts into one word
		for k := 0; k+1 < len(parts); k++ {
			for m := parts[k].end; m < parts[k+1].start; m++ {
				drop[m] = true
			}
		}
		return span{parts[0].start, parts[len(parts)-1].end}
	}
	// Letter spacing: a run of single letters that splits wholly into
	// lexicon words is cut into them ("A n h n h a n h" → "anh nhanh"); any
	// other run is joined whole ("s u d a n e s i" → "sudanesi").
	var merged []span
	for i := 0; i < len(ws); {
		j := i
		for j+1 < len(ws) && single(ws[j]) && single(ws[j+1]) && sepOK(ws[j], ws[j+1], 1) {
			j++
		}
		if j-i+1 < 3 {
			merged = append(merged, ws[i])
			i++
			continue
		}
		run := ws[i : j+1]
		if cuts := segmentRun(len(run), func(p, q int) bool { return inJoin(joinTerm|joinWord, run[p:q]...) }); cuts != nil {
			for k := 0; k+1 < len(cuts); k++ {
				merged = append(merged, glue(run[cuts[k]:cuts[k+1]]))
			}
		} else {
			merged = append(merged, glue(run))
		}
		i = j + 1
	}
	ws = merged
	if join != nil {
		for i := 0; i < len(ws); i++ {
			for n := 3; n >= 2; n-- {
				if i+n > len(ws) {
					continue
				}
				parts := ws[i : i+n]
				ok := true
				for k := range n {
					if !isLetterSpan(parts[k]) || (k > 0 && !sepOK(parts[k-1], parts[k], 2)) {
						ok = false
						break
					}
				}
				if !ok || !inJoin(joinTerm, parts...) {
					continue
				}
				allWords := true
				for _, p := range parts {
					if !inJoin(joinTerm, p) {
						allWords = false
					}
				}
				if allWords {
					continue
				}
				for k := 1; k < n; k++ {
					for m := parts[k-1].end; m < parts[k].start; m++ {
						drop[m] = true
					}
				}
				i += n - 1
				break
			}
		}
	}
	out := rs[:0]
	for k, r := range rs {
		if !drop[k] {
			out = append(out, r)
		}
	}
	return out
}
