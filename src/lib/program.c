/* Compiled programs: compiling (with verification), formats, emulation, loading. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "codegen.h"
#include "syscall_table.h"
#include "system.h"
#include "verify.h"

/* A syscall the policy names, remembered for --stats. */
struct named_nr {
	uint8_t arch;
	uint32_t nr;
	bool conditional;
};

struct syscage_program {
	struct arena arena;
	jmp_buf oom;
	struct sock_filter *insns;
	const char **notes;
	size_t len;
	uint64_t verified;
	bool supervises_kills;
	const char *policy_name;
	uint32_t arch_mask;
	uint32_t default_ret;
	struct named_nr *named;
	size_t nnamed, named_cap;
};

static void remember_named(struct syscage_program *prog, const struct syscage_policy *policy)
{
	for (int a = 0; a < ARCH_COUNT; a++) {
		const struct arch_rules *ar = &policy->arches[a];

		if (!ar->covered)
			continue;
		prog->arch_mask |= arch_bit(a);
		for (size_t i = 0; i < ar->count; i++) {
			if (i && ar->entries[i - 1].nr == ar->entries[i].nr) {
				prog->named[prog->nnamed - 1].conditional |=
					ar->entries[i].cond->kind != COND_TRUE;
				continue;
			}
			struct named_nr *n = ARENA_PUSH(&prog->arena, prog->named, prog->nnamed,
							 prog->named_cap);
			n->arch = (uint8_t)a;
			n->nr = ar->entries[i].nr;
			n->conditional = ar->entries[i].cond->kind != COND_TRUE;
		}
	}
}

static int compile(const struct syscage_policy *policy, const struct compile_mode *mode,
		   struct syscage_diagnostics *diags, struct syscage_program **out)
{
	struct syscage_program *prog;
	struct arena work = { 0 };
	jmp_buf diag_oom;
	struct sock_filter *insns;
	const char **notes;
	size_t len;
	int err;

	if (!policy || !diags)
		return -EINVAL;
	prog = calloc(1, sizeof(*prog));
	if (!prog)
		return -ENOMEM;
	prog->arena.on_oom = &prog->oom;
	work.on_oom = &prog->oom;
	if (setjmp(prog->oom) || setjmp(diag_oom)) {
		diag_bind(diags, NULL);
		arena_release(&work);
		syscage_program_free(prog);
		return -ENOMEM;
	}
	diag_bind(diags, &diag_oom);
	err = codegen_program(&work, policy, mode, &insns, &notes, &len);
	if (err == -E2BIG) {
		diag_report_file(diags, SYSCAGE_ERROR, policy->main, policy->default_action.loc.line,
				 "split the policy, or group syscalls that share an outcome so their "
				 "numbers form ranges",
				 "the compiled filter has %zu instructions; the kernel accepts at most %d",
				 len, BPF_MAX_INSNS);
	}
	if (!err)
		err = verify_program(&work, policy, mode, insns, len, diags, &prog->verified);
	if (!err) {
		prog->len = len;
		prog->insns = arena_alloc(&prog->arena, sizeof(*insns) * len);
		memcpy(prog->insns, insns, sizeof(*insns) * len);
		prog->notes = arena_alloc(&prog->arena, sizeof(*notes) * len);
		for (size_t i = 0; i < len; i++)
			prog->notes[i] = arena_strdup(&prog->arena, notes[i] ? notes[i] : "");
		prog->policy_name = arena_strdup(&prog->arena, policy->main->path);
		prog->default_ret = action_seccomp_ret(&policy->default_action);
		prog->supervises_kills = mode->supervised && !mode->native_kills;
		remember_named(prog, policy);
	}
	diag_bind(diags, NULL);
	arena_release(&work);
	if (err) {
		syscage_program_free(prog);
		return err;
	}
	*out = prog;
	return 0;
}

SYSCAGE_API int syscage_compile(const struct syscage_policy *policy,
				struct syscage_diagnostics *diags,
				struct syscage_program **out)
{
	static const struct compile_mode plain = { .supervised = false };

	return compile(policy, &plain, diags, out);
}

SYSCAGE_API int syscage_compile_supervised(const struct syscage_policy *policy,
					   struct syscage_diagnostics *diags,
					   struct syscage_program **out)
{
	struct compile_mode supervised = {
		.supervised = true,
		.native_kills = policy && policy_allows_own_filters(policy),
	};

	return compile(policy, &supervised, diags, out);
}

SYSCAGE_API int syscage_program_supervises_kills(const struct syscage_program *program)
{
	return program->supervises_kills;
}

SYSCAGE_API void syscage_program_free(struct syscage_program *program)
{
	if (!program)
		return;
	arena_release(&program->arena);
	free(program);
}

SYSCAGE_API size_t syscage_program_length(const struct syscage_program *program)
{
	return program->len;
}

SYSCAGE_API const struct sock_filter *syscage_program_instructions(const struct syscage_program *program)
{
	return program->insns;
}

SYSCAGE_API uint64_t syscage_program_verified_cases(const struct syscage_program *program)
{
	return program->verified;
}

SYSCAGE_API int syscage_program_emulate(const struct syscage_program *program, uint32_t audit_arch,
					uint32_t nr, const uint64_t args[6], uint32_t *ret,
					unsigned *steps)
{
	struct seccomp_data data = { .nr = (int)nr, .arch = audit_arch };

	if (bpf_check(program->insns, program->len, NULL))
		return -EINVAL;
	memcpy(data.args, args, sizeof(data.args));
	*ret = bpf_run(program->insns, program->len, &data, steps);
	return 0;
}

SYSCAGE_API int syscage_program_load(const struct syscage_program *program, unsigned flags)
{
	unsigned long kflags = 0;

	if (flags & ~(SYSCAGE_LOAD_TSYNC | SYSCAGE_LOAD_NEW_LISTENER))
		return -EINVAL;
	if (flags & SYSCAGE_LOAD_TSYNC)
		kflags |= SECCOMP_FILTER_FLAG_TSYNC;
	/* Once the supervisor has received a notification, only a fatal signal
	 * may interrupt the call (Linux 5.19): a program cannot withdraw a call
	 * the policy kills while the supervisor handles it. */
	if (flags & SYSCAGE_LOAD_NEW_LISTENER)
		kflags |= SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	/* TSYNC and NEW_LISTENER together need TSYNC_ESRCH (Linux 5.7+). */
	if ((flags & SYSCAGE_LOAD_TSYNC) && (flags & SYSCAGE_LOAD_NEW_LISTENER))
		kflags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	int rc = system_load_filter(program->insns, program->len, kflags);

	/* Older kernels: the same, without that guarantee (doc/run.md). */
	if (rc == -EINVAL && (kflags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV))
		rc = system_load_filter(program->insns, program->len,
					kflags & ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
	return rc;
}

/* ---- formats ------------------------------------------------------------------ */

struct text {
	char *buf;
	size_t len;
	FILE *f;
};

static const char *arch_list(const struct syscage_program *prog, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int a = 0; a < ARCH_COUNT; a++) {
		if (prog->arch_mask & arch_bit(a))
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "", arch_info(a)->name);
	}
	return buf;
}

static void format_c(const struct syscage_program *prog, FILE *f)
{
	char arches[96], text[64];

	fprintf(f, "/* GENERATED by syscage %s from %s (%s), %zu instructions. */\n",
		SYSCAGE_VERSION, prog->policy_name, arch_list(prog, arches, sizeof(arches)), prog->len);
	fprintf(f, "#include <linux/filter.h>\n\nstatic const struct sock_filter syscage_filter[] = {\n");
	for (size_t i = 0; i < prog->len; i++) {
		const struct sock_filter *in = &prog->insns[i];

		bpf_disasm(in, i, text, sizeof(text));
		fprintf(f, "\t{ 0x%02x, %3u, %3u, 0x%08x }, /* L%zu: %s */\n", in->code, in->jt, in->jf,
			in->k, i, text);
	}
	fprintf(f, "};\n");
}

/* Marks the instructions some jump lands on, so the listing labels only those. */
static bool *jump_targets(const struct syscage_program *prog)
{
	bool *target = calloc(prog->len + 1, sizeof(*target));

	if (!target)
		return NULL;
	for (size_t i = 0; i < prog->len; i++) {
		const struct sock_filter *in = &prog->insns[i];

		if (BPF_CLASS(in->code) != BPF_JMP)
			continue;
		if (BPF_OP(in->code) == BPF_JA) {
			target[i + 1 + in->k] = true;
		} else {
			target[i + 1 + in->jt] = true;
			target[i + 1 + in->jf] = true;
		}
	}
	return target;
}

static int format_asm(const struct syscage_program *prog, FILE *f)
{
	bool *target = jump_targets(prog);
	char arches[96], text[64];
	const char *last_note = NULL;

	if (!target)
		return -ENOMEM;
	fprintf(f, "; syscage %s: %s for %s, %zu instructions\n", SYSCAGE_VERSION, prog->policy_name,
		arch_list(prog, arches, sizeof(arches)), prog->len);
	for (size_t i = 0; i < prog->len; i++) {
		bpf_disasm(&prog->insns[i], i, text, sizeof(text));
		if (target[i])
			fprintf(f, "L%zu:\n", i);
		if (!last_note || strcmp(last_note, prog->notes[i]) != 0)
			fprintf(f, "\t%-36s; %s\n", text, prog->notes[i]);
		else
			fprintf(f, "\t%s\n", text);
		last_note = prog->notes[i];
	}
	free(target);
	return 0;
}

struct step_stats {
	unsigned min, max, count;
	uint64_t sum;
};

static void step_add(struct step_stats *s, unsigned steps)
{
	if (!s->count || steps < s->min)
		s->min = steps;
	if (steps > s->max)
		s->max = steps;
	s->sum += steps;
	s->count++;
}

static void step_print(FILE *f, const char *what, const struct step_stats *s)
{
	if (!s->count)
		return;
	fprintf(f, "  %-28s min %u, mean %.2f, max %u (%u syscalls)\n", what, s->min,
		(double)s->sum / s->count, s->max, s->count);
}

static void format_stats_arch(const struct syscage_program *prog, int arch, FILE *f)
{
	uint32_t audit = arch_info(arch)->audit_arch;
	struct step_stats all = { 0 }, allowed = { 0 }, refused = { 0 };
	unsigned cached = 0, const_allowed = 0;
	static const uint64_t zero[6];

	fprintf(f, "arch %s:\n", arch_info(arch)->name);
	for (size_t i = 0; i < syscall_arch_count(arch); i++) {
		uint32_t nr = syscall_arch_number_at(arch, i);
		struct seccomp_data data = { .nr = (int)nr, .arch = audit };
		bool conditional = false;
		unsigned steps;
		uint32_t ret = bpf_run(prog->insns, prog->len, &data, &steps);

		for (size_t j = 0; j < prog->nnamed; j++) {
			if (prog->named[j].arch == arch && prog->named[j].nr == nr)
				conditional = prog->named[j].conditional;
		}
		step_add(&all, steps);
		step_add(ret == SECCOMP_RET_ALLOW ? &allowed : &refused, steps);
		if (ret == SECCOMP_RET_ALLOW && !conditional) {
			const_allowed++;
			cached += bpf_const_allow(prog->insns, prog->len, audit, nr);
		}
	}
	step_print(f, "instructions per syscall:", &all);
	step_print(f, "  allowed:", &allowed);
	step_print(f, "  refused:", &refused);
	fprintf(f, "  kernel cache: %u of the %u syscalls allowed without argument checks skip "
		   "the filter\n", cached, const_allowed);
	fprintf(f, "  per syscall named in the policy (no args / garbage args):\n");
	for (size_t j = 0; j < prog->nnamed; j++) {
		const struct named_nr *n = &prog->named[j];
		uint64_t garbage[6];
		unsigned s0, s1;
		uint32_t ret;

		if (n->arch != arch)
			continue;
		for (int k = 0; k < 6; k++)
			garbage[k] = 0xa5a5a5a5deadbeefULL;
		syscage_program_emulate(prog, audit, n->nr, zero, &ret, &s0);
		syscage_program_emulate(prog, audit, n->nr, garbage, &ret, &s1);
		int idx = syscall_by_number(arch, n->nr);
		fprintf(f, "    %-24s %u / %u%s\n", idx >= 0 ? syscall_name(idx) : "?", s0, s1,
			n->conditional ? "  (checks arguments)" : "");
	}
}

static void format_stats(const struct syscage_program *prog, FILE *f)
{
	fprintf(f, "program: %zu instructions (the kernel accepts up to %d)\n", prog->len,
		BPF_MAX_INSNS);
	fprintf(f, "verified: %llu cases agree with the policy\n", (unsigned long long)prog->verified);
	for (int a = 0; a < ARCH_COUNT; a++) {
		if (prog->arch_mask & arch_bit(a))
			format_stats_arch(prog, a, f);
	}
}

SYSCAGE_API int syscage_program_format(const struct syscage_program *program,
				       enum syscage_format format, char **out, size_t *len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f;
	int err = 0;

	if (format == SYSCAGE_FORMAT_BPF) {
		size = sizeof(*program->insns) * program->len;
		buf = malloc(size);
		if (!buf)
			return -ENOMEM;
		memcpy(buf, program->insns, size);
		*out = buf;
		*len = size;
		return 0;
	}
	if (format != SYSCAGE_FORMAT_C && format != SYSCAGE_FORMAT_ASM &&
	    format != SYSCAGE_FORMAT_STATS)
		return -EINVAL;
	f = open_memstream(&buf, &size);
	if (!f)
		return -ENOMEM;
	if (format == SYSCAGE_FORMAT_C)
		format_c(program, f);
	else if (format == SYSCAGE_FORMAT_ASM)
		err = format_asm(program, f);
	else
		format_stats(program, f);
	if (fclose(f) != 0 && !err)
		err = -ENOMEM;
	if (err) {
		free(buf);
		return err;
	}
	*out = buf;
	*len = size;
	return 0;
}

/* ---- syscall lookups ---------------------------------------------------------- */

SYSCAGE_API uint32_t syscage_arch_audit(const char *name)
{
	int a = arch_from_name(name);

	return a < 0 ? 0 : arch_info(a)->audit_arch;
}

SYSCAGE_API long syscage_syscall_number(const char *arch, const char *name)
{
	int a = arch_from_name(arch), idx;

	if (a < 0)
		return -EINVAL;
	idx = syscall_lookup(name);
	if (idx < 0 || syscall_number(a, idx) < 0)
		return -ENOENT;
	return (long)syscall_number(a, idx);
}

SYSCAGE_API const char *syscage_syscall_name(const char *arch, uint32_t nr)
{
	int a = arch_from_name(arch), idx;

	if (a < 0)
		return NULL;
	idx = syscall_by_number(a, nr);
	return idx < 0 ? NULL : syscall_name(idx);
}
