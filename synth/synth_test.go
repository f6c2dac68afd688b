package synth

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nyaruka/phonenumbers"
)

func TestDeterministic(t *testing.T) {
	a, b := New(Options{Seed: 7}), New(Options{Seed: 7})
	c := New(Options{Seed: 8})
	differ := false
	for i := range 500 {
		pa, pb, pc := a.Next(), b.Next(), c.Next()
		if !reflect.DeepEqual(pa, pb) {
			t.Fatalf("post %d differs with the same seed:\n%+v\n%+v", i, pa, pb)
		}
		if pa.Text != pc.Text {
			differ = true
		}
	}
	if !differ {
		t.Error("seeds 7 and 8 gave the same 500 texts")
	}
}

func TestPosts(t *testing.T) {
	g := New(Options{Seed: 1})
	end := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	langs := map[string]int{}
	labels := map[string]int{}
	ids := map[string]bool{}
	phoneUse := map[string]map[string]bool{} // phone -> platforms
	const n = 5000
	for range n {
		p := g.Next()
		langs[p.Lang]++
		labels[p.Label]++
		if ids[p.ID] {
			t.Fatalf("duplicate ID %s", p.ID)
		}
		ids[p.ID] = true
		for name, v := range map[string]string{"id": p.ID, "platform": p.Platform, "source": p.Source, "url": p.URL, "author": p.Author, "text": p.Text, "lang": p.Lang, "label": p.Label} {
			if v == "" {
				t.Fatalf("post %s: empty %s", p.ID, name)
			}
		}
		if strings.Contains(p.Text, "{") {
			t.Errorf("post %s: placeholder left in %q", p.ID, p.Text)
		}
		if !strings.HasPrefix(p.ID, p.Platform+":") {
			t.Errorf("post ID %q does not start with platform %q", p.ID, p.Platform)
		}
		if p.Published.After(end) || p.Published.Before(end.AddDate(0, 0, -365)) {
			t.Errorf("post %s published %v, outside the year before %v", p.ID, p.Published, end)
		}
		switch {
		case p.Label == "advert" && (p.Score < 0.7 || p.Score >= 1):
			t.Errorf("advert %s score %v", p.ID, p.Score)
		case p.Label == "not_advert" && p.Score >= 0.4:
			t.Errorf("negative %s score %v", p.ID, p.Score)
		}
		for _, ph := range p.Phones {
			num, err := phonenumbers.Parse(ph, "")
			if err != nil || !phonenumbers.IsValidNumber(num) || phonenumbers.Format(num, phonenumbers.E164) != ph {
				t.Errorf("post %s: phone %q is not a valid E.164 number", p.ID, ph)
			}
			if phoneUse[ph] == nil {
				phoneUse[ph] = map[string]bool{}
			}
			phoneUse[ph][p.Platform] = true
		}
		for _, h := range p.Handles {
			if !strings.HasPrefix(h, "@") || strings.ContainsAny(h, " /") {
				t.Errorf("post %s: handle %q", p.ID, h)
			}
		}
		if len(p.Groups) == 0 {
			t.Errorf("post %s has no groups", p.ID)
		}
	}
	for _, l := range languages {
		if langs[l.code] < n*l.weight/100/3 {
			t.Errorf("language %s: %d posts of %d, want about %d%%", l.code, langs[l.code], n, l.weight)
		}
	}
	for _, l := range []string{"advert", "review", "not_advert"} {
		if labels[l] == 0 {
			t.Errorf("no %s posts", l)
		}
	}
	cross := 0
	for _, ps := range phoneUse {
		if len(ps) > 1 {
			cross++
		}
	}
	if cross < 10 {
		t.Errorf("only %d phone numbers appear on more than one platform; pivots need networks", cross)
	}
}

func TestJSON(t *testing.T) {
	p := New(Options{Seed: 3}).Next()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "platform", "source", "url", "author", "text", "lang", "published", "score", "label", "groups", "phones", "handles"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON %s lacks %q", b, k)
		}
	}
}

func TestCountriesValid(t *testing.T) {
	g := New(Options{Seed: 5, Networks: 1})
	for range 2000 {
		ph := g.phone()
		num, err := phonenumbers.Parse(ph, "")
		if err != nil || !phonenumbers.IsValidNumber(num) {
			t.Fatalf("generated %q, not valid", ph)
		}
	}
}
