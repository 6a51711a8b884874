/* SPDX-License-Identifier: MIT */
/*
 * test_service.c - service (送达) of a case's documents on its parties
 * (server/service.c) through the event serve, over the shipped policy and
 * the official calendars (DOMAIN.md procedure 4): each party's windows
 * run from its own day of receipt (Arts 48-50); public notice is deemed
 * served 30 days after publication (民事诉讼法 Art 95); a document goes
 * only to the parties the policy names, once each, and not before it
 * exists nor in the future; the respondent's receipt of the application
 * starts its 10 working days to answer (Art 30); a 调解书 takes effect,
 * and ends the 45 days, when both parties have it (Art 42).
 *
 * Events go through workflow_check first, as the server does. "Today" is
 * the real today: what needs the past is built with past dates.
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
#include "minwage.h"
#include "policy.h"
#include "service.h"
#include "validate.h"
#include "wage/protocol.h"

#include "support_calendar.h"
#include "support_caserules.h"

/* The group of support_caserules.h: policy, calendars, actors, today. */
#define R tsupport_rules_g

#define REGION "370102" /* 济南 历下区: tier 1 of the Shandong table */

/*
 * awarded_doc: a case awarded on the day on, of one wages item of fen
 * (the whole claim), final or not as 12 x the minimum wage on that day
 * has it (Art 47); received long before.
 */
static json_t *
awarded_doc(json_int_t fen, struct civil_date on)
{
	json_t *doc = tsupport_mkdoc("arbitration", REGION, 0,
	    json_pack("[{s:s, s:I}]", "kind", "wages", "amount_fen", fen));

	json_object_set_new(
	    doc, "received", tsupport_jdate(tsupport_days_ago(200)));
	tsupport_set_clock(doc, "award", tsupport_days_ago(100));
	tsupport_fire_ok(doc, "award", &R.arbitrator,
	    json_pack("{s:I, s:o}", "amount_fen", fen, "award_date",
	        tsupport_jdate(on)));
	return (doc);
}

/* limit_on: 12 x the minimum wage of REGION on the day on (Art 47). */
static long long
limit_on(struct civil_date on)
{
	long long limit = 0;

	assert_int_equal(
	    minwage_final_limit_fen(R.mw, REGION, on, &limit, NULL), WAGE_OK);
	return (limit);
}

static json_t *
serve_fields(const char *document, const char *party, const char *method,
    struct civil_date on)
{
	return (
	    json_pack("{s:s, s:s, s:s, s:o}", "document", document, "party",
	        party, "method", method, "served_on", tsupport_jdate(on)));
}

/* serve: fire serve as the clerk; returns the code, err filled. */
static int
serve(json_t *doc, const char *document, const char *party, const char *method,
    struct civil_date on, struct wage_error *err)
{
	json_t *f  = serve_fields(document, party, method, on);
	int     rc = tsupport_fire(doc, "serve", &R.clerk, f, err);

	json_decref(f);
	return (rc);
}

static void
serve_ok(json_t *doc, const char *document, const char *party,
    const char *method, struct civil_date on)
{
	struct wage_error err;

	if (serve(doc, document, party, method, on, &err) != WAGE_OK) {
		fail_msg("serve %s on %s: %s (field %s)", document, party,
		    err.message, err.field);
	}
}

/* service_entry: the service list's entry i (borrowed). */
static const json_t *
service_entry(const json_t *doc, size_t i)
{
	const json_t *e = json_array_get(json_object_get(doc, "service"), i);

	assert_non_null(e);
	return (e);
}

/* ---- each party's windows from its own receipt (Arts 48-50) ------------ */

static void
test_service_parties_served_on_different_days(void **state)
{
	struct civil_date awarded = tsupport_days_ago(30);
	struct civil_date a = tsupport_days_ago(20), b = tsupport_days_ago(10);
	const json_t     *e;
	json_t           *doc;

	(void) state;
	/* Final: the worker's 15 days (Art 48) from A, the employer's 30
	 * (Art 49) from B. */
	doc = awarded_doc(100000, awarded);
	serve_ok(doc, "award", "worker", "direct", a);
	assert_null(tsupport_clock_of(doc, "challenge_employer"));
	serve_ok(doc, "award", "employer", "post", b);
	tsupport_assert_due_from(doc, "challenge_worker", a);
	tsupport_assert_due_from(doc, "challenge_employer", b);
	tsupport_assert_date(tsupport_due_of(doc, "challenge_worker"),
	    tsupport_due(R.cal, a, 15, CAL_CALENDAR_DAYS, NULL));
	tsupport_assert_date(tsupport_due_of(doc, "challenge_employer"),
	    tsupport_due(R.cal, b, 30, CAL_CALENDAR_DAYS, NULL));
	assert_null(tsupport_clock_of(doc, "challenge_nonfinal_worker"));
	/* Each service recorded: what, on whom, how, when, by whom. */
	assert_int_equal(json_array_size(json_object_get(doc, "service")), 2);
	e = service_entry(doc, 1);
	assert_string_equal(tsupport_js(e, "document"), "award");
	assert_string_equal(tsupport_js(e, "party"), "employer");
	assert_string_equal(tsupport_js(e, "method"), "post");
	assert_string_equal(tsupport_js(e, "served_on"), tsupport_datestr(b));
	assert_string_equal(tsupport_js(e, "by"), "王芳");
	assert_string_equal(tsupport_js(e, "recorded"), R.today_s);
	assert_null(json_object_get(e, "published"));
	json_decref(doc);

	/* Non-final (one fen above the limit): 15 days each (Art 50). */
	doc = awarded_doc(limit_on(awarded) + 1, awarded);
	serve_ok(doc, "award", "employer", "direct", b);
	serve_ok(doc, "award", "worker", "direct", a);
	tsupport_assert_due_from(doc, "challenge_nonfinal_worker", a);
	tsupport_assert_due_from(doc, "challenge_nonfinal_employer", b);
	assert_null(tsupport_clock_of(doc, "challenge_worker"));
	assert_null(tsupport_clock_of(doc, "challenge_employer"));
	json_decref(doc);
}

/* 民事诉讼法 Art 95: deemed served 30 days after publication. */
static void
test_service_public_notice(void **state)
{
	struct civil_date awarded = tsupport_days_ago(60);
	struct civil_date pub     = tsupport_days_ago(50);
	struct civil_date deemed  = tsupport_days_ago(20);
	const json_t     *e;
	json_t           *doc;

	(void) state;
	doc = awarded_doc(100000, awarded);
	serve_ok(doc, "award", "employer", "public_notice", pub);
	e = service_entry(doc, 0);
	assert_string_equal(tsupport_js(e, "method"), "public_notice");
	assert_string_equal(
	    tsupport_js(e, "published"), tsupport_datestr(pub));
	assert_string_equal(
	    tsupport_js(e, "served_on"), tsupport_datestr(deemed));
	assert_non_null(strstr(tsupport_js(e, "basis"), "第95条"));
	/* The employer's 30 days run from the deemed day. */
	tsupport_assert_due_from(doc, "challenge_employer", deemed);
	/* Direct service is received the day it is made. */
	serve_ok(doc, "award", "worker", "direct", pub);
	tsupport_assert_due_from(doc, "challenge_worker", pub);
	json_decref(doc);

	/* Published five days ago: deemed served 25 days from now, and the
	 * window runs from then. */
	doc = awarded_doc(100000, awarded);
	serve_ok(
	    doc, "award", "employer", "public_notice", tsupport_days_ago(5));
	assert_string_equal(tsupport_js(service_entry(doc, 0), "served_on"),
	    tsupport_datestr(tsupport_days_ago(-25)));
	tsupport_assert_due_from(
	    doc, "challenge_employer", tsupport_days_ago(-25));
	json_decref(doc);
}

/* ---- what may not be served --------------------------------------------- */

static void
test_service_twice_on_one_party_refused(void **state)
{
	struct wage_error err;
	json_t           *doc, *before;

	(void) state;
	doc = awarded_doc(100000, tsupport_days_ago(10));
	serve_ok(doc, "award", "worker", "direct", tsupport_days_ago(8));
	before = json_deep_copy(tsupport_clock_of(doc, "challenge_worker"));
	assert_int_equal(
	    serve(doc, "award", "worker", "post", tsupport_days_ago(2), &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_string_equal(err.field, "fields.document");
	assert_non_null(
	    strstr(err.message, "already been served on the worker"));
	/* The first receipt stands: its window is not moved. */
	assert_true(
	    json_equal(before, tsupport_clock_of(doc, "challenge_worker")));
	json_decref(before);
	/* The other party is another service. */
	serve_ok(doc, "award", "employer", "direct", tsupport_days_ago(2));
	assert_int_equal(json_array_size(json_object_get(doc, "service")), 2);
	json_decref(doc);
}

static void
test_service_party_document_does_not_go_to(void **state)
{
	struct wage_error err;
	json_t           *doc;

	(void) state;
	doc = tsupport_mkdoc("mediation", REGION, 0, NULL);
	tsupport_set_clock(doc, "service_respondent", tsupport_days_ago(1));
	/* Art 30: the application goes to the respondent. */
	assert_int_equal(
	    serve(doc, "application_copy", "worker", "direct", R.today, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.party");
	assert_non_null(strstr(err.message,
	    "served on employer, not on "
	    "'worker'"));
	/* Art 29: the notice of acceptance goes to the applicant. */
	assert_int_equal(serve(doc, "acceptance_notice", "employer", "direct",
	                     R.today, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.party");
	assert_non_null(strstr(err.message,
	    "served on worker, not on "
	    "'employer'"));
	assert_null(json_object_get(doc, "service"));
	assert_string_equal(
	    tsupport_clock_state(doc, "service_respondent"), "running");
	/* A document the policy does not know: the workflow refuses. */
	assert_int_equal(
	    serve(doc, "summons", "worker", "direct", R.today, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.document");
	serve_ok(doc, "acceptance_notice", "worker", "direct", R.today);
	json_decref(doc);
}

static void
test_service_dates_checked(void **state)
{
	struct wage_error err;
	struct civil_date awarded = tsupport_days_ago(10);
	json_t           *doc;

	(void) state;
	doc = awarded_doc(100000, awarded);
	/* Before the award exists. */
	assert_int_equal(serve(doc, "award", "worker", "direct",
	                     tsupport_days_ago(11), &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.served_on");
	assert_non_null(strstr(err.message, "before the 仲裁裁决书 exists"));
	assert_non_null(strstr(err.message, tsupport_datestr(awarded)));
	/* Not yet happened. */
	assert_int_equal(serve(doc, "award", "worker", "direct",
	                     tsupport_days_ago(-1), &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.served_on");
	assert_null(json_object_get(doc, "service"));
	assert_null(tsupport_clock_of(doc, "challenge_worker"));
	/* The day of the award itself is fine. */
	serve_ok(doc, "award", "worker", "direct", awarded);
	json_decref(doc);

	/* No award yet, no agreement yet: nothing to serve. */
	doc = tsupport_mkdoc("arbitration", REGION, 0, NULL);
	assert_int_equal(
	    serve(doc, "award", "worker", "direct", R.today, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "no award yet"));
	assert_int_equal(
	    serve(doc, "settlement", "worker", "direct", R.today, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "no agreement"));
	/* A notice not before the complaint was received (two days ago). */
	assert_int_equal(serve(doc, "hearing_notice", "employer", "post",
	                     tsupport_days_ago(3), &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.served_on");
	serve_ok(
	    doc, "hearing_notice", "employer", "post", tsupport_days_ago(2));
	json_decref(doc);
}

/* ---- what receipt does to the clocks ------------------------------------ */

/* Art 30: served on the respondent, it has 10 working days to answer. */
static void
test_service_application_copy_starts_defence(void **state)
{
	struct wage_error err;
	struct civil_date got = tsupport_days_ago(1);
	json_t           *doc;

	(void) state;
	doc = tsupport_mkdoc("intake", REGION, 0, NULL);
	assert_int_equal(caserules_filed(&R.env, doc, &err), WAGE_OK);
	tsupport_fire_ok(doc, "accept", &R.clerk, NULL);
	assert_null(tsupport_clock_of(doc, "defence"));
	serve_ok(doc, "application_copy", "employer", "post", got);
	assert_string_equal(
	    tsupport_clock_state(doc, "service_respondent"), "stopped");
	assert_string_equal(
	    tsupport_js(
	        tsupport_clock_of(doc, "service_respondent"), "stopped"),
	    tsupport_datestr(got));
	assert_string_equal(tsupport_clock_state(doc, "defence"), "running");
	tsupport_assert_due_from(doc, "defence", got);
	tsupport_assert_date(tsupport_due_of(doc, "defence"),
	    tsupport_due(R.cal, got, 10, CAL_WORKING_DAYS, NULL));
	/* The other clocks of acceptance run on. */
	assert_string_equal(tsupport_clock_state(doc, "award"), "running");
	assert_string_equal(tsupport_clock_state(doc, "tribunal"), "running");
	json_decref(doc);
}

/*
 * Art 42: a 调解书 takes effect when both parties have signed for it, on
 * the later day of receipt, whichever is recorded first; then the 45
 * days are over.
 */
static void
test_service_settlement_takes_effect(void **state)
{
	struct wage_error err;
	struct civil_date made = tsupport_days_ago(10);
	struct civil_date w = tsupport_days_ago(8), e = tsupport_days_ago(3);
	json_t           *doc, *st;

	(void) state;
	doc = tsupport_mkdoc("mediation", REGION, 0, NULL);
	tsupport_set_clock(doc, "award", tsupport_days_ago(12));
	/* Not to be served before it is made. */
	assert_int_equal(
	    serve(doc, "settlement", "worker", "direct", R.today, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	tsupport_fire_ok(doc, "mediation_agreement", &R.mediator,
	    json_pack("{s:I, s:o}", "amount_fen", (json_int_t) 1500000,
	        "pay_by", tsupport_jdate(tsupport_days_ago(-20))));
	assert_string_equal(tsupport_js(doc, "state"), "mediated");
	/* As if made ten days ago. */
	st = json_object_get(doc, "settlement");
	assert_string_equal(tsupport_js(st, "on"), R.today_s);
	json_object_set_new(st, "on", tsupport_jdate(made));

	/* The employer's receipt is recorded first, but the worker's is
	 * the earlier: the later day (the employer's) is when it takes
	 * effect. */
	serve_ok(doc, "settlement", "employer", "direct", e);
	assert_null(
	    json_object_get(json_object_get(doc, "settlement"), "effective"));
	assert_string_equal(tsupport_clock_state(doc, "award"), "running");
	serve_ok(doc, "settlement", "worker", "direct", w);
	st = json_object_get(doc, "settlement");
	assert_string_equal(tsupport_js(st, "effective"), tsupport_datestr(e));
	assert_int_equal(
	    json_integer_value(json_object_get(st, "amount_fen")), 1500000);
	assert_string_equal(tsupport_clock_state(doc, "award"), "stopped");
	assert_string_equal(
	    tsupport_js(tsupport_clock_of(doc, "award"), "stopped"),
	    tsupport_datestr(e));
	/* The payment to its pay-by date goes on; no windows open. */
	assert_string_equal(tsupport_clock_state(doc, "payment"), "running");
	assert_null(tsupport_clock_of(doc, "challenge_worker"));
	json_decref(doc);

	/* Served on one party only, it is not in force. */
	doc = tsupport_mkdoc("mediation", REGION, 0, NULL);
	tsupport_set_clock(doc, "award", tsupport_days_ago(12));
	tsupport_fire_ok(doc, "mediation_agreement", &R.mediator,
	    json_pack("{s:I, s:o}", "amount_fen", (json_int_t) 1500000,
	        "pay_by", tsupport_jdate(R.today)));
	serve_ok(doc, "settlement", "worker", "direct", R.today);
	assert_null(
	    json_object_get(json_object_get(doc, "settlement"), "effective"));
	assert_string_equal(tsupport_clock_state(doc, "award"), "running");
	json_decref(doc);
}

/* The kinds service reads off the award (service.h). */
static void
test_service_award_kinds(void **state)
{
	struct civil_date on = tsupport_days_ago(5);
	json_t           *doc;

	(void) state;
	doc = tsupport_mkdoc("arbitration", REGION, 0, NULL);
	assert_int_equal(service_award_kinds(doc), 0);
	json_decref(doc);
	doc = awarded_doc(limit_on(on), on);
	assert_int_equal(service_award_kinds(doc), AWARD_KIND_FINAL);
	json_decref(doc);
	doc = awarded_doc(limit_on(on) + 1, on);
	assert_int_equal(service_award_kinds(doc), AWARD_KIND_NONFINAL);
	json_decref(doc);
	/* One item each way: mixed, and the worker gets both windows. */
	doc = tsupport_mkdoc("arbitration", REGION, 0,
	    json_pack("[{s:s, s:I}, {s:s, s:I}]", "kind", "wages",
	        "amount_fen", (json_int_t) 100000, "kind", "social_insurance",
	        "amount_fen", (json_int_t) 100000));
	json_object_set_new(
	    doc, "received", tsupport_jdate(tsupport_days_ago(200)));
	tsupport_fire_ok(doc, "award", &R.arbitrator,
	    json_pack("{s:I, s:o}", "amount_fen", (json_int_t) 200000,
	        "award_date", tsupport_jdate(on)));
	assert_int_equal(service_award_kinds(doc), AWARD_KIND_MIXED);
	serve_ok(doc, "award", "worker", "direct", on);
	tsupport_assert_due_from(doc, "challenge_worker", on);
	tsupport_assert_due_from(doc, "challenge_nonfinal_worker", on);
	assert_null(tsupport_clock_of(doc, "challenge_employer"));
	json_decref(doc);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup(f, tsupport_rules_setup)
	const struct CMUnitTest tests[] = {
		T(test_service_parties_served_on_different_days),
		T(test_service_public_notice),
		T(test_service_twice_on_one_party_refused),
		T(test_service_party_document_does_not_go_to),
		T(test_service_dates_checked),
		T(test_service_application_copy_starts_defence),
		T(test_service_settlement_takes_effect),
		T(test_service_award_kinds),
	};
#undef T

	return (cmocka_run_group_tests_name("service", tests,
	    tsupport_rules_group_setup, tsupport_rules_group_teardown));
}
