#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Small allocations are carved from 16 KiB chunks; a large one gets its own. */
#define CHUNK_SIZE (16u * 1024)

/*
 * Where chunks come from. The static musl CLI takes them from one region it
 * maps once: a page touched the first time costs more than a microsecond on
 * a virtual machine, and so does every mmap and munmap (with the TLB flush
 * it brings), which `syscage run` would pay on every start for a few dozen
 * chunks. The region is a stack: a freed chunk on top gives its memory back
 * to the next one, already touched, and a chunk freed below the top waits
 * until the ones above it are freed too (a compile's scratch arenas end
 * before the policy's). Past the region, chunks are mapped one by one.
 * Every other build keeps malloc, so that ASan, LeakSanitizer and valgrind
 * see the chunks.
 */
#ifdef SYSCAGE_ARENA_MMAP
#include <stdbool.h>
#include <sys/mman.h>

/* Address space only: pages are backed when first touched. */
#define REGION_SIZE ((size_t)256 << 20)

struct region_block {
	struct region_block *below;	/* NULL: the bottom, or mapped alone */
	size_t size;			/* of the whole block */
	bool in_region, free;
	max_align_t data[];
};

static char *region, *region_top;
static struct region_block *region_last;	/* the block on top */

static void *chunk_alloc(size_t size)
{
	size_t need = (sizeof(struct region_block) + size + 63) & ~(size_t)63;
	struct region_block *b;

	if (!region) {
		void *p = mmap(NULL, REGION_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		region = region_top = p == MAP_FAILED ? (char *)-1 : p;
	}
	if (region != (char *)-1 && need <= REGION_SIZE - (size_t)(region_top - region)) {
		b = (struct region_block *)region_top;
		region_top += need;
		b->below = region_last;
		b->in_region = true;
		region_last = b;
	} else {
		void *p = mmap(NULL, need, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return NULL;
		b = p;
		b->below = NULL;
		b->in_region = false;
	}
	b->size = need;
	b->free = false;
	return b->data;
}

static void chunk_free(void *p, size_t size)
{
	struct region_block *b = (struct region_block *)((char *)p - offsetof(struct region_block, data));

	(void)size;
	if (!b->in_region) {
		munmap(b, b->size);
		return;
	}
	b->free = true;
	while (region_last && region_last->free) {
		region_top = (char *)region_last;
		region_last = region_last->below;
	}
}
#else
static void *chunk_alloc(size_t size)
{
	return malloc(size);
}

static void chunk_free(void *p, size_t size)
{
	(void)size;
	free(p);
}
#endif

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

static long fail_countdown = -1;

void arena_fail_after(long n)
{
	fail_countdown = n;
}

/* Bump allocation; the memory is not cleared. */
static void *bump(struct arena *arena, size_t size)
{
	struct arena_chunk *chunk = arena->chunks;
	size_t align = sizeof(max_align_t);
	size_t rounded, chunk_size;
	void *out;

	if (fail_countdown == 0 || size > SIZE_MAX / 4)
		longjmp(*arena->on_oom, 1);
	if (fail_countdown > 0)
		fail_countdown--;
	rounded = (size + align - 1) / align * align;
	if (chunk && chunk->size - chunk->used >= rounded) {
		out = (char *)chunk->data + chunk->used;
		chunk->used += rounded;
		return out;
	}
	chunk_size = rounded > CHUNK_SIZE / 4 ? rounded : CHUNK_SIZE;
	chunk = chunk_alloc(sizeof(*chunk) + chunk_size);
	if (!chunk)
		longjmp(*arena->on_oom, 1);
	chunk->size = chunk_size;
	chunk->used = rounded;
	if (chunk_size == rounded && arena->chunks) {
		/* Keep the current bump chunk on top for the next small ones. */
		chunk->next = arena->chunks->next;
		arena->chunks->next = chunk;
	} else {
		chunk->next = arena->chunks;
		arena->chunks = chunk;
	}
	return chunk->data;
}

void *arena_alloc(struct arena *arena, size_t size)
{
	return memset(bump(arena, size), 0, size);
}

void *arena_alloc_uninit(struct arena *arena, size_t size)
{
	return bump(arena, size);
}

char *arena_strndup(struct arena *arena, const char *s, size_t len)
{
	/* every byte is written: no need to clear them first */
	char *copy = arena_alloc_uninit(arena, len + 1);

	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

char *arena_strdup(struct arena *arena, const char *s)
{
	return arena_strndup(arena, s, strlen(s));
}

char *arena_printf(struct arena *arena, const char *fmt, ...)
{
	va_list ap;
	int len;
	char *out;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		longjmp(*arena->on_oom, 1);
	out = arena_alloc(arena, (size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(out, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return out;
}

void arena_grow(struct arena *arena, void **items, size_t *cap, size_t need,
		size_t elem)
{
	size_t new_cap;
	void *grown;

	if (need <= *cap)
		return;
	new_cap = *cap ? *cap * 2 : 8;
	while (new_cap < need)
		new_cap *= 2;
	if (new_cap > SIZE_MAX / elem)
		longjmp(*arena->on_oom, 1);
	/* Not cleared: ARENA_PUSH clears each element it hands out. */
	grown = bump(arena, new_cap * elem);
	if (*cap)
		memcpy(grown, *items, *cap * elem);
	/* The old block stays in the arena until release: simple, and bounded
	 * by the doubling to the size of the final array. */
	*items = grown;
	*cap = new_cap;
}

void arena_release(struct arena *arena)
{
	struct arena_chunk *chunk = arena->chunks;

	while (chunk) {
		struct arena_chunk *next = chunk->next;

		chunk_free(chunk, sizeof(*chunk) + chunk->size);
		chunk = next;
	}
	arena->chunks = NULL;
}
