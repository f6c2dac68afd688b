// Package layering holds the test that keeps the package graph of DESIGN.md:
// stages import each other only through pipeline, and only index imports bleve.
package layering

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// forbidden lists, per package of ours, the import path prefixes it may not use.
var forbidden = map[string][]string{
	"tidewatch/classify": {"tidewatch/"},
	"tidewatch/index":    {"tidewatch/"},
	"tidewatch/store":    {"tidewatch/"},
	"tidewatch/evidence": {"tidewatch/"},
	"tidewatch/seeds":    {"tidewatch/"},
	"tidewatch/demosite": {"tidewatch/"},
	"tidewatch/synth":    {"tidewatch/"},
	"tidewatch/crawler":  {"tidewatch/classify", "tidewatch/store", "tidewatch/index", "tidewatch/web", "tidewatch/pipeline"},
}

func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "tidewatch/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		seen++
		for _, imp := range p.Imports {
			for _, bad := range forbidden[p.ImportPath] {
				if strings.HasPrefix(imp, bad) {
					t.Errorf("%s imports %s: DESIGN.md forbids %s* there", p.ImportPath, imp, bad)
				}
			}
			if strings.HasPrefix(imp, "github.com/blevesearch/") && p.ImportPath != "tidewatch/index" && !strings.HasPrefix(p.ImportPath, "tidewatch/index/") {
				t.Errorf("%s imports %s: only index imports bleve", p.ImportPath, imp)
			}
		}
	}
	if seen < 5 {
		t.Fatalf("go list found %d packages; want the whole module", seen)
	}
}
