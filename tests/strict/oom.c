/*
 * Allocates past `syscage strict --memory`: a program that checks for NULL
 * must see NULL (not hang, not die) and end its own way.
 *   oom big N      one malloc of N MiB, then exit 3 on NULL
 *   oom grow       realloc doubling from 1 KiB until NULL, then exit 4
 *   oom many       1 MiB blocks, touched, until NULL; frees; mallocs again
 *                  (the freed memory is usable); exit 5
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "big")) {
		size_t n = strtoul(argv[2], NULL, 10) << 20;
		char *p = malloc(n);

		if (!p) {
			printf("malloc of %s MiB failed\n", argv[2]);
			return 3;
		}
		memset(p, 1, n);
		printf("malloc of %s MiB worked\n", argv[2]);
		free(p);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "grow")) {
		size_t n = 1024;
		char *p = malloc(n), *q;

		while (p && (q = realloc(p, n * 2))) {
			p = q;
			n *= 2;
			memset(p, 2, n);
		}
		printf("realloc stopped at %zu KiB\n", n >> 10);
		free(p);
		return 4;
	}
	if (argc > 1 && !strcmp(argv[1], "many")) {
		static void *blocks[1 << 16];
		size_t count = 0, again = 0;

		while (count < sizeof(blocks) / sizeof(blocks[0]) && (blocks[count] = malloc(1 << 20)))
			memset(blocks[count++], 3, 1 << 20);
		for (size_t i = 0; i < count; i++)
			free(blocks[i]);
		while (again < count && (blocks[again] = malloc(1 << 20)))
			again++;
		printf("%zu blocks of 1 MiB, %zu again after free\n", count, again);
		return 5;
	}
	fprintf(stderr, "usage: oom big N | grow | many\n");
	return 2;
}
