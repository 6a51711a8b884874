/* SPDX-License-Identifier: MIT */
/*
 * test_store.c - unit tests of server/store.c on a real LMDB environment
 * in a mkdtemp directory: reopen keeps data, case indexes, store_scan,
 * case ids, the group-commit writer (one failing job in a batch), and a
 * tiny map that fills up (WAGE_E_STORAGE_FULL) and recovers on reopen, a
 * full disk (ENOSPC) mapped the same way, and the directory kept 0700.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "caserec.h"
#include "store.h"

#include "support_tmp.h"

#define SEP        "\x1f"
#define MAP_NORMAL (16u * 1024 * 1024)

struct fx {
	char          base[64];
	char          db[96];
	struct store *s;
};

/* A job that puts key -> val into db, then fails when fail is set. */
struct kv_job {
	struct store_job job;
	enum store_db    db;
	const char      *key;
	const void      *val;
	size_t           vlen;
	int              count; /* put count values key.0 .. key.N-1 */
	int              fail;
	struct wctx     *ctx;
	int              gate; /* block in apply until ctx->open */
	char             tag;
	int              done_calls;
	int              done_rc;
};

/* Shared by writer jobs: an event log, a gate and a done counter. */
struct wctx {
	pthread_mutex_t mtx;
	pthread_cond_t  cv;
	int             open;
	int             ndone;
	char            log[128];
};

static void
fx_open(struct fx *fx, size_t mapsize)
{
	struct wage_error err;

	assert_int_equal(
	    store_open(&fx->s, fx->db, mapsize, 16, &err), WAGE_OK);
	assert_non_null(fx->s);
}

static void
fx_reopen(struct fx *fx, size_t mapsize)
{
	store_close(fx->s);
	fx->s = NULL;
	fx_open(fx, mapsize);
}

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL) {
		return (-1);
	}
	if (tsupport_tmpdir(fx->base, sizeof(fx->base), "test_store") != 0) {
		free(fx);
		return (-1);
	}
	snprintf(fx->db, sizeof(fx->db), "%s/db", fx->base);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	store_close(fx->s);
	tsupport_rmtree(fx->base);
	free(fx);
	return (0);
}

static void
ctx_log(struct wctx *c, char what, char tag)
{
	size_t n = strlen(c->log);

	snprintf(c->log + n, sizeof(c->log) - n, "%c%c ", what, tag);
}

static int
kv_apply(struct store_txn *txn, struct store_job *job)
{
	struct kv_job *j = (struct kv_job *) (void *) job;
	char           k[64];
	int            i, rc;

	if (j->ctx != NULL) {
		pthread_mutex_lock(&j->ctx->mtx);
		ctx_log(j->ctx, 'a', j->tag);
		pthread_cond_broadcast(&j->ctx->cv);
		while (j->gate && !j->ctx->open) {
			pthread_cond_wait(&j->ctx->cv, &j->ctx->mtx);
		}
		pthread_mutex_unlock(&j->ctx->mtx);
	}
	if (j->count == 0) {
		rc = store_put(
		    txn, j->db, j->key, strlen(j->key), j->val, j->vlen);
		if (rc != WAGE_OK) {
			return (rc);
		}
	}
	for (i = 0; i < j->count; i++) {
		snprintf(k, sizeof(k), "%s.%d", j->key, i);
		if ((rc = store_put(txn, j->db, k, strlen(k), j->val,
		         j->vlen)) != WAGE_OK) {
			return (rc);
		}
	}
	if (j->fail) {
		return (wage_err_set(&job->err, WAGE_E_INVALID_ARGUMENT,
		    "fail", "this job fails after writing"));
	}
	return (WAGE_OK);
}

static void
kv_done(struct store_job *job, int rc)
{
	struct kv_job *j = (struct kv_job *) (void *) job;

	pthread_mutex_lock(&j->ctx->mtx);
	j->done_calls++;
	j->done_rc = rc;
	ctx_log(j->ctx, 'd', j->tag);
	j->ctx->ndone++;
	pthread_cond_broadcast(&j->ctx->cv);
	pthread_mutex_unlock(&j->ctx->mtx);
}

static void
kv_init(struct kv_job *j, struct wctx *c, char tag, enum store_db db,
    const char *key, const char *val)
{
	memset(j, 0, sizeof(*j));
	j->job.apply = kv_apply;
	j->job.done  = kv_done;
	j->ctx       = c;
	j->tag       = tag;
	j->db        = db;
	j->key       = key;
	j->val       = val;
	j->vlen      = strlen(val);
}

static void
ctx_init(struct wctx *c)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->mtx, NULL);
	pthread_cond_init(&c->cv, NULL);
}

static void
ctx_fini(struct wctx *c)
{
	pthread_mutex_destroy(&c->mtx);
	pthread_cond_destroy(&c->cv);
}

/* hold submits gate job g and waits until the writer is inside it. */
static void
hold(struct store *s, struct wctx *c, struct kv_job *g)
{
	kv_init(g, c, 'G', DB_META, "kg", "gate");
	g->gate = 1;
	store_submit(s, &g->job);
	pthread_mutex_lock(&c->mtx);
	while (strstr(c->log, "aG") == NULL) {
		pthread_cond_wait(&c->cv, &c->mtx);
	}
	pthread_mutex_unlock(&c->mtx);
}

static void
release(struct wctx *c)
{
	pthread_mutex_lock(&c->mtx);
	c->open = 1;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mtx);
}

static void
ctx_wait_done(struct wctx *c, int n)
{
	pthread_mutex_lock(&c->mtx);
	while (c->ndone < n) {
		pthread_cond_wait(&c->cv, &c->mtx);
	}
	pthread_mutex_unlock(&c->mtx);
}

static void
put_now(struct store *s, enum store_db db, const char *key, const char *val)
{
	struct kv_job j;

	kv_init(&j, NULL, 'n', db, key, val);
	assert_int_equal(store_write_now(s, kv_apply, &j.job), WAGE_OK);
}

static int
has_key(struct store *s, enum store_db db, const char *key)
{
	struct store_txn *txn;
	MDB_val           v;
	int               rc;

	assert_int_equal(store_read_begin(s, &txn), WAGE_OK);
	rc = store_get(txn, db, key, strlen(key), &v);
	store_read_end(txn);
	assert_true(rc == WAGE_OK || rc == WAGE_E_NOT_FOUND);
	return (rc == WAGE_OK);
}

static size_t
count(struct store *s, enum store_db db)
{
	struct store_txn *txn;
	size_t            n;

	assert_int_equal(store_read_begin(s, &txn), WAGE_OK);
	n = store_db_count(txn, db);
	store_read_end(txn);
	return (n);
}

static void
assert_value(
    struct store *s, enum store_db db, const char *key, const char *want)
{
	struct store_txn *txn;
	MDB_val           v;

	assert_int_equal(store_read_begin(s, &txn), WAGE_OK);
	if (store_get(txn, db, key, strlen(key), &v) != WAGE_OK) {
		fail_msg("key %s missing", key);
	}
	assert_int_equal(v.mv_size, strlen(want));
	assert_memory_equal(v.mv_data, want, v.mv_size);
	store_read_end(txn);
}

/* ---- cases ---------------------------------------------------------- */

struct case_job {
	struct store_job job;
	json_t          *doc;
	json_t          *old;
};

static int
case_apply(struct store_txn *txn, struct store_job *job)
{
	struct case_job *j = (struct case_job *) (void *) job;

	return (caserec_save(txn, j->doc, j->old));
}

static json_t *
case_doc(const char *id, const char *state, const char *region,
    const char *filer, const char *rep, const char *credit)
{
	json_t *d = json_pack("{s:s, s:s, s:s, s:{s:s}, s:{s:s}, s:i}", "id",
	    id, "state", state, "region", region, "filed_by", "org", filer,
	    "respondent", "credit_code", credit, "revision", 1);

	assert_non_null(d);
	if (rep != NULL) {
		json_object_set_new(d, "representative",
		    json_pack(
		        "{s:s, s:s}", "kind", "union", "organisation", rep));
	}
	return (d);
}

static void
case_put(struct store *s, json_t *doc, json_t *old)
{
	struct case_job j;

	memset(&j, 0, sizeof(j));
	j.doc = doc;
	j.old = old;
	assert_int_equal(store_write_now(s, case_apply, &j.job), WAGE_OK);
}

static const char *
k2(char *buf, const char *a, const char *b)
{
	snprintf(buf, 256, "%s" SEP "%s", a, b);
	return (buf);
}

static const char *
k3(char *buf, const char *a, const char *b, const char *c)
{
	snprintf(buf, 256, "%s" SEP "%s" SEP "%s", a, b, c);
	return (buf);
}

static void
test_store_reopen_keeps_data(void **state)
{
	struct fx        *fx = *state;
	json_t           *doc, *got;
	struct store_txn *txn;

	fx_open(fx, MAP_NORMAL);
	put_now(fx->s, DB_META, "greeting", "你好");
	doc = case_doc("WA2026-000001", "intake", "370102", "仲裁院", NULL,
	    "91370100MA3C5XXQ0X");
	case_put(fx->s, doc, NULL);
	fx_reopen(fx, MAP_NORMAL);
	assert_value(fx->s, DB_META, "greeting", "你好");
	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	assert_int_equal(caserec_get(txn, "WA2026-000001", 0, &got), WAGE_OK);
	assert_true(json_equal(got, doc));
	json_decref(got);
	assert_int_equal(
	    caserec_get(txn, "WA2026-000002", 1, &got), WAGE_E_NOT_FOUND);
	assert_null(got);
	store_read_end(txn);
	assert_int_equal(count(fx->s, DB_BY_REGION), 1);
	json_decref(doc);
}

static void
test_store_case_put_builds_indexes(void **state)
{
	struct fx *fx = *state;
	char       k[256];
	json_t    *a, *b;

	fx_open(fx, MAP_NORMAL);
	a = case_doc("WA2026-000001", "intake", "370102", "Jinan office",
	    "Union A", "91370100MA3C5XXQ0X");
	b = case_doc("WA2026-000002", "intake", "370103", "Jinan office",
	    "Jinan office", "CREDITB");
	case_put(fx->s, a, NULL);
	case_put(fx->s, b, NULL);

	assert_true(
	    has_key(fx->s, DB_BY_REGION, k2(k, "370102", "WA2026-000001")));
	assert_true(
	    has_key(fx->s, DB_BY_REGION, k2(k, "370103", "WA2026-000002")));
	assert_true(has_key(
	    fx->s, DB_BY_STATE, k3(k, "intake", "370102", "WA2026-000001")));
	assert_true(
	    has_key(fx->s, DB_BY_ORG, k2(k, "Jinan office", "WA2026-000001")));
	assert_true(
	    has_key(fx->s, DB_BY_ORG, k2(k, "Union A", "WA2026-000001")));
	assert_true(
	    has_key(fx->s, DB_BY_ORG, k2(k, "Jinan office", "WA2026-000002")));
	assert_true(has_key(fx->s, DB_BY_CREDIT,
	    k2(k, "91370100MA3C5XXQ0X", "WA2026-000001")));
	assert_true(
	    has_key(fx->s, DB_BY_CREDIT, k2(k, "CREDITB", "WA2026-000002")));
	/* Exactly these, no more: filer == representative counts once. */
	assert_int_equal(count(fx->s, DB_CASES), 2);
	assert_int_equal(count(fx->s, DB_BY_REGION), 2);
	assert_int_equal(count(fx->s, DB_BY_STATE), 2);
	assert_int_equal(count(fx->s, DB_BY_ORG), 3);
	assert_int_equal(count(fx->s, DB_BY_CREDIT), 2);
	json_decref(a);
	json_decref(b);
}

static void
test_store_case_put_moves_index_entries(void **state)
{
	struct fx *fx = *state;
	char       k[256];
	json_t    *old, *doc;

	fx_open(fx, MAP_NORMAL);
	old = case_doc("WA2026-000007", "intake", "370102", "Office",
	    "Union A", "CREDITA");
	case_put(fx->s, old, NULL);
	doc = json_deep_copy(old);
	json_object_set_new(doc, "state", json_string("mediation"));
	json_object_set_new(doc, "revision", json_integer(2));
	json_object_set_new(json_object_get(doc, "representative"),
	    "organisation", json_string("Legal Aid B"));
	case_put(fx->s, doc, old);

	assert_false(has_key(
	    fx->s, DB_BY_STATE, k3(k, "intake", "370102", "WA2026-000007")));
	assert_true(has_key(fx->s, DB_BY_STATE,
	    k3(k, "mediation", "370102", "WA2026-000007")));
	assert_false(
	    has_key(fx->s, DB_BY_ORG, k2(k, "Union A", "WA2026-000007")));
	assert_true(
	    has_key(fx->s, DB_BY_ORG, k2(k, "Legal Aid B", "WA2026-000007")));
	assert_true(
	    has_key(fx->s, DB_BY_ORG, k2(k, "Office", "WA2026-000007")));
	assert_int_equal(count(fx->s, DB_BY_STATE), 1);
	assert_int_equal(count(fx->s, DB_BY_ORG), 2);
	assert_int_equal(count(fx->s, DB_BY_REGION), 1);
	assert_int_equal(count(fx->s, DB_BY_CREDIT), 1);
	json_decref(old);
	json_decref(doc);
}

/* ---- scan ----------------------------------------------------------- */

struct scan_out {
	char seen[256];
	int  n;
	int  stop_after; /* return this code after stop_after keys */
	int  stop_code;
};

static int
scan_cb(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct scan_out *o = arg;
	size_t           n = strlen(o->seen);

	(void) v;
	snprintf(o->seen + n, sizeof(o->seen) - n, "%s%.*s", n ? "," : "",
	    (int) k->mv_size, (const char *) k->mv_data);
	/* Make the separator printable for the comparisons. */
	for (; o->seen[n] != '\0'; n++) {
		if (o->seen[n] == SEP[0]) {
			o->seen[n] = '|';
		}
	}
	o->n++;
	return (
	    o->stop_after != 0 && o->n >= o->stop_after ? o->stop_code : 0);
}

static void
scan(struct store *s, const char *prefix, const char *after, int stop_after,
    int stop_code, int want_rc, const char *want)
{
	struct scan_out   o;
	struct store_txn *txn;
	char              a[64];

	memset(&o, 0, sizeof(o));
	o.stop_after = stop_after;
	o.stop_code  = stop_code;
	if (after != NULL) {
		/* '|' in test strings stands for the separator. */
		snprintf(a, sizeof(a), "%s", after);
		for (char *p = a; *p != '\0'; p++) {
			*p = *p == '|' ? SEP[0] : *p;
		}
	}
	assert_int_equal(store_read_begin(s, &txn), WAGE_OK);
	assert_int_equal(store_scan(txn, DB_BY_REGION, prefix,
	                     prefix != NULL ? strlen(prefix) : 0,
	                     after != NULL ? a : NULL, scan_cb, &o),
	    want_rc);
	store_read_end(txn);
	assert_string_equal(o.seen, want);
}

static void
test_store_scan_prefix_and_after(void **state)
{
	struct fx  *fx     = *state;
	const char *keys[] = { "3700" SEP "Z", "3701" SEP "A", "3701" SEP "B",
		"3701" SEP "C", "370101" SEP "D", "3702" SEP "A" };
	size_t      i;

	fx_open(fx, MAP_NORMAL);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		put_now(fx->s, DB_BY_REGION, keys[i], "");
	}
	scan(fx->s, "", NULL, 0, 0, WAGE_OK,
	    "3700|Z,3701|A,3701|B,3701|C,370101|D,3702|A");
	scan(fx->s, "3701" SEP, NULL, 0, 0, WAGE_OK, "3701|A,3701|B,3701|C");
	scan(fx->s, "3701", NULL, 0, 0, WAGE_OK,
	    "3701|A,3701|B,3701|C,370101|D");
	scan(fx->s, "3799", NULL, 0, 0, WAGE_OK, "");
	scan(fx->s, "9", NULL, 0, 0, WAGE_OK, "");
	/* after: strictly after that key, whether or not it exists. */
	scan(fx->s, "3701" SEP, "3701|A", 0, 0, WAGE_OK, "3701|B,3701|C");
	scan(fx->s, "3701" SEP, "3701|AA", 0, 0, WAGE_OK, "3701|B,3701|C");
	scan(fx->s, "3701" SEP, "3701|C", 0, 0, WAGE_OK, "");
	scan(fx->s, "", "3701|C", 0, 0, WAGE_OK, "370101|D,3702|A");
	/* The callback stops the walk (1) or fails it (an error code). */
	scan(fx->s, "3701" SEP, NULL, 2, STORE_SCAN_STOP, WAGE_OK,
	    "3701|A,3701|B");
	scan(fx->s, "3701" SEP, NULL, 1, WAGE_E_INTERNAL, WAGE_E_INTERNAL,
	    "3701|A");
}

static void
test_store_scan_after_before_prefix(void **state)
{
	struct fx *fx = *state;

	/*
	 * Every key with the prefix comes after an `after` that sorts
	 * before the prefix, so all of them must be walked, even when
	 * another key lies between `after` and the prefix.
	 */
	fx_open(fx, MAP_NORMAL);
	put_now(fx->s, DB_BY_REGION, "3700" SEP "Z", "");
	put_now(fx->s, DB_BY_REGION, "3701" SEP "A", "");
	put_now(fx->s, DB_BY_REGION, "3701" SEP "B", "");
	scan(fx->s, "3701" SEP, "3700", 0, 0, WAGE_OK, "3701|A,3701|B");
}

static void
test_store_case_new_id_per_year_survives_reopen(void **state)
{
	struct fx       *fx = *state;
	struct store_txn t, *txn = &t;
	char             id[WAGE_CASE_ID_MAX];

	fx_open(fx, MAP_NORMAL);
	t.store = fx->s;
	t.ret   = WAGE_OK;
	assert_int_equal(mdb_txn_begin(store_env(fx->s), NULL, 0, &t.txn), 0);
	assert_int_equal(caserec_new_id(txn, 2025, id, sizeof(id)), WAGE_OK);
	assert_string_equal(id, "WA2025-000001");
	assert_int_equal(caserec_new_id(txn, 2025, id, sizeof(id)), WAGE_OK);
	assert_string_equal(id, "WA2025-000002");
	assert_int_equal(caserec_new_id(txn, 2026, id, sizeof(id)), WAGE_OK);
	assert_string_equal(id, "WA2026-000001");
	assert_int_equal(mdb_txn_commit(t.txn), 0);

	/* An aborted allocation hands the number out again. */
	assert_int_equal(mdb_txn_begin(store_env(fx->s), NULL, 0, &t.txn), 0);
	assert_int_equal(caserec_new_id(txn, 2025, id, sizeof(id)), WAGE_OK);
	assert_string_equal(id, "WA2025-000003");
	mdb_txn_abort(t.txn);

	fx_reopen(fx, MAP_NORMAL);
	t.store = fx->s;
	assert_int_equal(mdb_txn_begin(store_env(fx->s), NULL, 0, &t.txn), 0);
	assert_int_equal(caserec_new_id(txn, 2025, id, sizeof(id)), WAGE_OK);
	assert_string_equal(id, "WA2025-000003");
	assert_int_equal(caserec_new_id(txn, 2026, id, sizeof(id)), WAGE_OK);
	assert_string_equal(id, "WA2026-000002");
	assert_int_equal(mdb_txn_commit(t.txn), 0);
}

/*
 * The holding job G's done runs on the replier thread, so it may come
 * before or while the writer applies the next batch; it must come before
 * any later done. log without "dG " must be want.
 */
static void
assert_log_after_hold(const char *log, const char *want)
{
	char        rest[128];
	const char *dg = strstr(log, "dG "), *t = log;

	assert_non_null(dg);
	while (*t == 'a') { /* tokens are 3 bytes: "aX " or "dX " */
		t += 3;
	}
	assert_ptr_equal(t, dg); /* the first done is G's */
	snprintf(rest, sizeof(rest), "%.*s%s", (int) (dg - log), log, dg + 3);
	assert_string_equal(rest, want);
}

/* ---- writer --------------------------------------------------------- */

static void
test_store_writer_batch_isolates_failing_job(void **state)
{
	struct fx    *fx = *state;
	struct wctx   c;
	struct kv_job g, a, b, d;

	fx_open(fx, MAP_NORMAL);
	put_now(fx->s, DB_META, "kb", "before");
	ctx_init(&c);
	kv_init(&a, &c, 'A', DB_META, "ka", "alpha");
	kv_init(&b, &c, 'B', DB_META, "kb", "beta"); /* overwrites, fails */
	b.fail = 1;
	kv_init(&d, &c, 'D', DB_META, "kd", "delta");
	assert_int_equal(store_writer_start(fx->s), WAGE_OK);

	/* Hold the writer inside G, so A, B and D queue as one batch. */
	hold(fx->s, &c, &g);
	store_submit(fx->s, &a.job);
	store_submit(fx->s, &b.job);
	store_submit(fx->s, &d.job);
	release(&c);
	ctx_wait_done(&c, 4);

	/* In order; every apply of the batch before any done (one commit).
	 * B fails, so the batch is aborted and applied again with each job
	 * in a child txn: A and B twice, D once. */
	assert_log_after_hold(c.log, "aG aA aB aA aB aD dA dB dD ");
	assert_int_equal(g.done_calls, 1);
	assert_int_equal(a.done_calls, 1);
	assert_int_equal(b.done_calls, 1);
	assert_int_equal(d.done_calls, 1);
	assert_int_equal(g.done_rc, WAGE_OK);
	assert_int_equal(a.done_rc, WAGE_OK);
	assert_int_equal(b.done_rc, WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(b.job.err.field, "fail");
	assert_int_equal(d.done_rc, WAGE_OK);

	assert_value(fx->s, DB_META, "ka", "alpha");
	assert_value(fx->s, DB_META, "kb", "before"); /* B changed nothing */
	assert_value(fx->s, DB_META, "kd", "delta");
	assert_value(fx->s, DB_META, "kg", "gate");

	/* Durable: still there after close and reopen. */
	fx_reopen(fx, MAP_NORMAL);
	assert_value(fx->s, DB_META, "ka", "alpha");
	assert_value(fx->s, DB_META, "kb", "before");
	assert_value(fx->s, DB_META, "kd", "delta");
	ctx_fini(&c);
}

static void
test_store_close_finishes_queued_jobs(void **state)
{
	struct fx    *fx = *state;
	struct wctx   c;
	struct kv_job j[8];
	char          keys[8][16];
	int           i;

	fx_open(fx, MAP_NORMAL);
	ctx_init(&c);
	assert_int_equal(store_writer_start(fx->s), WAGE_OK);
	for (i = 0; i < 8; i++) {
		snprintf(keys[i], sizeof(keys[i]), "q%d", i);
		kv_init(&j[i], &c, (char) ('0' + i), DB_META, keys[i], "v");
		store_submit(fx->s, &j[i].job);
	}
	store_close(fx->s);
	fx->s = NULL;
	for (i = 0; i < 8; i++) {
		assert_int_equal(j[i].done_calls, 1);
		assert_int_equal(j[i].done_rc, WAGE_OK);
	}
	fx_open(fx, MAP_NORMAL);
	for (i = 0; i < 8; i++) {
		assert_value(fx->s, DB_META, keys[i], "v");
	}
	ctx_fini(&c);
}

#define TINY_MAP  (64u * 1024)
#define BIG_VALUE (16u * 1024)

/* big_init: ~1 MB in 64 values, far beyond a 64 KiB map. */
static void
big_init(struct kv_job *j, struct wctx *c, const char *val)
{
	kv_init(j, c, 'B', DB_POLICIES, "big", "");
	j->val   = val;
	j->vlen  = BIG_VALUE;
	j->count = 64;
}

/* After a write fails for want of room, every later call on the same
 * handle answers that failure without touching LMDB, and store_write_now
 * aborts the txn even when the apply function ignored the failure. */
struct sticky {
	struct store_job job;
	char            *val;
	int              put_rc, get_rc, put2_rc, scan_rc;
};

static int
sticky_cb(void *arg, const MDB_val *k, const MDB_val *v)
{
	(void) arg;
	(void) k;
	(void) v;
	return (0);
}

static int
sticky_apply(struct store_txn *txn, struct store_job *job)
{
	struct sticky *st = (struct sticky *) (void *) job;
	MDB_val        v;
	int            i;

	/* Fill the tiny map until a put fails. */
	for (i = 0; i < 64; i++) {
		char key[16];

		snprintf(key, sizeof(key), "big%02d", i);
		st->put_rc = store_put(
		    txn, DB_POLICIES, key, strlen(key), st->val, BIG_VALUE);
		if (st->put_rc != WAGE_OK) {
			break;
		}
	}
	st->get_rc  = store_get(txn, DB_META, "early", 5, &v);
	st->put2_rc = store_put(txn, DB_META, "tiny", 4, "x", 1);
	st->scan_rc = store_scan(txn, DB_META, NULL, 0, NULL, sticky_cb, NULL);
	return (WAGE_OK); /* ignores the failure: the handle does not */
}

static void
test_store_txn_error_sticks(void **state)
{
	struct fx    *fx = *state;
	struct sticky st;

	memset(&st, 0, sizeof(st));
	st.val = malloc(BIG_VALUE);
	assert_non_null(st.val);
	memset(st.val, 'x', BIG_VALUE);
	fx_open(fx, TINY_MAP);
	put_now(fx->s, DB_META, "early", "kept");
	assert_int_equal(store_write_now(fx->s, sticky_apply, &st.job),
	    WAGE_E_STORAGE_FULL);
	assert_int_equal(st.put_rc, WAGE_E_STORAGE_FULL);
	assert_int_equal(st.get_rc, WAGE_E_STORAGE_FULL);
	assert_int_equal(st.put2_rc, WAGE_E_STORAGE_FULL);
	assert_int_equal(st.scan_rc, WAGE_E_STORAGE_FULL);
	/* Nothing of it was kept; what was there is. */
	assert_false(has_key(fx->s, DB_META, "tiny"));
	assert_int_equal(count(fx->s, DB_POLICIES), 0);
	assert_value(fx->s, DB_META, "early", "kept");
	free(st.val);
}

static void
test_store_map_full_is_storage_full(void **state)
{
	struct fx    *fx = *state;
	struct wctx   c;
	struct kv_job g, big, small, after, big2;
	char         *val;

	val = malloc(BIG_VALUE);
	assert_non_null(val);
	memset(val, 'x', BIG_VALUE);
	fx_open(fx, TINY_MAP);
	put_now(fx->s, DB_META, "early", "kept");
	ctx_init(&c);
	assert_int_equal(store_writer_start(fx->s), WAGE_OK);

	/* The big write and a small one in the same batch. */
	hold(fx->s, &c, &g);
	big_init(&big, &c, val);
	store_submit(fx->s, &big.job);
	kv_init(&small, &c, 'S', DB_META, "small", "ok");
	store_submit(fx->s, &small.job);
	release(&c);
	ctx_wait_done(&c, 3);
	/* B runs out of room: the batch is applied again, isolated. */
	assert_log_after_hold(c.log, "aG aB aB aS dB dS ");
	assert_int_equal(big.done_calls, 1);
	assert_int_equal(big.done_rc, WAGE_E_STORAGE_FULL);
	assert_int_equal(count(fx->s, DB_POLICIES), 0);
	assert_value(fx->s, DB_META, "early", "kept");
	/* The small job of the same batch is committed all the same. */
	assert_int_equal(small.done_calls, 1);
	assert_int_equal(small.done_rc, WAGE_OK);
	assert_value(fx->s, DB_META, "small", "ok");

	/* A bigger map: the same write now fits; nothing was lost. */
	fx_reopen(fx, MAP_NORMAL);
	assert_value(fx->s, DB_META, "early", "kept");
	assert_value(fx->s, DB_META, "small", "ok");
	assert_int_equal(store_writer_start(fx->s), WAGE_OK);
	big_init(&big2, &c, val);
	store_submit(fx->s, &big2.job);
	kv_init(&after, &c, 'a', DB_META, "after", "yes");
	store_submit(fx->s, &after.job);
	ctx_wait_done(&c, 5);
	assert_int_equal(big2.done_rc, WAGE_OK);
	assert_int_equal(after.done_rc, WAGE_OK);
	assert_int_equal(count(fx->s, DB_POLICIES), 64);
	assert_value(fx->s, DB_META, "after", "yes");
	ctx_fini(&c);
	free(val);
}

/* A full disk or quota is the operator's to fix: STORAGE_FULL, like a full
 * map, never INTERNAL. */
static void
test_store_disk_full_is_storage_full(void **state)
{
	(void) state;
	assert_int_equal(store_map_err(ENOSPC, "test"), WAGE_E_STORAGE_FULL);
	assert_int_equal(store_map_err(EDQUOT, "test"), WAGE_E_STORAGE_FULL);
	assert_int_equal(
	    store_map_err(MDB_MAP_FULL, "test"), WAGE_E_STORAGE_FULL);
	assert_int_equal(store_map_err(EIO, "test"), WAGE_E_INTERNAL);
}

static unsigned
dir_mode(const char *dir)
{
	struct stat st;

	assert_int_equal(stat(dir, &st), 0);
	return ((unsigned) (st.st_mode & 0777));
}

/* A new database directory is 0700; an existing one open to group or
 * others is narrowed to 0700 at open. */
static void
test_store_dir_is_private(void **state)
{
	struct fx *fx = *state;

	fx_open(fx, MAP_NORMAL);
	assert_int_equal(dir_mode(fx->db), 0700);
	store_close(fx->s);
	fx->s = NULL;
	assert_int_equal(chmod(fx->db, 0755), 0);
	fx_open(fx, MAP_NORMAL);
	assert_int_equal(dir_mode(fx->db), 0700);
	store_close(fx->s);
	fx->s = NULL;
	assert_int_equal(chmod(fx->db, 0770), 0);
	fx_open(fx, MAP_NORMAL);
	assert_int_equal(dir_mode(fx->db), 0700);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_store_reopen_keeps_data),
		T(test_store_txn_error_sticks),
		T(test_store_case_put_builds_indexes),
		T(test_store_case_put_moves_index_entries),
		T(test_store_scan_prefix_and_after),
		T(test_store_scan_after_before_prefix),
		T(test_store_case_new_id_per_year_survives_reopen),
		T(test_store_writer_batch_isolates_failing_job),
		T(test_store_close_finishes_queued_jobs),
		T(test_store_map_full_is_storage_full),
		T(test_store_disk_full_is_storage_full),
		T(test_store_dir_is_private),
	};

	return (cmocka_run_group_tests_name("store", tests, NULL, NULL));
}
