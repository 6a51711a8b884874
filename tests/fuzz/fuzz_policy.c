/* SPDX-License-Identifier: MIT */
/* fuzz_policy.c - libFuzzer target: the YAML policy loader. */
#include <stdint.h>
#include <stdio.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy *p = NULL;
	int            nerr;

	if (policy_load_buffer(
	        "fuzz", (const char *) data, size, &p, NULL, &nerr) == 0) {
		policy_free(p);
	}
	return (0);
}
