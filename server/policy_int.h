/* SPDX-License-Identifier: MIT */
/*
 * policy_int.h - what the parts of the policy loader share; not for use
 * outside policy*.c.
 *   policy.c        the public functions (policy.h), the top-level build,
 *                   and the sections that stand alone: roles, operations,
 *                   scope, states, fields;
 *   policy_clock.c  (pclk_) clocks, the clock actions of states and
 *                   events, award_clocks, no clock left running in a
 *                   closed state;
 *   policy_check.c  (pc_) events, priority, and the checks across
 *                   sections (scope, the state graph);
 *   policy_service.c (psvc_) service: documents, receipt, public notice.
 * The YAML tree, its typed getters and the diagnostics are yamltree.h's.
 * Short prefixes: the file-name prefixes of HOUSE-STYLE would push most
 * calls past 79 columns, and nothing here leaves the loader.
 */
#ifndef WAGE_POLICY_INT_H
#define WAGE_POLICY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "policy.h"
#include "yamltree.h"

#define POLICY_MAX_BYTES (1024 * 1024) /* a policy is a few KiB */
#define POLICY_MAX_DEPTH 16            /* the schema needs 5 levels */
#define POLICY_MAX_ITEMS 10000         /* entries in one list or mapping */
#define POLICY_MAX_NAME  48            /* so "fields.NAME" fits wage_error */
#define POLICY_MAX_LABEL 200           /* name, version, labels, values */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* "clerk" ... "admin", by enum policy_role (policy.c). */
extern const char *const policy_role_names[ROLE__COUNT];

/* The state of one load: the policy being built and where things were. */
struct pctx {
	struct yamltree_diag d; /* the file, its messages, the count */
	struct policy       *p;
	uint32_t             declared;  /* roles listed under "roles" */
	uint32_t             act_roles; /* roles granted case.act */
	bool                 act_known; /* operations parsed cleanly */
	bool                 clocks_ok; /* "clocks" read without error */
	size_t              *state_line;
	size_t              *field_line;
	size_t              *event_line;
	size_t              *from_line;     /* of each event's "from" */
	bool                *clock_has_ext; /* has an "extension" key */
	size_t              *until_line;    /* of each clock's "until" */
	size_t               states_line;
};

/*
 * policy.c: policy_read_roles reads a list of role names at n (named what
 * in messages) into a ROLE_BIT mask. Every role must be a certificate role
 * and, once "roles" has been read, declared there; nonempty: at least one.
 * Returns false when anything was reported.
 */
bool policy_read_roles(struct pctx *c, const struct yamltree_node *n,
    const char *what, uint32_t *mask, bool nonempty);

/*
 * policy_clock.c. n may be NULL for an optional section that is absent.
 *   pclk_parse_clocks  the top-level "clocks" (read before the states);
 *   pclk_ops           a "clocks" block of a state (is_state: no extend)
 *                      or an event, named pre in messages;
 *   pclk_list          a list of clock names into *idx / *count; seen[k]
 *                      (nclocks entries, zeroed) is the line clock k was
 *                      first listed on in this block, where[k] the list's
 *                      name: a clock listed again is reported. Returns
 *                      false when n is not a list;
 *   pclk_ref           the index of the clock named at n, or -1 (an
 *                      unknown name is reported);
 *   pclk_parse_award   the top-level "award_clocks" (Art 48-50);
 *   pclk_check_closed  every terminal state stops every clock on entry;
 *   pclk_ops_free      releases what pclk_ops allocated in ops.
 */
void pclk_parse_clocks(struct pctx *c, const struct yamltree_node *n);
void pclk_ops(struct pctx *c, const struct yamltree_node *n, const char *pre,
    bool is_state, struct policy_clock_ops *ops);
bool pclk_list(struct pctx *c, const struct yamltree_node *n, const char *what,
    size_t **idx, size_t *count, size_t *seen, const char **where);
long pclk_ref(struct pctx *c, const struct yamltree_node *n, const char *what);
void pclk_parse_award(struct pctx *c, const struct yamltree_node *n);
void pclk_check_closed(struct pctx *c);
void pclk_ops_free(struct policy_clock_ops *ops);

/*
 * pclk_check_until: a clock's `until` names a date field (after fields).
 */
void pclk_check_until(struct pctx *c);

/*
 * policy_service.c (psvc_): the top-level "service" (送达): the public
 * notice rule and the documents served, whom each goes to and what
 * receipt does to the clocks (after clocks and fields; n may be NULL).
 */
void psvc_parse(struct pctx *c, const struct yamltree_node *n);
void psvc_free(struct policy_service *s);

/*
 * policy_check.c, in the order build() calls them:
 *   pc_check_scoped    every role that sees case content has a scope;
 *   pc_parse_events    the top-level "events" (after states, fields and
 *                      clocks);
 *   pc_parse_priority  the top-level "priority" (may be NULL);
 *   pc_check_graph     terminal states are ends, no other state is a dead
 *                      end, every state is reachable from the initial one
 *                      (one_initial: exactly one initial state was read).
 */
void pc_check_scoped(struct pctx *c, const size_t *op_line);
void pc_parse_events(struct pctx *c, const struct yamltree_node *n);
void pc_parse_priority(struct pctx *c, const struct yamltree_node *n);
void pc_check_graph(struct pctx *c, bool one_initial);

#endif /* WAGE_POLICY_INT_H */
