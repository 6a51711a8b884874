/* SPDX-License-Identifier: MIT */
/*
 * test_award.c - the award and its items (server/award.c), with the
 * shipped policy, calendars and the Shandong minimum-wage table: each item
 * as awarded against 12 x the minimum wage in force on the award date
 * (Art 47(1)), exactly the limit final and one fen above not; working
 * hours, rest and leave, social insurance final whatever the amount (Art
 * 47(2)); each worker of a collective case apart, an award holding both
 * kinds mixed; the stated kind beside the rule's, a difference flagged;
 * and every refusal (above the claim of a kind, a kind not claimed, an
 * unknown or missing worker, a bad kind, amount or stated, a date before
 * the award period began or in the future, amount_fen not the items' sum)
 * naming its field and leaving the case document as it was. An award
 * without items (policy 2026.1) keeps classifying the claimed items, and
 * may not exceed the claim. Limits are read from the loaded table, not
 * written here.
 *
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
#include <jansson.h>

#include "auth.h"
#include "award.h"
#include "calendar.h"
#include "caserules.h"
#include "minwage.h"
#include "policy.h"
#include "validate.h"
#include "workflow.h"
#include "wage/protocol.h"

#include "support_json.h"
#include "support_policy.h"

#define REGION_T1  "370102" /* 济南历下区, tier 1 */
#define AWARD_DATE "2024-02-05"

static struct {
	struct policy       *p;
	struct calendar     *cal;
	struct minwage      *mw;
	struct caserules_env env;
	struct actor         arbitrator;
	long long            limit; /* 12 x the minimum on AWARD_DATE */
} g;

static long long
limit_on(const char *region, const char *date)
{
	struct civil_date d;
	long long         fen = 0, monthly = 0;
	int               tier = 0;

	assert_int_equal(validate_date(date, &d, "date", NULL), WAGE_OK);
	assert_int_equal(
	    minwage_final_limit_fen(g.mw, region, d, &fen, &tier), WAGE_OK);
	assert_int_equal(
	    minwage_monthly_fen(g.mw, region, d, &monthly, &tier), WAGE_OK);
	assert_int_equal(fen, 12 * monthly); /* Art 47: 12 months */
	return (fen);
}

static int
group_setup(void **state)
{
	(void) state;
	if (tsupport_policy_load(&g.p) != 0 ||
	    tsupport_calendar_load(&g.cal) != 0 ||
	    tsupport_minwage_load(&g.mw) != 0) {
		return (-1);
	}
	g.env.policy   = g.p;
	g.env.calendar = g.cal;
	g.env.minwage  = g.mw;
	memset(&g.arbitrator, 0, sizeof(g.arbitrator));
	snprintf(g.arbitrator.name, sizeof(g.arbitrator.name), "刘洋");
	snprintf(g.arbitrator.org, sizeof(g.arbitrator.org),
	    "济南市劳动人事争议仲裁院");
	snprintf(g.arbitrator.region, sizeof(g.arbitrator.region), "370100");
	g.arbitrator.role = ROLE_ARBITRATOR;
	return (0);
}

static int
group_teardown(void **state)
{
	(void) state;
	policy_free(g.p);
	calendar_free(g.cal);
	minwage_free(g.mw);
	return (0);
}

static int
setup(void **state)
{
	(void) state;
	g.limit = limit_on(REGION_T1, AWARD_DATE);
	return (0);
}

/* ---- documents and fields ----------------------------------------- */

/*
 * mkcase: a case in arbitration of nworkers claimants in region, received
 * 2024-01-02, the award period begun on 2024-01-05 (accepted), claiming
 * what claim holds (a JSON array of {kind, amount_fen}, stolen).
 */
static json_t *
mkcase(const char *region, int nworkers, json_t *claim)
{
	json_t *doc, *cl = json_array();
	int     i;

	for (i = 0; i < nworkers; i++) {
		json_array_append_new(cl, json_pack("{s:s}", "name", "工人"));
	}
	doc = json_pack("{s:s, s:s, s:s, s:s, s:o, s:{s:o}, s:{s:b, s:i}, "
	                "s:{s:{s:s, s:s, s:[], s:[], s:i, s:n}}}",
	    "id", "WA2024-000001", "state", "arbitration", "region", region,
	    "received", "2024-01-02", "claimants", cl, "claim", "items", claim,
	    "priority", "collective", nworkers >= 10, "workers", nworkers,
	    "clocks", "award", "start", "2024-01-05", "state", "running",
	    "suspensions", "extensions", "restarts", 0, "stopped");
	assert_non_null(doc);
	return (doc);
}

static json_t *
claim1(const char *kind, long long amt)
{
	return (json_pack(
	    "[{s:s, s:I}]", "kind", kind, "amount_fen", (json_int_t) amt));
}

static json_t *
claim2(const char *k1, long long a1, const char *k2, long long a2)
{
	return (json_pack("[{s:s, s:I}, {s:s, s:I}]", "kind", k1, "amount_fen",
	    (json_int_t) a1, "kind", k2, "amount_fen", (json_int_t) a2));
}

/* item: worker < 0 leaves it out. */
static json_t *
item(int worker, const char *kind, long long amt, const char *stated)
{
	json_t *it = json_pack("{s:s, s:I, s:s}", "kind", kind, "amount_fen",
	    (json_int_t) amt, "stated", stated);

	if (worker >= 0) {
		json_object_set_new(it, "worker", json_integer(worker));
	}
	return (it);
}

/* fields of the award event: items (stolen), dated date. */
static json_t *
award_fields(const char *date, json_t *items)
{
	return (json_pack("{s:s, s:o}", "award_date", date, "items", items));
}

static const json_t *
award_item(const json_t *doc, size_t i)
{
	const json_t *it = json_array_get(
	    json_object_get(json_object_get(doc, "award"), "items"), i);

	assert_non_null(it);
	return (it);
}

static int
item_final(const json_t *doc, size_t i)
{
	const json_t *v = json_object_get(award_item(doc, i), "final");

	assert_true(json_is_boolean(v));
	return (json_is_true(v));
}

static const char *
award_str(const json_t *doc, const char *k)
{
	const char *s = tsupport_jstr(json_object_get(doc, "award"), k);

	assert_non_null(s);
	return (s);
}

/* record: award_record on doc with fields (borrowed); must succeed. */
static void
record(json_t *doc, const json_t *fields, int *fin, int *nonfin)
{
	struct wage_error err;
	struct civil_date d;
	int               f = 0, n = 0;

	wage_err_clear(&err);
	if (award_record(&g.env, doc, fields, &d, &f, &n, &err) != WAGE_OK) {
		fail_msg(
		    "award_record: %s (field %s)", err.message, err.field);
	}
	if (fin != NULL) {
		*fin = f;
	}
	if (nonfin != NULL) {
		*nonfin = n;
	}
}

/*
 * refused: award_record refuses fields (stolen) on doc (borrowed) with
 * WAGE_E_INVALID_ARGUMENT naming field, its message holding each of the
 * words (NULL-terminated), and doc is left exactly as it was.
 */
static void
refused(json_t *doc, json_t *fields, const char *field, ...)
{
	struct wage_error err;
	struct civil_date d;
	json_t           *before = json_deep_copy(doc);
	const char       *w;
	va_list           ap;
	int               f = 7, n = 7, rc;

	wage_err_clear(&err);
	rc = award_record(&g.env, doc, fields, &d, &f, &n, &err);
	if (rc != WAGE_E_INVALID_ARGUMENT || strcmp(err.field, field) != 0) {
		fail_msg("want %s on %s, got %s on '%s': %s",
		    "INVALID_ARGUMENT", field, wage_err_name(rc), err.field,
		    err.message);
	}
	va_start(ap, field);
	while ((w = va_arg(ap, const char *)) != NULL) {
		if (strstr(err.message, w) == NULL) {
			fail_msg(
			    "%s: '%s' not in '%s'", field, w, err.message);
		}
	}
	va_end(ap);
	assert_true(json_equal(doc, before));
	assert_int_equal(f, 0);
	assert_int_equal(n, 0);
	json_decref(before);
	json_decref(fields);
}

/* ---- classification ------------------------------------------------- */

/* DOMAIN.md: "In a collective case each worker's items are tested
 * separately"; one worker's items all final, another's not: mixed. */
static void
test_award_collective_mixed(void **state)
{
	const json_t *w;
	json_t       *doc, *f;
	int           fin, nonfin;

	(void) state;
	doc = mkcase(
	    REGION_T1, 12, claim2("wages", 4 * g.limit, "overtime", g.limit));
	/* Worker 0: two items, each within the limit (together above it:
	 * each item as awarded counts, not their sum). Worker 3: one
	 * item one fen above. */
	f = award_fields(AWARD_DATE,
	    json_pack("[o, o, o]", item(0, "wages", g.limit, "final"),
	        item(0, "overtime", g.limit, "final"),
	        item(3, "wages", g.limit + 1, "nonfinal")));
	record(doc, f, &fin, &nonfin);
	json_decref(f);
	assert_true(item_final(doc, 0));
	assert_true(item_final(doc, 1));
	assert_false(item_final(doc, 2));
	assert_true(fin);
	assert_true(nonfin);
	assert_string_equal(award_str(doc, "kind"), "mixed");
	w = json_object_get(json_object_get(doc, "award"), "workers");
	assert_int_equal(json_array_size(w), 2);
	assert_int_equal(tsupport_jnum(json_array_get(w, 0), "worker"), 0);
	assert_string_equal(
	    tsupport_jstr(json_array_get(w, 0), "kind"), "final");
	assert_int_equal(tsupport_jnum(json_array_get(w, 0), "items"), 2);
	assert_int_equal(tsupport_jnum(json_array_get(w, 1), "worker"), 3);
	assert_string_equal(
	    tsupport_jstr(json_array_get(w, 1), "kind"), "nonfinal");
	assert_int_equal(
	    tsupport_jnum(json_object_get(doc, "award"), "amount_fen"),
	    3 * g.limit + 1);
	assert_int_equal(
	    tsupport_jnum(json_object_get(doc, "award"), "limit_fen"),
	    g.limit);
	assert_int_equal(
	    tsupport_jnum(json_object_get(doc, "award"), "minimum_wage_fen"),
	    g.limit / 12);
	assert_string_equal(award_str(doc, "date"), AWARD_DATE);
	assert_true(json_is_false(
	    json_object_get(json_object_get(doc, "award"), "mismatch")));
	assert_null(
	    json_object_get(json_object_get(doc, "award"), "mismatch_note"));
	json_decref(doc);

	/* A worker with a final and a non-final item is mixed too. */
	doc = mkcase(REGION_T1, 2, claim1("wages", 4 * g.limit));
	f   = award_fields(AWARD_DATE,
	      json_pack("[o, o]", item(1, "wages", g.limit, "final"),
	          item(1, "wages", g.limit + 1, "nonfinal")));
	record(doc, f, NULL, NULL);
	json_decref(f);
	w = json_object_get(json_object_get(doc, "award"), "workers");
	assert_int_equal(json_array_size(w), 1);
	assert_string_equal(
	    tsupport_jstr(json_array_get(w, 0), "kind"), "mixed");
	assert_string_equal(award_str(doc, "kind"), "mixed");
	json_decref(doc);
}

/* Art 47(1): exactly 12 x is final, one fen above is not; for each kind
 * the article names, and under the set in force on the award date. */
static void
test_award_limit_boundary(void **state)
{
	static const char *const kinds[] = { "wages", "overtime", "medical",
		"compensation", NULL };
	json_t                  *doc, *f;
	long long                old;
	int                      i, fin, nonfin;

	(void) state;
	for (i = 0; kinds[i] != NULL; i++) {
		doc = mkcase(REGION_T1, 1, claim1(kinds[i], 2 * g.limit + 1));
		f   = award_fields(AWARD_DATE,
		      json_pack("[o, o]", item(-1, kinds[i], g.limit, "final"),
		          item(-1, kinds[i], g.limit + 1, "nonfinal")));
		record(doc, f, &fin, &nonfin);
		json_decref(f);
		assert_true(item_final(doc, 0));
		assert_false(item_final(doc, 1));
		assert_string_equal(
		    tsupport_jstr(award_item(doc, 0), "rule"), "47(1)");
		/* One worker: worker 0 without being named. */
		assert_int_equal(
		    tsupport_jnum(award_item(doc, 1), "worker"), 0);
		json_decref(doc);
	}
	/* The day before the 2023 set, the 2021 one: its limit is final,
	 * and today's limit is above it. */
	old = limit_on(REGION_T1, "2023-09-30");
	assert_true(old < g.limit);
	doc = mkcase(REGION_T1, 1, claim1("wages", old + g.limit));
	json_object_set_new(doc, "received", json_string("2023-01-02"));
	json_object_set_new(
	    json_object_get(json_object_get(doc, "clocks"), "award"), "start",
	    json_string("2023-01-05"));
	f = award_fields("2023-09-30",
	    json_pack("[o, o]", item(-1, "wages", old, "final"),
	        item(-1, "wages", g.limit, "nonfinal")));
	record(doc, f, NULL, NULL);
	json_decref(f);
	assert_true(item_final(doc, 0));
	assert_false(item_final(doc, 1));
	assert_int_equal(
	    tsupport_jnum(json_object_get(doc, "award"), "limit_fen"), old);
	json_decref(doc);
}

/* Art 47(2): working hours, rest and leave, social insurance are final
 * whatever the amount (0 allowed: not money); other kinds never are. */
static void
test_award_art47_2_whatever_the_amount(void **state)
{
	json_t *doc, *f, *claim;
	int     fin, nonfin;

	(void) state;
	claim = json_pack("[{s:s, s:I}, {s:s, s:I}, {s:s, s:I}, {s:s, s:I}]",
	    "kind", "social_insurance", "amount_fen",
	    (json_int_t) (10 * g.limit), "kind", "rest_leave", "amount_fen",
	    (json_int_t) (g.limit + 1), "kind", "working_hours", "amount_fen",
	    (json_int_t) 100, "kind", "other", "amount_fen", (json_int_t) 100);
	doc   = mkcase(REGION_T1, 1, claim);
	f     = award_fields(AWARD_DATE,
	        json_pack("[o, o, o]",
	            item(0, "social_insurance", 10 * g.limit, "final"),
	            item(0, "rest_leave", g.limit + 1, "final"),
	            item(0, "working_hours", 0, "final")));
	record(doc, f, &fin, &nonfin);
	json_decref(f);
	assert_true(item_final(doc, 0));
	assert_true(item_final(doc, 1));
	assert_true(item_final(doc, 2));
	assert_string_equal(
	    tsupport_jstr(award_item(doc, 0), "rule"), "47(2)");
	assert_true(fin);
	assert_false(nonfin);
	assert_string_equal(award_str(doc, "kind"), "final");
	json_decref(doc);

	/* A kind Art 47 does not name: not final, however small. */
	doc = mkcase(REGION_T1, 1, claim1("other", 100));
	f   = award_fields(
	      AWARD_DATE, json_pack("[o]", item(0, "other", 1, "nonfinal")));
	record(doc, f, &fin, &nonfin);
	json_decref(f);
	assert_false(item_final(doc, 0));
	assert_string_equal(tsupport_jstr(award_item(doc, 0), "rule"), "none");
	assert_false(fin);
	assert_true(nonfin);
	assert_string_equal(award_str(doc, "kind"), "nonfinal");
	json_decref(doc);
}

/* No table for the region (110101 北京东城): Art 47(1) items are not
 * final, Art 47(2) items still are. */
static void
test_award_region_without_table(void **state)
{
	json_t *doc, *f;

	(void) state;
	doc =
	    mkcase("110101", 1, claim2("wages", 100, "social_insurance", 100));
	f = award_fields(AWARD_DATE,
	    json_pack("[o, o]", item(0, "wages", 100, "final"),
	        item(0, "social_insurance", 100, "final")));
	record(doc, f, NULL, NULL);
	json_decref(f);
	assert_false(item_final(doc, 0));
	assert_true(item_final(doc, 1));
	assert_true(json_is_null(
	    json_object_get(json_object_get(doc, "award"), "limit_fen")));
	assert_non_null(strstr(award_str(doc, "basis"), "no minimum-wage"));
	/* Stated final: the rule cannot say so here; shown. */
	assert_true(
	    json_is_true(json_object_get(award_item(doc, 0), "mismatch")));
	assert_non_null(
	    strstr(award_str(doc, "mismatch_note"), "no minimum-wage table"));
	json_decref(doc);
}

/* The stated kind is recorded beside the rule's; a difference is flagged
 * with the items named, not refused (DOMAIN.md: "show it"). */
static void
test_award_stated_mismatch(void **state)
{
	const json_t *a;
	json_t       *doc, *f;
	char          lim[32];

	(void) state;
	doc = mkcase(
	    REGION_T1, 2, claim2("wages", 3 * g.limit, "rest_leave", 100));
	f = award_fields(AWARD_DATE,
	    json_pack("[o, o, o]", item(0, "wages", g.limit, "final"),
	        item(1, "wages", g.limit + 1, "final"),
	        item(1, "rest_leave", 100, "nonfinal")));
	record(doc, f, NULL, NULL);
	json_decref(f);
	a = json_object_get(doc, "award");
	assert_true(json_is_true(json_object_get(a, "mismatch")));
	assert_true(
	    json_is_false(json_object_get(award_item(doc, 0), "mismatch")));
	assert_true(
	    json_is_true(json_object_get(award_item(doc, 1), "mismatch")));
	assert_true(
	    json_is_true(json_object_get(award_item(doc, 2), "mismatch")));
	assert_string_equal(
	    tsupport_jstr(award_item(doc, 1), "stated"), "final");
	assert_string_equal(
	    tsupport_jstr(award_item(doc, 2), "stated"), "nonfinal");
	/* The server's kind stands: item 1 not final, item 2 final. */
	assert_false(item_final(doc, 1));
	assert_true(item_final(doc, 2));
	snprintf(
	    lim, sizeof(lim), "%lld.%02lld", g.limit / 100, g.limit % 100);
	assert_non_null(strstr(award_str(doc, "mismatch_note"), "2 items"));
	assert_non_null(
	    strstr(award_str(doc, "mismatch_note"), "items[1] (worker 1"));
	assert_non_null(strstr(award_str(doc, "mismatch_note"), lim));
	assert_non_null(strstr(award_str(doc, "mismatch_note"), "items[2]"));
	assert_null(strstr(award_str(doc, "mismatch_note"), "items[0]"));
	json_decref(doc);
}

/* ---- refusals: each names its field, the limit and the rule, and
 * leaves the document as it was ---------------------------------------- */

/*
 * Each worker's own claims (issue 10): an award holds each worker to what
 * that worker claimed of a kind, not only the case's total of the kind.
 */
static void
test_award_refused_above_worker_claim(void **state)
{
	json_t *doc, *cl, *f;

	(void) state;
	doc = mkcase(REGION_T1, 2, claim2("wages", 800000, "overtime", 5000));
	cl  = json_object_get(doc, "claimants");
	json_object_set_new(json_array_get(cl, 0), "claims",
	    json_pack("[{s:s, s:i}]", "kind", "wages", "amount_fen", 300000));
	json_object_set_new(json_array_get(cl, 1), "claims",
	    json_pack("[{s:s, s:i}, {s:s, s:i}]", "kind", "wages",
	        "amount_fen", 500000, "kind", "overtime", "amount_fen", 5000));
	/* Worker 0 given 3,000.01 of the 3,000 yuan claimed: refused, though
	 * the case claims 8,000 of wages in all. */
	refused(doc,
	    award_fields(AWARD_DATE,
	        json_pack("[o, o]", item(1, "wages", 100000, "final"),
	            item(0, "wages", 300001, "final"))),
	    "fields.items[1].amount_fen", "claimants[0]", "3000.01",
	    "3000.00", NULL);
	/* Split over two items of the same worker: counted together. */
	refused(doc,
	    award_fields(AWARD_DATE,
	        json_pack("[o, o]", item(0, "wages", 200000, "final"),
	            item(0, "wages", 100001, "final"))),
	    "fields.items[1].amount_fen", "3000.01", NULL);
	/* Overtime for worker 0, who claimed none. */
	refused(doc,
	    award_fields(AWARD_DATE,
	        json_pack("[o]", item(0, "overtime", 100, "final"))),
	    "fields.items[0].amount_fen", "claimed nothing of kind overtime",
	    NULL);
	/* Within each worker's claim: recorded. */
	f = award_fields(AWARD_DATE,
	    json_pack("[o, o, o]", item(0, "wages", 300000, "final"),
	        item(1, "wages", 500000, "final"),
	        item(1, "overtime", 5000, "final")));
	record(doc, f, NULL, NULL);
	json_decref(f);
	json_decref(doc);
}

static void
test_award_refused_above_claim(void **state)
{
	json_t *doc;

	(void) state;
	/* The case: 999,999.99 yuan on an 18,600-yuan claim. */
	doc = mkcase(REGION_T1, 1, claim1("wages", 1860000));
	refused(doc,
	    award_fields(AWARD_DATE,
	        json_pack("[o]", item(0, "wages", 99999999, "nonfinal"))),
	    "fields.items[0].amount_fen", "999999.99", "18600.00", "wages",
	    "第28条", NULL);
	json_decref(doc);

	/* Per kind, all workers together: 2 x 10,000 on a 18,600 claim;
	 * the overtime claimed does not make room for wages. */
	doc =
	    mkcase(REGION_T1, 2, claim2("wages", 1860000, "overtime", 500000));
	refused(doc,
	    award_fields(AWARD_DATE,
	        json_pack("[o, o, o]", item(0, "overtime", 100, "final"),
	            item(0, "wages", 1000000, "final"),
	            item(1, "wages", 1000000, "final"))),
	    "fields.items[2].amount_fen", "20000.00", "18600.00",
	    "cannot exceed the claim", NULL);
	/* A kind the claim does not hold, even at 0. */
	refused(doc,
	    award_fields(AWARD_DATE,
	        json_pack("[o]", item(0, "working_hours", 0, "final"))),
	    "fields.items[0].kind", "no item of kind working_hours", "第28条",
	    NULL);
	/* amount_fen beside the items: their sum. */
	{
		json_t *f = award_fields(AWARD_DATE,
		    json_pack("[o, o]", item(0, "wages", 1000, "final"),
		        item(1, "wages", 2000, "final")));

		json_object_set_new(f, "amount_fen", json_integer(3001));
		refused(doc, f, "fields.amount_fen", "30.01", "30.00", NULL);
	}
	json_decref(doc);
}

static void
test_award_refused_workers(void **state)
{
	json_t *doc, *items;
	int     i;

	(void) state;
	doc = mkcase(REGION_T1, 2, claim1("wages", 1860000));
	refused(doc,
	    award_fields(
	        AWARD_DATE, json_pack("[o]", item(2, "wages", 100, "final"))),
	    "fields.items[0].worker", "is 2", "2 claimants", "0 to 1", NULL);
	/* Several claimants: say whose item it is. */
	refused(doc,
	    award_fields(AWARD_DATE,
	        json_pack("[o, o]", item(0, "wages", 100, "final"),
	            item(-1, "wages", 100, "final"))),
	    "fields.items[1].worker", "required", "2 claimants", NULL);
	/* At most WAGE_MAX_CLAIM_ITEMS items a worker. */
	items = json_array();
	for (i = 0; i <= WAGE_MAX_CLAIM_ITEMS; i++) {
		json_array_append_new(items, item(1, "wages", 1, "final"));
	}
	refused(doc, award_fields(AWARD_DATE, items),
	    "fields.items[50].worker", "more than 50", NULL);
	json_decref(doc);
}

static void
test_award_refused_items(void **state)
{
	static const struct {
		const char *item, *field, *word;
	} bad[] = {
		{ "{\"worker\": 0, \"kind\": \"bonus\", \"amount_fen\": 1, "
		  "\"stated\": \"final\"}",
		    "fields.items[0].kind", "working_hours" },
		{ "{\"worker\": 0, \"amount_fen\": 1, \"stated\": \"final\"}",
		    "fields.items[0].kind", "required" },
		{ "{\"worker\": 0, \"kind\": \"wages\", \"amount_fen\": -1, "
		  "\"stated\": \"final\"}",
		    "fields.items[0].amount_fen", "from 0" },
		{ "{\"worker\": 0, \"kind\": \"wages\", \"amount_fen\": 0, "
		  "\"stated\": \"final\"}",
		    "fields.items[0].amount_fen", "above 0" },
		{ "{\"worker\": 0, \"kind\": \"wages\", \"amount_fen\": 1.5, "
		  "\"stated\": \"final\"}",
		    "fields.items[0].amount_fen", "whole number" },
		{ "{\"worker\": 0, \"kind\": \"wages\", \"amount_fen\": "
		  "100000000001, \"stated\": \"final\"}",
		    "fields.items[0].amount_fen", "100000000000" },
		{ "{\"worker\": 0, \"kind\": \"wages\", \"amount_fen\": 1, "
		  "\"stated\": \"maybe\"}",
		    "fields.items[0].stated", "nonfinal" },
		{ "{\"worker\": 0, \"kind\": \"wages\", \"amount_fen\": 1}",
		    "fields.items[0].stated", "required" },
		{ "{\"worker\": -1, \"kind\": \"wages\", \"amount_fen\": 1, "
		  "\"stated\": \"final\"}",
		    "fields.items[0].worker", "from 0" },
		{ "{\"worker\": \"0\", \"kind\": \"wages\", \"amount_fen\": "
		  "1, "
		  "\"stated\": \"final\"}",
		    "fields.items[0].worker", "whole number" },
		{ "{\"worker\": 0, \"kind\": \"wages\", \"amount_fen\": 1, "
		  "\"stated\": \"final\", \"colour\": \"red\"}",
		    "fields.items[0].colour", "allowed: worker, kind" },
		{ "{\"worker\": 0, \"kind\": \"wages\", \"amount_fen\": 1, "
		  "\"stated\": \"final\", \"Bad Key!\": 1}",
		    "fields.items[0]", "allowed: worker, kind" },
		{ "[1]", "fields.items[0]", "must be an object" },
	};
	struct wage_error err;
	json_t           *doc, *it, *items;
	size_t            i;

	(void) state;
	doc = mkcase(REGION_T1, 1, claim1("wages", 1860000));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		it = json_loads(bad[i].item, 0, NULL);
		assert_non_null(it);
		refused(doc, award_fields(AWARD_DATE, json_pack("[o]", it)),
		    bad[i].field, bad[i].word, NULL);
		/* The same through workflow_check, as the server does. */
		it    = json_loads(bad[i].item, 0, NULL);
		items = award_fields(AWARD_DATE, json_pack("[o]", it));
		json_object_set_new(items, "amount_fen", json_integer(1));
		assert_int_equal(workflow_check(g.p, "arbitration", "award",
		                     ROLE_ARBITRATOR, items, NULL, &err),
		    WAGE_E_INVALID_ARGUMENT);
		assert_string_equal(err.field, bad[i].field);
		json_decref(items);
	}
	/* Not a list, an empty list, and one item too many. */
	refused(doc, award_fields(AWARD_DATE, json_object()), "fields.items",
	    "1 to 2000", NULL);
	refused(doc, award_fields(AWARD_DATE, json_array()), "fields.items",
	    "1 to 2000", NULL);
	items = json_array();
	for (i = 0; i <= WAGE_MAX_AWARD_ITEMS; i++) {
		json_array_append_new(items, item(0, "wages", 1, "final"));
	}
	refused(doc, award_fields(AWARD_DATE, items), "fields.items",
	    "1 to 2000", NULL);
	json_decref(doc);
}

static void
test_award_refused_dates(void **state)
{
	struct civil_date today, tomorrow;
	char              t[16];
	json_t           *doc;

	(void) state;
	doc = mkcase(REGION_T1, 1, claim1("wages", 1860000));
	/* Before the award period began (accepted 2024-01-05): Art 43. */
	refused(doc,
	    award_fields("2024-01-04",
	        json_pack("[o]", item(0, "wages", 100, "final"))),
	    "fields.award_date", "2024-01-04", "2024-01-05", "第43条",
	    "acceptance", NULL);
	civil_date_today(&today);
	assert_int_equal(calendar_date_plus(today, 1, &tomorrow), WAGE_OK);
	civil_date_format(&tomorrow, t, sizeof(t));
	refused(doc,
	    award_fields(t, json_pack("[o]", item(0, "wages", 100, "final"))),
	    "fields.award_date", "future", NULL);
	refused(doc,
	    award_fields("2024-02-30",
	        json_pack("[o]", item(0, "wages", 100, "final"))),
	    "fields.award_date", NULL);
	/* No award clock on the case: the day the complaint came. */
	json_object_del(doc, "clocks");
	refused(doc,
	    award_fields("2024-01-01",
	        json_pack("[o]", item(0, "wages", 100, "final"))),
	    "fields.award_date", "2024-01-02", "received", NULL);
	json_decref(doc);
}

/* ---- an award without items (policy 2026.1) ------------------------ */

static void
test_award_without_items(void **state)
{
	json_t *doc, *f;
	int     fin, nonfin;

	(void) state;
	/* As before: the claimed items against the limit. */
	doc = mkcase(
	    REGION_T1, 1, claim2("wages", g.limit, "wages", g.limit + 1));
	f = json_pack("{s:s, s:I}", "award_date", AWARD_DATE, "amount_fen",
	    (json_int_t) (2 * g.limit + 1));
	record(doc, f, &fin, &nonfin);
	json_decref(f);
	assert_true(item_final(doc, 0));
	assert_false(item_final(doc, 1));
	assert_true(fin);
	assert_true(nonfin);
	assert_null(json_object_get(json_object_get(doc, "award"), "kind"));
	assert_null(json_object_get(award_item(doc, 0), "worker"));
	assert_int_equal(
	    tsupport_jnum(json_object_get(doc, "award"), "amount_fen"),
	    2 * g.limit + 1);
	/* But not above the claim, nor before the complaint. */
	f = json_pack("{s:s, s:I}", "award_date", AWARD_DATE, "amount_fen",
	    (json_int_t) (2 * g.limit + 2));
	refused(doc, f, "fields.amount_fen", "above the", "claimed", "第28条",
	    NULL);
	f = json_pack("{s:s, s:I}", "award_date", "2024-01-01", "amount_fen",
	    (json_int_t) 100);
	refused(doc, f, "fields.award_date", "2024-01-02", NULL);
	json_decref(doc);
}

/* ---- through caserules_act: the windows the award opens ------------- */

static int
fire_award(json_t *doc, json_t *fields, struct wage_error *err)
{
	const struct policy_event *ev = NULL;
	const json_t              *it;
	json_int_t                 sum = 0;
	size_t                     i;
	int                        rc;

	/* The policy requires amount_fen: the items' sum. */
	json_array_foreach (json_object_get(fields, "items"), i, it) {
		sum += tsupport_jnum(it, "amount_fen");
	}
	json_object_set_new(fields, "amount_fen", json_integer(sum));
	rc = workflow_check(
	    g.p, "arbitration", "award", ROLE_ARBITRATOR, fields, &ev, err);
	if (rc == WAGE_OK) {
		rc =
		    caserules_act(&g.env, doc, ev, fields, &g.arbitrator, err);
	}
	json_decref(fields);
	return (rc);
}

static const char *
clock_state(const json_t *doc, const char *name)
{
	return (tsupport_jstr(
	    json_object_get(json_object_get(doc, "clocks"), name), "state"));
}

/*
 * serve_award: the award served on party on day on, as the server does it
 * (the case is 'awarded' once the award is made); must succeed.
 */
static void
serve_award(json_t *doc, const char *party, const char *on)
{
	const struct policy_event *ev = NULL;
	struct wage_error          err;
	json_t *f = json_pack("{s:s, s:s, s:s, s:s}", "document", "award",
	    "party", party, "method", "direct", "served_on", on);
	int     rc;

	wage_err_clear(&err);
	rc = workflow_check(
	    g.p, "awarded", "serve", ROLE_ARBITRATOR, f, &ev, &err);
	if (rc == WAGE_OK) {
		rc = caserules_act(&g.env, doc, ev, f, &g.arbitrator, &err);
	}
	json_decref(f);
	if (rc != WAGE_OK) {
		fail_msg(
		    "serve %s: %s (field %s)", party, err.message, err.field);
	}
}

/* has_clock: is clock name in the ledger? */
static bool
has_clock(const json_t *doc, const char *name)
{
	return (json_object_get(json_object_get(doc, "clocks"), name) != NULL);
}

/*
 * The windows the rule's kind opens (Arts 48-50). Since policy 2026.2
 * (award_clocks.from: service) they open on each party's receipt of the
 * award, not on the award itself.
 */
static void
test_award_opens_windows(void **state)
{
	static const char *const windows[] = { "challenge_worker",
		"challenge_employer", "challenge_nonfinal_worker",
		"challenge_nonfinal_employer", NULL };
	struct wage_error        err;
	json_t                  *doc;
	size_t                   i;

	(void) state;
	/* Mixed: the final windows (Arts 48, 49) and the non-final ones
	 * (Art 50), each party's from its receipt. */
	doc = mkcase(REGION_T1, 2, claim1("wages", 4 * g.limit));
	assert_int_equal(
	    fire_award(doc,
	        award_fields(AWARD_DATE,
	            json_pack("[o, o]", item(0, "wages", g.limit, "final"),
	                item(1, "wages", g.limit + 1, "nonfinal"))),
	        &err),
	    WAGE_OK);
	assert_string_equal(clock_state(doc, "award"), "stopped");
	for (i = 0; windows[i] != NULL; i++) {
		assert_false(has_clock(doc, windows[i]));
	}
	serve_award(doc, "worker", AWARD_DATE);
	assert_string_equal(clock_state(doc, "challenge_worker"), "running");
	assert_string_equal(
	    clock_state(doc, "challenge_nonfinal_worker"), "running");
	assert_false(has_clock(doc, "challenge_employer"));
	assert_false(has_clock(doc, "challenge_nonfinal_employer"));
	serve_award(doc, "employer", "2024-02-07");
	for (i = 0; windows[i] != NULL; i++) {
		assert_string_equal(clock_state(doc, windows[i]), "running");
	}
	json_decref(doc);

	/* Final only, though stated non-final: the rule's kind opens the
	 * windows; the difference is shown. */
	doc = mkcase(REGION_T1, 1, claim1("wages", g.limit));
	assert_int_equal(
	    fire_award(doc,
	        award_fields(AWARD_DATE,
	            json_pack("[o]", item(-1, "wages", g.limit, "nonfinal"))),
	        &err),
	    WAGE_OK);
	serve_award(doc, "worker", AWARD_DATE);
	serve_award(doc, "employer", AWARD_DATE);
	assert_string_equal(clock_state(doc, "challenge_worker"), "running");
	assert_string_equal(clock_state(doc, "challenge_employer"), "running");
	assert_false(has_clock(doc, "challenge_nonfinal_worker"));
	assert_false(has_clock(doc, "challenge_nonfinal_employer"));
	assert_true(json_is_true(
	    json_object_get(json_object_get(doc, "award"), "mismatch")));
	json_decref(doc);

	/* A refusal through caserules_act names the field too: an item
	 * of a kind not claimed, ... */
	doc = mkcase(REGION_T1, 1, claim1("wages", g.limit));
	assert_int_equal(
	    fire_award(doc,
	        award_fields(AWARD_DATE,
	            json_pack("[o]", item(-1, "overtime", 100, "final"))),
	        &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.items[0].kind");
	/* ... and above the claim, the award's amount_fen: policy 2026.2
	 * bounds it by the claim (at_most: claimed) before the items are
	 * read. */
	assert_int_equal(
	    fire_award(doc,
	        award_fields(AWARD_DATE,
	            json_pack("[o]", item(-1, "wages", g.limit + 1, "final"))),
	        &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.amount_fen");
	assert_null(json_object_get(doc, "award"));
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_award_collective_mixed, setup),
		cmocka_unit_test_setup(test_award_limit_boundary, setup),
		cmocka_unit_test_setup(
		    test_award_art47_2_whatever_the_amount, setup),
		cmocka_unit_test_setup(test_award_region_without_table, setup),
		cmocka_unit_test_setup(test_award_stated_mismatch, setup),
		cmocka_unit_test_setup(test_award_refused_above_claim, setup),
		cmocka_unit_test_setup(
		    test_award_refused_above_worker_claim, setup),
		cmocka_unit_test_setup(test_award_refused_workers, setup),
		cmocka_unit_test_setup(test_award_refused_items, setup),
		cmocka_unit_test_setup(test_award_refused_dates, setup),
		cmocka_unit_test_setup(test_award_without_items, setup),
		cmocka_unit_test_setup(test_award_opens_windows, setup),
	};

	return (cmocka_run_group_tests_name(
	    "award", tests, group_setup, group_teardown));
}
