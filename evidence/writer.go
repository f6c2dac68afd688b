package evidence

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("evidence: writer closed")

// Options configure a Writer. The zero value works.
type Options struct {
	// MaxFileSize is the size in bytes at which a file is closed and the
	// next record starts a new one; 0 means 1 GiB, the size the WARC 1.1
	// standard suggests (annex C.2). A record larger than this still goes
	// whole into one file.
	MaxFileSize int64
	// Software names the writer in each file's warcinfo record; "" means
	// "tidewatch".
	Software string
	// Now is the clock for file names and for exchanges without a Fetched
	// time; nil means time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = 1 << 30
	}
	if o.Software == "" {
		o.Software = "tidewatch"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Writer appends exchanges to WARC files in one directory. It is safe for
// concurrent use.
//
// Every record is its own gzip member (WARC 1.1 annex D.2, "record-at-time
// compression") and the two records of an exchange reach the file in one
// write call before Write returns, so a process killed at any moment
// leaves whole members followed by at most one truncated member, which
// Verify reports. Files are synced to disk when they are rolled and on
// Close. A Writer never reopens an existing file: each Create, and each
// roll, starts a new one, so a file damaged by a crash is never appended
// to.
type Writer struct {
	dir  string
	opts Options
	gz   sync.Pool // *gzip.Writer, reused across records

	mu      sync.Mutex
	f       *os.File // current file, nil before the first Write and after a roll failure
	idx     *os.File // index of f, nil if it could not be written
	name    string   // base name of f
	size    int64    // bytes written to f
	records int      // records in f besides warcinfo
	seq     int      // files opened by this Writer
	closed  bool
}

// Create returns a Writer for WARC files in dir, creating dir (mode 0700)
// if it is missing. The first file (mode 0600) is opened at the first
// Write.
func Create(dir string, opts Options) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("evidence: create %s: %w", dir, err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("evidence: create %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("evidence: create %s: not a directory", dir)
	}
	return &Writer{dir: dir, opts: opts.withDefaults()}, nil
}

// Write stores ex as a request record and a response record, each naming
// the other in WARC-Concurrent-To, and returns where the response is.
// Ref.Captured is ex.Fetched in UTC to the microsecond, as written in the
// WARC-Date; a zero Fetched means now.
func (w *Writer) Write(ex *Exchange) (Ref, error) {
	if ex == nil {
		return Ref{}, errors.New("evidence: write: nil exchange")
	}
	u, uri, err := targetURI(ex.URL)
	if err != nil {
		return Ref{}, fmt.Errorf("evidence: write %q: %w", ex.URL, err)
	}
	if ex.Status < 100 || ex.Status > 999 {
		return Ref{}, fmt.Errorf("evidence: write %s: status %d is not an HTTP status", uri, ex.Status)
	}
	captured := ex.Fetched
	if captured.IsZero() {
		captured = w.opts.Now()
	}
	captured = captured.UTC().Truncate(time.Microsecond)
	date := formatDate(captured)
	ip := ipAddress(ex.RemoteAddr)
	reqID, respID := newRecordID(), newRecordID()

	resp, headerLen := responseBlock(ex)
	payloadSum := sha256.Sum256(resp[headerLen:])
	req := requestBlock(ex, u)

	// Compress outside the lock: it is most of the cost of a Write, and
	// concurrent crawler workers should not queue behind each other for it.
	var members bytes.Buffer
	common := func(typ, id, other string) []Field {
		fields := []Field{
			{"WARC-Type", typ},
			{"WARC-Record-ID", id},
			{"WARC-Date", date},
			{"WARC-Target-URI", uri},
		}
		if ip != "" {
			fields = append(fields, Field{"WARC-IP-Address", ip})
		}
		return append(fields, Field{"WARC-Concurrent-To", other})
	}
	reqFields := append(common("request", reqID, respID),
		Field{"Content-Type", typeHTTPRequest},
		Field{"WARC-Block-Digest", warcDigest(sha256.Sum256(req))},
		Field{"Content-Length", strconv.Itoa(len(req))},
	)
	respFields := append(common("response", respID, reqID),
		Field{"Content-Type", typeHTTPResponse},
		Field{"WARC-Payload-Digest", warcDigest(payloadSum)},
		Field{"WARC-Block-Digest", warcDigest(sha256.Sum256(resp))},
		Field{"Content-Length", strconv.Itoa(len(resp))},
	)
	if err := w.compress(&members, reqFields, req); err != nil {
		return Ref{}, fmt.Errorf("evidence: write %s: %w", uri, err)
	}
	respAt := members.Len()
	if err := w.compress(&members, respFields, resp); err != nil {
		return Ref{}, fmt.Errorf("evidence: write %s: %w", uri, err)
	}

	name, err := w.append(members.Bytes(), 2, respID, respAt)
	if err == ErrClosed {
		return Ref{}, err
	} else if err != nil {
		return Ref{}, fmt.Errorf("evidence: write %s: %w", uri, err)
	}
	return Ref{File: name, RecordID: respID, Digest: refDigest(payloadSum), Captured: captured}, nil
}

// compress appends one record as one gzip member to dst.
func (w *Writer) compress(dst *bytes.Buffer, fields []Field, block []byte) error {
	var head bytes.Buffer
	writeHeader(&head, fields)
	zw, _ := w.gz.Get().(*gzip.Writer)
	if zw == nil {
		zw = gzip.NewWriter(dst)
	} else {
		zw.Reset(dst)
	}
	defer w.gz.Put(zw)
	for _, p := range [][]byte{head.Bytes(), block, []byte(recordEnd)} {
		if _, err := zw.Write(p); err != nil {
			return err
		}
	}
	return zw.Close()
}

// append writes data, holding n records, to the current file, opening or
// rolling files as needed, and returns the file's base name. The record
// indexID starts at indexAt in data; it goes into the file's index.
func (w *Writer) append(data []byte, n int, indexID string, indexAt int) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return "", ErrClosed
	}
	if w.f != nil && w.records > 0 && w.size+int64(len(data)) > w.opts.MaxFileSize {
		if err := w.closeFile(); err != nil {
			return "", err
		}
	}
	if w.f == nil {
		if err := w.openFile(); err != nil {
			return "", err
		}
	}
	start := w.size
	written, err := w.f.Write(data)
	w.size += int64(written)
	if err != nil {
		// The file may now end in a partial member. Leave it as it is for
		// Verify to report, and start the next Write in a new file.
		w.f.Close()
		w.f = nil
		w.closeIndex()
		return "", fmt.Errorf("%s: %w", w.name, err)
	}
	w.records += n
	if w.idx != nil {
		line := fmt.Sprintf("%s\t%d\t%d\n", indexID, start+int64(indexAt), len(data)-indexAt)
		if _, err := w.idx.WriteString(line); err != nil {
			// The index only speeds up Lookup, which falls back to reading
			// the WARC file; a failing one must not fail the capture.
			w.closeIndex()
		}
	}
	return w.name, nil
}

func (w *Writer) closeIndex() {
	if w.idx != nil {
		w.idx.Close()
		w.idx = nil
	}
}

// openFile creates the next file, with O_EXCL so that no two writers, in
// this process or another, ever share one, and starts it with a warcinfo
// record.
func (w *Writer) openFile() error {
	w.seq++
	stamp := w.opts.Now().UTC().Format("20060102T150405Z")
	var f *os.File
	var name string
	for try := 0; ; try++ {
		var r [4]byte
		rand.Read(r[:])
		name = fmt.Sprintf("tidewatch-%s-%05d-%s.warc.gz", stamp, w.seq, hex.EncodeToString(r[:]))
		var err error
		f, err = os.OpenFile(filepath.Join(w.dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) || try == 10 {
			return fmt.Errorf("open new WARC file: %w", err)
		}
	}
	// Make the new directory entry durable, so a crash cannot lose a file
	// whose records were already reported as written.
	if d, err := os.Open(w.dir); err == nil {
		d.Sync()
		d.Close()
	}

	info := []byte("software: " + w.opts.Software + crlf +
		"format: WARC File Format 1.1" + crlf +
		"conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/" + crlf)
	var member bytes.Buffer
	err := w.compress(&member, []Field{
		{"WARC-Type", "warcinfo"},
		{"WARC-Record-ID", newRecordID()},
		{"WARC-Date", formatDate(w.opts.Now())},
		{"WARC-Filename", name},
		{"Content-Type", typeWARCFields},
		{"WARC-Block-Digest", warcDigest(sha256.Sum256(info))},
		{"Content-Length", strconv.Itoa(len(info))},
	}, info)
	if err == nil {
		_, err = f.Write(member.Bytes())
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("write warcinfo to %s: %w", name, err)
	}
	w.f, w.name, w.size, w.records = f, name, int64(member.Len()), 0
	// The index is a convenience (see indexSuffix): if it cannot be made,
	// Lookup reads the WARC file instead.
	w.idx, _ = os.OpenFile(filepath.Join(w.dir, name+indexSuffix), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	return nil
}

// closeFile syncs and closes the current file.
func (w *Writer) closeFile() error {
	w.closeIndex()
	f := w.f
	w.f = nil
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close %s: %w", w.name, err)
	}
	return nil
}

// Close syncs and closes the current file. Later Writes fail with
// ErrClosed; closing again does nothing.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	if w.f == nil {
		return nil
	}
	if err := w.closeFile(); err != nil {
		return fmt.Errorf("evidence: %w", err)
	}
	return nil
}
