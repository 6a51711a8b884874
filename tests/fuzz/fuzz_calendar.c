/* SPDX-License-Identifier: MIT */
/* fuzz_calendar.c - libFuzzer target: the holiday calendar loaders (one
 * year's schedule, the table of statutory holidays), and counting days
 * with what they loaded. */
#include <stdint.h>
#include <stdio.h>

#include "calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calendar  *c     = NULL;
	struct civil_date start = { 2024, 9, 26 }, later = { 2027, 1, 28 },
	                  due;
	int nerr, prov;

	if (calendar_load_buffer("cn-2024.yaml", (const char *) data, size, &c,
	        NULL, &nerr) == 0 &&
	    c != NULL) {
		calendar_add_days(c, start, 5, CAL_WORKING_DAYS, &due, &prov);
		calendar_add_days(
		    c, start, 45, CAL_CALENDAR_DAYS, &due, &prov);
	}
	calendar_free(c);
	c = NULL;
	if (calendar_load_statutory_buffer(CALENDAR_STATUTORY_FILE,
	        (const char *) data, size, &c, NULL, &nerr) == 0 &&
	    c != NULL) {
		calendar_add_days(c, later, 60, CAL_WORKING_DAYS, &due, &prov);
		calendar_add_days(
		    c, later, 15, CAL_CALENDAR_DAYS, &due, &prov);
	}
	calendar_free(c);
	return (0);
}
