/* SPDX-License-Identifier: MIT */
/*
 * test_calendar.c - the official holiday schedules and the counting of
 * periods: the worked examples of DOMAIN.md, every holiday block of 2024-26,
 * every make-up working weekend, year ends, 29 February, a corrected
 * schedule, a brute-force comparison with a slow implementation (and the
 * statutory table against the schedules), broken schedules refused with
 * "file:line: what is wrong". Years with no schedule: *_statutory.c.
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
#define STATUTORY CAL_DIR "/" CALENDAR_STATUTORY_FILE

/*
 * The worked examples of DOMAIN.md "Counting time".
 */
static void
test_calendar_worked_examples(void **state)
{
	struct calendar *c = tsupport_calendar_official();
	int              prov;

	(void) state;
	/* Mon 02-05 + 5: day 5 is Sat 02-10 (Spring Festival). */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2024, 2, 5), 5,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2024, 2, 18));
	assert_int_equal(prov, 0);
	/* Tue 08-20 + 45: day 45 is Fri 10-04 (National Day). */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2024, 8, 20), 45,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2024, 10, 8));
	assert_int_equal(prov, 0);
	/* Thu 09-26 + 5 working days: 09-27, 09-29, 09-30, 10-08, 10-09. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2024, 9, 26), 5,
	                         CAL_WORKING_DAYS, &prov),
	    tsupport_date(2024, 10, 9));
	assert_int_equal(prov, 0);
	calendar_free(c);
}

static void
test_calendar_is_workday(void **state)
{
	struct calendar *c    = tsupport_calendar_official();
	int              prov = -1;

	(void) state;
	/* A make-up Sunday works; a holiday Monday rests. */
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2024, 2, 4), &prov), 1);
	assert_int_equal(prov, 0);
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2024, 2, 12), &prov), 0);
	/* An ordinary weekend next to a holiday, not listed, rests. */
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2024, 6, 8), &prov), 0);
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2024, 6, 10), &prov), 0);
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2024, 6, 11), &prov), 1);
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2026, 2, 14), &prov), 1);
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2026, 2, 15), &prov), 0);
	assert_int_equal(prov, 0);
	/* No schedule for 2027: Fri 01-01 rests by law, weekdays work,
	 * provisionally. */
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2027, 1, 1), &prov), 0);
	assert_int_equal(prov, 1);
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2027, 1, 2), &prov), 0);
	assert_int_equal(prov, 1);
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2027, 1, 4), &prov), 1);
	assert_int_equal(prov, 1);
	/* No calendar at all: weekends only. */
	assert_int_equal(
	    calendar_is_workday(NULL, tsupport_date(2024, 2, 4), &prov), 0);
	assert_int_equal(prov, 1);
	assert_int_equal(
	    calendar_is_workday(NULL, tsupport_date(2027, 1, 1), &prov), 1);
	assert_int_equal(prov, 1);
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2024, 2, 4), NULL), 1);
	/* An invalid date is no working day, and provisional. */
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2024, 2, 30), &prov), 0);
	assert_int_equal(prov, 1);
	calendar_free(c);
}

/*
 * Every holiday block (放假调休 period, including the ordinary weekend days
 * joined to it) of 2024-2026, and the first working day after it, written
 * by hand from the notices (国办发明电〔2023〕7号, 〔2024〕12号, 2025-11-04).
 * The 2024 New Year block began on 2023-12-30; only its 2024 day is here.
 */
struct block {
	struct civil_date first, last, after;
};

static const struct block blocks[] = {
	{ { 2024, 1, 1 }, { 2024, 1, 1 }, { 2024, 1, 2 } },
	{ { 2024, 2, 10 }, { 2024, 2, 17 }, { 2024, 2, 18 } }, /* Sun */
	{ { 2024, 4, 4 }, { 2024, 4, 6 }, { 2024, 4, 7 } },    /* Sun */
	{ { 2024, 5, 1 }, { 2024, 5, 5 }, { 2024, 5, 6 } },
	{ { 2024, 6, 8 }, { 2024, 6, 10 }, { 2024, 6, 11 } },
	{ { 2024, 9, 15 }, { 2024, 9, 17 }, { 2024, 9, 18 } },
	{ { 2024, 10, 1 }, { 2024, 10, 7 }, { 2024, 10, 8 } },
	{ { 2025, 1, 1 }, { 2025, 1, 1 }, { 2025, 1, 2 } },
	{ { 2025, 1, 28 }, { 2025, 2, 4 }, { 2025, 2, 5 } },
	{ { 2025, 4, 4 }, { 2025, 4, 6 }, { 2025, 4, 7 } },
	{ { 2025, 5, 1 }, { 2025, 5, 5 }, { 2025, 5, 6 } },
	{ { 2025, 5, 31 }, { 2025, 6, 2 }, { 2025, 6, 3 } },
	{ { 2025, 10, 1 }, { 2025, 10, 8 }, { 2025, 10, 9 } },
	{ { 2026, 1, 1 }, { 2026, 1, 3 }, { 2026, 1, 4 } }, /* Sun */
	{ { 2026, 2, 15 }, { 2026, 2, 23 }, { 2026, 2, 24 } },
	{ { 2026, 4, 4 }, { 2026, 4, 6 }, { 2026, 4, 7 } },
	{ { 2026, 5, 1 }, { 2026, 5, 5 }, { 2026, 5, 6 } },
	{ { 2026, 6, 19 }, { 2026, 6, 21 }, { 2026, 6, 22 } },
	{ { 2026, 9, 25 }, { 2026, 9, 27 }, { 2026, 9, 28 } },
	{ { 2026, 10, 1 }, { 2026, 10, 7 }, { 2026, 10, 8 } },
};

static void
test_calendar_holiday_blocks_roll_forward(void **state)
{
	static const int ns[] = { 1, 3, 5, 15, 30, 45, 60 };
	struct calendar *c    = tsupport_calendar_official();
	size_t           b, i;
	long             z;
	int              prov, tested = 0;

	(void) state;
	for (b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
		for (z = tsupport_tday(blocks[b].first);
		     z <= tsupport_tday(blocks[b].last); z++) {
			for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
				/* The last day lands on day z of the block. */
				struct civil_date start =
				    tsupport_tdate(z - ns[i]);

				tsupport_assert_date(
				    tsupport_due(c, start, ns[i],
				        CAL_CALENDAR_DAYS, &prov),
				    blocks[b].after);
				assert_int_equal(prov, 0);
				tested++;
			}
			/* No day of the block is a working day. */
			assert_int_equal(
			    calendar_is_workday(c, tsupport_tdate(z), &prov),
			    0);
		}
		/* And the day after the block is one. */
		assert_int_equal(
		    calendar_is_workday(c, blocks[b].after, &prov), 1);
	}
	assert_true(tested >= 7 * 90);
	calendar_free(c);
}

/*
 * Every make-up working weekend (调休上班): counting 2 working days from
 * two days before it passes through it and counts it. Hand-computed.
 */
struct makeup {
	struct civil_date day, want; /* want: start = day - 2, n = 2 */
};

static const struct makeup makeups[] = {
	{ { 2024, 2, 4 }, { 2024, 2, 5 } },     /* Sun; from Fri 02-02 */
	{ { 2024, 2, 18 }, { 2024, 2, 19 } },   /* Sun; from holiday 02-16 */
	{ { 2024, 4, 7 }, { 2024, 4, 8 } },     /* Sun; from holiday 04-05 */
	{ { 2024, 4, 28 }, { 2024, 4, 29 } },   /* Sun */
	{ { 2024, 5, 11 }, { 2024, 5, 11 } },   /* Sat; Fri 05-10 is day 1 */
	{ { 2024, 9, 14 }, { 2024, 9, 14 } },   /* Sat */
	{ { 2024, 9, 29 }, { 2024, 9, 30 } },   /* Sun */
	{ { 2024, 10, 12 }, { 2024, 10, 12 } }, /* Sat */
	{ { 2025, 1, 26 }, { 2025, 1, 27 } },   /* Sun */
	{ { 2025, 2, 8 }, { 2025, 2, 8 } },     /* Sat */
	{ { 2025, 4, 27 }, { 2025, 4, 28 } },   /* Sun */
	{ { 2025, 9, 28 }, { 2025, 9, 29 } },   /* Sun */
	{ { 2025, 10, 11 }, { 2025, 10, 11 } }, /* Sat */
	{ { 2026, 1, 4 }, { 2026, 1, 5 } },     /* Sun; from holiday 01-02 */
	{ { 2026, 2, 14 }, { 2026, 2, 14 } },   /* Sat */
	{ { 2026, 2, 28 }, { 2026, 2, 28 } },   /* Sat */
	{ { 2026, 5, 9 }, { 2026, 5, 9 } },     /* Sat */
	{ { 2026, 9, 20 }, { 2026, 9, 21 } },   /* Sun */
	{ { 2026, 10, 10 }, { 2026, 10, 10 } }, /* Sat */
};

static void
test_calendar_working_days_count_makeup_weekends(void **state)
{
	struct calendar  *c = tsupport_calendar_official();
	struct civil_date got, plain;
	size_t            i;
	int               prov, wd;

	(void) state;
	for (i = 0; i < sizeof(makeups) / sizeof(makeups[0]); i++) {
		wd = tsupport_twday(tsupport_tday(makeups[i].day));
		assert_true(wd == 0 || wd == 6);
		got = tsupport_due(c, tsupport_tplus(makeups[i].day, -2), 2,
		    CAL_WORKING_DAYS, &prov);
		tsupport_assert_date(got, makeups[i].want);
		assert_int_equal(prov, 0);
		/* The day before it, one working day later, is that day. */
		got = tsupport_due(c, tsupport_tplus(makeups[i].day, -1), 1,
		    CAL_WORKING_DAYS, &prov);
		tsupport_assert_date(got, makeups[i].day);
		/* Counted on weekends alone the answer would be later. */
		plain = tsupport_due(NULL, tsupport_tplus(makeups[i].day, -2),
		    2, CAL_WORKING_DAYS, &prov);
		assert_int_equal(prov, 1);
		assert_true(civil_date_cmp(&plain, &makeups[i].want) > 0);
	}
	calendar_free(c);
}

static void
test_calendar_year_end_into_loaded_year(void **state)
{
	struct calendar *c = tsupport_calendar_official();
	int              prov;

	(void) state;
	/* 12-31 (1), 01-01 holiday, 01-02 (2), 01-03 (3), weekend, 01-06,
	 * 01-07 (5). */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2024, 12, 30), 5,
	                         CAL_WORKING_DAYS, &prov),
	    tsupport_date(2025, 1, 7));
	assert_int_equal(prov, 0);
	/* Day 5 is New Year's Day 2025: the deadline is 01-02. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2024, 12, 27), 5,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2025, 1, 2));
	assert_int_equal(prov, 0);
	/* Into 2026: New Year 01-01..03, then the make-up Sunday 01-04. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2025, 12, 29), 5,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2026, 1, 4));
	assert_int_equal(prov, 0);
	tsupport_assert_date(tsupport_due(c, tsupport_date(2025, 12, 30), 3,
	                         CAL_WORKING_DAYS, &prov),
	    tsupport_date(2026, 1, 5));
	assert_int_equal(prov, 0);
	calendar_free(c);
}

static void
test_calendar_year_end_into_unloaded_year(void **state)
{
	struct calendar *c = tsupport_calendar_official();
	int              prov;

	(void) state;
	/* 12-31 Thu (1), 2027-01-01 Fri (no schedule yet, but New Year's
	 * Day by law), weekend, 01-04 (2), 01-05 (3), 01-06 (4), 01-07 (5). */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2026, 12, 30), 5,
	                         CAL_WORKING_DAYS, &prov),
	    tsupport_date(2027, 1, 7));
	assert_int_equal(prov, 1);
	/* Day 5 is Sat 2027-01-02: Mon 01-04. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2026, 12, 28), 5,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2027, 1, 4));
	assert_int_equal(prov, 1);
	/* Staying inside 2026 is not provisional. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2026, 12, 24), 5,
	                         CAL_WORKING_DAYS, &prov),
	    tsupport_date(2026, 12, 31));
	assert_int_equal(prov, 0);
	calendar_free(c);
}

static void
test_calendar_leap_day(void **state)
{
	struct calendar *c = tsupport_calendar_official();
	int              prov;

	(void) state;
	tsupport_assert_date(tsupport_due(c, tsupport_date(2024, 2, 28), 1,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2024, 2, 29));
	assert_int_equal(prov, 0);
	tsupport_assert_date(tsupport_due(c, tsupport_date(2023, 2, 28), 1,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2023, 3, 1));
	assert_int_equal(prov, 1);
	/* 365 days after 2024-02-29 is Fri 2025-02-28, a working day. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2024, 2, 29), 365,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2025, 2, 28));
	assert_int_equal(prov, 0);
	/* 366 days is Sat 2025-03-01: Mon 03-03. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2024, 2, 29), 366,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2025, 3, 3));
	tsupport_assert_date(tsupport_due(c, tsupport_date(2024, 2, 29), 1,
	                         CAL_WORKING_DAYS, &prov),
	    tsupport_date(2024, 3, 1));
	tsupport_assert_date(tsupport_due(c, tsupport_date(2024, 2, 28), 1,
	                         CAL_WORKING_DAYS, &prov),
	    tsupport_date(2024, 2, 29));
	/* 2000 was a leap year, 2100 will not be. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2000, 2, 28), 1,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2000, 2, 29));
	tsupport_assert_date(tsupport_due(c, tsupport_date(2100, 2, 28), 1,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2100, 3, 1));
	assert_int_equal(prov, 1);
	calendar_free(c);
}

static void
test_calendar_unloaded_year_is_provisional(void **state)
{
	struct calendar *c = tsupport_calendar_official();
	int              prov;

	(void) state;
	/* Mon 2030-06-03 + 5 is Sat 06-08: Mon 06-10, provisional. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2030, 6, 3), 5,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2030, 6, 10));
	assert_int_equal(prov, 1);
	tsupport_assert_date(tsupport_due(NULL, tsupport_date(2030, 6, 3), 5,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2030, 6, 10));
	assert_int_equal(prov, 1);
	/* Working days skip Wed 06-05, Dragon Boat (五月初五) of 2030:
	 * 06-04, 06-06, 06-07, 06-10, 06-11. Weekends only: 06-10. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2030, 6, 3), 5,
	                         CAL_WORKING_DAYS, &prov),
	    tsupport_date(2030, 6, 11));
	assert_int_equal(prov, 1);
	tsupport_assert_date(tsupport_due(NULL, tsupport_date(2030, 6, 3), 5,
	                         CAL_WORKING_DAYS, &prov),
	    tsupport_date(2030, 6, 10));
	assert_int_equal(prov, 1);
	/* With no calendar, even 2024 is only provisional. */
	tsupport_assert_date(tsupport_due(NULL, tsupport_date(2024, 2, 5), 5,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2024, 2, 12));
	assert_int_equal(prov, 1);
	/* A calendar-day count whose last day is in a loaded year is not
	 * provisional even when it started in an unloaded one. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2023, 12, 20), 20,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2024, 1, 9));
	assert_int_equal(prov, 0);
	/* A working-day count through 2023 is. */
	tsupport_assert_date(tsupport_due(c, tsupport_date(2023, 12, 28), 2,
	                         CAL_WORKING_DAYS, &prov),
	    tsupport_date(2024, 1, 2));
	assert_int_equal(prov, 1);
	calendar_free(c);
}

/* text with the first "cut" removed (it must be there). */
static char *
without(const char *text, const char *cut)
{
	const char *p = strstr(text, cut);
	char       *r;

	assert_non_null(p);
	r = malloc(strlen(text) + 1);
	assert_non_null(r);
	memcpy(r, text, (size_t) (p - text));
	strcpy(r + (p - text), p + strlen(cut));
	return (r);
}

static void
test_calendar_corrected_calendar_changes_result(void **state)
{
	char             dir[] = "/tmp/test_calendar.XXXXXX";
	char             p2024[256], p2027[256], pstat[256];
	char            *official, *wrong, *table, h1[65];
	size_t           len;
	struct calendar *c;
	int              nerr, prov;

	(void) state;
	assert_non_null(mkdtemp(dir));
	snprintf(p2024, sizeof(p2024), "%s/cn-2024.yaml", dir);
	snprintf(p2027, sizeof(p2027), "%s/cn-2027.yaml", dir);
	snprintf(pstat, sizeof(pstat), "%s/" CALENDAR_STATUTORY_FILE, dir);
	official =
	    tsupport_slurp(tsupport_srcpath(CAL_DIR "/cn-2024.yaml"), &len);
	table = tsupport_slurp(tsupport_srcpath(STATUTORY), NULL);
	tsupport_spit(pstat, table);

	/* A schedule with 10-04 left out by mistake. */
	wrong = without(official, "2024-10-04, ");
	tsupport_spit(p2024, wrong);
	assert_int_equal(calendar_load_dir(dir, &c, stderr, &nerr), WAGE_OK);
	tsupport_assert_date(tsupport_due(c, tsupport_date(2024, 8, 20), 45,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2024, 10, 4));
	assert_int_equal(prov, 0);
	tsupport_assert_date(tsupport_due(c, tsupport_date(2026, 12, 28), 5,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2027, 1, 4));
	assert_int_equal(prov, 1);
	strcpy(h1, calendar_hash(c));
	calendar_free(c);

	/* Corrected, and a (made-up, test-only) 2027 schedule arrives. */
	tsupport_spit(p2024, official);
	tsupport_spit(p2027,
	    "# Made up for this test only.\n"
	    "year: 2027\n"
	    "holidays: [2027-01-01, 2027-01-02, 2027-01-03, "
	    "2027-01-04]\n"
	    "workdays: []\n");
	assert_int_equal(calendar_load_dir(dir, &c, stderr, &nerr), WAGE_OK);
	tsupport_assert_date(tsupport_due(c, tsupport_date(2024, 8, 20), 45,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2024, 10, 8));
	tsupport_assert_date(tsupport_due(c, tsupport_date(2026, 12, 28), 5,
	                         CAL_CALENDAR_DAYS, &prov),
	    tsupport_date(2027, 1, 5));
	assert_int_equal(prov, 0);
	assert_string_not_equal(calendar_hash(c), h1);
	assert_true(calendar_year_loaded(c, 2027));
	calendar_free(c);

	assert_int_equal(unlink(p2024), 0);
	assert_int_equal(unlink(p2027), 0);
	assert_int_equal(unlink(pstat), 0);
	assert_int_equal(rmdir(dir), 0);
	free(wrong);
	free(official);
	free(table);
}

/*
 * The slow reference: the YAML lists read as plain text (every
 * YYYY-MM-DD after "holidays:" or "workdays:" up to the next key; in the
 * table of statutory holidays, every YYYY-MM-DD is a holiday of its year,
 * and every MM-DD of "fixed:" one of each year listed as "  YYYY:"), a
 * day-by-day loop, dates from timegm()/gmtime_r().
 */
#define REF_FIRST  2024
#define REF_YEARS  3
#define STAT_FIRST 2000
#define STAT_YEARS 100

static char ref_kind[REF_YEARS][367];   /* 'H', 'W' or 0 by day of year */
static char stat_kind[STAT_YEARS][367]; /* 'H' or 0, by day of year */
static bool stat_year[STAT_YEARS];      /* listed in the table */

static bool
is_date_at(const char *p)
{
	static const char shape[] = "dddd-dd-dd";
	size_t            i;

	for (i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd' ? !(p[i] >= '0' && p[i] <= '9')
		                    : p[i] != shape[i]) {
			return (false);
		}
	}
	return (true);
}

static void
ref_read(int year, int *nholidays, int *nworkdays)
{
	char  path[64], line[4096], *p, *hash;
	FILE *f;
	char  mode = 0;
	int   y, m, d;
	long  doy;

	snprintf(path, sizeof(path), CAL_DIR "/cn-%d.yaml", year);
	f = fopen(tsupport_srcpath(path), "r");
	assert_non_null(f);
	*nholidays = *nworkdays = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((hash = strchr(line, '#')) != NULL) {
			*hash = '\0';
		}
		if (strncmp(line, "holidays:", 9) == 0) {
			mode = 'H';
		} else if (strncmp(line, "workdays:", 9) == 0) {
			mode = 'W';
		} else if (line[0] != ' ' && line[0] != '\t' &&
		    line[0] != '\n' && line[0] != '\0') {
			mode = 0;
		}
		for (p = line; mode != 0 && *p != '\0'; p++) {
			if (!is_date_at(p)) {
				continue;
			}
			assert_int_equal(
			    sscanf(p, "%4d-%2d-%2d", &y, &m, &d), 3);
			assert_int_equal(y, year);
			doy = tsupport_tday(tsupport_date(y, m, d)) -
			    tsupport_tday(tsupport_date(year, 1, 1));
			ref_kind[year - REF_FIRST][doy] = mode;
			if (mode == 'H') {
				(*nholidays)++;
			} else {
				(*nworkdays)++;
			}
			p += 9;
		}
	}
	fclose(f);
}

/* ref_read_statutory reads the table; returns the number of years. */
static int
ref_read_statutory(void)
{
	char  line[4096], *p, *hash;
	FILE *f;
	int   fixed[32][2], nfixed = 0, nyears = 0, y, m, d, i;

	memset(stat_kind, 0, sizeof(stat_kind));
	memset(stat_year, 0, sizeof(stat_year));
	f = fopen(tsupport_srcpath(STATUTORY), "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((hash = strchr(line, '#')) != NULL) {
			*hash = '\0';
		}
		if (strncmp(line, "fixed:", 6) == 0) {
			for (p = line; (p = strchr(p, '-')) != NULL; p++) {
				assert_true(nfixed < 32);
				assert_int_equal(
				    sscanf(p - 2, "%2d-%2d", &m, &d), 2);
				fixed[nfixed][0] = m;
				fixed[nfixed][1] = d;
				nfixed++;
			}
		} else if (sscanf(line, "  %4d:", &y) == 1 &&
		    strncmp(line, "  ", 2) == 0 && line[2] != ' ') {
			assert_true(
			    y >= STAT_FIRST && y < STAT_FIRST + STAT_YEARS);
			stat_year[y - STAT_FIRST] = true;
			nyears++;
			for (i = 0; i < nfixed; i++) {
				stat_kind[y - STAT_FIRST]
				         [tsupport_tday(tsupport_date(
				              y, fixed[i][0], fixed[i][1])) -
				             tsupport_tday(tsupport_date(
				                 y, 1, 1))] = 'H';
			}
		}
		for (p = line; *p != '\0'; p++) {
			if (!is_date_at(p)) {
				continue;
			}
			assert_int_equal(
			    sscanf(p, "%4d-%2d-%2d", &y, &m, &d), 3);
			stat_kind[y -
			    STAT_FIRST][tsupport_tday(tsupport_date(y, m, d)) -
			    tsupport_tday(tsupport_date(y, 1, 1))] = 'H';
			p += 9;
		}
	}
	fclose(f);
	assert_int_equal(nfixed, 6);
	return (nyears);
}

static bool
ref_rest(long z, int *prov)
{
	struct civil_date d = tsupport_tdate(z);
	int               wd;
	char              k;

	if (d.y >= REF_FIRST && d.y < REF_FIRST + REF_YEARS) {
		k = ref_kind[d.y - REF_FIRST]
		            [z - tsupport_tday(tsupport_date(d.y, 1, 1))];
		if (k == 'H') {
			return (true);
		}
		if (k == 'W') {
			return (false);
		}
	} else {
		*prov = 1;
		if (d.y >= STAT_FIRST && d.y < STAT_FIRST + STAT_YEARS &&
		    stat_year[d.y - STAT_FIRST] &&
		    stat_kind[d.y - STAT_FIRST][z -
		        tsupport_tday(tsupport_date(d.y, 1, 1))] == 'H') {
			return (true);
		}
	}
	wd = tsupport_twday(z);
	return (wd == 0 || wd == 6);
}

static struct civil_date
ref_due(struct civil_date start, int n, enum calendar_unit unit, int *prov)
{
	long z = tsupport_tday(start);
	int  k = 0;

	*prov = 0;
	if (unit == CAL_CALENDAR_DAYS) {
		z += n;
		while (ref_rest(z, prov)) {
			z++;
		}
	} else {
		while (k < n) {
			z++;
			if (!ref_rest(z, prov)) {
				k++;
			}
		}
	}
	return (tsupport_tdate(z));
}

static void
test_calendar_brute_force_matches_reference(void **state)
{
	static const int  ns[] = { 3, 5, 10, 15, 30, 45, 60 };
	struct calendar  *c    = tsupport_calendar_official();
	struct civil_date got, want;
	long              z;
	size_t            i;
	int               u, gp, wp, nh, nw, checked = 0, bad = 0;
	char              s[16], g[16], w[16];

	(void) state;
	memset(ref_kind, 0, sizeof(ref_kind));
	/* The notices: 28, 28, 33 days off; 8, 5, 6 make-up days. */
	ref_read(2024, &nh, &nw);
	assert_int_equal(nh, 28);
	assert_int_equal(nw, 8);
	ref_read(2025, &nh, &nw);
	assert_int_equal(nh, 28);
	assert_int_equal(nw, 5);
	ref_read(2026, &nh, &nw);
	assert_int_equal(nh, 33);
	assert_int_equal(nw, 6);
	/* The table: 2025..2050. */
	assert_int_equal(ref_read_statutory(), 26);

	/* Starts through 2031: five years counted provisionally. */
	for (z = tsupport_tday(tsupport_date(2024, 1, 1));
	     z <= tsupport_tday(tsupport_date(2031, 12, 31)); z++) {
		for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
			for (u = CAL_CALENDAR_DAYS; u <= CAL_WORKING_DAYS;
			     u++) {
				want = ref_due(tsupport_tdate(z), ns[i],
				    (enum calendar_unit) u, &wp);
				assert_int_equal(
				    calendar_add_days(c, tsupport_tdate(z),
				        ns[i], (enum calendar_unit) u, &got,
				        &gp),
				    WAGE_OK);
				checked++;
				if (civil_date_cmp(&got, &want) == 0 &&
				    gp == wp) {
					continue;
				}
				if (bad++ < 10) {
					struct civil_date sd =
					    tsupport_tdate(z);

					civil_date_format(&sd, s, sizeof(s));
					civil_date_format(&got, g, sizeof(g));
					civil_date_format(&want, w, sizeof(w));
					print_error("%s + %d %s: got %s (%d), "
					            "want %s (%d)\n",
					    s, ns[i],
					    calendar_unit_name(
					        (enum calendar_unit) u),
					    g, gp, w, wp);
				}
			}
		}
	}
	assert_int_equal(checked, (3 * 365 + 1 + 5 * 365 + 1) * 7 * 2);
	assert_int_equal(bad, 0);
	calendar_free(c);
}

static void
test_calendar_invalid_arguments(void **state)
{
	struct calendar  *c = tsupport_calendar_official();
	struct civil_date d;
	int               prov;

	(void) state;
	assert_int_equal(calendar_add_days(c, tsupport_date(2024, 2, 5), 0,
	                     CAL_CALENDAR_DAYS, &d, &prov),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(d.y, 0);
	assert_int_equal(calendar_add_days(c, tsupport_date(2024, 2, 5), -1,
	                     CAL_WORKING_DAYS, &d, &prov),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(
	    calendar_add_days(c, tsupport_date(2024, 2, 5),
	        CALENDAR_MAX_DAYS + 1, CAL_CALENDAR_DAYS, &d, &prov),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(calendar_add_days(c, tsupport_date(2024, 2, 5),
	                     CALENDAR_MAX_DAYS, CAL_WORKING_DAYS, &d, &prov),
	    WAGE_OK);
	assert_int_equal(prov, 1);
	assert_int_equal(calendar_add_days(c, tsupport_date(2024, 2, 5), 5,
	                     (enum calendar_unit) 7, &d, &prov),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(calendar_add_days(c, tsupport_date(2024, 2, 30), 5,
	                     CAL_CALENDAR_DAYS, &d, &prov),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(calendar_add_days(c, tsupport_date(1899, 12, 31), 5,
	                     CAL_CALENDAR_DAYS, &d, &prov),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(calendar_add_days(c, tsupport_date(2024, 2, 5), 5,
	                     CAL_CALENDAR_DAYS, NULL, &prov),
	    WAGE_E_INVALID_ARGUMENT);
	/* Past 9999-12-31. */
	assert_int_equal(calendar_add_days(c, tsupport_date(9999, 12, 30), 5,
	                     CAL_CALENDAR_DAYS, &d, &prov),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(d.y, 0);
	/* Fri 9999-12-31 is the last day there is. */
	assert_int_equal(calendar_add_days(c, tsupport_date(9999, 12, 30), 2,
	                     CAL_WORKING_DAYS, &d, &prov),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(calendar_add_days(c, tsupport_date(9999, 12, 30), 1,
	                     CAL_WORKING_DAYS, &d, &prov),
	    WAGE_OK);
	tsupport_assert_date(d, tsupport_date(9999, 12, 31));
	assert_int_equal(calendar_add_days(c, tsupport_date(9999, 12, 24), 7,
	                     CAL_CALENDAR_DAYS, &d, &prov),
	    WAGE_OK);
	tsupport_assert_date(d, tsupport_date(9999, 12, 31));
	/* Earliest start. */
	assert_int_equal(calendar_add_days(c, tsupport_date(1900, 1, 1), 1,
	                     CAL_CALENDAR_DAYS, &d, NULL),
	    WAGE_OK);
	tsupport_assert_date(d, tsupport_date(1900, 1, 2));
	calendar_free(c);
}

static void
test_calendar_date_helpers(void **state)
{
	struct civil_date d;

	(void) state;
	assert_int_equal(calendar_days_between(tsupport_date(2024, 1, 1),
	                     tsupport_date(2024, 12, 31)),
	    365);
	assert_int_equal(calendar_days_between(tsupport_date(2024, 12, 31),
	                     tsupport_date(2024, 1, 1)),
	    -365);
	assert_int_equal(calendar_days_between(tsupport_date(2024, 8, 20),
	                     tsupport_date(2024, 10, 8)),
	    49);
	assert_int_equal(calendar_days_between(tsupport_date(1900, 1, 1),
	                     tsupport_date(9999, 12, 31)),
	    (int) (tsupport_tday(tsupport_date(9999, 12, 31)) -
	        tsupport_tday(tsupport_date(1900, 1, 1))));
	assert_int_equal(calendar_days_between(tsupport_date(2025, 3, 1),
	                     tsupport_date(2025, 3, 1)),
	    0);
	assert_int_equal(calendar_weekday(tsupport_date(2024, 2, 5)), 1);
	assert_int_equal(calendar_weekday(tsupport_date(2024, 2, 18)), 7);
	assert_int_equal(calendar_weekday(tsupport_date(1900, 1, 1)), 1);
	assert_int_equal(calendar_weekday(tsupport_date(2000, 1, 1)), 6);
	assert_int_equal(calendar_weekday(tsupport_date(1969, 12, 31)), 3);
	assert_int_equal(
	    calendar_date_plus(tsupport_date(2024, 2, 28), 2, &d), WAGE_OK);
	tsupport_assert_date(d, tsupport_date(2024, 3, 1));
	assert_int_equal(
	    calendar_date_plus(tsupport_date(2024, 3, 1), -1, &d), WAGE_OK);
	tsupport_assert_date(d, tsupport_date(2024, 2, 29));
	assert_int_equal(calendar_date_plus(tsupport_date(1900, 1, 1), -1, &d),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(
	    calendar_date_plus(tsupport_date(9999, 12, 31), 1, &d),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(calendar_date_plus(tsupport_date(2023, 2, 29), 1, &d),
	    WAGE_E_INVALID_ARGUMENT);
	/* Every day 1900..2100 against timegm. */
	for (long z = tsupport_tday(tsupport_date(1900, 1, 1));
	     z <= tsupport_tday(tsupport_date(2100, 12, 31)); z++) {
		struct civil_date t = tsupport_tdate(z);

		if (calendar_days_between(tsupport_date(1970, 1, 1), t) != z ||
		    calendar_weekday(t) !=
		        (tsupport_twday(z) == 0 ? 7 : tsupport_twday(z))) {
			fail_msg("day %ld", z);
		}
	}
	assert_int_equal(
	    calendar_unit_from_name("calendar_days"), CAL_CALENDAR_DAYS);
	assert_int_equal(
	    calendar_unit_from_name("working_days"), CAL_WORKING_DAYS);
	assert_int_equal(calendar_unit_from_name("days"), -1);
	assert_int_equal(calendar_unit_from_name(NULL), -1);
	assert_string_equal(
	    calendar_unit_name(CAL_WORKING_DAYS), "working_days");
	assert_string_equal(
	    calendar_unit_name(CAL_CALENDAR_DAYS), "calendar_days");
}

static void
test_calendar_loaded_years_and_hash(void **state)
{
	static const char *const files[] = { "cn-2024.yaml", "cn-2025.yaml",
		"cn-2026.yaml" };
	struct calendar         *c       = tsupport_calendar_official(), *one;
	mbedtls_sha256_context   sha;
	unsigned char            digest[32];
	char                     hex[65], rel[64], *buf;
	size_t                   i, len;
	int                      years[8], nerr;

	(void) state;
	assert_int_equal(calendar_years(c, years, 8), 3);
	assert_int_equal(years[0], 2024);
	assert_int_equal(years[1], 2025);
	assert_int_equal(years[2], 2026);
	assert_int_equal(calendar_years(c, NULL, 0), 3);
	assert_true(calendar_year_loaded(c, 2025));
	assert_false(calendar_year_loaded(c, 2023));
	assert_false(calendar_year_loaded(NULL, 2024));

	/* The hash is SHA-256 over the files' bytes in year order, then
	 * the table of statutory holidays. */
	mbedtls_sha256_init(&sha);
	assert_int_equal(mbedtls_sha256_starts_ret(&sha, 0), 0);
	for (i = 0; i < 3; i++) {
		snprintf(rel, sizeof(rel), CAL_DIR "/%s", files[i]);
		buf = tsupport_slurp(tsupport_srcpath(rel), &len);
		assert_int_equal(mbedtls_sha256_update_ret(
		                     &sha, (unsigned char *) buf, len),
		    0);
		if (i == 0) {
			assert_int_equal(calendar_load_buffer(rel, buf, len,
			                     &one, stderr, &nerr),
			    WAGE_OK);
			assert_int_equal(calendar_years(one, years, 8), 1);
			assert_int_equal(years[0], 2024);
			/* One file: the hash of its bytes. */
			assert_int_equal(
			    mbedtls_sha256_ret(
			        (unsigned char *) buf, len, digest, 0),
			    0);
			for (size_t j = 0; j < 32; j++) {
				snprintf(hex + 2 * j, 3, "%02x", digest[j]);
			}
			assert_string_equal(calendar_hash(one), hex);
			/* Only 2024: 2025 is provisional. */
			assert_false(calendar_year_loaded(one, 2025));
			calendar_free(one);
		}
		free(buf);
	}
	buf = tsupport_slurp(tsupport_srcpath(STATUTORY), &len);
	assert_int_equal(
	    mbedtls_sha256_update_ret(&sha, (unsigned char *) buf, len), 0);
	free(buf);
	assert_int_equal(mbedtls_sha256_finish_ret(&sha, digest), 0);
	mbedtls_sha256_free(&sha);
	for (i = 0; i < 32; i++) {
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	}
	assert_string_equal(calendar_hash(c), hex);
	assert_string_equal(calendar_hash(NULL),
	    "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	calendar_free(c);
	calendar_free(NULL);
}

static void
test_calendar_empty_and_missing_dir(void **state)
{
	char             dir[] = "/tmp/test_calendar.XXXXXX";
	char             pstat[256], *table, hex[65];
	unsigned char    digest[32];
	struct calendar *c;
	char            *diag = NULL;
	size_t           len, i;
	int              nerr, first = 0, last = 0;

	(void) state;
	assert_non_null(mkdtemp(dir));
	/* No table: refused, or 01-01 of a year with no schedule would
	 * silently be a working day. */
	assert_int_equal(tsupport_calendar_dir_diag(dir, &c, &diag, &nerr),
	    WAGE_E_INVALID_ARGUMENT);
	assert_null(c);
	assert_int_equal(nerr, 1);
	snprintf(pstat, sizeof(pstat), "%s/" CALENDAR_STATUTORY_FILE, dir);
	assert_true(tsupport_has_line(diag, pstat, 1, "missing"));
	free(diag);
	diag = NULL;

	/* Only the table: no years loaded, every day provisional, and the
	 * hash is the table's. */
	table = tsupport_slurp(tsupport_srcpath(STATUTORY), &len);
	tsupport_spit(pstat, table);
	assert_int_equal(calendar_load_dir(dir, &c, stderr, &nerr), WAGE_OK);
	assert_int_equal(nerr, 0);
	assert_int_equal(calendar_years(c, NULL, 0), 0);
	assert_int_equal(calendar_statutory_years(c, &first, &last), 26);
	assert_int_equal(first, 2025);
	assert_int_equal(last, 2050);
	assert_int_equal(
	    mbedtls_sha256_ret((unsigned char *) table, len, digest, 0), 0);
	for (i = 0; i < 32; i++) {
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	}
	assert_string_equal(calendar_hash(c), hex);
	/* 2025 is in the table: its schedule is not loaded, so Tue
	 * 2025-01-28 (Spring Festival eve) rests, provisionally. */
	assert_int_equal(
	    calendar_is_workday(c, tsupport_date(2025, 1, 28), &nerr), 0);
	assert_int_equal(nerr, 1);
	calendar_free(c);
	assert_int_equal(calendar_statutory_years(NULL, &first, &last), 0);
	assert_int_equal(unlink(pstat), 0);
	assert_int_equal(rmdir(dir), 0);
	free(table);

	assert_int_equal(
	    tsupport_calendar_dir_diag(
	        tsupport_srcpath(BAD_DIR "/no-such-dir"), &c, &diag, &nerr),
	    WAGE_E_INVALID_ARGUMENT);
	assert_null(c);
	assert_int_equal(nerr, 1);
	assert_non_null(strstr(diag, "cannot open"));
	free(diag);
}

/*
 * Broken schedules: each refused, with the line of the problem.
 */
struct bad {
	const char *file;
	int         line;
	const char *what;
};

static const struct bad bads[] = {
	{ "bad-unknown-key.yaml", 5, "unknown key 'notes'" },
	{ "bad-outside-year.yaml", 4, "2025-01-01 is not in 2024" },
	{ "bad-both-lists.yaml", 7,
	    "2024-02-18 is in both 'holidays' and "
	    "'workdays' (line 4)" },
	{ "bad-workday-weekday.yaml", 3, "2024-02-05 is a Monday" },
	{ "bad-holiday-twice.yaml", 5,
	    "2024-10-01 is listed twice in "
	    "'holidays' (first at line 3)" },
	{ "bad-date.yaml", 2, "must be dates YYYY-MM-DD" },
	{ "bad-year-text.yaml", 1, "'year' must be a year" },
	{ "bad-missing-workdays.yaml", 2, "no 'workdays'" },
	{ "bad-empty-holidays.yaml", 2, "'holidays' is empty" },
	{ "bad-not-list.yaml", 2, "'holidays' must be a list" },
	{ "bad-alias.yaml", 2, "anchors and aliases are not allowed" },
	{ "bad-tag.yaml", 1, "YAML tags are not allowed" },
	{ "bad-duplicate-key.yaml", 3,
	    "duplicate key 'year' (first at "
	    "line 1)" },
	{ "bad-syntax.yaml", 3, "YAML syntax error" },
	{ "bad-two-documents.yaml", 4, "only one YAML document" },
	{ "bad-empty.yaml", 1, "the file is empty" },
	{ "bad-not-mapping.yaml", 1, "expected a mapping" },
};

static void
test_calendar_bad_fixtures_rejected(void **state)
{
	struct calendar *c;
	char             rel[256], *buf, *diag;
	size_t           i, len;
	int              nerr;

	(void) state;
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		snprintf(rel, sizeof(rel), BAD_DIR "/%s", bads[i].file);
		buf  = tsupport_slurp(tsupport_srcpath(rel), &len);
		diag = NULL;
		c    = (struct calendar *) 1;
		assert_int_equal(tsupport_calendar_buf_diag(
		                     rel, buf, len, &c, &diag, &nerr),
		    WAGE_E_INVALID_ARGUMENT);
		assert_null(c);
		if (nerr != 1 || tsupport_count_lines(diag) != 1 ||
		    !tsupport_has_line(
		        diag, rel, bads[i].line, bads[i].what)) {
			fail_msg("%s: want line %d '%s', got %d error(s):\n%s",
			    bads[i].file, bads[i].line, bads[i].what, nerr,
			    diag);
		}
		free(diag);
		free(buf);
	}
}

static void
test_calendar_all_errors_reported_in_line_order(void **state)
{
	struct calendar *c;
	const char      *rel = BAD_DIR "/bad-many.yaml";
	char            *buf, *diag = NULL, *l2, *l3, *l4;
	size_t           len;
	int              nerr;

	(void) state;
	buf = tsupport_slurp(tsupport_srcpath(rel), &len);
	assert_int_equal(
	    tsupport_calendar_buf_diag(rel, buf, len, &c, &diag, &nerr),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(nerr, 3);
	assert_int_equal(tsupport_count_lines(diag), 3);
	assert_true(tsupport_has_line(diag, rel, 2, "unknown key 'colour'"));
	assert_true(
	    tsupport_has_line(diag, rel, 3, "2023-12-31 is not in 2024"));
	assert_true(
	    tsupport_has_line(diag, rel, 4, "2024-02-06 is a Tuesday"));
	l2 = strstr(diag, ":2: ");
	l3 = strstr(diag, ":3: ");
	l4 = strstr(diag, ":4: ");
	assert_true(
	    l2 != NULL && l3 != NULL && l4 != NULL && l2 < l3 && l3 < l4);
	free(diag);
	free(buf);
}

static void
test_calendar_file_name_year_must_match(void **state)
{
	struct calendar *c;
	const char      *dir = tsupport_srcpath(BAD_DIR "/year-mismatch");
	char             file[4200], *diag = NULL, *buf;
	size_t           len;
	int              nerr;

	(void) state;
	snprintf(file, sizeof(file), "%s/cn-2025.yaml", dir);
	assert_int_equal(tsupport_calendar_dir_diag(dir, &c, &diag, &nerr),
	    WAGE_E_INVALID_ARGUMENT);
	assert_null(c);
	assert_int_equal(nerr, 1);
	assert_true(tsupport_has_line(diag, file, 2,
	    "year 2024 does not match the "
	    "file name"));
	free(diag);

	/* The same through calendar_load_buffer, by the name given. */
	buf  = tsupport_slurp(file, &len);
	diag = NULL;
	assert_int_equal(tsupport_calendar_buf_diag(
	                     "x/cn-2025.yaml", buf, len, &c, &diag, &nerr),
	    WAGE_E_INVALID_ARGUMENT);
	assert_true(
	    tsupport_has_line(diag, "x/cn-2025.yaml", 2, "does not match"));
	free(diag);
	/* A name not of that form is not checked. */
	diag = NULL;
	assert_int_equal(
	    tsupport_calendar_buf_diag("fixture", buf, len, &c, &diag, &nerr),
	    WAGE_OK);
	assert_true(calendar_year_loaded(c, 2024));
	calendar_free(c);
	free(diag);
	free(buf);
}

static void
test_calendar_misnamed_file_rejected(void **state)
{
	struct calendar *c;
	const char      *dir = tsupport_srcpath(BAD_DIR "/misnamed");
	char             file[4200], *diag = NULL;
	int              nerr;

	(void) state;
	snprintf(file, sizeof(file), "%s/cn2025.yaml", dir);
	assert_int_equal(tsupport_calendar_dir_diag(dir, &c, &diag, &nerr),
	    WAGE_E_INVALID_ARGUMENT);
	assert_null(c);
	assert_int_equal(nerr, 1); /* README is ignored */
	assert_true(
	    tsupport_has_line(diag, file, 1, "must be named cn-YYYY.yaml"));
	free(diag);
}

/*
 * The table against the official schedules of the years both cover: every
 * day the law fixes (read from the table as text) is one of the
 * schedule's holidays.
 */
static void
test_calendar_statutory_agrees_with_schedules(void **state)
{
	struct calendar *c = tsupport_calendar_official();
	char             s[16];
	long             z;
	int              y, n = 0;

	(void) state;
	assert_int_equal(ref_read_statutory(), 26);
	for (y = 2025; y <= 2026; y++) {
		assert_true(stat_year[y - STAT_FIRST]);
		for (z = tsupport_tday(tsupport_date(y, 1, 1));
		     z <= tsupport_tday(tsupport_date(y, 12, 31)); z++) {
			struct civil_date d = tsupport_tdate(z);

			if (stat_kind[y - STAT_FIRST][z -
			        tsupport_tday(tsupport_date(y, 1, 1))] !=
			    'H') {
				continue;
			}
			n++;
			if (calendar_is_workday(c, d, NULL) != 0) {
				civil_date_format(&d, s, sizeof(s));
				fail_msg("%s: a statutory holiday the "
				         "schedule has not",
				    s);
			}
		}
	}
	/* 6 fixed + 4 Spring Festival + 3 lunar or solar-term days a year;
	 * none fell together in 2025 or 2026. */
	assert_int_equal(n, 2 * 13);
	calendar_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar_worked_examples),
		cmocka_unit_test(test_calendar_is_workday),
		cmocka_unit_test(test_calendar_holiday_blocks_roll_forward),
		cmocka_unit_test(
		    test_calendar_working_days_count_makeup_weekends),
		cmocka_unit_test(test_calendar_year_end_into_loaded_year),
		cmocka_unit_test(test_calendar_year_end_into_unloaded_year),
		cmocka_unit_test(test_calendar_leap_day),
		cmocka_unit_test(test_calendar_unloaded_year_is_provisional),
		cmocka_unit_test(
		    test_calendar_corrected_calendar_changes_result),
		cmocka_unit_test(test_calendar_brute_force_matches_reference),
		cmocka_unit_test(test_calendar_invalid_arguments),
		cmocka_unit_test(test_calendar_date_helpers),
		cmocka_unit_test(test_calendar_loaded_years_and_hash),
		cmocka_unit_test(test_calendar_empty_and_missing_dir),
		cmocka_unit_test(test_calendar_bad_fixtures_rejected),
		cmocka_unit_test(
		    test_calendar_all_errors_reported_in_line_order),
		cmocka_unit_test(test_calendar_file_name_year_must_match),
		cmocka_unit_test(test_calendar_misnamed_file_rejected),
		cmocka_unit_test(
		    test_calendar_statutory_agrees_with_schedules),
	};

	return (cmocka_run_group_tests_name("calendar", tests, NULL, NULL));
}
