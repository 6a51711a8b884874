/* SPDX-License-Identifier: MIT */
/*
 * support_report.h - the fixture of the tests of server/report.c
 * (test_report.c, test_report_generated.c): a store of generated cases
 * and the figures they should add up to, counted independently of
 * report.c. Part of libwage-testsupport.a.
 * Owns: the group (tsupport_report_g): a store in a scratch directory and
 * the shipped policy, filled by tsupport_report_group_setup with
 * TSUPPORT_REPORT_NCASES generated cases (several cities and counties of
 * Shandong, a city-level case, cases of another province, a state the
 * policy does not know, and every way a case can end), and the
 * generator's record of what each case is (its path through the policy,
 * the days it took to close, its money); the tallies of that record for
 * a selection of cases (struct tsupport_sel): a campaign row's figures
 * (struct tsupport_expect) and the respondents' (struct
 * tsupport_emp_expect), never read from the documents; and
 * report_campaign and report_employers run on the group's store.
 * The generator draws from a fixed seed: the same cases on every run.
 * Threads: the test's; the store's writer thread is not started.
 * Run from the repository root, or set WAGE_SRCDIR to it (the policy).
 */
#ifndef WAGE_SUPPORT_REPORT_H
#define WAGE_SUPPORT_REPORT_H

#include <stddef.h>

#include <jansson.h>

#include "policy.h"
#include "report.h"
#include "store.h"
#include "wage/protocol.h"

#define TSUPPORT_REPORT_NCASES 640 /* generated cases */
#define TSUPPORT_REPORT_NPATHS 21  /* ways through the policy they take */

/* What the generator made of a case; the expected figures come from
 * this. */
struct tsupport_gen_case {
	char      id[WAGE_CASE_ID_MAX];
	char      region[7];
	char      received[11];
	size_t    path; /* below TSUPPORT_REPORT_NPATHS */
	long long claim_fen, paid_fen;
	int       workers;
	int       days; /* to the closing step; -1 when not closed */
	char      credit[19];
	char      name[64];
};

/* The group: the store in base/db (tests may open more beside it). */
struct tsupport_report_group {
	char                     base[64];
	struct store            *s;
	struct policy           *p;
	struct tsupport_gen_case cases[TSUPPORT_REPORT_NCASES];
	size_t                   n;
};

extern struct tsupport_report_group tsupport_report_g;

/*
 * tsupport_report_group_setup (cmocka group setup; state unused) makes
 * the group: the store in /tmp/test_report.XXXXXX/db (64 MiB), the
 * shipped policy, and the generated cases saved with caserec_save.
 * Returns 0 or -1. tsupport_report_group_teardown frees the policy,
 * closes the store and removes the directory.
 */
int tsupport_report_group_setup(void **state);
int tsupport_report_group_teardown(void **state);

/* A write job saving every document of docs (a JSON array) as a new case
 * with caserec_save: tsupport_put_all is its apply function. */
struct tsupport_put_job {
	struct store_job job;
	json_t          *docs;
};

int tsupport_put_all(struct store_txn *txn, struct store_job *job);

/*
 * tsupport_report_path: the events of path i (below TSUPPORT_REPORT_NPATHS)
 * and the state each leads to, in *events and *tos (static); returns how
 * many. tsupport_report_path_other: whether path i ends in a state the
 * shipped policy does not have (on purpose: an older policy's).
 */
size_t tsupport_report_path(
    size_t i, const char *const **events, const char *const **tos);
int tsupport_report_path_other(size_t i);

/* ---- tallies of the generator's record ------------------------------- */

/* A campaign row's figures for a selection. */
struct tsupport_expect {
	long long received, accepted, refused, transferred, in_intake,
	    in_mediation, mediated, in_arbitration, in_other, awarded,
	    awarded_final, awarded_not_final, awarded_mixed, closed, workers,
	    claimed, recovered;
	long long hist[6];
	int       days[TSUPPORT_REPORT_NCASES];
	size_t    ndays;
	struct {
		const char *state;
		long long   n;
	} kinds[16];
	size_t nkinds;
};

/* A filter: which generated cases count, and in which group. */
struct tsupport_sel {
	const char *from, *to; /* NULL: open */
	const char *within;    /* region prefix digits, or NULL */
	const char *hide;      /* region prefix digits hidden, or NULL */
	const char *group;     /* exact group code, or NULL for all */
	size_t      keep;      /* digits of the group code: 4 or 6 */
};

/* tsupport_selected: whether c counts under s. */
int tsupport_selected(
    const struct tsupport_gen_case *c, const struct tsupport_sel *s);

/* tsupport_expect_of tallies the cases s selects into e. */
void tsupport_expect_of(
    const struct tsupport_sel *s, struct tsupport_expect *e);

/* tsupport_pct: the smallest day count d with at least p% of e's closed
 * cases at or below it. */
long long tsupport_pct(const struct tsupport_expect *e, int p);

/* tsupport_distinct_groups writes the group codes the selection s yields
 * (s->group ignored), sorted, into codes (at most max); returns how many. */
size_t tsupport_distinct_groups(
    const struct tsupport_sel *s, char codes[][7], size_t max);

/* A respondent's figures for a selection. */
struct tsupport_emp_expect {
	char        credit[19];
	const char *name;
	char        name_received[11];
	const char *name_id;
	char        first[11], last[11];
	long long   cases, open, workers, claimed, recovered;
	const char *ids[TSUPPORT_REPORT_NCASES];
};

/*
 * tsupport_emp_expected tallies the respondents of the cases s selects
 * into out (room for TSUPPORT_REPORT_NCASES); returns how many qualify
 * (min_cases cases, or min_amount_fen claimed when above 0), sorted as
 * the report sorts them, at the start of out.
 */
size_t tsupport_emp_expected(const struct tsupport_sel *s, long long min_cases,
    long long min_amount, struct tsupport_emp_expect *out);

/* ---- the reports ------------------------------------------------------ */

/*
 * tsupport_campaign runs report_campaign on the group's store with args
 * (a JSON text; NULL: none), visible and varg; tsupport_employers runs
 * report_employers. They return its code, and fail the test unless *out
 * is NULL when it failed.
 */
int tsupport_campaign(const char *args_text, report_visible_fn vis, void *varg,
    json_t **out, struct wage_error *err);
int tsupport_employers(const char *args_text, report_visible_fn vis,
    void *varg, json_t **out, struct wage_error *err);

#endif /* WAGE_SUPPORT_REPORT_H */
