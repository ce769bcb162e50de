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
