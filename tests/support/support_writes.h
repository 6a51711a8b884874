/* SPDX-License-Identifier: MIT */
/*
 * support_writes.h - what the tests of the write path (test_writes.c,
 * test_writes_race.c) share on top of the ops fixture (support_ops.h):
 * the group (a clerk, an auditor, the tables) and the two settings every
 * test runs with (a case cache of 64, and none); filing the usual case
 * and reading it with case.get; a case as stored, read back from LMDB
 * (caserec.h) and checked (its head, its step records, its index
 * summaries, the cache, caserec_check and the audit chain); case.get
 * compared with the view of the stored head; and a writer job that
 * changes a case past the case cache, as clock.recompute does. Part of
 * libwage-testsupport.a.
 * Threads: the helpers run on the test's thread; tsupport_behind_apply on
 * the writer's (or the caller's, through store_write_now), and
 * tsupport_behind_done on the store's replier.
 * The helpers that look at what is stored fail the running test (assert).
 */
#ifndef WAGE_SUPPORT_WRITES_H
#define WAGE_SUPPORT_WRITES_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store.h"

#include "support_ops.h"

/* The updated_at tsupport_behind_apply writes. */
#define TSUPPORT_MARK_UPD "2026-01-02T03:04:05+08:00"

/* The group's certificates: a clerk and an auditor. */
#define TSUPPORT_WRITES_NCERTS 2
extern const struct tsupport_cert
    tsupport_writes_certs[TSUPPORT_WRITES_NCERTS];

/* tsupport_ops_setup's prestates: a case cache of 64, and none; clerk and
 * auditor logged in to fx->clerk and fx->auditor. */
extern const struct tsupport_opsopt tsupport_writes_cache64,
    tsupport_writes_cache0;

/*
 * TSUPPORT_WRITES_BOTH(f) defines the tests test_writes_f and
 * test_writes_f_nocache (cmocka names each after its function), both
 * running f; TSUPPORT_WRITES_T(f) lists them, the first with the cache of
 * 64, the second with none.
 */
#define TSUPPORT_WRITES_BOTH(f)                             \
	static void test_writes_##f(void **state)           \
	{                                                   \
		f(state);                                   \
	}                                                   \
	static void test_writes_##f##_nocache(void **state) \
	{                                                   \
		f(state);                                   \
	}

#define TSUPPORT_WRITES_T(f)                                      \
	cmocka_unit_test_prestate_setup_teardown(test_writes_##f, \
	    tsupport_ops_setup, tsupport_ops_teardown,            \
	    (void *) &tsupport_writes_cache64),                   \
	    cmocka_unit_test_prestate_setup_teardown(             \
	        test_writes_##f##_nocache, tsupport_ops_setup,    \
	        tsupport_ops_teardown, (void *) &tsupport_writes_cache0)

/* ---- requests --------------------------------------------------------- */

/* tsupport_supplement returns the fields of the i-th supplement (new
 * reference): materials "工资欠条复印件 第<i+1>份". */
json_t *tsupport_supplement(int i);

/*
 * tsupport_file_case files the usual case (tsupport_filing) as the clerk
 * and fails the test unless it is at revision 1; its id into id (of
 * WAGE_CASE_ID_MAX bytes), its audit seq into *seq (if not NULL).
 */
void tsupport_file_case(struct tsupport_opsfx *fx, char *id, json_int_t *seq);

/* tsupport_get_view returns case.get of id as token (borrowed until fx's
 * next call); fails the test unless it succeeded. */
json_t *tsupport_get_view(
    struct tsupport_opsfx *fx, const char *token, const char *id);

/* tsupport_step_materials returns fields.materials of step i of a case
 * view, or NULL. */
const char *tsupport_step_materials(const json_t *view, size_t i);

/* ---- what is stored --------------------------------------------------- */

/* A case as stored: its head, decoded, and its step records. */
struct tsupport_stored {
	char    *head; /* the bytes under the id (owned) */
	size_t   headlen;
	uint64_t rev;   /* from the header */
	json_t  *doc;   /* caserec_decode of head */
	json_t  *steps; /* [{"seq", "key", "text", "step"}], key order */
};

/*
 * tsupport_read_stored reads case id as stored into st, checking on the
 * way that the head's header revision is the decoded one, its JSON holds
 * no "id", "revision" or "steps", every step key is id SEP 16 hex digits,
 * and every step record is an object without "seq". tsupport_stored_fini
 * frees what it read.
 */
void tsupport_read_stored(
    struct tsupport_opsfx *fx, const char *id, struct tsupport_stored *st);
void tsupport_stored_fini(struct tsupport_stored *st);

/* tsupport_step_texts returns the step records of case id: {key: text}
 * (new reference). */
json_t *tsupport_step_texts(struct tsupport_opsfx *fx, const char *id);

/* tsupport_steps_kept: every step record of *was is still in case id,
 * byte for byte; *was becomes what is stored now. */
void tsupport_steps_kept(
    struct tsupport_opsfx *fx, const char *id, json_t **was);

/*
 * tsupport_cache_is_stored: what the case cache gives for case id at its
 * stored revision is the decoding of the stored head; hit: it must come
 * from the cache (a write's put or an earlier read), not be decoded now.
 */
void tsupport_cache_is_stored(
    struct tsupport_opsfx *fx, const char *id, int hit);

/*
 * tsupport_check_stored: case id is stored at revision rev in state, its
 * head sealed at rest; it has one step record per seqs[] with that seq;
 * its region, state and organisation entries hold the summary of this
 * head, without the id; the cache agrees with the store; caserec_check
 * finds nothing wrong and the audit chain verifies.
 */
void tsupport_check_stored(struct tsupport_opsfx *fx, const char *id,
    json_int_t rev, const char *state, const json_int_t *seqs, size_t nseqs);

/*
 * tsupport_check_get: case.get as the clerk (ID number whole) and the
 * auditor (masked) shows revision rev in state with nsteps steps, and is
 * exactly the view of the stored head with the step records joined in
 * order.
 */
void tsupport_check_get(struct tsupport_opsfx *fx, const char *id,
    json_int_t rev, const char *state, size_t nsteps);

/* ---- a write past the case cache --------------------------------------- */

/*
 * A job that records a change of the case the way clock.recompute does
 * (ops_recompute_clocks, at start-up): an audit event and the head with
 * its revision raised and updated_at TSUPPORT_MARK_UPD, stored with
 * caserec_save, past the case cache. Set fx and id; run it with
 * store_write_now(..., tsupport_behind_apply, &job.job), or set job.apply
 * and job.done to tsupport_behind_apply and tsupport_behind_done and
 * store_submit it (done is then set under fx->mtx and fx->cv signalled).
 */
struct tsupport_behind_job {
	struct store_job       job;
	struct tsupport_opsfx *fx;
	const char            *id;
	json_int_t             rev; /* the revision written */
	int                    done, rc;
};

int  tsupport_behind_apply(struct store_txn *txn, struct store_job *job);
void tsupport_behind_done(struct store_job *job, int rc);

#endif /* WAGE_SUPPORT_WRITES_H */
