/* SPDX-License-Identifier: MIT */
/*
 * ops.h - the operations of the wire protocol and the guard chain every
 * request passes: size and depth limits, JSON decode, envelope, op lookup,
 * token, role permission (policy), argument validation, region or
 * organisation scope, workflow guard and revision, store.
 *
 * Reads run on the calling (nng callback) thread inside one read txn.
 * Writes are validated on the calling thread, then queued to the store's
 * writer; the reply callback runs on the writer thread after the commit.
 */
#ifndef WAGE_OPS_H
#define WAGE_OPS_H

#include <jansson.h>
#include <pthread.h>

#include "auth.h"
#include "policy.h"
#include "store.h"

struct server {
	struct store  *store;
	struct auth   *auth;
	struct policy *policy;       /* the policy new cases start under */
	unsigned char  data_key[32]; /* seals ID numbers and phones */
	struct checkpoint_signer *signer;   /* signs the audit chain head */
	struct calendar          *calendar; /* official holiday schedules */
	struct minwage           *minwage;  /* minimum wage tables (Art 47) */
	struct casecache         *cases;    /* decoded cases; may be NULL */
	/* Policies older cases began under, loaded on demand from the
	 * policies database; guarded by mtx. */
	pthread_mutex_t mtx;
	struct policy **old;
	size_t          nold;
};

struct op_def;
struct ops_request;

/* Called once the reply is ready (from the writer thread for writes). */
typedef void (*ops_reply_fn)(struct ops_request *r);

struct ops_request {
	struct store_job     job;
	struct server       *srv;
	const struct op_def *op;
	json_t              *req;  /* the decoded request (owned) */
	json_t              *args; /* borrowed from req */
	/* A write is prepared on the receiving thread (read, check, build);
	 * the writer only checks that the case did not change since, chains
	 * the audit event and stores. All owned except prep_step. */
	json_t *prep;     /* the new case document */
	json_t *prep_old; /* case.act: the case as it was read */
	char   *prep_raw; /* case.act: its stored bytes */
	size_t  prep_rawlen;
	json_t *prep_audit;   /* the audit event, not yet chained */
	json_t *prep_evicted; /* what the case cache let go for prep */
	/* prep encoded ahead, with a placeholder (prep_mark) where the
	 * writer puts the audit seq (case.act) or the case id (case.file):
	 * at byte prep_text_at of prep_text and prep_sum_at of prep_sum
	 * (the listing summary; -1: none there). NULL: the writer encodes. */
	char *prep_text, *prep_sum;
	char  prep_mark[48];
	long  prep_text_at, prep_sum_at;
	/* case.act: the new steps encoded, marked at prep_steps_at, kept
	 * with the cached case after the write (casecache_keep_steps). */
	char   *prep_steps;
	long    prep_steps_at;
	json_t *prep_step;        /* case.act: the step (in prep) that
	                             gets the audit seq; borrowed */
	json_t      *result;      /* owned; set on success */
	char        *result_text; /* or the result already encoded (owned) */
	struct actor actor;
	struct wage_error err;
	char              digest[65];
	ops_reply_fn      reply;
	void             *arg; /* the caller's */
};

/*
 * ops_init prepares srv's cache of older policies (main.c stores each
 * policy's text in the policies database at start-up, so that cases keep
 * following the version they began under). Call before serving.
 */
int ops_init(struct server *srv, const char *policy_text, size_t len);

/*
 * ops_recompute_clocks derives every case's due dates again (after the
 * calendar or a policy changed) and, for each case whose due dates moved,
 * writes the case and an audit event "clock.recompute" naming the changes,
 * in txn. *ncases counts those cases.
 */
int ops_recompute_clocks(
    struct server *srv, MDB_txn *txn, const char *reason, int *ncases);

/* ops_fini frees the cached old policies. */
void ops_fini(struct server *srv);

/*
 * ops_handle runs the guard chain on one request body. r must be zeroed
 * except reply and arg. r->reply(r) is called exactly once: before
 * ops_handle returns for reads and refusals, later for writes.
 */
void ops_handle(
    struct server *srv, const char *body, size_t len, struct ops_request *r);

/*
 * ops_reply_text renders r's reply ({"ok":true,"result":...} or the error
 * object) as a new string (free it), or NULL when out of memory.
 */
char *ops_reply_text(const struct ops_request *r);

/* ops_request_reset releases what r holds, keeping reply and arg. */
void ops_request_reset(struct ops_request *r);

/* ops_json_depth_ok returns 1 if the JSON text nests at most max deep. */
int ops_json_depth_ok(const char *s, size_t len, int max);

#endif /* WAGE_OPS_H */
