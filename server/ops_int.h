/* SPDX-License-Identifier: MIT */
/*
 * ops_int.h - what the op files share inside the server: the op table's
 * row, the handlers of the ops_*.c files, and the helpers of ops.c. Not part
 * of any public interface.
 */
#ifndef WAGE_OPS_INT_H
#define WAGE_OPS_INT_H

#include <jansson.h>

#include "ops.h"

#define OP_WRITE  0x1 /* runs on the writer thread */
#define OP_NOAUTH 0x2 /* no token needed */

#include "caserec.h"
#include "scope.h"

#define SEP CASEREC_SEP

typedef int (*op_read_fn)(struct ops_request *r);

struct op_def {
	const char    *name;
	op_read_fn     run;   /* reads: the whole op; writes: preparation */
	store_apply_fn apply; /* writes only */
	unsigned       flags;
};

int op_auth_challenge(struct ops_request *);
int op_auth_login(struct ops_request *);
int op_whoami(struct ops_request *);
int op_policy_get(struct ops_request *);
int op_case_file(struct ops_request *);
int op_case_get(struct ops_request *);
int op_case_list(struct ops_request *);
int op_case_act(struct ops_request *);
int op_case_history(struct ops_request *);
int op_case_due(struct ops_request *);
int op_case_related(struct ops_request *);
int op_audit_verify(struct ops_request *);
int op_audit_export(struct ops_request *);
int op_report_campaign(struct ops_request *);
int op_report_employers(struct ops_request *);
int apply_case_file(struct store_txn *, struct store_job *);
int apply_case_act(struct store_txn *, struct store_job *);

/* ops_write_committed: after the batch holding r's write committed (on
 * the replier thread): the new head goes into the case cache. */
void ops_write_committed(struct ops_request *r);

/* ops_write_free frees a prepared write (w may be NULL). */
void ops_write_free(struct casewrite *w);

/* ops_job_request: the request a writer job belongs to. */
struct ops_request *ops_job_request(struct store_job *job);

/* ops_policy_for: the policy a case began under (hash), or NULL. */
const struct policy *ops_policy_for(
    struct server *srv, struct store_txn *txn, const char *hash);

/* ops_no_args refuses any member in r->args. */
int ops_no_args(struct ops_request *r);

/* ops_arg_case_id reads and checks args.id (WA2026-000001). */
int ops_arg_case_id(struct ops_request *r, const char **id);

/* ops_actor_json: the actor as recorded on cases and events (new ref). */
json_t *ops_actor_json(const struct actor *a);

/* ops_today_year: this year in Asia/Shanghai. */
void ops_today_year(int *year);

/* ops_on_behalf_of: for whom the actor acts on this case (new ref). */
json_t *ops_on_behalf_of(const struct actor *a, const json_t *doc);

#endif /* WAGE_OPS_INT_H */
