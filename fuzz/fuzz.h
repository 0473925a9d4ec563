/* fuzz.h: the libFuzzer entry point every target defines, declared for -Wmissing-prototypes. */
#ifndef IANAWATCH_FUZZ_H
#define IANAWATCH_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Runs one input; returns 0. A crash, a sanitizer report or abort() is a finding. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the run on a violated property, so the fuzzer records the input as a finding. */
#define FUZZ_ASSERT(cond) \
	do { \
		if (!(cond)) \
			fuzz_fail(#cond, __FILE__, __LINE__); \
	} while (0)

void fuzz_fail(const char *what, const char *file, int line);

#endif
