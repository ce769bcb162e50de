#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct diag_entry {
	enum syscage_severity severity;
	const char *file;
	unsigned line, col;
	const char *message;
	const char *text;
};

struct syscage_diagnostics {
	struct arena arena;
	jmp_buf own_oom;
	struct diag_entry *entries;
	size_t count, cap, errors;
};

SYSCAGE_API struct syscage_diagnostics *syscage_diagnostics_new(void)
{
	return calloc(1, sizeof(struct syscage_diagnostics));
}

SYSCAGE_API void syscage_diagnostics_free(struct syscage_diagnostics *diags)
{
	if (!diags)
		return;
	arena_release(&diags->arena);
	free(diags);
}

void diag_bind(struct syscage_diagnostics *diags, jmp_buf *on_oom)
{
	diags->arena.on_oom = on_oom;
}

SYSCAGE_API size_t syscage_diagnostics_count(const struct syscage_diagnostics *diags)
{
	return diags->count;
}

SYSCAGE_API size_t syscage_diagnostics_errors(const struct syscage_diagnostics *diags)
{
	return diags->errors;
}

SYSCAGE_API const char *syscage_diagnostic_text(const struct syscage_diagnostics *diags, size_t i)
{
	return i < diags->count ? diags->entries[i].text : NULL;
}

SYSCAGE_API enum syscage_severity syscage_diagnostic_severity(const struct syscage_diagnostics *diags,
							      size_t i)
{
	return i < diags->count ? diags->entries[i].severity : SYSCAGE_ERROR;
}

SYSCAGE_API const char *syscage_diagnostic_message(const struct syscage_diagnostics *diags, size_t i)
{
	return i < diags->count ? diags->entries[i].message : NULL;
}

SYSCAGE_API const char *syscage_diagnostic_file(const struct syscage_diagnostics *diags, size_t i)
{
	return i < diags->count ? diags->entries[i].file : NULL;
}

SYSCAGE_API unsigned syscage_diagnostic_line(const struct syscage_diagnostics *diags, size_t i)
{
	return i < diags->count ? diags->entries[i].line : 0;
}

SYSCAGE_API unsigned syscage_diagnostic_column(const struct syscage_diagnostics *diags, size_t i)
{
	return i < diags->count ? diags->entries[i].col : 0;
}

static const char *severity_name(enum syscage_severity severity)
{
	switch (severity) {
	case SYSCAGE_ERROR:
		return "error";
	case SYSCAGE_WARNING:
		return "warning";
	case SYSCAGE_NOTE:
		return "note";
	}
	return "error";
}

/* The source line around loc, and the caret line under it (tabs kept so the
 * caret lines up in a terminal). */
static char *render_excerpt(struct arena *arena, struct loc loc)
{
	const char *text = loc.src->text;
	size_t start = loc.offset, end = loc.offset, i, n = 0;
	unsigned width = loc.len ? loc.len : 1;
	char *out;

	if (start > loc.src->len)
		start = end = loc.src->len;
	while (start > 0 && text[start - 1] != '\n')
		start--;
	while (end < loc.src->len && text[end] != '\n')
		end++;
	if (loc.offset + width > end)
		width = end > loc.offset ? (unsigned)(end - loc.offset) : 1;
	out = arena_alloc(arena, 2 * (end - start) + width + 16);
	n += (size_t)sprintf(out, "    ");
	memcpy(out + n, text + start, end - start);
	n += end - start;
	n += (size_t)sprintf(out + n, "\n    ");
	for (i = start; i < loc.offset && i < end; i++)
		out[n++] = text[i] == '\t' ? '\t' : ' ';
	out[n++] = '^';
	for (i = 1; i < width; i++)
		out[n++] = '~';
	out[n++] = '\n';
	out[n] = '\0';
	return out;
}

static void add_entry(struct syscage_diagnostics *diags, enum syscage_severity severity,
		      struct loc loc, const char *hint, const char *message)
{
	struct diag_entry *e = ARENA_PUSH(&diags->arena, diags->entries, diags->count, diags->cap);
	const char *place, *excerpt = "";

	e->severity = severity;
	e->message = message;
	/* The diagnostics outlive the policy (and its sources): keep a copy. */
	e->file = loc.src ? arena_strdup(&diags->arena, loc.src->path) : NULL;
	e->line = loc.src ? loc.line : 0;
	e->col = loc.src ? loc.col : 0;
	if (loc.src && loc.line && loc.col) {
		place = arena_printf(&diags->arena, "%s:%u:%u: ", loc.src->path, loc.line, loc.col);
		excerpt = render_excerpt(&diags->arena, loc);
	} else if (loc.src && loc.line) {
		place = arena_printf(&diags->arena, "%s:%u: ", loc.src->path, loc.line);
	} else if (loc.src) {
		place = arena_printf(&diags->arena, "%s: ", loc.src->path);
	} else {
		place = "";
	}
	e->text = arena_printf(&diags->arena, "%s%s: %s\n%s%s%s%s", place, severity_name(severity),
			       message, excerpt, hint ? "hint: " : "", hint ? hint : "",
			       hint ? "\n" : "");
	if (severity == SYSCAGE_ERROR)
		diags->errors++;
}

static void vreport(struct syscage_diagnostics *diags, enum syscage_severity severity,
		    struct loc loc, const char *hint, const char *fmt, va_list ap)
{
	va_list again;
	char *message;
	int len;

	va_copy(again, ap);
	len = vsnprintf(NULL, 0, fmt, ap);
	message = arena_alloc(&diags->arena, (size_t)(len < 0 ? 0 : len) + 1);
	vsnprintf(message, (size_t)(len < 0 ? 0 : len) + 1, fmt, again);
	va_end(again);
	add_entry(diags, severity, loc, hint, message);
}

void diag_report(struct syscage_diagnostics *diags, enum syscage_severity severity,
		 struct loc loc, const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(diags, severity, loc, hint, fmt, ap);
	va_end(ap);
}

struct loc diag_line_loc(const struct source *src, unsigned line)
{
	struct loc loc = { .src = src, .line = line, .col = 0 };
	unsigned l = 1;
	size_t i = 0;

	while (l < line && i < src->len) {
		if (src->text[i++] == '\n')
			l++;
	}
	loc.offset = i;
	return loc;
}

void diag_report_file(struct syscage_diagnostics *diags, enum syscage_severity severity,
		      const struct source *src, unsigned line, const char *hint,
		      const char *fmt, ...)
{
	struct loc loc = { .src = src };
	va_list ap;

	if (src && line)
		loc = diag_line_loc(src, line);
	va_start(ap, fmt);
	vreport(diags, severity, loc, hint, fmt, ap);
	va_end(ap);
}

/* Optimal string alignment distance: insertions, deletions, substitutions and
 * swaps of neighbours ("opneat" is one edit from "openat"). Names are short. */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned d[48][48];

	if (la >= 48 || lb >= 48)
		return 99;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
			unsigned best = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

void spelling_init(struct spelling *s, const char *query)
{
	s->query = query;
	s->best = NULL;
	s->distance = 99;
}

void spelling_consider(struct spelling *s, const char *candidate)
{
	size_t len = strlen(s->query);
	unsigned limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	unsigned d = edit_distance(s->query, candidate);

	if (d <= limit && d < s->distance) {
		s->best = candidate;
		s->distance = d;
	}
}
