/* SPDX-License-Identifier: MIT */
/*
 * test_writes.c - the write path of server/ops_write.c end to end through
 * ops_handle, on a real store in a mkdtemp directory with its writer and
 * replier running, the shipped policy, calendars and minimum wages, and
 * auth with a CA made by pki_* (the fixture of support_ops.h). A write is
 * prepared and encoded on the calling thread; the writer only compares the
 * revision and puts the id or the audit seq into keys. These tests read
 * what is stored back from LMDB (caserec.h): the head under the id (its
 * header revision the reply's, its JSON without id, revision and steps),
 * one step record per case.act under id SEP seq (the reply's audit_seq, no
 * seq inside, never rewritten by later writes), index summaries of the
 * head; that case.get is the view of that head with the step records
 * joined in, never of an older revision (also while acts are recorded, and
 * after a write that went past the cache or failed in the writer); that
 * the cache holds what is stored; that two acts on one revision cannot
 * both be recorded; that caserec_check finds nothing wrong and the audit
 * chain verifies. Each runs with a case cache of 64 and again with none
 * (srv.cases NULL).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif

#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
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

#define REGION   "370102"
#define NACTS    4                           /* supplements before accept */
#define NROUNDS  8                           /* racing pairs of acts */
#define MARK_UPD "2026-01-02T03:04:05+08:00" /* behind_job's updated_at */

/* setup's prestate: a case cache of 64 and none; clerk and auditor logged
 * in to fx->clerk and fx->auditor. */
static const struct tsupport_opsopt cache64 = { 64, 1 }, cache0 = { 0, 1 };

/* The group: a clerk, an auditor, the calendars and minimum wages. */
static const struct tsupport_cert certs[] = {
	{ "clerk", "clerk", "370100" },
	{ "auditor", "auditor", "370100" },
};
static const struct tsupport_groupdef group = { "test_writes", 1,
	sizeof(certs) / sizeof(certs[0]), certs };

/* ---- requests ------------------------------------------------------- */

static json_t *
supplement(int i)
{
	char what[64];

	snprintf(what, sizeof(what), "工资欠条复印件 第%d份", i + 1);
	return (json_pack("{s:s}", "materials", what));
}

/* file_case files the usual case; its id into id, its seq into *seq. */
static void
file_case(struct tsupport_opsfx *fx, char *id, json_int_t *seq)
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

static json_t *
get_case(struct tsupport_opsfx *fx, const char *token, const char *id)
{
	return (tsupport_ok(tsupport_call(
	    fx, "case.get", token, json_pack("{s:s}", "id", id))));
}

/* ---- what is stored ------------------------------------------------- */

/* A case as stored: its head, decoded, and its step records. */
struct stored {
	char    *head; /* the bytes under the id (owned) */
	size_t   headlen;
	uint64_t rev;   /* from the header */
	json_t  *doc;   /* caserec_decode of head */
	json_t  *steps; /* [{"seq", "key", "text", "step"}], key order */
};

static void
stored_fini(struct stored *st)
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

/*
 * read_stored reads case id as stored into st, checking on the way that
 * the head's header revision is the decoded one, its JSON holds no "id",
 * "revision" or "steps", every step key is id SEP 16 hex digits, and
 * every step record is an object without "seq".
 */
static void
read_stored(struct tsupport_opsfx *fx, const char *id, struct stored *st)
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

/* The step records of case id: {key: text} (new). */
static json_t *
step_texts(struct tsupport_opsfx *fx, const char *id)
{
	struct stored st;
	json_t       *out = json_object(), *s;
	size_t        i;

	read_stored(fx, id, &st);
	json_array_foreach (st.steps, i, s) {
		json_object_set(
		    out, tsupport_jstr(s, "key"), json_object_get(s, "text"));
	}
	stored_fini(&st);
	return (out);
}

/* Every step record of was is still in now, byte for byte; *was becomes
 * now. */
static void
steps_kept(struct tsupport_opsfx *fx, const char *id, json_t **was)
{
	json_t     *now = step_texts(fx, id), *t;
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

/*
 * cache_is_stored: what the case cache gives for case id at its stored
 * revision is the decoding of the stored head; hit: it must come from the
 * cache (a write's put or an earlier read), not be decoded now.
 */
static void
cache_is_stored(struct tsupport_opsfx *fx, const char *id, int hit)
{
	struct stored st;
	unsigned long h0, h1, a0, a1;
	json_t       *got;
	char         *gs, *ws;

	read_stored(fx, id, &st);
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
	stored_fini(&st);
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

/*
 * check_stored: case id is stored at revision rev in state, its head
 * sealed at rest; it has one step record per seqs[] with that seq; its
 * region, state and organisation entries hold the summary of this head,
 * without the id; the cache agrees with the store; caserec_check finds
 * nothing wrong and the audit chain verifies.
 */
static void
check_stored(struct tsupport_opsfx *fx, const char *id, json_int_t rev,
    const char *state, const json_int_t *seqs, size_t nseqs)
{
	struct stored     st;
	json_t           *sum, *want, *report;
	char              keys[3][256], problem[256];
	enum store_db     dbs[3] = { DB_BY_REGION, DB_BY_STATE, DB_BY_ORG };
	struct store_txn *txn;
	size_t            i;
	int               bad = -1;

	read_stored(fx, id, &st);
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
	cache_is_stored(fx, id, 0);

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
	stored_fini(&st);
}

/* The step record of case id at seq, decoded (new). */
static json_t *
step_record(struct tsupport_opsfx *fx, const char *id, json_int_t seq)
{
	struct stored st;
	json_t       *s, *found = NULL;
	size_t        i;

	read_stored(fx, id, &st);
	json_array_foreach (st.steps, i, s) {
		if (tsupport_jnum(s, "seq") == seq) {
			found = json_incref(json_object_get(s, "step"));
		}
	}
	stored_fini(&st);
	if (found == NULL) {
		fail_msg(
		    "case %s: no step record %" JSON_INTEGER_FORMAT, id, seq);
	}
	return (found);
}

/* The audit event at seq names the case, the event and the revision. */
static void
check_event(struct tsupport_opsfx *fx, const char *id, json_int_t seq,
    const char *event, json_int_t rev)
{
	struct store_txn *txn;
	json_t           *events, *e, *found = NULL;
	size_t            i;

	assert_int_equal(store_read_begin(fx->srv.store, &txn), WAGE_OK);
	assert_int_equal(audit_case_events(txn, id, &events), WAGE_OK);
	store_read_end(txn);
	json_array_foreach (events, i, e) {
		if (tsupport_jnum(e, "seq") == seq) {
			found = e;
		}
	}
	if (found == NULL) {
		char *s = json_dumps(events, 0);

		fail_msg("no event %" JSON_INTEGER_FORMAT " of %s in %s", seq,
		    id, s);
	}
	assert_string_equal(tsupport_jstr(found, "case"), id);
	assert_string_equal(tsupport_jstr(found, "event"), event);
	assert_int_equal(tsupport_jnum(found, "revision"), rev);
	json_decref(events);
}

/* fields.materials of step i of a case view. */
static const char *
step_materials(const json_t *view, size_t i)
{
	const json_t *step = json_array_get(json_object_get(view, "steps"), i);

	return (tsupport_jstr(json_object_get(step, "fields"), "materials"));
}

/*
 * The view of case id for token built here from what is stored: the
 * decoded head through caseview_build, with the step records, each with
 * its seq from the key, as "steps" (new).
 */
static json_t *
view_of_stored(struct tsupport_opsfx *fx, const char *token, const char *id)
{
	const struct policy *p;
	struct wage_error    err;
	struct stored        st;
	struct actor         a;
	struct store_txn    *txn;
	json_t              *view, *steps, *s, *step;
	size_t               i;

	assert_int_equal(auth_check(fx->srv.auth, token, &a, &err), WAGE_OK);
	read_stored(fx, id, &st);
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
	stored_fini(&st);
	return (view);
}

/*
 * check_get: case.get as the clerk (ID number whole) and the auditor
 * (masked) shows revision rev in state with nsteps steps, and is exactly
 * the view of the stored head with the step records joined in order.
 */
static void
check_get(struct tsupport_opsfx *fx, const char *id, json_int_t rev,
    const char *state, size_t nsteps)
{
	const char *tokens[2] = { fx->clerk, fx->auditor };
	json_t     *res, *c0, *want;
	int         i;

	for (i = 0; i < 2; i++) {
		res = get_case(fx, tokens[i], id);
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

/* ---- tests ---------------------------------------------------------- */

/* case.file, supplements, accept: what is stored after each. */
static void
stored_records(void **state)
{
	struct tsupport_opsfx *fx = *state;
	struct stored          st;
	char                   id[WAGE_CASE_ID_MAX];
	json_int_t             seqs[NACTS + 1], fseq, rev = 1;
	json_t                *res, *steps, *rec;
	const char            *st_name, *ev;
	int                    i, k;

	file_case(fx, id, &fseq);
	assert_int_equal(fseq, 1);
	assert_non_null(strstr(id, "WA"));
	/* What the writer put in the cache is what was stored. */
	cache_is_stored(fx, id, 1);
	check_stored(fx, id, 1, "intake", NULL, 0);
	check_event(fx, id, fseq, "file", 1);
	check_get(fx, id, 1, "intake", 0);
	steps = step_texts(fx, id);
	assert_int_equal(json_object_size(steps), 0);

	for (i = 0; i <= NACTS; i++) {
		if (i < NACTS) {
			res     = tsupport_ok(tsupport_act(fx, fx->clerk, id,
			        "supplement", rev, supplement(i)));
			st_name = "intake";
			ev      = "supplement";
		} else {
			res     = tsupport_ok(tsupport_act(
			        fx, fx->clerk, id, "accept", rev, NULL));
			st_name = "mediation";
			ev      = "accept";
		}
		assert_string_equal(tsupport_jstr(res, "id"), id);
		assert_string_equal(tsupport_jstr(res, "state"), st_name);
		assert_int_equal(tsupport_jnum(res, "revision"), rev + 1);
		seqs[i] = tsupport_jnum(res, "audit_seq");
		assert_true(seqs[i] > fseq);
		assert_true(i == 0 || seqs[i] > seqs[i - 1]);
		rev++;
		/* The head's header names the reply's revision. */
		read_stored(fx, id, &st);
		assert_int_equal(
		    (json_int_t) st.rev, tsupport_jnum(res, "revision"));
		stored_fini(&st);
		cache_is_stored(fx, id, 1);
		check_stored(fx, id, rev, st_name, seqs, (size_t) i + 1);
		check_event(fx, id, seqs[i], ev, rev);
		/* The new step: what was sent, under the reply's seq. */
		rec = step_record(fx, id, seqs[i]);
		assert_string_equal(tsupport_jstr(rec, "event"), ev);
		assert_string_equal(tsupport_jstr(rec, "from"), "intake");
		assert_string_equal(tsupport_jstr(rec, "to"), st_name);
		assert_string_equal(
		    tsupport_jstr(json_object_get(rec, "by"), "role"),
		    "clerk");
		if (i < NACTS) {
			res = supplement(i);
			assert_true(
			    json_equal(json_object_get(rec, "fields"), res));
			json_decref(res);
		}
		json_decref(rec);
		/* The earlier step records are as they were written. */
		steps_kept(fx, id, &steps);
		assert_int_equal(json_object_size(steps), (size_t) i + 1);
		check_get(fx, id, rev, st_name, (size_t) i + 1);
		/* The view's steps carry the seqs, oldest first. */
		res = get_case(fx, fx->clerk, id);
		for (k = 0; k <= i; k++) {
			assert_int_equal(
			    tsupport_jnum(
			        json_array_get(
			            json_object_get(res, "steps"), (size_t) k),
			        "seq"),
			    seqs[k]);
		}
	}
	res = get_case(fx, fx->clerk, id);
	assert_string_equal(step_materials(res, 1), "工资欠条复印件 第2份");
	json_decref(steps);
}

/* A second case filed after the first gets its own id and records, and
 * the first is unchanged; both listed with their own summary. */
static void
two_cases_keep_their_ids(void **state)
{
	struct tsupport_opsfx *fx = *state;
	char                   id1[WAGE_CASE_ID_MAX], id2[WAGE_CASE_ID_MAX];
	json_int_t             s1, s2, seq1, seq2;
	json_t                *res, *cases, *steps1;

	file_case(fx, id1, &s1);
	file_case(fx, id2, &s2);
	assert_string_not_equal(id1, id2);
	assert_int_equal(s2, s1 + 1);
	check_stored(fx, id1, 1, "intake", NULL, 0);
	check_stored(fx, id2, 1, "intake", NULL, 0);
	seq1   = tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id1,
	                           "supplement", 1, supplement(0))),
	      "audit_seq");
	steps1 = step_texts(fx, id1);
	seq2   = tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id2,
	                           "supplement", 1, supplement(1))),
	      "audit_seq");
	assert_int_equal(seq2, seq1 + 1);
	check_stored(fx, id2, 2, "intake", &seq2, 1);
	check_stored(fx, id1, 2, "intake", &seq1, 1);
	steps_kept(fx, id1, &steps1);
	assert_int_equal(json_object_size(steps1), 1);
	cases = json_object_get(
	    tsupport_ok(tsupport_call(fx, "case.list", fx->clerk, NULL)),
	    "cases");
	assert_int_equal(json_array_size(cases), 2);
	res = json_array_get(cases, 0);
	assert_string_equal(tsupport_jstr(res, "id"), id1);
	assert_int_equal(tsupport_jnum(res, "revision"), 2);
	res = json_array_get(cases, 1);
	assert_string_equal(tsupport_jstr(res, "id"), id2);
	assert_int_equal(tsupport_jnum(res, "revision"), 2);
	check_get(fx, id1, 2, "intake", 1);
	check_get(fx, id2, 2, "intake", 1);
	res = get_case(fx, fx->clerk, id2);
	assert_string_equal(step_materials(res, 0), "工资欠条复印件 第2份");
	json_decref(steps1);
}

/* case.get between acts: read twice (a cache hit), then never the old
 * revision after an act, whoever reads first. */
static void
get_sees_every_revision(void **state)
{
	struct tsupport_opsfx *fx = *state;
	char                   id[WAGE_CASE_ID_MAX];
	json_int_t             rev;
	unsigned long          hits = 0, all = 0;

	file_case(fx, id, NULL);
	for (rev = 1; rev <= 6; rev++) {
		check_get(fx, id, rev, "intake", (size_t) rev - 1);
		check_get(fx, id, rev, "intake", (size_t) rev - 1);
		/* A refused act stores nothing and changes no view. */
		tsupport_want_err(tsupport_act(fx, fx->clerk, id, "supplement",
		                      rev + 1, supplement(0)),
		    "STALE_REVISION", "revision");
		tsupport_want_err(
		    tsupport_act(fx, fx->clerk, id, "supplement", rev, NULL),
		    "INVALID_ARGUMENT", "fields.materials");
		check_get(fx, id, rev, "intake", (size_t) rev - 1);
		tsupport_ok(tsupport_act(fx, fx->clerk, id, "supplement", rev,
		    supplement((int) rev)));
	}
	check_get(fx, id, rev, "intake", (size_t) rev - 1);
	casecache_stats(fx->srv.cases, &hits, &all);
	if (fx->srv.cases != NULL) {
		/* The repeated reads came from the cache. */
		assert_true(hits > 0);
	} else {
		assert_int_equal(all, 0);
	}
}

/* A job that records a change of the case the way clock.recompute does
 * (ops_recompute_clocks, at start-up): an audit event and the head with
 * its revision raised, stored with caserec_save, past the case cache. */
struct behind_job {
	struct store_job       job;
	struct tsupport_opsfx *fx;
	const char            *id;
	json_int_t             rev; /* the revision written */
	int                    done, rc;
};

static int
behind_apply(struct store_txn *txn, struct store_job *job)
{
	struct behind_job *j = (struct behind_job *) (void *) job;
	json_t            *old, *doc, *ev;
	const char        *state;
	int                rc;

	if ((rc = caserec_get(txn, j->id, 0, &old)) != WAGE_OK) {
		return (rc);
	}
	doc    = json_deep_copy(old);
	state  = tsupport_jstr(old, "state");
	j->rev = tsupport_jnum(old, "revision") + 1;
	json_object_set_new(doc, "revision", json_integer(j->rev));
	json_object_set_new(doc, "updated_at", json_string(MARK_UPD));
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

static void
behind_done(struct store_job *job, int rc)
{
	struct behind_job *j = (struct behind_job *) (void *) job;

	pthread_mutex_lock(&j->fx->mtx);
	j->rc   = rc;
	j->done = 1;
	pthread_cond_broadcast(&j->fx->cv);
	pthread_mutex_unlock(&j->fx->mtx);
}

/* The case changed by a write that never went through the cache: every
 * read and act must see the stored head, not the cached document. */
static void
other_writer_seen(void **state)
{
	struct tsupport_opsfx *fx = *state;
	struct behind_job      bj;
	char                   id[WAGE_CASE_ID_MAX];
	json_int_t             seqs[2];
	json_t                *res, *steps;

	file_case(fx, id, NULL);
	seqs[0] = tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id,
	                            "supplement", 1, supplement(0))),
	    "audit_seq");
	check_get(fx, id, 2, "intake", 1);
	check_get(fx, id, 2, "intake", 1);
	steps = step_texts(fx, id);

	memset(&bj, 0, sizeof(bj));
	bj.id = id;
	assert_int_equal(
	    store_write_now(fx->srv.store, behind_apply, &bj.job), WAGE_OK);
	assert_int_equal(bj.rev, 3);
	check_stored(fx, id, 3, "intake", seqs, 1);
	check_get(fx, id, 3, "intake", 1);
	res = get_case(fx, fx->clerk, id);
	assert_string_equal(tsupport_jstr(res, "updated_at"), MARK_UPD);
	/* Revision 2 was current for the cache, not for the store. */
	tsupport_want_err(
	    tsupport_act(fx, fx->clerk, id, "supplement", 2, supplement(1)),
	    "STALE_REVISION", "revision");
	seqs[1] = tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id,
	                            "supplement", 3, supplement(1))),
	    "audit_seq");
	check_stored(fx, id, 4, "intake", seqs, 2);
	check_get(fx, id, 4, "intake", 2);
	steps_kept(fx, id, &steps);
	json_decref(steps);
}

/* ---- writes the writer refuses -------------------------------------- */

/* A writer job that holds the writer until the gate opens. */
struct gate_job {
	struct store_job       job;
	struct tsupport_opsfx *fx;
	int                    entered, open, done;
};

static int
gate_apply(struct store_txn *txn, struct store_job *job)
{
	struct gate_job *j = (struct gate_job *) (void *) job;

	(void) txn;
	pthread_mutex_lock(&j->fx->mtx);
	j->entered = 1;
	pthread_cond_broadcast(&j->fx->cv);
	while (!j->open) {
		pthread_cond_wait(&j->fx->cv, &j->fx->mtx);
	}
	pthread_mutex_unlock(&j->fx->mtx);
	return (WAGE_OK);
}

static void
gate_done(struct store_job *job, int rc)
{
	struct gate_job *j = (struct gate_job *) (void *) job;

	(void) rc;
	pthread_mutex_lock(&j->fx->mtx);
	j->done = 1;
	pthread_cond_broadcast(&j->fx->cv);
	pthread_mutex_unlock(&j->fx->mtx);
}

/* gate_close submits gate and waits until it holds the writer. */
static void
gate_close(struct tsupport_opsfx *fx, struct gate_job *gate)
{
	memset(gate, 0, sizeof(*gate));
	gate->fx        = fx;
	gate->job.apply = gate_apply;
	gate->job.done  = gate_done;
	store_submit(fx->srv.store, &gate->job);
	pthread_mutex_lock(&fx->mtx);
	while (!gate->entered) {
		pthread_cond_wait(&fx->cv, &fx->mtx);
	}
	pthread_mutex_unlock(&fx->mtx);
}

/* gate_open lets the writer go; returns whether a or b (may be NULL) was
 * answered while it was held. */
static int
gate_open(struct tsupport_opsfx *fx, struct gate_job *gate,
    struct tsupport_call *a, struct tsupport_call *b)
{
	int early;

	pthread_mutex_lock(&fx->mtx);
	early      = (a != NULL && a->done) || (b != NULL && b->done);
	gate->open = 1;
	pthread_cond_broadcast(&fx->cv);
	pthread_mutex_unlock(&fx->mtx);
	return (early);
}

static void
gate_wait(struct tsupport_opsfx *fx, struct gate_job *gate)
{
	pthread_mutex_lock(&fx->mtx);
	while (!gate->done) {
		pthread_cond_wait(&fx->cv, &fx->mtx);
	}
	pthread_mutex_unlock(&fx->mtx);
}

/* The audit head's seq. */
static uint64_t
head_seq(struct tsupport_opsfx *fx)
{
	struct store_txn *txn;
	uint64_t          seq;
	char              hex[65];

	assert_int_equal(store_read_begin(fx->srv.store, &txn), WAGE_OK);
	assert_int_equal(audit_head(txn, &seq, hex), WAGE_OK);
	store_read_end(txn);
	return (seq);
}

/*
 * An act prepared at revision 2 reaches the writer after another write
 * (behind_job, in the same batch) raised the case to 3: the writer
 * refuses it. Its prepared head, also of revision 3, must not reach the
 * cache: case.get shows the stored revision 3, not the act's.
 */
static void
refused_write_not_cached(void **state)
{
	struct tsupport_opsfx *fx = *state;
	struct gate_job        gate;
	struct behind_job      bj;
	struct tsupport_call   a;
	char                   id[WAGE_CASE_ID_MAX], *body;
	json_int_t             seqs[2];
	uint64_t               head;
	json_t                *res, *steps;
	const char            *msg;
	int                    early;

	file_case(fx, id, NULL);
	seqs[0] = tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id,
	                            "supplement", 1, supplement(0))),
	    "audit_seq");
	check_get(fx, id, 2, "intake", 1);
	steps = step_texts(fx, id);
	head  = head_seq(fx);

	gate_close(fx, &gate);
	memset(&bj, 0, sizeof(bj));
	bj.fx        = fx;
	bj.id        = id;
	bj.job.apply = behind_apply;
	bj.job.done  = behind_done;
	store_submit(fx->srv.store, &bj.job);
	tsupport_call_init(fx, &a);
	body =
	    tsupport_act_body(fx->clerk, id, "supplement", 2, supplement(5));
	tsupport_call_start(
	    &a, body); /* prepared at 2 now: 2 is still stored */
	free(body);
	early = gate_open(fx, &gate, &a, NULL);
	assert_false(early);
	tsupport_call_wait(&a);
	gate_wait(fx, &gate);
	pthread_mutex_lock(&fx->mtx);
	while (!bj.done) {
		pthread_cond_wait(&fx->cv, &fx->mtx);
	}
	pthread_mutex_unlock(&fx->mtx);
	assert_int_equal(bj.rc, WAGE_OK);
	assert_int_equal(bj.rev, 3);

	/* Refused by the writer, not on the way in. */
	tsupport_want_err(a.reply, "STALE_REVISION", "revision");
	msg = tsupport_jstr(json_object_get(a.reply, "error"), "message");
	assert_non_null(strstr(msg, "on its way"));
	assert_int_equal(head_seq(fx), head + 1); /* behind_job's event */
	/* The store and the cache: behind_job's revision 3, no new step. */
	check_stored(fx, id, 3, "intake", seqs, 1);
	check_get(fx, id, 3, "intake", 1);
	res = get_case(fx, fx->clerk, id);
	assert_string_equal(tsupport_jstr(res, "updated_at"), MARK_UPD);
	steps_kept(fx, id, &steps);
	assert_int_equal(json_object_size(steps), 1);
	/* And the next act, at the stored revision, works. */
	seqs[1] = tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id,
	                            "supplement", 3, supplement(6))),
	    "audit_seq");
	cache_is_stored(fx, id, 1);
	check_stored(fx, id, 4, "intake", seqs, 2);
	check_get(fx, id, 4, "intake", 2);
	res = get_case(fx, fx->clerk, id);
	assert_string_equal(step_materials(res, 1), "工资欠条复印件 第7份");
	steps_kept(fx, id, &steps);
	tsupport_call_fini(&a);
	json_decref(steps);
}

/* Exactly one of a and b succeeded, the other is STALE_REVISION; returns
 * the winner's audit seq. */
static json_int_t
one_wins(json_t *a, json_t *b, json_int_t rev)
{
	json_t *won  = json_is_true(json_object_get(a, "ok")) ? a : b;
	json_t *lost = won == a ? b : a;

	tsupport_ok(won);
	tsupport_want_err(lost, "STALE_REVISION", "revision");
	assert_int_equal(tsupport_jnum(tsupport_ok(won), "revision"), rev + 1);
	return (tsupport_jnum(tsupport_ok(won), "audit_seq"));
}

/* Both prepared against revision 2, both queued while the writer is
 * held: the writer's check must refuse the second. */
static void
same_revision_queued(void **state)
{
	struct tsupport_opsfx *fx = *state;
	struct gate_job        gate;
	struct tsupport_call   a, b;
	char                   id[WAGE_CASE_ID_MAX], *ba, *bb;
	json_int_t             seqs[2];
	const char            *msg;
	uint64_t               head;
	json_t                *res, *steps;
	int                    early;

	file_case(fx, id, NULL);
	seqs[0] = tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id,
	                            "supplement", 1, supplement(0))),
	    "audit_seq");
	head    = head_seq(fx);
	steps   = step_texts(fx, id);

	gate_close(fx, &gate);
	tsupport_call_init(fx, &a);
	tsupport_call_init(fx, &b);
	ba = tsupport_act_body(fx->clerk, id, "supplement", 2, supplement(1));
	bb = tsupport_act_body(fx->clerk, id, "supplement", 2, supplement(2));
	tsupport_call_start(&a, ba);
	tsupport_call_start(&b, bb);
	free(ba);
	free(bb);
	/* Before any assertion: teardown needs the writer. */
	early = gate_open(fx, &gate, &a, &b);
	assert_false(early); /* both waited for the writer */
	tsupport_call_wait(&a);
	tsupport_call_wait(&b);
	gate_wait(fx, &gate);

	/* The first queued goes through; the second is refused by the
	 * writer (its message says so). */
	seqs[1] = one_wins(a.reply, b.reply, 2);
	tsupport_ok(a.reply);
	msg = tsupport_jstr(json_object_get(b.reply, "error"), "message");
	assert_non_null(strstr(msg, "on its way"));
	assert_int_equal(head_seq(fx), head + 1);
	assert_int_equal((uint64_t) seqs[1], head + 1);
	/* One new step record, a's; the cache has a's head, not b's. */
	cache_is_stored(fx, id, 1);
	check_stored(fx, id, 3, "intake", seqs, 2);
	steps_kept(fx, id, &steps);
	assert_int_equal(json_object_size(steps), 2);
	check_get(fx, id, 3, "intake", 2);
	res = get_case(fx, fx->clerk, id);
	assert_string_equal(step_materials(res, 1), "工资欠条复印件 第2份");
	/* And the next act, at the new revision, works. */
	tsupport_ok(
	    tsupport_act(fx, fx->clerk, id, "supplement", 3, supplement(3)));
	steps_kept(fx, id, &steps);
	assert_int_equal(json_object_size(steps), 3);
	tsupport_call_fini(&a);
	tsupport_call_fini(&b);
	json_decref(steps);
}

/* Two threads send an act on the same revision at the same moment. */
struct racer {
	pthread_t            t;
	struct tsupport_call c;
	char                *body;
	pthread_barrier_t   *bar;
};

static void *
racer_main(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->bar);
	tsupport_call_start(&r->c, r->body);
	return (NULL);
}

static void
same_revision_threads(void **state)
{
	struct tsupport_opsfx *fx = *state;
	struct racer           rc[2];
	pthread_barrier_t      bar;
	char                   id[WAGE_CASE_ID_MAX];
	json_int_t             seqs[NROUNDS], rev;
	json_t                *steps;
	int                    i, k;

	file_case(fx, id, NULL);
	steps = step_texts(fx, id);
	assert_int_equal(pthread_barrier_init(&bar, NULL, 2), 0);
	for (k = 0; k < 2; k++) {
		tsupport_call_init(fx, &rc[k].c);
		rc[k].bar = &bar;
	}
	for (i = 0, rev = 1; i < NROUNDS; i++, rev++) {
		for (k = 0; k < 2; k++) {
			rc[k].body = tsupport_act_body(fx->clerk, id,
			    "supplement", rev, supplement(2 * i + k));
			assert_int_equal(
			    pthread_create(&rc[k].t, NULL, racer_main, &rc[k]),
			    0);
		}
		for (k = 0; k < 2; k++) {
			assert_int_equal(pthread_join(rc[k].t, NULL), 0);
			tsupport_call_wait(&rc[k].c);
			free(rc[k].body);
		}
		seqs[i] = one_wins(rc[0].c.reply, rc[1].c.reply, rev);
		cache_is_stored(fx, id, 1);
		check_stored(fx, id, rev + 1, "intake", seqs, (size_t) i + 1);
		steps_kept(fx, id, &steps);
		check_get(fx, id, rev + 1, "intake", (size_t) i + 1);
	}
	assert_int_equal(head_seq(fx), 1 + NROUNDS);
	for (k = 0; k < 2; k++) {
		tsupport_call_fini(&rc[k].c);
	}
	pthread_barrier_destroy(&bar);
	json_decref(steps);
}

/* Readers get the case as clerk and auditor while acts are recorded:
 * never a revision older than the last one acknowledged before the read
 * began, never a view of one role leaking into the other's, and the steps
 * always those of the revision shown. */
#define NREADERS 3
#define NWRITES  24

struct reader {
	pthread_t              t;
	struct tsupport_call   c;
	struct tsupport_opsfx *fx;
	const char            *id, *token;
	int                    whole; /* sees the ID number whole */
	json_int_t            *acked; /* the last revision acknowledged */
	int                   *stop;
	int                    reads, bad;
	char                   why[256];
};

static void
reader_bad(struct reader *rd, const char *what, json_int_t a, json_int_t b)
{
	if (rd->bad++ == 0) {
		snprintf(rd->why, sizeof(rd->why),
		    "%s (%" JSON_INTEGER_FORMAT ", %" JSON_INTEGER_FORMAT ")",
		    what, a, b);
	}
}

static void
reader_check(
    struct reader *rd, json_t *res, json_int_t floor, json_int_t *last)
{
	json_t     *steps, *c0, *s;
	json_int_t  rev, prev = 0;
	const char *idn;
	size_t      i;

	rev = tsupport_jnum(res, "revision");
	if (rev < floor) {
		reader_bad(rd, "older than acknowledged", rev, floor);
	}
	if (rev < *last) {
		reader_bad(rd, "went back", rev, *last);
	}
	*last = rev;
	steps = json_object_get(res, "steps");
	if ((json_int_t) json_array_size(steps) != rev - 1) {
		reader_bad(rd, "steps do not match the revision",
		    (json_int_t) json_array_size(steps), rev);
	}
	json_array_foreach (steps, i, s) {
		if (tsupport_jnum(s, "seq") <= prev) {
			reader_bad(rd, "steps out of order",
			    tsupport_jnum(s, "seq"), prev);
		}
		prev = tsupport_jnum(s, "seq");
		if (step_materials(res, i) == NULL) {
			reader_bad(rd, "a step without its fields",
			    (json_int_t) i, rev);
		}
	}
	c0  = json_array_get(json_object_get(res, "claimants"), 0);
	idn = tsupport_jstr(c0, "id_number");
	if (idn == NULL ||
	    (strcmp(idn, tsupport_ops_g.id1) == 0) != rd->whole ||
	    json_object_get(c0, "id_sealed") != NULL) {
		reader_bad(rd, "ID number shown wrongly", rd->whole, 0);
	}
}

static void *
reader_main(void *arg)
{
	struct reader *rd = arg;
	json_t        *reply;
	json_int_t     floor, last = 0;
	char          *body;

	while (!__atomic_load_n(rd->stop, __ATOMIC_ACQUIRE)) {
		floor = __atomic_load_n(rd->acked, __ATOMIC_ACQUIRE);
		body  = tsupport_body_of(
		     "case.get", rd->token, json_pack("{s:s}", "id", rd->id));
		tsupport_call_start(&rd->c, body);
		free(body);
		pthread_mutex_lock(&rd->fx->mtx);
		while (!rd->c.done) {
			pthread_cond_wait(&rd->fx->cv, &rd->fx->mtx);
		}
		pthread_mutex_unlock(&rd->fx->mtx);
		reply = rd->c.text != NULL ? json_loads(rd->c.text, 0, NULL)
		                           : NULL;
		rd->c.reply = reply;
		__atomic_add_fetch(&rd->reads, 1, __ATOMIC_RELEASE);
		if (!json_is_true(json_object_get(reply, "ok"))) {
			reader_bad(rd, "not ok", 0, 0);
			continue;
		}
		reader_check(
		    rd, json_object_get(reply, "result"), floor, &last);
	}
	return (NULL);
}

static void
reads_during_writes(void **state)
{
	struct tsupport_opsfx *fx = *state;
	struct reader          rd[NREADERS];
	char                   id[WAGE_CASE_ID_MAX];
	json_int_t             acked = 1, seqs[NWRITES];
	int                    stop  = 0, i;

	file_case(fx, id, NULL);
	for (i = 0; i < NREADERS; i++) {
		memset(&rd[i], 0, sizeof(rd[i]));
		tsupport_call_init(fx, &rd[i].c);
		rd[i].fx    = fx;
		rd[i].id    = id;
		rd[i].whole = i != 1;
		rd[i].token = rd[i].whole ? fx->clerk : fx->auditor;
		rd[i].acked = &acked;
		rd[i].stop  = &stop;
		assert_int_equal(
		    pthread_create(&rd[i].t, NULL, reader_main, &rd[i]), 0);
	}
	/* Every reader has read once before the first act. */
	for (i = 0; i < NREADERS; i++) {
		while (__atomic_load_n(&rd[i].reads, __ATOMIC_ACQUIRE) == 0) {
			sched_yield();
		}
	}
	for (i = 0; i < NWRITES; i++) {
		seqs[i] =
		    tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id,
		                      "supplement", i + 1, supplement(i))),
		        "audit_seq");
		__atomic_store_n(&acked, (json_int_t) i + 2, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < NREADERS; i++) {
		assert_int_equal(pthread_join(rd[i].t, NULL), 0);
		tsupport_call_fini(&rd[i].c);
	}
	for (i = 0; i < NREADERS; i++) {
		if (rd[i].bad != 0) {
			fail_msg("reader %d: %d bad of %d: %s", i, rd[i].bad,
			    rd[i].reads, rd[i].why);
		}
		assert_true(rd[i].reads > 0);
	}
	cache_is_stored(fx, id, 1);
	check_stored(fx, id, NWRITES + 1, "intake", seqs, NWRITES);
	check_get(fx, id, NWRITES + 1, "intake", NWRITES);
}

/* cmocka names each test after its function: one per cache setting. */
#define BOTH(f)                                             \
	static void test_writes_##f(void **state)           \
	{                                                   \
		f(state);                                   \
	}                                                   \
	static void test_writes_##f##_nocache(void **state) \
	{                                                   \
		f(state);                                   \
	}

BOTH(stored_records)
BOTH(two_cases_keep_their_ids)
BOTH(get_sees_every_revision)
BOTH(other_writer_seen)
BOTH(refused_write_not_cached)
BOTH(same_revision_queued)
BOTH(same_revision_threads)
BOTH(reads_during_writes)

#define T(f)                                                               \
	cmocka_unit_test_prestate_setup_teardown(test_writes_##f,          \
	    tsupport_ops_setup, tsupport_ops_teardown, (void *) &cache64), \
	    cmocka_unit_test_prestate_setup_teardown(                      \
	        test_writes_##f##_nocache, tsupport_ops_setup,             \
	        tsupport_ops_teardown, (void *) &cache0)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(stored_records),
		T(two_cases_keep_their_ids),
		T(get_sees_every_revision),
		T(other_writer_seen),
		T(refused_write_not_cached),
		T(same_revision_queued),
		T(same_revision_threads),
		T(reads_during_writes),
	};

	return (tsupport_ops_run_group("writes", tests, &group));
}
