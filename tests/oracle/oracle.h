/*
 * Shared by the differential tests (oracles): a small deterministic random
 * generator, the seeds, and the boundary values the calls use.
 *
 * Seeds: every policy i gets its own generator, seeded from (base, i), so a
 * failure is replayed by ORACLE_SEED=base ORACLE_POLICY=i alone. Without
 * ORACLE_SEED the first three quarters of the policies use a fixed base (the
 * same cases on every run, for CI) and the last quarter a base taken from
 * the clock (new cases every run); both bases are printed.
 */
#ifndef SYSCAGE_TESTS_ORACLE_H
#define SYSCAGE_TESTS_ORACLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define ORACLE_FIXED_SEED 0x5ca9e2025ull

struct rng {
	uint64_t s;
};

static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline void rng_seed(struct rng *r, uint64_t base, uint64_t index)
{
	r->s = base ^ (index * 0xd1342543de82ef95ull);
	splitmix64(&r->s);
}

static inline uint64_t rng_u64(struct rng *r)
{
	return splitmix64(&r->s);
}

/* 0 <= result < n (n > 0) */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(rng_u64(r) % n);
}

/* true with probability pct / 100 */
static inline bool rng_pct(struct rng *r, unsigned pct)
{
	return rng_below(r, 100) < pct;
}

/* Text appended to a fixed buffer (a policy being written); cut at its end. */
struct buf {
	char *p;
	size_t len, size;
};

static inline void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += (size_t)n < b->size - b->len ? (size_t)n : b->size - b->len - 1;
}

/* The values at the edges of 16, 32 and 64 bits, signed and unsigned. */
static const uint64_t oracle_boundaries[] = {
	0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x10000,
	0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x100000000ull, 0x100000001ull,
	0x17fffffffull, 0x180000000ull, 0x1ffffffffull, 0xffffffff00000000ull,
	0xffffffff00000001ull, 0xffffffff7fffffffull, 0xffffffff80000000ull,
	0x7fffffffffffffffull, 0x8000000000000000ull, 0x8000000000000001ull,
	0xfffffffffffffffeull, 0xffffffffffffffffull, 0x00000001ffffffffull,
	0x7fffffff80000000ull, 0x80000000ffffffffull, 0xffff, 0xffffffffffff0000ull,
};
#define ORACLE_NBOUNDARIES (sizeof(oracle_boundaries) / sizeof(oracle_boundaries[0]))

/* A value near k: k itself, k +- 1, k with one half changed, or k with
 * other bits than those of mask changed. */
static inline uint64_t oracle_near(struct rng *r, uint64_t k, uint64_t mask)
{
	switch (rng_below(r, 9)) {
	case 0: return k;
	case 1: return k + 1;
	case 2: return k - 1;
	case 3: return (k & 0xffffffffull) | (rng_u64(r) & 0xffffffff00000000ull);
	case 4: return (k & 0xffffffff00000000ull) | (rng_u64(r) & 0xffffffffull);
	case 5: return k | (rng_u64(r) & ~mask);
	case 6: return (k & mask) | (oracle_boundaries[rng_below(r, ORACLE_NBOUNDARIES)] & ~mask);
	case 7: return k ^ 0xffffffff00000000ull;
	default: return 0 - k;
	}
}

/* An argument value: a boundary, a boundary +- 1, or anything. */
static inline uint64_t oracle_boundary(struct rng *r)
{
	uint64_t v = oracle_boundaries[rng_below(r, ORACLE_NBOUNDARIES)];

	switch (rng_below(r, 8)) {
	case 0: return v + 1;
	case 1: return v - 1;
	case 2: return rng_u64(r);
	case 3: return rng_u64(r) & 0xffffffffull;
	default: return v;
	}
}

struct oracle_seeds {
	uint64_t fixed;		/* the base of the first policies */
	uint64_t rotating;	/* the base of the rest */
	bool replay;		/* ORACLE_SEED given: every policy uses it */
	long only;		/* ORACLE_POLICY given: just that policy, else -1 */
};

static inline void oracle_seeds_init(struct oracle_seeds *s, const char *name)
{
	const char *env = getenv("ORACLE_SEED"), *one = getenv("ORACLE_POLICY");
	struct timespec ts;

	s->only = one ? strtol(one, NULL, 0) : -1;
	if (env) {
		s->fixed = s->rotating = strtoull(env, NULL, 0);
		s->replay = true;
		printf("%s: seed %#llx (ORACLE_SEED)\n", name, (unsigned long long)s->fixed);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	s->fixed = ORACLE_FIXED_SEED;
	s->rotating = ((uint64_t)ts.tv_sec * 1000003u) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 40);
	s->rotating &= 0xffffffffffffull;
	s->replay = false;
	printf("%s: seeds: fixed %#llx for the first 3/4 of the policies, rotating %#llx for the "
	       "rest (replay one with ORACLE_SEED=<seed> ORACLE_POLICY=<index>)\n",
	       name, (unsigned long long)s->fixed, (unsigned long long)s->rotating);
}

/* The base seed of policy i out of n. */
static inline uint64_t oracle_seed_of(const struct oracle_seeds *s, long i, long n)
{
	return s->replay || i < n * 3 / 4 ? s->fixed : s->rotating;
}

#endif
