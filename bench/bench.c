/*
 * syscage's benchmarks, against its peers in the same run (bench/README.md):
 *
 *   insns     BPF instructions executed per syscall (emulated, so the same on
 *             any machine): syscage vs libseccomp's default output and its
 *             binary tree (SCMP_FLTATR_CTL_OPTIMIZE=2), on Docker's default
 *             profile, syscage's examples and a synthetic 400-syscall policy,
 *             uniform over syscall numbers and weighted by a real workload
 *   time      ns per syscall with no filter, syscage's and libseccomp's, in
 *             child processes, interleaved rounds
 *   compile   µs to build the Docker profile's filter: syscage vs libseccomp
 *
 * Results: a table on stdout, one CSV row per figure on the file named by
 * the first argument. Start-up and strict mode are measured by bench/run.sh.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/seccomp.h>

#include "arch.h"
#include "bpf.h"
#include "oci.h"
#include "peers/runc.h"
#include "syscall_table.h"
#include "syscage.h"

#define DOCKER "data/profiles/docker-default.json"

static FILE *csv;

static void record(const char *group, const char *subject, const char *measure, double value,
		   const char *unit)
{
	fprintf(csv, "%s,%s,%s,%.4f,%s\n", group, subject, measure, value, unit);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), compare_doubles);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- programs ----------------------------------------------------------------------- */

struct prog {
	const char *name;
	struct sock_filter *insns;
	size_t len;
};

static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench: %s: %s\n", what, why ? why : "failed");
	exit(1);
}

static struct syscage_policy *load_text(const char *name, const char *text, const char *arches)
{
	struct syscage_diagnostics *d = syscage_diagnostics_new();
	struct syscage_policy *p = NULL;

	if (syscage_policy_parse(name, text, strlen(text), arches, d, &p)) {
		for (size_t i = 0; i < syscage_diagnostics_count(d); i++)
			fputs(syscage_diagnostic_text(d, i), stderr);
		die(name, "does not load");
	}
	syscage_diagnostics_free(d);
	return p;
}

static char *import(const char *path)
{
	struct syscage_diagnostics *d = syscage_diagnostics_new();
	struct oci_target t = { .arch = ARCH_X86_64, .kernel = 6018 };
	char *text = NULL;

	if (oci_import(path, &t, d, &text))
		die(path, "does not import");
	syscage_diagnostics_free(d);
	return text;
}

static struct prog syscage_prog(const char *name, const struct syscage_policy *p)
{
	struct syscage_diagnostics *d = syscage_diagnostics_new();
	struct syscage_program *prog = NULL;
	struct prog out = { .name = "syscage" };

	if (syscage_compile(p, d, &prog))
		die(name, "does not compile");
	out.len = syscage_program_length(prog);
	out.insns = malloc(out.len * sizeof(*out.insns));
	memcpy(out.insns, syscage_program_instructions(prog), out.len * sizeof(*out.insns));
	syscage_program_free(prog);
	syscage_diagnostics_free(d);
	return out;
}

static char *export_to_file(const char *name, const struct syscage_policy *p)
{
	struct syscage_diagnostics *d = syscage_diagnostics_new();
	char *json = NULL, *path = strdup("/tmp/syscage-bench-XXXXXX.json");
	int fd;

	if (oci_export(p, d, &json))
		die(name, "does not export");
	fd = mkstemps(path, 5);
	if (fd < 0 || write(fd, json, strlen(json)) != (ssize_t)strlen(json))
		die(name, "cannot write the export");
	close(fd);
	free(json);
	syscage_diagnostics_free(d);
	return path;
}

static struct prog libseccomp_prog(const char *name, const char *json_path, int optimize)
{
	struct prog out = { .name = optimize == 2 ? "libseccomp-tree" : "libseccomp" };
	char *error = NULL;

	if (runc_filter(json_path, optimize, &out.insns, &out.len, &error))
		die(name, error);
	return out;
}

/* ---- instructions per syscall ---------------------------------------------------------- */

struct workload {
	double weight[1024];	/* by x86_64 number */
	double total;
};

/* strace -c output: "% time seconds usecs/call calls errors syscall" rows. */
static bool read_workload(const char *path, struct workload *w)
{
	FILE *f = fopen(path, "r");
	char line[256];

	memset(w, 0, sizeof(*w));
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		double pct, secs;
		unsigned long usecs, calls;
		char name[64];
		int idx;

		if (sscanf(line, "%lf %lf %lu %lu %*s %63s", &pct, &secs, &usecs, &calls, name) != 5 &&
		    sscanf(line, "%lf %lf %lu %lu %63s", &pct, &secs, &usecs, &calls, name) != 5)
			continue;
		idx = syscall_lookup(name);
		if (idx >= 0 && syscall_number(ARCH_X86_64, idx) >= 0 &&
		    syscall_number(ARCH_X86_64, idx) < 1024) {
			w->weight[syscall_number(ARCH_X86_64, idx)] += (double)calls;
			w->total += (double)calls;
		}
	}
	fclose(f);
	return w->total > 0;
}

struct steps {
	double mean_all, mean_allowed, mean_refused, weighted;
	unsigned min, max, max_any_args;
};

/*
 * The most instructions a run can take for syscall nr (x86_64) over every
 * value of the arguments: the accumulator holds a known value after
 * loading arch, nr or a constant (and ALU on those), an unknown one after
 * loading anything else; a jump on a known value goes one way, on an
 * unknown one the longer way. From an unknown accumulator the longest
 * path depends only on the instruction (X and the scratch memory are
 * taken as unknown throughout), so it is worked out once per instruction.
 */
static unsigned longest_from(const struct sock_filter *prog, size_t len, size_t pc, bool known,
			     uint32_t a, uint32_t nr, unsigned *memo)
{
	unsigned steps = 0;

	while (pc < len) {
		const struct sock_filter *in = &prog[pc];

		if (!known && memo[pc])
			return steps + memo[pc];
		size_t start = pc;
		unsigned here = steps;

		steps++;
		switch (BPF_CLASS(in->code)) {
		case BPF_RET:
			break;
		case BPF_LD:
			if (BPF_MODE(in->code) == BPF_IMM) {
				known = true, a = in->k;
			} else if (BPF_MODE(in->code) == BPF_ABS &&
				   (in->k == offsetof(struct seccomp_data, nr) ||
				    in->k == offsetof(struct seccomp_data, arch))) {
				known = true;
				a = in->k ? AUDIT_ARCH_X86_64 : nr;
			} else {
				known = false;
			}
			pc++;
			continue;
		case BPF_ALU:
			if (known && BPF_SRC(in->code) == BPF_K)	/* neg too */
				a = bpf_alu(in->code, a, in->k);
			else
				known = false;
			pc++;
			continue;
		case BPF_JMP:
			if (BPF_OP(in->code) == BPF_JA) {
				pc += 1 + in->k;
				continue;
			}
			if (known && BPF_SRC(in->code) == BPF_K) {
				pc += 1 + (bpf_jump_taken(in->code, a, in->k) ? in->jt : in->jf);
				continue;
			} else {
				unsigned t = longest_from(prog, len, pc + 1 + in->jt, known, a, nr, memo);
				unsigned f = longest_from(prog, len, pc + 1 + in->jf, known, a, nr, memo);

				steps += t > f ? t : f;
				if (!known)
					memo[start] = steps - here;
				return steps;
			}
		default:	/* st, ldx, tax, txa: X and memory are unknown anyway */
			if (BPF_CLASS(in->code) == BPF_MISC && BPF_MISCOP(in->code) == BPF_TXA)
				known = false;
			pc++;
			continue;
		}
		break;
	}
	return steps;
}

static unsigned longest_path(const struct sock_filter *prog, size_t len, uint32_t nr)
{
	unsigned *memo = calloc(len, sizeof(*memo));
	unsigned steps = longest_from(prog, len, 0, true, 0, nr, memo);

	free(memo);
	return steps;
}

static struct steps count_steps(const struct prog *p, const struct prog *classifier,
				const struct workload *w)
{
	struct steps s = { .min = ~0u };
	double all = 0, allowed = 0, refused = 0, weighted = 0;
	unsigned n = 0, na = 0, nr = 0;

	for (size_t i = 0; i < syscall_arch_count(ARCH_X86_64); i++) {
		uint32_t nr_ = syscall_arch_number_at(ARCH_X86_64, i);
		struct seccomp_data d = { .nr = (int)nr_, .arch = AUDIT_ARCH_X86_64 };
		unsigned steps;
		uint32_t ret = bpf_run(p->insns, p->len, &d, &steps);
		uint32_t verdict = bpf_run(classifier->insns, classifier->len, &d, NULL);

		(void)ret;
		all += steps;
		n++;
		if (verdict == SECCOMP_RET_ALLOW || verdict == SECCOMP_RET_LOG) {
			allowed += steps;
			na++;
		} else {
			refused += steps;
			nr++;
		}
		if (w && nr_ < 1024)
			weighted += steps * w->weight[nr_];
		if (steps < s.min)
			s.min = steps;
		if (steps > s.max)
			s.max = steps;
		unsigned any = longest_path(p->insns, p->len, nr_), ones;
		struct seccomp_data d1 = d;

		memset(d1.args, 0xff, sizeof(d1.args));
		bpf_run(p->insns, p->len, &d1, &ones);
		if (any < steps || any < ones)
			die(p->name, "the longest path is shorter than one run");
		if (any > s.max_any_args)
			s.max_any_args = any;
	}
	s.mean_all = all / n;
	s.mean_allowed = na ? allowed / na : 0;
	s.mean_refused = nr ? refused / nr : 0;
	s.weighted = w && w->total ? weighted / w->total : NAN;
	return s;
}

static void insns_row(const char *subject, const struct prog *progs, size_t n,
		      const struct workload *w)
{
	for (size_t i = 0; i < n; i++) {
		struct steps s = count_steps(&progs[i], &progs[0], w);
		char who[128];

		snprintf(who, sizeof(who), "%s/%s", subject, progs[i].name);
		printf("  %-34s %5zu %6u %7.2f %8.2f %8.2f %5u %8u %9.2f\n", who, progs[i].len, s.min,
		       s.mean_all, s.mean_allowed, s.mean_refused, s.max, s.max_any_args, s.weighted);
		record("insns", who, "length", (double)progs[i].len, "instructions");
		record("insns", who, "mean", s.mean_all, "instructions");
		record("insns", who, "mean_allowed", s.mean_allowed, "instructions");
		record("insns", who, "mean_refused", s.mean_refused, "instructions");
		record("insns", who, "max", s.max, "instructions");
		record("insns", who, "max_any_args", s.max_any_args, "instructions");
		if (!isnan(s.weighted))
			record("insns", who, "workload_weighted", s.weighted, "instructions");
	}
}

/* Three programs for one policy: syscage's, libseccomp's two (through the export). */
static void insns_policy(const char *name, const char *text, const struct workload *w)
{
	struct syscage_policy *p = load_text(name, text, "x86_64");
	char *json = export_to_file(name, p);
	struct prog progs[3] = { syscage_prog(name, p), libseccomp_prog(name, json, 1),
				 libseccomp_prog(name, json, 2) };

	insns_row(name, progs, 3, w);
	for (int i = 0; i < 3; i++)
		free(progs[i].insns);
	unlink(json);
	free(json);
	syscage_policy_free(p);
}

static char *synthetic_policy(void)
{
	/* 400 syscalls (all of x86_64's numbered ones, cycling): every third
	 * refused, every fifth allowed only for some argument values. */
	size_t cap = 1 << 16, n = 0;
	char *text = malloc(cap);

	n += (size_t)snprintf(text + n, cap - n, "default kill\n");
	for (size_t i = 0; i < 400 && i < syscall_arch_count(ARCH_X86_64); i++) {
		int idx = syscall_by_number(ARCH_X86_64, syscall_arch_number_at(ARCH_X86_64, i));
		const char *name = syscall_name(idx);

		/* arg5 past the prototype: a plain 64-bit value everywhere */
		if (i % 5 == 0 && syscall_signature(idx)->nparams < 6)
			n += (size_t)snprintf(text + n, cap - n, "allow %s if arg5 in (%zu, %zu)\n",
					      name, i, i + 7);
		else if (i % 3 == 0)
			n += (size_t)snprintf(text + n, cap - n, "errno EPERM %s\n", name);
		else
			n += (size_t)snprintf(text + n, cap - n, "allow %s\n", name);
	}
	return text;
}

static void bench_insns(const struct workload *w, int nexamples, char **examples)
{
	printf("\nBPF instructions executed per syscall (every x86_64 syscall number, args 0;\n"
	       "any-args: the most over every value of the arguments)\n");
	printf("  %-34s %5s %6s %7s %8s %8s %5s %8s %9s\n", "policy/compiler", "len", "min", "mean",
	       "allowed", "refused", "max", "any-args", "workload");

	char *docker = import(DOCKER);
	struct syscage_policy *dp = load_text("docker", docker, NULL);
	struct prog progs[3] = { syscage_prog("docker", dp), libseccomp_prog("docker", DOCKER, 1),
				 libseccomp_prog("docker", DOCKER, 2) };
	insns_row("docker", progs, 3, w);
	for (int i = 0; i < 3; i++)
		free(progs[i].insns);
	syscage_policy_free(dp);
	free(docker);

	for (int i = 0; i < nexamples; i++) {
		FILE *f = fopen(examples[i], "r");
		char *text = calloc(1, 1 << 16);
		const char *base = strrchr(examples[i], '/');

		if (!f || !text)
			die(examples[i], "cannot read");
		if (fread(text, 1, (1 << 16) - 1, f) == 0)
			die(examples[i], "empty");
		fclose(f);
		insns_policy(base ? base + 1 : examples[i], text, w);
		free(text);
	}
	char *synthetic = synthetic_policy();
	insns_policy("synthetic-400", synthetic, w);
	free(synthetic);
}

/* ---- time per syscall --------------------------------------------------------------- */

#define CALLS 400000
#define ROUNDS 15

/* In a child: load the filter (if any), time CALLS of each call, write ns/call. */
static void time_child(const struct prog *p, int out)
{
	struct sock_fprog fprog;
	double ns[2];

	if (p) {
		fprog.len = (unsigned short)p->len;
		fprog.filter = p->insns;
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog))
			_exit(2);
	}
	for (int which = 0; which < 2; which++) {
		double t0 = now_us();

		for (int i = 0; i < CALLS; i++) {
			if (which == 0)
				syscall(SYS_getppid);	/* allowed outright: the kernel cache */
			else
				syscall(SYS_personality, 0xffffffffUL); /* allowed on its argument */
		}
		ns[which] = (now_us() - t0) * 1000.0 / CALLS;
	}
	if (write(out, ns, sizeof(ns)) != sizeof(ns))
		_exit(3);
	_exit(0);
}

static void bench_time(void)
{
	char *docker = import(DOCKER);
	struct syscage_policy *dp = load_text("docker", docker, "x86_64");
	struct prog progs[3] = { { .name = "none" }, syscage_prog("docker", dp),
				 libseccomp_prog("docker", DOCKER, 2) };
	double results[3][2][ROUNDS];

	for (int round = 0; round < ROUNDS; round++) {
		/* Interleaved, so a noisy moment hits every subject alike. */
		for (int s = 0; s < 3; s++) {
			int fds[2];
			pid_t pid;
			double ns[2];

			if (pipe(fds) < 0)
				die("pipe", strerror(errno));
			pid = fork();
			if (pid == 0) {
				close(fds[0]);
				time_child(s ? &progs[s] : NULL, fds[1]);
			}
			close(fds[1]);
			if (read(fds[0], ns, sizeof(ns)) != sizeof(ns))
				die("timing child", "no result");
			close(fds[0]);
			waitpid(pid, NULL, 0);
			results[s][0][round] = ns[0];
			results[s][1][round] = ns[1];
		}
	}
	printf("\nTime per syscall, ns (Docker profile; median of %d rounds of %d calls; spread min-max)\n",
	       ROUNDS, CALLS);
	static const char *const calls[] = { "getppid (allowed outright)", "personality (checks arg)" };
	double base[2] = { 0 };
	for (int c = 0; c < 2; c++) {
		for (int s = 0; s < 3; s++) {
			double lo = results[s][c][0], hi = lo, med;

			for (int r = 0; r < ROUNDS; r++) {
				lo = fmin(lo, results[s][c][r]);
				hi = fmax(hi, results[s][c][r]);
			}
			med = median(results[s][c], ROUNDS);
			if (s == 0)
				base[c] = med;
			printf("  %-28s %-16s %7.1f  (%.1f-%.1f)  %+6.1f ns over none\n", calls[c],
			       progs[s].name, med, lo, hi, med - base[c]);
			char who[96];
			snprintf(who, sizeof(who), "%s/%s", c ? "personality" : "getppid", progs[s].name);
			record("time", who, "median", med, "ns");
			record("time", who, "spread", hi - lo, "ns");
			record("time", who, "over_none", med - base[c], "ns");
		}
	}
	for (int s = 1; s < 3; s++)
		free(progs[s].insns);
	syscage_policy_free(dp);
	free(docker);
}

/* ---- compile time -------------------------------------------------------------------- */

/* What one build of a filter takes: a policy's text (x86_64 alone, or the
 * arches it names) or an OCI profile through libseccomp. */
struct build {
	const char *text, *arches;	/* syscage: text; NULL: import(json) first */
	const char *json;		/* libseccomp, or syscage's import */
	bool libseccomp;
};

static void build_once(const struct build *b)
{
	struct prog prog;

	if (b->libseccomp) {
		prog = libseccomp_prog("bench", b->json, 2);
	} else {
		char *imported = b->text ? NULL : import(b->json);
		struct syscage_policy *p = load_text("bench", b->text ? b->text : imported, b->arches);

		prog = syscage_prog("bench", p);
		syscage_policy_free(p);
		free(imported);
	}
	free(prog.insns);
}

/* Median µs of RUNS builds, printed and recorded. */
static void time_build(const char *label, const char *subject, const struct build *b)
{
	enum { RUNS = 200 };
	double t[RUNS], us;

	for (int i = 0; i < RUNS; i++) {
		double t0 = now_us();

		build_once(b);
		t[i] = now_us() - t0;
	}
	us = median(t, RUNS);
	printf("  %-40s %9.1f\n", label, us);
	record("compile", subject, "median", us, "us");
}

static void bench_compile(void)
{
	char *docker = import(DOCKER), *synthetic = synthetic_policy();
	struct syscage_policy *sp = load_text("synthetic-400", synthetic, "x86_64");
	char *json = export_to_file("synthetic-400", sp);

	syscage_policy_free(sp);
	printf("\nBuilding the Docker profile's filter, µs (median of 200)\n");
	time_build("syscage (policy, x86_64, verified)", "docker/syscage-x86_64",
		   &(struct build){ .text = docker, .arches = "x86_64" });
	/* the same from the JSON, with its three arches (as runc gets them) */
	time_build("syscage (JSON, 3 arches, verified)", "docker/syscage-json-3arches",
		   &(struct build){ .json = DOCKER });
	time_build("libseccomp (JSON, 3 arches, tree)", "docker/libseccomp-json-3arches",
		   &(struct build){ .json = DOCKER, .libseccomp = true });
	/* The synthetic policy: syscage from its text, libseccomp from its
	 * export (the same rules, as JSON). */
	printf("\nBuilding the synthetic 400-syscall policy's filter, x86_64, µs (median of 200)\n");
	time_build("syscage (policy, verified)", "synthetic-400/syscage",
		   &(struct build){ .text = synthetic, .arches = "x86_64" });
	time_build("libseccomp (JSON, tree)", "synthetic-400/libseccomp",
		   &(struct build){ .json = json, .libseccomp = true });
	unlink(json);
	free(json);
	free(synthetic);
	free(docker);
}

int main(int argc, char **argv)
{
	struct workload w;
	bool have_workload;

	if (argc < 3) {
		fprintf(stderr, "usage: bench OUT.csv WORKLOAD.strace [EXAMPLE.policy...]\n");
		return 2;
	}
	csv = fopen(argv[1], "w");
	if (!csv)
		die(argv[1], strerror(errno));
	fprintf(csv, "group,subject,measure,value,unit\n");
	have_workload = read_workload(argv[2], &w);
	if (!have_workload)
		fprintf(stderr, "bench: no workload in %s; weighted figures left out\n", argv[2]);
	bench_insns(have_workload ? &w : NULL, argc - 3, argv + 3);
	bench_compile();
	bench_time();
	fclose(csv);
	return 0;
}
