package main

import (
	"context"
	"errors"
)

// runSearch is a placeholder until its package lands; the owner replaces this file.
func runSearch(ctx context.Context, s streams, args []string) error {
	return errors.New("search: not built yet")
}
