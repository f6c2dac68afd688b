package crawler_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"tidewatch/crawler"
)

func ExampleCheck() {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/channel/1" {
			fmt.Fprint(w, "<html>a live post</html>")
			return
		}
		http.Error(w, "gone", http.StatusGone)
	}))
	defer ts.Close()
	for _, u := range []string{ts.URL + "/channel/1", ts.URL + "/channel/2"} {
		p, err := crawler.Check(context.Background(), nil, u)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(p.Verdict, p.Reason)
	}
	// Output:
	// present HTTP 200 OK
	// removed HTTP 410 Gone
}

func ExampleWriteSummary() {
	t0 := time.Date(2026, 5, 1, 6, 0, 0, 0, time.UTC)
	crawler.WriteSummary(os.Stdout, []crawler.Stats{
		{Source: "uk-channel", Started: t0, Finished: t0.Add(3 * time.Second), Pages: 4, PostsNew: 61, PostsSeen: 19},
		{Source: "forum", Started: t0, Finished: t0.Add(time.Second), Errors: map[string]int{"timeout": 1}, LastError: "fetch https://forum.example/b/1: timeout"},
	})
	// Output:
	// SOURCE      PAGES  NEW  SEEN  ERRORS     TOOK  LAST ERROR
	// uk-channel  4      61   19    0          3s
	// forum       0      0    0     timeout=1  1s    fetch https://forum.example/b/1: timeout
	// total       4      61   19    1
}
