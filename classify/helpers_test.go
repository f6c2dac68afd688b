package classify

import (
	"sync"
	"testing"
)

// sharedClassifier is built once for all tests: New preloads the language
// models, which takes a moment.
var sharedClassifier = sync.OnceValues(func() (*Classifier, error) { return New(Options{}) })

func newTestClassifier(t testing.TB) *Classifier {
	t.Helper()
	c, err := sharedClassifier()
	if err != nil {
		t.Fatalf("New(Options{}) = %v", err)
	}
	return c
}
