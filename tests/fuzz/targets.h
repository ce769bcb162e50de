/*
 * The logic of the fuzz targets, shared by the libFuzzer entry points
 * (fuzz_parser.c, fuzz_compiler.c) and the replay driver (replay.c) that
 * `make test` runs over the corpus and the regressions without clang's
 * fuzzer runtime.
 *
 * Each function takes one input and returns 0 when syscage behaved, or -1
 * after printing to stderr what went wrong (the libFuzzer entries then
 * abort, so the input is saved as a crash).
 */
#ifndef SYSCAGE_TESTS_FUZZ_TARGETS_H
#define SYSCAGE_TESTS_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/*
 * The bytes are a policy. Parsing must end in success or in -EINVAL with
 * errors, every diagnostic naming a line; a parsed policy must compile (also
 * supervised) or fail with -E2BIG, never -EPROTO; the program must agree
 * with the policy on sampled calls; failed allocations must unwind cleanly.
 */
int fuzz_parser_one(const uint8_t *data, size_t size);

/*
 * The bytes drive a generator of valid policies (arches, groups, rules over
 * real syscalls with conditions on their arguments). The policy must parse,
 * compile (or fail with -E2BIG) and agree with its program on sampled calls.
 */
int fuzz_compiler_one(const uint8_t *data, size_t size);

/* The policy text fuzz_compiler_one makes of the bytes (malloc'ed), for
 * reading a reproducer; NULL when out of memory. */
char *fuzz_compiler_policy(const uint8_t *data, size_t size);

#endif
