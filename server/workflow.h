/* SPDX-License-Identifier: MIT */
/*
 * workflow.h - applies a loaded policy to a case: may this role fire this
 * event in this state with these fields? Pure functions over a policy and
 * JSON values: no storage, no I/O, thread-safe.
 */
#ifndef WAGE_WORKFLOW_H
#define WAGE_WORKFLOW_H

#include <jansson.h>

#include "policy.h"
#include "wage/protocol.h"

/*
 * workflow_check decides whether an actor of role may fire event on a case
 * now in state, carrying fields (a JSON object of field name -> value, or
 * NULL for none). The checks run in this order, the first failure wins:
 *   1. event unknown in p            -> WAGE_E_ILLEGAL_TRANSITION, "event"
 *   2. role not among event's roles  -> WAGE_E_FORBIDDEN, "event"
 *      (message names the roles that may); role ROLE_SYSTEM (the server
 *      itself) may fire exactly the events marked automatic
 *   3. state not among event's from  -> WAGE_E_ILLEGAL_TRANSITION, "event"
 *      (message names the current state and the events allowed from it)
 *   4. fields not an object, a field neither required nor optional for the
 *      event, a required field missing, a value of the wrong type or out of
 *      range -> WAGE_E_INVALID_ARGUMENT, field "fields.NAME"
 * On WAGE_OK, *evp (may be NULL) is set to the event. fields is borrowed.
 */
int workflow_check(const struct policy *p, const char *state,
    const char *event, int role, const json_t *fields,
    const struct policy_event **evp, struct wage_error *err);

/*
 * workflow_field_check validates one value against the field definition f;
 * path names it in errors. Returns WAGE_OK or WAGE_E_INVALID_ARGUMENT.
 */
int workflow_field_check(const struct policy_field *f, const json_t *value,
    const char *path, struct wage_error *err);

/*
 * workflow_next returns a new JSON array of the names of the events role
 * may fire from state (empty if none, NULL on out-of-memory).
 */
json_t *workflow_next(const struct policy *p, const char *state, int role);

/*
 * worker_amounts_check validates the value of a field of type
 * worker_amounts (policy.h PF_WORKER_AMOUNTS) on its own: 1 to
 * WAGE_MAX_CLAIMANTS objects {worker, amount_fen}, worker a position
 * below WAGE_MAX_CLAIMANTS and none twice, amount_fen above 0. path names
 * the field in errors. WAGE_OK or WAGE_E_INVALID_ARGUMENT.
 */
int worker_amounts_check(
    const json_t *v, const char *path, struct wage_error *err);

#endif /* WAGE_WORKFLOW_H */
