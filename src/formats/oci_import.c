/*
 * OCI profile to syscage policy.
 *
 * The profile's meaning is libseccomp's, as runc and crun apply it: entries
 * for one syscall are ORed, conditions of an entry are ANDed unless an
 * argument index repeats (then each condition is a rule of its own), and
 * ordered comparisons are unsigned. The policy says the same in syscage's
 * terms, with one deliberate difference: an argument is compared at the
 * width the kernel uses (as all syscage policies are), so a 32-bit argument
 * with garbage in its upper half is judged by what the kernel will see.
 */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <jansson.h>

#include "arch.h"
#include "constants.h"
#include "diag.h"
#include "oci.h"
#include "oci_names.h"
#include "syscall_table.h"

const char oci_default_caps[] =
	"CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FSETID,CAP_FOWNER,CAP_MKNOD,CAP_NET_RAW,CAP_SETGID,"
	"CAP_SETUID,CAP_SETFCAP,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_SYS_CHROOT,CAP_KILL,"
	"CAP_AUDIT_WRITE";

struct importer {
	struct syscage_diagnostics *diags;
	struct source src;
	const struct oci_target *target;
	unsigned kernel;
	FILE *out;
	bool failed;
	uint32_t arch_mask;
	/* per syscall: the rules the profile gives it so far */
	struct claim **claims;
};

static void error(struct importer *im, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void error(struct importer *im, const char *hint, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_report_file(im->diags, SYSCAGE_ERROR, &im->src, 0, hint, "%s", msg);
	im->failed = true;
}

static void warning(struct importer *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warning(struct importer *im, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_report_file(im->diags, SYSCAGE_WARNING, &im->src, 0, NULL, "%s", msg);
}

/* Reports the keys of obj that are not in known[] (a NULL-ended list). */
static void check_keys(struct importer *im, json_t *obj, const char *path, const char *const *known)
{
	const char *key;
	json_t *value;

	json_object_foreach(obj, key, value) {
		const char *const *k = known;

		while (*k && strcmp(*k, key) != 0)
			k++;
		if (!*k)
			warning(im, "%s%s%s: unknown field, ignored", path, *path ? "." : "", key);
	}
}

static bool get_u64(struct importer *im, json_t *v, const char *path, uint64_t *out)
{
	if (!json_is_integer(v)) {
		error(im, NULL, "%s: expected an integer, found %s", path,
		      json_is_real(v) ? "a real number" : json_is_string(v) ? "a string" : "another type");
		return false;
	}
	*out = (uint64_t)json_integer_value(v);
	return true;
}

/* ---- includes and excludes ---------------------------------------------------- */

static bool list_has(json_t *list, const char *const *names)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v) {
		for (const char *const *n = names; *n; n++) {
			if (json_is_string(v) && strcmp(json_string_value(v), *n) == 0)
				return true;
		}
	}
	return false;
}

static bool has_cap(struct importer *im, const char *cap)
{
	const char *caps = im->target->caps ? im->target->caps : oci_default_caps;
	size_t len = strlen(cap);

	for (const char *p = caps; *p;) {
		size_t n = strcspn(p, ",");

		if (n == len && strncmp(p, cap, len) == 0)
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

static unsigned parse_version(const char *s)
{
	unsigned major = 0, minor = 0;

	if (sscanf(s, "%u.%u", &major, &minor) < 1)
		return 0;
	return major * 1000 + minor;
}

/* Whether an entry applies to the target, as Docker's profile loader decides:
 * excludes first (any match excludes), then includes (all must match). */
static bool applies(struct importer *im, json_t *entry, const char *path, const char **why)
{
	static const char *const known[] = { "caps", "arches", "minKernel", NULL };
	const char *const *arch_names = oci_go_arch_names(im->target->arch);
	json_t *inc = json_object_get(entry, "includes"), *exc = json_object_get(entry, "excludes");
	char sub[96];
	size_t i;
	json_t *v;

	for (int pass = 0; pass < 2; pass++) {
		json_t *obj = pass ? inc : exc;
		json_t *caps, *arches, *min;
		bool exclude = pass == 0;

		if (!obj)
			continue;
		snprintf(sub, sizeof(sub), "%s.%s", path, exclude ? "excludes" : "includes");
		if (!json_is_object(obj)) {
			error(im, NULL, "%s: expected an object", sub);
			return false;
		}
		check_keys(im, obj, sub, known);
		arches = json_object_get(obj, "arches");
		caps = json_object_get(obj, "caps");
		min = json_object_get(obj, "minKernel");
		if (arches && json_array_size(arches) && list_has(arches, arch_names) == exclude) {
			*why = exclude ? "excluded on this arch" : "only for other arches";
			return false;
		}
		json_array_foreach(caps, i, v) {
			if (!json_is_string(v)) {
				error(im, NULL, "%s.caps[%zu]: expected a string", sub, i);
				return false;
			}
			if (has_cap(im, json_string_value(v)) == exclude) {
				*why = exclude ? "excluded with a capability the container has"
					       : "needs a capability the container lacks";
				return false;
			}
		}
		if (min) {
			unsigned need = json_is_string(min) ? parse_version(json_string_value(min)) : 0;

			if (!need) {
				error(im, "write it as \"4.8\"", "%s.minKernel: expected a kernel version",
				      sub);
				return false;
			}
			if ((im->kernel >= need) == exclude) {
				*why = exclude ? "excluded on this kernel" : "needs a newer kernel";
				return false;
			}
		}
	}
	return true;
}

/* ---- actions ------------------------------------------------------------------- */

/* The policy's words for an OCI action, or NULL after an error. */
static char *action_text(struct importer *im, json_t *action, json_t *ret, const char *path,
			 uint64_t default_errno)
{
	const struct oci_action *a = json_is_string(action) ? oci_action_by_name(json_string_value(action))
							    : NULL;
	uint64_t value = default_errno;
	char *text = NULL;

	if (!a) {
		error(im, "actions: SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL, "
			  "SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_TRACE, "
			  "SCMP_ACT_LOG, SCMP_ACT_NOTIFY",
		      "%s: unknown action %s%s%s", path, json_is_string(action) ? "'" : "",
		      json_is_string(action) ? json_string_value(action) : "(not a string)",
		      json_is_string(action) ? "'" : "");
		return NULL;
	}
	if (ret && !get_u64(im, ret, path, &value))
		return NULL;
	if (a->kind == SYSCAGE_ACTION_ERRNO) {
		const char *name = errno_name((int)value);

		if (value < 1 || value > 4095) {
			error(im, NULL, "%s: errno %llu is out of range (1 to 4095)", path,
			      (unsigned long long)value);
			return NULL;
		}
		if ((name ? asprintf(&text, "errno %s", name)
			  : asprintf(&text, "errno %llu", (unsigned long long)value)) < 0)
			text = NULL;
		return text;
	}
	if (a->kind == SYSCAGE_ACTION_TRACE) {
		if (value > 65535) {
			error(im, NULL, "%s: trace value %llu is out of range (0 to 65535)", path,
			      (unsigned long long)value);
			return NULL;
		}
		if (asprintf(&text, "trace %llu", (unsigned long long)value) < 0)
			text = NULL;
		return text;
	}
	return strdup(a->policy_word);
}

/* ---- conditions ------------------------------------------------------------------- */

/* How one arch reads a register of a call. */
struct reading {
	int arch;
	unsigned bits;
	bool is_signed;
	bool old_id;		/* a 16-bit id (old_uid_t): its -1 is 0xffffffff too */
	const char *name;	/* the parameter it holds, if one whole */
};

struct typed_arg {
	char name[40];
	/* As the reference arch reads it (the target, if the profile covers
	 * it): the condition is written for it. */
	struct reading ref;
	/* The arch reading it narrowest: every value must fit it. */
	struct reading narrowest;
	/* An arch reading it with another width or sign than the reference
	 * (a signed one first), or arch -1: an order means the same for all
	 * only on small values. */
	struct reading other;
	bool any_signed;	/* some arch reads it signed */
	unsigned widest;	/* bits the widest reading has: a mask keeps them */
};

/* Whether the profile covers arch, and syscall idx exists there. */
static bool covers(const struct importer *im, int a, int idx)
{
	return (im->arch_mask & (1u << a)) && syscall_number(a, idx) >= 0;
}

/* Register index of syscall idx as arch reads it, or false after an error. */
static bool read_on(struct importer *im, int idx, unsigned index, const char *path, int a,
		    struct reading *out)
{
	struct syscall_signature on_arch;
	int param, half;

	syscall_signature_on(a, idx, &on_arch);
	if (on_arch.in_memory) {
		error(im, "remove the condition, or leave that arch out of the profile",
		      "%s: compares argument %u of %s, which on %s takes its arguments in "
		      "memory behind one pointer: no filter can check them",
		      path, index, syscall_name(idx), arch_info(a)->name);
		return false;
	}
	param = syscall_register_param(a, &on_arch, (int)index, &half);
	*out = (struct reading){ .arch = a, .bits = arch_info(a)->arg_bits };
	if (param < 0)
		return true;
	const struct syscall_param *p = &on_arch.params[param];

	if (p->kind == PARAM_POINTER) {
		error(im, "remove the condition, or check that argument in a supervisor",
		      "%s: compares argument %u of %s, on %s a pointer (%s): syscage does not "
		      "compare pointers, whose memory can change after the check",
		      path, index, syscall_name(idx), arch_info(a)->name, p->ctype);
		return false;
	}
	if (p->bits < out->bits)
		out->bits = p->bits;
	out->is_signed = p->kind == PARAM_SIGNED;
	out->old_id = strncmp(p->ctype, "old_", 4) == 0;
	out->name = p->name;
	return true;
}

/*
 * The argument at index of syscall idx, or false after an error. A profile
 * compares registers by index, on every arch it covers, and so does the
 * policy written here, by position or by a name that means that register
 * on every one of them (clone's tls is the fourth on most arches, the
 * fifth on x86_64; fadvise64's fourth register is len on i386, where the
 * offset takes two). How each arch reads it (16-bit ids on i386, 32-bit
 * registers there and in x32's compat calls) decides which values and
 * orders one condition can say for all (write_condition).
 */
static bool type_arg(struct importer *im, int idx, unsigned index, const char *path,
		     struct typed_arg *out)
{
	/* The target, if the profile covers it there; else the first arch. */
	int ref = covers(im, im->target->arch, idx) ? (int)im->target->arch : -1;
	bool same_name = true;

	for (int a = 0; a < ARCH_COUNT && ref < 0; a++) {
		if (covers(im, a, idx))
			ref = a;
	}
	memset(out, 0, sizeof(*out));
	out->ref = (struct reading){ .arch = ref < 0 ? im->target->arch : ref,
				     .bits = arch_info(ref < 0 ? im->target->arch : ref)->arg_bits };
	if (ref >= 0 && !read_on(im, idx, index, path, ref, &out->ref))
		return false;
	out->narrowest = out->ref;
	out->other.arch = -1;
	out->any_signed = out->ref.is_signed;
	out->widest = out->ref.bits;
	for (int a = 0; a < ARCH_COUNT; a++) {
		struct reading r;

		if (a == ref || !covers(im, a, idx))
			continue;
		if (!read_on(im, idx, index, path, a, &r))
			return false;
		same_name &= r.name && out->ref.name && strcmp(r.name, out->ref.name) == 0;
		if (r.bits < out->narrowest.bits)
			out->narrowest = r;
		if ((r.bits != out->ref.bits || r.is_signed != out->ref.is_signed) &&
		    (out->other.arch < 0 || (r.is_signed && !out->other.is_signed)))
			out->other = r;
		out->any_signed |= r.is_signed;
		out->widest = r.bits > out->widest ? r.bits : out->widest;
	}
	if (same_name && out->ref.name) {
		snprintf(out->name, sizeof(out->name), "%s", out->ref.name);
		return true;
	}
	snprintf(out->name, sizeof(out->name), "arg%u", index);
	/* prctl, keyctl and arch_prctl call parameters argN: there argN is
	 * the parameter of that name, and the register past them has none. */
	for (int a = 0; a < ARCH_COUNT; a++) {
		struct syscall_signature on_arch;
		bool two;

		if (!covers(im, a, idx))
			continue;
		syscall_signature_on(a, idx, &on_arch);
		for (int i = 0; i < on_arch.nparams; i++) {
			if (strcmp(on_arch.params[i].name, out->name) == 0 &&
			    syscall_param_register(a, &on_arch, i, &two) != (int)index) {
				error(im, "remove the condition: the kernel does not read that register",
				      "%s: compares argument %u of %s, past its parameters: a policy "
				      "cannot name it there ('%s' is its parameter of that name)",
				      path, index, syscall_name(idx), out->name);
				return false;
			}
		}
	}
	return true;
}

/* x <u k on a signed argument, said with signed comparisons. */
static void unsigned_less(FILE *f, const struct typed_arg *a, uint64_t k)
{
	unsigned bits = a->ref.bits;
	uint64_t half = (uint64_t)1 << (bits - 1);

	if (k == 0)
		fprintf(f, "0");
	else if (k <= half)
		fprintf(f, k == half ? "%s >= 0" : "(%s >= 0 && %s < %llu)", a->name, a->name,
			(unsigned long long)k);
	else
		fprintf(f, "(%s >= 0 || %s < %lld)", a->name, a->name,
			(long long)(k - (bits == 64 ? 0 : ((uint64_t)1 << bits))));
}

static uint64_t width_of(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
}

/* Whether an order on value means the same on every arch the condition is
 * for; false after an error. Where the arches read the register alike, it
 * is written for that reading. Where they differ, it is written signed if
 * any reads it signed: (x >= 0 && x < k) is x < k in every reading, signed
 * or not, 32 bits or 64, as long as k is a positive value of the narrowest
 * width; unsigned (x < k) where none does, for any value that fits. */
static bool order_holds(struct importer *im, const struct typed_arg *a, uint64_t value,
			const char *path)
{
	uint64_t small = ((uint64_t)1 << (a->narrowest.bits - 1)) - 1;
	const struct reading *o = &a->other, *r = &a->ref;

	if (o->arch < 0 || !a->any_signed || value < small)
		return true;
	char hint[200];

	/* Blame the signed reading against an unsigned reference. */
	if (!r->is_signed && o->is_signed) {
		const struct reading *t = r;

		r = o;
		o = t;
	}
	snprintf(hint, sizeof(hint), "leave %s out of the profile's architectures and cover it "
		 "with a profile of its own", oci_scmp_arch_name(o->arch));
	error(im, hint, "%s: argument '%s' is %s %u-bit value on %s and %s %u-bit one on %s: "
	      "one rule cannot say this order for both",
	      path, a->name, r->is_signed ? "a signed" : "an unsigned", r->bits,
	      arch_info(r->arch)->name, o->is_signed ? "a signed" : "an unsigned", o->bits,
	      arch_info(o->arch)->name);
	return false;
}

/* One OCI condition, as a syscage expression on the typed argument. */
static bool write_condition(struct importer *im, FILE *f, const struct typed_arg *a, const char *op,
			    uint64_t value, uint64_t two, const char *path)
{
	uint64_t width = width_of(a->ref.bits), narrow = width_of(a->narrowest.bits);
	uint64_t widest = width_of(a->widest);
	bool masked = strcmp(op, "SCMP_CMP_MASKED_EQ") == 0;
	bool ordered = strcmp(op, "SCMP_CMP_LT") == 0 || strcmp(op, "SCMP_CMP_LE") == 0 ||
		       strcmp(op, "SCMP_CMP_GT") == 0 || strcmp(op, "SCMP_CMP_GE") == 0;
	uint64_t checked = masked ? two : value;
	/* A policy writes a 16-bit id's -1 as the 32-bit one, as libc passes it. */
	bool minus_one = a->narrowest.old_id && !masked && checked == UINT32_MAX;

	if (checked > narrow && !minus_one) {
		if (a->narrowest.arch == a->ref.arch) {
			error(im, "the kernel never sees such a value in that argument",
			      "%s: %#llx does not fit in argument '%s', which the kernel reads as %u "
			      "bits", path, (unsigned long long)checked, a->name, a->narrowest.bits);
		} else {
			char hint[160];

			snprintf(hint, sizeof(hint), "leave %s out of the profile's architectures, or "
				 "change the value", oci_scmp_arch_name(a->narrowest.arch));
			error(im, hint, "%s: %#llx does not fit in argument '%s' on %s, where the kernel "
			      "reads it as %u bits", path, (unsigned long long)checked, a->name,
			      arch_info(a->narrowest.arch)->name, a->narrowest.bits);
		}
		return false;
	}
	if (ordered && !order_holds(im, a, value, path))
		return false;
	/* Small values read best in decimal (family == 39), bit patterns in hex. */
	const char *num = value < 4096 ? "%s %s %llu" : "%s %s %#llx";
	bool is_signed = a->other.arch < 0 ? a->ref.is_signed : a->any_signed;

	if (strcmp(op, "SCMP_CMP_EQ") == 0)
		fprintf(f, num, a->name, "==", (unsigned long long)value);
	else if (strcmp(op, "SCMP_CMP_NE") == 0)
		fprintf(f, num, a->name, "!=", (unsigned long long)value);
	else if (masked)
		fprintf(f, "%s & %#llx == %#llx", a->name, (unsigned long long)(value & widest),
			(unsigned long long)two);
	else if (!is_signed && strcmp(op, "SCMP_CMP_LT") == 0)
		fprintf(f, num, a->name, "<", (unsigned long long)value);
	else if (!is_signed && strcmp(op, "SCMP_CMP_LE") == 0)
		fprintf(f, num, a->name, "<=", (unsigned long long)value);
	else if (!is_signed && strcmp(op, "SCMP_CMP_GT") == 0)
		fprintf(f, num, a->name, ">", (unsigned long long)value);
	else if (!is_signed && strcmp(op, "SCMP_CMP_GE") == 0)
		fprintf(f, num, a->name, ">=", (unsigned long long)value);
	/* The profile's orders are unsigned; the argument is signed. */
	else if (strcmp(op, "SCMP_CMP_LT") == 0)
		unsigned_less(f, a, value);
	else if (strcmp(op, "SCMP_CMP_GE") == 0)
		fprintf(f, "!"), unsigned_less(f, a, value);
	else if (strcmp(op, "SCMP_CMP_LE") == 0 || strcmp(op, "SCMP_CMP_GT") == 0) {
		if (op[9] == 'G')
			fprintf(f, "!");
		if (value == width)
			fprintf(f, "1");
		else
			unsigned_less(f, a, value + 1);
	} else {
		error(im, "ops: SCMP_CMP_EQ, SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_GT, "
			  "SCMP_CMP_GE, SCMP_CMP_MASKED_EQ",
		      "%s: unknown op '%s'", path, op);
		return false;
	}
	return true;
}

struct arg_cond {
	unsigned index;
	const char *op;
	uint64_t value, two;
	char path[96];
};

static size_t read_args(struct importer *im, json_t *args, const char *path, struct arg_cond *out,
			bool *repeated)
{
	static const char *const known[] = { "index", "value", "valueTwo", "op", NULL };
	unsigned seen = 0;
	size_t i, n = 0;
	json_t *arg;

	*repeated = false;
	if (!json_is_array(args)) {
		error(im, NULL, "%s.args: expected an array", path);
		return 0;
	}
	if (json_array_size(args) > 64) {
		error(im, NULL, "%s.args: more than 64 conditions", path);
		return 0;
	}
	json_array_foreach(args, i, arg) {
		struct arg_cond *c = &out[n];
		uint64_t index;

		snprintf(c->path, sizeof(c->path), "%s.args[%zu]", path, i);
		if (!json_is_object(arg)) {
			error(im, NULL, "%s: expected an object", c->path);
			return 0;
		}
		check_keys(im, arg, c->path, known);
		char sub[128];
		snprintf(sub, sizeof(sub), "%s.index", c->path);
		if (!get_u64(im, json_object_get(arg, "index"), sub, &index))
			return 0;
		if (index > 5) {
			error(im, NULL, "%s: argument index %llu is not 0 to 5", sub,
			      (unsigned long long)index);
			return 0;
		}
		snprintf(sub, sizeof(sub), "%s.value", c->path);
		if (!get_u64(im, json_object_get(arg, "value"), sub, &c->value))
			return 0;
		c->two = 0;
		if (json_object_get(arg, "valueTwo")) {
			snprintf(sub, sizeof(sub), "%s.valueTwo", c->path);
			if (!get_u64(im, json_object_get(arg, "valueTwo"), sub, &c->two))
				return 0;
		}
		json_t *op = json_object_get(arg, "op");
		if (!json_is_string(op)) {
			error(im, NULL, "%s.op: expected a string such as \"SCMP_CMP_EQ\"", c->path);
			return 0;
		}
		c->op = json_string_value(op);
		c->index = (unsigned)index;
		*repeated |= (seen >> index) & 1;
		seen |= 1u << index;
		n++;
	}
	return n;
}

/* ---- entries -------------------------------------------------------------------------- */

static void write_names(FILE *f, const char *action, const char *const *names, size_t n)
{
	size_t col = strlen(action) + 1;

	fprintf(f, "%s ", action);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);

		if (i && col + len + 2 > 88) {
			fprintf(f, ",\n    ");
			col = 4;
		} else if (i) {
			fprintf(f, ", ");
			col += 2;
		}
		fprintf(f, "%s", names[i]);
		col += len;
	}
}

/* One rule for one syscall with the conditions conds (ANDed). */
static bool write_rule(struct importer *im, const char *action, int idx, const struct arg_cond *conds,
		       size_t n)
{
	const char *name = syscall_name(idx);

	write_names(im->out, action, &name, 1);
	for (size_t i = 0; i < n; i++) {
		struct typed_arg a;

		if (!type_arg(im, idx, conds[i].index, conds[i].path, &a))
			return false;
		fprintf(im->out, i ? " && " : " if ");
		if (n > 1)
			fprintf(im->out, "(");
		if (!write_condition(im, im->out, &a, conds[i].op, conds[i].value, conds[i].two,
				     conds[i].path))
			return false;
		if (n > 1)
			fprintf(im->out, ")");
	}
	fprintf(im->out, "\n");
	return true;
}

/* A rule of the profile for one syscall, kept to check overlaps. */
struct claim {
	char *action;
	const char *path;
	bool exact;		/* all conditions are patterns (EQ, MASKED_EQ) */
	uint64_t mask[6], value[6];
	struct claim *next;
};

/* The rule's conditions as patterns (register & mask) == value, if they all are. */
static void claim_patterns(struct claim *c, const struct arg_cond *conds, size_t n)
{
	c->exact = true;
	for (size_t i = 0; i < n; i++) {
		unsigned x = conds[i].index;
		uint64_t m, v;

		if (strcmp(conds[i].op, "SCMP_CMP_EQ") == 0) {
			m = UINT64_MAX;
			v = conds[i].value;
		} else if (strcmp(conds[i].op, "SCMP_CMP_MASKED_EQ") == 0) {
			m = conds[i].value;
			v = conds[i].two;
		} else {
			c->exact = false;
			return;
		}
		if ((c->value[x] ^ v) & c->mask[x] & m) {
			/* contradicts itself: matches nothing, overlaps nothing */
			c->mask[x] = 0;
			c->exact = true;
			return;
		}
		c->mask[x] |= m;
		c->value[x] |= v & m;
	}
}

static bool disjoint(const struct claim *a, const struct claim *b)
{
	if (!a->exact || !b->exact)
		return false;
	for (int x = 0; x < 6; x++) {
		if ((a->value[x] ^ b->value[x]) & a->mask[x] & b->mask[x])
			return true;
	}
	return false;
}

/*
 * Rules of one syscall with different actions must not overlap: libseccomp
 * would then pick one its own way, while a policy picks the first. Where
 * they provably cannot match the same call, order does not matter.
 */
static bool claim(struct importer *im, int idx, const char *action, const struct arg_cond *conds,
		  size_t n, const char *path)
{
	struct claim *c = calloc(1, sizeof(*c));

	if (!c)
		return false;
	claim_patterns(c, conds, n);
	for (const struct claim *o = im->claims[idx]; o; o = o->next) {
		if (strcmp(o->action, action) == 0 || disjoint(o, c))
			continue;
		error(im, "make their conditions exclusive, or keep one action per syscall",
		      "%s gives %s '%s' and %s gives it '%s', and the two may match the same "
		      "call: syscage cannot tell which a libseccomp runtime would apply",
		      o->path, syscall_name(idx), o->action, path, action);
		free(c);
		return false;
	}
	c->action = strdup(action);
	c->path = strdup(path);
	c->next = im->claims[idx];
	im->claims[idx] = c;
	return c->action && c->path;
}

static void import_entry(struct importer *im, json_t *entry, size_t i, uint64_t default_errno)
{
	static const char *const known[] = { "names", "name", "action", "errnoRet", "args",
					      "includes", "excludes", "comment", NULL };
	char path[48];
	const char *why = NULL;
	json_t *names = json_object_get(entry, "names"), *v;
	json_t *comment = json_object_get(entry, "comment");
	size_t j, n = 0;

	snprintf(path, sizeof(path), "syscalls[%zu]", i);
	if (!json_is_object(entry)) {
		error(im, NULL, "%s: expected an object", path);
		return;
	}
	check_keys(im, entry, path, known);
	/* Old profiles name one syscall per entry. */
	if (!names && json_is_string(json_object_get(entry, "name"))) {
		names = json_array();
		json_array_append(names, json_object_get(entry, "name"));
		json_object_set_new(entry, "names", names);
	}
	if (!json_is_array(names) || !json_array_size(names)) {
		error(im, NULL, "%s.names: expected a list of syscall names", path);
		return;
	}
	const char **known_names = calloc(json_array_size(names), sizeof(*known_names));
	int *idxs = calloc(json_array_size(names), sizeof(*idxs));
	char *action = NULL;
	if (!known_names || !idxs)
		goto out;
	json_array_foreach(names, j, v) {
		int idx = json_is_string(v) ? syscall_lookup(json_string_value(v)) : -1;

		if (!json_is_string(v)) {
			error(im, NULL, "%s.names[%zu]: expected a string", path, j);
			goto out;
		}
		if (idx < 0) {
			/* As runc and crun do: a name the library does not know is skipped. */
			warning(im, "%s.names[%zu]: unknown syscall '%s', skipped", path, j,
				json_string_value(v));
			continue;
		}
		known_names[n] = syscall_name(idx);
		idxs[n++] = idx;
	}
	fprintf(im->out, "\n# %s%s%s\n", path, json_is_string(comment) ? ": " : "",
		json_is_string(comment) ? json_string_value(comment) : "");
	if (!applies(im, entry, path, &why)) {
		if (why)
			fprintf(im->out, "# left out: %s\n", why);
		goto out;
	}
	char sub[64];
	snprintf(sub, sizeof(sub), "%s.action", path);
	action = action_text(im, json_object_get(entry, "action"), json_object_get(entry, "errnoRet"),
			     sub, default_errno);
	if (!action || !n)
		goto out;
	json_t *args = json_object_get(entry, "args");
	if (!args || (json_is_array(args) && json_array_size(args) == 0)) {
		for (size_t k = 0; k < n; k++) {
			if (!claim(im, idxs[k], action, NULL, 0, path))
				goto out;
		}
		write_names(im->out, action, known_names, n);
		fprintf(im->out, "\n");
		goto out;
	}
	struct arg_cond conds[64];
	bool repeated;
	size_t nconds = read_args(im, args, path, conds, &repeated);
	if (!nconds)
		goto out;
	/* runc: if an index repeats, every condition becomes a rule of its own. */
	for (size_t k = 0; k < n && !im->failed; k++) {
		if (!repeated) {
			if (claim(im, idxs[k], action, conds, nconds, path))
				write_rule(im, action, idxs[k], conds, nconds);
			continue;
		}
		for (size_t c = 0; c < nconds && !im->failed; c++) {
			if (claim(im, idxs[k], action, &conds[c], 1, path))
				write_rule(im, action, idxs[k], &conds[c], 1);
		}
	}
out:
	free(action);
	free(known_names);
	free(idxs);
}

/* ---- the profile ------------------------------------------------------------------ */

static void import_arches(struct importer *im, json_t *root)
{
	json_t *list = json_object_get(root, "architectures");
	json_t *map = json_object_get(root, "archMap");
	const char *native = oci_scmp_arch_name(im->target->arch);
	size_t i;
	json_t *v;

	im->arch_mask = 1u << im->target->arch;
	if (json_is_array(list) && json_array_size(list)) {
		im->arch_mask = 0;
		json_array_foreach(list, i, v) {
			int a = json_is_string(v) ? oci_arch_by_scmp_name(json_string_value(v)) : -1;

			if (a < 0)
				warning(im, "architectures[%zu]: %s is not an arch syscage covers; left out",
					i, json_is_string(v) ? json_string_value(v) : "(not a string)");
			else
				im->arch_mask |= 1u << a;
		}
		return;
	}
	json_array_foreach(map, i, v) {
		json_t *arch = json_object_get(v, "architecture"), *sub = json_object_get(v, "subArchitectures");
		size_t k;
		json_t *s;

		if (!json_is_string(arch) || strcmp(json_string_value(arch), native) != 0)
			continue;
		json_array_foreach(sub, k, s) {
			int a = json_is_string(s) ? oci_arch_by_scmp_name(json_string_value(s)) : -1;

			if (a < 0)
				warning(im, "archMap[%zu].subArchitectures[%zu]: not an arch syscage covers; "
					    "left out", i, k);
			else
				im->arch_mask |= 1u << a;
		}
	}
}

static unsigned running_kernel(void)
{
	struct utsname u;

	return uname(&u) == 0 ? parse_version(u.release) : 0;
}

static int import_root(struct importer *im, json_t *root)
{
	static const char *const known[] = { "defaultAction", "defaultErrnoRet", "architectures",
					     "archMap", "syscalls", "flags", "listenerPath",
					     "listenerMetadata", NULL };
	json_t *syscalls = json_object_get(root, "syscalls"), *flags = json_object_get(root, "flags");
	uint64_t default_errno = 1; /* EPERM, as runc */
	size_t i;
	json_t *v;

	if (!json_is_object(root)) {
		error(im, NULL, "the profile is not a JSON object");
		return -EINVAL;
	}
	check_keys(im, root, "", known);
	if (json_object_get(root, "defaultErrnoRet") &&
	    !get_u64(im, json_object_get(root, "defaultErrnoRet"), "defaultErrnoRet", &default_errno))
		return -EINVAL;
	char *def = action_text(im, json_object_get(root, "defaultAction"),
				json_object_get(root, "defaultErrnoRet"), "defaultAction", 1);
	if (!def)
		return -EINVAL;
	import_arches(im, root);
	fprintf(im->out, "# Imported from %s by syscage import, for %s (kernel %u.%u; caps %s).\n",
		im->src.path, arch_info(im->target->arch)->name, im->kernel / 1000, im->kernel % 1000,
		im->target->caps ? im->target->caps : "of an unprivileged Docker container");
	fprintf(im->out, "arch ");
	for (int a = 0, first = 1; a < ARCH_COUNT; a++) {
		if (im->arch_mask & (1u << a)) {
			fprintf(im->out, "%s%s", first ? "" : ", ", arch_info(a)->name);
			first = 0;
		}
	}
	fprintf(im->out, "\ndefault %s\n", def);
	free(def);
	json_array_foreach(flags, i, v) {
		fprintf(im->out, "# flags[%zu]: %s (a load flag; syscage does not set it)\n", i,
			json_is_string(v) ? json_string_value(v) : "?");
		warning(im, "flags[%zu]: %s is a load flag, which syscage does not set", i,
			json_is_string(v) ? json_string_value(v) : "?");
	}
	if (syscalls && !json_is_array(syscalls)) {
		error(im, NULL, "syscalls: expected an array");
		return -EINVAL;
	}
	json_array_foreach(syscalls, i, v) {
		import_entry(im, v, i, default_errno);
	}
	return im->failed ? -EINVAL : 0;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!f)
		return NULL;
	do {
		if (*len + 65536 > cap) {
			char *grown = realloc(buf, cap = *len + 65536);

			if (!grown || cap > (64u << 20)) {
				free(grown ? grown : buf);
				fclose(f);
				errno = EFBIG;
				return NULL;
			}
			buf = grown;
		}
		n = fread(buf + *len, 1, cap - *len - 1, f);
		*len += n;
	} while (n > 0);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/*
 * jansson reads integers into a signed 64-bit type, while profile values
 * are unsigned 64-bit (a mask may be 0xffffffffffffffff). Integers from 2^63
 * to 2^64-1 are written as the negative number with the same bits in the
 * copy jansson reads, and every value is read back as its 64 bits. Larger
 * ones are left for jansson to refuse. (Positions in jansson's errors may
 * be a column off on a line after such a number.)
 */
static char *fold_big_integers(const char *text, size_t len, size_t *out_len)
{
	char *out = malloc(len + len / 19 + 1), *o = out;
	bool in_string = false;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		char c = text[i];

		if (in_string || c == '"') {
			if (in_string && c == '\\' && i + 1 < len)
				*o++ = text[i++];
			else if (c == '"')
				in_string = !in_string;
			*o++ = text[i++];
			continue;
		}
		size_t end = i;
		while (end < len && isdigit((unsigned char)text[end]))
			end++;
		bool word = i > 0 && (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '-' ||
				      text[i - 1] == '.');
		if (end > i && !word && (end - i == 19 || end - i == 20) &&
		    !(end < len && strchr(".eE", text[end]))) {
			char digits[21];
			uint64_t v;

			memcpy(digits, text + i, end - i);
			digits[end - i] = '\0';
			errno = 0;
			v = strtoull(digits, NULL, 10);
			if (errno == 0 && v > (uint64_t)INT64_MAX) {
				o += sprintf(o, "%lld", (long long)v);
				i = end;
				continue;
			}
		}
		if (end == i)
			end = i + 1;
		memcpy(o, text + i, end - i);
		o += end - i;
		i = end;
	}
	*out_len = (size_t)(o - out);
	return out;
}

int oci_import(const char *path, const struct oci_target *target,
	       struct syscage_diagnostics *diags, char **text)
{
	struct importer im = { .diags = diags, .target = target };
	jmp_buf oom;
	json_error_t jerr;
	size_t len, size = 0;
	char *raw, *buf = NULL;
	int err;

	if (setjmp(oom)) {
		diag_bind(diags, NULL);
		return -ENOMEM;
	}
	diag_bind(diags, &oom);
	im.src.path = path;
	im.src.text = "";
	im.kernel = target->kernel ? target->kernel : running_kernel();
	raw = read_file(path, &len);
	if (!raw) {
		diag_report_file(diags, SYSCAGE_ERROR, &im.src, 0, NULL, "cannot read profile: %s",
				 strerror(errno));
		diag_bind(diags, NULL);
		return -EINVAL;
	}
	im.src.text = raw;
	im.src.len = len;
	size_t folded_len;
	char *folded = fold_big_integers(raw, len, &folded_len);
	/* Duplicate keys are refused: which one a runtime takes is anyone's guess. */
	json_t *root = folded ? json_loadb(folded, folded_len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
	free(folded);
	if (!folded) {
		free(raw);
		diag_bind(diags, NULL);
		return -ENOMEM;
	}
	if (!root) {
		struct loc loc = diag_line_loc(&im.src, (unsigned)(jerr.line > 0 ? jerr.line : 1));

		loc.col = jerr.column > 0 ? (unsigned)jerr.column : 1;
		loc.offset += loc.col - 1;
		loc.len = 1;
		diag_report(diags, SYSCAGE_ERROR, loc,
			    strstr(jerr.text, "too big integer")
				    ? "syscage reads integers up to 2^63-1 in profiles"
				    : NULL,
			    "invalid JSON: %s", jerr.text);
		free(raw);
		diag_bind(diags, NULL);
		return -EINVAL;
	}
	im.claims = calloc(syscall_count(), sizeof(*im.claims));
	im.out = open_memstream(&buf, &size);
	err = im.claims && im.out ? import_root(&im, root) : -ENOMEM;
	if (im.out)
		fclose(im.out);
	for (size_t i = 0; im.claims && i < syscall_count(); i++) {
		for (struct claim *c = im.claims[i], *next; c; c = next) {
			next = c->next;
			free(c->action);
			free((char *)c->path);
			free(c);
		}
	}
	free(im.claims);
	json_decref(root);
	free(raw);
	diag_bind(diags, NULL);
	if (err) {
		free(buf);
		return err;
	}
	*text = buf;
	return 0;
}
