/* SPDX-License-Identifier: MIT */
/*
 * test_procedure.c - the rules policy 2026.2 added to server/caserules.c,
 * over the shipped policy, the official calendars and the Shandong
 * minimum-wage table: acceptance in working days, suspended by a request
 * for materials and counted again from their completion (Art 29, 办案规则
 * Arts 29, 80); the 45 days from acceptance (Art 43); fields bounded
 * against today and against the claim (Arts 28, 35); a suit or set-aside
 * application only within the party's window (Arts 48-50); events for an
 * award of one kind only (Arts 47, 50); payment against what is owed, in
 * part with a reason; a pay-by date that is a clock; windows that end and
 * run on after closure; the labour-inspection track (劳动保障监察条例 Art
 * 17; 刑法 Art 276-1). Service (送达) is in test_service.c.
 *
 * Events go through workflow_check first, as the server does. "Today" is
 * the real today (no hook moves it): what needs the past is built with
 * past dates (received, award and service dates, ledgers by hand).
 * Run from the repository root, or set WAGE_SRCDIR to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "calendar.h"
#include "caserules.h"
#include "clock.h"
#include "minwage.h"
#include "policy.h"
#include "validate.h"
#include "wage/protocol.h"

#include "support_calendar.h"
#include "support_caserules.h"

/* The group of support_caserules.h: policy, calendars, actors, today. */
#define R tsupport_rules_g

#define REGION "370102" /* 济南 历下区: tier 1 of the Shandong table */

static json_t *
one_item(json_int_t fen)
{
	return (json_pack("[{s:s, s:I}]", "kind", "wages", "amount_fen", fen));
}

/*
 * final_limit: 12 x the monthly minimum wage in force for region on the
 * day on (Art 47), from the table through minwage.c; checked against
 * the monthly figure it is made of.
 */
static long long
final_limit(const char *region, struct civil_date on)
{
	long long limit = 0, month = 0;
	int       tier = 0, tier2 = 0;

	assert_int_equal(
	    minwage_final_limit_fen(R.mw, region, on, &limit, &tier), WAGE_OK);
	assert_int_equal(
	    minwage_monthly_fen(R.mw, region, on, &month, &tier2), WAGE_OK);
	assert_int_equal(limit, 12 * month);
	assert_int_equal(tier, tier2);
	assert_true(limit > 0);
	return (limit);
}

/*
 * awarded_doc: a case awarded on the day on, the whole claim of one wages
 * item of fen, received long before (an award may not predate the
 * complaint). In state awarded, no service yet.
 */
static json_t *
awarded_doc(json_int_t fen, struct civil_date on)
{
	json_t *doc = tsupport_mkdoc("arbitration", REGION, 0, one_item(fen));

	json_object_set_new(
	    doc, "received", tsupport_jdate(tsupport_days_ago(200)));
	tsupport_set_clock(doc, "award", tsupport_days_ago(100));
	tsupport_fire_ok(doc, "award", &R.arbitrator,
	    json_pack("{s:I, s:o}", "amount_fen", fen, "award_date",
	        tsupport_jdate(on)));
	assert_string_equal(tsupport_js(doc, "state"), "awarded");
	return (doc);
}

/* serve_on: the award served on party on the day on. */
static void
serve_on(json_t *doc, const char *party, struct civil_date on)
{
	tsupport_fire_ok(doc, "serve", &R.clerk,
	    json_pack("{s:s, s:s, s:s, s:o}", "document", "award", "party",
	        party, "method", "direct", "served_on", tsupport_jdate(on)));
}

static json_t *
suit_fields(const char *party)
{
	return (json_pack("{s:s, s:s, s:o}", "party", party, "court",
	    "济南市历下区人民法院", "filed_on", tsupport_jdate(R.today)));
}

/* ---- acceptance (Art 29; 办案规则 Arts 29, 80) ------------------------ */

static void
test_procedure_acceptance_in_working_days(void **state)
{
	const struct policy_clock *pc;
	struct wage_error          err;
	struct civil_date          due;
	json_t                    *doc, *e;
	int                        prov = -1;

	(void) state;
	/* DOMAIN.md worked example: received Thu 2024-09-26, 5 working
	 * days: 09-27, 09-29 (a working Sunday), 09-30, 10-08, 10-09. */
	pc = &R.p->clocks[policy_clock_find(R.p, "acceptance")];
	assert_int_equal(pc->unit, CAL_WORKING_DAYS);
	e = json_pack("{s:s, s:s, s:[], s:[], s:i, s:n}", "start",
	    "2024-09-26", "state", "running", "suspensions", "extensions",
	    "restarts", 0, "stopped");
	assert_int_equal(
	    clock_due(pc, e, R.cal, R.today, &due, &prov), WAGE_OK);
	tsupport_assert_date(due, tsupport_date(2024, 10, 9));
	assert_int_equal(prov, 0);
	/* In calendar days it would have been 10-08 (10-01 rests). */
	tsupport_assert_date(tsupport_due(R.cal, tsupport_date(2024, 9, 26), 5,
	                         CAL_CALENDAR_DAYS, NULL),
	    tsupport_date(2024, 10, 8));
	json_decref(e);

	/* Filing starts it on the day received, as the ledger shows. */
	doc = tsupport_mkdoc("intake", REGION, 0, NULL);
	json_object_set_new(doc, "received", json_string("2024-09-26"));
	assert_int_equal(caserules_filed(&R.env, doc, &err), WAGE_OK);
	assert_string_equal(
	    tsupport_js(tsupport_clock_of(doc, "acceptance"), "due"),
	    "2024-10-09");
	json_decref(doc);
}

/*
 * 办案规则 Art 29: a request for materials suspends the 5 days; once
 * complete they count again, from that day.
 */
static void
test_procedure_request_materials_suspends_acceptance(void **state)
{
	const struct policy_clock *pc;
	struct wage_error          err;
	struct civil_date          due;
	json_t                    *doc, *e, *f;
	int                        prov;

	(void) state;
	doc = tsupport_mkdoc("intake", REGION, 0, NULL);
	json_object_set_new(doc, "received", tsupport_jdate(R.today));
	assert_int_equal(caserules_filed(&R.env, doc, &err), WAGE_OK);
	f = json_pack("{s:s}", "materials", "劳动合同、工资条");
	assert_int_equal(
	    tsupport_fire(doc, "request_materials", &R.clerk, f, &err),
	    WAGE_OK);
	e = tsupport_clock_of(doc, "acceptance");
	assert_string_equal(tsupport_js(e, "state"), "suspended");
	assert_int_equal(
	    json_array_size(json_object_get(e, "suspensions")), 1);
	assert_string_equal(
	    tsupport_js(
	        json_array_get(json_object_get(e, "suspensions"), 0), "from"),
	    R.today_s);
	/* Asked while suspended: the clock is not running. */
	assert_int_equal(
	    tsupport_fire(doc, "request_materials", &R.clerk, f, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "acceptance"));
	json_decref(f);

	/* Completed today: 5 working days from today, the suspension and
	 * its days gone. */
	tsupport_fire_ok(doc, "supplement", &R.unionist,
	    json_pack("{s:s}", "materials", "工资条"));
	e = tsupport_clock_of(doc, "acceptance");
	assert_string_equal(tsupport_js(e, "state"), "running");
	assert_string_equal(tsupport_js(e, "start"), R.today_s);
	assert_int_equal(
	    json_array_size(json_object_get(e, "suspensions")), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(e, "restarts")), 1);
	tsupport_assert_date(tsupport_due_of(doc, "acceptance"),
	    tsupport_due(R.cal, R.today, 5, CAL_WORKING_DAYS, NULL));
	json_decref(doc);

	/* The suspended days do not count: from 2024-09-26, suspended from
	 * 09-27 to 10-10, the working days are 09-27, 10-11, 10-12 (a
	 * working Saturday), 10-14, 10-15. */
	pc = &R.p->clocks[policy_clock_find(R.p, "acceptance")];
	e  = json_pack("{s:s, s:s, s:[{s:s, s:s}], s:[], s:i, s:n}", "start",
	     "2024-09-26", "state", "running", "suspensions", "from",
	     "2024-09-27", "to", "2024-10-10", "extensions", "restarts", 0,
	     "stopped");
	assert_int_equal(
	    clock_due(pc, e, R.cal, R.today, &due, &prov), WAGE_OK);
	tsupport_assert_date(due, tsupport_date(2024, 10, 15));
	json_decref(e);
}

/* ---- the 45 days (Art 43) --------------------------------------------- */

/*
 * Art 43: from acceptance. Mediation by the tribunal runs inside them:
 * its failure neither starts nor restarts the clock (2026.1 started it
 * there), nor does mediation taken up again during arbitration.
 */
static void
test_procedure_award_clock_from_acceptance(void **state)
{
	struct wage_error err;
	json_t           *doc, *reason;
	const char       *due;

	(void) state;
	doc = tsupport_mkdoc("intake", REGION, 0, NULL);
	assert_int_equal(caserules_filed(&R.env, doc, &err), WAGE_OK);
	tsupport_fire_ok(doc, "accept", &R.clerk, NULL);
	tsupport_assert_due_from(doc, "award", R.today);

	/* As if accepted 20 days ago. */
	tsupport_set_clock(doc, "award", tsupport_days_ago(20));
	caserules_refresh(&R.env, doc, NULL);
	due    = tsupport_js(tsupport_clock_of(doc, "award"), "due");
	reason = json_pack("{s:s}", "reason", "用人单位拒绝调解");
	tsupport_fire_ok(
	    doc, "mediation_failed", &R.mediator, json_incref(reason));
	assert_string_equal(tsupport_js(doc, "state"), "arbitration");
	tsupport_assert_due_from(doc, "award", tsupport_days_ago(20));
	assert_string_equal(
	    tsupport_js(tsupport_clock_of(doc, "award"), "due"), due);
	tsupport_fire_ok(doc, "start_mediation", &R.arbitrator, NULL);
	tsupport_fire_ok(
	    doc, "apply_arbitration", &R.unionist, json_incref(reason));
	tsupport_assert_due_from(doc, "award", tsupport_days_ago(20));
	assert_string_equal(tsupport_clock_state(doc, "award"), "running");
	assert_int_equal(json_integer_value(json_object_get(
	                     tsupport_clock_of(doc, "award"), "restarts")),
	    0);
	json_decref(reason);
	json_decref(doc);
}

/* ---- field bounds (Arts 28, 35) ---------------------------------------- */

static void
test_procedure_hearing_date_bounds(void **state)
{
	struct wage_error err;
	json_t           *doc, *f;

	(void) state;
	/* Art 35: notice at least 5 days before the hearing. */
	doc = tsupport_mkdoc("arbitration", REGION, 0, NULL);
	tsupport_set_clock(doc, "award", tsupport_days_ago(3));
	f = json_pack(
	    "{s:o}", "hearing_date", tsupport_jdate(tsupport_days_ago(-4)));
	assert_int_equal(
	    tsupport_fire(doc, "hearing_scheduled", &R.arbitrator, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.hearing_date");
	assert_non_null(strstr(err.message, "第35条"));
	/* It names the first day allowed. */
	assert_non_null(
	    strstr(err.message, tsupport_datestr(tsupport_days_ago(-5))));
	assert_non_null(strstr(err.message, "or later"));
	json_decref(f);
	f = json_pack(
	    "{s:o}", "hearing_date", tsupport_jdate(tsupport_days_ago(-5)));
	assert_int_equal(
	    tsupport_fire(doc, "hearing_scheduled", &R.arbitrator, f, &err),
	    WAGE_OK);
	json_decref(f);
	json_decref(doc);
}

static void
test_procedure_dates_not_future_nor_past(void **state)
{
	struct wage_error err;
	json_t           *doc, *f;

	(void) state;
	/* An award is dated the day it is made, not ahead. */
	doc = tsupport_mkdoc("arbitration", REGION, 0, NULL);
	tsupport_set_clock(doc, "award", tsupport_days_ago(3));
	f = json_pack("{s:I, s:o}", "amount_fen", (json_int_t) 1860000,
	    "award_date", tsupport_jdate(tsupport_days_ago(-1)));
	assert_int_equal(tsupport_fire(doc, "award", &R.arbitrator, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.award_date");
	assert_non_null(strstr(err.message, "not in the future"));
	assert_non_null(strstr(err.message, R.today_s));
	assert_string_equal(tsupport_js(doc, "state"), "arbitration");
	json_decref(f);
	f = json_pack("{s:I, s:o}", "amount_fen", (json_int_t) 1860000,
	    "award_date", tsupport_jdate(R.today));
	assert_int_equal(
	    tsupport_fire(doc, "award", &R.arbitrator, f, &err), WAGE_OK);
	json_decref(f);
	json_decref(doc);

	/* A pay-by date not already past. */
	doc = tsupport_mkdoc("mediation", REGION, 0, NULL);
	f   = json_pack("{s:I, s:o}", "amount_fen", (json_int_t) 1000000,
	      "pay_by", tsupport_jdate(tsupport_days_ago(1)));
	assert_int_equal(
	    tsupport_fire(doc, "mediation_agreement", &R.mediator, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.pay_by");
	assert_non_null(strstr(err.message, R.today_s));
	assert_null(json_object_get(doc, "settlement"));
	json_object_set_new(f, "pay_by", tsupport_jdate(R.today));
	assert_int_equal(
	    tsupport_fire(doc, "mediation_agreement", &R.mediator, f, &err),
	    WAGE_OK);
	json_decref(f);
	json_decref(doc);
}

static void
test_procedure_amount_within_claim(void **state)
{
	struct wage_error err;
	json_t           *doc, *f;

	(void) state;
	/* Art 28: no more than claimed (1 860 000 fen). */
	doc = tsupport_mkdoc("arbitration", REGION, 0, NULL);
	tsupport_set_clock(doc, "award", tsupport_days_ago(3));
	f = json_pack("{s:I, s:o}", "amount_fen", (json_int_t) 1860001,
	    "award_date", tsupport_jdate(R.today));
	assert_int_equal(tsupport_fire(doc, "award", &R.arbitrator, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.amount_fen");
	assert_non_null(strstr(err.message, "1860001 fen"));
	assert_non_null(strstr(err.message, "the claim (1860000 fen)"));
	assert_non_null(strstr(err.message, "第28条"));
	assert_null(json_object_get(doc, "award"));
	json_object_set_new(f, "amount_fen", json_integer(1860000));
	assert_int_equal(
	    tsupport_fire(doc, "award", &R.arbitrator, f, &err), WAGE_OK);
	json_decref(f);
	json_decref(doc);

	/* The claim is the sum of its items. */
	doc = tsupport_mkdoc("mediation", REGION, 0,
	    json_pack("[{s:s, s:I}, {s:s, s:I}]", "kind", "wages",
	        "amount_fen", (json_int_t) 500000, "kind", "overtime",
	        "amount_fen", (json_int_t) 300000));
	f   = json_pack("{s:I, s:o}", "amount_fen", (json_int_t) 800001,
	      "pay_by", tsupport_jdate(R.today));
	assert_int_equal(
	    tsupport_fire(doc, "mediation_agreement", &R.mediator, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_non_null(strstr(err.message, "(800000 fen)"));
	json_object_set_new(f, "amount_fen", json_integer(800000));
	assert_int_equal(
	    tsupport_fire(doc, "mediation_agreement", &R.mediator, f, &err),
	    WAGE_OK);
	json_decref(f);
	json_decref(doc);
}

/* ---- windows: suits and set-aside applications (Arts 48-50) ------------ */

/*
 * within_window: a worker's suit on a final award is allowed up to the
 * last day of its 15 days from its receipt (Art 48), refused after,
 * naming the window and the day it ended. The award is served on the
 * worker n days ago for n around the window's length.
 */
static void
test_procedure_suit_within_worker_window(void **state)
{
	struct wage_error err;
	struct civil_date due, yesterday = tsupport_days_ago(1);
	json_t           *doc, *f        = suit_fields("worker");
	char              want[64];
	int               n, rc, in = 0, out = 0, day_after = 0, prov;

	(void) state;
	for (n = 5; n <= 30; n++) {
		doc = awarded_doc(100000, tsupport_days_ago(40));
		serve_on(doc, "worker", tsupport_days_ago(n));
		due = tsupport_due_of(doc, "challenge_worker");
		tsupport_assert_date(due,
		    tsupport_due(R.cal, tsupport_days_ago(n), 15,
		        CAL_CALENDAR_DAYS, &prov));
		rc = tsupport_fire(doc, "suit", &R.unionist, f, &err);
		if (civil_date_cmp(&R.today, &due) <= 0) {
			assert_int_equal(rc, WAGE_OK);
			assert_string_equal(
			    tsupport_js(doc, "state"), "in_court");
			in++;
		} else {
			assert_int_equal(rc, WAGE_E_ILLEGAL_TRANSITION);
			assert_string_equal(err.field, "event");
			snprintf(want, sizeof(want),
			    "challenge_worker ended %s",
			    tsupport_datestr(due));
			assert_non_null(strstr(err.message, want));
			assert_non_null(strstr(err.message, "第48条"));
			assert_string_equal(
			    tsupport_js(doc, "state"), "awarded");
			day_after += civil_date_cmp(&due, &yesterday) == 0;
			out++;
		}
		json_decref(doc);
	}
	assert_true(in > 0 && out > 0);
	/* A window ends on a working day: when yesterday was one, a window
	 * that ended yesterday was among them, and refused today. */
	if (calendar_is_workday(R.cal, yesterday, NULL)) {
		assert_int_equal(day_after, 1);
	}

	/* The employer has no suit on a final award (Art 49: it applies to
	 * set aside), and nobody sues before being served. */
	doc = awarded_doc(100000, tsupport_days_ago(3));
	json_decref(f);
	f = suit_fields("employer");
	serve_on(doc, "employer", R.today);
	assert_int_equal(tsupport_fire(doc, "suit", &R.clerk, f, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "no window is open"));
	json_decref(f);
	f = suit_fields("worker");
	assert_int_equal(tsupport_fire(doc, "suit", &R.clerk, f, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	json_decref(f);
	json_decref(doc);
}

/*
 * Art 49: the employer applies to set a final award aside within its 30
 * days; a non-final award (an item above 12 x the minimum wage, Art 47)
 * opens no such window: each party may sue instead (Art 50).
 */
static void
test_procedure_set_aside_only_in_employer_window(void **state)
{
	struct wage_error err;
	struct civil_date awarded = tsupport_days_ago(50);
	json_t           *doc, *f;
	long long         limit = final_limit(REGION, awarded);

	(void) state;
	f = json_pack("{s:s, s:o}", "court", "济南市中级人民法院", "filed_on",
	    tsupport_jdate(R.today));
	/* Final: not before service, yes within 30 days of receipt. */
	doc = awarded_doc(limit, awarded);
	assert_int_equal(
	    tsupport_fire(doc, "set_aside_application", &R.clerk, f, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	serve_on(doc, "worker", tsupport_days_ago(45));
	assert_int_equal(
	    tsupport_fire(doc, "set_aside_application", &R.clerk, f, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	serve_on(doc, "employer", tsupport_days_ago(10));
	assert_string_equal(
	    tsupport_clock_state(doc, "challenge_employer"), "running");
	assert_int_equal(
	    tsupport_fire(doc, "set_aside_application", &R.clerk, f, &err),
	    WAGE_OK);
	assert_string_equal(tsupport_js(doc, "state"), "in_court");
	json_decref(doc);

	/* Final, but the employer was served 45 days ago: over. */
	doc = awarded_doc(limit, awarded);
	serve_on(doc, "employer", tsupport_days_ago(45));
	assert_int_equal(
	    tsupport_fire(doc, "set_aside_application", &R.clerk, f, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "challenge_employer ended"));
	assert_non_null(strstr(err.message, "第49条"));
	json_decref(doc);

	/* One fen above the limit: non-final, no challenge_employer. */
	doc = awarded_doc(limit + 1, awarded);
	serve_on(doc, "employer", tsupport_days_ago(10));
	assert_null(tsupport_clock_of(doc, "challenge_employer"));
	assert_string_equal(
	    tsupport_clock_state(doc, "challenge_nonfinal_employer"),
	    "running");
	assert_int_equal(
	    tsupport_fire(doc, "set_aside_application", &R.clerk, f, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_string_equal(tsupport_js(doc, "state"), "awarded");
	json_decref(f);
	/* ... and the employer may sue on it, within its 15 days. */
	f = suit_fields("employer");
	assert_int_equal(
	    tsupport_fire(doc, "suit", &R.clerk, f, &err), WAGE_OK);
	json_decref(f);
	json_decref(doc);
}

/* ---- the kind of the award (Arts 47, 50) ------------------------------- */

static void
test_procedure_award_kind_guards(void **state)
{
	struct wage_error err;
	struct civil_date awarded = tsupport_days_ago(40);
	long long         limit   = final_limit(REGION, awarded);
	struct actor      sys;
	json_t           *doc;

	(void) state;
	/* Non-final: not in force when made (Art 50). */
	doc = awarded_doc(limit + 1, awarded);
	assert_int_equal(
	    tsupport_fire(doc, "final_award_effective", &R.clerk, NULL, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "only on a final award"));
	assert_non_null(strstr(err.message, "this award is non-final"));
	/* ... only once its window has run out: not while it runs. */
	serve_on(doc, "worker", R.today);
	assert_int_equal(
	    tsupport_fire(doc, "award_effective", &R.clerk, NULL, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "challenge_nonfinal_worker"));
	assert_string_equal(tsupport_js(doc, "state"), "awarded");
	json_decref(doc);
	/* Nor before the parties have it: no window has run. */
	doc = awarded_doc(limit + 1, awarded);
	assert_int_equal(
	    tsupport_fire(doc, "award_effective", &R.clerk, NULL, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	/* Served on the worker 40 days ago: the worker's 15 days are over,
	 * but every party's window must have run (after_expiry_all). */
	serve_on(doc, "worker", awarded);
	assert_int_equal(
	    tsupport_fire(doc, "award_effective", &R.clerk, NULL, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(
	    strstr(err.message, "challenge_nonfinal_employer not started"));
	assert_null(strstr(err.message, "challenge_nonfinal_worker"));
	/* The employer's too, 40 days ago: in force (Art 50), and the
	 * server makes it so by itself (automatic: ROLE_SYSTEM). */
	serve_on(doc, "employer", awarded);
	tsupport_mkactor(&sys, "wage-server", "test", ROLE_SYSTEM, "370100");
	tsupport_fire_ok(doc, "award_effective", &sys, NULL);
	assert_string_equal(tsupport_js(doc, "state"), "effective");
	json_decref(doc);
	/* The employer's window still running holds it back. */
	doc = awarded_doc(limit + 1, awarded);
	serve_on(doc, "worker", awarded);
	serve_on(doc, "employer", tsupport_days_ago(3));
	assert_int_equal(
	    tsupport_fire(doc, "award_effective", &R.clerk, NULL, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(
	    strstr(err.message, "challenge_nonfinal_employer due"));
	assert_string_equal(tsupport_js(doc, "state"), "awarded");
	json_decref(doc);

	/* Final (Art 47): in force when made, and never through the
	 * non-final way. */
	doc = awarded_doc(limit, awarded);
	serve_on(doc, "worker", awarded);
	assert_int_equal(
	    tsupport_fire(doc, "award_effective", &R.clerk, NULL, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "this award is final"));
	tsupport_fire_ok(doc, "final_award_effective", &R.arbitrator, NULL);
	assert_string_equal(tsupport_js(doc, "state"), "effective");
	json_decref(doc);
}

/* ---- payment ----------------------------------------------------------- */

static void
test_procedure_payment_against_what_is_owed(void **state)
{
	struct wage_error err;
	struct civil_date awarded = tsupport_days_ago(10);
	json_t           *doc, *f, *pay;

	(void) state;
	doc = awarded_doc(500000, awarded);
	/* More than the award. */
	f = json_pack("{s:I, s:o}", "amount_paid_fen", (json_int_t) 500001,
	    "paid_on", tsupport_jdate(R.today));
	assert_int_equal(tsupport_fire(doc, "confirm_paid", &R.clerk, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.amount_paid_fen");
	assert_non_null(strstr(err.message, "500001 fen"));
	assert_non_null(strstr(err.message, "the award (500000 fen)"));
	json_decref(f);
	/* Less, with no reason. */
	f = json_pack("{s:I, s:o}", "amount_paid_fen", (json_int_t) 300000,
	    "paid_on", tsupport_jdate(R.today));
	assert_int_equal(tsupport_fire(doc, "confirm_paid", &R.clerk, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.reason");
	assert_non_null(strstr(err.message, "200000 fen unpaid"));
	/* Paid before the award it pays. */
	json_object_set_new(
	    f, "reason", json_string("用人单位破产，余款申报债权"));
	json_object_set_new(
	    f, "paid_on", tsupport_jdate(tsupport_days_ago(11)));
	assert_int_equal(tsupport_fire(doc, "confirm_paid", &R.clerk, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.paid_on");
	assert_non_null(strstr(err.message, tsupport_datestr(awarded)));
	/* Paid in the future. */
	json_object_set_new(
	    f, "paid_on", tsupport_jdate(tsupport_days_ago(-1)));
	assert_int_equal(tsupport_fire(doc, "confirm_paid", &R.clerk, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.paid_on");
	assert_null(json_object_get(doc, "payment"));
	assert_string_equal(tsupport_js(doc, "state"), "awarded");
	/* In part, with a reason: recorded with what is left unpaid. */
	json_object_set_new(f, "paid_on", tsupport_jdate(awarded));
	assert_int_equal(
	    tsupport_fire(doc, "confirm_paid", &R.clerk, f, &err), WAGE_OK);
	assert_string_equal(tsupport_js(doc, "state"), "closed_paid");
	pay = json_object_get(doc, "payment");
	assert_int_equal(
	    json_integer_value(json_object_get(pay, "amount_paid_fen")),
	    300000);
	assert_int_equal(
	    json_integer_value(json_object_get(pay, "owed_fen")), 500000);
	assert_int_equal(
	    json_integer_value(json_object_get(pay, "unpaid_fen")), 200000);
	assert_true(json_is_true(json_object_get(pay, "partial")));
	json_decref(f);
	json_decref(doc);

	/* In full: no reason needed, nothing unpaid. */
	doc = awarded_doc(500000, awarded);
	tsupport_fire_ok(doc, "confirm_paid", &R.inspector,
	    json_pack("{s:I, s:o}", "amount_paid_fen", (json_int_t) 500000,
	        "paid_on", tsupport_jdate(R.today)));
	pay = json_object_get(doc, "payment");
	assert_int_equal(
	    json_integer_value(json_object_get(pay, "unpaid_fen")), 0);
	assert_true(json_is_false(json_object_get(pay, "partial")));
	json_decref(doc);
}

/*
 * agreed_doc: a case agreed in mediation before acceptance (Art 14) to
 * pay 1 000 000 fen by today; with until_ago >= 0, as if the pay-by date
 * had been that many days ago (the ledger edited as a past agreement
 * would have left it).
 */
static json_t *
agreed_doc(int until_ago)
{
	json_t *doc = tsupport_mkdoc("pre_mediation", REGION, 0, NULL);

	tsupport_set_clock(doc, "mediation", tsupport_days_ago(5));
	tsupport_fire_ok(doc, "pre_mediation_agreement", &R.mediator,
	    json_pack("{s:I, s:o}", "amount_fen", (json_int_t) 1000000,
	        "pay_by", tsupport_jdate(R.today)));
	assert_string_equal(tsupport_js(doc, "state"), "agreed");
	if (until_ago >= 0) {
		json_object_set_new(tsupport_clock_of(doc, "payment"), "until",
		    tsupport_jdate(tsupport_days_ago(until_ago)));
		json_object_set_new(tsupport_clock_of(doc, "payment"), "start",
		    tsupport_jdate(tsupport_days_ago(until_ago + 10)));
	}
	return (doc);
}

/* Art 15: arbitration on an agreement not performed by its date. */
static void
test_procedure_payment_default_after_pay_by(void **state)
{
	struct wage_error err;
	json_t           *doc, *f;

	(void) state;
	f   = json_pack("{s:s}", "reason", "逾期未支付");
	doc = agreed_doc(-1);
	assert_string_equal(tsupport_clock_state(doc, "payment"), "running");
	assert_string_equal(
	    tsupport_js(tsupport_clock_of(doc, "payment"), "until"),
	    R.today_s);
	assert_string_equal(
	    tsupport_js(tsupport_clock_of(doc, "payment"), "due"), R.today_s);
	/* The pay-by date is today: not yet passed. */
	assert_int_equal(
	    tsupport_fire(doc, "payment_default", &R.unionist, f, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "payment clock has run out"));
	assert_string_equal(tsupport_js(doc, "state"), "agreed");
	json_decref(doc);

	/* Passed yesterday: the worker goes back to arbitration, the 5
	 * days to accept count from today. */
	doc = agreed_doc(1);
	assert_int_equal(
	    tsupport_fire(doc, "payment_default", &R.unionist, f, &err),
	    WAGE_OK);
	assert_string_equal(tsupport_js(doc, "state"), "intake");
	assert_string_equal(tsupport_clock_state(doc, "payment"), "stopped");
	tsupport_assert_due_from(doc, "acceptance", R.today);
	json_decref(doc);
	json_decref(f);

	/* Art 16: a payment order, likewise only after the date. */
	f   = json_pack("{s:s}", "court", "济南市历下区人民法院");
	doc = agreed_doc(-1);
	assert_int_equal(
	    tsupport_fire(doc, "payment_order", &R.clerk, f, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	json_decref(doc);
	doc = agreed_doc(3);
	assert_int_equal(
	    tsupport_fire(doc, "payment_order", &R.clerk, f, &err), WAGE_OK);
	assert_string_equal(tsupport_js(doc, "state"), "closed_court");
	json_decref(doc);
	json_decref(f);
}

/* ---- windows end, and run on after closure ----------------------------- */

/* view_of: the entry of clock name in the case view (borrowed). */
static const json_t *
view_of(const json_t *view, const char *name)
{
	const json_t *c;
	size_t        i;

	json_array_foreach (json_object_get(view, "clocks"), i, c) {
		if (strcmp(tsupport_js(c, "clock"), name) == 0) {
			return (c);
		}
	}
	fail_msg("no clock '%s' in the view", name);
	return (NULL);
}

static void
test_procedure_window_ends_not_overdue(void **state)
{
	const json_t *c;
	json_t       *doc, *view = json_object();

	(void) state;
	/* Final award served on the worker 40 days ago (its 15 days are
	 * over) and on the employer 10 days ago (its 30 days run). */
	doc = awarded_doc(100000, tsupport_days_ago(40));
	serve_on(doc, "worker", tsupport_days_ago(40));
	serve_on(doc, "employer", tsupport_days_ago(10));
	caserules_view(&R.env, view, doc);
	c = view_of(view, "challenge_worker");
	assert_string_equal(tsupport_js(c, "state"), "ended");
	assert_true(json_is_true(json_object_get(c, "window")));
	assert_string_equal(tsupport_js(c, "party"), "worker");
	assert_null(json_object_get(c, "days_left"));
	assert_null(json_object_get(c, "overdue"));
	assert_non_null(json_object_get(c, "due"));
	c = view_of(view, "challenge_employer");
	assert_string_equal(tsupport_js(c, "state"), "running");
	assert_string_equal(tsupport_js(c, "party"), "employer");
	assert_true(json_integer_value(json_object_get(c, "days_left")) > 0);
	assert_true(json_is_false(json_object_get(c, "overdue")));
	/* The commission's clock is stopped; nobody is late. */
	assert_string_equal(
	    tsupport_js(view_of(view, "award"), "state"), "stopped");
	assert_null(json_object_get(view_of(view, "award"), "window"));
	assert_true(json_is_false(json_object_get(view, "overdue")));
	json_decref(view);
	json_decref(doc);
}

/*
 * A terminal state stops the commission's clocks but not a party's
 * window: closing a case leaves the employer's 30 days to apply to set
 * the award aside running (Art 49).
 */
static void
test_procedure_closure_leaves_windows_running(void **state)
{
	const char *name;
	json_t     *doc, *c;

	(void) state;
	doc = awarded_doc(100000, tsupport_days_ago(3));
	tsupport_set_clock(doc, "fast_track", tsupport_days_ago(60));
	serve_on(doc, "worker", tsupport_days_ago(2));
	serve_on(doc, "employer", tsupport_days_ago(1));
	tsupport_fire_ok(doc, "final_award_effective", &R.clerk, NULL);
	tsupport_fire_ok(doc, "close_awarded", &R.arbitrator, NULL);
	assert_string_equal(tsupport_js(doc, "state"), "closed_awarded");
	assert_string_equal(
	    tsupport_clock_state(doc, "challenge_worker"), "running");
	assert_string_equal(
	    tsupport_clock_state(doc, "challenge_employer"), "running");
	tsupport_assert_due_from(
	    doc, "challenge_employer", tsupport_days_ago(1));
	json_object_foreach (json_object_get(doc, "clocks"), name, c) {
		const struct policy_clock *pc =
		    &R.p->clocks[policy_clock_find(R.p, name)];

		assert_string_equal(tsupport_js(c, "state"),
		    pc->window ? "running" : "stopped");
	}
	json_decref(doc);
}

/* ---- labour inspection -------------------------------------------------- */

static void
test_procedure_inspection_track(void **state)
{
	struct wage_error err;
	json_t           *doc, *f;

	(void) state;
	/* The inspector is a role of its own. */
	assert_int_equal(policy_role_from_name("inspector"), ROLE_INSPECTOR);
	assert_string_equal(policy_role_name(ROLE_INSPECTOR), "inspector");

	/* Referred from arbitration: the commission's clocks stop, the
	 * inspection body's 5 working days to accept start today. */
	doc = tsupport_mkdoc("arbitration", REGION, 0, NULL);
	tsupport_set_clock(doc, "award", tsupport_days_ago(10));
	tsupport_fire_ok(doc, "refer_inspection", &R.clerk,
	    json_pack("{s:s}", "reason", "用人单位欠薪逃匿，涉及多名劳动者"));
	assert_string_equal(tsupport_js(doc, "state"), "inspection");
	assert_string_equal(tsupport_clock_state(doc, "award"), "stopped");
	assert_string_equal(
	    tsupport_clock_state(doc, "inspection_accept"), "running");
	tsupport_assert_due_from(doc, "inspection_accept", R.today);
	tsupport_assert_date(tsupport_due_of(doc, "inspection_accept"),
	    tsupport_due(R.cal, R.today, 5, CAL_WORKING_DAYS, NULL));

	tsupport_fire_ok(doc, "inspection_accept", &R.inspector, NULL);
	assert_string_equal(
	    tsupport_clock_state(doc, "inspection_accept"), "stopped");
	tsupport_assert_date(tsupport_due_of(doc, "inspection_investigate"),
	    tsupport_due(R.cal, R.today, 60, CAL_WORKING_DAYS, NULL));

	/* The order to pay is the inspector's, to a date that is a clock. */
	f = json_pack("{s:I, s:o}", "amount_fen", (json_int_t) 1860000,
	    "pay_by", tsupport_jdate(R.today));
	assert_int_equal(
	    tsupport_fire(doc, "order_payment", &R.clerk, f, &err),
	    WAGE_E_FORBIDDEN);
	assert_int_equal(
	    tsupport_fire(doc, "order_payment", &R.inspector, f, &err),
	    WAGE_OK);
	json_decref(f);
	assert_string_equal(tsupport_js(doc, "state"), "ordered");
	assert_string_equal(
	    tsupport_clock_state(doc, "inspection_investigate"), "stopped");
	assert_string_equal(
	    tsupport_js(tsupport_clock_of(doc, "order_payment"), "due"),
	    R.today_s);

	/* 刑法 Art 276-1: to the police only once the date has passed. */
	f = json_pack("{s:s}", "reason", "逾期拒不支付");
	assert_int_equal(
	    tsupport_fire(doc, "refer_police", &R.inspector, f, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "order_payment"));
	assert_string_equal(tsupport_js(doc, "state"), "ordered");
	json_object_set_new(tsupport_clock_of(doc, "order_payment"), "until",
	    tsupport_jdate(tsupport_days_ago(1)));
	assert_int_equal(tsupport_fire(doc, "refer_police", &R.clerk, f, &err),
	    WAGE_E_FORBIDDEN);
	assert_int_equal(
	    tsupport_fire(doc, "refer_police", &R.inspector, f, &err),
	    WAGE_OK);
	assert_string_equal(tsupport_js(doc, "state"), "closed_police");
	assert_string_equal(
	    tsupport_clock_state(doc, "order_payment"), "stopped");
	json_decref(f);
	json_decref(doc);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup(f, tsupport_rules_setup)
	const struct CMUnitTest tests[] = {
		T(test_procedure_acceptance_in_working_days),
		T(test_procedure_request_materials_suspends_acceptance),
		T(test_procedure_award_clock_from_acceptance),
		T(test_procedure_hearing_date_bounds),
		T(test_procedure_dates_not_future_nor_past),
		T(test_procedure_amount_within_claim),
		T(test_procedure_suit_within_worker_window),
		T(test_procedure_set_aside_only_in_employer_window),
		T(test_procedure_award_kind_guards),
		T(test_procedure_payment_against_what_is_owed),
		T(test_procedure_payment_default_after_pay_by),
		T(test_procedure_window_ends_not_overdue),
		T(test_procedure_closure_leaves_windows_running),
		T(test_procedure_inspection_track),
	};
#undef T

	return (cmocka_run_group_tests_name("procedure", tests,
	    tsupport_rules_group_setup, tsupport_rules_group_teardown));
}
