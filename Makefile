# The Makefile only aliases go commands; see README.md.
GO      ?= go
PKGS    ?= ./...
DATA    ?= ./data
FUZZTIME ?= 10s

.PHONY: build test demo bench fuzz lint vet fmt eval

build:
	$(GO) build -o bin/tidewatch ./cmd/tidewatch

test: fmt vet
	$(GO) test -race -count=1 -timeout 15m $(PKGS)

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

lint: fmt vet
	$(GO) test -count=1 ./internal/layering

demo: build
	./bin/tidewatch demo --data $(DATA)

eval: build
	./bin/tidewatch eval testdata/corpus/dev

# Each figure an issue names, next to its baseline measured in the same run
# (the ratio is what holds on a noisy machine). The index benchmarks build
# their corpus once per run (-benchtime 1x); TIDEWATCH_BENCH_1M=1 adds 1M posts.
bench:
	{ $(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./classify ./crawler ./evidence ./store ./pipeline && \
	  $(GO) test -run '^$$' -bench . -benchtime 1x -cpu 2 -timeout 60m ./index; } | tee bench.out

# A short run of every fuzz target, one after another (go test -fuzz takes one target at a time).
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done
