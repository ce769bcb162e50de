/*
 * Lookups over the generated syscall tables (src/lib/gen/syscall_data.c,
 * made by tools/gen-syscalls.py). Names are sorted by strcmp() and each
 * arch has a list sorted by number, so both lookups are binary searches.
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

int syscall_lookup(const char *name)
{
	size_t lo = 0, hi = SYSCALL_NAME_COUNT;

	if (!name)
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		/* The first byte decides most steps: no call for those. */
		int cmp = (unsigned char)name[0] - (unsigned char)syscall_names[mid][0];

		if (cmp == 0)
			cmp = strcmp(name, syscall_names[mid]);

		if (cmp == 0)
			return (int)mid;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
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
