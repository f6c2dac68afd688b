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

bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x -benchmem -timeout 60m $(PKGS) | tee bench.out

# A short run of every fuzz target, one after another (go test -fuzz takes one target at a time).
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done
