package classify

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "refit lexicons/model.json on the train file and choose lexicons/thresholds.json on the dev file")

// The labelled corpus: train fits the model, dev chooses the thresholds.
const (
	trainDir = "../testdata/corpus/train"
	devDir   = "../testdata/corpus/dev"
)

// Calibration settings. lambda is the L2 penalty of the logistic fit;
// minPrecision is the precision the advert threshold must reach on dev,
// reviewRecall the share of dev adverts the review band must reach down to.
const (
	lambda       = 1.0
	minPrecision = 0.98
	reviewRecall = 0.99
)

// TestCalibrate refits the model and the thresholds with -update:
//
//	go test ./classify -run '^TestCalibrate$' -update
func TestCalibrate(t *testing.T) {
	if !*update {
		t.Skip("run with -update to refit lexicons/model.json and lexicons/thresholds.json")
	}
	train, err := ReadExamples(trainDir)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := ReadExamples(devDir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	xs := make([][]float64, len(train))
	ys := make([]float64, len(train))
	for i, ex := range train {
		xs[i] = c.analyse(ex.Text).feat.x
		if ex.Label == Advert {
			ys[i] = 1
		}
	}
	bias, w := fitLogistic(xs, ys, lambda)
	m := Model{Bias: round4(bias), Weights: map[string]float64{}}
	for i, n := range c.names {
		m.Weights[n] = round4(w[i])
	}
	m.Note = fmt.Sprintf("logistic regression, L2 %g, fitted on %d posts of %s by TestCalibrate -update", lambda, len(train), trainDir)
	writeJSON(t, "lexicons/model.json", m)

	c.model = m
	scores := make([]float64, len(dev))
	for i, ex := range dev {
		scores[i] = c.Classify(ex.Text).Score
	}
	th := chooseThresholds(dev, scores, minPrecision, reviewRecall)
	th.Note = fmt.Sprintf("chosen on %d posts of %s by TestCalibrate -update: advert is the threshold ≥ %g with the best F1 among those with precision ≥ %g (the best F1 if none), review reaches recall %g", len(dev), devDir, minAdvert, minPrecision, reviewRecall)
	writeJSON(t, "lexicons/thresholds.json", th)
	t.Logf("model %+v", m)
	t.Logf("thresholds %+v", th)
}

func writeJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.FromSlash(name), append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}
