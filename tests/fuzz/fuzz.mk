# Fuzzing, coverage and valgrind; included at the end of the Makefile.
# tests/fuzz/README.md says what each does.
#
#   make fuzz       builds the libFuzzer targets (clang, ASan+UBSan) in
#                   build/fuzz/ and runs each for FUZZ_SECONDS (default 60)
#   make coverage   every test with --coverage in build/coverage/, then line
#                   coverage of src/ per file; fails when a compiler file is
#                   below COVERAGE_MIN percent (default 90)
#   make valgrind   the CLI (build/syscage, unsanitized) under valgrind on
#                   every example policy
#
# And in every `make test`: tests/fuzz/replay runs the targets' logic over
# the checked-in corpus and regressions.

FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_BUILD   := build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
COV_BUILD    := build/coverage
COVERAGE_MIN ?= 90
# The files of the compiler, the parser and the emulator, held to COVERAGE_MIN.
COVERAGE_FILES := src/lib/lexer.c src/lib/parser.c src/lib/resolve.c src/lib/codegen.c \
                  src/lib/rule_table.c src/lib/dispatch.c src/lib/bpf.c src/lib/verify.c \
                  src/lib/cond.c
FUZZ_DEPS    := tests/fuzz/targets.c tests/fuzz/targets.h

.PHONY: fuzz fuzz-bins coverage valgrind

# ---- the replay driver, in `make test` --------------------------------------
# The Makefile has read `test`'s prerequisites before this file, so the
# driver is added to them here; tests/run-all.sh gets $(LIVE_BINS) when the
# recipe runs, which is after this append.
FUZZ_REPLAY := $(BUILD)/tests/fuzz/replay
LIVE_BINS   += $(FUZZ_REPLAY)
test: $(FUZZ_REPLAY)

$(FUZZ_REPLAY): tests/fuzz/replay.c $(FUZZ_DEPS) $(BUILD)/libsyscage.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -Itests -o $@ tests/fuzz/replay.c \
	  tests/fuzz/targets.c $(BUILD)/libsyscage.a $(LDFLAGS)

# ---- libFuzzer ----------------------------------------------------------------
# The library in its own build dir, instrumented for the fuzzer (a sub-make,
# so the ordinary rules build it), then one binary per target.
fuzz-bins: $(BUILD)/fuzz_parser $(BUILD)/fuzz_compiler

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DEPS) $(BUILD)/libsyscage.a
	@$(if $(Q),echo "  FUZZER  $@")
	$(Q)$(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -fsanitize=fuzzer -Itests -o $@ $< \
	  tests/fuzz/targets.c $(BUILD)/libsyscage.a

fuzz:
	@command -v $(FUZZ_CC) >/dev/null || { echo "fuzz: needs $(FUZZ_CC) (make test-deps)"; exit 1; }
	$(MAKE) fuzz-bins BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
	  CFLAGS='-O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link'
	@sh tests/fuzz/run-fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# ---- coverage -----------------------------------------------------------------
coverage:
	@command -v gcovr >/dev/null || { echo "coverage: needs gcovr (apt-get install gcovr)"; exit 1; }
	@mkdir -p $(COV_BUILD) && find $(COV_BUILD) -name '*.gcda' -delete
	@# The numbers are worth having when a test fails too; the status is kept.
	@# The CLI is left out: gcov writes its counters before exec, which is
	@# after `syscage run` loaded the command's filter.
	@status=0; \
	$(MAKE) test BUILD=$(COV_BUILD) CC=gcc MUSL= \
	  CFLAGS='-O0 -g --coverage -fprofile-exclude-files=src/cli/' LDFLAGS=--coverage \
	  || { status=1; echo "coverage: some tests FAILED (coverage below is of the run)"; }; \
	gcovr --root . --object-directory $(COV_BUILD) --filter 'src/' \
	  --json-summary $(COV_BUILD)/coverage.json --txt $(COV_BUILD)/coverage.txt \
	  $(COV_BUILD) || exit 1; \
	$(PYTHON) tests/fuzz/coverage-check.py $(COV_BUILD)/coverage.json $(COVERAGE_MIN) \
	  $(COVERAGE_FILES) || status=1; \
	exit $$status

# ---- valgrind -----------------------------------------------------------------
valgrind: $(FULL_CLI)
	@command -v valgrind >/dev/null || { echo "valgrind: needs valgrind (apt-get install valgrind)"; exit 1; }
	@sh tests/fuzz/valgrind.sh $(FULL_CLI)
