package classify

import (
	"strings"
	"testing"
	"time"
)

// TestPathological classifies long repetitive posts of the kinds that make
// naive matchers quadratic; each must finish in well under a second (the
// bound is loose for slow -race runs).
func TestPathological(t *testing.T) {
	if testing.Short() {
		t.Skip("slow inputs")
	}
	c := newTestClassifier(t)
	for _, s := range []string{
		strings.Repeat("1 ", 30000), strings.Repeat("a ", 30000), strings.Repeat("@", 60000),
		strings.Repeat("0.", 30000), strings.Repeat("+1", 30000), strings.Repeat("ab3", 20000),
		strings.Repeat("£1 ", 20000), strings.Repeat("t.me/", 12000), strings.Repeat("\u0308", 30000),
		strings.Repeat("w h ", 15000), strings.Repeat("🇬", 15000), strings.Repeat("ا ", 30000),
		strings.Repeat("1a", 30000), strings.Repeat("https://x.com/", 4000), strings.Repeat("9", 60000),
	} {
		t0 := time.Now()
		c.Classify(s)
		if d := time.Since(t0); d > 5*time.Second {
			t.Errorf("Classify(%q...) took %v", s[:10], d)
		}
	}
}
