package classify

import (
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Label is the classifier's decision.
type Label string

// Labels. Review is the band between the thresholds, for human triage.
const (
	Advert    Label = "advert"
	Review    Label = "review"
	NotAdvert Label = "not_advert"
)

// Indicator is a lexicon term found in a post.
type Indicator struct {
	Group  Group   `json:"group"`
	Term   string  `json:"term"`   // as written in the lexicon (without the prefix mark *)
	Span   Span    `json:"span"`   // byte offsets into the original text
	Weight float64 `json:"weight"` // contribution to the log-odds of an advert
}

// Result is the classification of one post.
type Result struct {
	Lang           string      `json:"lang"` // ISO 639-1, else 639-3 (ckb, kmr, prs); "und" if unknown
	LangConfidence float64     `json:"lang_confidence"`
	Langs          []string    `json:"langs"` // other languages found
	Score          float64     `json:"score"` // probability of an advert, in [0, 1]
	Label          Label       `json:"label"`
	Indicators     []Indicator `json:"indicators"`
	Entities       []Entity    `json:"entities"`
	Explanation    string      `json:"explanation"`
}

// Options configures a Classifier. The zero value uses the embedded
// lexicons, model and thresholds.
type Options struct {
	// Lexicons, if not nil, holds the lexicon files (*.txt) and, unless
	// Model is set, model.json and thresholds.json.
	Lexicons fs.FS
	// Model, if not nil, replaces the fitted model.
	Model *Model
	// Thresholds, if not nil, replaces the thresholds chosen on the dev file.
	Thresholds *Thresholds
	// MaxBytes bounds the text read from each post; 0 means 64 KiB. Longer
	// posts are classified on their first MaxBytes.
	MaxBytes int
}

func (o *Options) withDefaults() error {
	if o.Lexicons == nil {
		sub, err := fs.Sub(embedded, "lexicons")
		if err != nil {
			return fmt.Errorf("classify: %w", err)
		}
		o.Lexicons = sub
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 64 << 10
	}
	if o.Model == nil {
		o.Model = new(Model)
		if err := readJSON(o.Lexicons, "model.json", o.Model); err != nil {
			return err
		}
	}
	if o.Thresholds == nil {
		o.Thresholds = new(Thresholds)
		if err := readJSON(o.Lexicons, "thresholds.json", o.Thresholds); err != nil {
			return err
		}
	}
	return nil
}

// Classifier scores posts. It is immutable after New and safe for
// concurrent use.
type Classifier struct {
	lex   *lexicon
	lang  *langIdent
	model Model
	lm    learnedModel
	th    Thresholds
	// version is what Version returns.
	version string
	names   []string
	featW   []float64 // model weights of names
	max     int
	// scratch holds *scratch buffers for Classify to reuse: the runes
	// and tokens of a post were a third of the bytes it allocated.
	scratch sync.Pool
}

// scratch is the reusable memory of one Classify call.
type scratch struct {
	light, full []nrune
	ident       []nrune // light with homoglyphs and spacing undone, for language identification
	ents        []nrune // light with homoglyphs folded, for entities
	toks        []token
	perTok      []float64
	hits, sort  []learnedFeat
}

// New returns a Classifier.
func New(opts Options) (*Classifier, error) {
	if err := opts.withDefaults(); err != nil {
		return nil, err
	}
	th := *opts.Thresholds
	if !(gateCap < th.Review && th.Review <= th.Advert && th.Advert <= 1) {
		return nil, fmt.Errorf("classify: thresholds review %v, advert %v: want %v < review ≤ advert ≤ 1", th.Review, th.Advert, gateCap)
	}
	lx, err := loadLexicon(opts.Lexicons)
	if err != nil {
		return nil, err
	}
	v, err := version(opts.Lexicons, *opts.Model, th)
	if err != nil {
		return nil, err
	}
	c := &Classifier{
		lex:     lx,
		lang:    newLangIdent(),
		th:      th,
		version: v,
		names:   featureNames(),
		max:     opts.MaxBytes,
	}
	c.setModel(*opts.Model)
	c.scratch.New = func() any { return new(scratch) }
	return c, nil
}

// setModel sets the model and what is compiled from it.
func (c *Classifier) setModel(m Model) {
	c.lm = compileLearned(m.Learned)
	c.featW = m.featureWeights(c.names)
	// The learned weights live on in c.lm only: the map of tens of
	// thousands of names would be marked by every garbage collection.
	m.Learned = nil
	c.model = m
}

// Thresholds returns the thresholds in use.
func (c *Classifier) Thresholds() Thresholds { return c.th }

// Label returns the label of a score.
func (c *Classifier) Label(score float64) Label {
	switch {
	case score >= c.th.Advert:
		return Advert
	case score >= c.th.Review:
		return Review
	}
	return NotAdvert
}

// analysis is everything Classify computes before the label.
type analysis struct {
	lang    langGuess
	others  []string
	matches []match
	toks    []token
	full    []nrune
	ents    []Entity
	quotes  quotes
	feat    features
	perTok  []float64 // learned log-odds by token
	learned float64   // learned part of the log-odds
	open    bool      // passes the gate
	// outside is the learned evidence of the words outside every lexicon
	// term, computed when it may open the gate.
	outside outside
	score   float64
}

func (c *Classifier) analyse(text string) analysis { return c.analyseWith(text, new(scratch)) }

// analyseWith is analyse using the buffers of sc, which the analysis
// uses until sc is next used.
func (c *Classifier) analyseWith(text string, sc *scratch) analysis {
	if len(text) > c.max {
		n := c.max
		for n > 0 && !utf8.RuneStart(text[n]) {
			n--
		}
		text = text[:n]
	}
	light := appendNormalized(sc.light, text, modeLight, nil)
	sc.light = light
	var a analysis
	// Language is read from the text with look-alike letters and spacing
	// undone: "Sсhlаuchboоt" with Cyrillic letters is still German. That
	// is the full form but for the Arabic-script letters the full form
	// unifies, so a text without them is read in its full form.
	unify := slices.ContainsFunc(light, func(r nrune) bool { return unifyArabic(r.r) != r.r })
	ident := light
	if unify {
		sc.ident = identFromLight(append(sc.ident[:0], light...), c.lex.join)
		ident = sc.ident
	}
	sc.full = append(sc.full[:0], light...)
	a.full = fullFromLight(sc.full, c.lex.join)
	if !unify {
		ident = a.full
	}
	a.lang, a.others = c.lang.detect(ident)
	a.toks = appendTokens(sc.toks, a.full)
	sc.toks = a.toks
	a.matches = c.lex.find(a.toks, append([]string{a.lang.code}, a.others...))
	// Entities are read with look-alike letters folded too: Telegram and
	// WhatsApp names are Latin, so "t.mе/bоats" with Cyrillic е and о is
	// t.me/boats.
	entRunes := light
	if slices.ContainsFunc(light, func(r nrune) bool { return isCyrGreek(r.r) }) {
		sc.ents = append(sc.ents[:0], light...)
		foldHomoglyphs(sc.ents)
		sc.ents = recompose(sc.ents)
		entRunes = sc.ents
	}
	a.ents = extractEntities(newLightText(text, entRunes), langRegions[a.lang.code])
	a.quotes = newQuotes(a.full, a.toks)
	a.feat = c.features(a.matches, a.ents, a.quotes, hasQuestion(a.full))
	if cap(sc.perTok) < len(a.toks) {
		sc.perTok = make([]float64, len(a.toks))
	}
	a.perTok = sc.perTok[:len(a.toks)]
	clear(a.perTok)
	a.learned, sc.hits, sc.sort = c.lm.contributionsBuf(a.toks, a.perTok, sc.hits, sc.sort)
	a.score = c.model.score(c.featW, a.feat.x, a.learned)
	half := a.feat.offer || a.feat.subject
	if c.model.LearnedGate > 0 && !a.feat.gate && half { // only then can it matter
		a.outside = learnedOutside(a.perTok, c.gateCovered(a), func(i int) string { return a.toks[i].key })
	}
	a.open = gateOpen(a.feat.gate, half, a.outside, c.model.LearnedGate)
	if !a.open {
		a.score = math.Min(a.score, gateCap)
	}
	return a
}

// gateCovered marks the tokens of a that a lexicon term covers, of the
// post's languages or any other: learned words may stand in for the missing
// half of the gate only outside every term, so that a term of a lexicon the
// post was not read in ("pohanch ke payment", Urdu for pay on arrival, in a
// post read as Persian) stays one term and not words enough to open it.
func (c *Classifier) gateCovered(a analysis) []bool {
	return coveredTokens(len(a.toks), append(slices.Clip(a.matches), c.lex.find(a.toks, c.lex.everyFile(a.lang.code))...))
}

// Classify scores one post and explains the score.
func (c *Classifier) Classify(text string) Result {
	sc := c.scratch.Get().(*scratch)
	defer c.scratch.Put(sc)
	a := c.analyseWith(text, sc)
	r := Result{
		Lang:           a.lang.code,
		LangConfidence: a.lang.conf,
		Langs:          a.others,
		Score:          round3(a.score),
		Indicators:     make([]Indicator, 0, len(a.matches)+maxLearned),
		Entities:       a.ents,
	}
	if r.Langs == nil {
		r.Langs = []string{}
	}
	if r.Entities == nil {
		r.Entities = []Entity{}
	}
	r.Label = c.Label(r.Score)
	// Each term's weight is its share of its group's contribution.
	for _, m := range a.matches {
		t := &c.lex.terms[m.term]
		feature, sum := "g:"+string(t.group), a.feat.groupSum[t.group]
		if a.quotes.reported(m, t) {
			feature, sum = "quoted", a.feat.quotedSum
		}
		// A term counts once, where it first occurs: another occurrence on
		// the other side of a quotation mark may find its sum empty.
		w := 0.0
		if sum > 0 {
			w = c.model.Weights[feature] * math.Min(sum, featureCap) * t.weight / sum
		}
		r.Indicators = append(r.Indicators, Indicator{
			Group:  t.group,
			Term:   strings.ReplaceAll(t.text, "*", ""),
			Span:   Span{int(a.full[a.toks[m.start].start].start), int(a.full[a.toks[m.end-1].end-1].end)},
			Weight: round3(w),
		})
	}
	r.Indicators = append(r.Indicators, c.learnedIndicators(a)...)
	for i := range r.Entities {
		e := &r.Entities[i]
		if a.quotes.entity(*e) {
			continue // quoted: weighs nothing
		}
		e.Weight = round3(c.model.Weights["e:"+string(e.Kind)] / float64(a.feat.entCount[e.Kind]))
	}
	r.Explanation = c.explain(r, a)
	return r
}

// Learned words are reported when they moved the log-odds by at least
// minLearned, at most maxLearned of them, the strongest first.
const (
	minLearned = 0.15
	maxLearned = 8
)

// learnedIndicators returns the words whose learned features moved the
// score most, in the order of the text.
func (c *Classifier) learnedIndicators(a analysis) []Indicator {
	var idx []int
	for i, w := range a.perTok {
		if math.Abs(w) >= minLearned {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		return cmpFloat(math.Abs(a.perTok[j]), math.Abs(a.perTok[i]))
	})
	idx = idx[:min(len(idx), maxLearned)]
	slices.Sort(idx)
	ins := make([]Indicator, 0, len(idx))
	for _, i := range idx {
		t := a.toks[i]
		sp := Span{int(a.full[t.start].start), int(a.full[t.end-1].end)}
		ins = append(ins, Indicator{Group: Learned, Term: t.key, Span: sp, Weight: round3(a.perTok[i])})
	}
	return ins
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// hasQuestion reports whether text asks something.
func hasQuestion(rs []nrune) bool {
	for _, r := range rs {
		if r.r == '?' || r.r == '؟' || r.r == '፧' {
			return true
		}
	}
	return false
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// explain writes the reasons for a result in a sentence or three.
func (c *Classifier) explain(r Result, a analysis) string {
	// Written with strconv into one buffer rather than with fmt, which took
	// a tenth of Classify's time: %.2f is AppendFloat(x, 'f', 2), %q is
	// AppendQuote.
	buf := make([]byte, 0, 256)
	buf = append(buf, r.Label...)
	buf = append(buf, ": score "...)
	buf = appendFixed2(buf, r.Score)
	buf = append(buf, " (advert ≥ "...)
	buf = appendFixed2(buf, c.th.Advert)
	buf = append(buf, ", review ≥ "...)
	buf = appendFixed2(buf, c.th.Review)
	buf = append(buf, ")."...)
	// A reason is indicator i, entity i - len(r.Indicators), or the text.
	type reason struct {
		i    int
		text string
		w    float64
	}
	rs := make([]reason, 0, len(r.Indicators)+len(r.Entities)+1)
	for i, in := range r.Indicators {
		rs = append(rs, reason{i: i, w: in.Weight})
	}
	for i, e := range r.Entities {
		rs = append(rs, reason{i: len(r.Indicators) + i, w: e.Weight})
	}
	if a.feat.gate {
		rs = append(rs, reason{-1, "offer or contact with destination, route or vehicle", c.model.Weights["gate"]})
	} else if a.open {
		// Weighed by what those words add to the log-odds (each is listed
		// among the learned indicators too).
		rs = append(rs, reason{-1, "learned words standing in for the missing offer or destination", a.outside.sum})
	}
	// The features of the post's shape weigh too: counter-indicators
	// present, a question asked, how many advert groups come together.
	for _, f := range []struct {
		i    int
		text string
	}{
		{shapeIndex("counter"), "counter-indicators present"},
		{shapeIndex("question"), "asks a question"},
		{shapeIndex("breadth"), strconv.Itoa(int(math.Round(3*a.feat.x[shapeIndex("breadth")]))) + " advert groups together"},
	} {
		if w := c.featW[f.i] * a.feat.x[f.i]; w != 0 {
			rs = append(rs, reason{-1, f.text, w})
		}
	}
	slices.SortStableFunc(rs, func(x, y reason) int {
		switch {
		case math.Abs(x.w) > math.Abs(y.w):
			return -1
		case math.Abs(x.w) < math.Abs(y.w):
			return 1
		}
		return 0
	})
	for _, up := range []bool{true, false} {
		n := 0
		for _, x := range rs {
			if (x.w >= 0) != up {
				continue
			}
			switch {
			case n > 0:
				buf = append(buf, ", "...)
			case up:
				buf = append(buf, " For: "...)
			default:
				buf = append(buf, " Against: "...)
			}
			n++
			switch {
			case x.i < 0:
				buf = append(buf, x.text...)
			case x.i < len(r.Indicators):
				in := r.Indicators[x.i]
				buf = append(buf, in.Group...)
				buf = append(buf, ' ')
				buf = strconv.AppendQuote(buf, in.Term)
			default:
				e := r.Entities[x.i-len(r.Indicators)]
				buf = append(buf, e.Kind...)
				buf = append(buf, ' ')
				buf = append(buf, e.Value...)
			}
			buf = append(buf, " ("...)
			buf = appendSigned2(buf, x.w)
			buf = append(buf, ')')
		}
		if n > 0 {
			buf = append(buf, '.')
		}
	}
	if !a.open {
		buf = append(buf, " No offer or contact together with a destination, route or vehicle, so the score is held at most "...)
		buf = appendFixed2(buf, gateCap)
		buf = append(buf, '.')
	}
	return string(buf)
}

// appendFixed2 appends f as fmt's %.2f does.
func appendFixed2(b []byte, f float64) []byte { return strconv.AppendFloat(b, f, 'f', 2, 64) }

// appendSigned2 appends f as fmt's %+.2f does: a sign always.
func appendSigned2(b []byte, f float64) []byte {
	n := len(b)
	b = appendFixed2(b, f)
	if b[n] != '-' && b[n] != '+' {
		b = append(b, 0)
		copy(b[n+1:], b[n:])
		b[n] = '+'
	}
	return b
}
