package evidence

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var fetched = time.Date(2026, 11, 22, 15, 11, 0, 123456789, time.UTC)

// fixedNow is a clock for deterministic file names.
func fixedNow() time.Time { return time.Date(2026, 11, 22, 15, 11, 0, 0, time.UTC) }

func testExchange(url string, body []byte) *Exchange {
	return &Exchange{
		Method:        "GET",
		URL:           url,
		RequestHeader: http.Header{"User-Agent": {"tidewatch/1.0 (+https://example.org/contact)"}, "Accept": {"text/html"}},
		Proto:         "HTTP/1.1",
		Status:        200,
		ResponseHeader: http.Header{
			"Content-Type":      {"text/html; charset=utf-8"},
			"Content-Encoding":  {"gzip"},
			"Content-Length":    {"17"},
			"Transfer-Encoding": {"chunked"},
			"Set-Cookie":        {"a=1", "b=2"},
		},
		Body:       body,
		RemoteAddr: "203.0.113.7:443",
		Fetched:    fetched,
	}
}

// readAll reads every record of a file, failing the test on any error.
func readAll(t *testing.T, path string) []*Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []*Record
	rd := NewReader(f)
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return recs
		}
		if err != nil {
			t.Fatalf("%s: record %d: %v", filepath.Base(path), len(recs), err)
		}
		recs = append(recs, rec)
	}
}

func warcFiles(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	return names
}

func fieldsOf(rec *Record) map[string]string {
	m := map[string]string{}
	for _, f := range rec.Fields {
		m[f.Name] = f.Value
	}
	return m
}

func sum(b []byte) [32]byte { return sha256.Sum256(b) }

func TestRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "warc")
	w, err := Create(dir, Options{Now: fixedNow, Software: "tidewatch/test"})
	if err != nil {
		t.Fatal(err)
	}
	body := []byte("<html><body>Dunkirk to UK tonight</body></html>\r\n\r\nWARC/1.1\r\n")
	ex := testExchange("https://t.me/s/somechannel?before=12", body)
	ref, err := w.Write(ex)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("dir mode = %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	files := warcFiles(t, dir)
	if len(files) != 1 {
		t.Fatalf("files = %v, want one", files)
	}
	if fi, _ := os.Stat(files[0]); fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode = %v, want 0600", fi.Mode().Perm())
	}
	name := filepath.Base(files[0])
	if !regexp.MustCompile(`^tidewatch-20261122T151100Z-00001-[0-9a-f]{8}\.warc\.gz$`).MatchString(name) {
		t.Errorf("file name %q does not match the pattern", name)
	}
	wantRef := Ref{
		File:     name,
		RecordID: ref.RecordID,
		Digest:   "sha256:" + hex.EncodeToString(func() []byte { s := sum(body); return s[:] }()),
		Captured: time.Date(2026, 11, 22, 15, 11, 0, 123456000, time.UTC),
	}
	if ref != wantRef {
		t.Errorf("Ref = %+v\nwant %+v", ref, wantRef)
	}

	recs := readAll(t, files[0])
	if len(recs) != 3 {
		t.Fatalf("%d records, want warcinfo, request, response", len(recs))
	}
	uuid := regexp.MustCompile(`^<urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}>$`)
	for _, rec := range recs {
		if rec.Version != "WARC/1.1" {
			t.Errorf("%s: version %q", rec.Type(), rec.Version)
		}
		if !uuid.MatchString(rec.ID()) {
			t.Errorf("%s: WARC-Record-ID %q is not a <urn:uuid:…>", rec.Type(), rec.ID())
		}
	}
	info, req, resp := recs[0], recs[1], recs[2]

	infoBlock := "software: tidewatch/test\r\nformat: WARC File Format 1.1\r\n" +
		"conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
	reqBlock := "GET /s/somechannel?before=12 HTTP/1.1\r\n" +
		"Accept: text/html\r\nHost: t.me\r\nUser-Agent: tidewatch/1.0 (+https://example.org/contact)\r\n\r\n"
	respHead := "HTTP/1.1 200 OK\r\n" +
		"Content-Length: " + fmt.Sprint(len(body)) + "\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n" +
		"Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n" +
		"X-Tidewatch-Orig-Content-Encoding: gzip\r\n" +
		"X-Tidewatch-Orig-Content-Length: 17\r\n" +
		"X-Tidewatch-Orig-Transfer-Encoding: chunked\r\n\r\n"
	respBlock := respHead + string(body)

	for _, tt := range []struct {
		rec    *Record
		fields []Field
		block  string
	}{
		{info, []Field{
			{"WARC-Type", "warcinfo"},
			{"WARC-Record-ID", info.ID()},
			{"WARC-Date", "2026-11-22T15:11:00Z"},
			{"WARC-Filename", name},
			{"Content-Type", "application/warc-fields"},
			{"WARC-Block-Digest", warcDigest(sum([]byte(infoBlock)))},
			{"Content-Length", fmt.Sprint(len(infoBlock))},
		}, infoBlock},
		{req, []Field{
			{"WARC-Type", "request"},
			{"WARC-Record-ID", req.ID()},
			{"WARC-Date", "2026-11-22T15:11:00.123456Z"},
			{"WARC-Target-URI", "https://t.me/s/somechannel?before=12"},
			{"WARC-IP-Address", "203.0.113.7"},
			{"WARC-Concurrent-To", ref.RecordID},
			{"Content-Type", "application/http;msgtype=request"},
			{"WARC-Block-Digest", warcDigest(sum([]byte(reqBlock)))},
			{"Content-Length", fmt.Sprint(len(reqBlock))},
		}, reqBlock},
		{resp, []Field{
			{"WARC-Type", "response"},
			{"WARC-Record-ID", ref.RecordID},
			{"WARC-Date", "2026-11-22T15:11:00.123456Z"},
			{"WARC-Target-URI", "https://t.me/s/somechannel?before=12"},
			{"WARC-IP-Address", "203.0.113.7"},
			{"WARC-Concurrent-To", req.ID()},
			{"Content-Type", "application/http;msgtype=response"},
			{"WARC-Payload-Digest", warcDigest(sum(body))},
			{"WARC-Block-Digest", warcDigest(sum([]byte(respBlock)))},
			{"Content-Length", fmt.Sprint(len(respBlock))},
		}, respBlock},
	} {
		if got, want := fmt.Sprint(tt.rec.Fields), fmt.Sprint(tt.fields); got != want {
			t.Errorf("%s fields:\n got %s\nwant %s", tt.rec.Type(), got, want)
		}
		if string(tt.rec.Block) != tt.block {
			t.Errorf("%s block:\n got %q\nwant %q", tt.rec.Type(), tt.rec.Block, tt.block)
		}
	}
	if !strings.HasPrefix(warcDigest(sum(body)), "sha256:") || len(warcDigest(sum(body))) != len("sha256:")+56 {
		t.Errorf("WARC digest %q is not sha256:<base32>", warcDigest(sum(body)))
	}
	if req.ID() == ref.RecordID || info.ID() == ref.RecordID {
		t.Error("record IDs are not distinct")
	}
	if got := resp.Payload(); !bytes.Equal(got, body) {
		t.Errorf("Payload() = %q, want body", got)
	}
	if d, err := resp.Date(); err != nil || !d.Equal(ref.Captured) {
		t.Errorf("Date() = %v, %v; want %v", d, err, ref.Captured)
	}
	hr, err := resp.Response()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(hr.Body)
	if hr.StatusCode != 200 || hr.Header.Get("Content-Type") != "text/html; charset=utf-8" || !bytes.Equal(got, body) {
		t.Errorf("Response() = %d %v %q", hr.StatusCode, hr.Header, got)
	}
	if _, err := req.Response(); err == nil {
		t.Error("Response() of a request record succeeded")
	}
	if resp.Offset <= req.Offset || req.Offset <= info.Offset || info.Offset != 0 {
		t.Errorf("offsets %d %d %d not increasing from 0", info.Offset, req.Offset, resp.Offset)
	}

	// Lookup finds the response by its Ref and checks its digest.
	rec, err := Lookup(context.Background(), dir, ref)
	if err != nil || rec.ID() != ref.RecordID || !bytes.Equal(rec.Payload(), body) {
		t.Errorf("Lookup(%+v) = %v, %v", ref, rec, err)
	}
}

func TestWriteDefaultsAndOddInput(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ex := &Exchange{
		URL:            "http://[2001:db8::1]:8080/a b?q=é",
		Status:         599,
		ResponseHeader: http.Header{"X-Evil": {"a\r\nWARC/1.1\r\nX: y"}, "Bad Key\r\n": {"v"}},
		RemoteAddr:     "[2001:db8::1]:8080",
	}
	ref, err := w.Write(ex)
	if err != nil {
		t.Fatal(err)
	}
	if want := fixedNow(); !ref.Captured.Equal(want) {
		t.Errorf("Captured = %v, want the clock's %v for a zero Fetched", ref.Captured, want)
	}
	if want := "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"; ref.Digest != want {
		t.Errorf("Digest of empty body = %s, want %s", ref.Digest, want)
	}
	recs := readAll(t, warcFiles(t, dir)[0])
	req, resp := recs[1], recs[2]
	for _, tt := range []struct{ got, want string }{
		{req.TargetURI(), "http://[2001:db8::1]:8080/a%20b?q=é"},
		{req.Get("WARC-IP-Address"), "2001:db8::1"},
		{strings.SplitN(string(req.Block), "\r\n", 2)[0], "GET /a%20b?q=é HTTP/1.1"},
		{strings.SplitN(string(resp.Block), "\r\n", 2)[0], "HTTP/1.1 599 "},
		{string(resp.Block), "HTTP/1.1 599 \r\nContent-Length: 0\r\nX-Evil: a  WARC/1.1  X: y\r\n\r\n"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}

	for _, tt := range []struct {
		ex   *Exchange
		want string
	}{
		{nil, "evidence: write: nil exchange"},
		{&Exchange{URL: "/relative", Status: 200}, `evidence: write "/relative": URL "/relative" is not absolute`},
		{&Exchange{URL: "http://a/", Status: 0}, "evidence: write http://a/: status 0 is not an HTTP status"},
		{&Exchange{URL: "http://a/\x00", Status: 200}, `evidence: write "http://a/\x00": parse "http://a/\x00": net/url: invalid control character in URL`},
	} {
		if _, err := w.Write(tt.ex); err == nil || err.Error() != tt.want {
			t.Errorf("Write(%+v) error = %v, want %q", tt.ex, err, tt.want)
		}
	}
}

func TestCreateErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	if _, err := Create(file, Options{}); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("Create(file) error = %v, want not a directory", err)
	}
	if _, err := Create(filepath.Join(file, "sub"), Options{}); err == nil || !strings.HasPrefix(err.Error(), "evidence: create ") {
		t.Errorf("Create(file/sub) error = %v", err)
	}
}

func TestClose(t *testing.T) {
	dir := t.TempDir()
	w, _ := Create(dir, Options{})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if files := warcFiles(t, dir); len(files) != 0 {
		t.Errorf("Close without Write left files %v", files)
	}
	if _, err := w.Write(testExchange("https://example.org/", nil)); err != ErrClosed || err.Error() != "evidence: writer closed" {
		t.Errorf("Write after Close error = %v, want ErrClosed", err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestRollBySize(t *testing.T) {
	dir := t.TempDir()
	const max = 4096
	w, err := Create(dir, Options{MaxFileSize: max, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	// Incompressible-ish bodies of ~1 KiB: a few exchanges per file.
	var refs []Ref
	for i := range 20 {
		body := bytes.Repeat([]byte(fmt.Sprintf("%08x", sum([]byte{byte(i)}))), 128)
		for j := range body {
			body[j] ^= byte(j * 7)
		}
		ref, err := w.Write(testExchange(fmt.Sprintf("https://example.org/%d", i), body))
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	big := make([]byte, 3*max)
	for i := range big {
		big[i] = byte(i*31 + i/7)
	}
	bigRef, err := w.Write(testExchange("https://example.org/big", big))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files := warcFiles(t, dir)
	if len(files) < 3 {
		t.Fatalf("%d files, want several", len(files))
	}
	perFile := map[string]int{}
	for i, path := range files {
		name := filepath.Base(path)
		if want := fmt.Sprintf("tidewatch-20261122T151100Z-%05d-", i+1); !strings.HasPrefix(name, want) {
			t.Errorf("file %d is %s, want prefix %s", i, name, want)
		}
		fi, _ := os.Stat(path)
		recs := readAll(t, path)
		if recs[0].Type() != "warcinfo" || recs[0].Get("WARC-Filename") != name {
			t.Errorf("%s starts with %s %q, want its warcinfo", name, recs[0].Type(), recs[0].Get("WARC-Filename"))
		}
		if len(recs) < 3 {
			t.Errorf("%s has %d records, want warcinfo and at least one exchange", name, len(recs))
		}
		if fi.Size() > max && len(recs) != 3 {
			t.Errorf("%s is %d bytes > %d with %d records", name, fi.Size(), max, len(recs))
		}
		for _, r := range recs[1:] {
			perFile[name]++
			if r.Type() == "response" {
				perFile[r.ID()]++
			}
		}
	}
	for _, ref := range append(refs, bigRef) {
		if perFile[ref.RecordID] != 1 {
			t.Errorf("response %s found %d times", ref.RecordID, perFile[ref.RecordID])
		}
		if _, err := Lookup(context.Background(), dir, ref); err != nil {
			t.Errorf("Lookup: %v", err)
		}
	}
	last := filepath.Base(files[len(files)-1])
	if bigRef.File != last {
		t.Errorf("oversized record in %s, want its own last file %s", bigRef.File, last)
	}
}

func TestConcurrentWrites(t *testing.T) {
	dir := t.TempDir()
	// Two Writers on one directory with the same clock, as two processes
	// started in the same second would be, each used by several goroutines.
	var ws []*Writer
	for range 2 {
		w, err := Create(dir, Options{MaxFileSize: 16 << 10, Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		ws = append(ws, w)
	}
	const goroutines, each = 8, 25
	var mu sync.Mutex
	refs := map[string]Ref{}
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				url := fmt.Sprintf("https://example.org/g%d/%d", g, i)
				ref, err := ws[g%2].Write(testExchange(url, []byte(strings.Repeat(url, 50))))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				refs[url] = ref
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for _, w := range ws {
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(refs) != goroutines*each {
		t.Fatalf("%d refs, want %d", len(refs), goroutines*each)
	}
	seen := map[string]bool{}
	requests := map[string]string{} // response id → concurrent request's URL
	for _, path := range warcFiles(t, dir) {
		for _, rec := range readAll(t, path) {
			switch rec.Type() {
			case "request":
				requests[rec.Get("WARC-Concurrent-To")] = rec.TargetURI()
			case "response":
				ref, ok := refs[rec.TargetURI()]
				if !ok || ref.RecordID != rec.ID() || ref.File != filepath.Base(path) {
					t.Errorf("response %s for %s in %s does not match its Ref %+v", rec.ID(), rec.TargetURI(), filepath.Base(path), ref)
				}
				if want := strings.Repeat(rec.TargetURI(), 50); string(rec.Payload()) != want {
					t.Errorf("payload of %s is not its own", rec.TargetURI())
				}
				seen[rec.TargetURI()] = true
			}
		}
	}
	if len(seen) != len(refs) {
		t.Errorf("read %d responses, want %d", len(seen), len(refs))
	}
	for url, ref := range refs {
		if requests[ref.RecordID] != url {
			t.Errorf("request for %s is %q", url, requests[ref.RecordID])
		}
	}
	rep, err := Verify(context.Background(), dir)
	if err != nil || rep.Failed() || rep.OK != rep.Records || rep.Records != 2*len(refs)+len(rep.Files) {
		t.Errorf("Verify = %+v, %v", rep, err)
	}
}

// TestKilledWriter kills a process while it writes as fast as it can, and
// checks that what it leaves verifies: no mismatch, at most a truncated
// last record, and a new Writer starts a new file.
func TestKilledWriter(t *testing.T) {
	if dir := os.Getenv("TIDEWATCH_EVIDENCE_KILL_DIR"); dir != "" {
		w, err := Create(dir, Options{MaxFileSize: 16 << 10})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		body := bytes.Repeat([]byte("<p>the boys arrived safely</p>\n"), 500)
		for i := 0; ; i++ {
			if _, err := w.Write(testExchange(fmt.Sprintf("https://example.org/%d", i), body)); err != nil {
				fmt.Println(err)
				os.Exit(1)
			}
			if i == 10 {
				fmt.Println("writing")
			}
		}
	}
	if testing.Short() {
		t.Skip("starts a process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriter$")
	cmd.Env = append(os.Environ(), "TIDEWATCH_EVIDENCE_KILL_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "writing\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q", line)
	}
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	rep, err := Verify(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records < 20 || len(rep.Mismatches) != 0 {
		t.Fatalf("after SIGKILL: %d records, mismatches %v", rep.Records, rep.Mismatches)
	}
	for i, f := range rep.Files {
		if f.Err != nil && (i != len(rep.Files)-1 || !errors.Is(f.Err, ErrTruncated)) {
			t.Errorf("%s: %v; only the last file may end truncated", f.Name, f.Err)
		}
	}
	t.Logf("killed writer left %d files, %d records, last file error: %v", len(rep.Files), rep.Records, rep.Files[len(rep.Files)-1].Err)
	before := warcFiles(t, dir)
	writeSample(t, dir, 1)
	if after := warcFiles(t, dir); len(after) != len(before)+1 {
		t.Errorf("a new Writer made %d files, want 1 new", len(after)-len(before))
	}
}

// BenchmarkWrite measures Write throughput of HTML-like bodies, from one
// goroutine and from GOMAXPROCS goroutines.
func BenchmarkWrite(b *testing.B) {
	body := bytes.Repeat([]byte(`<div class="tgme_widget_message_text">Dunkirk → UK tonight, 100% safe, WhatsApp +33 6 12 34 56 78. £1500</div>`+"\n"), 600)
	for _, parallel := range []bool{false, true} {
		b.Run(fmt.Sprintf("parallel=%v", parallel), func(b *testing.B) {
			w, err := Create(b.TempDir(), Options{MaxFileSize: 64 << 20})
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close()
			ex := testExchange("https://t.me/s/somechannel", body)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			if parallel {
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := w.Write(ex); err != nil {
							b.Error(err)
							return
						}
					}
				})
			} else {
				for b.Loop() {
					if _, err := w.Write(ex); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "exchanges/s")
		})
	}
}

// BenchmarkVerify measures Verify over a directory of written exchanges.
func BenchmarkVerify(b *testing.B) {
	dir := b.TempDir()
	w, _ := Create(dir, Options{MaxFileSize: 8 << 20})
	body := bytes.Repeat([]byte("<p>bao qua, đi Anh, gomone Anglia</p>\n"), 1000)
	const n = 500
	for i := range n {
		if _, err := w.Write(testExchange(fmt.Sprintf("https://example.org/%d", i), body)); err != nil {
			b.Fatal(err)
		}
	}
	w.Close()
	b.SetBytes(int64(n * len(body)))
	for b.Loop() {
		rep, err := Verify(context.Background(), dir)
		if err != nil || rep.Failed() {
			b.Fatal(rep, err)
		}
	}
	b.ReportMetric(float64(b.N*(2*n))/b.Elapsed().Seconds(), "records/s")
}

// TestWriteFailureStartsNewFile checks that after a failed write, which
// may have left part of a member behind, the Writer moves to a new file.
func TestWriteFailureStartsNewFile(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	first, err := w.Write(testExchange("https://example.org/1", []byte("one")))
	if err != nil {
		t.Fatal(err)
	}
	w.mu.Lock()
	w.f.Close() // the next write to it fails, as on a full disk
	w.mu.Unlock()
	_, err = w.Write(testExchange("https://example.org/2", []byte("two")))
	if err == nil || !strings.HasPrefix(err.Error(), "evidence: write https://example.org/2: "+first.File+": ") {
		t.Fatalf("Write to a failed file = %v", err)
	}
	third, err := w.Write(testExchange("https://example.org/3", []byte("three")))
	if err != nil {
		t.Fatal(err)
	}
	if third.File == first.File || !strings.Contains(third.File, "-00002-") {
		t.Errorf("after a failed write, Write used %s, want a new file after %s", third.File, first.File)
	}
	for _, ref := range []Ref{first, third} {
		if _, err := Lookup(context.Background(), dir, ref); err != nil {
			t.Error(err)
		}
	}
}
