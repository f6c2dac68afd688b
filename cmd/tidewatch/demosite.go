package main

import (
	"context"
	"errors"
)

// runDemosite is a placeholder until its package lands; the owner replaces this file.
func runDemosite(ctx context.Context, s streams, args []string) error {
	return errors.New("demosite: not built yet")
}
