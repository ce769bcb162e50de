/*
 * Replays the fuzz corpus and the regressions through the fuzz targets'
 * logic, without clang's fuzzer runtime; part of `make test`, run from the
 * repository root.
 *
 *   replay                    every file under tests/fuzz/corpus/parser,
 *                             corpus/compiler and regressions/{parser,compiler}
 *   replay FILE|DIR...        those (the target by the path: a name with
 *                             "compiler" in it goes to the compiler target,
 *                             anything else to the parser target)
 *   replay --print FILE...    the policies the compiler target makes of FILEs
 *
 * Prints "fuzz-replay: N passed, M failed"; exits 1 when any failed.
 */
#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "targets.h"

static const char *const default_dirs[] = {
	"tests/fuzz/corpus/parser",
	"tests/fuzz/corpus/compiler",
	"tests/fuzz/regressions/parser",
	"tests/fuzz/regressions/compiler",
};

static unsigned passed, failed;
static const char *current;

/* A crash outside a sanitizer: say which input it was, then die of it. */
static void on_fatal(int sig)
{
	static const char msg[] = "fuzz-replay: crashed on ";

	if (current) {
		ssize_t r = write(2, msg, sizeof(msg) - 1);

		r = write(2, current, strlen(current));
		r = write(2, "\n", 1);
		(void)r;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static int read_all(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return -1;
	for (;;) {
		if (n == cap) {
			uint8_t *grown = realloc(buf, cap ? cap * 2 : 4096);

			if (!grown) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = grown;
			cap = cap ? cap * 2 : 4096;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

static void replay_file(const char *path, int (*target)(const uint8_t *, size_t))
{
	uint8_t *data;
	size_t len;

	if (read_all(path, &data, &len)) {
		fprintf(stderr, "fuzz-replay: cannot read %s\n", path);
		failed++;
		return;
	}
	current = path;
	if (target(data, len)) {
		fprintf(stderr, "fuzz-replay: FAILED %s\n", path);
		failed++;
	} else {
		passed++;
	}
	current = NULL;
	free(data);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_path(const char *path, bool must_exist)
{
	int (*target)(const uint8_t *, size_t) =
		strstr(path, "compiler") ? fuzz_compiler_one : fuzz_parser_one;
	struct stat st;

	if (stat(path, &st)) {
		if (must_exist) {
			fprintf(stderr, "fuzz-replay: no such file or directory: %s\n", path);
			failed++;
		}
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		replay_file(path, target);
		return;
	}
	DIR *d = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (!d) {
		fprintf(stderr, "fuzz-replay: cannot open %s\n", path);
		failed++;
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;	/* ., .., .gitkeep */
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		names[n] = malloc(strlen(path) + strlen(de->d_name) + 2);
		if (!names[n])
			abort();
		sprintf(names[n], "%s/%s", path, de->d_name);
		n++;
	}
	closedir(d);
	/* Same order everywhere, so a failure is reproducible. */
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		if (!stat(names[i], &st) && S_ISREG(st.st_mode) &&
		    !strstr(names[i], "README"))
			replay_file(names[i], target);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	signal(SIGSEGV, on_fatal);
	signal(SIGBUS, on_fatal);
	signal(SIGFPE, on_fatal);
	signal(SIGILL, on_fatal);
	signal(SIGABRT, on_fatal);

	if (argc > 1 && strcmp(argv[1], "--print") == 0) {
		for (int i = 2; i < argc; i++) {
			uint8_t *data;
			size_t len;

			if (read_all(argv[i], &data, &len)) {
				fprintf(stderr, "fuzz-replay: cannot read %s\n", argv[i]);
				return 1;
			}
			char *policy = fuzz_compiler_policy(data, len);
			printf("# %s\n%s", argv[i], policy ? policy : "");
			free(policy);
			free(data);
		}
		return 0;
	}
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			replay_path(argv[i], true);
	} else {
		for (size_t i = 0; i < sizeof(default_dirs) / sizeof(default_dirs[0]); i++)
			replay_path(default_dirs[i], false);
	}
	printf("fuzz-replay: %u passed, %u failed\n", passed, failed);
	return failed || !passed ? 1 : 0;
}
