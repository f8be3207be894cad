# Keywizard. On a fresh Debian/Ubuntu machine:
#   make run    installs what the build needs, builds and opens the wizard
#   make test   installs what the tests need, then runs every test
#   make dist   builds the release packages into dist/ (Linux tar.xz, Windows zip)
GO      ?= go
BIN     := bin/keywizard
VERSION ?= $(shell .ci/version.sh)
LDFLAGS := -X main.version=$(VERSION)
# no_emoji leaves out Fyne's colour-emoji font (4 MB, parsed once per text
# style at start), which no screen uses.
TAGS    := no_emoji
# The Go release that builds what is shipped (make dist) and that govulncheck
# judges. The go command fetches it from the Go module proxy on first use
# (about 76 MB); the machine's own Go (1.26 or later) builds everything else.
RELEASE_GO ?= go1.27.3

export LANGUAGE := en

.PHONY: run build release test check vet fmt-check staticcheck vulncheck windows dist dist-check wine-smoke bench bench-startup screenshots clean

run: build
	./$(BIN)

build:
	@.ci/packages.sh build
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/keywizard

# Release build: no debug info, Fyne's thread checks compiled out.
release:
	@.ci/packages.sh build
	$(GO) build -tags $(TAGS),migrated_fynedo -trimpath -ldflags "$(LDFLAGS) -s -w" -o $(BIN) ./cmd/keywizard

test:
	@.ci/packages.sh test
	$(GO) mod download
	$(MAKE) --no-print-directory check
	.ci/test.sh

check: fmt-check vet staticcheck vulncheck

vet:
	$(GO) vet ./...

staticcheck:
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# Offline: the vulnerability database comes from the Go module proxy.
vulncheck:
	GOTOOLCHAIN=$(RELEASE_GO) .ci/vulncheck.sh

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Windows cross-build with mingw-w64.
windows:
	@.ci/packages.sh test
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o bin/keywizard.exe ./cmd/keywizard

# Release packages with the Fyne packaging tool, version from the git tag.
dist:
	@.ci/packages.sh dist
	rm -rf dist
	GOTOOLCHAIN=$(RELEASE_GO) .ci/dist.sh

# Checks what make dist built: layout, .desktop entry, the exe's resources.
dist-check:
	@.ci/packages.sh dist-check
	RELEASE_GO=$(RELEASE_GO) .ci/dist-check.sh

# Runs the Windows package under Wine: commands, Credential Manager, window.
wine-smoke:
	@.ci/packages.sh wine
	.ci/wine-smoke.sh

screenshots:
	.ci/screenshots.sh

# Start-up time and memory against a bare Fyne window, side by side.
bench-startup:
	@.ci/packages.sh test
	bench/startup.sh 9

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./providers/ ./wizard/... ./bench/...

clean:
	rm -rf bin build dist
