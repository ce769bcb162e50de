/*
 * A compute worker for `syscage strict`: reads a job on stdin, writes the
 * result on stdout, nothing else.
 *
 * The job: N, then two N x N matrices of integers. The result: their product.
 *
 *   cc -O2 -o matmul examples/strict/matmul.c
 *   printf '2\n1 2\n3 4\n5 6\n7 8\n' | syscage strict -- ./matmul
 */
#include <stdio.h>
#include <stdlib.h>

static long *read_matrix(long n)
{
	long *m = malloc(sizeof(*m) * (size_t)(n * n));

	if (!m)
		return NULL;
	for (long i = 0; i < n * n; i++) {
		if (scanf("%ld", &m[i]) != 1) {
			free(m);
			return NULL;
		}
	}
	return m;
}

int main(void)
{
	long n, *a, *b, *c;

	if (scanf("%ld", &n) != 1 || n <= 0 || n > 4096) {
		fprintf(stderr, "matmul: expected N (1 to 4096) first\n");
		return 2;
	}
	a = read_matrix(n);
	b = read_matrix(n);
	c = calloc((size_t)(n * n), sizeof(*c));
	if (!a || !b || !c) {
		fprintf(stderr, "matmul: bad input, or out of memory\n");
		return 2;
	}
	for (long i = 0; i < n; i++)
		for (long k = 0; k < n; k++)
			for (long j = 0; j < n; j++)
				c[i * n + j] += a[i * n + k] * b[k * n + j];
	for (long i = 0; i < n; i++)
		for (long j = 0; j < n; j++)
			printf("%ld%c", c[i * n + j], j + 1 == n ? '\n' : ' ');
	free(a);
	free(b);
	free(c);
	return 0;
}
