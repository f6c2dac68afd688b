package crawler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tidewatch/demosite"
)

func TestCheck(t *testing.T) {
	ts := httptest.NewServer(demosite.New())
	defer ts.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL + "/post/1"
	closed.Close()
	for _, tt := range []struct {
		url         string
		wantVerdict Verdict
		wantStatus  int
		wantReason  string
	}{
		{ts.URL + "/hostile/gzip", Present, 200, "HTTP 200 OK"},
		{ts.URL + "/hostile/status/404", Removed, 404, "HTTP 404 Not Found"},
		{ts.URL + "/hostile/status/410", Removed, 410, "HTTP 410 Gone"},
		{ts.URL + "/hostile/status/451", Removed, 451, "HTTP 451 Unavailable For Legal Reasons"},
		{ts.URL + "/hostile/not-found", Removed, 200, `page says "tgme_widget_message_error"`},
		{ts.URL + "/hostile/status/500", Unreachable, 500, "HTTP 500 Internal Server Error"},
		{ts.URL + "/hostile/status/429", Unreachable, 429, "HTTP 429 Too Many Requests"},
		{ts.URL + "/hostile/status/403", Unreachable, 403, "HTTP 403 Forbidden"},
		{ts.URL + "/hostile/redirect-chain/2", Present, 200, "HTTP 200 OK"},
		{closedURL, Unreachable, 0, "network: "},
		{ts.URL + "/hostile/slow?delay=5s", Unreachable, 0, "timeout: "},
	} {
		t.Run(strings.TrimPrefix(tt.url, ts.URL), func(t *testing.T) {
			check := func(name string, p Presence, err error) {
				t.Helper()
				if err != nil || p.Verdict != tt.wantVerdict || p.Status != tt.wantStatus || !strings.HasPrefix(p.Reason, tt.wantReason) || p.Checked.IsZero() {
					t.Errorf("%s = %+v, %v; want %v %d %q…", name, p, err, tt.wantVerdict, tt.wantStatus, tt.wantReason)
				}
			}
			p, err := Check(context.Background(), &http.Client{Timeout: time.Second}, tt.url)
			check("Check", p, err)

			env := newEngCrawler(t, Options{IgnoreRobots: true, Timeout: time.Second})
			p, err = env.c.Check(context.Background(), tt.url)
			check("Crawler.Check", p, err)
			if tt.wantStatus != 0 && (p.Capture.RecordID == "" || p.Capture.Captured != p.Checked) {
				t.Errorf("Crawler.Check capture = %+v, checked %v", p.Capture, p.Checked)
			}
		})
	}
	for _, bad := range []string{"", "ftp://x/y", "/relative", "http://"} {
		if _, err := Check(context.Background(), nil, bad); err == nil || !strings.Contains(err.Error(), "not an absolute http(s) URL") {
			t.Errorf("Check(%q) err = %v", bad, err)
		}
	}
	for v, want := range map[Verdict]string{Present: "present", Removed: "removed", Unreachable: "unreachable"} {
		if v.String() != want {
			t.Errorf("%d.String() = %q, want %q", v, v.String(), want)
		}
	}
}
