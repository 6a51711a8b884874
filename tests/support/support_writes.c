/* SPDX-License-Identifier: MIT */
/*
 * support_writes.c - what the write path's tests share on top of the ops
 * fixture (support_writes.h).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif

#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit.h"
#include "auth.h"
#include "casecache.h"
#include "caserec.h"
#include "caseview.h"
#include "ops_int.h"

#include "support_json.h"
#include "support_ops.h"
#include "support_writes.h"

#define REGION "370102" /* of tsupport_filing's case */

/* ---- the group -------------------------------------------------------- */

const struct tsupport_cert tsupport_writes_certs[TSUPPORT_WRITES_NCERTS] = {
	{ "clerk", "clerk", "370100" },
	{ "auditor", "auditor", "370100" },
};

const struct tsupport_opsopt tsupport_writes_cache64 = { 64, 1 },
                             tsupport_writes_cache0  = { 0, 1 };

/* ---- requests ------------------------------------------------------- */

json_t *
tsupport_supplement(int i)
{
	char what[64];

	snprintf(what, sizeof(what), "工资欠条复印件 第%d份", i + 1);
	return (json_pack("{s:s}", "materials", what));
}

void
tsupport_file_case(struct tsupport_opsfx *fx, char *id, json_int_t *seq)
{
	json_t *res = tsupport_ok(tsupport_call(
	    fx, "case.file", fx->clerk, tsupport_filing(REGION)));

	assert_non_null(tsupport_jstr(res, "id"));
	snprintf(id, WAGE_CASE_ID_MAX, "%s", tsupport_jstr(res, "id"));
	assert_int_equal(tsupport_jnum(res, "revision"), 1);
	if (seq != NULL) {
		*seq = tsupport_jnum(res, "audit_seq");
	}
}

json_t *
tsupport_get_view(struct tsupport_opsfx *fx, const char *token, const char *id)
{
	return (tsupport_ok(tsupport_call(
	    fx, "case.get", token, json_pack("{s:s}", "id", id))));
}

const char *
tsupport_step_materials(const json_t *view, size_t i)
{
	const json_t *step = json_array_get(json_object_get(view, "steps"), i);

	return (tsupport_jstr(json_object_get(step, "fields"), "materials"));
}

/* ---- what is stored ------------------------------------------------- */

void
tsupport_stored_fini(struct tsupport_stored *st)
{
	free(st->head);
	json_decref(st->doc);
	json_decref(st->steps);
	memset(st, 0, sizeof(*st));
}

struct step_scan {
	const char *id;
	json_t     *out;
	char        why[160];
};

static int
step_cb(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct step_scan *ss  = arg;
	const char       *key = k->mv_data;
	size_t            n   = strlen(ss->id), i;
	char              hex[17];
	json_t           *step;

	/* id SEP 16 lower-case hex digits */
	if (k->mv_size != n + 17 || key[n] != CASEREC_SEP[0]) {
		snprintf(ss->why, sizeof(ss->why), "a step key of length %zu",
		    k->mv_size);
		return (STORE_SCAN_STOP);
	}
	for (i = 0; i < 16; i++) {
		hex[i] = key[n + 1 + i];
		if (strchr("0123456789abcdef", hex[i]) == NULL) {
			snprintf(
			    ss->why, sizeof(ss->why), "a step key not in hex");
			return (STORE_SCAN_STOP);
		}
	}
	hex[16] = '\0';
	step    = json_loadb(v->mv_data, v->mv_size, 0, NULL);
	if (!json_is_object(step)) {
		snprintf(ss->why, sizeof(ss->why), "a step record %.*s",
		    (int) v->mv_size, (const char *) v->mv_data);
		json_decref(step);
		return (STORE_SCAN_STOP);
	}
	json_array_append_new(ss->out,
	    json_pack("{s:I, s:s%, s:s%, s:o}", "seq",
	        (json_int_t) strtoull(hex, NULL, 16), "key", key, k->mv_size,
	        "text", (const char *) v->mv_data, v->mv_size, "step", step));
	return (0);
}

void
tsupport_read_stored(
    struct tsupport_opsfx *fx, const char *id, struct tsupport_stored *st)
{
	struct step_scan  ss;
	struct store_txn *txn;
	MDB_val           v;
	json_t           *body, *s;
	char              prefix[64];
	size_t            i;

	memset(st, 0, sizeof(*st));
	memset(&ss, 0, sizeof(ss));
	assert_int_equal(store_read_begin(fx->srv.store, &txn), WAGE_OK);
	assert_int_equal(caserec_head(txn, id, &v), WAGE_OK);
	st->head = malloc(v.mv_size);
	assert_non_null(st->head);
	memcpy(st->head, v.mv_data, v.mv_size);
	st->headlen = v.mv_size;
	ss.id       = id;
	ss.out      = json_array();
	snprintf(prefix, sizeof(prefix), "%s" CASEREC_SEP, id);
	assert_int_equal(store_scan(txn, DB_STEPS, prefix, strlen(prefix),
	                     NULL, step_cb, &ss),
	    WAGE_OK);
	store_read_end(txn);
	st->steps = ss.out;
	if (ss.why[0] != '\0') {
		fail_msg("case %s: %s", id, ss.why);
	}
	assert_int_equal(
	    caserec_head_revision(st->head, st->headlen, &st->rev), WAGE_OK);
	assert_int_equal(
	    caserec_decode(id, st->head, st->headlen, &st->doc, NULL),
	    WAGE_OK);
	assert_string_equal(tsupport_jstr(st->doc, "id"), id);
	assert_int_equal(
	    tsupport_jnum(st->doc, "revision"), (json_int_t) st->rev);
	body = json_loadb(
	    st->head + CASEREC_HDR, st->headlen - CASEREC_HDR, 0, NULL);
	assert_non_null(body);
	assert_null(json_object_get(body, "id"));
	assert_null(json_object_get(body, "revision"));
	assert_null(json_object_get(body, "steps"));
	json_decref(body);
	json_array_foreach (st->steps, i, s) {
		assert_null(
		    json_object_get(json_object_get(s, "step"), "seq"));
	}
}

json_t *
tsupport_step_texts(struct tsupport_opsfx *fx, const char *id)
{
	struct tsupport_stored st;
	json_t                *out = json_object(), *s;
	size_t                 i;

	tsupport_read_stored(fx, id, &st);
	json_array_foreach (st.steps, i, s) {
		json_object_set(
		    out, tsupport_jstr(s, "key"), json_object_get(s, "text"));
	}
	tsupport_stored_fini(&st);
	return (out);
}

void
tsupport_steps_kept(struct tsupport_opsfx *fx, const char *id, json_t **was)
{
	json_t     *now = tsupport_step_texts(fx, id), *t;
	const char *key;

	json_object_foreach (*was, key, t) {
		if (!json_equal(t, json_object_get(now, key))) {
			fail_msg("case %s: step record %s was %s, now %s", id,
			    key + strlen(id) + 1, json_string_value(t),
			    tsupport_jstr(now, key) != NULL
			        ? tsupport_jstr(now, key)
			        : "gone");
		}
	}
	json_decref(*was);
	*was = now;
}

void
tsupport_cache_is_stored(struct tsupport_opsfx *fx, const char *id, int hit)
{
	struct tsupport_stored st;
	unsigned long          h0, h1, a0, a1;
	json_t                *got;
	char                  *gs, *ws;

	tsupport_read_stored(fx, id, &st);
	casecache_stats(fx->srv.cases, &h0, &a0);
	got = casecache_get(fx->srv.cases, id, st.rev, st.head, st.headlen);
	casecache_stats(fx->srv.cases, &h1, &a1);
	assert_non_null(got);
	if (!json_equal(got, st.doc)) {
		gs = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
		ws = json_dumps(st.doc, JSON_COMPACT | JSON_SORT_KEYS);
		fail_msg("case %s rev %" PRIu64 ": the cache has\n%s\nstored "
		         "is\n%s",
		    id, st.rev, gs, ws);
	}
	if (hit && fx->srv.cases != NULL) {
		assert_int_equal(h1, h0 + 1);
	}
	json_decref(got);
	tsupport_stored_fini(&st);
}

/* One index entry's value (the summary), decoded; new reference. */
static json_t *
index_summary(struct store_txn *txn, enum store_db db, const char *key)
{
	MDB_val v;
	json_t *sum;

	if (store_get(txn, db, key, strlen(key), &v) != WAGE_OK) {
		fail_msg("no index entry %d %s", (int) db, key);
	}
	sum = json_loadb(v.mv_data, v.mv_size, 0, NULL);
	assert_non_null(sum);
	return (sum);
}

void
tsupport_check_stored(struct tsupport_opsfx *fx, const char *id,
    json_int_t rev, const char *state, const json_int_t *seqs, size_t nseqs)
{
	struct tsupport_stored st;
	json_t                *sum, *want, *report;
	char                   keys[3][256], problem[256];
	enum store_db     dbs[3] = { DB_BY_REGION, DB_BY_STATE, DB_BY_ORG };
	struct store_txn *txn;
	size_t            i;
	int               bad = -1;

	tsupport_read_stored(fx, id, &st);
	assert_int_equal((json_int_t) st.rev, rev);
	assert_string_equal(tsupport_jstr(st.doc, "state"), state);
	assert_null(memmem(st.head, st.headlen, tsupport_ops_g.id1,
	    strlen(tsupport_ops_g.id1)));
	if (json_array_size(st.steps) != nseqs) {
		char *s = json_dumps(st.steps, 0);

		fail_msg("case %s: %zu step records, want %zu: %s", id,
		    json_array_size(st.steps), nseqs, s);
	}
	for (i = 0; i < nseqs; i++) {
		assert_int_equal(
		    tsupport_jnum(json_array_get(st.steps, i), "seq"),
		    seqs[i]);
	}
	tsupport_cache_is_stored(fx, id, 0);

	/* The entries a listing reads: the summary of this head. */
	want = caserec_summary(st.doc);
	snprintf(keys[0], sizeof(keys[0]), "%s" CASEREC_SEP "%s", REGION, id);
	snprintf(keys[1], sizeof(keys[1]),
	    "%s" CASEREC_SEP "%s" CASEREC_SEP "%s", state, REGION, id);
	snprintf(keys[2], sizeof(keys[2]), "%s" CASEREC_SEP "%s",
	    TSUPPORT_OFFICE, id);
	assert_int_equal(store_read_begin(fx->srv.store, &txn), WAGE_OK);
	for (i = 0; i < 3; i++) {
		sum = index_summary(txn, dbs[i], keys[i]);
		assert_null(json_object_get(sum, "id"));
		assert_int_equal(tsupport_jnum(sum, "revision"), rev);
		assert_string_equal(tsupport_jstr(sum, "state"), state);
		assert_true(json_equal(sum, want));
		json_decref(sum);
	}
	assert_int_equal(
	    caserec_check(txn, &bad, problem, sizeof(problem)), WAGE_OK);
	if (bad != 0) {
		fail_msg("caserec_check: %s", problem);
	}
	assert_int_equal(audit_verify(txn, NULL, &report), WAGE_OK);
	store_read_end(txn);
	if (!json_is_true(json_object_get(report, "valid"))) {
		char *s = json_dumps(report, 0);

		fail_msg("audit chain: %s", s);
	}
	json_decref(report);
	json_decref(want);
	tsupport_stored_fini(&st);
}

/*
 * The view of case id for token built here from what is stored: the
 * decoded head through caseview_build, with the step records, each with
 * its seq from the key, as "steps" (new).
 */
static json_t *
view_of_stored(struct tsupport_opsfx *fx, const char *token, const char *id)
{
	const struct policy   *p;
	struct wage_error      err;
	struct tsupport_stored st;
	struct actor           a;
	struct store_txn      *txn;
	json_t                *view, *steps, *s, *step;
	size_t                 i;

	assert_int_equal(
	    auth_check(fx->srv.auth, AUTH_CONN_LOCAL, token, &a, &err),
	    WAGE_OK);
	tsupport_read_stored(fx, id, &st);
	assert_int_equal(store_read_begin(fx->srv.store, &txn), WAGE_OK);
	p = ops_policy_for(&fx->srv, txn, tsupport_jstr(st.doc, "policy"));
	store_read_end(txn);
	assert_non_null(p);
	view = caseview_build(&fx->srv, p, &a, st.doc);
	assert_non_null(view);
	steps = json_array();
	json_array_foreach (st.steps, i, s) {
		step = json_pack("{s:I}", "seq", tsupport_jnum(s, "seq"));
		json_object_update(step, json_object_get(s, "step"));
		json_array_append_new(steps, step);
	}
	json_object_set_new(view, "steps", steps);
	tsupport_stored_fini(&st);
	return (view);
}

void
tsupport_check_get(struct tsupport_opsfx *fx, const char *id, json_int_t rev,
    const char *state, size_t nsteps)
{
	const char *tokens[2] = { fx->clerk, fx->auditor };
	json_t     *res, *c0, *want;
	int         i;

	for (i = 0; i < 2; i++) {
		res = tsupport_get_view(fx, tokens[i], id);
		assert_string_equal(tsupport_jstr(res, "id"), id);
		assert_int_equal(tsupport_jnum(res, "revision"), rev);
		assert_string_equal(tsupport_jstr(res, "state"), state);
		assert_int_equal(
		    json_array_size(json_object_get(res, "steps")), nsteps);
		c0 = json_array_get(json_object_get(res, "claimants"), 0);
		assert_null(json_object_get(c0, "id_sealed"));
		assert_null(json_object_get(c0, "id_hint"));
		if (i == 0) {
			assert_string_equal(tsupport_jstr(c0, "id_number"),
			    tsupport_ops_g.id1);
		} else {
			assert_string_not_equal(tsupport_jstr(c0, "id_number"),
			    tsupport_ops_g.id1);
			assert_non_null(
			    strstr(tsupport_jstr(c0, "id_number"), "****"));
		}
		want = view_of_stored(fx, tokens[i], id);
		if (!json_equal(res, want)) {
			char *a = json_dumps(res, JSON_SORT_KEYS);
			char *b = json_dumps(want, JSON_SORT_KEYS);

			fail_msg("case.get of %s:\n%s\nthe stored head's "
			         "view:\n%s",
			    id, a, b);
		}
		json_decref(want);
	}
}

/* ---- a write past the case cache -------------------------------------- */

int
tsupport_behind_apply(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_behind_job *j =
	    (struct tsupport_behind_job *) (void *) job;
	json_t     *old, *doc, *ev;
	const char *state;
	int         rc;

	if ((rc = caserec_get(txn, j->id, 0, &old)) != WAGE_OK) {
		return (rc);
	}
	doc    = json_deep_copy(old);
	state  = tsupport_jstr(old, "state");
	j->rev = tsupport_jnum(old, "revision") + 1;
	json_object_set_new(doc, "revision", json_integer(j->rev));
	json_object_set_new(doc, "updated_at", json_string(TSUPPORT_MARK_UPD));
	ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:O, s:{s:s, s:s}, "
	               "s:s, s:[]}",
	    "op", "clock.recompute", "case", j->id, "event", "recompute",
	    "from", state, "to", state, "revision", j->rev, "policy",
	    json_object_get(old, "policy"), "actor", "name", "wage-server",
	    "role", "system", "reason", "test", "changes");
	if (ev == NULL || (rc = audit_append(txn, ev, NULL)) != WAGE_OK ||
	    (rc = caserec_save(txn, doc, old)) != WAGE_OK) {
		rc = rc != WAGE_OK ? rc : WAGE_E_INTERNAL;
	}
	json_decref(ev);
	json_decref(doc);
	json_decref(old);
	return (rc);
}

void
tsupport_behind_done(struct store_job *job, int rc)
{
	struct tsupport_behind_job *j =
	    (struct tsupport_behind_job *) (void *) job;

	pthread_mutex_lock(&j->fx->mtx);
	j->rc   = rc;
	j->done = 1;
	pthread_cond_broadcast(&j->fx->cv);
	pthread_mutex_unlock(&j->fx->mtx);
}
