package demosite

import "net/http"

// registerPlatforms is a placeholder; the sources engineer replaces this file.
func registerPlatforms(mux *http.ServeMux) {}
