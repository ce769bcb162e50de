/* libFuzzer entry: arbitrary bytes as a policy. The logic is in targets.c. */
#include <stdlib.h>

#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fuzz_parser_one(data, size))
		abort();
	return 0;
}
