package main

import (
	"context"
	"errors"
)

// runReindex is a placeholder until its package lands; the owner replaces this file.
func runReindex(ctx context.Context, s streams, args []string) error {
	return errors.New("reindex: not built yet")
}
