package evidence

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Errors of Lookup that callers branch on.
var (
	ErrNotFound       = errors.New("evidence: record not found")
	ErrDigestMismatch = errors.New("evidence: digest mismatch")
)

// indexSuffix names the index the Writer keeps beside each WARC file:
// "<file>.idx", one line per response record, "<record id> TAB <offset>
// TAB <length>" (of its gzip member). Lookup uses it to read one member
// instead of decompressing a file of up to a gigabyte, and falls back to
// reading the whole file when the index is missing, stale or wrong, so it
// is a cache: deleting it loses nothing. Verify ignores it.
const indexSuffix = ".idx"

// Lookup returns the response record ref points to, in the WARC files
// of dir, after checking its payload against ref.Digest (skipped when
// ref.Digest is ""). It fails with ErrNotFound when the file holds no
// such record and ErrDigestMismatch when the payload is not what ref says.
func Lookup(ctx context.Context, dir string, ref Ref) (*Record, error) {
	if ref.File == "" || ref.File != filepath.Base(ref.File) || ref.File == "." || ref.File == ".." || strings.ContainsAny(ref.File, `/\`) {
		return nil, fmt.Errorf("evidence: lookup %s: bad file name %q", ref.RecordID, ref.File)
	}
	path := filepath.Join(dir, ref.File)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("evidence: lookup %s: %w", ref.RecordID, err)
	}
	defer f.Close()

	rec := lookupIndexed(f, path+indexSuffix, ref.RecordID)
	if rec == nil {
		rec, err = lookupScan(ctx, f, ref.RecordID)
		if err != nil {
			return nil, fmt.Errorf("evidence: lookup %s in %s: %w", ref.RecordID, ref.File, err)
		}
		if rec == nil {
			return nil, fmt.Errorf("lookup %s in %s: %w", ref.RecordID, ref.File, ErrNotFound)
		}
	}
	if ref.Digest != "" {
		got := refDigest(sha256.Sum256(rec.Payload()))
		if !strings.EqualFold(got, ref.Digest) {
			return nil, fmt.Errorf("lookup %s in %s: payload is %s, ref says %s: %w", ref.RecordID, ref.File, got, ref.Digest, ErrDigestMismatch)
		}
	}
	return rec, nil
}

// lookupIndexed reads the record id from f at the place the index says,
// or returns nil if the index does not lead to it.
func lookupIndexed(f *os.File, index, id string) *Record {
	idx, err := os.Open(index)
	if err != nil {
		return nil
	}
	defer idx.Close()
	sc := bufio.NewScanner(idx)
	for sc.Scan() {
		rid, rest, ok := strings.Cut(sc.Text(), "\t")
		if !ok || rid != id {
			continue
		}
		offStr, lenStr, _ := strings.Cut(rest, "\t")
		off, err1 := strconv.ParseInt(offStr, 10, 64)
		n, err2 := strconv.ParseInt(lenStr, 10, 64)
		if err1 != nil || err2 != nil || off < 0 || n <= 0 {
			return nil
		}
		rec, err := NewReader(io.NewSectionReader(f, off, n)).Next()
		if err != nil || rec.ID() != id {
			return nil
		}
		rec.Offset = off
		return rec
	}
	return nil
}

// lookupScan reads f from the start until the record id; nil if absent.
func lookupScan(ctx context.Context, f *os.File, id string) (*Record, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	rd := NewReader(f)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rec, err := rd.Next()
		if err == io.EOF {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if rec.ID() == id {
			return rec, nil
		}
	}
}
