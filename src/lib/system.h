/*
 * The one module that changes the calling process's seccomp state:
 * no_new_privs and seccomp(2). Everything else in the library is pure.
 */
#ifndef SYSCAGE_SYSTEM_H
#define SYSCAGE_SYSTEM_H

#include <stddef.h>

#include <linux/filter.h>

/* Sets no_new_privs and loads prog; flags are SECCOMP_FILTER_FLAG_*.
 * Returns 0, a listener fd (with NEW_LISTENER), or -errno. */
int system_load_filter(const struct sock_filter *prog, size_t len, unsigned long flags);

#endif
