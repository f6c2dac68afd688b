package index

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/unicode/norm"
)

// defaultPhoneRegions are the regions tried, in order, for a phone number
// typed without an international prefix: the UK, then the coasts and
// transit countries the adverts name most. Not DE: almost any digit string
// is a valid German number, which would shadow the UK's reserved ranges.
var defaultPhoneRegions = []string{"GB", "FR", "BE", "NL"}

// NormalizePhone returns raw as an E.164 number ("+447700900742"). It
// reads a number typed with "+" or "00", or of 11 digits or more not
// starting with 0, as international; any other as a national number of
// each region in turn, then with "+" added. The first valid reading wins,
// failing that the first possible one (so 07700 900742, in a range Ofcom
// reserves for fiction, is still +447700900742). nil regions means GB, FR,
// BE, NL. Spaces,
// punctuation, wa.me/ prefixes and Arabic-Indic or other Unicode digits are
// accepted.
func NormalizePhone(raw string, regions []string) (string, error) {
	if len(regions) == 0 {
		regions = defaultPhoneRegions
	}
	var digits strings.Builder
	plus := false
	for _, r := range raw {
		switch {
		case r == '+' && digits.Len() == 0:
			plus = true
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case unicode.IsDigit(r):
			if d, ok := digitValue(r); ok {
				digits.WriteByte(byte('0' + d))
			}
		}
	}
	d := digits.String()
	if len(d) < 6 || len(d) > 17 {
		return "", fmt.Errorf("phone %q: %w", raw, errNotPhone)
	}
	type reading struct{ number, region string }
	var readings []reading
	switch {
	case plus:
		readings = append(readings, reading{"+" + d, ""})
	case strings.HasPrefix(d, "00"):
		readings = append(readings, reading{"+" + d[2:], ""})
	case d[0] != '0' && len(d) >= 11:
		// Too long for a national number: an international one without "+".
		readings = append(readings, reading{"+" + d, ""})
	default:
		for _, r := range regions {
			readings = append(readings, reading{d, r})
		}
		readings = append(readings, reading{"+" + d, ""})
	}
	var possible string
	for _, rd := range readings {
		n, err := phonenumbers.Parse(rd.number, rd.region)
		if err != nil {
			continue
		}
		if phonenumbers.IsValidNumber(n) {
			return phonenumbers.Format(n, phonenumbers.E164), nil
		}
		if possible == "" && phonenumbers.IsPossibleNumber(n) {
			possible = phonenumbers.Format(n, phonenumbers.E164)
		}
	}
	if possible != "" {
		return possible, nil
	}
	return "", fmt.Errorf("phone %q: %w", raw, errNotPhone)
}

var errNotPhone = errors.New("not a phone number in any of the known formats")

// digitValue returns the value of a decimal digit in any Unicode script:
// decimal digits come in contiguous runs of ten starting at a zero.
func digitValue(r rune) (int, bool) {
	for k := 0; k <= 9; k++ {
		if !unicode.IsDigit(r - rune(k) - 1) {
			return k, true
		}
	}
	return 0, false
}

// normalizeHandle reduces "@Name", "t.me/Name" or a profile URL to "name",
// so a handle matches whatever form it was typed or extracted in.
func normalizeHandle(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = stripScheme(h)
	for _, p := range []string{"t.me/", "telegram.me/", "telegram.dog/", "instagram.com/", "tiktok.com/", "x.com/", "twitter.com/", "facebook.com/", "snapchat.com/add/"} {
		if strings.HasPrefix(h, p) {
			h = h[len(p):]
			break
		}
	}
	h = strings.TrimPrefix(h, "s/") // t.me/s/channel
	if i := strings.IndexAny(h, "/?#"); i >= 0 {
		h = h[:i]
	}
	return strings.TrimPrefix(h, "@")
}

// normalizeLink reduces a URL to lower-case host and path without scheme,
// "www.", fragment or trailing slash, so links typed differently match.
func normalizeLink(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	l = stripScheme(l)
	l = strings.TrimPrefix(l, "www.")
	if i := strings.IndexByte(l, '#'); i >= 0 {
		l = l[:i]
	}
	return strings.TrimRight(l, "/")
}

func stripScheme(s string) string {
	for _, p := range []string{"https://", "http://"} {
		if strings.HasPrefix(s, p) {
			return s[len(p):]
		}
	}
	return s
}

// foldReplacer spells out letters that decomposition leaves whole.
var foldReplacer = strings.NewReplacer("đ", "d", "ð", "d", "ø", "o", "ł", "l", "ß", "ss", "æ", "ae", "œ", "oe", "ı", "i", "þ", "th", "ħ", "h")

// fold lower-cases s and removes diacritics and Arabic vowel marks, so that
// "Traversée", "traversee" and "TRAVERSÉE" and "đi" and "di" meet.
func fold(s string) string {
	s = norm.NFKD.String(strings.ToLower(s))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) || r == '\u0640' { // marks, tatweel
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(foldReplacer.Replace(b.String()))
}

// normValues returns the content of the norm field: the folded text and,
// when it folds differently, the folded normalised text, as two array
// elements so that a phrase cannot match across them.
func normValues(text, normText string) []string {
	var out []string
	if t := fold(text); strings.TrimSpace(t) != "" {
		out = append(out, t)
	}
	if n := fold(normText); strings.TrimSpace(n) != "" && (len(out) == 0 || n != out[0]) {
		out = append(out, n)
	}
	return out
}
