/* SPDX-License-Identifier: MIT */
/*
 * test_caserules.c - the effects and guards of events beyond the state
 * machine (server/caserules.c), with the shipped policy, the official
 * calendars and the Shandong minimum-wage table: the intake clocks run
 * from the day the complaint was received; accept stops acceptance and
 * starts the 45 days (Art 43, from acceptance); the worker may leave
 * mediation on any day (Arts 5, 14) and the award clock runs on; the
 * limitation warning must be acknowledged first (Art 27); collective
 * consent (办案规则 Art 63); assignment; and the final award (Art 47)
 * item by item against 12 x the minimum wage in force on the award date,
 * with the challenge windows each party's receipt opens (Arts 48-50).
 * With tests/data/policies/ok-automatic.yaml: the guard after_expiry_all
 * and an automatic event fired by the server (ROLE_SYSTEM).
 * The procedure's newer rules (service, windows, bounds, payment,
 * inspection) are in test_procedure.c and test_service.c.
 *
 * Events go through workflow_check first, as the server does, so that the
 * event of the right state is found. Dates "today" are the real today;
 * ledgers that need the past are built by hand.
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

#include "auth.h"
#include "calendar.h"
#include "caserules.h"
#include "clock.h"
#include "filing.h"
#include "minwage.h"
#include "policy.h"
#include "validate.h"
#include "workflow.h"
#include "wage/protocol.h"

#include "support_calendar.h"
#include "support_caserules.h"
#include "support_file.h"

/* The group of support_caserules.h: policy, calendars, actors, today. */
#define R tsupport_rules_g

/* 12 x the Shandong tier-1 minimum (yuan 2200 from 2023-10-01, 2100
 * from 2021-10-01), in fen; tier 3 from 2023-10-01: yuan 1820. */
#define LIMIT_2023_T1 (12LL * 2200 * 100)
#define LIMIT_2021_T1 (12LL * 2100 * 100)
#define LIMIT_2023_T3 (12LL * 1820 * 100)

/* tests/data/policies/ok-automatic.yaml (after_expiry_all, automatic). */
static struct policy *autop;

/* group_setup: the fixture of support_caserules.h, and autop. */
static int
group_setup(void **state)
{
	if (tsupport_rules_group_setup(state) != 0) {
		return (-1);
	}
	if (policy_load_file(
	        tsupport_srcpath("tests/data/policies/ok-automatic.yaml"),
	        &autop, stderr, NULL) != WAGE_OK) {
		return (-1);
	}
	return (0);
}

static int
group_teardown(void **state)
{
	policy_free(autop);
	autop = NULL;
	return (tsupport_rules_group_teardown(state));
}

/* ---- filing, acceptance, mediation --------------------------------- */

static void
test_caserules_filed_from_received(void **state)
{
	struct wage_error err;
	json_t           *doc = tsupport_mkdoc("intake", "370102", 0, NULL);
	json_t           *c;

	(void) state;
	json_object_set_new(doc, "received", json_string("2024-02-05"));
	json_object_set_new(doc, "clocks", json_object());
	wage_err_clear(&err);
	assert_int_equal(caserules_filed(&R.env, doc, &err), WAGE_OK);
	/* The intake clocks, and only they, from Mon 02-05 (not today). */
	assert_int_equal(json_object_size(json_object_get(doc, "clocks")), 2);
	c = tsupport_clock_of(doc, "acceptance");
	assert_non_null(c);
	assert_string_equal(tsupport_js(c, "start"), "2024-02-05");
	assert_string_equal(tsupport_js(c, "state"), "running");
	/* DOMAIN.md worked example: 02-10 in the break, so Sun 02-18. */
	assert_string_equal(tsupport_js(c, "due"), "2024-02-18");
	assert_true(json_is_false(json_object_get(c, "provisional")));
	c = tsupport_clock_of(doc, "fast_track");
	assert_non_null(c);
	assert_string_equal(tsupport_js(c, "start"), "2024-02-05");
	/* 30 days: Wed 03-06. */
	assert_string_equal(tsupport_js(c, "due"), "2024-03-06");
	json_decref(doc);

	/* Received three days ago: that day, not today. */
	doc = tsupport_mkdoc("intake", "370102", 0, NULL);
	json_object_set_new(
	    doc, "received", tsupport_jdate(tsupport_days_ago(3)));
	assert_int_equal(caserules_filed(&R.env, doc, &err), WAGE_OK);
	tsupport_assert_due_from(doc, "acceptance", tsupport_days_ago(3));
	tsupport_assert_due_from(doc, "fast_track", tsupport_days_ago(3));
	assert_string_not_equal(
	    tsupport_js(tsupport_clock_of(doc, "acceptance"), "start"),
	    R.today_s);
	json_decref(doc);
}

/* caserules.h: "Returns WAGE_OK or an error with err filled." */
static void
test_caserules_filed_without_received(void **state)
{
	struct wage_error err;
	json_t           *doc;
	int               rc;

	(void) state;
	doc = tsupport_mkdoc("intake", "370102", 0, NULL);
	json_object_del(doc, "received");
	wage_err_clear(&err);
	rc = caserules_filed(&R.env, doc, &err);
	json_decref(doc);
	assert_int_equal(rc, WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(err.code, WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "received");
}

/*
 * Art 43: the 45 days count from acceptance (policy 2026.2; before, they
 * ran from the end of mediation). accept goes to the tribunal's mediation
 * and starts them with the respondent's service (Art 30) and the
 * tribunal's composition (Art 32); accept_arbitration does the same. The
 * 15-day clock 'mediation' is 案前调解's, before acceptance (Art 14).
 */
static void
test_caserules_accept_starts_the_45_days(void **state)
{
	static const char *const started[] = { "award", "service_respondent",
		"tribunal" };
	static const char *const events[] = { "accept", "accept_arbitration" };
	static const char *const to[]     = { "mediation", "arbitration" };
	struct wage_error        err;
	json_t                  *doc;
	size_t                   i, k;

	(void) state;
	for (k = 0; k < 2; k++) {
		doc = tsupport_mkdoc("intake", "370102", 0, NULL);
		assert_int_equal(caserules_filed(&R.env, doc, &err), WAGE_OK);
		tsupport_fire_ok(doc, events[k], &R.clerk,
		    json_pack("{s:s}", "reason", "材料齐全"));
		assert_string_equal(tsupport_js(doc, "state"), to[k]);
		assert_string_equal(
		    tsupport_clock_state(doc, "acceptance"), "stopped");
		assert_string_equal(
		    tsupport_js(
		        tsupport_clock_of(doc, "acceptance"), "stopped"),
		    R.today_s);
		for (i = 0; i < 3; i++) {
			assert_string_equal(
			    tsupport_clock_state(doc, started[i]), "running");
			tsupport_assert_due_from(doc, started[i], R.today);
		}
		/* 45 calendar days, 5 working days each for the others. */
		tsupport_assert_date(tsupport_due_of(doc, "award"),
		    tsupport_due(R.cal, R.today, 45, CAL_CALENDAR_DAYS, NULL));
		tsupport_assert_date(tsupport_due_of(doc, "tribunal"),
		    tsupport_due(R.cal, R.today, 5, CAL_WORKING_DAYS, NULL));
		/* No pre-acceptance mediation was asked for. */
		assert_null(tsupport_clock_of(doc, "mediation"));
		/* The fast-track target keeps running from the complaint. */
		assert_string_equal(
		    tsupport_clock_state(doc, "fast_track"), "running");
		tsupport_assert_due_from(
		    doc, "fast_track", tsupport_days_ago(2));
		json_decref(doc);
	}
}

/*
 * Mediation is voluntary (Arts 5, 14): the worker's side may end it on
 * any day. Before acceptance (案前调解) its 15 days stop and the 5 days to
 * accept count again; after acceptance the tribunal's mediation runs
 * inside the 45 days, so leaving it leaves the award clock as it was
 * (Art 43: from acceptance, not from the end of mediation).
 */
static void
test_caserules_worker_leaves_mediation_any_day(void **state)
{
	json_t *doc, *fields;
	int     n;

	(void) state;
	fields = json_pack("{s:s}", "reason", "劳动者不愿继续调解");
	for (n = 0; n <= 40; n += 5) {
		doc = tsupport_mkdoc("mediation", "370102", 0, NULL);
		tsupport_set_clock(doc, "award", tsupport_days_ago(n));
		tsupport_fire_ok(doc, "apply_arbitration",
		    n % 2 ? &R.unionist : &R.clerk, json_incref(fields));
		assert_string_equal(tsupport_js(doc, "state"), "arbitration");
		assert_string_equal(
		    tsupport_clock_state(doc, "award"), "running");
		tsupport_assert_due_from(doc, "award", tsupport_days_ago(n));
		assert_int_equal(
		    json_integer_value(json_object_get(
		        tsupport_clock_of(doc, "award"), "restarts")),
		    0);
		json_decref(doc);

		doc = tsupport_mkdoc("pre_mediation", "370102", 0, NULL);
		tsupport_set_clock(doc, "mediation", tsupport_days_ago(n));
		tsupport_fire_ok(doc, "pre_mediation_ended",
		    n % 2 ? &R.unionist : &R.clerk, json_incref(fields));
		assert_string_equal(tsupport_js(doc, "state"), "intake");
		assert_string_equal(
		    tsupport_clock_state(doc, "mediation"), "stopped");
		assert_string_equal(
		    tsupport_clock_state(doc, "acceptance"), "running");
		tsupport_assert_due_from(doc, "acceptance", R.today);
		assert_null(tsupport_clock_of(doc, "award"));
		json_decref(doc);
	}
	json_decref(fields);
}

/*
 * Art 43: the chair extends the award period before its 45 days run out:
 * on the due day still, the day after no more, whatever the date.
 */
static void
test_caserules_extend_only_before_award_runs_out(void **state)
{
	const struct policy_clock *pc;
	struct wage_error          err;
	struct civil_date          due;
	json_t                    *doc, *fields;
	int                        n, prov, rc;

	(void) state;
	fields = json_pack("{s:i, s:s}", "days", 10, "reason", "案情复杂");
	pc     = &R.p->clocks[policy_clock_find(R.p, "award")];
	for (n = 30; n <= 70; n++) {
		doc = tsupport_mkdoc("arbitration", "370102", 0, NULL);
		tsupport_set_clock(doc, "award", tsupport_days_ago(n));
		assert_int_equal(clock_due(pc, tsupport_clock_of(doc, "award"),
		                     R.cal, R.today, &due, &prov),
		    WAGE_OK);
		rc = tsupport_fire(doc, "extend", &R.chair, fields, &err);
		if (civil_date_cmp(&R.today, &due) > 0) {
			assert_int_equal(rc, WAGE_E_ILLEGAL_TRANSITION);
			assert_string_equal(err.field, "event");
			assert_non_null(strstr(err.message, "award"));
			assert_int_equal(json_array_size(json_object_get(
			                     tsupport_clock_of(doc, "award"),
			                     "extensions")),
			    0);
		} else {
			assert_int_equal(rc, WAGE_OK);
			assert_int_equal(json_array_size(json_object_get(
			                     tsupport_clock_of(doc, "award"),
			                     "extensions")),
			    1);
		}
		json_decref(doc);
	}
	json_decref(fields);
}

/* ---- limitation (Art 27) ------------------------------------------- */

/*
 * The limitation year (Art 27) ends on the same date a year after the
 * employment ended, or on the month's last day when there is none
 * (民法典 Art 202), and a last day that is a rest day moves to the day
 * after the rest period (Art 203). want_limit: the last day in time, or
 * NULL when the complaint on received is in time.
 */
static void
limitation_case(
    const char *ended, const char *received, const char *want_limit)
{
	struct wage_error err;
	json_t           *args, *doc = NULL, *lim;
	char             *text, month[8];
	size_t            n;

	text = tsupport_slurp(
	    tsupport_srcpath("tests/data/cases/single-worker.json"), &n);
	assert_non_null(text);
	args = json_loadb(text, n, 0, NULL);
	free(text);
	assert_non_null(args);
	json_object_set_new(args, "employment_ended", json_string(ended));
	json_object_set_new(args, "received", json_string(received));
	/* The wages claimed are of the employment's last month: a complaint
	 * cannot come before its claim period (issue 13, part 9). */
	snprintf(month, sizeof(month), "%.7s", ended);
	json_object_set_new(json_object_get(args, "claim"), "period",
	    json_pack("{s:s, s:s}", "from", month, "to", month));
	assert_int_equal(filing_check(args, &R.unionist, &doc, &err), WAGE_OK);
	assert_int_equal(caserules_filed(&R.env, doc, &err), WAGE_OK);
	lim = json_object_get(doc, "limitation");
	if (want_limit == NULL) {
		if (lim != NULL) {
			fail_msg("ended %s, received %s: in time, but warned "
			         "(limit %s)",
			    ended, received, tsupport_js(lim, "limit"));
		}
	} else {
		if (lim == NULL) {
			fail_msg("ended %s, received %s: late, not warned",
			    ended, received);
		}
		assert_string_equal(tsupport_js(lim, "limit"), want_limit);
		assert_false(
		    json_is_true(json_object_get(lim, "acknowledged")));
	}
	json_decref(doc);
	json_decref(args);
}

static void
test_caserules_limitation_year(void **state)
{
	(void) state;
	/* 29 February: the year ends on 28 February (Art 202), a Friday. */
	limitation_case("2024-02-29", "2025-02-28", NULL);
	limitation_case("2024-02-29", "2025-03-01", "2025-02-28");
	/* The same date a year on. */
	limitation_case("2024-03-12", "2025-03-12", NULL);
	limitation_case("2024-03-12", "2025-03-13", "2025-03-12");
	/* Last day 2025-10-01, in the National Day break (10-01..10-08):
	 * the year runs to 10-09 (Art 203). */
	limitation_case("2024-10-01", "2025-10-09", NULL);
	limitation_case("2024-10-01", "2025-10-10", "2025-10-09");
	/* Last day a Sunday (2025-06-08): Monday 06-09. */
	limitation_case("2024-06-08", "2025-06-09", NULL);
	limitation_case("2024-06-08", "2025-06-10", "2025-06-09");
	/* Last day a Sunday that is a make-up working day (2025-09-28):
	 * it stays. */
	limitation_case("2024-09-28", "2025-09-28", NULL);
	limitation_case("2024-09-28", "2025-09-29", "2025-09-28");
}

static void
test_caserules_limitation_gate(void **state)
{
	struct wage_error err;
	json_t *doc = tsupport_mkdoc("intake", "370102", 0, NULL), *copy;
	json_t *lim, *reason;

	(void) state;
	assert_int_equal(caserules_filed(&R.env, doc, &err), WAGE_OK);
	json_object_set_new(doc, "limitation",
	    json_pack("{s:s, s:s, s:s, s:b}", "employment_ended", "2023-01-31",
	        "limit", "2024-01-31", "warning",
	        "received more than a year "
	        "after",
	        "acknowledged", 0));
	/* Neither to mediation nor to arbitration while unacknowledged. */
	assert_int_equal(tsupport_fire(doc, "accept", &R.clerk, NULL, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_string_equal(err.field, "event");
	assert_non_null(strstr(err.message, "acknowledge_limitation"));
	reason = json_pack("{s:s}", "reason", "x");
	assert_int_equal(
	    tsupport_fire(doc, "accept_arbitration", &R.clerk, reason, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	json_decref(reason);
	assert_string_equal(tsupport_js(doc, "state"), "intake");
	/* A warning, never a block: the case may still be refused or
	 * supplemented. */
	copy = json_deep_copy(doc);
	tsupport_fire_ok(copy, "refuse", &R.clerk,
	    json_pack("{s:s}", "reason", "超过仲裁时效且无中止中断事由"));
	assert_string_equal(tsupport_js(copy, "state"), "closed_refused");
	json_decref(copy);
	tsupport_fire_ok(doc, "supplement", &R.unionist,
	    json_pack("{s:s}", "materials", "工资欠条复印件"));

	/* Acknowledged with a reason: recorded, by whom and when. */
	tsupport_fire_ok(doc, "acknowledge_limitation", &R.clerk,
	    json_pack("{s:s}", "reason", "申请人曾多次书面催讨，时效中断"));
	lim = json_object_get(doc, "limitation");
	assert_true(json_is_true(json_object_get(lim, "acknowledged")));
	assert_string_equal(
	    tsupport_js(lim, "reason"), "申请人曾多次书面催讨，时效中断");
	assert_string_equal(tsupport_js(lim, "by"), "王芳");
	assert_string_equal(tsupport_js(lim, "on"), R.today_s);
	assert_string_equal(
	    tsupport_js(lim, "employment_ended"), "2023-01-31");
	/* Then accept goes on, and the 45 days start (Art 43). */
	tsupport_fire_ok(doc, "accept", &R.clerk, NULL);
	assert_string_equal(tsupport_js(doc, "state"), "mediation");
	assert_string_equal(tsupport_clock_state(doc, "award"), "running");
	json_decref(doc);

	/* acknowledge_limitation without a reason: the workflow refuses. */
	doc = tsupport_mkdoc("intake", "370102", 0, NULL);
	assert_int_equal(
	    tsupport_fire(doc, "acknowledge_limitation", &R.clerk, NULL, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.reason");
	json_decref(doc);
}

/* ---- collective consent (办案规则 Art 63) --------------------------- */

static void
test_caserules_collective_consent(void **state)
{
	struct wage_error err;
	json_t           *doc, *f;
	const char       *name;
	json_t           *c;

	(void) state;
	f   = json_pack("{s:s}", "reason", "已与用人单位和解");
	doc = tsupport_mkdoc("intake", "370102", 1, NULL);
	assert_int_equal(caserules_filed(&R.env, doc, &err), WAGE_OK);
	assert_int_equal(tsupport_fire(doc, "withdraw", &R.unionist, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.consent");
	assert_string_equal(tsupport_js(doc, "state"), "intake");
	assert_string_equal(
	    tsupport_clock_state(doc, "acceptance"), "running");
	json_object_set_new(f, "consent", json_string("同意书 2026-历下-003"));
	assert_int_equal(
	    tsupport_fire(doc, "withdraw", &R.unionist, f, &err), WAGE_OK);
	assert_string_equal(tsupport_js(doc, "state"), "closed_withdrawn");
	/* A closed case keeps none of the commission's clocks running. */
	json_object_foreach (json_object_get(doc, "clocks"), name, c) {
		assert_string_equal(tsupport_js(c, "state"), "stopped");
	}
	json_decref(doc);
	json_decref(f);

	/* Not collective: no consent needed. */
	doc = tsupport_mkdoc("intake", "370102", 0, NULL);
	assert_int_equal(caserules_filed(&R.env, doc, &err), WAGE_OK);
	tsupport_fire_ok(doc, "withdraw", &R.unionist,
	    json_pack("{s:s}", "reason", "已获支付"));
	assert_string_equal(tsupport_js(doc, "state"), "closed_withdrawn");
	json_decref(doc);

	/* A 调解书, a change of claim and a concession need it too. */
	doc = tsupport_mkdoc("mediation", "370102", 1, NULL);
	tsupport_set_clock(doc, "award", tsupport_days_ago(3));
	f = json_pack("{s:I, s:o}", "amount_fen", (json_int_t) 1860000,
	    "pay_by", tsupport_jdate(tsupport_days_ago(-30)));
	assert_int_equal(
	    tsupport_fire(doc, "mediation_agreement", &R.mediator, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.consent");
	json_object_set_new(f, "consent", json_string("同意书 2026-历下-004"));
	assert_int_equal(
	    tsupport_fire(doc, "mediation_agreement", &R.mediator, f, &err),
	    WAGE_OK);
	/* What is owed now, to a pay-by date that is a clock (Art 42);
	 * the 45 days stop only once both parties have the 调解书. */
	assert_int_equal(
	    json_integer_value(json_object_get(
	        json_object_get(doc, "settlement"), "amount_fen")),
	    1860000);
	assert_string_equal(tsupport_clock_state(doc, "payment"), "running");
	assert_string_equal(
	    tsupport_js(tsupport_clock_of(doc, "payment"), "due"),
	    tsupport_datestr(tsupport_days_ago(-30)));
	assert_string_equal(tsupport_clock_state(doc, "award"), "running");
	json_decref(f);
	json_decref(doc);
	doc = tsupport_mkdoc("arbitration", "370102", 1, NULL);
	tsupport_set_clock(doc, "award", tsupport_days_ago(3));
	/* change_claim names the item's kind and its new amount. */
	f = json_pack("{s:s, s:s, s:I}", "reason", "增加加班费请求", "kind",
	    "overtime", "claim_fen", (json_int_t) 216000);
	/* 2026.3: the union may, as representative with the power
	 * change_claim (represent.c); a mediator may not. */
	assert_int_equal(
	    tsupport_fire(doc, "change_claim", &R.mediator, f, &err),
	    WAGE_E_FORBIDDEN);
	assert_int_equal(tsupport_fire(doc, "change_claim", &R.clerk, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.consent");
	json_decref(f);
	f = json_pack("{s:s, s:I}", "reason", "放弃加班费请求", "amount_fen",
	    (json_int_t) 216000);
	assert_int_equal(tsupport_fire(doc, "concede", &R.unionist, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.consent");
	json_decref(f);
	json_decref(doc);
}

/* ---- assignment ------------------------------------------------------ */

static void
test_caserules_assignment(void **state)
{
	struct wage_error err;
	json_t *doc = tsupport_mkdoc("intake", "370102", 0, NULL), *a, *f;

	(void) state;
	assert_int_equal(caserules_filed(&R.env, doc, &err), WAGE_OK);
	tsupport_fire_ok(doc, "assign", &R.clerk,
	    json_pack("{s:s, s:s}", "assignee", "李明", "assignee_org",
	        "济南市劳动人事争议仲裁院"));
	a = json_object_get(doc, "assigned");
	assert_non_null(a);
	assert_string_equal(tsupport_js(a, "name"), "李明");
	assert_string_equal(tsupport_js(a, "org"), "济南市劳动人事争议仲裁院");
	assert_string_equal(tsupport_js(a, "by"), "王芳");
	assert_string_equal(tsupport_js(a, "on"), R.today_s);
	/* Assignment moves no clock and no state. */
	assert_string_equal(tsupport_js(doc, "state"), "intake");
	assert_string_equal(
	    tsupport_clock_state(doc, "acceptance"), "running");

	/* In mediation, the mediator claims it: the actor is assigned. */
	tsupport_fire_ok(doc, "accept", &R.clerk, NULL);
	tsupport_fire_ok(doc, "claim", &R.mediator, NULL);
	a = json_object_get(doc, "assigned");
	assert_string_equal(tsupport_js(a, "name"), "李明");
	assert_string_equal(tsupport_js(a, "org"), "济南市劳动人事争议仲裁院");
	assert_string_equal(tsupport_js(a, "role"), "mediator");
	assert_string_equal(tsupport_js(a, "on"), R.today_s);
	/* In arbitration, the arbitrator takes it over. */
	tsupport_fire_ok(doc, "mediation_failed", &R.mediator,
	    json_pack("{s:s}", "reason", "调解不成"));
	tsupport_fire_ok(doc, "claim", &R.arbitrator, NULL);
	a = json_object_get(doc, "assigned");
	assert_string_equal(tsupport_js(a, "name"), "刘洋");
	assert_string_equal(tsupport_js(a, "role"), "arbitrator");
	/* Assign without assignee_org: the workflow refuses. */
	f = json_pack("{s:s}", "assignee", "李明");
	assert_int_equal(tsupport_fire(doc, "assign", &R.chair, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.assignee_org");
	json_decref(f);
	json_decref(doc);
}

/* ---- the award (Art 47-50) ---------------------------------------- */

/* award_doc: a case in arbitration with one claim item per (kind,
 * amount) pair, the award clock running since 30 days ago. */
static json_t *
award_doc(const char *region, const char *kind1, long long amt1,
    const char *kind2, long long amt2)
{
	json_t *items = json_array(), *doc;

	json_array_append_new(items,
	    json_pack(
	        "{s:s, s:I}", "kind", kind1, "amount_fen", (json_int_t) amt1));
	if (kind2 != NULL) {
		json_array_append_new(items,
		    json_pack("{s:s, s:I}", "kind", kind2, "amount_fen",
		        (json_int_t) amt2));
	}
	doc = tsupport_mkdoc("arbitration", region, 0, items);
	tsupport_set_clock(doc, "award", tsupport_days_ago(30));
	/* Received long ago: the awards below are dated 2021 to 2024, and
	 * an award may not predate the complaint. */
	json_object_set_new(doc, "received", json_string("2020-01-02"));
	return (doc);
}

/* award: the award of the whole claim (no more may be awarded, Art 28:
 * policy 2026.2 bounds amount_fen by the claim). */
static void
award(json_t *doc, const char *date)
{
	json_int_t    sum = 0;
	const json_t *it;
	size_t        i;

	json_array_foreach (
	    json_object_get(json_object_get(doc, "claim"), "items"), i, it) {
		sum += json_integer_value(json_object_get(it, "amount_fen"));
	}
	tsupport_fire_ok(doc, "award", &R.arbitrator,
	    json_pack("{s:I, s:s}", "amount_fen", sum, "award_date", date));
}

/* serve_award: the award served on party on day on (fields.served_on). */
static void
serve_award(json_t *doc, const char *party, const char *on)
{
	tsupport_fire_ok(doc, "serve", &R.clerk,
	    json_pack("{s:s, s:s, s:s, s:s}", "document", "award", "party",
	        party, "method", "direct", "served_on", on));
}

static void
test_caserules_award_date_checked(void **state)
{
	struct wage_error err;
	json_t           *doc = award_doc("370102", "wages", 100, NULL, 0);
	json_t           *f;

	(void) state;
	/* Not before the complaint, not in the future. */
	f = json_pack("{s:I, s:s}", "amount_fen", (json_int_t) 100,
	    "award_date", "2019-12-31");
	assert_int_equal(tsupport_fire(doc, "award", &R.arbitrator, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.award_date");
	json_decref(f);
	f = json_pack("{s:I, s:s}", "amount_fen", (json_int_t) 100,
	    "award_date", "2999-01-01");
	assert_int_equal(tsupport_fire(doc, "award", &R.arbitrator, f, &err),
	    WAGE_E_INVALID_ARGUMENT);
	json_decref(f);
	json_decref(doc);
}

static int
item_final(const json_t *doc, size_t i)
{
	const json_t *it = json_array_get(
	    json_object_get(json_object_get(doc, "award"), "items"), i);

	assert_non_null(it);
	assert_true(json_is_boolean(json_object_get(it, "final")));
	return (json_is_true(json_object_get(it, "final")));
}

static long long
award_int(const json_t *doc, const char *k)
{
	const json_t *v = json_object_get(json_object_get(doc, "award"), k);

	assert_true(json_is_integer(v));
	return ((long long) json_integer_value(v));
}

static void
test_caserules_award_final_boundary(void **state)
{
	json_t *doc;

	(void) state;
	/* 370102 历下区, tier 1: 12 x 2200 yuan on 2024-02-05. Exactly the
	 * limit is final; one fen above is not. */
	doc = award_doc(
	    "370102", "wages", LIMIT_2023_T1, "wages", LIMIT_2023_T1 + 1);
	award(doc, "2024-02-05");
	assert_true(item_final(doc, 0));
	assert_false(item_final(doc, 1));
	assert_int_equal(award_int(doc, "limit_fen"), LIMIT_2023_T1);
	assert_int_equal(award_int(doc, "minimum_wage_fen"), 220000);
	assert_int_equal(award_int(doc, "tier"), 1);
	assert_string_equal(
	    tsupport_js(json_object_get(doc, "award"), "date"), "2024-02-05");
	assert_non_null(strstr(
	    tsupport_js(json_object_get(doc, "award"), "basis"), "Art 47"));
	assert_string_equal(tsupport_js(doc, "state"), "awarded");
	assert_string_equal(tsupport_clock_state(doc, "award"), "stopped");
	json_decref(doc);

	/* A tier-3 county (371702 菏泽牡丹区): 12 x 1820 yuan. */
	doc = award_doc(
	    "371702", "wages", LIMIT_2023_T3, "wages", LIMIT_2023_T3 + 1);
	award(doc, "2024-02-05");
	assert_true(item_final(doc, 0));
	assert_false(item_final(doc, 1));
	assert_int_equal(award_int(doc, "tier"), 3);
	json_decref(doc);
}

static void
test_caserules_award_minimum_wage_in_force_on_award_date(void **state)
{
	json_t *doc;

	(void) state;
	/* 12 x 2200 yuan: not final under the 2021 set (12 x 2100 yuan, in
	 * force until 2023-09-30), final from 2023-10-01. */
	doc = award_doc("370102", "wages", LIMIT_2023_T1, NULL, 0);
	award(doc, "2023-09-30");
	assert_false(item_final(doc, 0));
	assert_int_equal(award_int(doc, "limit_fen"), LIMIT_2021_T1);
	assert_int_equal(award_int(doc, "minimum_wage_fen"), 210000);
	json_decref(doc);
	doc = award_doc("370102", "wages", LIMIT_2023_T1, NULL, 0);
	award(doc, "2023-10-01");
	assert_true(item_final(doc, 0));
	assert_int_equal(award_int(doc, "limit_fen"), LIMIT_2023_T1);
	json_decref(doc);
	/* And the old limit itself on its last day. */
	doc = award_doc(
	    "370102", "wages", LIMIT_2021_T1, "wages", LIMIT_2021_T1 + 1);
	award(doc, "2023-09-30");
	assert_true(item_final(doc, 0));
	assert_false(item_final(doc, 1));
	json_decref(doc);
}

static void
test_caserules_award_kinds(void **state)
{
	static const char *const finals[] = { "wages", "overtime", "medical",
		"compensation", NULL };
	static const char *const others[] = { "social_insurance", "other",
		NULL };
	json_t                  *doc;
	int                      i;

	(void) state;
	for (i = 0; finals[i] != NULL; i++) {
		doc = award_doc("370102", finals[i], 100000, NULL, 0);
		award(doc, "2024-02-05");
		assert_true(item_final(doc, 0));
		json_decref(doc);
	}
	/* Outside Art 47: never final, however small. */
	for (i = 0; others[i] != NULL; i++) {
		doc = award_doc("370102", others[i], 100, NULL, 0);
		award(doc, "2024-02-05");
		assert_false(item_final(doc, 0));
		json_decref(doc);
	}
}

static void
test_caserules_award_region_without_table(void **state)
{
	const json_t *a;
	json_t       *doc;

	(void) state;
	/* 110101 北京东城: no table is loaded for Beijing. */
	doc = award_doc("110101", "wages", 100, "medical", 100);
	award(doc, "2024-02-05");
	assert_false(item_final(doc, 0));
	assert_false(item_final(doc, 1));
	a = json_object_get(doc, "award");
	assert_true(json_is_null(json_object_get(a, "limit_fen")));
	assert_true(json_is_null(json_object_get(a, "minimum_wage_fen")));
	assert_non_null(
	    strstr(tsupport_js(a, "basis"), "no minimum-wage table"));
	assert_non_null(strstr(tsupport_js(a, "basis"), "not final"));
	/* So served on the worker, only a non-final award's window runs
	 * for it (Art 50). */
	serve_award(doc, "worker", "2024-02-05");
	assert_string_equal(
	    tsupport_clock_state(doc, "challenge_nonfinal_worker"), "running");
	assert_null(tsupport_clock_of(doc, "challenge_worker"));
	assert_null(tsupport_clock_of(doc, "challenge_employer"));
	json_decref(doc);
}

/*
 * Arts 48-50: the windows an award opens, by its kind. Since policy 2026.2
 * (award_clocks.from: service) they run from each party's receipt of the
 * award, not from the award date: the award itself opens none.
 */
static void
test_caserules_award_challenge_clocks(void **state)
{
	static const char *const windows[] = { "challenge_worker",
		"challenge_employer", "challenge_nonfinal_worker",
		"challenge_nonfinal_employer", NULL };
	json_t                  *doc;
	size_t                   i;

	(void) state;
	/* Final only: worker 15 days (Art 48), employer 30 (Art 49), each
	 * from its receipt on the award date: Tue 02-20 and Wed 03-06. */
	doc = award_doc("370102", "wages", 100000, NULL, 0);
	award(doc, "2024-02-05");
	for (i = 0; windows[i] != NULL; i++) {
		assert_null(tsupport_clock_of(doc, windows[i]));
	}
	serve_award(doc, "worker", "2024-02-05");
	serve_award(doc, "employer", "2024-02-05");
	assert_string_equal(
	    tsupport_clock_state(doc, "challenge_worker"), "running");
	assert_string_equal(
	    tsupport_js(tsupport_clock_of(doc, "challenge_worker"), "start"),
	    "2024-02-05");
	assert_string_equal(
	    tsupport_js(tsupport_clock_of(doc, "challenge_worker"), "due"),
	    "2024-02-20");
	assert_string_equal(
	    tsupport_clock_state(doc, "challenge_employer"), "running");
	assert_string_equal(
	    tsupport_js(tsupport_clock_of(doc, "challenge_employer"), "due"),
	    "2024-03-06");
	assert_null(tsupport_clock_of(doc, "challenge_nonfinal_worker"));
	assert_null(tsupport_clock_of(doc, "challenge_nonfinal_employer"));
	json_decref(doc);

	/* Non-final only: 15 days for each party (Art 50). */
	doc = award_doc("370102", "social_insurance", 100000, NULL, 0);
	award(doc, "2024-02-05");
	serve_award(doc, "worker", "2024-02-05");
	serve_award(doc, "employer", "2024-02-05");
	assert_string_equal(
	    tsupport_js(
	        tsupport_clock_of(doc, "challenge_nonfinal_worker"), "due"),
	    "2024-02-20");
	assert_string_equal(
	    tsupport_js(
	        tsupport_clock_of(doc, "challenge_nonfinal_employer"), "due"),
	    "2024-02-20");
	assert_null(tsupport_clock_of(doc, "challenge_worker"));
	assert_null(tsupport_clock_of(doc, "challenge_employer"));
	json_decref(doc);

	/* Both kinds of item (mixed): every window, from today's receipt. */
	doc = award_doc(
	    "370102", "wages", LIMIT_2023_T1, "wages", LIMIT_2023_T1 + 1);
	award(doc, R.today_s);
	assert_string_equal(tsupport_clock_state(doc, "award"), "stopped");
	serve_award(doc, "worker", R.today_s);
	serve_award(doc, "employer", R.today_s);
	for (i = 0; windows[i] != NULL; i++) {
		tsupport_assert_due_from(doc, windows[i], R.today);
	}
	json_decref(doc);

	/* The award needs a valid award date. */
	{
		struct wage_error err;
		json_t           *f = json_pack("{s:I, s:s}", "amount_fen",
		              (json_int_t) 100, "award_date", "2024-02-30");

		doc = award_doc("370102", "wages", 100, NULL, 0);
		assert_int_equal(
		    tsupport_fire(doc, "award", &R.arbitrator, f, &err),
		    WAGE_E_INVALID_ARGUMENT);
		json_decref(f);
		json_decref(doc);
	}
}

/* ---- after_expiry_all and automatic events -------------------------- */

/*
 * auto_guards: caserules_guards of the automatic event "lapse" of
 * ok-automatic.yaml (after_expiry_all: [hear, appeal]) on doc, which it
 * must leave exactly as it was.
 */
static int
auto_guards(const json_t *doc, struct wage_error *err)
{
	struct caserules_env       env = R.env;
	const struct policy_event *ev  = policy_event_find(autop, "lapse");
	char                      *before, *after;
	int                        rc;

	assert_non_null(ev);
	env.policy = autop;
	before     = json_dumps(doc, JSON_SORT_KEYS);
	wage_err_clear(err);
	rc    = caserules_guards(&env, doc, ev, NULL, &R.clerk, err);
	after = json_dumps(doc, JSON_SORT_KEYS);
	assert_string_equal(before, after);
	free(before);
	free(after);
	return (rc);
}

/* auto_due: the due date of clock name of ok-automatic.yaml in doc. */
static void
auto_due(const json_t *doc, const char *name, char *buf, size_t len)
{
	struct civil_date due;
	long              i = policy_clock_find(autop, name);
	int               prov;

	assert_true(i >= 0);
	assert_int_equal(
	    clock_due(&autop->clocks[i], tsupport_clock_of(doc, name), R.cal,
	        R.today, &due, &prov),
	    WAGE_OK);
	civil_date_format(&due, buf, len);
}

static void
test_caserules_after_expiry_all(void **state)
{
	struct wage_error err;
	json_t           *doc;
	char              due[16], want[96];

	(void) state;
	/* Both clocks started long ago and ran out: allowed. */
	doc = tsupport_mkdoc("mid", "370102", 0, NULL);
	tsupport_set_clock(doc, "hear", tsupport_days_ago(200));
	tsupport_set_clock(doc, "appeal", tsupport_days_ago(200));
	assert_int_equal(auto_guards(doc, &err), WAGE_OK);

	/* One never started: refused, naming it (and only it). */
	json_object_del(json_object_get(doc, "clocks"), "hear");
	assert_int_equal(auto_guards(doc, &err), WAGE_E_ILLEGAL_TRANSITION);
	assert_string_equal(err.field, "event");
	assert_non_null(strstr(err.message, "'lapse'"));
	assert_non_null(strstr(err.message, "hear not started (法 第2条)"));
	assert_null(strstr(err.message, "appeal"));

	/* One not yet due: refused, naming it with its due date. */
	tsupport_set_clock(doc, "hear", tsupport_days_ago(200));
	tsupport_set_clock(doc, "appeal", tsupport_days_ago(3));
	auto_due(doc, "appeal", due, sizeof(due));
	snprintf(want, sizeof(want), "appeal due %s (法 第3条)", due);
	assert_int_equal(auto_guards(doc, &err), WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, want));
	assert_null(strstr(err.message, "hear"));

	/* Both held back: both named. */
	json_object_del(json_object_get(doc, "clocks"), "hear");
	assert_int_equal(auto_guards(doc, &err), WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "hear not started"));
	assert_non_null(strstr(err.message, want));

	/* A stopped clock has not run out, however old. */
	tsupport_set_clock(doc, "hear", tsupport_days_ago(200));
	tsupport_set_clock(doc, "appeal", tsupport_days_ago(200));
	json_object_set_new(
	    tsupport_clock_of(doc, "hear"), "state", json_string("stopped"));
	assert_int_equal(auto_guards(doc, &err), WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "hear stopped (法 第2条)"));
	json_decref(doc);

	/* No ledger at all: refused, and none is made. */
	doc = tsupport_mkdoc("mid", "370102", 0, NULL);
	json_object_del(doc, "clocks");
	assert_int_equal(auto_guards(doc, &err), WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "hear not started"));
	assert_non_null(strstr(err.message, "appeal not started"));
	assert_null(json_object_get(doc, "clocks"));
	json_decref(doc);
}

/*
 * after_expiry_all counts as clock_expired does: on its due day a clock
 * has not run out yet, the day after it has, whatever the date.
 */
static void
test_caserules_after_expiry_all_boundary(void **state)
{
	const struct policy_clock *pc;
	struct wage_error          err;
	struct civil_date          due;
	json_t                    *doc;
	int                        n, prov, rc;

	(void) state;
	pc = &autop->clocks[policy_clock_find(autop, "appeal")];
	for (n = 5; n <= 40; n++) {
		doc = tsupport_mkdoc("mid", "370102", 0, NULL);
		tsupport_set_clock(doc, "hear", tsupport_days_ago(200));
		tsupport_set_clock(doc, "appeal", tsupport_days_ago(n));
		assert_int_equal(
		    clock_due(pc, tsupport_clock_of(doc, "appeal"), R.cal,
		        R.today, &due, &prov),
		    WAGE_OK);
		rc = auto_guards(doc, &err);
		if (civil_date_cmp(&R.today, &due) > 0) {
			assert_int_equal(rc, WAGE_OK);
		} else {
			assert_int_equal(rc, WAGE_E_ILLEGAL_TRANSITION);
			assert_non_null(strstr(err.message, "appeal due"));
		}
		json_decref(doc);
	}
}

/*
 * The server (ROLE_SYSTEM) fires the automatic event, and only it; the
 * effects are those of any event (the terminal state stops every clock).
 */
static void
test_caserules_automatic_by_the_system(void **state)
{
	struct caserules_env       env = R.env;
	struct wage_error          err;
	struct actor               sys;
	const struct policy_event *ev;
	json_t                    *doc;

	(void) state;
	env.policy = autop;
	tsupport_mkactor(&sys, "wage-server", "test", ROLE_SYSTEM, "370100");
	doc = tsupport_mkdoc("mid", "370102", 0, NULL);
	tsupport_set_clock(doc, "hear", tsupport_days_ago(200));
	tsupport_set_clock(doc, "appeal", tsupport_days_ago(200));
	assert_int_equal(workflow_check(autop, "mid", "lapse", ROLE_SYSTEM,
	                     NULL, &ev, &err),
	    WAGE_OK);
	assert_int_equal(
	    caserules_act(&env, doc, ev, NULL, &sys, &err), WAGE_OK);
	assert_string_equal(tsupport_clock_state(doc, "hear"), "stopped");
	assert_string_equal(tsupport_clock_state(doc, "appeal"), "stopped");
	json_decref(doc);
	/* Not an event a person's act stands behind. */
	assert_int_equal(workflow_check(autop, "mid", "close", ROLE_SYSTEM,
	                     NULL, &ev, &err),
	    WAGE_E_FORBIDDEN);
	/* Nobody fires lapse by hand here (roles: []), and is told why. */
	assert_int_equal(
	    workflow_check(autop, "mid", "lapse", ROLE_CLERK, NULL, &ev, &err),
	    WAGE_E_FORBIDDEN);
	assert_non_null(strstr(err.message, "allowed roles: none"));
	assert_non_null(strstr(err.message, "the server fires it by itself"));
	/* From another state, not even the server. */
	assert_int_equal(workflow_check(autop, "open", "lapse", ROLE_SYSTEM,
	                     NULL, &ev, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
}

/* ---- view ------------------------------------------------------------ */

static void
test_caserules_view(void **state)
{
	struct wage_error err;
	json_t           *doc  = tsupport_mkdoc("intake", "370102", 0, NULL);
	json_t           *view = json_object(), *c;
	size_t            i;

	(void) state;
	json_object_set_new(doc, "received", json_string("2024-02-05"));
	assert_int_equal(caserules_filed(&R.env, doc, &err), WAGE_OK);
	caserules_view(&R.env, view, doc);
	assert_true(json_is_true(json_object_get(view, "overdue")));
	assert_int_equal(json_array_size(json_object_get(view, "clocks")), 2);
	json_array_foreach (json_object_get(view, "clocks"), i, c) {
		assert_true(
		    json_integer_value(json_object_get(c, "days_left")) < 0);
	}
	json_decref(view);
	json_decref(doc);

	/* Received today: nothing overdue. */
	doc  = tsupport_mkdoc("intake", "370102", 0, NULL);
	view = json_object();
	json_object_set_new(doc, "received", json_string(R.today_s));
	assert_int_equal(caserules_filed(&R.env, doc, &err), WAGE_OK);
	caserules_view(&R.env, view, doc);
	assert_true(json_is_false(json_object_get(view, "overdue")));
	json_decref(view);
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
		    test_caserules_filed_from_received, tsupport_rules_setup),
		cmocka_unit_test_setup(test_caserules_filed_without_received,
		    tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_accept_starts_the_45_days,
		    tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_worker_leaves_mediation_any_day,
		    tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_extend_only_before_award_runs_out,
		    tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_limitation_gate, tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_limitation_year, tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_collective_consent, tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_assignment, tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_award_final_boundary, tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_award_minimum_wage_in_force_on_award_date,
		    tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_award_date_checked, tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_award_kinds, tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_award_region_without_table,
		    tsupport_rules_setup),
		cmocka_unit_test_setup(test_caserules_award_challenge_clocks,
		    tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_after_expiry_all, tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_after_expiry_all_boundary,
		    tsupport_rules_setup),
		cmocka_unit_test_setup(test_caserules_automatic_by_the_system,
		    tsupport_rules_setup),
		cmocka_unit_test_setup(
		    test_caserules_view, tsupport_rules_setup),
	};

	return (cmocka_run_group_tests_name(
	    "caserules", tests, group_setup, group_teardown));
}
