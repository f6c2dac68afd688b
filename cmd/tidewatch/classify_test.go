package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func runCmd(t *testing.T, f func(context.Context, streams, []string) error, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := f(context.Background(), streams{strings.NewReader(stdin), &out, &errb}, args)
	return out.String(), errb.String(), err
}

func TestRunClassify(t *testing.T) {
	in := `{"id":"a","text":"Boat from Dunkirk to UK tonight, 100% guaranteed, WhatsApp +44 7700 900123"}
this is not json

{"id":"b","text":"P&O Ferries Dover to Calais, tickets from £45, book online"}
{"id":"c"}
`
	out, errOut, err := runCmd(t, runClassify, in, "--data", t.TempDir())
	if err == nil || err.Error() != "classify: 1 input line(s) were not valid JSON (see above)" {
		t.Errorf("runClassify error = %v, want the count of bad lines", err)
	}
	if !strings.HasPrefix(errOut, "classify: line 2: not a JSON object {\"id\",\"text\"}: ") {
		t.Errorf("stderr = %q, want line 2 reported", errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("runClassify wrote %d lines, want 3:\n%s", len(lines), out)
	}
	type result struct {
		ID             string   `json:"id"`
		Lang           string   `json:"lang"`
		LangConfidence float64  `json:"lang_confidence"`
		Langs          []string `json:"langs"`
		Score          float64  `json:"score"`
		Label          string   `json:"label"`
		Indicators     []struct {
			Group  string  `json:"group"`
			Term   string  `json:"term"`
			Span   [2]int  `json:"span"`
			Weight float64 `json:"weight"`
		} `json:"indicators"`
		Entities []struct {
			Kind     string  `json:"kind"`
			Value    string  `json:"value"`
			Country  string  `json:"country"`
			Span     [2]int  `json:"span"`
			Weight   float64 `json:"weight"`
			Currency string  `json:"currency"`
			Amount   float64 `json:"amount"`
		} `json:"entities"`
		Explanation string `json:"explanation"`
	}
	var rs []result
	for _, l := range lines {
		var r result
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("output line %q: %v", l, err)
		}
		rs = append(rs, r)
	}
	a, b, c := rs[0], rs[1], rs[2]
	if a.ID != "a" || a.Lang != "en" || a.Label != "advert" || a.Score < 0.9 || len(a.Indicators) == 0 || a.Explanation == "" || a.Langs == nil {
		t.Errorf("line a = %+v, want an English advert with indicators", a)
	}
	if len(a.Entities) != 1 || a.Entities[0].Kind != "phone" || a.Entities[0].Value != "+447700900123" || a.Entities[0].Country != "GB" {
		t.Errorf("line a entities = %+v, want the UK phone", a.Entities)
	}
	if b.ID != "b" || b.Label != "not_advert" {
		t.Errorf("line b = %+v, want not_advert", b)
	}
	if c.ID != "c" || c.Label != "not_advert" || c.Lang != "und" || c.Score > 0.1 {
		t.Errorf("line c (no text) = %+v, want und, not_advert, score under 0.1", c)
	}
}

func TestRunClassifyUsage(t *testing.T) {
	if _, _, err := runCmd(t, runClassify, "", "extra"); !errors.Is(err, errUsage) {
		t.Errorf("runClassify with an argument: error %v, want errUsage", err)
	}
	if _, _, err := runCmd(t, runClassify, "", "--bogus"); !errors.Is(err, errUsage) {
		t.Errorf("runClassify --bogus: error %v, want errUsage", err)
	}
	out, errOut, err := runCmd(t, runClassify, "")
	if err != nil || out != "" || errOut != "" {
		t.Errorf("runClassify on empty input = %q, %q, %v; want nothing", out, errOut, err)
	}
}
