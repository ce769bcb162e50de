/* libseccomp as runc and crun use it, for tests and benchmarks (a peer). */
#ifndef SYSCAGE_TESTS_PEERS_RUNC_H
#define SYSCAGE_TESTS_PEERS_RUNC_H

#include <stddef.h>

#include <linux/filter.h>

/*
 * The filter runc builds from the OCI profile at path (see runc.c), with
 * libseccomp's SCMP_FLTATR_CTL_OPTIMIZE set to optimize. Returns 0 and
 * *insns (malloc'ed) of *len instructions, or -1 and *error (malloc'ed).
 */
int runc_filter(const char *path, int optimize, struct sock_filter **insns, size_t *len,
		char **error);

#endif
