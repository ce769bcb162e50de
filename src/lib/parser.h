/*
 * Parsing: policy text to statements, includes expanded in place.
 * Syntax errors are reported to the diagnostics; parsing goes on at the next
 * line so that one run shows every mistake.
 */
#ifndef SYSCAGE_PARSER_H
#define SYSCAGE_PARSER_H

#include "arena.h"
#include "ast.h"

struct parser_input {
	struct arena *arena;
	struct syscage_diagnostics *diags;
	struct stmt_list *out;		/* statements are appended here */
	const struct source *first;	/* set to the top-level source */
};

/* Parses the file at path. Returns 0, or -EINVAL when errors were reported. */
int parser_parse_file(struct parser_input *in, const char *path);

/* Parses text already in memory; includes are relative to the current dir. */
int parser_parse_text(struct parser_input *in, const char *name, const char *text, size_t len);

/* Reads a policy file into the arena. Returns 0, -errno, or -EFBIG when the
 * file is larger than a policy can reasonably be (16 MiB). */
int source_read(struct arena *arena, const char *path, struct source **out);

#endif
