/* SPDX-License-Identifier: MIT */
/*
 * test_represent.c - representation (劳动争议调解仲裁法 Art 24) under the
 * shipped policy: the special authority an act needs (特别授权, 民事诉讼法
 * Art 62) against the power of attorney's scope, its holder and its
 * validity dates; staff recording a party's own act only with the party's
 * signed document, and on whose behalf the audit event says it was done;
 * the record a filing gives; appointment, replacement and removal, and
 * who then keeps access by organisation; the elected representatives of
 * a collective case; a policy naming a power that does not exist.
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

#include <cmocka.h>

#include "policy.h"
#include "represent.h"
#include "validate.h"
#include "wage/protocol.h"

#include "support_caserules.h"
#include "support_file.h"
#include "support_policy.h"

#define AID    "济南市法律援助中心"
#define UNION  "济南市历下区总工会工会驿站"
#define OFFICE "济南市劳动人事争议仲裁院"

static struct policy    *P;
static struct actor      aid, unionist, clerk;
static struct civil_date today;

static int
group_setup(void **state)
{
	(void) state;
	if (tsupport_policy_load(&P) != 0) {
		return (-1);
	}
	tsupport_mkactor(&aid, "赵磊", AID, ROLE_LEGAL_AID, "370100");
	tsupport_mkactor(&unionist, "陈静", UNION, ROLE_UNION, "370102");
	tsupport_mkactor(&clerk, "王芳", OFFICE, ROLE_CLERK, "370100");
	civil_date_today(&today);
	/* tsupport_days_ago counts from the fixture's today. */
	return (tsupport_rules_setup(NULL));
}

static int
group_teardown(void **state)
{
	(void) state;
	policy_free(P);
	return (0);
}

static const char *
day(int n)
{
	return (tsupport_datestr(tsupport_days_ago(-n)));
}

/* A case of n workers represented by org with scope (a JSON list). */
static json_t *
mkcase(int n, const char *org, const char *scope)
{
	json_t *doc, *cl = json_array();
	char    name[32];
	int     i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "工人%d", i);
		json_array_append_new(cl, json_pack("{s:s}", "name", name));
	}
	doc = json_pack("{s:s, s:s, s:o, s:{s:b}, s:{s:s, s:s}}", "state",
	    "arbitration", "region", "370102", "claimants", cl, "priority",
	    "collective", n >= 10, "filed_by", "org", org, "role",
	    strcmp(org, UNION) == 0 ? "union" : "legal_aid");
	if (scope != NULL) {
		json_object_set_new(doc, "representative",
		    json_pack("{s:s, s:s, s:s, s:{s:o, s:s}}", "kind",
		        strcmp(org, UNION) == 0 ? "union" : "legal_aid",
		        "organisation", org, "name", "代理人", "authority",
		        "scope", json_loads(scope, 0, NULL), "document",
		        "授权委托书 2026-001"));
	}
	assert_non_null(doc);
	return (doc);
}

static const struct policy_event *
ev_of(const char *name, const char *state)
{
	size_t i, j;

	for (i = 0; i < P->nevents; i++) {
		const struct policy_event *e = &P->events[i];

		if (strcmp(e->name, name) != 0) {
			continue;
		}
		for (j = 0; j < e->nfrom; j++) {
			if (strcmp(P->states[e->from[j]].name, state) == 0) {
				return (e);
			}
		}
	}
	fail_msg("no event %s from %s", name, state);
	return (NULL);
}

static int
guard(const json_t *doc, const char *event, const json_t *fields,
    const struct actor *who, struct wage_error *err)
{
	wage_err_clear(err);
	return (represent_guard(
	    P, doc, ev_of(event, "arbitration"), fields, who, &today, err));
}

/* The shipped policy names the power each act of the worker's side
 * needs. */
static void
test_represent_policy_powers(void **state)
{
	static const struct {
		const char *event, *power;
	} want[] = { { "pre_mediation", "mediate" }, { "settle", "settle" },
		{ "withdraw", "withdraw" }, { "concede", "concede" },
		{ "change_claim", "change_claim" },
		{ "confirm_paid", "receive_payment" }, { "suit", "appeal" },
		{ "set_aside_application", "appeal" } };
	const struct policy_event *e;
	size_t                     i;

	(void) state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		e = policy_event_find(P, want[i].event);
		assert_non_null(e);
		assert_true(e->power > 0);
		assert_string_equal(
		    policy_power_names[e->power - 1], want[i].power);
		/* Staff may fire each: each names the party's document. */
		assert_true(e->has_party_doc);
	}
	assert_int_equal(policy_event_find(P, "set_aside_application")->party,
	    PARTY_EMPLOYER);
	assert_int_equal(policy_event_find(P, "award")->power, 0);
	assert_false(policy_event_find(P, "award")->has_party_doc);
	assert_int_equal(policy_power_find("settle"), 3);
	assert_int_equal(policy_power_find("everything"), -1);
	assert_string_equal(policy_power_label(3), "和解");
}

/* A legal-aid centre whose power covers only filing may not settle or
 * withdraw; the refusal names the power and the scope, in both
 * languages. With the power it may. */
static void
test_represent_power_scope(void **state)
{
	struct wage_error err;
	json_t           *doc = mkcase(1, AID, "[\"file\"]");
	json_t           *f   = json_pack(
	                "{s:s, s:I}", "reason", "和解", "amount_fen", (json_int_t) 100000);

	(void) state;
	assert_int_equal(
	    guard(doc, "settle", f, &aid, &err), WAGE_E_FORBIDDEN);
	assert_string_equal(err.field, "event");
	assert_non_null(strstr(err.message,
	    "授权委托书的权限为: 申请(file)；和解(settle)需要特别授权"));
	assert_non_null(strstr(err.message,
	    "settle needs special authority; the power of attorney covers: "
	    "file"));
	assert_int_equal(
	    guard(doc, "withdraw", f, &aid, &err), WAGE_E_FORBIDDEN);
	assert_non_null(strstr(err.message, "withdraw needs special"));
	/* An act that needs no special power. */
	assert_int_equal(guard(doc, "counterclaim", f, &aid, &err), WAGE_OK);
	json_decref(doc);

	doc = mkcase(1, AID, "[\"file\", \"mediate\", \"settle\"]");
	assert_int_equal(guard(doc, "settle", f, &aid, &err), WAGE_OK);
	assert_int_equal(
	    guard(doc, "withdraw", f, &aid, &err), WAGE_E_FORBIDDEN);
	assert_non_null(strstr(err.message,
	    "申请(file)、调解(mediate)、和解(settle)；撤回(withdraw)"));
	assert_non_null(strstr(err.message, "covers: file, mediate, settle"));
	json_decref(doc);
	json_decref(f);
}

/* Only the current representative uses the power; another union station
 * or a representative that was replaced may not. */
static void
test_represent_not_the_representative(void **state)
{
	struct wage_error err;
	json_t           *doc = mkcase(1, AID, "[\"file\", \"withdraw\"]");
	json_t           *f   = json_pack("{s:s}", "reason", "撤回");

	(void) state;
	assert_int_equal(
	    guard(doc, "withdraw", f, &unionist, &err), WAGE_E_FORBIDDEN);
	assert_non_null(strstr(err.message,
	    "not the worker's current "
	    "representative"));
	assert_int_equal(guard(doc, "withdraw", f, &aid, &err), WAGE_OK);
	/* For the employer, a worker's representative does not act. */
	json_decref(f);
	f = json_pack("{s:s, s:s, s:s}", "party", "employer", "court", "x",
	    "filed_on", day(0));
	json_object_set_new(json_object_get(doc, "representative"),
	    "authority",
	    json_pack(
	        "{s:[s,s], s:s}", "scope", "file", "appeal", "document", "d"));
	assert_int_equal(represent_guard(P, doc, ev_of("suit", "awarded"), f,
	                     &aid, &today, &err),
	    WAGE_E_FORBIDDEN);
	assert_string_equal(err.field, "fields.party");
	json_object_set_new(f, "party", json_string("worker"));
	assert_int_equal(represent_guard(P, doc, ev_of("suit", "awarded"), f,
	                     &aid, &today, &err),
	    WAGE_OK);
	json_decref(f);
	json_decref(doc);
}

/* The power holds from valid_from to valid_until, both days included;
 * outside them nothing is done under it, with or without a power. */
static void
test_represent_validity(void **state)
{
	struct wage_error err;
	json_t *doc = mkcase(1, AID, "[\"file\", \"settle\", \"withdraw\"]");
	json_t *rep = json_object_get(doc, "representative");
	json_t *f   = json_pack(
	      "{s:s, s:I}", "reason", "和解", "amount_fen", (json_int_t) 100000);

	(void) state;
	json_object_set_new(rep, "valid_until", json_string(day(0)));
	assert_int_equal(guard(doc, "settle", f, &aid, &err), WAGE_OK);
	json_object_set_new(rep, "valid_until", json_string(day(-1)));
	assert_int_equal(
	    guard(doc, "settle", f, &aid, &err), WAGE_E_FORBIDDEN);
	assert_non_null(strstr(err.message, "ran out on"));
	assert_non_null(strstr(err.message, day(-1)));
	assert_int_equal(
	    guard(doc, "counterclaim", f, &aid, &err), WAGE_E_FORBIDDEN);
	json_object_del(rep, "valid_until");
	json_object_set_new(rep, "valid_from", json_string(day(1)));
	assert_int_equal(
	    guard(doc, "settle", f, &aid, &err), WAGE_E_FORBIDDEN);
	assert_non_null(strstr(err.message, "valid only from"));
	json_object_set_new(rep, "valid_from", json_string(day(0)));
	assert_int_equal(guard(doc, "settle", f, &aid, &err), WAGE_OK);
	json_decref(f);
	json_decref(doc);
}

/* Staff never act for a party: a clerk withdraws a walk-in worker's case
 * only by recording the worker's signed application, and the audit says
 * the worker acted in person, not the clerk or the office. */
static void
test_represent_staff_records_party_act(void **state)
{
	struct wage_error          err;
	json_t                    *doc = mkcase(1, AID, NULL);
	json_t                    *f = json_pack("{s:s}", "reason", "撤回");
	json_t                    *obo;
	const struct policy_event *ev = ev_of("withdraw", "arbitration");

	(void) state;
	json_object_set_new(
	    json_object_get(doc, "filed_by"), "org", json_string(OFFICE));
	json_object_set_new(
	    json_object_get(doc, "filed_by"), "role", json_string("clerk"));
	assert_int_equal(
	    guard(doc, "withdraw", f, &clerk, &err), WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.party_document");
	assert_non_null(strstr(err.message, "staff do not act for a party"));
	json_object_set_new(
	    f, "party_document", json_string("撤回申请书-001"));
	assert_int_equal(guard(doc, "withdraw", f, &clerk, &err), WAGE_OK);
	obo = represent_on_behalf_of(P, &clerk, doc, ev, f);
	assert_string_equal(tsupport_js(obo, "party"), "worker");
	assert_true(json_is_true(json_object_get(obo, "in_person")));
	assert_string_equal(tsupport_js(obo, "document"), "撤回申请书-001");
	assert_null(json_object_get(obo, "office"));
	assert_null(json_object_get(obo, "representative"));
	json_decref(obo);
	/* The office's own act stays the office's. */
	obo = represent_on_behalf_of(
	    P, &clerk, doc, ev_of("counterclaim", "arbitration"), f);
	assert_string_equal(tsupport_js(obo, "office"), OFFICE);
	json_decref(obo);
	/* The employer's application, recorded by the clerk. */
	obo = represent_on_behalf_of(
	    P, &clerk, doc, ev_of("set_aside_application", "awarded"), f);
	assert_string_equal(tsupport_js(obo, "party"), "employer");
	json_decref(obo);
	/* A consent to mediation is its own document. */
	assert_int_equal(
	    represent_guard(P, doc, ev_of("pre_mediation", "intake"), NULL,
	        &clerk, &today, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.mediation_consent");
	/* A representative's act names the power it used. */
	json_decref(doc);
	doc = mkcase(1, AID, "[\"withdraw\"]");
	obo = represent_on_behalf_of(P, &aid, doc, ev, f);
	assert_string_equal(tsupport_js(obo, "representative"), AID);
	assert_string_equal(tsupport_js(obo, "power"), "withdraw");
	assert_string_equal(
	    tsupport_js(obo, "power_of_attorney"), "授权委托书 2026-001");
	json_decref(obo);
	json_decref(f);
	json_decref(doc);
}

static int
record(const char *text, const struct actor *who, json_t **out,
    struct wage_error *err)
{
	json_t *o = json_loads(text, 0, NULL);
	int     rc;

	assert_non_null(o);
	wage_err_clear(err);
	rc =
	    represent_record_check(o, who, "representative", &today, out, err);
	json_decref(o);
	return (rc);
}

/* The record a filing gives: the old form still, and the new members. */
static void
test_represent_record(void **state)
{
	struct wage_error err;
	json_t           *r;
	char              buf[1024];

	(void) state;
	assert_int_equal(
	    record("{\"kind\": \"union\", \"organisation\": \"" UNION
	           "\", \"name\": \"陈静\", \"authority\": "
	           "{\"scope\": [\"file\", \"mediate\"], "
	           "\"document\": \"授权委托书\"}}",
	        &unionist, &r, &err),
	    WAGE_OK);
	assert_string_equal(tsupport_js(r, "party"), "worker");
	json_decref(r);
	snprintf(buf, sizeof(buf),
	    "{\"kind\": \"legal_aid\", \"organisation\": \"" AID "\", "
	    "\"name\": \"赵磊\", \"valid_from\": \"%s\", \"valid_until\": "
	    "\"%s\", \"authority\": {\"scope\": [\"file\", \"change_claim\"], "
	    "\"document\": \"公函\", \"document_sha256\": \"%s\", "
	    "\"matters\": \"追索劳动报酬\"}}",
	    day(-3), day(30),
	    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0"
	    "8");
	assert_int_equal(record(buf, &aid, &r, &err), WAGE_OK);
	assert_string_equal(tsupport_js(r, "valid_until"), day(30));
	assert_string_equal(
	    tsupport_js(json_object_get(r, "authority"), "document_sha256"),
	    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0"
	    "8");
	json_decref(r);
	/* A representative files only under a power to file; a clerk
	 * records a walk-in complaint whatever the powers. */
	assert_int_equal(
	    record("{\"kind\": \"union\", \"organisation\": \"" UNION
	           "\", \"name\": \"x\", \"authority\": "
	           "{\"scope\": [\"mediate\"], \"document\": "
	           "\"d\"}}",
	        &unionist, &r, &err),
	    WAGE_E_FORBIDDEN);
	assert_string_equal(err.field, "representative.authority.scope");
	assert_non_null(strstr(err.message, "covers: mediate"));
	assert_int_equal(
	    record("{\"kind\": \"union\", \"organisation\": \"" UNION
	           "\", \"name\": \"x\", \"authority\": "
	           "{\"scope\": [\"mediate\"], \"document\": "
	           "\"d\"}}",
	        &clerk, &r, &err),
	    WAGE_OK);
	json_decref(r);
	/* Another organisation than one's own. */
	assert_int_equal(
	    record("{\"kind\": \"union\", \"organisation\": "
	           "\"别的工会\", \"name\": \"x\", \"authority\": "
	           "{\"scope\": [\"file\"], \"document\": \"d\"}}",
	        &unionist, &r, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "representative.organisation");
	assert_int_equal(
	    record("{\"kind\": \"union\", \"organisation\": \"" UNION
	           "\", \"name\": \"x\", \"authority\": "
	           "{\"scope\": [\"everything\"], \"document\": "
	           "\"d\"}}",
	        &unionist, &r, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "representative.authority.scope[0]");
	assert_non_null(strstr(err.message, "change_claim"));
	assert_int_equal(
	    record("{\"kind\": \"union\", \"organisation\": \"" UNION
	           "\", \"name\": \"x\", \"authority\": "
	           "{\"scope\": [\"file\"], \"document\": \"d\", "
	           "\"document_sha256\": \"abc\"}}",
	        &unionist, &r, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(
	    err.field, "representative.authority.document_sha256");
	snprintf(buf, sizeof(buf),
	    "{\"kind\": \"union\", \"organisation\": \"" UNION "\", "
	    "\"name\": \"x\", \"valid_until\": \"%s\", \"authority\": "
	    "{\"scope\": [\"file\"], \"document\": \"d\"}}",
	    day(-1));
	assert_int_equal(
	    record(buf, &unionist, &r, &err), WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "representative.valid_until");
	assert_non_null(strstr(err.message, "ran out"));
	snprintf(buf, sizeof(buf),
	    "{\"kind\": \"union\", \"organisation\": \"" UNION "\", "
	    "\"name\": \"x\", \"valid_from\": \"%s\", \"valid_until\": "
	    "\"%s\", \"authority\": {\"scope\": [\"file\"], \"document\": "
	    "\"d\"}}",
	    day(10), day(5));
	assert_int_equal(
	    record(buf, &unionist, &r, &err), WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "representative.valid_until");
	assert_int_equal(
	    record("{\"kind\": \"union\", \"organisation\": \"" UNION
	           "\", \"name\": \"x\", \"party\": "
	           "\"employer\", \"authority\": {\"scope\": "
	           "[\"file\"], \"document\": \"d\"}}",
	        &unionist, &r, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "representative.party");
}

/* A legal-aid centre appointed to a walk-in case, replaced, removed: the
 * history keeps each with its end; access follows the current one. */
static void
test_represent_appoint_replace_remove(void **state)
{
	struct wage_error err;
	json_t           *doc = mkcase(1, UNION, "[\"file\"]");
	json_t           *f;
	const json_t     *past;

	(void) state;
	assert_true(represent_filer_keeps(doc));
	f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "rep_kind",
	    "legal_aid", "rep_organisation", AID, "rep_name", "赵磊",
	    "rep_scope", "file, mediate,settle", "rep_document", "委托书-2",
	    "rep_valid_until", day(60));
	assert_int_equal(represent_apply(P, doc,
	                     ev_of("appoint_representative", "arbitration"), f,
	                     &clerk, &today, &err),
	    WAGE_OK);
	assert_string_equal(tsupport_js(json_object_get(doc, "representative"),
	                        "organisation"),
	    AID);
	assert_int_equal(
	    json_array_size(json_object_get(
	        json_object_get(
	            json_object_get(doc, "representative"), "authority"),
	        "scope")),
	    3);
	past = json_object_get(doc, "representatives_past");
	assert_int_equal(json_array_size(past), 1);
	assert_string_equal(
	    tsupport_js(json_array_get(past, 0), "organisation"), UNION);
	assert_string_equal(
	    tsupport_js(json_array_get(past, 0), "ended_on"), day(0));
	/* The union that filed no longer sees it by organisation. */
	assert_false(represent_filer_keeps(doc));
	/* A scope that is no power, named by the event's own field. */
	json_object_set_new(f, "rep_scope", json_string("file,everything"));
	assert_int_equal(represent_apply(P, doc,
	                     ev_of("appoint_representative", "arbitration"), f,
	                     &clerk, &today, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.rep_scope");
	json_decref(f);
	f = json_pack("{s:s, s:s}", "reason", "解除委托", "party_document",
	    "解除委托书-1");
	assert_int_equal(represent_apply(P, doc,
	                     ev_of("remove_representative", "arbitration"), f,
	                     &clerk, &today, &err),
	    WAGE_OK);
	assert_null(json_object_get(doc, "representative"));
	assert_int_equal(
	    json_array_size(json_object_get(doc, "representatives_past")), 2);
	assert_false(represent_filer_keeps(doc));
	assert_int_equal(represent_apply(P, doc,
	                     ev_of("remove_representative", "arbitration"), f,
	                     &clerk, &today, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	json_decref(f);
	json_decref(doc);
}

/* The elected representatives of a collective case: 3 to 5 workers of
 * the case, each once; only in a collective case. */
static void
test_represent_elect(void **state)
{
	static const char *const   bad[] = { "0,1", "0,0,1", "0,1,99",
		  "0,1,2,3,4,5", "a,b,c", "" };
	struct wage_error          err;
	const struct policy_event *ev =
	    ev_of("elect_representatives", "arbitration");
	json_t *doc = mkcase(12, UNION, "[\"file\"]");
	json_t *f;
	size_t  i;

	(void) state;
	json_object_set_new(doc, "representatives",
	    json_pack("[{s:i, s:s}]", "claimant", 0, "name", "工人0"));
	f = json_pack(
	    "{s:s, s:s}", "representatives", "0, 3,5", "consent", "同意书-1");
	assert_int_equal(
	    represent_apply(P, doc, ev, f, &clerk, &today, &err), WAGE_OK);
	assert_int_equal(
	    json_array_size(json_object_get(doc, "representatives")), 3);
	assert_string_equal(
	    tsupport_js(
	        json_array_get(json_object_get(doc, "representatives"), 2),
	        "name"),
	    "工人5");
	assert_int_equal(json_array_size(json_object_get(
	                     doc, "representatives_past_elected")),
	    1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_object_set_new(f, "representatives", json_string(bad[i]));
		assert_int_equal(
		    represent_apply(P, doc, ev, f, &clerk, &today, &err),
		    WAGE_E_INVALID_ARGUMENT);
		assert_string_equal(err.field, "fields.representatives");
	}
	json_decref(doc);
	doc = mkcase(3, UNION, "[\"file\"]");
	json_object_set_new(f, "representatives", json_string("0,1,2"));
	assert_int_equal(represent_apply(P, doc, ev, f, &clerk, &today, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	json_decref(f);
	json_decref(doc);
}

/* A policy naming a power a power of attorney cannot grant does not
 * load, nor one where staff would do a party's act with no document. */
static void
test_represent_policy_errors(void **state)
{
	struct policy *p;
	char          *text, *at, *bad;
	size_t         len;
	int            nerr = 0;
	FILE          *diag;
	char           msgs[4096];

	(void) state;
	text = tsupport_slurp(
	    tsupport_srcpath("policies/wage-dispute.yaml"), &len);
	assert_non_null(text);
	assert_non_null(at = strstr(text, "power: settle\n"));
	bad = malloc(len + 32);
	assert_non_null(bad);
	snprintf(bad, len + 32, "%.*spower: sett1e\n%s", (int) (at - text),
	    text, at + strlen("power: settle\n"));
	memset(msgs, 0, sizeof(msgs));
	diag = fmemopen(msgs, sizeof(msgs) - 1, "w");
	assert_int_equal(
	    policy_load_buffer("bad.yaml", bad, strlen(bad), &p, diag, &nerr),
	    -1);
	fclose(diag);
	assert_null(p);
	assert_int_equal(nerr, 1);
	assert_non_null(strstr(msgs, "unknown power 'sett1e'"));
	/* The settle event without its party_document key. */
	at = strstr(text,
	    "    power: settle\n    party_document: "
	    "party_document\n");
	assert_non_null(at);
	snprintf(bad, len + 32, "%.*s    power: settle\n%s", (int) (at - text),
	    text,
	    at +
	        strlen("    power: settle\n    party_document: "
	               "party_document\n"));
	memset(msgs, 0, sizeof(msgs));
	diag = fmemopen(msgs, sizeof(msgs) - 1, "w");
	assert_int_equal(
	    policy_load_buffer("bad.yaml", bad, strlen(bad), &p, diag, &nerr),
	    -1);
	fclose(diag);
	assert_non_null(strstr(msgs, "must name 'party_document'"));
	free(bad);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_represent_policy_powers),
		cmocka_unit_test(test_represent_power_scope),
		cmocka_unit_test(test_represent_not_the_representative),
		cmocka_unit_test(test_represent_validity),
		cmocka_unit_test(test_represent_staff_records_party_act),
		cmocka_unit_test(test_represent_record),
		cmocka_unit_test(test_represent_appoint_replace_remove),
		cmocka_unit_test(test_represent_elect),
		cmocka_unit_test(test_represent_policy_errors),
	};

	return (cmocka_run_group_tests_name(
	    "represent", tests, group_setup, group_teardown));
}
