package web

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidewatch/index"
	"tidewatch/store"
)

var published = time.Date(2026, 11, 20, 21, 0, 0, 0, time.UTC)

// testPosts are stored and indexed as the pipeline would: the explanation
// is the classifier's JSON.
var testPosts = []store.Post{
	{
		ID: "telegram:uk_safe_trip/101", Platform: "telegram", Source: "tg", URL: "https://t.me/uk_safe_trip/101",
		Author: "Safe Trip", Text: "Boat from Dunkirk to UK tonight 🇬🇧 100% guarantee, WhatsApp +33 6 12 34 56 78 <script>alert(1)</script>",
		Published: published, Fetched: published, Lang: "en", LangConfidence: 0.97, Score: 0.96, Label: "advert",
		Explanation: json.RawMessage(`{"indicators":[{"group":"vehicle","term":"boat","span":[0,4],"weight":0.8}],"entities":[{"kind":"phone","value":"+33612345678","country":"FR"}],"explanation":"offer + contact + route"}`),
		Entities:    []store.Entity{{Kind: "phone", Value: "+33612345678"}},
		Model:       "3-0123456789abcdef",
		Capture:     store.Capture{File: "tidewatch-1.warc.gz", Record: "<urn:uuid:1>", Digest: "sha256:ab", Captured: published},
	},
	{
		ID: "feed:news/7", Platform: "feed", Source: "news", URL: "https://news.example/7",
		Text: "Coastguard: 40 people rescued from a small boat off Dunkirk", Published: published.Add(-time.Hour),
		Fetched: published, Lang: "en", Score: 0.05, Label: "not_advert",
		Explanation: json.RawMessage(`{"indicators":[],"entities":[],"explanation":"news report"}`),
	},
}

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "tidewatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Upsert(ctx, testPosts); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(filepath.Join(dir, "index.bleve"), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	var docs []index.Doc
	for i, p := range testPosts {
		d := index.Doc{ID: p.ID, Platform: p.Platform, Source: p.Source, URL: p.URL, Author: p.Author,
			Text: p.Text, NormText: strings.ToLower(p.Text), Lang: p.Lang, Score: p.Score, Label: p.Label,
			Published: p.Published, Fetched: p.Fetched, Seq: int64(i + 1)}
		for _, e := range p.Entities {
			if e.Kind == "phone" {
				d.Phones = append(d.Phones, e.Value)
			}
		}
		docs = append(docs, d)
	}
	if err := ix.Put(ctx, docs); err != nil {
		t.Fatal(err)
	}
	h, err := NewServer(Options{Index: ix, Store: st, Metrics: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "tidewatch_up 1\n")
	})})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestSearchAPI(t *testing.T) {
	srv := newTestServer(t)
	for _, tt := range []struct {
		query     string
		wantCode  int
		wantTotal uint64
		wantFirst string
		wantErr   string
	}{
		{"", 200, 2, "telegram:uk_safe_trip/101", ""},
		{"q=*&sort=score", 200, 2, "telegram:uk_safe_trip/101", ""},
		{"q=dunkirk&label=not_advert", 200, 1, "feed:news/7", ""},
		{"phone=0033612345678", 200, 1, "telegram:uk_safe_trip/101", ""},
		{"min_score=0.5", 200, 1, "telegram:uk_safe_trip/101", ""},
		{"min_score=2", 400, 0, "", "min_score: \"2\" is not a score between 0 and 1"},
		{"since=yesterday", 400, 0, "", "since: \"yesterday\" is not a date"},
		{"q=%22unclosed", 400, 0, "", ""},
		{"page=0", 400, 0, "", "page: want 1 or more"},
	} {
		code, hdr, body := get(t, srv.URL+"/api/search?"+tt.query)
		if code != tt.wantCode {
			t.Errorf("GET /api/search?%s: status %d, want %d; body %s", tt.query, code, tt.wantCode, body)
			continue
		}
		if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("GET /api/search?%s: Content-Type %q", tt.query, ct)
		}
		if code != 200 {
			var e struct{ Error string }
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error == "" {
				t.Errorf("GET /api/search?%s: error body %q, want {\"error\":…}", tt.query, body)
			} else if !strings.Contains(e.Error, tt.wantErr) {
				t.Errorf("GET /api/search?%s: error %q, want it to contain %q", tt.query, e.Error, tt.wantErr)
			}
			continue
		}
		var res struct {
			Total uint64
			Hits  []struct {
				ID, URL, Platform, Lang, Label, Text string
				Score                                float64
				Highlights                           []string
			}
			Facets map[string][]struct {
				Term  string
				Count int
			}
		}
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatalf("GET /api/search?%s: %v in %s", tt.query, err, body)
		}
		if res.Total != tt.wantTotal || len(res.Hits) == 0 || res.Hits[0].ID != tt.wantFirst {
			t.Errorf("GET /api/search?%s: total %d first %+v, want %d, %s", tt.query, res.Total, res.Hits, tt.wantTotal, tt.wantFirst)
		}
		if len(res.Facets["platform"]) == 0 {
			t.Errorf("GET /api/search?%s: no platform facet in %s", tt.query, body)
		}
	}
}

func TestSearchPageEscapesPostText(t *testing.T) {
	srv := newTestServer(t)
	code, hdr, body := get(t, srv.URL+"/?q=whatsapp")
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	if strings.Contains(body, "<script>alert") {
		t.Errorf("post text reached the page unescaped:\n%s", body)
	}
	if !strings.Contains(body, "<mark>") {
		t.Errorf("no highlighted match in the page:\n%s", body)
	}
	if !strings.Contains(body, `<span id="total">1</span>`) {
		t.Errorf("page does not show total 1:\n%s", body)
	}
	if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	code, _, body = get(t, srv.URL+"/?q=%22unclosed")
	if code != 400 || !strings.Contains(body, `class="error"`) {
		t.Errorf("malformed query: status %d, body lacks the error message:\n%s", code, body)
	}
}

func TestPostPageExplains(t *testing.T) {
	srv := newTestServer(t)
	code, _, body := get(t, srv.URL+"/posts/telegram:uk_safe_trip/101")
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	body = html.UnescapeString(body)
	for _, want := range []string{"offer + contact + route", "<td>vehicle</td>", "+0.80", "+33612345678", "sha256:ab", "<urn:uuid:1>", "tidewatch-1.warc.gz", "Scored by classifier 3-0123456789abcdef"} {
		if !strings.Contains(body, want) {
			t.Errorf("post page lacks %q", want)
		}
	}
	code, _, _ = get(t, srv.URL+"/posts/telegram:nope/1")
	if code != 404 {
		t.Errorf("missing post: status %d, want 404", code)
	}
	code, _, body = get(t, srv.URL+"/api/posts/telegram:uk_safe_trip/101")
	if code != 200 || !strings.Contains(body, `"explanation": "offer + contact + route"`) || !strings.Contains(body, `"model": "3-0123456789abcdef"`) {
		t.Errorf("api post: status %d body %s", code, body)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	srv := newTestServer(t)
	if code, _, body := get(t, srv.URL+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	if code, _, body := get(t, srv.URL+"/metrics"); code != 200 || !strings.Contains(body, "tidewatch_up 1") {
		t.Errorf("/metrics = %d %q", code, body)
	}
	if code, _, _ := get(t, srv.URL+"/static/style.css"); code != 200 {
		t.Errorf("/static/style.css = %d", code)
	}
}
