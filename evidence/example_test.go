package evidence_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"tidewatch/evidence"
)

func Example() {
	dir, err := os.MkdirTemp("", "warc")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	w, err := evidence.Create(filepath.Join(dir, "warc"), evidence.Options{})
	if err != nil {
		log.Fatal(err)
	}
	ref, err := w.Write(&evidence.Exchange{
		Method:         "GET",
		URL:            "https://forum.example/board/12",
		Status:         200,
		ResponseHeader: http.Header{"Content-Type": {"text/html"}},
		Body:           []byte("<p>hello</p>"),
		RemoteAddr:     "192.0.2.1:443",
		Fetched:        time.Date(2026, 11, 22, 15, 11, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(ref.Digest, ref.Captured)

	rec, err := evidence.Lookup(context.Background(), filepath.Join(dir, "warc"), ref)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %s %q\n", rec.Type(), rec.TargetURI(), rec.Payload())

	rep, err := evidence.Verify(context.Background(), filepath.Join(dir, "warc"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d file, %d records, %d OK, failed: %v\n", len(rep.Files), rep.Records, rep.OK, rep.Failed())
	// Output:
	// sha256:a5652be1ca864d36d25cfb54a41f384e2de1b3acf7513a925d72ed7258fdc0ae 2026-11-22 15:11:00 +0000 UTC
	// response https://forum.example/board/12 "<p>hello</p>"
	// 1 file, 3 records, 3 OK, failed: false
}
