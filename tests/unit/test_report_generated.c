/* SPDX-License-Identifier: MIT */
/*
 * test_report_generated.c - unit tests of server/report.c against an
 * independent count: report_campaign (by city and by county, a province,
 * every region, one county, what the caller may see, the period) and
 * report_employers (the default threshold, others, a period, what the
 * caller may see) on the store of support_report.h, filled with
 * generated cases, every figure checked against the tallies of the
 * generator's record of what each case is (its path through the policy,
 * the days it took to close, its money), not against the documents; and
 * that the generated cases cover what the checks rely on. The arguments
 * refused, the limits and the overdue figures are in test_report.c.
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

#include "report.h"

#include "support_report.h"

#define FROM "2024-01-01"
#define TO   "2024-03-31"

/* ---- expected figures, from the generator's record ------------------ */

#define WANT(row, key, v)                                                     \
	do {                                                                  \
		json_t *w_ = json_object_get((row), (key));                   \
		if (!json_is_integer(w_) ||                                   \
		    json_integer_value(w_) != (json_int_t) (v)) {             \
			fail_msg("%s: %s is %lld, want %lld",                 \
			    json_string_value(json_object_get(row, "label")), \
			    (key), (long long) json_integer_value(w_),        \
			    (long long) (v));                                 \
		}                                                             \
	} while (0)

/* check_row checks a row's figures against the tallies of the selection. */
static void
check_row(const json_t *row, const struct tsupport_sel *s)
{
	struct tsupport_expect *e = calloc(1, sizeof(*e));
	const json_t           *kinds, *hist;
	size_t                  k;

	assert_non_null(e);
	tsupport_expect_of(s, e);
	assert_true(e->received > 0); /* a group with no case is not shown */
	WANT(row, "received", e->received);
	WANT(row, "accepted", e->accepted);
	WANT(row, "refused", e->refused);
	WANT(row, "transferred", e->transferred);
	WANT(row, "in_intake", e->in_intake);
	WANT(row, "in_mediation", e->in_mediation);
	WANT(row, "mediated", e->mediated);
	WANT(row, "in_arbitration", e->in_arbitration);
	WANT(row, "in_other", e->in_other);
	WANT(row, "awarded", e->awarded);
	WANT(row, "awarded_final", e->awarded_final);
	WANT(row, "awarded_not_final", e->awarded_not_final);
	WANT(row, "awarded_mixed", e->awarded_mixed);
	/* Art 47: each award is final, not final or mixed. */
	WANT(row, "awarded",
	    e->awarded_final + e->awarded_not_final + e->awarded_mixed);
	WANT(row, "closed", e->closed);
	WANT(row, "workers", e->workers);
	WANT(row, "claimed_fen", e->claimed);
	WANT(row, "recovered_fen", e->recovered);
	kinds = json_object_get(row, "closed_by_kind");
	assert_int_equal(json_object_size(kinds), e->nkinds);
	for (k = 0; k < e->nkinds; k++) {
		WANT(kinds, e->kinds[k].state, e->kinds[k].n);
	}
	hist = json_object_get(row, "days_to_close");
	assert_int_equal(json_array_size(hist), 6);
	for (k = 0; k < 6; k++) {
		assert_int_equal(
		    json_integer_value(json_array_get(hist, k)), e->hist[k]);
	}
	if (e->ndays == 0) {
		assert_true(json_is_null(
		    json_object_get(row, "days_to_close_median")));
		assert_true(
		    json_is_null(json_object_get(row, "days_to_close_p90")));
	} else {
		WANT(row, "days_to_close_median", tsupport_pct(e, 50));
		WANT(row, "days_to_close_p90", tsupport_pct(e, 90));
	}
	/* The generated cases carry no clock ledger: nothing is overdue. */
	assert_int_equal(
	    json_integer_value(json_object_get(row, "overdue_now")), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(row, "ever_overdue")), 0);
	/* Every case is in exactly one stage. */
	assert_int_equal(e->in_intake + e->in_mediation + e->in_arbitration +
	        e->in_other + e->closed,
	    e->received);
	free(e);
}

/* check_report checks every group and the total against the selection. */
static void
check_report(const json_t *r, const struct tsupport_sel *s)
{
	char                codes[64][7];
	const json_t       *groups = json_object_get(r, "groups"), *row;
	struct tsupport_sel one    = *s;
	size_t              n, i;

	n = tsupport_distinct_groups(s, codes, 64);
	assert_int_equal(json_array_size(groups), n);
	for (i = 0; i < n; i++) {
		row = json_array_get(groups, i);
		assert_string_equal(
		    json_string_value(json_object_get(row, "code")), codes[i]);
		one.group = codes[i];
		check_row(row, &one);
	}
	one.group = NULL;
	row       = json_object_get(r, "total");
	assert_true(json_is_null(json_object_get(row, "code")));
	assert_string_equal(
	    json_string_value(json_object_get(row, "label")), "合计");
	check_row(row, &one);
}

/* check_employers checks the respondents listed against the tallies of the
 * selection with those thresholds. */
static void
check_employers(const json_t *r, const struct tsupport_sel *s,
    long long min_cases, long long min_amount)
{
	struct tsupport_emp_expect *want =
	    calloc(TSUPPORT_REPORT_NCASES, sizeof(*want));
	const json_t *list = json_object_get(r, "employers"), *e, *ids;
	size_t        n, i, k, shown;

	assert_non_null(want);
	n     = tsupport_emp_expected(s, min_cases, min_amount, want);
	shown = n < REPORT_MAX_EMPLOYERS ? n : REPORT_MAX_EMPLOYERS;
	assert_int_equal(json_integer_value(json_object_get(r, "total")), n);
	assert_int_equal(json_array_size(list), shown);
	assert_int_equal(json_is_true(json_object_get(r, "truncated")),
	    n > REPORT_MAX_EMPLOYERS);
	for (i = 0; i < shown; i++) {
		e = json_array_get(list, i);
		assert_string_equal(
		    json_string_value(json_object_get(e, "credit_code")),
		    want[i].credit);
		assert_string_equal(
		    json_string_value(json_object_get(e, "name")),
		    want[i].name);
		WANT(e, "cases", want[i].cases);
		WANT(e, "open_cases", want[i].open);
		WANT(e, "workers", want[i].workers);
		WANT(e, "claimed_fen", want[i].claimed);
		WANT(e, "recovered_fen", want[i].recovered);
		assert_string_equal(
		    json_string_value(json_object_get(e, "first_received")),
		    want[i].first);
		assert_string_equal(
		    json_string_value(json_object_get(e, "last_received")),
		    want[i].last);
		ids = json_object_get(e, "case_ids");
		assert_int_equal(json_array_size(ids),
		    want[i].cases < REPORT_MAX_CASE_IDS ? want[i].cases
		                                        : REPORT_MAX_CASE_IDS);
		assert_int_equal(
		    json_is_true(json_object_get(e, "case_ids_truncated")),
		    want[i].cases > REPORT_MAX_CASE_IDS);
		/* generated in id order, listed in id order */
		for (k = 0; k < json_array_size(ids); k++) {
			assert_string_equal(
			    json_string_value(json_array_get(ids, k)),
			    want[i].ids[k]);
		}
	}
	free(want);
}

/* ---- helpers -------------------------------------------------------- */

static int
hide_prefix(const json_t *doc, void *arg)
{
	const char *region = json_string_value(json_object_get(doc, "region"));

	return (region == NULL || strncmp(region, arg, strlen(arg)) != 0);
}

static int
hide_all(const json_t *doc, void *arg)
{
	(void) doc;
	(void) arg;
	return (0);
}

static const json_t *
group_by_code(const json_t *r, const char *code)
{
	const json_t *row;
	size_t        i;

	json_array_foreach (json_object_get(r, "groups"), i, row) {
		if (strcmp(json_string_value(json_object_get(row, "code")),
		        code) == 0) {
			return (row);
		}
	}
	return (NULL);
}

/* ---- campaign ------------------------------------------------------- */

static void
test_report_generator_covers(void **state)
{
	struct tsupport_sel     s = { FROM, TO, "37", NULL, NULL, 4 };
	struct tsupport_expect *e = calloc(1, sizeof(*e));
	size_t                  paths_seen[TSUPPORT_REPORT_NPATHS] = { 0 }, i;
	size_t                  nterm;

	(void) state;
	/* The fixture is worth what it covers: every path in the quarter,
	 * cases outside it, every bucket of the histogram. */
	for (i = 0; i < tsupport_report_g.n; i++) {
		if (tsupport_selected(&tsupport_report_g.cases[i], &s)) {
			paths_seen[tsupport_report_g.cases[i].path]++;
		}
	}
	for (i = 0; i < TSUPPORT_REPORT_NPATHS; i++) {
		assert_true(paths_seen[i] > 0);
	}
	tsupport_expect_of(&s, e);
	assert_true(e->received < (long long) tsupport_report_g.n / 2);
	for (i = 0; i < 6; i++) {
		assert_true(e->hist[i] > 0);
	}
	/* Every terminal state of the policy. */
	for (i = 0, nterm = 0; i < tsupport_report_g.p->nstates; i++) {
		nterm += tsupport_report_g.p->states[i].terminal;
	}
	assert_int_equal(nterm, 9);
	assert_int_equal(e->nkinds, nterm);
	free(e);
}

/*
 * The generated cases' paths are ways the shipped policy allows: each
 * event has an entry whose from holds the state the case is in and whose
 * to is the state the path records (the path to a state the policy does
 * not have is meant: an older policy's case).
 */
static void
test_report_generator_paths_follow_policy(void **state)
{
	const struct policy *p = tsupport_report_g.p;
	const char *const *events, *const *tos;
	const char *st;
	size_t      i, k, n, e, f;
	bool        found;

	(void) state;
	for (i = 0; i < TSUPPORT_REPORT_NPATHS; i++) {
		if (tsupport_report_path_other(i)) {
			continue;
		}
		n  = tsupport_report_path(i, &events, &tos);
		st = p->states[p->initial].name;
		for (k = 0; k < n; k++) {
			found = false;
			for (e = 0; e < p->nevents && !found; e++) {
				if (strcmp(p->events[e].name, events[k]) !=
				    0) {
					continue;
				}
				for (f = 0; f < p->events[e].nfrom; f++) {
					found |=
					    strcmp(
					        p->states[p->events[e].from[f]]
					            .name,
					        st) == 0 &&
					    strcmp(p->states[p->events[e].to]
					               .name,
					        tos[k]) == 0;
				}
			}
			if (!found) {
				fail_msg("path %zu: no '%s' from %s to %s", i,
				    events[k], st, tos[k]);
			}
			st = tos[k];
		}
	}
}

static void
test_report_campaign_province(void **state)
{
	struct wage_error   err;
	struct tsupport_sel s = { FROM, TO, "37", NULL, NULL, 4 };
	json_t             *r;
	const json_t       *row;
	size_t              i;

	(void) state;
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"" FROM "\", \"to\": \"" TO
	                      "\", \"region\": \"370000\"}",
	        NULL, NULL, &r, &err),
	    WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(r, "report")), "campaign");
	assert_string_equal(
	    json_string_value(json_object_get(r, "group_by")), "city");
	assert_string_equal(
	    json_string_value(json_object_get(r, "region_label")), "山东省");
	assert_string_equal(
	    json_string_value(json_object_get(r, "from")), FROM);
	check_report(r, &s);
	/* Chinese names of the cities. */
	assert_string_equal(json_string_value(json_object_get(
	                        group_by_code(r, "370100"), "label")),
	    "济南");
	assert_string_equal(json_string_value(json_object_get(
	                        group_by_code(r, "371300"), "label")),
	    "临沂");
	assert_string_equal(json_string_value(json_object_get(
	                        group_by_code(r, "370200"), "label")),
	    "青岛");
	/* Overdue comes from the clock ledgers (none here): no notes. */
	assert_int_equal(json_array_size(json_object_get(r, "notes")), 0);
	/* The policy's nine terminal states (2026.2: no closed_mediated). */
	assert_int_equal(
	    json_array_size(json_object_get(r, "closed_kinds")), 9);
	row = json_array_get(json_object_get(r, "closed_kinds"), 0);
	assert_string_equal(
	    json_string_value(json_object_get(row, "state")), "closed_paid");
	assert_string_equal(
	    json_string_value(json_object_get(row, "label")), "已支付结案");
	assert_int_equal(
	    json_array_size(json_object_get(r, "days_to_close_buckets")), 6);
	assert_string_equal(
	    json_string_value(json_array_get(
	        json_object_get(r, "days_to_close_buckets"), 5)),
	    ">90");
	/* Sorted by code. */
	for (i = 1; i < json_array_size(json_object_get(r, "groups")); i++) {
		assert_true(
		    strcmp(json_string_value(json_object_get(
		               json_array_get(
		                   json_object_get(r, "groups"), i - 1),
		               "code")),
		        json_string_value(json_object_get(
		            json_array_get(json_object_get(r, "groups"), i),
		            "code"))) < 0);
	}
	json_decref(r);
}

static void
test_report_campaign_all_regions(void **state)
{
	struct wage_error   err;
	struct tsupport_sel s = { FROM, TO, NULL, NULL, NULL, 4 };
	json_t             *r;

	(void) state;
	/* No region: every visible case, by city, other provinces too;
	 * a city with no name known is labelled with its code. */
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"" FROM "\", \"to\": \"" TO "\"}",
	        NULL, NULL, &r, &err),
	    WAGE_OK);
	assert_true(json_is_null(json_object_get(r, "region")));
	check_report(r, &s);
	assert_string_equal(json_string_value(json_object_get(
	                        group_by_code(r, "410100"), "label")),
	    "410100");
	assert_non_null(group_by_code(r, "110100"));
	json_decref(r);
}

static void
test_report_campaign_city_by_county(void **state)
{
	struct wage_error   err;
	struct tsupport_sel s = { FROM, TO, "3701", NULL, NULL, 6 };
	json_t             *r;

	(void) state;
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"" FROM "\", \"to\": \"" TO
	                      "\", \"region\": \"370100\"}",
	        NULL, NULL, &r, &err),
	    WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(r, "group_by")), "county");
	assert_string_equal(
	    json_string_value(json_object_get(r, "region_label")), "济南");
	check_report(r, &s);
	/* The city's own cases are a group of their own, its counties by
	 * code, nothing from another city. */
	assert_non_null(group_by_code(r, "370100"));
	assert_non_null(group_by_code(r, "370102"));
	assert_non_null(group_by_code(r, "370112"));
	assert_null(group_by_code(r, "370202"));
	assert_string_equal(json_string_value(json_object_get(
	                        group_by_code(r, "370102"), "label")),
	    "370102");
	json_decref(r);
}

static void
test_report_campaign_county(void **state)
{
	struct wage_error   err;
	struct tsupport_sel s = { FROM, TO, "370102", NULL, NULL, 6 };
	json_t             *r;

	(void) state;
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"" FROM "\", \"to\": \"" TO
	                      "\", \"region\": \"370102\"}",
	        NULL, NULL, &r, &err),
	    WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(r, "group_by")), "county");
	assert_int_equal(json_array_size(json_object_get(r, "groups")), 1);
	check_report(r, &s);
	json_decref(r);
}

static void
test_report_campaign_visibility(void **state)
{
	struct wage_error   err;
	struct tsupport_sel s = { FROM, TO, "37", "3702", NULL, 4 };
	json_t             *r;
	const json_t       *row;
	size_t              i;

	(void) state;
	/* A caller who may not see 青岛: no group, not in the total. */
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"" FROM "\", \"to\": \"" TO
	                      "\", \"region\": \"370000\"}",
	        hide_prefix, "3702", &r, &err),
	    WAGE_OK);
	assert_null(group_by_code(r, "370200"));
	check_report(r, &s);
	json_array_foreach (json_object_get(r, "groups"), i, row) {
		assert_string_not_equal(
		    json_string_value(json_object_get(row, "label")), "青岛");
	}
	json_decref(r);

	/* Seeing nothing: no groups, a zero total, no percentiles. */
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"" FROM "\", \"to\": \"" TO "\"}",
	        hide_all, NULL, &r, &err),
	    WAGE_OK);
	assert_int_equal(json_array_size(json_object_get(r, "groups")), 0);
	row = json_object_get(r, "total");
	WANT(row, "received", 0);
	WANT(row, "claimed_fen", 0);
	assert_true(
	    json_is_null(json_object_get(row, "days_to_close_median")));
	assert_true(json_is_null(json_object_get(row, "days_to_close_p90")));
	json_decref(r);
}

static void
test_report_campaign_period(void **state)
{
	struct wage_error   err;
	struct tsupport_sel one = { "2024-02-10", "2024-02-10", "37", NULL,
		NULL, 4 };
	struct tsupport_sel all = { "2023-07-01", "2024-06-30", "37", NULL,
		NULL, 4 };
	json_t             *r;

	(void) state;
	/* A single day: both ends are included. */
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"2024-02-10\", \"to\": "
	                      "\"2024-02-10\", \"region\": \"370000\"}",
	        NULL, NULL, &r, &err),
	    WAGE_OK);
	if (json_array_size(json_object_get(r, "groups")) > 0) {
		check_report(r, &one);
	}
	json_decref(r);
	/* A year covering every case. */
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"2023-07-01\", \"to\": "
	                      "\"2024-06-30\", \"region\": \"370000\"}",
	        NULL, NULL, &r, &err),
	    WAGE_OK);
	check_report(r, &all);
	json_decref(r);
	/* Before any case. */
	assert_int_equal(
	    tsupport_campaign("{\"from\": \"2020-01-01\", \"to\": "
	                      "\"2020-12-31\"}",
	        NULL, NULL, &r, &err),
	    WAGE_OK);
	assert_int_equal(json_array_size(json_object_get(r, "groups")), 0);
	json_decref(r);
}

/* ---- employers ------------------------------------------------------ */

static void
test_report_employers_default(void **state)
{
	struct wage_error   err;
	struct tsupport_sel s = { NULL, NULL, NULL, NULL, NULL, 4 };
	json_t             *r;
	const json_t       *e;
	size_t              i;

	(void) state;
	assert_int_equal(
	    tsupport_employers(NULL, NULL, NULL, &r, &err), WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(r, "report")), "employers");
	WANT(r, "min_cases", 2);
	WANT(r, "min_amount_fen", 0);
	assert_true(json_is_null(json_object_get(r, "from")));
	check_employers(r, &s, 2, 0);
	/* The one with many cases lists 50 ids and says there are more;
	 * single-case respondents are not listed. */
	json_array_foreach (json_object_get(r, "employers"), i, e) {
		assert_true(
		    json_integer_value(json_object_get(e, "cases")) >= 2);
		if (strcmp(
		        json_string_value(json_object_get(e, "credit_code")),
		        "91370100MA00000000") == 0) {
			WANT(e, "cases", TSUPPORT_REPORT_NCASES / 5);
			assert_true(json_is_true(
			    json_object_get(e, "case_ids_truncated")));
		}
		/* A renamed respondent shows its latest name. */
		if (strcmp(
		        json_string_value(json_object_get(e, "credit_code")),
		        "91370100MA00000001") == 0) {
			assert_string_equal(
			    json_string_value(json_object_get(e, "name")),
			    "改名后建筑公司1");
		}
	}
	json_decref(r);
	/* {} is the same as no args. */
	assert_int_equal(
	    tsupport_employers("{}", NULL, NULL, &r, &err), WAGE_OK);
	check_employers(r, &s, 2, 0);
	json_decref(r);
}

static void
test_report_employers_thresholds(void **state)
{
	struct wage_error           err;
	struct tsupport_sel         s = { NULL, NULL, NULL, NULL, NULL, 4 };
	struct tsupport_emp_expect *want =
	    calloc(TSUPPORT_REPORT_NCASES, sizeof(*want));
	json_t   *r;
	long long amount;
	size_t    n;

	(void) state;
	assert_non_null(want);
	/* Every respondent. */
	assert_int_equal(
	    tsupport_employers("{\"min_cases\": 1}", NULL, NULL, &r, &err),
	    WAGE_OK);
	check_employers(r, &s, 1, 0);
	json_decref(r);
	/* Many cases only. */
	assert_int_equal(
	    tsupport_employers("{\"min_cases\": 100}", NULL, NULL, &r, &err),
	    WAGE_OK);
	check_employers(r, &s, 100, 0);
	assert_int_equal(json_array_size(json_object_get(r, "employers")), 1);
	json_decref(r);
	/* Or a large amount: a respondent with one case qualifies by its
	 * claim. Take the largest single-case claim as the threshold. */
	n = tsupport_emp_expected(&s, 1, 0, want);
	assert_true(n > 0);
	amount = 0;
	for (size_t i = 0; i < n; i++) {
		if (want[i].cases == 1 && want[i].claimed > amount) {
			amount = want[i].claimed;
		}
	}
	assert_true(amount > 0);
	{
		char args[128];

		snprintf(args, sizeof(args),
		    "{\"min_cases\": 100, \"min_amount_fen\": %lld}", amount);
		assert_int_equal(
		    tsupport_employers(args, NULL, NULL, &r, &err), WAGE_OK);
		check_employers(r, &s, 100, amount);
		assert_true(
		    json_array_size(json_object_get(r, "employers")) >= 2);
		WANT(r, "min_amount_fen", amount);
		json_decref(r);
	}
	free(want);
}

static void
test_report_employers_period_visibility(void **state)
{
	struct wage_error   err;
	struct tsupport_sel s = { FROM, TO, NULL, "3702", NULL, 4 };
	json_t             *r;

	(void) state;
	assert_int_equal(
	    tsupport_employers("{\"from\": \"" FROM "\", \"to\": \"" TO
	                       "\", \"min_cases\": 1}",
	        hide_prefix, "3702", &r, &err),
	    WAGE_OK);
	assert_string_equal(json_string_value(json_object_get(r, "to")), TO);
	check_employers(r, &s, 1, 0);
	json_decref(r);
	/* Only from: open to the end. */
	s.to   = NULL;
	s.hide = NULL;
	assert_int_equal(tsupport_employers("{\"from\": \"2024-05-01\"}", NULL,
	                     NULL, &r, &err),
	    WAGE_OK);
	s.from = "2024-05-01";
	check_employers(r, &s, 2, 0);
	json_decref(r);
	assert_int_equal(
	    tsupport_employers(NULL, hide_all, NULL, &r, &err), WAGE_OK);
	WANT(r, "total", 0);
	assert_int_equal(json_array_size(json_object_get(r, "employers")), 0);
	json_decref(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_generator_covers),
		cmocka_unit_test(test_report_generator_paths_follow_policy),
		cmocka_unit_test(test_report_campaign_province),
		cmocka_unit_test(test_report_campaign_all_regions),
		cmocka_unit_test(test_report_campaign_city_by_county),
		cmocka_unit_test(test_report_campaign_county),
		cmocka_unit_test(test_report_campaign_visibility),
		cmocka_unit_test(test_report_campaign_period),
		cmocka_unit_test(test_report_employers_default),
		cmocka_unit_test(test_report_employers_thresholds),
		cmocka_unit_test(test_report_employers_period_visibility),
	};

	return (cmocka_run_group_tests_name("report_generated", tests,
	    tsupport_report_group_setup, tsupport_report_group_teardown));
}
