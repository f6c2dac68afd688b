package classify

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"slices"
)

// Features are named so that the weights file reads on its own: "g:offer"
// is the offer group's strength (the sum of the weights of its distinct
// terms, at most featureCap), "e:phone" is 1 when a phone number was found,
// "breadth" is the number of advert groups present, over 3, "counter" is 1
// when any counter-indicator is, "quoted" is the strength of the advert
// groups' terms that stand inside quotation marks (reported speech: reports
// and warnings quote adverts; see quotes.go), "question" is 1 when the post asks questions
// (buyers and worried families ask; sellers answer), and "gate" is 1 when
// an offer or contact comes with a destination, route, crossing, vehicle or
// documents.
const featureCap = 3.0

var entityFeatures = []EntityKind{Price, Phone, WhatsApp, Telegram, Handle, Link}

func featureNames() []string {
	var names []string
	for _, g := range groups {
		names = append(names, "g:"+string(g))
	}
	for _, k := range entityFeatures {
		names = append(names, "e:"+string(k))
	}
	return append(names, shapeNames...)
}

// shapeNames are the features of a post's shape, after the groups' and
// the entities'.
var shapeNames = []string{"breadth", "counter", "quoted", "question", "gate"}

// shapeIndex returns the index of the shape feature name in featureNames.
func shapeIndex(name string) int {
	return len(groups) + len(entityFeatures) + slices.Index(shapeNames, name)
}

// Model is the fitted logistic model: a bias, a weight per feature and a
// weight per learned word, word pair or letter n-gram (see learned.go).
type Model struct {
	Bias    float64            `json:"bias"`
	Weights map[string]float64 `json:"weights"`
	Learned map[string]float64 `json:"learned,omitempty"`
	// LearnedGate, if positive, is the learned log-odds at or above which
	// learned words stand in for the missing half of the gate: a post with
	// an offer but no lexicon destination (or the other way round) whose
	// words are, together, that typical of adverts is not held at gateCap.
	LearnedGate float64 `json:"learned_gate,omitempty"`
	// Note says how the model was made.
	Note string `json:"note,omitempty"`
}

// Thresholds split scores into labels: Advert at or above Advert, Review
// at or above Review.
type Thresholds struct {
	Review float64 `json:"review"`
	Advert float64 `json:"advert"`
	Note   string  `json:"note,omitempty"`
}

// gateCap is the highest score a post can have without an offer or contact
// together with a destination, route, crossing, vehicle or documents: no
// single word, however strong, makes an advert. Thresholds are kept above it.
const gateCap = 0.2

func readJSON(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("classify: reading %s: %w", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("classify: parsing %s: %w", name, err)
	}
	return nil
}

// features is what the scorer sees of a post.
type features struct {
	x        []float64 // in featureNames order
	gate     bool
	offer    bool               // an offer or contact (terms or entities)
	subject  bool               // a destination, route, crossing, vehicle or documents
	groupSum map[Group]float64  // of terms outside quotations
	entCount map[EntityKind]int // of entities outside quotations
	// quotedSum is the strength of the advert groups' terms inside
	// quotations.
	quotedSum float64
}

func (c *Classifier) features(ms []match, ents []Entity, q quotes, question bool) features {
	f := features{x: make([]float64, len(c.names)), groupSum: map[Group]float64{}, entCount: map[EntityKind]int{}}
	// Each term counts once. Most posts have a few matches, for which a
	// scan beats a map; long ones get the map.
	var seen map[int32]bool
	if len(ms) > 32 {
		seen = map[int32]bool{}
	}
	for i, m := range ms {
		if seen != nil {
			if seen[m.term] {
				continue
			}
			seen[m.term] = true
		} else if slices.ContainsFunc(ms[:i], func(p match) bool { return p.term == m.term }) {
			continue
		}
		t := &c.lex.terms[m.term]
		if q.reported(m, t) {
			f.quotedSum += t.weight
			continue
		}
		f.groupSum[t.group] += t.weight
	}
	for i, g := range groups {
		f.x[i] = math.Min(f.groupSum[g], featureCap)
	}
	for _, e := range ents {
		if !q.entity(e) { // a quoted number is the one a warning names
			f.entCount[e.Kind]++
		}
	}
	for i, k := range entityFeatures {
		if f.entCount[k] > 0 {
			f.x[len(groups)+i] = 1
		}
	}
	// Half-weight terms ("engine", "coast") need company to count.
	offer := f.groupSum[Offer]+f.groupSum[Contact] >= 1
	for _, k := range []EntityKind{Price, Phone, WhatsApp, Telegram, Handle} {
		offer = offer || f.entCount[k] > 0
	}
	subject := f.groupSum[Destination]+f.groupSum[Route]+f.groupSum[Crossing]+f.groupSum[Vehicle]+f.groupSum[Documents] >= 1
	f.gate = offer && subject
	f.offer, f.subject = offer, subject
	breadth, counter := 0.0, 0.0
	for _, g := range groups {
		switch {
		case g.counter() && f.groupSum[g] > 0:
			counter = 1
		case f.groupSum[g] > 0:
			breadth++
		}
	}
	f.x[shapeIndex("breadth")] = breadth / 3
	f.x[shapeIndex("counter")] = counter
	f.x[shapeIndex("quoted")] = math.Min(f.quotedSum, featureCap)
	if question {
		f.x[shapeIndex("question")] = 1
	}
	if f.gate {
		f.x[shapeIndex("gate")] = 1
	}
	return f
}

// gateOpen reports whether a post passes the gate: gate, an offer or
// contact with a destination, route, crossing, vehicle or documents; or
// half, one of the two, and from at least two different words outside the
// lexicon terms (o) learned evidence of at least learnedGate (if
// positive). Either way two different words are needed: no single word
// opens the gate. Classify and the calibration both decide by it.
func gateOpen(gate, half bool, o outside, learnedGate float64) bool {
	return gate || (learnedGate > 0 && half && o.sum >= learnedGate && o.words >= 2)
}

// outside is the learned evidence of the tokens that no lexicon match
// covers: their log-odds, and the number of different words among them
// that add at least minLearned.
type outside struct {
	sum   float64
	words int
}

// learnedOutside returns the learned evidence of the tokens not covered,
// given each token's learned log-odds and key.
func learnedOutside(perTok []float64, covered []bool, key func(i int) string) outside {
	var o outside
	var seen []string
	for i, w := range perTok {
		if covered[i] {
			continue
		}
		o.sum += w
		if k := key(i); w >= minLearned && !slices.Contains(seen, k) {
			seen = append(seen, k)
		}
	}
	o.words = len(seen)
	return o
}

// coveredTokens marks the tokens of n that the matches ms cover.
func coveredTokens(n int, ms []match) []bool {
	covered := make([]bool, n)
	for _, m := range ms {
		for i := m.start; i < m.end && i < n; i++ {
			covered[i] = true
		}
	}
	return covered
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// featureWeights returns the weights of the features names, in order (0
// for those the model lacks), so that scoring needs no map look-ups.
func (m *Model) featureWeights(names []string) []float64 {
	w := make([]float64, len(names))
	for i, n := range names {
		w[i] = m.Weights[n]
	}
	return w
}

// score returns the probability that the post is an advert, given the
// feature weights (featureWeights) and the learned part of the log-odds.
func (m *Model) score(w []float64, x []float64, learned float64) float64 {
	z := m.Bias + learned
	for i := range w {
		z += w[i] * x[i]
	}
	return sigmoid(z)
}

// fitLogistic fits an L2-regularised logistic regression by Newton's
// method. It is deterministic: no random start, no shuffling.
func fitLogistic(xs [][]float64, ys []float64, lambda float64) (bias float64, w []float64) {
	d := len(xs[0]) + 1
	beta := make([]float64, d)
	for iter := 0; iter < 50; iter++ {
		grad := make([]float64, d)
		hess := make([][]float64, d)
		for i := range hess {
			hess[i] = make([]float64, d)
		}
		for n, x := range xs {
			row := append([]float64{1}, x...)
			z := 0.0
			for i, v := range row {
				z += beta[i] * v
			}
			p := sigmoid(z)
			for i, vi := range row {
				grad[i] += (p - ys[n]) * vi
				for j, vj := range row {
					hess[i][j] += p * (1 - p) * vi * vj
				}
			}
		}
		for i := 1; i < d; i++ { // the bias is not penalised
			grad[i] += lambda * beta[i]
			hess[i][i] += lambda
		}
		hess[0][0] += 1e-6
		step := solve(hess, grad)
		maxStep := 0.0
		for i := range beta {
			beta[i] -= step[i]
			maxStep = math.Max(maxStep, math.Abs(step[i]))
		}
		if maxStep < 1e-9 {
			break
		}
	}
	return beta[0], beta[1:]
}

// solve solves a x = b by Gaussian elimination with partial pivoting.
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	m := make([][]float64, n)
	for i := range a {
		m[i] = append(slices.Clone(a[i]), b[i])
	}
	for col := 0; col < n; col++ {
		p := col
		for r := col + 1; r < n; r++ {
			if math.Abs(m[r][col]) > math.Abs(m[p][col]) {
				p = r
			}
		}
		m[col], m[p] = m[p], m[col]
		if math.Abs(m[col][col]) < 1e-12 {
			continue
		}
		for r := 0; r < n; r++ {
			if r == col {
				continue
			}
			f := m[r][col] / m[col][col]
			for k := col; k <= n; k++ {
				m[r][k] -= f * m[col][k]
			}
		}
	}
	x := make([]float64, n)
	for i := range x {
		if math.Abs(m[i][i]) >= 1e-12 {
			x[i] = m[i][n] / m[i][i]
		}
	}
	return x
}
