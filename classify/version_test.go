package classify

import (
	"regexp"
	"testing"
	"testing/fstest"
)

func TestVersion(t *testing.T) {
	base, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^` + scorerRevision + `-[0-9a-f]{16}$`).MatchString(base.Version()) {
		t.Fatalf("Version() = %q, want %s-<16 hex digits>", base.Version(), scorerRevision)
	}
	again, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Version() != base.Version() {
		t.Errorf("two classifiers of the same data: versions %q and %q", base.Version(), again.Version())
	}

	th := base.Thresholds()
	th.Advert += 0.01
	moved, err := New(Options{Thresholds: &th})
	if err != nil {
		t.Fatal(err)
	}
	if moved.Version() == base.Version() {
		t.Errorf("other thresholds kept version %q", base.Version())
	}

	m := base.model
	m.Bias += 0.5
	refit, err := New(Options{Model: &m})
	if err != nil {
		t.Fatal(err)
	}
	if refit.Version() == base.Version() {
		t.Errorf("another model kept version %q", base.Version())
	}

	// A lexicon edit changes the version.
	files := fstest.MapFS{}
	for _, name := range []string{"en.txt", "model.json", "thresholds.json"} {
		b, err := embedded.ReadFile("lexicons/" + name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: b}
	}
	small, err := New(Options{Lexicons: files})
	if err != nil {
		t.Fatal(err)
	}
	files["en.txt"] = &fstest.MapFile{Data: append(append([]byte{}, files["en.txt"].Data...), "\n[offer]\nsupercheap\n"...)}
	edited, err := New(Options{Lexicons: files})
	if err != nil {
		t.Fatal(err)
	}
	if small.Version() == edited.Version() || small.Version() == base.Version() {
		t.Errorf("lexicon edits kept the version: %q, %q, %q", base.Version(), small.Version(), edited.Version())
	}
}
