/*
 * syscage policy to OCI profile.
 *
 * A policy decides by first match; libseccomp (runc, crun) ORs the entries
 * of a syscall and wants one action wherever they overlap. So each rule's
 * condition is made exclusive of the rules before it:
 *
 *     E_i = c_i && !c_j for every earlier rule j with another action
 *
 * and written in disjunctive normal form, one entry per term. JSON can say
 * only conjunctions of one comparison per argument, and libseccomp compares
 * all 64 bits, unsigned. Every condition is therefore reduced to patterns
 * "(register & M) == V" (SCMP_CMP_MASKED_EQ), which say exactly what syscage
 * means: a 32-bit argument's pattern has no bits above 31, a signed order
 * becomes an unsigned one with the sign bit flipped, and x < k becomes "the
 * first bit, from the top, where x and k differ is 0 in x and 1 in k" (one
 * pattern per 1-bit of k). Patterns on one argument in a term merge into one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/audit.h>

#include "oci.h"
#include "oci_names.h"
#include "policy.h"
#include "syscall_table.h"

/* A term larger than this many entries for one syscall is not worth writing. */
#define MAX_TERMS 4096

struct pattern {
	uint64_t mask, value;	/* (register & mask) == value; mask 0: no constraint */
};

struct term {
	struct pattern args[6];
};

struct dnf {
	struct term *terms;
	size_t count, cap;
	bool overflow;
};

static void dnf_add(struct dnf *d, const struct term *t)
{
	if (d->count == MAX_TERMS) {
		d->overflow = true;
		return;
	}
	if (d->count == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct term *grown = realloc(d->terms, cap * sizeof(*grown));

		if (!grown) {
			d->overflow = true;
			return;
		}
		d->terms = grown;
		d->cap = cap;
	}
	d->terms[d->count++] = *t;
}

static void dnf_free(struct dnf *d)
{
	free(d->terms);
	memset(d, 0, sizeof(*d));
}

/* One pattern on one argument as a term (false when it contradicts itself). */
static void add_pattern(struct dnf *d, unsigned arg, uint64_t mask, uint64_t value)
{
	struct term t = { 0 };

	t.args[arg].mask = mask;
	t.args[arg].value = value & mask;
	dnf_add(d, &t);
}

/*
 * The patterns of an atom, or of its negation. The argument's low bits,
 * masked, are y; for orders, z = y ^ sign (sign: the top bit, for signed
 * arguments) is compared unsigned with k' = k ^ sign. Bits outside the
 * mask are 0 in y, so in z they are fixed: a prefix that needs another value
 * there is impossible.
 */
static void atom_patterns(const struct atom *a, bool negate, struct dnf *out)
{
	uint64_t width = atom_width_mask(a->bits), m = a->mask & width, k = a->value & width;
	uint64_t sign = a->is_signed ? (uint64_t)1 << (a->bits - 1) : 0;
	enum cmp_op op = a->op;

	if (negate) {
		static const enum cmp_op opposite[] = { [CMP_EQ] = CMP_NE, [CMP_NE] = CMP_EQ,
							[CMP_LT] = CMP_GE, [CMP_LE] = CMP_GT,
							[CMP_GT] = CMP_LE, [CMP_GE] = CMP_LT };
		op = opposite[op];
	}
	if (op == CMP_EQ || op == CMP_NE) {
		if (k & ~m) {	/* never equal */
			if (op == CMP_NE)
				add_pattern(out, a->arg, 0, 0);
			return;
		}
		if (op == CMP_EQ) {
			add_pattern(out, a->arg, m, k);
			return;
		}
		for (unsigned b = 0; b < a->bits; b++) {
			uint64_t bit = (uint64_t)1 << b;

			if (m & bit)
				add_pattern(out, a->arg, bit, ~k & bit);
		}
		return;
	}
	/* z op k' with z_q = y_q ^ sign_q; fixed bits (outside m) have z_q = sign_q. */
	uint64_t kz = k ^ sign;
	bool less = op == CMP_LT || op == CMP_LE, or_equal = op == CMP_LE || op == CMP_GE;
	uint64_t prefix_mask = 0, prefix_value = 0;	/* in y terms */
	bool prefix_ok = true;

	for (int p = (int)a->bits - 1; p >= 0 && prefix_ok; p--) {
		uint64_t bit = (uint64_t)1 << p;
		unsigned kp = (kz & bit) != 0;
		bool fixed = !(m & bit);
		unsigned zfixed = (sign & bit) != 0;

		/* Here z and k' agree above p; at p, z is the smaller (less)
		 * or the larger: z_p = !kp with kp = 1 (less) or 0 (greater). */
		if (kp == (less ? 1u : 0u)) {
			unsigned want = less ? 0 : 1;	/* z_p */

			if (!fixed)
				add_pattern(out, a->arg, prefix_mask | bit,
					    prefix_value | (((want ^ ((sign & bit) != 0)) & 1) ? bit : 0));
			else if (zfixed == want)
				add_pattern(out, a->arg, prefix_mask, prefix_value);
		}
		/* Go on with z_p == kp. */
		if (fixed)
			prefix_ok = zfixed == kp;
		else {
			prefix_mask |= bit;
			if (kp ^ ((sign & bit) != 0))
				prefix_value |= bit;
		}
	}
	if (or_equal && prefix_ok)
		add_pattern(out, a->arg, prefix_mask, prefix_value);
}

/* The AND of two DNFs, merging the patterns of each argument. */
static void dnf_and(const struct dnf *x, const struct dnf *y, struct dnf *out)
{
	for (size_t i = 0; i < x->count && !out->overflow; i++) {
		for (size_t j = 0; j < y->count && !out->overflow; j++) {
			struct term t = x->terms[i];
			bool ok = true;

			for (int a = 0; a < 6 && ok; a++) {
				const struct pattern *p = &y->terms[j].args[a];

				ok = !((t.args[a].value ^ p->value) & t.args[a].mask & p->mask);
				t.args[a].mask |= p->mask;
				t.args[a].value |= p->value;
			}
			if (ok)
				dnf_add(out, &t);
		}
	}
	if (x->overflow || y->overflow)
		out->overflow = true;
}

/* The DNF of cond, or of !cond. */
static void cond_dnf(const struct cond *c, bool negate, struct dnf *out)
{
	struct dnf a = { 0 }, b = { 0 };
	bool conj;

	switch (c->kind) {
	case COND_TRUE:
	case COND_FALSE:
		if ((c->kind == COND_TRUE) != negate)
			add_pattern(out, 0, 0, 0);
		return;
	case COND_ATOM:
		atom_patterns(&c->atom, negate, out);
		return;
	case COND_NOT:
		cond_dnf(c->a, !negate, out);
		return;
	case COND_AND:
	case COND_OR:
		/* De Morgan: a negated AND is an OR of negations. */
		conj = (c->kind == COND_AND) != negate;
		cond_dnf(c->a, negate, &a);
		cond_dnf(c->b, negate, &b);
		if (conj) {
			dnf_and(&a, &b, out);
		} else {
			for (size_t i = 0; i < a.count; i++)
				dnf_add(out, &a.terms[i]);
			for (size_t i = 0; i < b.count; i++)
				dnf_add(out, &b.terms[i]);
			out->overflow |= a.overflow || b.overflow;
		}
		dnf_free(&a);
		dnf_free(&b);
		return;
	}
}

/* ---- writing ---------------------------------------------------------------------- */

/* One group of syscalls that share an action and a term. */
struct group {
	uint32_t ret;			/* the action, as SECCOMP_RET_ */
	const struct action *action;
	struct term term;
	bool conditional;
	const struct rule *rule;	/* for the comment */
	const char **names;
	size_t nnames, cap;
};

struct exporter {
	const struct syscage_policy *policy;
	struct syscage_diagnostics *diags;
	struct group *groups;
	size_t ngroups, cap;
	bool failed;
};

static struct group *group_for(struct exporter *ex, const struct action *action,
			       const struct term *t, bool conditional, const struct rule *rule)
{
	uint32_t ret = action_seccomp_ret(action);

	for (size_t i = 0; i < ex->ngroups; i++) {
		struct group *g = &ex->groups[i];

		if (g->ret == ret && g->conditional == conditional && g->rule == rule &&
		    memcmp(&g->term, t, sizeof(*t)) == 0)
			return g;
	}
	if (ex->ngroups == ex->cap) {
		size_t cap = ex->cap ? ex->cap * 2 : 32;
		struct group *grown = realloc(ex->groups, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		ex->groups = grown;
		ex->cap = cap;
	}
	struct group *g = &ex->groups[ex->ngroups++];
	memset(g, 0, sizeof(*g));
	g->ret = ret;
	g->action = action;
	g->term = *t;
	g->conditional = conditional;
	g->rule = rule;
	return g;
}

static bool add_name(struct group *g, const char *name)
{
	for (size_t i = 0; i < g->nnames; i++) {
		if (g->names[i] == name)
			return true;
	}
	if (g->nnames == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 8;
		const char **grown = realloc(g->names, cap * sizeof(*grown));

		if (!grown)
			return false;
		g->names = grown;
		g->cap = cap;
	}
	g->names[g->nnames++] = name;
	return true;
}

/* The entries (action, term) of one syscall on one arch, in a DNF per rule. */
struct translation {
	const struct entry *entries;
	size_t count;		/* rules that can decide */
	struct dnf *dnfs;	/* one per rule: its exclusive condition */
};

static void translation_free(struct translation *t)
{
	for (size_t i = 0; i < t->count && t->dnfs; i++)
		dnf_free(&t->dnfs[i]);
	free(t->dnfs);
}

/*
 * E_i = c_i && no earlier rule with another action matches. Earlier rules
 * with the same action need not be excluded: where they match, the verdict
 * is the same. Rules of different actions stay disjoint, which is all
 * libseccomp needs, and the DNFs stay small.
 */
static bool translate(const struct arch_rules *ar, uint32_t nr, struct translation *t)
{
	bool ok = true;

	memset(t, 0, sizeof(*t));
	t->count = policy_entries_for(ar, nr, &t->entries);
	t->dnfs = calloc(t->count + 1, sizeof(*t->dnfs));
	if (!t->dnfs)
		return false;
	for (size_t i = 0; i < t->count && ok; i++) {
		uint32_t ret = action_seccomp_ret(&t->entries[i].rule->stmt->action);
		struct dnf acc = { 0 };

		cond_dnf(t->entries[i].cond, false, &acc);
		for (size_t j = 0; j < i && ok && acc.count; j++) {
			struct dnf not_c = { 0 }, next = { 0 };

			if (action_seccomp_ret(&t->entries[j].rule->stmt->action) == ret)
				continue;
			cond_dnf(t->entries[j].cond, true, &not_c);
			dnf_and(&acc, &not_c, &next);
			ok = !not_c.overflow && !next.overflow;
			dnf_free(&not_c);
			dnf_free(&acc);
			acc = next;
		}
		ok = ok && !acc.overflow;
		t->dnfs[i] = acc;
	}
	return ok;
}

static bool same_translation(const struct translation *a, const struct translation *b)
{
	if (a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++) {
		if (a->entries[i].rule != b->entries[i].rule || a->dnfs[i].count != b->dnfs[i].count ||
		    memcmp(a->dnfs[i].terms, b->dnfs[i].terms,
			   a->dnfs[i].count * sizeof(struct term)) != 0)
			return false;
	}
	return true;
}

static void export_syscall(struct exporter *ex, int idx)
{
	const struct syscage_policy *pol = ex->policy;
	struct translation first = { 0 };
	int first_arch = -1;

	for (int a = 0; a < ARCH_COUNT && !ex->failed; a++) {
		const struct arch_rules *ar = &pol->arches[a];
		int64_t nr = syscall_number(a, idx);
		struct translation t;

		if (!ar->covered || nr < 0)
			continue;
		if (!translate(ar, (uint32_t)nr, &t)) {
			const struct stmt *s = t.count ? t.entries[0].rule->stmt : NULL;

			diag_report(ex->diags, SYSCAGE_ERROR, s ? s->loc : (struct loc){ 0 },
				    "split the rules of this syscall, or simplify their conditions",
				    "the conditions of %s need more than %d JSON entries", syscall_name(idx),
				    MAX_TERMS);
			ex->failed = true;
			translation_free(&t);
			break;
		}
		if (first_arch < 0) {
			first = t;
			first_arch = a;
			continue;
		}
		if (!same_translation(&first, &t)) {
			diag_report(ex->diags, SYSCAGE_ERROR, t.count ? t.entries[0].rule->stmt->loc
								      : first.entries[0].rule->stmt->loc,
				    "export one arch at a time (syscage export --arch)",
				    "the rules for %s mean different things on %s and %s (argument widths "
				    "differ), and a profile has one set of rules for all its arches",
				    syscall_name(idx), arch_info(first_arch)->name, arch_info(a)->name);
			ex->failed = true;
		}
		translation_free(&t);
	}
	for (size_t i = 0; i < first.count && !ex->failed; i++) {
		const struct rule *rule = first.entries[i].rule;
		const struct action *action = &rule->stmt->action;

		/* What no entry matches gets the default: no need to say it. */
		if (action_seccomp_ret(action) == action_seccomp_ret(&pol->default_action))
			continue;
		for (size_t j = 0; j < first.dnfs[i].count; j++) {
			const struct term *t = &first.dnfs[i].terms[j];
			bool conditional = false;

			for (int a = 0; a < 6; a++)
				conditional |= t->args[a].mask != 0;
			struct group *g = group_for(ex, action, t, conditional, conditional ? rule : NULL);
			if (!g || !add_name(g, syscall_name(idx)))
				ex->failed = true;
		}
	}
	translation_free(&first);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void write_action(FILE *f, const struct action *a, const char *indent)
{
	fprintf(f, "%s\"action\": \"%s\"", indent, oci_action_name(a->kind));
	if (a->kind == SYSCAGE_ACTION_ERRNO || a->kind == SYSCAGE_ACTION_TRACE)
		fprintf(f, ",\n%s\"errnoRet\": %u", indent, a->data);
}

static void write_profile(struct exporter *ex, FILE *f)
{
	const struct syscage_policy *pol = ex->policy;
	const struct action *def = &pol->default_action;
	bool first = true;

	fprintf(f, "{\n\t\"defaultAction\": \"%s\",\n", oci_action_name(def->kind));
	if (def->kind == SYSCAGE_ACTION_ERRNO)
		fprintf(f, "\t\"defaultErrnoRet\": %u,\n", def->data);
	fprintf(f, "\t\"architectures\": [");
	for (int a = 0; a < ARCH_COUNT; a++) {
		if (pol->arches[a].covered) {
			fprintf(f, "%s\"%s\"", first ? "" : ", ", oci_scmp_arch_name(a));
			first = false;
		}
	}
	fprintf(f, "],\n\t\"syscalls\": [");
	for (size_t i = 0; i < ex->ngroups; i++) {
		const struct group *g = &ex->groups[i];
		char comment[256];

		fprintf(f, "%s\n\t\t{\n\t\t\t\"names\": [", i ? "," : "");
		for (size_t n = 0; n < g->nnames; n++) {
			fprintf(f, "%s", n ? ", " : "");
			json_string(f, g->names[n]);
		}
		fprintf(f, "],\n");
		write_action(f, g->action, "\t\t\t");
		if (g->conditional) {
			bool any = false;

			fprintf(f, ",\n\t\t\t\"args\": [");
			for (int a = 0; a < 6; a++) {
				const struct pattern *p = &g->term.args[a];

				if (!p->mask)
					continue;
				if (p->mask == UINT64_MAX)
					fprintf(f, "%s\n\t\t\t\t{ \"index\": %d, \"value\": %llu, \"op\": "
						   "\"SCMP_CMP_EQ\" }",
						any ? "," : "", a, (unsigned long long)p->value);
				else
					fprintf(f, "%s\n\t\t\t\t{ \"index\": %d, \"value\": %llu, "
						   "\"valueTwo\": %llu, \"op\": \"SCMP_CMP_MASKED_EQ\" }",
						any ? "," : "", a, (unsigned long long)p->mask,
						(unsigned long long)p->value);
				any = true;
			}
			fprintf(f, "\n\t\t\t]");
		}
		if (g->rule) {
			snprintf(comment, sizeof(comment), "%s:%u", g->rule->stmt->loc.src->path,
				 g->rule->stmt->loc.line);
			fprintf(f, ",\n\t\t\t\"comment\": ");
			json_string(f, comment);
		}
		fprintf(f, "\n\t\t}");
	}
	fprintf(f, "\n\t]\n}\n");
}

/*
 * On i386, libseccomp also applies the rules of socket(), bind(), ... to
 * socketcall(SYS_SOCKET, ...), and those of semop(), shmat(), ... to ipc(),
 * without their argument conditions (the arguments are in memory there).
 * The profile would then decide those calls as the rule does. Rules of
 * another action than the multiplexer's are refused.
 */
static bool check_multiplexed(struct exporter *ex)
{
	static const char *const socket_calls[] = {
		"socket", "bind", "connect", "listen", "accept", "accept4", "getsockname",
		"getpeername", "socketpair", "send", "sendto", "recv", "recvfrom", "shutdown",
		"setsockopt", "getsockopt", "sendmsg", "recvmsg", "recvmmsg", "sendmmsg", NULL,
	};
	static const char *const ipc_calls[] = {
		"semop", "semget", "semctl", "semtimedop", "msgsnd", "msgrcv", "msgget", "msgctl",
		"shmat", "shmdt", "shmget", "shmctl", NULL,
	};
	const struct syscage_policy *pol = ex->policy;
	const struct arch_rules *ar = &pol->arches[ARCH_I386];
	static const uint64_t zero[6];

	if (!ar->covered)
		return true;
	for (int family = 0; family < 2; family++) {
		const char *const *calls = family ? ipc_calls : socket_calls;
		int64_t mux = syscall_number(ARCH_I386, syscall_lookup(family ? "ipc" : "socketcall"));
		struct syscage_verdict mv;

		syscage_policy_evaluate(pol, AUDIT_ARCH_I386, (uint32_t)mux, zero, &mv);
		for (const char *const *c = calls; *c; c++) {
			int64_t nr = syscall_number(ARCH_I386, syscall_lookup(*c));
			const struct entry *e;
			size_t n = nr < 0 ? 0 : policy_entries_for(ar, (uint32_t)nr, &e);

			for (size_t i = 0; i < n; i++) {
				/* The same action as the multiplexer's: what libseccomp
				 * adds for it changes nothing there. */
				if (action_seccomp_ret(&e[i].rule->stmt->action) == mv.seccomp_ret)
					continue;
				diag_report(ex->diags, SYSCAGE_ERROR, e[i].rule->stmt->loc,
					    "export without i386 (--arch x86_64), or give it the action "
					    "of the multiplexer",
					    "on i386, libseccomp applies this rule for %s to %s() too, "
					    "without its conditions: the profile would not mean what the "
					    "policy does",
					    *c, family ? "ipc" : "socketcall");
				return false;
			}
		}
	}
	return true;
}

/* libseccomp 2.5 refuses SCMP_ACT_ERRNO(4095), which the kernel takes: a
 * profile with it would not load in runc or crun. */
static bool check_errno_values(struct exporter *ex)
{
	const struct syscage_policy *pol = ex->policy;

	for (size_t i = 0; i <= pol->nrules; i++) {
		const struct action *a = i < pol->nrules ? &pol->rules[i].stmt->action
							 : &pol->default_action;

		if (a->kind == SYSCAGE_ACTION_ERRNO && a->data >= 4095) {
			diag_report(ex->diags, SYSCAGE_ERROR, a->loc,
				    "use an errno value up to 4094",
				    "libseccomp (runc, crun) refuses errno 4095, though the kernel "
				    "takes it: the profile would not load");
			return false;
		}
	}
	return true;
}

int oci_export(const struct syscage_policy *policy, struct syscage_diagnostics *diags,
	       char **json)
{
	struct exporter ex = { .policy = policy, .diags = diags };
	jmp_buf oom;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	if (setjmp(oom)) {
		diag_bind(diags, NULL);
		return -ENOMEM;
	}
	diag_bind(diags, &oom);
	ex.failed = !check_multiplexed(&ex) || !check_errno_values(&ex);
	for (size_t i = 0; i < syscall_count() && !ex.failed; i++)
		export_syscall(&ex, (int)i);
	diag_bind(diags, NULL);
	if (!ex.failed && (f = open_memstream(&buf, &size)) != NULL) {
		write_profile(&ex, f);
		fclose(f);
	}
	for (size_t i = 0; i < ex.ngroups; i++)
		free(ex.groups[i].names);
	free(ex.groups);
	if (ex.failed || !buf) {
		free(buf);
		return ex.failed ? -EINVAL : -ENOMEM;
	}
	*json = buf;
	return 0;
}
