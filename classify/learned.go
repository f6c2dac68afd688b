package classify

import (
	"math"
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

// learnedFeat is one feature occurrence: its hash and the token it belongs
// to (bigrams belong to their first word).
type learnedFeat struct {
	hash uint64
	tok  int32
}

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
// it ("w:" + word, …): the hash of the name itself.
func featureHash(name string) uint64 { return fnvString(fnvOffset, name) }

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

// learnedFeatures appends to dst the features of toks, deduplicated (the
// first occurrence kept), sorted by hash. names, if not nil, receives the
// name of each hash (for fitting and explanations).
func learnedFeatures(dst []learnedFeat, toks []token, names map[uint64]string) []learnedFeat {
	var buf, prev, big []byte
	add := func(name []byte, tok int) {
		h := fnvBytes(fnvOffset, name)
		dst = append(dst, learnedFeat{h, int32(tok)})
		if names != nil {
			if _, ok := names[h]; !ok {
				names[h] = string(name)
			}
		}
	}
	var rs []rune
	for i, t := range toks {
		buf = append(buf[:0], "w:"...)
		buf = wordKey(buf, t.key)
		add(buf, i)
		cur := buf[2:]
		if i > 0 && len(prev) > 0 {
			big = append(append(append(append(big[:0], "b:"...), prev...), ' '), cur...)
			add(big, i-1)
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
		for n := charMin; n <= charMax; n++ {
			for s := 0; s+n <= len(rs); s++ {
				if n == len(rs) && n > charMin { // the whole word is w: already
					continue
				}
				buf = append(buf[:0], "c:"...)
				for _, r := range rs[s : s+n] {
					buf = utf8.AppendRune(buf, r)
				}
				add(buf, i)
			}
		}
	}
	slices.SortStableFunc(dst, func(a, b learnedFeat) int {
		switch {
		case a.hash < b.hash:
			return -1
		case a.hash > b.hash:
			return 1
		}
		return 0
	})
	return slices.CompactFunc(dst, func(a, b learnedFeat) bool { return a.hash == b.hash })
}

// learnedScale is the value of each present feature of a post with n
// distinct features.
func learnedScale(n int) float64 {
	if n == 0 {
		return 0
	}
	return 1 / math.Sqrt(float64(n))
}

// learnedModel is the compiled lexical part of a Model.
type learnedModel struct {
	weights map[uint64]float64
}

func compileLearned(m map[string]float64) learnedModel {
	lm := learnedModel{weights: make(map[uint64]float64, len(m))}
	for name, w := range m {
		lm.weights[featureHash(name)] = w
	}
	return lm
}

// contributions returns the learned part of the log-odds and adds each
// feature's contribution to perTok (indexed like the tokens).
func (lm learnedModel) contributions(fs []learnedFeat, perTok []float64) float64 {
	if len(lm.weights) == 0 {
		return 0
	}
	scale := learnedScale(len(fs))
	z := 0.0
	for _, f := range fs {
		if w, ok := lm.weights[f.hash]; ok {
			z += w * scale
			if perTok != nil {
				perTok[f.tok] += w * scale
			}
		}
	}
	return z
}
