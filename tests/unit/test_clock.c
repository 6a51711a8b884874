/* SPDX-License-Identifier: MIT */
/*
 * test_clock.c - a case's clock ledger (server/clock.c) with the official
 * holiday calendars (policies/calendar) and the shipped policy
 * (policies/wage-dispute.yaml): the worked examples of DOMAIN.md "Counting
 * time" through clock_due, suspensions (calendar days, working days over a
 * holiday block, an open suspension counted to today), restart, extension
 * and its limits, the refused actions, idempotent start and stop. The
 * recomputation when the calendar changes (clock_refresh), provisional
 * years, clock_expired and clock_view are in test_clock_refresh.c.
 *
 * Expected dates are written by hand from the State Council notices (the
 * 2024 schedule is quoted in DOMAIN.md); the weekday of each is noted.
 * Run from the repository root, or set WAGE_SRCDIR to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* The group of support_clock.h: the shipped policy and calendars. */
#define G tsupport_clock_g
#define D tsupport_date

static void
add_suspension(json_t *e, struct civil_date from, const struct civil_date *to)
{
	json_t *s = json_pack("{s:o, s:o}", "from", tsupport_jdate(from), "to",
	    to != NULL ? tsupport_jdate(*to) : json_null());

	assert_non_null(s);
	assert_int_equal(
	    json_array_append_new(json_object_get(e, "suspensions"), s), 0);
}

/* An ad-hoc rule, not from the policy. */
static struct policy_clock
rule(int length, int unit)
{
	struct policy_clock pc;

	memset(&pc, 0, sizeof(pc));
	pc.name   = "test";
	pc.basis  = "test only";
	pc.length = length;
	pc.unit   = unit;
	return (pc);
}

/* ---- tests ---------------------------------------------------------- */

static void
test_clock_worked_examples(void **state)
{
	struct policy_clock c5  = rule(5, CAL_CALENDAR_DAYS);
	struct policy_clock c45 = rule(45, CAL_CALENDAR_DAYS);
	struct policy_clock w5  = rule(5, CAL_WORKING_DAYS);
	json_t             *e;
	int                 prov;

	(void) state;
	/* Mon 02-05 + 5: day 5 is Sat 02-10 in the Spring Festival break,
	 * so Sun 02-18, a working weekend. */
	e = tsupport_clock_entry(D(2024, 2, 5));
	tsupport_assert_date(
	    tsupport_clock_due(&c5, e, G.cal, D(2024, 2, 5), &prov),
	    D(2024, 2, 18));
	assert_int_equal(prov, 0);
	json_decref(e);
	/* Tue 08-20 + 45: day 45 is Fri 10-04 (National Day): 10-08. */
	e = tsupport_clock_entry(D(2024, 8, 20));
	tsupport_assert_date(
	    tsupport_clock_due(&c45, e, G.cal, D(2024, 8, 20), &prov),
	    D(2024, 10, 8));
	assert_int_equal(prov, 0);
	json_decref(e);
	/* Thu 09-26 + 5 working days: 09-27, 09-29, 09-30, 10-08, 10-09. */
	e = tsupport_clock_entry(D(2024, 9, 26));
	tsupport_assert_date(
	    tsupport_clock_due(&w5, e, G.cal, D(2024, 9, 26), &prov),
	    D(2024, 10, 9));
	assert_int_equal(prov, 0);
	json_decref(e);
	/* The shipped rules give the same for acceptance and award. */
	e = tsupport_clock_entry(D(2024, 2, 5));
	tsupport_assert_date(
	    tsupport_clock_due(tsupport_clock_rule("acceptance"), e, G.cal,
	        D(2024, 2, 5), NULL),
	    D(2024, 2, 18));
	json_decref(e);
	e = tsupport_clock_entry(D(2024, 8, 20));
	tsupport_assert_date(tsupport_clock_due(tsupport_clock_rule("award"),
	                         e, G.cal, D(2024, 8, 20), NULL),
	    D(2024, 10, 8));
	json_decref(e);
	e = tsupport_clock_entry(D(2024, 9, 26));
	tsupport_assert_date(
	    tsupport_clock_due(tsupport_clock_rule("inspection_accept"), e,
	        G.cal, D(2024, 9, 26), NULL),
	    D(2024, 10, 9));
	json_decref(e);
	/* No calendar at all: weekends only, provisional. 02-10 is a Sat,
	 * so Mon 02-12. */
	e = tsupport_clock_entry(D(2024, 2, 5));
	tsupport_assert_date(
	    tsupport_clock_due(&c5, e, NULL, D(2024, 2, 5), &prov),
	    D(2024, 2, 12));
	assert_int_equal(prov, 1);
	json_decref(e);
}

static void
test_clock_malformed_ledger(void **state)
{
	struct policy_clock c5 = rule(5, CAL_CALENDAR_DAYS);
	struct civil_date   d;
	json_t             *e;
	int                 prov;

	(void) state;
	e = json_pack("{s:s}", "state", "running");
	assert_int_equal(clock_due(&c5, e, G.cal, D(2024, 1, 1), &d, &prov),
	    WAGE_E_INVALID_ARGUMENT);
	json_decref(e);
	e = json_pack("{s:s, s:s}", "start", "2024-02-30", "state", "running");
	assert_int_equal(clock_due(&c5, e, G.cal, D(2024, 1, 1), &d, &prov),
	    WAGE_E_INVALID_ARGUMENT);
	json_decref(e);
}

static void
test_clock_suspension_calendar_days(void **state)
{
	const struct policy_clock *award = tsupport_clock_rule("award");
	struct civil_date          a, b, today      = D(2024, 12, 31);
	struct civil_date          want, got, start = D(2024, 3, 1);
	struct policy_clock        longer;
	json_t                    *e;
	int                        i, k;

	(void) state;
	/* Fri 03-01 + 45 = Mon 04-15. Suspended 03-10 .. 03-20: the days
	 * 03-11 .. 03-20 do not count (10 = B - A), so Thu 04-25. */
	e = tsupport_clock_entry(start);
	tsupport_assert_date(
	    tsupport_clock_due(award, e, G.cal, today, NULL), D(2024, 4, 15));
	a = D(2024, 3, 10);
	b = D(2024, 3, 20);
	add_suspension(e, a, &b);
	tsupport_assert_date(
	    tsupport_clock_due(award, e, G.cal, today, NULL), D(2024, 4, 25));
	/* A second one of 3 days (05-01..05-05 holidays are past the due
	 * date, so Sun 04-28 is a make-up working day: 04-25 + 3). */
	a = D(2024, 4, 1);
	b = D(2024, 4, 4);
	add_suspension(e, a, &b);
	tsupport_assert_date(
	    tsupport_clock_due(award, e, G.cal, today, NULL), D(2024, 4, 28));
	json_decref(e);

	/* Over a holiday block the suspended days count one for one too:
	 * 08-20 + 45 = 10-04 -> 10-08; suspended 09-30 .. 10-07 (7 days)
	 * gives day 52 = Fri 10-11. */
	e = tsupport_clock_entry(D(2024, 8, 20));
	a = D(2024, 9, 30);
	b = D(2024, 10, 7);
	add_suspension(e, a, &b);
	tsupport_assert_date(
	    tsupport_clock_due(award, e, G.cal, today, NULL), D(2024, 10, 11));
	json_decref(e);

	/* In general: a suspension from A to B inside the period adds
	 * exactly B - A days, as if the period were B - A days longer. */
	longer = *award;
	for (i = 0; i < award->length; i += 3) {
		for (k = 1; k <= 21; k += 4) {
			assert_int_equal(
			    calendar_date_plus(start, i, &a), WAGE_OK);
			assert_int_equal(
			    calendar_date_plus(a, k, &b), WAGE_OK);
			e             = tsupport_clock_entry(start);
			longer.length = award->length + k;
			want =
			    tsupport_clock_due(&longer, e, G.cal, today, NULL);
			add_suspension(e, a, &b);
			got = tsupport_clock_due(award, e, G.cal, today, NULL);
			tsupport_assert_date(got, want);
			json_decref(e);
		}
	}

	/* A suspension after the due date changes nothing. */
	e = tsupport_clock_entry(start);
	a = D(2024, 4, 16);
	b = D(2024, 4, 30);
	add_suspension(e, a, &b);
	tsupport_assert_date(
	    tsupport_clock_due(award, e, G.cal, today, NULL), D(2024, 4, 15));
	json_decref(e);
}

static void
test_clock_suspension_working_days_holiday_block(void **state)
{
	const struct policy_clock *w5 =
	    tsupport_clock_rule("inspection_accept");
	struct civil_date a, b, today = D(2024, 12, 31);
	json_t           *e;
	int               prov;

	(void) state;
	/* 5 working days from Thu 09-26: 10-09. A suspension over the
	 * National Day block alone (09-30 .. 10-07: 10-01..10-07 are all
	 * holidays) suspends no working day: still 10-09. */
	e = tsupport_clock_entry(D(2024, 9, 26));
	a = D(2024, 9, 30);
	b = D(2024, 10, 7);
	add_suspension(e, a, &b);
	tsupport_assert_date(
	    tsupport_clock_due(w5, e, G.cal, today, &prov), D(2024, 10, 9));
	assert_int_equal(prov, 0);
	json_decref(e);

	/* 09-28 .. 10-08 takes Sun 09-29 (make-up), Mon 09-30 and Tue
	 * 10-08: counted are 09-27, 10-09, 10-10, 10-11 and Sat 10-12, a
	 * make-up working day. */
	e = tsupport_clock_entry(D(2024, 9, 26));
	a = D(2024, 9, 28);
	b = D(2024, 10, 8);
	add_suspension(e, a, &b);
	tsupport_assert_date(
	    tsupport_clock_due(w5, e, G.cal, today, &prov), D(2024, 10, 12));
	assert_int_equal(prov, 0);
	json_decref(e);

	/* A suspension of the weekend after Fri 09-27 (Sat 09-28 .. Sun
	 * 09-29) takes only the make-up Sunday: 09-27, 09-30, 10-08,
	 * 10-09, 10-10. */
	e = tsupport_clock_entry(D(2024, 9, 26));
	a = D(2024, 9, 27);
	b = D(2024, 9, 29);
	add_suspension(e, a, &b);
	tsupport_assert_date(
	    tsupport_clock_due(w5, e, G.cal, today, &prov), D(2024, 10, 10));
	json_decref(e);
}

static void
test_clock_open_suspension_counts_to_today(void **state)
{
	const struct policy_clock *award = tsupport_clock_rule("award");
	struct civil_date          from  = D(2024, 9, 1), to;
	json_t                    *open, *closed;
	int                        n;

	(void) state;
	/* 08-20 + 45 -> 10-08. Suspended since 09-01, still open. */
	open = tsupport_clock_entry(D(2024, 8, 20));
	add_suspension(open, from, NULL);
	/* On the day it began nothing is suspended yet. */
	tsupport_assert_date(
	    tsupport_clock_due(award, open, G.cal, from, NULL),
	    D(2024, 10, 8));
	/* A week on: + 7, day 52 = Fri 10-11. */
	tsupport_assert_date(
	    tsupport_clock_due(award, open, G.cal, D(2024, 9, 8), NULL),
	    D(2024, 10, 11));
	/* Nine days on: day 54 = Sun 10-13, a rest day: Mon 10-14. */
	tsupport_assert_date(
	    tsupport_clock_due(award, open, G.cal, D(2024, 9, 10), NULL),
	    D(2024, 10, 14));
	/* Each day: exactly as a suspension closed on that day. */
	for (n = 0; n < 40; n++) {
		assert_int_equal(calendar_date_plus(from, n, &to), WAGE_OK);
		closed = tsupport_clock_entry(D(2024, 8, 20));
		add_suspension(closed, from, &to);
		tsupport_assert_date(
		    tsupport_clock_due(award, open, G.cal, to, NULL),
		    tsupport_clock_due(
		        award, closed, G.cal, D(2025, 6, 1), NULL));
		json_decref(closed);
	}
	json_decref(open);
}

/*
 * The 45th day of 08-20 is Fri 10-04 (National Day): the deadline rolls
 * to Tue 10-08. A suspension that begins on 10-04, before the deadline,
 * must hold the clock: it cannot run out while suspended, and after the
 * suspension the deadline is the first working day not suspended.
 */
static void
test_clock_suspension_over_rolled_deadline(void **state)
{
	const struct policy_clock *award = tsupport_clock_rule("award");
	struct civil_date          from = D(2024, 10, 4), to = D(2024, 10, 10);
	json_t           *l = tsupport_clock_ledger("award", D(2024, 8, 20));
	json_t           *e = json_object_get(l, "award");
	struct wage_error err;

	struct civil_date due;
	int               rc1, rc2, exp9, exp10;

	(void) state;
	/* Results first, then the checks: a failure leaks nothing. */
	rc1  = tsupport_clock_act(l, "award", CLK_SUSPEND, from, 0, &err);
	exp9 = clock_expired(
	    l, G.p, tsupport_clock_idx("award"), G.cal, D(2024, 10, 9));
	rc2   = tsupport_clock_act(l, "award", CLK_RESUME, to, 0, &err);
	due   = tsupport_clock_due(award, e, G.cal, D(2024, 10, 10), NULL);
	exp10 = clock_expired(
	    l, G.p, tsupport_clock_idx("award"), G.cal, D(2024, 10, 10));
	json_decref(l);
	assert_int_equal(rc1, WAGE_OK);
	assert_int_equal(rc2, WAGE_OK);
	/* Suspended since 10-04, still on 10-09: not run out. */
	assert_false(exp9);
	/* Resumed on Thu 10-10: the first working day not suspended is
	 * Fri 10-11, and on 10-10 the clock has not run out. */
	tsupport_assert_date(due, D(2024, 10, 11));
	assert_false(exp10);
}

static void
test_clock_suspend_resume_through_apply(void **state)
{
	struct wage_error err;
	json_t           *l = tsupport_clock_ledger("award", D(2024, 8, 20));
	json_t           *e, *s;

	(void) state;
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_SUSPEND, D(2024, 9, 1), 0, &err),
	    WAGE_OK);
	e = json_object_get(l, "award");
	assert_string_equal(tsupport_js(e, "state"), "suspended");
	s = json_array_get(json_object_get(e, "suspensions"), 0);
	assert_string_equal(tsupport_js(s, "from"), "2024-09-01");
	assert_true(json_is_null(json_object_get(s, "to")));
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_RESUME, D(2024, 9, 11), 0, &err),
	    WAGE_OK);
	assert_string_equal(tsupport_js(e, "state"), "running");
	assert_string_equal(tsupport_js(s, "to"), "2024-09-11");
	/* 10 days: day 55 = Mon 10-14. */
	tsupport_assert_date(tsupport_clock_due(tsupport_clock_rule("award"),
	                         e, G.cal, D(2024, 12, 1), NULL),
	    D(2024, 10, 14));
	json_decref(l);
}

static void
test_clock_restart_resets(void **state)
{
	struct wage_error err;
	json_t           *l = tsupport_clock_ledger("award", D(2024, 8, 20));
	json_t           *e;

	(void) state;
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_EXTEND, D(2024, 8, 25), 15, &err),
	    WAGE_OK);
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_SUSPEND, D(2024, 8, 26), 0, &err),
	    WAGE_OK);
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_RESUME, D(2024, 8, 30), 0, &err),
	    WAGE_OK);
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_SUSPEND, D(2024, 9, 2), 0, &err),
	    WAGE_OK);
	/* 办案规则 Art 46: a changed claim counts again from the day. */
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_RESTART, D(2024, 9, 10), 0, &err),
	    WAGE_OK);
	e = json_object_get(l, "award");
	assert_string_equal(tsupport_js(e, "start"), "2024-09-10");
	assert_string_equal(tsupport_js(e, "state"), "running");
	assert_int_equal(
	    json_array_size(json_object_get(e, "suspensions")), 0);
	assert_int_equal(json_array_size(json_object_get(e, "extensions")), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(e, "restarts")), 1);
	assert_true(json_is_null(json_object_get(e, "stopped")));
	/* Fri 09-10 + 45 = Fri 10-25, no extension left. */
	tsupport_assert_date(tsupport_clock_due(tsupport_clock_rule("award"),
	                         e, G.cal, D(2024, 12, 1), NULL),
	    D(2024, 10, 25));
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_RESTART, D(2024, 9, 20), 0, &err),
	    WAGE_OK);
	e = json_object_get(l, "award");
	assert_string_equal(tsupport_js(e, "start"), "2024-09-20");
	assert_int_equal(
	    json_integer_value(json_object_get(e, "restarts")), 2);
	json_decref(l);
}

static void
test_clock_extension_limits(void **state)
{
	struct wage_error err;
	json_t           *l = tsupport_clock_ledger("award", D(2024, 8, 20));
	json_t           *e, *x, *before;

	(void) state;
	e = json_object_get(l, "award");
	/* Above the most one extension may add (Art 43: 15): refused. */
	before = json_deep_copy(l);
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_EXTEND, D(2024, 9, 1), 16, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(err.code, WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.days");
	assert_true(json_equal(before, l));
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_EXTEND, D(2024, 9, 1), 0, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_EXTEND, D(2024, 9, 1), -3, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_true(json_equal(before, l));
	json_decref(before);

	/* 15 days, once. 08-20 + 60 = Sat 10-19: Mon 10-21. */
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_EXTEND, D(2024, 9, 1), 15, &err),
	    WAGE_OK);
	x = json_array_get(json_object_get(e, "extensions"), 0);
	assert_int_equal(json_integer_value(json_object_get(x, "days")), 15);
	assert_string_equal(tsupport_js(x, "on"), "2024-09-01");
	assert_string_equal(tsupport_js(x, "by"), "刘主任");
	tsupport_assert_date(tsupport_clock_due(tsupport_clock_rule("award"),
	                         e, G.cal, D(2024, 9, 1), NULL),
	    D(2024, 10, 21));

	/* A second extension is refused, even of one day. */
	before = json_deep_copy(l);
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_EXTEND, D(2024, 9, 2), 1, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_string_equal(err.field, "event");
	assert_true(json_equal(before, l));
	json_decref(before);

	/* A suspended clock may be extended; a stopped or absent one, or
	 * one the policy gives no extension, may not. */
	json_decref(l);
	l = tsupport_clock_ledger("award", D(2024, 8, 20));
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_SUSPEND, D(2024, 9, 1), 0, &err),
	    WAGE_OK);
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_EXTEND, D(2024, 9, 2), 5, &err),
	    WAGE_OK);
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_STOP, D(2024, 9, 3), 0, &err),
	    WAGE_OK);
	json_decref(l);
	l = tsupport_clock_ledger("award", D(2024, 8, 20));
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_STOP, D(2024, 9, 3), 0, &err),
	    WAGE_OK);
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_EXTEND, D(2024, 9, 4), 5, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_int_equal(tsupport_clock_act(l, "inspection_investigate",
	                     CLK_EXTEND, D(2024, 9, 4), 5, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	json_decref(l);
	l = tsupport_clock_ledger("acceptance", D(2024, 8, 20));
	assert_int_equal(tsupport_clock_act(l, "acceptance", CLK_EXTEND,
	                     D(2024, 8, 21), 1, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_string_equal(err.field, "event");
	json_decref(l);
}

static void
test_clock_refused_suspend_resume(void **state)
{
	struct wage_error err;
	json_t           *l = tsupport_clock_ledger("award", D(2024, 8, 20));
	json_t           *before;

	(void) state;
	/* Running: resume refused. */
	before = json_deep_copy(l);
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_RESUME, D(2024, 9, 1), 0, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_string_equal(err.field, "event");
	assert_true(json_equal(before, l));
	json_decref(before);
	/* Suspended: a second suspend refused. */
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_SUSPEND, D(2024, 9, 1), 0, &err),
	    WAGE_OK);
	before = json_deep_copy(l);
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_SUSPEND, D(2024, 9, 2), 0, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_string_equal(err.field, "event");
	assert_true(json_equal(before, l));
	json_decref(before);
	/* Stopped: both refused. */
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_STOP, D(2024, 9, 3), 0, &err),
	    WAGE_OK);
	before = json_deep_copy(l);
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_SUSPEND, D(2024, 9, 4), 0, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_RESUME, D(2024, 9, 4), 0, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_true(json_equal(before, l));
	json_decref(before);
	/* Never started: both refused, nothing created. */
	assert_int_equal(tsupport_clock_act(l, "mediation", CLK_SUSPEND,
	                     D(2024, 9, 4), 0, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_int_equal(tsupport_clock_act(l, "mediation", CLK_RESUME,
	                     D(2024, 9, 4), 0, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_null(json_object_get(l, "mediation"));
	json_decref(l);
}

static void
test_clock_stop_is_idempotent(void **state)
{
	struct wage_error err;
	json_t           *l = tsupport_clock_ledger("award", D(2024, 8, 20));
	json_t           *before, *e, *s;

	(void) state;
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_STOP, D(2024, 9, 1), 0, &err),
	    WAGE_OK);
	e = json_object_get(l, "award");
	assert_string_equal(tsupport_js(e, "state"), "stopped");
	assert_string_equal(tsupport_js(e, "stopped"), "2024-09-01");
	before = json_deep_copy(l);
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_STOP, D(2024, 9, 5), 0, &err),
	    WAGE_OK);
	assert_true(json_equal(before, l));
	json_decref(before);
	/* Stopping a clock never started is a no-op too. */
	assert_int_equal(tsupport_clock_act(
	                     l, "mediation", CLK_STOP, D(2024, 9, 5), 0, &err),
	    WAGE_OK);
	assert_null(json_object_get(l, "mediation"));
	json_decref(l);

	/* Stopping a suspended clock closes its suspension that day. */
	l = tsupport_clock_ledger("award", D(2024, 8, 20));
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_SUSPEND, D(2024, 9, 1), 0, &err),
	    WAGE_OK);
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_STOP, D(2024, 9, 6), 0, &err),
	    WAGE_OK);
	e = json_object_get(l, "award");
	s = json_array_get(json_object_get(e, "suspensions"), 0);
	assert_string_equal(tsupport_js(s, "to"), "2024-09-06");
	assert_string_equal(tsupport_js(e, "state"), "stopped");
	json_decref(l);
}

static void
test_clock_start_running_is_noop(void **state)
{
	struct wage_error err;
	json_t           *l = tsupport_clock_ledger("award", D(2024, 8, 20));
	json_t           *before, *e;

	(void) state;
	before = json_deep_copy(l);
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_START, D(2024, 9, 1), 0, &err),
	    WAGE_OK);
	assert_true(json_equal(before, l));
	assert_int_equal(clock_start_one(l, G.p, tsupport_clock_idx("award"),
	                     D(2024, 9, 2)),
	    WAGE_OK);
	assert_true(json_equal(before, l));
	json_decref(before);
	/* Suspended counts as started: no-op as well. */
	assert_int_equal(tsupport_clock_act(
	                     l, "award", CLK_SUSPEND, D(2024, 9, 3), 0, &err),
	    WAGE_OK);
	before = json_deep_copy(l);
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_START, D(2024, 9, 4), 0, &err),
	    WAGE_OK);
	assert_true(json_equal(before, l));
	json_decref(before);
	/* Started again after a stop: from that day, running. */
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_STOP, D(2024, 9, 5), 0, &err),
	    WAGE_OK);
	assert_int_equal(
	    tsupport_clock_act(l, "award", CLK_START, D(2024, 9, 10), 0, &err),
	    WAGE_OK);
	e = json_object_get(l, "award");
	assert_string_equal(tsupport_js(e, "start"), "2024-09-10");
	assert_string_equal(tsupport_js(e, "state"), "running");
	assert_int_equal(
	    json_array_size(json_object_get(e, "suspensions")), 0);
	/* A clock never started is created running on the day. */
	assert_int_equal(tsupport_clock_act(l, "mediation", CLK_START,
	                     D(2024, 9, 11), 0, &err),
	    WAGE_OK);
	e = json_object_get(l, "mediation");
	assert_non_null(e);
	assert_string_equal(tsupport_js(e, "start"), "2024-09-11");
	assert_string_equal(tsupport_js(e, "state"), "running");
	assert_int_equal(
	    json_integer_value(json_object_get(e, "restarts")), 0);
	json_decref(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_worked_examples),
		cmocka_unit_test(test_clock_malformed_ledger),
		cmocka_unit_test(test_clock_suspension_calendar_days),
		cmocka_unit_test(
		    test_clock_suspension_working_days_holiday_block),
		cmocka_unit_test(test_clock_open_suspension_counts_to_today),
		cmocka_unit_test(test_clock_suspension_over_rolled_deadline),
		cmocka_unit_test(test_clock_suspend_resume_through_apply),
		cmocka_unit_test(test_clock_restart_resets),
		cmocka_unit_test(test_clock_extension_limits),
		cmocka_unit_test(test_clock_refused_suspend_resume),
		cmocka_unit_test(test_clock_stop_is_idempotent),
		cmocka_unit_test(test_clock_start_running_is_noop),
	};

	return (cmocka_run_group_tests_name("clock", tests,
	    tsupport_clock_group_setup, tsupport_clock_group_teardown));
}
