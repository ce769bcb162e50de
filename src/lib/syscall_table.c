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

/*
 * On the 32-bit arches a syscall may have a twin that does its work: the
 * 32-bit id calls, the 64-bit offset and time ones, the old signal calls,
 * and on i386 the multiplexers, which take the call's number in a register
 * and its arguments in memory. A twin the table does not know the
 * arguments of takes the first `same` of the x86_64 call's, by the same
 * names, when it takes them in the same registers (the _time64 calls
 * differ in the layout of the memory they point to, not in registers).
 */
static const struct syscall_twin twins[] = {
	{ "chown", "chown32", .same = 6 }, { "lchown", "lchown32", .same = 6 },
	{ "fchown", "fchown32", .same = 6 }, { "setuid", "setuid32", .same = 6 },
	{ "setgid", "setgid32", .same = 6 }, { "setreuid", "setreuid32", .same = 6 },
	{ "setregid", "setregid32", .same = 6 }, { "setresuid", "setresuid32", .same = 6 },
	{ "setresgid", "setresgid32", .same = 6 }, { "setfsuid", "setfsuid32", .same = 6 },
	{ "setfsgid", "setfsgid32", .same = 6 }, { "setgroups", "setgroups32", .same = 6 },
	{ "getgroups", "getgroups32", .same = 6 },
	{ "fcntl", "fcntl64", .same = 3 }, { "sendfile", "sendfile64", .same = 4 },
	{ "mmap", "mmap2" },
	{ "truncate", "truncate64", .moved = true }, { "ftruncate", "ftruncate64", .moved = true },
	{ "statfs", "statfs64", .moved = true }, { "fstatfs", "fstatfs64", .moved = true },
	{ "lseek", "_llseek", .moved = true }, { "select", "_newselect", .moved = true },
	{ "fadvise64", "fadvise64_64", .moved = true },
	{ "umount2", "umount", .same = 1 }, { "wait4", "waitpid", .same = 3 },
	{ "sendto", "send", .same = 4 }, { "recvfrom", "recv", .same = 4 },
	{ "rt_sigaction", "sigaction", .same = 3 }, { "rt_sigaction", "signal", .moved = true },
	{ "rt_sigprocmask", "sigprocmask", .same = 3 },
	{ "futex", "futex_time64", .same = 6 },
	{ "clock_nanosleep", "clock_nanosleep_time64", .same = 4 },
	{ "clock_settime", "clock_settime64", .same = 2 },
	{ "clock_adjtime", "clock_adjtime64", .same = 2 },
	{ "timerfd_settime", "timerfd_settime64", .same = 4 },
	{ "timer_settime", "timer_settime64", .same = 4 },
	{ "utimensat", "utimensat_time64", .same = 4 }, { "ppoll", "ppoll_time64", .same = 5 },
	{ "pselect6", "pselect6_time64", .same = 6 },
	{ "rt_sigtimedwait", "rt_sigtimedwait_time64", .same = 4 },
	{ "recvmmsg", "recvmmsg_time64", .same = 5 },
	{ "semtimedop", "semtimedop_time64", .same = 4 },
	{ "io_pgetevents", "io_pgetevents_time64", .same = 6 },
	{ "mq_timedsend", "mq_timedsend_time64", .same = 5 },
	{ "mq_timedreceive", "mq_timedreceive_time64", .same = 5 },
	/* socketcall(call, args): SYS_SOCKET ... (linux/net.h); SYS_ACCEPT,
	 * SYS_SEND and SYS_RECV do accept4's, sendto's and recvfrom's work. */
	{ "socket", "socketcall", .calls = { 1 } }, { "bind", "socketcall", .calls = { 2 } },
	{ "connect", "socketcall", .calls = { 3 } }, { "listen", "socketcall", .calls = { 4 } },
	{ "accept", "socketcall", .calls = { 5 } }, { "getsockname", "socketcall", .calls = { 6 } },
	{ "getpeername", "socketcall", .calls = { 7 } },
	{ "socketpair", "socketcall", .calls = { 8 } },
	{ "sendto", "socketcall", .calls = { 11, 9 } }, { "recvfrom", "socketcall", .calls = { 12, 10 } },
	{ "shutdown", "socketcall", .calls = { 13 } }, { "setsockopt", "socketcall", .calls = { 14 } },
	{ "getsockopt", "socketcall", .calls = { 15 } }, { "sendmsg", "socketcall", .calls = { 16 } },
	{ "recvmsg", "socketcall", .calls = { 17 } }, { "accept4", "socketcall", .calls = { 18, 5 } },
	{ "recvmmsg", "socketcall", .calls = { 19 } },
	{ "recvmmsg_time64", "socketcall", .calls = { 19 } },
	{ "sendmmsg", "socketcall", .calls = { 20 } },
	/* ipc(call, ...): SEMOP ... (linux/ipc.h); the kernel reads the low 16
	 * bits, the version is above them. */
	{ "semop", "ipc", .calls = { 1 } }, { "semget", "ipc", .calls = { 2 } },
	{ "semctl", "ipc", .calls = { 3 } }, { "semtimedop", "ipc", .calls = { 4, 1 } },
	{ "semtimedop_time64", "ipc", .calls = { 4, 1 } }, { "msgsnd", "ipc", .calls = { 11 } },
	{ "msgrcv", "ipc", .calls = { 12 } }, { "msgget", "ipc", .calls = { 13 } },
	{ "msgctl", "ipc", .calls = { 14 } }, { "shmat", "ipc", .calls = { 21 } },
	{ "shmdt", "ipc", .calls = { 22 } }, { "shmget", "ipc", .calls = { 23 } },
	{ "shmctl", "ipc", .calls = { 24 } },
};

const struct syscall_twin *syscall_twins(size_t *count)
{
	*count = sizeof(twins) / sizeof(twins[0]);
	return twins;
}

/* The 16-bit id calls of i386 and arm (kernel/uid16.c), by their names. */
static const char *const uid16_calls[] = {
	"chown", "lchown", "fchown", "setuid", "setgid", "setreuid", "setregid",
	"setresuid", "setresgid", "setfsuid", "setfsgid", "getgroups", "setgroups", NULL,
};

void syscall_signature_on(enum arch_id arch, int idx, struct syscall_signature *out)
{
	const char *name = syscall_name(idx);

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
	/* Twins that take the first arguments of an x86_64 call in the same
	 * registers: those arguments, by the same names. */
	for (size_t i = 0; out->nparams < 0 && i < sizeof(twins) / sizeof(twins[0]); i++) {
		const struct syscall_signature *base;

		if (!twins[i].same || strcmp(name, twins[i].twin) != 0)
			continue;
		base = syscall_signature(syscall_lookup(twins[i].name));
		if (base->nparams < 0)
			return;
		*out = *base;
		if (out->nparams > twins[i].same)
			out->nparams = twins[i].same;
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

/* A 64-bit value in a 32-bit arch's registers: two of them. */
static bool takes_two(enum arch_id arch, const struct syscall_param *p)
{
	return arch_info(arch)->arg_bits == 32 && p->kind != PARAM_POINTER &&
	       (strstr(p->ctype, "loff_t") || strstr(p->ctype, "u64") || strstr(p->ctype, "long long"));
}

/* Fills first[i] with the register parameter i starts at; returns the
 * registers used. */
static int lay_out(enum arch_id arch, const struct syscall_signature *sig, int first[6])
{
	int reg = 0;

	for (int i = 0; i < sig->nparams; i++) {
		bool two = takes_two(arch, &sig->params[i]);

		if (two && arch == ARCH_ARM && reg % 2)
			reg++;
		first[i] = reg;
		reg += two ? 2 : 1;
	}
	return reg;
}

int syscall_register_param(enum arch_id arch, const struct syscall_signature *sig, int reg,
			   int *half)
{
	int first[6];

	*half = -1;
	lay_out(arch, sig, first);
	for (int i = 0; i < sig->nparams; i++) {
		if (first[i] == reg && !takes_two(arch, &sig->params[i]))
			return i;
		if (takes_two(arch, &sig->params[i]) && (reg == first[i] || reg == first[i] + 1)) {
			*half = reg - first[i];
			return -1;
		}
	}
	return -1;
}

int syscall_param_register(enum arch_id arch, const struct syscall_signature *sig, int index,
			   bool *two)
{
	int first[6];

	*two = false;
	if (index < 0 || index >= sig->nparams)
		return -1;
	*two = takes_two(arch, &sig->params[index]);
	lay_out(arch, sig, first);
	return first[index] + *two < 6 ? first[index] : -1;
}

bool syscall_register_unused(enum arch_id arch, const struct syscall_signature *sig, int reg)
{
	int first[6], half;

	return reg < lay_out(arch, sig, first) && syscall_register_param(arch, sig, reg, &half) < 0 &&
	       half < 0;
}
