# Differential tests (tests/oracle/): the kernel and libseccomp as oracles.
# Included at the end of the Makefile: the binaries become prerequisites of
# `test` here, and LIVE_BINS (expanded when the `test` recipe runs, after
# this file was read) hands them to tests/run-all.sh. `make oracle` builds
# and runs them alone.

ORACLE_BINS := $(BUILD)/tests/oracle/test_kernel_oracle

# The libseccomp oracle needs libseccomp's header and library (Debian:
# libseccomp-dev); without them it is left out, and the kernel oracle runs.
ORACLE_HAVE_LIBSECCOMP := $(shell printf '\043include <seccomp.h>\n' | \
	$(CC) -E -x c - >/dev/null 2>&1 && echo yes)
ifeq ($(ORACLE_HAVE_LIBSECCOMP),yes)
ORACLE_BINS += $(BUILD)/tests/oracle/test_libseccomp_oracle
endif

$(BUILD)/tests/oracle/test_libseccomp_oracle: tests/oracle/test_libseccomp_oracle.c \
		tests/oracle/oracle.h $(BUILD)/libsyscage.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(BUILD)/libsyscage.a $(LDFLAGS) -lseccomp

test: $(ORACLE_BINS)
LIVE_BINS += $(ORACLE_BINS)

.PHONY: oracle
oracle: $(ORACLE_BINS)
	@for t in $(ORACLE_BINS); do $$t || exit 1; done
