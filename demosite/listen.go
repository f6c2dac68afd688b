package demosite

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Listen serves New() on addr ("127.0.0.1:0" picks a free port) until ctx
// is cancelled or stop is called, whichever comes first. baseURL is
// "http://host:port", the address seeds point at. stop waits for the
// server to close and may be called more than once.
func Listen(ctx context.Context, addr string) (baseURL string, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("demosite: listen %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           New(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			// Serve fails only if the listener does; the caller sees
			// connection errors, and stop still returns.
			_ = err
		}
	}()
	stopped := make(chan struct{})
	stop = sync.OnceFunc(func() {
		close(stopped)
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if srv.Shutdown(shutdown) != nil {
			srv.Close()
		}
		<-served
	})
	go func() {
		select {
		case <-ctx.Done():
			stop()
		case <-stopped:
		}
	}()
	return "http://" + ln.Addr().String(), stop, nil
}
