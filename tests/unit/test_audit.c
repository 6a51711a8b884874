/* SPDX-License-Identifier: MIT */
/*
 * test_audit.c - unit tests of server/audit.c on a real LMDB environment:
 * the chain as appended, audit_verify on a sound chain, and on each kind
 * of tampering done directly in the database (a changed byte, a removed
 * event, two events swapped, a case changed without an event, a wrong
 * head record), audit_case_events, and the canonical hash.
 * Every test builds a fresh environment in its own mkdtemp directory.
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
#include <mbedtls/sha256.h>

#include "audit.h"
#include "caserec.h"
#include "store.h"

#include "support_audit.h"
#include "support_store.h"

#define NEVENTS 6

/* The chain every test starts from: three cases, six events. */
static const struct {
	const char *id, *event, *from, *to;
} script[NEVENTS] = {
	{ "C1", "file", NULL, "intake" },                         /* seq 1 */
	{ "C10", "file", NULL, "intake" },                        /* seq 2 */
	{ "C1", "accept", "intake", "mediation" },                /* seq 3 */
	{ "C2", "file", NULL, "intake" },                         /* seq 4 */
	{ "C10", "refuse", "intake", "closed_refused" },          /* seq 5 */
	{ "C1", "mediation_failed", "mediation", "arbitration" }, /* seq 6 */
};

struct fx {
	char          base[64]; /* the store in base/db */
	struct store *s;
	uint64_t      seqs[NEVENTS];
};

/* build_chain appends script; job is a struct tsupport_job, arg the fx. */
static int
build_chain(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t  = (struct tsupport_job *) (void *) job;
	struct fx           *fx = t->arg;
	json_t              *old, *doc, *ev;
	int                  i, rc;

	for (i = 0; i < NEVENTS; i++) {
		doc =
		    tsupport_case_next(txn, script[i].id, script[i].to, &old);
		ev = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:O, s:{s:s}}",
		    "op", "case.act", "case", script[i].id, "event",
		    script[i].event, "from", script[i].from, "to",
		    script[i].to, "revision", json_object_get(doc, "revision"),
		    "actor", "name", "张伟");
		assert_non_null(ev);
		rc = audit_append(txn, ev, &fx->seqs[i]);
		if (rc == WAGE_OK) {
			rc = caserec_save(txn, doc, old);
		}
		json_decref(ev);
		json_decref(doc);
		json_decref(old);
		if (rc != WAGE_OK) {
			return (rc);
		}
	}
	return (WAGE_OK);
}

static int
setup(void **state)
{
	struct fx          *fx = calloc(1, sizeof(*fx));
	struct tsupport_job t;

	if (fx == NULL) {
		return (-1);
	}
	if (tsupport_store_open("test_audit", 16u << 20, fx->base,
	        sizeof(fx->base), &fx->s) != 0) {
		free(fx);
		return (-1);
	}
	memset(&t, 0, sizeof(t));
	t.arg = fx;
	if (store_write_now(fx->s, build_chain, &t.job) != WAGE_OK) {
		return (-1);
	}
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	tsupport_store_close(fx->s, fx->base);
	free(fx);
	return (0);
}

/* verify returns audit_verify's report (new reference). */
static json_t *
verify(struct fx *fx)
{
	struct store_txn *txn;
	json_t           *report;

	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	assert_int_equal(audit_verify(txn, NULL, &report), WAGE_OK);
	store_read_end(txn);
	assert_non_null(report);
	return (report);
}

static void
assert_invalid_at(struct fx *fx, json_int_t seq)
{
	json_t *r = verify(fx);

	assert_false(json_is_true(json_object_get(r, "valid")));
	assert_non_null(json_string_value(json_object_get(r, "problem")));
	if (seq > 0) {
		if (json_integer_value(json_object_get(r, "first_bad_seq")) !=
		    seq) {
			char *s = json_dumps(r, 0);

			fail_msg("want first_bad_seq %" JSON_INTEGER_FORMAT
			         ", report %s",
			    seq, s);
		}
	}
	json_decref(r);
}

/* get_event returns the stored event seq (new reference), or NULL. */
static json_t *
get_event(struct fx *fx, uint64_t seq)
{
	struct store_txn *txn;
	MDB_val           v;
	unsigned char     key[8];
	json_t           *ev = NULL;

	tsupport_seq_key(seq, key);
	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	if (store_get(txn, DB_AUDIT, key, 8, &v) == WAGE_OK) {
		ev = json_loadb(v.mv_data, v.mv_size, 0, NULL);
	}
	store_read_end(txn);
	return (ev);
}

/* ---- tampering, each done with raw store_get/put/del in one txn ---- */

/* Replace, in event a, the first "old" of str "old=new" (same length). */
static int
t_edit_bytes(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t = (struct tsupport_job *) (void *) job;
	unsigned char        key[8];
	MDB_val              v;
	char                 buf[4096], *at;
	const char          *eq = strchr(t->str, '=');
	size_t               n  = (size_t) (eq - t->str);

	tsupport_seq_key(t->a, key);
	assert_int_equal(store_get(txn, DB_AUDIT, key, 8, &v), WAGE_OK);
	assert_true(v.mv_size < sizeof(buf));
	memcpy(buf, v.mv_data, v.mv_size);
	buf[v.mv_size] = '\0';
	at             = memmem(buf, v.mv_size, t->str, n);
	assert_non_null(at);
	assert_int_equal(strlen(eq + 1), n);
	memcpy(at, eq + 1, n);
	return (store_put(txn, DB_AUDIT, key, 8, buf, v.mv_size));
}

static int
t_delete(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t = (struct tsupport_job *) (void *) job;
	unsigned char        key[8];
	MDB_val              v;

	tsupport_seq_key(t->a, key);
	assert_int_equal(store_get(txn, DB_AUDIT, key, 8, &v), WAGE_OK);
	return (store_del(txn, DB_AUDIT, key, 8));
}

/* Set member str ("state", "revision") of case C1 without an event. */
static int
t_case_member(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t = (struct tsupport_job *) (void *) job;
	json_t              *doc;
	char                *text;
	int                  rc;

	assert_int_equal(caserec_get(txn, "C1", 1, &doc), WAGE_OK);
	if (strcmp(t->str, "state") == 0) {
		json_object_set_new(doc, "state", json_string("closed_paid"));
	} else {
		json_object_set_new(doc, "revision", json_integer(2));
	}
	text = json_dumps(doc, JSON_COMPACT);
	rc   = store_put(txn, DB_CASES, "C1", 2, text, strlen(text));
	free(text);
	json_decref(doc);
	return (rc);
}

static int
t_case_delete(struct store_txn *txn, struct store_job *job)
{
	(void) job;
	return (store_del(txn, DB_CASES, "C2", 2));
}

static int
t_head(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t = (struct tsupport_job *) (void *) job;

	return (store_meta_put(txn, "audit_head", t->str, strlen(t->str)));
}

/* ---- tests ---------------------------------------------------------- */

static void
test_audit_append_links_the_chain(void **state)
{
	struct fx        *fx = *state;
	json_t           *ev;
	char              prev[65], hex[65];
	uint64_t          seq, i;
	struct store_txn *txn;

	memcpy(prev, AUDIT_GENESIS, 65);
	for (i = 1; i <= NEVENTS; i++) {
		assert_int_equal(fx->seqs[i - 1], i);
		ev = get_event(fx, i);
		assert_non_null(ev);
		assert_int_equal(
		    json_integer_value(json_object_get(ev, "seq")),
		    (json_int_t) i);
		assert_string_equal(
		    json_string_value(json_object_get(ev, "prev")), prev);
		assert_non_null(
		    json_string_value(json_object_get(ev, "time")));
		assert_int_equal(audit_hash(ev, hex), WAGE_OK);
		assert_string_equal(
		    json_string_value(json_object_get(ev, "hash")), hex);
		memcpy(prev, hex, 65);
		json_decref(ev);
	}
	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	assert_int_equal(audit_head(txn, &seq, hex), WAGE_OK);
	store_read_end(txn);
	assert_int_equal(seq, NEVENTS);
	assert_string_equal(hex, prev);
}

static void
test_audit_verify_valid_chain(void **state)
{
	struct fx *fx = *state;
	json_t    *r = verify(fx), *last = get_event(fx, NEVENTS);

	assert_true(json_is_true(json_object_get(r, "valid")));
	assert_int_equal(
	    json_integer_value(json_object_get(r, "events")), NEVENTS);
	assert_int_equal(json_integer_value(json_object_get(r, "cases")), 3);
	assert_string_equal(json_string_value(json_object_get(r, "head")),
	    json_string_value(json_object_get(last, "hash")));
	assert_null(json_object_get(r, "first_bad_seq"));
	json_decref(r);
	json_decref(last);
}

static void
test_audit_verify_changed_byte(void **state)
{
	struct fx *fx = *state;

	/* seq 3: C1 intake -> mediation; "to" now says "mediatiom". */
	tsupport_write(fx->s, t_edit_bytes, 3, 0,
	    "\"to\":\"mediation\"="
	    "\"to\":\"mediatiom\"");
	assert_invalid_at(fx, 3);
}

static void
test_audit_verify_changed_byte_in_last_event(void **state)
{
	struct fx *fx = *state;

	tsupport_write(fx->s, t_edit_bytes, NEVENTS, 0, "张伟=张三");
	assert_invalid_at(fx, NEVENTS);
}

static void
test_audit_verify_removed_event(void **state)
{
	struct fx *fx = *state;

	tsupport_write(fx->s, t_delete, 4, 0, NULL);
	assert_invalid_at(fx, 4);
}

static void
test_audit_verify_removed_last_event(void **state)
{
	struct fx *fx = *state;

	tsupport_write(fx->s, t_delete, NEVENTS, 0, NULL);
	assert_invalid_at(fx, NEVENTS);
}

static void
test_audit_verify_swapped_events(void **state)
{
	struct fx *fx = *state;

	tsupport_write(fx->s, tsupport_swap_events, 2, 3, NULL);
	assert_invalid_at(fx, 2);
}

static void
test_audit_verify_case_changed_without_event(void **state)
{
	struct fx *fx = *state;
	json_t    *r;

	tsupport_write(fx->s, t_case_member, 0, 0, "state");
	r = verify(fx);
	assert_false(json_is_true(json_object_get(r, "valid")));
	assert_non_null(
	    strstr(json_string_value(json_object_get(r, "problem")), "C1"));
	json_decref(r);
}

static void
test_audit_verify_case_revision_changed(void **state)
{
	struct fx *fx = *state;

	tsupport_write(fx->s, t_case_member, 0, 0, "revision");
	assert_invalid_at(fx, 0);
}

static void
test_audit_verify_case_deleted(void **state)
{
	struct fx *fx = *state;

	tsupport_write(fx->s, t_case_delete, 0, 0, NULL);
	assert_invalid_at(fx, 0);
}

static void
test_audit_verify_head_mismatch(void **state)
{
	struct fx *fx = *state;
	json_t    *ev = get_event(fx, NEVENTS - 1);
	char       head[96];

	/* The right sequence number with another hash. */
	snprintf(head, sizeof(head), "%d %s", NEVENTS,
	    json_string_value(json_object_get(ev, "hash")));
	tsupport_write(fx->s, t_head, 0, 0, head);
	assert_invalid_at(fx, 0);
	/* The previous event's record: the chain looks one longer. */
	snprintf(head, sizeof(head), "%d %s", NEVENTS - 1,
	    json_string_value(json_object_get(ev, "hash")));
	tsupport_write(fx->s, t_head, 0, 0, head);
	assert_invalid_at(fx, 0);
	json_decref(ev);
}

static void
test_audit_verify_truncated_tail_caught_by_replay(void **state)
{
	struct fx *fx = *state;
	json_t    *ev = get_event(fx, NEVENTS - 1);
	char       head[96];

	/* Drop the last event and fix the head: the chain itself is sound,
	 * but case C1 is in a state no remaining event put it in. */
	tsupport_write(fx->s, t_delete, NEVENTS, 0, NULL);
	snprintf(head, sizeof(head), "%d %s", NEVENTS - 1,
	    json_string_value(json_object_get(ev, "hash")));
	tsupport_write(fx->s, t_head, 0, 0, head);
	assert_invalid_at(fx, 0);
	json_decref(ev);
}

static void
test_audit_case_events_in_order(void **state)
{
	struct fx               *fx = *state;
	struct store_txn        *txn;
	json_t                  *evs;
	size_t                   i;
	static const json_int_t  want_seq[] = { 1, 3, 6 };
	static const char *const want_to[]  = { "intake", "mediation",
		 "arbitration" };

	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	/* "C1" must not pick up the events of "C10". */
	assert_int_equal(audit_case_events(txn, "C1", &evs), WAGE_OK);
	assert_int_equal(json_array_size(evs), 3);
	for (i = 0; i < 3; i++) {
		json_t *e = json_array_get(evs, i);

		assert_int_equal(json_integer_value(json_object_get(e, "seq")),
		    want_seq[i]);
		assert_string_equal(
		    json_string_value(json_object_get(e, "to")), want_to[i]);
		assert_string_equal(
		    json_string_value(json_object_get(e, "case")), "C1");
	}
	json_decref(evs);
	assert_int_equal(audit_case_events(txn, "C10", &evs), WAGE_OK);
	assert_int_equal(json_array_size(evs), 2);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(evs, 1), "seq")),
	    5);
	json_decref(evs);
	assert_int_equal(audit_case_events(txn, "C3", &evs), WAGE_OK);
	assert_int_equal(json_array_size(evs), 0);
	json_decref(evs);
	store_read_end(txn);
}

static void
test_audit_hash_ignores_hash_member(void **state)
{
	json_t       *ev, *other;
	char          h0[65], h1[65], h2[65], want[65];
	unsigned char sum[32];
	const char   *canon = "{\"a\":1,\"b\":\"张\",\"c\":{\"x\":null}}";
	const char   *member;
	int           i;

	(void) state;
	ev = json_pack("{s:s, s:i, s:{s:n}}", "b", "张", "a", 1, "c", "x");
	assert_int_equal(audit_hash(ev, h0), WAGE_OK);
	/* Canonical form: compact, sorted keys, UTF-8 unescaped. */
	mbedtls_sha256_ret(
	    (const unsigned char *) canon, strlen(canon), sum, 0);
	for (i = 0; i < 32; i++) {
		snprintf(want + 2 * i, 3, "%02x", sum[i]);
	}
	assert_string_equal(h0, want);

	json_object_set_new(ev, "hash", json_string("anything"));
	assert_int_equal(audit_hash(ev, h1), WAGE_OK);
	assert_string_equal(h0, h1);
	json_object_set_new(ev, "hash", json_string(h0));
	assert_int_equal(audit_hash(ev, h1), WAGE_OK);
	assert_string_equal(h0, h1);
	assert_string_equal(json_string_value(json_object_get(ev, "hash")),
	    h0); /* ev itself untouched */

	/* Any other member, changed, added or removed, changes the hash. */
	json_object_foreach (ev, member, other) {
		json_t *copy = json_deep_copy(ev);

		if (strcmp(member, "hash") == 0) {
			json_decref(copy);
			continue;
		}
		json_object_set_new(copy, member, json_string("changed"));
		assert_int_equal(audit_hash(copy, h2), WAGE_OK);
		assert_string_not_equal(h2, h0);
		json_object_del(copy, member);
		assert_int_equal(audit_hash(copy, h2), WAGE_OK);
		assert_string_not_equal(h2, h0);
		json_decref(copy);
	}
	json_object_set_new(ev, "d", json_integer(0));
	assert_int_equal(audit_hash(ev, h2), WAGE_OK);
	assert_string_not_equal(h2, h0);
	json_decref(ev);
}

static void
test_audit_verify_empty_chain(void **state)
{
	struct fx        *fx = *state;
	struct store     *s;
	struct wage_error err;
	char              dir[128];
	json_t           *r;
	struct store_txn *txn;

	/* A second, empty environment (the_store follows the last open). */
	store_close(fx->s);
	snprintf(dir, sizeof(dir), "%s/empty", fx->base);
	assert_int_equal(store_open(&s, dir, 1u << 20, 4, &err), WAGE_OK);
	assert_int_equal(store_read_begin(s, &txn), WAGE_OK);
	assert_int_equal(audit_verify(txn, NULL, &r), WAGE_OK);
	store_read_end(txn);
	assert_true(json_is_true(json_object_get(r, "valid")));
	assert_int_equal(json_integer_value(json_object_get(r, "events")), 0);
	assert_string_equal(
	    json_string_value(json_object_get(r, "head")), AUDIT_GENESIS);
	json_decref(r);
	fx->s = s;
}

/* The request digest is keyed: the same body under the same key gives the
 * same digest, under another key another, and it is not the plain SHA-256
 * of the body or of the canonical arguments (from which a masked ID number
 * could be recovered by trying its few possible values). */
static void
test_audit_request_digest_is_keyed(void **state)
{
	static const char body[] =
	    "{\"op\":\"case.file\",\"args\":{\"id_number\":"
	    "\"11010519491231002X\"}}";
	unsigned char dk1[32], dk2[32], k1[32], k2[32];
	char          a[65], b[65], c[65], plain[65];
	json_t       *args;

	(void) state;
	memset(dk1, 1, sizeof(dk1));
	memset(dk2, 2, sizeof(dk2));
	audit_request_key(dk1, k1);
	audit_request_key(dk2, k2);
	assert_memory_not_equal(k1, dk1, 32);
	assert_int_equal(
	    audit_request_digest(k1, body, strlen(body), a), WAGE_OK);
	assert_int_equal(
	    audit_request_digest(k1, body, strlen(body), b), WAGE_OK);
	assert_int_equal(
	    audit_request_digest(k2, body, strlen(body), c), WAGE_OK);
	assert_int_equal(strlen(a), 64);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	args = json_loads(body, 0, NULL);
	assert_non_null(args);
	assert_int_equal(
	    audit_digest(json_object_get(args, "args"), plain), WAGE_OK);
	assert_string_not_equal(a, plain);
	assert_int_equal(audit_digest(args, plain), WAGE_OK);
	assert_string_not_equal(a, plain);
	json_decref(args);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_audit_append_links_the_chain),
		T(test_audit_verify_valid_chain),
		T(test_audit_verify_changed_byte),
		T(test_audit_verify_changed_byte_in_last_event),
		T(test_audit_verify_removed_event),
		T(test_audit_verify_removed_last_event),
		T(test_audit_verify_swapped_events),
		T(test_audit_verify_case_changed_without_event),
		T(test_audit_verify_case_revision_changed),
		T(test_audit_verify_case_deleted),
		T(test_audit_verify_head_mismatch),
		T(test_audit_verify_truncated_tail_caught_by_replay),
		T(test_audit_case_events_in_order),
		cmocka_unit_test(test_audit_hash_ignores_hash_member),
		cmocka_unit_test(test_audit_request_digest_is_keyed),
		T(test_audit_verify_empty_chain),
	};

	return (cmocka_run_group_tests_name("audit", tests, NULL, NULL));
}
