package classify

import (
	"io/fs"
	"math/rand"
	"slices"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestNFCStable checks the table behind recompose's fast path: text made
// of its runes is NFC, and runes that combine are not in it.
func TestNFCStable(t *testing.T) {
	in := func(r rune) bool { return nfcStable[r>>6]&(1<<(r&63)) != 0 }
	for _, r := range []rune{0x0300, 0x0308, 0x0653, 0x0654, 0x09BE, 0x1161, 0x11A8, 0x0340} {
		if in(r) {
			t.Errorf("nfcStable has %U, which combines", r)
		}
	}
	var stable []rune
	for r := rune(0); r < 1<<16; r++ {
		if in(r) {
			stable = append(stable, r)
		}
	}
	rnd := rand.New(rand.NewSource(1))
	for range 20000 {
		var b []byte
		for range 1 + rnd.Intn(6) {
			b = utf8.AppendRune(b, stable[rnd.Intn(len(stable))])
		}
		if !norm.NFC.IsNormal(b) {
			t.Fatalf("%+q is made of nfcStable runes but is not NFC", b)
		}
	}
}

// TestWordRunes checks the table behind isWordRune.
func TestWordRunes(t *testing.T) {
	for r := rune(0); r < 0x20000; r++ {
		if got, want := isWordRune(r), isWordRuneSlow(r); got != want {
			t.Fatalf("isWordRune(%U) = %v, want %v", r, got, want)
		}
	}
}

// TestLearnedTable checks that the compiled table finds every weight of
// the model and nothing else.
func TestLearnedTable(t *testing.T) {
	sub, err := fs.Sub(embedded, "lexicons")
	if err != nil {
		t.Fatal(err)
	}
	var mod Model
	if err := readJSON(sub, "model.json", &mod); err != nil {
		t.Fatal(err)
	}
	m := mod.Learned
	if len(m) == 0 {
		t.Fatal("model.json has no learned weights")
	}
	lm := compileLearned(m)
	for name, w := range m {
		if got, ok := lm.weight(featureHash(name)); !ok || got != w {
			t.Fatalf("weight(%q) = %v, %v; want %v, true", name, got, ok, w)
		}
	}
	for _, name := range []string{"w:zzzzqx", "c:^qqq", "b:zz qq"} {
		if _, ok := m[name]; ok {
			continue
		}
		if got, ok := lm.weight(featureHash(name)); ok {
			t.Errorf("weight(%q) = %v, true; want not found", name, got)
		}
	}
	if _, ok := (&learnedModel{}).weight(featureHash("w:boat")); ok {
		t.Error("empty learnedModel has a weight")
	}
}

// TestRadixSort checks radixSort against slices.Sort.
func TestRadixSort(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	for _, n := range []int{0, 1, 63, 64, 65, 300, 1000} {
		fs := make([]learnedFeat, n)
		for i := range fs {
			fs[i] = newLearnedFeat(rnd.Uint64(), rnd.Intn(n/3+1))
			if i > 0 && rnd.Intn(4) == 0 {
				fs[i] = fs[rnd.Intn(i)] // duplicates
			}
		}
		want := slices.Clone(fs)
		slices.Sort(want)
		if got, _ := radixSort(slices.Clone(fs), nil); !slices.Equal(got, want) {
			t.Errorf("radixSort of %d features differs from slices.Sort", n)
		}
	}
}
