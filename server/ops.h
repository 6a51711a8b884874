/* SPDX-License-Identifier: MIT */
/*
 * ops.h - the operations of the wire protocol and the guard chain every
 * request passes: size and depth limits, JSON decode, envelope, op lookup,
 * token, role permission (policy), argument validation, region or
 * organisation scope, workflow guard and revision, store.
 *
 * Threads: ops_handle runs on the calling (nng callback) thread. A read
 * runs there inside one read txn and replies before ops_handle returns. A
 * write is read, checked, applied and encoded there (ops_write.c), then
 * queued to the store's writer; its apply function runs on the writer
 * thread (perhaps twice: see store.h), and the reply callback on the
 * store's replier thread after the commit.
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
	struct policy *policy;         /* the policy new cases start under */
	unsigned char  data_key[32];   /* seals ID numbers and phones */
	unsigned char  digest_key[32]; /* request digests (audit.h) */
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

/* Called once the reply is ready (on the replier thread for writes). */
typedef void (*ops_reply_fn)(struct ops_request *r);

struct ops_request {
	struct store_job     job;
	struct server       *srv;
	const struct op_def *op;
	json_t              *req;  /* the decoded request (owned) */
	json_t              *args; /* borrowed from req */
	/* A write, prepared on the receiving thread for the writer
	 * (ops_write.c; owned, freed with the request). */
	struct casewrite *write;
	json_t           *result; /* owned; set on success */
	char        *result_text; /* or the result already encoded (owned) */
	struct actor actor;
	/* The connection the request came on (an nng pipe id;
	 * AUTH_CONN_LOCAL in-process), set by the caller after
	 * ops_request_reset. */
	uint32_t          conn;
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
int ops_recompute_clocks(struct server *srv, struct store_txn *txn,
    const char *reason, int *ncases);

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
