package main

import (
	"context"
	"errors"
)

// runDemo is a placeholder until its package lands; the owner replaces this file.
func runDemo(ctx context.Context, s streams, args []string) error {
	return errors.New("demo: not built yet")
}
