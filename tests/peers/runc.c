/* A peer for tests and benchmarks: libseccomp, driven as runc drives it. */
#include "runc.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>
#include <seccomp.h>


static uint32_t scmp_action(const char *name, json_t *ret)
{
	uint32_t value = ret ? (uint32_t)json_integer_value(ret) : EPERM;

	if (strcmp(name, "SCMP_ACT_ALLOW") == 0)
		return SCMP_ACT_ALLOW;
	if (strcmp(name, "SCMP_ACT_ERRNO") == 0)
		return SCMP_ACT_ERRNO(value);
	if (strcmp(name, "SCMP_ACT_KILL") == 0 || strcmp(name, "SCMP_ACT_KILL_THREAD") == 0)
		return SCMP_ACT_KILL_THREAD;
	if (strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0)
		return SCMP_ACT_KILL_PROCESS;
	if (strcmp(name, "SCMP_ACT_TRAP") == 0)
		return SCMP_ACT_TRAP;
	if (strcmp(name, "SCMP_ACT_TRACE") == 0)
		return SCMP_ACT_TRACE(value);
	if (strcmp(name, "SCMP_ACT_LOG") == 0)
		return SCMP_ACT_LOG;
	if (strcmp(name, "SCMP_ACT_NOTIFY") == 0)
		return SCMP_ACT_NOTIFY;
	return UINT32_MAX;
}

static enum scmp_compare scmp_op(const char *op)
{
	static const struct {
		const char *name;
		enum scmp_compare op;
	} ops[] = { { "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
		    { "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
		    { "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
		    { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ } };

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(ops[i].name, op) == 0)
			return ops[i].op;
	}
	return _SCMP_CMP_MIN;
}

static bool in_list(json_t *list, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v) {
		if (strcmp(json_string_value(v), name) == 0)
			return true;
	}
	return false;
}

static const char *const docker_caps[] = { "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
					   "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
					   "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP",
					   "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
					   "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE", NULL };

static bool has_cap(const char *cap)
{
	for (const char *const *c = docker_caps; *c; c++) {
		if (strcmp(*c, cap) == 0)
			return true;
	}
	return false;
}

/* moby's rules for includes and excludes, on amd64, kernel 6.18, Docker's caps. */
static bool entry_applies(json_t *e)
{
	json_t *exc = json_object_get(e, "excludes"), *inc = json_object_get(e, "includes"), *v;
	size_t i;

	if (exc) {
		if (in_list(json_object_get(exc, "arches"), "amd64"))
			return false;
		json_array_foreach(json_object_get(exc, "caps"), i, v) {
			if (has_cap(json_string_value(v)))
				return false;
		}
		if (json_object_get(exc, "minKernel"))
			return false; /* every minKernel of the profile is below 6.18 */
	}
	if (inc) {
		json_t *arches = json_object_get(inc, "arches");

		if (json_array_size(arches) && !in_list(arches, "amd64"))
			return false;
		json_array_foreach(json_object_get(inc, "caps"), i, v) {
			if (!has_cap(json_string_value(v)))
				return false;
		}
	}
	return true;
}

/* Reads a profile, with integers above 2^63 (valid in profiles, too large
 * for jansson) as the negative numbers of the same 64 bits. */
static json_t *load_profile(const char *path, json_error_t *jerr)
{
	FILE *f = fopen(path, "r");
	char *text = calloc(1, 1 << 22);
	size_t len = fread(text, 1, (1 << 22) - 1, f);
	char *out = calloc(1, 2 * len + 1), *o = out;
	json_t *root;

	fclose(f);
	for (char *p = text; *p;) {
		char *end;
		unsigned long long v;

		if (isdigit((unsigned char)*p) && p > text && p[-1] != '-' && !isalnum((unsigned char)p[-1])) {
			errno = 0;
			v = strtoull(p, &end, 10);
			if (errno == 0 && v > (unsigned long long)INT64_MAX && *end != '.') {
				o += sprintf(o, "%lld", (long long)v);
				p = end;
				continue;
			}
		}
		*o++ = *p++;
	}
	root = json_loads(out, 0, jerr);
	free(text);
	free(out);
	return root;
}

/* "SCMP_ARCH_X86_64" to libseccomp's token (its names are lower case). */
static uint32_t resolve_arch(const char *scmp_name)
{
	char name[32];
	size_t i;

	for (i = 0; scmp_name[strlen("SCMP_ARCH_") + i] && i < sizeof(name) - 1; i++)
		name[i] = (char)tolower((unsigned char)scmp_name[strlen("SCMP_ARCH_") + i]);
	name[i] = '\0';
	return seccomp_arch_resolve_name(name);
}

/*
 * Builds a filter from an OCI profile the way runc does (and crun, through
 * the same library): libseccomp, the profile's default action, its archMap
 * for x86_64, includes and excludes for amd64 with Docker's capabilities on
 * a current kernel, one rule per name with the entry's conditions (ANDed,
 * or one rule each when an argument index repeats), names libseccomp does
 * not know skipped. Bad-arch action: KILL_PROCESS, as syscage.
 *
 * optimize: SCMP_FLTATR_CTL_OPTIMIZE (1: libseccomp's default, priority
 * order; 2: binary tree, which runc asks for above 32 rules).
 */
int runc_filter(const char *path, int optimize, struct sock_filter **insns, size_t *len,
		char **error)
{
	json_error_t jerr;
	json_t *root = load_profile(path, &jerr), *e, *v;
	size_t i, j;
	int rc = -1;

	*error = NULL;
	if (!root) {
		if (asprintf(error, "%s:%d: %s", path, jerr.line, jerr.text) < 0)
			*error = NULL;
		return -1;
	}
	json_t *def = json_object_get(root, "defaultAction");
	scmp_filter_ctx ctx = seccomp_init(scmp_action(json_string_value(def),
						      json_object_get(root, "defaultErrnoRet")));
	if (!ctx)
		goto out;
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, (uint32_t)optimize))
		goto out;
	json_t *archmap = json_object_get(root, "archMap"), *arches = json_object_get(root, "architectures");
	json_array_foreach(arches, i, v) {
		uint32_t a = resolve_arch(json_string_value(v));

		if (a && a != SCMP_ARCH_X86_64 && seccomp_arch_add(ctx, a))
			goto out;
	}
	json_array_foreach(archmap, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "architecture")), "SCMP_ARCH_X86_64"))
			continue;
		json_array_foreach(json_object_get(e, "subArchitectures"), j, v) {
			int r = seccomp_arch_add(ctx, resolve_arch(json_string_value(v)));

			if (r && r != -EEXIST)
				goto out;
		}
	}
	json_array_foreach(json_object_get(root, "syscalls"), i, e) {
		if (!entry_applies(e))
			continue;
		uint32_t action = scmp_action(json_string_value(json_object_get(e, "action")),
					      json_object_get(e, "errnoRet"));
		struct scmp_arg_cmp conds[6 * 8];
		unsigned counts[6] = { 0 };
		bool repeated = false;
		size_t n = 0, k;
		json_t *a;

		json_array_foreach(json_object_get(e, "args"), k, a) {
			unsigned index = (unsigned)json_integer_value(json_object_get(a, "index"));

			if (n == sizeof(conds) / sizeof(conds[0]) || index > 5)
				goto out;
			conds[n].arg = index;
			conds[n].op = scmp_op(json_string_value(json_object_get(a, "op")));
			conds[n].datum_a = (uint64_t)json_integer_value(json_object_get(a, "value"));
			conds[n].datum_b = (uint64_t)json_integer_value(json_object_get(a, "valueTwo"));
			repeated |= ++counts[index] > 1;
			n++;
		}
		json_array_foreach(json_object_get(e, "names"), j, v) {
			int nr = seccomp_syscall_resolve_name(json_string_value(v));

			if (nr == __NR_SCMP_ERROR)
				continue; /* runc skips what libseccomp does not know */
			if (!repeated) {
				int r = seccomp_rule_add_array(ctx, action, nr, (unsigned)n, conds);

				if (r && r != -EACCES) /* -EACCES: the default action */
					goto out;
			} else {
				for (size_t c = 0; c < n; c++)
					seccomp_rule_add_array(ctx, action, nr, 1, &conds[c]);
			}
		}
	}
	int fd = memfd_create("bpf", 0);
	if (fd < 0 || seccomp_export_bpf(ctx, fd)) {
		if (fd >= 0)
			close(fd);
		goto out;
	}
	off_t size = lseek(fd, 0, SEEK_END);
	*insns = malloc((size_t)size);
	if (*insns && pread(fd, *insns, (size_t)size, 0) == size) {
		*len = (size_t)size / sizeof(struct sock_filter);
		rc = 0;
	}
	close(fd);
out:
	if (rc && !*error && asprintf(error, "%s: libseccomp could not build the filter", path) < 0)
		*error = NULL;
	seccomp_release(ctx);
	json_decref(root);
	return rc;
}
