/* SPDX-License-Identifier: MIT */
/*
 * test_report.c - unit tests of server/report.c on the store of
 * support_report.h (a real LMDB store in a mkdtemp directory, filled with
 * generated cases): the arguments report_campaign and report_employers
 * refuse (each naming its field) and the longest periods they accept;
 * the limits (more groups or respondents than a reply may carry, on a
 * second store beside the first); the labels of regions; and the overdue
 * figures, taken from the cases' clock ledgers; the kinds of awards
 * (final, not final, mixed) counted apart. The figures of the
 * generated cases are checked in test_report_generated.c.
 *
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

#include "caserec.h"
#include "report.h"
#include "store.h"

#include "support_report.h"

/* ---- campaign ------------------------------------------------------- */

static void
test_report_campaign_invalid(void **state)
{
	static const struct {
		const char *args, *field;
	} bad[] = {
		{ NULL, "from" },
		{ "{}", "from" },
		{ "{\"to\": \"2024-03-31\"}", "from" },
		{ "{\"from\": \"2024-01-01\"}", "to" },
		{ "{\"from\": \"2024-02-30\", \"to\": \"2024-03-31\"}",
		    "from" },
		{ "{\"from\": \"2024/01/01\", \"to\": \"2024-03-31\"}",
		    "from" },
		{ "{\"from\": 20240101, \"to\": \"2024-03-31\"}", "from" },
		{ "{\"from\": \"2024-01-01\", \"to\": \"2024-3-31\"}", "to" },
		{ "{\"from\": \"2024-04-01\", \"to\": \"2024-03-31\"}", "to" },
		/* three years at most */
		{ "{\"from\": \"2021-01-01\", \"to\": \"2024-01-01\"}", "to" },
		{ "{\"from\": \"2020-02-29\", \"to\": \"2023-03-01\"}", "to" },
		{ "{\"from\": \"2024-01-01\", \"to\": \"2024-03-31\", "
		  "\"region\": \"37\"}",
		    "region" },
		{ "{\"from\": \"2024-01-01\", \"to\": \"2024-03-31\", "
		  "\"region\": 370000}",
		    "region" },
		{ "{\"from\": \"2024-01-01\", \"to\": \"2024-03-31\", "
		  "\"region\": \"000000\"}",
		    "region" },
		{ "{\"from\": \"2024-01-01\", \"to\": \"2024-03-31\", "
		  "\"city\": \"370100\"}",
		    "args" },
		{ "[]", "args" },
	};
	struct wage_error err;
	json_t           *r;
	size_t            i;

	(void) state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = tsupport_campaign(bad[i].args, NULL, NULL, &r, &err);

		if (rc != WAGE_E_INVALID_ARGUMENT ||
		    strcmp(err.field, bad[i].field) != 0 ||
		    err.message[0] == '\0') {
			fail_msg("%s: rc %d field '%s' (want %s) message '%s'",
			    bad[i].args != NULL ? bad[i].args : "NULL", rc,
			    err.field, bad[i].field, err.message);
		}
	}
	/* The longest periods allowed. */
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"2021-01-01\", \"to\": "
	                      "\"2023-12-31\"}",
	        NULL, NULL, &r, &err),
	    WAGE_OK);
	json_decref(r);
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"2020-02-29\", \"to\": "
	                      "\"2023-02-28\"}",
	        NULL, NULL, &r, &err),
	    WAGE_OK);
	json_decref(r);
}

struct many_job {
	struct store_job job;
	size_t           n;
};

static int
put_many(struct store_txn *txn, struct store_job *job)
{
	struct many_job *mj = (struct many_job *) (void *) job;
	json_t          *doc;
	char             id[32], region[48], credit[48];
	size_t           i;
	int              rc;

	for (i = 0; i < mj->n; i++) {
		snprintf(id, sizeof(id), "WA2025-%06zu", i + 1);
		/* Each case in a city of its own, outside Shandong. */
		snprintf(region, sizeof(region), "%02zu%02zu01", 41 + i / 50,
		    1 + i % 50);
		snprintf(credit, sizeof(credit), "91410100MA%08zu", i);
		doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:[{s:s}], "
		                "s:{s:s, s:s}, s:{s:I}, s:[]}",
		    "id", id, "revision", 1, "state", "intake", "region",
		    region, "received", "2025-01-02", "claimants", "name",
		    "王五", "respondent", "name", "某公司", "credit_code",
		    credit, "claim", "total_fen", (json_int_t) (100000 + i),
		    "steps");
		rc  = caserec_save(txn, doc, NULL);
		json_decref(doc);
		if (rc != WAGE_OK) {
			return (rc);
		}
	}
	return (WAGE_OK);
}

static void
test_report_limits(void **state)
{
	struct wage_error err;
	struct many_job   mj;
	json_t           *r;

	(void) state;
	/* A second store: more groups and more respondents than a reply
	 * may carry. */
	store_close(tsupport_report_g.s);
	tsupport_report_g.s = NULL;
	{
		char db[96];

		snprintf(db, sizeof(db), "%s/many", tsupport_report_g.base);
		assert_int_equal(
		    store_open(&tsupport_report_g.s, db, 16u << 20, 16, &err),
		    WAGE_OK);
		memset(&mj, 0, sizeof(mj));
		mj.n = REPORT_MAX_GROUPS + 1;
		assert_int_equal(
		    store_write_now(tsupport_report_g.s, put_many, &mj.job),
		    WAGE_OK);
	}
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"2025-01-01\", \"to\": "
	                      "\"2025-01-31\"}",
	        NULL, NULL, &r, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "region");
	/* One province is few enough. */
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"2025-01-01\", \"to\": "
	                      "\"2025-01-31\", \"region\": \"410000\"}",
	        NULL, NULL, &r, &err),
	    WAGE_OK);
	assert_int_equal(json_array_size(json_object_get(r, "groups")), 50);
	json_decref(r);

	assert_int_equal(
	    tsupport_employers("{\"min_cases\": 1}", NULL, NULL, &r, &err),
	    WAGE_OK);
	assert_int_equal(json_integer_value(json_object_get(r, "total")),
	    REPORT_MAX_GROUPS + 1);
	assert_true(json_is_true(json_object_get(r, "truncated")));
	assert_int_equal(json_array_size(json_object_get(r, "employers")),
	    REPORT_MAX_EMPLOYERS);
	/* The most claimed first. */
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(r, "employers"), 0),
	        "credit_code")),
	    "91410100MA00000200");
	json_decref(r);

	/* Back to the main store for the tests after this one. */
	store_close(tsupport_report_g.s);
	{
		char db[96];

		snprintf(db, sizeof(db), "%s/db", tsupport_report_g.base);
		assert_int_equal(
		    store_open(&tsupport_report_g.s, db, 64u << 20, 16, &err),
		    WAGE_OK);
	}
}

/* ---- employers ------------------------------------------------------ */

static void
test_report_employers_invalid(void **state)
{
	static const struct {
		const char *args, *field;
	} bad[] = {
		{ "{\"min_cases\": 0}", "min_cases" },
		{ "{\"min_cases\": \"2\"}", "min_cases" },
		{ "{\"min_cases\": 2.5}", "min_cases" },
		{ "{\"min_amount_fen\": -1}", "min_amount_fen" },
		{ "{\"min_amount_fen\": true}", "min_amount_fen" },
		{ "{\"from\": \"2024-13-01\"}", "from" },
		{ "{\"from\": \"2024-03-01\", \"to\": \"2024-02-01\"}", "to" },
		{ "{\"limit\": 10}", "args" },
		{ "\"x\"", "args" },
	};
	struct wage_error err;
	json_t           *r;
	size_t            i;

	(void) state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = tsupport_employers(bad[i].args, NULL, NULL, &r, &err);

		if (rc != WAGE_E_INVALID_ARGUMENT ||
		    strcmp(err.field, bad[i].field) != 0 ||
		    err.message[0] == '\0') {
			fail_msg("%s: rc %d field '%s' (want %s) message '%s'",
			    bad[i].args, rc, err.field, bad[i].field,
			    err.message);
		}
	}
	/* Longer than three years is fine for this list. */
	assert_int_equal(
	    tsupport_employers("{\"from\": \"2010-01-01\", \"to\": "
	                       "\"2024-12-31\"}",
	        NULL, NULL, &r, &err),
	    WAGE_OK);
	json_decref(r);
}

static void
test_report_region_label(void **state)
{
	(void) state;
	assert_string_equal(report_region_label("370100"), "济南");
	assert_string_equal(report_region_label("371700"), "菏泽");
	assert_string_equal(report_region_label("371000"), "威海");
	assert_null(report_region_label("371200")); /* 莱芜, merged 2019 */
	assert_null(report_region_label("370102"));
	assert_null(report_region_label(NULL));
}

/*
 * The kind of each award (Art 47), on seven 2020 cases added to the shared
 * store: one recorded with items carries award.kind (award.c), final, not
 * final or mixed, counted apart, whatever the step's `final` says; one
 * recorded without items reads as before: the step's `final`, or final
 * when the server found a claimed item final.
 */
static void
test_report_award_kinds(void **state)
{
	static const struct {
		const char *fields; /* the award step's */
		const char *award;  /* the case's award record, or NULL */
	} cases[] = {
		{ "{\"items\": [{}]}", "{\"kind\": \"final\"}" },
		{ "{\"items\": [{}]}", "{\"kind\": \"nonfinal\"}" },
		{ "{\"items\": [{}]}", "{\"kind\": \"mixed\"}" },
		{ "{\"items\": [{}], \"final\": true}",
		    "{\"kind\": \"mixed\", \"items\": [{\"final\": true}]}" },
		/* without items */
		{ "{\"final\": true}", NULL },
		{ "{}",
		    "{\"items\": [{\"final\": true}, {\"final\": false}]}" },
		{ "{}", NULL },
	};
	struct tsupport_put_job pj;
	struct wage_error       err;
	json_t                 *r, *doc, *total;
	char                    id[32];
	size_t                  i;

	(void) state;
	memset(&pj, 0, sizeof(pj));
	pj.docs = json_array();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(id, sizeof(id), "WA2020-%06zu", i + 1);
		doc = json_pack("{s:s, s:s, s:s, s:s, s:[], s:{s:s, s:s}, "
		                "s:{s:[], s:I}, s:i}",
		    "id", id, "state", "awarded", "region", "371602",
		    "received", "2020-03-01", "claimants", "respondent",
		    "name", "某公司", "credit_code", "91371600MA00000000",
		    "claim", "items", "total_fen", (json_int_t) 100,
		    "revision", 2);
		assert_non_null(doc);
		json_object_set_new(doc, "steps",
		    json_pack("[{s:i, s:s, s:s, s:s, s:s, s:o}]", "seq",
		        (int) i + 1, "event", "award", "from", "arbitration",
		        "to", "awarded", "at", "2020-04-01T10:00:00+08:00",
		        "fields", json_loads(cases[i].fields, 0, NULL)));
		assert_non_null(doc);
		if (cases[i].award != NULL) {
			json_object_set_new(
			    doc, "award", json_loads(cases[i].award, 0, NULL));
		}
		json_array_append_new(pj.docs, doc);
	}
	assert_int_equal(
	    store_write_now(tsupport_report_g.s, tsupport_put_all, &pj.job),
	    WAGE_OK);
	json_decref(pj.docs);
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"2020-01-01\", \"to\": "
	                      "\"2020-12-31\", \"region\": \"371600\"}",
	        NULL, NULL, &r, &err),
	    WAGE_OK);
	total = json_object_get(r, "total");
	assert_int_equal(
	    json_integer_value(json_object_get(total, "awarded")), 7);
	assert_int_equal(
	    json_integer_value(json_object_get(total, "awarded_final")), 3);
	assert_int_equal(
	    json_integer_value(json_object_get(total, "awarded_not_final")),
	    2);
	assert_int_equal(
	    json_integer_value(json_object_get(total, "awarded_mixed")), 2);
	json_decref(r);
}

/* Runs last: it adds three 2021 cases to the shared store. */
static void
test_report_overdue_from_clocks(void **state)
{
	static const char *const ledgers[] = {
		/* running, due long ago: overdue now and ever */
		"{\"acceptance\": {\"state\": \"running\", \"start\": "
		"\"2021-03-01\", \"due\": \"2021-03-08\"}}",
		/* stopped after its due date: ever overdue only */
		"{\"acceptance\": {\"state\": \"stopped\", \"start\": "
		"\"2021-03-01\", \"due\": \"2021-03-08\", \"stopped\": "
		"\"2021-03-20\"}}",
		/* stopped in time, and one running far in the future */
		"{\"acceptance\": {\"state\": \"stopped\", \"start\": "
		"\"2021-03-01\", \"due\": \"2021-03-08\", \"stopped\": "
		"\"2021-03-05\"}, \"award\": {\"state\": \"running\", "
		"\"start\": \"2021-03-05\", \"due\": \"9999-01-01\"}}",
	};
	struct tsupport_put_job pj;
	struct wage_error       err;
	json_t                 *r, *doc, *total;
	char                    id[32];
	size_t                  i;

	(void) state;
	memset(&pj, 0, sizeof(pj));
	pj.docs = json_array();
	for (i = 0; i < 3; i++) {
		snprintf(id, sizeof(id), "WA2021-%06zu", i + 1);
		doc = json_pack("{s:s, s:s, s:s, s:s, s:[], s:{s:s, s:s}, "
		                "s:{s:[], s:I}, s:o, s:[], s:i}",
		    "id", id, "state", "mediation", "region", "371502",
		    "received", "2021-03-01", "claimants", "respondent",
		    "name", "某公司", "credit_code", "91371500MA00000000",
		    "claim", "items", "total_fen", (json_int_t) 100, "clocks",
		    json_loads(ledgers[i], 0, NULL), "steps", "revision", 1);
		assert_non_null(doc);
		json_array_append_new(pj.docs, doc);
	}
	assert_int_equal(
	    store_write_now(tsupport_report_g.s, tsupport_put_all, &pj.job),
	    WAGE_OK);
	json_decref(pj.docs);
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"2021-01-01\", \"to\": "
	                      "\"2021-12-31\", \"region\": \"371500\"}",
	        NULL, NULL, &r, &err),
	    WAGE_OK);
	total = json_object_get(r, "total");
	assert_int_equal(
	    json_integer_value(json_object_get(total, "received")), 3);
	assert_int_equal(
	    json_integer_value(json_object_get(total, "overdue_now")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(total, "ever_overdue")), 2);
	json_decref(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_campaign_invalid),
		cmocka_unit_test(test_report_employers_invalid),
		cmocka_unit_test(test_report_region_label),
		cmocka_unit_test(test_report_limits),
		cmocka_unit_test(test_report_award_kinds),
		cmocka_unit_test(test_report_overdue_from_clocks),
	};

	return (cmocka_run_group_tests_name("report", tests,
	    tsupport_report_group_setup, tsupport_report_group_teardown));
}
