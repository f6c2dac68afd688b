package classify

import (
	"fmt"
	"os"
	"sort"
	"testing"
)

func TestAggErrors(t *testing.T) {
	dir := os.Getenv("AGGDIR")
	if dir == "" {
		t.Skip()
	}
	c, _ := New(Options{})
	exs, _ := ReadExamples(dir)
	cnt := map[string]int{}
	for _, ex := range exs {
		a := c.analyse(ex.Text)
		r := c.Label(a.score)
		if (r == Advert) == (ex.Label == Advert) {
			continue
		}
		key := ""
		if ex.Label == Advert {
			offer := a.feat.groupSum[Offer]+a.feat.groupSum[Contact] >= 1 || a.feat.entCount[Price]+a.feat.entCount[Phone]+a.feat.entCount[WhatsApp]+a.feat.entCount[Telegram]+a.feat.entCount[Handle] > 0
			subj := a.feat.groupSum[Destination]+a.feat.groupSum[Route]+a.feat.groupSum[Crossing]+a.feat.groupSum[Vehicle]+a.feat.groupSum[Documents] >= 1
			key = fmt.Sprintf("FN %s offer=%v subj=%v", ex.Kind, offer, subj)
			if a.feat.gate {
				cs := ""
				for _, g := range groups {
					if g.counter() && a.feat.groupSum[g] > 0 {
						cs += string(g) + ","
					}
				}
				key += " counters=" + cs
			}
		} else {
			cs := ""
			for _, g := range groups {
				if g.counter() && a.feat.groupSum[g] > 0 {
					cs += string(g) + ","
				}
			}
			key = fmt.Sprintf("FP %s counters=%s quoted=%v", ex.Kind, cs, a.feat.x[len(a.feat.x)-3] > 0)
		}
		cnt[key]++
	}
	var keys []string
	for k := range cnt {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Println(cnt[k], k)
	}
}
