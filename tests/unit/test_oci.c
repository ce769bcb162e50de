/*
 * OCI profiles, checked against libseccomp (a test-only oracle, the library
 * runc and crun build their filters with):
 *
 * - Docker's default profile, imported and compiled by syscage, decides
 *   like the filter libseccomp builds from the same JSON the way runc does,
 *   over every syscall number and the boundary values of every compared
 *   argument (as a C caller passes them: see below);
 * - export(policy), built by libseccomp, decides like the policy, on every
 *   input, upper-half garbage included;
 * - export(import(profile)) keeps the meaning.
 *
 * The one intended difference: syscage compares a 32-bit argument on the
 * bits the kernel uses, libseccomp 2.5 on all 64 (seccomp/libseccomp#139).
 * So for profiles written for libseccomp, values of 32-bit arguments are
 * tried zero- or sign-extended, as a C caller passes them.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>
#include <linux/audit.h>
#include <seccomp.h>

#include "arch.h"
#include "bpf.h"
#include "helpers.h"
#include "peers/runc.h"
#include "oci.h"
#include "syscall_table.h"
#include "syscage.h"

/* A copy of ../shared/data/profiles/docker-default.json (data/README.md). */
#define DOCKER_PROFILE "data/profiles/docker-default.json"

struct program {
	struct sock_filter *insns;
	size_t len;
};

static struct program libseccomp_program(const char *path)
{
	struct program p = { 0 };
	char *err = NULL;

	if (runc_filter(path, 2, &p.insns, &p.len, &err))
		fail_msg("libseccomp: %s", err);
	assert_int_equal(bpf_check(p.insns, p.len, NULL), 0);
	return p;
}

/* ---- syscage ------------------------------------------------------------------- */

static void print_diags(struct syscage_diagnostics *d)
{
	for (size_t i = 0; i < syscage_diagnostics_count(d); i++) {
		if (syscage_diagnostic_severity(d, i) == SYSCAGE_ERROR)
			fputs(syscage_diagnostic_text(d, i), stderr);
	}
}

static struct syscage_policy *policy_from_text(const char *name, const char *text)
{
	struct syscage_diagnostics *d = syscage_diagnostics_new();
	struct syscage_policy *pol = NULL;
	int err = syscage_policy_parse(name, text, strlen(text), NULL, d, &pol);

	print_diags(d);
	assert_int_equal(err, 0);
	syscage_diagnostics_free(d);
	return pol;
}

static char *import_text(const char *path)
{
	struct syscage_diagnostics *d = syscage_diagnostics_new();
	struct oci_target target = { .arch = ARCH_X86_64, .kernel = 6018 };
	char *text = NULL;
	int err = oci_import(path, &target, d, &text);

	print_diags(d);
	assert_int_equal(err, 0);
	syscage_diagnostics_free(d);
	return text;
}

static char *export_json(const struct syscage_policy *pol)
{
	struct syscage_diagnostics *d = syscage_diagnostics_new();
	char *json = NULL;
	int err = oci_export(pol, d, &json);

	print_diags(d);
	assert_int_equal(err, 0);
	syscage_diagnostics_free(d);
	return json;
}

static struct program syscage_prog(const struct syscage_policy *pol)
{
	struct syscage_diagnostics *d = syscage_diagnostics_new();
	struct syscage_program *prog = NULL;
	struct program p;

	assert_int_equal(syscage_compile(pol, d, &prog), 0);
	p.len = syscage_program_length(prog);
	p.insns = malloc(p.len * sizeof(*p.insns));
	memcpy(p.insns, syscage_program_instructions(prog), p.len * sizeof(*p.insns));
	syscage_program_free(prog);
	syscage_diagnostics_free(d);
	return p;
}

static char *write_temp(const char *text)
{
	char *path = strdup("/tmp/syscage-test-XXXXXX.json");
	int fd = mkstemps(path, 5);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* ---- comparing ------------------------------------------------------------------ */

/* Syscalls libseccomp 2.5.4 does not know: runc skips them, so a profile's
 * rules on them do not exist there; they are left out of the comparison. */
static bool unknown_to_libseccomp(uint32_t audit, uint32_t nr)
{
	uint32_t arch = audit == AUDIT_ARCH_I386 ? SCMP_ARCH_X86
			: nr >= 0x40000000	 ? SCMP_ARCH_X32
						 : SCMP_ARCH_X86_64;
	int a = audit == AUDIT_ARCH_I386 ? ARCH_I386 : nr >= 0x40000000 ? ARCH_X32 : ARCH_X86_64;
	int idx = syscall_by_number(a, nr);
	char *name;

	if (idx < 0)
		return false;
	name = seccomp_syscall_resolve_num_arch(arch, (int)nr);
	free(name);
	return name == NULL;
}

struct tally {
	unsigned long compared, skipped, disagreements;
};

/* Values to try for each argument: boundaries, and each constant +-1.
 * Without garbage, a 32-bit argument gets what a C caller passes: an
 * unsigned one zero-extended, a signed one sign-extended. */
static size_t arg_values(uint64_t *out, bool garbage, int arch, uint32_t nr, int arg)
{
	static const uint64_t base[] = {
		0, 1, 2, 7, 8, 38, 39, 40, 41, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000, 0x8000000000000000, UINT64_MAX, 0x20000, 0x20008, 0x20001,
		0x7e020000, 0x7e020001, 0x10000000, 0x00010000, 0xfffffffffffffffe,
	};
	int idx = arch >= 0 ? syscall_by_number(arch, nr) : -1;
	const struct syscall_signature *sig = idx >= 0 ? syscall_signature(idx) : NULL;
	unsigned bits = 64;
	bool is_signed = false;
	size_t n = 0;

	if (sig && arg < sig->nparams) {
		bits = sig->params[arg].bits;
		is_signed = sig->params[arg].kind == PARAM_SIGNED;
	}
	if (arch == ARCH_I386)
		bits = 32;
	for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		uint64_t v = base[i];

		if (!garbage && bits < 64) {
			v &= ((uint64_t)1 << bits) - 1;
			if (is_signed && (v >> (bits - 1)))
				v |= ~(((uint64_t)1 << bits) - 1);
		}
		out[n++] = v;
		if (garbage)
			out[n++] = v | 0xdead000000000000;
	}
	return n;
}

static void compare(const struct program *a, const struct program *b, bool garbage,
		    bool skip_unknown, struct tally *t)
{
	static const uint32_t audits[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386 };
	uint64_t values[128];

	for (size_t ai = 0; ai < 2; ai++) {
		for (uint64_t nr = 0; nr <= 0x40000000 + 600; nr++) {
			if (nr == 600)
				nr = 0x3ffffffe;
			if (audits[ai] == AUDIT_ARCH_I386 && nr > 600)
				break;
			if (skip_unknown && unknown_to_libseccomp(audits[ai], (uint32_t)nr)) {
				t->skipped++;
				continue;
			}
			/* Every argument position, each value, the others zero. */
			int arch = ai ? ARCH_I386 : nr >= 0x40000000 ? ARCH_X32 : ARCH_X86_64;
			for (int arg = 0; arg < 6; arg++) {
				size_t nvalues = arg_values(values, garbage, arch, (uint32_t)nr, arg);

				for (size_t v = 0; v < nvalues; v++) {
					struct seccomp_data d = { .nr = (int)nr, .arch = audits[ai] };
					uint32_t ra, rb;

					d.args[arg] = values[v];
					ra = bpf_run(a->insns, a->len, &d, NULL);
					rb = bpf_run(b->insns, b->len, &d, NULL);
					t->compared++;
					if (ra != rb && t->disagreements++ < 10)
						fprintf(stderr,
							"disagree: arch %#x nr %#llx arg%d=%#llx: %#x vs %#x\n",
							audits[ai], (unsigned long long)nr, arg,
							(unsigned long long)values[v], ra, rb);
				}
			}
		}
	}
}

static const char *docker_profile(void)
{
	return DOCKER_PROFILE;
}

static void test_docker_profile_vs_libseccomp(void **state)
{
	(void)state;
	char *text = import_text(docker_profile());
	struct syscage_policy *pol = policy_from_text("docker.policy", text);
	struct program ours = syscage_prog(pol), theirs = libseccomp_program(docker_profile());
	struct tally t = { 0 };

	compare(&ours, &theirs, false, true, &t);
	printf("docker profile vs libseccomp: %lu compared, %lu numbers skipped (unknown to "
	       "libseccomp 2.5.4), %lu disagreements\n", t.compared, t.skipped, t.disagreements);
	assert_int_equal(t.disagreements, 0);
	free(ours.insns);
	free(theirs.insns);
	syscage_policy_free(pol);
	free(text);
}

/* A policy and the filter libseccomp builds from its export agree on every
 * input, upper-half garbage included: the patterns keep syscage's widths. */
static void check_export(const char *name, const char *policy_text)
{
	struct syscage_policy *pol = policy_from_text(name, policy_text);
	char *json = export_json(pol);
	char *path = write_temp(json);
	struct program ours = syscage_prog(pol), theirs = libseccomp_program(path);
	struct tally t = { 0 };

	compare(&ours, &theirs, true, true, &t);
	printf("%s: export vs libseccomp: %lu compared, %lu disagreements\n", name, t.compared,
	       t.disagreements);
	assert_int_equal(t.disagreements, 0);

	/* and export then import keeps the meaning, without any exception */
	char *text = import_text(path);
	struct syscage_policy *again = policy_from_text("again.policy", text);
	struct program back = syscage_prog(again);
	struct tally t2 = { 0 };
	compare(&ours, &back, true, false, &t2);
	printf("%s: import(export) vs policy: %lu compared, %lu disagreements\n", name, t2.compared,
	       t2.disagreements);
	assert_int_equal(t2.disagreements, 0);
	unlink(path);
	free(path);
	free(json);
	free(text);
	free(ours.insns);
	free(theirs.insns);
	free(back.insns);
	syscage_policy_free(again);
	syscage_policy_free(pol);
}

/* Imports one profile for target arch: its text, or NULL and the first
 * diagnostic in message. */
static char *try_import_for(int arch, const char *json, char *message, size_t size)
{
	struct syscage_diagnostics *d = syscage_diagnostics_new();
	struct oci_target target = { .arch = arch, .kernel = 6018 };
	char *path = write_temp(json), *text = NULL;

	message[0] = 0;
	if (oci_import(path, &target, d, &text) != 0) {
		assert_null(text);
		snprintf(message, size, "%s", syscage_diagnostic_text(d, 0));
	}
	unlink(path);
	free(path);
	syscage_diagnostics_free(d);
	return text;
}

static char *try_import(const char *json, char *message, size_t size)
{
	return try_import_for(ARCH_X86_64, json, message, size);
}

#define PROFILE(arches, rule)                                                                 \
	"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[" arches "],\"syscalls\":[" \
	"{\"names\":[\"io_uring_setup\"],\"action\":\"SCMP_ACT_ERRNO\"}," rule "]}"
#define X86_64_I386_X32 "\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\""
#define X86_64_X32 "\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X32\""

/* A profile covering i386 or x32 compares each register as that arch's
 * kernel reads it: a value too wide there is an error naming the arch and
 * what to do (it used to be "the imported policy does not compile (a bug
 * in syscage)"), and past a 64-bit value in two registers an index is that
 * register, as libseccomp takes it. */
static void test_values_by_arch(void **state)
{
	static const struct {
		const char *json, *error;
	} refused[] = {
		/* fchown without 32 on i386: 16-bit ids */
		{ PROFILE(X86_64_I386_X32, "{\"names\":[\"fchown\"],\"action\":\"SCMP_ACT_ALLOW\","
					   "\"args\":[{\"index\":1,\"value\":100000,\"op\":\"SCMP_CMP_EQ\"}]}"),
		  "0x186a0 does not fit in argument 'user' on i386, where the kernel reads it as 16 "
		  "bits\nhint: leave SCMP_ARCH_X86 out" },
		/* ptrace's request: 32 bits on i386 and in x32's compat call */
		{ PROFILE(X86_64_I386_X32, "{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ERRNO\","
					   "\"args\":[{\"index\":0,\"value\":4294967312,\"op\":\"SCMP_CMP_EQ\"}]}"),
		  "0x100000010 does not fit in argument 'request' on i386, where the kernel reads it "
		  "as 32 bits\nhint: leave SCMP_ARCH_X86 out" },
		{ PROFILE(X86_64_X32, "{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ERRNO\","
				      "\"args\":[{\"index\":0,\"value\":4294967312,\"op\":\"SCMP_CMP_EQ\"}]}"),
		  "0x100000010 does not fit in argument 'request' on x32, where the kernel reads it "
		  "as 32 bits\nhint: leave SCMP_ARCH_X32 out" },
		/* An order one rule cannot say for two readings (found by review:
		 * written for 32 bits, it let lseek(fd, 4 GiB) through on x86_64;
		 * and a signed rewrite on what i386 reads as an unsigned register) */
		{ PROFILE(X86_64_I386_X32, "{\"names\":[\"lseek\"],\"action\":\"SCMP_ACT_ERRNO\","
					   "\"args\":[{\"index\":1,\"value\":4294967280,\"op\":\"SCMP_CMP_GT\"}]}"),
		  "argument 'offset' is a signed 64-bit value on x86_64 and a signed 32-bit one on "
		  "i386: one rule cannot say this order for both" },
		{ PROFILE(X86_64_I386_X32, "{\"names\":[\"pread64\"],\"action\":\"SCMP_ACT_ERRNO\","
					   "\"args\":[{\"index\":3,\"value\":4294967280,\"op\":\"SCMP_CMP_GE\"}]}"),
		  "argument 'arg3' is a signed 64-bit value on x86_64 and an unsigned 32-bit one on "
		  "i386" },
		/* i386 alone: its sixth register is fanotify_mark's pathname */
		{ PROFILE("\"SCMP_ARCH_X86\"", "{\"names\":[\"fanotify_mark\"],\"action\":\"SCMP_ACT_ERRNO\","
						  "\"args\":[{\"index\":5,\"value\":5,\"op\":\"SCMP_CMP_EQ\"}]}"),
		  "compares argument 5 of fanotify_mark, on i386 a pointer" },
		/* prctl's arg5 is its fifth register: the sixth has no name */
		{ PROFILE(X86_64_I386_X32, "{\"names\":[\"prctl\"],\"action\":\"SCMP_ACT_ERRNO\","
					   "\"args\":[{\"index\":5,\"value\":5,\"op\":\"SCMP_CMP_EQ\"}]}"),
		  "compares argument 5 of prctl, past its parameters: a policy cannot name it" },
	};
	static const struct {
		const char *json, *rule;
		int target;
	} imported[] = {
		/* For i386, the mask is still written whole for x86_64 and x32
		 * (the second review: 'uid & 0' let setuid(100000) through) */
		{ PROFILE(X86_64_I386_X32, "{\"names\":[\"setuid\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
					   "{\"index\":0,\"value\":4294901760,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}"),
		  "allow setuid if uid & 0xffff0000 == 0", ARCH_I386 },
		/* Unsigned on x86_64 and i386, signed in x32's compat preadv: the
		 * signed form, which a small value makes the same in all three */
		{ PROFILE(X86_64_I386_X32, "{\"names\":[\"preadv\"],\"action\":\"SCMP_ACT_ERRNO\","
					   "\"args\":[{\"index\":3,\"value\":5,\"op\":\"SCMP_CMP_LT\"}]}"),
		  "errno EPERM preadv if (arg3 >= 0 && arg3 < 5)" },
		/* A mask keeps its 64 bits where the arch reads them (the review's
		 * setuid(100000) went through when it was cut to i386's 16) */
		{ PROFILE(X86_64_I386_X32, "{\"names\":[\"setuid\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
					   "{\"index\":0,\"value\":4294901760,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}"),
		  "allow setuid if uid & 0xffff0000 == 0" },
		/* A small value: the same order in every reading */
		{ PROFILE(X86_64_I386_X32, "{\"names\":[\"lseek\"],\"action\":\"SCMP_ACT_ERRNO\","
					   "\"args\":[{\"index\":1,\"value\":100,\"op\":\"SCMP_CMP_GT\"}]}"),
		  "errno EPERM lseek if !(offset >= 0 && offset < 101)" },
		/* i386 alone: the fifth register is fanotify_mark's fd (the mask
		 * takes the third and fourth) */
		{ PROFILE("\"SCMP_ARCH_X86\"", "{\"names\":[\"fanotify_mark\"],\"action\":\"SCMP_ACT_ERRNO\","
						  "\"args\":[{\"index\":4,\"value\":5,\"op\":\"SCMP_CMP_EQ\"}]}"),
		  "errno EPERM fanotify_mark if fd == 5" },
	};
	char message[512];
	char *text;

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		text = try_import(refused[i].json, message, sizeof(message));
		assert_null(text);
		if (!strstr(message, refused[i].error))
			fail_msg("case %zu: %s", i, message);
	}
	for (size_t i = 0; i < sizeof(imported) / sizeof(imported[0]); i++) {
		text = try_import_for(imported[i].target ? imported[i].target : ARCH_X86_64,
				      imported[i].json, message, sizeof(message));
		if (!text)
			fail_msg("case %zu: %s", i, message);
		if (!strstr(text, imported[i].rule))
			fail_msg("case %zu: want '%s' in:\n%s", i, imported[i].rule, text);
		free(text);
	}
	/* The 16-bit call's -1, written as libc passes it, fits. */
	text = try_import(PROFILE(X86_64_I386_X32,
				  "{\"names\":[\"fchown\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
				  "{\"index\":1,\"value\":4294967295,\"op\":\"SCMP_CMP_EQ\"}]}"),
			  message, sizeof(message));
	if (!text)
		fail_msg("%s", message);
	assert_non_null(strstr(text, "allow fchown if user == 0xffffffff"));
	free(text);

	/* fadvise64's index 3 is advice on x86_64, len on i386 (the offset
	 * takes registers 1 and 2): by position, deciding as libseccomp does. */
	static const char fadvise[] =
		PROFILE("\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"",
			"{\"names\":[\"fadvise64\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
			"{\"index\":3,\"value\":4,\"op\":\"SCMP_CMP_EQ\"}]}");
	char *path = write_temp(fadvise);
	struct program theirs = libseccomp_program(path);

	text = try_import(fadvise, message, sizeof(message));
	if (!text)
		fail_msg("%s", message);
	assert_non_null(strstr(text, "allow fadvise64 if arg3 == 4"));
	struct syscage_policy *pol = policy_from_text("fadvise", text);
	struct program ours = syscage_prog(pol);
	static const struct {
		uint32_t audit;
		int arch;
	} on[] = { { AUDIT_ARCH_X86_64, ARCH_X86_64 }, { AUDIT_ARCH_I386, ARCH_I386 } };

	for (size_t a = 0; a < 2; a++) {
		for (uint64_t v = 3; v <= 5; v++) {
			struct seccomp_data d = {
				.nr = syscall_number(on[a].arch, syscall_lookup("fadvise64")),
				.arch = on[a].audit,
				.args = { 0, 0, 0, v },
			};
			uint32_t mine = bpf_run(ours.insns, ours.len, &d, NULL);

			assert_int_equal(mine, bpf_run(theirs.insns, theirs.len, &d, NULL));
			assert_int_equal(mine == SECCOMP_RET_ALLOW, v == 4);
		}
	}
	free(ours.insns);
	free(theirs.insns);
	syscage_policy_free(pol);
	free(text);
	unlink(path);
	free(path);
}

/* A profile compares clone's registers by index: index 4 is tls on x86_64
 * alone, a pointer (child_tidptr) on i386; imported as a name only where
 * it means that index on every arch the profile covers. */
static void test_clone_index_by_arch(void **state)
{
	static const char x86_64_only[] =
		"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
		"{\"names\":[\"io_uring_setup\"],\"action\":\"SCMP_ACT_ERRNO\"},"
		"{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":77,"
		"\"args\":[{\"index\":4,\"value\":4660,\"op\":\"SCMP_CMP_EQ\"}]}]}";
	static const char with_i386[] =
		"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":[{\"architecture\":"
		"\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\"]}],\"syscalls\":["
		"{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":77,"
		"\"args\":[{\"index\":4,\"value\":4660,\"op\":\"SCMP_CMP_EQ\"}]}]}";
	static const char old_mmap[] =
		"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":[{\"architecture\":"
		"\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\"]}],\"syscalls\":["
		"{\"names\":[\"mmap\"],\"action\":\"SCMP_ACT_ERRNO\","
		"\"args\":[{\"index\":2,\"value\":4,\"valueTwo\":4,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}";
	char path[] = "/tmp/syscage-oci-XXXXXX";
	struct oci_target target = { .arch = ARCH_X86_64, .kernel = 6018 };
	struct syscage_diagnostics *d = syscage_diagnostics_new();
	char *text = NULL;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, x86_64_only, sizeof(x86_64_only) - 1), (ssize_t)sizeof(x86_64_only) - 1);
	close(fd);
	text = import_text(path);
	assert_non_null(strstr(text, "clone if tls == 0x1234"));
	free(text);
	text = NULL;
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, with_i386, sizeof(with_i386) - 1), (ssize_t)sizeof(with_i386) - 1);
	close(fd);
	/* On i386 index 4 is a pointer: refused, and it says where. */
	assert_int_not_equal(oci_import(path, &target, d, &text), 0);
	assert_null(text);
	assert_non_null(strstr(syscage_diagnostic_message(d, 0), "on i386 a pointer"));
	syscage_diagnostics_free(d);
	/* i386's mmap is old_mmap: no argument of it is in a register. */
	d = syscage_diagnostics_new();
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, old_mmap, sizeof(old_mmap) - 1), (ssize_t)sizeof(old_mmap) - 1);
	close(fd);
	assert_int_not_equal(oci_import(path, &target, d, &text), 0);
	assert_null(text);
	assert_non_null(strstr(syscage_diagnostic_message(d, 0), "in memory behind one pointer"));
	syscage_diagnostics_free(d);
	unlink(path);
}

static void test_export_examples(void **state)
{
	(void)state;
	check_export("signed-and-widths",
		     "default errno EPERM\n"
		     "kill kill if pid <= 0\n"
		     "allow kill if sig in (0, SIGTERM)\n"
		     "errno EACCES openat if flags & O_ACCMODE != O_RDONLY\n"
		     "allow openat\n"
		     "errno EPERM ioctl if cmd in (TIOCSTI, TIOCLINUX)\n"
		     "allow ioctl\n"
		     "errno 5 lseek if offset < 0\n"
		     "errno 6 lseek if offset > 0x100000005\n"
		     "allow lseek, read, write, close\n"
		     "errno 7 fchmod if mode & 07777 == 04755\n"
		     "allow fchmod if mode >= 0100\n"
		     "trap getpid\nlog getppid\nkill-thread gettid\n"
		     "allow personality if personality == 0xffffffff\n");
	check_export("cat", "default kill\n"
			    "errno EACCES openat if flags & O_ACCMODE != O_RDONLY\n"
			    "errno ENOTTY ioctl if cmd in (TCGETS, TIOCGWINSZ)\n"
			    "allow @basic, @file-read\n");
}

static void test_docker_round_trip(void **state)
{
	(void)state;
	char *text = import_text(docker_profile());
	struct syscage_policy *pol = policy_from_text("docker.policy", text);
	char *json = export_json(pol);
	char *path = write_temp(json);
	char *text2 = import_text(path);
	struct syscage_policy *pol2 = policy_from_text("docker2.policy", text2);
	struct program a = syscage_prog(pol), b = syscage_prog(pol2);
	struct tally t = { 0 };

	compare(&a, &b, true, false, &t);
	printf("docker: import(export(import(profile))) vs import(profile): %lu compared, %lu "
	       "disagreements\n", t.compared, t.disagreements);
	assert_int_equal(t.disagreements, 0);
	unlink(path);
	free(path);
	free(json);
	free(text);
	free(text2);
	free(a.insns);
	free(b.insns);
	syscage_policy_free(pol);
	syscage_policy_free(pol2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_profile_vs_libseccomp),
		cmocka_unit_test(test_clone_index_by_arch),
		cmocka_unit_test(test_values_by_arch),
		cmocka_unit_test(test_export_examples),
		cmocka_unit_test(test_docker_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
