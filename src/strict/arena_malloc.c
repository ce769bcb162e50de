/*
 * A malloc for programs in seccomp strict mode: it serves everything from
 * one arena reserved before strict mode is entered, and never calls mmap or
 * brk afterwards (strict mode would kill the process for it).
 *
 * Chunks carry boundary tags (the size before and after), so a freed chunk
 * merges with free neighbours; free chunks sit in 64 bins by the position
 * of their highest size bit, and a request takes the first chunk that fits
 * from the smallest bin that can hold it. Single-threaded: strict mode
 * allows no second thread to be made.
 */
#include "arena_malloc.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#define ALIGN 16
#define USED ((size_t)1)
#define NBINS 64

/* A chunk: its size (with USED), the payload, and the size again at its end.
 * Free chunks use the payload for the links of their bin. */
struct chunk {
	size_t head;
	struct chunk *next, *prev;	/* only while free */
};

#define HEADER sizeof(size_t)
#define MIN_CHUNK 32	/* head + two links + foot, rounded to ALIGN */

static char *arena_start, *arena_end;
static struct chunk *bins[NBINS];
static size_t arena_used_bytes;
static void (*out_of_memory)(size_t);

static size_t chunk_size(const struct chunk *c)
{
	return c->head & ~USED;
}

static void set_foot(struct chunk *c)
{
	memcpy((char *)c + chunk_size(c) - HEADER, &c->head, HEADER);
}

static unsigned bin_of(size_t size)
{
	return 63u - (unsigned)__builtin_clzl(size);
}

static void bin_insert(struct chunk *c)
{
	unsigned b = bin_of(chunk_size(c));

	c->prev = NULL;
	c->next = bins[b];
	if (bins[b])
		bins[b]->prev = c;
	bins[b] = c;
}

static void bin_remove(struct chunk *c)
{
	unsigned b = bin_of(chunk_size(c));

	if (c->prev)
		c->prev->next = c->next;
	else
		bins[b] = c->next;
	if (c->next)
		c->next->prev = c->prev;
}

void arena_malloc_init(void *memory, size_t size, void (*oom)(size_t))
{
	/* The payload must be ALIGN-aligned: chunks start HEADER before it. */
	char *start = (char *)(((uintptr_t)memory + HEADER + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1)) - HEADER;
	size_t usable = (size - (size_t)(start - (char *)memory) - HEADER) & ~(size_t)(ALIGN - 1);
	struct chunk *all = (struct chunk *)start;

	arena_start = start;
	arena_end = start + usable;
	/* A used guard word at the end stops merges running off the arena. */
	memset(arena_end, 0, HEADER);
	((struct chunk *)arena_end)->head = USED;
	all->head = usable;
	set_foot(all);
	bin_insert(all);
	out_of_memory = oom;
}

static size_t request_size(size_t n)
{
	if (n > SIZE_MAX / 2)
		return 0;
	n = (n + HEADER * 2 + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	return n < MIN_CHUNK ? MIN_CHUNK : n;
}

/* Takes need bytes from free chunk c, returning the rest to a bin. */
static void *carve(struct chunk *c, size_t need)
{
	size_t size = chunk_size(c);

	bin_remove(c);
	if (size - need >= MIN_CHUNK) {
		struct chunk *rest = (struct chunk *)((char *)c + need);

		rest->head = size - need;
		set_foot(rest);
		bin_insert(rest);
		size = need;
	}
	c->head = size | USED;
	set_foot(c);
	arena_used_bytes += size;
	return (char *)c + HEADER;
}

void *arena_malloc(size_t n)
{
	size_t need = request_size(n);

	if (!arena_start || !need) {
		errno = ENOMEM;
		return NULL;
	}
	for (unsigned b = bin_of(need); b < NBINS; b++) {
		for (struct chunk *c = bins[b]; c; c = c->next) {
			if (chunk_size(c) >= need)
				return carve(c, need);
		}
	}
	if (out_of_memory)
		out_of_memory(n);
	errno = ENOMEM;
	return NULL;
}

static struct chunk *chunk_of(void *p)
{
	return (struct chunk *)((char *)p - HEADER);
}

bool arena_owns(const void *p)
{
	return p && (const char *)p > arena_start && (const char *)p < arena_end;
}

void arena_free(void *p)
{
	struct chunk *c, *next;
	size_t size;

	if (!p)
		return;
	c = chunk_of(p);
	size = chunk_size(c);
	arena_used_bytes -= size;
	/* merge with the chunk after */
	next = (struct chunk *)((char *)c + size);
	if (!(next->head & USED)) {
		bin_remove(next);
		size += chunk_size(next);
	}
	/* and with the chunk before, found by its foot */
	if ((char *)c > arena_start) {
		size_t prev_head;

		memcpy(&prev_head, (char *)c - HEADER, HEADER);
		if (!(prev_head & USED)) {
			struct chunk *prev = (struct chunk *)((char *)c - (prev_head & ~USED));

			bin_remove(prev);
			size += chunk_size(prev);
			c = prev;
		}
	}
	c->head = size;
	set_foot(c);
	bin_insert(c);
}

size_t arena_usable_size(void *p)
{
	return p ? chunk_size(chunk_of(p)) - 2 * HEADER : 0;
}

void *arena_realloc(void *p, size_t n)
{
	size_t need = request_size(n), have;
	void *q;

	if (!p)
		return arena_malloc(n);
	if (!need) {
		errno = ENOMEM;
		return NULL;
	}
	have = chunk_size(chunk_of(p));
	if (need <= have)
		return p;
	/* grow in place into a free neighbour */
	struct chunk *c = chunk_of(p), *next = (struct chunk *)((char *)c + have);
	if (!(next->head & USED) && have + chunk_size(next) >= need) {
		size_t total = have + chunk_size(next);

		bin_remove(next);
		arena_used_bytes += total - have;
		c->head = total | USED;
		set_foot(c);
		if (total - need >= MIN_CHUNK) {
			struct chunk *rest = (struct chunk *)((char *)c + need);

			rest->head = total - need;
			set_foot(rest);
			bin_insert(rest);
			c->head = need | USED;
			set_foot(c);
			arena_used_bytes -= total - need;
		}
		return p;
	}
	q = arena_malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, have - 2 * HEADER);
	arena_free(p);
	return q;
}

void *arena_memalign(size_t align, size_t n)
{
	char *p, *aligned;

	if (align <= ALIGN)
		return arena_malloc(n);
	if (align & (align - 1) || n > SIZE_MAX - align - MIN_CHUNK) {
		errno = EINVAL;
		return NULL;
	}
	p = arena_malloc(n + align + MIN_CHUNK);
	if (!p)
		return NULL;
	aligned = (char *)(((uintptr_t)p + MIN_CHUNK + align - 1) & ~(uintptr_t)(align - 1));
	/* Give the front back as a chunk of its own. */
	struct chunk *c = chunk_of(p), *front = c, *back = chunk_of(aligned);
	size_t total = chunk_size(c), lead = (size_t)((char *)back - (char *)front);

	back->head = (total - lead) | USED;
	set_foot(back);
	front->head = lead | USED;
	set_foot(front);
	arena_free((char *)front + HEADER);
	return aligned;
}

size_t arena_used(void)
{
	return arena_used_bytes;
}
