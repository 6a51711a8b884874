/* SPDX-License-Identifier: MIT */
/*
 * store.h - the LMDB environment, its named databases, raw access to them,
 * and the single writer thread (group commit). What the records hold is
 * their owners' business (caserec.h for cases, audit.h for the chain).
 *
 * Threads: store_read_begin may be called from any thread (MDB_NOTLS);
 * a read txn lives inside one handler call. All writes run on the writer
 * thread through store_submit: the writer takes every job waiting, applies
 * each in its own child txn (a failing job changes nothing), commits the
 * batch durably in one txn, then calls each job's done callback.
 */
#ifndef WAGE_STORE_H
#define WAGE_STORE_H

#include <jansson.h>
#include <lmdb.h>
#include <stddef.h>

#include "wage/protocol.h"

enum store_db {
	DB_CASES = 0,   /* case id -> case head (caserec.h) */
	DB_STEPS,       /* case id|seq -> one recorded step (caserec.h) */
	DB_BY_REGION,   /* region|id -> "" */
	DB_BY_STATE,    /* state|region|id -> "" */
	DB_BY_ORG,      /* organisation|id -> "" (filer and representative) */
	DB_BY_CREDIT,   /* respondent credit code|id -> "" */
	DB_CASE_AUDIT,  /* id|seq(16 hex) -> "" */
	DB_AUDIT,       /* seq (8 bytes big-endian) -> event (JSON) */
	DB_CHECKPOINTS, /* seq -> signed checkpoint (later work) */
	DB_POLICIES,    /* policy hash (hex) -> policy text */
	DB_META,        /* name -> value */
	DB_BY_KEY,      /* filer org|idempotency key|id -> summary */
	DB_BY_GC,       /* general contractor credit code|id -> "" */
	DB__COUNT
};

struct store;
struct store_job;

/*
 * struct store_txn: a transaction handle (after Knot DNS's knot_lmdb_txn):
 * the LMDB txn, the store whose named databases it reads and writes, and a
 * sticky error. The first storage failure of any call made with the handle
 * is kept in ret, and every later call returns it at once without touching
 * LMDB (a failed write poisons an LMDB txn anyway: MDB_TXN_ERROR), so op
 * code can run straight-line and test one code at the end. WAGE_E_NOT_FOUND
 * from a get is an answer, not a failure: it does not stick; nor does an
 * error a scan callback returns.
 *
 * Handles of read txns come from store_read_begin and go with
 * store_read_end, inside one handler call on one thread (never across an
 * aio boundary). Handles of write txns are made by the writer (and
 * store_write_now) and lent to apply functions for the length of the call.
 */
struct store_txn {
	MDB_txn      *txn;
	struct store *store;
	int           ret; /* WAGE_OK, or the first failure: sticky */
};

/*
 * store_apply_fn: a job's write, on the writer thread, in txn (the batch's
 * txn, or a child txn of its own). Return WAGE_OK to keep it; on failure
 * fill job->err and return the code (a sticky txn->ret counts as failure).
 *
 * A batch is first applied with every job straight in the batch's txn; if
 * one fails, the whole txn is aborted and the batch applied again with each
 * job in a child txn of its own. So an apply function may run twice for
 * one job, the first run's writes undone: it must be idempotent in what it
 * keeps outside the txn (compute results again, never accumulate).
 */
typedef int (*store_apply_fn)(struct store_txn *txn, struct store_job *job);
/* Runs on the replier thread (the writer thread if that did not start) after
 * the batch committed (rc WAGE_OK) or
 * failed (rc the job's or the commit's error). */
typedef void (*store_done_fn)(struct store_job *job, int rc);

struct store_job {
	store_apply_fn    apply;
	store_done_fn     done;
	struct store_job *next; /* owned by the store while queued */
	int               rc;
	struct wage_error err; /* filled by apply on failure */
};

/*
 * store_open opens (creating) the environment in dir with the given map
 * size in bytes and reader slots, and opens every named database in one
 * committed write txn. Returns WAGE_OK or an error with err filled.
 */
int store_open(struct store **sp, const char *dir, size_t mapsize,
    unsigned maxreaders, struct wage_error *err);

/* store_writer_stop finishes the queued jobs and joins the writer. */
void store_writer_stop(struct store *s);

/* store_close stops the writer (finishing queued jobs) and closes env. */
void store_close(struct store *s);

/*
 * store_set_batch_hook: fn runs on the writer thread inside every batch's
 * transaction after the batch's jobs, in a child txn of its own (a failure
 * is logged and changes nothing). Set before store_writer_start.
 */
typedef int (*store_hook_fn)(struct store_txn *txn, void *arg);
void store_set_batch_hook(struct store *s, store_hook_fn fn, void *arg);

/* store_writer_start starts the writer thread. */
int store_writer_start(struct store *s);

/* store_submit queues job for the writer; never blocks on I/O. After
 * store_close began, job->done is called at once with WAGE_E_BUSY. */
void store_submit(struct store *s, struct store_job *job);

/* store_write_now runs fn in a durable write txn on the calling thread;
 * only before the writer starts (start-up tasks) or from tests. */
int store_write_now(struct store *s, store_apply_fn fn, struct store_job *job);

/* store_read_begin starts a read-only txn: *txn is a new handle (NULL on
 * failure); end it with store_read_end (NULL is allowed), on the same
 * thread, before the handler returns. */
int  store_read_begin(struct store *s, struct store_txn **txn);
void store_read_end(struct store_txn *txn);

/* store_env returns the environment (for backup and tools). */
MDB_env *store_env(struct store *s);

/* Raw access. Keys and values are bytes. out->mv_data lives only until the
 * txn ends or the next write in it (lmdb.h): decode or copy it first.
 * Codes: WAGE_OK, WAGE_E_NOT_FOUND (get only; not sticky),
 * WAGE_E_STORAGE_FULL, WAGE_E_BUSY, WAGE_E_INTERNAL (logged with
 * mdb_strerror), or txn->ret when the handle already failed. */
int store_get(struct store_txn *txn, enum store_db db, const void *key,
    size_t klen, MDB_val *out);
int store_put(struct store_txn *txn, enum store_db db, const void *key,
    size_t klen, const void *val, size_t vlen);
int store_del(
    struct store_txn *txn, enum store_db db, const void *key, size_t klen);

/*
 * store_scan walks db in key order over the keys that start with prefix
 * (plen bytes), starting after the key `after` (NULL: from the start).
 * cb returns 0 to go on, STORE_SCAN_STOP to stop (store_scan then
 * returns WAGE_OK), or a WAGE_E_* code to fail with it.
 */
#define STORE_SCAN_STOP (-1)
typedef int (*store_scan_fn)(void *arg, const MDB_val *k, const MDB_val *v);
int store_scan(struct store_txn *txn, enum store_db db, const void *prefix,
    size_t plen, const char *after, store_scan_fn cb, void *arg);

/* store_scan_from walks db in key order from the first key >= start
 * (binary, slen bytes); cb as for store_scan. */
int store_scan_from(struct store_txn *txn, enum store_db db, const void *start,
    size_t slen, store_scan_fn cb, void *arg);

/* store_map_err maps an LMDB return code, logging where it came from. */
int store_map_err(int mrc, const char *where);

/* store_db_count returns the number of entries in db, or 0 on error. */
size_t store_db_count(struct store_txn *txn, enum store_db db);

/* store_meta_get/put: small named values in DB_META. */
int store_meta_get(struct store_txn *txn, const char *name, MDB_val *out);
int store_meta_put(
    struct store_txn *txn, const char *name, const void *val, size_t len);

#endif /* WAGE_STORE_H */
