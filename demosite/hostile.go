package demosite

import "net/http"

// registerHostile is a placeholder; the crawler engineer replaces this file.
func registerHostile(mux *http.ServeMux) {}
