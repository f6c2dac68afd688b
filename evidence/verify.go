package evidence

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"golang.org/x/sync/errgroup"
)

// Report is the outcome of Verify.
type Report struct {
	Files      []FileReport // in name order
	Records    int          // records read from all files
	OK         int          // records whose every digest matched
	Unchecked  int          // records with no digest in an algorithm we know
	Mismatches []Mismatch   // in file and record order
}

// FileReport is what Verify found in one file.
type FileReport struct {
	Name    string // base name
	Records int    // records read before the end or Err
	// Err says why the file could not be read to its end: a *RecordError
	// (wrapping ErrTruncated when the file ends inside a record, as after
	// a crash), or the error opening it. nil if the whole file was read.
	Err error
}

// Mismatch is a digest that does not match its record.
type Mismatch struct {
	File     string // base name
	RecordID string
	URL      string // WARC-Target-URI, if any
	Field    string // "WARC-Block-Digest" or "WARC-Payload-Digest"
	Want     string // as written in the record
	Got      string // recomputed, in the same algorithm and encoding
}

// Failed reports whether any digest mismatched or any file could not be
// read to its end.
func (r *Report) Failed() bool {
	if len(r.Mismatches) > 0 {
		return true
	}
	for _, f := range r.Files {
		if f.Err != nil {
			return true
		}
	}
	return false
}

// Verify reads every *.warc.gz and *.warc file in dir and recomputes the
// block and payload digest of every record. Problems with the files are
// in the Report; the error is for a dir that cannot be listed, or ctx.
func Verify(ctx context.Context, dir string) (*Report, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("evidence: verify: %w", err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && (strings.HasSuffix(n, ".warc.gz") || strings.HasSuffix(n, ".warc")) {
			names = append(names, n)
		}
	}
	sort.Strings(names)

	type result struct {
		file       FileReport
		ok, unchkd int
		mismatches []Mismatch
	}
	results := make([]result, len(names))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, name := range names {
		g.Go(func() error {
			res := &results[i]
			res.file.Name = name
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				res.file.Err = err
				return nil
			}
			defer f.Close()
			rd := NewReader(f)
			for {
				if err := ctx.Err(); err != nil {
					return err
				}
				rec, err := rd.Next()
				if err == io.EOF {
					return nil
				}
				if err != nil {
					res.file.Err = err
					return nil
				}
				res.file.Records++
				ms, checked := checkRecord(rec)
				for i := range ms {
					ms[i].File = name
				}
				res.mismatches = append(res.mismatches, ms...)
				switch {
				case len(ms) > 0:
				case checked:
					res.ok++
				default:
					res.unchkd++
				}
			}
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("evidence: verify %s: %w", dir, err)
	}
	rep := &Report{}
	for _, res := range results {
		rep.Files = append(rep.Files, res.file)
		rep.Records += res.file.Records
		rep.OK += res.ok
		rep.Unchecked += res.unchkd
		rep.Mismatches = append(rep.Mismatches, res.mismatches...)
	}
	return rep, nil
}

// checkRecord recomputes the digests that rec declares. checked is false
// when it declares none in an algorithm we know.
func checkRecord(rec *Record) (ms []Mismatch, checked bool) {
	for _, c := range []struct {
		field string
		data  func() []byte
	}{
		{"WARC-Block-Digest", func() []byte { return rec.Block }},
		{"WARC-Payload-Digest", rec.Payload},
	} {
		want := rec.Get(c.field)
		if want == "" {
			continue
		}
		got, match, known := recompute(want, c.data())
		if !known {
			continue
		}
		checked = true
		if !match {
			ms = append(ms, Mismatch{RecordID: rec.ID(), URL: rec.TargetURI(), Field: c.field, Want: want, Got: got})
		}
	}
	return ms, checked
}

// digestAlgos are the labelled-digest algorithms (WARC 1.1 section 5.8)
// that Verify checks.
var digestAlgos = map[string]func() hash.Hash{
	"sha1":   sha1.New,
	"sha256": sha256.New,
	"sha512": sha512.New,
}

// recompute returns the digest of data written as want is written: same
// algorithm label, same encoding (hex, base32 with or without padding, or
// base64, as WARC writers variously use), and whether it equals want.
// known is false when want's algorithm is not one we check. A value in no
// encoding we know is reported against a base32 digest.
func recompute(want string, data []byte) (got string, match, known bool) {
	label, value, _ := strings.Cut(want, ":")
	newHash, known := digestAlgos[strings.ToLower(label)]
	if !known {
		return "", false, false
	}
	h := newHash()
	h.Write(data)
	sum := h.Sum(nil)
	b32 := base32.StdEncoding
	b32raw := b32.WithPadding(base32.NoPadding)
	for _, c := range []struct {
		decode func(string) ([]byte, error)
		encode func([]byte) string
	}{
		{hex.DecodeString, func(b []byte) string {
			if value == strings.ToUpper(value) {
				return strings.ToUpper(hex.EncodeToString(b))
			}
			return hex.EncodeToString(b)
		}},
		{func(s string) ([]byte, error) { return b32.DecodeString(strings.ToUpper(s)) }, b32.EncodeToString},
		{func(s string) ([]byte, error) { return b32raw.DecodeString(strings.ToUpper(s)) }, b32raw.EncodeToString},
		{base64.StdEncoding.DecodeString, base64.StdEncoding.EncodeToString},
	} {
		if d, err := c.decode(value); err == nil && len(d) == len(sum) {
			return label + ":" + c.encode(sum), bytes.Equal(d, sum), true
		}
	}
	return label + ":" + b32.EncodeToString(sum), false, true
}
