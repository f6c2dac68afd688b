package index_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"tidewatch/index"
)

func TestTiming(t *testing.T) {
	dir := filepath.Join("/tmp/ix100k")
	if _, err := index.Open(dir, index.Options{ReadOnly: true}); err != nil {
		build(t, dir, 100000)
	}
	ix, err := index.Open(dir, index.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, r := range []index.Request{
		{Query: "*"}, {Query: "*", Facets: true}, {Query: "*", Sort: "relevance"}, {Query: "*", Sort: "relevance", Facets: true},
		{Query: "boat"}, {Query: "boat", Facets: true}, {Query: "boat", Highlight: true}, {Query: "boat", Sort: "date"},
		{Query: "قارب"}, {Query: "قارب", Facets: true},
	} {
		ix.Search(context.Background(), r)
		start := time.Now()
		var res *index.Result
		for range 5 {
			res, _ = ix.Search(context.Background(), r)
		}
		t.Logf("%+v: total %d, %v", r, res.Total, time.Since(start)/5)
	}
}
