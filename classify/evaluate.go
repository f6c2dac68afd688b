package classify

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Example is one labelled post.
type Example struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Label Label  `json:"label"`          // Advert or NotAdvert
	Lang  string `json:"lang,omitempty"` // the language it is written in
	Kind  string `json:"kind,omitempty"` // boat, lorry, … news, ferry, …
}

// ReadExamples reads labelled JSON lines from a file, or from every *.jsonl
// file in a directory, in name order.
func ReadExamples(path string) ([]Example, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading examples: %w", err)
	}
	files := []string{path}
	if st.IsDir() {
		files, err = filepath.Glob(filepath.Join(path, "*.jsonl"))
		if err != nil {
			return nil, fmt.Errorf("reading examples %s: %w", path, err)
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("reading examples %s: no *.jsonl files", path)
		}
	}
	var all []Example
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("reading examples: %w", err)
		}
		exs, err := DecodeExamples(f, name)
		f.Close()
		if err != nil {
			return nil, err
		}
		all = append(all, exs...)
	}
	return all, nil
}

// DecodeExamples reads labelled JSON lines from r; name is used in errors.
// Blank lines are skipped; any other line that is not a labelled example is
// an error naming the line.
func DecodeExamples(r io.Reader, name string) ([]Example, error) {
	var exs []Example
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var ex Example
		if err := json.Unmarshal([]byte(line), &ex); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		if ex.Label != Advert && ex.Label != NotAdvert {
			return nil, fmt.Errorf("%s:%d: label %q: want %q or %q", name, n, ex.Label, Advert, NotAdvert)
		}
		exs = append(exs, ex)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return exs, nil
}

// Metrics are detection figures, with the Advert label as the positive
// class: a post in the review band counts as not flagged.
type Metrics struct {
	Posts     int     `json:"posts"`
	Adverts   int     `json:"adverts"`
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// Adverts and other posts that landed in the review band.
	ReviewAdverts int `json:"review_adverts"`
	ReviewOthers  int `json:"review_others"`
}

func (m *Metrics) add(gold Label, got Label) {
	m.Posts++
	pos := gold == Advert
	if pos {
		m.Adverts++
	}
	switch {
	case got == Advert && pos:
		m.TP++
	case got == Advert:
		m.FP++
	case pos:
		m.FN++
	}
	if got == Review {
		if pos {
			m.ReviewAdverts++
		} else {
			m.ReviewOthers++
		}
	}
}

func (m *Metrics) finish() {
	m.Precision = ratio(m.TP, m.TP+m.FP)
	m.Recall = ratio(m.TP, m.TP+m.FN)
	if m.Precision+m.Recall > 0 {
		m.F1 = round4(2 * m.Precision * m.Recall / (m.Precision + m.Recall))
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return round4(float64(a) / float64(b))
}

func round4(f float64) float64 { return math.Round(f*10000) / 10000 }

// LangMetrics are the figures for the posts of one language.
type LangMetrics struct {
	Lang string `json:"lang"`
	Metrics
	// LangID is the share of the language's posts identified as it.
	LangID float64 `json:"lang_id"`
	// Detected counts what the language's posts were identified as.
	Detected map[string]int `json:"detected"`
}

// KindMetrics are the figures for one kind of post: recall for a kind of
// advert, false-positive rate for a kind of other post.
type KindMetrics struct {
	Kind    string  `json:"kind"`
	Label   Label   `json:"label"`
	Posts   int     `json:"posts"`
	Flagged int     `json:"flagged"` // labelled Advert
	Review  int     `json:"review"`
	Rate    float64 `json:"rate"` // Flagged/Posts: recall or false-positive rate
}

// CurvePoint is precision and recall when Advert starts at Threshold.
type CurvePoint struct {
	Threshold float64 `json:"threshold"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Report is the evaluation of a classifier on labelled posts.
type Report struct {
	Thresholds Thresholds    `json:"thresholds"`
	Overall    Metrics       `json:"overall"`
	Langs      []LangMetrics `json:"langs"`
	Kinds      []KindMetrics `json:"kinds"`
	// LangIDAccuracy is the share of posts with a gold language that were
	// identified as it.
	LangIDAccuracy float64      `json:"lang_id_accuracy"`
	Curve          []CurvePoint `json:"curve"`
	// Recall on obfuscated copies of the adverts, and the points lost.
	ObfuscatedRecall float64 `json:"obfuscated_recall"`
	ObfuscationDrop  float64 `json:"obfuscation_drop_points"`
}

// Evaluate classifies every example, and an obfuscated copy of every
// advert, and reports how the classifier did.
func Evaluate(c *Classifier, exs []Example) Report {
	rep := Report{Thresholds: c.th}
	langs := map[string]*LangMetrics{}
	kinds := map[string]*KindMetrics{}
	scores := make([]float64, len(exs))
	var obf Metrics
	langTotal, langRight := 0, 0
	for i, ex := range exs {
		r := c.Classify(ex.Text)
		scores[i] = r.Score
		rep.Overall.add(ex.Label, r.Label)
		if ex.Lang != "" {
			lm := langs[ex.Lang]
			if lm == nil {
				lm = &LangMetrics{Lang: ex.Lang, Detected: map[string]int{}}
				langs[ex.Lang] = lm
			}
			lm.add(ex.Label, r.Label)
			lm.Detected[r.Lang]++
			langTotal++
			if r.Lang == ex.Lang {
				langRight++
			}
		}
		if ex.Kind != "" {
			km := kinds[ex.Kind]
			if km == nil {
				km = &KindMetrics{Kind: ex.Kind, Label: ex.Label}
				kinds[ex.Kind] = km
			}
			km.Posts++
			switch r.Label {
			case Advert:
				km.Flagged++
			case Review:
				km.Review++
			}
		}
		if ex.Label == Advert {
			obf.add(Advert, c.Classify(Obfuscate(ex.Text, ex.ID)).Label)
		}
	}
	rep.Overall.finish()
	obf.finish()
	rep.ObfuscatedRecall = obf.Recall
	rep.ObfuscationDrop = round4(100 * (rep.Overall.Recall - obf.Recall))
	rep.LangIDAccuracy = ratio(langRight, langTotal)
	for _, lm := range langs {
		lm.finish()
		lm.LangID = ratio(lm.Detected[lm.Lang], lm.Posts)
		rep.Langs = append(rep.Langs, *lm)
	}
	sort.Slice(rep.Langs, func(i, j int) bool { return rep.Langs[i].Lang < rep.Langs[j].Lang })
	for _, km := range kinds {
		km.Rate = ratio(km.Flagged, km.Posts)
		rep.Kinds = append(rep.Kinds, *km)
	}
	sort.Slice(rep.Kinds, func(i, j int) bool {
		if rep.Kinds[i].Label != rep.Kinds[j].Label {
			return rep.Kinds[i].Label == Advert
		}
		return rep.Kinds[i].Kind < rep.Kinds[j].Kind
	})
	rep.Curve = curve(exs, scores)
	return rep
}

// curve computes precision and recall at thresholds 0.05, 0.10, … 1.00.
func curve(exs []Example, scores []float64) []CurvePoint {
	var pts []CurvePoint
	for k := 1; k <= 20; k++ {
		t := float64(k) / 20
		pts = append(pts, pointAt(exs, scores, t))
	}
	return pts
}

func pointAt(exs []Example, scores []float64, t float64) CurvePoint {
	var m Metrics
	for i, ex := range exs {
		got := NotAdvert
		if scores[i] >= t {
			got = Advert
		}
		m.add(ex.Label, got)
	}
	m.finish()
	return CurvePoint{Threshold: t, Precision: m.Precision, Recall: m.Recall, F1: m.F1}
}

// minAdvert is the lowest advert threshold: the model's probabilities are
// calibrated on train, and a post is flagged only when an advert is more
// likely than not; below, the review band catches the rest.
const minAdvert = 0.5

// chooseThresholds picks thresholds from dev scores: Advert is the
// threshold of at least minAdvert with the best F1 among those with
// precision at least minPrecision (the best F1 if none reaches it); Review is the
// highest threshold below it that catches at least reviewRecall of the
// adverts, so the band holds what the advert label misses.
// minAdvertRecall is the recall below which an advert threshold does not
// count as meeting the precision bar in chooseThresholds.
const minAdvertRecall = 0.8

func chooseThresholds(exs []Example, scores []float64, minPrecision, reviewRecall float64) Thresholds {
	var grid []float64
	for t := gateCap + 0.01; t <= 0.99+1e-9; t += 0.01 {
		grid = append(grid, math.Round(t*100)/100)
	}
	best, bestF, found := 0.5, -1.0, false
	for _, t := range grid {
		if t < minAdvert {
			continue
		}
		p := pointAt(exs, scores, t)
		// A threshold that reaches the precision bar only by giving up
		// most adverts is no choice: a miss leaves an advert up.
		ok := p.Precision >= minPrecision && p.Recall >= minAdvertRecall
		if (ok && !found) || (ok == found && p.F1 > bestF) {
			best, bestF, found = t, p.F1, found || ok
		}
	}
	review := grid[0]
	for _, t := range grid {
		if t > best {
			break
		}
		if pointAt(exs, scores, t).Recall >= reviewRecall {
			review = t
		}
	}
	return Thresholds{Review: review, Advert: best}
}

// Obfuscate returns a copy of text disguised the way sellers disguise
// adverts: Cyrillic look-alikes in Latin words, letters spaced out, a
// digit for a letter, digits in other scripts, emoji between words and
// digits, and zero-width characters inside words. The same seed gives the
// same copy.
func Obfuscate(text, seed string) string {
	h := fnv.New64a()
	h.Write([]byte(seed))
	rng := rand.New(rand.NewPCG(h.Sum64(), 0x7469646577617463))
	homo := map[rune]rune{'a': 'а', 'e': 'е', 'o': 'о', 'p': 'р', 'c': 'с', 'x': 'х', 'y': 'у', 'A': 'А', 'E': 'Е', 'O': 'О', 'P': 'Р', 'C': 'С', 'B': 'В', 'H': 'Н', 'K': 'К', 'M': 'М', 'T': 'Т'}
	arabic := strings.ContainsFunc(text, func(r rune) bool { return scriptOf(r) == scriptArabic })
	emoji := []string{"🔥", "✨", "👉", "💥", "⭐"}
	zw := []rune{'\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'}
	var b strings.Builder
	spaced := 0
	words := strings.SplitAfter(text, " ")
	for _, w := range words {
		core := strings.TrimRight(w, " ")
		latin := core != "" && !strings.ContainsFunc(core, func(r rune) bool { return r >= 0x80 || !unicode.IsLetter(r) })
		n := utf8.RuneCountInString(core)
		switch {
		case latin && n >= 3 && n <= 10 && spaced < 2 && rng.IntN(4) == 0:
			// Letter spacing: "W h a t s A p p".
			spaced++
			rs := []rune(core)
			for i, r := range rs {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteRune(r)
			}
			b.WriteString(w[len(core):])
			continue
		case latin && strings.ContainsRune(core, 'o') && rng.IntN(3) == 0:
			core = strings.Replace(core, "o", "0", 1) // leetspeak: "b0at"
		}
		var out strings.Builder
		prevLetter := false
		for _, r := range core {
			switch {
			case r < 0x80 && unicode.IsLetter(r) && homo[r] != 0 && rng.IntN(3) == 0:
				out.WriteRune(homo[r])
			case '0' <= r && r <= '9':
				switch {
				case arabic:
					out.WriteRune('٠' + (r - '0'))
				case rng.IntN(2) == 0:
					out.WriteRune('０' + (r - '0'))
				default:
					out.WriteRune(r)
				}
			default:
				out.WriteRune(r)
			}
			if prevLetter && unicode.IsLetter(r) && rng.IntN(8) == 0 {
				out.WriteRune(zw[rng.IntN(len(zw))])
			}
			prevLetter = unicode.IsLetter(r)
		}
		b.WriteString(out.String())
		b.WriteString(w[len(core):])
		if strings.HasSuffix(w, " ") && rng.IntN(6) == 0 {
			b.WriteString(emoji[rng.IntN(len(emoji))] + " ")
		}
	}
	return b.String()
}

// WriteText writes the report as plain-text tables.
func (rep Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	o := rep.Overall
	ew.printf("posts %d, adverts %d; thresholds: advert ≥ %.2f, review ≥ %.2f\n\n", o.Posts, o.Adverts, rep.Thresholds.Advert, rep.Thresholds.Review)
	// Four decimals overall, so that a figure just under a target (0.9496)
	// does not print as reaching it (0.950).
	ew.printf("overall   precision %.4f  recall %.4f  F1 %.4f  (TP %d, FP %d, FN %d; in review: %d adverts, %d others)\n",
		o.Precision, o.Recall, o.F1, o.TP, o.FP, o.FN, o.ReviewAdverts, o.ReviewOthers)
	if rep.ObfuscationDrop > 0 {
		ew.printf("obfuscated adverts: recall %.3f (%.1f points lost)\n", rep.ObfuscatedRecall, rep.ObfuscationDrop)
	} else {
		ew.printf("obfuscated adverts: recall %.3f (none lost)\n", rep.ObfuscatedRecall)
	}
	ew.printf("language identification: %.1f%% correct\n\n", 100*rep.LangIDAccuracy)
	ew.printf("%-6s %6s %8s %9s %7s %6s %8s  %s\n", "lang", "posts", "adverts", "precision", "recall", "F1", "lang-id", "identified as")
	for _, l := range rep.Langs {
		ew.printf("%-6s %6d %8d %9.3f %7.3f %6.3f %7.1f%%  %s\n", l.Lang, l.Posts, l.Adverts, l.Precision, l.Recall, l.F1, 100*l.LangID, confusion(l.Detected, l.Lang))
	}
	ew.printf("\n%-16s %-10s %6s %8s %7s  %s\n", "kind", "label", "posts", "flagged", "review", "rate")
	for _, k := range rep.Kinds {
		name := "recall"
		if k.Label != Advert {
			name = "false-positive rate"
		}
		ew.printf("%-16s %-10s %6d %8d %7d  %s %.3f\n", k.Kind, k.Label, k.Posts, k.Flagged, k.Review, name, k.Rate)
	}
	ew.printf("\n%9s %9s %7s %6s\n", "threshold", "precision", "recall", "F1")
	for _, p := range rep.Curve {
		ew.printf("%9.2f %9.3f %7.3f %6.3f\n", p.Threshold, p.Precision, p.Recall, p.F1)
	}
	return ew.err
}

// confusion lists the languages other than gold that posts were identified as.
func confusion(detected map[string]int, gold string) string {
	var parts []string
	for l, n := range detected {
		if l != gold {
			parts = append(parts, fmt.Sprintf("%s %d", l, n))
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// WriteSVG draws the precision/recall curve, with the thresholds in use
// marked, as an SVG image.
func (rep Report) WriteSVG(w io.Writer) error {
	const W, H, pad = 480.0, 360.0, 48.0
	x := func(recall float64) float64 { return pad + recall*(W-2*pad) }
	y := func(precision float64) float64 { return H - pad - precision*(H-2*pad) }
	ew := &errWriter{w: w}
	ew.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif" font-size="12">`+"\n", W, H, W, H)
	ew.printf(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	ew.printf(`<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="black"/>`+"\n", pad, H-pad, W-pad, H-pad)
	ew.printf(`<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="black"/>`+"\n", pad, pad, pad, H-pad)
	for k := 0; k <= 4; k++ {
		v := float64(k) / 4
		ew.printf(`<text x="%.1f" y="%.1f" text-anchor="middle">%.2f</text>`+"\n", x(v), H-pad+16, v)
		ew.printf(`<text x="%.1f" y="%.1f" text-anchor="end">%.2f</text>`+"\n", pad-6, y(v)+4, v)
	}
	ew.printf(`<text x="%g" y="%g" text-anchor="middle">recall</text>`+"\n", W/2, H-10)
	ew.printf(`<text x="14" y="%g" text-anchor="middle" transform="rotate(-90 14 %g)">precision</text>`+"\n", H/2, H/2)
	ew.printf(`<text x="%g" y="24" text-anchor="middle">precision/recall by advert threshold</text>`+"\n", W/2)
	var pts []string
	for _, p := range rep.Curve {
		if p.Precision == 0 && p.Recall == 0 {
			continue
		}
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(p.Recall), y(p.Precision)))
	}
	ew.printf(`<polyline fill="none" stroke="steelblue" stroke-width="2" points="%s"/>`+"\n", strings.Join(pts, " "))
	for _, p := range rep.Curve {
		if p.Precision == 0 && p.Recall == 0 {
			continue
		}
		ew.printf(`<circle cx="%.1f" cy="%.1f" r="2.5" fill="steelblue"><title>threshold %.2f: precision %.3f, recall %.3f</title></circle>`+"\n", x(p.Recall), y(p.Precision), p.Threshold, p.Precision, p.Recall)
	}
	o := rep.Overall
	ew.printf(`<circle cx="%.1f" cy="%.1f" r="5" fill="none" stroke="crimson" stroke-width="2"/>`+"\n", x(o.Recall), y(o.Precision))
	ew.printf(`<text x="%.1f" y="%.1f" fill="crimson" text-anchor="end">advert ≥ %.2f</text>`+"\n", x(o.Recall)-8, y(o.Precision)+16, rep.Thresholds.Advert)
	ew.printf("</svg>\n")
	return ew.err
}
