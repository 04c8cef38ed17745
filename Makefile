# Tessera: the two commands are `make serve` and `make test` (see README.md).
SHELL := /bin/bash
ROOT := $(patsubst %/,%,$(dir $(realpath $(firstword $(MAKEFILE_LIST)))))

# Debian packages the build links against (system-library targets in Package.swift).
APT_PACKAGES := libopus-dev libvpx-dev libavcodec-dev libavformat-dev libavutil-dev \
                libswscale-dev libsrtp2-dev libssl-dev libsqlite3-dev pkg-config
# What the benchmark's inputs and peers need (Benchmarks/inputs.py, Benchmarks/peers.py).
BENCH_APT_PACKAGES := ffmpeg gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
# What only the tests need; they cover the benchmark scripts too (about 15 MB beyond ffmpeg).
TEST_APT_PACKAGES := sqlite3 chromium chromium-driver $(BENCH_APT_PACKAGES)
CONFIG ?= release
SWIFT := swift
VENV := $(ROOT)/.venv-test
PYTEST_ARGS ?= -q
# make fuzz: seconds each fuzz target runs.
FUZZ_SECONDS ?= 60

.PHONY: serve test deps test-deps bench-deps build build-tests build-server build-bench swift-test acceptance-test fuzz clean

## serve: install what is missing, build, run `tessera serve` on ./data (from the current directory)
serve: deps
	$(SWIFT) build --package-path $(ROOT) -c $(CONFIG) --product tessera
	exec $$($(SWIFT) build --package-path $(ROOT) -c $(CONFIG) --show-bin-path)/tessera serve --data-dir ./data

## test: install what is missing, then run every test suite (Swift, then the live-server acceptance tests)
test: deps test-deps build-tests swift-test acceptance-test

## deps: install the Debian -dev packages that are missing (as root, or through sudo)
deps:
	@$(ROOT)/Deploy/apt-install-missing $(APT_PACKAGES)

test-deps: deps
	@$(ROOT)/Deploy/apt-install-missing $(TEST_APT_PACKAGES)
	@python3 -c 'import ensurepip' 2>/dev/null || $(ROOT)/Deploy/apt-install-missing python3-venv
	@test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	@$(VENV)/bin/python -m pip install -q --disable-pip-version-check -r $(ROOT)/Tests/acceptance/requirements.txt

## bench-deps: install what the benchmark's peers need (ffmpeg, GStreamer with vp8, opus, compositor, audiomixer)
bench-deps: deps
	@$(ROOT)/Deploy/apt-install-missing $(BENCH_APT_PACKAGES)

build-tests: deps
	$(SWIFT) build --package-path $(ROOT) --build-tests

# The server-sent media tests drive aiortc from Swift: they need the test venv's python.
# The live room's timing tests then run alone (LiveRoomEncoderBusyTests: they measure real
# threads against real time, which the other suites' load on 2 cores would blur).
swift-test: build-tests test-deps
	TESSERA_TEST_PYTHON=$(VENV)/bin/python $(SWIFT) test --package-path $(ROOT) --skip-build
	TESSERA_TIMING_TESTS=1 $(SWIFT) test --package-path $(ROOT) --skip-build --filter LiveRoomEncoderBusyTests

# The live-server tests run the release server, the one `make serve` runs: a debug build's
# mixer (per-sample audio loops, unspecialized generics) costs several times the CPU, and
# with five aiortc peers or two Chromiums on the same two cores its rooms fell behind and
# skipped ticks, which made the frame-rate checks fail on CI for want of CPU, not of code.
acceptance-test: build-tests build-server build-bench test-deps
	cd $(ROOT) && TESSERA_BIN=$$($(SWIFT) build --package-path $(ROOT) -c release --show-bin-path)/tessera \
		TESSERA_RELEASE_BENCH=$$($(SWIFT) build --package-path $(ROOT) -c release --show-bin-path)/tessera-bench \
		TESSERA_MAKE_SERVE_CONFIG=release \
		$(VENV)/bin/python -m pytest $(PYTEST_ARGS) Tests/acceptance

## build-server: the optimized tessera, as `make serve` builds it
build-server:
	$(SWIFT) build --package-path $(ROOT) -c release --product tessera

## build-bench: the optimized tessera-bench, with which the tests check that a steady
## mixed video frame allocates nothing (issue 7; a debug build's generic code allocates)
build-bench:
	$(SWIFT) build --package-path $(ROOT) -c release --product tessera-bench

## fuzz: build the libFuzzer targets (.build-fuzz) and run each for FUZZ_SECONDS on a copy of
## Fuzz/corpus; fails if any target crashes (inputs in fuzz-out/). Not part of `make test`.
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(ROOT)/Fuzz/run.sh

clean:
	rm -rf $(ROOT)/.build $(ROOT)/.build-fuzz $(VENV)

## bench-capacity: release build, then a real server on loopback gets rooms of 4 load-client
## participants (1280x720 30 fps) one at a time until a room's mix falls below 29 fps or its
## video tick p95 exceeds 33 ms; prints the rooms held and a per-step table
.PHONY: bench-capacity
CAPACITY_ARGS ?= --json $(ROOT)/.bench-cache/capacity.json
bench-capacity: test-deps build-server build-bench
	$(VENV)/bin/python $(ROOT)/Benchmarks/inputs.py
	$(VENV)/bin/python $(ROOT)/Benchmarks/capacity.py \
		--tessera $$($(SWIFT) build --package-path $(ROOT) -c release --show-bin-path)/tessera \
		--load-client $$($(SWIFT) build --package-path $(ROOT) -c release --show-bin-path)/tessera-bench $(CAPACITY_ARGS)

## bench: release build, then one room's CPU in Tessera (the real server, load-client
## participants) side by side with the codec floor, ffmpeg and GStreamer, plus latency,
## allocations and memory; writes docs/benchmarks.md. BENCH_ARGS=--quick: one room size only
.PHONY: bench
BENCH_ARGS ?=
bench: test-deps build-server build-bench
	$(VENV)/bin/python $(ROOT)/Benchmarks/bench.py \
		--tessera $$($(SWIFT) build --package-path $(ROOT) -c release --show-bin-path)/tessera \
		--tessera-bench $$($(SWIFT) build --package-path $(ROOT) -c release --show-bin-path)/tessera-bench $(BENCH_ARGS)
