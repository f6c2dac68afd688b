package evidence

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrTruncated reports data that ends inside a record, as a file does
// whose writer was killed while writing it.
var ErrTruncated = errors.New("data ends inside the record (truncated)")

// Limits on what the reader accepts, so hostile input cannot make it
// allocate without bound. Our own headers are a few hundred bytes.
const (
	maxHeaderLine  = 64 << 10
	maxHeaderBytes = 1 << 20
	maxFields      = 1000
	maxBlock       = 4 << 30
)

// RecordError reports a record that could not be read, and where.
type RecordError struct {
	Offset int64 // of the record (of its gzip member in a compressed file)
	Err    error
}

func (e *RecordError) Error() string {
	return "WARC record at offset " + strconv.FormatInt(e.Offset, 10) + ": " + e.Err.Error()
}

func (e *RecordError) Unwrap() error { return e.Err }

// Record is one WARC record.
type Record struct {
	Version string  // "WARC/1.1"
	Fields  []Field // header fields in file order
	Block   []byte  // the Content-Length octets after the header
	Offset  int64   // of the record (of its gzip member in a compressed file)
}

// Get returns the value of the first field named name, compared without
// regard to case, or "".
func (r *Record) Get(name string) string {
	for _, f := range r.Fields {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Type returns the WARC-Type: "warcinfo", "request", "response", ….
func (r *Record) Type() string { return r.Get("WARC-Type") }

// ID returns the WARC-Record-ID, "<urn:uuid:…>".
func (r *Record) ID() string { return r.Get("WARC-Record-ID") }

// TargetURI returns the WARC-Target-URI.
func (r *Record) TargetURI() string { return r.Get("WARC-Target-URI") }

// Date returns the WARC-Date in UTC.
func (r *Record) Date() (time.Time, error) { return parseDate(r.Get("WARC-Date")) }

// isHTTP reports whether the block is an HTTP message (application/http).
func (r *Record) isHTTP() bool {
	ct := strings.ToLower(r.Get("Content-Type"))
	return strings.HasPrefix(strings.TrimSpace(ct), "application/http")
}

// Payload returns the payload of the block: for an HTTP message the body
// after its header, otherwise the whole block.
func (r *Record) Payload() []byte {
	if !r.isHTTP() {
		return r.Block
	}
	p, _ := httpPayload(r.Block)
	return p
}

// Response parses the block of a response record as an HTTP response.
// Its Body reads the stored payload.
func (r *Record) Response() (*http.Response, error) {
	if r.Type() != "response" || !r.isHTTP() {
		return nil, fmt.Errorf("evidence: record %s is not an HTTP response", r.ID())
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(r.Block)), nil)
	if err != nil {
		return nil, fmt.Errorf("evidence: record %s: %w", r.ID(), err)
	}
	return resp, nil
}

// Reader reads WARC records from a stream, compressed with one gzip
// member per record (or several records per member) or uncompressed.
type Reader struct {
	src  *countReader
	br   *bufio.Reader // over src
	gz   *gzip.Reader  // nil until the first member; unused for plain files
	body *bufio.Reader // decompressed member, or br for a plain file
	gzip bool
	off  int64 // offset of the current member
	init bool
	err  error // sticky: no record is read after a failure
}

// NewReader returns a Reader of the WARC records in r.
func NewReader(r io.Reader) *Reader {
	src := &countReader{r: r}
	return &Reader{src: src, br: bufio.NewReaderSize(src, 64<<10)}
}

// Next returns the next record, io.EOF at the clean end of the input, or a
// *RecordError, wrapping ErrTruncated if the input ends inside a record.
// After an error Next returns the same error.
func (r *Reader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	rec, err := r.next()
	if err != nil {
		r.err = err
		return nil, err
	}
	return rec, nil
}

func (r *Reader) pos() int64 { return r.src.n - int64(r.br.Buffered()) }

func (r *Reader) next() (*Record, error) {
	if !r.init {
		r.init = true
		magic, _ := r.br.Peek(2)
		r.gzip = len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b
		if !r.gzip {
			r.body = r.br
		}
	}
	if r.gzip {
		if err := r.nextMember(); err != nil {
			return nil, err
		}
	} else {
		r.off = r.pos()
		if err := skipBlankLines(r.body); err != nil {
			if err == io.EOF {
				return nil, io.EOF
			}
			return nil, &RecordError{r.off, err}
		}
		r.off = r.pos()
	}
	rec, err := readRecord(r.body)
	if err != nil {
		return nil, &RecordError{r.off, err}
	}
	rec.Offset = r.off
	if r.gzip {
		// Reach the end of the member now, so that its CRC and length are
		// checked before the record is handed out.
		if _, err := r.body.Peek(1); err != nil && err != io.EOF {
			return nil, &RecordError{r.off, gzipErr(err)}
		}
	}
	return rec, nil
}

// nextMember positions r.body at the next record: still in the current
// member if it holds more, else in the next member. It returns io.EOF at
// the end of the input.
func (r *Reader) nextMember() error {
	if r.body != nil {
		if _, err := r.body.Peek(1); err == nil {
			return nil // another record in the same member
		}
	}
	r.off = r.pos()
	if _, err := r.br.Peek(1); err == io.EOF {
		return io.EOF
	} else if err != nil {
		return &RecordError{r.off, err}
	}
	var err error
	if r.gz == nil {
		r.gz, err = gzip.NewReader(r.br)
	} else {
		err = r.gz.Reset(r.br)
	}
	if err != nil {
		if err = gzipErr(err); err != ErrTruncated {
			err = fmt.Errorf("not a gzip member: %w", err)
		}
		return &RecordError{r.off, err}
	}
	r.gz.Multistream(false)
	if r.body == nil {
		r.body = bufio.NewReaderSize(r.gz, 64<<10)
	} else {
		r.body.Reset(r.gz)
	}
	return nil
}

// gzipErr turns the ways a gzip stream can end early into ErrTruncated.
func gzipErr(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
		return ErrTruncated
	}
	return err
}

// skipBlankLines skips empty lines before a record in an uncompressed
// file, where some writers leave extra line ends between records.
func skipBlankLines(br *bufio.Reader) error {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return err
		}
		if b[0] != '\r' && b[0] != '\n' {
			return nil
		}
		br.ReadByte()
	}
}

// readRecord reads one record: header, block and the closing CRLF CRLF.
func readRecord(br *bufio.Reader) (*Record, error) {
	line, err := readLine(br)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(line, "WARC/") {
		return nil, fmt.Errorf("no WARC version line (got %.40q)", line)
	}
	rec := &Record{Version: line}
	total := len(line)
	for {
		line, err := readLine(br)
		if err != nil {
			return nil, err
		}
		if line == "" {
			break
		}
		if total += len(line); total > maxHeaderBytes {
			return nil, errors.New("header longer than 1 MiB")
		}
		if line[0] == ' ' || line[0] == '\t' { // continuation (folded) line
			if len(rec.Fields) == 0 {
				return nil, errors.New("header starts with a continuation line")
			}
			f := &rec.Fields[len(rec.Fields)-1]
			f.Value += " " + strings.TrimSpace(line)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("bad header line %.60q", line)
		}
		if len(rec.Fields) == maxFields {
			return nil, fmt.Errorf("more than %d header fields", maxFields)
		}
		rec.Fields = append(rec.Fields, Field{name, strings.TrimSpace(value)})
	}
	cl := rec.Get("Content-Length")
	n, err := strconv.ParseInt(cl, 10, 64)
	if err != nil || n < 0 || cl[0] == '+' {
		return nil, fmt.Errorf("bad or missing Content-Length %q", cl)
	}
	if n > maxBlock {
		return nil, fmt.Errorf("Content-Length %d larger than %d", n, int64(maxBlock))
	}
	// Grow as the data arrives rather than trusting Content-Length.
	var block bytes.Buffer
	block.Grow(int(min(n, 1<<20)))
	if _, err := io.CopyN(&block, br, n); err != nil {
		return nil, gzipErr(err)
	}
	rec.Block = block.Bytes()
	var end [4]byte
	if _, err := io.ReadFull(br, end[:]); err != nil {
		return nil, gzipErr(err)
	}
	if string(end[:]) != recordEnd {
		return nil, fmt.Errorf("block of %d bytes not followed by CRLF CRLF (got %q)", n, end[:])
	}
	return rec, nil
}

// readLine reads a header line without its line end, accepting LF as well
// as CRLF.
func readLine(br *bufio.Reader) (string, error) {
	b, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull || (err == nil && len(b) > maxHeaderLine) {
		return "", fmt.Errorf("header line longer than %d bytes", maxHeaderLine)
	}
	if err != nil {
		return "", gzipErr(err)
	}
	b = bytes.TrimSuffix(b[:len(b)-1], []byte("\r"))
	return string(b), nil
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
