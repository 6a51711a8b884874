/* SPDX-License-Identifier: MIT */
/* fuzz_filing.c - libFuzzer target: case.file argument validation. */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "filing.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int  roles[] = { ROLE_CLERK, ROLE_UNION };
	struct actor      a;
	struct wage_error err;
	json_error_t      jerr;
	json_t           *args, *doc = NULL;
	size_t            i;

	args = json_loadb(
	    (const char *) data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (args == NULL) {
		return (0);
	}
	for (i = 0; i < 2; i++) {
		memset(&a, 0, sizeof(a));
		strcpy(a.name, "王芳");
		strcpy(a.org, "济南市历下区总工会工会驿站");
		strcpy(a.region, "370100");
		a.role = roles[i];
		if (filing_check(args, &a, &doc, &err) == WAGE_OK) {
			filing_mask(doc);
			json_decref(doc);
			doc = NULL;
		}
	}
	json_decref(args);
	return (0);
}
