package classify

import (
	"math"
	"math/bits"
	"slices"
	"unicode"
	"unicode/utf8"
)

// Learned lexical evidence. Beside the lexicon groups the model weighs the
// words, word pairs and letter n-grams of the normalised text, so that it
// can use the many words no lexicon lists (reporting verbs, the first
// person of migrants' accounts, the imperatives of warnings) and the
// inflections of those it does. Features are named by a prefix and the
// folded text:
//
//	w:boat         a word ("#4" for any four-digit number)
//	b:boat tonight two words in a row
//	c:^boa         three to five letters of a word, "^" and "$" marking its ends
//
// A post's features are binary and scaled by 1/√n, n the number of distinct
// features, so that long posts do not outweigh short ones. Only features
// seen in at least two train posts and given a non-trivial weight are kept
// in model.json; the rest weigh nothing.

// Character n-gram lengths.
const (
	charMin = 3
	charMax = 5
)

// learnedFeat is one feature occurrence: the feature's hash in the high
// hashBits bits and the index of the token it belongs to (bigrams belong to
// their first word) in the low bits, so that a post's features sort and
// deduplicate as plain integers. With 40 bits, the chance that one of a
// post's thousand features collides with one of the model's is about 1 in
// 100,000; 24 bits of token index cover the longest post (MaxBytes).
type learnedFeat uint64

const (
	hashBits = 40
	tokBits  = 64 - hashBits
	tokMask  = 1<<tokBits - 1
)

func newLearnedFeat(h uint64, tok int) learnedFeat {
	return learnedFeat(h&^tokMask | uint64(min(tok, tokMask)))
}

func (f learnedFeat) hash() uint64 { return uint64(f) &^ tokMask }
func (f learnedFeat) tok() int     { return int(f & tokMask) }

// FNV-1a, written out so that hashing a feature allocates nothing.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func fnvBytes(h uint64, s []byte) uint64 {
	for _, c := range s {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// featureHash returns the hash of a feature name as the extractor builds
// it ("w:" + word, …): the top hashBits of the FNV-1a hash of the name.
func featureHash(name string) uint64 { return fnvString(fnvOffset, name) &^ tokMask }

// wordKey returns the key a token has as a word feature: numbers become
// "#" and their length, so that prices and phone numbers are not learned
// digit by digit.
func wordKey(buf []byte, key string) []byte {
	r, _ := utf8.DecodeRuneInString(key)
	if unicode.IsDigit(r) {
		n := min(utf8.RuneCountInString(key), 9)
		return append(buf, '#', byte('0'+n))
	}
	return append(buf, key...)
}

// eachFeature calls fn with the hash (high hashBits bits) and token of
// every feature occurrence in toks, in text order, and returns their
// number. names, if not nil, receives the name of each hash (for fitting).
func eachFeature(toks []token, names map[uint64]string, fn func(h uint64, tok int)) int {
	n := 0
	emit := func(h uint64, tok int, name func() string) {
		h &^= tokMask
		n++
		fn(h, tok)
		if names != nil {
			if _, ok := names[h]; !ok {
				names[h] = name()
			}
		}
	}
	var buf, prev []byte
	var rs []rune
	var rb [utf8.UTFMax]byte
	for i, t := range toks {
		buf = append(buf[:0], "w:"...)
		buf = wordKey(buf, t.key)
		emit(fnvBytes(fnvOffset, buf), i, func() string { return string(buf) })
		cur := buf[2:]
		if i > 0 && len(prev) > 0 {
			// "b:" + prev + " " + cur, hashed piece by piece.
			h := fnvBytes(fnvBytes(fnvString(fnvOffset, "b:"), prev), []byte{' '})
			emit(fnvBytes(h, cur), i-1, func() string { return "b:" + string(prev) + " " + string(cur) })
		}
		prev = append(prev[:0], cur...)
		r, _ := utf8.DecodeRuneInString(t.key)
		if !unicode.IsLetter(r) {
			continue
		}
		rs = append(rs[:0], '^')
		for _, r := range t.key {
			rs = append(rs, r)
		}
		rs = append(rs, '$')
		// Each n-gram's hash extends the hash of the (n-1)-gram at the
		// same start.
		for s := 0; s+charMin <= len(rs); s++ {
			h := fnvString(fnvOffset, "c:")
			for n := 1; n <= charMax && s+n <= len(rs); n++ {
				k := utf8.EncodeRune(rb[:], rs[s+n-1])
				h = fnvBytes(h, rb[:k])
				if n < charMin || (n == len(rs) && n > charMin) { // the whole word is w: already
					continue
				}
				emit(h, i, func() string { return "c:" + string(rs[s:s+n]) })
			}
		}
	}
	return n
}

// learnedFeatures returns the distinct features of toks (the first
// occurrence of each kept), sorted, and the number of occurrences.
func learnedFeatures(toks []token, names map[uint64]string) ([]learnedFeat, int) {
	var fs []learnedFeat
	n := eachFeature(toks, names, func(h uint64, tok int) { fs = append(fs, newLearnedFeat(h, tok)) })
	slices.Sort(fs)
	return slices.CompactFunc(fs, func(a, b learnedFeat) bool { return a.hash() == b.hash() }), n
}

// learnedScale is the value of each present feature of a post with n
// feature occurrences.
func learnedScale(n int) float64 {
	if n == 0 {
		return 0
	}
	return 1 / math.Sqrt(float64(n))
}

// learnedModel is the compiled lexical part of a Model: the weights by
// feature hash in an open-addressing table (linear probing, at most 80%
// full). It replaced a map[uint64]float64 whose look-ups, mostly cache
// misses, took a tenth of Classify's time; a Bloom filter in front of the
// table gained nothing, since two thirds of a post's features are in the
// model. A Go map spent a tenth of Classify's time hashing hashes; here
// the slot is the hash's own top bits. The zero value has no weights.
type learnedModel struct {
	slots []learnedSlot // len is a power of two
	shift uint8         // 64 - log₂ len(slots)
}

// learnedSlot is one slot of the table; key is the feature hash with the
// low bit set (hashes have their low tokBits clear), 0 if empty.
type learnedSlot struct {
	key uint64
	w   float64
}

func compileLearned(m map[string]float64) learnedModel {
	if len(m) == 0 {
		return learnedModel{}
	}
	size := 2
	for size*4 < len(m)*5 {
		size <<= 1
	}
	lm := learnedModel{
		slots: make([]learnedSlot, size),
		shift: uint8(64 - bits.TrailingZeros(uint(size))),
	}
	for name, w := range m {
		lm.set(featureHash(name), w)
	}
	return lm
}

// slot returns the first slot to probe for h: the top bits of h times
// 2⁶⁴/φ (Fibonacci hashing). Taking bits of h itself left long probe
// chains: FNV-1a's middle bits mix poorly.
func (lm *learnedModel) slot(h uint64) int {
	return int((h * 0x9E3779B97F4A7C15) >> lm.shift)
}

// set sets the weight of hash h; a later set of the same hash wins.
func (lm *learnedModel) set(h uint64, w float64) {
	key := h | 1
	for i := lm.slot(h); ; i = (i + 1) & (len(lm.slots) - 1) {
		if lm.slots[i].key == 0 || lm.slots[i].key == key {
			lm.slots[i] = learnedSlot{key, w}
			return
		}
	}
}

// weight returns the weight of hash h and whether the model has it.
func (lm *learnedModel) weight(h uint64) (float64, bool) {
	if len(lm.slots) == 0 {
		return 0, false
	}
	key := h | 1
	for i := lm.slot(h); ; i = (i + 1) & (len(lm.slots) - 1) {
		switch lm.slots[i].key {
		case key:
			return lm.slots[i].w, true
		case 0:
			return 0, false
		}
	}
}

// contributions returns the learned part of the log-odds of toks and
// adds each feature's contribution to perTok (indexed like toks). Each
// feature counts once, for its first token.
func (lm learnedModel) contributions(toks []token, perTok []float64) float64 {
	z, _, _ := lm.contributionsBuf(toks, perTok, nil, nil)
	return z
}

// contributionsBuf is contributions using hits and buf, which it returns
// (grown as needed) for reuse.
func (lm learnedModel) contributionsBuf(toks []token, perTok []float64, hits, buf []learnedFeat) (float64, []learnedFeat, []learnedFeat) {
	if len(lm.slots) == 0 {
		return 0, hits, buf
	}
	hits = hits[:0] // features of the model in the post
	n := eachFeature(toks, nil, func(h uint64, tok int) {
		if _, ok := lm.weight(h); ok {
			hits = append(hits, newLearnedFeat(h, tok))
		}
	})
	hits, buf = radixSort(hits, buf)
	hits = slices.CompactFunc(hits, func(a, b learnedFeat) bool { return a.hash() == b.hash() })
	scale := learnedScale(n)
	z := 0.0
	for _, f := range hits {
		w, _ := lm.weight(f.hash())
		w *= scale
		z += w
		perTok[f.tok()] += w
	}
	return z, hits, buf
}

// radixSort sorts fs in increasing order, using buf (grown as needed) as
// scratch, and returns the sorted slice and the other one (fs and buf in
// some order), so that both can be reused. It replaced
// slices.Sort, which took a sixteenth of Classify's time on a post's few
// hundred features: a byte at a time from the lowest, skipping the bytes
// that are the same in every feature (most of the token index).
func radixSort(fs, buf []learnedFeat) (sorted, spare []learnedFeat) {
	if len(fs) < 64 {
		slices.Sort(fs)
		return fs, buf
	}
	if cap(buf) < len(fs) {
		buf = make([]learnedFeat, len(fs))
	}
	buf = buf[:len(fs)]
	var count [256]int
	for shift := uint(0); shift < 64; shift += 8 {
		count = [256]int{}
		for _, f := range fs {
			count[byte(f>>shift)]++
		}
		if count[byte(fs[0]>>shift)] == len(fs) {
			continue // one value of this byte: the order stands
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, f := range fs {
			b := byte(f >> shift)
			buf[count[b]] = f
			count[b]++
		}
		fs, buf = buf, fs
	}
	return fs, buf
}
