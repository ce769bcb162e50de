/*
 * Sorting as compute code does it: numbers from stdin, qsort, bsearch;
 * prints the count, min, median, max, sum and where a few values are.
 * glibc's qsort takes a temporary buffer for its merge sort; for arrays of
 * 1024 bytes and more it first asks sysconf(_SC_PHYS_PAGES) how much
 * memory the machine has, which is a sysinfo syscall.
 */
#include <stdio.h>
#include <stdlib.h>

static int compare(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

int main(void)
{
	size_t n = 0, cap = 16;
	long *v = malloc(cap * sizeof(*v)), x, sum = 0;

	while (v && scanf("%ld", &x) == 1) {
		if (n == cap) {
			long *grown = realloc(v, (cap *= 2) * sizeof(*v));

			if (!grown)
				free(v);
			v = grown;
			if (!v)
				break;
		}
		v[n++] = x;
		sum += x;
	}
	if (!v || n == 0) {
		fprintf(stderr, "sort: no numbers, or no memory\n");
		return 2;
	}
	qsort(v, n, sizeof(*v), compare);
	printf("n %zu min %ld median %ld max %ld sum %ld\n", n, v[0], v[n / 2], v[n - 1], sum);
	for (long want = 0; want < 5; want++) {
		long *hit = bsearch(&want, v, n, sizeof(*v), compare);

		printf("%ld %s\n", want, hit ? "found" : "absent");
	}
	free(v);
	return 0;
}
