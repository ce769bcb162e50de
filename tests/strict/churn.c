/*
 * Heap churn for `syscage strict`'s arena malloc: a prime sieve whose list
 * of primes grows by realloc, thousands of allocations of varied sizes
 * freed in a scrambled order, aligned allocations (64 and 4096), calloc
 * over memory dirtied and freed before, realloc that grows and shrinks.
 * Every block is filled with a pattern and checked before it is freed.
 * Prints results that must be the same natively and in strict mode.
 *
 *   churn [LIMIT [ROUNDS]]
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 2048

static int failures;

static void fail(const char *what, unsigned long i)
{
	if (failures++ < 10)
		fprintf(stderr, "churn: %s (at %lu)\n", what, i);
}

static uint32_t rng = 12345;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static size_t pick_size(void)
{
	switch (next() % 8) {
	case 0: return next() % 16;
	case 1: return next() % 128;
	case 2: case 3: return next() % 1024;
	case 4: return next() % 8192;
	case 5: return 4096;
	case 6: return next() % 65536;
	default: return 1 + next() % (1 << 17);
	}
}

static void fill(unsigned char *p, size_t n, unsigned char tag)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(tag + i);
}

static int check(const unsigned char *p, size_t n, unsigned char tag)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(tag + i))
			return 0;
	return 1;
}

/* The primes up to limit, in an array grown by realloc as they are found. */
static unsigned long sieve(unsigned long limit, unsigned long *last, unsigned long long *sum)
{
	unsigned char *composite = calloc(limit + 1, 1);
	unsigned long *primes = NULL, count = 0, cap = 0;

	if (!composite) {
		fail("calloc sieve", limit);
		return 0;
	}
	*sum = 0;
	for (unsigned long i = 2; i <= limit; i++) {
		if (composite[i])
			continue;
		if (count == cap) {
			unsigned long *grown;

			cap = cap ? cap * 2 : 4;
			grown = realloc(primes, cap * sizeof(*primes));
			if (!grown) {
				fail("realloc primes", cap);
				break;
			}
			primes = grown;
		}
		primes[count++] = i;
		*sum += i;
		for (unsigned long j = i * i; j <= limit; j += i)
			composite[j] = 1;
	}
	/* every prime kept its value across the moves */
	for (unsigned long k = 1; k < count; k++)
		if (primes[k] <= primes[k - 1])
			fail("primes out of order", k);
	*last = count ? primes[count - 1] : 0;
	free(primes);
	free(composite);
	return count;
}

int main(int argc, char **argv)
{
	unsigned long limit = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000000;
	unsigned long rounds = argc > 2 ? strtoul(argv[2], NULL, 10) : 30000;
	static unsigned char *slot[SLOTS];
	static size_t size[SLOTS];
	unsigned long long sum = 0, bytes = 0;
	unsigned long last = 0, count, allocs = 0;
	volatile size_t huge = SIZE_MAX / 2;

	count = sieve(limit, &last, &sum);
	printf("primes up to %lu: %lu, the last %lu, sum %llu\n", limit, count, last, sum);

	/* Random malloc, realloc and free over SLOTS slots. */
	for (unsigned long r = 0; r < rounds; r++) {
		unsigned s = next() % SLOTS;
		unsigned char tag = (unsigned char)s;

		if (slot[s] && !check(slot[s], size[s], tag))
			fail("block corrupted", r);
		switch (next() % 4) {
		case 0:
			free(slot[s]);
			slot[s] = NULL;
			size[s] = 0;
			break;
		case 1: {
			/* realloc: grows or shrinks; the common part must survive */
			size_t n = pick_size() + 1, keep = n < size[s] ? n : size[s];
			unsigned char *q = realloc(slot[s], n);

			if (!q) {
				fail("realloc", r);
				break;
			}
			if (!check(q, keep, tag))
				fail("realloc lost contents", r);
			slot[s] = q;
			size[s] = n;
			fill(q, n, tag);
			bytes += n;
			allocs++;
			break;
		}
		default:
			free(slot[s]);
			size[s] = pick_size();
			slot[s] = malloc(size[s]);
			if (!slot[s]) {
				fail("malloc", r);
				size[s] = 0;
				break;
			}
			if (((uintptr_t)slot[s] & 15) != 0)
				fail("malloc not 16-aligned", r);
			if (malloc_usable_size(slot[s]) < size[s])
				fail("malloc_usable_size too small", r);
			fill(slot[s], size[s], tag);
			bytes += size[s];
			allocs++;
		}
	}
	for (unsigned s = 0; s < SLOTS; s++) {
		if (slot[s] && !check(slot[s], size[s], (unsigned char)s))
			fail("block corrupted at the end", s);
		free(slot[s]);
		slot[s] = NULL;
	}
	printf("churn: %lu allocations, %llu bytes\n", allocs, bytes);

	/* Aligned allocations, interleaved with small ones. */
	for (unsigned i = 0; i < 600; i++) {
		size_t align = i % 3 == 0 ? 64 : 4096, n = 1 + next() % 20000;
		void *p = NULL, *small = malloc(1 + i % 100);
		int e = posix_memalign(&p, align, n);

		if (e || !p || ((uintptr_t)p & (align - 1)))
			fail("posix_memalign", i);
		if (p)
			memset(p, 0x5a, n);
		slot[i] = aligned_alloc(align, align * (1 + i % 4));
		if (!slot[i] || ((uintptr_t)slot[i] & (align - 1)))
			fail("aligned_alloc", i);
		if (slot[i])
			memset(slot[i], 0xa5, align * (1 + i % 4));
		if (i % 2)
			free(p);
		else
			slot[SLOTS - 1 - i] = p;
		free(small);
	}
	for (unsigned s = 0; s < SLOTS; s++) {
		free(slot[s]);
		slot[s] = NULL;
	}
	printf("aligned: done\n");

	/* calloc over dirty memory: fill blocks, free them, calloc the same sizes. */
	for (unsigned i = 0; i < 2000; i++) {
		size_t n = 1 + next() % 3000;
		unsigned char *p = malloc(n);

		if (p)
			memset(p, 0xff, n);
		free(p);
		p = calloc(n, 1);
		if (!p) {
			fail("calloc", i);
			continue;
		}
		for (size_t k = 0; k < n; k++)
			if (p[k]) {
				fail("calloc not zeroed", i);
				break;
			}
		free(p);
	}
	printf("calloc: done\n");
	if (calloc(huge, 4) != NULL)
		fail("calloc overflow not refused", 0);
	printf("failures: %d\n", failures);
	return failures ? 1 : 0;
}
