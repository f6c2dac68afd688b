package crawler

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"tidewatch/seeds"
)

// mastodonHeaders reads the recorded response headers of the Mastodon
// fixtures (http_headers.json), keyed by file.
func mastodonHeaders(t testing.TB) map[string]http.Header {
	t.Helper()
	var recs []struct {
		File    string `json:"file"`
		Request struct {
			URI string `json:"uri"`
		} `json:"request"`
		Headers map[string]string `json:"headers"`
	}
	if err := json.Unmarshal(fixture(t, "mastodon", "http_headers.json"), &recs); err != nil {
		t.Fatal(err)
	}
	out := map[string]http.Header{}
	for _, r := range recs {
		h := http.Header{}
		for k, v := range r.Headers {
			h.Set(k, v)
		}
		h.Set("X-Test-Request-URI", r.Request.URI)
		out[r.File] = h
	}
	return out
}

// mastodonFixturePage is a fixture as served at its recorded request URI,
// with its recorded headers.
func mastodonFixturePage(t testing.TB, file string) *Page {
	t.Helper()
	h := mastodonHeaders(t)[file]
	if h == nil {
		t.Fatalf("no recorded headers for %s", file)
	}
	return testPage(t, h.Get("X-Test-Request-URI"), fixture(t, "mastodon", file), h)
}

func TestMastodonFixtures(t *testing.T) {
	const local = "http://localhost:3000"
	for _, tt := range []struct {
		file  string
		ids   []string // native ids, in page order
		next  string
		first Post // every field of the first post, but Platform, Source, Fetched
	}{
		{
			file: "timelines_public.json",
			ids: []string{"117020593134559451", "117020592137523525", "117020590477318485", "117020588242324937",
				"117020588169351887", "117020586180926938", "117020582721532745", "117020574694606796"},
			next: local + "/api/v1/timelines/public?max_id=117020574694606796",
			first: Post{ID: "mastodon:localhost:3000/117020593134559451", URL: local + "/@mastodonpy_test_2/117020593134559451",
				Author: "mastodonpy_test_2", AuthorURL: local + "/@mastodonpy_test_2", Text: "Toot, finally!", Lang: "ja",
				Published: time.Date(2026, 8, 1, 13, 55, 46, 609e6, time.UTC)},
		},
		{
			file: "timelines_tag_hoot.json",
			ids:  []string{"117020593741189701"},
			next: local + "/api/v1/timelines/tag/hoot?max_id=117020593741189701",
			first: Post{ID: "mastodon:localhost:3000/117020593741189701", URL: local + "/@mastodonpy_test_2/117020593741189701",
				Author: "mastodonpy_test_2", AuthorURL: local + "/@mastodonpy_test_2", Text: "#hoot (hashtag toot)", Lang: "ja",
				Published: time.Date(2026, 8, 1, 13, 55, 55, 867e6, time.UTC)},
		},
		{
			file: "account_statuses_page1.json",
			ids:  []string{"117020580518794573", "117020580511453871", "117020580503743669", "117020580496489811", "117020580489281910"},
			next: local + "/api/v1/accounts/117020565966271181/statuses?limit=5&max_id=117020580489281910",
			first: Post{ID: "mastodon:localhost:3000/117020580518794573", URL: local + "/@mastodonpy_test/117020580518794573",
				Author: "John Lennon", AuthorURL: local + "/@mastodonpy_test", Text: "Toot number 9!", Lang: "en",
				Published: time.Date(2026, 8, 1, 13, 52, 34, 108e6, time.UTC)},
		},
		{
			file: "account_statuses_page2_max_id.json",
			ids:  []string{"117020580481736214", "117020580474454464", "117020580467310235", "117020580459855703", "117020580452511285"},
			next: local + "/api/v1/accounts/117020565966271181/statuses?limit=5&max_id=117020580452511285",
			first: Post{ID: "mastodon:localhost:3000/117020580481736214", URL: local + "/@mastodonpy_test/117020580481736214",
				Author: "John Lennon", AuthorURL: local + "/@mastodonpy_test", Text: "Toot number 4!", Lang: "en",
				Published: time.Date(2026, 8, 1, 13, 52, 33, 543e6, time.UTC)},
		},
	} {
		t.Run(tt.file, func(t *testing.T) {
			src := testSource(seeds.Mastodon)
			ex, err := extractMastodon(src, mastodonFixturePage(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			checkPosts(t, "mastodon", src, ex.Posts)
			var ids []string
			for _, p := range ex.Posts {
				ids = append(ids, strings.TrimPrefix(p.ID, "mastodon:localhost:3000/"))
			}
			if !slices.Equal(ids, tt.ids) {
				t.Errorf("ids = %v, want %v", ids, tt.ids)
			}
			if ex.Next != tt.next {
				t.Errorf("Next = %q, want %q", ex.Next, tt.next)
			}
			want := tt.first
			want.Platform, want.Source, want.Fetched = "mastodon", src.Name, testFetched
			if len(ex.Posts) == 0 || !equalPost(ex.Posts[0], noViews(want)) {
				t.Errorf("first post:\n got %+v\nwant %+v", ex.Posts, want)
			}
		})
	}
}

func TestMastodonPublicTimelineText(t *testing.T) {
	ex, err := extractMastodon(testSource(seeds.Mastodon), mastodonFixturePage(t, "timelines_public.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Entities decoded (&#39;), the h-card mention kept as text but not
	// listed as a link out.
	for _, p := range ex.Posts {
		if strings.Contains(p.Text, "&#39;") || strings.Contains(p.Text, "<") {
			t.Errorf("%s: markup left in text %q", p.ID, p.Text)
		}
		if len(p.Links) != 0 || len(p.Media) != 0 || p.Forwarded != "" {
			t.Errorf("%s: Links %q Media %q Forwarded %q, want none", p.ID, p.Links, p.Media, p.Forwarded)
		}
	}
	if got := ex.Posts[1].Text; textSum(got) != textSum("you can't say that on television") {
		t.Errorf("entity-decoded text = %q", got)
	}
	if got := ex.Posts[4].Text; !strings.HasPrefix(got, "@mastodonpy_test ") {
		t.Errorf("mention text = %q, want it to start with the mention", got)
	}
}

// Statuses outside a timeline, put into one as a page would carry them.
func TestMastodonSingleStatuses(t *testing.T) {
	reblog := fixture(t, "mastodon", "status_reblog.json")
	var wrapper struct {
		Reblog json.RawMessage `json:"reblog"`
	}
	if err := json.Unmarshal(reblog, &wrapper); err != nil {
		t.Fatal(err)
	}
	page := "[" + strings.Join([]string{
		string(reblog),
		string(wrapper.Reblog), // the boosted status again, unwrapped: one post
		string(fixture(t, "mastodon", "status_with_media.json")),
		string(fixture(t, "mastodon", "tootsdk", "pleroma_status_emojis_media.json")),
		string(fixture(t, "mastodon", "tootsdk", "pleroma_status_remote_account.json")),
	}, ",") + "]"
	src := testSource(seeds.Mastodon)
	ex, err := extractMastodon(src, testPage(t, "https://m.iamkonstantin.eu/api/v1/timelines/tag/x", []byte(page), nil))
	if err != nil {
		t.Fatal(err)
	}
	checkPosts(t, "mastodon", src, ex.Posts)
	const host = "mastodon:m.iamkonstantin.eu/"
	want := []Post{
		{ID: host + "117020574416668515", URL: "http://localhost:3000/@mastodonpy_test/117020574416668515",
			Author: "John Lennon", AuthorURL: "http://localhost:3000/@mastodonpy_test", Text: "Toot!", Lang: "en",
			Published: time.Date(2026, 8, 1, 13, 51, 0, 998e6, time.UTC), Forwarded: "http://localhost:3000/@mastodonpy_test"},
		{ID: host + "117020606035908211", URL: "http://localhost:3000/@mastodonpy_test/117020606035908211",
			Author: "John Lennon", AuthorURL: "http://localhost:3000/@mastodonpy_test", Text: "Status with media", Lang: "en",
			Published: time.Date(2026, 8, 1, 13, 59, 3, 468e6, time.UTC),
			Media:     []string{"http://localhost:3000/system/media_attachments/files/117/020/606/032/533/890/original/5acd59c19f4b7d96.jpg"}},
		{ID: host + "AQetOIEp6Z2GZ4UiI4", URL: "https://m.iamkonstantin.eu/notice/AQetOIEp6Z2GZ4UiI4",
			Author: "Konstantin :veripawed: :veritrek: :rainbow_pride_potion:", AuthorURL: "https://m.iamkonstantin.eu/users/konstantin",
			Published: time.Date(2022, 12, 16, 8, 26, 31, 0, time.UTC),
			Media:     []string{"https://m.iamkonstantin.eu/media/3febd084-8f52-461f-a30e-c4cdac6ba1e4/image.jpeg"}},
		{ID: host + "AQgIdalRCRfsNV6KzA", URL: "https://iosdev.space/@tootsdk/109526243546860722",
			Author: "TootSDK", AuthorURL: "https://iosdev.space/@tootsdk",
			Published: time.Date(2022, 12, 17, 0, 44, 7, 0, time.UTC)},
	}
	if len(ex.Posts) != len(want) {
		t.Fatalf("got %d posts, want %d (the boost and its status are one)", len(ex.Posts), len(want))
	}
	for i, w := range want {
		got := ex.Posts[i]
		w.Platform, w.Source, w.Fetched = "mastodon", src.Name, testFetched
		w.Text = got.Text // third-party text, checked by digest below
		if !equalPost(got, noViews(w)) {
			t.Errorf("post %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
	// Pleroma: the content warning leads, hashtags and the emoji shortcode
	// stay as text; a remote account's post keeps its paragraphs.
	for i, sum := range map[int]string{2: "2c0e90523f9e", 3: "4b97c0cf9554"} {
		if got := ex.Posts[i].Text; textSum(got) != sum {
			t.Errorf("post %d text (sum %s) = %q, want sum %s", i, textSum(got), got, sum)
		}
	}
	if n := strings.Count(ex.Posts[3].Text, "\n\n"); n != 2 {
		t.Errorf("remote post: %d paragraph breaks, want 2", n)
	}
}

func TestMastodonDemosite(t *testing.T) {
	srv := demositeServer(t)
	src := testSource(seeds.Mastodon)
	next := srv.URL + "/api/v1/timelines/tag/smallboats?limit=5"
	all := map[string]Post{}
	var order []string
	pages := 0
	for next != "" {
		pages++
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		ex, err := extractMastodon(src, fetchPage(t, next))
		if err != nil {
			t.Fatal(err)
		}
		checkPosts(t, "mastodon", src, ex.Posts)
		for _, p := range ex.Posts {
			if _, dup := all[p.ID]; !dup { // a boost seen on an earlier page comes first
				order = append(order, p.ID)
				all[p.ID] = p
			}
		}
		next = ex.Next
	}
	// 12 statuses carry #smallboats: 10 originals and 2 boosts of them.
	// Pages of 5: 5, 5, 2, and the short one has no rel="next".
	if pages != 3 || len(all) != 10 {
		t.Errorf("%d pages, %d distinct posts (%v); want 3 and 10", pages, len(all), order)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	base := srv.URL
	for _, want := range []Post{
		{ID: "mastodon:" + host + "/113150000000000102", URL: base + "/@ukroute_offers/113150000000000102",
			Author: "UK Route ✅", AuthorURL: base + "/@ukroute_offers", Lang: "en",
			Published: time.Date(2026, 9, 1, 21, 10, 0, 0, time.UTC),
			Text:      "✅ Arrived safe in UK today 🇬🇧 Next trip Thursday from Dunkirk, few places.\n£1500, pay after arrival. WhatsApp https://wa.me/447700900205\n\n#UK #SmallBoats",
			Links:     []string{"https://wa.me/447700900205"},
			Media:     []string{base + "/media/original/11315000000000010201.jpg"},
			Forwarded: base + "/@dunkirk_vip"}, // boosted by dunkirk_vip, which is seen first
		{ID: "mastodon:" + host + "/113150000000000105", URL: base + "/@sea_rescue_watch/113150000000000105",
			Author: "Sea Rescue Watch", AuthorURL: base + "/@sea_rescue_watch", Lang: "en",
			Published: time.Date(2026, 9, 3, 10, 0, 0, 0, time.UTC),
			Text:      "Coastguard rescued 52 people from an overcrowded dinghy this morning. Everyone is safe.\n#SmallBoats",
			Media:     []string{base + "/media/original/11315000000000010501.jpg", base + "/media/original/11315000000000010502.jpg"},
			Forwarded: base + "/@channelwatch"},
		{ID: "mastodon:" + host + "/113150000000000111", URL: base + "/@dunkirk_vip/113150000000000111",
			Author: "dunkirk_vip", AuthorURL: base + "/@dunkirk_vip",
			Published: time.Date(2026, 9, 6, 9, 40, 0, 0, time.UTC),
			Text:      "UK trip 🇬🇧\n\nLorry or boat, your choice. Documents can be arranged (passport look-alike). DM for price. #SmallBoats"},
	} {
		got, ok := all[want.ID]
		if !ok {
			t.Errorf("%s missing", want.ID)
			continue
		}
		want.Platform, want.Source, want.Fetched = "mastodon", src.Name, testFetched
		if !equalPost(got, noViews(want)) {
			t.Errorf("%s:\n got %+v\nwant %+v", want.ID, got, want)
		}
	}
}

func TestMastodonErrors(t *testing.T) {
	for _, tt := range []struct {
		name, body, want string
	}{
		{"server error", `{"error":"Record not found"}`, `server says "Record not found"`},
		{"object", `{"id":"1"}`, "want a JSON array of statuses"},
		{"HTML", `<html>rate limited</html>`, "decode statuses"},
		{"wrong types", `[{"id": 5}]`, "decode statuses"},
		{"truncated", `[{"id":"1","content":"<p>x`, "decode statuses"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := extractMastodon(testSource(seeds.Mastodon), testPage(t, "https://m.example/api/v1/timelines/tag/x", []byte(tt.body), nil))
			var xe *ExtractError
			if ex != nil || !errors.As(err, &xe) || !strings.Contains(err.Error(), tt.want) ||
				!strings.HasPrefix(err.Error(), "extract mastodon https://m.example/api/v1/timelines/tag/x: ") {
				t.Errorf("got (%v, %v), want an *ExtractError containing %q", ex, err, tt.want)
			}
		})
	}
}

func TestMastodonPaging(t *testing.T) {
	for _, tt := range []struct {
		name, page, link, body, want string
	}{
		{"empty page is the end", "https://m.example/api/v1/timelines/tag/x", `<https://m.example/next>; rel="next"`, `[]`, ""},
		{"Link header wins", "https://m.example/api/v1/timelines/tag/x", `<https://m.example/a?max_id=9>; rel="prev", <https://m.example/a?max_id=1>; rel="next"`, `[{"id":"5"}]`, "https://m.example/a?max_id=1"},
		{"Link without next: the end", "https://m.example/t", `<https://m.example/t?min_id=9>; rel="prev"`, `[{"id":"9"}]`, ""},
		{"no Link: max_id of the last", "https://m.example/api/v1/timelines/tag/x?limit=2&min_id=3", "", `[{"id":"9"},{"id":"7"}]`, "https://m.example/api/v1/timelines/tag/x?limit=2&max_id=7"},
		{"same max_id again: the end", "https://m.example/t?max_id=7", "", `[{"id":"7"}]`, ""},
		{"boost's own id pages", "https://m.example/t", "", `[{"id":"8","reblog":{"id":"2","content":"x"}}]`, "https://m.example/t?max_id=8"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.link != "" {
				h.Set("Link", tt.link)
			}
			ex, err := extractMastodon(testSource(seeds.Mastodon), testPage(t, tt.page, []byte(tt.body), h))
			if err != nil {
				t.Fatal(err)
			}
			if ex.Next != tt.want {
				t.Errorf("Next = %q, want %q", ex.Next, tt.want)
			}
		})
	}
}

func FuzzMastodon(f *testing.F) {
	// Small seeds: see FuzzFeed.
	if b, err := readFixture("mastodon", "timelines_tag_hoot.json"); err == nil {
		f.Add(b, `<http://localhost:3000/api/v1/timelines/tag/hoot?max_id=117020593741189701>; rel="next"`)
	}
	for _, name := range []string{"status_reblog.json", "tootsdk/pleroma_status_emojis_media.json"} {
		if b, err := readFixture("mastodon", name); err == nil {
			f.Add(append(append([]byte("["), b...), ']'), "")
		}
	}
	f.Add([]byte(`[{"id":"1","content":"<p>a<br>b <a href=\"https://wa.me/1\">x</a></p>","reblog":{"id":"2"}}]`), `<https://m.example/x?max_id=1>; rel="next"`)
	f.Add([]byte(`[{"id":"","url":"javascript:1","media_attachments":[{"url":null,"remote_url":"//x"}]}]`), "<>; rel=next")
	f.Fuzz(func(t *testing.T, body []byte, link string) {
		src := testSource(seeds.Mastodon)
		h := http.Header{}
		h.Set("Link", link)
		ex, err := extractMastodon(src, testPage(t, "https://m.example/api/v1/timelines/tag/x", body, h))
		if err != nil {
			return
		}
		checkPosts(t, "mastodon", src, ex.Posts)
	})
}
