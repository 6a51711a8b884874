/* SPDX-License-Identifier: MIT */
/*
 * caserules.h - what happens to a case document when it is filed or an
 * event fires, beyond the state change: the legal clocks (clock.c), the
 * final-award classification (Art 47) and its challenge windows, the
 * limitation acknowledgement (Art 27), the consent of the workers of a
 * collective case (办案规则 Art 63), and assignment. Pure over JSON: the
 * caller stores the result and writes the audit event.
 */
#ifndef WAGE_CASERULES_H
#define WAGE_CASERULES_H

#include <jansson.h>

#include "auth.h"
#include "calendar.h"
#include "minwage.h"
#include "policy.h"
#include "wage/protocol.h"

struct caserules_env {
	const struct policy   *policy;
	const struct calendar *calendar;
	const struct minwage  *minwage;
};

/*
 * caserules_filed sets up a new case document (modified): the initial
 * state's clocks started on the day the complaint was received, due dates
 * derived. Returns WAGE_OK or an error with err filled.
 */
int caserules_filed(
    const struct caserules_env *env, json_t *doc, struct wage_error *err);

/*
 * caserules_guards checks the event's guards beyond the state machine on
 * doc (borrowed, not changed: it may be a shared cached head), as of
 * today: a clock that must have run out (after_expiry: one of them;
 * after_expiry_all: every one, started), one that must not have
 * (before_expiry), an unacknowledged limitation warning (Art 27), the
 * collective consent (办案规则 Art 63, in fields, which may be NULL).
 * WAGE_OK when the event may fire now; else WAGE_E_ILLEGAL_TRANSITION or
 * WAGE_E_INVALID_ARGUMENT with err filled. It does not check the state,
 * role or fields (workflow_check does). who is the actor (no guard reads
 * it yet).
 */
int caserules_guards(const struct caserules_env *env, const json_t *doc,
    const struct policy_event *ev, const json_t *fields,
    const struct actor *who, struct wage_error *err);

/*
 * caserules_act checks the event's guards (caserules_guards) on doc and
 * applies its effects to doc (modified): clocks, award
 * classification, assignment, limitation acknowledgement. fields may be
 * NULL. On refusal returns WAGE_E_ILLEGAL_TRANSITION or
 * WAGE_E_INVALID_ARGUMENT with err filled; doc must then be discarded.
 *
 * doc's members other than those in CASERULES_MUTABLE may be shared with
 * the cached head it was copied from (ops_write.c): caserules_act changes
 * only these in place, and replaces any other member whole
 * (json_object_set_new) if it changes it at all. A rule that needs to
 * change another member in place must add it here.
 */
#define CASERULES_MUTABLE                    \
	{                                    \
		"clocks", "limitation", NULL \
	}

int caserules_act(const struct caserules_env *env, json_t *doc,
    const struct policy_event *ev, const json_t *fields,
    const struct actor *who, struct wage_error *err);

/*
 * caserules_view adds, to a case view (modified), the clocks as of today
 * (clock_view) and an "overdue" flag.
 */
void caserules_view(
    const struct caserules_env *env, json_t *view, const json_t *doc);

/*
 * caserules_refresh recomputes the due dates of doc's clocks (after a
 * calendar or policy change); returns the number changed and appends each
 * change to changes.
 */
int caserules_refresh(
    const struct caserules_env *env, json_t *doc, json_t *changes);

#endif /* WAGE_CASERULES_H */
