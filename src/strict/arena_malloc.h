/* The allocator of strict mode: one arena, reserved before, never grown. */
#ifndef SYSCAGE_STRICT_ARENA_MALLOC_H
#define SYSCAGE_STRICT_ARENA_MALLOC_H

#include <stdbool.h>
#include <stddef.h>

/* Serves allocations from [memory, memory + size). oom (may be NULL) is
 * called with the size of a request the arena cannot serve. */
void arena_malloc_init(void *memory, size_t size, void (*oom)(size_t));

void *arena_malloc(size_t n);
void arena_free(void *p);
void *arena_realloc(void *p, size_t n);
void *arena_memalign(size_t align, size_t n);
size_t arena_usable_size(void *p);

/* True when p was handed out by the arena. */
bool arena_owns(const void *p);

/* Bytes in use, chunk overhead included. */
size_t arena_used(void);

#endif
