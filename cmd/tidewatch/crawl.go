package main

import (
	"context"
	"errors"
)

// runCrawl is a placeholder until its package lands; the owner replaces this file.
func runCrawl(ctx context.Context, s streams, args []string) error {
	return errors.New("crawl: not built yet")
}
