package classify

import (
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// EntityKind is a kind of entity.
type EntityKind string

// Entity kinds.
const (
	Phone    EntityKind = "phone"    // Value is E.164, Country the ISO 3166 region
	WhatsApp EntityKind = "whatsapp" // Value is the canonical wa.me or chat.whatsapp.com URL
	Telegram EntityKind = "telegram" // Value is the canonical t.me URL
	Link     EntityKind = "link"     // Value is the URL with scheme and lower-case host
	Handle   EntityKind = "handle"   // Value is "@name" in lower case
	Price    EntityKind = "price"    // Value is the amount; Amount and Currency say more
)

// Span is a byte range [start, end) of the original text.
type Span [2]int

// Entity is a contact or price found in a post.
type Entity struct {
	Kind     EntityKind `json:"kind"`
	Value    string     `json:"value"`
	Country  string     `json:"country,omitempty"`
	Currency string     `json:"currency,omitempty"`
	Amount   float64    `json:"amount,omitempty"`
	Span     Span       `json:"span"`
	Weight   float64    `json:"weight"`
}

// lightText is light-normalised text as a string, with the map from its
// bytes back to the runes (and so to the original text).
type lightText struct {
	orig  string // the original text
	s     string
	runes []nrune
	rune  []int32 // byte offset in s → index into runes
}

func newLightText(orig string, rs []nrune) lightText {
	b := make([]byte, 0, len(rs)+len(rs)/2)
	idx := make([]int32, 0, cap(b))
	for i, r := range rs {
		n := len(b)
		b = utf8.AppendRune(b, r.r)
		for range len(b) - n {
			idx = append(idx, int32(i))
		}
	}
	return lightText{orig: orig, s: string(b), runes: rs, rune: idx}
}

// span returns the original span of the light-text bytes [i, j).
func (lt lightText) span(i, j int) Span {
	if i >= j || j > len(lt.rune) {
		return Span{}
	}
	return Span{int(lt.runes[lt.rune[i]].start), int(lt.runes[lt.rune[j-1]].end)}
}

var (
	reWhatsApp = regexp.MustCompile(`(?:https?://)?(?:www\.)?(?:wa\.me/(\+?[0-9]{6,15})|api\.whatsapp\.com/send/?\?phone=(\+?[0-9]{6,15})|chat\.whatsapp\.com/(?:invite/)?([a-z0-9]{8,40}))`)
	reTelegram = regexp.MustCompile(`(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)/(?:s/)?((?:joinchat/|\+)?[a-z0-9_-]{3,64})`)
	reLink     = regexp.MustCompile(`(?:https?://|www\.)[^\s<>"'“”«»]+|\b[a-z0-9][a-z0-9-]{1,62}\.(?:com|net|org|info|co\.uk|uk|fr|de|be|it|me|io|ly|link|site|online|app)(?:/[^\s<>"'“”«»]*)?`)
	reHandle   = regexp.MustCompile(`@([a-z0-9_](?:[a-z0-9_.]{1,30}[a-z0-9_])?)`)
)

// Words for thousand, lakh and million after an amount ("3k", "3
// thousand", "٣ ألف", "7 لکه", "18 میلیون").
var multipliers = []struct {
	word   string
	factor float64
}{
	{"k", 1e3}, {"thousands", 1e3}, {"thousand", 1e3}, {"alf", 1e3}, {"ألف", 1e3}, {"الف", 1e3}, {"آلاف", 1e3},
	{"هزار", 1e3}, {"ہزار", 1e3}, {"هەزار", 1e3}, {"زره", 1e3}, {"زر", 1e3}, {"ሺህ", 1e3}, {"ሺ", 1e3}, {"ሽሕ", 1e3}, {"nghìn", 1e3}, {"ngàn", 1e3},
	{"mijë", 1e3}, {"mije", 1e3}, {"mij", 1e3}, {"bin", 1e3}, {"tausend", 1e3}, {"tsd", 1e3}, {"mille", 1e3}, {"mila", 1e3}, {"mil", 1e3}, {"grand", 1e3}, {"kun", 1e3}, {"hezar", 1e3},
	{"lakh", 1e5}, {"لاکھ", 1e5}, {"لکه", 1e5}, {"لک", 1e5},
	{"million", 1e6}, {"millions", 1e6}, {"میلیون", 1e6}, {"ملیون", 1e6}, {"مليون", 1e6}, {"ملين", 1e6}, {"triệu", 1e6}, {"milyon", 1e6},
}

// Currency signs and words, longest first where one is a prefix of another.
var currencies = []struct{ word, code string }{
	{"£", "GBP"}, {"€", "EUR"}, {"$", "USD"}, {"₺", "TRY"}, {"₫", "VND"},
	{"gbp", "GBP"}, {"pounds", "GBP"}, {"pound", "GBP"}, {"quid", "GBP"}, {"libras esterlinas", "GBP"}, {"libras", "GBP"}, {"libra", "GBP"}, {"paund", "GBP"}, {"pund", "GBP"}, {"paun", "GBP"},
	{"sterling", "GBP"}, {"sterlina", "GBP"}, {"sterline", "GBP"}, {"sterlin", "GBP"}, {"poundi", "GBP"}, {"bảng", "GBP"},
	{"sterlini", "GBP"}, {"gini", "GBP"}, {"ginni", "GBP"}, {"funte", "GBP"}, {"livres", "GBP"}, {"livre", "GBP"}, {"pfund", "GBP"}, {"sterlina", "GBP"},
	{"باوند", "GBP"}, {"پاوند", "GBP"}, {"پوند", "GBP"}, {"پاوەند", "GBP"}, {"پاوه ند", "GBP"}, {"جنيه", "GBP"}, {"استرليني", "GBP"},
	{"ፓውንድ", "GBP"}, {"ፖውንድ", "GBP"},
	{"euros", "EUR"}, {"euro", "EUR"}, {"euronen", "EUR"}, {"euri", "EUR"}, {"yuuro", "EUR"}, {"balles", "EUR"}, {"pavos", "EUR"}, {"eur", "EUR"}, {"evro", "EUR"}, {"avro", "EUR"}, {"ewro", "EUR"}, {"yuro", "EUR"},
	{"يورو", "EUR"}, {"یورو", "EUR"}, {"یۆرۆ", "EUR"}, {"يۆرۆ", "EUR"}, {"ئیورۆ", "EUR"}, {"ዩሮ", "EUR"}, {"ኦይሮ", "EUR"}, {"ዩሮ።", "EUR"},
	{"dollars", "USD"}, {"dollar", "USD"}, {"doollar", "USD"}, {"doolar", "USD"}, {"shilin", "SOS"}, {"usd", "USD"}, {"dolar", "USD"}, {"dollari", "USD"}, {"đô", "USD"},
	{"دولار", "USD"}, {"دالر", "USD"}, {"دلار", "USD"}, {"اورو", "EUR"}, {"أورو", "EUR"}, {"دۆلار", "USD"}, {"ዶላር", "USD"},
	{"lira", "TRY"}, {"tl", "TRY"}, {"ليرة", "TRY"}, {"لیره", "TRY"},
	{"پاؤنڈ", "GBP"}, {"پونډه", "GBP"}, {"پونډ", "GBP"}, {"پاوەن", "GBP"}, {"ڈالر", "USD"}, {"ډالر", "USD"},
	{"روپے", "PKR"}, {"کلدارې", "PKR"}, {"کلدار", "PKR"}, {"rupees", "PKR"}, {"تومان", "IRR"}, {"تومن", "IRR"},
	{"افغانۍ", "AFN"}, {"افغانی", "AFN"}, {"دینار", "IQD"}, {"دينار", "IQD"}, {"dinars", "IQD"}, {"dinares", "IQD"}, {"dinari", "IQD"}, {"dinaro", "IQD"}, {"dinar", "IQD"}, {"dt", "TND"},
	{"ብር", "ETB"}, {"birr", "ETB"}, {"ናቕፋ", "ERN"}, {"nakfa", "ERN"}, {"dirham", "MAD"}, {"درهم", "MAD"}, {"lekë", "ALL"}, {"lek", "ALL"},
}

// extractEntities finds phones, messenger links, links, handles and prices
// in light-normalised text.
// regions lists the phone regions to try first for numbers written
// without a country code (nil: the default order).
func extractEntities(lt lightText, regions []string) []Entity {
	var ents []Entity
	used := make([]bool, len(lt.s)) // bytes inside an entity already found
	mark := func(i, j int) {
		for k := i; k < j; k++ {
			used[k] = true
		}
	}
	free := func(i, j int) bool { return !slices.Contains(used[i:j], true) }

	// The regular expressions run only where their anchors appear: most
	// posts have no links, and the expressions cost more than the check.
	has := func(subs ...string) bool {
		for _, sub := range subs {
			if strings.Contains(lt.s, sub) {
				return true
			}
		}
		return false
	}
	var waMatches, tgMatches, linkMatches, handleMatches [][]int
	if has("wa.me", "whatsapp.com") {
		waMatches = reWhatsApp.FindAllStringSubmatchIndex(lt.s, -1)
	}
	if has("t.me", "telegram.me", "telegram.dog") {
		tgMatches = reTelegram.FindAllStringSubmatchIndex(lt.s, -1)
	}
	if has("://", "www.", ".com", ".net", ".org", ".info", ".uk", ".fr", ".de", ".be", ".it", ".me", ".io", ".ly", ".link", ".site", ".online", ".app") {
		linkMatches = reLink.FindAllStringIndex(lt.s, -1)
	}
	if has("@") {
		handleMatches = reHandle.FindAllStringSubmatchIndex(lt.s, -1)
	}
	for _, m := range waMatches {
		e := Entity{Kind: WhatsApp, Span: lt.span(m[0], m[1])}
		switch {
		case m[2] >= 0, m[4] >= 0:
			a, b := m[2], m[3]
			if a < 0 {
				a, b = m[4], m[5]
			}
			digits := strings.TrimPrefix(lt.s[a:b], "+")
			e.Value = "https://wa.me/" + digits
			if p, ok := parsePhone("+" + digits); ok {
				e.Country = p.country
			}
		default:
			e.Value = "https://chat.whatsapp.com/" + lt.s[m[6]:m[7]]
		}
		ents = append(ents, e)
		mark(m[0], m[1])
	}
	for _, m := range tgMatches {
		if !free(m[0], m[1]) {
			continue
		}
		ents = append(ents, Entity{Kind: Telegram, Value: "https://t.me/" + lt.s[m[2]:m[3]], Span: lt.span(m[0], m[1])})
		mark(m[0], m[1])
	}
	for _, m := range linkMatches {
		if !free(m[0], m[1]) {
			continue
		}
		raw := strings.TrimRight(lt.s[m[0]:m[1]], ".,;:!?)]}")
		if raw == "" || strings.Contains(lt.s[max(0, m[0]-1):m[0]], "@") {
			continue
		}
		sp := lt.span(m[0], m[0]+len(raw))
		// The value comes from the original: paths and queries keep their case.
		ents = append(ents, Entity{Kind: Link, Value: canonicalURL(stripInvisible(lt.orig[sp[0]:sp[1]])), Span: sp})
		mark(m[0], m[0]+len(raw))
	}
	for _, m := range handleMatches {
		if !free(m[0], m[1]) {
			continue
		}
		// Not an e-mail address or a word@word obfuscation.
		if m[0] > 0 {
			prev, _ := utf8.DecodeLastRuneInString(lt.s[:m[0]])
			if isWordRune(prev) {
				continue
			}
		}
		name := lt.s[m[2]:m[3]]
		if strings.Trim(name, "0123456789_") == "" {
			continue
		}
		ents = append(ents, Entity{Kind: Handle, Value: "@" + name, Span: lt.span(m[0], m[1])})
		mark(m[0], m[1])
	}
	ents = append(ents, findPhones(lt, used, regions)...)
	ents = append(ents, findPrices(lt, used)...)
	slices.SortStableFunc(ents, func(a, b Entity) int { return a.Span[0] - b.Span[0] })
	return ents
}

func stripInvisible(s string) string {
	return strings.Map(func(r rune) rune {
		if isInvisible(r) {
			return -1
		}
		return r
	}, s)
}

func canonicalURL(raw string) string {
	s := raw
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return s
	}
	u.Host = strings.ToLower(u.Host)
	u.Scheme = strings.ToLower(u.Scheme)
	return u.String()
}

type phone struct{ e164, country string }

// Regions tried for numbers written without a country code: the countries
// where the adverts' buyers and sellers are, UK and France first. The
// regions of the post's language (langRegions) are tried before these.
var langRegions = map[string][]string{
	"prs": {"AF"}, "ps": {"AF", "PK"}, "fa": {"IR"}, "ckb": {"IQ", "IR"}, "kmr": {"TR", "IQ", "SY"},
	"ar": {"SY", "IQ", "SD", "EG", "LY", "TN", "MA", "DZ"}, "ti": {"ER"}, "am": {"ET"}, "so": {"SO"},
	"vi": {"VN"}, "sq": {"AL", "XK"}, "tr": {"TR"}, "ur": {"PK"}, "de": {"DE", "AT"}, "it": {"IT"},
	"es": {"ES", "MA"}, "fr": {"FR", "BE"}, "en": {"GB"},
}

var phoneRegions = []string{"GB", "FR", "BE", "DE", "NL", "IT", "GR", "TR", "IQ", "IR", "AF", "ER", "ET", "VN", "AL", "SD", "EG", "LY", "SY", "PK"}

// parsePhone parses s, trying first regions and then phoneRegions for
// numbers without a country code.
func parsePhone(s string, regions ...string) (phone, bool) {
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	try := func(region string, possible bool) (phone, bool) {
		n, err := phonenumbers.Parse(s, region)
		if err != nil {
			return phone{}, false
		}
		// IsValidNumber(n) is IsValidNumberForRegion(n,
		// GetRegionCodeForNumber(n)); the region, computed once, is also
		// the country (the look-up was a tenth of parsePhone's time).
		country := phonenumbers.GetRegionCodeForNumber(n)
		if phonenumbers.IsValidNumberForRegion(n, country) || (possible && phonenumbers.IsPossibleNumber(n)) {
			if country == "" {
				country = phonenumbers.GetRegionCodeForCountryCode(int(n.GetCountryCode()))
			}
			if country == "ZZ" {
				country = ""
			}
			return phone{e164: phonenumbers.Format(n, phonenumbers.E164), country: country}, true
		}
		return phone{}, false
	}
	if strings.HasPrefix(s, "+") {
		// Numbers in ranges kept for fiction (UK 07700 900xxx) are not valid
		// but are what adverts in the corpus and many real ones use.
		return try("ZZ", true)
	}
	order := append(append([]string{}, regions...), phoneRegions...)
	for _, r := range order {
		if p, ok := try(r, false); ok {
			return p, true
		}
	}
	return try(order[0], true)
}

// findPhones finds runs of digits, with the spaces, dots, dashes,
// brackets and emoji people put between them, that parse as phone numbers.
func findPhones(lt lightText, used []bool, regions []string) []Entity {
	var ents []Entity
	s := lt.s
	for i := 0; i < len(s); {
		c := s[i]
		if used[i] || !(c == '+' || ('0' <= c && c <= '9')) {
			i++
			continue
		}
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			if isWordRune(prev) || prev == '/' || prev == '=' || prev == '@' {
				for i < len(s) && s[i] < 0x80 && (isWordRune(rune(s[i])) || s[i] == '+') {
					i++
				}
				continue
			}
		}
		var digits []byte
		if c == '+' {
			digits = append(digits, '+')
		}
		j, end, seps := i, i, 0
		if c == '+' {
			j++
		}
		for j < len(s) && !used[j] {
			r, n := utf8.DecodeRuneInString(s[j:])
			switch {
			case '0' <= r && r <= '9':
				digits = append(digits, byte(r))
				seps = 0
				end = j + n
			case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || r == '\u00a0' || isEmoji(r):
				seps++
			default:
				seps = 99
			}
			if seps > 3 || len(digits) > 17 {
				break
			}
			j += n
		}
		nd := len(digits)
		if digits != nil && digits[0] == '+' {
			nd--
		}
		// An amount or year followed by letters ("2500eur") is not a phone.
		if end < len(s) {
			if r, _ := utf8.DecodeRuneInString(s[end:]); unicode.IsLetter(r) || r == '%' || unicode.Is(unicode.Sc, r) {
				i = end
				continue
			}
		}
		if nd >= 8 && nd <= 15 {
			if p, ok := parsePhone(string(digits), regions...); ok {
				ents = append(ents, Entity{Kind: Phone, Value: p.e164, Country: p.country, Span: lt.span(i, end)})
				for k := i; k < end; k++ {
					used[k] = true
				}
			}
		}
		if end <= i {
			end = i + 1
		}
		i = end
	}
	return ents
}

// findAmounts returns the byte ranges of amounts in s: digits grouped in
// threes by spaces, commas or dots ("2 500", "2,500", "2.500"), or digits
// with up to two decimals ("1500", "12.50").
func findAmounts(s string) [][2]int {
	var out [][2]int
	isDigit := func(i int) bool { return i < len(s) && '0' <= s[i] && s[i] <= '9' }
	for i := 0; i < len(s); {
		if !isDigit(i) {
			i++
			continue
		}
		j := i
		for isDigit(j) {
			j++
		}
		end := j
		if j-i <= 3 { // thousands groups
			k := j
			for k+3 < len(s)+1 && k < len(s) && (s[k] == ' ' || s[k] == ',' || s[k] == '.') && isDigit(k+1) && isDigit(k+2) && isDigit(k+3) && !isDigit(k+4) {
				k += 4
			}
			end = k
		}
		if end == j && j < len(s) && (s[j] == '.' || s[j] == ',') && isDigit(j+1) { // decimals
			k := j + 1
			for k < j+3 && isDigit(k) {
				k++
			}
			if !isDigit(k) {
				end = k
			}
		}
		out = append(out, [2]int{i, end})
		i = end
		for isDigit(i) {
			i++
		}
	}
	return out
}

// findPrices finds amounts with a currency sign or word before or after.
func findPrices(lt lightText, used []bool) []Entity {
	var ents []Entity
	s := lt.s
	for _, m := range findAmounts(s) {
		a, b := m[0], m[1]
		if slices.Contains(used[a:b], true) {
			continue
		}
		if a > 0 {
			if prev, _ := utf8.DecodeLastRuneInString(s[:a]); unicode.IsLetter(prev) || prev == '+' {
				continue
			}
		}
		amount, ok := parseAmount(s[a:b])
		if !ok {
			continue
		}
		end := b
		// Multiplier: "3k", "3 thousand", "٨ 💥 آلاف".
		rest := s[b:]
		sp := filler(rest)
		if sp < 0 {
			sp = len(rest) // no multiplier that far
		}
		for _, m := range multipliers {
			if after, ok := strings.CutPrefix(rest[sp:], m.word); ok && !startsWithLetter(after) {
				if m.word == "k" && sp > 0 {
					continue
				}
				amount *= m.factor
				end = b + sp + len(m.word)
				if m.word == "k" {
					extra, n := hundredsAfterK(after)
					amount += extra
					end += n
				}
				break
			}
		}
		code, cs, ce := currencyAround(s, a, end)
		if code == "" {
			continue
		}
		start := min(a, cs)
		stop := max(end, ce)
		ents = append(ents, Entity{
			Kind: Price, Value: strconv.FormatFloat(amount, 'f', -1, 64), Currency: code, Amount: amount,
			Span: lt.span(start, stop),
		})
	}
	return ents
}

// Between an amount and its multiplier or currency a post may put at most
// one space, or emoji with spaces around them ("١١ ألف 💥 باوند"): adverts
// scatter emoji to break up what filters look for.
const (
	maxFillerEmoji = 2
	maxFillerBytes = 16
)

// filler returns the length of the space or emoji filler at the start of
// s, or -1 if there is more than a filler there: two spaces in a row, more
// than maxFillerEmoji emoji or maxFillerBytes bytes.
func filler(s string) int {
	return fillerLen(s, func(n int) (rune, int) { return utf8.DecodeRuneInString(s[n:]) })
}

// fillerBefore is filler at the end of s.
func fillerBefore(s string) int {
	return fillerLen(s, func(n int) (rune, int) { return utf8.DecodeLastRuneInString(s[:len(s)-n]) })
}

// fillerLen measures a filler of s, reading the rune n bytes into it (from
// whichever end) with decode.
func fillerLen(s string, decode func(n int) (rune, int)) int {
	n, emoji, prevSpace := 0, 0, false
	for n < len(s) {
		r, size := decode(n)
		switch {
		case r == ' ':
			if prevSpace {
				return -1
			}
			prevSpace = true
		case isEmoji(r) || isRegional(r):
			emoji++
			prevSpace = false
		default:
			return n
		}
		n += size
		if emoji > maxFillerEmoji || n > maxFillerBytes {
			return -1
		}
	}
	return n
}

// hundredsAfterK reads the one or two digits that may follow the k of an
// amount ("1k2", "1k25", as in £1,200 and £1,250) and returns their value
// and length; 0, 0 if there are none, or three or more.
func hundredsAfterK(after string) (float64, int) {
	n := 0
	for n < len(after) && n < 3 && '0' <= after[n] && after[n] <= '9' {
		n++
	}
	if n == 0 || n == 3 {
		return 0, 0
	}
	frac, _ := strconv.Atoi(after[:n])
	return float64(frac) * math.Pow10(3-n), n
}

func startsWithLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

// currencyAround looks for a currency right before s[a:] or right after
// s[:end], with at most one space between.
func currencyAround(s string, a, end int) (code string, cs, ce int) {
	rest := s[end:]
	if sp := filler(rest); sp >= 0 {
		for _, c := range currencies {
			if after, ok := strings.CutPrefix(rest[sp:], c.word); ok && (!startsWithLetter(after) || !isLatinWord(c.word)) {
				return c.code, end, end + sp + len(c.word)
			}
		}
	}
	if n := fillerBefore(s[:a]); n >= 0 {
		before := s[:a-n]
		for _, c := range currencies {
			if strings.HasSuffix(before, c.word) {
				p := len(before) - len(c.word)
				if isLatinWord(c.word) && p > 0 {
					if r, _ := utf8.DecodeLastRuneInString(before[:p]); unicode.IsLetter(r) {
						continue
					}
				}
				return c.code, p, a
			}
		}
	}
	return "", 0, 0
}

func isLatinWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return r < 0x250 && unicode.IsLetter(r)
}

// parseAmount reads "2,500", "2.500", "2 500", "1500", "1.5" and "2,50".
func parseAmount(s string) (float64, bool) {
	// A separator followed by exactly three digits is a thousands separator.
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || ((c == ',' || c == '.') && len(s)-i-1 >= 3 && (i+4 == len(s) || !('0' <= s[i+4] && s[i+4] <= '9'))) {
			continue
		}
		if c == ',' {
			c = '.'
		}
		b.WriteByte(c)
	}
	f, err := strconv.ParseFloat(b.String(), 64)
	if err != nil || f <= 0 || f > 1e9 {
		return 0, false
	}
	return f, true
}
