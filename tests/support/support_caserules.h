/* SPDX-License-Identifier: MIT */
/*
 * support_caserules.h - the fixture of the tests of server/caserules.c and
 * server/service.c (test_caserules.c, test_procedure.c, test_service.c):
 * the shipped policy, calendars and minimum wages as a caserules_env, one
 * actor per role, today, case documents as filing leaves them, ledgers
 * built by hand (for the past: "today" is the real today, civil date in
 * Asia/Shanghai, and no hook moves it), and events fired as the server
 * fires them (workflow_check, then caserules_act, then the state change).
 * Part of libwage-testsupport.a.
 * Owns: the group (tsupport_rules_g), set by tsupport_rules_group_setup
 * (cmocka group setup) and freed by tsupport_rules_group_teardown;
 * tsupport_rules_setup (a test's setup) reads today once.
 * The helpers that look at documents fail the running test (they assert).
 * Run from the repository root, or set WAGE_SRCDIR to it.
 */
#ifndef WAGE_SUPPORT_CASERULES_H
#define WAGE_SUPPORT_CASERULES_H

#include <jansson.h>

#include "auth.h"
#include "calendar.h"
#include "caserules.h"
#include "minwage.h"
#include "policy.h"
#include "validate.h"
#include "wage/protocol.h"

struct tsupport_rules_group {
	struct policy       *p;
	struct calendar     *cal;
	struct minwage      *mw;
	struct caserules_env env;
	struct actor clerk, mediator, arbitrator, chair, unionist, inspector;
	struct civil_date today;
	char              today_s[16];
};

extern struct tsupport_rules_group tsupport_rules_g;

int tsupport_rules_group_setup(void **state);
int tsupport_rules_group_teardown(void **state);
int tsupport_rules_setup(void **state);

/* tsupport_mkactor: *a is the actor name of org in region with role. */
void tsupport_mkactor(struct actor *a, const char *name, const char *org,
    int role, const char *region);

/* tsupport_days_ago: today minus n days (n < 0: ahead). */
struct civil_date tsupport_days_ago(int n);

/* tsupport_datestr: d as YYYY-MM-DD in one of four rotating buffers. */
const char *tsupport_datestr(struct civil_date d);

/* tsupport_jdate: a new JSON string of d. */
json_t *tsupport_jdate(struct civil_date d);

/* tsupport_js: the string member k of o, which must be there. */
const char *tsupport_js(const json_t *o, const char *k);

/* tsupport_clock_of: the ledger entry of clock name (borrowed), or NULL;
 * tsupport_clock_state: its state, which must be there. */
json_t     *tsupport_clock_of(const json_t *doc, const char *name);
const char *tsupport_clock_state(const json_t *doc, const char *name);

/*
 * tsupport_mkdoc: a case document (new) as filing leaves it, received two
 * days ago, in state, region, collective (12 workers) or not; items (taken;
 * NULL: one wages item of 1 860 000 fen) are the claim's. No clocks yet.
 */
json_t *tsupport_mkdoc(
    const char *state, const char *region, int collective, json_t *items);

/* tsupport_set_clock: a running ledger entry of clock name from start. */
void tsupport_set_clock(
    json_t *doc, const char *name, struct civil_date start);

/*
 * tsupport_fire: workflow_check, caserules_act and (on success) the state
 * change, as the server does; fields borrowed (may be NULL). Returns the
 * code, err filled on refusal. tsupport_fire_ok fails the test on refusal
 * and takes fields (may be NULL).
 */
int  tsupport_fire(json_t *doc, const char *event, const struct actor *who,
     const json_t *fields, struct wage_error *err);
void tsupport_fire_ok(
    json_t *doc, const char *event, const struct actor *who, json_t *fields);

/*
 * tsupport_due_of: the due date of clock name's entry in doc as clock_due
 * derives it today (the entry must be there and well formed).
 */
struct civil_date tsupport_due_of(const json_t *doc, const char *name);

/* tsupport_assert_due_from: clock name started on start and its stored
 * due date is what clock_due derives. */
void tsupport_assert_due_from(
    const json_t *doc, const char *name, struct civil_date start);

#endif /* WAGE_SUPPORT_CASERULES_H */
