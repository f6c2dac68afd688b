package classify

import (
	"sort"
	"unicode"
)

// quotes tells what of a post stands inside quotation marks. Warnings and
// reports quote what adverts promise ("if someone offers you a '100%
// guaranteed boat to UK' on WhatsApp, it is a lie"); adverts say it. In the
// train file 3 of 1,069 adverts hold a quotation against 168 of 259
// warnings, so quoted advert words are reported speech: they count for the
// "quoted" feature, not for their groups, and do not open the gate.
type quotes struct {
	full []nrune
	toks []token
	in   []bool // by rune of full; nil when nothing is quoted
}

// Quotation marks. Double ones and guillemets open and close in turn;
// single ones only at word edges, so that apostrophes inside words
// ("l'Angleterre", "don't", "ma'a") are none.
func isDoubleQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»', '‹', '›', '「', '」', '『', '』':
		return true
	}
	return false
}

func isSingleQuote(r rune) bool {
	switch r {
	case '\'', '‘', '’', '‚', '`':
		return true
	}
	return false
}

// newQuotes finds the quotations of fully normalised runes.
func newQuotes(full []nrune, toks []token) quotes {
	q := quotes{full: full, toks: toks}
	found := false
	for _, r := range full {
		if isDoubleQuote(r.r) || isSingleQuote(r.r) {
			found = true
			break
		}
	}
	if !found {
		return q
	}
	q.in = make([]bool, len(full))
	open := -1 // index of the open double quote
	for i, r := range full {
		if isDoubleQuote(r.r) {
			if open < 0 {
				open = i
			} else {
				for k := open; k <= i; k++ {
					q.in[k] = true
				}
				open = -1
			}
		}
	}
	// Single quotes: an opening one after a space, a bracket, a colon or the
	// start and before a non-space; a closing one after a non-space and
	// before a space, punctuation or the end. Each opening one pairs with
	// the next closing one.
	edge := func(i int) bool { // i is outside the text or a space or punctuation
		return i < 0 || i >= len(full) || unicode.IsSpace(full[i].r) || unicode.IsPunct(full[i].r) && !isSingleQuote(full[i].r)
	}
	start := -1
	for i, r := range full {
		if !isSingleQuote(r.r) {
			continue
		}
		opening := edge(i-1) && !edge(i+1)
		closing := !edge(i-1) && edge(i+1)
		switch {
		case start < 0 && opening:
			start = i
		case start >= 0 && closing:
			for k := start; k <= i; k++ {
				q.in[k] = true
			}
			start = -1
		}
	}
	return q
}

// match reports whether m starts inside a quotation.
func (q quotes) match(m match) bool {
	return q.in != nil && q.in[q.toks[m.start].start]
}

// reported reports whether the term of m, found inside a quotation, is an
// advert group's: then it feeds the "quoted" feature, not its group.
func (q quotes) reported(m match, t *term) bool {
	return t.group.advert() && q.match(m)
}

// entity reports whether e starts inside a quotation.
func (q quotes) entity(e Entity) bool {
	if q.in == nil {
		return false
	}
	i := sort.Search(len(q.full), func(i int) bool { return int(q.full[i].end) > e.Span[0] })
	return i < len(q.full) && q.in[i]
}
