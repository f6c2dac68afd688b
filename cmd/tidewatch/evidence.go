package main

import (
	"context"
	"errors"
)

// runEvidence is a placeholder until its package lands; the owner replaces this file.
func runEvidence(ctx context.Context, s streams, args []string) error {
	return errors.New("evidence: not built yet")
}
