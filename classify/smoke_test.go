package classify

import (
	"os"
	"testing"
)

func TestSmokeEval(t *testing.T) {
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("EVALDIR")
	if dir == "" {
		t.Skip()
	}
	exs, err := ReadExamples(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep := Evaluate(c, exs)
	rep.WriteText(os.Stdout)
}
