/* SPDX-License-Identifier: MIT */
/*
 * store.c - LMDB: the environment, named databases, raw access, and the
 * writer thread that group-commits every write.
 * Owns: every mdb_* call and the mapping of MDB_* codes to WAGE_E_*.
 * Must not: decide what a case may do (workflow) or who may see it (ops).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "store.h"

static const char *const db_names[DB__COUNT] = {
	[DB_CASES]       = "cases",
	[DB_STEPS]       = "steps",
	[DB_BY_REGION]   = "by_region",
	[DB_BY_STATE]    = "by_state",
	[DB_BY_ORG]      = "by_org",
	[DB_BY_CREDIT]   = "by_credit",
	[DB_CASE_AUDIT]  = "case_audit",
	[DB_AUDIT]       = "audit",
	[DB_CHECKPOINTS] = "checkpoints",
	[DB_POLICIES]    = "policies",
	[DB_META]        = "meta",
	[DB_BY_KEY]      = "by_key",
	[DB_BY_GC]       = "by_gc",
};

struct store {
	MDB_env          *env;
	MDB_dbi           dbi[DB__COUNT];
	pthread_t         writer;
	int               writer_running;
	pthread_mutex_t   mtx;
	pthread_cond_t    cv;
	struct store_job *head; /* queued jobs, newest first */
	int               stopping;
	/* Committed jobs wait here for the replier thread, which calls their
	 * done functions (reply text, TLS send) off the writer's path. */
	pthread_t         replier;
	int               replier_running;
	pthread_cond_t    done_cv;
	struct store_job *done_head, *done_tail; /* oldest first */
	int               writer_finished;
	store_hook_fn     hook;
	void             *hook_arg;
};

int
store_map_err(int mrc, const char *where)
{
	switch (mrc) {
	case MDB_SUCCESS:
		return (WAGE_OK);
	case MDB_NOTFOUND:
		return (WAGE_E_NOT_FOUND);
	case MDB_MAP_FULL:
	case MDB_TXN_FULL:
	/* LMDB passes write(2) errors on as they are: a full disk or quota
	 * is the operator's to fix, not a bug of ours. */
	case ENOSPC:
	case EDQUOT:
	case EFBIG:
		log_warnx("%s: %s", where, mdb_strerror(mrc));
		return (WAGE_E_STORAGE_FULL);
	case MDB_READERS_FULL:
		log_warnx("%s: %s", where, mdb_strerror(mrc));
		return (WAGE_E_BUSY);
	default:
		log_warnx("%s: %s", where, mdb_strerror(mrc));
		return (WAGE_E_INTERNAL);
	}
}

/* The database holds sealed personal data and the audit log: only the
 * server's user may enter its directory. One made by hand with a wider
 * mode is narrowed, and the change logged. */
static int
dir_private(const char *dir, struct wage_error *err)
{
	struct stat st;

	if (stat(dir, &st) != 0) {
		return (wage_err_set(err, WAGE_E_INTERNAL, NULL,
		    "cannot read database directory %s: %s", dir,
		    strerror(errno)));
	}
	if (!S_ISDIR(st.st_mode)) {
		return (wage_err_set(err, WAGE_E_INTERNAL, NULL,
		    "database %s is not a directory", dir));
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) == 0) {
		return (WAGE_OK);
	}
	if (chmod(dir, 0700) != 0) {
		return (wage_err_set(err, WAGE_E_INTERNAL, NULL,
		    "database directory %s is open to group or others "
		    "(mode %03o) and cannot be made 0700: %s",
		    dir, (unsigned) (st.st_mode & 0777), strerror(errno)));
	}
	log_info("%s: database directory was mode %03o, open to group or "
	         "others; now 0700",
	    dir, (unsigned) (st.st_mode & 0777));
	return (WAGE_OK);
}

int
store_open(struct store **sp, const char *dir, size_t mapsize,
    unsigned maxreaders, struct wage_error *err)
{
	struct store *s;
	MDB_txn      *txn = NULL;
	int           mrc, i;

	*sp = NULL;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		return (wage_err_set(err, WAGE_E_INTERNAL, NULL,
		    "cannot create database directory %s: %s", dir,
		    strerror(errno)));
	}
	if ((mrc = dir_private(dir, err)) != WAGE_OK) {
		return (mrc);
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		return (
		    wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory"));
	}
	pthread_mutex_init(&s->mtx, NULL);
	pthread_cond_init(&s->cv, NULL);
	pthread_cond_init(&s->done_cv, NULL);
	if ((mrc = mdb_env_create(&s->env)) != 0 ||
	    (mrc = mdb_env_set_maxdbs(s->env, DB__COUNT + 2)) != 0 ||
	    (mrc = mdb_env_set_mapsize(s->env, mapsize)) != 0 ||
	    (mrc = mdb_env_set_maxreaders(s->env, maxreaders)) != 0) {
		goto fail;
	}
	/* MDB_NOTLS: read txns are begun on nng's worker threads. Never
	 * NOSYNC/NOMETASYNC/WRITEMAP: an ok reply means on disk. */
	if ((mrc = mdb_env_open(s->env, dir, MDB_NOTLS, 0600)) != 0) {
		goto fail;
	}
	/* A crashed process may leave stale reader slots. */
	mdb_reader_check(s->env, NULL);
	mrc = mdb_txn_begin(s->env, NULL, 0, &txn);
	if (mrc == MDB_MAP_RESIZED) {
		/* Another process (the server, for backup and verify) has a
		 * larger map: adopt its size. */
		mdb_env_set_mapsize(s->env, 0);
		mrc = mdb_txn_begin(s->env, NULL, 0, &txn);
	}
	if (mrc != 0) {
		goto fail;
	}
	for (i = 0; i < DB__COUNT; i++) {
		mrc = mdb_dbi_open(txn, db_names[i], MDB_CREATE, &s->dbi[i]);
		if (mrc != 0) {
			goto fail;
		}
	}
	if ((mrc = mdb_txn_commit(txn)) != 0) {
		txn = NULL;
		goto fail;
	}
	*sp = s;
	return (WAGE_OK);
fail:
	if (txn != NULL) {
		mdb_txn_abort(txn);
	}
	wage_err_set(err,
	    mrc == MDB_MAP_FULL ? WAGE_E_STORAGE_FULL : WAGE_E_INTERNAL, NULL,
	    "cannot open database in %s: %s", dir, mdb_strerror(mrc));
	mdb_env_close(s->env);
	pthread_mutex_destroy(&s->mtx);
	pthread_cond_destroy(&s->cv);
	pthread_cond_destroy(&s->done_cv);
	free(s);
	return (err != NULL ? err->code : WAGE_E_INTERNAL);
}

MDB_env *
store_env(struct store *s)
{
	return (s->env);
}

/* Calls each job's done function, in order; a job may be gone after. */
static void
run_done(struct store_job *list)
{
	struct store_job *job, *next;

	for (job = list; job != NULL; job = next) {
		next = job->next;
		job->done(job, job->rc);
	}
}

/*
 * Applies the batch in one txn and commits it (one fsync for all: group
 * commit). isolated: each job in a child txn, so that one that fails leaves
 * nothing behind while the others are kept. Not isolated, the cheap way
 * (LMDB allocates 3 MiB for every child txn): the first job to fail stops
 * the batch, which is aborted whole: BATCH_AGAIN. Jobs must be
 * idempotent enough to be applied again after an abort. Returns the
 * commit's code (each job's own is in job->rc).
 */
#define BATCH_AGAIN (-1)

static int
run_batch(struct store *s, struct store_job *fifo, int isolated)
{
	struct store_job *job;
	struct store_txn  top = { NULL, s, WAGE_OK }, child;
	int               mrc, rc;

	if ((mrc = mdb_txn_begin(s->env, NULL, 0, &top.txn)) != 0) {
		return (store_map_err(mrc, "writer: txn_begin"));
	}
	for (job = fifo; job != NULL; job = job->next) {
		wage_err_clear(&job->err);
		if (!isolated) {
			job->rc = job->apply(&top, job);
			if (job->rc == WAGE_OK && top.ret != WAGE_OK) {
				job->rc = top.ret;
			}
			if (job->rc != WAGE_OK) {
				mdb_txn_abort(top.txn);
				return (BATCH_AGAIN);
			}
			continue;
		}
		child.store = s;
		child.ret   = WAGE_OK;
		if ((mrc = mdb_txn_begin(s->env, top.txn, 0, &child.txn)) !=
		    0) {
			job->rc = store_map_err(mrc, "writer: child");
			continue;
		}
		rc = job->apply(&child, job);
		if (rc == WAGE_OK && child.ret != WAGE_OK) {
			rc = child.ret;
		}
		if (rc == WAGE_OK) {
			mrc = mdb_txn_commit(child.txn);
			rc  = store_map_err(mrc, "writer: child commit");
		} else {
			mdb_txn_abort(child.txn);
		}
		job->rc = rc;
	}
	child.store = s;
	child.ret   = WAGE_OK;
	if (s->hook != NULL &&
	    mdb_txn_begin(s->env, top.txn, 0, &child.txn) == 0) {
		if (s->hook(&child, s->hook_arg) == WAGE_OK &&
		    child.ret == WAGE_OK) {
			if ((mrc = mdb_txn_commit(child.txn)) != 0) {
				store_map_err(mrc, "writer: hook");
			}
		} else {
			log_warnx("writer: batch hook failed");
			mdb_txn_abort(child.txn);
		}
	}
	mrc = mdb_txn_commit(top.txn);
	return (store_map_err(mrc, "writer: commit"));
}

static void *
writer_main(void *arg)
{
	struct store     *s = arg;
	struct store_job *batch, *job, *next, *fifo, *last;
	int               crc;

	for (;;) {
		pthread_mutex_lock(&s->mtx);
		while (s->head == NULL && !s->stopping) {
			pthread_cond_wait(&s->cv, &s->mtx);
		}
		batch   = s->head;
		s->head = NULL;
		pthread_mutex_unlock(&s->mtx);
		if (batch == NULL) {
			break; /* stopping and nothing left */
		}
		/* The queue is newest-first: reverse to apply in order. */
		fifo = NULL;
		for (job = batch; job != NULL; job = next) {
			next      = job->next;
			job->next = fifo;
			fifo      = job;
		}
		/* Every job straight in the batch's txn; if one fails, the
		 * txn may hold part of it: the batch is applied again from
		 * the start with each job in a child txn of its own. */
		if ((crc = run_batch(s, fifo, 0)) == BATCH_AGAIN) {
			crc = run_batch(s, fifo, 1);
		}
		last = NULL;
		for (job = fifo; job != NULL; job = job->next) {
			if (crc != WAGE_OK && job->rc == WAGE_OK) {
				job->rc = crc;
				wage_err_set(&job->err, crc, NULL, NULL);
			}
			last = job;
		}
		if (!s->replier_running) {
			run_done(fifo);
			continue;
		}
		pthread_mutex_lock(&s->mtx);
		if (s->done_tail != NULL) {
			s->done_tail->next = fifo;
		} else {
			s->done_head = fifo;
		}
		s->done_tail = last;
		pthread_cond_signal(&s->done_cv);
		pthread_mutex_unlock(&s->mtx);
	}
	return (NULL);
}

static void *
replier_main(void *arg)
{
	struct store     *s = arg;
	struct store_job *list;

	for (;;) {
		pthread_mutex_lock(&s->mtx);
		while (s->done_head == NULL && !s->writer_finished) {
			pthread_cond_wait(&s->done_cv, &s->mtx);
		}
		list         = s->done_head;
		s->done_head = s->done_tail = NULL;
		pthread_mutex_unlock(&s->mtx);
		if (list == NULL) {
			break; /* the writer has stopped and all are answered
			        */
		}
		run_done(list);
	}
	return (NULL);
}

void
store_set_batch_hook(struct store *s, store_hook_fn fn, void *arg)
{
	s->hook     = fn;
	s->hook_arg = arg;
}

/* After the writer has exited: answer what is left, then end. */
static void
stop_replier(struct store *s)
{
	if (!s->replier_running) {
		return;
	}
	pthread_mutex_lock(&s->mtx);
	s->writer_finished = 1;
	pthread_cond_broadcast(&s->done_cv);
	pthread_mutex_unlock(&s->mtx);
	pthread_join(s->replier, NULL);
	s->replier_running = 0;
}

int
store_writer_start(struct store *s)
{
	s->writer_finished = 0;
	if (pthread_create(&s->replier, NULL, replier_main, s) != 0) {
		log_warn("store_writer_start: pthread_create");
		return (WAGE_E_INTERNAL);
	}
	s->replier_running = 1;
	if (pthread_create(&s->writer, NULL, writer_main, s) != 0) {
		log_warn("store_writer_start: pthread_create");
		stop_replier(s);
		return (WAGE_E_INTERNAL);
	}
	s->writer_running = 1;
	return (WAGE_OK);
}

void
store_submit(struct store *s, struct store_job *job)
{
	pthread_mutex_lock(&s->mtx);
	if (s->stopping || !s->writer_running) {
		pthread_mutex_unlock(&s->mtx);
		wage_err_set(&job->err, WAGE_E_BUSY, NULL,
		    "the server is shutting down");
		job->done(job, WAGE_E_BUSY);
		return;
	}
	job->next = s->head;
	s->head   = job;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mtx);
}

int
store_write_now(struct store *s, store_apply_fn fn, struct store_job *job)
{
	struct store_txn t = { NULL, s, WAGE_OK };
	int              mrc, rc;

	if ((mrc = mdb_txn_begin(s->env, NULL, 0, &t.txn)) != 0) {
		return (store_map_err(mrc, "store_write_now: begin"));
	}
	if ((rc = fn(&t, job)) == WAGE_OK) {
		rc = t.ret;
	}
	if (rc != WAGE_OK) {
		mdb_txn_abort(t.txn);
		return (rc);
	}
	mrc = mdb_txn_commit(t.txn);
	return (store_map_err(mrc, "store_write_now: commit"));
}

void
store_writer_stop(struct store *s)
{
	pthread_mutex_lock(&s->mtx);
	s->stopping = 1;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mtx);
	if (s->writer_running) {
		pthread_join(s->writer, NULL);
		s->writer_running = 0;
	}
	stop_replier(s);
}

void
store_close(struct store *s)
{
	if (s == NULL) {
		return;
	}
	pthread_mutex_lock(&s->mtx);
	s->stopping = 1;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mtx);
	if (s->writer_running) {
		pthread_join(s->writer, NULL);
		s->writer_running = 0;
	}
	stop_replier(s);
	mdb_env_close(s->env);
	pthread_mutex_destroy(&s->mtx);
	pthread_cond_destroy(&s->cv);
	pthread_cond_destroy(&s->done_cv);
	free(s);
}

int
store_read_begin(struct store *s, struct store_txn **txn)
{
	struct store_txn *t;
	int               mrc;

	if ((*txn = t = malloc(sizeof(*t))) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	t->store = s;
	t->ret   = WAGE_OK;
	mrc      = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &t->txn);
	if (mrc == MDB_MAP_RESIZED) {
		mdb_env_set_mapsize(s->env, 0);
		mrc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &t->txn);
	}
	if (mrc == MDB_READERS_FULL) {
		/* Slots of dead processes: clear them and retry once. */
		mdb_reader_check(s->env, NULL);
		mrc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &t->txn);
	}
	if (mrc != 0) {
		free(t);
		*txn = NULL;
	}
	return (store_map_err(mrc, "store_read_begin"));
}

void
store_read_end(struct store_txn *txn)
{
	if (txn != NULL) {
		mdb_txn_abort(txn->txn);
		free(txn);
	}
}

/* A failure of an LMDB call sticks to the handle. */
static int
stick(struct store_txn *txn, int rc)
{
	if (rc != WAGE_OK && rc != WAGE_E_NOT_FOUND && txn->ret == WAGE_OK) {
		txn->ret = rc;
	}
	return (rc);
}

int
store_get(struct store_txn *txn, enum store_db db, const void *key,
    size_t klen, MDB_val *out)
{
	MDB_val k = { klen, (void *) key };
	int     mrc;

	if (txn->ret != WAGE_OK) {
		return (txn->ret);
	}
	mrc = mdb_get(txn->txn, txn->store->dbi[db], &k, out);
	if (mrc == MDB_NOTFOUND) {
		return (WAGE_E_NOT_FOUND);
	}
	return (stick(txn, store_map_err(mrc, db_names[db])));
}

int
store_put(struct store_txn *txn, enum store_db db, const void *key,
    size_t klen, const void *val, size_t vlen)
{
	MDB_val k = { klen, (void *) key };
	MDB_val v = { vlen, (void *) val };

	if (txn->ret != WAGE_OK) {
		return (txn->ret);
	}
	return (stick(txn,
	    store_map_err(mdb_put(txn->txn, txn->store->dbi[db], &k, &v, 0),
	        db_names[db])));
}

int
store_del(
    struct store_txn *txn, enum store_db db, const void *key, size_t klen)
{
	MDB_val k = { klen, (void *) key };
	int     mrc;

	if (txn->ret != WAGE_OK) {
		return (txn->ret);
	}
	mrc = mdb_del(txn->txn, txn->store->dbi[db], &k, NULL);
	if (mrc == MDB_NOTFOUND) {
		return (WAGE_OK);
	}
	return (stick(txn, store_map_err(mrc, db_names[db])));
}

size_t
store_db_count(struct store_txn *txn, enum store_db db)
{
	MDB_stat st;

	if (txn->ret != WAGE_OK ||
	    mdb_stat(txn->txn, txn->store->dbi[db], &st) != 0) {
		return (0);
	}
	return (st.ms_entries);
}

int
store_scan(struct store_txn *txn, enum store_db db, const void *prefix,
    size_t plen, const char *after, store_scan_fn cb, void *arg)
{
	MDB_cursor   *cur;
	MDB_val       k, v;
	int           mrc, rc = WAGE_OK;
	MDB_cursor_op op;

	if (txn->ret != WAGE_OK) {
		return (txn->ret);
	}
	if ((mrc = mdb_cursor_open(txn->txn, txn->store->dbi[db], &cur)) !=
	    0) {
		return (stick(txn, store_map_err(mrc, "store_scan: cursor")));
	}
	/* A cursor that sorts before the prefix starts at the prefix. */
	if (after != NULL && plen > 0 &&
	    (strlen(after) < plen ? memcmp(after, prefix, strlen(after)) <= 0
	                          : memcmp(after, prefix, plen) < 0)) {
		after = NULL;
	}
	if (after != NULL) {
		k.mv_data = (void *) after;
		k.mv_size = strlen(after);
		mrc       = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		if (mrc == 0 && k.mv_size == strlen(after) &&
		    memcmp(k.mv_data, after, k.mv_size) == 0) {
			mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
		}
	} else if (plen > 0) {
		k.mv_data = (void *) prefix;
		k.mv_size = plen;
		mrc       = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	} else {
		mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	}
	op = MDB_NEXT;
	while (mrc == 0) {
		if (plen > 0 &&
		    (k.mv_size < plen ||
		        memcmp(k.mv_data, prefix, plen) != 0)) {
			break;
		}
		rc = cb(arg, &k, &v);
		if (rc != 0) {
			break;
		}
		mrc = mdb_cursor_get(cur, &k, &v, op);
	}
	if (mrc != 0 && mrc != MDB_NOTFOUND) {
		rc = stick(txn, store_map_err(mrc, "store_scan"));
	}
	mdb_cursor_close(cur);
	return (rc == STORE_SCAN_STOP ? WAGE_OK : rc);
}

int
store_scan_from(struct store_txn *txn, enum store_db db, const void *start,
    size_t slen, store_scan_fn cb, void *arg)
{
	MDB_cursor *cur;
	MDB_val     k = { slen, (void *) start }, v;
	int         mrc, rc = WAGE_OK;

	if (txn->ret != WAGE_OK) {
		return (txn->ret);
	}
	if ((mrc = mdb_cursor_open(txn->txn, txn->store->dbi[db], &cur)) !=
	    0) {
		return (
		    stick(txn, store_map_err(mrc, "store_scan_from: cursor")));
	}
	mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	while (mrc == 0) {
		if ((rc = cb(arg, &k, &v)) != 0) {
			break;
		}
		mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	}
	if (mrc != 0 && mrc != MDB_NOTFOUND) {
		rc = stick(txn, store_map_err(mrc, "store_scan_from"));
	}
	mdb_cursor_close(cur);
	return (rc == STORE_SCAN_STOP ? WAGE_OK : rc);
}

int
store_meta_get(struct store_txn *txn, const char *name, MDB_val *out)
{
	return (store_get(txn, DB_META, name, strlen(name), out));
}

int
store_meta_put(
    struct store_txn *txn, const char *name, const void *val, size_t len)
{
	return (store_put(txn, DB_META, name, strlen(name), val, len));
}
