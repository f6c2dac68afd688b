// Package evidence writes every HTTP exchange the crawler makes to WARC/1.1
// files, and reads and verifies them, so that what was seen, and when, can be
// proven after the content is gone.
//
// A Writer puts each exchange in the current file of its directory as a
// request and a response record (WARC 1.1, ISO 28500:2017), each its own
// gzip member, after a warcinfo record that opens every file. Files are
// named tidewatch-<UTC time>-<sequence>-<random>.warc.gz, so they sort by
// the time they were started and two writers never share one, and are
// rolled at Options.MaxFileSize. Every record carries a SHA-256
// WARC-Block-Digest, and responses a WARC-Payload-Digest of the body; Ref
// names the file, the response record and the body's digest, and Lookup
// returns the record a Ref names. Verify recomputes every digest in a
// directory.
package evidence

import (
	"net/http"
	"time"
)

// Ref locates one captured response.
type Ref struct {
	File     string    // WARC file name, relative to the WARC directory
	RecordID string    // WARC-Record-ID of the response record, "<urn:uuid:…>"
	Digest   string    // "sha256:<hex>" of the response payload
	Captured time.Time // WARC-Date, UTC
}

// Exchange is one HTTP request and the response to it, as sent and received.
type Exchange struct {
	Method         string      // GET
	URL            string      // absolute request URL
	RequestHeader  http.Header // headers as sent
	Proto          string      // "HTTP/1.1"
	Status         int         // 200
	ResponseHeader http.Header // headers as received
	Body           []byte      // payload as delivered (after transfer/content decoding)
	RemoteAddr     string      // ip:port of the server, if known
	Fetched        time.Time   // when the response arrived, UTC
}
