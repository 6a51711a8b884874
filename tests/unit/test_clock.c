/* SPDX-License-Identifier: MIT */
/*
 * test_clock.c - a case's clock ledger (server/clock.c) with the official
 * holiday calendars (policies/calendar) and the shipped policy
 * (policies/wage-dispute.yaml): the worked examples of DOMAIN.md "Counting
 * time" through clock_due, suspensions (calendar days, working days over a
 * holiday block, an open suspension counted to today), restart, extension
 * and its limits, the refused actions, idempotent start and stop, the
 * recomputation when the calendar changes or a year's schedule arrives
 * (clock_refresh), due dates in years with no schedule (weekends and the
 * statutory holidays of policies/calendar/statutory-holidays.yaml,
 * provisional), clock_expired and clock_view.
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

#include "support_file.h"
#include "support_policy.h"

#define CAL_DIR "policies/calendar"

static struct {
	struct policy   *p;
	struct calendar *cal;
} g;

static int
group_setup(void **state)
{
	(void) state;
	if (tsupport_policy_load(&g.p) != 0 ||
	    tsupport_calendar_load(&g.cal) != 0) {
		return (-1);
	}
	return (0);
}

static int
group_teardown(void **state)
{
	(void) state;
	policy_free(g.p);
	calendar_free(g.cal);
	return (0);
}

static struct civil_date
D(int y, int m, int d) {
	struct civil_date r = { y, m, d };

	return (r);
}

static void
assert_date(struct civil_date got, struct civil_date want)
{
	char a[16], b[16];

	civil_date_format(&got, a, sizeof(a));
	civil_date_format(&want, b, sizeof(b));
	assert_string_equal(a, b);
}

static void
assert_json_date(const json_t *v, struct civil_date want)
{
	char b[16];

	civil_date_format(&want, b, sizeof(b));
	assert_true(json_is_string(v));
	assert_string_equal(json_string_value(v), b);
}

static json_t *
jdate(struct civil_date d)
{
	char b[16];

	civil_date_format(&d, b, sizeof(b));
	return (json_string(b));
}

/* A fresh ledger entry, as clock_start_one makes it. */
static json_t *
entry(struct civil_date start)
{
	json_t *e = json_pack("{s:o, s:s, s:[], s:[], s:i, s:n}", "start",
	    jdate(start), "state", "running", "suspensions", "extensions",
	    "restarts", 0, "stopped");

	assert_non_null(e);
	return (e);
}

static void
add_suspension(json_t *e, struct civil_date from, const struct civil_date *to)
{
	json_t *s = json_pack("{s:o, s:o}", "from", jdate(from), "to",
	    to != NULL ? jdate(*to) : json_null());

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

/* due_of runs clock_due and checks it succeeds. */
static struct civil_date
due_of(const struct policy_clock *pc, const json_t *e,
    const struct calendar *cal, struct civil_date today, int *prov)
{
	struct civil_date d = { 0, 0, 0 };
	int               p = -1;

	assert_int_equal(clock_due(pc, e, cal, today, &d, &p), WAGE_OK);
	assert_true(p == 0 || p == 1);
	if (prov != NULL) {
		*prov = p;
	}
	return (d);
}

static const struct policy_clock *
pclock(const char *name)
{
	long i = policy_clock_find(g.p, name);

	assert_true(i >= 0);
	return (&g.p->clocks[i]);
}

static size_t
ci(const char *name)
{
	long i = policy_clock_find(g.p, name);

	assert_true(i >= 0);
	return ((size_t) i);
}

/* act fires one clock action through clock_apply, as an event would. */
static int
act(json_t *clocks, const char *name, int action, struct civil_date on,
    int days, struct wage_error *err)
{
	struct policy_clock_ops ops;
	size_t                  idx = ci(name);

	memset(&ops, 0, sizeof(ops));
	ops.idx[action] = &idx;
	ops.n[action]   = 1;
	wage_err_clear(err);
	return (clock_apply(clocks, g.p, &ops, on, days, "刘主任", err));
}

static json_t *
ledger_with(const char *name, struct civil_date start)
{
	json_t *l = json_object();

	assert_non_null(l);
	assert_int_equal(json_object_set_new(l, name, entry(start)), 0);
	return (l);
}

static const char *
js(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	assert_non_null(s);
	return (s);
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
	e = entry(D(2024, 2, 5));
	assert_date(
	    due_of(&c5, e, g.cal, D(2024, 2, 5), &prov), D(2024, 2, 18));
	assert_int_equal(prov, 0);
	json_decref(e);
	/* Tue 08-20 + 45: day 45 is Fri 10-04 (National Day): 10-08. */
	e = entry(D(2024, 8, 20));
	assert_date(
	    due_of(&c45, e, g.cal, D(2024, 8, 20), &prov), D(2024, 10, 8));
	assert_int_equal(prov, 0);
	json_decref(e);
	/* Thu 09-26 + 5 working days: 09-27, 09-29, 09-30, 10-08, 10-09. */
	e = entry(D(2024, 9, 26));
	assert_date(
	    due_of(&w5, e, g.cal, D(2024, 9, 26), &prov), D(2024, 10, 9));
	assert_int_equal(prov, 0);
	json_decref(e);
	/* The shipped rules give the same for acceptance and award. */
	e = entry(D(2024, 2, 5));
	assert_date(
	    due_of(pclock("acceptance"), e, g.cal, D(2024, 2, 5), NULL),
	    D(2024, 2, 18));
	json_decref(e);
	e = entry(D(2024, 8, 20));
	assert_date(due_of(pclock("award"), e, g.cal, D(2024, 8, 20), NULL),
	    D(2024, 10, 8));
	json_decref(e);
	e = entry(D(2024, 9, 26));
	assert_date(due_of(pclock("inspection_accept"), e, g.cal,
	                D(2024, 9, 26), NULL),
	    D(2024, 10, 9));
	json_decref(e);
	/* No calendar at all: weekends only, provisional. 02-10 is a Sat,
	 * so Mon 02-12. */
	e = entry(D(2024, 2, 5));
	assert_date(
	    due_of(&c5, e, NULL, D(2024, 2, 5), &prov), D(2024, 2, 12));
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
	assert_int_equal(clock_due(&c5, e, g.cal, D(2024, 1, 1), &d, &prov),
	    WAGE_E_INVALID_ARGUMENT);
	json_decref(e);
	e = json_pack("{s:s, s:s}", "start", "2024-02-30", "state", "running");
	assert_int_equal(clock_due(&c5, e, g.cal, D(2024, 1, 1), &d, &prov),
	    WAGE_E_INVALID_ARGUMENT);
	json_decref(e);
}

static void
test_clock_suspension_calendar_days(void **state)
{
	const struct policy_clock *award = pclock("award");
	struct civil_date          a, b, today      = D(2024, 12, 31);
	struct civil_date          want, got, start = D(2024, 3, 1);
	struct policy_clock        longer;
	json_t                    *e;
	int                        i, k;

	(void) state;
	/* Fri 03-01 + 45 = Mon 04-15. Suspended 03-10 .. 03-20: the days
	 * 03-11 .. 03-20 do not count (10 = B - A), so Thu 04-25. */
	e = entry(start);
	assert_date(due_of(award, e, g.cal, today, NULL), D(2024, 4, 15));
	a = D(2024, 3, 10);
	b = D(2024, 3, 20);
	add_suspension(e, a, &b);
	assert_date(due_of(award, e, g.cal, today, NULL), D(2024, 4, 25));
	/* A second one of 3 days (05-01..05-05 holidays are past the due
	 * date, so Sun 04-28 is a make-up working day: 04-25 + 3). */
	a = D(2024, 4, 1);
	b = D(2024, 4, 4);
	add_suspension(e, a, &b);
	assert_date(due_of(award, e, g.cal, today, NULL), D(2024, 4, 28));
	json_decref(e);

	/* Over a holiday block the suspended days count one for one too:
	 * 08-20 + 45 = 10-04 -> 10-08; suspended 09-30 .. 10-07 (7 days)
	 * gives day 52 = Fri 10-11. */
	e = entry(D(2024, 8, 20));
	a = D(2024, 9, 30);
	b = D(2024, 10, 7);
	add_suspension(e, a, &b);
	assert_date(due_of(award, e, g.cal, today, NULL), D(2024, 10, 11));
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
			e             = entry(start);
			longer.length = award->length + k;
			want          = due_of(&longer, e, g.cal, today, NULL);
			add_suspension(e, a, &b);
			got = due_of(award, e, g.cal, today, NULL);
			assert_date(got, want);
			json_decref(e);
		}
	}

	/* A suspension after the due date changes nothing. */
	e = entry(start);
	a = D(2024, 4, 16);
	b = D(2024, 4, 30);
	add_suspension(e, a, &b);
	assert_date(due_of(award, e, g.cal, today, NULL), D(2024, 4, 15));
	json_decref(e);
}

static void
test_clock_suspension_working_days_holiday_block(void **state)
{
	const struct policy_clock *w5 = pclock("inspection_accept");
	struct civil_date          a, b, today = D(2024, 12, 31);
	json_t                    *e;
	int                        prov;

	(void) state;
	/* 5 working days from Thu 09-26: 10-09. A suspension over the
	 * National Day block alone (09-30 .. 10-07: 10-01..10-07 are all
	 * holidays) suspends no working day: still 10-09. */
	e = entry(D(2024, 9, 26));
	a = D(2024, 9, 30);
	b = D(2024, 10, 7);
	add_suspension(e, a, &b);
	assert_date(due_of(w5, e, g.cal, today, &prov), D(2024, 10, 9));
	assert_int_equal(prov, 0);
	json_decref(e);

	/* 09-28 .. 10-08 takes Sun 09-29 (make-up), Mon 09-30 and Tue
	 * 10-08: counted are 09-27, 10-09, 10-10, 10-11 and Sat 10-12, a
	 * make-up working day. */
	e = entry(D(2024, 9, 26));
	a = D(2024, 9, 28);
	b = D(2024, 10, 8);
	add_suspension(e, a, &b);
	assert_date(due_of(w5, e, g.cal, today, &prov), D(2024, 10, 12));
	assert_int_equal(prov, 0);
	json_decref(e);

	/* A suspension of the weekend after Fri 09-27 (Sat 09-28 .. Sun
	 * 09-29) takes only the make-up Sunday: 09-27, 09-30, 10-08,
	 * 10-09, 10-10. */
	e = entry(D(2024, 9, 26));
	a = D(2024, 9, 27);
	b = D(2024, 9, 29);
	add_suspension(e, a, &b);
	assert_date(due_of(w5, e, g.cal, today, &prov), D(2024, 10, 10));
	json_decref(e);
}

static void
test_clock_open_suspension_counts_to_today(void **state)
{
	const struct policy_clock *award = pclock("award");
	struct civil_date          from  = D(2024, 9, 1), to;
	json_t                    *open, *closed;
	int                        n;

	(void) state;
	/* 08-20 + 45 -> 10-08. Suspended since 09-01, still open. */
	open = entry(D(2024, 8, 20));
	add_suspension(open, from, NULL);
	/* On the day it began nothing is suspended yet. */
	assert_date(due_of(award, open, g.cal, from, NULL), D(2024, 10, 8));
	/* A week on: + 7, day 52 = Fri 10-11. */
	assert_date(
	    due_of(award, open, g.cal, D(2024, 9, 8), NULL), D(2024, 10, 11));
	/* Nine days on: day 54 = Sun 10-13, a rest day: Mon 10-14. */
	assert_date(
	    due_of(award, open, g.cal, D(2024, 9, 10), NULL), D(2024, 10, 14));
	/* Each day: exactly as a suspension closed on that day. */
	for (n = 0; n < 40; n++) {
		assert_int_equal(calendar_date_plus(from, n, &to), WAGE_OK);
		closed = entry(D(2024, 8, 20));
		add_suspension(closed, from, &to);
		assert_date(due_of(award, open, g.cal, to, NULL),
		    due_of(award, closed, g.cal, D(2025, 6, 1), NULL));
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
	const struct policy_clock *award = pclock("award");
	struct civil_date          from = D(2024, 10, 4), to = D(2024, 10, 10);
	json_t                    *l = ledger_with("award", D(2024, 8, 20));
	json_t                    *e = json_object_get(l, "award");
	struct wage_error          err;

	struct civil_date due;
	int               rc1, rc2, exp9, exp10;

	(void) state;
	/* Results first, then the checks: a failure leaks nothing. */
	rc1   = act(l, "award", CLK_SUSPEND, from, 0, &err);
	exp9  = clock_expired(l, g.p, ci("award"), g.cal, D(2024, 10, 9));
	rc2   = act(l, "award", CLK_RESUME, to, 0, &err);
	due   = due_of(award, e, g.cal, D(2024, 10, 10), NULL);
	exp10 = clock_expired(l, g.p, ci("award"), g.cal, D(2024, 10, 10));
	json_decref(l);
	assert_int_equal(rc1, WAGE_OK);
	assert_int_equal(rc2, WAGE_OK);
	/* Suspended since 10-04, still on 10-09: not run out. */
	assert_false(exp9);
	/* Resumed on Thu 10-10: the first working day not suspended is
	 * Fri 10-11, and on 10-10 the clock has not run out. */
	assert_date(due, D(2024, 10, 11));
	assert_false(exp10);
}

static void
test_clock_suspend_resume_through_apply(void **state)
{
	struct wage_error err;
	json_t           *l = ledger_with("award", D(2024, 8, 20));
	json_t           *e, *s;

	(void) state;
	assert_int_equal(
	    act(l, "award", CLK_SUSPEND, D(2024, 9, 1), 0, &err), WAGE_OK);
	e = json_object_get(l, "award");
	assert_string_equal(js(e, "state"), "suspended");
	s = json_array_get(json_object_get(e, "suspensions"), 0);
	assert_string_equal(js(s, "from"), "2024-09-01");
	assert_true(json_is_null(json_object_get(s, "to")));
	assert_int_equal(
	    act(l, "award", CLK_RESUME, D(2024, 9, 11), 0, &err), WAGE_OK);
	assert_string_equal(js(e, "state"), "running");
	assert_string_equal(js(s, "to"), "2024-09-11");
	/* 10 days: day 55 = Mon 10-14. */
	assert_date(due_of(pclock("award"), e, g.cal, D(2024, 12, 1), NULL),
	    D(2024, 10, 14));
	json_decref(l);
}

static void
test_clock_restart_resets(void **state)
{
	struct wage_error err;
	json_t           *l = ledger_with("award", D(2024, 8, 20));
	json_t           *e;

	(void) state;
	assert_int_equal(
	    act(l, "award", CLK_EXTEND, D(2024, 8, 25), 15, &err), WAGE_OK);
	assert_int_equal(
	    act(l, "award", CLK_SUSPEND, D(2024, 8, 26), 0, &err), WAGE_OK);
	assert_int_equal(
	    act(l, "award", CLK_RESUME, D(2024, 8, 30), 0, &err), WAGE_OK);
	assert_int_equal(
	    act(l, "award", CLK_SUSPEND, D(2024, 9, 2), 0, &err), WAGE_OK);
	/* 办案规则 Art 46: a changed claim counts again from the day. */
	assert_int_equal(
	    act(l, "award", CLK_RESTART, D(2024, 9, 10), 0, &err), WAGE_OK);
	e = json_object_get(l, "award");
	assert_string_equal(js(e, "start"), "2024-09-10");
	assert_string_equal(js(e, "state"), "running");
	assert_int_equal(
	    json_array_size(json_object_get(e, "suspensions")), 0);
	assert_int_equal(json_array_size(json_object_get(e, "extensions")), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(e, "restarts")), 1);
	assert_true(json_is_null(json_object_get(e, "stopped")));
	/* Fri 09-10 + 45 = Fri 10-25, no extension left. */
	assert_date(due_of(pclock("award"), e, g.cal, D(2024, 12, 1), NULL),
	    D(2024, 10, 25));
	assert_int_equal(
	    act(l, "award", CLK_RESTART, D(2024, 9, 20), 0, &err), WAGE_OK);
	e = json_object_get(l, "award");
	assert_string_equal(js(e, "start"), "2024-09-20");
	assert_int_equal(
	    json_integer_value(json_object_get(e, "restarts")), 2);
	json_decref(l);
}

static void
test_clock_extension_limits(void **state)
{
	struct wage_error err;
	json_t           *l = ledger_with("award", D(2024, 8, 20));
	json_t           *e, *x, *before;

	(void) state;
	e = json_object_get(l, "award");
	/* Above the most one extension may add (Art 43: 15): refused. */
	before = json_deep_copy(l);
	assert_int_equal(act(l, "award", CLK_EXTEND, D(2024, 9, 1), 16, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(err.code, WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.days");
	assert_true(json_equal(before, l));
	assert_int_equal(act(l, "award", CLK_EXTEND, D(2024, 9, 1), 0, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(act(l, "award", CLK_EXTEND, D(2024, 9, 1), -3, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_true(json_equal(before, l));
	json_decref(before);

	/* 15 days, once. 08-20 + 60 = Sat 10-19: Mon 10-21. */
	assert_int_equal(
	    act(l, "award", CLK_EXTEND, D(2024, 9, 1), 15, &err), WAGE_OK);
	x = json_array_get(json_object_get(e, "extensions"), 0);
	assert_int_equal(json_integer_value(json_object_get(x, "days")), 15);
	assert_string_equal(js(x, "on"), "2024-09-01");
	assert_string_equal(js(x, "by"), "刘主任");
	assert_date(due_of(pclock("award"), e, g.cal, D(2024, 9, 1), NULL),
	    D(2024, 10, 21));

	/* A second extension is refused, even of one day. */
	before = json_deep_copy(l);
	assert_int_equal(act(l, "award", CLK_EXTEND, D(2024, 9, 2), 1, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_string_equal(err.field, "event");
	assert_true(json_equal(before, l));
	json_decref(before);

	/* A suspended clock may be extended; a stopped or absent one, or
	 * one the policy gives no extension, may not. */
	json_decref(l);
	l = ledger_with("award", D(2024, 8, 20));
	assert_int_equal(
	    act(l, "award", CLK_SUSPEND, D(2024, 9, 1), 0, &err), WAGE_OK);
	assert_int_equal(
	    act(l, "award", CLK_EXTEND, D(2024, 9, 2), 5, &err), WAGE_OK);
	assert_int_equal(
	    act(l, "award", CLK_STOP, D(2024, 9, 3), 0, &err), WAGE_OK);
	json_decref(l);
	l = ledger_with("award", D(2024, 8, 20));
	assert_int_equal(
	    act(l, "award", CLK_STOP, D(2024, 9, 3), 0, &err), WAGE_OK);
	assert_int_equal(act(l, "award", CLK_EXTEND, D(2024, 9, 4), 5, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_int_equal(act(l, "inspection_investigate", CLK_EXTEND,
	                     D(2024, 9, 4), 5, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	json_decref(l);
	l = ledger_with("acceptance", D(2024, 8, 20));
	assert_int_equal(
	    act(l, "acceptance", CLK_EXTEND, D(2024, 8, 21), 1, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_string_equal(err.field, "event");
	json_decref(l);
}

static void
test_clock_refused_suspend_resume(void **state)
{
	struct wage_error err;
	json_t           *l = ledger_with("award", D(2024, 8, 20));
	json_t           *before;

	(void) state;
	/* Running: resume refused. */
	before = json_deep_copy(l);
	assert_int_equal(act(l, "award", CLK_RESUME, D(2024, 9, 1), 0, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_string_equal(err.field, "event");
	assert_true(json_equal(before, l));
	json_decref(before);
	/* Suspended: a second suspend refused. */
	assert_int_equal(
	    act(l, "award", CLK_SUSPEND, D(2024, 9, 1), 0, &err), WAGE_OK);
	before = json_deep_copy(l);
	assert_int_equal(act(l, "award", CLK_SUSPEND, D(2024, 9, 2), 0, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_string_equal(err.field, "event");
	assert_true(json_equal(before, l));
	json_decref(before);
	/* Stopped: both refused. */
	assert_int_equal(
	    act(l, "award", CLK_STOP, D(2024, 9, 3), 0, &err), WAGE_OK);
	before = json_deep_copy(l);
	assert_int_equal(act(l, "award", CLK_SUSPEND, D(2024, 9, 4), 0, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_int_equal(act(l, "award", CLK_RESUME, D(2024, 9, 4), 0, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_true(json_equal(before, l));
	json_decref(before);
	/* Never started: both refused, nothing created. */
	assert_int_equal(
	    act(l, "mediation", CLK_SUSPEND, D(2024, 9, 4), 0, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_int_equal(
	    act(l, "mediation", CLK_RESUME, D(2024, 9, 4), 0, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_null(json_object_get(l, "mediation"));
	json_decref(l);
}

static void
test_clock_stop_is_idempotent(void **state)
{
	struct wage_error err;
	json_t           *l = ledger_with("award", D(2024, 8, 20));
	json_t           *before, *e, *s;

	(void) state;
	assert_int_equal(
	    act(l, "award", CLK_STOP, D(2024, 9, 1), 0, &err), WAGE_OK);
	e = json_object_get(l, "award");
	assert_string_equal(js(e, "state"), "stopped");
	assert_string_equal(js(e, "stopped"), "2024-09-01");
	before = json_deep_copy(l);
	assert_int_equal(
	    act(l, "award", CLK_STOP, D(2024, 9, 5), 0, &err), WAGE_OK);
	assert_true(json_equal(before, l));
	json_decref(before);
	/* Stopping a clock never started is a no-op too. */
	assert_int_equal(
	    act(l, "mediation", CLK_STOP, D(2024, 9, 5), 0, &err), WAGE_OK);
	assert_null(json_object_get(l, "mediation"));
	json_decref(l);

	/* Stopping a suspended clock closes its suspension that day. */
	l = ledger_with("award", D(2024, 8, 20));
	assert_int_equal(
	    act(l, "award", CLK_SUSPEND, D(2024, 9, 1), 0, &err), WAGE_OK);
	assert_int_equal(
	    act(l, "award", CLK_STOP, D(2024, 9, 6), 0, &err), WAGE_OK);
	e = json_object_get(l, "award");
	s = json_array_get(json_object_get(e, "suspensions"), 0);
	assert_string_equal(js(s, "to"), "2024-09-06");
	assert_string_equal(js(e, "state"), "stopped");
	json_decref(l);
}

static void
test_clock_start_running_is_noop(void **state)
{
	struct wage_error err;
	json_t           *l = ledger_with("award", D(2024, 8, 20));
	json_t           *before, *e;

	(void) state;
	before = json_deep_copy(l);
	assert_int_equal(
	    act(l, "award", CLK_START, D(2024, 9, 1), 0, &err), WAGE_OK);
	assert_true(json_equal(before, l));
	assert_int_equal(
	    clock_start_one(l, g.p, ci("award"), D(2024, 9, 2)), WAGE_OK);
	assert_true(json_equal(before, l));
	json_decref(before);
	/* Suspended counts as started: no-op as well. */
	assert_int_equal(
	    act(l, "award", CLK_SUSPEND, D(2024, 9, 3), 0, &err), WAGE_OK);
	before = json_deep_copy(l);
	assert_int_equal(
	    act(l, "award", CLK_START, D(2024, 9, 4), 0, &err), WAGE_OK);
	assert_true(json_equal(before, l));
	json_decref(before);
	/* Started again after a stop: from that day, running. */
	assert_int_equal(
	    act(l, "award", CLK_STOP, D(2024, 9, 5), 0, &err), WAGE_OK);
	assert_int_equal(
	    act(l, "award", CLK_START, D(2024, 9, 10), 0, &err), WAGE_OK);
	e = json_object_get(l, "award");
	assert_string_equal(js(e, "start"), "2024-09-10");
	assert_string_equal(js(e, "state"), "running");
	assert_int_equal(
	    json_array_size(json_object_get(e, "suspensions")), 0);
	/* A clock never started is created running on the day. */
	assert_int_equal(
	    act(l, "mediation", CLK_START, D(2024, 9, 11), 0, &err), WAGE_OK);
	e = json_object_get(l, "mediation");
	assert_non_null(e);
	assert_string_equal(js(e, "start"), "2024-09-11");
	assert_string_equal(js(e, "state"), "running");
	assert_int_equal(
	    json_integer_value(json_object_get(e, "restarts")), 0);
	json_decref(l);
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
		if (strcmp(js(c, "clock"), clock) == 0) {
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
	json_object_set_new(l, "award", entry(D(2024, 8, 20)));
	json_object_set_new(l, "inspection_accept", entry(D(2024, 9, 26)));
	json_object_set_new(l, "acceptance", entry(D(2024, 2, 5)));
	json_object_set_new(l, "not_a_clock", entry(D(2024, 2, 5)));

	/* First computation: due dates stored, nothing "changed". */
	changes = json_array();
	assert_int_equal(clock_refresh(l, g.p, g.cal, today, changes), 0);
	assert_int_equal(json_array_size(changes), 0);
	assert_string_equal(
	    js(json_object_get(l, "award"), "due"), "2024-10-08");
	assert_true(json_is_false(
	    json_object_get(json_object_get(l, "award"), "provisional")));
	assert_string_equal(
	    js(json_object_get(l, "inspection_accept"), "due"), "2024-10-09");
	assert_string_equal(
	    js(json_object_get(l, "acceptance"), "due"), "2024-02-18");
	/* A clock the policy does not know is left alone. */
	assert_null(json_object_get(json_object_get(l, "not_a_clock"), "due"));

	/* The same calendar from the copy: no change. */
	cal = load(dir);
	assert_int_equal(clock_refresh(l, g.p, cal, today, changes), 0);
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
	assert_int_equal(clock_refresh(l, g.p, cal, today, changes), 1);
	assert_int_equal(json_array_size(changes), 1);
	c = change_of(changes, "award");
	assert_non_null(c);
	assert_string_equal(js(c, "from"), "2024-10-08");
	assert_string_equal(js(c, "to"), "2024-10-04");
	assert_true(json_is_false(json_object_get(c, "provisional")));
	assert_string_equal(
	    js(json_object_get(l, "award"), "due"), "2024-10-04");
	assert_string_equal(
	    js(json_object_get(l, "inspection_accept"), "due"), "2024-10-09");
	calendar_free(cal);

	/* Back to the official schedule: changed back. */
	json_array_clear(changes);
	assert_int_equal(clock_refresh(l, g.p, g.cal, today, changes), 1);
	c = change_of(changes, "award");
	assert_non_null(c);
	assert_string_equal(js(c, "from"), "2024-10-04");
	assert_string_equal(js(c, "to"), "2024-10-08");
	/* changes may be NULL. */
	assert_int_equal(clock_refresh(l, g.p, g.cal, today, NULL), 0);

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
	json_object_set_new(l, "acceptance", entry(D(2027, 3, 1)));
	/* 5 working days from Mon 2026-12-28: 12-29, 12-30, 12-31, then
	 * 2027 by weekends and the law (Fri 01-01 is New Year's Day): Mon
	 * 01-04 and Tue 01-05. */
	json_object_set_new(l, "inspection_accept", entry(D(2026, 12, 28)));
	/* Entirely in 2026: never provisional. */
	json_object_set_new(l, "award", entry(D(2026, 8, 20)));
	changes = json_array();
	assert_int_equal(clock_refresh(l, g.p, g.cal, today, changes), 0);
	e = json_object_get(l, "acceptance");
	assert_string_equal(js(e, "due"), "2027-03-08");
	assert_true(json_is_true(json_object_get(e, "provisional")));
	e = json_object_get(l, "inspection_accept");
	assert_string_equal(js(e, "due"), "2027-01-05");
	assert_true(json_is_true(json_object_get(e, "provisional")));
	assert_date(
	    due_of(pclock("inspection_accept"), e, g.cal, today, &prov),
	    D(2027, 1, 5));
	assert_int_equal(prov, 1);
	/* Thu 2026-08-20 + 45 = Sun 10-04 in the National Day break
	 * (10-01..10-07), so Thu 10-08. */
	e = json_object_get(l, "award");
	assert_string_equal(js(e, "due"), "2026-10-08");
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
	assert_int_equal(clock_refresh(l, g.p, cal, today, changes), 2);
	c = change_of(changes, "acceptance");
	assert_non_null(c);
	assert_string_equal(js(c, "from"), "2027-03-08");
	assert_string_equal(js(c, "to"), "2027-03-06");
	assert_true(json_is_false(json_object_get(c, "provisional")));
	c = change_of(changes, "inspection_accept");
	assert_non_null(c);
	assert_string_equal(js(c, "from"), "2027-01-05");
	/* 12-29, 12-30, 12-31, then Tue 01-05 and Wed 01-06. */
	assert_string_equal(js(c, "to"), "2027-01-06");
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
	json_t           *l     = ledger_with("award", D(2024, 8, 20));
	size_t            award = ci("award");

	(void) state;
	/* Due 10-08: not run out on 10-08, run out from 10-09. */
	assert_false(clock_expired(l, g.p, award, g.cal, D(2024, 8, 21)));
	assert_false(clock_expired(l, g.p, award, g.cal, D(2024, 10, 4)));
	assert_false(clock_expired(l, g.p, award, g.cal, D(2024, 10, 8)));
	assert_true(clock_expired(l, g.p, award, g.cal, D(2024, 10, 9)));
	assert_true(clock_expired(l, g.p, award, g.cal, D(2025, 1, 1)));
	/* Without the calendar, 10-04 would count: the holiday matters. */
	assert_true(clock_expired(l, g.p, award, NULL, D(2024, 10, 5)));
	assert_false(clock_expired(l, g.p, award, g.cal, D(2024, 10, 5)));
	/* A clock never started has not run out. */
	assert_false(
	    clock_expired(l, g.p, ci("mediation"), g.cal, D(2025, 1, 1)));
	/* Suspended since 10-01: the open suspension holds the due date
	 * back day by day. */
	assert_int_equal(
	    act(l, "award", CLK_SUSPEND, D(2024, 10, 1), 0, &err), WAGE_OK);
	assert_false(clock_expired(l, g.p, award, g.cal, D(2024, 10, 9)));
	assert_false(clock_expired(l, g.p, award, g.cal, D(2024, 12, 1)));
	/* A stopped clock never runs out. */
	assert_int_equal(
	    act(l, "award", CLK_STOP, D(2024, 10, 2), 0, &err), WAGE_OK);
	assert_false(clock_expired(l, g.p, award, g.cal, D(2025, 6, 1)));
	json_decref(l);
}

static const json_t *
view_of(const json_t *view, const char *clock)
{
	const json_t *v;
	size_t        i;

	json_array_foreach (view, i, v) {
		if (strcmp(js(v, "clock"), clock) == 0) {
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
	json_object_set_new(l, "award", entry(D(2024, 8, 20)));
	json_object_set_new(l, "fast_track", entry(D(2024, 8, 20)));
	json_object_set_new(l, "acceptance", entry(D(2024, 8, 15)));
	json_object_set_new(l, "unknown_clock", entry(D(2024, 8, 15)));
	assert_int_equal(
	    act(l, "acceptance", CLK_STOP, D(2024, 8, 20), 0, &err), WAGE_OK);

	/* On 10-01: award due 10-08, 7 days left. */
	view = clock_view(l, g.p, g.cal, D(2024, 10, 1));
	assert_non_null(view);
	assert_int_equal(json_array_size(view), 3); /* unknown left out */
	v = view_of(view, "award");
	assert_non_null(v);
	assert_string_equal(js(v, "due"), "2024-10-08");
	assert_int_equal(
	    json_integer_value(json_object_get(v, "days_left")), 7);
	assert_true(json_is_false(json_object_get(v, "overdue")));
	assert_true(json_is_false(json_object_get(v, "provisional")));
	assert_string_equal(js(v, "state"), "running");
	assert_string_equal(js(v, "start"), "2024-08-20");
	assert_string_equal(js(v, "label"), "仲裁审理期限");
	assert_string_equal(js(v, "unit"), "calendar_days");
	assert_int_equal(json_integer_value(json_object_get(v, "length")), 45);
	assert_non_null(strstr(js(v, "basis"), "第43条"));
	assert_true(json_is_false(json_object_get(v, "target")));
	assert_int_equal(
	    json_integer_value(json_object_get(v, "extended_days")), 0);
	/* fast_track: 08-20 + 30 = Thu 09-19; a policy target. Overdue by
	 * 12 days on 10-01. */
	v = view_of(view, "fast_track");
	assert_non_null(v);
	assert_string_equal(js(v, "due"), "2024-09-19");
	assert_int_equal(
	    json_integer_value(json_object_get(v, "days_left")), -12);
	assert_true(json_is_true(json_object_get(v, "overdue")));
	assert_true(json_is_true(json_object_get(v, "target")));
	/* A stopped clock: a due date, but no days left and not overdue. */
	v = view_of(view, "acceptance");
	assert_non_null(v);
	assert_string_equal(js(v, "state"), "stopped");
	assert_null(json_object_get(v, "days_left"));
	assert_null(json_object_get(v, "overdue"));
	json_decref(view);

	/* On the due day: 0 left, not overdue; the day after: -1. */
	view = clock_view(l, g.p, g.cal, D(2024, 10, 8));
	v    = view_of(view, "award");
	assert_int_equal(
	    json_integer_value(json_object_get(v, "days_left")), 0);
	assert_true(json_is_false(json_object_get(v, "overdue")));
	json_decref(view);
	view = clock_view(l, g.p, g.cal, D(2024, 10, 9));
	v    = view_of(view, "award");
	assert_int_equal(
	    json_integer_value(json_object_get(v, "days_left")), -1);
	assert_true(json_is_true(json_object_get(v, "overdue")));
	json_decref(view);

	/* Extended by 15 on 10-01: Mon 10-21, 20 left, extended_days 15. */
	assert_int_equal(
	    act(l, "award", CLK_EXTEND, D(2024, 10, 1), 15, &err), WAGE_OK);
	view = clock_view(l, g.p, g.cal, D(2024, 10, 1));
	v    = view_of(view, "award");
	assert_string_equal(js(v, "due"), "2024-10-21");
	assert_int_equal(
	    json_integer_value(json_object_get(v, "days_left")), 20);
	assert_int_equal(
	    json_integer_value(json_object_get(v, "extended_days")), 15);
	json_decref(view);

	/* A clock in a year with no schedule is shown provisional. */
	json_object_set_new(l, "mediation", entry(D(2027, 3, 1)));
	view = clock_view(l, g.p, g.cal, D(2027, 3, 1));
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
	json_object_set_new(l, "inspection_accept", entry(D(2029, 9, 28)));
	/* Sun 2027-01-31 + 5 calendar days is Fri 02-05, Spring Festival
	 * eve; the festival runs to Mon 02-08 (初三): Tue 02-09. */
	json_object_set_new(l, "acceptance", entry(D(2027, 1, 31)));
	/* Thu 2027-01-21 + 15 is the same eve. */
	json_object_set_new(l, "mediation", entry(D(2027, 1, 21)));
	/* The first computation stores the due dates: no change. */
	assert_int_equal(clock_refresh(l, g.p, g.cal, today, NULL), 0);
	e = json_object_get(l, "inspection_accept");
	assert_string_equal(js(e, "due"), "2029-10-10");
	assert_true(json_is_true(json_object_get(e, "provisional")));
	e = json_object_get(l, "acceptance");
	assert_string_equal(js(e, "due"), "2027-02-09");
	assert_true(json_is_true(json_object_get(e, "provisional")));
	e = json_object_get(l, "mediation");
	assert_string_equal(js(e, "due"), "2027-02-09");
	assert_true(json_is_true(json_object_get(e, "provisional")));
	/* Weekends alone (no calendar) would say 10-05 and 02-05. */
	assert_date(
	    due_of(pclock("inspection_accept"),
	        json_object_get(l, "inspection_accept"), NULL, today, &prov),
	    D(2029, 10, 5));
	assert_date(due_of(pclock("acceptance"),
	                json_object_get(l, "acceptance"), NULL, today, &prov),
	    D(2027, 2, 5));
	/* Shown provisional. */
	view = clock_view(l, g.p, g.cal, today);
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
	assert_int_equal(clock_refresh(l, g.p, cal, today, changes), 1);
	c = change_of(changes, "inspection_accept");
	assert_non_null(c);
	assert_string_equal(js(c, "from"), "2029-10-10");
	assert_string_equal(js(c, "to"), "2029-10-11");
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
		cmocka_unit_test(test_clock_refresh_on_calendar_change),
		cmocka_unit_test(test_clock_refresh_provisional_year),
		cmocka_unit_test(test_clock_expired),
		cmocka_unit_test(test_clock_view),
		cmocka_unit_test(test_clock_provisional_statutory_holidays),
	};

	return (cmocka_run_group_tests_name(
	    "clock", tests, group_setup, group_teardown));
}
