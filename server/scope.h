/* SPDX-License-Identifier: MIT */
/*
 * scope.h - which cases an actor may see: by region (the actor's region
 * code contains the case's) or by organisation (the case was filed or is
 * represented by the actor's organisation), as the policy's scope: says
 * for the actor's role. Used by every op that reads or writes a case:
 * get, act, list, due, history and the reports.
 *
 * Threads: any; pure functions of their arguments.
 */
#ifndef WAGE_SCOPE_H
#define WAGE_SCOPE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "auth.h"
#include "policy.h"
#include "store.h"

/*
 * scope_case_visible returns WAGE_OK if actor a may see case doc
 * (borrowed, a decoded head), else WAGE_E_OUT_OF_SCOPE with err filled
 * (err may be NULL) naming why. The server itself (ROLE_SYSTEM) sees
 * every case. Region scope: the case's region lies within the actor's
 * (370100 sees 3701xx). Organisation scope: the actor's O filed or
 * represents the case AND the case lies within the actor's region.
 */
int scope_case_visible(const struct policy *p, const struct actor *a,
    const json_t *doc, struct wage_error *err);

/*
 * scope_listing chooses the index a listing walks for actor a and the key
 * prefix within it (into prefix, len bytes; *plen its length), so that the
 * walk meets only cases the actor may see: the organisation index for
 * organisation-scoped roles, else the state index (when state is not
 * NULL) or the region index under the actor's region (or region, when it
 * lies within the actor's). WAGE_E_FORBIDDEN (err filled) for a role that
 * sees no cases.
 */
int scope_listing(const struct policy *p, const struct actor *a,
    const char *state, const char *region, enum store_db *db, char *prefix,
    size_t len, size_t *plen, struct wage_error *err);

/*
 * scope_listed_visible: for an entry of the index scope_listing chose,
 * whose summary names region, whether actor a may see it. The by_org
 * index holds every case of an organisation of that name, in any city:
 * an organisation-scoped actor sees only those within its own region.
 */
bool scope_listed_visible(
    const struct policy *p, const struct actor *a, const char *region);

/*
 * scope_listed_once: for an entry k of index db whose case lies in
 * region, whether a walk for actor a takes it: a case with a pending 移送
 * has a second entry under the receiving region (caserec_key_primary),
 * taken only by an actor whose region does not cover the case's own (so
 * the receiving body sees it, and nobody sees it twice).
 */
bool scope_listed_once(const struct actor *a, enum store_db db,
    const MDB_val *k, const char *region);

/* scope_region_prefix: 370000 -> "37", 370100 -> "3701", 370102 ->
 * "370102" (out: 7 bytes); returns the prefix's length. */
size_t scope_region_prefix(const char *region, char *out);

#endif /* WAGE_SCOPE_H */
