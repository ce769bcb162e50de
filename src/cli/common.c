#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "constants.h"

void cli_print_diagnostics(const struct syscage_diagnostics *diags)
{
	for (size_t i = 0; i < syscage_diagnostics_count(diags); i++)
		fputs(syscage_diagnostic_text(diags, i), stderr);
}

int cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("syscage: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

struct syscage_policy *cli_load_policy(const char *path, const char *arches)
{
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *policy = NULL;
	int err;

	if (!diags) {
		cli_error("out of memory");
		return NULL;
	}
	err = syscage_policy_load(path, arches, diags, &policy);
	cli_print_diagnostics(diags);
	if (err == -ENOMEM)
		cli_error("out of memory while loading %s", path);
	else if (err)
		fprintf(stderr, "syscage: %s: %zu error%s; nothing was compiled\n", path,
			syscage_diagnostics_errors(diags),
			syscage_diagnostics_errors(diags) == 1 ? "" : "s");
	syscage_diagnostics_free(diags);
	return err ? NULL : policy;
}

bool cli_parse_value(const char *text, unsigned long long *out)
{
	const struct named_constant *k = constant_lookup(text);
	char *end;

	if (k) {
		*out = k->value;
		return true;
	}
	errno = 0;
	if (text[0] == '-') {
		long long v = strtoll(text, &end, 0);

		*out = (unsigned long long)v;
	} else {
		*out = strtoull(text, &end, 0);
	}
	return errno == 0 && end != text && *end == '\0';
}
