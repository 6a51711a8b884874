/* SPDX-License-Identifier: MIT */
/*
 * test_writes.c - the write path of server/ops_case.c end to end through
 * ops_handle, on a real store in a mkdtemp directory with its writer and
 * replier running, the shipped policy, calendars and minimum wages, and
 * auth with a CA made by pki_* (the fixture of opsfix.h). A write is prepared
 * and encoded on the calling thread with a placeholder where the writer puts
 * the case id (case.file) or the audit seq (case.act); these tests read the
 * stored bytes back from LMDB and check that the splice left a document that
 * is its own compact encoding, names the real id and seqs, and agrees with its
 * index entries; that case.get never serves an older revision from the case
 * cache (nor its kept views), also while acts are recorded and after a write
 * that went past the cache; that two acts on one revision cannot both be
 * recorded; that a stored case without "steps" is still handled; and that the
 * audit chain verifies. Each runs with a case cache of 64 and again with none
 * (srv.cases NULL).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mkdtemp, nftw */
#endif

#include "opsfix.h"

#include "audit.h"

#define REGION  "370102"
#define SEP     "\x1f"
#define PH_MIN  100000000000000000LL /* the smallest placeholder */
#define NACTS   4                    /* supplements before accept */
#define NROUNDS 8                    /* racing pairs of acts */

/* setup's prestate: a case cache of 64 and none; clerk and auditor logged
 * in to fx->clerk and fx->auditor. */
static const struct fxopt cache64 = { 64, 1 }, cache0 = { 0, 1 };

/* The group: a clerk, an auditor, the calendars and minimum wages. */
static const struct cert certs[] = {
	{ "clerk", "clerk", "370100" },
	{ "auditor", "auditor", "370100" },
};
static const struct groupdef group = { "/tmp/test_writes.XXXXXX", 1,
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
file_case(struct fx *fx, char *id, json_int_t *seq)
{
	json_t *res = ok(call(fx, "case.file", fx->clerk, filing(REGION)));

	assert_non_null(rstr(res, "id"));
	snprintf(id, WAGE_CASE_ID_MAX, "%s", rstr(res, "id"));
	assert_int_equal(rnum(res, "revision"), 1);
	if (seq != NULL) {
		*seq = rnum(res, "audit_seq");
	}
}

/* ---- what is stored ------------------------------------------------- */

/* No placeholder anywhere in v: no "WA0000-" string, no 18-digit int. */
static void
assert_no_placeholder(const json_t *v, const char *where)
{
	const char *key;
	json_t     *m;
	size_t      i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach ((json_t *) v, key, m) {
			if (strstr(key, "WA0000-") != NULL) {
				fail_msg(
				    "%s: a placeholder key %s", where, key);
			}
			assert_no_placeholder(m, where);
		}
		break;
	case JSON_ARRAY:
		json_array_foreach (v, i, m) {
			assert_no_placeholder(m, where);
		}
		break;
	case JSON_STRING:
		if (strstr(json_string_value(v), "WA0000-") != NULL) {
			fail_msg("%s: placeholder left: %s", where,
			    json_string_value(v));
		}
		break;
	case JSON_INTEGER:
		if (json_integer_value(v) >= PH_MIN) {
			fail_msg("%s: placeholder number left: "
			         "%" JSON_INTEGER_FORMAT,
			    where, json_integer_value(v));
		}
		break;
	default:
		break;
	}
}

/* The case's bytes as stored (new string) and decoded (new reference). */
static char *
stored_case(struct fx *fx, const char *id, json_t **doc)
{
	MDB_txn *txn;
	MDB_val  v;
	char    *raw;

	assert_int_equal(store_read_begin(fx->srv.store, &txn), WAGE_OK);
	assert_int_equal(
	    store_get(txn, DB_CASES, id, strlen(id), &v), WAGE_OK);
	raw = malloc(v.mv_size + 1);
	assert_non_null(raw);
	memcpy(raw, v.mv_data, v.mv_size);
	raw[v.mv_size] = '\0';
	store_read_end(txn);
	assert_int_equal(strlen(raw), v.mv_size); /* no NUL inside */
	*doc = json_loads(raw, 0, NULL);
	if (*doc == NULL) {
		fail_msg("case %s does not decode: %s", id, raw);
	}
	return (raw);
}

/* One index entry's value (the summary), decoded; new reference. */
static json_t *
index_summary(MDB_txn *txn, enum store_db db, const char *key)
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
 * check_stored: the stored case id is its own compact encoding, names id,
 * has revision rev in state, one step per seqs[] with that seq, no
 * placeholder, and its region, state and organisation entries hold a
 * summary of this very revision; nothing else is indexed.
 */
static void
check_stored(struct fx *fx, const char *id, json_int_t rev, const char *state,
    const json_int_t *seqs, size_t nseqs)
{
	json_t       *doc, *steps, *sum, *want, *report, *cached;
	char         *raw, *again, keys[3][256], problem[256];
	enum store_db dbs[3] = { DB_BY_REGION, DB_BY_STATE, DB_BY_ORG };
	MDB_txn      *txn;
	size_t        i;
	int           bad = -1;

	raw   = stored_case(fx, id, &doc);
	again = json_dumps(doc, JSON_COMPACT);
	assert_non_null(again);
	assert_string_equal(again, raw);
	free(again);
	/* What the cache gives for these bytes (the writer's own document,
	 * kept by put_and_cache) is exactly their decoding. */
	cached = casecache_get(fx->srv.cases, id, raw, strlen(raw));
	assert_non_null(cached);
	if (!json_equal(cached, doc)) {
		char *s = json_dumps(cached, JSON_COMPACT);

		fail_msg("cached case differs from the stored one:\n%s\n%s", s,
		    raw);
	}
	json_decref(cached);
	assert_null(strstr(raw, "WA0000-"));
	assert_null(strstr(raw, g.id1)); /* sealed at rest */
	assert_no_placeholder(doc, id);
	assert_string_equal(rstr(doc, "id"), id);
	assert_int_equal(rnum(doc, "revision"), rev);
	assert_string_equal(rstr(doc, "state"), state);
	steps = json_object_get(doc, "steps");
	assert_int_equal(json_array_size(steps), nseqs);
	for (i = 0; i < nseqs; i++) {
		assert_int_equal(
		    rnum(json_array_get(steps, i), "seq"), seqs[i]);
	}

	/* The entries a listing reads: the summary of this revision. */
	want = store_case_summary(doc);
	snprintf(keys[0], sizeof(keys[0]), "%s" SEP "%s", REGION, id);
	snprintf(keys[1], sizeof(keys[1]), "%s" SEP "%s" SEP "%s", state,
	    REGION, id);
	snprintf(keys[2], sizeof(keys[2]), "%s" SEP "%s", OFFICE, id);
	assert_int_equal(store_read_begin(fx->srv.store, &txn), WAGE_OK);
	for (i = 0; i < 3; i++) {
		sum = index_summary(txn, dbs[i], keys[i]);
		assert_string_equal(rstr(sum, "id"), id);
		assert_int_equal(rnum(sum, "revision"), rev);
		assert_string_equal(rstr(sum, "state"), state);
		assert_no_placeholder(sum, keys[i]);
		assert_true(json_equal(sum, want));
		json_decref(sum);
	}
	assert_int_equal(
	    store_check_indexes(txn, &bad, problem, sizeof(problem)), WAGE_OK);
	if (bad != 0) {
		fail_msg("indexes: %s", problem);
	}
	assert_int_equal(audit_verify(txn, NULL, &report), WAGE_OK);
	store_read_end(txn);
	if (!json_is_true(json_object_get(report, "valid"))) {
		char *s = json_dumps(report, 0);

		fail_msg("audit chain: %s", s);
	}
	json_decref(report);
	json_decref(want);
	json_decref(doc);
	free(raw);
}

/* The audit event at seq names the case, the event and the revision. */
static void
check_event(struct fx *fx, const char *id, json_int_t seq, const char *event,
    json_int_t rev)
{
	MDB_txn *txn;
	json_t  *events, *e, *found = NULL;
	size_t   i;

	assert_int_equal(store_read_begin(fx->srv.store, &txn), WAGE_OK);
	assert_int_equal(audit_case_events(txn, id, &events), WAGE_OK);
	store_read_end(txn);
	json_array_foreach (events, i, e) {
		if (rnum(e, "seq") == seq) {
			found = e;
		}
	}
	if (found == NULL) {
		char *s = json_dumps(events, 0);

		fail_msg("no event %" JSON_INTEGER_FORMAT " of %s in %s", seq,
		    id, s);
	}
	assert_string_equal(rstr(found, "case"), id);
	assert_string_equal(rstr(found, "event"), event);
	assert_int_equal(rnum(found, "revision"), rev);
	json_decref(events);
}

/* fields.materials of step i of a case view. */
static const char *
step_materials(const json_t *view, size_t i)
{
	const json_t *step = json_array_get(json_object_get(view, "steps"), i);

	return (rstr(json_object_get(step, "fields"), "materials"));
}

/* case.get as the clerk (ID number whole) and the auditor (masked). */
static void
check_get(struct fx *fx, const char *id, json_int_t rev, const char *state,
    size_t nsteps)
{
	const char *tokens[2] = { fx->clerk, fx->auditor };
	json_t     *res, *c0;
	int         i;

	for (i = 0; i < 2; i++) {
		res = ok(call(
		    fx, "case.get", tokens[i], json_pack("{s:s}", "id", id)));
		assert_string_equal(rstr(res, "id"), id);
		assert_int_equal(rnum(res, "revision"), rev);
		assert_string_equal(rstr(res, "state"), state);
		assert_int_equal(
		    json_array_size(json_object_get(res, "steps")), nsteps);
		c0 = json_array_get(json_object_get(res, "claimants"), 0);
		assert_null(json_object_get(c0, "id_sealed"));
		assert_null(json_object_get(c0, "id_hint"));
		if (i == 0) {
			assert_string_equal(rstr(c0, "id_number"), g.id1);
		} else {
			assert_string_not_equal(rstr(c0, "id_number"), g.id1);
			assert_non_null(strstr(rstr(c0, "id_number"), "****"));
		}
	}
}

/* ---- tests ---------------------------------------------------------- */

/* case.file, supplements, accept: the stored text after each splice. */
static void
stored_text_is_spliced(void **state)
{
	struct fx  *fx = *state;
	char        id[WAGE_CASE_ID_MAX];
	json_int_t  seqs[NACTS + 1], fseq, rev = 1;
	json_t     *res;
	const char *st;
	int         i, k;

	file_case(fx, id, &fseq);
	assert_int_equal(fseq, 1);
	assert_non_null(strstr(id, "WA"));
	assert_null(strstr(id, "WA0000-"));
	check_stored(fx, id, 1, "intake", NULL, 0);
	check_event(fx, id, fseq, "file", 1);
	check_get(fx, id, 1, "intake", 0);

	for (i = 0; i <= NACTS; i++) {
		if (i < NACTS) {
			res = ok(act(fx, fx->clerk, id, "supplement", rev,
			    supplement(i)));
			st  = "intake";
		} else {
			res = ok(act(fx, fx->clerk, id, "accept", rev, NULL));
			st  = "mediation";
		}
		assert_string_equal(rstr(res, "id"), id);
		assert_string_equal(rstr(res, "state"), st);
		assert_int_equal(rnum(res, "revision"), rev + 1);
		seqs[i] = rnum(res, "audit_seq");
		assert_true(seqs[i] > fseq && seqs[i] < PH_MIN);
		assert_true(i == 0 || seqs[i] > seqs[i - 1]);
		rev++;
		check_stored(fx, id, rev, st, seqs, (size_t) i + 1);
		check_event(
		    fx, id, seqs[i], i < NACTS ? "supplement" : "accept", rev);
		check_get(fx, id, rev, st, (size_t) i + 1);
		/* The view's steps carry the real seqs too. */
		res = ok(call(
		    fx, "case.get", fx->clerk, json_pack("{s:s}", "id", id)));
		for (k = 0; k <= i; k++) {
			assert_int_equal(
			    rnum(json_array_get(json_object_get(res, "steps"),
			             (size_t) k),
			        "seq"),
			    seqs[k]);
		}
	}
	/* The steps carry what was sent. */
	res =
	    ok(call(fx, "case.get", fx->clerk, json_pack("{s:s}", "id", id)));
	assert_string_equal(step_materials(res, 1), "工资欠条复印件 第2份");
}

/* A second case filed after the first gets its own id, and the first is
 * unchanged; both listed with their own summary. */
static void
two_cases_keep_their_ids(void **state)
{
	struct fx *fx = *state;
	char       id1[WAGE_CASE_ID_MAX], id2[WAGE_CASE_ID_MAX];
	json_int_t s1, s2, seq;
	json_t    *res, *cases;

	file_case(fx, id1, &s1);
	file_case(fx, id2, &s2);
	assert_string_not_equal(id1, id2);
	assert_int_equal(s2, s1 + 1);
	check_stored(fx, id1, 1, "intake", NULL, 0);
	check_stored(fx, id2, 1, "intake", NULL, 0);
	seq = rnum(ok(act(fx, fx->clerk, id2, "supplement", 1, supplement(0))),
	    "audit_seq");
	check_stored(fx, id2, 2, "intake", &seq, 1);
	check_stored(fx, id1, 1, "intake", NULL, 0);
	cases = json_object_get(
	    ok(call(fx, "case.list", fx->clerk, NULL)), "cases");
	assert_int_equal(json_array_size(cases), 2);
	res = json_array_get(cases, 0);
	assert_string_equal(rstr(res, "id"), id1);
	assert_int_equal(rnum(res, "revision"), 1);
	res = json_array_get(cases, 1);
	assert_string_equal(rstr(res, "id"), id2);
	assert_int_equal(rnum(res, "revision"), 2);
}

/* case.get between acts: read twice (a cache hit), then never the old
 * revision after an act, whoever reads first. */
static void
get_sees_every_revision(void **state)
{
	struct fx    *fx = *state;
	char          id[WAGE_CASE_ID_MAX];
	json_int_t    rev;
	unsigned long hits = 0, all = 0;

	file_case(fx, id, NULL);
	for (rev = 1; rev <= 6; rev++) {
		check_get(fx, id, rev, "intake", (size_t) rev - 1);
		check_get(fx, id, rev, "intake", (size_t) rev - 1);
		/* A refused act stores nothing and changes no view. */
		want_err(act(fx, fx->clerk, id, "supplement", rev + 1,
		             supplement(0)),
		    "STALE_REVISION", "revision");
		want_err(act(fx, fx->clerk, id, "supplement", rev, NULL),
		    "INVALID_ARGUMENT", "fields.materials");
		check_get(fx, id, rev, "intake", (size_t) rev - 1);
		ok(act(fx, fx->clerk, id, "supplement", rev,
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
 * (main.c, at start-up): an audit event and the case with its revision
 * raised, stored with store_case_put, past the case cache. */
struct behind_job {
	struct store_job job;
	const char      *id;
	json_int_t       rev; /* the revision written */
};

static int
behind_apply(MDB_txn *txn, struct store_job *job)
{
	struct behind_job *j = (struct behind_job *) (void *) job;
	json_t            *old, *doc, *ev;
	const char        *state;
	int                rc;

	if ((rc = store_case_get(txn, j->id, &old)) != WAGE_OK) {
		return (rc);
	}
	doc    = json_deep_copy(old);
	state  = rstr(old, "state");
	j->rev = rnum(old, "revision") + 1;
	json_object_set_new(doc, "revision", json_integer(j->rev));
	json_object_set_new(
	    doc, "updated_at", json_string("2026-01-02T03:04:05+08:00"));
	ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:O, s:{s:s, s:s}, "
	               "s:s, s:[]}",
	    "op", "clock.recompute", "case", j->id, "event", "recompute",
	    "from", state, "to", state, "revision", j->rev, "policy",
	    json_object_get(old, "policy"), "actor", "name", "wage-server",
	    "role", "system", "reason", "test", "changes");
	if (ev == NULL || (rc = audit_append(txn, ev, NULL)) != WAGE_OK ||
	    (rc = store_case_put(txn, doc, old)) != WAGE_OK) {
		rc = rc != WAGE_OK ? rc : WAGE_E_INTERNAL;
	}
	json_decref(ev);
	json_decref(doc);
	json_decref(old);
	return (rc);
}

/* The case changed by a write that never went through the cache: every
 * read and act must see the stored bytes, not the cached document. */
static void
other_writer_seen(void **state)
{
	struct fx        *fx = *state;
	struct behind_job bj;
	char              id[WAGE_CASE_ID_MAX];
	json_int_t        seqs[2];
	json_t           *res;

	file_case(fx, id, NULL);
	seqs[0] =
	    rnum(ok(act(fx, fx->clerk, id, "supplement", 1, supplement(0))),
	        "audit_seq");
	check_get(fx, id, 2, "intake", 1);
	check_get(fx, id, 2, "intake", 1);

	memset(&bj, 0, sizeof(bj));
	bj.id = id;
	assert_int_equal(
	    store_write_now(fx->srv.store, behind_apply, &bj.job), WAGE_OK);
	assert_int_equal(bj.rev, 3);
	check_get(fx, id, 3, "intake", 1);
	res =
	    ok(call(fx, "case.get", fx->clerk, json_pack("{s:s}", "id", id)));
	assert_string_equal(
	    rstr(res, "updated_at"), "2026-01-02T03:04:05+08:00");
	/* Revision 2 was current for the cache, not for the store. */
	want_err(act(fx, fx->clerk, id, "supplement", 2, supplement(1)),
	    "STALE_REVISION", "revision");
	seqs[1] =
	    rnum(ok(act(fx, fx->clerk, id, "supplement", 3, supplement(1))),
	        "audit_seq");
	check_stored(fx, id, 4, "intake", seqs, 2);
	check_get(fx, id, 4, "intake", 2);
}

/* A job that stores the case without its "steps" member, as a document
 * written by an older version or repaired by hand may be. */
struct stepless_job {
	struct store_job job;
	const char      *id;
};

static int
stepless_apply(MDB_txn *txn, struct store_job *job)
{
	struct stepless_job *j = (struct stepless_job *) (void *) job;
	json_t              *old, *doc;
	int                  rc;

	if ((rc = store_case_get(txn, j->id, &old)) != WAGE_OK) {
		return (rc);
	}
	doc = json_deep_copy(old);
	json_object_del(doc, "steps");
	rc = store_case_put(txn, doc, old);
	json_decref(doc);
	json_decref(old);
	return (rc);
}

/* Files a case and stores it again without "steps"; its id into id. */
static void
file_stepless(struct fx *fx, char *id)
{
	struct stepless_job sj;
	json_t             *doc;
	char               *raw;

	file_case(fx, id, NULL);
	check_get(fx, id, 1, "intake", 0);
	memset(&sj, 0, sizeof(sj));
	sj.id = id;
	assert_int_equal(
	    store_write_now(fx->srv.store, stepless_apply, &sj.job), WAGE_OK);
	raw = stored_case(fx, id, &doc);
	assert_null(json_object_get(doc, "steps"));
	json_decref(doc);
	free(raw);
}

/* A stored case without "steps" is still shown (it was before views
 * were kept with the cache). */
static void
get_without_steps(void **state)
{
	struct fx *fx = *state;
	char       id[WAGE_CASE_ID_MAX];
	json_t    *res;

	file_stepless(fx, id);
	res =
	    ok(call(fx, "case.get", fx->clerk, json_pack("{s:s}", "id", id)));
	assert_string_equal(rstr(res, "id"), id);
	assert_int_equal(rnum(res, "revision"), 1);
	assert_int_equal(json_array_size(json_object_get(res, "steps")), 0);
}

/* An act on a stored case without "steps" either records its step or is
 * refused: it never works on a step it has let go (run under ASan). */
static void
act_without_steps(void **state)
{
	struct fx *fx = *state;
	char       id[WAGE_CASE_ID_MAX];
	json_t    *res, *doc;
	json_int_t rev, nsteps, seq0;
	char      *raw;

	file_stepless(fx, id);
	res    = act(fx, fx->clerk, id, "supplement", 1, supplement(0));
	raw    = stored_case(fx, id, &doc);
	rev    = rnum(doc, "revision");
	nsteps = (json_int_t) json_array_size(json_object_get(doc, "steps"));
	seq0   = rnum(json_array_get(json_object_get(doc, "steps"), 0), "seq");
	json_decref(doc);
	free(raw);
	if (json_is_true(json_object_get(res, "ok"))) {
		/* Recorded: the audit event's step is in the case. */
		assert_int_equal(rev, 2);
		assert_int_equal(nsteps, 1);
		assert_int_equal(seq0, rnum(ok(res), "audit_seq"));
	} else {
		assert_int_equal(rev, 1); /* refused: nothing changed */
	}
}

/* ---- two acts on one revision -------------------------------------- */

/* A writer job that holds the writer until the gate opens. */
struct gate_job {
	struct store_job job;
	struct fx       *fx;
	int              entered, open, done;
};

static int
gate_apply(MDB_txn *txn, struct store_job *job)
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

/* The audit head's seq. */
static uint64_t
head_seq(struct fx *fx)
{
	MDB_txn *txn;
	uint64_t seq;
	char     hex[65];

	assert_int_equal(store_read_begin(fx->srv.store, &txn), WAGE_OK);
	assert_int_equal(audit_head(txn, &seq, hex), WAGE_OK);
	store_read_end(txn);
	return (seq);
}

/* Exactly one of a and b succeeded, the other is STALE_REVISION; returns
 * the winner's audit seq. */
static json_int_t
one_wins(json_t *a, json_t *b, json_int_t rev)
{
	json_t *won  = json_is_true(json_object_get(a, "ok")) ? a : b;
	json_t *lost = won == a ? b : a;

	ok(won);
	want_err(lost, "STALE_REVISION", "revision");
	assert_int_equal(rnum(ok(won), "revision"), rev + 1);
	return (rnum(ok(won), "audit_seq"));
}

/* Both prepared against the same bytes, both queued while the writer is
 * held: the writer's check must refuse the second. */
static void
same_revision_queued(void **state)
{
	struct fx      *fx = *state;
	struct gate_job gate;
	struct call     a, b;
	char            id[WAGE_CASE_ID_MAX], *ba, *bb;
	json_int_t      seqs[2], fseq;
	const char     *msg;
	uint64_t        head;
	json_t         *res;
	int             early;

	file_case(fx, id, &fseq);
	seqs[0] =
	    rnum(ok(act(fx, fx->clerk, id, "supplement", 1, supplement(0))),
	        "audit_seq");
	head = head_seq(fx);

	memset(&gate, 0, sizeof(gate));
	gate.fx        = fx;
	gate.job.apply = gate_apply;
	gate.job.done  = gate_done;
	store_submit(fx->srv.store, &gate.job);
	pthread_mutex_lock(&fx->mtx);
	while (!gate.entered) {
		pthread_cond_wait(&fx->cv, &fx->mtx);
	}
	pthread_mutex_unlock(&fx->mtx);

	call_init(fx, &a);
	call_init(fx, &b);
	ba = act_body(fx->clerk, id, "supplement", 2, supplement(1));
	bb = act_body(fx->clerk, id, "supplement", 2, supplement(2));
	call_start(&a, ba);
	call_start(&b, bb);
	free(ba);
	free(bb);
	pthread_mutex_lock(&fx->mtx);
	early     = a.done || b.done;
	gate.open = 1; /* before any assertion: teardown needs the writer */
	pthread_cond_broadcast(&fx->cv);
	pthread_mutex_unlock(&fx->mtx);
	assert_false(early); /* both waited for the writer */
	call_wait(&a);
	call_wait(&b);
	pthread_mutex_lock(&fx->mtx);
	while (!gate.done) {
		pthread_cond_wait(&fx->cv, &fx->mtx);
	}
	pthread_mutex_unlock(&fx->mtx);

	/* The first queued goes through; the second is refused by the
	 * writer (its message says so). */
	seqs[1] = one_wins(a.reply, b.reply, 2);
	ok(a.reply);
	msg = rstr(json_object_get(b.reply, "error"), "message");
	assert_non_null(strstr(msg, "on its way"));
	assert_int_equal(head_seq(fx), head + 1);
	assert_int_equal((uint64_t) seqs[1], head + 1);
	check_stored(fx, id, 3, "intake", seqs, 2);
	check_get(fx, id, 3, "intake", 2);
	/* The case was supplemented with a's materials, not b's. */
	res =
	    ok(call(fx, "case.get", fx->clerk, json_pack("{s:s}", "id", id)));
	assert_string_equal(step_materials(res, 1), "工资欠条复印件 第2份");
	/* And the next act, at the new revision, works. */
	ok(act(fx, fx->clerk, id, "supplement", 3, supplement(3)));
	call_fini(&a);
	call_fini(&b);
}

/* Two threads send an act on the same revision at the same moment. */
struct racer {
	pthread_t          t;
	struct call        c;
	char              *body;
	pthread_barrier_t *bar;
};

static void *
racer_main(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->bar);
	call_start(&r->c, r->body);
	return (NULL);
}

static void
same_revision_threads(void **state)
{
	struct fx        *fx = *state;
	struct racer      rc[2];
	pthread_barrier_t bar;
	char              id[WAGE_CASE_ID_MAX];
	json_int_t        seqs[NROUNDS], rev;
	int               i, k;

	file_case(fx, id, NULL);
	assert_int_equal(pthread_barrier_init(&bar, NULL, 2), 0);
	for (k = 0; k < 2; k++) {
		call_init(fx, &rc[k].c);
		rc[k].bar = &bar;
	}
	for (i = 0, rev = 1; i < NROUNDS; i++, rev++) {
		for (k = 0; k < 2; k++) {
			rc[k].body = act_body(fx->clerk, id, "supplement", rev,
			    supplement(2 * i + k));
			assert_int_equal(
			    pthread_create(&rc[k].t, NULL, racer_main, &rc[k]),
			    0);
		}
		for (k = 0; k < 2; k++) {
			assert_int_equal(pthread_join(rc[k].t, NULL), 0);
			call_wait(&rc[k].c);
			free(rc[k].body);
		}
		seqs[i] = one_wins(rc[0].c.reply, rc[1].c.reply, rev);
		check_stored(fx, id, rev + 1, "intake", seqs, (size_t) i + 1);
		check_get(fx, id, rev + 1, "intake", (size_t) i + 1);
	}
	assert_int_equal(head_seq(fx), 1 + NROUNDS);
	for (k = 0; k < 2; k++) {
		call_fini(&rc[k].c);
	}
	pthread_barrier_destroy(&bar);
}

/* Readers get the case as clerk and auditor while acts are recorded:
 * never a revision older than the last one acknowledged before the read
 * began, never a view of one role leaking into the other's. */
#define NREADERS 3
#define NWRITES  24

struct reader {
	pthread_t   t;
	struct call c;
	struct fx  *fx;
	const char *id, *token;
	int         whole; /* sees the ID number whole */
	json_int_t *acked; /* the last revision acknowledged */
	int        *stop;
	int         reads, bad;
	char        why[256];
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

static void *
reader_main(void *arg)
{
	struct reader *rd = arg;
	json_t        *reply, *res, *c0;
	json_int_t     floor, rev, last = 0;
	const char    *idn;
	char          *body;

	while (!__atomic_load_n(rd->stop, __ATOMIC_ACQUIRE)) {
		floor = __atomic_load_n(rd->acked, __ATOMIC_ACQUIRE);
		body  = body_of(
		     "case.get", rd->token, json_pack("{s:s}", "id", rd->id));
		call_start(&rd->c, body);
		free(body);
		pthread_mutex_lock(&rd->fx->mtx);
		while (!rd->c.done) {
			pthread_cond_wait(&rd->fx->cv, &rd->fx->mtx);
		}
		pthread_mutex_unlock(&rd->fx->mtx);
		reply = rd->c.text != NULL ? json_loads(rd->c.text, 0, NULL)
		                           : NULL;
		rd->c.reply = reply;
		rd->reads++;
		if (!json_is_true(json_object_get(reply, "ok"))) {
			reader_bad(rd, "not ok", 0, 0);
			continue;
		}
		res = json_object_get(reply, "result");
		rev = rnum(res, "revision");
		if (rev < floor) {
			reader_bad(rd, "older than acknowledged", rev, floor);
		}
		if (rev < last) {
			reader_bad(rd, "went back", rev, last);
		}
		last = rev;
		if ((json_int_t) json_array_size(
		        json_object_get(res, "steps")) != rev - 1) {
			reader_bad(rd, "steps do not match the revision",
			    (json_int_t) json_array_size(
			        json_object_get(res, "steps")),
			    rev);
		}
		c0  = json_array_get(json_object_get(res, "claimants"), 0);
		idn = rstr(c0, "id_number");
		if (idn == NULL || (strcmp(idn, g.id1) == 0) != rd->whole ||
		    json_object_get(c0, "id_sealed") != NULL) {
			reader_bad(
			    rd, "ID number shown wrongly", rd->whole, 0);
		}
	}
	return (NULL);
}

static void
reads_during_writes(void **state)
{
	struct fx    *fx = *state;
	struct reader rd[NREADERS];
	char          id[WAGE_CASE_ID_MAX];
	json_int_t    acked = 1, seqs[NWRITES];
	int           stop  = 0, i;

	file_case(fx, id, NULL);
	for (i = 0; i < NREADERS; i++) {
		memset(&rd[i], 0, sizeof(rd[i]));
		call_init(fx, &rd[i].c);
		rd[i].fx    = fx;
		rd[i].id    = id;
		rd[i].whole = i != 1;
		rd[i].token = rd[i].whole ? fx->clerk : fx->auditor;
		rd[i].acked = &acked;
		rd[i].stop  = &stop;
		assert_int_equal(
		    pthread_create(&rd[i].t, NULL, reader_main, &rd[i]), 0);
	}
	for (i = 0; i < NWRITES; i++) {
		seqs[i] = rnum(ok(act(fx, fx->clerk, id, "supplement", i + 1,
		                   supplement(i))),
		    "audit_seq");
		__atomic_store_n(&acked, (json_int_t) i + 2, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < NREADERS; i++) {
		assert_int_equal(pthread_join(rd[i].t, NULL), 0);
		call_fini(&rd[i].c);
	}
	for (i = 0; i < NREADERS; i++) {
		if (rd[i].bad != 0) {
			fail_msg("reader %d: %d bad of %d: %s", i, rd[i].bad,
			    rd[i].reads, rd[i].why);
		}
		assert_true(rd[i].reads > 0);
	}
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

BOTH(stored_text_is_spliced)
BOTH(two_cases_keep_their_ids)
BOTH(get_sees_every_revision)
BOTH(same_revision_queued)
BOTH(same_revision_threads)
BOTH(reads_during_writes)
BOTH(other_writer_seen)
BOTH(get_without_steps)
BOTH(act_without_steps)

#define T(f)                                                      \
	cmocka_unit_test_prestate_setup_teardown(                 \
	    test_writes_##f, setup, teardown, (void *) &cache64), \
	    cmocka_unit_test_prestate_setup_teardown(             \
	        test_writes_##f##_nocache, setup, teardown, (void *) &cache0)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(stored_text_is_spliced),
		T(two_cases_keep_their_ids),
		T(get_sees_every_revision),
		T(same_revision_queued),
		T(same_revision_threads),
		T(reads_during_writes),
		T(other_writer_seen),
		T(get_without_steps),
		T(act_without_steps),
	};

	return (run_group("writes", tests, &group));
}
