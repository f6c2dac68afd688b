package evidence

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// warcioRecord is one line of testdata/warcio/read.mjs.
type warcioRecord struct {
	Version           string   `json:"version"`
	Type              string   `json:"type"`
	URI               *string  `json:"uri"`
	ID                string   `json:"id"`
	Date              string   `json:"date"`
	ConcurrentTo      []string `json:"concurrentTo"`
	IP                *string  `json:"ip"`
	ContentType       string   `json:"contentType"`
	ContentLength     int      `json:"contentLength"`
	BlockDigest       *string  `json:"blockDigest"`
	PayloadDigest     *string  `json:"payloadDigest"`
	BlockLength       int      `json:"blockLength"`
	BlockSha256       string   `json:"blockSha256"`
	PayloadSha256     string   `json:"payloadSha256"`
	HTTPStatus        *int     `json:"httpStatus"`
	HTTPContentLength *string  `json:"httpContentLength"`
}

// TestWarcioReadsOurFiles reads files written by Writer with warcio.js,
// an independent WARC implementation, and checks every record's type,
// URI, id and digests against what was written.
func TestWarcioReadsOurFiles(t *testing.T) {
	const install = "npm ci --prefix evidence/testdata/warcio"
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skipf("node not found; install Node.js and run `%s` (from the repository root) to cross-check with warcio", install)
	}
	if _, err := os.Stat("testdata/warcio/node_modules/warcio"); err != nil {
		t.Skipf("warcio not installed; run `%s` (from the repository root) to cross-check with warcio", install)
	}

	dir := t.TempDir()
	w, err := Create(dir, Options{MaxFileSize: 8 << 10, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	binary := make([]byte, 5000)
	for i := range binary {
		binary[i] = byte(i*131 + i>>3)
	}
	exchanges := []*Exchange{
		testExchange("https://t.me/s/somechannel", []byte("<p>Boza! bao qua, WhatsApp +33 6 12 34 56 78</p>")),
		testExchange("https://forum.example/board/12?page=2&q=%C3%A9", binary),
		testExchange("https://mastodon.example/api/v1/timelines/tag/uk", nil),
		{URL: "http://127.0.0.1:8081/odd%20path", Status: 404, Body: []byte("not found\r\n\r\n"), RemoteAddr: "127.0.0.1:8081"},
	}
	byID := map[string]*Exchange{}
	refs := map[string]Ref{}
	for range 3 { // enough to roll into a second file
		for _, ex := range exchanges {
			ref, err := w.Write(ex)
			if err != nil {
				t.Fatal(err)
			}
			byID[ref.RecordID], refs[ref.RecordID] = ex, ref
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files := warcFiles(t, dir)
	if len(files) < 2 {
		t.Fatalf("%d files, want the test to cover at least two", len(files))
	}

	responses := 0
	for _, path := range files {
		ours := readAll(t, path)
		cmd := exec.Command(node, "testdata/warcio/read.mjs", path)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("node read.mjs %s: %v\n%s", filepath.Base(path), err, stderr.Bytes())
		}
		var theirs []warcioRecord
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var r warcioRecord
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("bad line from read.mjs: %v: %s", err, sc.Bytes())
			}
			theirs = append(theirs, r)
		}
		if len(theirs) != len(ours) {
			t.Fatalf("%s: warcio read %d records, we wrote %d", filepath.Base(path), len(theirs), len(ours))
		}
		for i, tr := range theirs {
			rec := ours[i]
			where := fmt.Sprintf("%s record %d (%s)", filepath.Base(path), i, rec.Type())
			check := func(what, got, want string) {
				t.Helper()
				if got != want {
					t.Errorf("%s: warcio %s = %q, want %q", where, what, got, want)
				}
			}
			str := func(p *string) string {
				if p == nil {
					return ""
				}
				return *p
			}
			check("version", tr.Version, "WARC/1.1")
			check("type", tr.Type, rec.Type())
			check("target URI", str(tr.URI), rec.TargetURI())
			check("record id", tr.ID, rec.ID())
			check("date", tr.Date, rec.Get("WARC-Date"))
			check("concurrent-to", fmt.Sprint(tr.ConcurrentTo), fmt.Sprint(concurrentTo(rec)))
			check("IP", str(tr.IP), rec.Get("WARC-IP-Address"))
			check("content type", tr.ContentType, rec.Get("Content-Type"))
			check("content length", strconv.Itoa(tr.ContentLength), strconv.Itoa(len(rec.Block)))
			check("block length", strconv.Itoa(tr.BlockLength), strconv.Itoa(len(rec.Block)))
			// The digests warcio reports are those we wrote, and they are the
			// digests warcio computes over the block and payload it parsed.
			check("block digest", str(tr.BlockDigest), rec.Get("WARC-Block-Digest"))
			check("block digest (recomputed by node)", str(tr.BlockDigest), "sha256:"+b32(tr.BlockSha256))
			check("payload digest", str(tr.PayloadDigest), rec.Get("WARC-Payload-Digest"))

			switch rec.Type() {
			case "warcinfo":
				if i != 0 {
					t.Errorf("%s: warcinfo not first", where)
				}
			case "request":
				if tr.PayloadSha256 != hex.EncodeToString(sha256.New().Sum(nil)) {
					t.Errorf("%s: warcio sees a request payload (sha256 %s), want none", where, tr.PayloadSha256)
				}
			case "response":
				responses++
				ex, ref := byID[rec.ID()], refs[rec.ID()]
				if ex == nil {
					t.Fatalf("%s: response %s was not written by this test", where, rec.ID())
				}
				check("target URI of the exchange", str(tr.URI), ex.URL)
				check("payload digest (recomputed by node)", str(tr.PayloadDigest), "sha256:"+b32(tr.PayloadSha256))
				check("payload sha256 vs Ref.Digest", "sha256:"+tr.PayloadSha256, ref.Digest)
				check("file vs Ref.File", filepath.Base(path), ref.File)
				want := sha256.Sum256(ex.Body)
				check("payload sha256 vs body", tr.PayloadSha256, hex.EncodeToString(want[:]))
				if tr.HTTPStatus == nil || *tr.HTTPStatus != ex.Status {
					t.Errorf("%s: warcio HTTP status %v, want %d", where, tr.HTTPStatus, ex.Status)
				}
				check("HTTP Content-Length", str(tr.HTTPContentLength), strconv.Itoa(len(ex.Body)))
				if ex.Status != 404 {
					if got := http.StatusText(*tr.HTTPStatus); got == "" {
						t.Errorf("%s: no status text", where)
					}
				}
			}
		}
	}
	if responses != len(byID) {
		t.Errorf("warcio saw %d responses, want %d", responses, len(byID))
	}
}

// b32 converts a hex digest to the padded base32 we write in headers.
func b32(hexSum string) string {
	b, err := hex.DecodeString(hexSum)
	if err != nil {
		return "bad hex " + hexSum
	}
	return base32.StdEncoding.EncodeToString(b)
}

func concurrentTo(rec *Record) []string {
	ids := []string{}
	for _, f := range rec.Fields {
		if f.Name == "WARC-Concurrent-To" {
			ids = append(ids, f.Value)
		}
	}
	return ids
}
