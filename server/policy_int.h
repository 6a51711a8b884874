/* SPDX-License-Identifier: MIT */
/*
 * policy_int.h - what the parts of the policy loader share; not for use
 * outside policy*.c.
 *   policy.c        the public functions (policy.h), the top-level build,
 *                   and the sections that stand alone: roles, operations,
 *                   scope, states, fields;
 *   policy_yaml.c   (py_) the YAML tree with line numbers, diagnostics
 *                   held back and printed in line order, typed getters;
 *   policy_clock.c  (pclk_) clocks, the clock actions of states and
 *                   events, award_clocks, no clock left running in a
 *                   closed state;
 *   policy_check.c  (pc_) events, priority, and the checks across
 *                   sections (scope, the state graph).
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

#define POLICY_MAX_BYTES (1024 * 1024) /* a policy is a few KiB */
#define POLICY_MAX_DEPTH 16            /* the schema needs 5 levels */
#define POLICY_MAX_ITEMS 10000         /* entries in one list or mapping */
#define POLICY_MAX_NAME 48             /* so "fields.NAME" fits wage_error */
#define POLICY_MAX_LABEL 200           /* name, version, labels, values */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* "clerk" ... "admin", by enum policy_role (policy.c). */
extern const char *const policy_role_names[ROLE__COUNT];

/* The YAML tree: only what the checks need, with line numbers. */
enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ykind     kind;
	size_t         line;  /* 1-based */
	bool           bad;   /* already reported: later checks stay quiet */
	bool           plain; /* an unquoted scalar (true, 15) */
	char          *str;   /* Y_SCALAR: the value, NUL-terminated */
	size_t         len;
	struct ynode **kids; /* Y_SEQ: items; Y_MAP: key, value, key, ... */
	size_t         nkids;
	size_t         cap;
};

/* A diagnostic held back so that all of them come out in line order. */
struct pmsg {
	size_t line;
	size_t seq;
	char  *text;
};

/* The state of one load: the policy being built and where things were. */
struct pctx {
	const char    *name;
	FILE          *diag;
	struct pmsg   *msgs;
	size_t         nmsgs, msgcap;
	int            nerrors;
	bool           oom;
	struct policy *p;
	uint32_t       declared;  /* roles listed under "roles" */
	uint32_t       act_roles; /* roles granted case.act */
	bool           act_known; /* operations parsed cleanly */
	bool           clocks_ok; /* "clocks" read without error */
	size_t        *state_line;
	size_t        *field_line;
	size_t        *event_line;
	size_t        *from_line;  /* of each event's "from" */
	bool          *clock_has_ext; /* the clock has an "extension" key */
	size_t         states_line;
};

/*
 * policy_yaml.c: diagnostics. py_err records one error against line (it
 * counts even when diag is NULL); py_err_flush prints them in line order
 * and frees them. py_oom reports running out of memory once.
 * py_strdup copies s (NULL gives NULL), reporting a failure.
 */
void py_err(struct pctx *c, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void py_err_flush(struct pctx *c);
void py_oom(struct pctx *c, size_t line);
char *py_strdup(struct pctx *c, const char *s, size_t line);

/* py_join writes the names in list (NULL entries skipped) as "a, b, c". */
void py_join(char *buf, size_t len, const char *const *list, size_t n);

/* py_find returns the index of s in list[n], or -1. */
long py_find(const char *const *list, size_t n, const char *s);

/*
 * py_tree_load parses buf into a tree and returns its top node (free with
 * py_tree_free), or NULL after reporting why there is none.
 */
struct ynode *py_tree_load(struct pctx *c, const char *buf, size_t len);
void py_tree_free(struct ynode *n);

/*
 * Typed access to tree nodes. Each reports its own error against the
 * node's line, naming it `what`; a NULL node or one already reported
 * (bad) fails quietly. Strings returned are owned by the tree.
 *   py_str   any scalar;
 *   py_text  a one-line, non-blank string of at most POLICY_MAX_LABEL;
 *   py_name  an identifier: [a-z][a-z0-9_]*, at most POLICY_MAX_NAME;
 *   py_bool  plain true / false;  py_int  a plain decimal integer;
 *   py_roles a list of declared role names into a ROLE_BIT mask.
 */
const char *py_str(struct pctx *c, const struct ynode *n, const char *what);
const char *py_text(struct pctx *c, const struct ynode *n, const char *what);
const char *py_name(struct pctx *c, const struct ynode *n, const char *what);
bool py_bool(struct pctx *c, const struct ynode *n, const char *what,
    bool *out);
bool py_int(struct pctx *c, const struct ynode *n, const char *what,
    long long *out);
bool py_roles(struct pctx *c, const struct ynode *n, const char *what,
    uint32_t *mask, bool nonempty);

/* py_is_kind: is n (not NULL, not bad) a k? Reports it when not. */
bool py_is_kind(struct pctx *c, const struct ynode *n, enum ykind k,
    const char *what);

/*
 * py_map_keys matches the keys of mapping m against keys[]: vals[i] is
 * set to the value of keys[i] (or NULL); unknown keys are reported.
 */
void py_map_keys(struct pctx *c, const struct ynode *m, const char *what,
    const char *const *keys, size_t nkeys, const struct ynode **vals);

/* py_need reports "WHAT has no 'KEY'" against m when v is NULL. */
void py_need(struct pctx *c, const struct ynode *m, const struct ynode *v,
    const char *key, const char *what);

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
void pclk_parse_clocks(struct pctx *c, const struct ynode *n);
void pclk_ops(struct pctx *c, const struct ynode *n, const char *pre,
    bool is_state, struct policy_clock_ops *ops);
bool pclk_list(struct pctx *c, const struct ynode *n, const char *what,
    size_t **idx, size_t *count, size_t *seen, const char **where);
long pclk_ref(struct pctx *c, const struct ynode *n, const char *what);
void pclk_parse_award(struct pctx *c, const struct ynode *n);
void pclk_check_closed(struct pctx *c);
void pclk_ops_free(struct policy_clock_ops *ops);

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
void pc_parse_events(struct pctx *c, const struct ynode *n);
void pc_parse_priority(struct pctx *c, const struct ynode *n);
void pc_check_graph(struct pctx *c, bool one_initial);

#endif /* WAGE_POLICY_INT_H */
