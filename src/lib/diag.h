/*
 * Collecting diagnostics: the compiler's stages report here, with a place in
 * the policy, a message and an optional hint; the text is rendered at once
 * (file:line:col, the line, a caret) so it does not depend on the sources
 * staying alive.
 */
#ifndef SYSCAGE_DIAG_H
#define SYSCAGE_DIAG_H

#include <setjmp.h>

#include "syscage.h"

/* A policy file in memory. */
struct source {
	const char *path;	/* as given, for messages */
	const char *text;
	size_t len;
};

/* A place in a source: 1-based line and column, the length to underline. */
struct loc {
	const struct source *src;
	size_t offset;
	unsigned line, col, len;
};

/* Arms the out-of-memory jump for the diagnostics' own allocations. */
void diag_bind(struct syscage_diagnostics *diags, jmp_buf *on_oom);

/* Reports a problem at loc (loc.src may be NULL: no place). hint may be NULL. */
void diag_report(struct syscage_diagnostics *diags, enum syscage_severity severity,
		 struct loc loc, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Reports a problem about a whole file, shown at line (0: no line). */
void diag_report_file(struct syscage_diagnostics *diags, enum syscage_severity severity,
		      const struct source *src, unsigned line, const char *hint,
		      const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The loc of a whole line of src (for whole-policy errors). */
struct loc diag_line_loc(const struct source *src, unsigned line);

/*
 * Spelling suggestions: feed candidates, then read best (NULL when nothing is
 * close enough to be a likely typo).
 */
struct spelling {
	const char *query;
	const char *best;
	unsigned distance;
};

void spelling_init(struct spelling *s, const char *query);
void spelling_consider(struct spelling *s, const char *candidate);

#endif
