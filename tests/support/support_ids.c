/* SPDX-License-Identifier: MIT */
/*
 * support_ids.c - check characters of test identifiers (support_ids.h).
 */
#include <string.h>

#include "support_ids.h"

void
tsupport_id_number(const char *body, char out[19])
{
	/* GB 11643-1999: weights 2^(17-i) mod 11, check "10X98765432". */
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5,
		8, 4, 2 };
	int              sum   = 0, i;

	for (i = 0; i < 17; i++) {
		sum += (body[i] - '0') * w[i];
	}
	memcpy(out, body, 17);
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

void
tsupport_credit_code(const char *body, char out[19])
{
	/* GB 32100-2015: weights 3^i mod 31, check 31 - sum mod 31 (31 is
	 * written 0). */
	static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13,
		8, 24, 10, 30, 28 };
	int              sum   = 0, i;

	for (i = 0; i < 17; i++) {
		sum += (int) (strchr(alpha, body[i]) - alpha) * w[i];
	}
	memcpy(out, body, 17);
	out[17] = alpha[(31 - sum % 31) % 31];
	out[18] = '\0';
}
