package main

import (
	"context"
	"errors"
)

// runServe is a placeholder until its package lands; the owner replaces this file.
func runServe(ctx context.Context, s streams, args []string) error {
	return errors.New("serve: not built yet")
}
