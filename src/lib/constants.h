/*
 * Named constants a policy may use in expressions (O_RDONLY, TIOCSTI, ...)
 * and errno names for `errno NAME`. Values are those of the build host's
 * headers (x86_64 here); see doc/policy-language.md for what that means for
 * policies that cover other arches.
 */
#ifndef SYSCAGE_CONSTANTS_H
#define SYSCAGE_CONSTANTS_H

#include <stddef.h>
#include <stdint.h>

struct named_constant {
	const char *name;	/* "O_RDONLY" */
	uint64_t value;
	const char *family;	/* the prefix family, for decoding: "O_", "PROT_" */
};

/* The constant with this exact name, or NULL. */
const struct named_constant *constant_lookup(const char *name);

/* All constants, sorted by name (for suggestions and listings). */
size_t constant_count(void);
const struct named_constant *constant_at(size_t i);

/* The errno value for a name such as "EACCES", or -1. */
int errno_lookup(const char *name);

/* The name of an errno value ("EACCES"), or NULL. */
const char *errno_name(int value);

#endif
