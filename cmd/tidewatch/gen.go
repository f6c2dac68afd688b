package main

import (
	"context"
	"errors"
)

// runGen is a placeholder until its package lands; the owner replaces this file.
func runGen(ctx context.Context, s streams, args []string) error {
	return errors.New("gen: not built yet")
}
