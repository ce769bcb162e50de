/*
 * Tests of the built-in groups. The syscall names are read from
 * data/syscalls/<arch>.tbl, so the tests run from the repository root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "groups.h"

#define MAX_NAMES 2048

static const char *const tables[] = {
	"data/syscalls/x86_64.tbl", "data/syscalls/i386.tbl",
	"data/syscalls/x32.tbl", "data/syscalls/arm64.tbl",
	"data/syscalls/arm.tbl", "data/syscalls/riscv64.tbl",
};

static char *names[MAX_NAMES];	/* syscalls with a number on some arch, once */
static size_t nnames;

static int compare_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_listed(const char *name)
{
	size_t i;

	for (i = 0; i < nnames; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/* Reads "name<TAB>number" lines; a name without a number is absent there. */
static int load_names(void **state)
{
	char line[256];
	size_t t;

	(void)state;
	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		FILE *f = fopen(tables[t], "r");

		if (!f) {
			fprintf(stderr, "cannot open %s: run from the repository root\n",
				tables[t]);
			return -1;
		}
		while (fgets(line, sizeof(line), f)) {
			char *tab = strchr(line, '\t');

			if (!tab || tab[1] < '0' || tab[1] > '9')
				continue;
			*tab = '\0';
			if (is_listed(line))
				continue;
			if (nnames == MAX_NAMES) {
				fclose(f);
				return -1;
			}
			names[nnames] = strdup(line);
			if (!names[nnames]) {
				fclose(f);
				return -1;
			}
			nnames++;
		}
		fclose(f);
	}
	qsort(names, nnames, sizeof(names[0]), compare_str);
	return nnames > 300 ? 0 : -1;
}

static int free_names(void **state)
{
	(void)state;
	while (nnames)
		free(names[--nnames]);
	return 0;
}

static int is_syscall(const char *name)
{
	return bsearch(&name, names, nnames, sizeof(names[0]), compare_str) != NULL;
}

static void test_sorted_and_unique(void **state)
{
	size_t i, n = builtin_group_count();

	(void)state;
	assert_true(n >= 10);
	for (i = 1; i < n; i++) {
		const char *a = builtin_group_at(i - 1)->name;
		const char *b = builtin_group_at(i)->name;

		if (strcmp(a, b) >= 0)
			fail_msg("groups out of order or repeated: %s, %s", a, b);
	}
	assert_null(builtin_group_at(n));
}

static void test_lookup(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < builtin_group_count(); i++) {
		const struct builtin_group *g = builtin_group_at(i);

		assert_ptr_equal(builtin_group_lookup(g->name), g);
	}
	assert_non_null(builtin_group_lookup("stdio"));
	assert_null(builtin_group_lookup("@stdio"));
	assert_null(builtin_group_lookup("std"));
	assert_null(builtin_group_lookup(""));
	assert_null(builtin_group_lookup(NULL));
	assert_null(builtin_group_lookup("zzz"));
}

static void test_members(void **state)
{
	size_t i, j, k;

	(void)state;
	for (i = 0; i < builtin_group_count(); i++) {
		const struct builtin_group *g = builtin_group_at(i);

		if (!g->summary || !g->summary[0])
			fail_msg("@%s has no summary", g->name);
		if (g->count == 0)
			fail_msg("@%s is empty", g->name);
		for (j = 0; j < g->count; j++) {
			const struct group_member *m = &g->members[j];

			if (!m->reason || !m->reason[0])
				fail_msg("@%s: %s has no reason", g->name, m->name);
			if (m->name[0] == '@') {
				if (!builtin_group_lookup(m->name + 1))
					fail_msg("@%s: no group %s", g->name, m->name);
			} else if (!is_syscall(m->name)) {
				fail_msg("@%s: %s is no syscall on any arch",
					 g->name, m->name);
			}
			for (k = 0; k < j; k++)
				if (strcmp(g->members[k].name, m->name) == 0)
					fail_msg("@%s lists %s twice", g->name, m->name);
		}
	}
}

/* Depth-first search; state 1: on the current path, 2: done. */
static int visit(const struct builtin_group *g, unsigned char *mark)
{
	size_t me = (size_t)(g - builtin_group_at(0)), j;

	if (mark[me] == 1)
		return -1;
	if (mark[me] == 2)
		return 0;
	mark[me] = 1;
	for (j = 0; j < g->count; j++) {
		const char *name = g->members[j].name;

		if (name[0] == '@' && visit(builtin_group_lookup(name + 1), mark) < 0) {
			fprintf(stderr, "cycle through @%s\n", g->name);
			return -1;
		}
	}
	mark[me] = 2;
	return 0;
}

static void test_no_cycles(void **state)
{
	unsigned char mark[256] = { 0 };
	size_t i;

	(void)state;
	assert_true(builtin_group_count() <= sizeof(mark));
	for (i = 0; i < builtin_group_count(); i++)
		assert_int_equal(visit(builtin_group_at(i), mark), 0);
}

/* Whether group gname contains syscall name, directly or nested. */
static int contains(const char *gname, const char *name, int depth)
{
	const struct builtin_group *g = builtin_group_lookup(gname);
	size_t j;

	assert_non_null(g);
	assert_true(depth < 32);
	for (j = 0; j < g->count; j++) {
		const char *m = g->members[j].name;

		if (m[0] == '@' ? contains(m + 1, name, depth + 1) : strcmp(m, name) == 0)
			return 1;
	}
	return 0;
}

/* The everyday groups hold nothing of @sandbox-escape, @admin or @setid. */
static void test_safe_groups_stay_safe(void **state)
{
	static const char *const safe[] = {
		"basic", "event", "file-read", "file-write", "memory",
		"network", "process", "process-info", "signal", "startup",
		"stdio", "threads", "time",
	};
	static const char *const unsafe[] = { "sandbox-escape", "admin", "setid" };
	size_t s, u, j;

	(void)state;
	for (u = 0; u < sizeof(unsafe) / sizeof(unsafe[0]); u++) {
		const struct builtin_group *bad = builtin_group_lookup(unsafe[u]);

		assert_non_null(bad);
		for (j = 0; j < bad->count; j++)
			for (s = 0; s < sizeof(safe) / sizeof(safe[0]); s++)
				if (contains(safe[s], bad->members[j].name, 0))
					fail_msg("@%s contains %s of @%s", safe[s],
						 bad->members[j].name, unsafe[u]);
	}
}

static void test_group_contents(void **state)
{
	/* strace -f /bin/true and /bin/cat on Debian 12, x86_64. */
	static const char *const seen[] = {
		"arch_prctl", "access", "brk", "close", "exit_group", "futex",
		"getrandom", "mmap", "mprotect", "munmap", "newfstatat", "openat",
		"pread64", "prlimit64", "read", "rseq", "set_robust_list",
		"set_tid_address",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(seen) / sizeof(seen[0]); i++)
		if (!contains("startup", seen[i], 0))
			fail_msg("@startup lacks %s", seen[i]);
	assert_false(contains("startup", "execve", 0));
	assert_false(contains("stdio", "ioctl", 0));
	assert_false(contains("stdio", "openat", 0));
	assert_true(contains("stdio", "write", 0));
	assert_true(contains("stdio", "exit_group", 0));
	assert_true(contains("file-read", "openat", 0));
	assert_true(contains("network", "connect", 0));
	assert_true(contains("network", "accept4", 0));
	assert_true(contains("sandbox-escape", "io_uring_setup", 0));
	assert_true(contains("sandbox-escape", "ptrace", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_and_unique),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_members),
		cmocka_unit_test(test_no_cycles),
		cmocka_unit_test(test_safe_groups_stay_safe),
		cmocka_unit_test(test_group_contents),
	};

	return cmocka_run_group_tests(tests, load_names, free_names);
}
