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
	if (arch != ARCH_I386 && arch != ARCH_ARM)
		return;
	if (arch == ARCH_I386 && (strcmp(name, "mmap") == 0 || strcmp(name, "select") == 0)) {
		*out = (struct syscall_signature){
			.nparams = 1,
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
