/*
 * A checksum worker for `syscage strict`: CRC32 and 64-bit FNV-1a of
 * everything on stdin, and the byte count. stdio reads, a table built in
 * a heap buffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	uint32_t *table = malloc(256 * sizeof(*table)), crc = 0xffffffffu;
	uint64_t fnv = 0xcbf29ce484222325ull;
	unsigned long long count = 0;
	unsigned char buf[4096];
	size_t n;

	if (!table) {
		fprintf(stderr, "checksum: no memory\n");
		return 2;
	}
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		for (size_t i = 0; i < n; i++) {
			crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
			fnv = (fnv ^ buf[i]) * 0x100000001b3ull;
		}
		count += n;
	}
	if (ferror(stdin)) {
		fprintf(stderr, "checksum: read error\n");
		return 2;
	}
	printf("bytes %llu crc32 %08x fnv1a64 %016llx\n", count, crc ^ 0xffffffffu,
	       (unsigned long long)fnv);
	free(table);
	return 0;
}
