package classify

import (
	"os"
	"testing"
)

func TestDiagAggregate(t *testing.T) {
	dir := os.Getenv("DIAG_DIR")
	if dir == "" {
		t.Skip()
	}
	exs, _ := ReadExamples(dir)
	c := newTestClassifier(t)
	type key struct{ label Label; kind, reason string }
	cnt := map[key]int{}
	for _, ex := range exs {
		a := c.analyse(ex.Text)
		got := c.Label(round3(a.score))
		if (got == Advert) == (ex.Label == Advert) {
			continue
		}
		reason := "gate"
		if !a.feat.gate {
			reason = "nogate"
		}
		if a.feat.x[len(a.feat.x)-4] > 0 {
			reason += "+counter"
		}
		if a.learned > 0.5 { reason += "+learned>0.5" } else if a.learned < -0.5 { reason += "+learned<-0.5" }
		cnt[key{ex.Label, ex.Kind, reason}]++
	}
	for k, n := range cnt {
		t.Logf("%v %s %s: %d", k.label, k.kind, k.reason, n)
	}
}
