package classify

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestDebugErrors(t *testing.T) {
	dir := os.Getenv("DEBUGDIR")
	if dir == "" {
		t.Skip()
	}
	c := newTestClassifier(t)
	exs, err := ReadExamples(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range exs {
		r := c.Classify(ex.Text)
		wrong := (r.Label == Advert) != (ex.Label == Advert)
		if os.Getenv("ONLY") == "lang" {
			wrong = r.Lang != ex.Lang
		}
		if !wrong {
			continue
		}
		var ins []string
		for _, in := range r.Indicators {
			ins = append(ins, fmt.Sprintf("%s:%s", in.Group[:3], in.Term))
		}
		for _, e := range r.Entities {
			ins = append(ins, fmt.Sprintf("E%s:%s", e.Kind, e.Value))
		}
		fmt.Printf("%s %s/%s got %s %.2f lang=%s(%.2f)\n  %s\n  [%s]\n", ex.ID, ex.Label, ex.Kind, r.Label, r.Score, r.Lang, r.LangConfidence, ex.Text, strings.Join(ins, " "))
	}
}
