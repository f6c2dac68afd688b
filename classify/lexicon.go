package classify

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Lexicon files, one per language (lexicons/<code>.txt) plus the
// language-neutral emoji.txt and names.txt, and the fitted model.
//
//go:embed lexicons/*.txt lexicons/*.json
var embedded embed.FS

// Group is a kind of indicator.
type Group string

// Indicator groups. An advert needs an offer or a contact together with a
// destination, route, crossing, vehicle or documents; the counter groups
// mark reporting, warnings, legitimate travel, sales and legal services.
const (
	Destination Group = "destination" // UK, England, London, 🇬🇧, Italy …
	Route       Group = "route"       // departure points and routes: Calais, Dunkirk, Belgium …
	Crossing    Group = "crossing"    // the trip itself and its jargon: tahrib, game, harga, boza
	Vehicle     Group = "vehicle"     // boat, dinghy, balam, lorry, car
	Offer       Group = "offer"       // guarantee, 100%, safe, price, pay on arrival, proof of arrivals
	Contact     Group = "contact"     // WhatsApp, Telegram, call, DM, inbox
	Documents   Group = "documents"   // passports, visas, papers for the journey
	News        Group = "news"        // reporting: arrested, court, police said
	Warning     Group = "warning"     // warnings and campaigns: don't trust smugglers
	Ferry       Group = "ferry"       // legitimate ferries, trains and tickets
	Sale        Group = "sale"        // legitimate boat and engine sales
	Legal       Group = "legal"       // lawyers, asylum advice, visa services
	Job         Group = "job"         // ordinary jobs: hourly pay, work permits required
	Personal    Group = "personal"    // migrants' own accounts and questions: my brother, help us
	Pattern     Group = "pattern"     // entities: prices, phones, links, handles
	Learned     Group = "learned"     // words whose learned weights moved the score (not a lexicon group)
)

// groups lists the lexicon groups in feature order.
var groups = []Group{Destination, Route, Crossing, Vehicle, Offer, Contact, Documents, News, Warning, Ferry, Sale, Legal, Job, Personal}

// groupPriority orders groups for words that are in more than one:
// counter-indicators first, then the things an advert sells, then offers.
func groupPriority(g Group) int {
	for i, h := range []Group{News, Warning, Ferry, Sale, Legal, Job, Personal, Documents, Vehicle, Destination, Route, Crossing, Contact, Offer} {
		if g == h {
			return i
		}
	}
	return 99
}

func (g Group) counter() bool {
	switch g {
	case News, Warning, Ferry, Sale, Legal, Job, Personal:
		return true
	}
	return false
}

// advert reports whether g is one of the groups an advert is made of.
func (g Group) advert() bool {
	switch g {
	case Destination, Route, Crossing, Vehicle, Offer, Contact, Documents:
		return true
	}
	return false
}

// LexiconError reports a malformed line in a lexicon file.
type LexiconError struct {
	File string
	Line int
	Err  error
}

func (e *LexiconError) Error() string {
	return fmt.Sprintf("lexicon %s:%d: %v", e.File, e.Line, e.Err)
}

func (e *LexiconError) Unwrap() error { return e.Err }

type word struct {
	key    string
	prefix bool // matches any token that starts with key
	stem   bool // long enough to match with a short suffix ("warning" → "warnings")
	// raw is the word with its diacritics, when folding removed some: a
	// Vietnamese word written with tone marks in a Vietnamese post must
	// have the same ones ("giá", price, is not "gia", family).
	raw string
}

// Suffixes: a word of at least stemMin runes (stemMinEthiopic for the
// Ethiopic syllabary, whose runes are syllables) also matches tokens that
// extend it by at most maxSuffix runes, so that inflected forms match
// without listing each ("garantiert", "garantierte"; "ጀልባ", "ጀልባታት").
const (
	stemMin         = 5
	stemMinEthiopic = 3
	maxSuffix       = 4
)

func isStem(key string) bool {
	n := utf8.RuneCountInString(key)
	r, _ := utf8.DecodeRuneInString(key)
	if unicode.IsDigit(r) {
		return false
	}
	if scriptOf(r) == scriptEthiopic {
		return n >= stemMinEthiopic
	}
	return n >= stemMin
}

type term struct {
	group  Group
	text   string // as written in the file
	lang   string // file the term came from
	words  []word
	weight float64
	latin  bool // written in Latin letters: matched only in posts of its language
	// everywhere is set when applies holds whatever the languages.
	everywhere bool
	// foreignLatin is set for terms in Latin letters from another file
	// than vi.txt: in a Vietnamese post they match only words written
	// without diacritics (see token.marked).
	foreignLatin bool
}

// applies reports whether the term is matched in a post in langs (the main
// language first). Terms of the always-on files are matched everywhere;
// counter-indicators and Latin-script terms only in posts of their
// language; other terms (those of the Arabic-script and Ethiopic files)
// in every post, since neighbouring languages share them.
func (t *term) applies(langs []string) bool {
	if t.everywhere {
		return true
	}
	// Otherwise only the term's language counts (see appliesIn).
	for _, l := range langs {
		if l == t.lang || (t.lang == "fa" && l == "prs") {
			return true
		}
	}
	return false
}

// appliesIn is applies without the precomputed everywhere.
func (t *term) appliesIn(langs []string) bool {
	if alwaysOn[t.lang] && !t.latin {
		return true
	}
	if !t.latin && !t.group.counter() {
		return true
	}
	for _, l := range langs {
		if l == t.lang || (t.lang == "fa" && l == "prs") {
			return true
		}
	}
	return false
}

// lexicon is the compiled set of terms of all files.
type lexicon struct {
	terms []term
	// first holds the first-word keys of the terms in a byte trie, so that
	// find walks a token's key once instead of looking up each of its
	// prefixes in maps (which took most of find's time, itself an eighth
	// of Classify's).
	first keyTrie
	join  map[string]uint8 // keys that split words may be joined into: joinTerm, joinWord
	files []string         // the lexicon files, without ".txt"
}

// firstKey holds the terms whose first word is a key.
type firstKey struct {
	exact  []int32 // the word is the key (or, for stems, starts with it)
	prefix []int32 // the word is the key with '*': any word starting with it
	// stems are the terms of exact whose word is a stem, in the same
	// order: the only ones that can match a token longer than the key.
	stems []int32
}

// keyTrie maps keys to their terms. Node 0 is the root; a node's children
// are edges[lo:hi], sorted by byte.
type keyTrie struct {
	nodes []trieNode
	edges []trieEdge
	keys  []firstKey
	root  [256]int32     // the root's children by byte; 0 for none
	build map[string]int // key → index into keys, while loading
}

type trieNode struct {
	lo, hi int32 // children: edges[lo:hi]
	key    int32 // index into keys; -1 if no key ends here
}

type trieEdge struct {
	b     byte
	child int32
}

// add records term id under its first word w. compile must be called
// before lookups.
func (kt *keyTrie) add(w word, id int32) {
	if kt.build == nil {
		kt.build = map[string]int{}
	}
	i, ok := kt.build[w.key]
	if !ok {
		i = len(kt.keys)
		kt.build[w.key] = i
		kt.keys = append(kt.keys, firstKey{})
	}
	if w.prefix {
		kt.keys[i].prefix = append(kt.keys[i].prefix, id)
	} else {
		kt.keys[i].exact = append(kt.keys[i].exact, id)
		if w.stem {
			kt.keys[i].stems = append(kt.keys[i].stems, id)
		}
	}
}

// compile builds the trie of the keys added.
func (kt *keyTrie) compile() {
	type tmpNode struct {
		kids map[byte]int
		key  int32
	}
	tmp := []tmpNode{{key: -1}}
	for k, idx := range kt.build {
		n := 0
		for i := 0; i < len(k); i++ {
			if tmp[n].kids == nil {
				tmp[n].kids = map[byte]int{}
			}
			c, ok := tmp[n].kids[k[i]]
			if !ok {
				c = len(tmp)
				tmp = append(tmp, tmpNode{key: -1})
				tmp[n].kids[k[i]] = c
			}
			n = c
		}
		tmp[n].key = int32(idx)
	}
	kt.build = nil
	// Flatten breadth first, so that node numbers do not depend on map order.
	kt.nodes = make([]trieNode, 1, len(tmp))
	kt.edges = kt.edges[:0]
	kt.root = [256]int32{}
	queue := []int{0}
	for q := 0; q < len(queue); q++ {
		t := tmp[queue[q]]
		bs := make([]byte, 0, len(t.kids))
		for b := range t.kids {
			bs = append(bs, b)
		}
		slices.Sort(bs)
		lo := int32(len(kt.edges))
		for _, b := range bs {
			child := int32(len(kt.nodes))
			kt.nodes = append(kt.nodes, trieNode{})
			kt.edges = append(kt.edges, trieEdge{b: b, child: child})
			queue = append(queue, t.kids[b])
			if q == 0 {
				kt.root[b] = child
			}
		}
		kt.nodes[q] = trieNode{lo: lo, hi: int32(len(kt.edges)), key: t.key}
	}
}

// child returns node's child by byte b, or 0 if there is none.
func (kt *keyTrie) child(node int32, b byte) int32 {
	if node == 0 {
		return kt.root[b]
	}
	es := kt.edges[kt.nodes[node].lo:kt.nodes[node].hi]
	lo, hi := 0, len(es)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if es[m].b < b {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(es) && es[lo].b == b {
		return es[lo].child
	}
	return 0
}

// loadLexicon reads every *.txt file in fsys.
func loadLexicon(fsys fs.FS) (*lexicon, error) {
	names, err := fs.Glob(fsys, "*.txt")
	if err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("lexicon: no *.txt files")
	}
	lx := &lexicon{join: map[string]uint8{}}
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, fmt.Errorf("lexicon %s: %w", name, err)
		}
		err = lx.parse(name, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		lx.files = append(lx.files, strings.TrimSuffix(name, ".txt"))
	}
	lx.first.compile()
	return lx, nil
}

func (lx *lexicon) parse(name string, r fs.File) error {
	lang := strings.TrimSuffix(path.Base(name), ".txt")
	sc := bufio.NewScanner(r)
	var g Group
	seen := map[string]int{}
	seenKeys := map[string]bool{}
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			if !strings.HasSuffix(line, "]") {
				return &LexiconError{name, n, fmt.Errorf("unclosed group header %q", line)}
			}
			g = Group(strings.TrimSpace(line[1 : len(line)-1]))
			if !slices.Contains(groups, g) {
				return &LexiconError{name, n, fmt.Errorf("unknown group %q", g)}
			}
			continue
		}
		if g == "" {
			return &LexiconError{name, n, fmt.Errorf("term %q before any [group]", line)}
		}
		text, weight := line, 1.0
		if i := strings.LastIndex(line, "|"); i >= 0 {
			w, err := strconv.ParseFloat(strings.TrimSpace(line[i+1:]), 64)
			if err != nil || w <= 0 || w > 5 {
				return &LexiconError{name, n, fmt.Errorf("bad weight %q (want a number in (0,5])", strings.TrimSpace(line[i+1:]))}
			}
			text, weight = strings.TrimSpace(line[:i]), w
		}
		words := termWords(text)
		if len(words) == 0 {
			return &LexiconError{name, n, fmt.Errorf("term %q has no words", text)}
		}
		if prev, dup := seen[string(g)+"\x00"+text]; dup {
			return &LexiconError{name, n, fmt.Errorf("term %q repeats line %d", text, prev)}
		}
		seen[string(g)+"\x00"+text] = n
		// Spellings that normalise alike ("إنجلترا", "انجلترا") are one term.
		k := string(g) + "\x00" + wordsKey(words)
		if seenKeys[k] {
			continue
		}
		seenKeys[k] = true
		id := int32(len(lx.terms))
		r, _ := utf8.DecodeRuneInString(words[0].key)
		latin := scriptOf(r) == scriptLatin && (!alwaysOn[lang] || (lang == "en" && g.counter()))
		t := term{group: g, text: text, lang: lang, words: words, weight: weight, latin: latin}
		t.everywhere = t.appliesIn(nil)
		t.foreignLatin = scriptOf(r) == scriptLatin && lang != "vi"
		lx.terms = append(lx.terms, t)
		lx.first.add(words[0], id)
		// Words of terms are what split words may be joined into; for
		// phrases, the words of Latin script only ("đi anh" gives "anh").
		for _, w := range words {
			r, _ := utf8.DecodeRuneInString(w.key)
			switch {
			case utf8.RuneCountInString(w.key) < 2:
			case len(words) == 1:
				lx.join[w.key] |= joinTerm
			case scriptOf(r) == scriptLatin:
				lx.join[w.key] |= joinWord
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("lexicon %s: %w", name, err)
	}
	return nil
}

func wordsKey(ws []word) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w.key)
		if w.prefix {
			b.WriteByte('*')
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// termWords splits a lexicon term into word keys the same way post text is
// tokenised. A word ending in '*' matches as a prefix.
func termWords(text string) []word {
	var ws []word
	for _, f := range strings.Fields(text) {
		prefix := strings.HasSuffix(f, "*") && len(f) > 1
		f = strings.TrimSuffix(f, "*")
		toks := tokenize(normalizeRunes(f, modeFull, nil))
		for i, t := range toks {
			p := prefix && i == len(toks)-1
			ws = append(ws, word{key: t.key, prefix: p, stem: !p && isStem(t.key), raw: t.raw})
		}
	}
	return ws
}

// embeddedJoinWords returns the join words of the embedded lexicons, built
// once. It is nil if they do not parse (New reports that error).
var embeddedJoinWords = sync.OnceValue(func() map[string]uint8 {
	sub, err := fs.Sub(embedded, "lexicons")
	if err != nil {
		return nil
	}
	lx, err := loadLexicon(sub)
	if err != nil {
		return nil
	}
	return lx.join
})

// token is one word, number, emoji or symbol of normalised text.
type token struct {
	start, end int    // rune indexes into the normalised runes
	key        string // folded form: Latin diacritics removed
	alts       []string
	// marked is set when folding removed diacritics: Vietnamese "vẫn"
	// (still) folds to the English "van", "bạn" (friend) to "ban"; raw is
	// then the word as written (normalised, not folded).
	marked bool
	raw    string
}

func isEmoji(r rune) bool {
	return unicode.Is(unicode.So, r) || (0x1F000 <= r && r <= 0x1FAFF)
}

func isRegional(r rune) bool { return 0x1F1E6 <= r && r <= 0x1F1FF }

// tokenize splits normalised runes into words (runs of letters, marks and
// digits), emoji (a flag's two regional indicators make one), and the
// symbols % and currency signs.
func tokenize(rs []nrune) []token { return appendTokens(nil, rs) }

// appendTokens is tokenize writing into dst[:0].
func appendTokens(dst []token, rs []nrune) []token {
	// The keys are written one after another into one buffer and made
	// strings in one allocation at the end (one per token was a sixth of
	// Classify's allocations); ends[i] is where token i's key ends.
	toks := dst[:0]
	if cap(toks) == 0 {
		toks = make([]token, 0, len(rs)/4+4)
	}
	var ends []int
	var buf []byte
	// The raw forms of marked words, likewise: rawEnds[i] is where token
	// i's raw form ends (-1: not marked).
	var rawEnds []int
	var rawBuf []byte
	for i := 0; i < len(rs); {
		r := rs[i].r
		rawEnd := -1
		switch {
		case isWordRune(r):
			// A word ends where digits meet letters: "15hp", "2500eur", "5k".
			digit := unicode.IsDigit(r)
			j := i + 1
			for j < len(rs) && isWordRune(rs[j].r) && (unicode.IsDigit(rs[j].r) == digit || unicode.IsMark(rs[j].r)) {
				j++
			}
			n := len(buf)
			buf = appendKey(buf, rs[i:j])
			marked := folded(buf[n:], rs[i:j])
			toks = append(toks, token{start: i, end: j, marked: marked})
			if marked {
				for _, r := range rs[i:j] {
					rawBuf = utf8.AppendRune(rawBuf, r.r)
				}
				rawEnd = len(rawBuf)
			}
			i = j
		case isRegional(r) && i+1 < len(rs) && isRegional(rs[i+1].r):
			buf = utf8.AppendRune(utf8.AppendRune(buf, r), rs[i+1].r)
			toks = append(toks, token{start: i, end: i + 2})
			i += 2
		case isEmoji(r) || unicode.Is(unicode.Sc, r) || r == '%' || (0x2190 <= r && r <= 0x21FF):
			buf = utf8.AppendRune(buf, r)
			toks = append(toks, token{start: i, end: i + 1})
			i++
		default:
			i++
			continue
		}
		ends = append(ends, len(buf))
		rawEnds = append(rawEnds, rawEnd)
	}
	keys, raws := string(buf), string(rawBuf)
	start, rawStart := 0, 0
	for k := range toks {
		toks[k].key = keys[start:ends[k]]
		toks[k].alts = clitics(toks[k].key)
		start = ends[k]
		if e := rawEnds[k]; e >= 0 {
			toks[k].raw = raws[rawStart:e]
			rawStart = e
		}
	}
	return toks
}

// latinBase maps Latin letters with diacritics to their base letters, so
// that "İngiltere", "Angleterre" and "đi Anh" match however they are typed.
var latinBase = func() map[rune]string {
	m := map[rune]string{'ı': "i", 'đ': "d", 'ø': "o", 'ł': "l", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ə': "e", 'ħ': "h"}
	add := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			if _, ok := m[r]; ok || !unicode.IsLower(r) {
				continue
			}
			d := norm.NFD.String(string(r))
			b, _ := utf8.DecodeRuneInString(d)
			if b < 0x80 && b != r {
				m[r] = string(b)
			}
		}
	}
	add(0xC0, 0x24F)
	add(0x1E00, 0x1EFF)
	return m
}()

// appendKey appends the folded form of rs to b.
// folded reports whether key, which appendKey made of rs, lost diacritics.
func folded(key []byte, rs []nrune) bool {
	n := 0
	for _, r := range rs {
		n += utf8.RuneLen(r.r)
	}
	if n != len(key) {
		return true
	}
	for _, r := range rs {
		if _, ok := latinBase[r.r]; ok && r.r >= 0x80 {
			return true
		}
	}
	return false
}

func appendKey(b []byte, rs []nrune) []byte {
	for _, r := range rs {
		if r.r >= 0x80 {
			if s, ok := latinBase[r.r]; ok {
				b = append(b, s...)
				continue
			}
			if unicode.Is(unicode.Mn, r.r) {
				continue
			}
		}
		b = utf8.AppendRune(b, r.r)
	}
	return b
}

// Proclitics that attach to the next word: Arabic wa-/fa-/bi-/li-/al-,
// their Persian and Kurdish counterparts, and Ethiopic prepositions.
var arabicClitics = []string{"وال", "بال", "فال", "كال", "کال", "لل", "ال", "و", "ف", "ب", "ل", "به", "بو", "له"}
var ethiopicClitics = []string{"ብ", "ን", "ና", "ካ", "ከ", "የ", "በ", "ለ", "ዝ", "ም", "እና", "ኣብ", "ናብ", "ካብ", "ወደ"}

// clitics returns key without a leading proclitic, for Arabic-script and
// Ethiopic words, when at least two letters remain.
func clitics(key string) []string {
	r, _ := utf8.DecodeRuneInString(key)
	var list []string
	switch {
	case 0x0600 <= r && r <= 0x06FF:
		list = arabicClitics
	case 0x1200 <= r && r <= 0x137F:
		list = ethiopicClitics
	default:
		return nil
	}
	var alts []string
	for _, c := range list {
		if rest, ok := strings.CutPrefix(key, c); ok && utf8.RuneCountInString(rest) >= 2 && !slices.Contains(alts, rest) {
			alts = append(alts, rest)
		}
	}
	return alts
}

// match is one lexicon term found in a text.
type match struct {
	term       int32
	start, end int // token indexes
}

func (w word) matches(key string) bool { return w.matchesForm(w.key, key) }

// matchesForm reports whether s is form, or extends it as w allows: any
// ending for a prefix, a short suffix for a stem.
func (w word) matchesForm(form, s string) bool {
	switch {
	case s == form:
		return true
	case w.prefix:
		return strings.HasPrefix(s, form)
	case w.stem:
		return strings.HasPrefix(s, form) && utf8.RuneCountInString(s[len(form):]) <= maxSuffix
	}
	return false
}

// hasForm reports whether key is t.key or one of t.alts.
func hasForm(t token, key string) bool {
	return t.key == key || slices.Contains(t.alts, key)
}

func (w word) matchesToken(t token) bool {
	if w.matches(t.key) {
		return true
	}
	for _, a := range t.alts {
		if w.matches(a) {
			return true
		}
	}
	return false
}

// Lexicon files whose Latin-script terms are matched in posts of every
// language: English is the lingua franca of the routes (its counter terms,
// common words like "sale" and "report", only in English posts), and names,
// emoji and transliterated Arabic turn up everywhere. The Latin-script terms of other
// files are matched only in posts found to be in that language, so that a
// German "Pass" or a Turkish "ara" does not fire in an English post.
// Terms in other scripts are matched everywhere; their script is their
// language's, and the languages that share it share most of these words.
var alwaysOn = map[string]bool{"en": true, "names": true, "emoji": true, "arabizi": true}

// matchWords reports whether the words ws match the tokens from i on, and
// the index after the last token matched. Emoji between the words of a
// phrase are skipped ("đi 🔥 anh" is "đi anh"): adverts scatter them to
// break up the phrases filters look for.
//
// With marks set, a word written with diacritics must have the same ones
// as a token that has some (see word.raw).
func matchWords(toks []token, i int, ws []word, marks bool) (end int, ok bool) {
	j := i
	for k, w := range ws {
		if k > 0 && !isEmojiKey(w.key) {
			for j < len(toks) && isEmojiKey(toks[j].key) {
				j++
			}
		}
		if j >= len(toks) || !w.matchesToken(toks[j]) || (marks && !w.sameMarks(toks[j])) {
			return 0, false
		}
		j++
	}
	return j, true
}

// sameMarks reports whether t is written with the diacritics of w, if w
// has any.
func (w word) sameMarks(t token) bool {
	if w.raw == "" {
		return true
	}
	written := t.key
	if t.marked {
		written = t.raw
	}
	return w.matchesForm(w.raw, written)
}

// toneWritten reports whether a post is written with tone marks: at least
// two words and a fifth of them lost diacritics to folding. Then its words
// without marks are meant without ("gia đình": gia is not giá).
func toneWritten(toks []token) bool {
	words, marked := 0, 0
	for _, t := range toks {
		if r, _ := utf8.DecodeRuneInString(t.key); unicode.IsLetter(r) {
			words++
			if t.marked {
				marked++
			}
		}
	}
	return marked >= 2 && 5*marked >= words
}

// anyMarked reports whether a token of toks lost diacritics to folding.
func anyMarked(toks []token) bool {
	return slices.ContainsFunc(toks, func(t token) bool { return t.marked })
}

// isEmojiKey reports whether a token key is an emoji or a flag.
func isEmojiKey(k string) bool {
	r, _ := utf8.DecodeRuneInString(k)
	return isEmoji(r) || isRegional(r)
}

// find returns the terms in toks, longest first at each position, left to
// right, without overlaps, except that an emoji a phrase skipped over
// ("pay 🇬🇧 on arrival") is matched on its own too.
// Latin-script terms are used only from files in langs. At each position
// one term is kept.
func (lx *lexicon) find(toks []token, langs []string) []match {
	var out []match
	m := matcher{vi: len(langs) > 0 && langs[0] == "vi"}
	m.toneWritten = m.vi && toneWritten(toks)
	skipped := false
	for i := 0; i < len(toks); {
		n := len(out)
		var end int
		out, end = m.at(lx, toks, i, langs, out)
		// A phrase that spans more tokens than it has words skipped emoji:
		// match each of them alone.
		if len(out) > n && end-i > len(lx.terms[out[n].term].words) {
			for j := i + 1; j < end; j++ {
				if !isEmojiKey(toks[j].key) {
					continue
				}
				e, _ := m.at(lx, toks[j:j+1], 0, langs, nil)
				for _, x := range e {
					out = append(out, match{term: x.term, start: j, end: j + 1})
					skipped = true
				}
			}
		}
		i = end
	}
	if skipped {
		slices.SortStableFunc(out, func(a, b match) int { return a.start - b.start })
	}
	return out
}

// everyFile returns the lexicon files, lang first: the languages to find
// terms of in every lexicon, with lang's rules for Vietnamese.
func (lx *lexicon) everyFile(lang string) []string {
	out := append(make([]string, 0, len(lx.files)+1), lang)
	for _, f := range lx.files {
		if f != lang {
			out = append(out, f)
		}
	}
	return out
}

// matcher holds find's scratch buffers and what it knows of the post.
type matcher struct {
	cands    []int32
	foundBuf [16]prefixHit
	// vi: the post is Vietnamese, so words that lost diacritics to
	// folding match no Latin term of another lexicon; toneWritten: it is
	// written with tone marks, so Vietnamese terms with marks need the
	// same marks.
	vi, toneWritten bool
}

type prefixHit struct {
	n int
	e *firstKey
}

// at appends to out the longest term that starts at toks[i] (one per
// group priority, see below), and returns the index after it (i+1 if none).
func (m *matcher) at(lx *lexicon, toks []token, i int, langs []string, out []match) ([]match, int) {
	m.cands = m.cands[:0]
	t := toks[i]
	for ai := -1; ai < len(t.alts); ai++ {
		k := t.key
		if ai >= 0 {
			k = t.alts[ai]
		}
		// The key's prefixes that are first-word keys, shortest first.
		found := m.foundBuf[:0]
		node := int32(0)
		for n := 0; n < len(k); n++ {
			if node = lx.first.child(node, k[n]); node == 0 {
				break
			}
			if ki := lx.first.nodes[node].key; ki >= 0 && (n+1 == len(k) || utf8.RuneStart(k[n+1])) {
				found = append(found, prefixHit{n + 1, &lx.first.keys[ki]})
			}
		}
		// The key itself, then its prefixes longest first.
		if len(found) > 0 && found[len(found)-1].n == len(k) {
			m.cands = append(m.cands, found[len(found)-1].e.exact...)
		}
		for f := len(found) - 1; f >= 0; f-- {
			m.cands = append(m.cands, found[f].e.prefix...)
			if n := found[f].n; n < len(k) {
				// Stems, checked by word.matches. The other words
				// of exact can only match if another form of the
				// token (t.key or a clitic-free alt) is the key.
				if len(found[f].e.stems) < len(found[f].e.exact) && hasForm(t, k[:n]) {
					m.cands = append(m.cands, found[f].e.exact...)
				} else {
					m.cands = append(m.cands, found[f].e.stems...)
				}
			}
		}
	}
	best, bestEnd := 0, i+1
	first := len(out)
	for _, id := range m.cands {
		ws := lx.terms[id].words
		if i+len(ws) > len(toks) || len(ws) < best || !lx.terms[id].applies(langs) {
			continue
		}
		end, ok := matchWords(toks, i, ws, m.toneWritten && lx.terms[id].lang == "vi")
		// In a Vietnamese post, a word with tone marks is Vietnamese
		// whatever its folded form spells in another language.
		if !ok || (m.vi && lx.terms[id].foreignLatin && anyMarked(toks[i:end])) {
			continue
		}
		if len(ws) > best {
			best, bestEnd = len(ws), end
			out = out[:first]
		}
		// Words in two groups ("no interview": offer and documents;
		// "gia": Vietnamese price and fake) count once, for the group
		// that comes first in groupPriority, so that one word never
		// passes the gate alone.
		switch {
		case len(out) == first:
			out = append(out, match{term: id, start: i, end: end})
		case groupPriority(lx.terms[id].group) < groupPriority(lx.terms[out[first].term].group):
			out[first] = match{term: id, start: i, end: end}
		}
	}
	return out, bestEnd
}
