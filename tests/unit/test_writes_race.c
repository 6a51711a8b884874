/* SPDX-License-Identifier: MIT */
/*
 * test_writes_race.c - writes that meet others in server/ops_write.c,
 * end to end through ops_handle on the fixture of support_ops.h (with
 * support_writes.h): a real store with its writer and replier running,
 * the shipped policy and tables, auth with a CA made by pki_*. A write is
 * prepared on the calling thread against the revision it read; the writer
 * compares that revision with the stored one. Held at the writer by a
 * gate job: an act that another write (past the cache) overtook is
 * refused by the writer and its prepared head never reaches the cache;
 * of two acts queued on one revision only the first is recorded. Two
 * threads sending acts on one revision at the same moment: exactly one
 * wins each round. Readers calling case.get as clerk and auditor while
 * acts are recorded: never a revision older than the last acknowledged,
 * never a view of one role in the other's, the steps always those of the
 * revision shown. After each, what is stored is checked as in
 * test_writes.c. Each runs with a case cache of 64 and again with none.
 */
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

#include "support_json.h"
#include "support_ops.h"
#include "support_writes.h"

#define NROUNDS 8 /* racing pairs of acts */

/* The group: a clerk, an auditor, the calendars and minimum wages. */
static const struct tsupport_groupdef group = { "test_writes_race", 1,
	TSUPPORT_WRITES_NCERTS, tsupport_writes_certs };

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
	struct tsupport_opsfx     *fx = *state;
	struct gate_job            gate;
	struct tsupport_behind_job bj;
	struct tsupport_call       a;
	char                       id[WAGE_CASE_ID_MAX], *body;
	json_int_t                 seqs[2];
	uint64_t                   head;
	json_t                    *res, *steps;
	const char                *msg;
	int                        early;

	tsupport_file_case(fx, id, NULL);
	seqs[0] = tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id,
	                            "supplement", 1, tsupport_supplement(0))),
	    "audit_seq");
	tsupport_check_get(fx, id, 2, "intake", 1);
	steps = tsupport_step_texts(fx, id);
	head  = head_seq(fx);

	gate_close(fx, &gate);
	memset(&bj, 0, sizeof(bj));
	bj.fx        = fx;
	bj.id        = id;
	bj.job.apply = tsupport_behind_apply;
	bj.job.done  = tsupport_behind_done;
	store_submit(fx->srv.store, &bj.job);
	tsupport_call_init(fx, &a);
	body = tsupport_act_body(
	    fx->clerk, id, "supplement", 2, tsupport_supplement(5));
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
	tsupport_check_stored(fx, id, 3, "intake", seqs, 1);
	tsupport_check_get(fx, id, 3, "intake", 1);
	res = tsupport_get_view(fx, fx->clerk, id);
	assert_string_equal(
	    tsupport_jstr(res, "updated_at"), TSUPPORT_MARK_UPD);
	tsupport_steps_kept(fx, id, &steps);
	assert_int_equal(json_object_size(steps), 1);
	/* And the next act, at the stored revision, works. */
	seqs[1] = tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id,
	                            "supplement", 3, tsupport_supplement(6))),
	    "audit_seq");
	tsupport_cache_is_stored(fx, id, 1);
	tsupport_check_stored(fx, id, 4, "intake", seqs, 2);
	tsupport_check_get(fx, id, 4, "intake", 2);
	res = tsupport_get_view(fx, fx->clerk, id);
	assert_string_equal(
	    tsupport_step_materials(res, 1), "工资欠条复印件 第7份");
	tsupport_steps_kept(fx, id, &steps);
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

	tsupport_file_case(fx, id, NULL);
	seqs[0] = tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id,
	                            "supplement", 1, tsupport_supplement(0))),
	    "audit_seq");
	head    = head_seq(fx);
	steps   = tsupport_step_texts(fx, id);

	gate_close(fx, &gate);
	tsupport_call_init(fx, &a);
	tsupport_call_init(fx, &b);
	ba = tsupport_act_body(
	    fx->clerk, id, "supplement", 2, tsupport_supplement(1));
	bb = tsupport_act_body(
	    fx->clerk, id, "supplement", 2, tsupport_supplement(2));
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
	tsupport_cache_is_stored(fx, id, 1);
	tsupport_check_stored(fx, id, 3, "intake", seqs, 2);
	tsupport_steps_kept(fx, id, &steps);
	assert_int_equal(json_object_size(steps), 2);
	tsupport_check_get(fx, id, 3, "intake", 2);
	res = tsupport_get_view(fx, fx->clerk, id);
	assert_string_equal(
	    tsupport_step_materials(res, 1), "工资欠条复印件 第2份");
	/* And the next act, at the new revision, works. */
	tsupport_ok(tsupport_act(
	    fx, fx->clerk, id, "supplement", 3, tsupport_supplement(3)));
	tsupport_steps_kept(fx, id, &steps);
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

	tsupport_file_case(fx, id, NULL);
	steps = tsupport_step_texts(fx, id);
	assert_int_equal(pthread_barrier_init(&bar, NULL, 2), 0);
	for (k = 0; k < 2; k++) {
		tsupport_call_init(fx, &rc[k].c);
		rc[k].bar = &bar;
	}
	for (i = 0, rev = 1; i < NROUNDS; i++, rev++) {
		for (k = 0; k < 2; k++) {
			rc[k].body = tsupport_act_body(fx->clerk, id,
			    "supplement", rev, tsupport_supplement(2 * i + k));
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
		tsupport_cache_is_stored(fx, id, 1);
		tsupport_check_stored(
		    fx, id, rev + 1, "intake", seqs, (size_t) i + 1);
		tsupport_steps_kept(fx, id, &steps);
		tsupport_check_get(fx, id, rev + 1, "intake", (size_t) i + 1);
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
		if (tsupport_step_materials(res, i) == NULL) {
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

	tsupport_file_case(fx, id, NULL);
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
		seqs[i] = tsupport_jnum(
		    tsupport_ok(tsupport_act(fx, fx->clerk, id, "supplement",
		        i + 1, tsupport_supplement(i))),
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
	tsupport_cache_is_stored(fx, id, 1);
	tsupport_check_stored(fx, id, NWRITES + 1, "intake", seqs, NWRITES);
	tsupport_check_get(fx, id, NWRITES + 1, "intake", NWRITES);
}

TSUPPORT_WRITES_BOTH(refused_write_not_cached)
TSUPPORT_WRITES_BOTH(same_revision_queued)
TSUPPORT_WRITES_BOTH(same_revision_threads)
TSUPPORT_WRITES_BOTH(reads_during_writes)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TSUPPORT_WRITES_T(refused_write_not_cached),
		TSUPPORT_WRITES_T(same_revision_queued),
		TSUPPORT_WRITES_T(same_revision_threads),
		TSUPPORT_WRITES_T(reads_during_writes),
	};

	return (tsupport_ops_run_group("writes_race", tests, &group));
}
