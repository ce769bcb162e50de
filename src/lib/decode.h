/* Decoding a syscall and its arguments for people (reports, learn mode). */
#ifndef SYSCAGE_DECODE_H
#define SYSCAGE_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"

/* Reads a NUL-terminated string at addr into buf (at most size bytes);
 * returns the bytes read or -errno. For display only. */
typedef int (*decode_read_fn)(void *ctx, uint64_t addr, char *buf, size_t size);

/* Writes "openat(AT_FDCWD, \"/etc/shadow\", O_RDONLY)" into buf (truncated
 * to size). read may be NULL: strings are then shown as addresses. */
void decode_call(enum arch_id arch, uint32_t nr, const uint64_t args[6], decode_read_fn read,
		 void *ctx, char *buf, size_t size);

#endif
