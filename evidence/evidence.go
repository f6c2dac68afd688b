// Package evidence writes every HTTP exchange the crawler makes to WARC/1.1
// files, and reads and verifies them, so that what was seen, and when, can be
// proven after the content is gone.
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
