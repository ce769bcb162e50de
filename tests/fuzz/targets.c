/*
 * The fuzz targets' logic: see targets.h. Linked with the library's
 * internals (syscall table, constants, groups, arena) so the generator can
 * write only valid policies, and so allocation failures can be injected.
 */
#include "targets.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscage.h"

#include "arch.h"
#include "arena.h"
#include "cond.h"
#include "constants.h"
#include "groups.h"
#include "policy.h"
#include "syscall_table.h"

/* ---- small helpers -------------------------------------------------------- */

struct text {
	char *s;
	size_t len, cap;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;

		while (cap < t->len + (size_t)n + 1)
			cap *= 2;
		t->s = realloc(t->s, cap);
		if (!t->s)
			abort();
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static uint64_t hash_bytes(const uint8_t *data, size_t size)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ size;

	for (size_t i = 0; i < size; i++)
		h = mix(h ^ data[i]) + i;
	return h;
}

static uint64_t rng_next(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ULL;
	return mix(*state);
}

static void print_diags(const struct syscage_diagnostics *diags)
{
	for (size_t i = 0; diags && i < syscage_diagnostics_count(diags); i++)
		fprintf(stderr, "  | %s", syscage_diagnostic_text(diags, i));
}

static void print_policy(const char *text, size_t len)
{
	fprintf(stderr, "--- policy (%zu bytes) ---\n", len);
	fwrite(text, 1, len, stderr);
	if (len && text[len - 1] != '\n')
		fputc('\n', stderr);
	fprintf(stderr, "--- end of policy ---\n");
}

static int fail(const char *target, const char *text, size_t len,
		const struct syscage_diagnostics *diags, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(const char *target, const char *text, size_t len,
		const struct syscage_diagnostics *diags, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz %s: FAILED: ", target);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	print_diags(diags);
	if (text)
		print_policy(text, len);
	return -1;
}

/* ---- checks shared by both targets --------------------------------------- */

/*
 * Every diagnostic of a parse must name its place: a file, a line (within
 * the text when it is the main file), and start with "file:line:".
 */
static int check_diag_places(const char *target, const char *name, const char *text, size_t len,
			     const struct syscage_diagnostics *diags, size_t from)
{
	unsigned lines = 1;

	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	for (size_t i = from; i < syscage_diagnostics_count(diags); i++) {
		const char *file = syscage_diagnostic_file(diags, i);
		const char *msg = syscage_diagnostic_text(diags, i);
		unsigned line = syscage_diagnostic_line(diags, i);
		char prefix[64];

		if (!msg || !syscage_diagnostic_message(diags, i))
			return fail(target, text, len, diags, "diagnostic %zu has no text", i);
		if (!file || line == 0)
			return fail(target, text, len, diags, "diagnostic %zu names no line: %s", i,
				    msg);
		if (strcmp(file, name) == 0 && line > lines)
			return fail(target, text, len, diags,
				    "diagnostic %zu names line %u of a %u-line policy: %s", i, line,
				    lines, msg);
		snprintf(prefix, sizeof(prefix), ":%u:", line);
		if (strncmp(msg, file, strlen(file)) != 0 ||
		    strncmp(msg + strlen(file), prefix, strlen(prefix)) != 0)
			return fail(target, text, len, diags,
				    "diagnostic %zu does not start with %s%s: %s", i, file, prefix, msg);
	}
	return 0;
}

/* The constants the policy compares with, to probe around. */
struct probes {
	uint64_t v[256];
	size_t n;
};

static void collect_atom(const struct atom *a, void *ctx)
{
	struct probes *p = ctx;

	if (p->n + 2 <= sizeof(p->v) / sizeof(p->v[0])) {
		p->v[p->n++] = a->value;
		p->v[p->n++] = a->mask;
	}
}

static void collect_probes(const struct syscage_policy *pol, struct probes *p)
{
	p->n = 0;
	for (int a = 0; a < ARCH_COUNT; a++) {
		const struct arch_rules *ar = &pol->arches[a];

		for (size_t i = 0; i < ar->count; i++)
			cond_for_each_atom(ar->entries[i].cond, collect_atom, p);
	}
}

static uint64_t random_arg(uint64_t *rng, const struct probes *p)
{
	uint64_t r = rng_next(rng), v;

	switch (r % 8) {
	case 0:
		return 0;
	case 1:
		return rng_next(rng);
	case 2:
		return rng_next(rng) & 0xffffffffu;
	default:
		if (!p->n)
			return rng_next(rng) % 8;
		v = p->v[(r >> 8) % p->n];
		switch ((r >> 20) % 8) {
		case 0: return v + 1;
		case 1: return v - 1;
		case 2: return v | (uint64_t)rng_next(rng) << 32;	/* garbage above */
		case 3: return v ^ (uint64_t)1 << (rng_next(rng) % 64);
		case 4: return v & rng_next(rng);
		case 5: return (uint64_t)(int64_t)(int32_t)v;	/* sign-extended */
		default: return v;
		}
	}
}

/* Arches and numbers to try: the policy's syscalls mostly, some others. */
static void random_call(uint64_t *rng, const struct syscage_policy *pol, uint32_t *audit,
			uint32_t *nr)
{
	uint64_t r = rng_next(rng);
	int a = (int)(r % ARCH_COUNT);
	const struct arch_rules *ar = &pol->arches[a];

	*audit = arch_info(a)->audit_arch;
	if ((r >> 8) % 16 == 0)
		*audit = (uint32_t)rng_next(rng);
	switch ((r >> 16) % 8) {
	case 0:
		*nr = (uint32_t)rng_next(rng);
		break;
	case 1:
		*nr = (uint32_t)(rng_next(rng) % 1024) | (a == ARCH_X32 ? ARCH_X32_SYSCALL_BIT : 0);
		break;
	case 2:
		if (syscall_arch_count(a)) {
			*nr = syscall_arch_number_at(a, rng_next(rng) % syscall_arch_count(a));
			break;
		}
		/* fall through */
	default:
		if (ar->count) {
			*nr = ar->entries[rng_next(rng) % ar->count].nr;
		} else {
			*nr = (uint32_t)(rng_next(rng) % 512);
		}
		break;
	}
}

/* The program must say what the policy says, on calls verification may not
 * have tried (random arguments around the policy's constants). */
static int cross_check(const char *target, const char *text, size_t len,
		       const struct syscage_policy *pol, const struct syscage_program *prog,
		       uint64_t seed, unsigned calls)
{
	struct probes probes;
	uint64_t rng = seed;

	collect_probes(pol, &probes);
	for (unsigned c = 0; c < calls; c++) {
		struct syscage_verdict want;
		uint64_t args[6];
		uint32_t audit, nr, got = 0;
		unsigned steps = 0;
		int err;

		random_call(&rng, pol, &audit, &nr);
		for (int i = 0; i < 6; i++)
			args[i] = random_arg(&rng, &probes);
		syscage_policy_evaluate(pol, audit, nr, args, &want);
		err = syscage_program_emulate(prog, audit, nr, args, &got, &steps);
		if (err)
			return fail(target, text, len, NULL,
				    "emulating the program failed (%d) for arch %#x nr %u", err, audit,
				    nr);
		if (got != want.seccomp_ret)
			return fail(target, text, len, NULL,
				    "the program returns %#x, the policy says %#x (line %u) for arch "
				    "%#x nr %u args %#llx %#llx %#llx %#llx %#llx %#llx",
				    got, want.seccomp_ret, want.line, audit, nr,
				    (unsigned long long)args[0], (unsigned long long)args[1],
				    (unsigned long long)args[2], (unsigned long long)args[3],
				    (unsigned long long)args[4], (unsigned long long)args[5]);
	}
	return 0;
}

static int check_formats(const char *target, const char *text, size_t len,
			 const struct syscage_program *prog)
{
	static const enum syscage_format formats[] = { SYSCAGE_FORMAT_BPF, SYSCAGE_FORMAT_C,
						       SYSCAGE_FORMAT_ASM, SYSCAGE_FORMAT_STATS };

	for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		char *out = NULL;
		size_t n = 0;
		int err = syscage_program_format(prog, formats[f], &out, &n);

		if (err)
			return fail(target, text, len, NULL, "format %d failed: %d", (int)formats[f],
				    err);
		if (formats[f] == SYSCAGE_FORMAT_BPF &&
		    n != syscage_program_length(prog) * sizeof(struct sock_filter)) {
			free(out);
			return fail(target, text, len, NULL, "raw format has %zu bytes for %zu insns",
				    n, syscage_program_length(prog));
		}
		if (formats[f] != SYSCAGE_FORMAT_BPF && (out[n] != '\0' || strlen(out) != n)) {
			free(out);
			return fail(target, text, len, NULL, "text format %d is not %zu chars",
				    (int)formats[f], n);
		}
		free(out);
	}
	return 0;
}

/*
 * Compiles a parsed policy, plain and supervised: 0 or -E2BIG, never
 * -EPROTO (the verifier disagreeing with the compiler) or anything else.
 * *compiled is 1 when the plain program was made.
 */
static int check_compile(const char *target, const char *text, size_t len,
			 const struct syscage_policy *pol, uint64_t seed, unsigned calls,
			 bool supervised, int *plain_err)
{
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_program *prog = NULL;
	int err, rc = 0;

	if (!diags)
		abort();
	err = syscage_compile(pol, diags, &prog);
	*plain_err = err;
	if (err == -E2BIG) {
		if (!syscage_diagnostics_errors(diags))
			rc = fail(target, text, len, diags, "-E2BIG without an error");
	} else if (err) {
		rc = fail(target, text, len, diags, "syscage_compile returned %d (%s)", err,
			  err == -EPROTO ? "verification disagrees: a compiler bug" : strerror(-err));
	} else if (syscage_diagnostics_errors(diags)) {
		rc = fail(target, text, len, diags, "compiled, but with errors");
	} else if (syscage_program_length(prog) == 0 || syscage_program_length(prog) > 4096) {
		rc = fail(target, text, len, diags, "program of %zu instructions",
			  syscage_program_length(prog));
	} else {
		rc = cross_check(target, text, len, pol, prog, seed, calls);
		if (!rc)
			rc = check_formats(target, text, len, prog);
	}
	syscage_program_free(prog);
	syscage_diagnostics_free(diags);
	if (rc || !supervised)
		return rc;

	diags = syscage_diagnostics_new();
	if (!diags)
		abort();
	prog = NULL;
	err = syscage_compile_supervised(pol, diags, &prog);
	if (err && err != -E2BIG)
		rc = fail(target, text, len, diags, "syscage_compile_supervised returned %d (%s)",
			  err,
			  err == -EPROTO ? "verification disagrees: a compiler bug" : strerror(-err));
	syscage_program_free(prog);
	syscage_diagnostics_free(diags);
	return rc;
}

/*
 * Parses and compiles again with the n-th allocation failing: the result
 * must be -ENOMEM or what it was without the failure, and nothing may leak
 * (the sanitizer's leak check sees to that).
 */
static int check_oom(const char *target, const char *text, size_t len, long n, int parse_err,
		     int compile_err)
{
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *pol = NULL;
	struct syscage_program *prog = NULL;
	int err, rc = 0;

	if (!diags)
		abort();
	arena_fail_after(n);
	err = syscage_policy_parse("fuzz.policy", text, len, NULL, diags, &pol);
	if (err && err != -ENOMEM && err != parse_err) {
		arena_fail_after(-1);
		rc = fail(target, text, len, diags, "after %ld allocations: parse returned %d, not %d",
			  n, err, parse_err);
	} else if (!err && parse_err) {
		arena_fail_after(-1);
		rc = fail(target, text, len, diags, "after %ld allocations: parsed, not %d", n,
			  parse_err);
	} else if (!err) {
		err = syscage_compile(pol, diags, &prog);
		arena_fail_after(-1);
		if (err && err != -ENOMEM && err != compile_err)
			rc = fail(target, text, len, diags,
				  "after %ld allocations: compile returned %d, not %d", n, err,
				  compile_err);
	}
	arena_fail_after(-1);
	syscage_program_free(prog);
	syscage_policy_free(pol);
	syscage_diagnostics_free(diags);
	return rc;
}

/* ---- the parser target ---------------------------------------------------- */

int fuzz_parser_one(const uint8_t *data, size_t size)
{
	static const char target[] = "parser";
	const char *text = size ? (const char *)data : "";
	struct syscage_diagnostics *diags = syscage_diagnostics_new();
	struct syscage_policy *pol = NULL;
	uint64_t h = hash_bytes(data, size);
	int err, rc, compile_err = 0;

	if (!diags)
		abort();
	err = syscage_policy_parse("fuzz.policy", text, size, NULL, diags, &pol);
	rc = check_diag_places(target, "fuzz.policy", text, size, diags, 0);
	if (rc) {
		/* reported */
	} else if (err == -EINVAL) {
		if (!syscage_diagnostics_errors(diags))
			rc = fail(target, text, size, diags, "-EINVAL without an error");
	} else if (err) {
		rc = fail(target, text, size, diags, "syscage_policy_parse returned %d", err);
	} else if (syscage_diagnostics_errors(diags)) {
		rc = fail(target, text, size, diags, "parsed, but with errors");
	} else {
		rc = check_compile(target, text, size, pol, h, 64, h % 4 == 1, &compile_err);
	}
	syscage_policy_free(pol);
	syscage_diagnostics_free(diags);
	if (!rc && h % 8 == 3)
		rc = check_oom(target, text, size, (long)((h >> 8) % 400), err, compile_err);
	return rc;
}

/* ---- the compiler target: a generator of valid policies ------------------- */

struct bytes {
	const uint8_t *p;
	size_t n;
};

/* The next n bytes as a number; zeros once the input is used up, so every
 * input makes a policy and the generator always ends. */
static uint64_t take(struct bytes *b, unsigned n)
{
	uint64_t v = 0;

	while (n--) {
		v <<= 8;
		if (b->n) {
			v |= *b->p++;
			b->n--;
		}
	}
	return v;
}

static unsigned pick(struct bytes *b, unsigned n)
{
	return n <= 1 ? 0 : (unsigned)(take(b, n > 200 ? 2 : 1) % n);
}

#define MAX_POOL 8

struct gen {
	struct bytes in;
	struct text out;
	unsigned arches;	/* mask of covered arches */
	int pool[MAX_POOL];	/* the syscalls the rules mostly name */
	unsigned npool;
	unsigned ngroups;	/* user groups @g0.. defined so far */
};

/* What one argument reference (a name or argN) is, on every covered arch
 * where every syscall of the rule exists: the narrowest width, and whether
 * any of them is signed. False when the reference is an error somewhere. */
static bool arg_usable(const struct gen *g, int idx, const char *name, unsigned *bits,
		       bool *is_signed, bool *signed64)
{
	for (int a = 0; a < ARCH_COUNT; a++) {
		const struct arch_info *ai = arch_info(a);
		unsigned width = ai->arg_bits;
		int index = -1;
		struct syscall_signature on_arch;
		const struct syscall_signature *sig = &on_arch;

		if (!(g->arches & (1u << a)) || syscall_number(a, idx) < 0)
			continue;
		syscall_signature_on(a, idx, &on_arch);
		/* Arguments in memory (old_mmap, old_select): none to compare. */
		if (on_arch.in_memory)
			return false;
		if (strlen(name) == 4 && strncmp(name, "arg", 3) == 0 && name[3] >= '0' &&
		    name[3] <= '5') {
			/* a register, and the parameter it holds there */
			int half;

			index = syscall_register_param(a, sig, name[3] - '0', &half);
		} else {
			for (int i = 0; i < sig->nparams; i++) {
				if (strcmp(sig->params[i].name, name) == 0)
					index = i;
			}
			/* a 64-bit value in two registers has no one register */
			bool two;

			if (index < 0 || syscall_param_register(a, sig, index, &two) < 0 || two)
				return false;
		}
		if (index >= 0) {
			const struct syscall_param *p = &sig->params[index];

			if (p->kind == PARAM_POINTER)
				return false;
			if (p->bits < width)
				width = p->bits;
			if (p->kind == PARAM_SIGNED)
				*is_signed = true;
			if (p->kind == PARAM_SIGNED && width == 64)
				*signed64 = true;
		}
		if (width < *bits)
			*bits = width;
	}
	return true;
}

struct argref {
	char name[32];
	unsigned bits;
	bool is_signed;
	bool signed64;		/* signed and 64 bits wide on some arch */
};

#define MAX_REFS 16

/* The argument references valid for every syscall of a rule. */
static unsigned usable_args(const struct gen *g, const int *idx, unsigned n,
			    struct argref refs[MAX_REFS])
{
	const struct syscall_signature *sig = syscall_signature(idx[0]);
	char names[12][32];
	unsigned nnames = 0, count = 0;

	for (int i = 0; i < 6; i++)
		snprintf(names[nnames++], sizeof(names[0]), "arg%d", i);
	for (int i = 0; i < sig->nparams && nnames < 12; i++)
		snprintf(names[nnames++], sizeof(names[0]), "%s", sig->params[i].name);
	for (unsigned k = 0; k < nnames && count < MAX_REFS; k++) {
		struct argref r = { .bits = 64 };
		bool ok = true;

		memcpy(r.name, names[k], sizeof(r.name));
		for (unsigned i = 0; i < n && ok; i++)
			ok = arg_usable(g, idx[i], r.name, &r.bits, &r.is_signed, &r.signed64);
		if (ok)
			refs[count++] = r;
	}
	return count;
}

static uint64_t width_mask(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
}

/* The rules of resolve.c's make_atom: does k make a valid comparison? */
static bool const_fits(uint64_t k, const struct argref *r, bool ordered)
{
	uint64_t w = width_mask(r->bits);
	bool fits = k <= w || ((int64_t)k < 0 && (int64_t)k >= -(int64_t)(w >> 1) - 1);

	if (fits && ordered && r->is_signed && r->bits < 64 && k <= w && k > (w >> 1))
		return false;
	/* where it is 64 bits, only written negative (put_const may not) */
	if (ordered && r->signed64 && (int64_t)k < 0)
		return false;
	return fits;
}

static uint64_t gen_const_value(struct gen *g, const struct argref *r, bool ordered)
{
	uint64_t w = width_mask(r->bits), k;

	switch (pick(&g->in, 12)) {
	case 0: k = 0; break;
	case 1: k = 1; break;
	case 2: k = take(&g->in, 1); break;
	case 3: k = w; break;
	case 4: k = w >> 1; break;
	case 5: k = (w >> 1) + 1; break;
	case 6: k = (uint64_t)0 - (1 + take(&g->in, 1)); break;
	case 7: k = (uint64_t)0 - (w >> 1) - 1; break;
	case 8: k = (uint64_t)1 << pick(&g->in, r->bits); break;
	case 9: k = take(&g->in, 4); break;
	default: k = take(&g->in, 8); break;
	}
	if (!const_fits(k, r, ordered))
		k &= w;
	if (!const_fits(k, r, ordered))
		k &= w >> 1;
	return k;
}

/* Writes the constant k in one of the ways a policy may spell it. */
static void put_const(struct gen *g, uint64_t k, bool allow_or)
{
	unsigned how = pick(&g->in, 10);

	if (how == 0) {
		/* a named constant of that value, if there is one nearby */
		size_t n = constant_count(), start = take(&g->in, 2) % (n ? n : 1);

		for (size_t i = 0; i < n && i < 64; i++) {
			const struct named_constant *c = constant_at((start + i) % n);

			if (c->value == k) {
				put(&g->out, "%s", c->name);
				return;
			}
		}
	}
	switch (how) {
	case 1:
		put(&g->out, "%#llx", (unsigned long long)k);
		return;
	case 2:
		put(&g->out, "0%llo", (unsigned long long)k);
		return;
	case 3: {
		int top = 63;

		while (top > 0 && !(k >> top))
			top--;
		put(&g->out, "0b");
		for (int i = top; i >= 0; i--)
			put(&g->out, "%c", (int)('0' + ((k >> i) & 1)));
		return;
	}
	case 4:
		put(&g->out, "~%#llx", (unsigned long long)~k);
		return;
	case 5:
		if ((int64_t)k < 0) {
			put(&g->out, "-%llu", (unsigned long long)((uint64_t)0 - k));
			return;
		}
		break;
	case 6:
		if (allow_or && k) {
			uint64_t part = k & take(&g->in, 8);

			put(&g->out, "(%#llx | %#llx)", (unsigned long long)part,
			    (unsigned long long)(k & ~part));
			return;
		}
		break;
	case 7:
		put(&g->out, "-(%llu)", (unsigned long long)((uint64_t)0 - k));
		return;
	default:
		break;
	}
	put(&g->out, "%llu", (unsigned long long)k);
}

/* An argument, maybe masked: "flags", "flags & O_ACCMODE", "0xff & arg2". */
static void put_term(struct gen *g, const struct argref *r)
{
	unsigned masks = pick(&g->in, 4) == 0 ? 2 : pick(&g->in, 2);
	bool mask_first = masks && pick(&g->in, 4) == 0;

	if (mask_first) {
		put_const(g, take(&g->in, 8), true);
		put(&g->out, " & %s", r->name);
		masks--;
	} else {
		put(&g->out, "%s", r->name);
	}
	while (masks--) {
		uint64_t m;

		switch (pick(&g->in, 4)) {
		case 0: m = (uint64_t)1 << pick(&g->in, 64); break;
		case 1: m = width_mask(r->bits) >> pick(&g->in, 8); break;
		case 2: m = take(&g->in, 2); break;
		default: m = take(&g->in, 8); break;
		}
		put(&g->out, " & ");
		put_const(g, m, true);
	}
}

static const char *const cmp_ops[] = { "==", "!=", "<", "<=", ">", ">=" };

static void gen_cond(struct gen *g, const struct argref *refs, unsigned nrefs, unsigned depth)
{
	unsigned kind = pick(&g->in, depth >= 3 ? 4 : 11);
	const struct argref *r = &refs[pick(&g->in, nrefs)];

	switch (kind) {
	case 0:
	case 1: {
		unsigned op = pick(&g->in, 6);
		uint64_t k = gen_const_value(g, r, op >= 2);

		if (pick(&g->in, 5) == 0) {
			put_const(g, k, true);
			put(&g->out, " %s ", cmp_ops[op]);
			put_term(g, r);
		} else {
			put_term(g, r);
			put(&g->out, " %s ", cmp_ops[op]);
			put_const(g, k, true);
		}
		return;
	}
	case 2: {
		unsigned n = 1 + pick(&g->in, 4);

		put_term(g, r);
		put(&g->out, pick(&g->in, 2) ? " in (" : " not in (");
		for (unsigned i = 0; i < n; i++) {
			if (i)
				put(&g->out, pick(&g->in, 8) ? ", " : ",\n\t\t");
			put_const(g, gen_const_value(g, r, false), false);
		}
		put(&g->out, ")");
		return;
	}
	case 3:
		if (pick(&g->in, 8) == 0) {
			/* constants only: always true or never true */
			put(&g->out, "%u %s %u", pick(&g->in, 3), cmp_ops[pick(&g->in, 6)],
			    pick(&g->in, 3));
			return;
		}
		put_term(g, r);	/* a bare value: true when not zero */
		return;
	case 4:
	case 5:
	case 6:
	case 7: {
		bool and = kind < 6, paren = pick(&g->in, 2);
		static const char *const ops[2][2] = { { "||", "or" }, { "&&", "and" } };

		if (paren)
			put(&g->out, "(");
		gen_cond(g, refs, nrefs, depth + 1);
		put(&g->out, " %s%s", ops[and][pick(&g->in, 4) == 0],
		    pick(&g->in, 8) == 0 ? "\n\t\t" : " ");
		gen_cond(g, refs, nrefs, depth + 1);
		if (paren)
			put(&g->out, ")");
		return;
	}
	case 8:
	case 9:
		put(&g->out, "%s", pick(&g->in, 3) ? "!(" : "not (");
		gen_cond(g, refs, nrefs, depth + 1);
		put(&g->out, ")");
		return;
	default:
		put(&g->out, "(");
		gen_cond(g, refs, nrefs, depth + 1);
		put(&g->out, ")");
		return;
	}
}

static void put_action(struct gen *g)
{
	static const char *const errnos[] = { "EPERM", "EACCES", "ENOSYS", "EINVAL", "EBADF",
					      "ENOENT", "EAGAIN" };

	switch (pick(&g->in, 11)) {
	case 0: case 1: put(&g->out, "allow"); break;
	case 2: put(&g->out, pick(&g->in, 2) ? "kill" : "kill-process"); break;
	case 3: put(&g->out, "kill-thread"); break;
	case 4: put(&g->out, "trap"); break;
	case 5: put(&g->out, "errno %s", errnos[pick(&g->in, 7)]); break;
	case 6: put(&g->out, "errno %u", 1 + (unsigned)(take(&g->in, 2) % 4095)); break;
	case 7: put(&g->out, "log"); break;
	case 8: put(&g->out, "notify"); break;
	case 9: put(&g->out, "trace %u", (unsigned)take(&g->in, 2)); break;
	default: put(&g->out, "errno EPERM"); break;
	}
}

/* Syscalls worth conditions: known signatures with value arguments. */
static const char *const favourites[] = {
	"read", "write", "openat", "open", "ioctl", "kill", "socket", "mmap", "mprotect",
	"clone", "prctl", "fcntl", "lseek", "futex", "chmod", "fchmod", "personality",
	"setuid", "tgkill", "madvise", "pread64", "fallocate", "sendto", "setsockopt",
	"clock_gettime", "getrandom", "close", "dup3", "unshare", "seccomp", "ptrace",
	"fadvise64", "sync_file_range", "pwritev2", "socketcall", "ftruncate",
};

static int pool_pick(struct gen *g)
{
	if (pick(&g->in, 5) || !g->npool) {
		if (pick(&g->in, 2)) {
			int idx = syscall_lookup(favourites[pick(&g->in, sizeof(favourites) /
								      sizeof(favourites[0]))]);

			if (idx >= 0)
				return idx;
		}
		return (int)pick(&g->in, (unsigned)syscall_count());
	}
	return g->pool[pick(&g->in, g->npool)];
}

static void put_group_ref(struct gen *g, bool user_ok)
{
	static const char *const releases[] = { "3.16", "4.5", "5.4", "5.10", "6.1", "6.8", "9.0" };

	switch (pick(&g->in, 4)) {
	case 0:
		put(&g->out, "@newer-than-%s", releases[pick(&g->in, 7)]);
		return;
	case 1:
		if (user_ok && g->ngroups) {
			put(&g->out, "@g%u", pick(&g->in, g->ngroups));
			return;
		}
		/* fall through */
	default:
		put(&g->out, "@%s", builtin_group_at(pick(&g->in, (unsigned)builtin_group_count()))->name);
		return;
	}
}

static void gen_rule(struct gen *g)
{
	int idx[3];
	unsigned n;

	put_action(g);
	put(&g->out, " ");
	if (pick(&g->in, 4) == 0) {
		/* unconditional, with groups */
		n = 1 + pick(&g->in, 4);
		for (unsigned i = 0; i < n; i++) {
			if (i)
				put(&g->out, pick(&g->in, 8) ? ", " : ",\n\t");
			if (pick(&g->in, 3) == 0)
				put_group_ref(g, true);
			else
				put(&g->out, "%s", syscall_name(g->pool[pick(&g->in, g->npool)]));
		}
		put(&g->out, "\n");
		return;
	}
	n = 1 + (pick(&g->in, 4) == 0 ? pick(&g->in, 3) : 0);
	for (unsigned i = 0; i < n; i++) {
		idx[i] = g->pool[pick(&g->in, g->npool)];
		put(&g->out, "%s%s", i ? ", " : "", syscall_name(idx[i]));
	}
	struct argref refs[MAX_REFS];
	unsigned nrefs = usable_args(g, idx, n, refs);
	if (nrefs && pick(&g->in, 6)) {
		put(&g->out, pick(&g->in, 10) ? " if " : " \\\n\tif ");
		gen_cond(g, refs, nrefs, 0);
	}
	put(&g->out, "\n");
}

static void generate(struct gen *g)
{
	unsigned mask = (unsigned)take(&g->in, 1);
	unsigned nrules;

	g->arches = mask & ((1u << ARCH_COUNT) - 1);
	if (!g->arches || (mask & 0xc0) == 0xc0) {
		g->arches = 1u << arch_native();	/* no arch statement */
	} else {
		const char *sep = "arch ";

		for (int a = 0; a < ARCH_COUNT; a++) {
			const struct arch_info *ai = arch_info(a);

			if (!(g->arches & (1u << a)))
				continue;
			put(&g->out, "%s%s", sep,
			    ai->alias && pick(&g->in, 4) == 0 ? ai->alias : ai->name);
			sep = ", ";
		}
		put(&g->out, "\n");
	}
	g->npool = 1 + pick(&g->in, MAX_POOL);
	for (unsigned i = 0; i < g->npool; i++)
		g->pool[i] = pool_pick(g);

	unsigned ngroups = pick(&g->in, 4) == 0 ? 1 + pick(&g->in, 2) : 0;
	for (unsigned i = 0; i < ngroups; i++) {
		unsigned n = 1 + pick(&g->in, 3);

		put(&g->out, "group @g%u = ", i);
		for (unsigned j = 0; j < n; j++) {
			if (j)
				put(&g->out, ", ");
			if (pick(&g->in, 3) == 0)
				put_group_ref(g, true);
			else
				put(&g->out, "%s", syscall_name(g->pool[pick(&g->in, g->npool)]));
		}
		put(&g->out, "\n");
		g->ngroups++;
	}

	/* The default anywhere among the rules. */
	nrules = 1 + pick(&g->in, 12);
	unsigned default_at = pick(&g->in, nrules + 1);
	bool has_default = false;
	for (unsigned i = 0; i <= nrules; i++) {
		/* Once the input is used up, only the default is still missing. */
		if (i == default_at || (i == nrules && !has_default)) {
			put(&g->out, "default ");
			put_action(g);
			put(&g->out, pick(&g->in, 8) ? "\n" : "   # what no rule decides\n");
			has_default = true;
		}
		if (i < nrules && (i == 0 || g->in.n))
			gen_rule(g);
	}
}

char *fuzz_compiler_policy(const uint8_t *data, size_t size)
{
	struct gen g = { .in = { data, size } };

	generate(&g);
	return g.out.s;
}

int fuzz_compiler_one(const uint8_t *data, size_t size)
{
	static const char target[] = "compiler";
	struct gen g = { .in = { data, size } };
	struct syscage_diagnostics *diags;
	struct syscage_policy *pol = NULL;
	uint64_t h = hash_bytes(data, size);
	int err, rc, compile_err = 0;

	generate(&g);
	diags = syscage_diagnostics_new();
	if (!diags)
		abort();
	err = syscage_policy_parse("fuzz.policy", g.out.s, g.out.len, NULL, diags, &pol);
	rc = check_diag_places(target, "fuzz.policy", g.out.s, g.out.len, diags, 0);
	if (!rc && err)
		rc = fail(target, g.out.s, g.out.len, diags,
			  "the generated policy does not load (%d): a generator or parser bug", err);
	else if (!rc)
		rc = check_compile(target, g.out.s, g.out.len, pol, h, 256, h % 2 == 1,
				   &compile_err);
	syscage_policy_free(pol);
	syscage_diagnostics_free(diags);
	if (!rc && h % 8 == 5)
		rc = check_oom(target, g.out.s, g.out.len, (long)((h >> 8) % 2000), err,
			       compile_err);
	free(g.out.s);
	return rc;
}
