# make bench: syscage against its peers, in one run (bench/README.md).
.PHONY: bench bench-deps bench-run

bench-deps:
	@tools/install-deps.sh bench

$(BUILD)/bench/bench: bench/bench.c tests/peers/runc.c $(BUILD)/libsyscage-formats.a $(BUILD)/libsyscage.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  BENCH   $@")
	$(Q)$(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -Itests -o $@ bench/bench.c tests/peers/runc.c \
	  $(BUILD)/libsyscage-formats.a $(BUILD)/libsyscage.a -ljansson -lseccomp -lm

# A second make after the peers are installed: musl-gcc, installed with
# them on a fresh machine, decides how syscage is linked, and the start-up
# figures are the static CLI's.
bench: bench-deps
	@$(MAKE) bench-run

bench-run: all $(BUILD)/bench/bench $(BUILD)/libsyscage-strict.so
	@BUILD=$(BUILD) sh bench/run.sh
