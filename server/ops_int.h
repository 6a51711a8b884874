/* SPDX-License-Identifier: MIT */
/*
 * ops_int.h - what the op files share inside the server: the op table's
 * row, the handlers of ops_case.c and ops_audit.c, and the helpers of
 * ops.c. Not part of any public interface.
 */
#ifndef WAGE_OPS_INT_H
#define WAGE_OPS_INT_H

#include <jansson.h>

#include "ops.h"

#define OP_WRITE  0x1 /* runs on the writer thread */
#define OP_NOAUTH 0x2 /* no token needed */

#define SEP "\x1f" /* index key separator, as in store.c */

typedef int (*op_read_fn)(struct ops_request *r);

struct op_def {
	const char    *name;
	op_read_fn     run;   /* reads: the whole op; writes: preparation */
	store_apply_fn apply; /* writes only */
	unsigned       flags;
};

int op_case_file(struct ops_request *);
int op_case_get(struct ops_request *);
int op_case_list(struct ops_request *);
int op_case_act(struct ops_request *);
int op_case_history(struct ops_request *);
int op_case_due(struct ops_request *);
int op_audit_verify(struct ops_request *);
int op_audit_export(struct ops_request *);
int op_report_campaign(struct ops_request *);
int op_report_employers(struct ops_request *);
int apply_case_file(MDB_txn *, struct store_job *);
int apply_case_act(MDB_txn *, struct store_job *);

/* ops_job_request: the request a writer job belongs to. */
struct ops_request *ops_job_request(struct store_job *job);

/* ops_policy_for: the policy a case began under (hash), or NULL. */
const struct policy *ops_policy_for(
    struct server *srv, MDB_txn *txn, const char *hash);

/* ops_no_args refuses any member in r->args. */
int ops_no_args(struct ops_request *r);

/* ops_arg_case_id reads and checks args.id (WA2026-000001). */
int ops_arg_case_id(struct ops_request *r, const char **id);

/* ops_actor_json: the actor as recorded on cases and events (new ref). */
json_t *ops_actor_json(const struct actor *a);

/* ops_case_visible: WAGE_OK if the actor may see the case, else
 * WAGE_E_OUT_OF_SCOPE with err filled (err may be NULL). */
int ops_case_visible(const struct server *srv, const struct actor *a,
    const json_t *doc, struct wage_error *err);

/* ops_case_view: the case as this actor sees it, made in place from doc
 * (which it changes: pass a copy of your own); returns a new reference to
 * doc, or NULL. */
json_t *ops_case_view(const struct server *srv, const struct policy *p,
    const struct actor *a, const json_t *doc);

/* ops_today_year: this year in Asia/Shanghai. */
void ops_today_year(int *year);

/* ops_on_behalf_of: for whom the actor acts on this case (new ref). */
json_t *ops_on_behalf_of(const struct actor *a, const json_t *doc);

#endif /* WAGE_OPS_INT_H */
