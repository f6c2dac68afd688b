package crawler

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/saintfish/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// Where a page's character encoding is found, in the order the WHATWG
// encoding sniffing algorithm and RFC 7303 give: a byte order mark, the
// Content-Type header, an XML declaration, a <meta> in the first 1024
// bytes; failing those, bytes that are valid UTF-8 are UTF-8, and anything
// else is guessed from its byte statistics (chardet) — an undeclared
// windows-1256 Arabic page is common — with windows-1252 as the last resort.

var (
	metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)`)
	xmlDecl     = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["'][^>]*\?>`)
)

// sniffLimit bounds the bytes given to the statistical guess: a few tens of
// kilobytes decide as well as ten megabytes, at a fraction of the cost.
const sniffLimit = 64 << 10

// toUTF8 decodes body to UTF-8 and returns it with the name of the
// encoding it was read as. An XML declaration naming another encoding is
// rewritten to say UTF-8, so that a feed parser does not decode it twice.
// Bytes that do not decode become U+FFFD.
func toUTF8(body []byte, contentType string) ([]byte, string) {
	enc, name := detectEncoding(body, contentType)
	out := body
	switch {
	case name == "utf-8":
		out = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	default:
		decoded, err := enc.NewDecoder().Bytes(body)
		if err == nil {
			out = decoded
		}
	}
	out = bytes.TrimPrefix(out, []byte("\xef\xbb\xbf")) // a BOM decoded from UTF-16
	if !utf8.Valid(out) {
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	if m := xmlDecl.FindSubmatchIndex(out); m != nil && !strings.EqualFold(string(out[m[2]:m[3]]), "utf-8") {
		fixed := make([]byte, 0, len(out))
		fixed = append(fixed, out[:m[2]]...)
		fixed = append(fixed, "UTF-8"...)
		fixed = append(fixed, out[m[3]:]...)
		out = fixed
	}
	return out, name
}

// detectEncoding finds the encoding of body.
func detectEncoding(body []byte, contentType string) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(body, []byte("\xef\xbb\xbf")):
		return encoding.Nop, "utf-8"
	case bytes.HasPrefix(body, []byte("\xff\xfe")):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"
	case bytes.HasPrefix(body, []byte("\xfe\xff")):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if e, name := lookupEncoding(params["charset"]); e != nil {
			return e, name
		}
	}
	head := body[:min(len(body), 1024)]
	if m := xmlDecl.FindSubmatch(head); m != nil {
		if e, name := lookupEncoding(string(m[1])); e != nil {
			return e, name
		}
	}
	if m := metaCharset.FindSubmatch(head); m != nil {
		if e, name := lookupEncoding(string(m[1])); e != nil {
			return e, name
		}
	}
	if utf8.Valid(body) {
		return encoding.Nop, "utf-8"
	}
	sample := body[:min(len(body), sniffLimit)]
	if res, err := chardet.NewHtmlDetector().DetectBest(sample); err == nil && res.Confidence >= 20 {
		if e, name := lookupEncoding(res.Charset); e != nil {
			return e, name
		}
	}
	e, name := lookupEncoding("windows-1252")
	return e, name
}

// lookupEncoding maps a label to an encoding as browsers do (so "latin1"
// and "iso-8859-1" mean windows-1252). UTF-16 labels without a BOM are
// read as little-endian, like browsers.
func lookupEncoding(label string) (encoding.Encoding, string) {
	label = strings.ToLower(strings.TrimSpace(label))
	if label == "" {
		return nil, ""
	}
	e, name := charset.Lookup(label)
	if e == nil {
		return nil, ""
	}
	if name == "utf-8" {
		return encoding.Nop, "utf-8"
	}
	return e, name
}
