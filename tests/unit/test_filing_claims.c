/* SPDX-License-Identifier: MIT */
/*
 * test_filing_claims.c - unit tests of each worker's own claims in a
 * filing (server/filing.c, issue 10): the case's claim is derived from
 * the workers' (totals by kind, the period given or the workers' span);
 * some workers with claims and some without is refused; a worker's period
 * outside the case's is refused; a single worker's common claim becomes
 * that worker's own; ID numbers and phones typed with spaces, dashes or
 * full-width digits are stored normalised and listed; the idempotency key
 * is checked and kept.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "filing.h"
#include "policy.h"

#include "support_ids.h"

#define OFFICE "济南市劳动人事争议仲裁院"

static char id[3][19], cc[19];

static struct actor
clerk(void)
{
	struct actor a;

	memset(&a, 0, sizeof(a));
	snprintf(a.name, sizeof(a.name), "张伟");
	snprintf(a.org, sizeof(a.org), "%s", OFFICE);
	snprintf(a.region, sizeof(a.region), "370100");
	a.role = ROLE_CLERK;
	return (a);
}

/* worker n: its own claims (wages w fen, overtime o fen when o > 0) and,
 * when from is not NULL, its own period. */
static json_t *
worker(int n, long long w, long long o, const char *from, const char *to)
{
	json_t *c = json_pack("{s:s, s:s, s:[{s:s, s:I}]}", "name",
	    n == 0 ? "张三" : n == 1 ? "李四" : "王五", "id_number", id[n],
	    "claims", "kind", "wages", "amount_fen", (json_int_t) w);

	assert_non_null(c);
	if (o > 0) {
		json_array_append_new(json_object_get(c, "claims"),
		    json_pack("{s:s, s:I}", "kind", "overtime", "amount_fen",
		        (json_int_t) o));
	}
	if (from != NULL) {
		json_object_set_new(c, "period",
		    json_pack("{s:s, s:s}", "from", from, "to", to));
	}
	return (c);
}

static json_t *
args_with(json_t *claimants)
{
	json_t *a = json_pack("{s:s, s:s, s:o, s:{s:s, s:s}, s:s}", "channel",
	    "walk_in", "region", "370102", "claimants", claimants,
	    "respondent", "name", "济南某建筑劳务有限公司", "credit_code", cc,
	    "facts", "拖欠工资。");

	assert_non_null(a);
	return (a);
}

static int
group_setup(void **state)
{
	(void) state;
	tsupport_id_number("37010219900101001", id[0]);
	tsupport_id_number("37010219900201002", id[1]);
	tsupport_id_number("37010219900301003", id[2]);
	tsupport_credit_code("91370100MA3C5XXQ0", cc);
	return (0);
}

static json_int_t
ival(const json_t *o, const char *k)
{
	return (json_integer_value(json_object_get(o, k)));
}

static const char *
sval(const json_t *o, const char *k)
{
	return (json_string_value(json_object_get(o, k)));
}

static void
test_claims_derived_from_workers(void **state)
{
	struct actor      a = clerk();
	struct wage_error err;
	json_t           *args, *doc, *claim, *items;

	(void) state;
	args = args_with(json_pack("[o, o, o]",
	    worker(0, 300000, 0, "2026-03", "2026-05"),
	    worker(1, 450000, 12000, "2026-01", "2026-04"),
	    worker(2, 100, 0, "2026-06", "2026-06")));
	assert_int_equal(filing_check(args, &a, &doc, &err), WAGE_OK);
	claim = json_object_get(doc, "claim");
	items = json_object_get(claim, "items");
	/* Totals by kind, in the order of the kinds. */
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(sval(json_array_get(items, 0), "kind"), "wages");
	assert_int_equal(ival(json_array_get(items, 0), "amount_fen"), 750100);
	assert_string_equal(
	    sval(json_array_get(items, 1), "kind"), "overtime");
	assert_int_equal(ival(json_array_get(items, 1), "amount_fen"), 12000);
	assert_int_equal(ival(claim, "total_fen"), 762100);
	assert_true(json_is_true(json_object_get(claim, "per_worker")));
	/* The period: the workers' span. */
	assert_string_equal(
	    sval(json_object_get(claim, "period"), "from"), "2026-01");
	assert_string_equal(
	    sval(json_object_get(claim, "period"), "to"), "2026-06");
	/* Each worker keeps their own, with a total. */
	assert_int_equal(ival(json_array_get(json_object_get(doc, "claimants"),
	                          1),
	                     "total_fen"),
	    462000);
	json_decref(doc);
	json_decref(args);
}

static void
test_claims_case_period_holds_workers(void **state)
{
	struct actor      a = clerk();
	struct wage_error err;
	json_t           *args, *doc;

	(void) state;
	/* The case's period given: the workers' lie within it. */
	args = args_with(json_pack("[o, o]",
	    worker(0, 300000, 0, "2026-03", "2026-05"),
	    worker(1, 450000, 0, NULL, NULL)));
	json_object_set_new(args, "claim",
	    json_pack("{s:{s:s, s:s}}", "period", "from", "2026-02", "to",
	        "2026-06"));
	assert_int_equal(filing_check(args, &a, &doc, &err), WAGE_OK);
	assert_string_equal(sval(json_object_get(json_object_get(doc, "claim"),
	                             "period"),
	                        "from"),
	    "2026-02");
	json_decref(doc);
	/* A worker's months outside it: refused, naming the worker. */
	json_object_set_new(json_array_get(json_object_get(args, "claimants"),
	                        1),
	    "period", json_pack("{s:s, s:s}", "from", "2026-01", "to",
	                  "2026-03"));
	assert_int_equal(filing_check(args, &a, &doc, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "claimants[1].period");
	assert_null(doc);
	/* Items beside the workers' own: refused, they are derived. */
	json_object_set_new(json_object_get(args, "claim"), "items",
	    json_pack("[{s:s, s:i}]", "kind", "wages", "amount_fen", 1));
	assert_int_equal(filing_check(args, &a, &doc, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "claim.items");
	json_decref(args);
	/* No period anywhere for a worker: refused. */
	args = args_with(json_pack("[o, o]",
	    worker(0, 300000, 0, "2026-03", "2026-05"),
	    worker(1, 450000, 0, NULL, NULL)));
	assert_int_equal(filing_check(args, &a, &doc, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "claimants[1].period");
	json_decref(args);
}

static void
test_claims_all_or_none(void **state)
{
	struct actor      a = clerk();
	struct wage_error err;
	json_t           *args, *doc, *w1;

	(void) state;
	w1 = worker(1, 450000, 0, "2026-01", "2026-04");
	json_object_del(w1, "claims");
	json_object_del(w1, "period");
	args = args_with(
	    json_pack("[o, o]", worker(0, 300000, 0, "2026-03", "2026-05"), w1));
	assert_int_equal(filing_check(args, &a, &doc, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "claimants[1].claims");
	assert_non_null(strstr(err.message, "every worker"));
	json_decref(args);
	/* A worker's item of an unknown kind, or of 0 fen: its own path. */
	args = args_with(json_pack(
	    "[o, o]", worker(0, 300000, 0, "2026-03", "2026-05"),
	    worker(1, 0, 0, "2026-01", "2026-04")));
	assert_int_equal(filing_check(args, &a, &doc, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "claimants[1].claims[0].amount_fen");
	json_decref(args);
}

static void
test_claims_single_worker_common_claim_is_own(void **state)
{
	struct actor      a = clerk();
	struct wage_error err;
	json_t           *args, *doc, *w0;

	(void) state;
	w0 = worker(0, 1, 0, NULL, NULL);
	json_object_del(w0, "claims");
	args = args_with(json_pack("[o]", w0));
	json_object_set_new(args, "claim",
	    json_pack("{s:[{s:s, s:I}], s:{s:s, s:s}}", "items", "kind",
	        "wages", "amount_fen", (json_int_t) 1860000, "period", "from",
	        "2026-07", "to", "2026-09"));
	assert_int_equal(filing_check(args, &a, &doc, &err), WAGE_OK);
	w0 = json_array_get(json_object_get(doc, "claimants"), 0);
	assert_int_equal(ival(w0, "total_fen"), 1860000);
	assert_int_equal(
	    ival(json_array_get(json_object_get(w0, "claims"), 0), "amount_fen"),
	    1860000);
	assert_true(json_is_true(
	    json_object_get(json_object_get(doc, "claim"), "per_worker")));
	json_decref(doc);
	/* Two workers with one common claim: kept undivided. */
	json_array_append_new(json_object_get(args, "claimants"),
	    json_pack("{s:s, s:s}", "name", "李四", "id_number", id[1]));
	assert_int_equal(filing_check(args, &a, &doc, &err), WAGE_OK);
	assert_true(json_is_false(
	    json_object_get(json_object_get(doc, "claim"), "per_worker")));
	assert_null(json_object_get(
	    json_array_get(json_object_get(doc, "claimants"), 0), "claims"));
	json_decref(doc);
	json_decref(args);
}

static void
test_numbers_as_typed_are_normalised(void **state)
{
	struct actor      a = clerk();
	struct wage_error err;
	json_t           *args, *doc, *w0, *norm;
	char              typed[96];

	(void) state;
	/* "370102 19900101 001X" with full-width digits for the date. */
	snprintf(typed, sizeof(typed), "%.6s %s %.3s-%c", id[0],
	    "１９９００１０１", id[0] + 14, id[0][17]);
	w0 = worker(0, 100, 0, "2026-01", "2026-01");
	json_object_set_new(w0, "id_number", json_string(typed));
	json_object_set_new(w0, "phone", json_string("138 0013-8000"));
	args = args_with(json_pack("[o]", w0));
	assert_int_equal(filing_check(args, &a, &doc, &err), WAGE_OK);
	w0 = json_array_get(json_object_get(doc, "claimants"), 0);
	assert_string_equal(sval(w0, "id_number"), id[0]);
	assert_string_equal(sval(w0, "phone"), "13800138000");
	norm = json_object_get(doc, FILING_NORMALISED);
	assert_int_equal(json_array_size(norm), 2);
	assert_string_equal(
	    json_string_value(json_array_get(norm, 0)), "claimants[0].id_number");
	assert_string_equal(
	    json_string_value(json_array_get(norm, 1)), "claimants[0].phone");
	json_decref(doc);
	/* Typed plainly: nothing listed. */
	json_object_set_new(json_array_get(json_object_get(args, "claimants"),
	                        0),
	    "id_number", json_string(id[0]));
	json_object_del(
	    json_array_get(json_object_get(args, "claimants"), 0), "phone");
	assert_int_equal(filing_check(args, &a, &doc, &err), WAGE_OK);
	assert_null(json_object_get(doc, FILING_NORMALISED));
	json_decref(doc);
	/* Normalised, a wrong number is still wrong, and says why. */
	typed[0] = typed[0] == '3' ? '4' : '3';
	json_object_set_new(json_array_get(json_object_get(args, "claimants"),
	                        0),
	    "id_number", json_string(typed));
	assert_int_equal(filing_check(args, &a, &doc, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "claimants[0].id_number");
	assert_non_null(strstr(err.message, "check character"));
	json_decref(args);
}

static void
test_idempotency_key(void **state)
{
	static const char *bad[] = { "short", "has space in it", "密钥密钥密钥密钥",
		"0123456789012345678901234567890123456789012345678901234567890123"
		"4" };
	struct actor       a = clerk();
	struct wage_error  err;
	json_t            *args, *doc;
	size_t             i;

	(void) state;
	args = args_with(
	    json_pack("[o]", worker(0, 100, 0, "2026-01", "2026-01")));
	json_object_set_new(args, "idempotency_key",
	    json_string("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6"
	                "c15b0f00a08"));
	assert_int_equal(filing_check(args, &a, &doc, &err), WAGE_OK);
	assert_string_equal(sval(doc, "filing_key"),
	    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
	json_decref(doc);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_object_set_new(
		    args, "idempotency_key", json_string(bad[i]));
		assert_int_equal(filing_check(args, &a, &doc, &err),
		    WAGE_E_INVALID_ARGUMENT);
		assert_string_equal(err.field, "idempotency_key");
		assert_null(doc);
	}
	json_decref(args);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_claims_derived_from_workers),
		cmocka_unit_test(test_claims_case_period_holds_workers),
		cmocka_unit_test(test_claims_all_or_none),
		cmocka_unit_test(test_claims_single_worker_common_claim_is_own),
		cmocka_unit_test(test_numbers_as_typed_are_normalised),
		cmocka_unit_test(test_idempotency_key),
	};

	return (cmocka_run_group_tests_name(
	    "filing_claims", tests, group_setup, NULL));
}
