package index

import (
	"context"
	"testing"
	"time"
)

func TestSmoke(t *testing.T) {
	ix, err := Open(t.TempDir()+"/ix", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	docs := []Doc{
		{ID: "a", Lang: "fr", Text: "Traversées garanties vers l'Angleterre, bateaux neufs", Platform: "telegram", Seq: 1, Published: time.Now()},
		{ID: "b", Lang: "ar", Text: "نحن المهربين الأفضل إلى بريطانيا", Platform: "telegram", Seq: 2, Published: time.Now()},
		{ID: "c", Lang: "ckb", Text: "بەلەمەکان ئەمشەو دەڕۆن", Platform: "mastodon", Seq: 3, Phones: []string{"+447700900742"}, Published: time.Now()},
	}
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"traversée", "bateau", "مهرب", "بەلەم", "traversee", "bat*", "bateux~", `"bateaux neufs"`, "le bateau", "*"} {
		res, err := ix.Search(context.Background(), Request{Query: q, Highlight: true, Facets: true})
		if err != nil {
			t.Fatal(q, err)
		}
		t.Logf("%q: %d", q, res.Total)
		for _, h := range res.Hits {
			t.Logf("  %s %q %v", h.ID, h.Text, h.Highlights)
		}
	}
	res, err := ix.Search(context.Background(), Request{Phone: "07700 900742", Facets: true})
	t.Log(res.Total, err, res.Facets)
}
