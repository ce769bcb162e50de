/*
 * Text processing with the parts of stdio and string.h that allocate
 * behind the program's back: getline (realloc), strdup, asprintf,
 * open_memstream, strtok_r. Counts lines, words and the longest word of
 * stdin, and writes every tenth line, reversed, to a memory stream.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	char *line = NULL, *longest = strdup(""), *mem = NULL, *summary;
	size_t cap = 0, memlen = 0;
	unsigned long lines = 0, words = 0;
	FILE *out = open_memstream(&mem, &memlen);
	ssize_t n;

	if (!longest || !out)
		return 2;
	while ((n = getline(&line, &cap, stdin)) > 0) {
		char *save, *w;

		if (lines++ % 10 == 0) {
			for (ssize_t i = n - 1; i >= 0; i--)
				if (line[i] != '\n')
					fputc(line[i], out);
			fputc('\n', out);
		}
		for (w = strtok_r(line, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
			words++;
			if (strlen(w) > strlen(longest)) {
				free(longest);
				longest = strdup(w);
				if (!longest)
					return 2;
			}
		}
	}
	free(line);
	if (fclose(out))
		return 2;
	if (asprintf(&summary, "lines %lu words %lu longest %s memstream %zu bytes", lines, words,
		     longest, memlen) < 0)
		return 2;
	puts(summary);
	fwrite(mem, 1, memlen, stdout);
	free(summary);
	free(mem);
	free(longest);
	return 0;
}
