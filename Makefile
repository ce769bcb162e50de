# syscage build. `make` builds, `make demo` shows the main job, `make check`
# runs every test (also under AddressSanitizer and UBSan). See HACKING.md.

CC      ?= cc
BUILD   ?= build
PYTHON  ?= python3
VERSION := 0.1.0

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-missing-field-initializers
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -fvisibility=hidden -Iinclude -Isrc/lib -Isrc/formats \
              -DSYSCAGE_VERSION='"$(VERSION)"' -MMD -MP
ifeq ($(SANITIZE),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS    += -fsanitize=address,undefined
endif

LIB_SRCS  := $(sort $(wildcard src/lib/*.c src/lib/gen/*.c))
# Formats other tools use (OCI JSON): linked into the CLI, not the library,
# which needs nothing but libc.
FMT_SRCS  := $(filter-out src/formats/oci_handover.c,$(sort $(wildcard src/formats/*.c)))
CLI_SRCS  := $(sort $(wildcard src/cli/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
LIVE_SRCS := $(sort $(wildcard tests/live/test_*.c))
# Programs the run tests start under policies: never sanitized (a
# sanitizer's own syscalls would meet the policies under test).
PROBE_SRCS := $(sort $(wildcard tests/run/*.c))

# With musl-gcc at hand, `syscage` itself is linked statically against musl.
# A glibc program spends most of its start-up on CPU feature detection, and
# on a virtual machine every cpuid instruction traps to the hypervisor
# (14 µs each here, 0.8 ms per start): `syscage run` would pay that on top
# of the command's own start. Debian has no musl build of jansson, so the
# static binary hands a command that reads JSON over to syscage-json
# (src/formats/oci_handover.c). `make MUSL=` builds one glibc binary instead;
# sanitized and clang builds always do.
MUSL ?= $(if $(filter 1,$(SANITIZE)),,$(if $(filter cc gcc,$(notdir $(CC))),$(shell command -v musl-gcc 2>/dev/null)))
# The command line with everything in it, linked with the C compiler's libc
# (glibc) and jansson: syscage-json beside a static syscage, else syscage.
FULL_CLI := $(BUILD)/$(if $(MUSL),syscage-json,syscage)

LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/%.o)
FMT_OBJS  := $(FMT_SRCS:%.c=$(BUILD)/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/%.c=$(BUILD)/tests/%)
LIVE_BINS := $(LIVE_SRCS:tests/%.c=$(BUILD)/tests/%)
PROBE_BINS := $(PROBE_SRCS:tests/%.c=$(BUILD)/tests/%)

.PHONY: all demo check test deps test-deps regen regen-check clean format
all: $(BUILD)/syscage $(FULL_CLI) $(BUILD)/libsyscage-strict.so

# V=1 shows the commands.
Q := $(if $(V),,@)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libsyscage.a: $(LIB_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/libsyscage-formats.a: $(FMT_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(FULL_CLI): $(CLI_OBJS) $(BUILD)/libsyscage-formats.a $(BUILD)/libsyscage.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -ljansson

ifneq ($(MUSL),)
MULTIARCH := $(shell $(CC) -print-multiarch)
MUSL_FMT_SRCS := $(filter-out src/formats/oci_import.c,$(FMT_SRCS)) src/formats/oci_handover.c
MUSL_OBJS := $(patsubst %.c,$(BUILD)/musl/%.o,$(filter-out src/lib/constants.c,$(LIB_SRCS)) \
               $(CLI_SRCS) $(MUSL_FMT_SRCS)) $(BUILD)/musl/src/lib/constants.o
# Only the kernel's headers from the system's include directory: musl's
# own headers for everything else.
$(BUILD)/musl/kernel-headers:
	@mkdir -p $@
	$(Q)for d in linux asm-generic; do ln -sfn /usr/include/$$d $@/$$d; done
	$(Q)ln -sfn /usr/include/$(MULTIARCH)/asm $@/asm
$(BUILD)/musl/%.o: %.c | $(BUILD)/musl/kernel-headers
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  MUSL    $@")
	$(Q)$(MUSL) $(ALL_CFLAGS) -DSYSCAGE_ARENA_MMAP -idirafter $(BUILD)/musl/kernel-headers -c $< -o $@
# Named constants take their values from the system's headers, which musl's
# lack some of: the static binary gets glibc's table, as numbers.
$(BUILD)/musl/constants-table.h: tools/dump-constants.c $(BUILD)/libsyscage.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -o $(BUILD)/musl/dump-constants $< $(BUILD)/libsyscage.a
	$(Q)$(BUILD)/musl/dump-constants > $@.tmp && mv $@.tmp $@
$(BUILD)/musl/src/lib/constants.o: src/lib/constants.c $(BUILD)/musl/constants-table.h | $(BUILD)/musl/kernel-headers
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  MUSL    $@")
	$(Q)$(MUSL) $(ALL_CFLAGS) -idirafter $(BUILD)/musl/kernel-headers \
	  -DSYSCAGE_CONSTANTS_TABLE='"$(abspath $(BUILD)/musl/constants-table.h)"' -c $< -o $@
$(BUILD)/syscage: $(MUSL_OBJS) | $(FULL_CLI)
	@$(if $(Q),echo "  LD      $@ (static, musl)")
	$(Q)$(MUSL) -static -o $@ $^
-include $(MUSL_OBJS:.o=.d)
endif

TEST_LIBS := -lcmocka -ljansson
# libseccomp is a test-only oracle.
$(BUILD)/tests/unit/test_oci: TEST_LIBS += tests/peers/runc.c -lseccomp

$(BUILD)/tests/%: tests/%.c tests/helpers.h $(wildcard tests/*/*.h) $(BUILD)/libsyscage-formats.a $(BUILD)/libsyscage.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(BUILD)/libsyscage-formats.a $(BUILD)/libsyscage.a $(LDFLAGS) $(TEST_LIBS)

$(BUILD)/tests/run/%: tests/run/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  PROBE   $@")
	$(Q)$(CC) -std=gnu11 -D_GNU_SOURCE $(WARN) -O2 -g -pthread -o $@ $<

# Preloaded into programs under `syscage strict`: never sanitized (a
# sanitizer's syscalls would end the program in strict mode).
STRICT_SRCS := $(sort $(wildcard src/strict/*.c))
$(BUILD)/libsyscage-strict.so: $(STRICT_SRCS) $(wildcard src/strict/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  SO      $@")
	$(Q)$(CC) -std=gnu11 -D_GNU_SOURCE $(WARN) -O2 -g -fPIC -shared -fvisibility=hidden \
		-fno-builtin-malloc -Isrc/strict -o $@ $(STRICT_SRCS)

# Builds and runs the tests of one build directory.
test: $(BUILD)/syscage $(FULL_CLI) $(BUILD)/libsyscage-strict.so $(UNIT_BINS) $(LIVE_BINS) $(PROBE_BINS)
	@BUILD=$(BUILD) tests/run-all.sh $(UNIT_BINS) $(LIVE_BINS)

deps:
	@tools/install-deps.sh build

test-deps:
	@tools/install-deps.sh test

# Every test twice: an ordinary build and one under ASan+UBSan; and the
# build with clang too, since both compilers must take the code as it is.
check: test-deps
	$(MAKE) regen-check
	$(PYTHON) tools/gen-groups-doc.py --check
	$(MAKE) test BUILD=build
	$(MAKE) test BUILD=build/asan SANITIZE=1 CFLAGS='-O1 -g'
	$(MAKE) all BUILD=build/clang CC=clang
	$(MAKE) valgrind

# Built by a second make: what deps installs (musl-gcc) decides how.
demo: deps
	@$(MAKE) all
	@tools/demo.sh $(BUILD)/syscage

regen:
	$(PYTHON) tools/gen-syscalls.py --data data --out src/lib/gen

# The generated tables must be what the generator makes of the data today.
regen-check:
	@tmp=$$(mktemp -d) && $(PYTHON) tools/gen-syscalls.py --data data --out $$tmp \
	  && diff -ru src/lib/gen $$tmp && rm -rf $$tmp && echo "regen-check: generated tables are up to date"

format:
	clang-format -i $(LIB_SRCS) $(CLI_SRCS) $(UNIT_SRCS) $(LIVE_SRCS) include/*.h src/lib/*.h

clean:
	rm -rf build

# Oracles (tests/oracle/) and fuzzing, coverage and valgrind (tests/fuzz/)
# keep their rules next to their code.
-include tests/oracle/oracle.mk
include bench/bench.mk
-include tests/fuzz/fuzz.mk

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(FMT_OBJS:.o=.d)
