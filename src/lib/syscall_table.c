/*
 * Lookups over the generated syscall tables (src/lib/gen/syscall_data.c,
 * made by tools/gen-syscalls.py). A name is found through the hash index
 * the generator built over the names; a number by a binary search of its
 * arch's list, sorted by number.
 */
#include "syscall_table.h"

#include <string.h>

#include "gen/syscall_data.h"

/* What syscall_signature() returns for an index out of range. */
static const struct syscall_signature unknown_signature = { .nparams = -1 };

static bool valid_idx(int idx)
{
	return idx >= 0 && idx < SYSCALL_NAME_COUNT;
}

static bool valid_arch(enum arch_id arch)
{
	return (unsigned)arch < ARCH_COUNT;
}

size_t syscall_count(void)
{
	return SYSCALL_NAME_COUNT;
}

const char *syscall_name(int idx)
{
	if (!valid_idx(idx))
		return NULL;
	return syscall_names[idx];
}

/* FNV-1a, as tools/gen-syscalls.py hashed the names into
 * syscall_name_slots[]: a policy names hundreds of syscalls, and halving
 * over 500 names costs a dozen string compares each (many share a prefix:
 * sched_, timer_, get). */
static uint32_t name_hash(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h;
}

int syscall_lookup(const char *name)
{
	if (!name)
		return -1;
	for (uint32_t slot = name_hash(name) % SYSCALL_NAME_SLOTS; syscall_name_slots[slot];
	     slot = (slot + 1) % SYSCALL_NAME_SLOTS) {
		int idx = syscall_name_slots[slot] - 1;

		if (strcmp(name, syscall_names[idx]) == 0)
			return idx;
	}
	return -1;
}

int64_t syscall_number(enum arch_id arch, int idx)
{
	if (!valid_arch(arch) || !valid_idx(idx))
		return -1;
	return syscall_numbers[arch][idx];
}

int syscall_by_number(enum arch_id arch, uint32_t nr)
{
	const struct syscall_nr_entry *list;
	size_t lo = 0, hi;

	if (!valid_arch(arch))
		return -1;
	list = syscall_nr_lists[arch];
	hi = syscall_nr_counts[arch];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (list[mid].nr == nr)
			return list[mid].idx;
		if (nr < list[mid].nr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

const struct syscall_signature *syscall_signature(int idx)
{
	if (!valid_idx(idx))
		return &unknown_signature;
	return &syscall_signatures[idx];
}

static bool in_list(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

/* x32's own entries (512 and up) that take some arguments as compat types,
 * of which the kernel keeps the low 32 bits (__SC_DELOUSE casts each
 * register): those narrower than x86_64's. */
static const struct {
	const char *syscall, *param, *ctype;
	uint8_t kind;
} x32_compat[] = {
	{ "rt_sigaction", "sigsetsize", "compat_size_t", PARAM_UNSIGNED },
	{ "ioctl", "arg", "compat_ulong_t", PARAM_UNSIGNED },
	{ "recvfrom", "size", "compat_size_t", PARAM_UNSIGNED },
	{ "ptrace", "request", "compat_long_t", PARAM_SIGNED },
	{ "ptrace", "pid", "compat_long_t", PARAM_SIGNED },
	{ "ptrace", "addr", "compat_ulong_t", PARAM_UNSIGNED },
	{ "ptrace", "data", "compat_ulong_t", PARAM_UNSIGNED },
	{ "rt_sigpending", "sigsetsize", "compat_size_t", PARAM_UNSIGNED },
	{ "rt_sigtimedwait", "sigsetsize", "compat_size_t", PARAM_UNSIGNED },
	{ "kexec_load", "entry", "compat_ulong_t", PARAM_UNSIGNED },
	{ "kexec_load", "nr_segments", "compat_ulong_t", PARAM_UNSIGNED },
	{ "kexec_load", "flags", "compat_ulong_t", PARAM_UNSIGNED },
	{ "set_robust_list", "len", "compat_size_t", PARAM_UNSIGNED },
	{ "io_submit", "ctx_id", "compat_aio_context_t", PARAM_UNSIGNED },
	{ "io_submit", "nr", "int", PARAM_SIGNED },
};

/* x32's preadv and pwritev (534, 535) are compat_sys_preadv64 and
 * pwritev64: one 64-bit pos where x86_64 has pos_l and pos_h; preadv2 and
 * pwritev2 (546, 547) the same, then flags (fifth). */
static void x32_pos64(struct syscall_signature *out)
{
	if (out->nparams < 5)
		return;
	out->params[3] = (struct syscall_param){ .name = "pos", .ctype = "loff_t", .bits = 64,
						 .kind = PARAM_SIGNED };
	if (out->nparams == 6) {
		out->params[4] = out->params[5];
		out->nparams = 5;
	} else {
		out->nparams = 4;
	}
}

static void x32_entry(const char *name, struct syscall_signature *out)
{
	if (strncmp(name, "preadv", 6) == 0 || strncmp(name, "pwritev", 7) == 0) {
		x32_pos64(out);
		return;
	}
	for (size_t i = 0; i < sizeof(x32_compat) / sizeof(x32_compat[0]); i++) {
		if (strcmp(x32_compat[i].syscall, name) != 0)
			continue;
		for (int k = 0; k < out->nparams; k++) {
			struct syscall_param *p = &out->params[k];

			if (strcmp(p->name, x32_compat[i].param) == 0) {
				p->ctype = x32_compat[i].ctype;
				p->bits = 32;
				p->kind = x32_compat[i].kind;
			}
		}
	}
}

/* The 32-bit arches' twins whose first nparams arguments are the x86_64
 * call's, in the same registers (the _time64 calls differ in the layout of
 * the memory they point to, not in their registers). */
static const struct {
	const char *twin, *base;
	int8_t nparams;
} same_layout[] = {
	{ "fcntl64", "fcntl", 3 }, { "sendfile64", "sendfile", 4 },
	{ "sigaction", "rt_sigaction", 3 }, { "sigprocmask", "rt_sigprocmask", 3 },
	{ "waitpid", "wait4", 3 }, { "umount", "umount2", 1 },
	{ "send", "sendto", 4 }, { "recv", "recvfrom", 4 },
	{ "futex_time64", "futex", 6 }, { "clock_nanosleep_time64", "clock_nanosleep", 4 },
	{ "clock_settime64", "clock_settime", 2 }, { "clock_adjtime64", "clock_adjtime", 2 },
	{ "timerfd_settime64", "timerfd_settime", 4 }, { "timer_settime64", "timer_settime", 4 },
	{ "utimensat_time64", "utimensat", 4 }, { "ppoll_time64", "ppoll", 5 },
	{ "pselect6_time64", "pselect6", 6 }, { "rt_sigtimedwait_time64", "rt_sigtimedwait", 4 },
	{ "recvmmsg_time64", "recvmmsg", 5 }, { "semtimedop_time64", "semtimedop", 4 },
	{ "io_pgetevents_time64", "io_pgetevents", 6 },
	{ "mq_timedsend_time64", "mq_timedsend", 5 },
	{ "mq_timedreceive_time64", "mq_timedreceive", 5 },
};

/* The 16-bit id calls of i386 and arm (kernel/uid16.c), by their names. */
static const char *const uid16_calls[] = {
	"chown", "lchown", "fchown", "setuid", "setgid", "setreuid", "setregid",
	"setresuid", "setresgid", "setfsuid", "setfsgid", "getgroups", "setgroups", NULL,
};

void syscall_signature_on(enum arch_id arch, int idx, struct syscall_signature *out)
{
	const char *name = syscall_name(idx);
	size_t len = name ? strlen(name) : 0;

	*out = *syscall_signature(idx);
	if (!name)
		return;
	/* CLONE_BACKWARDS (every arch but x86_64 and x32): tls before
	 * child_tidptr. */
	if (strcmp(name, "clone") == 0 && out->nparams == 5 && arch != ARCH_X86_64 &&
	    arch != ARCH_X32) {
		struct syscall_param tls = out->params[4];

		out->params[4] = out->params[3];
		out->params[3] = tls;
		return;
	}
	if (arch == ARCH_X32) {
		int64_t nr = syscall_number(ARCH_X32, idx);

		if (nr >= 0 && (nr & ~(int64_t)ARCH_X32_SYSCALL_BIT) >= 512)
			x32_entry(name, out);
		return;
	}
	if (arch != ARCH_I386 && arch != ARCH_ARM)
		return;
	if (arch == ARCH_I386 && (strcmp(name, "mmap") == 0 || strcmp(name, "select") == 0)) {
		*out = (struct syscall_signature){
			.nparams = 1,
			.in_memory = true,
			.params = { { .name = "arg",
				      .ctype = name[0] == 'm' ? "struct mmap_arg_struct __user *"
							      : "struct sel_arg_struct __user *",
				      .bits = 32,
				      .kind = PARAM_POINTER } },
		};
		return;
	}
	if (in_list(name, uid16_calls)) {
		for (int i = 0; i < out->nparams; i++) {
			struct syscall_param *p = &out->params[i];

			if (strcmp(p->ctype, "uid_t") == 0 || strcmp(p->ctype, "gid_t") == 0) {
				p->ctype = p->ctype[0] == 'u' ? "old_uid_t" : "old_gid_t";
				p->bits = 16;
			}
		}
		return;
	}
	/* chown32 and the others: the x86_64 arguments of the name without 32. */
	if (len > 2 && strcmp(name + len - 2, "32") == 0 && out->nparams < 0) {
		char base[32];

		if (len - 2 >= sizeof(base))
			return;
		memcpy(base, name, len - 2);
		base[len - 2] = '\0';
		if (in_list(base, uid16_calls))
			*out = *syscall_signature(syscall_lookup(base));
	}
	/* Twins that take the first arguments of an x86_64 call in the same
	 * registers: those arguments, by the same names. */
	for (size_t i = 0; out->nparams < 0 && i < sizeof(same_layout) / sizeof(same_layout[0]); i++) {
		const struct syscall_signature *base;

		if (strcmp(name, same_layout[i].twin) != 0)
			continue;
		base = syscall_signature(syscall_lookup(same_layout[i].base));
		if (base->nparams < 0)
			return;
		*out = *base;
		if (out->nparams > same_layout[i].nparams)
			out->nparams = same_layout[i].nparams;
	}
}

unsigned syscall_since(int idx)
{
	if (!valid_idx(idx))
		return 0;
	return syscall_since_data[idx];
}

unsigned syscall_since_floor(void)
{
	return SYSCALL_SINCE_FLOOR;
}

uint32_t syscall_max_number(enum arch_id arch)
{
	if (!valid_arch(arch) || syscall_nr_counts[arch] == 0)
		return 0;
	return syscall_nr_lists[arch][syscall_nr_counts[arch] - 1].nr;
}

size_t syscall_arch_count(enum arch_id arch)
{
	return valid_arch(arch) ? syscall_nr_counts[arch] : 0;
}

uint32_t syscall_arch_number_at(enum arch_id arch, size_t i)
{
	return syscall_nr_lists[arch][i].nr;
}

bool syscall_param_shifted(enum arch_id arch, const struct syscall_signature *sig, int index)
{
	if (arch_info(arch)->arg_bits != 32)
		return false;
	for (int i = 0; i <= index && i < sig->nparams; i++) {
		const char *t = sig->params[i].ctype;

		if (sig->params[i].kind != PARAM_POINTER &&
		    (strstr(t, "loff_t") || strstr(t, "u64") || strstr(t, "long long")))
			return true;
	}
	return false;
}
