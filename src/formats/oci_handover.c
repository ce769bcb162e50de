/*
 * Reading JSON profiles in a syscage built without jansson: the static musl
 * build (see the Makefile; Debian has no musl build of jansson). The command
 * is handed over, exactly as it was typed, to syscage-json beside this
 * binary, which is the same command line linked with glibc and jansson.
 * Reading the profile is the first thing any command does, so starting it
 * again in the other binary repeats nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "oci.h"

#define MAX_CMDLINE (256 * 1024)

/* This process's argv, from /proc/self/cmdline (NUL-separated). */
static char **own_argv(void)
{
	static char buf[MAX_CMDLINE];
	size_t len = 0, n = 0;
	ssize_t got;
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	char **argv;

	if (fd < 0)
		return NULL;
	while (len < sizeof(buf) - 1 && (got = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)got;
	close(fd);
	if (len == 0 || len == sizeof(buf) - 1) {
		errno = E2BIG;
		return NULL;
	}
	buf[len] = '\0';
	for (size_t i = 0; i < len; i++)
		n += buf[i] == '\0';
	argv = calloc(n + 1, sizeof(*argv));
	if (!argv)
		return NULL;
	n = 0;
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
		argv[n++] = buf + i;
	return argv;
}

/* Executes syscage-json from this binary's directory; returns on failure. */
static void hand_over(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - sizeof("syscage-json"));
	char **argv = own_argv();
	char *slash;

	if (n <= 0 || !argv)
		goto out;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (!slash)
		goto out;
	strcpy(slash + 1, "syscage-json");
	fflush(NULL);
	execv(path, argv);
out:
	free(argv);
}

int oci_import(const char *path, const struct oci_target *target,
	       struct syscage_diagnostics *diags, char **text)
{
	struct source src = { .path = path, .text = "" };

	(void)target;
	*text = NULL;
	hand_over();
	diag_report_file(diags, SYSCAGE_ERROR, &src, 0,
			 "build syscage with jansson (make MUSL=), or install syscage-json beside it",
			 "cannot read a JSON profile: this syscage is a static build without a "
			 "JSON reader, and syscage-json, which has one, cannot be started (%s)",
			 strerror(errno));
	return -EINVAL;
}
