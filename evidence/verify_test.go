package evidence

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeSample writes n exchanges to a new Writer in dir and returns their
// Refs.
func writeSample(t *testing.T, dir string, n int) []Ref {
	t.Helper()
	w, err := Create(dir, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	var refs []Ref
	for i := range n {
		ref, err := w.Write(testExchange(fmt.Sprintf("https://example.org/post/%d", i), []byte(fmt.Sprintf("<p>post %d</p>", i))))
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return refs
}

// rewrite re-serializes the records of a file, one gzip member each (or
// uncompressed), after passing each through edit.
func rewrite(t *testing.T, src, dst string, compress bool, edit func(*Record)) {
	t.Helper()
	var out bytes.Buffer
	for _, rec := range readAll(t, src) {
		edit(rec)
		var raw bytes.Buffer
		raw.WriteString(rec.Version + crlf)
		for _, f := range rec.Fields {
			raw.WriteString(f.Name + ": " + f.Value + crlf)
		}
		raw.WriteString(crlf)
		raw.Write(rec.Block)
		raw.WriteString(recordEnd)
		if !compress {
			out.Write(raw.Bytes())
			continue
		}
		zw := gzip.NewWriter(&out)
		zw.Write(raw.Bytes())
		zw.Close()
	}
	if err := os.WriteFile(dst, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyClean(t *testing.T) {
	dir := t.TempDir()
	writeSample(t, dir, 5)
	writeSample(t, dir, 2)
	rep, err := Verify(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Files) != 2 || rep.Records != 2*7+2 || rep.OK != rep.Records || rep.Unchecked != 0 || len(rep.Mismatches) != 0 || rep.Failed() {
		t.Errorf("Verify = %+v, want 2 files, 16 records all OK", rep)
	}
	for _, f := range rep.Files {
		if f.Err != nil {
			t.Errorf("%s: %v", f.Name, f.Err)
		}
	}
}

func TestVerifyTamperedRecord(t *testing.T) {
	src := t.TempDir()
	refs := writeSample(t, src, 3)
	file := warcFiles(t, src)[0]
	for _, compress := range []bool{true, false} {
		t.Run(fmt.Sprintf("gzip=%v", compress), func(t *testing.T) {
			dir := t.TempDir()
			name := filepath.Base(file)
			if !compress {
				name = strings.TrimSuffix(name, ".gz")
			}
			target := refs[1]
			rewrite(t, file, filepath.Join(dir, name), compress, func(r *Record) {
				if r.ID() == target.RecordID {
					r.Block[len(r.Block)-5] ^= 1 // one bit of the body: "post 1" → "post 0"
				}
			})
			rep, err := Verify(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Failed() || rep.Records != 7 || rep.OK != 6 || len(rep.Mismatches) != 2 {
				t.Fatalf("Verify = %+v, want 7 records, 6 OK, 2 mismatches", rep)
			}
			for i, field := range []string{"WARC-Block-Digest", "WARC-Payload-Digest"} {
				m := rep.Mismatches[i]
				if m.File != name || m.RecordID != target.RecordID || m.URL != "https://example.org/post/1" || m.Field != field {
					t.Errorf("mismatch %d = %+v, want %s of %s in %s", i, m, field, target.RecordID, name)
				}
				if m.Want == m.Got || !strings.HasPrefix(m.Got, "sha256:") || len(m.Got) != len(m.Want) {
					t.Errorf("mismatch %d: want %q got %q", i, m.Want, m.Got)
				}
			}
			// The payload digest recomputed is that of the tampered body.
			want := sha256.Sum256([]byte("<p>post 0</p>"))
			if got := rep.Mismatches[1].Got; got != warcDigest(want) {
				t.Errorf("recomputed payload digest %s, want %s", got, warcDigest(want))
			}
			if _, err := Lookup(context.Background(), dir, Ref{File: name, RecordID: target.RecordID, Digest: target.Digest}); !errors.Is(err, ErrDigestMismatch) {
				t.Errorf("Lookup of tampered record: %v, want ErrDigestMismatch", err)
			}
		})
	}
}

func TestVerifyCorruptCompressedByte(t *testing.T) {
	dir := t.TempDir()
	writeSample(t, dir, 3)
	file := warcFiles(t, dir)[0]
	data, _ := os.ReadFile(file)
	data[len(data)-20] ^= 0x40 // inside the last member's deflate data
	os.WriteFile(file, data, 0o600)
	rep, err := Verify(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Files[0]
	var re *RecordError
	if !rep.Failed() || f.Err == nil || !errors.As(f.Err, &re) || f.Records != 6 || rep.OK != 6 {
		t.Fatalf("Verify = %+v (%v), want the last record unreadable after 6 OK", rep, f.Err)
	}
}

// TestVerifyTruncatedTail cuts a file at every byte inside its last
// member, as a crash while writing would, and checks that Verify reports
// the truncation, with every earlier record intact, and that the next
// Create starts a new file.
func TestVerifyTruncatedTail(t *testing.T) {
	dir := t.TempDir()
	writeSample(t, dir, 2)
	file := warcFiles(t, dir)[0]
	whole, _ := os.ReadFile(file)
	recs := readAll(t, file)
	lastStart := recs[len(recs)-1].Offset

	for cut := lastStart + 1; cut < int64(len(whole)); cut++ {
		if err := os.WriteFile(file, whole[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		rep, err := Verify(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		f := rep.Files[0]
		var re *RecordError
		if !errors.Is(f.Err, ErrTruncated) || !errors.As(f.Err, &re) || re.Offset != lastStart {
			t.Fatalf("cut at %d: file error %v, want truncated record at offset %d", cut, f.Err, lastStart)
		}
		if want := fmt.Sprintf("WARC record at offset %d: data ends inside the record (truncated)", lastStart); f.Err.Error() != want {
			t.Fatalf("cut at %d: error %q, want %q", cut, f.Err, want)
		}
		if f.Records != len(recs)-1 || rep.OK != len(recs)-1 || len(rep.Mismatches) != 0 || !rep.Failed() {
			t.Fatalf("cut at %d: Verify = %+v", cut, rep)
		}
	}
	// Cut exactly at a member boundary, the file is whole and shorter.
	os.WriteFile(file, whole[:lastStart], 0o600)
	if rep, err := Verify(context.Background(), dir); err != nil || rep.Failed() || rep.Records != len(recs)-1 {
		t.Errorf("cut at a member boundary: Verify = %+v, %v", rep, err)
	}

	damaged := whole[:lastStart+10]
	os.WriteFile(file, damaged, 0o600)
	writeSample(t, dir, 1)
	if got, _ := os.ReadFile(file); !bytes.Equal(got, damaged) {
		t.Error("a new Writer changed the damaged file")
	}
	if files := warcFiles(t, dir); len(files) != 2 {
		t.Errorf("files after a second Create: %v, want the damaged one and a new one", files)
	}
}

func TestVerifyDigestEncodings(t *testing.T) {
	dir := t.TempDir()
	writeSample(t, dir, 1)
	file := warcFiles(t, dir)[0]
	// Rewrite the digests in the other encodings other writers use, and a
	// SHA-1 as Heritrix writes; all must verify. An unknown algorithm is
	// counted as unchecked.
	encodings := map[string]func([]byte) string{
		"hex": func(b []byte) string { s := sha256.Sum256(b); return "sha256:" + hex.EncodeToString(s[:]) },
		"HEX": func(b []byte) string {
			s := sha256.Sum256(b)
			return "sha256:" + strings.ToUpper(hex.EncodeToString(s[:]))
		},
		"base64": func(b []byte) string {
			s := sha256.Sum256(b)
			return "sha256:" + base64.StdEncoding.EncodeToString(s[:])
		},
		"b32raw": func(b []byte) string { return strings.TrimRight(warcDigest(sha256.Sum256(b)), "=") },
		"lower":  func(b []byte) string { return strings.ToLower(warcDigest(sha256.Sum256(b))) },
		"sha1": func(b []byte) string {
			return "sha1:" + strings.TrimRight(mustRecompute(t, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", b), "=")[5:]
		},
	}
	for name, enc := range encodings {
		rewrite(t, file, filepath.Join(dir, "x-"+name+".warc"), false, func(r *Record) {
			for i, f := range r.Fields {
				switch f.Name {
				case "WARC-Block-Digest":
					r.Fields[i].Value = enc(r.Block)
				case "WARC-Payload-Digest":
					r.Fields[i].Value = enc(r.Payload())
				}
			}
		})
	}
	rewrite(t, file, filepath.Join(dir, "x-md5.warc"), false, func(r *Record) {
		for i, f := range r.Fields {
			if strings.HasSuffix(f.Name, "-Digest") {
				r.Fields[i].Value = "md5:whatever"
			}
		}
	})
	rewrite(t, file, filepath.Join(dir, "x-garbled.warc"), false, func(r *Record) {
		for i, f := range r.Fields {
			if f.Name == "WARC-Block-Digest" && r.Type() == "warcinfo" {
				r.Fields[i].Value = "sha256:not-a-digest"
			}
		}
	})
	rep, err := Verify(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Files) != 2+len(encodings)+1 || rep.Records != 3*len(rep.Files) || rep.Unchecked != 3 || rep.OK != rep.Records-4 || len(rep.Mismatches) != 1 {
		t.Fatalf("Verify = %+v", rep)
	}
	if m := rep.Mismatches[0]; m.File != "x-garbled.warc" || m.Field != "WARC-Block-Digest" || m.Want != "sha256:not-a-digest" || !strings.HasSuffix(m.Got, "=") {
		t.Errorf("mismatch = %+v", m)
	}
}

func mustRecompute(t *testing.T, want string, data []byte) string {
	got, _, known := recompute(want, data)
	if !known {
		t.Fatalf("recompute(%q): unknown", want)
	}
	return got
}

func TestVerifyErrors(t *testing.T) {
	if _, err := Verify(context.Background(), filepath.Join(t.TempDir(), "missing")); !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "evidence: verify: ") {
		t.Errorf("Verify(missing) error = %v, want fs.ErrNotExist", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "junk.warc.gz"), []byte("this is not a WARC file\r\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "empty.warc.gz"), nil, 0o600)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("ignored"), 0o600)
	os.Mkdir(filepath.Join(dir, "sub.warc"), 0o700)
	rep, err := Verify(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Files) != 2 || rep.Files[0].Name != "empty.warc.gz" || rep.Files[0].Err != nil || rep.Files[1].Name != "junk.warc.gz" {
		t.Fatalf("Verify files = %+v", rep.Files)
	}
	if got, want := rep.Files[1].Err.Error(), `WARC record at offset 0: no WARC version line (got "this is not a WARC file")`; got != want {
		t.Errorf("junk error %q, want %q", got, want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Verify(ctx, dir); !errors.Is(err, context.Canceled) {
		t.Errorf("Verify(cancelled) = %v", err)
	}
}

func TestLookupErrors(t *testing.T) {
	dir := t.TempDir()
	refs := writeSample(t, dir, 2)
	ctx := context.Background()
	for _, tt := range []struct {
		ref  Ref
		is   error
		want string
	}{
		{Ref{File: refs[0].File, RecordID: "<urn:uuid:00000000-0000-4000-8000-000000000000>"}, ErrNotFound,
			"lookup <urn:uuid:00000000-0000-4000-8000-000000000000> in " + refs[0].File + ": evidence: record not found"},
		{Ref{File: refs[0].File, RecordID: refs[0].RecordID, Digest: refs[1].Digest}, ErrDigestMismatch, ""},
		{Ref{File: "../" + refs[0].File, RecordID: refs[0].RecordID}, nil,
			"evidence: lookup " + refs[0].RecordID + ": bad file name \"../" + refs[0].File + "\""},
		{Ref{File: "missing.warc.gz", RecordID: "x"}, fs.ErrNotExist, ""},
	} {
		rec, err := Lookup(ctx, dir, tt.ref)
		if err == nil || rec != nil || (tt.is != nil && !errors.Is(err, tt.is)) || (tt.want != "" && err.Error() != tt.want) {
			t.Errorf("Lookup(%+v) = %v, %v; want %v %q", tt.ref, rec, err, tt.is, tt.want)
		}
	}
	// A Ref without a digest is looked up by id alone; the digest is
	// compared without regard to hex case.
	for _, ref := range []Ref{{File: refs[1].File, RecordID: refs[1].RecordID}, {File: refs[1].File, RecordID: refs[1].RecordID, Digest: strings.ToUpper(refs[1].Digest)}} {
		if rec, err := Lookup(ctx, dir, ref); err != nil || string(rec.Payload()) != "<p>post 1</p>" {
			t.Errorf("Lookup(%+v) = %v, %v", ref, rec, err)
		}
	}
}

func TestReaderPlainAndMultiRecordMember(t *testing.T) {
	dir := t.TempDir()
	writeSample(t, dir, 2)
	file := warcFiles(t, dir)[0]
	want := readAll(t, file)
	var plain bytes.Buffer
	for _, rec := range want {
		plain.WriteString(rec.Version + "\r\n")
		for _, f := range rec.Fields {
			plain.WriteString(f.Name + ": " + f.Value + "\r\n")
		}
		plain.WriteString("\r\n")
		plain.Write(rec.Block)
		plain.WriteString("\r\n\r\n")
	}
	var one bytes.Buffer // all records in a single gzip member
	zw := gzip.NewWriter(&one)
	zw.Write(plain.Bytes())
	zw.Close()
	for _, tt := range []struct {
		name string
		data []byte
	}{{"plain", plain.Bytes()}, {"one member", one.Bytes()}} {
		rd := NewReader(bytes.NewReader(tt.data))
		for i := 0; ; i++ {
			rec, err := rd.Next()
			if err == io.EOF {
				if i != len(want) {
					t.Errorf("%s: %d records, want %d", tt.name, i, len(want))
				}
				break
			}
			if err != nil {
				t.Fatalf("%s: record %d: %v", tt.name, i, err)
			}
			if rec.ID() != want[i].ID() || !bytes.Equal(rec.Block, want[i].Block) {
				t.Errorf("%s: record %d differs", tt.name, i)
			}
		}
	}
}

func TestReaderMalformed(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"WARC/1.1\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n", ""},
		{"WARC/1.1\nContent-Length: 3\n\nabc\r\n\r\n", ""},
		{"WARC/1.1\r\nX: a\r\n  b\r\nContent-Length: 0\r\n\r\n\r\n\r\n", ""},
		{"WARC/1.1\r\nContent-Length: 3\r\n\r\nabc\r\n", "WARC record at offset 0: data ends inside the record (truncated)"},
		{"WARC/1.1\r\nContent-Length: 3\r\n\r\nabcXXXX", `WARC record at offset 0: block of 3 bytes not followed by CRLF CRLF (got "XXXX")`},
		{"WARC/1.1\r\nContent-Length: -3\r\n\r\n", `WARC record at offset 0: bad or missing Content-Length "-3"`},
		{"WARC/1.1\r\nContent-Length: +3\r\n\r\n", `WARC record at offset 0: bad or missing Content-Length "+3"`},
		{"WARC/1.1\r\nWARC-Type: x\r\n\r\n", `WARC record at offset 0: bad or missing Content-Length ""`},
		{"WARC/1.1\r\nContent-Length: 99999999999\r\n\r\n", "WARC record at offset 0: Content-Length 99999999999 larger than 4294967296"},
		{"WARC/1.1\r\nContent-Length: 999999\r\n\r\nabc", "WARC record at offset 0: data ends inside the record (truncated)"},
		{"WARC/1.1\r\n no name\r\n\r\n", "WARC record at offset 0: header starts with a continuation line"},
		{"WARC/1.1\r\nno colon\r\n\r\n", `WARC record at offset 0: bad header line "no colon"`},
		{"WARC/1.1\r\nContent-Length: 0", "WARC record at offset 0: data ends inside the record (truncated)"},
		{"WARC/1.1\r\n" + strings.Repeat("x", 70000) + "\r\n", "WARC record at offset 0: header line longer than 65536 bytes"},
		{"\r\n\r\nHTTP/1.1 200 OK\r\n", `WARC record at offset 4: no WARC version line (got "HTTP/1.1 200 OK")`},
		{"\x1f\x8b\x08garbage", "WARC record at offset 0: data ends inside the record (truncated)"},
		{"\x1f\x8bgarbage!!!!", "WARC record at offset 0: not a gzip member: gzip: invalid header"},
	} {
		rd := NewReader(strings.NewReader(tt.in))
		_, err := rd.Next()
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("Next(%.40q) error = %q, want %q", tt.in, got, tt.want)
		}
		if err != nil {
			if _, again := rd.Next(); again != err {
				t.Errorf("Next after error = %v, want the same error", again)
			}
		} else if _, err := rd.Next(); err != io.EOF {
			t.Errorf("Next after the only record of %.40q = %v, want io.EOF", tt.in, err)
		}
	}
	// Too many fields and too long a header.
	many := "WARC/1.1\r\n" + strings.Repeat("X: y\r\n", 1001) + "\r\n"
	if _, err := NewReader(strings.NewReader(many)).Next(); err == nil || err.Error() != "WARC record at offset 0: more than 1000 header fields" {
		t.Errorf("1001 fields: %v", err)
	}
	long := "WARC/1.1\r\n" + strings.Repeat("X: "+strings.Repeat("y", 60000)+"\r\n", 20) + "\r\n"
	if _, err := NewReader(strings.NewReader(long)).Next(); err == nil || err.Error() != "WARC record at offset 0: header longer than 1 MiB" {
		t.Errorf("long header: %v", err)
	}
}

func TestIndex(t *testing.T) {
	dir := t.TempDir()
	refs := writeSample(t, dir, 3)
	file := warcFiles(t, dir)[0]
	fi, err := os.Stat(file + ".idx")
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("index: %v, %v; want a 0600 file", fi, err)
	}
	recs := readAll(t, file)
	whole, _ := os.ReadFile(file)
	var want strings.Builder
	for i, rec := range recs {
		if rec.Type() != "response" {
			continue
		}
		end := int64(len(whole))
		if i+1 < len(recs) {
			end = recs[i+1].Offset
		}
		fmt.Fprintf(&want, "%s\t%d\t%d\n", rec.ID(), rec.Offset, end-rec.Offset)
	}
	idx, _ := os.ReadFile(file + ".idx")
	if string(idx) != want.String() {
		t.Errorf("index:\n%s\nwant\n%s", idx, want.String())
	}

	ctx := context.Background()
	// With the warcinfo destroyed, only the index can lead to the record.
	broken := append([]byte("garbage!"), whole[8:]...)
	os.WriteFile(file, broken, 0o600)
	if rec, err := Lookup(ctx, dir, refs[2]); err != nil || rec.ID() != refs[2].RecordID || rec.Offset != recs[6].Offset {
		t.Errorf("Lookup through the index = %v, %v", rec, err)
	}
	os.WriteFile(file, whole, 0o600)

	// A wrong or missing index falls back to reading the file.
	for name, content := range map[string]string{
		"points elsewhere": strings.ReplaceAll(string(idx), fmt.Sprintf("\t%d\t", recs[6].Offset), fmt.Sprintf("\t%d\t", recs[4].Offset)),
		"garbled":          strings.ReplaceAll(string(idx), "\t", "\tx"),
		"huge length":      strings.ReplaceAll(string(idx), refs[2].RecordID+"\t", refs[2].RecordID+"\t0\t999999999\t"),
	} {
		os.WriteFile(file+".idx", []byte(content), 0o600)
		if rec, err := Lookup(ctx, dir, refs[2]); err != nil || rec.ID() != refs[2].RecordID {
			t.Errorf("index %s: Lookup = %v, %v", name, rec, err)
		}
	}
	rep, err := Verify(ctx, dir)
	if err != nil || len(rep.Files) != 1 || rep.Failed() {
		t.Errorf("Verify with the index present = %+v, %v", rep, err)
	}
	os.Remove(file + ".idx")
	for _, ref := range refs {
		if rec, err := Lookup(ctx, dir, ref); err != nil || rec.ID() != ref.RecordID {
			t.Errorf("no index: Lookup = %v, %v", rec, err)
		}
	}
}
