# make bench: syscage against its peers, in one run (bench/README.md).
.PHONY: bench bench-deps

bench-deps:
	@tools/install-deps.sh bench

$(BUILD)/bench/bench: bench/bench.c tests/peers/runc.c $(BUILD)/libsyscage-formats.a $(BUILD)/libsyscage.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  BENCH   $@")
	$(Q)$(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -Itests -o $@ bench/bench.c tests/peers/runc.c \
	  $(BUILD)/libsyscage-formats.a $(BUILD)/libsyscage.a -ljansson -lseccomp -lm

bench: bench-deps all $(BUILD)/bench/bench $(BUILD)/libsyscage-strict.so
	@BUILD=$(BUILD) sh bench/run.sh
