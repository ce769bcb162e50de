#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "arch.h"
#include "constants.h"
#include "oci.h"

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

struct syscage_policy *cli_load_policy_flags(const char *path, const char *arches, unsigned flags)
{
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *policy = NULL;
	char *text = NULL;
	bool text_read = true;
	int err;

	if (!diags) {
		cli_error("out of memory");
		return NULL;
	}
	if (oci_is_profile_path(path)) {
		/* A profile: imported for the native arch, then read as a policy. */
		struct oci_target target = { .arch = (int)arch_native() };

		err = cli_import_profile(path, &target, &text);
		text_read = !err;
		if (!err)
			err = syscage_policy_parse_flags(path, text, strlen(text), arches, flags, diags,
							 &policy);
		free(text);
	} else {
		err = syscage_policy_load_flags(path, arches, flags, diags, &policy);
	}
	cli_print_diagnostics(diags);
	if (err == -ENOMEM)
		cli_error("out of memory while loading %s", path);
	else if (err && !text_read)
		; /* the profile's reader said why */
	else if (err)
		fprintf(stderr, "syscage: %s: %zu error%s; nothing was compiled\n", path,
			syscage_diagnostics_errors(diags),
			syscage_diagnostics_errors(diags) == 1 ? "" : "s");
	syscage_diagnostics_free(diags);
	return err ? NULL : policy;
}

struct syscage_policy *cli_load_policy(const char *path, const char *arches)
{
	return cli_load_policy_flags(path, arches, 0);
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

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes OUT through a temporary file and rename, so a failed compile never
 * leaves half a filter where a sandbox will read it. */
int cli_write_output(const char *path, const char *buf, size_t len)
{
	char *tmp;
	int fd, err;

	struct stat st;

	if (!path || strcmp(path, "-") == 0) {
		err = write_all(STDOUT_FILENO, buf, len);
		return err ? cli_error("cannot write the output: %s", strerror(-err)) : 0;
	}
	/* A device or a pipe (/dev/null, /dev/stdout, a fifo) is written in
	 * place: renaming a file over it would replace it. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return cli_error("cannot open %s: %s", path, strerror(errno));
		err = write_all(fd, buf, len);
		close(fd);
		return err ? cli_error("cannot write %s: %s", path, strerror(-err)) : 0;
	}
	if (asprintf(&tmp, "%s.tmpXXXXXX", path) < 0)
		return cli_error("out of memory");
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = cli_error("cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		return err;
	}
	err = write_all(fd, buf, len);
	if (!err && fchmod(fd, 0644) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err) {
		unlink(tmp);
		free(tmp);
		return cli_error("cannot write %s: %s", path, strerror(-err));
	}
	free(tmp);
	return 0;
}


/* The command's path as execvp would find it; 0, or the exit status. */
int cli_find_command(const char *cmd, const char *name, char **out)
{
	const char *path = getenv("PATH");
	struct stat st;
	int status = EXIT_NOT_FOUND;

	if (strchr(name, '/')) {
		if (stat(name, &st) < 0)
			return cli_error("%s: %s: %s", cmd, name, strerror(errno)), EXIT_NOT_FOUND;
		if (S_ISDIR(st.st_mode) || access(name, X_OK) < 0)
			return cli_error("%s: %s: not an executable file", cmd, name), EXIT_NOT_EXECUTABLE;
		*out = strdup(name);
		return *out ? 0 : cli_error("out of memory");
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *dir = path;; dir = strchr(dir, ':') + 1) {
		size_t len = strcspn(dir, ":");
		char *candidate;

		if (asprintf(&candidate, "%.*s%s%s", (int)len, dir, len ? "/" : "", name) < 0)
			return cli_error("out of memory");
		if (stat(candidate, &st) == 0 && !S_ISDIR(st.st_mode)) {
			if (access(candidate, X_OK) == 0) {
				*out = candidate;
				return 0;
			}
			status = EXIT_NOT_EXECUTABLE;
		}
		free(candidate);
		if (!strchr(dir, ':'))
			break;
	}
	if (status == EXIT_NOT_FOUND)
		cli_error("%s: %s: command not found", cmd, name);
	else
		cli_error("%s: %s: not executable", cmd, name);
	return status;
}

