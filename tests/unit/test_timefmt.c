/* SPDX-License-Identifier: MIT */
/*
 * test_timefmt.c - unit tests of common/timefmt.c: China Standard Time
 * across the UTC day boundary and a leap day, the audit time string and
 * the one wagectl shows, times out of range, truncation, and that
 * timefmt_now is now. Expected values were worked out apart (Python's
 * datetime with a fixed +08:00 zone).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "timefmt.h"

static void
test_timefmt_iso_epoch_and_day_boundary(void **state)
{
	char buf[TIMEFMT_ISO_LEN];

	(void) state;
	timefmt_iso(0, 0, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01T08:00:00.000+08:00");
	assert_int_equal(strlen(buf), TIMEFMT_ISO_LEN - 1);
	/* 16:00 UTC is midnight of the next day in China. */
	timefmt_iso(1796054399, 999, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-30T23:59:59.999+08:00");
	timefmt_iso(1796054400, 0, buf, sizeof(buf));
	assert_string_equal(buf, "2026-12-01T00:00:00.000+08:00");
	/* Leap day 2024. */
	timefmt_iso(1709222399, 123, buf, sizeof(buf));
	assert_string_equal(buf, "2024-02-29T23:59:59.123+08:00");
}

static void
test_timefmt_local_fields(void **state)
{
	struct tm tm;

	(void) state;
	assert_int_equal(timefmt_local(1796054400, &tm), 0);
	assert_int_equal(tm.tm_year + 1900, 2026);
	assert_int_equal(tm.tm_mon + 1, 12);
	assert_int_equal(tm.tm_mday, 1);
	assert_int_equal(tm.tm_hour, 0);
	assert_int_equal(timefmt_local(INT64_MAX, &tm), -1);
	assert_int_equal(tm.tm_year, 0);
	assert_int_equal(timefmt_local(INT64_MIN, &tm), -1);
}

static void
test_timefmt_minutes(void **state)
{
	char buf[64];

	(void) state;
	timefmt_minutes(1796054399, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-30 23:59 (UTC+8)");
	timefmt_minutes(INT64_MAX, buf, sizeof(buf));
	assert_string_equal(buf, "?");
}

static void
test_timefmt_bad_input_and_truncation(void **state)
{
	char buf[TIMEFMT_ISO_LEN], small[11];

	(void) state;
	memset(buf, 'x', sizeof(buf));
	timefmt_iso(INT64_MAX, 0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	timefmt_iso(0, 1000, buf, sizeof(buf));
	assert_string_equal(buf, "");
	timefmt_iso(0, -1, buf, sizeof(buf));
	assert_string_equal(buf, "");
	timefmt_iso(0, 0, small, sizeof(small));
	assert_string_equal(small, "1970-01-01");
	small[0] = 'k';
	timefmt_iso(0, 0, small, 0); /* nothing written */
	assert_int_equal(small[0], 'k');
}

static void
test_timefmt_now_is_now(void **state)
{
	char   buf[TIMEFMT_ISO_LEN], lo[TIMEFMT_ISO_LEN], hi[TIMEFMT_ISO_LEN];
	time_t before, after;

	(void) state;
	before = time(NULL);
	timefmt_now(buf, sizeof(buf));
	after = time(NULL);
	timefmt_iso((int64_t) before, 0, lo, sizeof(lo));
	timefmt_iso((int64_t) after, 999, hi, sizeof(hi));
	/* Same fixed-width format: text order is time order. */
	assert_int_equal(strlen(buf), TIMEFMT_ISO_LEN - 1);
	assert_true(strcmp(lo, buf) <= 0);
	assert_true(strcmp(buf, hi) <= 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timefmt_iso_epoch_and_day_boundary),
		cmocka_unit_test(test_timefmt_local_fields),
		cmocka_unit_test(test_timefmt_minutes),
		cmocka_unit_test(test_timefmt_bad_input_and_truncation),
		cmocka_unit_test(test_timefmt_now_is_now),
	};

	return (cmocka_run_group_tests_name("timefmt", tests, NULL, NULL));
}
