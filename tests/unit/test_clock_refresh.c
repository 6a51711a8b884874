/* SPDX-License-Identifier: MIT */
/*
 * test_clock_refresh.c - a case's clock ledger (server/clock.c) as the
 * calendar moves, with the official holiday calendars (policies/calendar)
 * and the shipped policy (policies/wage-dispute.yaml): the recomputation
 * when the calendar changes or a year's schedule arrives (clock_refresh),
 * due dates in years with no schedule (weekends and the statutory holidays
 * of policies/calendar/statutory-holidays.yaml, provisional),
 * clock_expired and clock_view. The ledger itself (worked examples,
 * suspensions, restart, extension, refused actions) is test_clock.c.
 *
 * Expected dates are written by hand from the State Council notices (the
 * 2024 schedule is quoted in DOMAIN.md); the weekday of each is noted.
 * Run from the repository root, or set WAGE_SRCDIR to it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mkdtemp */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "calendar.h"
#include "clock.h"
#include "policy.h"
#include "validate.h"
#include "wage/protocol.h"

#include "support_calendar.h"
#include "support_caserules.h"
#include "support_clock.h"
#include "support_file.h"

/* The group of support_clock.h: the shipped policy and calendars. */
#define G tsupport_clock_g
#define D tsupport_date

#define CAL_DIR "policies/calendar"

static void
assert_json_date(const json_t *v, struct civil_date want)
{
	char b[16];

	civil_date_format(&want, b, sizeof(b));
	assert_true(json_is_string(v));
	assert_string_equal(json_string_value(v), b);
}

/* text with the first "from" replaced by "to" (it must be there). */
static char *
replaced(const char *text, const char *from, const char *to)
{
	const char *p = strstr(text, from);
	char       *r;

	assert_non_null(p);
	r = malloc(strlen(text) + strlen(to) + 1);
	assert_non_null(r);
	memcpy(r, text, (size_t) (p - text));
	strcpy(r + (p - text), to);
	strcat(r, p + strlen(from));
	return (r);
}

static struct calendar *
load(const char *dir)
{
	struct calendar *c    = NULL;
	int              nerr = -1;

	assert_int_equal(calendar_load_dir(dir, &c, stderr, &nerr), WAGE_OK);
	assert_int_equal(nerr, 0);
	return (c);
}

/* copy_table copies the table of statutory holidays into dir. */
static void
copy_table(const char *dir, char path[256])
{
	char *text;

	text = tsupport_slurp(
	    tsupport_srcpath(CAL_DIR "/" CALENDAR_STATUTORY_FILE), NULL);
	snprintf(path, 256, "%s/" CALENDAR_STATUTORY_FILE, dir);
	tsupport_spit(path, text);
	free(text);
}

/* copy_official copies the official schedules and the table into dir. */
static void
copy_official(const char *dir, char paths[4][256])
{
	char *text;
	char  rel[64];
	int   i;

	for (i = 0; i < 3; i++) {
		snprintf(rel, sizeof(rel), CAL_DIR "/cn-%d.yaml", 2024 + i);
		text = tsupport_slurp(tsupport_srcpath(rel), NULL);
		snprintf(paths[i], 256, "%s/cn-%d.yaml", dir, 2024 + i);
		tsupport_spit(paths[i], text);
		free(text);
	}
	copy_table(dir, paths[3]);
}

static void
remove_official(char paths[4][256])
{
	int i;

	for (i = 0; i < 4; i++) {
		assert_int_equal(unlink(paths[i]), 0);
	}
}

static const json_t *
change_of(const json_t *changes, const char *clock)
{
	const json_t *c;
	size_t        i;

	json_array_foreach (changes, i, c) {
		if (strcmp(tsupport_js(c, "clock"), clock) == 0) {
			return (c);
		}
	}
	return (NULL);
}

static void
test_clock_refresh_on_calendar_change(void **state)
{
	char              dir[] = "/tmp/test_clock.XXXXXX";
	char              path[3][256], table[256];
	char             *text[3], *moved;
	const char       *years[3] = { "2024", "2025", "2026" };
	struct calendar  *cal;
	struct civil_date today = D(2024, 8, 20);
	json_t           *l, *changes;
	const json_t     *c;
	int               i;

	(void) state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 3; i++) {
		char rel[64];

		snprintf(rel, sizeof(rel), CAL_DIR "/cn-%s.yaml", years[i]);
		text[i] = tsupport_slurp(tsupport_srcpath(rel), NULL);
		snprintf(
		    path[i], sizeof(path[i]), "%s/cn-%s.yaml", dir, years[i]);
		tsupport_spit(path[i], text[i]);
	}
	copy_table(dir, table);
	l = json_object();
	json_object_set_new(l, "award", tsupport_clock_entry(D(2024, 8, 20)));
	json_object_set_new(
	    l, "inspection_accept", tsupport_clock_entry(D(2024, 9, 26)));
	json_object_set_new(
	    l, "acceptance", tsupport_clock_entry(D(2024, 2, 5)));
	json_object_set_new(
	    l, "not_a_clock", tsupport_clock_entry(D(2024, 2, 5)));

	/* First computation: due dates stored, nothing "changed". */
	changes = json_array();
	assert_int_equal(clock_refresh(l, G.p, G.cal, today, changes), 0);
	assert_int_equal(json_array_size(changes), 0);
	assert_string_equal(
	    tsupport_js(json_object_get(l, "award"), "due"), "2024-10-08");
	assert_true(json_is_false(
	    json_object_get(json_object_get(l, "award"), "provisional")));
	assert_string_equal(
	    tsupport_js(json_object_get(l, "inspection_accept"), "due"),
	    "2024-10-09");
	assert_string_equal(
	    tsupport_js(json_object_get(l, "acceptance"), "due"),
	    "2024-02-18");
	/* A clock the policy does not know is left alone. */
	assert_null(json_object_get(json_object_get(l, "not_a_clock"), "due"));

	/* The same calendar from the copy: no change. */
	cal = load(dir);
	assert_int_equal(clock_refresh(l, G.p, cal, today, changes), 0);
	assert_int_equal(json_array_size(changes), 0);
	calendar_free(cal);

	/* 10-04 moved to Tue 10-08: the award falls on Fri 10-04, now a
	 * working day. The 5 working days from 09-26 gain 10-04 and lose
	 * 10-08: still 10-09. 02-18 is untouched. */
	moved = replaced(text[0], "2024-10-04, ", "");
	free(text[0]);
	text[0] = replaced(moved, "2024-10-07]", "2024-10-07, 2024-10-08]");
	free(moved);
	tsupport_spit(path[0], text[0]);
	cal = load(dir);
	assert_int_equal(clock_refresh(l, G.p, cal, today, changes), 1);
	assert_int_equal(json_array_size(changes), 1);
	c = change_of(changes, "award");
	assert_non_null(c);
	assert_string_equal(tsupport_js(c, "from"), "2024-10-08");
	assert_string_equal(tsupport_js(c, "to"), "2024-10-04");
	assert_true(json_is_false(json_object_get(c, "provisional")));
	assert_string_equal(
	    tsupport_js(json_object_get(l, "award"), "due"), "2024-10-04");
	assert_string_equal(
	    tsupport_js(json_object_get(l, "inspection_accept"), "due"),
	    "2024-10-09");
	calendar_free(cal);

	/* Back to the official schedule: changed back. */
	json_array_clear(changes);
	assert_int_equal(clock_refresh(l, G.p, G.cal, today, changes), 1);
	c = change_of(changes, "award");
	assert_non_null(c);
	assert_string_equal(tsupport_js(c, "from"), "2024-10-04");
	assert_string_equal(tsupport_js(c, "to"), "2024-10-08");
	/* changes may be NULL. */
	assert_int_equal(clock_refresh(l, G.p, G.cal, today, NULL), 0);

	json_decref(changes);
	json_decref(l);
	for (i = 0; i < 3; i++) {
		assert_int_equal(unlink(path[i]), 0);
		free(text[i]);
	}
	assert_int_equal(unlink(table), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void
test_clock_refresh_provisional_year(void **state)
{
	char              dir[] = "/tmp/test_clock.XXXXXX";
	char              p2027[256], paths[4][256];
	struct calendar  *cal;
	struct civil_date today = D(2026, 12, 28);
	json_t           *l, *changes, *e;
	const json_t     *c;
	int               prov;

	(void) state;
	l = json_object();
	/* Mon 2027-03-01 + 5 = Sat 03-06: weekends only, Mon 03-08. */
	json_object_set_new(
	    l, "acceptance", tsupport_clock_entry(D(2027, 3, 1)));
	/* 5 working days from Mon 2026-12-28: 12-29, 12-30, 12-31, then
	 * 2027 by weekends and the law (Fri 01-01 is New Year's Day): Mon
	 * 01-04 and Tue 01-05. */
	json_object_set_new(
	    l, "inspection_accept", tsupport_clock_entry(D(2026, 12, 28)));
	/* Entirely in 2026: never provisional. */
	json_object_set_new(l, "award", tsupport_clock_entry(D(2026, 8, 20)));
	changes = json_array();
	assert_int_equal(clock_refresh(l, G.p, G.cal, today, changes), 0);
	e = json_object_get(l, "acceptance");
	assert_string_equal(tsupport_js(e, "due"), "2027-03-08");
	assert_true(json_is_true(json_object_get(e, "provisional")));
	e = json_object_get(l, "inspection_accept");
	assert_string_equal(tsupport_js(e, "due"), "2027-01-05");
	assert_true(json_is_true(json_object_get(e, "provisional")));
	tsupport_assert_date(
	    tsupport_clock_due(tsupport_clock_rule("inspection_accept"), e,
	        G.cal, today, &prov),
	    D(2027, 1, 5));
	assert_int_equal(prov, 1);
	/* Thu 2026-08-20 + 45 = Sun 10-04 in the National Day break
	 * (10-01..10-07), so Thu 10-08. */
	e = json_object_get(l, "award");
	assert_string_equal(tsupport_js(e, "due"), "2026-10-08");
	assert_true(json_is_false(json_object_get(e, "provisional")));

	/* The 2027 schedule arrives (made up, test only: 01-01..01-04 off,
	 * Sat 03-06 a make-up working day) beside the official ones.
	 * Recomputed, visibly. */
	assert_non_null(mkdtemp(dir));
	copy_official(dir, paths);
	snprintf(p2027, sizeof(p2027), "%s/cn-2027.yaml", dir);
	tsupport_spit(p2027,
	    "# Made up for this test only.\n"
	    "year: 2027\n"
	    "holidays: [2027-01-01, 2027-01-02, 2027-01-03, "
	    "2027-01-04]\n"
	    "workdays: [2027-03-06]\n");
	cal = load(dir);
	assert_int_equal(clock_refresh(l, G.p, cal, today, changes), 2);
	c = change_of(changes, "acceptance");
	assert_non_null(c);
	assert_string_equal(tsupport_js(c, "from"), "2027-03-08");
	assert_string_equal(tsupport_js(c, "to"), "2027-03-06");
	assert_true(json_is_false(json_object_get(c, "provisional")));
	c = change_of(changes, "inspection_accept");
	assert_non_null(c);
	assert_string_equal(tsupport_js(c, "from"), "2027-01-05");
	/* 12-29, 12-30, 12-31, then Tue 01-05 and Wed 01-06. */
	assert_string_equal(tsupport_js(c, "to"), "2027-01-06");
	assert_true(json_is_false(json_object_get(c, "provisional")));
	assert_true(json_is_false(json_object_get(
	    json_object_get(l, "inspection_accept"), "provisional")));
	calendar_free(cal);
	assert_int_equal(unlink(p2027), 0);
	remove_official(paths);
	assert_int_equal(rmdir(dir), 0);
	json_decref(changes);
	json_decref(l);
}

static void
test_clock_expired(void **state)
{
	struct wage_error err;
	json_t           *l = tsupport_clock_ledger("award", D(2024, 8, 20));
	size_t            award = tsupport_clock_idx("award");

	(void) state;
	/* Due 10-08: not run out on 10-08, run out from 10-09. */
	assert_false(clock_expired(l, G.p, award, G.cal, D(2024, 8, 21)));
	assert_false(clock_expired(l, G.p, award, G.cal, D(2024, 10, 4)));
	assert_false(clock_expired(l, G.p, award, G.cal, D(2024, 10, 8)));
	assert_true(clock_expired(l, G.p, award, G.cal, D(2024, 10, 9)));
	assert_true(clock_expired(l, G.p, award, G.cal, D(2025, 1, 1)));
	/* Without the calendar, 10-04 would count: the holiday matters. */
	assert_true(clock_expired(l, G.p, award, NULL, D(2024, 10, 5)));
	assert_false(clock_expired(l, G.p, award, G.cal, D(2024, 10, 5)));
	/* A clock never started has not run out. */
	assert_false(clock_expired(
	    l, G.p, tsupport_clock_idx("mediation"), G.cal, D(2025, 1, 1)));
	/* Suspended since 10-01: the open suspension holds the due date
	 * back day by day. */
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_SUSPEND, D(2024, 10, 1), 0, &err),
	    WAGE_OK);
	assert_false(clock_expired(l, G.p, award, G.cal, D(2024, 10, 9)));
	assert_false(clock_expired(l, G.p, award, G.cal, D(2024, 12, 1)));
	/* A stopped clock never runs out. */
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_STOP, D(2024, 10, 2), 0, &err),
	    WAGE_OK);
	assert_false(clock_expired(l, G.p, award, G.cal, D(2025, 6, 1)));
	json_decref(l);
}

static const json_t *
view_of(const json_t *view, const char *clock)
{
	const json_t *v;
	size_t        i;

	json_array_foreach (view, i, v) {
		if (strcmp(tsupport_js(v, "clock"), clock) == 0) {
			return (v);
		}
	}
	return (NULL);
}

static void
test_clock_view(void **state)
{
	struct wage_error err;
	json_t           *l = json_object(), *view;
	const json_t     *v;

	(void) state;
	json_object_set_new(l, "award", tsupport_clock_entry(D(2024, 8, 20)));
	json_object_set_new(
	    l, "fast_track", tsupport_clock_entry(D(2024, 8, 20)));
	json_object_set_new(
	    l, "acceptance", tsupport_clock_entry(D(2024, 8, 15)));
	json_object_set_new(
	    l, "unknown_clock", tsupport_clock_entry(D(2024, 8, 15)));
	assert_int_equal(tsupport_clock_act(l, "acceptance", CLK_STOP,
	                     D(2024, 8, 20), 0, &err),
	    WAGE_OK);

	/* On 10-01: award due 10-08, 7 days left. */
	view = clock_view(l, G.p, G.cal, D(2024, 10, 1));
	assert_non_null(view);
	assert_int_equal(json_array_size(view), 3); /* unknown left out */
	v = view_of(view, "award");
	assert_non_null(v);
	assert_string_equal(tsupport_js(v, "due"), "2024-10-08");
	assert_int_equal(
	    json_integer_value(json_object_get(v, "days_left")), 7);
	assert_true(json_is_false(json_object_get(v, "overdue")));
	assert_true(json_is_false(json_object_get(v, "provisional")));
	assert_string_equal(tsupport_js(v, "state"), "running");
	assert_string_equal(tsupport_js(v, "start"), "2024-08-20");
	assert_string_equal(tsupport_js(v, "label"), "仲裁审理期限");
	assert_string_equal(tsupport_js(v, "unit"), "calendar_days");
	assert_int_equal(json_integer_value(json_object_get(v, "length")), 45);
	assert_non_null(strstr(tsupport_js(v, "basis"), "第43条"));
	assert_true(json_is_false(json_object_get(v, "target")));
	assert_int_equal(
	    json_integer_value(json_object_get(v, "extended_days")), 0);
	/* fast_track: 08-20 + 30 = Thu 09-19; a policy target. Overdue by
	 * 12 days on 10-01. */
	v = view_of(view, "fast_track");
	assert_non_null(v);
	assert_string_equal(tsupport_js(v, "due"), "2024-09-19");
	assert_int_equal(
	    json_integer_value(json_object_get(v, "days_left")), -12);
	assert_true(json_is_true(json_object_get(v, "overdue")));
	assert_true(json_is_true(json_object_get(v, "target")));
	/* A stopped clock: a due date, but no days left and not overdue. */
	v = view_of(view, "acceptance");
	assert_non_null(v);
	assert_string_equal(tsupport_js(v, "state"), "stopped");
	assert_null(json_object_get(v, "days_left"));
	assert_null(json_object_get(v, "overdue"));
	json_decref(view);

	/* On the due day: 0 left, not overdue; the day after: -1. */
	view = clock_view(l, G.p, G.cal, D(2024, 10, 8));
	v    = view_of(view, "award");
	assert_int_equal(
	    json_integer_value(json_object_get(v, "days_left")), 0);
	assert_true(json_is_false(json_object_get(v, "overdue")));
	json_decref(view);
	view = clock_view(l, G.p, G.cal, D(2024, 10, 9));
	v    = view_of(view, "award");
	assert_int_equal(
	    json_integer_value(json_object_get(v, "days_left")), -1);
	assert_true(json_is_true(json_object_get(v, "overdue")));
	json_decref(view);

	/* Extended by 15 on 10-01: Mon 10-21, 20 left, extended_days 15. */
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_EXTEND, D(2024, 10, 1), 15, &err),
	    WAGE_OK);
	view = clock_view(l, G.p, G.cal, D(2024, 10, 1));
	v    = view_of(view, "award");
	assert_string_equal(tsupport_js(v, "due"), "2024-10-21");
	assert_int_equal(
	    json_integer_value(json_object_get(v, "days_left")), 20);
	assert_int_equal(
	    json_integer_value(json_object_get(v, "extended_days")), 15);
	json_decref(view);

	/* A clock in a year with no schedule is shown provisional. */
	json_object_set_new(
	    l, "mediation", tsupport_clock_entry(D(2027, 3, 1)));
	view = clock_view(l, G.p, G.cal, D(2027, 3, 1));
	v    = view_of(view, "mediation");
	assert_non_null(v);
	assert_true(json_is_true(json_object_get(v, "provisional")));
	assert_json_date(json_object_get(v, "due"), D(2027, 3, 16));
	json_decref(view);
	json_decref(l);
}

/*
 * Years with no schedule count the statutory holidays the law fixes, and
 * stay provisional until their schedule is loaded.
 */
static void
test_clock_provisional_statutory_holidays(void **state)
{
	char              dir[] = "/tmp/test_clock.XXXXXX";
	char              p2029[256], paths[4][256];
	struct calendar  *cal;
	struct civil_date today = D(2027, 1, 20);
	json_t           *l, *changes, *view;
	const json_t     *e, *c;
	int               prov;

	(void) state;
	l = json_object();
	/* Fri 2029-09-28 + 5 working days across National Day (Mon 10-01
	 * .. Wed 10-03): 10-04, 10-05, 10-08, 10-09, 10-10. */
	json_object_set_new(
	    l, "inspection_accept", tsupport_clock_entry(D(2029, 9, 28)));
	/* Sun 2027-01-31 + 5 calendar days is Fri 02-05, Spring Festival
	 * eve; the festival runs to Mon 02-08 (初三): Tue 02-09. */
	json_object_set_new(
	    l, "acceptance", tsupport_clock_entry(D(2027, 1, 31)));
	/* Thu 2027-01-21 + 15 is the same eve. */
	json_object_set_new(
	    l, "mediation", tsupport_clock_entry(D(2027, 1, 21)));
	/* The first computation stores the due dates: no change. */
	assert_int_equal(clock_refresh(l, G.p, G.cal, today, NULL), 0);
	e = json_object_get(l, "inspection_accept");
	assert_string_equal(tsupport_js(e, "due"), "2029-10-10");
	assert_true(json_is_true(json_object_get(e, "provisional")));
	e = json_object_get(l, "acceptance");
	assert_string_equal(tsupport_js(e, "due"), "2027-02-09");
	assert_true(json_is_true(json_object_get(e, "provisional")));
	e = json_object_get(l, "mediation");
	assert_string_equal(tsupport_js(e, "due"), "2027-02-09");
	assert_true(json_is_true(json_object_get(e, "provisional")));
	/* Weekends alone (no calendar) would say 10-05 and 02-05. */
	tsupport_assert_date(
	    tsupport_clock_due(tsupport_clock_rule("inspection_accept"),
	        json_object_get(l, "inspection_accept"), NULL, today, &prov),
	    D(2029, 10, 5));
	tsupport_assert_date(
	    tsupport_clock_due(tsupport_clock_rule("acceptance"),
	        json_object_get(l, "acceptance"), NULL, today, &prov),
	    D(2027, 2, 5));
	/* Shown provisional. */
	view = clock_view(l, G.p, G.cal, today);
	assert_true(json_is_true(
	    json_object_get(view_of(view, "acceptance"), "provisional")));
	assert_true(json_is_true(json_object_get(
	    view_of(view, "inspection_accept"), "provisional")));
	json_decref(view);

	/* The 2029 schedule arrives (made up, test only: 10-01..10-07 off,
	 * Sat 09-29 a make-up working day): 09-29, 10-08, 10-09, 10-10,
	 * 10-11, firm. The 2027 clocks stay provisional. */
	assert_non_null(mkdtemp(dir));
	copy_official(dir, paths);
	snprintf(p2029, sizeof(p2029), "%s/cn-2029.yaml", dir);
	tsupport_spit(p2029,
	    "# Made up for this test only.\n"
	    "year: 2029\n"
	    "holidays: [2029-10-01, 2029-10-02, 2029-10-03, 2029-10-04, "
	    "2029-10-05, 2029-10-06, 2029-10-07]\n"
	    "workdays: [2029-09-29]\n");
	cal     = load(dir);
	changes = json_array();
	assert_int_equal(clock_refresh(l, G.p, cal, today, changes), 1);
	c = change_of(changes, "inspection_accept");
	assert_non_null(c);
	assert_string_equal(tsupport_js(c, "from"), "2029-10-10");
	assert_string_equal(tsupport_js(c, "to"), "2029-10-11");
	assert_true(json_is_false(json_object_get(c, "provisional")));
	assert_true(json_is_true(
	    json_object_get(json_object_get(l, "acceptance"), "provisional")));
	calendar_free(cal);
	assert_int_equal(unlink(p2029), 0);
	remove_official(paths);
	assert_int_equal(rmdir(dir), 0);
	json_decref(changes);
	json_decref(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_refresh_on_calendar_change),
		cmocka_unit_test(test_clock_refresh_provisional_year),
		cmocka_unit_test(test_clock_expired),
		cmocka_unit_test(test_clock_view),
		cmocka_unit_test(test_clock_provisional_statutory_holidays),
	};

	return (cmocka_run_group_tests_name("clock_refresh", tests,
	    tsupport_clock_group_setup, tsupport_clock_group_teardown));
}
