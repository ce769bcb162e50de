/*
 * Built-in syscall groups (@stdio, @file-read, ...): data, with a reason for
 * every member, as OpenBSD's pledge tables carry theirs.
 */
#ifndef SYSCAGE_GROUPS_H
#define SYSCAGE_GROUPS_H

#include <stddef.h>

struct group_member {
	const char *name;	/* a syscall name, or "@group" for a nested group */
	const char *reason;	/* why it belongs here, one short sentence */
};

struct builtin_group {
	const char *name;	/* without the '@': "stdio" */
	const char *summary;	/* what the group is for */
	const struct group_member *members;
	size_t count;
};

/* The built-in group with this name (without '@'), or NULL. */
const struct builtin_group *builtin_group_lookup(const char *name);

/* All built-in groups, sorted by name. */
size_t builtin_group_count(void);
const struct builtin_group *builtin_group_at(size_t i);

#endif
