/*
 * Code generation: rule tables to one seccomp-BPF program.
 *
 * Layout, top to bottom:
 *
 *   ld arch; jeq AUDIT_1 ... ; ret KILL_PROCESS   arch check first
 *   per arch value: ld nr; a search tree of jge,  dispatch on the number
 *     jeq and jset
 *   argument blocks                               per distinct argument outcome
 *   ret ...                                       the actions
 *
 * The path to a constant outcome reads only arch and nr and uses only the
 * instructions the kernel's constant-action analysis understands, so the
 * kernel's syscall cache (Linux 5.11+) skips the filter for allowed ones.
 *
 * The program is emitted backwards, from its last instruction to its first,
 * so every jump target already exists when the jump is written. Conditional
 * jumps reach 255 instructions; a return out of reach is emitted again
 * nearby (no extra instruction on the path), anything else gets a `ja`.
 */
#include "codegen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "dispatch.h"

/* Labels are positions counted from the end of the program. */
typedef size_t label_t;

struct ret_slot {
	uint32_t value;
	label_t at;
};

struct emitter {
	struct arena *arena;
	struct sock_filter *rev;	/* instructions, last first */
	const char **notes;		/* what each one is for, for the listing */
	size_t count, cap, notes_cap;
	const char *note;		/* the note for what is emitted next */
	struct ret_slot *rets;		/* the nearest copy of each return */
	size_t nrets, rets_cap;
	const struct compile_mode *mode;
	const struct rule *last_rule;	/* rule_note's cache */
	const char *last_note;
	int64_t a_holds;		/* for the jumps emitted now, A holds the word
					 * at this offset as loaded (else -1) */
};

static label_t emit(struct emitter *em, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	struct sock_filter *in = ARENA_PUSH(em->arena, em->rev, em->count, em->cap);
	in->code = code;
	in->k = k;
	in->jt = jt;
	in->jf = jf;
	size_t n = em->count - 1;
	arena_grow(em->arena, (void **)&em->notes, &em->notes_cap, em->count, sizeof(*em->notes));
	em->notes[n] = em->note;
	return n;
}

static label_t emit_ret(struct emitter *em, uint32_t value, const char *note)
{
	const char *saved = em->note;

	value = mode_filter_ret(em->mode, value);
	for (size_t i = 0; i < em->nrets; i++) {
		if (em->rets[i].value == value) {
			em->note = note;
			em->rets[i].at = emit(em, BPF_RET | BPF_K, value, 0, 0);
			em->note = saved;
			return em->rets[i].at;
		}
	}
	struct ret_slot *slot = ARENA_PUSH(em->arena, em->rets, em->nrets, em->rets_cap);
	slot->value = value;
	em->note = note;
	slot->at = emit(em, BPF_RET | BPF_K, value, 0, 0);
	em->note = saved;
	return slot->at;
}

/* A label holding `ret value`, reusing the nearest copy when one is close. */
static label_t ret_label(struct emitter *em, uint32_t value, const char *note)
{
	value = mode_filter_ret(em->mode, value);
	for (size_t i = 0; i < em->nrets; i++) {
		if (em->rets[i].value == value && em->count - em->rets[i].at <= 200)
			return em->rets[i].at;
	}
	return emit_ret(em, value, note);
}

/* Makes target reachable by a conditional jump emitted next. */
static label_t reach(struct emitter *em, label_t target)
{
	const struct sock_filter *in = &em->rev[target];

	if (em->count - target - 1 <= 255)
		return target;
	if (in->code == (BPF_RET | BPF_K))
		return emit_ret(em, in->k, em->notes[target]);
	return emit(em, BPF_JMP | BPF_JA, (uint32_t)(em->count - target - 1), 0, 0);
}

/* A jump to a load of what A already holds goes to the instruction after
 * it: the next test of the same argument does not load it again. */
static label_t skip_reload(const struct emitter *em, label_t target)
{
	const struct sock_filter *in = &em->rev[target];

	if (em->a_holds >= 0 && in->code == (BPF_LD | BPF_W | BPF_ABS) && in->k == em->a_holds)
		return target - 1;	/* emitted just before: next in the program */
	return target;
}

static label_t emit_jump(struct emitter *em, uint16_t op, uint32_t k, label_t t, label_t f)
{
	t = reach(em, skip_reload(em, t));
	f = reach(em, skip_reload(em, f));
	f = reach(em, f);
	/* The second fix-up may have pushed the first out of reach again. */
	t = reach(em, t);
	return emit(em, BPF_JMP | op | BPF_K, k, (uint8_t)(em->count - t - 1),
		    (uint8_t)(em->count - f - 1));
}

static label_t emit_load(struct emitter *em, uint32_t offset)
{
	em->a_holds = -1;	/* what comes before it is not known */
	return emit(em, BPF_LD | BPF_W | BPF_ABS, offset, 0, 0);
}

/* ---- argument tests -------------------------------------------------------- */

/* `A op k`, with the targets swapped as each op needs. */
static label_t emit_compare(struct emitter *em, enum cmp_op op, uint32_t k, label_t t, label_t f)
{
	switch (op) {
	case CMP_EQ: return emit_jump(em, BPF_JEQ, k, t, f);
	case CMP_NE: return emit_jump(em, BPF_JEQ, k, f, t);
	case CMP_LT: return emit_jump(em, BPF_JGE, k, f, t);
	case CMP_LE: return emit_jump(em, BPF_JGT, k, f, t);
	case CMP_GT: return emit_jump(em, BPF_JGT, k, t, f);
	default: return emit_jump(em, BPF_JGE, k, t, f);
	}
}

/* The jumps emitted next test one half as emit_load_half loads it: as is
 * (their targets may skip loading it again) or masked or flipped. */
static void testing_half(struct emitter *em, uint32_t offset, uint32_t mask, uint32_t sign_flip)
{
	em->a_holds = mask == UINT32_MAX && !sign_flip ? (int64_t)offset : -1;
}

/* Loads one 32-bit half, masks it, and maps signed order onto unsigned by
 * flipping the sign bit (both sides get the same flip). Emitted backwards:
 * call after the instructions that use A. */
static label_t emit_load_half(struct emitter *em, uint32_t offset, uint32_t mask, uint32_t sign_flip)
{
	em->a_holds = -1;
	if (sign_flip)
		emit(em, BPF_ALU | BPF_XOR | BPF_K, sign_flip, 0, 0);
	if (mask != UINT32_MAX)
		emit(em, BPF_ALU | BPF_AND | BPF_K, mask, 0, 0);
	return emit_load(em, offset);
}

static bool is_single_bit(uint32_t v)
{
	return v && !(v & (v - 1));
}

/* An atom on a 16- or 32-bit argument: only the low half is loaded, so
 * whatever the upper half holds cannot change the verdict. */
static label_t emit_narrow_atom(struct emitter *em, const struct atom *a, label_t t, label_t f)
{
	uint32_t mask = (uint32_t)(a->mask & atom_width_mask(a->bits));
	uint32_t k = (uint32_t)a->value;
	bool ordered = a->op != CMP_EQ && a->op != CMP_NE;
	uint32_t flip = ordered && a->is_signed ? 1u << (a->bits - 1) : 0;

	uint32_t sign = 1u << (a->bits - 1);

	/* (x & m) >= 0 and < 0 on a signed argument: its sign bit, one jset. */
	if (ordered && a->is_signed && k == 0 && (mask & sign) &&
	    (a->op == CMP_GE || a->op == CMP_LT)) {
		bool set_means_true = a->op == CMP_LT;

		testing_half(em, SECCOMP_DATA_ARG_LO(a->arg), UINT32_MAX, 0);
		emit_jump(em, BPF_JSET, sign, set_means_true ? t : f, set_means_true ? f : t);
		return emit_load(em, SECCOMP_DATA_ARG_LO(a->arg));
	}
	/* (x & m) == 0, != 0, and == m for a single bit m: one jset. */
	if (!ordered && (k == 0 || (k == mask && is_single_bit(mask)))) {
		bool set_means_true = (a->op == CMP_EQ) == (k != 0);

		testing_half(em, SECCOMP_DATA_ARG_LO(a->arg), UINT32_MAX, 0);
		emit_jump(em, BPF_JSET, mask, set_means_true ? t : f, set_means_true ? f : t);
		return emit_load(em, SECCOMP_DATA_ARG_LO(a->arg));
	}
	testing_half(em, SECCOMP_DATA_ARG_LO(a->arg), mask, flip);
	emit_compare(em, a->op, k ^ flip, t, f);
	return emit_load_half(em, SECCOMP_DATA_ARG_LO(a->arg), mask, flip);
}

static label_t emit_wide_atom(struct emitter *em, const struct atom *a, label_t t, label_t f)
{
	uint32_t mask_lo = (uint32_t)a->mask, mask_hi = (uint32_t)(a->mask >> 32);
	uint32_t k_lo = (uint32_t)a->value, k_hi = (uint32_t)(a->value >> 32);
	uint32_t flip = a->is_signed ? 0x80000000u : 0;
	label_t lo;

	/* A mask within the low half (clone's flags & CLONE_NEW...): the high
	 * half is 0 after it, and so is k's: the low halves decide, unsigned
	 * (a value below 2^32 is not negative, signed or not). */
	if (mask_hi == 0 && k_hi == 0) {
		struct atom low = *a;

		low.bits = 32;
		low.is_signed = false;
		return emit_narrow_atom(em, &low, t, f);
	}

	switch (a->op) {
	case CMP_NE: {
		struct atom eq = *a;

		eq.op = CMP_EQ;
		return emit_wide_atom(em, &eq, f, t);
	}
	case CMP_EQ:
		/* Both halves must match; the low half decides last. */
		testing_half(em, SECCOMP_DATA_ARG_LO(a->arg), mask_lo, 0);
		emit_jump(em, BPF_JEQ, k_lo, t, f);
		lo = emit_load_half(em, SECCOMP_DATA_ARG_LO(a->arg), mask_lo, 0);
		testing_half(em, SECCOMP_DATA_ARG_HI(a->arg), mask_hi, 0);
		emit_jump(em, BPF_JEQ, k_hi, lo, f);
		return emit_load_half(em, SECCOMP_DATA_ARG_HI(a->arg), mask_hi, 0);
	default: {
		/* The high halves decide unless equal; then the low halves,
		 * unsigned whatever the sign. */
		bool greater = a->op == CMP_GT || a->op == CMP_GE;

		uint32_t hi = k_hi ^ flip;

		testing_half(em, SECCOMP_DATA_ARG_LO(a->arg), mask_lo, 0);
		emit_compare(em, a->op, k_lo, t, f);
		lo = emit_load_half(em, SECCOMP_DATA_ARG_LO(a->arg), mask_lo, 0);
		testing_half(em, SECCOMP_DATA_ARG_HI(a->arg), mask_hi, flip);
		/* Where the high half cannot be above (below) k's, not equal
		 * is below (above): one test of it. */
		if (hi == 0 || hi == UINT32_MAX) {
			bool not_equal_is_greater = hi == 0;

			emit_jump(em, BPF_JEQ, hi, lo, greater == not_equal_is_greater ? t : f);
		} else {
			label_t eq = emit_jump(em, BPF_JEQ, hi, lo, greater ? f : t);

			emit_jump(em, BPF_JGT, hi, greater ? t : f, eq);
		}
		return emit_load_half(em, SECCOMP_DATA_ARG_HI(a->arg), mask_hi, flip);
	}
	}
}

/*
 * `x >= 0 && x < k` (or `<= k`) on a signed argument, k not negative, is
 * `x < k` unsigned: a negative x has its sign bit set, so read unsigned it
 * is above every such k. One comparison instead of a sign test and a
 * flipped comparison (the Docker profile's socket family, as imported).
 * True with the unsigned atom in *out.
 */
static bool as_unsigned_range(const struct cond *c, struct atom *out)
{
	const struct cond *sign, *bound;

	if (c->kind != COND_AND || c->a->kind != COND_ATOM || c->b->kind != COND_ATOM)
		return false;
	sign = c->a->atom.op == CMP_GE ? c->a : c->b;
	bound = sign == c->a ? c->b : c->a;
	const struct atom *s = &sign->atom, *b = &bound->atom;

	if (!s->is_signed || s->op != CMP_GE || s->value != 0 || !b->is_signed ||
	    (b->op != CMP_LT && b->op != CMP_LE) || b->value > atom_width_mask(b->bits) >> 1 ||
	    s->arg != b->arg || s->bits != b->bits || s->mask != b->mask)
		return false;
	*out = *b;
	out->is_signed = false;
	return true;
}

static label_t emit_cond(struct emitter *em, const struct cond *c, label_t t, label_t f)
{
	struct atom range;

	if (as_unsigned_range(c, &range))
		return range.bits < 64 ? emit_narrow_atom(em, &range, t, f)
				       : emit_wide_atom(em, &range, t, f);
	switch (c->kind) {
	case COND_TRUE:
		return t;
	case COND_FALSE:
		return f;
	case COND_NOT:
		return emit_cond(em, c->a, f, t);
	case COND_AND:
		return emit_cond(em, c->a, emit_cond(em, c->b, t, f), f);
	case COND_OR:
		return emit_cond(em, c->a, t, emit_cond(em, c->b, t, f));
	case COND_ATOM:
		if (c->atom.bits < 64)
			return emit_narrow_atom(em, &c->atom, t, f);
		return emit_wide_atom(em, &c->atom, t, f);
	}
	return f;
}

static const char *rule_note(struct emitter *em, const struct rule *rule)
{
	if (!rule)
		return "default";
	/* One note per rule, made once. */
	if (em->last_rule != rule) {
		em->last_rule = rule;
		em->last_note = arena_printf(em->arena, "%s:%u", rule->stmt->loc.src->path,
					     rule->stmt->loc.line);
	}
	return em->last_note;
}

static const char *action_note(struct emitter *em, const struct action *action,
			       const struct rule *rule)
{
	(void)action;
	return rule_note(em, rule);
}

/* The code of one outcome: its rules in order, then the fallback. */
static label_t emit_outcome(struct emitter *em, const struct outcome *o)
{
	const char *saved = em->note;
	label_t next = ret_label(em, action_seccomp_ret(o->fallback),
				 action_note(em, o->fallback, o->fallback_rule));

	for (size_t i = o->count; i-- > 0;) {
		const struct entry *e = &o->entries[i];

		em->note = rule_note(em, e->rule);
		label_t yes = ret_label(em, action_seccomp_ret(&e->rule->stmt->action), em->note);
		next = emit_cond(em, e->cond, yes, next);
	}
	em->note = saved;
	return next;
}

/* ---- dispatch on the syscall number ---------------------------------------- */

struct tree_emit {
	struct emitter *em;
	const struct rule_table *table;
	const label_t *outcome_labels;	/* SIZE_MAX: constant, emit on demand */
};

static label_t leaf_label(struct tree_emit *te, size_t range)
{
	const struct range *r = &te->table->ranges[range];
	const struct outcome *o = &te->table->outcomes[r->outcome];

	if (!outcome_is_constant(o))
		return te->outcome_labels[r->outcome];
	return ret_label(te->em, action_seccomp_ret(o->fallback),
			 action_note(te->em, o->fallback, o->fallback_rule));
}

static label_t emit_tree(struct tree_emit *te, const struct dispatch_node *node)
{
	if (node->kind == DISPATCH_LEAF)
		return leaf_label(te, node->range);
	if (node->kind == DISPATCH_EQUAL) {
		label_t rest = emit_tree(te, node->left);
		return emit_jump(te->em, BPF_JEQ, node->split, leaf_label(te, node->range), rest);
	}
	if (node->kind == DISPATCH_BITS) {
		label_t rest = emit_tree(te, node->left);
		label_t caught = leaf_label(te, node->range);

		/* jset takes its true branch when nr has a bit of the mask */
		if (node->on_clear)
			return emit_jump(te->em, BPF_JSET, node->split, rest, caught);
		return emit_jump(te->em, BPF_JSET, node->split, caught, rest);
	}
	/* Right first, so the left subtree ends up right after this jump. */
	label_t hi = emit_tree(te, node->right);
	label_t lo = emit_tree(te, node->left);
	return emit_jump(te->em, BPF_JGE, node->split, hi, lo);
}

/*
 * Instructions on the shortest path from each label to a return, for the
 * labels so far. A jump goes to a smaller label (emitted before it), so one
 * pass upwards works them all out.
 */
static uint32_t *shortest_paths(const struct emitter *em)
{
	uint32_t *dist = arena_alloc_uninit(em->arena, sizeof(*dist) * (em->count + 1));

	for (label_t at = 0; at < em->count; at++) {
		const struct sock_filter *in = &em->rev[at];
		uint32_t d;

		if (BPF_CLASS(in->code) == BPF_RET)
			d = 0;
		else if (BPF_CLASS(in->code) != BPF_JMP)
			d = dist[at - 1];
		else if (BPF_OP(in->code) == BPF_JA)
			d = dist[at - 1 - in->k];
		else
			d = dist[at - 1 - in->jt] < dist[at - 1 - in->jf] ? dist[at - 1 - in->jt]
									  : dist[at - 1 - in->jf];
		dist[at] = d + 1;
	}
	return dist;
}

static label_t emit_arch_block(struct emitter *em, struct rule_table *table)
{
	label_t *labels = arena_alloc(em->arena, sizeof(*labels) * (table->noutcomes + 1));
	struct tree_emit te = { .em = em, .table = table, .outcome_labels = labels };
	const char *saved = em->note;

	for (size_t i = table->noutcomes; i-- > 0;) {
		if (!outcome_is_constant(&table->outcomes[i]))
			labels[i] = emit_outcome(em, &table->outcomes[i]);
	}
	/* What an argument test costs a range after the search: the search
	 * puts it higher where the tree has room for it. Measured from the
	 * block's label, so best effort: a jump to it from far away may take
	 * a `ja` more. */
	const uint32_t *dist = shortest_paths(em);

	for (size_t i = 0; i < table->nranges; i++) {
		const struct range *r = &table->ranges[i];
		uint32_t extra = outcome_is_constant(&table->outcomes[r->outcome]) ? 0
			       : dist[labels[r->outcome]] - 1;

		table->ranges[i].extra = (uint8_t)(extra < UINT8_MAX ? extra : UINT8_MAX);
	}
	struct dispatch_node *root = dispatch_build(em->arena, table->ranges, table->nranges);
	em->note = "dispatch on nr";
	label_t entry = emit_tree(&te, root);
	if (!root->leaf)
		entry = emit_load(em, SECCOMP_DATA_NR);
	em->note = saved;
	return entry;
}

/*
 * Drops the instructions no path reaches (the loads skip_reload jumps
 * over, where every way in did) and shortens the jumps over them. Jumps
 * only get shorter, so they stay in reach.
 */
static size_t drop_unreachable(struct arena *arena, struct sock_filter *prog, const char **notes,
			       size_t len)
{
	size_t *to = arena_alloc(arena, sizeof(*to) * len);	/* new pc + 1; 0: dropped */
	bool *reached = arena_alloc(arena, sizeof(*reached) * len);
	size_t n = 0;

	reached[0] = true;
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &prog[pc];

		if (!reached[pc])
			continue;
		to[pc] = ++n;
		if (BPF_CLASS(in->code) == BPF_RET)
			continue;
		if (BPF_CLASS(in->code) != BPF_JMP)
			reached[pc + 1] = true;
		else if (BPF_OP(in->code) == BPF_JA)
			reached[pc + 1 + in->k] = true;
		else
			reached[pc + 1 + in->jt] = reached[pc + 1 + in->jf] = true;
	}
	for (size_t pc = 0; pc < len; pc++) {
		struct sock_filter in = prog[pc];
		size_t at = to[pc] - 1;

		if (!to[pc])
			continue;
		if (BPF_CLASS(in.code) == BPF_JMP && BPF_OP(in.code) == BPF_JA) {
			in.k = (uint32_t)(to[pc + 1 + in.k] - 1 - at - 1);
		} else if (BPF_CLASS(in.code) == BPF_JMP) {
			in.jt = (uint8_t)(to[pc + 1 + in.jt] - 1 - at - 1);
			in.jf = (uint8_t)(to[pc + 1 + in.jf] - 1 - at - 1);
		}
		prog[at] = in;
		notes[at] = notes[pc];
	}
	return n;
}

int codegen_program(struct arena *arena, const struct syscage_policy *policy,
		    const struct compile_mode *mode, struct sock_filter **insns, const char ***notes,
		    size_t *len)
{
	struct emitter em = { .arena = arena, .note = "arch check", .mode = mode, .a_holds = -1 };
	uint32_t audits[ARCH_COUNT];
	label_t blocks[ARCH_COUNT];
	size_t naudits = 0;

	/* The native arch first: it is checked first, so it pays the least. */
	for (int pass = 0; pass < 2; pass++) {
		for (int a = 0; a < ARCH_COUNT; a++) {
			uint32_t audit = arch_info(a)->audit_arch;
			bool native = a == (int)arch_native() ||
				      audit == arch_info(arch_native())->audit_arch;
			bool seen = false;

			if (!policy->arches[a].covered || native != (pass == 0))
				continue;
			for (size_t i = 0; i < naudits; i++)
				seen |= audits[i] == audit;
			if (!seen)
				audits[naudits++] = audit;
		}
	}
	emit_ret(&em, SECCOMP_RET_KILL_PROCESS, "arch not covered: kill");
	for (size_t i = naudits; i-- > 0;) {
		struct rule_table table;

		rule_table_build(arena, policy, mode, audits[i], &table);
		blocks[i] = emit_arch_block(&em, &table);
	}
	em.note = "arch check";
	label_t next = ret_label(&em, SECCOMP_RET_KILL_PROCESS, "arch not covered: kill");
	for (size_t i = naudits; i-- > 0;)
		next = emit_jump(&em, BPF_JEQ, audits[i], blocks[i], next);
	emit_load(&em, SECCOMP_DATA_ARCH);

	/* Reverse into program order. */
	struct sock_filter *out = arena_alloc(arena, sizeof(*out) * em.count);
	const char **out_notes = arena_alloc(arena, sizeof(*out_notes) * em.count);
	for (size_t i = 0; i < em.count; i++) {
		out[i] = em.rev[em.count - 1 - i];
		out_notes[i] = em.notes[em.count - 1 - i];
	}
	*insns = out;
	*notes = out_notes;
	/* The length the kernel would see: after what no path reaches goes. */
	*len = drop_unreachable(arena, out, out_notes, em.count);
	return *len > BPF_MAX_INSNS ? -E2BIG : 0;
}
