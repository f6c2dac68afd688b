package evidence

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

// The record layout follows WARC/1.1 (ISO 28500:2017, "The WARC Format
// 1.1", https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/):
//
//	version line CRLF
//	*( named-field CRLF )   ; section 4: "Name: value"
//	CRLF
//	block                   ; exactly Content-Length octets
//	CRLF CRLF               ; section 4: two newlines end every record
const (
	warcVersion = "WARC/1.1"
	crlf        = "\r\n"
	recordEnd   = "\r\n\r\n"

	// Content types of section 6.4 (response), 6.5 (request) and the
	// application/warc-fields of warcinfo (section 6.2).
	typeHTTPRequest  = "application/http;msgtype=request"
	typeHTTPResponse = "application/http;msgtype=response"
	typeWARCFields   = "application/warc-fields"

	// origPrefix keeps the headers we take out of a stored response, see
	// responseBlock.
	origPrefix = "X-Tidewatch-Orig-"

	// warcDateLayout is the W3C-ISO8601 form of section 5.4 with the
	// fraction to microseconds: the standard allows any number of digits,
	// but readers (Python warcio among them) parse at most six.
	warcDateLayout = "2006-01-02T15:04:05.000000Z"
	warcDateSecond = "2006-01-02T15:04:05Z"
)

// Field is one named field of a WARC record header.
type Field struct {
	Name, Value string
}

// newRecordID returns a fresh "<urn:uuid:…>" (RFC 4122 version 4, random),
// the WARC-Record-ID form of section 5.2.
func newRecordID() string {
	var u [16]byte
	rand.Read(u[:]) // never fails (crypto/rand since Go 1.24)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("<urn:uuid:%x-%x-%x-%x-%x>", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// formatDate formats t as a WARC-Date: UTC, whole seconds when the time
// has no fraction, else microseconds.
func formatDate(t time.Time) string {
	t = t.UTC().Truncate(time.Microsecond)
	if t.Nanosecond() == 0 {
		return t.Format(warcDateSecond)
	}
	return t.Format(warcDateLayout)
}

// parseDate parses a WARC-Date: W3C-ISO8601 to the second or finer, UTC.
func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad WARC-Date %q: %w", s, err)
	}
	return t.UTC(), nil
}

// warcDigest is the WARC-*-Digest form of a SHA-256: "sha256:" and the
// base32 (RFC 4648, upper case, padded) of the sum. Base32 is the labelled-
// digest convention of WARC writers since Heritrix (section 5.8 leaves the
// encoding open); Python warcio's "check" and our own reader accept it,
// and both accept hex too (see decodeDigest).
func warcDigest(sum [sha256.Size]byte) string {
	return "sha256:" + base32.StdEncoding.EncodeToString(sum[:])
}

// refDigest is the form of Ref.Digest: "sha256:" and lower-case hex.
func refDigest(sum [sha256.Size]byte) string {
	return "sha256:" + hex.EncodeToString(sum[:])
}

// writeHeader appends a WARC record header (version line, fields, blank
// line) to buf.
func writeHeader(buf *bytes.Buffer, fields []Field) {
	buf.WriteString(warcVersion + crlf)
	for _, f := range fields {
		buf.WriteString(f.Name)
		buf.WriteString(": ")
		buf.WriteString(f.Value)
		buf.WriteString(crlf)
	}
	buf.WriteString(crlf)
}

// targetURI returns the WARC-Target-URI for raw: raw itself when it is an
// absolute http(s) URL free of spaces and control bytes, which header
// fields cannot carry; otherwise its escaped form.
func targetURI(raw string) (*url.URL, string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, "", err
	}
	if !u.IsAbs() || u.Host == "" {
		return nil, "", fmt.Errorf("URL %q is not absolute", raw)
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] <= ' ' || raw[i] == 0x7f {
			return u, u.String(), nil
		}
	}
	return u, raw, nil
}

// ipAddress returns the IP of an "ip:port" or bare IP, or "" when remote
// holds neither.
func ipAddress(remote string) string {
	host := remote
	if h, _, err := net.SplitHostPort(remote); err == nil {
		host = h
	}
	if i := strings.IndexByte(host, '%'); i >= 0 { // IPv6 zone
		host = host[:i]
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return ""
	}
	return ip.String()
}

// writeHTTPHeader writes h in sorted key order, one "Key: value" line per
// value. Keys that are not HTTP tokens are dropped and line breaks inside
// values become spaces, so no header can break the block's structure.
func writeHTTPHeader(buf *bytes.Buffer, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		if httpguts.ValidHeaderFieldName(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			buf.WriteString(k)
			buf.WriteString(": ")
			buf.WriteString(strings.Map(func(r rune) rune {
				if r == '\r' || r == '\n' || r == 0 {
					return ' '
				}
				return r
			}, strings.TrimSpace(v)))
			buf.WriteString(crlf)
		}
	}
}

// requestBlock is the HTTP request message of ex: request line, headers
// as sent (plus Host, which Go keeps outside the header map), blank line.
// The crawler sends no request bodies.
func requestBlock(ex *Exchange, u *url.URL) []byte {
	var b bytes.Buffer
	method := ex.Method
	if method == "" {
		method = http.MethodGet
	}
	b.WriteString(method + " " + u.RequestURI() + " " + proto(ex) + crlf)
	h := ex.RequestHeader.Clone()
	if h == nil {
		h = http.Header{}
	}
	if h.Get("Host") == "" {
		h.Set("Host", u.Host)
	}
	writeHTTPHeader(&b, h)
	b.WriteString(crlf)
	return b.Bytes()
}

// responseBlock is the HTTP response message of ex as the crawler saw it:
// status line, headers, blank line, body.
//
// The body is stored as delivered, after transfer and content decoding
// (Go's transport and colly undo chunking and gzip before we see it), so
// the received Content-Encoding, Transfer-Encoding and Content-Length no
// longer describe it. A block that kept them would be inconsistent: a
// reader would try to gunzip plain bytes or stop at the wrong length. We
// therefore rename them to X-Tidewatch-Orig-<name>, keeping what the
// server said, and add a Content-Length equal to the stored body, so the
// block is a self-consistent HTTP message whose payload digest is the
// digest of the body.
func responseBlock(ex *Exchange) (block []byte, headerLen int) {
	var b bytes.Buffer
	b.Grow(512 + len(ex.Body))
	b.WriteString(proto(ex) + " " + strconv.Itoa(ex.Status) + " " + http.StatusText(ex.Status) + crlf)
	h := ex.ResponseHeader.Clone()
	if h == nil {
		h = http.Header{}
	}
	for _, k := range []string{"Content-Encoding", "Transfer-Encoding", "Content-Length"} {
		if v, ok := h[k]; ok {
			delete(h, k)
			h[origPrefix+k] = v
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(ex.Body)))
	writeHTTPHeader(&b, h)
	b.WriteString(crlf)
	headerLen = b.Len()
	b.Write(ex.Body)
	return b.Bytes(), headerLen
}

func proto(ex *Exchange) string {
	p := ex.Proto
	if p == "" || strings.ContainsAny(p, " \r\n") {
		return "HTTP/1.1"
	}
	return p
}

// httpPayload returns the payload of an application/http block: what
// follows the first empty line. A block without one has no payload.
func httpPayload(block []byte) ([]byte, bool) {
	crlfAt := bytes.Index(block, []byte("\r\n\r\n"))
	lfAt := bytes.Index(block, []byte("\n\n"))
	switch {
	case crlfAt >= 0 && (lfAt < 0 || crlfAt < lfAt):
		return block[crlfAt+4:], true
	case lfAt >= 0:
		return block[lfAt+2:], true
	}
	return nil, false
}
