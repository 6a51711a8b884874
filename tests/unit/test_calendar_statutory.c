/* SPDX-License-Identifier: MIT */
/*
 * test_calendar_statutory.c - years with no official schedule: the
 * statutory holidays of statutory-holidays.yaml (全国年节及纪念日放假办法,
 * 2024) rest besides weekends, with no make-up working days, and due dates
 * there are provisional; the table loaded from a buffer; broken tables
 * refused with "file:line: what is wrong", in a directory and in order.
 * (That the table agrees with the official schedules is checked in
 * test_calendar.c, beside the brute-force reference it shares.)
 *
 * Expected dates are written by hand from the State Council notices and
 * the published lunar calendar, or computed here with timegm()/gmtime_r()
 * and the YAML lists read as plain text, never with the module under test.
 * Run from the repository root, or set WAGE_SRCDIR to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <mbedtls/sha256.h>

#include "calendar.h"
#include "wage/protocol.h"

#include "support_calendar.h"
#include "support_file.h"

#define CAL_DIR   "policies/calendar"
#define BAD_DIR   "tests/data/calendar"
#define STAT_DIR  BAD_DIR "/statutory"
#define STATUTORY CAL_DIR "/" CALENDAR_STATUTORY_FILE

/* A broken table: the file, the line and what the error says. */
struct bad {
	const char *file;
	int         line;
	const char *what;
};

/*
 * Years with no schedule: the statutory holidays of the table rest, and
 * nothing else but weekends (no make-up working days). Dates from the
 * published lunar calendar: 春节 2027-02-06 and 2031-01-23, 清明 2027-04-05,
 * 端午 2027-06-09 and 2030-06-05, 中秋 2027-09-15.
 */
struct rest {
	struct civil_date d;
	int               work; /* 1: a working day */
};

static const struct rest rests[] = {
	/* New Year's Day: Fri 2027, Sat 2028, Mon 2029. */
	{ { 2027, 1, 1 }, 0 },
	{ { 2028, 1, 1 }, 0 },
	{ { 2029, 1, 1 }, 0 },
	{ { 2029, 1, 2 }, 1 },
	/* National Day 2030: Tue..Thu; Fri 10-04 works (only a schedule
	 * makes the week off). */
	{ { 2030, 9, 30 }, 1 },
	{ { 2030, 10, 1 }, 0 },
	{ { 2030, 10, 2 }, 0 },
	{ { 2030, 10, 3 }, 0 },
	{ { 2030, 10, 4 }, 1 },
	/* Spring Festival 2027: eve Fri 02-05, 初一 Sat .. 初三 Mon. */
	{ { 2027, 2, 4 }, 1 },
	{ { 2027, 2, 5 }, 0 },
	{ { 2027, 2, 6 }, 0 },
	{ { 2027, 2, 7 }, 0 },
	{ { 2027, 2, 8 }, 0 },
	{ { 2027, 2, 9 }, 1 },
	/* No make-up Sunday before it, as a schedule would set. */
	{ { 2027, 1, 31 }, 0 },
	/* Spring Festival 2031: eve Wed 01-22, 初一 Thu .. 初三 Sat. */
	{ { 2031, 1, 21 }, 1 },
	{ { 2031, 1, 22 }, 0 },
	{ { 2031, 1, 23 }, 0 },
	{ { 2031, 1, 24 }, 0 },
	{ { 2031, 1, 25 }, 0 },
	{ { 2031, 1, 27 }, 1 },
	/* Qingming, Dragon Boat, Mid-Autumn. */
	{ { 2027, 4, 5 }, 0 },
	{ { 2027, 4, 6 }, 1 },
	{ { 2027, 6, 9 }, 0 },
	{ { 2027, 6, 10 }, 1 },
	{ { 2030, 6, 5 }, 0 },
	{ { 2027, 9, 15 }, 0 },
	{ { 2027, 9, 16 }, 1 },
	/* Labour Day: 05-01 and 05-02 since the 2024 revision. */
	{ { 2029, 5, 1 }, 0 },
	{ { 2029, 5, 2 }, 0 },
	{ { 2029, 5, 3 }, 1 },
	/* Mid-Autumn on National Day's third day (2028-10-03). */
	{ { 2028, 10, 3 }, 0 },
	{ { 2028, 10, 4 }, 1 },
	/* After the table (2025..2050): weekends only. */
	{ { 2051, 1, 2 }, 1 },
	{ { 2052, 1, 1 }, 1 },
};

static void
test_calendar_provisional_statutory_holidays(void **state)
{
	struct calendar *c = tsupport_calendar_official();
	char             s[16];
	size_t           i;
	int              prov;

	(void) state;
	for (i = 0; i < sizeof(rests) / sizeof(rests[0]); i++) {
		prov = -1;
		if (calendar_is_workday(c, rests[i].d, &prov) !=
		        rests[i].work ||
		    prov != 1) {
			civil_date_format(&rests[i].d, s, sizeof(s));
			fail_msg("%s: want %s, provisional", s,
			    rests[i].work ? "a working day" : "a rest day");
		}
	}
	/* A loaded schedule wins entirely: 2026-01-02 rests by it alone,
	 * Sun 2026-01-04 and Sun 2025-01-26 are its make-up working days,
	 * and none of it is provisional although the table lists 2025 and
	 * 2026. */
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2026, 1, 2), &prov), 0);
	assert_int_equal(prov, 0);
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2026, 1, 4), &prov), 1);
	assert_int_equal(prov, 0);
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2025, 1, 26), &prov), 1);
	assert_int_equal(prov, 0);
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2025, 1, 28), &prov), 0);
	assert_int_equal(prov, 0);
	calendar_free(c);
}

static void
test_calendar_provisional_deadlines(void **state)
{
	struct calendar *c = tsupport_calendar_official();
	int              prov;

	(void) state;
	/* Fri 2029-09-28 + 5 working days across National Day (Mon 10-01
	 * .. Wed 10-03): 10-04, 10-05, 10-08, 10-09, 10-10. Weekends only
	 * would say Fri 10-05. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2029, 9, 28), 5,
	                         CAL_WORKING_DAYS, &prov),
	    tsupport_date(2029, 10, 10));
	assert_int_equal(prov, 1);
	tsupport_assert_date(tsupport_due(NULL, tsupport_date(2029, 9, 28), 5,
	                         CAL_WORKING_DAYS, &prov),
	    tsupport_date(2029, 10, 5));
	/* Sun 2027-01-31 + 5 calendar days is Fri 02-05, Spring Festival
	 * eve: the rest runs to Mon 02-08 (初三), so Tue 02-09. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2027, 1, 31), 5,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2027, 2, 9));
	assert_int_equal(prov, 1);
	/* Thu 2027-01-21 + 15 is the same eve. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2027, 1, 21), 15,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2027, 2, 9));
	assert_int_equal(prov, 1);
	/* Wed 2027-03-31 + 5 is Mon 04-05, Qingming: Tue 04-06. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2027, 3, 31), 5,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2027, 4, 6));
	assert_int_equal(prov, 1);
	/* A period inside a loaded year stays firm even though the table
	 * lists that year. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2026, 9, 20), 5,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2026, 9, 28));
	assert_int_equal(prov, 0);
	calendar_free(c);
}

/* A table of 2027 and 2028 alone, loaded from a buffer. */
static void
test_calendar_statutory_buffer(void **state)
{
	struct calendar *c;
	const char      *rel = STAT_DIR "/ok.yaml";
	char            *buf;
	size_t           len;
	int              nerr, prov, first, last;

	(void) state;
	buf = tsupport_slurp(tsupport_srcpath(rel), &len);
	assert_int_equal(
	    calendar_load_statutory_buffer(rel, buf, len, &c, stderr, &nerr),
	    WAGE_OK);
	assert_int_equal(nerr, 0);
	assert_int_equal(calendar_years(c, NULL, 0), 0);
	assert_int_equal(calendar_statutory_years(c, &first, &last), 2);
	assert_int_equal(first, 2027);
	assert_int_equal(last, 2028);
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2027, 2, 8), &prov), 0);
	assert_int_equal(prov, 1);
	/* 2029 is not in it: weekends only. */
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2029, 1, 1), &prov), 1);
	assert_int_equal(prov, 1);
	/* Nor is 2024: with no schedule loaded, weekends only. */
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2024, 1, 1), &prov), 1);
	assert_int_equal(prov, 1);
	calendar_free(c);
	free(buf);
}

/* Broken tables: each refused, with the line of the problem. */
static const struct bad stat_bads[] = {
	{ "bad-date.yaml", 6,
	    "'qingming' must be a date YYYY-MM-DD, not '2027-04-31'" },
	{ "bad-unknown-key.yaml", 9,
	    "unknown key 'national_day' in year 2027" },
	{ "bad-top-key.yaml", 14,
	    "unknown key 'notes'; allowed: fixed, years" },
	{ "bad-year-twice.yaml", 9, "duplicate key '2027' (first at line 4)" },
	{ "bad-not-in-year.yaml", 8,
	    "2028-10-03 is not in 2027, the year it is listed under" },
	{ "bad-not-in-a-row.yaml", 5,
	    "'spring_festival' must be 4 days in a row: 2027-02-08 does not "
	    "follow the day before it" },
	{ "bad-solar-for-lunar.yaml", 7,
	    "2027-05-05 cannot be 端午 (Dragon Boat, 五月初五), which falls "
	    "between 05-27 and 06-26" },
	{ "bad-gap.yaml", 9,
	    "year 2029 follows 2027: 'years' must list one year after "
	    "another" },
	{ "bad-fixed-leap.yaml", 2,
	    "'fixed' entries must be month-days MM-DD that every year has, "
	    "not '02-29'" },
	{ "bad-fixed-twice.yaml", 2,
	    "05-01 is listed twice in 'fixed' (first at line 2)" },
	{ "bad-missing-festival.yaml", 10, "year 2028 has no 'mid_autumn'" },
	{ "bad-spring-three-days.yaml", 5,
	    "'spring_festival' must be a list of 4 dates in a row" },
	{ "bad-year-key.yaml", 9,
	    "a year of 'years' must be 4 digits, 1900 to 9999, not '28'" },
	{ "bad-no-years.yaml", 2, "no 'years'" },
	{ "bad-empty.yaml", 1, "the file is empty" },
};

static void
test_calendar_statutory_bad_fixtures_rejected(void **state)
{
	struct calendar *c;
	char             rel[256], *buf, *diag;
	size_t           i, len;
	int              nerr;

	(void) state;
	for (i = 0; i < sizeof(stat_bads) / sizeof(stat_bads[0]); i++) {
		snprintf(rel, sizeof(rel), STAT_DIR "/%s", stat_bads[i].file);
		buf  = tsupport_slurp(tsupport_srcpath(rel), &len);
		diag = NULL;
		c    = (struct calendar *) 1;
		nerr = -1;
		{
			FILE  *d;
			size_t dlen;

			d = open_memstream(&diag, &dlen);
			assert_non_null(d);
			assert_int_equal(calendar_load_statutory_buffer(
			                     rel, buf, len, &c, d, &nerr),
			    WAGE_E_INVALID_ARGUMENT);
			fclose(d);
		}
		assert_null(c);
		if (nerr != 1 || tsupport_count_lines(diag) != 1 ||
		    !tsupport_has_line(
		        diag, rel, stat_bads[i].line, stat_bads[i].what)) {
			fail_msg("%s: want line %d '%s', got %d error(s):\n%s",
			    stat_bads[i].file, stat_bads[i].line,
			    stat_bads[i].what, nerr, diag);
		}
		free(diag);
		free(buf);
	}
}

/* Checking goes on: three problems, in line order; and in a directory
 * the file is named by its path. */
static void
test_calendar_statutory_errors_in_dir_and_order(void **state)
{
	char             dir[] = "/tmp/test_calendar.XXXXXX";
	char             pstat[256], *buf, *diag = NULL, *l2, *l6, *l13;
	const char      *rel = STAT_DIR "/bad-many.yaml";
	struct calendar *c;
	int              nerr;

	(void) state;
	assert_non_null(mkdtemp(dir));
	snprintf(pstat, sizeof(pstat), "%s/" CALENDAR_STATUTORY_FILE, dir);
	buf = tsupport_slurp(tsupport_srcpath(rel), NULL);
	tsupport_spit(pstat, buf);
	assert_int_equal(tsupport_calendar_dir_diag(dir, &c, &diag, &nerr),
	    WAGE_E_INVALID_ARGUMENT);
	assert_null(c);
	assert_int_equal(nerr, 3);
	assert_int_equal(tsupport_count_lines(diag), 3);
	assert_true(tsupport_has_line(diag, pstat, 2, "not '5-2'"));
	assert_true(tsupport_has_line(diag, pstat, 6,
	    "2027-03-05 cannot be 清明 (Qingming), which falls between "
	    "04-03 and 04-06"));
	assert_true(tsupport_has_line(
	    diag, pstat, 13, "unknown key 'colour' in year 2028"));
	l2  = strstr(diag, ":2: ");
	l6  = strstr(diag, ":6: ");
	l13 = strstr(diag, ":13: ");
	assert_true(
	    l2 != NULL && l6 != NULL && l13 != NULL && l2 < l6 && l6 < l13);
	assert_int_equal(unlink(pstat), 0);
	assert_int_equal(rmdir(dir), 0);
	free(diag);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar_provisional_statutory_holidays),
		cmocka_unit_test(test_calendar_provisional_deadlines),
		cmocka_unit_test(test_calendar_statutory_buffer),
		cmocka_unit_test(
		    test_calendar_statutory_bad_fixtures_rejected),
		cmocka_unit_test(
		    test_calendar_statutory_errors_in_dir_and_order),
	};

	return (cmocka_run_group_tests_name(
	    "calendar_statutory", tests, NULL, NULL));
}
