package evidence

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"testing"
)

// FuzzReader feeds arbitrary bytes to the Reader: it must return records
// or an error, never panic or loop, and a record it returns must be whole.
func FuzzReader(f *testing.F) {
	dir := f.TempDir()
	w, err := Create(dir, Options{Now: fixedNow})
	if err != nil {
		f.Fatal(err)
	}
	ref, err := w.Write(testExchange("https://example.org/a", []byte("<p>hello</p>")))
	if err != nil {
		f.Fatal(err)
	}
	w.Close()
	whole, err := os.ReadFile(dir + "/" + ref.File)
	if err != nil {
		f.Fatal(err)
	}
	plain := []byte("WARC/1.1\r\nWARC-Type: response\r\nContent-Type: application/http;msgtype=response\r\n" +
		"Content-Length: 38\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody\r\n\r\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	for _, seed := range [][]byte{
		whole, whole[:len(whole)/2], whole[:len(whole)-3], plain, plain[:40], gz.Bytes(),
		append(gz.Bytes(), gz.Bytes()...), {}, {0x1f, 0x8b}, []byte("WARC/1.1\r\n"),
		[]byte("WARC/1.1\r\nContent-Length: 99999999\r\n\r\n"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := NewReader(bytes.NewReader(data))
		for range 1000 {
			rec, err := rd.Next()
			if err != nil {
				if err != io.EOF {
					if _, ok := err.(*RecordError); !ok {
						t.Fatalf("error %T %v is not a *RecordError", err, err)
					}
				}
				return
			}
			if n := rec.Get("Content-Length"); n == "" {
				t.Fatalf("record without Content-Length returned")
			}
			// Everything a caller may do with a record must be safe.
			rec.Payload()
			rec.Date()
			if resp, err := rec.Response(); err == nil {
				io.Copy(io.Discard, resp.Body)
			}
			checkRecord(rec)
		}
		t.Fatal("more than 1000 records from one input")
	})
}
