package main

import (
	"context"
	"errors"
)

// runClassify is a placeholder until its package lands; the owner replaces this file.
func runClassify(ctx context.Context, s streams, args []string) error {
	return errors.New("classify: not built yet")
}
