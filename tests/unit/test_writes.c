/* SPDX-License-Identifier: MIT */
/*
 * test_writes.c - the write path of server/ops_write.c end to end through
 * ops_handle, on a real store in a mkdtemp directory with its writer and
 * replier running, the shipped policy, calendars and minimum wages, and
 * auth with a CA made by pki_* (the fixture of support_ops.h, with
 * support_writes.h). A write is prepared and encoded on the calling
 * thread; the writer only compares the revision and puts the id or the
 * audit seq into keys. These tests read what is stored back from LMDB
 * (caserec.h) after case.file and case.act, one at a time: the head under
 * the id (its header revision the reply's, its JSON without id, revision
 * and steps), one step record per case.act under id SEP seq (the reply's
 * audit_seq, no seq inside, never rewritten by later writes), index
 * summaries of the head; that case.get is the view of that head with the
 * step records joined in, never of an older revision (also after a write
 * that went past the cache); that the cache holds what is stored; that
 * caserec_check finds nothing wrong and the audit chain verifies. Writes
 * that race, and reads during writes, are in test_writes_race.c. Each
 * runs with a case cache of 64 and again with none (srv.cases NULL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit.h"
#include "casecache.h"

#include "support_json.h"
#include "support_ops.h"
#include "support_writes.h"

#define NACTS 4 /* supplements before accept */

/* The group: a clerk, an auditor, the calendars and minimum wages. */
static const struct tsupport_groupdef group = { "test_writes", 1,
	TSUPPORT_WRITES_NCERTS, tsupport_writes_certs };

/* ---- what is stored ------------------------------------------------- */

/* The step record of case id at seq, decoded (new). */
static json_t *
step_record(struct tsupport_opsfx *fx, const char *id, json_int_t seq)
{
	struct tsupport_stored st;
	json_t                *s, *found = NULL;
	size_t                 i;

	tsupport_read_stored(fx, id, &st);
	json_array_foreach (st.steps, i, s) {
		if (tsupport_jnum(s, "seq") == seq) {
			found = json_incref(json_object_get(s, "step"));
		}
	}
	tsupport_stored_fini(&st);
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

/* ---- tests ---------------------------------------------------------- */

/* case.file, supplements, accept: what is stored after each. */
static void
stored_records(void **state)
{
	struct tsupport_opsfx *fx = *state;
	struct tsupport_stored st;
	char                   id[WAGE_CASE_ID_MAX];
	json_int_t             seqs[NACTS + 1], fseq, rev = 1;
	json_t                *res, *steps, *rec;
	const char            *st_name, *ev;
	int                    i, k;

	tsupport_file_case(fx, id, &fseq);
	assert_int_equal(fseq, 1);
	assert_non_null(strstr(id, "WA"));
	/* What the writer put in the cache is what was stored. */
	tsupport_cache_is_stored(fx, id, 1);
	tsupport_check_stored(fx, id, 1, "intake", NULL, 0);
	check_event(fx, id, fseq, "file", 1);
	tsupport_check_get(fx, id, 1, "intake", 0);
	steps = tsupport_step_texts(fx, id);
	assert_int_equal(json_object_size(steps), 0);

	for (i = 0; i <= NACTS; i++) {
		if (i < NACTS) {
			res     = tsupport_ok(tsupport_act(fx, fx->clerk, id,
			        "supplement", rev, tsupport_supplement(i)));
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
		tsupport_read_stored(fx, id, &st);
		assert_int_equal(
		    (json_int_t) st.rev, tsupport_jnum(res, "revision"));
		tsupport_stored_fini(&st);
		tsupport_cache_is_stored(fx, id, 1);
		tsupport_check_stored(
		    fx, id, rev, st_name, seqs, (size_t) i + 1);
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
			res = tsupport_supplement(i);
			assert_true(
			    json_equal(json_object_get(rec, "fields"), res));
			json_decref(res);
		}
		json_decref(rec);
		/* The earlier step records are as they were written. */
		tsupport_steps_kept(fx, id, &steps);
		assert_int_equal(json_object_size(steps), (size_t) i + 1);
		tsupport_check_get(fx, id, rev, st_name, (size_t) i + 1);
		/* The view's steps carry the seqs, oldest first. */
		res = tsupport_get_view(fx, fx->clerk, id);
		for (k = 0; k <= i; k++) {
			assert_int_equal(
			    tsupport_jnum(
			        json_array_get(
			            json_object_get(res, "steps"), (size_t) k),
			        "seq"),
			    seqs[k]);
		}
	}
	res = tsupport_get_view(fx, fx->clerk, id);
	assert_string_equal(
	    tsupport_step_materials(res, 1), "工资欠条复印件 第2份");
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

	tsupport_file_case(fx, id1, &s1);
	tsupport_file_case(fx, id2, &s2);
	assert_string_not_equal(id1, id2);
	assert_int_equal(s2, s1 + 1);
	tsupport_check_stored(fx, id1, 1, "intake", NULL, 0);
	tsupport_check_stored(fx, id2, 1, "intake", NULL, 0);
	seq1   = tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id1,
	                           "supplement", 1, tsupport_supplement(0))),
	      "audit_seq");
	steps1 = tsupport_step_texts(fx, id1);
	seq2   = tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id2,
	                           "supplement", 1, tsupport_supplement(1))),
	      "audit_seq");
	assert_int_equal(seq2, seq1 + 1);
	tsupport_check_stored(fx, id2, 2, "intake", &seq2, 1);
	tsupport_check_stored(fx, id1, 2, "intake", &seq1, 1);
	tsupport_steps_kept(fx, id1, &steps1);
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
	tsupport_check_get(fx, id1, 2, "intake", 1);
	tsupport_check_get(fx, id2, 2, "intake", 1);
	res = tsupport_get_view(fx, fx->clerk, id2);
	assert_string_equal(
	    tsupport_step_materials(res, 0), "工资欠条复印件 第2份");
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

	tsupport_file_case(fx, id, NULL);
	for (rev = 1; rev <= 6; rev++) {
		tsupport_check_get(fx, id, rev, "intake", (size_t) rev - 1);
		tsupport_check_get(fx, id, rev, "intake", (size_t) rev - 1);
		/* A refused act stores nothing and changes no view. */
		tsupport_want_err(tsupport_act(fx, fx->clerk, id, "supplement",
		                      rev + 1, tsupport_supplement(0)),
		    "STALE_REVISION", "revision");
		tsupport_want_err(
		    tsupport_act(fx, fx->clerk, id, "supplement", rev, NULL),
		    "INVALID_ARGUMENT", "fields.materials");
		tsupport_check_get(fx, id, rev, "intake", (size_t) rev - 1);
		tsupport_ok(tsupport_act(fx, fx->clerk, id, "supplement", rev,
		    tsupport_supplement((int) rev)));
	}
	tsupport_check_get(fx, id, rev, "intake", (size_t) rev - 1);
	casecache_stats(fx->srv.cases, &hits, &all);
	if (fx->srv.cases != NULL) {
		/* The repeated reads came from the cache. */
		assert_true(hits > 0);
	} else {
		assert_int_equal(all, 0);
	}
}

/* The case changed by a write that never went through the cache: every
 * read and act must see the stored head, not the cached document. */
static void
other_writer_seen(void **state)
{
	struct tsupport_opsfx     *fx = *state;
	struct tsupport_behind_job bj;
	char                       id[WAGE_CASE_ID_MAX];
	json_int_t                 seqs[2];
	json_t                    *res, *steps;

	tsupport_file_case(fx, id, NULL);
	seqs[0] = tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id,
	                            "supplement", 1, tsupport_supplement(0))),
	    "audit_seq");
	tsupport_check_get(fx, id, 2, "intake", 1);
	tsupport_check_get(fx, id, 2, "intake", 1);
	steps = tsupport_step_texts(fx, id);

	memset(&bj, 0, sizeof(bj));
	bj.id = id;
	assert_int_equal(
	    store_write_now(fx->srv.store, tsupport_behind_apply, &bj.job),
	    WAGE_OK);
	assert_int_equal(bj.rev, 3);
	tsupport_check_stored(fx, id, 3, "intake", seqs, 1);
	tsupport_check_get(fx, id, 3, "intake", 1);
	res = tsupport_get_view(fx, fx->clerk, id);
	assert_string_equal(
	    tsupport_jstr(res, "updated_at"), TSUPPORT_MARK_UPD);
	/* Revision 2 was current for the cache, not for the store. */
	tsupport_want_err(tsupport_act(fx, fx->clerk, id, "supplement", 2,
	                      tsupport_supplement(1)),
	    "STALE_REVISION", "revision");
	seqs[1] = tsupport_jnum(tsupport_ok(tsupport_act(fx, fx->clerk, id,
	                            "supplement", 3, tsupport_supplement(1))),
	    "audit_seq");
	tsupport_check_stored(fx, id, 4, "intake", seqs, 2);
	tsupport_check_get(fx, id, 4, "intake", 2);
	tsupport_steps_kept(fx, id, &steps);
	json_decref(steps);
}

TSUPPORT_WRITES_BOTH(stored_records)
TSUPPORT_WRITES_BOTH(two_cases_keep_their_ids)
TSUPPORT_WRITES_BOTH(get_sees_every_revision)
TSUPPORT_WRITES_BOTH(other_writer_seen)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TSUPPORT_WRITES_T(stored_records),
		TSUPPORT_WRITES_T(two_cases_keep_their_ids),
		TSUPPORT_WRITES_T(get_sees_every_revision),
		TSUPPORT_WRITES_T(other_writer_seen),
	};

	return (tsupport_ops_run_group("writes", tests, &group));
}
