// Package demosite serves realistic local stand-ins of the public platforms
// tidewatch crawls — a Telegram channel preview, a forum, RSS and Atom feeds,
// a Mastodon API — plus hostile routes, on loopback, for the demo, the tests
// and the benchmarks.
package demosite

import "net/http"

// New returns a handler serving every stand-in on its own ServeMux.
func New() http.Handler {
	mux := http.NewServeMux()
	registerPlatforms(mux) // platforms.go
	registerHostile(mux)   // hostile.go
	return mux
}
