/*
 * Arena allocation for one compilation: every node, string and table of a
 * parse or compile lives in one arena and is freed with it.
 *
 * Out of memory does not return NULL: it longjmps to the jmp_buf the public
 * entry point armed (as Lua does), which frees the arena and returns -ENOMEM.
 * So the stages stay free of allocation-failure plumbing, and a test can
 * fail any allocation (arena_fail_after) to prove the unwinding is clean.
 */
#ifndef SYSCAGE_ARENA_H
#define SYSCAGE_ARENA_H

#include <setjmp.h>
#include <stddef.h>
#include <string.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *chunks;
	jmp_buf *on_oom;	/* where to go when memory runs out; must be set */
};

/* Zeroed memory of size bytes, aligned for any type. Never returns NULL. */
void *arena_alloc(struct arena *arena, size_t size);
/* As arena_alloc, but the memory is not cleared (large scratch tables). */
void *arena_alloc_uninit(struct arena *arena, size_t size);
char *arena_strndup(struct arena *arena, const char *s, size_t len);
char *arena_strdup(struct arena *arena, const char *s);
/* A printf into the arena. */
char *arena_printf(struct arena *arena, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Grows *items (of *cap elements of size elem) to hold at least need. */
void arena_grow(struct arena *arena, void **items, size_t *cap, size_t need,
		size_t elem);

/* Frees every allocation; the arena can be used again. */
void arena_release(struct arena *arena);

/* Test hook: after n more successful allocations, every one fails (-1: never). */
void arena_fail_after(long n);

/* A new, cleared element at the end of items (count of cap). */
#define ARENA_PUSH(arena, items, count, cap)                                   \
	(arena_grow((arena), (void **)&(items), &(cap), (count) + 1,           \
		    sizeof(*(items))),                                         \
	 (__typeof__(&(items)[0]))memset(&(items)[(count)++], 0, sizeof(*(items))))

#endif
