/* SPDX-License-Identifier: MIT */
/*
 * test_audit_tamper.c - unit tests of the audit chain in the live store:
 * server/audit.c audit_verify and server/checkpoint.c checkpoint_verify
 * and checkpoint_maybe, on the store of support_audit.h (nine events of
 * three cases, checkpoints signed after seq 3 and 6, seq 7..9 unsigned).
 *
 * The untouched store verifies; then each kind of tampering with the
 * export in test_auditlog.c done to DB_AUDIT, DB_CHECKPOINTS, the head
 * record and the case-history index behind the server's back (an event
 * changed, removed or swapped, the chain rewritten consistently, the log
 * cut, a checkpoint's signature altered or forged with another CA's key)
 * must make audit_verify (with the signer) report the exact
 * first_bad_seq, and checkpoint_verify agree where checkpoints are
 * concerned. The limits (a rewrite of the unsigned tail, or one with the
 * later checkpoints deleted) are asserted as limits.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem, strndup */
#endif

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit.h"
#include "auditlog.h"
#include "caserec.h"
#include "checkpoint.h"
#include "store.h"

#include "support_audit.h"
#include "support_json.h"
#include "support_store.h"

/* ---- the live store ---------------------------------------------------- */

static json_t *
store_verify(struct tsupport_auditfx *fx, struct checkpoint_signer *s)
{
	struct store_txn *txn;
	json_t           *r;

	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	assert_int_equal(audit_verify(txn, s, &r), WAGE_OK);
	store_read_end(txn);
	assert_non_null(r);
	return (r);
}

/* expect_store_bad: audit_verify with the signer says invalid at seq, the
 * problem holds what (and names the seq when name_seq). */
static void
expect_store_bad_at(struct tsupport_auditfx *fx, json_int_t seq,
    const char *what, int name_seq, int line)
{
	json_t     *r       = store_verify(fx, tsupport_audit_g.signer);
	const char *problem = tsupport_jstr(r, "problem");
	char        num[32];

	snprintf(num, sizeof(num), "seq %" JSON_INTEGER_FORMAT, seq);
	if (json_is_true(json_object_get(r, "valid")) ||
	    json_integer_value(json_object_get(r, "first_bad_seq")) != seq ||
	    problem == NULL || strstr(problem, what) == NULL ||
	    (name_seq && strstr(problem, num) == NULL)) {
		char ctx[256];

		snprintf(ctx, sizeof(ctx),
		    "line %d: want audit_verify invalid at seq "
		    "%" JSON_INTEGER_FORMAT " with \"%s\"%s",
		    line, seq, what, name_seq ? ", named in the problem" : "");
		tsupport_fail_report(ctx, r);
	}
	json_decref(r);
}

#define expect_store_bad(fx, seq, what, name_seq) \
	expect_store_bad_at((fx), (seq), (what), (name_seq), __LINE__)

static void
cp_verify(struct tsupport_auditfx *fx, json_int_t *bad, json_int_t *count,
    json_int_t *last, char *problem, size_t len)
{
	struct store_txn *txn;

	problem[0] = '\0';
	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	assert_int_equal(checkpoint_verify(txn, tsupport_audit_g.signer, bad,
	                     problem, len, count, last),
	    WAGE_OK);
	store_read_end(txn);
}

static char *
get_raw(struct store_txn *txn, uint64_t seq)
{
	unsigned char key[8];
	MDB_val       v;

	tsupport_seq_key(seq, key);
	assert_int_equal(store_get(txn, DB_AUDIT, key, 8, &v), WAGE_OK);
	return (strndup(v.mv_data, v.mv_size));
}

static int
put_event(struct store_txn *txn, uint64_t seq, const json_t *ev)
{
	unsigned char key[8];
	char         *text = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
	int           rc;

	assert_non_null(text);
	tsupport_seq_key(seq, key);
	rc = store_put(txn, DB_AUDIT, key, 8, text, strlen(text));
	free(text);
	return (rc);
}

/* t_edit: in event a, replace the first str "old=new" (same length). */
static int
t_edit(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t  = (struct tsupport_job *) (void *) job;
	const char          *eq = strchr(t->str, '=');
	size_t               n  = (size_t) (eq - t->str);
	unsigned char        key[8];
	char                *text = get_raw(txn, t->a), *at;
	int                  rc;

	at = memmem(text, strlen(text), t->str, n);
	assert_non_null(at);
	assert_int_equal(strlen(eq + 1), n);
	memcpy(at, eq + 1, n);
	tsupport_seq_key(t->a, key);
	rc = store_put(txn, DB_AUDIT, key, 8, text, strlen(text));
	free(text);
	return (rc);
}

static int
t_del(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t = (struct tsupport_job *) (void *) job;
	unsigned char        key[8];

	tsupport_seq_key(t->a, key);
	return (store_del(txn, DB_AUDIT, key, 8));
}

/* t_cp_sig changes one base64 character of checkpoint a's signature. */
static int
t_cp_sig(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t = (struct tsupport_job *) (void *) job;
	unsigned char        key[8];
	MDB_val              v;
	json_t              *cp;
	char                *sig, *text;
	int                  rc;

	checkpoint_key((json_int_t) t->a, key);
	assert_int_equal(store_get(txn, DB_CHECKPOINTS, key, 8, &v), WAGE_OK);
	cp = json_loadb(v.mv_data, v.mv_size, 0, NULL);
	assert_non_null(cp);
	sig     = strdup(tsupport_jstr(cp, "sig"));
	sig[20] = sig[20] == 'A' ? 'B' : 'A';
	json_object_set_new(cp, "sig", json_string(sig));
	free(sig);
	text = json_dumps(cp, JSON_COMPACT | JSON_SORT_KEYS);
	rc   = store_put(txn, DB_CHECKPOINTS, key, 8, text, strlen(text));
	free(text);
	json_decref(cp);
	return (rc);
}

/* t_cp_forge replaces checkpoint a by one of the chain as it is now,
 * signed by the other CA's server key. */
static int
t_cp_forge(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t = (struct tsupport_job *) (void *) job;
	unsigned char        key[8];
	char                *raw = get_raw(txn, t->a), *text;
	json_t              *ev  = json_loads(raw, 0, NULL), *cp;
	int                  rc;

	cp = checkpoint_sign(tsupport_audit_g.foreign, (json_int_t) t->a,
	    tsupport_jstr(ev, "hash"));
	assert_non_null(cp);
	text = json_dumps(cp, JSON_COMPACT | JSON_SORT_KEYS);
	checkpoint_key((json_int_t) t->a, key);
	rc = store_put(txn, DB_CHECKPOINTS, key, 8, text, strlen(text));
	free(text);
	free(raw);
	json_decref(cp);
	json_decref(ev);
	return (rc);
}

static int
t_del_checkpoint(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t = (struct tsupport_job *) (void *) job;
	unsigned char        key[8];

	checkpoint_key((json_int_t) t->a, key);
	return (store_del(txn, DB_CHECKPOINTS, key, 8));
}

/* t_head sets the head record to event a's seq and hash. */
static int
t_head(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t    = (struct tsupport_job *) (void *) job;
	char                *text = get_raw(txn, t->a), head[96];
	json_t              *ev   = json_loads(text, 0, NULL);
	int                  n;

	assert_non_null(ev);
	n = snprintf(head, sizeof(head), "%" PRIu64 " %s", t->a,
	    tsupport_jstr(ev, "hash"));
	json_decref(ev);
	free(text);
	return (store_meta_put(txn, "audit_head", head, (size_t) n));
}

/*
 * t_rewrite changes the actor's name of event a to str, then recomputes
 * prev and hash of every event from a to the head, and the head record:
 * a consistent chain, as someone with the database but not the key
 * would leave it.
 */
static int
t_rewrite(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t = (struct tsupport_job *) (void *) job;
	char                 prev[65], head[96], *text;
	uint64_t             seq, hseq;
	json_t              *ev;
	int                  rc, n;

	assert_int_equal(audit_head(txn, &hseq, prev), WAGE_OK);
	if (t->a == 1) {
		memcpy(prev, AUDIT_GENESIS, 65);
	} else {
		text = get_raw(txn, t->a - 1);
		ev   = json_loads(text, 0, NULL);
		snprintf(prev, sizeof(prev), "%s", tsupport_jstr(ev, "hash"));
		json_decref(ev);
		free(text);
	}
	for (seq = t->a; seq <= hseq; seq++) {
		text = get_raw(txn, seq);
		ev   = json_loads(text, 0, NULL);
		free(text);
		assert_non_null(ev);
		if (seq == t->a) {
			json_object_set_new(json_object_get(ev, "actor"),
			    "name", json_string(t->str));
		}
		json_object_set_new(ev, "prev", json_string(prev));
		assert_int_equal(audit_hash(ev, prev), WAGE_OK);
		json_object_set_new(ev, "hash", json_string(prev));
		rc = put_event(txn, seq, ev);
		json_decref(ev);
		if (rc != WAGE_OK) {
			return (rc);
		}
	}
	n = snprintf(head, sizeof(head), "%" PRIu64 " %s", hseq, prev);
	return (store_meta_put(txn, "audit_head", head, (size_t) n));
}

static int
t_del_case_audit(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t = (struct tsupport_job *) (void *) job;
	char                 k[96];
	int                  n;

	n = snprintf(k, sizeof(k), "%s\x1f%016" PRIx64, t->str, t->a);
	return (store_del(txn, DB_CASE_AUDIT, k, (size_t) n));
}

/*
 * t_cut cuts the log after seq a: later events deleted, the head record
 * rewound. With b != 0 the cut is clean: the case-history index entries
 * of the cut events go too, and every case is put back to its state and
 * revision as of seq a (deleted, with its index entries, when it had no
 * event yet), so that everything in the database agrees.
 */
static int
t_cut(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t = (struct tsupport_job *) (void *) job;
	char                 k[128];
	json_t              *doc, *old;
	uint64_t             seq;
	int                  i, n, rc, c, rev;
	const char *ids[] = { TSUPPORT_C1, TSUPPORT_C2, TSUPPORT_C3 }, *state;

	for (seq = t->a + 1; seq <= TSUPPORT_NEVENTS; seq++) {
		tsupport_seq_key(seq, (unsigned char *) k);
		if ((rc = store_del(txn, DB_AUDIT, k, 8)) != WAGE_OK) {
			return (rc);
		}
		if (t->b) {
			n = snprintf(k, sizeof(k), "%s\x1f%016" PRIx64,
			    tsupport_script[seq - 1].id, seq);
			if ((rc = store_del(txn, DB_CASE_AUDIT, k,
			         (size_t) n)) != WAGE_OK) {
				return (rc);
			}
		}
	}
	if ((rc = t_head(txn, job)) != WAGE_OK || !t->b) {
		return (rc);
	}
	for (c = 0; c < 3; c++) {
		state = NULL;
		rev   = 0;
		for (i = 0; i < (int) t->a; i++) {
			if (strcmp(tsupport_script[i].id, ids[c]) == 0) {
				state = tsupport_script[i].to;
				rev++;
			}
		}
		assert_int_equal(caserec_get(txn, ids[c], 1, &old), WAGE_OK);
		if (state == NULL) {
			/* Filed in the cut tail: no trace may remain. */
			n  = snprintf(k, sizeof(k), "370102\x1f%s", ids[c]);
			rc = store_del(txn, DB_BY_REGION, k, (size_t) n);
			n  = snprintf(k, sizeof(k),
			     "%s\x1f"
			      "370102\x1f%s",
			     tsupport_jstr(old, "state"), ids[c]);
			if (rc == WAGE_OK) {
				rc =
				    store_del(txn, DB_BY_STATE, k, (size_t) n);
			}
			if (rc == WAGE_OK) {
				rc = store_del(
				    txn, DB_CASES, ids[c], strlen(ids[c]));
			}
		} else {
			doc = json_deep_copy(old);
			json_object_set_new(doc, "state", json_string(state));
			json_object_set_new(
			    doc, "revision", json_integer(rev));
			rc = caserec_save(txn, doc, old);
			json_decref(doc);
		}
		json_decref(old);
		if (rc != WAGE_OK) {
			return (rc);
		}
	}
	return (WAGE_OK);
}

static void
test_audit_tamper_untouched_verifies(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_t                  *r = store_verify(fx, tsupport_audit_g.signer);
	json_int_t               bad, count, last;
	char                     problem[200];

	if (!json_is_true(json_object_get(r, "valid"))) {
		tsupport_fail_report("untouched store", r);
	}
	assert_int_equal(json_integer_value(json_object_get(r, "events")),
	    TSUPPORT_NEVENTS);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "checkpoints")), 2);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "last_checkpoint_seq")), 6);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "unsigned_tail")), 3);
	json_decref(r);
	cp_verify(fx, &bad, &count, &last, problem, sizeof(problem));
	assert_int_equal(bad, 0);
	assert_int_equal(count, 2);
	assert_int_equal(last, 6);
}

static void
test_audit_tamper_changed_event(void **state)
{
	struct tsupport_auditfx *fx = *state;

	tsupport_write(fx->s, t_edit, 5, 0,
	    "\"to\":\"arbitration\"="
	    "\"to\":\"arbitratiom\"");
	expect_store_bad(fx, 5, "hash does not match the event's content", 0);
}

static void
test_audit_tamper_changed_checkpointed_event(void **state)
{
	struct tsupport_auditfx *fx = *state;

	tsupport_write(fx->s, t_edit, 6, 0, "李明=张伟");
	expect_store_bad(fx, 6, "hash does not match the event's content", 0);
}

static void
test_audit_tamper_removed_event(void **state)
{
	struct tsupport_auditfx *fx = *state;

	tsupport_write(fx->s, t_del, 5, 0, NULL);
	expect_store_bad(fx, 5, "event missing from the chain", 0);
}

static void
test_audit_tamper_removed_checkpointed_event(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_int_t               bad, count, last;
	char                     problem[200];

	tsupport_write(fx->s, t_del, 6, 0, NULL);
	expect_store_bad(fx, 6, "event missing from the chain", 0);
	/* checkpoint_verify on its own also sees it, and names the seq. */
	cp_verify(fx, &bad, &count, &last, problem, sizeof(problem));
	assert_int_equal(bad, 6);
	assert_non_null(strstr(problem, "checkpoint at seq 6"));
	assert_non_null(strstr(problem, "missing"));
}

static void
test_audit_tamper_removed_last_event(void **state)
{
	struct tsupport_auditfx *fx = *state;

	tsupport_write(fx->s, t_del, TSUPPORT_NEVENTS, 0, NULL);
	expect_store_bad(fx, TSUPPORT_NEVENTS,
	    "chain head record (seq 9) does not "
	    "match the last event (seq 8)",
	    1);
}

static void
test_audit_tamper_swapped_events(void **state)
{
	struct tsupport_auditfx *fx = *state;

	/* The values of seq 4 and 5 exchanged under their keys. */
	tsupport_write(fx->s, tsupport_swap_events, 4, 5, NULL);
	expect_store_bad(fx, 4, "sequence number was altered", 0);
}

static void
test_audit_tamper_chain_rewritten(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_t                  *r;
	json_int_t               bad, count, last;
	char                     problem[200];

	tsupport_write(fx->s, t_rewrite, 5, 0, "张三");
	/* Without the key nothing but the checkpoints can tell. */
	r = store_verify(fx, NULL);
	assert_true(json_is_true(json_object_get(r, "valid")));
	json_decref(r);
	expect_store_bad(fx, 6,
	    "checkpoint at seq 6: the chain differs from "
	    "what the server signed",
	    1);
	cp_verify(fx, &bad, &count, &last, problem, sizeof(problem));
	assert_int_equal(bad, 6);
	assert_non_null(strstr(problem, "seq 6"));
}

static void
test_audit_tamper_chain_rewritten_from_1(void **state)
{
	struct tsupport_auditfx *fx = *state;

	tsupport_write(fx->s, t_rewrite, 1, 0, "张三");
	expect_store_bad(fx, 3, "checkpoint at seq 3: the chain differs", 1);
}

/*
 * Limits, asserted so that a change of them is seen: in the database
 * alone, a rewrite of the unsigned tail, or a rewrite with the checkpoints
 * after it deleted, cannot be told from the truth (the key is not needed
 * to delete). What catches them is a signed head kept outside: the end
 * line of an export taken before.
 */
static void
test_audit_tamper_rewrite_of_the_unsigned_tail(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_t                  *r, *o;
	size_t                   i;

	tsupport_write(fx->s, t_rewrite, 7, 0, "张三");
	r = store_verify(fx, tsupport_audit_g.signer);
	assert_true(json_is_true(json_object_get(r, "valid")));
	assert_int_equal(
	    json_integer_value(json_object_get(r, "unsigned_tail")), 3);
	json_decref(r);
	/* The export taken before holds seq 9's true hash, signed. */
	i = tsupport_find_line(fx, "end", 0, NULL);
	o = tsupport_line_json(fx, i);
	r = store_verify(fx, NULL);
	assert_string_not_equal(tsupport_jstr(r, "head"),
	    tsupport_jstr(json_object_get(o, "head"), "head"));
	json_decref(r);
	json_decref(o);
}

static void
test_audit_tamper_rewrite_with_checkpoints_deleted(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_t                  *r, *cp;
	struct store_txn        *txn;
	char                    *text;

	tsupport_write(fx->s, t_rewrite, 5, 0, "张三");
	tsupport_write(fx->s, t_del_checkpoint, 6, 0, NULL);
	r = store_verify(fx, tsupport_audit_g.signer);
	assert_true(json_is_true(json_object_get(r, "valid")));
	assert_int_equal(
	    json_integer_value(json_object_get(r, "last_checkpoint_seq")), 3);
	json_decref(r);
	/* Checkpoint 6 as exported before no longer matches event 6. */
	cp = tsupport_line_json(fx, TSUPPORT_CP(fx, 6));
	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	text = get_raw(txn, 6);
	store_read_end(txn);
	assert_null(strstr(text, tsupport_jstr(cp, "head")));
	free(text);
	json_decref(cp);
}

static void
test_audit_tamper_tail_cut(void **state)
{
	struct tsupport_auditfx *fx = *state;

	/* Head rewound to 7, events 8 and 9 deleted, nothing else. The
	 * case-history index still names 8 and 9: the first missing seq is
	 * known and must be named. */
	tsupport_write(fx->s, t_cut, 7, 0, NULL);
	expect_store_bad(fx, 8, "", 0);
}

static void
test_audit_tamper_tail_cut_past_a_checkpoint(void **state)
{
	struct tsupport_auditfx *fx = *state;

	/* A clean cut after 5 (cases rolled back, indexes too): checkpoint
	 * 6 names an event that is gone. */
	tsupport_write(fx->s, t_cut, 5, 1, NULL);
	expect_store_bad(fx, 6,
	    "checkpoint at seq 6: that event is missing "
	    "(the log was cut)",
	    1);
}

static void
test_audit_tamper_clean_cut_of_the_unsigned_tail(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_t                  *r;

	/* A clean cut after 7: only the size of the unsigned tail (one
	 * event after the last checkpoint) remains to be seen. */
	tsupport_write(fx->s, t_cut, 7, 1, NULL);
	r = store_verify(fx, tsupport_audit_g.signer);
	assert_true(json_is_true(json_object_get(r, "valid")));
	assert_int_equal(json_integer_value(json_object_get(r, "events")), 7);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "last_checkpoint_seq")), 6);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "unsigned_tail")), 1);
	json_decref(r);
}

static void
test_audit_tamper_case_history_entry_removed(void **state)
{
	struct tsupport_auditfx *fx = *state;
	struct store_txn        *txn;
	json_t                  *events;

	/* Event 5 taken out of C1's history index: case.history no longer
	 * shows it. The index must be checked against the chain. */
	tsupport_write(fx->s, t_del_case_audit, 5, 0, TSUPPORT_C1);
	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	assert_int_equal(
	    audit_case_events(txn, TSUPPORT_C1, &events), WAGE_OK);
	store_read_end(txn);
	assert_int_equal(json_array_size(events), 2);
	json_decref(events);
	/* An export of this database does not verify: its case line for
	 * C1 is counted from the index (state as of event 3, revision 2). */
	tsupport_free_lines(fx);
	tsupport_export_store(fx, fx->export, 1000);
	tsupport_load_lines(fx, fx->export);
	tsupport_expect_bad(
	    fx, 0, "case " TSUPPORT_C1 ": its state or revision differs");
	/* audit_verify itself must see it, at seq 5. */
	expect_store_bad(fx, 5, "", 0);
}

static void
test_audit_tamper_checkpoint_signature_altered(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_int_t               bad, count, last;
	char                     problem[200];

	tsupport_write(fx->s, t_cp_sig, 3, 0, NULL);
	expect_store_bad(fx, 3,
	    "checkpoint at seq 3: the signature does not "
	    "verify",
	    1);
	cp_verify(fx, &bad, &count, &last, problem, sizeof(problem));
	assert_int_equal(bad, 3);
}

static void
test_audit_tamper_checkpoint_of_another_key(void **state)
{
	struct tsupport_auditfx *fx = *state;

	/* A checkpoint of the rewritten chain signed by another server's
	 * key (same seq, head matching) does not pass either. */
	tsupport_write(fx->s, t_rewrite, 5, 0, "张三");
	tsupport_write(fx->s, t_cp_forge, 6, 0, NULL);
	expect_store_bad(fx, 6,
	    "checkpoint at seq 6: the signature does not "
	    "verify",
	    1);
}

static int
t_maybe(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t = (struct tsupport_job *) (void *) job;

	return (checkpoint_maybe(txn, tsupport_audit_g.signer, (int) t->a));
}

static void
test_audit_tamper_checkpoint_maybe(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_int_t               bad, count, last;
	char                     problem[200];

	/* Neither 1000000 events nor seconds since the last: nothing. */
	tsupport_write(fx->s, t_maybe, 0, 0, NULL);
	cp_verify(fx, &bad, &count, &last, problem, sizeof(problem));
	assert_int_equal(count, 2);
	/* Forced: a checkpoint of the head; forced again: nothing new. */
	tsupport_write(fx->s, t_maybe, 1, 0, NULL);
	tsupport_write(fx->s, t_maybe, 1, 0, NULL);
	cp_verify(fx, &bad, &count, &last, problem, sizeof(problem));
	assert_int_equal(bad, 0);
	assert_int_equal(count, 3);
	assert_int_equal(last, TSUPPORT_NEVENTS);
}

#define T(f)                             \
	cmocka_unit_test_setup_teardown( \
	    f, tsupport_audit_setup, tsupport_audit_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_audit_tamper_checkpoint_maybe),
		T(test_audit_tamper_untouched_verifies),
		T(test_audit_tamper_changed_event),
		T(test_audit_tamper_changed_checkpointed_event),
		T(test_audit_tamper_removed_event),
		T(test_audit_tamper_removed_checkpointed_event),
		T(test_audit_tamper_removed_last_event),
		T(test_audit_tamper_swapped_events),
		T(test_audit_tamper_chain_rewritten),
		T(test_audit_tamper_chain_rewritten_from_1),
		T(test_audit_tamper_rewrite_of_the_unsigned_tail),
		T(test_audit_tamper_rewrite_with_checkpoints_deleted),
		T(test_audit_tamper_tail_cut),
		T(test_audit_tamper_tail_cut_past_a_checkpoint),
		T(test_audit_tamper_clean_cut_of_the_unsigned_tail),
		T(test_audit_tamper_case_history_entry_removed),
		T(test_audit_tamper_checkpoint_signature_altered),
		T(test_audit_tamper_checkpoint_of_another_key),
	};

	return (cmocka_run_group_tests_name("audit_tamper", tests,
	    tsupport_audit_group_setup, tsupport_audit_group_teardown));
}
