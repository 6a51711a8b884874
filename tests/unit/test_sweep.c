/* SPDX-License-Identifier: MIT */
/*
 * test_sweep.c - the events the server fires by itself (server/sweep.c),
 * end to end through ops_handle on a real store with its writer running
 * (the fixture of support_ops.h), under the policy of the clocks suite,
 * tests/data/policies/clocks-auto-award.yaml: the shipped procedure plus
 * award_effective_auto (awarded -> closed_awarded, automatic, once
 * challenge_nonfinal ran out). No clock needs moving: the challenge
 * windows run from the award date, which may lie in the past, so an award
 * of 2024 has long run out and one of today has not.
 *   - case.due marks the entries of a case whose automatic event may fire
 *     now, and only those;
 *   - a pass fires it, as the server (auth_server_actor on a server
 *     certificate: role system), through the case.act path: new state and
 *     revision, the step and the audit event, the chain verifies; due no
 *     longer lists the case; a second pass fires nothing;
 *   - nobody fires it by hand (roles: []);
 *   - a pass asked to stop fires nothing; the thread (sweep_start) fires
 *     on its own and sweep_stop joins it.
 * Run from the repository root, or set WAGE_SRCDIR to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "auth.h"
#include "policy.h"
#include "sweep.h"
#include "validate.h"

#include "support_file.h"
#include "support_json.h"
#include "support_ops.h"

static const struct tsupport_cert certs[] = {
	{ "clerk", "clerk", "370100" },
	{ "auditor", "auditor", "370100" },
	{ "arbitrator", "arbitrator", "370100" },
};
static const struct tsupport_groupdef group = { "test_sweep", 1,
	sizeof(certs) / sizeof(certs[0]), certs };
static const struct tsupport_opsopt   opt   = { 64, 1 };

/* The test's server under the fixture policy, the arbitrator's token
 * and the server as an actor. */
struct sw {
	struct tsupport_opsfx *fx;
	char                   arbitrator[WAGE_TOKEN_MAX];
	struct actor           sys;
};

static void
sw_init(struct sw *w, void **state)
{
	struct pki_subject s = { "localhost", "济南市劳动人事争议仲裁院", NULL,
		"370100" };
	struct wage_error err;
	char              path[160];

	w->fx = *state;
	/* The fixture policy in place of the shipped one. */
	policy_free(w->fx->srv.policy);
	w->fx->srv.policy = NULL;
	assert_int_equal(policy_load_file(tsupport_srcpath("tests/data/"
	                                                   "policies/"
	                                                   "clocks-auto-award."
	                                                   "yaml"),
	                     &w->fx->srv.policy, stderr, NULL),
	    0);
	tsupport_login(w->fx, "arbitrator", w->arbitrator);
	snprintf(path, sizeof(path), "%s/server", w->fx->dir);
	assert_int_equal(
	    tsupport_issue(tsupport_ops_g.ca.dir, &s, 1, 30, path), WAGE_OK);
	strncat(path, ".crt", sizeof(path) - strlen(path) - 1);
	assert_int_equal(auth_server_actor(path, &w->sys, &err), WAGE_OK);
	assert_string_equal(w->sys.name, "wage-server");
	assert_int_equal(w->sys.role, ROLE_SYSTEM);
	assert_string_equal(w->sys.org, "济南市劳动人事争议仲裁院");
	assert_string_equal(w->sys.region, "370100");
	assert_true(strlen(w->sys.serial) > 0);
}

/*
 * awarded_case: a case received 2024-01-05, claiming wages above 12 x
 * the minimum wage (so the award is not final: challenge_nonfinal runs
 * from the award date), taken to arbitration and awarded on award_date.
 * Its id goes into id (len bytes), which is returned.
 */
static const char *
awarded_case(struct sw *w, const char *award_date, char *id, size_t len)
{
	json_t *args = tsupport_filing("370102"), *res;

	json_object_set_new(args, "received", json_string("2024-01-05"));
	/* A complaint of 2024 claims wages owed before it, and a filing
	 * that old is a clerk's, with a reason (issue 13, part 9). */
	json_object_set_new(json_object_get(args, "claim"), "period",
	    json_pack("{s:s, s:s}", "from", "2023-07", "to", "2023-12"));
	json_object_set_new(
	    args, "received_reason", json_string("纸质申请书补录"));
	json_object_set_new(
	    json_array_get(
	        json_object_get(json_object_get(args, "claim"), "items"), 0),
	    "amount_fen", json_integer(3000000));
	res = tsupport_ok(
	    tsupport_call(w->fx, WAGE_OP_CASE_FILE, w->fx->clerk, args));
	snprintf(id, len, "%s", tsupport_jstr(res, "id"));
	tsupport_ok(tsupport_act(w->fx, w->fx->clerk, id, "accept_arbitration",
	    1, json_pack("{s:s}", "reason", "申请人不同意调解")));
	tsupport_ok(tsupport_act(w->fx, w->arbitrator, id, "award", 2,
	    json_pack("{s:I, s:s}", "amount_fen", (json_int_t) 3000000,
	        "award_date", award_date)));
	return (id);
}

/* due_entries: how many case.due entries of case id there are, and how
 * many carry the automatic event (event, to) in *marked. */
static size_t
due_entries(struct sw *w, const char *id, size_t *marked)
{
	json_t *res, *e, *a;
	size_t  i, n = 0;

	res = tsupport_ok(tsupport_call(w->fx, WAGE_OP_CASE_DUE, w->fx->clerk,
	    json_pack("{s:i}", "within", 3650)));
	*marked = 0;
	json_array_foreach (json_object_get(res, "entries"), i, e) {
		if (strcmp(tsupport_jstr(e, "id"), id) != 0) {
			continue;
		}
		n++;
		if ((a = json_object_get(e, "automatic")) != NULL) {
			assert_string_equal(
			    tsupport_jstr(a, "event"), "award_effective_auto");
			assert_string_equal(
			    tsupport_jstr(a, "to"), "closed_awarded");
			(*marked)++;
		}
	}
	return (n);
}

static const char *
case_state(struct sw *w, const char *id, json_int_t *rev)
{
	static char st[64];
	json_t     *res;

	res = tsupport_ok(tsupport_call(w->fx, WAGE_OP_CASE_GET, w->fx->clerk,
	    json_pack("{s:s}", "id", id)));
	snprintf(st, sizeof(st), "%s", tsupport_jstr(res, "state"));
	*rev = tsupport_jnum(res, "revision");
	return (st);
}

static void
test_sweep_fires_when_the_window_ran_out(void **state)
{
	struct sweep_counts n;
	struct sw           w;
	char                old[32], now[32], today[16];
	struct civil_date   d;
	json_t             *res, *evs, *last;
	json_int_t          rev;
	size_t              marked;

	sw_init(&w, state);
	civil_date_today(&d);
	civil_date_format(&d, today, sizeof(today));
	awarded_case(&w, "2024-02-01", old, sizeof(old));
	awarded_case(&w, today, now, sizeof(now));

	/* The 2024 award's window ran out: due says the server will move
	 * it; today's runs, unmarked. */
	assert_true(due_entries(&w, old, &marked) > 0);
	assert_int_equal(marked, due_entries(&w, old, &marked));
	assert_true(due_entries(&w, now, &marked) > 0);
	assert_int_equal(marked, 0);

	/* Nobody fires it by hand: it is the server's. */
	tsupport_want_err(tsupport_act(w.fx, w.fx->clerk, old,
	                      "award_effective_auto", 3, NULL),
	    "FORBIDDEN", "event");

	/* A pass: the old award takes effect, today's does not. */
	assert_int_equal(sweep_run(&w.fx->srv, &w.sys, NULL, &n), WAGE_OK);
	assert_int_equal(n.looked, 2);
	assert_int_equal(n.fired, 1);
	assert_int_equal(n.skipped, 0);
	assert_int_equal(n.failed, 0);
	assert_string_equal(case_state(&w, old, &rev), "closed_awarded");
	assert_int_equal(rev, 4);
	assert_string_equal(case_state(&w, now, &rev), "awarded");
	assert_int_equal(rev, 3);

	/* In the history as the server's act, with the audit event. */
	res  = tsupport_ok(tsupport_call(w.fx, WAGE_OP_CASE_HISTORY,
	     w.fx->clerk, json_pack("{s:s}", "id", old)));
	evs  = json_object_get(res, "events");
	last = json_array_get(evs, json_array_size(evs) - 1);
	assert_string_equal(
	    tsupport_jstr(last, "event"), "award_effective_auto");
	assert_string_equal(tsupport_jstr(last, "op"), WAGE_OP_CASE_ACT);
	assert_string_equal(tsupport_jstr(last, "from"), "awarded");
	assert_string_equal(tsupport_jstr(last, "to"), "closed_awarded");
	assert_int_equal(tsupport_jnum(last, "revision"), 4);
	assert_string_equal(
	    tsupport_jstr(json_object_get(last, "actor"), "name"),
	    "wage-server");
	assert_string_equal(
	    tsupport_jstr(json_object_get(last, "actor"), "role"), "system");
	assert_int_equal(strlen(tsupport_jstr(last, "request")), 64);

	/* Closed: off the work list. */
	assert_int_equal(due_entries(&w, old, &marked), 0);

	/* A second pass finds nothing more to do. */
	assert_int_equal(sweep_run(&w.fx->srv, &w.sys, NULL, &n), WAGE_OK);
	assert_int_equal(n.looked, 1);
	assert_int_equal(n.fired, 0);
	assert_int_equal(n.failed, 0);
	assert_string_equal(case_state(&w, old, &rev), "closed_awarded");
	assert_int_equal(rev, 4);

	res = tsupport_ok(
	    tsupport_call(w.fx, WAGE_OP_AUDIT_VERIFY, w.fx->auditor, NULL));
	assert_true(json_is_true(json_object_get(res, "valid")));
	assert_int_equal(tsupport_jnum(res, "events"), 7);
}

static void
test_sweep_stops(void **state)
{
	struct sweep_counts n;
	struct sweep       *s;
	struct sw           w;
	atomic_int          stop;
	char                id[32];
	json_int_t          rev;
	int                 i;

	sw_init(&w, state);
	awarded_case(&w, "2024-02-01", id, sizeof(id));

	/* Asked to stop: nothing done. */
	atomic_init(&stop, 1);
	assert_int_equal(sweep_run(&w.fx->srv, &w.sys, &stop, &n), WAGE_OK);
	assert_int_equal(n.fired, 0);
	assert_string_equal(case_state(&w, id, &rev), "awarded");

	/* The thread's first pass, at once; then it is joined. */
	assert_int_equal(sweep_start(&s, &w.fx->srv, &w.sys, 3600), WAGE_OK);
	for (i = 0; i < 1000 &&
	     strcmp(case_state(&w, id, &rev), "closed_awarded") != 0;
	     i++) {
		nanosleep(&(struct timespec) { 0, 10 * 1000 * 1000 }, NULL);
	}
	sweep_stop(s);
	assert_string_equal(case_state(&w, id, &rev), "closed_awarded");
	assert_int_equal(rev, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(
		    test_sweep_fires_when_the_window_ran_out,
		    tsupport_ops_setup, tsupport_ops_teardown, (void *) &opt),
		cmocka_unit_test_prestate_setup_teardown(test_sweep_stops,
		    tsupport_ops_setup, tsupport_ops_teardown, (void *) &opt),
	};

	return (tsupport_ops_run_group("sweep", tests, &group));
}
