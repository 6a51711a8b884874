/* SPDX-License-Identifier: MIT */
/*
 * sweep.h - the events the server fires by itself: those a policy marks
 * `automatic: true` (policy.h), once a case sits in one of their from
 * states and every guard passes (caserules_guards), e.g. a non-final
 * award that takes effect when its challenge window ran out with no suit
 * (Art 50).
 *
 * A pass: in one read txn, the cases in a from state of an automatic
 * event under any stored policy (the by_state index), each checked under
 * the policy it was filed under; then, outside it, each event to fire is
 * prepared and written as a case.act is (ops_write.c: op_case_act,
 * apply_case_act on the writer, ops_write_committed), by the server as
 * the actor (auth_server_actor: role "system"), in batches that are
 * awaited before the next. A case changed in between (STALE_REVISION) is
 * left for the next pass. At most one automatic event per case per pass.
 *
 * Threads: the sweep runs on a thread of its own, never on an nng
 * callback or the writer; reads take their own read txns and writes go
 * through the writer, so serving goes on meanwhile.
 */
#ifndef WAGE_SWEEP_H
#define WAGE_SWEEP_H

#include <jansson.h>
#include <stdatomic.h>
#include <stddef.h>

#include "auth.h"
#include "caserules.h"
#include "ops.h"
#include "policy.h"

struct sweep;

/* What one pass did. */
struct sweep_counts {
	size_t looked;  /* cases in a from state of an automatic event */
	size_t fired;   /* events written */
	size_t skipped; /* the case changed meanwhile: next pass */
	size_t failed;  /* refused or not written (logged) */
};

/*
 * sweep_start starts the sweep thread of srv: a pass at once, then one
 * every interval seconds (1..86400) until sweep_stop. who is the actor
 * the events are fired as (copied; auth_server_actor). srv, its store
 * (with the writer started), policies, calendar and cache must outlive
 * the sweep. WAGE_OK, or WAGE_E_INTERNAL (logged).
 */
int sweep_start(struct sweep **sp, struct server *srv, const struct actor *who,
    int interval);

/*
 * sweep_stop asks the thread to stop and joins it: a pass under way
 * prepares nothing more and waits only for the writes it has already
 * handed to the writer. Frees s; NULL is allowed. Call before the writer
 * stops.
 */
void sweep_stop(struct sweep *s);

/*
 * sweep_run runs one pass on the calling thread (the sweep thread; tests)
 * as who, and fills *n (may be NULL). stop (may be NULL) is read between
 * cases: non-zero ends the pass early. Returns WAGE_OK, or the storage
 * error that ended the scan (logged).
 */
int sweep_run(struct server *srv, const struct actor *who,
    const atomic_int *stop, struct sweep_counts *n);

/*
 * sweep_pending: the first automatic event of env->policy that leaves
 * doc's state and whose guards pass now (caserules_guards), or NULL: the
 * event the next pass will fire on doc (borrowed, not changed). Any
 * thread.
 */
const struct policy_event *sweep_pending(
    const struct caserules_env *env, const json_t *doc);

#endif /* WAGE_SWEEP_H */
