package crawler

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"tidewatch/demosite"
)

// TestCharsetPages fetches each charset route of demosite and checks the
// post text arrives as UTF-8.
func TestCharsetPages(t *testing.T) {
	ts := httptest.NewServer(demosite.New())
	defer ts.Close()
	const (
		arabic = "مرحبا بكم في المنتدى"
		french = "Café crème à 3 € — déjà vu"
		mixed  = "Ελληνικά, Русский, العربية, Tiếng Việt"
	)
	for _, tt := range []struct {
		name, want string
	}{
		{"windows-1256-header", arabic},
		{"windows-1256-meta", arabic},
		{"windows-1256-none", arabic},
		{"windows-1252-header", french},
		{"windows-1252-meta", french},
		{"windows-1252-none", french},
		{"utf-16le-bom", mixed},
		{"utf-16be-bom", mixed},
		{"bogus-label", mixed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := newEngCrawler(t, Options{IgnoreRobots: true})
			st, err := env.c.Run(context.Background(), engSource("cs", ts.URL+"/hostile/charset/"+tt.name), false)
			if err != nil || st.PostsNew != 1 {
				t.Fatalf("Run = %+v, %v", st, err)
			}
			got, ok := env.sink.get("forum:charset-" + tt.name)
			if !ok || !strings.Contains(got, tt.want) || !utf8.ValidString(got) {
				t.Errorf("post text = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestToUTF8(t *testing.T) {
	enc := func(s string) []byte {
		b, err := charmap.Windows1256.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, tt := range []struct {
		name     string
		body     []byte
		ct       string
		want     string // substring of the output
		wantName string
	}{
		{"utf-8 BOM stripped", []byte("\xef\xbb\xbfhello"), "", "hello", "utf-8"},
		{"plain ascii", []byte("<p>hi</p>"), "text/html", "<p>hi</p>", "utf-8"},
		{"header wins over meta", append([]byte(`<meta charset="windows-1252">`), enc("سلام")...), "text/html; charset=windows-1256", "سلام", "windows-1256"},
		{"latin1 label means windows-1252", []byte("caf\xe9 \x80"), "text/html; charset=ISO-8859-1", "café €", "windows-1252"},
		{"unknown charset label falls through", []byte("caf\xc3\xa9"), "text/html; charset=x-klingon", "café", "utf-8"},
		{"xml declaration, rewritten", append([]byte(`<?xml version="1.0" encoding="windows-1256"?><rss><title>`), append(enc("مرحبا"), "</title></rss>"...)...), "application/rss+xml",
			`<?xml version="1.0" encoding="UTF-8"?><rss><title>مرحبا</title>`, "windows-1256"},
		{"invalid utf-8 declared utf-8 is repaired", []byte("a\xffb"), "text/html; charset=utf-8", "a\uFFFDb", "utf-8"},
		{"empty", nil, "", "", "utf-8"},
	} {
		got, name := toUTF8(tt.body, tt.ct)
		if !strings.Contains(string(got), tt.want) || name != tt.wantName || !utf8.Valid(got) {
			t.Errorf("%s: toUTF8 = %q (%s), want %q (%s)", tt.name, got, name, tt.want, tt.wantName)
		}
	}
}

func TestCharsetFeed(t *testing.T) {
	ts := httptest.NewServer(demosite.New())
	defer ts.Close()
	env := newEngCrawler(t, Options{IgnoreRobots: true})
	r := env.c.newRun(engSource("feed", ts.URL), false)
	r.col = r.collector(context.Background())
	p, err := r.fetch(context.Background(), ts.URL+"/hostile/charset/xml-windows-1256", 0)
	if err != nil {
		t.Fatal(err)
	}
	body := string(p.Body)
	if !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`) || !strings.Contains(body, "مرحبا بكم") {
		t.Errorf("feed body = %.200q", body)
	}
}

func FuzzToUTF8(f *testing.F) {
	f.Add([]byte("\xff\xfeh\x00i\x00"), "text/html")
	f.Add([]byte(`<?xml version="1.0" encoding="koi8-r"?><a>`), "")
	f.Add([]byte(`<meta charset="utf-16">x`), "text/html")
	f.Add([]byte("caf\xe9"), "text/html; charset=")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		got, _ := toUTF8(body, ct)
		if !utf8.Valid(got) {
			t.Errorf("toUTF8(%q, %q) = %q: not UTF-8", body, ct, got)
		}
	})
}
