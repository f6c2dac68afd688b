package classify

import (
	"os"
	"testing"
)

func TestDiagCoverage(t *testing.T) {
	if os.Getenv("DIAG_COV") == "" {
		t.Skip()
	}
	c := newTestClassifier(t)
	for _, dir := range []string{trainDir, devDir} {
		exs, _ := ReadExamples(dir)
		sums := map[string]float64{}
		ns := map[string]float64{}
		for _, ex := range exs {
			a := c.analyse(ex.Text)
			k := string(ex.Label)
			ns[k]++
			adv, ctr := 0.0, 0.0
			for g, v := range a.feat.groupSum {
				if g.counter() { ctr += v } else { adv += v }
			}
			sums[k+" advgroups"] += adv
			sums[k+" countergroups"] += ctr
			sums[k+" toks"] += float64(len(a.toks))
			if a.feat.gate { sums[k+" gate"]++ }
		}
		for k, v := range sums {
			lab := k[:len(k)-len(k[len(string(Advert)):])]
			_ = lab
			for l, n := range ns {
				if len(k) > len(l) && k[:len(l)] == l && k[len(l)] == ' ' {
					t.Logf("%s %s: %.3f", dir, k, v/n)
				}
			}
		}
	}
}
