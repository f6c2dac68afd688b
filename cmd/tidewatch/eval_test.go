package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const evalFile = `{"id":"1","text":"Boat from Dunkirk to UK tonight, 100% guaranteed, WhatsApp +44 7700 900123","label":"advert","lang":"en","kind":"boat"}
{"id":"2","text":"Lorry to London every week, pay on arrival, £4000, call +33 6 12 34 56 78","label":"advert","lang":"en","kind":"lorry"}
{"id":"3","text":"Police arrested two men in Calais after a dinghy was found on the beach, the Home Office said","label":"not_advert","lang":"en","kind":"news"}
{"id":"4","text":"P&O Ferries Dover to Calais, tickets from £45, book online","label":"not_advert","lang":"en","kind":"ferry"}
`

func TestRunEval(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "en.jsonl")
	if err := os.WriteFile(file, []byte(evalFile), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(t, runEval, "", file)
	if err != nil {
		t.Fatalf("runEval(%s) = %v", file, err)
	}
	for _, want := range []string{
		"posts 4, adverts 2;",
		"overall   precision 1.0000  recall 1.0000  F1 1.0000",
		"language identification: 100.0% correct",
		"boat             advert          1        1       0  recall 1.000",
		"ferry            not_advert      1        0       0  false-positive rate 0.000",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("runEval output lacks %q:\n%s", want, out)
		}
	}

	// A directory, flags after the name, JSON and a plot.
	plot := filepath.Join(dir, "pr.svg")
	out, _, err = runCmd(t, runEval, "", dir, "--json", "--plot", plot, "--data", dir)
	if err != nil {
		t.Fatalf("runEval --json --plot = %v", err)
	}
	var rep struct {
		Overall struct {
			Posts     int     `json:"posts"`
			Precision float64 `json:"precision"`
			Recall    float64 `json:"recall"`
			F1        float64 `json:"f1"`
		} `json:"overall"`
		Langs []struct {
			Lang string `json:"lang"`
		} `json:"langs"`
		Kinds []struct {
			Kind string  `json:"kind"`
			Rate float64 `json:"rate"`
		} `json:"kinds"`
		Curve []struct {
			Threshold float64 `json:"threshold"`
		} `json:"curve"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("runEval --json output: %v\n%s", err, out)
	}
	if rep.Overall.Posts != 4 || rep.Overall.F1 != 1 || len(rep.Langs) != 1 || len(rep.Kinds) != 4 || len(rep.Curve) != 20 {
		t.Errorf("runEval --json = %+v", rep)
	}
	svg, err := os.ReadFile(plot)
	if err != nil || !strings.HasPrefix(string(svg), "<svg ") {
		t.Errorf("plot %s = %.40q, %v; want an SVG", plot, svg, err)
	}
}

func TestRunEvalErrors(t *testing.T) {
	if _, _, err := runCmd(t, runEval, ""); !errors.Is(err, errUsage) {
		t.Errorf("runEval without a file: error %v, want errUsage", err)
	}
	if _, _, err := runCmd(t, runEval, "", "a.jsonl", "b.jsonl"); !errors.Is(err, errUsage) {
		t.Errorf("runEval with two files: error %v, want errUsage", err)
	}
	missing := filepath.Join(t.TempDir(), "missing.jsonl")
	if _, _, err := runCmd(t, runEval, "", missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("runEval(missing) error %v, want fs.ErrNotExist", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte("{\"id\":\"1\",\"text\":\"x\",\"label\":\"advert\"}\n{nope\n"), 0o644)
	if _, _, err := runCmd(t, runEval, "", bad); err == nil || !strings.Contains(err.Error(), "bad.jsonl:2:") {
		t.Errorf("runEval(bad) error %v, want it to name bad.jsonl:2", err)
	}
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	os.WriteFile(empty, nil, 0o644)
	if _, _, err := runCmd(t, runEval, "", empty); err == nil || !strings.HasSuffix(err.Error(), "empty.jsonl: no labelled posts") {
		t.Errorf("runEval(empty) error %v, want no labelled posts", err)
	}
}
